#!/usr/bin/env python3
"""Adversarial contract probe for the `sackg` command line (black box).

Usage: run_probe.py --sackg PATH_TO_SACKG --workdir DIR [--jobs N]

Every case is data (the CASES list below).  Each is run with a timeout and the
contract is checked automatically:
  * bad input ("error"): exit != 0, exactly one non-empty stderr line (validate:
    problem lines on stdout allowed), no Traceback / "internal error", message
    < 400 chars, no raw control characters, data directory byte-identical,
    finished within 60 s;
  * valid-but-odd input ("any"): exit 0, or else the error rules above;
  * "ok": exit 0 and no traceback;
  * extra checks (exports parse back, CSV formula cells, canary never contacted, ...).
Network traffic goes to 127.0.0.1 only; every loop is bounded.
Writes results.json and results.md into DIR.

Written by a tester who had not read SAC-KG's code (issue 11, blind probe 2, after the first round of
fixes). Changed when it joined the test suite: the results go to --workdir (not beside the script), and
--source-data is required (the data directory to copy).
"""
import argparse
import base64
import concurrent.futures as cf
import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.parse

HANG = 60.0
HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# paper template (the worked example of docs/curating.md, parametrised)
# --------------------------------------------------------------------------
PAPER = '''# probe paper
reference:
  id: @ID@
  authors: [@AUTHORS@]
  title: @TITLE@
  journal: "Adv. Energy Mater."
  year: @YEAR@
  volume: "15"
  pages: "2404417"
  doi: @DOI@
  cited_for: @CITED@

materials:
  - name: @MAT@
    synonyms: [@MATSYN@]
    note: "control"

systems:
  - name: @SYS@
    synonyms: [@SYSSYN@]
    centre_metals: [@CM@]
    support:
      name: hollow N-doped carbon spheres
      kinds: [N-doped carbon]
    coordination: M-N-C
    alkali_metals: [@AM@]
    roles: [anode host]
    synthesis: [high-temperature pyrolysis]
    techniques: [HAADF-STEM, XAS, DFT, SEM, galvanostatic cycling]
    note: @NOTE@

measurements:
  - system: @SYS@
    quantity: @Q1@
    value: @V1@
    origin: measured
    metal: K
    cell: asymmetric cell
    conditions:
      @CK@: @CV@
    baselines:
      - material: @MAT@
        value: 41 mV
    note: "dip"
  - system: @SYS@
    quantity: cycle life
    value: @V2@
    origin: measured
    metal: K
    cell: symmetric cell
    conditions:
      current density: 1 mA cm-2

claims:
  - system: @SYS@
    mechanism: @MECH@
    metal: K
    effect: @EFFECT@
    evidence: [DFT, galvanostatic cycling]
    note: "ok"
@EXTRA@'''

DEFAULTS = {
    "ID": "probe-2025-k", "AUTHORS": '"R. Zhao", "Q. Liu"', "TITLE": '"A probe title"',
    "YEAR": "2025", "DOI": '"10.5555/probe.2025.1"', "CITED": '"probe note"',
    "MAT": "probe control carbon", "MATSYN": "PCC", "SYS": "Probe-SA/HNC", "SYSSYN": "Probe SA HNC",
    "CM": "Zn", "AM": "K", "NOTE": '"probe system"', "Q1": "nucleation overpotential",
    "V1": "18 mV", "V2": "over 2000 h", "CK": "current density", "CV": "0.5 mA cm-2",
    "MECH": "nucleation", "EFFECT": "lowers barrier", "EXTRA": "",
}


def paper(**kw):
    d = dict(DEFAULTS)
    d.update(kw)
    t = PAPER
    for k, v in d.items():
        t = t.replace("@%s@" % k, v)
    return t


def P(**kw):
    """A setup step writing a paper file p.yaml into the case dir."""
    return {"write": "p.yaml", "text": paper(**kw)}


# --------------------------------------------------------------------------
# the cases
# --------------------------------------------------------------------------
ASKQ = "which mechanisms are supported for Na?"
SEL = "SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 3"
CART = "SELECT (COUNT(*) AS ?c) WHERE { ?a ?b ?c1 . ?d ?e ?f . ?g ?h ?i }"

CASES = [
    # ---------------- ask ----------------
    dict(id="ask-empty", group="new", desc="ask with an empty question", cmd=["ask", ""], expect="error"),
    dict(id="ask-ansi", group="new", desc="ask with an ANSI escape sequence (terminal repaint)",
         cmd=["ask", "lowest \x1b[2J\x1b[31mnucleation\x07 for K"], expect="any"),
    dict(id="ask-100k", group="new", desc="ask a 100 KB question", cmd=["ask", "x" * 100000], expect="error"),
    dict(id="ask-bad-utf8", group="new", desc="ask with invalid UTF-8 bytes in argv",
         cmd=["ask", b"which \xff\xfe mechanisms for Na\xed\xa0\x80"], expect="any"),
    dict(id="ask-1e400", group="new", desc="threshold 1e400 h (docs: 1e400 is refused) must not be silently read as 1 h",
         cmd=["ask", "Na systems with cycle life over 1e400 h", "--format", "json"], expect="error"),
    dict(id="ask-1p5e3", group="new", desc="threshold 1.5e3 h: must mean 1500 h, or be refused (not 1.5 h)",
         cmd=["ask", "Na systems with cycle life over 1.5e3 h", "--format", "json"], expect="any",
         checks=[["json_threshold_not", [1.5, 1, 3]]]),
    dict(id="ask-30digit", group="new", desc="threshold with a 30-digit number",
         cmd=["ask", "Na systems with cycle life over 100000000000000000000000000000 h"], expect="error"),
    dict(id="ask-unknown-unit", group="new", desc="threshold in an unknown unit (furlongs) must be refused or noted",
         cmd=["ask", "Na systems with cycle life over 900 furlongs", "--format", "json"], expect="any",
         checks=[["error_or_note_mentions", "furlong"]]),
    dict(id="ask-wrong-dim-unit", group="new", desc="cycle life threshold given in mV (wrong dimension)",
         cmd=["ask", "Na systems with cycle life over 900 mV", "--format", "json"], expect="any",
         checks=[["error_or_note_mentions", "mV"]]),
    dict(id="ask-bidi-zw", group="new", desc="entity name with zero-width space and bidi override",
         cmd=["ask", "nucleation overpotential of Zn\u200bSA-N\u202e-C"], expect="any"),
    dict(id="ask-lone-surrogate", group="new", desc="question holding a lone surrogate (via surrogateescape bytes)",
         cmd=["ask", b"tell me about \xed\xb2\x80"], expect="any"),
    dict(id="ask-format-bad", group="new", desc="ask --format xml", cmd=["ask", ASKQ, "--format", "xml"], expect="error"),
    dict(id="ask-injection", group="new", desc="SPARQL injection text in a name",
         cmd=["ask", 'tell me about "} UNION { ?s ?p ?o } DELETE WHERE {?s ?p ?o} #'], expect="any"),
    dict(id="ask-nan-threshold", group="new", desc="threshold 'nan' and 'infinity' words",
         cmd=["ask", "K systems with nucleation overpotential below nan mV"], expect="any"),
    # ---------------- query ----------------
    dict(id="q-param-noeq", group="new", desc="--param without =", cmd=["query", "--sparql", SEL, "--param", "x"], expect="error"),
    dict(id="q-param-badiri", group="new", desc="--param IRI with space and angle brackets",
         cmd=["query", "--sparql", SEL, "--param", "x=<http://a b/>>"], expect="error"),
    dict(id="q-param-1e999", group="new", desc="--param number 1e999", cmd=["query", "--sparql", SEL, "--param", "x=1e999"], expect="error"),
    dict(id="q-param-neg0-hex", group="new", desc="--param 0x1F and -0 and 1_000 odd numbers",
         cmd=["query", "--sparql", "SELECT ?x ?y ?z WHERE {}", "--param", "x=0x1F", "--param", "y=-0", "--param", "z=1_000"], expect="any"),
    dict(id="q-param-injection", group="new", desc="--param string that tries to close the term and add a pattern",
         cmd=["query", "--sparql", "SELECT ?x WHERE {}", "--param", 'x="a" } UNION { ?s ?p ?o "'], expect="any",
         checks=[["stdout_max_lines", 6]]),
    dict(id="q-param-badname", group="new", desc="--param name that is not a SPARQL variable name",
         cmd=["query", "--sparql", SEL, "--param", "a b}=1"], expect="error"),
    dict(id="q-param-dup", group="new", desc="--param bound twice with different values",
         cmd=["query", "--sparql", "SELECT ?x WHERE {}", "--param", "x=1", "--param", "x=2"], expect="any"),
    dict(id="q-update", group="new", desc="query --sparql with an update", cmd=["query", "--sparql", "DELETE WHERE { ?s ?p ?o }"], expect="error"),
    dict(id="q-service", group="new", desc="SERVICE on the embedded store",
         cmd=["query", "--sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:{canary}/> { ?s ?p ?o } }"], expect="error",
         canary=True),
    dict(id="q-timeout", group="new", desc="cartesian aggregate with SACKG_TIMEOUT=3", cmd=["query", "--sparql", CART],
         env={"SACKG_TIMEOUT": "3"}, expect="error", max_time=15),
    dict(id="q-file-missing", group="new", desc="query FILE that does not exist", cmd=["query", "{w}/nope.rq"], expect="error"),
    dict(id="q-file-dir", group="new", desc="query FILE that is a directory", cmd=["query", "{w}"], expect="error"),
    dict(id="q-file-devzero", group="new", desc="query FILE /dev/zero (endless)", cmd=["query", "/dev/zero"], expect="error"),
    dict(id="q-file-fifo", group="new", desc="query FILE that is a FIFO nobody writes to (hang risk)",
         setup=[{"mkfifo": "f.rq"}], cmd=["query", "{w}/f.rq"], expect="error"),
    dict(id="q-file-binary", group="new", desc="query FILE with invalid UTF-8",
         setup=[{"write_bytes": "b.rq", "b64": base64.b64encode(b"SELECT \xff\xfe\x00 WHERE {}").decode()}],
         cmd=["query", "{w}/b.rq"], expect="error"),
    dict(id="q-file-big", group="new", desc="query FILE of 20 MB of comment",
         setup=[{"write": "big.rq", "text": "#" + "a" * 20_000_000 + "\nSELECT * WHERE {}"}],
         cmd=["query", "{w}/big.rq"], expect="any"),
    dict(id="q-deep-nesting", group="new", desc="SPARQL with 5000 nested groups",
         cmd=["query", "--sparql", "SELECT * WHERE " + "{" * 5000 + "}" * 5000], expect="any"),
    dict(id="q-select-star-empty", group="new", desc="SELECT * WHERE {} (one row, no columns) in the default table format",
         cmd=["query", "--sparql", "SELECT * WHERE {}"], expect="any"),
    dict(id="q-syntax", group="new", desc="malformed SPARQL with a control char",
         cmd=["query", "--sparql", "SELECT * WHERE { ?s \x1b[31m ?o"], expect="error"),
    # ---------------- show / stats / analyze / viz / plot ----------------
    dict(id="show-empty", group="new", desc="show ''", cmd=["show", ""], expect="error"),
    dict(id="show-unknown-long", group="new", desc="show a 10 KB unknown name with newlines", cmd=["show", "Zn\n" * 3000], expect="error"),
    dict(id="show-fmt", group="new", desc="show --format csv (not offered)", cmd=["show", "ZnSA-N-C", "--format", "csv"], expect="error"),
    dict(id="stats-fmt", group="new", desc="stats --format yaml", cmd=["stats", "--format", "yaml"], expect="error"),
    dict(id="an-path-unknown", group="new", desc="analyze path with an unknown entity", cmd=["analyze", "path", "Zn", "Unobtainium"], expect="error"),
    dict(id="an-path-same", group="new", desc="analyze path X X", cmd=["analyze", "path", "Zn", "Zn"], expect="any"),
    dict(id="an-rank-unknown", group="new", desc="analyze rank unknown quantity", cmd=["analyze", "rank", "flux-capacitance"], expect="error"),
    dict(id="an-rank-metal", group="new", desc="analyze rank with --metal Xx", cmd=["analyze", "rank", "nucleation-overpotential", "--metal", "Cs"], expect="any"),
    dict(id="an-cocit-neg", group="new", desc="analyze cocitation --top -1", cmd=["analyze", "cocitation", "--top", "-1"], expect="any"),
    dict(id="an-cocit-huge", group="new", desc="analyze cocitation --top 10^30", cmd=["analyze", "cocitation", "--top", "1" + "0" * 30], expect="any"),
    dict(id="viz-depth", group="new", desc="viz --depth 99", cmd=["viz", "-o", "{w}/g.html", "--depth", "99"], expect="error"),
    dict(id="viz-focus-unknown", group="new", desc="viz --focus unknown", cmd=["viz", "-o", "{w}/g.html", "--focus", "nothing-such"], expect="error"),
    dict(id="viz-out-dir", group="new", desc="viz -o into a missing directory", cmd=["viz", "-o", "{w}/no/such/dir/g.html"], expect="error"),
    dict(id="plot-ext", group="new", desc="plot gaps -o x.pdf", cmd=["plot", "gaps", "-o", "{w}/x.pdf"], expect="error"),
    dict(id="plot-devfull", group="new", desc="plot gaps -o /dev/full.png style: output is a directory",
         setup=[{"mkdir": "out.png"}], cmd=["plot", "gaps", "-o", "{w}/out.png"], expect="error"),
    # ---------------- export ----------------
    dict(id="exp-devfull", group="new", desc="export turtle to /dev/full (disk full)", cmd=["export", "--format", "turtle", "-o", "/dev/full"], expect="error"),
    dict(id="exp-missingdir", group="new", desc="export to a missing directory", cmd=["export", "--format", "turtle", "-o", "{w}/a/b/c.ttl"], expect="error"),
    dict(id="exp-csv-onfile", group="new", desc="export csv -o an existing regular file", setup=[{"write": "f.csv", "text": "x"}],
         cmd=["export", "--format", "csv", "-o", "{w}/f.csv"], expect="error"),
    dict(id="exp-all-onfile", group="new", desc="export --all onto a regular file", setup=[{"write": "f", "text": "x"}],
         cmd=["export", "--all", "{w}/f"], expect="error"),
    dict(id="exp-noformat", group="new", desc="export with -o but no --format", cmd=["export", "-o", "{w}/x.ttl"], expect="any"),
    # ---------------- environment ----------------
    dict(id="env-timeout-abc", group="new", desc="SACKG_TIMEOUT=abc", cmd=["stats"], env={"SACKG_TIMEOUT": "abc"}, expect="error"),
    dict(id="env-timeout-nan", group="new", desc="SACKG_TIMEOUT=nan", cmd=["stats"], env={"SACKG_TIMEOUT": "nan"}, expect="error"),
    dict(id="env-timeout-inf", group="new", desc="SACKG_TIMEOUT=inf", cmd=["stats"], env={"SACKG_TIMEOUT": "inf"}, expect="error"),
    dict(id="env-timeout-neg", group="new", desc="SACKG_TIMEOUT=-5", cmd=["stats"], env={"SACKG_TIMEOUT": "-5"}, expect="error"),
    dict(id="env-timeout-tiny", group="new", desc="SACKG_TIMEOUT=1e-9 (a positive but absurd limit)", cmd=["ask", ASKQ], env={"SACKG_TIMEOUT": "0.000000001"}, expect="any"),
    dict(id="env-store-bad", group="new", desc="SACKG_STORE=sqlite", cmd=["stats"], env={"SACKG_STORE": "sqlite"}, expect="error"),
    dict(id="env-endpoint-ftp", group="new", desc="SACKG_ENDPOINT=ftp://127.0.0.1/x", cmd=["stats"], env={"SACKG_ENDPOINT": "ftp://127.0.0.1/x"}, expect="error"),
    dict(id="env-endpoint-file", group="new", desc="--endpoint file:///etc/passwd", cmd=["--endpoint", "file:///etc/passwd", "stats"], expect="error"),
    dict(id="env-endpoint-badport", group="new", desc="--endpoint with port 99999", cmd=["--endpoint", "http://127.0.0.1:99999/q", "stats"], expect="error"),
    dict(id="env-endpoint-ipv6-broken", group="new", desc="--endpoint 'http://[::1' (unbalanced bracket)", cmd=["--endpoint", "http://[::1", "stats"], expect="error"),
    dict(id="env-endpoint-crlf", group="new", desc="--endpoint with CRLF header injection in the path",
         cmd=["--endpoint", "http://127.0.0.1:{canary}/q\r\nX-Evil: 1", "stats"], expect="error"),
    dict(id="env-cache-file", group="new", desc="SACKG_CACHE pointing at a regular file", setup=[{"write": "cachefile", "text": "x"}],
         cmd=["stats"], env={"SACKG_CACHE": "{w}/cachefile"}, expect="error"),
    dict(id="env-cache-devnull", group="new", desc="SACKG_CACHE=/dev/null", cmd=["stats"], env={"SACKG_CACHE": "/dev/null"}, expect="error"),
    dict(id="env-data-missing", group="new", desc="SACKG_DATA=missing dir (and no --data)", cmd=["stats"], nodata=True,
         env={"SACKG_DATA": "{w}/nope"}, expect="error"),
    dict(id="env-data-file", group="new", desc="--data pointing at a file", setup=[{"write": "f", "text": "x"}],
         cmd=["stats"], nodata=True, pre=["--data", "{w}/f"], expect="error"),
    dict(id="env-data-empty", group="new", desc="--data pointing at an empty directory", setup=[{"mkdir": "empty"}],
         cmd=["stats"], nodata=True, pre=["--data", "{w}/empty"], expect="error"),
    # ---------------- data directory edited on purpose (fresh copy) ----------------
    dict(id="data-broken-yaml", group="new", desc="a paper file in data/ with a YAML syntax error",
         data="fresh", edit=[{"append": "papers/ref-020.yaml", "text": "\n  bad: [unclosed\n"}], cmd=["ask", ASKQ], expect="error"),
    dict(id="data-symlink-paper", group="new", desc="a paper in data/papers that is a symlink to /etc/passwd",
         data="fresh", edit=[{"symlink": "papers/evil.yaml", "to": "/etc/passwd"}], cmd=["stats"], expect="error"),
    dict(id="data-no-review", group="new", desc="data dir without review.yaml", data="fresh", edit=[{"delete": "review.yaml"}],
         cmd=["stats"], expect="error"),
    dict(id="data-dir-as-paper", group="new", desc="papers/x.yaml is a directory", data="fresh", edit=[{"mkdir": "papers/x.yaml"}],
         cmd=["stats"], expect="error"),
    dict(id="data-tabs-indent", group="new", desc="a paper file indented with tabs", data="fresh",
         edit=[{"replace": "papers/ref-020.yaml", "old": "\n  id:", "new": "\n\tid:"}], cmd=["stats"], expect="error"),
    dict(id="validate-ttl-bad", group="new", desc="validate a malformed Turtle file", setup=[{"write": "g.ttl", "text": "@prefix : <x> .\n:a :b \"unterminated .\n"}],
         cmd=["validate", "{w}/g.ttl"], expect="error", validate=True),
    dict(id="validate-ttl-hostile", group="new", desc="validate Turtle with 1e400 decimal and a control char literal",
         setup=[{"write": "g.ttl", "text": "@prefix sac: <https://w3id.org/sackg/ontology#> .\n<http://x/m> a sac:Measurement ; sac:value 1e400 ; sac:note \"a\\u001b[2Jb\" .\n"}],
         cmd=["validate", "{w}/g.ttl"], expect="error", validate=True),
    dict(id="validate-missing", group="new", desc="validate a missing path", cmd=["validate", "{w}/none.yaml"], expect="error", validate=True),
    # ---------------- add: bad paper files (fresh data copy each) ----------------
    dict(id="add-missing", group="new", desc="add a file that does not exist", data="fresh", cmd=["add", "{w}/nope.yaml"], expect="error"),
    dict(id="add-devnull", group="new", desc="add /dev/null", data="fresh", cmd=["add", "/dev/null"], expect="error"),
    dict(id="add-fifo", group="new", desc="add a FIFO (hang risk)", data="fresh", setup=[{"mkfifo": "p.yaml"}], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-symlink", group="new", desc="add a symlink to a valid paper", data="fresh", setup=[P(), {"symlink": "l.yaml", "to": "p.yaml"}],
         cmd=["add", "{w}/l.yaml"], expect="error"),
    dict(id="add-empty", group="new", desc="add an empty file", data="fresh", setup=[{"write": "p.yaml", "text": ""}], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-multidoc", group="new", desc="add a file with two YAML documents", data="fresh", setup=[{"write": "p.yaml", "text": paper() + "\n---\n" + paper(ID="probe-b", DOI='"10.5555/probe.b"', SYS="B-sys", MAT="bmat", MATSYN="BM", SYSSYN="B sys 2")}],
         cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-alias-bomb", group="new", desc="YAML alias bomb", data="fresh",
         setup=[{"write": "p.yaml", "text": paper(NOTE="&a [x,x,x,x,x,x,x,x,x]", EXTRA="bomb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\n")}],
         cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-python-tag", group="new", desc="!!python/object/apply tag", data="fresh",
         setup=[{"write": "p.yaml", "text": paper(NOTE='!!python/object/apply:os.system ["touch {w}/pwned"]')}],
         cmd=["add", "{w}/p.yaml"], expect="error", checks=[["no_file", "{w}/pwned"]]),
    dict(id="add-complex-key", group="new", desc="a key that is a list (? [a, b])", data="fresh",
         setup=[{"write": "p.yaml", "text": paper(EXTRA="? [a, b]\n: c\n")}], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-deep-nesting", group="new", desc="nesting 12 levels deep in a note", data="fresh",
         setup=[{"write": "p.yaml", "text": paper(NOTE="[[[[[[[[[[[[1]]]]]]]]]]]]")}], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-big", group="new", desc="a file of 1.2 MB (comment padding)", data="fresh",
         setup=[{"write": "p.yaml", "text": paper() + "#" + "x" * 1_200_000 + "\n"}], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-nonutf8", group="new", desc="a paper in Latin-1", data="fresh",
         setup=[{"write_bytes": "p.yaml", "b64": base64.b64encode(paper(NOTE='"caf\xe9"').encode("latin-1")).decode()}],
         cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-utf16", group="new", desc="a paper in UTF-16 with BOM", data="fresh",
         setup=[{"write_bytes": "p.yaml", "b64": base64.b64encode(paper().encode("utf-16")).decode()}],
         cmd=["add", "{w}/p.yaml"], expect="any"),
    dict(id="add-ctrl-note", group="new", desc="an escape character in a note (YAML \\e escape)", data="fresh",
         setup=[P(NOTE='"a\\e[2Jb"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-bidi", group="new", desc="a bidi override in a system name", data="fresh",
         setup=[P(SYS='"Probe\u202eSA"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-surrogate", group="new", desc="a lone surrogate via YAML \\ud800 escape", data="fresh",
         setup=[P(NOTE='"x\\ud800y"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-fffe", group="new", desc="U+FFFF in cited_for", data="fresh", setup=[P(CITED='"a\\uffffb"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-nul", group="new", desc="NUL via YAML \\0 escape in the title", data="fresh", setup=[P(TITLE='"a\\0b"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-long-text", group="new", desc="a 10,001-character note", data="fresh", setup=[P(NOTE='"' + "y" * 10001 + '"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-id-traversal", group="new", desc="reference id ../../evil", data="fresh", setup=[P(ID='"../../evil"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-id-int", group="new", desc="reference id as a YAML int 2025 (type confusion)", data="fresh", setup=[P(ID="2025")], cmd=["add", "--dry-run", "{w}/p.yaml"], expect="any"),
    dict(id="add-id-case-dup", group="new", desc="reference id REF_020 (near-duplicate of ref-020)", data="fresh", setup=[P(ID="REF_020")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-id-unicode", group="new", desc="reference id with a Cyrillic 'е' homoglyph of ref-020", data="fresh", setup=[P(ID="r\u0435f-020")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-doi-case", group="new", desc="DOI equal to an existing one but upper-case (DOIs are case-insensitive)", data="fresh",
         setup=[P(DOI='"10.1002/CSSC.202301242"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-doi-url", group="new", desc="existing DOI written as https://doi.org/ URL", data="fresh",
         setup=[P(DOI='"https://doi.org/10.1002/cssc.202301242"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-doi-float", group="new", desc="DOI unquoted 10.5555 (YAML float)", data="fresh", setup=[P(DOI="10.5555")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-doi-long", group="new", desc="DOI of 400 characters", data="fresh", setup=[P(DOI='"10.5555/' + "a" * 400 + '"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-doi-space", group="new", desc="DOI with a newline inside", data="fresh", setup=[P(DOI='"10.5555/a\\nb"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-year-date", group="new", desc="year: 2025-01-01 (YAML date)", data="fresh", setup=[P(YEAR="2025-01-01")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-year-bool", group="new", desc="year: yes (YAML 1.1 bool)", data="fresh", setup=[P(YEAR="yes")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-year-huge", group="new", desc="year 99999999999999", data="fresh", setup=[P(YEAR="99999999999999")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-authors-str", group="new", desc="authors as a plain string", data="fresh", setup=[{"write": "p.yaml", "text": paper().replace('authors: ["R. Zhao", "Q. Liu"]', 'authors: "R. Zhao and Q. Liu"')}],
         cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-authors-ints", group="new", desc="authors: [1, 2]", data="fresh", setup=[P(AUTHORS="1, 2")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-name-null", group="new", desc="system name: ~ (null)", data="fresh", setup=[P(SYS="~")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-metal-norway", group="new", desc="alkali_metals: [No] (YAML 1.1 false)", data="fresh", setup=[P(AM="No")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-1e400", group="new", desc="value 1e400 mV", data="fresh", setup=[P(V1="1e400 mV")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-nan", group="new", desc="value NaN mV", data="fresh", setup=[P(V1="NaN mV")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-inf", group="new", desc="value infinity h", data="fresh", setup=[P(V2="inf h")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-underscore", group="new", desc="value 1_8 mV (Python-only digit separator)", data="fresh", setup=[P(V1="1_8 mV")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-arabic", group="new", desc="value with Arabic-Indic digits ١٨ mV", data="fresh", setup=[P(V1="\u0661\u0668 mV")], cmd=["add", "--dry-run", "{w}/p.yaml"], expect="any"),
    dict(id="add-val-10dec", group="new", desc="value with 10 decimal places", data="fresh", setup=[P(V1="0.0000000001 mV")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-negcycle", group="new", desc="negative cycle life -5 h", data="fresh", setup=[P(V2="-5 h")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-unicodeminus", group="new", desc="negative nucleation overpotential with Unicode minus", data="fresh", setup=[P(V1="\u221218 mV")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-int", group="new", desc="value: 18 (YAML int, no unit) for an overpotential", data="fresh", setup=[P(V1="18")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-list", group="new", desc="value: [1, 2]", data="fresh", setup=[P(V1="[18, 19]")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-wrongunit", group="new", desc="nucleation overpotential in mA h g-1", data="fresh", setup=[P(V1="18 mA h g-1")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-doubleunit", group="new", desc="value '18 mV mV'", data="fresh", setup=[P(V1="18 mV mV")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-badcomp", group="new", desc="value with comparator '<> 18 mV'", data="fresh", setup=[P(V1='"<> 18 mV"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-val-twocomp", group="new", desc="value 'over ~ 18 mV' (two comparators)", data="fresh", setup=[P(V1='"over ~18 mV"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-cond-unknown", group="new", desc="unknown condition key 'humidity'", data="fresh", setup=[P(CK="humidity", CV="40 %")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-cond-temp", group="new", desc="temperature -300 °C (below absolute zero)", data="fresh", setup=[P(CK="temperature", CV="-300 °C")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-transference", group="new", desc="transference number 1.5 (max 1)", data="fresh", setup=[P(Q1="transference number", V1="1.5")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-mech-typo", group="new", desc="misspelt mechanism", data="fresh", setup=[P(MECH="nucleaton")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-effect-bad", group="new", desc="effect: destroys", data="fresh", setup=[P(EFFECT="destroys")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-sys-dup-existing", group="new", desc="system name 'zn sa n c' (same as ZnSA-N-C up to case/dashes)", data="fresh", setup=[P(SYS='"zn sa n c"')], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-syn-dup-material", group="new", desc="system synonym equal to a shared material's synonym (Cu foil)", data="fresh", setup=[P(SYSSYN="Cu foil")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-mat-self-dup", group="new", desc="material and system with the same name in one file", data="fresh", setup=[P(MAT="Probe-SA/HNC")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-toplevel-extra", group="new", desc="unknown top-level key", data="fresh", setup=[P(EXTRA="extras: {a: 1}\n")], cmd=["add", "{w}/p.yaml"], expect="error"),
    dict(id="add-two-near-dup-ids", group="new", desc="two files in one add: ids dup_2025 and dup-2025", data="fresh",
         setup=[{"write": "a.yaml", "text": paper(ID="dup_2025", DOI='"10.5555/dup.a"')},
                {"write": "b.yaml", "text": paper(ID="dup-2025", DOI='"10.5555/dup.b"', SYS="Other-SA", SYSSYN="Other SA x", MAT="other mat", MATSYN="OM")}],
         cmd=["add", "{w}/a.yaml", "{w}/b.yaml"], expect="error"),
    dict(id="add-same-file-twice", group="new", desc="the same paper twice in one add", data="fresh", setup=[P()], cmd=["add", "{w}/p.yaml", "{w}/p.yaml"], expect="error"),
    dict(id="add-replace-review", group="new", desc="--replace with the id of review.yaml's reference", data="fresh",
         setup=[P(ID="review")], cmd=["add", "--replace", "{w}/p.yaml"], expect="error"),
    dict(id="add-crlf", group="new", desc="a valid paper with CRLF line ends and BOM (valid-but-odd)", data="fresh",
         setup=[{"write_bytes": "p.yaml", "b64": base64.b64encode(b"\xef\xbb\xbf" + paper().replace("\n", "\r\n").encode()).decode()}],
         cmd=["add", "--dry-run", "{w}/p.yaml"], expect="any"),
    dict(id="rm-unknown", group="new", desc="remove an unknown DOI", data="fresh", cmd=["remove", "10.5555/none"], expect="error"),
    dict(id="rm-review", group="new", desc="remove the review", data="fresh", cmd=["remove", "review"], expect="error"),
    dict(id="rm-traversal", group="new", desc="remove ../materials (path traversal)", data="fresh", cmd=["remove", "../materials"], expect="error"),
    dict(id="rm-needed", group="new", desc="remove a paper other records need (ref-017)", data="fresh", cmd=["remove", "ref-017"], expect="error"),
    dict(id="rm-empty", group="new", desc="remove ''", data="fresh", cmd=["remove", ""], expect="error"),
    # ---------------- hostile text in exports ----------------
    dict(id="exp-hostile", group="new", kind="export",
         desc="add a paper full of formula cells, BibTeX breakers, XML/HTML breakers, then export every format and parse back",
         data="fresh", setup=[P(ID="evil-2025", DOI='"10.5555/a}b{c\\\\d"', AUTHORS='"=HYPERLINK(\\"http://127.0.0.1/x\\")", "Smith and Jones", "@SUM(1+1)"',
                                TITLE='"}, @misc{pwned, title={x"', CITED='"+cmd|\' /C calc\'!A0 ]]> <!-- </script><script>alert(1)</script>"',
                                SYS='"=1+1 Probe"', SYSSYN='"-2+3 probe"', NOTE='"\\t=tab formula \\" quote <b>&amp;"',
                                MAT='"@evil mat"', MATSYN='"=cr formula"')],
         expect="ok"),
    # ---------------- signals / kills / concurrency ----------------
    dict(id="sig-int-query", group="new", kind="signal", desc="SIGINT 2 s into a long query: prompt exit, one line, no traceback",
         cmd=["query", "--sparql", CART], env={"SACKG_TIMEOUT": "50"}, signal="INT", after=2.0, max_time=10),
    dict(id="sig-term-query", group="new", kind="signal", desc="SIGTERM 2 s into a long query",
         cmd=["query", "--sparql", CART], env={"SACKG_TIMEOUT": "50"}, signal="TERM", after=2.0, max_time=10),
    dict(id="kill9-add", group="new", kind="kill", desc="kill -9 `add` at 4 points; next command must leave exactly old or new data", data="fresh"),
    dict(id="conc-mixed", group="new", kind="concurrency", desc="3 asks + stats + 2 adds of different papers at once, fresh cache", data="fresh"),
    dict(id="conc-same-doi", group="new", kind="concurrency2", desc="two adds of the same DOI at once: exactly one wins", data="fresh"),
    dict(id="conc-edit-while-ask", group="new", kind="concurrency3", desc="6 asks while a data file is edited, shared cache", data="fresh"),
    # ---------------- serve abuse ----------------
    dict(id="srv-service-get", group="new", kind="serve", desc="SERVICE via GET", reqs=[{"q": "SELECT * WHERE { SERVICE <http://127.0.0.1:{canary}/s> { ?s ?p ?o } }", "ok": [400, 403]}]),
    dict(id="srv-service-lower-post", group="new", kind="serve", desc="'sErViCe' via POST application/sparql-query",
         reqs=[{"method": "POST", "ctype": "application/sparql-query", "body": "SELECT * WHERE { sErViCe <http://127.0.0.1:{canary}/s> { ?s ?p ?o } }", "ok": [400, 403]}]),
    dict(id="srv-service-comment", group="new", kind="serve", desc="SERVICE split by a comment and newline",
         reqs=[{"q": "SELECT * WHERE { SERVICE#c\n<http://127.0.0.1:{canary}/s> { ?s ?p ?o } }", "ok": [400, 403]}]),
    dict(id="srv-service-uescape", group="new", kind="serve", desc="SERVICE spelled with a \\u0053 escape",
         reqs=[{"q": "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{canary}/s> { ?s ?p ?o } }", "ok": [400, 403]}]),
    dict(id="srv-service-dupparam", group="new", kind="serve", desc="two query= params, benign first, SERVICE second",
         reqs=[{"rawqs": "query=ASK%7B%7D&query=" + urllib.parse.quote("SELECT * WHERE { SERVICE <http://127.0.0.1:{canary}/s> { ?s ?p ?o } }"), "ok": [400, 403]}]),
    dict(id="srv-service-url-and-body", group="new", kind="serve", desc="benign query in the URL, SERVICE in the form body",
         reqs=[{"method": "POST", "rawqs": "query=ASK%7B%7D", "ctype": "application/x-www-form-urlencoded",
                "body": "query=" + urllib.parse.quote("SELECT * WHERE { SERVICE <http://127.0.0.1:{canary}/s> { ?s ?p ?o } }"), "ok": [400, 403]}]),
    dict(id="srv-service-pctkey", group="new", kind="serve", desc="form body with percent-encoded key %71uery and %53ERVICE",
         reqs=[{"method": "POST", "ctype": "application/x-www-form-urlencoded",
                "body": "%71uery=" + "".join("%%%02X" % b for b in "SELECT * WHERE { SERVICE <http://127.0.0.1:{canary}/s> { ?s ?p ?o } }".encode()), "ok": [400, 403]}]),
    dict(id="srv-service-utf16", group="new", kind="serve", desc="SERVICE in a UTF-16 body (charset=utf-16)",
         reqs=[{"method": "POST", "ctype": "application/sparql-query; charset=utf-16", "enc": "utf-16",
                "body": "SELECT * WHERE { SERVICE <http://127.0.0.1:{canary}/s> { ?s ?p ?o } }", "ok": [400, 403, 415]}]),
    dict(id="srv-service-chunked", group="new", kind="serve", desc="SERVICE in a chunked POST body split mid-keyword",
         reqs=[{"method": "POST", "ctype": "application/sparql-query", "chunked": True,
                "body": "SELECT * WHERE { SERVICE <http://127.0.0.1:{canary}/s> { ?s ?p ?o } }", "ok": [400, 403, 411, 501]}]),
    dict(id="srv-service-gzip", group="new", kind="serve", desc="SERVICE in a gzip Content-Encoding body",
         reqs=[{"method": "POST", "ctype": "application/sparql-query", "gzip": True,
                "body": "SELECT * WHERE { SERVICE <http://127.0.0.1:{canary}/s> { ?s ?p ?o } }", "ok": [400, 403, 415, 501]}]),
    dict(id="srv-service-deflate-form", group="new", kind="serve", desc="SERVICE in a deflate Content-Encoding form body",
         reqs=[{"method": "POST", "ctype": "application/x-www-form-urlencoded", "deflate": True,
                "body": "query=" + urllib.parse.quote("SELECT * WHERE { SERVICE <http://127.0.0.1:{canary}/s> { ?s ?p ?o } }"), "ok": [400, 403, 415, 500, 501]}]),
    dict(id="srv-service-var", group="new", kind="serve", desc="SERVICE SILENT ?x with the address in VALUES",
         reqs=[{"q": "SELECT * WHERE { VALUES ?x { <http://127.0.0.1:{canary}/s> } SERVICE SILENT ?x { ?s ?p ?o } }", "ok": [400, 403]}]),
    dict(id="srv-update-service-writable", group="new", kind="serve", writable=True, desc="writable server: INSERT ... WHERE { SERVICE }",
         reqs=[{"method": "POST", "path": "/update", "ctype": "application/sparql-update",
                "body": "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:{canary}/s> { ?s ?p ?o } }", "ok": [400, 403]}]),
    dict(id="srv-load-writable", group="new", kind="serve", writable=True, desc="writable server: LOAD <http://127.0.0.1:canary/> (reaches another address without SERVICE)",
         reqs=[{"method": "POST", "path": "/update", "ctype": "application/sparql-update",
                "body": "LOAD <http://127.0.0.1:{canary}/data.ttl>", "ok": [400, 403]}]),
    dict(id="srv-readonly-update", group="new", kind="serve", desc="read-only server: POST /update INSERT DATA, then check nothing was inserted",
         reqs=[{"method": "POST", "path": "/update", "ctype": "application/sparql-update", "body": "INSERT DATA { <urn:probe:a> <urn:probe:b> <urn:probe:c> }", "ok": [400, 403, 405, 404]},
               {"q": "ASK { <urn:probe:a> ?p ?o }", "ok": [200], "body_has": "false"}]),
    dict(id="srv-readonly-update-on-query", group="new", kind="serve", desc="read-only: update text POSTed to /query as application/sparql-update",
         reqs=[{"method": "POST", "path": "/query", "ctype": "application/sparql-update", "body": "INSERT DATA { <urn:probe:a> <urn:probe:b> <urn:probe:c> }", "ok": [400, 403, 405, 404, 415]},
               {"q": "ASK { <urn:probe:a> ?p ?o }", "ok": [200], "body_has": "false"}]),
    dict(id="srv-readonly-store", group="new", kind="serve", desc="read-only: PUT, POST and DELETE on /store",
         reqs=[{"method": "PUT", "path": "/store?default", "ctype": "text/turtle", "body": "<urn:probe:a> <urn:probe:b> <urn:probe:c> .", "ok": [400, 403, 405, 404]},
               {"method": "POST", "path": "/store?default", "ctype": "text/turtle", "body": "<urn:probe:a> <urn:probe:b> <urn:probe:c> .", "ok": [400, 403, 405, 404]},
               {"method": "DELETE", "path": "/store?default", "ok": [400, 403, 405, 404]},
               {"q": "ASK { ?s ?p ?o }", "ok": [200], "body_has": "true"},
               {"q": "ASK { <urn:probe:a> ?p ?o }", "ok": [200], "body_has": "false"}]),
    dict(id="srv-host-evil", group="new", kind="serve", desc="wrong Host headers (evil.com, 127.0.0.1.evil.com, absolute-form URI)",
         reqs=[{"q": "ASK{}", "host": "evil.com", "ok": [421, 400, 403]},
               {"q": "ASK{}", "host": "127.0.0.1.evil.com:{port}", "ok": [421, 400, 403]},
               {"raw": "GET http://evil.com/query?query=ASK%7B%7D HTTP/1.1\r\nHost: evil.com\r\nConnection: close\r\n\r\n", "ok": [421, 400, 403]}]),
    dict(id="srv-host-dup", group="new", kind="serve", desc="two Host headers, good first then evil",
         reqs=[{"raw": "GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.com\r\nConnection: close\r\n\r\n", "ok": [421, 400, 403]}]),
    dict(id="srv-timeout", group="new", kind="serve", timeout=2, desc="cartesian aggregate with --timeout 2: 503 within ~8 s, then still serving",
         reqs=[{"q": CART, "ok": [503, 500], "max_time": 10}]),
    dict(id="srv-huge-url", group="new", kind="serve", desc="1 MB request line", reqs=[{"raw": "GET /query?query=" + "A" * 1_000_000 + " HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", "ok": [400, 413, 414, 431, 0]}]),
    dict(id="srv-huge-body", group="new", kind="serve", desc="Content-Length 10 GB, 2 MB sent, then close",
         reqs=[{"raw": "POST /query HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/sparql-query\r\nContent-Length: 10000000000\r\n\r\n" + "#" * 2_000_000, "ok": [400, 413, 0], "short": True}]),
    dict(id="srv-huge-headers", group="new", kind="serve", desc="2000 headers of 100 bytes",
         reqs=[{"raw": "GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n" + "".join("X-%d: %s\r\n" % (i, "v" * 100) for i in range(2000)) + "\r\n", "ok": [400, 413, 431, 0]}]),
    dict(id="srv-slowloris", group="new", kind="serve", slowloris=8, desc="8 slow clients dribbling headers; a normal query must still answer within 5 s",
         reqs=[{"q": "ASK { ?s ?p ?o }", "ok": [200], "max_time": 5}]),
    dict(id="srv-port-in-use", group="new", kind="portbusy", desc="serve on a port already in use: one line, no backtrace"),
]

# ---------------- endpoint faults (fake servers on 127.0.0.1) ----------------
def _ep(id, desc, behaviour, cmd=None, expect="error", **kw):
    d = dict(id=id, group="endpoint", kind="endpoint", desc=desc, behaviour=behaviour,
             cmd=cmd or ["query", "--sparql", SEL], expect=expect, env={"SACKG_TIMEOUT": "4"})
    d.update(kw)
    return d


CASES += [
    _ep("ep-refused", "connection refused (nothing listening)", "closed_port"),
    _ep("ep-html-200", "200 text/html page instead of results", "html200"),
    _ep("ep-html-500-ansi", "500 with an HTML page whose first line holds ANSI escapes and is 5 KB long", "html500ansi"),
    _ep("ep-redirect", "302 redirect to another local port (must not be followed)", "redirect", canary=True),
    _ep("ep-redirect-loop", "301 redirect to itself", "redirect_self"),
    _ep("ep-truncated", "JSON cut short (Content-Length larger than body)", "truncated"),
    _ep("ep-malformed-json", "malformed JSON", "badjson"),
    _ep("ep-wrong-head", "binding for a variable the head does not list", "wronghead"),
    _ep("ep-bad-term", "binding value of unknown term type", "badterm"),
    _ep("ep-illtyped", "xsd:decimal literal 'abc'", "illtyped", cmd=["query", "--sparql", "SELECT ?s ?o WHERE { ?s <https://w3id.org/sackg/ontology#value> ?o } LIMIT 3"]),
    _ep("ep-huge-int", "xsd:integer literal of 5000 digits", "hugeint"),
    _ep("ep-slow-headers", "headers after 20 s (SACKG_TIMEOUT=4)", "slowheaders", max_time=15),
    _ep("ep-drip", "body sent one byte per second", "drip", max_time=15),
    _ep("ep-endless", "endless streaming body", "endless", max_time=15),
    _ep("ep-reset", "TCP reset after reading the request", "reset"),
    _ep("ep-close-nothing", "connection closed with no response", "closenothing"),
    _ep("ep-gzip-garbage", "Content-Encoding: gzip with a non-gzip body", "gzipgarbage"),
    _ep("ep-gzip-bomb", "valid gzip of 300 MB of spaces (decompression bomb)", "gzipbomb", max_time=30),
    _ep("ep-chunked-bad", "chunked encoding with an invalid chunk size", "badchunk"),
    _ep("ep-nonutf8", "results JSON in Latin-1 bytes", "nonutf8"),
    _ep("ep-huge-header", "a 200 KB response header line", "hugeheader"),
    _ep("ep-many-headers", "5000 response headers", "manyheaders"),
    _ep("ep-deep-json", "JSON nested 100000 levels", "deepjson"),
    _ep("ep-garbage-status", "garbage status line", "garbagestatus"),
    _ep("ep-empty-200", "200 with an empty body", "empty200"),
    _ep("ep-xml-as-json", "sparql-results+xml body with a JSON content type", "xmlasjson"),
    _ep("ep-boolean", "boolean answer to a SELECT", "booleanans"),
    _ep("ep-surrogate", "JSON with a lone surrogate escape in a literal", "surrogate", expect="any"),
    _ep("ep-ansi-literal", "literal value holding ANSI escapes (printed to the terminal?)", "ansiliteral", expect="any",
        checks=[["stdout_no_ctrl"]]),
    _ep("ep-401", "401 with WWW-Authenticate", "unauth"),
    _ep("ep-ask-html", "`ask` against an HTML-serving endpoint", "html200", cmd=["ask", ASKQ]),
    _ep("ep-show-badjson", "`show` against a malformed-JSON endpoint", "badjson", cmd=["show", "ZnSA-N-C"]),
    _ep("ep-push-500", "`push` to a server answering 500", "html500ansi", cmd=["push", "--endpoint", "http://127.0.0.1:{port}/query"], noendpoint=True, max_time=40),
    _ep("ep-push-redirect", "`push` to a server answering 307 to another port", "redirect", cmd=["push", "--endpoint", "http://127.0.0.1:{port}/query"], noendpoint=True, canary=True, max_time=40),
    _ep("ep-push-slow", "`push` to a server that never answers", "slowheaders", cmd=["push", "--endpoint", "http://127.0.0.1:{port}/query"], noendpoint=True, max_time=40),
]


# --------------------------------------------------------------------------
# fake endpoint behaviours (raw sockets)
# --------------------------------------------------------------------------
GOOD = {"head": {"vars": ["s", "o"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "http://x/a"}, "o": {"type": "literal", "value": "v"}}]}}


def _resp(status, body, ctype="application/sparql-results+json", extra=""):
    if isinstance(body, str):
        body = body.encode()
    head = "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n%s\r\n" % (status, ctype, len(body), extra)
    return head.encode() + body


def behave(name, conn, ctx):
    J = lambda o: _resp("200 OK", json.dumps(o))
    deadline = time.time() + 40
    if name == "html200":
        conn.sendall(_resp("200 OK", "<html><body><h1>Welcome</h1></body></html>", "text/html"))
    elif name == "html500ansi":
        conn.sendall(_resp("500 Internal Server Error", "\x1b[2J\x1b[31mboom " + "E" * 5000 + "\n<html>x</html>", "text/html"))
    elif name == "redirect":
        conn.sendall(_resp("302 Found", "", "text/plain", "Location: http://127.0.0.1:%d/query\r\n" % ctx["canary"]))
    elif name == "redirect_self":
        conn.sendall(_resp("301 Moved", "", "text/plain", "Location: http://127.0.0.1:%d/query\r\n" % ctx["port"]))
    elif name == "truncated":
        b = json.dumps(GOOD).encode()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: %d\r\n\r\n" % (len(b) + 500) + b[: len(b) // 2])
    elif name == "badjson":
        conn.sendall(_resp("200 OK", '{"head": {"vars": ["s"]}, "results": {"bindings": [ {"s": '))
    elif name == "wronghead":
        conn.sendall(J({"head": {"vars": ["s"]}, "results": {"bindings": [{"zzz": {"type": "uri", "value": "http://x/"}}]}}))
    elif name == "badterm":
        conn.sendall(J({"head": {"vars": ["s", "o"]}, "results": {"bindings": [{"s": {"type": "quantum", "value": 5}}]}}))
    elif name == "illtyped":
        conn.sendall(J({"head": {"vars": ["s", "o"]}, "results": {"bindings": [{"o": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#decimal", "value": "abc"}}]}}))
    elif name == "hugeint":
        conn.sendall(J({"head": {"vars": ["s", "o"]}, "results": {"bindings": [{"o": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "9" * 5000}}]}}))
    elif name == "slowheaders":
        end = time.time() + 20
        while time.time() < end and not ctx["stop"].is_set():
            time.sleep(0.2)
        try:
            conn.sendall(J(GOOD))
        except OSError:
            pass
    elif name == "drip":
        b = _resp("200 OK", json.dumps(GOOD) + " " * 200)
        for i in range(min(len(b), 40)):
            if ctx["stop"].is_set():
                break
            conn.sendall(b[i:i + 1])
            time.sleep(1.0)
    elif name == "endless":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n" + b'{"head": {"vars": ["s"]}, "results": {"bindings": [')
        n = 0
        while time.time() < deadline and n < 200000 and not ctx["stop"].is_set():
            conn.sendall(b'{"s": {"type": "uri", "value": "http://x/a"}},' * 100)
            n += 1
    elif name == "reset":
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    elif name == "closenothing":
        pass
    elif name == "gzipgarbage":
        conn.sendall(_resp("200 OK", b"\x1f\x8bnotgzip" * 10, extra="Content-Encoding: gzip\r\n"))
    elif name == "gzipbomb":
        conn.sendall(_resp("200 OK", ctx["bomb"], extra="Content-Encoding: gzip\r\n"))
    elif name == "badchunk":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n")
    elif name == "nonutf8":
        conn.sendall(_resp("200 OK", json.dumps({"head": {"vars": ["s", "o"]}, "results": {"bindings": [{"o": {"type": "literal", "value": "caf\u00e9"}}]}}, ensure_ascii=False).encode("latin-1")))
    elif name == "hugeheader":
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200000 + b"\r\n" + _resp("200 OK", json.dumps(GOOD)).split(b"\r\n", 1)[1])
    elif name == "manyheaders":
        conn.sendall(b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(5000)) + _resp("200 OK", json.dumps(GOOD)).split(b"\r\n", 1)[1])
    elif name == "deepjson":
        conn.sendall(_resp("200 OK", '{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": ' + "[" * 100000 + "]" * 100000 + "}]}}"))
    elif name == "garbagestatus":
        conn.sendall(b"HTTQ/9.9 abc \x1b[2J\r\nContent-Length: 2\r\n\r\n{}")
    elif name == "empty200":
        conn.sendall(_resp("200 OK", ""))
    elif name == "xmlasjson":
        conn.sendall(_resp("200 OK", '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="s"/></head><results/></sparql>'))
    elif name == "booleanans":
        conn.sendall(J({"head": {}, "boolean": True}))
    elif name == "surrogate":
        conn.sendall(_resp("200 OK", '{"head": {"vars": ["s", "o"]}, "results": {"bindings": [{"o": {"type": "literal", "value": "a\\ud800b"}}]}}'))
    elif name == "ansiliteral":
        conn.sendall(J({"head": {"vars": ["s", "o"]}, "results": {"bindings": [{"o": {"type": "literal", "value": "x\x1b[2J\x1b]0;pwned\x07y"}}]}}))
    elif name == "unauth":
        conn.sendall(_resp("401 Unauthorized", "auth required\n", "text/plain", 'WWW-Authenticate: Basic realm="x"\r\n'))
    else:
        conn.sendall(J(GOOD))


class FakeServer:
    """Accepts at most `max_conns` connections, lives at most `life` seconds."""

    def __init__(self, behaviour, ctx, max_conns=6, life=70):
        self.behaviour, self.ctx = behaviour, ctx
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.max_conns, self.end = max_conns, time.time() + life
        self.hits = 0
        self.stop = threading.Event()
        ctx["stop"] = self.stop
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        n = 0
        while n < self.max_conns and time.time() < self.end and not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            n += 1
            self.hits += 1
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()
        try:
            self.sock.close()
        except OSError:
            pass

    def handle(self, conn):
        try:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 1_000_000:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            m = re.search(rb"content-length:\s*(\d+)", data, re.I)
            if m:
                want = int(m.group(1))
                body = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""
                t_end = time.time() + 10
                while len(body) < min(want, 50_000_000) and time.time() < t_end:
                    chunk = conn.recv(1 << 20)
                    if not chunk:
                        break
                    body += chunk
            behave(self.behaviour, conn, self.ctx)
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def close(self):
        self.stop.set()
        try:
            self.sock.close()
        except OSError:
            pass


class Canary:
    """A listener that only records whether anything connected to it."""

    def __init__(self):
        self.srv = FakeServer("good", {}, max_conns=20, life=90)
        self.port = self.srv.port

    @property
    def hit(self):
        return self.srv.hits > 0

    def close(self):
        self.srv.close()


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


def dir_digest(path):
    h = hashlib.sha256()
    if not os.path.exists(path):
        return "missing"
    for root, dirs, files in os.walk(path, followlinks=False):
        dirs.sort()
        for name in sorted(dirs + files):
            p = os.path.join(root, name)
            rel = os.path.relpath(p, path)
            st = os.lstat(p)
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0" + str(stat.S_IFMT(st.st_mode)).encode())
            if stat.S_ISLNK(st.st_mode):
                h.update(os.readlink(p).encode("utf-8", "surrogateescape"))
            elif stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def file_set(path):
    out = set()
    for root, dirs, files in os.walk(path):
        for n in dirs + files:
            out.add(os.path.relpath(os.path.join(root, n), path))
    return out


def fmt(s, ctx):
    if isinstance(s, bytes):
        return s
    for k, v in ctx.items():
        s = s.replace("{%s}" % k, str(v))
    return s


def run(argv, env, timeout=HANG, stdin=subprocess.DEVNULL):
    t0 = time.time()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, stdin=stdin, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        hung = True
    return dict(rc=p.returncode, out=out.decode("utf-8", "replace"), err=err.decode("utf-8", "replace"),
                time=time.time() - t0, hung=hung)


def contract(res, expect, validate=False, max_time=HANG):
    """Return a list of problems (empty = passes)."""
    probs = []
    rc, out, err = res["rc"], res["out"], res["err"]
    if res["hung"]:
        return ["hung (> %ds, killed)" % int(HANG)]
    if res["time"] > max_time:
        probs.append("took %.1fs (> %ss)" % (res["time"], max_time))
    for s, where in ((out, "stdout"), (err, "stderr")):
        if "Traceback (most recent call last)" in s:
            probs.append("Python traceback on " + where)
        if "internal error" in s.lower():
            probs.append("'internal error' on " + where)
        if "panicked at" in s or "RUST_BACKTRACE" in s:
            probs.append("Rust panic on " + where)
    if expect == "ok":
        if rc != 0:
            probs.append("expected exit 0, got %s" % rc)
        return probs
    if expect == "any" and rc == 0:
        return probs
    # error rules
    if rc == 0:
        probs.append("expected non-zero exit, got 0 (bad input accepted)")
    elif rc is not None and rc < 0:
        probs.append("killed by signal %d" % -rc)
    lines = [l for l in err.split("\n") if l.strip()]
    if validate:
        if len(lines) > 1:
            probs.append("%d stderr lines" % len(lines))
        chk = [l for l in out.split("\n") if l.strip()] + lines
        if rc != 0 and not chk:
            probs.append("no message at all")
    else:
        chk = lines
        if rc != 0 and len(lines) != 1:
            probs.append("%d non-empty stderr lines (want 1)" % len(lines))
    for l in chk:
        if len(l) >= 400:
            probs.append("message line of %d chars (>= 400)" % len(l))
            break
    for l in chk:
        if CTRL.search(l):
            probs.append("raw control character in message: %r" % CTRL.search(l).group())
            break
    return probs


# --------------------------------------------------------------------------
# case runners
# --------------------------------------------------------------------------
class Env:
    def __init__(self, sackg, workdir):
        self.sackg, self.workdir = sackg, workdir
        self.py = os.path.join(os.path.dirname(sackg), "python")
        self.shared_data = os.path.join(workdir, "shared-data")
        self.shared_cache = os.path.join(workdir, "shared-cache")
        self.pristine = None

    def base_env(self, cache):
        e = {k: v for k, v in os.environ.items() if not k.startswith("SACKG_")}
        e["SACKG_CACHE"] = cache
        e["PYTHONIOENCODING"] = "utf-8"
        e.pop("SACKG_DEBUG", None)
        return e


def do_setup(steps, w, ctx):
    for s in steps or []:
        if "write" in s:
            with open(os.path.join(w, s["write"]), "w", encoding="utf-8", newline="") as f:
                f.write(fmt(s["text"], ctx))
        elif "write_bytes" in s:
            with open(os.path.join(w, s["write_bytes"]), "wb") as f:
                f.write(base64.b64decode(s["b64"]))
        elif "mkfifo" in s:
            os.mkfifo(os.path.join(w, s["mkfifo"]))
        elif "mkdir" in s:
            os.makedirs(os.path.join(w, s["mkdir"]), exist_ok=True)
        elif "symlink" in s:
            os.symlink(s["to"], os.path.join(w, s["symlink"]))


def do_edit(steps, d):
    for s in steps or []:
        if "append" in s:
            with open(os.path.join(d, s["append"]), "a") as f:
                f.write(s["text"])
        elif "symlink" in s:
            os.symlink(s["to"], os.path.join(d, s["symlink"]))
        elif "delete" in s:
            os.remove(os.path.join(d, s["delete"]))
        elif "mkdir" in s:
            os.makedirs(os.path.join(d, s["mkdir"]))
        elif "replace" in s:
            p = os.path.join(d, s["replace"])
            t = open(p).read()
            open(p, "w").write(t.replace(s["old"], s["new"], 1))


def extra_checks(case, res, ctx):
    probs = []
    for chk in case.get("checks", []):
        name, args = chk[0], chk[1:]
        if name == "no_file":
            if os.path.exists(fmt(args[0], ctx)):
                probs.append("file %s was created (code ran)" % args[0])
        elif name == "stdout_max_lines":
            if len(res["out"].splitlines()) > args[0]:
                probs.append("stdout has %d lines (> %d): injection widened the result" % (len(res["out"].splitlines()), args[0]))
        elif name == "stdout_no_ctrl":
            m = CTRL.search(res["out"].replace("\n", ""))
            if m:
                probs.append("raw control character %r from the server printed on stdout" % m.group())
        elif name == "error_or_note_mentions":
            if res["rc"] == 0:
                try:
                    note = json.loads(res["out"]).get("note") or ""
                except ValueError:
                    note = res["out"]
                if args[0].lower() not in note.lower():
                    probs.append("answered (exit 0) without refusing or noting %r: note=%r" % (args[0], note[:150]))
        elif name == "json_threshold_not":
            if res["rc"] == 0:
                try:
                    b = json.loads(res["out"]).get("bindings", {})
                    v = (b.get("threshold") or {}).get("value")
                except ValueError:
                    v = None
                if v in args[0]:
                    probs.append("threshold silently read as %r" % v)
    return probs


def run_cli_case(case, E, w):
    ctx = {"w": w}
    canary = Canary() if case.get("canary") else None
    if canary:
        ctx["canary"] = canary.port
    try:
        do_setup(case.get("setup"), w, ctx)
        if case.get("data") == "fresh":
            data = os.path.join(w, "data")
            shutil.copytree(E.pristine, data, symlinks=True)
            cache = E.shared_cache  # the store is keyed by data fingerprint; sharing is what users do
            do_edit(case.get("edit"), data)
        else:
            data, cache = E.shared_data, E.shared_cache
        env = E.base_env(cache)
        for k, v in (case.get("env") or {}).items():
            env[k] = fmt(v, ctx)
        before = dir_digest(data)
        argv = [E.sackg]
        if not case.get("nodata"):
            argv += ["--data", data]
        argv += [fmt(a, ctx) for a in case.get("pre", [])]
        argv += [fmt(a, ctx) if isinstance(a, str) else a for a in case["cmd"]]
        res = run(argv, env, timeout=HANG)
        probs = contract(res, case["expect"], case.get("validate", False), case.get("max_time", HANG))
        after = dir_digest(data)
        if before != after and case["expect"] != "ok":
            probs.append("data directory changed")
        probs += extra_checks(case, res, ctx)
        if canary and canary.hit:
            probs.append("another local address (canary) was contacted")
        return res, probs
    finally:
        if canary:
            canary.close()


def run_endpoint_case(case, E, w):
    ctx = {"w": w}
    canary = Canary()
    ctx["canary"] = canary.port
    if case["behaviour"] == "gzipbomb":
        ctx["bomb"] = gzip.compress(b" " * 300_000_000, compresslevel=9)
    if case["behaviour"] == "closed_port":
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        srv = None
    else:
        srv = FakeServer(case["behaviour"], ctx)
        port = srv.port
    ctx["port"] = port
    try:
        env = E.base_env(E.shared_cache)
        for k, v in (case.get("env") or {}).items():
            env[k] = fmt(v, ctx)
        before = dir_digest(E.shared_data)
        argv = [E.sackg, "--data", E.shared_data]
        if not case.get("noendpoint"):
            argv += ["--endpoint", "http://127.0.0.1:%d/query" % port]
        argv += [fmt(a, ctx) for a in case["cmd"]]
        res = run(argv, env, timeout=HANG)
        probs = contract(res, case["expect"], False, case.get("max_time", 20))
        if dir_digest(E.shared_data) != before:
            probs.append("data directory changed")
        probs += extra_checks(case, res, ctx)
        if canary.hit:
            probs.append("redirect followed / other address contacted")
        return res, probs
    finally:
        if srv:
            srv.close()
        canary.close()


def run_signal_case(case, E, w):
    env = E.base_env(E.shared_cache)
    env.update(case.get("env") or {})
    argv = [E.sackg, "--data", E.shared_data] + case["cmd"]
    t0 = time.time()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    time.sleep(case["after"])
    p.send_signal(getattr(signal, "SIG" + case["signal"]))
    t1 = time.time()
    try:
        out, err = p.communicate(timeout=case["max_time"])
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        hung = True
    res = dict(rc=p.returncode, out=out.decode("utf-8", "replace"), err=err.decode("utf-8", "replace"), time=time.time() - t0, hung=hung)
    probs = []
    if hung:
        probs.append("did not stop within %ss of SIG%s" % (case["max_time"], case["signal"]))
    else:
        if time.time() - t1 > 5:
            probs.append("took %.1fs to stop after the signal" % (time.time() - t1))
        if "Traceback" in res["err"] or "internal error" in res["err"].lower():
            probs.append("traceback/internal error on stop")
        lines = [l for l in res["err"].splitlines() if l.strip()]
        if res["rc"] == 0:
            probs.append("exit 0 after signal")
        elif res["rc"] > 0 and len(lines) > 1:
            probs.append("%d stderr lines" % len(lines))
        # judgement: death by the signal itself (rc < 0) with no output is accepted
    return res, probs


def run_kill_case(case, E, w):
    data = os.path.join(w, "data")
    shutil.copytree(E.pristine, data, symlinks=True)
    pth = os.path.join(w, "p.yaml")
    open(pth, "w").write(paper())
    env = E.base_env(E.shared_cache)
    old = dir_digest(data)
    # the "new" state: add to a second copy normally
    data2 = os.path.join(w, "data-ref")
    shutil.copytree(E.pristine, data2, symlinks=True)
    r = run([E.sackg, "--data", data2, "add", pth], env)
    if r["rc"] != 0:
        return r, ["reference add failed: " + r["err"][:150]]
    new = dir_digest(data2)
    probs, last = [], r
    for delay in (0.15, 0.5, 1.0, 2.0, 3.5):
        shutil.rmtree(data)
        shutil.copytree(E.pristine, data, symlinks=True)
        p = subprocess.Popen([E.sackg, "--data", data, "add", pth], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        time.sleep(delay)
        p.kill()
        p.wait()
        r2 = run([E.sackg, "--data", data, "validate"], env)
        last = r2
        if "Traceback" in r2["err"] + r2["out"]:
            probs.append("traceback after kill at %.2fs" % delay)
        d = dir_digest(data)
        if d not in (old, new):
            extra = sorted(file_set(data) - file_set(E.pristine))
            probs.append("after kill -9 at %.2fs the data is neither old nor new (extra: %s)" % (delay, extra[:4]))
    return last, probs


def run_concurrency_case(case, E, w):
    data = os.path.join(w, "data")
    shutil.copytree(E.pristine, data, symlinks=True)
    cache = os.path.join(w, "cache")
    env = E.base_env(cache)
    files = []
    procs = []
    kind = case["kind"]
    if kind == "concurrency":
        for i, (pid, doi, sysn, mat) in enumerate((("conc-a", "10.5555/conc.a", "ConcA-SA", "conc mat a"), ("conc-b", "10.5555/conc.b", "ConcB-SA", "conc mat b"))):
            f = os.path.join(w, pid + ".yaml")
            open(f, "w").write(paper(ID=pid, DOI='"%s"' % doi, SYS=sysn, SYSSYN=sysn + " x", MAT=mat, MATSYN=mat.upper().replace(" ", "")))
            files.append(f)
        cmds = [["ask", ASKQ], ["ask", "lowest nucleation overpotential for K?"], ["ask", "tell me about SA-Co@HC"], ["stats"], ["add", files[0]], ["add", files[1]]]
    elif kind == "concurrency2":
        for pid, sysn, mat in (("same-a", "SameA-SA", "same mat a"), ("same-b", "SameB-SA", "same mat b")):
            f = os.path.join(w, pid + ".yaml")
            open(f, "w").write(paper(ID=pid, DOI='"10.5555/same.doi"', SYS=sysn, SYSSYN=sysn + " x", MAT=mat, MATSYN=mat.upper().replace(" ", "")))
            files.append(f)
        cmds = [["add", files[0]], ["add", files[1]]]
    else:
        env = E.base_env(E.shared_cache)
        cmds = [["ask", ASKQ]] * 6
    t0 = time.time()
    for c in cmds:
        procs.append((c, subprocess.Popen([E.sackg, "--data", data] + c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)))
    if kind == "concurrency3":
        for i in range(5):
            time.sleep(0.3)
            with open(os.path.join(data, "papers", "ref-020.yaml"), "a") as f:
                f.write("# edit %d\n" % i)
    results, probs = [], []
    for c, p in procs:
        try:
            out, err = p.communicate(timeout=max(5, 90 - (time.time() - t0)))
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
            probs.append("%s hung" % c[0])
        out, err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
        results.append((c, p.returncode, out, err))
        if "Traceback" in out + err or "internal error" in (out + err).lower():
            probs.append("%s: traceback/internal error: %s" % (c[0], err.strip().splitlines()[-1][:120] if err.strip() else ""))
    if kind == "concurrency":
        for c, rc, out, err in results:
            if rc != 0:
                probs.append("%s exited %s: %s" % (" ".join(c[:1]), rc, err.strip()[:150]))
        papers = set(os.listdir(os.path.join(data, "papers")))
        for pid in ("conc-a", "conc-b"):
            if pid + ".yaml" not in papers:
                probs.append("paper %s missing after concurrent adds" % pid)
    elif kind == "concurrency2":
        rcs = [r[1] for r in results]
        if sorted(rcs) != [0, 1]:
            probs.append("exit codes %s (want exactly one 0 and one 1)" % rcs)
        papers = set(os.listdir(os.path.join(data, "papers")))
        n = len({"same-a.yaml", "same-b.yaml"} & papers)
        if n != 1:
            probs.append("%d papers with the same DOI stored" % n)
        for c, rc, out, err in results:
            if rc != 0 and len([l for l in err.splitlines() if l.strip()]) != 1:
                probs.append("loser printed %d stderr lines" % len(err.splitlines()))
    else:
        for c, rc, out, err in results:
            if rc != 0 and len([l for l in err.splitlines() if l.strip()]) != 1:
                probs.append("ask exited %s with %d stderr lines" % (rc, len(err.splitlines())))
    agg = dict(rc=max((r[1] for r in results), key=lambda x: abs(x or 0)), out="", err=" | ".join(r[3].strip()[:80] for r in results if r[3].strip()),
               time=time.time() - t0, hung=False)
    return agg, probs


def parse_back_checks(E, outdir):
    """Run the independent parse-back checks in the tool's own interpreter (rdflib is there)."""
    code = r'''
import sys, os, csv, json, re, xml.etree.ElementTree as ET
d = sys.argv[1]
probs = []
def rd(p): return open(os.path.join(d, p), encoding="utf-8").read()
# CSV formula cells
for root, _, files in os.walk(os.path.join(d, "csv")):
    for fn in files:
        with open(os.path.join(root, fn), newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        try:
                            float(cell); continue
                        except ValueError:
                            probs.append("CSV formula cell in %s: %r" % (fn, cell[:60]))
# BibTeX: every entry starts a line with @type{key, ; count them against references.csv rows
bib = rd("refs.bib")
entries = re.findall(r"(?m)^\s*@(\w+)\s*\{\s*([^,\s]*)", bib)
if any(k.lower() == "pwned" for _, k in entries):
    probs.append("BibTeX entry injected (@misc{pwned)")
inj = re.search(r"@misc\{pwned", bib)
if inj: probs.append("BibTeX text '@misc{pwned' appears unescaped")
depth = 0
for ch in re.sub(r"\\.", "", bib):
    depth += ch == "{"; depth -= ch == "}"
    if depth < 0: probs.append("BibTeX braces unbalanced"); break
if depth != 0 and "BibTeX braces unbalanced" not in probs: probs.append("BibTeX braces unbalanced (%d)" % depth)
try:
    import bibtexparser
    lib = bibtexparser.loads(bib) if hasattr(bibtexparser, "loads") else bibtexparser.parse_string(bib)
except ImportError:
    pass
except Exception as e:
    probs.append("BibTeX does not parse: %s" % str(e)[:80])
# XML formats
for fn in ("g.rdf", "g.graphml"):
    try: ET.parse(os.path.join(d, fn))
    except Exception as e: probs.append("%s is not well-formed XML: %s" % (fn, str(e)[:80]))
# RDF parse-back
import rdflib
sizes = {}
for fn, f in (("g.ttl", "turtle"), ("g.nt", "nt"), ("g.jsonld", "json-ld"), ("g.rdf", "xml")):
    try:
        g = rdflib.Graph(); g.parse(os.path.join(d, fn), format=f); sizes[fn] = len(g)
        hits = [o for o in g.objects() if isinstance(o, rdflib.Literal) and "HYPERLINK" in str(o)]
        if not hits: probs.append("%s lost the hostile author literal" % fn)
    except Exception as e:
        probs.append("%s does not parse back: %s" % (fn, str(e)[:80]))
if len(set(sizes.values())) > 1: probs.append("RDF exports differ in size: %s" % sizes)
# HTML
h = rd("g.html")
if "<script>alert(1)</script>" in h: probs.append("HTML export holds the injected <script> raw")
try:
    json.loads(rd("ro-crate-metadata.json"))
except Exception as e:
    probs.append("RO-Crate JSON does not parse: %s" % str(e)[:80])
print(json.dumps(probs))
'''
    r = subprocess.run([E.py, "-c", code, outdir], capture_output=True, text=True, timeout=120)
    try:
        return json.loads(r.stdout.strip().splitlines()[-1])
    except Exception:
        return ["parse-back checker failed: " + (r.stderr.strip().splitlines() or ["?"])[-1][:150]]


def run_export_case(case, E, w):
    data = os.path.join(w, "data")
    shutil.copytree(E.pristine, data, symlinks=True)
    do_setup(case.get("setup"), w, {"w": w})
    env = E.base_env(E.shared_cache)
    r = run([E.sackg, "--data", data, "add", os.path.join(w, "p.yaml")], env)
    probs = contract(r, "ok")
    if r["rc"] != 0:
        return r, ["setup: the hostile-but-allowed paper was refused: " + r["err"].strip()[:200]]
    outdir = os.path.join(w, "out")
    os.makedirs(outdir)
    last = r
    for fmt_, name in (("turtle", "g.ttl"), ("ntriples", "g.nt"), ("jsonld", "g.jsonld"), ("rdfxml", "g.rdf"), ("graphml", "g.graphml"),
                       ("csv", "csv"), ("bibtex", "refs.bib"), ("rocrate", "ro-crate-metadata.json"), ("html", "g.html")):
        r = run([E.sackg, "--data", data, "export", "--format", fmt_, "-o", os.path.join(outdir, name)], env)
        last = r
        p = contract(r, "ok")
        if p:
            probs += ["export %s: %s (%s)" % (fmt_, x, r["err"].strip()[:100]) for x in p]
    if not probs:
        probs += parse_back_checks(E, outdir)
    return last, probs


def wait_port(port, t=40):
    end = time.time() + t
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def http_raw(port, raw, timeout=15, short=False):
    """Send raw bytes; return (status, body, seconds).  status 0 = connection closed/reset without a status."""
    t0 = time.time()
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(raw)
        except OSError:
            pass
        if short:
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        data = b""
        while len(data) < 5_000_000 and time.time() - t0 < timeout:
            try:
                c = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                break
            if not c:
                break
            data += c
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    st = int(m.group(1)) if m else 0
    body = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""
    return st, body.decode("utf-8", "replace"), time.time() - t0


def build_request(req, port, ctx):
    if "raw" in req:
        return fmt(req["raw"], ctx).encode("utf-8", "surrogateescape")
    method = req.get("method", "GET")
    path = req.get("path", "/query")
    qs = None
    if "q" in req:
        qs = "query=" + urllib.parse.quote(fmt(req["q"], ctx))
    if "rawqs" in req:
        qs = fmt(req["rawqs"], ctx)
    if qs:
        path += ("&" if "?" in path else "?") + qs
    host = fmt(req.get("host", "127.0.0.1:{port}"), ctx)
    headers = ["Host: " + host, "Connection: close", "Accept: application/sparql-results+json"]
    body = b""
    if "body" in req:
        body = fmt(req["body"], ctx).encode(req.get("enc", "utf-8"))
        if req.get("gzip"):
            body = gzip.compress(body)
            headers.append("Content-Encoding: gzip")
        if req.get("deflate"):
            import zlib
            co = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, as many servers expect
            body = co.compress(body) + co.flush()
            headers.append("Content-Encoding: deflate")
        headers.append("Content-Type: " + req["ctype"])
        if req.get("chunked"):
            headers.append("Transfer-Encoding: chunked")
            half = body.find(b"SERV") + 3
            parts = [body[:half], body[half:]]
            body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"
        else:
            headers.append("Content-Length: %d" % len(body))
    elif method in ("PUT", "POST", "DELETE"):
        headers.append("Content-Length: 0")
    return ("%s %s HTTP/1.1\r\n%s\r\n\r\n" % (method, path, "\r\n".join(headers))).encode() + body


def run_serve_case(case, E, w):
    port = free_port()
    canary = Canary()
    ctx = {"w": w, "port": port, "canary": canary.port}
    env = E.base_env(E.shared_cache)
    argv = [E.sackg, "--data", E.shared_data, "serve", "--port", str(port)]
    if case.get("writable"):
        argv.append("--writable")
    if case.get("timeout"):
        argv += ["--timeout", str(case["timeout"])]
    before = dir_digest(E.shared_data)
    errf = open(os.path.join(w, "serve.err"), "w+b")
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errf, env=env, start_new_session=True)
    probs, statuses = [], []
    slow = []
    t0 = time.time()
    try:
        if not wait_port(port, 40):
            return dict(rc=p.poll(), out="", err="", time=0, hung=False), ["server did not come up in 40 s"]
        time.sleep(0.5)
        if p.poll() is not None and not case.get("_retried"):  # another test's server took the port first
            return run_serve_case({**case, "_retried": True}, E, w)
        for i in range(case.get("slowloris", 0)):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n")
            slow.append(s)
        for req in case["reqs"]:
            raw = build_request(req, port, ctx)
            try:
                st, body, dt = http_raw(port, raw, timeout=req.get("max_time", 20) + 5, short=req.get("short", False))
            except OSError as e:
                st, body, dt = 0, str(e), 0
            statuses.append(st)
            if st not in req["ok"]:
                probs.append("%s %s -> HTTP %s (want %s) %s" % (req.get("method", "GET"), req.get("path", "/query"), st, req["ok"], body.strip()[:80].replace("\n", " ")))
            if "max_time" in req and dt > req["max_time"]:
                probs.append("answer took %.1fs (> %ss)" % (dt, req["max_time"]))
            if "body_has" in req and req["body_has"] not in body:
                probs.append("answer lacks %r: %s" % (req["body_has"], body[:80]))
        # still alive and answering?
        time.sleep(0.3)
        try:
            st, body, dt = http_raw(port, build_request({"q": "ASK { ?s ?p ?o }"}, port, ctx), timeout=15)
        except OSError:
            st, body = 0, ""
        if st != 200 or "true" not in body:
            probs.append("server no longer answers a plain ASK (HTTP %s)" % st)
        time.sleep(0.5)
        if canary.hit:
            probs.append("request reached another address (canary contacted)")
    finally:
        for s in slow:
            s.close()
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                probs.append("serve did not stop within 10 s of SIGINT")
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        else:
            probs.append("serve exited by itself (rc %s)" % p.returncode)
        try:
            os.killpg(p.pid, signal.SIGKILL)  # the Oxigraph child, if any, is in our session
        except OSError:
            pass
        canary.close()
        errf.seek(0)
        err = errf.read().decode("utf-8", "replace")
        errf.close()
    if "Traceback" in err or "panicked" in err:
        probs.append("traceback/panic in serve's stderr")
    if dir_digest(E.shared_data) != before:
        probs.append("data directory changed")
    return dict(rc=p.returncode, out="statuses %s" % statuses, err=err, time=time.time() - t0, hung=False), probs


def run_portbusy_case(case, E, w):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = s.getsockname()[1]
    try:
        res = run([E.sackg, "--data", E.shared_data, "serve", "--port", str(port)], E.base_env(E.shared_cache), timeout=HANG)
    finally:
        s.close()
    return res, contract(res, "error")


RUNNERS = {"cli": run_cli_case, "endpoint": run_endpoint_case, "signal": run_signal_case, "kill": run_kill_case,
           "concurrency": run_concurrency_case, "concurrency2": run_concurrency_case, "concurrency3": run_concurrency_case,
           "export": run_export_case, "serve": run_serve_case, "portbusy": run_portbusy_case}


def run_one(case, E):
    w = os.path.join(E.workdir, "cases", case["id"])
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    t0 = time.time()
    try:
        res, probs = RUNNERS[case.get("kind", "cli")](case, E, w)
    except Exception as e:  # a probe bug is reported as such, never as a tool pass
        res, probs = dict(rc=None, out="", err="", time=time.time() - t0, hung=False), ["PROBE ERROR: %r" % (e,)]
    return dict(id=case["id"], group=case["group"], desc=case["desc"], expect=case.get("expect", "see kind"),
                passed=not probs, problems=probs, rc=res.get("rc"), seconds=round(time.time() - t0, 2),
                stderr=res.get("err", "")[:200], stdout=res.get("out", "")[:200])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sackg", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--jobs", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated case ids or prefixes")
    ap.add_argument("--source-data", required=True)
    a = ap.parse_args()
    E = Env(os.path.abspath(a.sackg), os.path.abspath(a.workdir))
    os.makedirs(E.workdir, exist_ok=True)
    E.pristine = os.path.join(E.workdir, "pristine-data")
    for d in (E.pristine, E.shared_data):
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(a.source_data, d, symlinks=True)
    os.makedirs(E.shared_cache, exist_ok=True)
    t0 = time.time()
    b = run([E.sackg, "--data", E.shared_data, "build"], E.base_env(E.shared_cache), timeout=120)
    print("shared store build: rc=%s %.1fs %s" % (b["rc"], b["time"], (b["out"] + b["err"]).strip()[:120]), flush=True)
    cases = CASES
    if a.only:
        keys = a.only.split(",")
        cases = [c for c in CASES if any(c["id"] == k or c["id"].startswith(k) for k in keys)]
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    # slow cases first so the pool drains evenly
    slow_kinds = {"kill", "concurrency", "concurrency2", "concurrency3", "export", "serve"}
    cases = sorted(cases, key=lambda c: (c.get("kind", "cli") not in slow_kinds,))
    results = []
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = {ex.submit(run_one, c, E): c for c in cases}
        for f in cf.as_completed(futs):
            r = f.result()
            results.append(r)
            print("%-4s %-30s %5.1fs %s" % ("PASS" if r["passed"] else "FAIL", r["id"], r["seconds"], "; ".join(r["problems"])[:150]), flush=True)
    order = {c["id"]: i for i, c in enumerate(CASES)}
    results.sort(key=lambda r: order[r["id"]])
    shared_ok = dir_digest(E.shared_data) == dir_digest(E.pristine)
    summary = {}
    for r in results:
        s = summary.setdefault(r["group"], {"pass": 0, "fail": 0})
        s["pass" if r["passed"] else "fail"] += 1
    meta = dict(sackg=E.sackg, seconds=round(time.time() - t0, 1), jobs=a.jobs, shared_data_unchanged=shared_ok, summary=summary)
    with open(os.path.join(E.workdir, "results.json"), "w") as f:
        json.dump(dict(meta=meta, results=results), f, indent=1, ensure_ascii=False)

    def cell(s):
        s = CTRL.sub(lambda m: "\\x%02x" % ord(m.group()), s)
        return s.replace("|", "\\|").replace("\n", " ⏎ ")

    with open(os.path.join(E.workdir, "results.md"), "w") as f:
        f.write("# sackg probe results\n\n")
        f.write("sackg: `%s`; run took %ss with %d jobs; shared data unchanged: %s\n\n" % (E.sackg, meta["seconds"], a.jobs, shared_ok))
        for g, s in summary.items():
            f.write("- **%s**: %d pass, %d fail\n" % (g, s["pass"], s["fail"]))
        f.write("\n| id | group | result | what went wrong | exit | stderr (first 200 chars) |\n|---|---|---|---|---|---|\n")
        for r in results:
            f.write("| %s | %s | %s | %s | %s | %s |\n" % (r["id"], r["group"], "pass" if r["passed"] else "**FAIL**",
                                                        cell("; ".join(r["problems"]))[:400], r["rc"], cell(r["stderr"][:200])))
    print("summary:", json.dumps(summary), "shared data unchanged:", shared_ok, "total %.1fs" % meta["seconds"])


if __name__ == "__main__":
    main()
