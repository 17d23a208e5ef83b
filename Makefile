# Two commands on a fresh machine: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB ?= var/demo.duckdb
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: install run demo test lint format bench lock clean

install: $(STAMP)

# The venv is rebuilt from the lock whenever the lock or pyproject changes.
$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Builds the demo database only if there is none: `make run` never overwrites real data.
$(DB): | $(STAMP)
	$(BIN)/anju demo --db $(DB)

# Rebuilds a demo database only: `anju demo` refuses to overwrite anything that is not one.
demo: $(STAMP)
	$(BIN)/anju demo --db $(DB) --force

# ensure-admin prints a one-time password only when the database has no administrator yet.
run: $(STAMP) $(DB)
	$(BIN)/anju user --db $(DB) ensure-admin
	ANJU_DB=$(DB) $(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/anju bench --db var/bench.duckdb

# Re-resolve the full dependency set from pyproject.toml into requirements.lock.
lock:
	rm -rf .lockvenv
	$(PY) -m venv .lockvenv
	.lockvenv/bin/python -m pip install --quiet --upgrade pip==25.3
	.lockvenv/bin/python -m pip install --quiet ".[dev]"
	.lockvenv/bin/python -m pip freeze --exclude-editable | grep -v '^anju' > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) var test-artifacts static/vendor .pytest_cache .ruff_cache
