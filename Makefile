# wp403 — developer entry points. The README's two commands are
# `go run ./cmd/wp403 demo` and `make test`.
GO ?= go

.PHONY: test unit lab-up lab-down check fuzz bench

# test: everything CI runs — brings the real lab up (installs Debian packages
# on first use; root), runs every test including the lab integration tests,
# verifies every scenario's truth file, and stops the lab it started.
test:
	./scripts/test

# unit: the fast tests; lab integration tests skip themselves and say why.
unit:
	$(GO) test ./...

check:
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd internal)" || (gofmt -l cmd internal; exit 1)

lab-up:
	lab/up
lab-down:
	lab/down

fuzz:
	./scripts/fuzz 20s
