"""The same answers on Virtuoso 7.2 (Debian's virtuoso-opensource), with the knowledge base in a named graph of a shared server."""

import json
from pathlib import Path

import pytest
import test_templates as golden
import yaml
from conftest import FIXTURES
from test_backends import QUESTIONS, normal
from virtuoso import Virtuoso

from kg.cli.commands import main
from kg.engine.opening import open_kb, open_store
from kg.engine.templates import run, template, template_names

MINI, BUNDLED, OTHER = "https://example.org/sackg/mini", "https://example.org/sackg", "https://example.org/someone-else"
BLIND = [q["question"] for name in ("16a", "16b")
         for q in yaml.safe_load((Path(__file__).parent / "blind" / f"questions_{name}.yaml").read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, isolated_cache):
    from click.testing import CliRunner

    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    runner = CliRunner()
    try:
        for data, graph in ((FIXTURES / "mini", MINI), (None, BUNDLED), (FIXTURES / "mini", OTHER)):
            args = (["--data", str(data)] if data else []) + ["--graph", graph, "push", "--endpoint", server.url,
                                                              "--store-url", server.store_url]
            result = runner.invoke(main, args)
            expected = len(open_kb(data))
            assert (result.exit_code, result.output) == (0, f"{server.url}, graph <{graph}>: {expected} triples loaded\n")
        yield server
    finally:
        server.stop()


def at(server, graph):
    return ["--endpoint", server.url, "--graph", graph]


def spaced(rows):
    """Rows with IRI lists joined by spaces (graph_* templates) in one order."""
    return [{k: " ".join(sorted(v.split(" "))) if isinstance(v, str) and v.startswith("http") else v
             for k, v in row.items()} for row in rows]


@pytest.mark.parametrize("name,bindings,columns,expected", golden.GOLDEN, ids=[f"{g[0]}-{i}" for i, g in enumerate(golden.GOLDEN)])
def test_every_template_gives_the_same_rows_on_virtuoso(virtuoso, name, bindings, columns, expected):
    reference = normal(run(open_kb(FIXTURES / "mini"), name, **bindings)[1], name)
    server = open_store("endpoint", endpoint=virtuoso.url, graph=MINI)
    assert normal(run(server, name, **bindings)[1], name) == reference


@pytest.mark.parametrize("name", [n for n in template_names() if not template(n).params])
def test_every_template_without_parameters_gives_the_bundled_rows_on_virtuoso(virtuoso, name):
    embedded = open_kb()
    server = open_store("endpoint", endpoint=virtuoso.url, graph=BUNDLED)
    assert normal(spaced(run(server, name)[1]), name) == normal(spaced(run(embedded, name)[1]), name)


def test_only_the_named_graph_is_read(runner, virtuoso):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for graph, data in ((MINI, FIXTURES / "mini"), (BUNDLED, None)):
        result = runner.invoke(main, [*at(virtuoso, graph), "query", "--sparql", count, "--format", "json"])
        assert json.loads(result.output)["rows"] == [{"n": len(open_kb(data))}]
    everything = runner.invoke(main, ["--endpoint", virtuoso.url, "query", "--sparql", count, "--format", "json"])
    assert json.loads(everything.output)["rows"][0]["n"] > len(open_kb()) + 2 * len(open_kb(FIXTURES / "mini"))


def _answers(runner, args):
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("question", QUESTIONS + BLIND)
def test_ask_is_the_same_on_virtuoso(runner, virtuoso, question):
    embedded = _answers(runner, ["ask", question, "--format", "json"])
    served = _answers(runner, [*at(virtuoso, BUNDLED), "ask", question, "--format", "json"])
    assert served == embedded


@pytest.mark.parametrize("command", [["show", "ZnSA-N-C"], ["show", "SA-Co@HC"], ["analyze", "gaps"], ["analyze", "rank", "cycle life"],
                                     ["analyze", "rank", "binding energy", "--metal", "Li"], ["analyze", "central"],
                                     ["analyze", "cocitation"], ["stats"]], ids=" ".join)
def test_show_and_analyze_are_the_same_on_virtuoso(runner, virtuoso, command):
    embedded = _answers(runner, [*command, "--format", "json"])
    served = _answers(runner, [*at(virtuoso, BUNDLED), *command, "--format", "json"])
    if command[0] == "show":  # lists inside a fact may come in another order
        embedded, served = ({k: sorted(json.dumps(x, sort_keys=True) for x in v) if isinstance(v, list) else v
                             for k, v in d.items()} for d in (embedded, served))
    assert served == embedded


def test_viz_draws_the_same_graph_on_virtuoso(runner, virtuoso, tmp_path):
    pages = []
    for i, store in enumerate(([], at(virtuoso, BUNDLED))):
        out = tmp_path / f"g{i}.html"
        result = runner.invoke(main, [*store, "viz", "-o", str(out)])
        assert result.exit_code == 0, result.output
        pages.append(out.read_text())
    assert pages[1] == pages[0]


@pytest.mark.parametrize("kind", ["cycle-life", "overpotential", "nucleation", "binding-energy", "gaps"])
def test_plots_are_the_same_picture_on_virtuoso(runner, virtuoso, tmp_path, kind):
    pictures = []
    for i, store in enumerate(([], at(virtuoso, BUNDLED))):
        out = tmp_path / f"p{i}.svg"
        result = runner.invoke(main, [*store, "plot", kind, "-o", str(out)])
        assert result.exit_code == 0, result.output
        pictures.append(out.read_bytes())
    assert pictures[1] == pictures[0]
