# Two entry points a user needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE ?= samples/outsourced-estore.ecomraci.json

.PHONY: install run test bench schema clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test,gui]'

run: install
	$(BIN)/python -m ui $(SAMPLE)

test: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/load_check.py

schema: install
	$(BIN)/python -m ecomraci.schema docs/model.schema.json

clean:
	rm -rf $(VENV) build *.egg-info
