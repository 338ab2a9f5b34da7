# Quick start: `make demo` answers a question against the bundled knowledge base; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench figures clean system-tools

# Debian packages the tests use: a headless browser for the HTML graph, rapper to read the RDF exports
SYSTEM_TOOLS := /usr/bin/chromium:chromium /usr/bin/rapper:raptor2-utils
APT := apt-get -o DPkg::Lock::Timeout=600 -q

$(BIN)/sackg-installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

demo: $(BIN)/sackg-installed
	$(BIN)/sackg ask "which mechanisms are supported for Na?"

figures: $(BIN)/sackg-installed
	$(BIN)/sackg viz -o $(CURDIR)/docs/sackg-graph.html
	$(BIN)/python docs/screenshot.py $(CURDIR)/docs/sackg-graph.html docs/graph.png
	rm docs/sackg-graph.html
	$(BIN)/sackg plot gaps -o docs/gaps.png
	$(BIN)/sackg plot nucleation -o docs/nucleation.png
	$(BIN)/sackg plot cycle-life -o docs/cycle-life.png

bench: $(BIN)/sackg-installed
	$(BIN)/python benchmarks/cold_ask.py --out benchmarks/cold-ask.md
	$(BIN)/python benchmarks/run.py --out benchmarks/results.md
	$(BIN)/python benchmarks/curator.py --papers 250 1000 4000 --out benchmarks/curator.md

system-tools:
	@missing="$(foreach t,$(SYSTEM_TOOLS),$(if $(wildcard $(firstword $(subst :, ,$(t)))),,$(lastword $(subst :, ,$(t)))))"; \
	if [ -n "$$(echo $$missing)" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(APT) update >/dev/null && DEBIAN_FRONTEND=noninteractive $(APT) install -y $$missing >/dev/null; \
	fi

test: $(BIN)/sackg-installed system-tools
	$(BIN)/python -m pytest -q -n 2 --durations=20

clean:
	rm -rf $(VENV) build dist *.egg-info
