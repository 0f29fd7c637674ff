# unga-tracker: `make run` serves the API, `make test` runs the whole suite (SQLite and PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The shared UN vote data; `make run` imports it when present (quick when unchanged).
DATA_DIR ?= ../shared/data

.PHONY: install run serve migrate seed data test test-sqlite test-postgres check lint typecheck \
	bench bench-import bench-read bench-news bench-sync-async clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/unga db upgrade

seed: migrate
	$(BIN)/unga seed

data: seed
	$(BIN)/unga import all $(DATA_DIR) --if-present

run: data
	$(BIN)/unga serve --host $(HOST) --port $(PORT)

test: test-sqlite test-postgres

test-sqlite: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Creates a throwaway database on the PostgreSQL server (127.0.0.1:5432 by default, or
# UNGA_TEST_PG_ADMIN_URL), runs the suite on it and drops it. Required when CI=true.
test-postgres: install
	$(BIN)/python tests/run_postgres.py $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

check: lint typecheck
	$(BIN)/python -m pytest --cov=app --cov-report=term --cov-fail-under=80 $(PYTEST_ARGS)
	$(BIN)/python tests/run_postgres.py $(PYTEST_ARGS)

# Long measurements live here, not in the tests; figures and method go to docs/benchmarks.md.
bench: bench-import bench-read bench-news

bench-import: install
	$(BIN)/python benchmarks/import.py

bench-read: install
	$(BIN)/python benchmarks/read_api.py

bench-news: install
	$(BIN)/python benchmarks/news_eval.py
	$(BIN)/python benchmarks/news_suggest.py

bench-sync-async: install
	$(BIN)/python benchmarks/sync_vs_async.py

clean:
	rm -rf $(VENV) unga.db unga.db-wal unga.db-shm .pytest_cache .mypy_cache .ruff_cache
