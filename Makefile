# Business Region Örebro analysis workbook: the front door for those who have make.
# Every target calls tasks.py (`python tasks.py report` works the same without make, on
# Windows too): it creates .venv on first use, bootstraps there the uv that pyproject.toml's
# required-version names, and installs exactly what uv.lock pins, only what the task needs.
PYTHON ?= python3
PERIOD ?=
DATA ?= data/example
# pytest-xdist workers for the full suite (each test module stays on one worker).
JOBS ?= 2
# V=1 shows the installation's details.
TASKS = $(PYTHON) tasks.py $(if $(V),-v)

.PHONY: report test test-fast lint format lock hooks notebook-filter lab validate example-data bench backtest clean help

help:
	@$(TASKS) help

report:
	@$(TASKS) report --data $(DATA) $(if $(PERIOD),--period $(PERIOD))

test:
	@$(TASKS) test --jobs $(JOBS)

test-fast:
	@$(TASKS) test-fast --jobs $(JOBS)

lint:
	@$(TASKS) lint

format:
	@$(TASKS) format

lock:
	@$(TASKS) lock

hooks:
	@$(TASKS) hooks

notebook-filter:
	@$(TASKS) notebook-filter

lab:
	@$(TASKS) lab

validate:
	@$(TASKS) validate --data $(DATA)

example-data:
	@$(TASKS) example-data

bench:
	@$(TASKS) bench

backtest:
	@$(TASKS) backtest

clean:
	@$(TASKS) clean
