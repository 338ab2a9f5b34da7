"""The same answers on every back-end: the embedded store, an rdflib graph and a real Oxigraph server."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import test_templates as golden
from conftest import FIXTURES

from kg.cli.commands import main
from kg.engine.opening import open_kb, open_store
from kg.engine.templates import run
from kg.publish.serve import start


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def mini_server(isolated_cache):
    process, url = start(open_kb(FIXTURES / "mini").path, free_port())
    yield url
    process.terminate()
    process.wait(timeout=10)


def normal(rows, name):
    from kg.engine.templates import template

    lists = set(template(name).lists) | {"names", "systems", "kinds", "alkali_metals", "references", "concerns"}
    out = []
    for row in rows:
        out.append(tuple(sorted((k, "; ".join(sorted(v.split("; "))) if k in lists and isinstance(v, str) else number(v))
                                for k, v in row.items())))
    return sorted(out, key=repr)


def number(value):
    """A number as every engine gives it: Virtuoso writes doubles with six significant digits."""
    from decimal import Decimal

    if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
        return float(f"{float(value):.6g}")
    return value


@pytest.mark.parametrize("name,bindings,columns,expected", golden.GOLDEN, ids=[f"{g[0]}-{i}" for i, g in enumerate(golden.GOLDEN)])
def test_every_template_gives_the_same_rows_on_all_three_back_ends(mini_server, name, bindings, columns, expected):
    embedded = open_kb(FIXTURES / "mini")
    rdflib_graph = open_store("rdflib", FIXTURES / "mini")
    server = open_store("endpoint", endpoint=mini_server)
    reference = normal(run(embedded, name, **bindings)[1], name)
    assert normal(run(rdflib_graph, name, **bindings)[1], name) == reference
    assert normal(run(server, name, **bindings)[1], name) == reference


def test_the_facts_are_the_same_on_all_three_back_ends(mini_server):
    stores = [open_kb(FIXTURES / "mini"), open_store("rdflib", FIXTURES / "mini"), open_store("endpoint", endpoint=mini_server)]
    found = [normal(run(store, "facts")[1], "facts") for store in stores]
    assert len(found[0]) == 158 and found[1] == found[0] and found[2] == found[0]


QUESTIONS = ["which mechanisms are supported for Na?", "what did SEM show on the bare LNCP substrate after Li plating?",
             "what is desolvation?", "lowest nucleation overpotential for K?",
             "Na systems with cycle life over 900 h", "tell me about SA-Co@HC", "which mechanisms have no evidence yet for K?",
             "compare ZnSA-N-C and Co_SA@NC on nucleation overpotential", "how many systems per metal?"]


def json_of(runner, *args):
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def sorted_rows(out):
    return sorted(json.dumps(r, sort_keys=True) for r in out["rows"])


@pytest.mark.parametrize("question", QUESTIONS)
def test_ask_is_the_same_on_every_back_end(runner, bundled_server, question):
    answers = [json_of(runner, *store, "ask", question, "--format", "json")
               for store in ([], ["--store", "rdflib"], ["--endpoint", bundled_server])]
    assert sorted_rows(answers[1]) == sorted_rows(answers[0]) and sorted_rows(answers[2]) == sorted_rows(answers[0])
    assert answers[1]["note"] == answers[0]["note"] == answers[2]["note"]


@pytest.mark.parametrize("command", [["show", "ZnSA-N-C", "--format", "json"], ["analyze", "gaps", "--format", "json"],
                                     ["analyze", "rank", "cycle life", "--format", "json"], ["stats", "--format", "json"]])
def test_show_and_analyze_are_the_same_on_every_back_end(runner, bundled_server, command):
    outputs = [runner.invoke(main, [*store, *command]) for store in ([], ["--store", "rdflib"], ["--endpoint", bundled_server])]
    assert [o.exit_code for o in outputs] == [0, 0, 0]
    decoded = [json.loads(o.output) for o in outputs]
    canon = [json.dumps(d, sort_keys=True) for d in decoded]
    if command[0] == "show":  # lists inside the rows may come in another order
        canon = [json.dumps({k: sorted(json.dumps(x, sort_keys=True) for x in v) if isinstance(v, list) else v
                             for k, v in d.items()}, sort_keys=True) for d in decoded]
    assert canon[1] == canon[0] and canon[2] == canon[0]


def test_viz_draws_the_same_graph_on_every_back_end(runner, bundled_server, tmp_path):
    pages = []
    for i, store in enumerate(([], ["--store", "rdflib"], ["--endpoint", bundled_server])):
        out = tmp_path / f"g{i}.html"
        assert runner.invoke(main, [*store, "viz", "-o", str(out)]).exit_code == 0
        pages.append(out.read_text())
    assert pages[1] == pages[0] and pages[2] == pages[0]


@pytest.mark.parametrize("kind", ["cycle-life", "overpotential", "nucleation", "binding-energy", "gaps"])
def test_plots_are_the_same_picture_on_every_back_end(runner, bundled_server, tmp_path, kind):
    pictures = []
    for i, store in enumerate(([], ["--store", "rdflib"], ["--endpoint", bundled_server])):
        out = tmp_path / f"p{i}.svg"
        result = runner.invoke(main, [*store, "plot", kind, "-o", str(out)])
        assert result.exit_code == 0, result.output
        pictures.append(out.read_bytes())
    assert pictures[1] == pictures[0] and pictures[2] == pictures[0]


# ---------------------------------------------------------------- errors from an endpoint


class _Quiet(BaseHTTPRequestHandler):
    def answer(self, body: bytes, kind: str = "application/sparql-results+json"):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Handler(_Quiet):
    def do_POST(self):  # noqa: N802
        if self.server.mode == "slow":
            time.sleep(3)
        self.answer(b"<html><body>hello</body></html>", "text/html")


@pytest.fixture()
def fake_server():
    servers = []

    def make(mode):
        server = HTTPServer(("127.0.0.1", 0), _Handler)
        server.mode = mode
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/query"

    yield make
    for server in servers:
        server.shutdown()


def test_endpoint_errors_are_one_line(runner, mini_server, fake_server, monkeypatch):
    port = free_port()
    refused = f"http://127.0.0.1:{port}/query"
    result = runner.invoke(main, ["--endpoint", refused, "stats"])
    assert (result.exit_code, result.output) == (1, f"Error: {refused}: connection refused\n")

    html = fake_server("html")
    result = runner.invoke(main, ["--endpoint", html, "stats"])
    assert (result.exit_code, result.output) == (
        1, f"Error: {html}: not a SPARQL endpoint (the answer is not SPARQL JSON results)\n")

    monkeypatch.setenv("SACKG_TIMEOUT", "1")
    slow = fake_server("slow")
    result = runner.invoke(main, ["--endpoint", slow, "stats"])
    assert (result.exit_code, result.output) == (1, f"Error: {slow}: timed out after 1 s\n")

    missing = mini_server.replace("/query", "/nowhere")
    result = runner.invoke(main, ["--endpoint", missing, "stats"])
    assert result.exit_code == 1 and result.output.startswith(f"Error: {missing}: HTTP 404")

    result = runner.invoke(main, ["--endpoint", mini_server, "query", "--sparql", "SELECT ?x WHERE { ?x ?y }"])
    assert result.exit_code == 1 and result.output.startswith("Error: invalid SPARQL:") and len(result.output.splitlines()) == 1

    result = runner.invoke(main, ["--endpoint", "ftp://example/query", "stats"])
    assert (result.exit_code, result.output) == (1, "Error: ftp://example/query: not an http(s) URL\n")


def test_an_injection_in_a_bound_value_stays_one_term(mini_server):
    from kg.engine.binding import with_values
    from kg.model.terms import Iri

    server = open_store("endpoint", endpoint=mini_server)
    query = "SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    _, rows = server.select(query, {"label": 'x" } UNION { ?s ?p ?label } #'})
    assert rows == []
    with pytest.raises(Exception, match="not a valid IRI"):
        with_values(query, {"s": Iri("http://x> } UNION { ?a ?b ?c")})


# ---------------------------------------------------------------- serve and push


def _ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a shell's background job inherits it


@pytest.mark.parametrize("stop,inherited", [(signal.SIGINT, None), (signal.SIGINT, _ignore_sigint), (signal.SIGTERM, None)],
                         ids=["ctrl-c", "ctrl-c-in-background-job", "sigterm"])
def test_serve_starts_answers_and_stops_on_ctrl_c(isolated_cache, stop, inherited):
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "--data", str(FIXTURES / "mini"), "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=inherited,
                               start_new_session=True)  # its own process group, to clean up after a failure
    try:
        first = process.stdout.readline()
        assert first == f"SAC-KG SPARQL endpoint: http://127.0.0.1:{port}/query (read-only); Ctrl-C stops it\n"
        assert process.stdout.readline() == f"Query page for a browser: http://127.0.0.1:{port}/\n"
        server = open_store("endpoint", endpoint=f"http://127.0.0.1:{port}/query")
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:  # Oxigraph's query page
            assert page.status == 200 and page.headers.get_content_type() == "text/html"
        everything = next(g[1] for g in golden.GOLDEN if g[0] == "count_systems" and g[3] == [(3,)])
        assert run(server, "count_systems", **everything)[1][0]["count"] == 3
        with pytest.raises(Exception):  # read-only: an update is refused
            import urllib.request

            urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/update", data=b"CLEAR ALL",
                                                          headers={"Content-Type": "application/sparql-update"}), timeout=5)
    finally:
        process.send_signal(stop)
        try:
            out, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the server too
            raise
    assert process.returncode == 0, err
    assert out == "stopped\n" and "Traceback" not in err


def test_push_loads_the_knowledge_base_into_a_server(runner, tmp_path):
    port = free_port()
    from kg.publish.serve import oxigraph_binary

    server = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        result = runner.invoke(main, ["--data", str(FIXTURES / "mini"), "push", "--endpoint", url])
        expected = len(open_kb(FIXTURES / "mini"))
        assert (result.exit_code, result.output) == (0, f"{url}: {expected} triples loaded\n")
        answer = json_of(runner, "--endpoint", url, "ask", "which mechanisms are supported for Na?", "--format", "json")
        assert [r["mechanism"] for r in answer["rows"]] == ["ion transport", "nucleation"]
    finally:
        server.terminate()
        server.wait(timeout=10)


# ---------------------------------------------------------------- the protocol every SPARQL 1.1 server accepts


class _Recorder(_Quiet):
    """Answers every query with no rows, keeping what was sent."""

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append((self.headers["Content-Type"], self.headers["Accept"], body.decode("ascii")))
        answer = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "7", ' \
                 b'"datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}'
        if body == b"query=ASK+%7B%7D":  # the first request of a command: which server is this?
            answer = b'{"head": {}, "boolean": true}'
        self.answer(answer)


def test_queries_are_sent_form_encoded_and_read_only_the_named_graph(runner):
    import urllib.parse

    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    server.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        for args in (["--graph", "https://example.org/sackg"], []):
            result = runner.invoke(main, ["--endpoint", url, *args, "query", "--sparql", "SELECT ?n WHERE { }", "--format", "csv"])
            assert (result.exit_code, result.output) == (0, "n\n7\n")
    finally:
        server.shutdown()
    asked, (kind, accept, body), _, (_, _, plain) = server.seen
    assert asked[2] == "query=ASK+%7B%7D"
    assert kind == "application/x-www-form-urlencoded" and accept.startswith("application/sparql-results+json")
    assert urllib.parse.parse_qs(body) == {"query": ["SELECT ?n WHERE { }"], "default-graph-uri": ["https://example.org/sackg"]}
    assert urllib.parse.parse_qs(plain) == {"query": ["SELECT ?n WHERE { }"]}


@pytest.mark.parametrize("args,message", [
    (["--graph", "not an iri", "--endpoint", "http://127.0.0.1:9/sparql"],
     "--graph not an iri: not an absolute IRI (e.g. https://example.org/sackg)"),
    (["--graph", "https://example.org/g>", "--endpoint", "http://127.0.0.1:9/sparql"],
     "--graph https://example.org/g>: not an absolute IRI (e.g. https://example.org/sackg)"),
    (["--graph", "https://example.org/sackg"],
     "--graph names the knowledge base's graph on a SPARQL server: give --endpoint URL too"),
])
def test_a_bad_graph_is_one_line(runner, args, message):
    result = runner.invoke(main, [*args, "stats"])
    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")


def test_push_names_the_graph_in_the_graph_store_url():
    from kg.engine.backends import graph_store_url, store_url_for

    assert store_url_for("http://h:7878/query") == "http://h:7878/store"
    assert graph_store_url("http://h:7878/store", None) == "http://h:7878/store?default"
    assert graph_store_url("http://h:8890/sparql-graph-crud", "https://example.org/g?x=1") == \
        "http://h:8890/sparql-graph-crud?graph=https%3A%2F%2Fexample.org%2Fg%3Fx%3D1"
    assert graph_store_url("http://h/ds/data?graph=urn:x", "https://example.org/g") == "http://h/ds/data?graph=urn:x"


class _Comunica(_Quiet):
    """Passes queries to the Oxigraph server and answers as Comunica does: a COUNT over an empty group unbound."""

    def do_POST(self):  # noqa: N802
        import urllib.request

        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = urllib.request.Request(self.server.behind, data=body, headers={
            "Content-Type": self.headers["Content-Type"], "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            data = json.load(response)
        for row in data.get("results", {}).get("bindings", []):
            for name in [n for n, term in row.items() if term.get("value") == "0" and term.get("datatype", "").endswith("#integer")]:
                del row[name]
        self.answer(json.dumps(data).encode())


def test_a_count_an_engine_leaves_unbound_over_an_empty_group_is_zero(runner, mini_server):
    server = HTTPServer(("127.0.0.1", 0), _Comunica)
    server.behind = mini_server
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        outputs = [runner.invoke(main, ["--data", str(FIXTURES / "mini"), *store, "analyze", "gaps", "--format", "json"])
                   for store in ([], ["--endpoint", url])]
    finally:
        server.shutdown()
    embedded, served = (json.loads(o.output) for o in outputs)
    zeros = [c for m in embedded["matrices"] for c in m["cells"] if c["count"] == 0]
    assert served == embedded and len(zeros) == 74
