# wp403 — developer entry points. The README's two commands are
# `go run ./cmd/wp403 demo` and `make test`.
GO ?= go

.PHONY: test unit build install man lab-up lab-down check fuzz bench binaries share package image sbom release

# build: a static, reproducible binary in bin/wp403 (no cgo, no local paths;
# the VCS revision is recorded, see `bin/wp403 version`). VERSION=1.2.3
# sets the release name.
# Go records the revision itself in a plain clone; REVISION covers git
# worktrees and source trees where it cannot.
VERSION ?=
REVISION ?= $(shell git rev-parse HEAD 2>/dev/null)$(shell git diff --quiet HEAD 2>/dev/null || echo +dirty)
CLI = github.com/wp403/wp403/internal/cli
LDFLAGS = -s -w -buildid= $(if $(VERSION),-X $(CLI).version=$(VERSION)) -X $(CLI).revision=$(REVISION)
build:
	CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=auto -ldflags '$(LDFLAGS)' -o bin/wp403 ./cmd/wp403

# man: the manual page, generated from the command definitions.
man: build
	bin/wp403 man > bin/wp403.1

# install: the same binary into $(go env GOBIN) or $(go env GOPATH)/bin.
install:
	CGO_ENABLED=0 $(GO) install -trimpath -buildvcs=auto -ldflags '$(LDFLAGS)' ./cmd/wp403

# test: everything CI runs — brings the real lab up (installs Debian packages
# on first use; root), runs every test including the lab integration tests,
# verifies every scenario's truth file, and stops the lab it started.
test:
	./scripts/test

# unit: the fast tests; the lab integration tests skip themselves, and the
# summary prints each skip reason (go test alone hides them without -v).
unit:
	WP403_LAB=0 $(GO) test -short -json ./... | $(GO) run ./scripts/testsum

check:
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd internal)" || (gofmt -l cmd internal; exit 1)

lab-up:
	lab/up
lab-down:
	lab/down

fuzz:
	./scripts/fuzz 20s

# --- Release artefacts (docs: README "Install"). Offline once the Go modules
# are in the module cache: the tools are pinned in tools/go.mod (nfpm,
# cyclonedx-gomod, go-containerregistry) and built from it. Two runs at one
# revision write the same bytes (scripts/test-release checks it): file times
# come from SOURCE_DATE_EPOCH, the revision's commit time.
DIST ?= dist
PKGVERSION = $(if $(VERSION),$(VERSION),0.1.0~dev)
IMGVERSION = $(subst ~,-,$(PKGVERSION))
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
PLATFORMS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
ABS_DIST = $(abspath $(DIST))

# binaries: static, reproducible binaries for PLATFORMS in $(DIST).
binaries:
	@mkdir -p $(DIST)
	@for p in $(PLATFORMS); do os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  echo "build $$os/$$arch"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -buildvcs=false -ldflags '$(LDFLAGS)' \
	    -o $(DIST)/wp403_$${os}_$${arch}$$ext ./cmd/wp403 || exit 1; done

# share: the man page and the bash, zsh and fish completions.
share: build
	@mkdir -p $(DIST)/share
	bin/wp403 man | gzip -n -9 > $(DIST)/share/wp403.1.gz
	bin/wp403 completion bash > $(DIST)/share/wp403.bash
	bin/wp403 completion zsh > $(DIST)/share/_wp403
	bin/wp403 completion fish > $(DIST)/share/wp403.fish

# package: wp403_VERSION_amd64.deb and _arm64.deb (nfpm, packaging/nfpm.yaml).
package: share
	$(MAKE) binaries PLATFORMS="linux/amd64 linux/arm64"
	$(GO) build -C tools -o $(ABS_DIST)/tools/nfpm github.com/goreleaser/nfpm/v2/cmd/nfpm
	@for a in amd64 arm64; do ARCH=$$a VERSION='$(PKGVERSION)' DIST='$(DIST)' \
	  $(DIST)/tools/nfpm package -f packaging/nfpm.yaml -p deb -t $(DIST)/ || exit 1; done

# image: the container image per architecture, a tarball for podman load or
# docker load (tools/mkimage, go-containerregistry): empty base, the static
# binary, Debian's CA certificates (ca-certificates), a non-root user.
image:
	$(MAKE) binaries PLATFORMS="linux/amd64 linux/arm64"
	@test -s /etc/ssl/certs/ca-certificates.crt || apt-get install -y -q ca-certificates
	$(GO) build -C tools -o $(ABS_DIST)/tools/mkimage ./mkimage
	@for a in amd64 arm64; do $(DIST)/tools/mkimage -bin $(DIST)/wp403_linux_$$a -arch $$a -version '$(IMGVERSION)' \
	  -revision '$(REVISION)' -epoch $(SOURCE_DATE_EPOCH) -o $(DIST)/wp403_$(PKGVERSION)_image_$$a.tar || exit 1; done

# sbom: a CycloneDX SBOM of what the wp403 binary holds (cyclonedx-gomod
# reads the module list Go records in the binary: modules, versions, hashes,
# the Go standard library's version).
sbom:
	$(MAKE) binaries PLATFORMS="linux/amd64"
	$(GO) build -C tools -o $(ABS_DIST)/tools/cyclonedx-gomod github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod
	$(DIST)/tools/cyclonedx-gomod bin -json -std -noserial -notimestamp -version v$(IMGVERSION) \
	  -output $(DIST)/wp403_$(PKGVERSION).cdx.json $(DIST)/wp403_linux_amd64

# release: every artefact and SHA256SUMS, in a fresh $(DIST).
release:
	rm -rf $(DIST)
	$(MAKE) binaries package image sbom
	rm -rf $(DIST)/tools $(DIST)/share
	cd $(DIST) && sha256sum wp403_* > SHA256SUMS
