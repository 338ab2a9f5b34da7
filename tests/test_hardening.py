"""Input that must never crash, hang, lose data or be turned into something else (issue 11).

Each case names what is wrong and where in one line, exits non-zero and leaves the data as it was.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from conftest import FIXTURES
from test_curate import WANG, paper, snapshot

from kg.cli.commands import main


@pytest.fixture()
def mini(tmp_path):
    import shutil

    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    return target


M = "{p}:21: measurement 'SACo-HC-test nucleation overpotential': field 'value': "
RANGE = "numbers must be below 10^12 in size, with at most 9 decimal places"
BAD_VALUES = [
    ("30-digit value", ('value: "9 mV"', 'value: "100000000000000000000000000000 mV"'),
     M + f"'100000000000000000000000000000 mV': number out of range ({RANGE})"),
    ("1e400", ('value: "9 mV"', 'value: "1e400 mV"'), M + f"'1e400 mV': number out of range ({RANGE})"),
    ("1e-400", ('value: "9 mV"', 'value: "1e-400 mV"'), M + f"'1e-400 mV': number out of range ({RANGE})"),
    ("5,000 digits", ('value: "9 mV"', 'value: "' + "9" * 5000 + ' mV"'),
     M + "'" + "9" * 79 + f"…': number out of range ({RANGE})"),
    ("negative overpotential", ('value: "9 mV"', 'value: "-9 mV"'),
     M + "-9 is not a plausible nucleation overpotential: it must be at least 0 mV"),
    ("negative current density", ("current density: 1 mA cm-2", "current density: -1 mA cm-2"),
     "{p}:25: measurement 'SACo-HC-test nucleation overpotential': field 'conditions.current density': "
     "-1 is not a plausible current density: it must be at least 0 mA cm⁻²"),
    ("below absolute zero", ("current density: 1 mA cm-2", "temperature: -300 °C"),
     "{p}:25: measurement 'SACo-HC-test nucleation overpotential': field 'conditions.temperature': "
     "-300 is not a plausible temperature: it must be at least -273.15 °C"),
    ("lone surrogate", ('title: "Single-atom', 'title: "bad \\ud800 Single-atom'),
     "{p}:5: field 'title': contains the character U+D800, which is not allowed in text "
     "(control, bidirectional-override or surrogate)"),
    ("escape sequence", ('title: "Single-atom', 'title: "\\e[31m Single-atom'),
     "{p}:5: field 'title': contains the character U+001B, which is not allowed in text "
     "(control, bidirectional-override or surrogate)"),
    ("NUL", ('title: "Single-atom', 'title: "\\0 Single-atom'),
     "{p}:5: field 'title': contains the character U+0000, which is not allowed in text "
     "(control, bidirectional-override or surrogate)"),
    ("right-to-left override", ("  - name: SACo-HC-test", "  - name: \"SACo\u202eHC\""),
     "{p}:10: field 'name': contains the character U+202E, which is not allowed in text "
     "(control, bidirectional-override or surrogate)"),
    ("note too long", ('  title: "Single-atom', '  note: "' + "x" * 10001 + '"\n  title: "Single-atom'),
     "{p}:5: field 'note': text of 10,001 characters; at most 10,000 are allowed"),
    ("file too large", b"reference:\n  note: '" + b"x" * 1_000_000 + b"'\n", "{p}: file is larger than 1,000,000 bytes"),
    ("alias", ("systems:\n", "extra: &a [1]\nsystems:\n  - <<: *a\n"),
     "{p}:11: invalid YAML: aliases (*name) are not accepted; write the value out"),
    ("alias bomb", b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n",
     "{p}:2: invalid YAML: aliases (*name) are not accepted; write the value out"),
    ("deep nesting", b"reference: " + b"[" * 5000 + b"]" * 5000 + b"\n",
     "{p}:1: invalid YAML: nested deeper than 10 levels"),
    ("complex key", b"? [a, b]\n: c\n", "{p}:1: invalid YAML: a key must be a plain name, not a list or mapping"),
    ("python tag", b"reference: !!python/object/apply:os.system ['true']\n",
     "{p}:1: invalid YAML: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object/apply:os.system'"),
    ("id of 101 characters", ("  id: wang-2025-na\n", "  id: " + "w" * 101 + "\n"),
     "{p}:3: reference '" + "w" * 79 + "…': field 'id': use letters, digits, '.', '_' and '-' only "
     "(at most 100, starting with a letter or digit)"),
    ("id with a slash", ("  id: wang-2025-na\n", "  id: ../wang\n"),
     "{p}:3: reference '../wang': field 'id': use letters, digits, '.', '_' and '-' only "
     "(at most 100, starting with a letter or digit)"),
    ("id that folds onto another", ("  id: wang-2025-na\n", "  id: P_Co\n"),
     "{p}:3: reference 'P_Co': field 'id': too close to reference id 'p-co' in data/papers/p-co.yaml: "
     "ids must differ in more than case or punctuation"),
]


@pytest.mark.parametrize("name,broken,expected", BAD_VALUES, ids=[c[0] for c in BAD_VALUES])
def test_values_the_store_cannot_hold_are_refused(runner, mini, tmp_path, name, broken, expected):
    path = paper(tmp_path, raw=broken) if isinstance(broken, bytes) else paper(tmp_path, *broken)
    before = snapshot(mini)
    result = runner.invoke(main, ["--data", str(mini), "add", str(path)])
    assert (result.exit_code, result.output) == (1, "Error: " + expected.format(p=path) + "\n")
    assert snapshot(mini) == before


def test_validate_refuses_what_add_refuses(runner, mini):
    """The same check guards the data directory itself: a hand-edited file cannot break the store."""
    target = mini / "papers" / "p-co.yaml"
    text = target.read_text()
    assert "value: 2 mV" in text
    target.write_text(text.replace("value: 2 mV", "value: 1e400 mV"))
    line = text[:text.index("value: 2 mV")].count("\n") + 1
    result = runner.invoke(main, ["--data", str(mini), "validate"])
    assert result.exit_code == 1
    assert f"data/papers/p-co.yaml:{line}:" in result.output and "number out of range" in result.output
    for command in (["stats"], ["ask", "how many systems per metal?"], ["show", "TestCo@HC"]):
        result = runner.invoke(main, ["--data", str(mini), *command])
        assert result.exit_code == 1 and "number out of range" in result.output, command


def test_two_ids_of_one_file_in_one_add_are_refused(runner, mini, tmp_path):
    first = tmp_path / "dup_2025.yaml"
    second = tmp_path / "dup-2025.yaml"
    first.write_text(WANG.read_text().replace("wang-2025-na", "dup_2025"))
    second.write_text(WANG.read_text().replace("wang-2025-na", "dup-2025").replace("SACo-HC-test", "SACo-HC-two")
                      .replace("10.1002/adfm.202500001", "10.1002/adfm.202500002"))
    before = snapshot(mini)
    result = runner.invoke(main, ["--data", str(mini), "add", str(first), str(second)])
    assert (result.exit_code, result.output) == (1, (
        f"Error: {second}:3: reference 'dup-2025': field 'id': reference id 'dup_2025' in {first} would share its "
        "file; ids must differ in more than case or punctuation\n"))
    assert snapshot(mini) == before


def test_add_refuses_links_directories_and_devices(runner, mini, tmp_path):
    link = tmp_path / "link.yaml"
    link.symlink_to("/etc/passwd")
    for path, reason in ((link, "is a symbolic link; give the paper file itself"), (tmp_path, "not a regular file"),
                         ("/dev/zero", "not a regular file")):
        result = runner.invoke(main, ["--data", str(mini), "add", str(path)])
        assert (result.exit_code, result.output) == (1, f"Error: {path}: {reason}\n")


# ---------------------------------------------------------------- endpoints that misbehave

def _json(obj) -> bytes:
    body = json.dumps(obj).encode()
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: %d\r\n\r\n%s" % (
        len(body), body)


XSD = "http://www.w3.org/2001/XMLSchema#"
COUNT = {"head": {"vars": ["label", "count"]}}


def _rows(*bindings):
    return _json({**COUNT, "results": {"bindings": list(bindings)}})


def _drip(conn, data: bytes, pause: float):
    for byte in data:
        conn.sendall(bytes([byte]))
        time.sleep(pause)


# (name, what the server does with each request, the error after "Error: URL: " or the whole error)
ENDPOINT_FAULTS = [
    ("drips its headers", lambda c: _drip(c, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" * 50, 0.2),
     "timed out after 2 s"),
    ("drips its body", lambda c: (c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"),
                                  _drip(c, b"{" * 60, 0.2)), "timed out after 2 s"),
    ("streams without end", lambda c: (c.sendall(b"HTTP/1.1 200 OK\r\n\r\n"),
                                       [(c.sendall(b" " * 65536), time.sleep(0.02)) for _ in range(400)]),
     "timed out after 2 s"),
    ("nests deeply", lambda c: c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 400000\r\n\r\n" + b"[" * 200000 + b"]" * 200000),
     "the answer is nested too deeply to be SPARQL JSON results"),
    ("a value of the wrong type", lambda c: c.sendall(_rows({"label": {"type": "literal", "value": 5}})),
     "malformed answer: a value is not an RDF term (an object with a known 'type' and a string 'value')"),
    ("a term without its value", lambda c: c.sendall(_rows({"label": {"type": "uri"}})),
     "malformed answer: a value is not an RDF term (an object with a known 'type' and a string 'value')"),
    ("an unexpected column", lambda c: c.sendall(_rows({"other": {"type": "literal", "value": "x"}})),
     "malformed answer: a row binds '?other', which the answer's head does not list"),
    ("an ill-typed number", lambda c: c.sendall(_rows({"label": {"type": "literal", "value": "x"}, "count": {
        "type": "literal", "datatype": XSD + "integer", "value": "many"}})),
     "malformed answer: ill-typed xsd:integer 'many'"),
    ("a header of 10 MB", lambda c: c.sendall(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 10_000_000 + b"\r\n\r\n"),
     "malformed answer: a header line is too long"),
    ("redirects", lambda c: c.sendall(b"HTTP/1.1 301 Moved\r\nLocation: http://127.0.0.1:9/elsewhere\r\n"
                                      b"Content-Length: 0\r\n\r\n"),
     "HTTP 301: redirected to 'http://127.0.0.1:9/elsewhere' (give that URL with --endpoint)"),
    ("fails with a large page", lambda c: c.sendall(b"HTTP/1.1 500 Oops\r\nContent-Length: 2000000\r\n\r\n"
                                                    b"<html><h1>Internal\x1b[31m failure</h1>\n" + b"x" * 1999962),
     "HTTP 500: Internal\\u001b[31m failure"),
    ("resets mid-answer", lambda c: c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"head\""),
     "the server closed the connection before the answer was complete"),
    ("answers a boolean", lambda c: c.sendall(_json({"head": {}, "boolean": True})),
     "only SELECT queries are supported here"),
    ("answers XML", lambda c: c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+xml\r\n"
                                        b"Content-Length: 9\r\n\r\n<sparql/>"),
     "not a SPARQL endpoint (the answer is not SPARQL JSON results)"),
    ("answers bytes that are not UTF-8", lambda c: c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n\xff\xfe\xfa\x00"),
     "not a SPARQL endpoint (the answer is not SPARQL JSON results)"),
    ("speaks no HTTP", lambda c: c.sendall(b"SSH-2.0-OpenSSH_9.2\r\n"), "malformed answer (BadStatusLine)"),
]


@pytest.fixture()
def misbehaving():
    """A server on 127.0.0.1 that answers each request as it is told; stops with the test."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    state = {"behave": None, "stop": False}

    def serve():
        while not state["stop"]:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    request = b""
                    while b"\r\n\r\n" not in request:
                        request += conn.recv(65536)
                    head, _, body = request.partition(b"\r\n\r\n")
                    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length")), 0)
                    while len(body) < length:
                        body += conn.recv(65536)
                    state["behave"](conn)
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()

    def use(behave):
        state["behave"] = behave
        return f"http://127.0.0.1:{listener.getsockname()[1]}/query"

    yield use
    state["stop"] = True
    listener.close()


@pytest.mark.parametrize("name,behave,expected", ENDPOINT_FAULTS, ids=[c[0] for c in ENDPOINT_FAULTS])
def test_a_misbehaving_endpoint_is_one_line_within_the_time_limit(runner, misbehaving, monkeypatch, name, behave, expected):
    url = misbehaving(behave)
    monkeypatch.setenv("SACKG_TIMEOUT", "2")
    started = time.monotonic()
    result = runner.invoke(main, ["--endpoint", url, "stats"])
    took = time.monotonic() - started
    prefix = "" if expected.startswith("only SELECT") else f"{url}: "
    assert (result.exit_code, result.output) == (1, f"Error: {prefix}{expected}\n")
    assert took < 6


@pytest.mark.parametrize("value", ["abc", "-1", "0", "inf", "nan", "1e99"])
def test_a_bad_timeout_is_one_line(runner, monkeypatch, value):
    monkeypatch.setenv("SACKG_TIMEOUT", value)
    result = runner.invoke(main, ["--endpoint", "http://127.0.0.1:9/query", "stats"])
    assert (result.exit_code, result.output) == (
        1, f"Error: SACKG_TIMEOUT='{value}': expected a number of seconds above 0 and at most 86400\n")


@pytest.mark.parametrize("url,expected", [
    ("http://[::1", "http://[::1: not a valid URL (Invalid IPv6 URL)"),
    ("http://127.0.0.1:99999/query", "http://127.0.0.1:99999/query: not a valid URL (Port out of range 0-65535)"),
    ("http://", "http://: not an http(s) URL"),
    ("http://exa mple/query", "http://exa mple/query: not an http(s) URL"),
    ("file:///etc/passwd", "file:///etc/passwd: not an http(s) URL"),
])
def test_a_malformed_endpoint_url_is_one_line(runner, url, expected):
    result = runner.invoke(main, ["--endpoint", url, "stats"])
    assert (result.exit_code, result.output) == (1, f"Error: {expected}\n")


# ---------------------------------------------------------------- serve and query: time limits, no federation

@pytest.mark.parametrize("query,uses", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", True),
    ("select * where { service silent <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * WHERE { ?a ?b ?c .SERVICE<http://x/>{?s ?p ?o} }", True),
    ("SELECT * WHERE { # a comment }\nSeRvIcE ?endpoint { ?s ?p ?o } }", True),
    ("SELECT * WHERE { ?s ?p \"\\\"\" . SERVICE <http://x/> {} }", True),
    ("SELECT * WHERE { ?s ?p '''it's''' . SERVICE <http://x/> {} }", True),
    ("SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", True),
    ("SELECT ?service WHERE { ?service ?p \"SERVICE <http://x/>\" }", False),
    ("PREFIX service: <http://e/> SELECT * WHERE { ?s service:p <http://e/SERVICE> } # SERVICE", False),
    ("SELECT * WHERE { ?s <http://e/p> '''a SERVICE b''' }", False),
])
def test_service_is_found_wherever_it_can_hide(query, uses):
    from kg.engine.binding import mentions_service

    assert mentions_service(query) is uses


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_refuses_federation_and_foreign_hosts_and_limits_time(isolated_cache):
    import urllib.error
    import urllib.parse
    import urllib.request

    from kg.engine.opening import open_kb
    from kg.publish.serve import start

    server, url = start(open_kb(FIXTURES / "mini").path, _free_port(), timeout=1)
    target = socket.socket()
    target.bind(("127.0.0.1", 0))
    target.listen(1)
    target.settimeout(0.5)
    try:
        def status(query, headers=None, method="GET"):
            data = None
            address = url + "?" + urllib.parse.urlencode({"query": query})
            if method == "POST":
                address, data = url, query.encode()
                headers = {**(headers or {}), "Content-Type": "application/sparql-query"}
            request = urllib.request.Request(address, data=data, headers=headers or {}, method=method)
            try:
                with urllib.request.urlopen(request, timeout=20) as answer:
                    return answer.status, answer.read().decode()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read().decode()

        federated = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{target.getsockname()[1]}/sparql> {{ ?s ?p ?o }} }}"
        for method in ("GET", "POST"):
            code, text = status(federated, method=method)
            assert (code, text) == (403, "SERVICE and LOAD (requests to other addresses) are refused by this "
                                         "server; start it with --allow-federation to allow them\n")
        with pytest.raises(socket.timeout):
            target.accept()  # nothing reached the other address
        assert status("ASK {}", {"Host": "evil.example:80"})[0] == 421
        started = time.monotonic()
        cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        code, _ = status(cartesian)
        assert code >= 500 and time.monotonic() - started < 10
        assert status("ASK { ?s ?p ?o }")[0] == 200
    finally:
        server.terminate()
        target.close()


def test_serve_reports_a_port_in_use_in_one_line(isolated_cache):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        env = {**os.environ, "RUST_BACKTRACE": "1"}
        result = subprocess.run([sys.executable, "-m", "kg.cli", "--data", str(FIXTURES / "mini"), "serve", "--port",
                                 str(port)], capture_output=True, text=True, env=env, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "", f"Error: 127.0.0.1:{port}: the port is already in use (choose another with --port)\n")


CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_query_on_the_embedded_store_has_a_time_limit(runner, monkeypatch, kb):
    monkeypatch.setenv("SACKG_TIMEOUT", "1")
    started = time.monotonic()
    result = runner.invoke(main, ["query", "--sparql", CARTESIAN])
    assert (result.exit_code, result.output) == (1, "Error: the query did not finish within 1 s (SACKG_TIMEOUT)\n")
    assert time.monotonic() - started < 5


def test_query_on_the_embedded_store_stops_on_ctrl_c(isolated_cache, kb):
    import signal

    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", "--sparql", CARTESIAN],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)  # started, store opened, query running
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    assert (process.returncode, out, err.strip()) == (1, "", "Aborted!")


# ---------------------------------------------------------------- exports that stay what they are

def test_exports_cannot_be_turned_into_formulas_or_extra_entries(runner, mini, tmp_path):
    import csv

    import bibtexparser

    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(WANG.read_text()
                       .replace('"10.1002/adfm.202500001"', '"10.5555/x}}@article{injected,title={x}}%"')
                       .replace('["X. Wang", "Y. Li"]', '["A. Smith and B. Jones", "=HYPERLINK(\\"http://e\\")"]')
                       .replace("  - name: SACo-HC-test", "  - name: \"@SUM(1+1)\"\n    synonyms: [SACo-HC-test]"))
    added = runner.invoke(main, ["--data", str(mini), "add", str(hostile)])
    assert added.exit_code == 0, added.output
    bib = tmp_path / "refs.bib"
    assert runner.invoke(main, ["--data", str(mini), "export", "--format", "bibtex", "-o", str(bib)]).exit_code == 0
    library = bibtexparser.parse_string(bib.read_text())
    entry = next(e for e in library.entries if e.key == "wang-2025-na")
    assert [e.key for e in library.entries if e.key == "injected"] == []
    assert entry.fields_dict["doi"].value == "10.5555/x%7D%7D@article%7Binjected,title=%7Bx%7D%7D%"
    assert entry.fields_dict["author"].value == '{A. Smith and B. Jones} and =HYPERLINK("http://e")'
    out = tmp_path / "csv"
    assert runner.invoke(main, ["--data", str(mini), "export", "--format", "csv", "-o", str(out)]).exit_code == 0
    cells = [cell for name in ("systems.csv", "measurements.csv", "references.csv")
             for row in csv.reader((out / name).open(encoding="utf-8")) for cell in row]
    assert "'@SUM(1+1)" in cells and "@SUM(1+1)" not in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not c[1:].replace(".", "").isdigit())]
    rdfxml = tmp_path / "kb.rdf"
    assert runner.invoke(main, ["--data", str(mini), "export", "--format", "rdfxml", "-o", str(rdfxml)]).exit_code == 0
    from xml.dom import minidom

    minidom.parse(str(rdfxml))


def test_rdfxml_that_would_not_parse_is_not_written():
    from kg.model.errors import SackgError
    from kg.publish.rdf import _well_formed_xml

    _well_formed_xml(b"<a>fine</a>")
    with pytest.raises(SackgError, match="would not be well-formed XML"):
        _well_formed_xml(b"<a>\x01</a>")


# ---------------------------------------------------------------- numbers in plain decimal form

def test_tiny_and_exponent_numbers_mean_what_they_say(runner, kb):
    every = runner.invoke(main, ["ask", "Na systems with cycle life over 0 h", "--format", "json"])
    tiny = runner.invoke(main, ["ask", "Na systems with cycle life over 0.0000001 h", "--format", "json"])
    assert every.exit_code == tiny.exit_code == 0
    assert json.loads(tiny.output)["rows"] == json.loads(every.output)["rows"] != []
    query = "SELECT ?x WHERE { BIND(?v + 1 AS ?x) }"
    answers = [runner.invoke(main, [*store, "query", "--sparql", query, "--param", "v=1.5e3", "--format", "csv"]).output
               for store in ([], ["--store", "rdflib"])]
    assert answers == ["x\n1501\n", "x\n1501\n"]


@pytest.mark.parametrize("args,expected", [
    (["ask", "Na systems with cycle life over 1" + "0" * 30 + " h"],
     "'1" + "0" * 30 + "': number out of range (numbers must be below 10^12 in size, with at most 9 decimal places)"),
    (["query", "--sparql", "SELECT ?v WHERE {}", "--param", "v=1e400"],
     "--param v: '1e400': out of range (numbers must be below 10^12 in size, with at most 9 decimal places)"),
    (["ask", "x" * 100_000], "cannot answer '" + "x" * 79 + "…'; closest questions:"),
    (["ask", "mechanisms for\nRb\x1b[2J"], "unknown metal 'Rb\\u001b[2J'; expected 'K', 'Li' or 'Na'"),
    (["show", "\x1b]0;owned\x07"], "unknown entity '\\u001b]0;owned\\u0007'"),
])
def test_echoed_input_is_bounded_and_escaped(runner, kb, args, expected):
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert result.output.startswith("Error: " + expected), result.output
    assert len(result.output.splitlines()) == 1 and len(result.output) < 500
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_invalid_utf8_in_an_argument_is_one_line():
    result = subprocess.run([sys.executable, "-m", "kg.cli", "ask", b"\xff\xfe which?"], capture_output=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (
        1, b"", b"Error: argument 2 (\\udcff\\udcfe which?) is not valid UTF-8 text\n")


# ---------------------------------------------------------------- many processes, one cache, changing data

def test_concurrent_asks_while_the_data_changes_and_papers_come_and_go(tmp_path, mini):
    """8 processes ask at once, each time right after the data changed (so each finds the store stale),
    while `add` and `remove` run; three rounds. Every ask answers, from the old data or the new."""
    env = {**os.environ, "SACKG_CACHE": str(tmp_path / "cache")}
    cli = [sys.executable, "-m", "kg.cli", "--data", str(mini)]
    ask = cli + ["ask", "how many systems per metal?"]

    def answer():
        done = subprocess.run(ask, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    without = answer()
    assert subprocess.run(cli + ["add", str(WANG)], env=env, capture_output=True, timeout=300).returncode == 0
    with_wang = answer()
    assert subprocess.run(cli + ["remove", "wang-2025-na"], env=env, capture_output=True, timeout=300).returncode == 0
    assert with_wang != without
    failures = []
    for change in (["add", str(WANG)], ["remove", "wang-2025-na"], None):
        os.utime(mini / "materials.yaml")  # a new fingerprint: every reader finds the store stale
        askers = [subprocess.Popen(ask, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for _ in range(8)]
        writer = subprocess.Popen(cli + change, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) if change else None
        for process in askers + ([writer] if writer else []):
            out, err = process.communicate(timeout=300)
            if process.returncode != 0 or err or (process is not writer and out not in (without, with_wang)):
                failures.append((process.args[-2:], process.returncode, out[-300:], err[-300:]))
    assert failures == []
    left = sorted(os.listdir(tmp_path / "cache"))
    assert not [name for name in left if ".tmp-" in name or ".trash-" in name], left
    assert len([name for name in left if "." not in name]) <= 3, left  # older stores of this data were pruned


def test_query_json_shows_the_bound_values(runner, kb):
    result = runner.invoke(main, ["query", "--sparql", "SELECT ?v ?m WHERE {}", "--param", "v=1.5e3", "--param",
                                  "m=potassium", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["bindings"] == {
        "m": {"value": "https://w3id.org/sackg/id/element/K", "label": None}, "v": {"value": 1500, "label": None}}


def test_the_cache_keeps_what_is_open_and_removes_what_nobody_needs(tmp_path, mini):
    """Older stores of this data, stores of data that is gone and builds of dead processes go; a store
    that another process holds open, and stores of other data that still exists, stay."""
    from kg.engine import cache

    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    other = tmp_path / "other-data"
    other.mkdir()

    def fake(name, source):
        (cache_dir / name).mkdir()
        (cache_dir / name / cache.COMPLETE).write_text(f"sackg 0\nsource {source}\n")

    fake("kb-older", os.path.realpath(mini))
    fake("kb-held", os.path.realpath(mini))
    fake("kb-gone", str(tmp_path / "deleted-data"))
    fake("kb-other", str(other))
    (cache_dir / "kb-dead.tmp-99999").mkdir()
    (cache_dir / "kb-orphan.lock").write_text("")
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a'); "
                               "fcntl.flock(f, fcntl.LOCK_SH); print('held', flush=True); time.sleep(60)",
                               str(cache_dir / "kb-held.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        env = {**os.environ, "SACKG_CACHE": str(cache_dir)}
        done = subprocess.run([sys.executable, "-m", "kg.cli", "--data", str(mini), "build"], env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    finally:
        holder.kill()
        holder.wait()
    built = os.path.basename(done.stdout.split(" ")[0])
    assert sorted(os.listdir(cache_dir)) == sorted([built, built + ".lock", "kb-held", "kb-held.lock", "kb-other"])


# ---------------------------------------------------------------- found by the first blind probe

@pytest.mark.parametrize("args,expected", [
    (["ask", "which?", "--format", "TABLE"],
     "Invalid value for '--format': 'TABLE' is not one of 'table', 'json', 'csv'. (see 'sackg ask --help')"),
    (["analyze", "cocitation", "--top", "-1"],
     "Invalid value for '--top': -1 is not in the range x>=1. (see 'sackg analyze cocitation --help')"),
    (["nope"], "No such command 'nope'. (see 'sackg --help')"),
    (["--endpoint", "", "stats"], "--endpoint needs a URL (the endpoint's query URL), not an empty text"),
    (["query", "/dev/zero"], "/dev/zero: not a regular file"),
    (["query", "--sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"],
     "SERVICE (federated query) is not run on a local store; query a server that allows it with --endpoint"),
    (["--store", "rdflib", "query", "--sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }"],
     "SERVICE (federated query) is not run on a local store; query a server that allows it with --endpoint"),
    (["--endpoint", "http://127.0.0.1:9/query\r\nX-Evil: 1", "stats"],
     "http://127.0.0.1:9/query\\r\\nX-Evil: 1: not an http(s) URL"),
    (["push", "--endpoint", "http://127.0.0.1:9/query", "--store-url", "file:///etc/hostname"],
     "file:///etc/hostname: not an http(s) URL"),
])
def test_usage_and_argument_errors_are_one_line(runner, kb, args, expected):
    result = runner.invoke(main, args)
    assert (result.exit_code, result.output) == (2 if "--help" in expected else 1, f"Error: {expected}\n")


def test_a_fifo_is_refused_without_blocking(runner, kb, tmp_path):
    fifo = tmp_path / "q.rq"
    os.mkfifo(fifo)
    for command in (["query", str(fifo)], ["validate", str(fifo)], ["add", str(fifo)]):
        result = runner.invoke(main, command)
        prefix = "" if command[0] == "validate" else "Error: "  # validate prints its problems as its answer
        assert (result.exit_code, result.output) == (1, f"{prefix}{fifo}: not a regular file\n"), command


def test_malformed_turtle_is_one_line(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix sac: <https://w3id.org/sackg/ontology#> .\nsac:x sac:y .\n")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1
    assert result.output.startswith(f"Error: {bad}: not valid Turtle: ")


@pytest.mark.parametrize("old,new,expected", [
    ("centre_metals: [Co]", "centre_metals: [~, Co]",
     "{p}:11: system 'SACo-HC-test': field 'centre_metals': an item of the list is empty"),
    ("centre_metals: [Co]", "centre_metals: [[Co]]", "{p}:11: system 'SACo-HC-test': field 'centre_metals': "
     "expected a list of names or numbers (no lists or mappings inside)"),
    ('journal: "Adv. Funct. Mater."', "journal: [a, b]",
     "{p}:6: reference 'wang-2025-na': field 'journal': expected one value, not a list: [a, b]"),
    ("current density: 1 mA cm-2", "current density: [1, mA cm-2]",
     "{p}:25: measurement 'SACo-HC-test nucleation overpotential': field 'conditions.current density': "
     "'[1, 'mA cm-2']' is not a number with a unit (e.g. '29 mV', 'over 900 h')"),
    ('"10.1002/adfm.202500001"', '"10.1002/adfm\\n.202500001"',
     "{p}:8: reference 'wang-2025-na': field 'doi': '10.1002/adfm\\n.202500001' is not a DOI (expected 10.NNNN/suffix)"),
])
def test_fields_of_the_wrong_shape_are_one_line_each(runner, mini, tmp_path, old, new, expected):
    path = paper(tmp_path, old, new)
    before = snapshot(mini)
    result = runner.invoke(main, ["--data", str(mini), "add", str(path)])
    assert (result.exit_code, result.output) == (1, "Error: " + expected.format(p=path) + "\n")
    assert snapshot(mini) == before


def test_a_name_clash_is_reported_in_the_new_paper(runner, mini, tmp_path):
    path = paper(tmp_path, "systems:\n", "materials:\n  - name: TestCo@HC\nsystems:\n")
    result = runner.invoke(main, ["--data", str(mini), "add", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}:10: material 'TestCo@HC': field 'name': 'TestCo@HC' already names "
                                    "system 'TestCo@HC' (data/papers/p-co.yaml:")


def test_a_bibtex_title_cannot_open_a_second_entry(runner, mini, tmp_path):
    import bibtexparser

    path = paper(tmp_path, '"Single-atom Co on hollow carbon for Na anodes"', '"}} @misc{evil, title={x"')
    assert runner.invoke(main, ["--data", str(mini), "add", str(path)]).exit_code == 0
    bib = tmp_path / "refs.bib"
    assert runner.invoke(main, ["--data", str(mini), "export", "--format", "bibtex", "-o", str(bib)]).exit_code == 0
    library = bibtexparser.parse_string(bib.read_text())
    assert library.failed_blocks == [] and "evil" not in [e.key for e in library.entries]
    entry = next(e for e in library.entries if e.key == "wang-2025-na")
    assert entry.fields_dict["title"].value == r"{\textbraceright{}\textbraceright{} @misc\textbraceleft{}evil, title=\textbraceleft{}x}"


def test_a_construct_query_is_one_line(runner, kb):
    result = runner.invoke(main, ["query", "--sparql", "CONSTRUCT WHERE { ?s ?p ?o }"])
    assert (result.exit_code, result.output) == (1, "Error: only SELECT queries are supported here\n")
    done = subprocess.run([sys.executable, "-m", "kg.cli", "query", "--sparql", "CONSTRUCT WHERE { ?s ?p ?o }"],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (1, "Error: only SELECT queries are supported here\n")


@pytest.mark.parametrize("old,new,expected", [
    (None, b"reference:\n  id: ym-1\n  doi: '10.5555/ym'\n  authors: [A]\n  journal: J\n  year: 2024\n"
           b"systems:\n  a: b\n", "{p}:7: field 'systems': expected a list of records"),
    ('value: "9 mV"', "value: [9, mV]",
     "{p}:21: measurement 'SACo-HC-test nucleation overpotential': field 'value': expected one value, not a list: [9, mV]"),
])
def test_a_problem_is_reported_once(runner, mini, tmp_path, old, new, expected):
    path = paper(tmp_path, raw=new) if old is None else paper(tmp_path, old, new)
    result = runner.invoke(main, ["--data", str(mini), "add", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "Error: " + expected.format(p=path)
    assert len(result.output.splitlines()) == len(set(result.output.splitlines()))


def test_a_name_that_only_looks_like_another_is_refused(runner, mini, tmp_path):
    lookalike = "TestC\u043e@HC"  # a Cyrillic o
    path = tmp_path / "paper.yaml"
    path.write_text(WANG.read_text().replace("SACo-HC-test", lookalike))
    before = snapshot(mini)
    result = runner.invoke(main, ["--data", str(mini), "add", str(path)])
    assert (result.exit_code, result.output) == (1, (
        f"Error: {path}:10: system '{lookalike}': field 'name': '{lookalike}' looks the same as 'TestCo@HC' "
        "(data/papers/p-co.yaml:8) but is spelt with other characters; use that name, or one that differs visibly\n"))
    assert snapshot(mini) == before


# ---------------------------------------------------------------- found by the second blind probe

def test_serve_refuses_compressed_bodies_load_two_hosts_and_deep_nesting(isolated_cache):
    import gzip
    import http.client

    from kg.engine.opening import open_kb
    from kg.publish.serve import start

    server, url = start(open_kb(FIXTURES / "mini").path, _free_port(), writable=True)
    target = socket.socket()
    target.bind(("127.0.0.1", 0))
    target.listen(1)
    target.settimeout(0.5)
    port = int(url.split(":")[2].split("/")[0])
    other = f"http://127.0.0.1:{target.getsockname()[1]}/"

    def send(path, body, headers):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.putrequest("POST", path, skip_host=True)
        for name, value in headers:
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        answer = connection.getresponse()
        result = answer.status, answer.read().decode()
        connection.close()
        return result

    host = ("Host", f"127.0.0.1:{port}")
    try:
        federated = f"SELECT * WHERE {{ SERVICE <{other}> {{ ?s ?p ?o }} }}".encode()
        assert send("/query", gzip.compress(federated), [host, ("Content-Type", "application/sparql-query"),
                                                          ("Content-Encoding", "gzip")]) == (
            415, "send the request body uncompressed (no Content-Encoding)\n")
        assert send("/update", f"LOAD <{other}data.ttl>".encode(), [host, ("Content-Type", "application/sparql-update")]) \
            == (403, "SERVICE and LOAD (requests to other addresses) are refused by this server; start it with "
                     "--allow-federation to allow them\n")
        assert send("/query", b"ASK {}", [host, ("Host", "evil.example"), ("Content-Type", "application/sparql-query")]) \
            == (400, "a request needs exactly one Host header\n")
        deep = b"SELECT * WHERE " + b"{" * 5000 + b"}" * 5000
        assert send("/query", deep, [host, ("Content-Type", "application/sparql-query")]) == (
            400, "the query nests deeper than 64 levels\n")
        with pytest.raises(socket.timeout):
            target.accept()
        assert server.poll() is None  # still serving
        assert send("/query", b"ASK {}", [host, ("Content-Type", "application/sparql-query")])[0] == 200
    finally:
        server.terminate()
        target.close()


@pytest.mark.parametrize("args,expected", [
    (["query", "--sparql", "SELECT * WHERE " + "{" * 5000 + "}" * 5000], (1, "Error: the query nests deeper than 64 levels\n")),
    (["query", "--sparql", "SELECT * WHERE {}"], (0, "(1 row, no columns)\n")),
    (["ask", "Na systems with cycle life over 1e400 h"],
     (1, f"Error: '1e400': number out of range ({RANGE})\n")),
    (["ask", "Na systems with cycle life over 900 mV"], (1, "Error: '900 mV': mV does not measure cycle life (given in h)\n")),
])
def test_queries_and_questions_at_the_edges(runner, kb, args, expected):
    result = runner.invoke(main, args)
    assert (result.exit_code, result.output) == expected


def test_numbers_in_exponent_form_and_unknown_units_in_questions(runner, kb):
    def threshold(question):
        answer = json.loads(runner.invoke(main, ["ask", question, "--format", "json"]).output)
        return answer["bindings"]["threshold"]["value"], answer["note"]

    assert threshold("Na systems with cycle life over 1.5e3 h")[0] == 1500
    value, note = threshold("Na systems with cycle life over 900 furlongs")
    assert value == 900 and note.startswith("'furlongs' is no unit SAC-KG knows: 900 was read in h, the unit of "
                                            "the quantity.")
    assert "no unit" not in threshold("Na systems with cycle life over 900 for Na")[1]


@pytest.mark.parametrize("old,new,expected", [
    ('["X. Wang", "Y. Li"]', '"R. Zhao and Q. Liu"',
     "{p}:4: reference 'wang-2025-na': field 'authors': expected the list of author names in order, e.g. "
     '["X. Wang", "Y. Li"]'),
    ('["X. Wang", "Y. Li"]', "[1, 2]",
     "{p}:4: reference 'wang-2025-na': field 'authors': expected the list of author names in order, e.g. "
     '["X. Wang", "Y. Li"]'),
    ("  - name: SACo-HC-test\n", "  - name: SACo-HC-test\n    synonyms: [TestCo@HC]\n",
     "{p}:11: system 'SACo-HC-test': field 'synonyms': 'TestCo@HC' already names system 'TestCo@HC' "
     "(data/papers/p-co.yaml:8)"),
    ("  - name: SACo-HC-test\n", "  - name: ~\n",
     "{p}:10: system (no name): field 'name': required field is missing"),
])
def test_one_problem_one_line_without_follow_on_errors(runner, mini, tmp_path, old, new, expected):
    path = paper(tmp_path, old, new)
    before = snapshot(mini)
    result = runner.invoke(main, ["--data", str(mini), "add", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "Error: " + expected.format(p=path)
    if "synonyms" in new or "R. Zhao" in new or "[1, 2]" in new:
        assert len(result.output.splitlines()) == 1, result.output
    assert snapshot(mini) == before


def test_a_data_directory_without_the_review_says_so(runner, mini):
    (mini / "review.yaml").unlink()
    result = runner.invoke(main, ["--data", str(mini), "stats"])
    assert (result.exit_code, result.output) == (
        1, f"Error: {mini / 'review.yaml'}: missing: the papers cite the review, whose file this is\n")


def test_hostile_text_from_an_endpoint_cannot_repaint_the_terminal(runner, misbehaving):
    url = misbehaving(lambda c: c.sendall(_rows({"label": {"type": "literal", "value": "x\u001b[2J\ud800y"},
                                                 "count": {"type": "literal", "datatype": XSD + "integer",
                                                           "value": "3"}})))
    result = runner.invoke(main, ["--endpoint", url, "query", "--sparql", "SELECT ?label ?count WHERE {}"])
    assert (result.exit_code, result.output) == (0, "label         count\n------------  -----\n"
                                                    "x\\u001b[2J\ufffdy  3\n")
