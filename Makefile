# raftis — `make help` lists the targets.

GO          ?= go
BIN         := bin/raftis
FUZZTIME    ?= 30s
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## build bin/raftis
	$(GO) build -o $(BIN) ./cmd/raftis

.PHONY: run
run: build ## start a local 3-node cluster in the foreground (RESP on 6379-6381; Ctrl-C stops it)
	scripts/cluster.sh

.PHONY: lint
lint: ## gofmt, go vet, staticcheck (the fsm determinism rule runs as a test in fsm)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

.PHONY: test
test: lint ## every test: unit, fuzz seeds, in-process clusters, end-to-end, differential (race detector on)
	$(GO) test -race -count=1 -timeout 15m ./...
	cd third_party/redcon && $(GO) test -race -count=1 ./...

.PHONY: difftest
difftest: ## the differential test against redis-server, long: SEED= N= (commands per node) ONLY= (families or commands)
	DIFF_SEED=$(SEED) DIFF_N=$(or $(N),200000) DIFF_ONLY=$(ONLY) DIFF_KEEP_GOING=1 \
		$(GO) test -count=1 -timeout 0 -v -run 'TestDiffRandom$$' ./tests/diff

ROUNDS      ?= 6
SEED        ?= $(shell date +%s)
DURATION    ?= 30s
NODES       ?= 3
FAULTS      ?= all

.PHONY: chaos
chaos: build ## chaos rounds against a real cluster (ROUNDS=6 SEED=<now> DURATION=30s NODES=3 FAULTS=all)
	$(GO) run ./cmd/raftis-chaos -bin $(BIN) -rounds $(ROUNDS) -seed $(SEED) -duration $(DURATION) -nodes $(NODES) -faults $(FAULTS)

.PHONY: fuzz
fuzz: ## run every fuzz target for FUZZTIME each
	$(GO) test -run=NONE -fuzz=FuzzDecodeEntry -fuzztime=$(FUZZTIME) ./fsm
	$(GO) test -run=NONE -fuzz=FuzzReader -fuzztime=$(FUZZTIME) ./fsm/rdb
	$(GO) test -run=NONE -fuzz=FuzzRoundTrip -fuzztime=$(FUZZTIME) ./fsm/rdb
	$(GO) test -run=NONE -fuzz=FuzzReadReply -fuzztime=$(FUZZTIME) ./internal/resp
	$(GO) test -run=NONE -fuzz=FuzzTree -fuzztime=$(FUZZTIME) ./fsm/internal/ranked
	cd third_party/redcon && $(GO) test -run=NONE -fuzz=FuzzReadCommands -fuzztime=$(FUZZTIME) .

.PHONY: bench
bench: build ## compare raftis with stock redis-server using redis-benchmark (scripts/bench.sh)
	scripts/bench.sh

.PHONY: clean
clean: ## remove build output and local cluster data
	rm -rf bin data
