# wp403 — developer entry points. The README's two commands are
# `go run ./cmd/wp403 demo` and `make test`.
GO ?= go

.PHONY: test unit build install man lab-up lab-down check fuzz bench

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
