# The two commands of the quick start: `make serve` (or `make site`) and `make test`.
# Each sets up what it needs first: a virtual environment in .venv with the project in it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Material 9.x prints an end-of-life notice on every build; it is known.
export NO_MKDOCS_2_WARNING := 1

# apt-get needs root; elsewhere it is run through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser site serve test check lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## What the browser tests drive: Debian's Chromium, and axe-core from the npm registry
browser: node_modules/axe-core/axe.min.js
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund
	touch $@

## Build the site into site/
site: setup
	$(BIN)/mkdocs build --strict

## Serve the site at http://127.0.0.1:8000, rebuilding as briefings change
serve: setup
	$(BIN)/mkdocs serve

## Check every briefing
check: setup
	$(BIN)/briefing check

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Lint, type-check, check the briefings and run the whole test suite, offline where possible
test: setup lint browser
	$(BIN)/briefing check --strict
	tests/offline.sh $(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/bench_check.py

clean:
	rm -rf $(VENV) site node_modules test-artifacts .pytest_cache .mypy_cache .ruff_cache .hypothesis
