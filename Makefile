# Business Region Örebro analysis workbook: the front door.
# `make report` and `make test` create .venv on first use and install exactly what
# uv.lock pins (uv, at the version pyproject.toml requires, is bootstrapped into .venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := $(shell sed -n 's/^required-version = "==\(.*\)"/\1/p' pyproject.toml)
STAMP := $(VENV)/.installed-stamp
PERIOD ?=
DATA ?= data/example
# pytest-xdist workers for the full suite (each test module stays on one worker).
JOBS ?= 2

.PHONY: report test test-fast lint format typecheck lock hooks notebook-filter lab validate example-data bench backtest clean help

help:
	@echo "make report        run every notebook for the default period on $(DATA) -> outputs/"
	@echo "make report PERIOD=2026-08 DATA=path/to/data"
	@echo "make test          the full test suite (what CI runs)"
	@echo "make test-fast     the quick tier: no kernels, no browser"
	@echo "make lint          ruff check, ruff format --check and mypy"
	@echo "make format        ruff format and the safe ruff fixes"
	@echo "make lock          refresh uv.lock to the newest versions pyproject.toml allows"
	@echo "make hooks         install the pre-commit hooks (ruff, notebooks without outputs)"
	@echo "make lab           open JupyterLab on notebooks/"
	@echo "make validate      check every table in $(DATA)"
	@echo "make example-data  regenerate data/example/ from its seeded generator"
	@echo "make bench         run the performance benchmark"
	@echo "make backtest      replay every month's forecasts against the year's actual end"

$(UV):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installerar uv $(UV_VERSION) i $(VENV) …"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)" 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
	@test -x $(UV)

# Everything the lock pins (the package, its test extra and the developer tools), exactly.
$(STAMP): $(UV) uv.lock pyproject.toml
	@echo "Installerar beroendena exakt enligt uv.lock …"
	$(UV) sync --locked --all-extras --python $(BIN)/python
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/bro-analysis run --data $(DATA) $(if $(PERIOD),--period $(PERIOD))

test: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e" -n $(JOBS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(UV)
	$(UV) lock --upgrade

hooks: $(STAMP) notebook-filter
	$(BIN)/pre-commit install

# git strips notebook outputs on staging (.gitattributes): working in Lab never dirties a notebook.
notebook-filter: $(STAMP)
	git config filter.nbstripout.clean "'$(abspath $(BIN))/nbstripout' --keep-id"
	git config filter.nbstripout.smudge cat

lab: $(STAMP) notebook-filter
	$(BIN)/jupyter lab notebooks/

validate: $(STAMP)
	$(BIN)/bro-analysis validate --data $(DATA)

example-data: $(STAMP)
	$(BIN)/bro-analysis example-data --out data/example

bench: $(STAMP)
	$(BIN)/python -m bro_analysis.running.benchmark

backtest: $(STAMP)
	$(BIN)/python -m bro_analysis.running.backtest

clean:
	rm -rf outputs .pytest_cache .mypy_cache .ruff_cache
