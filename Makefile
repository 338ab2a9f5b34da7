# Quick start: `make demo` answers a question against the bundled knowledge base; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test clean

$(BIN)/sackg-installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

demo: $(BIN)/sackg-installed
	$(BIN)/sackg show ZnSA-N-C

test: $(BIN)/sackg-installed
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build dist *.egg-info
