# `make run` sets everything up and extracts the example article; `make test` runs the tests.
# Installs come from requirements.lock (exact versions and hashes); `make lock` updates it
# after a change to the ranges in pyproject.toml; `make test-latest` tries the newest versions
# those ranges allow, in a separate environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LATEST := .venv-latest

.PHONY: setup run test lint score bench lock test-latest

$(BIN)/.installed: pyproject.toml requirements.lock requirements-pip.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

setup: $(BIN)/.installed

run: setup
	$(BIN)/extract corpus/article.txt

lint: setup
	$(BIN)/ruff check pipeline tests tools benchmarks
	$(BIN)/ruff format --check pipeline tests tools benchmarks

test: lint
	$(BIN)/pytest -q

score: setup
	$(BIN)/python ../shared/tools/score.py ../shared/devset
	$(BIN)/python ../shared/tools/score.py ../shared/devset-sy

bench: setup
	$(BIN)/python benchmarks/bench.py

lock: setup
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command "make lock" -o requirements.lock

test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[dev]'
	$(LATEST)/bin/pip list --format freeze > $(LATEST)/versions.txt
	$(LATEST)/bin/pytest -q
