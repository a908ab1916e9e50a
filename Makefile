# KPR — two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
HOST   ?= 127.0.0.1
STAMP  := $(VENV)/.installed
# Tests keep compiled modules (and pytest's rewritten test modules) under the venv, outside the tree, even where
# the environment sets PYTHONDONTWRITEBYTECODE: each test process and CLI subprocess otherwise compiles them again.
TESTENV := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(abspath $(VENV))/pycache

.PHONY: install serve test test-fast browser-deps bench bench-quick lint clean

install: $(STAMP)

$(STAMP): pyproject.toml web/package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	npm ci --prefix web --no-audit --no-fund --silent
	touch $(STAMP)

# Create or migrate the SQLite database under instance/ (KPR_DATABASE_URL overrides), load reference
# data and seed projects (idempotent), then serve on http://$(HOST):$(PORT).
serve: install
	$(BIN)/kpr db upgrade
	$(BIN)/kpr seed --no-upgrade
	$(BIN)/kpr serve --host $(HOST) --port $(PORT)

# Browser tests need Debian's chromium and CJK fonts (never `playwright install`: it downloads); the PDF print
# view (WeasyPrint) needs Pango, which chromium brings too.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/soffice ] || ! fc-list 2>/dev/null | grep -qi "noto sans cjk" \
		|| ! ldconfig -p | grep -q libpangoft2-1.0; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk libreoffice-calc libpango-1.0-0 libpangoft2-1.0-0; \
	fi

test: install browser-deps
	$(TESTENV) $(BIN)/python -m pytest

# The quick loop while working: SQLite only, no browser, no slow test, on both cores (make test runs them all).
# browser-deps also brings the CJK fonts the PDF tests read back (a no-op once installed).
test-fast: install browser-deps
	$(TESTENV) $(BIN)/python -m pytest -n 2 --backend sqlite -m "not browser and not slow"

# Full sizes (100,000 projects, under 15 min): benchmarks/results.json and RESULTS.md generated from it.
bench: install
	$(BIN)/python -m benchmarks.run

# Every scenario at 10,000 projects, a few minutes: benchmarks/results-quick.json and RESULTS-quick.md.
bench-quick: install
	$(BIN)/python -m benchmarks.run --quick

# ruff is pinned in pyproject's dev extra, ESLint in web/package-lock.json (flat config: web/eslint.config.mjs).
lint: install
	$(BIN)/ruff check registry web migrations tests benchmarks
	$(BIN)/mypy registry web --ignore-missing-imports
	web/node_modules/.bin/eslint --config web/eslint.config.mjs --max-warnings 0 web/static/*.js registry/maps/static/*.js

clean:
	rm -rf $(VENV) instance/kpr.sqlite3* .pytest_cache
