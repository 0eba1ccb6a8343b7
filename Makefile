# Pillbox: `make run` serves a demo account on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PILLBOX_DATABASE_URL ?= sqlite:///data/pillbox.db

.PHONY: run sandbox test lint bench install clean reliability fuzz

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(INSTALLED)

run: $(INSTALLED)
	$(PY) -m pillbox db upgrade
	@echo "Demo account token (use it as: Authorization: Bearer <token>):"
	@$(PY) -m pillbox demo
	$(PY) -m pillbox serve --host $(HOST) --port $(PORT)

sandbox: $(INSTALLED)
	$(PY) -m pillbox db upgrade
	@echo "Sandbox admin API on /_pillbox/; open an account with: curl -X POST http://$(HOST):$(PORT)/_pillbox/accounts"
	$(PY) -m pillbox serve --sandbox --host $(HOST) --port $(PORT)

lint: $(INSTALLED)
	$(PY) -m ruff check src tests $(wildcard bench)
	$(PY) -m ruff format --check src tests $(wildcard bench)
	$(PY) -m mypy

test: lint
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# The long versions of tests/reliability (a short version of each runs in `make test`);
# figures and the commands behind them are in docs/reliability.md.
reliability: $(INSTALLED)
	PILLBOX_RELIABILITY=long $(PY) -m pytest tests/reliability -p no:randomly -s $(PYTEST_ARGS)

# Fuzzing at volume against a live server: N requests (or MINUTES), every v2 and v1 operation.
N ?= 10000
MINUTES ?= 60
fuzz: $(INSTALLED)
	$(PY) -m tests.reliability.fuzz --requests $(N) --minutes $(MINUTES)

bench: $(INSTALLED)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
