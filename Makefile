# Every target sets up .venv itself when it is missing (needs only Python >= 3.10 and make).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: report test lint docs bench clean venv

report: $(STAMP)  ## the main job: the contracting-link report with and without transparency
	$(BIN)/gametheory-aid report

test: lint  ## lint, then unit, property, contract, CLI and docstring tests, the proofs, branch coverage
	$(BIN)/python -m pytest -n 2 -q --cov --cov-report=term

lint: $(STAMP)  ## ruff (rules and line length in pyproject.toml)
	$(BIN)/ruff check .

docs: $(STAMP)  ## build the documentation (warnings are errors)
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

bench: $(STAMP)  ## run the benchmarks by hand
	$(BIN)/python benchmarks/run.py

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) docs/_build .pytest_cache .hypothesis
