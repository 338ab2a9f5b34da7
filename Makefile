# Quick start: `make demo` answers a question against the bundled knowledge base; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench figures clean system-tools

# Debian packages the tests use: a headless browser for the HTML graph, rapper to read the RDF exports,
# Virtuoso as a second SPARQL server, Java for the HermiT reasoner, biber to validate the BibTeX, Node.js and npm
# for the npm checkers below
SYSTEM_TOOLS := /usr/bin/chromium:chromium /usr/bin/rapper:raptor2-utils /usr/bin/virtuoso-t:virtuoso-opensource-7-bin \
	/usr/bin/java:default-jre-headless /usr/bin/biber:biber /usr/bin/node:nodejs /usr/bin/npm:npm
APT := apt-get -o DPkg::Lock::Timeout=600 -q
# Independent checkers the tests run, kept apart from the package's own environment:
# rocrate-validator pins rich<14, which import-linter cannot use; QUDT's unit list and jsonld.js come from npm
TOOLS := build/tools
ROCRATE_VALIDATOR := roc-validator==0.13.0
NPM_TOOLS := @qudtlib/allunits@7.1.0 jsonld@9.0.0

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
	$(BIN)/sackg plot cycle-life -o docs/cycle-life.png
	$(BIN)/sackg plot overpotential -o docs/overpotential.png
	$(BIN)/sackg plot nucleation -o docs/nucleation.png
	$(BIN)/sackg plot binding-energy -o docs/binding-energy.png
	$(BIN)/sackg plot gaps -o docs/gaps.png

bench: $(BIN)/sackg-installed
	$(BIN)/python benchmarks/cold_ask.py --out benchmarks/cold-ask.md
	$(BIN)/python benchmarks/run.py --out benchmarks/results.md
	$(BIN)/python benchmarks/curator.py --papers 250 1000 4000 --out benchmarks/curator.md
	$(BIN)/python benchmarks/viz_layout.py --sizes 300 1000 3000 --out benchmarks/viz-layout-now.md

system-tools:
	@missing="$(foreach t,$(SYSTEM_TOOLS),$(if $(wildcard $(firstword $(subst :, ,$(t)))),,$(lastword $(subst :, ,$(t)))))"; \
	if [ -n "$$(echo $$missing)" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(APT) update >/dev/null && DEBIAN_FRONTEND=noninteractive $(APT) install -y $$missing >/dev/null; \
	fi

$(TOOLS)/installed: Makefile
	test -x $(TOOLS)/venv/bin/python || $(PYTHON) -m venv $(TOOLS)/venv
	$(TOOLS)/venv/bin/python -m pip install -q $(ROCRATE_VALIDATOR)
	npm install -s --prefix $(TOOLS)/node --no-audit --no-fund --no-save $(NPM_TOOLS)
	touch $@

test: $(BIN)/sackg-installed system-tools $(TOOLS)/installed
	$(BIN)/python -m pytest -q -n 2 --durations=20

clean:
	rm -rf $(VENV) build dist *.egg-info
