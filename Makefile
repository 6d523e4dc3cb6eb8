# `make run` sets everything up and extracts the example article; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint score bench

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
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

bench: setup
	$(BIN)/python benchmarks/bench.py
