# Two entry points a user needs: `make run` and `make test` (which runs `make check`,
# the static checks, first).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE ?= samples/outsourced-estore.ecomraci.json
# Python code that ruff lints and formats
CODE   := ecomraci ui tests bench samples

.PHONY: install run check test bench schema clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test,gui]'

run: install
	$(BIN)/python -m ui $(SAMPLE)

# Lint, format, types of the core, import contracts (pyproject.toml configures each).
check: install
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/mypy ecomraci
	$(BIN)/lint-imports

test: check
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/load_check.py
	$(BIN)/python bench/edit_latency.py

schema: install
	$(BIN)/python -m ecomraci.schema docs/model.schema.json

clean:
	rm -rf $(VENV) build *.egg-info
