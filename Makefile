# cxlib front door. `make` lists the targets.
SHELL := /bin/bash
# The first interpreter that really runs and is >= 3.11 (pyenv shims can exist for versions that are not active).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { command -v $$p; break; }; done)
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z][a-z_-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.stamp-base: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cxlib needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-base
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

setup: $(VENV)/.stamp-base ## create .venv and install cxlib (done by the other targets when needed)

report: $(VENV)/.stamp-base ## build every report from data/sample/ into reports/ (open reports/index.html)
	$(VENV)/bin/cx-report --config reports.yml --out reports

test: $(VENV)/.stamp-dev ## run every test (unit, notebooks, reports in headless Chromium, realdata when ../shared/datasets exists)
	$(PY) -m pytest $(PYTEST_ARGS)

lab: $(VENV)/.stamp-base ## open the notebooks in JupyterLab
	$(VENV)/bin/jupyter lab notebooks/

sample: $(VENV)/.stamp-base ## regenerate data/sample/ (deterministic, seed 42)
	$(PY) -m cxlib.sample --out data/sample --seed 42

bench: $(VENV)/.stamp-dev ## run the benchmarks in bench/ and print their ratios
	@for f in bench/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

screenshot: $(VENV)/.stamp-dev ## rebuild docs/report.png from a real report (needs chromium)
	$(PY) -m cxlib.report --only 03_touchpoint_importance --out reports
	$(PY) -m cxlib.screenshot reports/03_touchpoint_importance.html docs/report.png --height 2200

clean: ## remove generated reports (keeps .venv)
	rm -rf reports/*.html reports/*.ipynb reports/index.json

.PHONY: help setup report test lab sample bench screenshot clean
