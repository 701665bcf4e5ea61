# One way to run things: these are the targets CI calls too.
# The first target that needs Python bootstraps .venv at the repo root from constraints.txt.

PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_FAST := -m "not integration and not e2e and not crash"

.PHONY: setup lock fmt lint crds check-crds test test-integration test-all bench demo check clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Re-resolve every pinned version (needs network); commit the result.
lock: $(STAMP)
	$(BIN)/python -m pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra sandbox --python-version 3.11 \
		--no-header --output-file constraints.txt

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

crds: $(STAMP)
	$(BIN)/flinkop crds generate

check-crds: $(STAMP)
	$(BIN)/flinkop crds generate --check

# Unit and Temporal tests. pytest exits 5 when it collects nothing: that is a failure here.
test: $(STAMP)
	$(BIN)/pytest $(PYTEST_FAST) $(PYTEST_ARGS)

# Real clients (kubectl, the kubernetes client, Flink's native client) against the sandbox.
# Downloads a Flink distribution once into ~/.cache/flinkop (override with FLINKOP_CACHE).
test-integration: $(STAMP)
	$(BIN)/pytest -m integration $(PYTEST_ARGS)

test-all: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/apiserver.py

demo: $(STAMP)
	$(BIN)/flinkop crds generate --check
	$(BIN)/flinkop validate -f examples/
	$(BIN)/flinkop inspect -f examples/

check: lint check-crds test

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
