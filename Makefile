# Two commands on a fresh machine with Python 3.11+ and make:
#   make try    installs into .venv, diagnoses the bundled sample log and runs the demo
#   make test   installs into .venv (with test tools) and runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: try test install install-dev lint bench index clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[demo]'

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

try: install
	$(BIN)/badgateway diagnose samples/execution-log-malformed.txt
	@echo
	$(BIN)/badgateway demo

test: install-dev
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/mypy --ignore-missing-imports --follow-imports=silent bot/core bot/render bot/cli.py \
		bot/inputs.py bot/bigfile.py bot/commands/diagnose.py bot/commands/quick.py bot/commands/kb.py bot/commands/validate_response.py \
		bot/scan

bench: install-dev
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/live_checks.py
	$(BIN)/python benchmarks/cold_start.py
	$(BIN)/python benchmarks/big_logs.py

index: install-dev
	$(BIN)/badgateway kb build
	$(BIN)/badgateway kb index

clean:
	rm -rf $(VENV) build *.egg-info
