# The two commands of the quick start: `make serve` (or `make site`) and `make test`.
# Each sets up what it needs first: a virtual environment in .venv with the project in it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Material 9.x prints an end-of-life notice on every build; it is known.
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site serve test check lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
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

## Lint, type-check and run the whole test suite
test: setup lint
	$(BIN)/briefing check --strict
	$(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/bench_check.py

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis
