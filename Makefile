# CaseBridge: `make run` serves the demo, `make test` runs every test. Both set up .venv first.
# `make test-all` runs every test on both databases and the oracle's full matrix.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-all lint fmt bench install lock clean

# PyICU (rigour's transliteration of names) has no wheel on PyPI and builds against ICU: on a
# fresh Debian or Ubuntu machine its headers, pkg-config and g++ are installed here when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CaseBridge needs Python 3.11 or newer")'
	@pkg-config --exists icu-i18n 2>/dev/null && command -v g++ >/dev/null 2>&1 || { \
	  command -v apt-get >/dev/null 2>&1 || { echo "install ICU's headers, pkg-config and g++ first"; exit 1; }; \
	  echo "installing libicu-dev pkg-config g++ (PyICU builds against them)"; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libicu-dev pkg-config g++; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/casebridge demo
	CASEBRIDGE_DEMO_MODE=true $(BIN)/casebridge serve --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(BIN)/pytest -n auto --dist loadgroup

# Every test on both databases (`make test` runs pages, commands and flows on SQLite alone) and
# the authorisation oracle's full matrix.
test-all: $(STAMP)
	CASEBRIDGE_TEST_ALL=1 CASEBRIDGE_ORACLE_FULL=1 $(BIN)/pytest -n auto --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# bench/intel.py by default: 1M sightings and 1M persons on SQLite and PostgreSQL (~30 minutes);
# the 10M ingest is `$(BIN)/python bench/intel.py --sightings 1000000 10000000`.
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/analytics.py
	$(BIN)/python bench/trends.py
	$(BIN)/python bench/interop.py
	$(BIN)/python bench/intel.py

# Re-pin every dependency after changing pyproject.toml (review the diff of constraints.txt).
lock:
	rm -rf /tmp/casebridge-lock && $(PYTHON) -m venv /tmp/casebridge-lock
	/tmp/casebridge-lock/bin/python -m pip install --quiet --upgrade pip
	/tmp/casebridge-lock/bin/python -m pip install --quiet -e '.[dev]'
	/tmp/casebridge-lock/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
