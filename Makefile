# Two commands on a fresh machine with Python 3.11+ and make:
#   make try    installs into .venv and diagnoses the bundled sample log
#   make test   installs into .venv (with test tools) and runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: try test install install-dev lint bench index clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

try: install
	$(BIN)/badgateway diagnose samples/execution-log-malformed.txt

test: install-dev
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check bot tests benchmarks

bench: install-dev
	$(BIN)/python benchmarks/run.py

index: install
	$(BIN)/badgateway kb index

clean:
	rm -rf $(VENV) build *.egg-info
