# The two commands a newcomer needs: `make run` serves the product, `make test` runs every test.
SHELL := /bin/bash
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
RELEASE_BIN := $(CARGO_TARGET_DIR)/release/helpdesk
UI_SOURCES := $(shell find web-ui/src web-ui/index.html web-ui/api-docs.html web-ui/openapi.json web-ui/package.json web-ui/vite.config.ts -type f 2>/dev/null)
TEST_VENV := .venv-tests
FUZZ_SEED ?= 1
FUZZ_EXAMPLES ?= 50

.PHONY: run test prerequisites lint test-rust test-ui test-e2e test-fuzz ui release openapi eval train-classifier bench

## Build the web UI and the server in release mode and serve on http://127.0.0.1:8000
## (tickets in data/helpdesk.sqlite3 unless DATABASE_URL says otherwise; Ctrl-C stops)
run: release
	@echo "Serving on http://$${HOST:-127.0.0.1}:$${PORT:-8000}"
	"$(RELEASE_BIN)"

## Every test: formatting and lints, Rust tests on a throwaway PostgreSQL, UI unit tests, browser
## tests, and the API fuzzed from its OpenAPI document
test: prerequisites lint test-rust test-ui test-e2e test-fuzz

## What make test needs from the machine: installed with apt as root, else named with the command
prerequisites:
	scripts/prerequisites.sh

lint: web-ui/node_modules
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd web-ui && npm run lint && npm run typecheck

## The API tests run three times: on PostgreSQL; on two server processes sharing one PostgreSQL,
## each request to the other one, signed in by cookie; on SQLite
test-rust: ui
	scripts/pg-cluster.sh run bash -c 'cargo test --workspace \
	  && TEST_INSTANCES=2 TEST_AUTH=cookie cargo test -p helpdesk --test api \
	  && TEST_STORAGE=sqlite TEST_AUTH=cookie cargo test -p helpdesk --test api'

test-ui: web-ui/node_modules
	cd web-ui && npm test

test-e2e: release
	scripts/pg-cluster.sh run scripts/e2e.sh "$(RELEASE_BIN)"

## schemathesis against the release server, on PostgreSQL then SQLite (FUZZ_SEED, FUZZ_EXAMPLES)
test-fuzz: release $(TEST_VENV)/bin/schemathesis
	scripts/pg-cluster.sh run scripts/fuzz-api.sh "$(RELEASE_BIN)" $(TEST_VENV) --seed $(FUZZ_SEED) --max-examples $(FUZZ_EXAMPLES)

$(TEST_VENV)/bin/schemathesis: tests/fuzz/requirements.txt
	python3 -m venv $(TEST_VENV)
	$(TEST_VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/fuzz/requirements.txt
	touch $@

## Rewrite web-ui/openapi.json, the copy of the API's document the UI's types come from
openapi:
	cargo run --quiet --bin helpdesk -- openapi > web-ui/openapi.json

release: ui
	cargo build --release --bin helpdesk

ui: web-ui/dist/index.html

web-ui/node_modules: web-ui/package-lock.json
	cd web-ui && npm ci
	touch web-ui/node_modules

web-ui/dist/index.html: web-ui/node_modules $(UI_SOURCES)
	cd web-ui && npm run build

## Load benchmark at a million tickets on PostgreSQL and SQLite (not part of make test; see bench/README.md)
bench: release
	bench/run.sh "$(RELEASE_BIN)"

## Accuracy of the configured classifier on the writers' labelled lines (eval/writers/): the offline
## one leave-one-writer-out, with calibration and time per call; an LLM on every line
eval:
	cargo run --release --bin evaluate

## Train the offline classifier on every writer and rewrite its embedded weights
## (adapters-offline-classifier/weights/triage.bin); commit them with the data they came from
train-classifier:
	cargo run --release -p adapters-offline-classifier --bin train
