# Business Region Örebro analysis workbook.
# `make report` and `make test` create the virtual environment on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PERIOD ?=
DATA ?= data/example

.PHONY: report test lab validate example-data bench clean help

help:
	@echo "make report        run every notebook for the default period on $(DATA) -> outputs/"
	@echo "make report PERIOD=2026-08 DATA=path/to/data"
	@echo "make test          run the test suite"
	@echo "make lab           open JupyterLab on notebooks/"
	@echo "make validate      check every table in $(DATA)"
	@echo "make example-data  regenerate data/example/ from its seeded generator"
	@echo "make bench         run the performance benchmark"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/bro-analysis run --data $(DATA) $(if $(PERIOD),--period $(PERIOD))

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

validate: $(STAMP)
	$(BIN)/bro-analysis validate --data $(DATA)

example-data: $(STAMP)
	$(BIN)/bro-analysis example-data --out data/example

bench: $(STAMP)
	$(BIN)/python -m bro_analysis.benchmark

clean:
	rm -rf outputs .pytest_cache
