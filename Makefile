# Entry points. All real logic lives in scripts/.
#   make demo    venv + keys + migrate + demo data, then the worker and runserver on 127.0.0.1:8000
#   make test    apt packages, dev venv, ruff, mypy, pytest on SQLite and on throwaway PostgreSQL
#   make bench   bench.run on SQLite and PostgreSQL
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PY := .venv/bin/python
VAR_DIR := $(or $(XINFANG_VAR_DIR),var)
ARGS ?=

.PHONY: help venv venv-dev demo prod run test bench load durability lint fix typecheck pytest clean

help:
	@echo "make demo       set up (first run: venv + deps) and start the demo on http://127.0.0.1:8000"
	@echo "make prod       production mode: PostgreSQL (var/pg), gunicorn workers and the worker on :8000"
	@echo "make test       full checks: ruff, mypy, pytest on SQLite and PostgreSQL (ARGS=... to pytest)"
	@echo "make pytest     pytest on SQLite only, no apt/lint (ARGS=... to pytest)"
	@echo "make bench      benchmarks on SQLite and PostgreSQL"
	@echo "make load       bounded load test (gunicorn, rising concurrency) on SQLite and PostgreSQL"
	@echo "make durability kill -9 the server and the worker mid-burst, then check nothing was lost"
	@echo "make lint       ruff check + mypy;  make fix: ruff --fix + ruff format"

venv:
	@scripts/venv.sh prod

venv-dev:
	@scripts/venv.sh dev

demo: venv
	@# The Chinese font embedded in official documents, and msgfmt for the catalogue.
	@scripts/apt_deps.sh fonts-noto-cjk gettext || echo "warning: could not install fonts-noto-cjk/gettext; PDF documents will not render"
	mkdir -p "$(VAR_DIR)"
	$(PY) manage.py ensure_keys
	$(PY) manage.py migrate --noinput
	@if command -v msgfmt >/dev/null 2>&1; then \
	  echo "$(PY) manage.py compilemessages"; \
	  $(PY) manage.py compilemessages --ignore .venv --ignore var --ignore node_modules >/dev/null; \
	fi
	$(PY) manage.py load_demo
	scripts/demo_serve.sh

# Production mode locally (README, docs/SCALE.md); XINFANG_WORKERS=N, XINFANG_BIND=host:port.
prod:
	scripts/prod.sh

test:
	scripts/test.sh $(ARGS)

pytest: venv-dev
	.venv/bin/python -m pytest $(ARGS)

bench:
	scripts/bench.sh $(ARGS)

load:
	scripts/load.sh $(ARGS)

durability:
	scripts/durability.sh $(ARGS)

lint: venv-dev
	.venv/bin/ruff check .
	.venv/bin/mypy .

typecheck: venv-dev
	.venv/bin/mypy .

fix: venv-dev
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache test-artifacts
