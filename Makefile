# Pillbox: `make run` serves a demo account on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# What serving needs (the runtime dependencies), and what developing needs besides (the dev
# extra: pytest, mypy, ruff, schemathesis, build...). Each is installed once per pyproject change.
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
export PILLBOX_DATABASE_URL ?= sqlite:///data/pillbox.db
# The sandbox keeps its own database and files: resetting a sandbox account never touches the
# team's data in data/pillbox.db.
SANDBOX_DATABASE_URL ?= sqlite:///data/sandbox.db
SANDBOX_ATTACHMENTS_DIR ?= data/sandbox-attachments

.PHONY: run sandbox test lint bench install package-check clean reliability fuzz

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(DEV): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(RUNTIME)

install: $(DEV)

run: $(RUNTIME)
	$(PY) -m pillbox db upgrade
	@echo "Demo account token (use it as: Authorization: Bearer <token>):"
	@$(PY) -m pillbox demo --url http://$(HOST):$(PORT)/
	$(PY) -m pillbox serve --host $(HOST) --port $(PORT)

sandbox: export PILLBOX_DATABASE_URL = $(SANDBOX_DATABASE_URL)
sandbox: export PILLBOX_ATTACHMENTS_DIR = $(SANDBOX_ATTACHMENTS_DIR)
sandbox: $(RUNTIME)
	$(PY) -m pillbox db upgrade
	@echo "Sandbox admin API on /_pillbox/ ($(SANDBOX_DATABASE_URL)); open an account with: curl -X POST http://$(HOST):$(PORT)/_pillbox/accounts"
	$(PY) -m pillbox serve --sandbox --host $(HOST) --port $(PORT)

lint: $(DEV)
	$(PY) -m ruff check src tests $(wildcard bench)
	$(PY) -m ruff format --check src tests $(wildcard bench)
	$(PY) -m mypy

test: lint
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# Builds the wheel and installs it into a fresh virtual environment outside the repository, then
# migrates, serves and fetches a page with it (.ci/package-check).
package-check: $(DEV)
	$(PY) .ci/package-check

# The long versions of tests/reliability (a short version of each runs in `make test`);
# figures and the commands behind them are in docs/reliability.md.
reliability: $(DEV)
	PILLBOX_RELIABILITY=long $(PY) -m pytest tests/reliability -p no:randomly -s $(PYTEST_ARGS)

# Fuzzing at volume against a live server: N requests (or MINUTES), every v2 and v1 operation,
# from CLIENTS client processes.
N ?= 10000
MINUTES ?= 60
CLIENTS ?= 2
fuzz: $(DEV)
	$(PY) -m tests.reliability.fuzz --requests $(N) --minutes $(MINUTES) --clients $(CLIENTS)

# `make bench DB=postgres WORKERS=2 SERVER=granian PARTIES=20000`: PostgreSQL at
# 127.0.0.1:5432 by default (BENCH_ARGS='--postgres postgresql+psycopg://…' for another server).
DB ?= sqlite
WORKERS ?= 1
SERVER ?= uvicorn
PARTIES ?= 100000
bench: $(DEV)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/run.py --db $(DB) --workers $(WORKERS) --server $(SERVER) --parties $(PARTIES) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
