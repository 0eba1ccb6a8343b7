# Pillbox: `make run` serves a demo account on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PILLBOX_DATABASE_URL ?= sqlite:///data/pillbox.db

.PHONY: run sandbox test lint bench install clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(INSTALLED)

run: $(INSTALLED)
	$(PY) -m pillbox db upgrade
	@echo "Demo account token (use it as: Authorization: Bearer <token>):"
	@$(PY) -m pillbox demo --url http://$(HOST):$(PORT)/
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

bench: $(INSTALLED)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
