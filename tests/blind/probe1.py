#!/usr/bin/env python3
"""Adversarial contract probe for the `sackg` command-line tool (black box).

Every case is data (see CASES): how to run it, what it feeds the tool and which contract it
expects.  The runner gives each case a fresh copy of the curated data, a fresh cache, a fresh
working directory, and checks automatically:

  * exit status: "error" -> 1 or 2; "ok" -> 0; "any" -> 0, 1 or 2 (never a signal/crash code);
  * on a non-zero exit: exactly one non-empty stderr line, shorter than 400 characters;
  * no Python traceback / Rust panic anywhere in stdout or stderr;
  * no raw control characters, escape sequences or bidi overrides in stderr;
  * the data directory is byte-identical afterwards (hidden files included), unless the command
    is allowed to write (add/remove) and succeeded;
  * it ends within the case's time limit (default 60 s, a hang otherwise);
  * case-specific checks (exports parse and are not injectable, no network request was made, ...);
  * after an accepted write, follow-up commands (ask/show/stats/export) still exit 0.

Network traffic goes only to 127.0.0.1: fake SPARQL endpoints are started in-process, and some of
them proxy to a real `sackg serve` started once for the run (falls back to empty results).

Usage:  run_probe.py --sackg PATH/TO/sackg --workdir DIR [--jobs N] [--only SUBSTR] [--data-src DIR] [--share]
Writes DIR/results.json and DIR/results.md.

Written by a tester who had not read SAC-KG's code (issue 11, blind probe 1, before the fixes). The one
change made when it joined the test suite is `--share`: cases that only read (no data setup, no
files in the data, no add or remove) then share one data copy and one cache built once, so that the
run fits the suite's time; their data is still byte-compared before and after.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import csv
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zlib

HANG_SECONDS = 60
MAX_MSG = 400

# --------------------------------------------------------------------------------------------
# A valid paper file; cases override fields with raw YAML fragments.
# --------------------------------------------------------------------------------------------
PAPER_TEMPLATE = """\
# probe paper
reference:
  id: {{ref_id}}
  authors: {{authors}}
  title: {{title}}
  journal: {{journal}}
  year: {{year}}
  doi: {{doi}}
  cited_for: {{cited_for}}
{{materials}}
systems:
  - name: {{sys_name}}
    synonyms: {{synonyms}}
    centre_metals: {{centre}}
    support:
      name: {{support_name}}
      kinds: [N-doped carbon]
    coordination: M-N-C
    alkali_metals: {{alkali}}
    roles: [anode host]
    note: {{sys_note}}
{{extra_systems}}
measurements:
  - {{meas_owner}}
    quantity: {{quantity}}
    value: {{value}}
    origin: measured
    metal: {{metal}}
    conditions: {{conditions}}
    note: {{meas_note}}
{{extra_measurements}}
claims:
  - system: {{sys_name}}
    mechanism: nucleation
    metal: {{claim_metal}}
    effect: lowers barrier
    evidence: {{evidence}}
{{extra}}
"""

PAPER_DEFAULTS = {
    "ref_id": "probe-2025",
    "authors": '["R. Probe", "Q. Tester"]',
    "title": '"A probe paper"',
    "journal": '"Adv. Energy Mater."',
    "year": "2025",
    "doi": '"10.5555/sackg.probe.2025.1"',
    "cited_for": '"Probe."',
    "materials": "",
    "sys_name": "ProbeSA-X1",
    "synonyms": "[]",
    "centre": "[Zn]",
    "support_name": "probe carbon",
    "alkali": "[K]",
    "sys_note": '"probe system"',
    "extra_systems": "",
    "meas_owner": "system: ProbeSA-X1",
    "quantity": "nucleation overpotential",
    "value": "18 mV",
    "metal": "K",
    "conditions": "{current density: 0.5 mA cm-2}",
    "meas_note": '"probe"',
    "extra_measurements": "",
    "evidence": "[DFT]",
    "claim_metal": "K",
    "extra": "",
}


def paper(**over) -> str:
    text = PAPER_TEMPLATE
    for key, default in PAPER_DEFAULTS.items():
        text = text.replace("{{%s}}" % key, str(over.get(key, default)))
    return text


SECOND = dict(ref_id="probe-2025-b", doi='"10.5555/sackg.probe.2025.2"', sys_name="ProbeSA-X2",
              meas_owner="system: ProbeSA-X2")

# Follow-up commands that must still exit 0 after an accepted write (the knowledge base must work).
FOLLOW = [
    ["ask", "lowest nucleation overpotential for K?"],
    ["show", "Zn"],
    ["stats"],
    ["export", "--format", "turtle", "-o", "{case}/follow.ttl"],
]
ASK = ["ask", "which mechanisms are supported for Na?"]
EP = ["--endpoint", "{url}"]
SEL = "SELECT ?s WHERE { ?s a ?c } LIMIT 3"

# --------------------------------------------------------------------------------------------
# Cases.  Keys:
#   id, group (known|new|endpoint), desc
#   args       argv after `sackg --data DATA` (placeholders {data} {case} {url} {port} {canary})
#   files      {name: text}   written into the case directory (also: files_bytes {name: bytes})
#   encoding   how `files` are encoded (utf-8 default; utf-16, latin-1, utf-8-sig, crlf)
#   setup      list of steps: ["mkfifo", name] ["symlink", target, name] ["mkdir", name]
#              ["build"] ["touch_data", rel] ["write_data", rel, text] ["bigfile", name, MB, kind]
#   env        extra environment; "no_data": True drops --data
#   server     fake endpoint behaviour (see BEHAVIOURS); canary: True starts a counting server
#   expect     error | ok | any ;  allowed_rc overrides
#   may_write  the command may change the data when it succeeds (add/remove)
#   follow     follow-up commands (default FOLLOW for may_write) run when the case exits 0
#   checks     extra checks, see check_extra()
#   kind       special runner: concurrent | signal | sigpipe | stdout_closed | kill_build |
#              serve_service | serve_slow | serve_port_busy
#   max_seconds  a tighter time limit
# --------------------------------------------------------------------------------------------
CASES: list[dict] = []


def case(**kw):
    kw.setdefault("expect", "error")
    CASES.append(kw)


def add_case(id, group, desc, expect="error", files=None, args=None, **kw):
    """A case that runs `sackg add p.yaml` (by default) on generated files."""
    case(id=id, group=group, desc=desc, expect=expect, files=files or {},
         args=args or ["add", "p.yaml"], may_write=True, **kw)


# ---------------------------------------------------------------- known (earlier probe) ------
case(id="known-concurrent-asks-after-touch", group="known", kind="concurrent", expect="ok",
     desc="4 concurrent asks right after a data file is touched (Sst file size mismatch)",
     setup=[["build"], ["touch_data", "papers/ref-070.yaml"]], args=ASK)
add_case("known-huge-29digit-value", "known", "value 100000000000000000000000000000 mV accepted then breaks commands",
         files={"p.yaml": paper(value="100000000000000000000000000000 mV")})
add_case("known-value-1e400", "known", "value 1e400 mV (overflows to inf)",
         files={"p.yaml": paper(value="1e400 mV")})
add_case("known-10000-digit-value", "known", "a 10,000-digit cycle life",
         files={"p.yaml": paper(quantity="cycle life", value="9" * 10000 + " h")})
add_case("known-lone-surrogate", "known", "a lone surrogate escape in a note",
         files={"p.yaml": paper(sys_note=r'"bad \ud800 note"')})
add_case("known-dup-ids-underscore-dash", "known", "reference ids dup_2025 and dup-2025 in one add",
         expect="any", args=["add", "a.yaml", "b.yaml"], checks=[["papers_added", 2]],
         files={"a.yaml": paper(ref_id="dup_2025"),
                "b.yaml": paper(ref_id="dup-2025", **{k: v for k, v in SECOND.items() if k != "ref_id"})})
case(id="known-drip-endpoint", group="known", server="drip", args=EP + ASK, env={"SACKG_TIMEOUT": "3"},
     max_seconds=25, desc="endpoint drips one byte every 0.5 s; SACKG_TIMEOUT=3 must bound it")
case(id="known-serve-follows-service", group="known", kind="serve_service", expect="ok",
     desc="`sackg serve` must not follow SERVICE <http://127.0.0.1:canary/>")
case(id="known-serve-no-time-limit", group="known", kind="serve_slow", expect="ok",
     desc="`sackg serve` answers a cartesian COUNT within 30 s (a time limit)")
add_case("known-bibtex-doi-injection", "known", "DOI `10.5555/a},note={evil` then export bibtex",
         expect="any", files={"p.yaml": paper(doi='"10.5555/a},note={evil"')}, checks=[["export", "bibtex_sane"]])
add_case("known-csv-formula", "known", "formula-looking title/notes then export csv",
         expect="any", checks=[["export", "csv_no_formula"]],
         files={"p.yaml": paper(title='"=HYPERLINK(\\"http://127.0.0.1/\\",\\"x\\")"', sys_note='"+1+cmd|calc"',
                                cited_for='"@SUM(A1:A9)"', meas_note='"-2+3"')})
add_case("known-bibtex-and-author", "known", 'one author "A. Smith and B. Jones" then export bibtex',
         expect="any", files={"p.yaml": paper(authors='["A. Smith and B. Jones"]')},
         checks=[["export", "bibtex_author_count", 1]])
add_case("known-control-char-rdfxml", "known", "a \\x01 in a note then export rdfxml",
         expect="any", files={"p.yaml": paper(sys_note=r'"bell\x01char\x0bvt"')}, checks=[["export", "rdfxml_parses"]])
case(id="known-invalid-utf8-argv", group="known", expect="any",
     args=["ask", "which mechanisms \udcff\udcfe are supported for Na?"], desc="invalid UTF-8 bytes in argv")
case(id="known-29digit-question", group="known", expect="any",
     args=["ask", "Na systems with cycle life over 100000000000000000000000000000 h"], desc="29-digit number in a question")
case(id="known-nested-json-endpoint", group="known", server="nested_json", args=EP + ASK,
     desc="endpoint answers 200,000 nested JSON arrays")
for v in ["abc", "-1", "inf", "nan"]:
    case(id=f"known-timeout-{v}", group="known", server="proxy", args=EP + ASK, env={"SACKG_TIMEOUT": v},
         desc=f"SACKG_TIMEOUT={v}")
case(id="known-endpoint-bad-ipv6", group="known", args=["--endpoint", "http://[::1", *ASK],
     desc="--endpoint 'http://[::1'")
add_case("known-deep-yaml", "known", "100,000 nested flow sequences",
         files={"p.yaml": paper(sys_note="[" * 100000 + "]" * 100000)})
add_case("known-alias-bomb", "known", "billion-laughs YAML alias bomb (9^9 leaves) as a system note",
         files={"p.yaml": paper(sys_note="[&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol], " + ", ".join(
             f"&a{i} [{', '.join(['*a%d' % (i - 1)] * 9)}]" for i in range(1, 10)) + "]")})
add_case("known-complex-key", "known", "complex mapping key `? [a, b]`",
         files={"p.yaml": paper(extra="? [a, b]\n: c\n")})
case(id="known-exponent-question", group="known", expect="any",
     args=["ask", "Na systems with cycle life more than 0.0000001 h"], desc="tiny number (exponent form) in a question")
case(id="known-param-exponent", group="known", expect="any",
     args=["query", "--sparql", "SELECT ?v WHERE { }", "--param", "v=1.5e3"], desc="--param v=1.5e3")
add_case("known-negative-cycle-life", "known", "cycle life -5 h",
         files={"p.yaml": paper(quantity="cycle life", value="-5 h")})
add_case("known-underflow-value", "known", "value 1e-400 mV (underflows to 0)",
         files={"p.yaml": paper(value="1e-400 mV")})
add_case("known-50mb-note", "known", "a 50 MB note", setup=[["bignote", "p.yaml", 50]])
case(id="known-stale-tmp-after-kill", group="known", kind="kill_build", expect="ok", args=ASK,
     desc="build killed with SIGKILL leaves kb-*.tmp-PID folders that are never cleaned")
case(id="known-huge-name-echo", group="known", args=["show", "Z" * 100000],
     desc="a 100 KB entity name must not be echoed in full")
case(id="known-escape-seq-echo", group="known", args=["show", "\x1b[31mred\x1b[0m\nsecond line\x07"],
     desc="escape sequences and newlines in a name must not reach stderr raw")
case(id="known-port-busy-rust-backtrace", group="known", kind="serve_port_busy", env={"RUST_BACKTRACE": "1"},
     checks=[["stderr_matches", r"(?i)in use|address|port \d+"], ["stderr_excludes", "_start"]],
     desc="sackg serve on a port already in use, RUST_BACKTRACE=1")
case(id="known-symlink-echo", group="known", args=["add", "p.yaml"],
     setup=[["write", "secret.txt", "SECRET-FIRST-LINE-4242: [unclosed\n"], ["symlink", "secret.txt", "p.yaml"]],
     checks=[["stderr_excludes", "SECRET-FIRST-LINE"]], desc="a symlink passed to add echoes the target's first line")

# ---------------------------------------------------------------- new: YAML types -----------
add_case("yaml-doi-list", "new", "doi is a list", files={"p.yaml": paper(doi='["10.5555/a.1", "10.5555/a.2"]')})
add_case("yaml-year-date", "new", "year is a YAML date", files={"p.yaml": paper(year="2025-01-01")})
add_case("yaml-year-bool", "new", "year is a YAML 1.1 boolean (yes)", files={"p.yaml": paper(year="yes")})
add_case("yaml-year-float", "new", "year is 2025.5", files={"p.yaml": paper(year="2025.5")})
add_case("yaml-authors-string", "new", "authors is a string, not a list (must not be split per character)",
         expect="any", files={"p.yaml": paper(authors='"R. Probe"')}, checks=[["export", "bibtex_author_count", 1]])
add_case("yaml-authors-null-int", "new", "authors contains null and an integer",
         files={"p.yaml": paper(authors="[~, 42]")})
add_case("yaml-python-tag", "new", "!!python/object/apply:os.system tag must not execute",
         files={"p.yaml": paper(doi='!!python/object/apply:os.system ["touch pwned"]')}, checks=[["path_absent", "{case}/pwned"]])
add_case("yaml-custom-tag", "new", "unknown local tag !unit", files={"p.yaml": paper(value="!unit 18 mV")})
add_case("yaml-dup-key", "new", "duplicate doi key in reference",
         files={"p.yaml": paper(cited_for='"x"\n  doi: "10.5555/sackg.probe.dup"')})
add_case("yaml-dup-toplevel", "new", "two `systems:` sections (the second silently wins?)",
         files={"p.yaml": paper(extra="systems:\n  - name: Other\n")})
add_case("yaml-multi-document", "new", "two YAML documents in one file",
         files={"p.yaml": paper() + "---\n" + paper(**SECOND)})
add_case("yaml-top-list", "new", "top level is a list", files={"p.yaml": "- reference: {id: x}\n"})
add_case("yaml-top-scalar", "new", "top level is a scalar", files={"p.yaml": "just a string\n"})
add_case("yaml-empty", "new", "empty file", files={"p.yaml": ""})
add_case("yaml-systems-mapping", "new", "systems is a mapping, not a list",
         files={"p.yaml": "reference: {id: probe-m, authors: [A. B], journal: J, year: 2025, doi: '10.5555/m.1'}\n"
                          "systems: {name: ProbeSA-M}\n"})
add_case("yaml-value-list", "new", "value is a list", files={"p.yaml": paper(value="[18, mV]")})
add_case("yaml-value-int-no-unit", "new", "value is a bare YAML integer for a quantity with a unit",
         files={"p.yaml": paper(value="18")})
add_case("yaml-centre-string", "new", "centre_metals is a string (must not become 'Z','n')", expect="any",
         files={"p.yaml": paper(centre="Zn")})
add_case("yaml-conditions-list", "new", "conditions is a list", files={"p.yaml": paper(conditions="[current density]")})
add_case("yaml-measurements-null", "new", "measurements: ~ (null)", expect="any",
         files={"p.yaml": re.sub(r"(?s)measurements:\n.*?(?=claims:)", "measurements: ~\n", paper())})
# ---------------------------------------------------------------- new: encodings -------------
add_case("enc-bom", "new", "UTF-8 BOM", expect="any", files={"p.yaml": paper()}, encoding="utf-8-sig")
add_case("enc-crlf", "new", "CRLF line endings", expect="any", files={"p.yaml": paper()}, encoding="crlf")
add_case("enc-utf16", "new", "UTF-16 file", expect="any", files={"p.yaml": paper()}, encoding="utf-16")
add_case("enc-latin1", "new", "Latin-1 byte in a title (invalid UTF-8)",
         files={"p.yaml": paper(title='"Caf\u00e9 \u00e0 la carte"')}, encoding="latin-1")
add_case("enc-nul-byte", "new", "NUL byte inside the file", files_bytes={"p.yaml": paper().encode().replace(b"probe system", b"probe\x00system")})
# ---------------------------------------------------------------- new: Unicode in ids --------
add_case("uni-rtl-override-name", "new", "system name with U+202E RIGHT-TO-LEFT OVERRIDE",
         files={"p.yaml": paper(sys_name=r'"Probe\u202eSA-X1"', meas_owner=r'system: "Probe\u202eSA-X1"')})
add_case("uni-zwsp-duplicate", "new", "ZnSA\\u200b-N-C: a zero-width space makes a lookalike of an existing system",
         files={"p.yaml": paper(sys_name=r'"ZnSA\u200b-N-C"', meas_owner=r'system: "ZnSA\u200b-N-C"')})
add_case("uni-homoglyph-duplicate", "new", "ZnSA-\\u039d-C (Greek Nu): a homoglyph of an existing system",
         files={"p.yaml": paper(sys_name=r'"ZnSA-\u039d-C"', meas_owner=r'system: "ZnSA-\u039d-C"')})
add_case("uni-nfc-nfd-duplicate", "new", "two systems named NFC and NFD forms of the same name",
         files={"p.yaml": paper(sys_name=r'"Probe\u00c5SA"', meas_owner=r'system: "Probe\u00c5SA"',
                                extra_systems="  - name: \"ProbeA\\u030aSA\"\n    centre_metals: [Zn]\n    support: {name: c2, kinds: [N-doped carbon]}\n    coordination: M-N-C\n    alkali_metals: [K]\n")})
add_case("uni-ref-id-bidi", "new", "reference id containing U+2066 (bidi isolate) becomes a file name",
         files={"p.yaml": paper(ref_id=r'"probe\u2066-2025"')})
# ---------------------------------------------------------------- new: reference ids / paths -
add_case("id-path-traversal", "new", "reference id ../../escape (file written outside data/papers?)",
         files={"p.yaml": paper(ref_id='"../../escape"')}, checks=[["path_absent", "{case}/escape.yaml"]])
add_case("id-absolute-path", "new", "reference id is an absolute path",
         files={"p.yaml": paper(ref_id='"{case}/abs"')}, checks=[["path_absent", "{case}/abs.yaml"]])
add_case("id-slash", "new", "reference id a/b", files={"p.yaml": paper(ref_id='"a/b"')})
add_case("id-empty", "new", "reference id is empty", files={"p.yaml": paper(ref_id='""')})
add_case("id-300-chars", "new", "300-character reference id (file name too long)", expect="any",
         files={"p.yaml": paper(ref_id="r" * 300)})
add_case("id-existing-other-doi", "new", "reference id ref-070 taken by another paper", files={"p.yaml": paper(ref_id="ref-070")})
add_case("id-review", "new", "reference id 'review' (the bundled review's id)", files={"p.yaml": paper(ref_id="review")})
# ---------------------------------------------------------------- new: DOIs -------------------
add_case("doi-case-duplicate", "new", "an existing DOI in upper case (DOIs are case-insensitive)",
         files={"p.yaml": paper(doi='"10.1002/CSSC.202301242"')})
add_case("doi-padded-duplicate", "new", "an existing DOI with surrounding spaces",
         files={"p.yaml": paper(doi='" 10.1002/cssc.202301242 "')})
add_case("doi-newline", "new", "DOI with an embedded newline", files={"p.yaml": paper(doi='"10.5555/a\\nb"')})
add_case("doi-review-replace", "new", "add --replace with the review's own DOI",
         args=["add", "--replace", "p.yaml"], files={"p.yaml": paper(doi='"10.1039/d4gc02590c"')})
add_case("doi-two-files-same", "new", "two files with the same DOI in one add",
         args=["add", "a.yaml", "b.yaml"],
         files={"a.yaml": paper(), "b.yaml": paper(**{k: v for k, v in SECOND.items() if k != "doi"})})
add_case("doi-same-file-twice", "new", "the same file given twice", expect="any",
         args=["add", "p.yaml", "p.yaml"], files={"p.yaml": paper()}, checks=[["papers_added", 1]])
# ---------------------------------------------------------------- new: values/units ----------
add_case("val-nan", "new", "value NaN mV", files={"p.yaml": paper(value="NaN mV")})
add_case("val-hex", "new", "value 0x1A mV", files={"p.yaml": paper(value="0x1A mV")})
add_case("val-underscore", "new", "value 1_000 h (Python float syntax)", expect="any",
         files={"p.yaml": paper(quantity="cycle life", value="1_000 h")})
add_case("val-arabic-digits", "new", "value in Arabic-Indic digits", expect="any",
         files={"p.yaml": paper(value=r'"\u0661\u0668 mV"')})
add_case("val-unknown-unit", "new", "unit furlongs", files={"p.yaml": paper(value="18 furlongs")})
add_case("val-double-unit", "new", "value 18 mV mV", files={"p.yaml": paper(value="18 mV mV")})
add_case("val-two-numbers", "new", "value 1.5.3 mV", files={"p.yaml": paper(value="1.5.3 mV")})
add_case("val-double-comparator", "new", "value '>> 900 h'", files={"p.yaml": paper(quantity="cycle life", value='">> 900 h"')})
add_case("val-conflicting-comparators", "new", "value '< > 5 mV'", files={"p.yaml": paper(value='"< > 5 mV"')})
add_case("val-unicode-geq", "new", "value '\u2265 900 h' (Unicode comparator)", expect="any",
         files={"p.yaml": paper(quantity="cycle life", value=r'"\u2265 900 h"')})
add_case("cond-unknown-key", "new", "condition key 'voltage'", files={"p.yaml": paper(conditions="{voltage: 3 V}")})
add_case("cond-wrong-unit", "new", "current density given in hours", files={"p.yaml": paper(conditions="{current density: 5 h}")})
add_case("vocab-unknown-element", "new", "centre metal Xx", files={"p.yaml": paper(centre="[Xx]")})
add_case("vocab-alkali-ca", "new", "alkali metal Ca", files={"p.yaml": paper(alkali="[Ca]")})
add_case("vocab-metal-combined", "new", "metal 'Na, K'", files={"p.yaml": paper(metal='"Na, K"')})
add_case("rec-material-named-as-system", "new", "a material named like an existing system",
         files={"p.yaml": paper(materials="materials:\n  - name: ZnSA-N-C\n")})
add_case("rec-system-and-material", "new", "a measurement with both system and material",
         files={"p.yaml": paper(meas_owner="system: ProbeSA-X1\n    material: bare Cu foil")})
add_case("rec-unknown-source", "new", "sources names an unknown reference",
         files={"p.yaml": paper(extra_measurements="    sources: [no-such-ref-xyz]")})
# ---------------------------------------------------------------- new: file arguments --------
case(id="file-directory", group="new", args=["add", "{case}"], desc="add a directory")
case(id="file-dev-zero", group="new", args=["add", "/dev/zero"], checks=[["stderr_excludes", "no such file"]], desc="add /dev/zero (endless input)")
case(id="file-dev-null", group="new", args=["add", "/dev/null"], checks=[["stderr_excludes", "no such file"]], desc="add /dev/null (empty)")
case(id="file-fifo", group="new", args=["add", "p.yaml"], setup=[["mkfifo", "p.yaml"]], checks=[["stderr_excludes", "no such file"]], desc="add a FIFO with no writer")
case(id="file-missing", group="new", args=["add", "nope.yaml"], desc="add a file that does not exist")
case(id="file-broken-symlink", group="new", args=["add", "p.yaml"], setup=[["symlink", "gone.yaml", "p.yaml"]],
     desc="add a dangling symlink")
case(id="file-name-escape-seq", group="new", args=["add", "p\n\x1b[31m.yaml"], files={"p\n\x1b[31m.yaml": "a: [\n"},
     desc="file name containing a newline and an escape sequence")
case(id="validate-dev-zero", group="new", report_on_stdout=True, args=["validate", "/dev/zero"], desc="validate /dev/zero")
case(id="validate-fifo", group="new", report_on_stdout=True, args=["validate", "g.ttl"], setup=[["mkfifo", "g.ttl"]], desc="validate a FIFO")
case(id="validate-bad-turtle", group="new", report_on_stdout=True, args=["validate", "g.ttl"], files={"g.ttl": "@prefix : <x> .\n:a :b \"unterminated .\n"},
     desc="validate malformed Turtle")
case(id="validate-turtle-imports", group="new", expect="any", canary=True, args=["validate", "g.ttl"],
     files={"g.ttl": "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<urn:x> a owl:Ontology ; owl:imports <{canary}/onto.ttl> .\n"},
     checks=[["canary_untouched"]], desc="validate a Turtle file whose owl:imports points at a local server")
case(id="validate-json", group="new", report_on_stdout=True, expect="any", args=["validate", "g.json"], files={"g.json": "{\"a\": 1}\n"},
     desc="validate a JSON file")
# ---------------------------------------------------------------- new: remove -----------------
case(id="remove-empty", group="new", args=["remove", ""], may_write=True, desc="remove ''")
case(id="remove-review", group="new", args=["remove", "review"], may_write=True, desc="remove the bundled review")
case(id="remove-glob", group="new", args=["remove", "*"], may_write=True, desc="remove '*'")
case(id="remove-traversal", group="new", args=["remove", "../materials"], may_write=True, desc="remove ../materials")
case(id="remove-doi-url", group="new", expect="any", args=["remove", "--dry-run", "https://doi.org/10.1002/CSSC.202301242"],
     desc="remove --dry-run with a DOI URL in upper case")
# ---------------------------------------------------------------- new: ask/show/analyze -------
case(id="ask-whitespace", group="new", args=["ask", " \t \n "], desc="a whitespace-only question")
case(id="ask-punctuation", group="new", args=["ask", "?!?!;;::"], desc="a question of punctuation only")
case(id="ask-bidi", group="new", expect="any", args=["ask", "which mechanisms \u202eaN rof\u202c are supported?"],
     desc="bidi override inside a question")
case(id="ask-format-upper", group="new", args=["ask", "--format", "JSON", "mechanisms for K"], desc="--format JSON (case)")
case(id="ask-compare-same", group="new", expect="any", args=["ask", "compare ZnSA-N-C and ZnSA-N-C on nucleation overpotential"],
     desc="compare a system with itself")
case(id="ask-pythonioencoding-ascii", group="new", expect="any", env={"PYTHONIOENCODING": "ascii"},
     args=["ask", "Na systems with cycle life over 900 h"], desc="non-ASCII answer on an ASCII stdout")
case(id="show-empty", group="new", args=["show", ""], desc="show ''")
case(id="show-ref-huge-number", group="new", args=["show", "ref. 99999999999999999999999"], desc="show ref. with a 23-digit number")
case(id="show-columns-junk", group="new", expect="any", env={"COLUMNS": "-5", "LINES": "abc"}, args=["show", "ZnSA-N-C"],
     desc="COLUMNS=-5, LINES=abc")
case(id="show-columns-one", group="new", expect="any", env={"COLUMNS": "1"}, args=["ask", "lowest nucleation overpotential for K?"],
     desc="COLUMNS=1")
case(id="analyze-rank-unknown", group="new", args=["analyze", "rank", "no-such-quantity"], desc="rank an unknown quantity")
case(id="analyze-path-self", group="new", expect="any", args=["analyze", "path", "Zn", "Zn"], desc="path from an entity to itself")
case(id="analyze-cocitation-negative", group="new", args=["analyze", "cocitation", "--top", "-1"], desc="cocitation --top -1")
case(id="analyze-cocitation-huge", group="new", expect="any", args=["analyze", "cocitation", "--top", "1" + "0" * 30],
     desc="cocitation --top 10^30")
# ---------------------------------------------------------------- new: query ------------------
case(id="query-none", group="new", args=["query"], desc="query with neither FILE nor --sparql")
case(id="query-both", group="new", args=["query", "q.rq", "--sparql", SEL], files={"q.rq": SEL}, desc="FILE and --sparql")
case(id="query-file-dir", group="new", args=["query", "{case}"], desc="query FILE is a directory")
case(id="query-dev-zero", group="new", args=["query", "/dev/zero"], desc="query FILE is /dev/zero")
case(id="query-update-delete", group="new", args=["query", "--sparql", "DELETE WHERE { ?s ?p ?o }"],
     follow=[ASK], desc="a SPARQL update through query")
case(id="query-update-load", group="new", canary=True, args=["query", "--sparql", "LOAD <{canary}/x.ttl>"],
     checks=[["canary_untouched"]], desc="LOAD <local url> through query")
case(id="query-construct", group="new", args=["query", "--sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"],
     desc="a CONSTRUCT query (SELECT only)")
case(id="query-service", group="new", expect="any", canary=True,
     args=["query", "--sparql", "SELECT * WHERE { SERVICE <{canary}/sparql> { ?s ?p ?o } }"],
     checks=[["canary_untouched"]], desc="SERVICE to a local server from the embedded store")
case(id="query-from-file", group="new", expect="any", args=["query", "--sparql", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o } LIMIT 3"],
     checks=[["output_excludes", "root:"]], desc="FROM <file:///etc/passwd>")
case(id="query-cartesian", group="new", expect="any", env={"SACKG_TIMEOUT": "5"},
     args=["query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"],
     desc="an explosive cartesian COUNT on the embedded store (must stop)")
case(id="param-no-equals", group="new", args=["query", "--sparql", SEL, "--param", "s"], desc="--param without =")
case(id="param-empty-name", group="new", args=["query", "--sparql", SEL, "--param", "=1"], desc="--param =1")
case(id="param-space-name", group="new", args=["query", "--sparql", SEL, "--param", "a b=1"], desc="--param 'a b=1'")
case(id="param-two-iris", group="new", args=["query", "--sparql", SEL, "--param", "s=<http://a> <http://b>"],
     desc="--param with two IRIs")
case(id="param-unterminated", group="new", args=["query", "--sparql", SEL, "--param", 's="abc'], desc='--param s="abc')
case(id="param-iri-space", group="new", args=["query", "--sparql", SEL, "--param", "s=<http://a b>"], desc="IRI with a space")
case(id="param-duplicate", group="new", expect="any", args=["query", "--sparql", SEL, "--param", "s=1", "--param", "s=2"],
     desc="the same parameter twice")
case(id="param-quote-escape", group="new", expect="any", args=["query", "--sparql", SEL, "--param", 's="a\\" } ; DROP ALL ; {"'],
     follow=[ASK], desc="string param with an escaped quote and update text")
# ---------------------------------------------------------------- new: outputs ----------------
case(id="export-o-directory", group="new", args=["export", "--format", "turtle", "-o", "{case}"], desc="export -o a directory")
case(id="export-o-dev-full", group="new", args=["export", "--format", "ntriples", "-o", "/dev/full"], desc="export -o /dev/full (ENOSPC)")
case(id="export-o-missing-dir", group="new", args=["export", "--format", "turtle", "-o", "{case}/no/such/x.ttl"],
     desc="export -o into a missing directory")
case(id="export-csv-to-file", group="new", args=["export", "--format", "csv", "-o", "f.txt"], files={"f.txt": "x"},
     desc="export csv -o an existing regular file")
case(id="export-all-to-file", group="new", args=["export", "--all", "f.txt"], files={"f.txt": "x"}, desc="export --all FILE")
case(id="export-nothing", group="new", args=["export"], desc="export with no --format/--all")
case(id="viz-o-directory", group="new", args=["viz", "-o", "{case}"], desc="viz -o a directory")
case(id="viz-focus-unknown", group="new", args=["viz", "-o", "v.html", "--focus", "no-such-thing-qq"], desc="viz --focus unknown")
case(id="viz-metal-unknown", group="new", args=["viz", "-o", "v.html", "--metal", "Xx"], desc="viz --metal Xx")
case(id="viz-dev-full", group="new", args=["viz", "-o", "/dev/full"], desc="viz -o /dev/full")
case(id="plot-jpg", group="new", args=["plot", "gaps", "-o", "g.jpg"], desc="plot -o .jpg")
case(id="plot-no-ext", group="new", args=["plot", "gaps", "-o", "g"], desc="plot -o without an extension")
case(id="plot-dir-png", group="new", args=["plot", "gaps", "-o", "d.png"], setup=[["mkdir", "d.png"]], desc="plot -o a directory named .png")
case(id="serve-port-zero", group="new", args=["serve", "--port", "0"], desc="serve --port 0")
# ---------------------------------------------------------------- new: env / data dir --------
case(id="env-store-bogus", group="new", env={"SACKG_STORE": "bogus"}, args=ASK, desc="SACKG_STORE=bogus")
case(id="env-cache-is-file", group="new", args=ASK, env={"SACKG_CACHE": "{case}/f.txt"}, files={"f.txt": "x"},
     desc="SACKG_CACHE is a regular file")
case(id="env-cache-unwritable", group="new", args=ASK, env={"SACKG_CACHE": "/proc/sackg-probe"}, desc="SACKG_CACHE under /proc")
case(id="env-data-missing", group="new", args=ASK, no_data=True, env={"SACKG_DATA": "{case}/missing"}, desc="SACKG_DATA missing dir")
case(id="env-endpoint-garbage", group="new", args=ASK, no_data=True, env={"SACKG_ENDPOINT": "not a url"}, desc="SACKG_ENDPOINT='not a url'")
case(id="env-timeout-huge", group="new", server="proxy", args=EP + ASK, env={"SACKG_TIMEOUT": "1e10"}, expect="any",
     desc="SACKG_TIMEOUT=1e10 (overflows time_t)")
case(id="env-timeout-zero", group="new", server="proxy", args=EP + ASK, env={"SACKG_TIMEOUT": "0"}, expect="any",
     desc="SACKG_TIMEOUT=0 (non-blocking socket)")
case(id="data-empty-dir", group="new", args=ASK, data_setup="empty", desc="--data an empty directory")
case(id="data-junk-in-papers", group="new", expect="any", args=ASK,
     data_setup=[["write_data", "papers/README.txt", "notes\n"], ["mkdir_data", "papers/sub"]],
     desc="papers/ holds a README.txt and a sub-directory")
case(id="data-dir-named-yaml", group="new", args=ASK, data_setup=[["mkdir_data", "papers/x.yaml"]],
     desc="papers/x.yaml is a directory")
case(id="data-broken-symlink", group="new", args=ASK, data_setup=[["symlink_data", "nowhere.yaml", "papers/z.yaml"]],
     desc="papers/ holds a dangling symlink")
case(id="data-bad-review", group="new", args=ASK, data_setup=[["write_data", "review.yaml", "reference: [\n"]],
     desc="review.yaml is malformed")
case(id="data-is-file", group="new", args=ASK, data_setup="file", desc="--data is a regular file")
# ---------------------------------------------------------------- new: signals / pipes -------
case(id="sig-int-build", group="new", kind="signal", signal="INT", after=1.5, args=["build"], allowed_rc=[1, 2, 130, -2],
     desc="SIGINT while the store is being built")
case(id="sig-term-add", group="new", kind="signal", signal="TERM", after=1.0, args=["add", "p.yaml"], files={"p.yaml": paper()},
     allowed_rc=[0, 1, 2, 143, -15], may_write=True, settle=["stats"], old_or_new=["papers/probe-2025.yaml"],
     desc="SIGTERM during add: afterwards (once the next command ran) the data is the old set or the new one")
case(id="pipe-closed-early", group="new", kind="sigpipe", expect="any", args=["questions"], desc="stdout pipe closed after 1 byte")
case(id="stdout-closed", group="new", kind="stdout_closed", expect="any", args=["stats"], desc="stdout closed (>&-)")
# ---------------------------------------------------------------- new: export injection -------
add_case("inj-viz-script", "new", "system name </script><script>alert(1)</script> then viz", expect="any",
         files={"p.yaml": paper(sys_note='"</script><script>alert(1)</script>"',
                                synonyms='["</script><script>alert(2)</script>"]')}, checks=[["export", "html_no_raw_script"]])
add_case("inj-bibtex-title-at", "new", "title with unbalanced braces and @misc{ then export bibtex", expect="any",
         files={"p.yaml": paper(title='"}} @misc{evil, title={x"')}, checks=[["export", "bibtex_sane"]])
add_case("inj-turtle-quotes", "new", 'note with """ and backslashes then export turtle/ntriples', expect="any",
         files={"p.yaml": paper(sys_note=r'"a \"\"\" b \\ c \\u0041 \n d"')}, checks=[["export", "rdf_parses"]])
add_case("inj-graphml-xml", "new", "note with ]]> & < then export graphml", expect="any",
         files={"p.yaml": paper(sys_note='"]]> & <b> &amp; \\x7f"')}, checks=[["export", "graphml_parses"]])
add_case("inj-csv-newline-quote", "new", 'note with newline, quote, comma then export csv', expect="any",
         files={"p.yaml": paper(meas_note=r'"line1\nline2, \"quoted\"\r\nline3"')}, checks=[["export", "csv_consistent"]])

# ---------------------------------------------------------------- endpoint faults -------------
for bid, exp, desc in [
    ("ct_text_plain", "any", "valid JSON results served as text/plain"),
    ("html_200", "error", "an HTML page with status 200"),
    ("err500_huge", "error", "HTTP 500 with a 5 MB single-line body"),
    ("redirect_loop", "error", "301 redirect to itself, forever"),
    ("redirect_other_port", "any", "302 to the same endpoint on another port"),
    ("redirect_file", "error", "302 to file:///etc/passwd"),
    ("truncated_json", "error", "JSON cut in half (Content-Length matches)"),
    ("xml_results", "any", "SPARQL XML results instead of JSON"),
    ("boolean_select", "error", "a boolean (ASK) result for a SELECT"),
    ("wrong_vars", "any", "head vars renamed (bindings keep theirs)"),
    ("unknown_term", "error", "bindings with an unknown term type"),
    ("bad_datatype", "any", "every literal typed xsd:decimal with a non-numeric value"),
    ("slow_headers", "error", "status line only after 30 s (SACKG_TIMEOUT=3)"),
    ("reset_mid_body", "error", "connection reset (RST) mid-body"),
    ("gzip_bomb", "error", "Content-Encoding: gzip bomb (200 MB of zeros)"),
    ("chunked_bad", "error", "chunked encoding with an invalid chunk size"),
    ("non_utf8", "error", "body with invalid UTF-8 bytes"),
    ("empty_reply", "error", "connection closed without a response"),
    ("short_body", "error", "Content-Length 100000, 100 bytes sent, then close"),
    ("retry_after", "error", "429 with Retry-After: 100000"),
    ("huge_header", "error", "a 100 KB header line"),
    ("many_headers", "error", "150 response headers"),
    ("garbage_status", "error", "a non-HTTP status line"),
    ("bindings_not_list", "error", "results.bindings is a string"),
    ("value_not_string", "error", "binding values are JSON numbers/objects"),
    ("json_array_top", "error", "top-level JSON is an array"),
]:
    case(id=f"ep-{bid.replace('_', '-')}", group="endpoint", server=bid, expect=exp, args=EP + ASK,
         env={"SACKG_TIMEOUT": "3"}, max_seconds=25, desc=desc,
         checks=[["output_excludes", "root:x:0"]] if bid == "redirect_file" else [])
case(id="ep-crlf-in-url", group="endpoint", server="proxy", args=["--endpoint", "{url}\r\nX-Evil: 1", *ASK],
     checks=[["server_no_header", "x-evil"]], desc="CRLF header injection in the endpoint URL")
case(id="ep-scheme-file", group="endpoint", args=["--endpoint", "file:///etc/passwd", *ASK],
     checks=[["output_excludes", "root:x:0"]], desc="--endpoint file:///etc/passwd")
case(id="ep-scheme-ftp", group="endpoint", args=["--endpoint", "ftp://127.0.0.1:9/x", *ASK], desc="--endpoint ftp://")
case(id="ep-empty-url", group="endpoint", expect="any", args=["--endpoint", "", *ASK], desc="--endpoint ''")
case(id="ep-push-500", group="endpoint", server="err500_huge", args=["push", "--endpoint", "{url}"], env={"SACKG_TIMEOUT": "3"},
     desc="push to a server answering 500 with a 5 MB body")
case(id="ep-push-redirect-loop", group="endpoint", server="redirect_loop", args=["push", "--endpoint", "{url}"],
     env={"SACKG_TIMEOUT": "3"}, desc="push to a redirect loop")
case(id="ep-push-store-url-file", group="endpoint", server="proxy", env={"SACKG_TIMEOUT": "3"},
     args=["push", "--endpoint", "{url}", "--store-url", "file://{case}/target.txt"], files={"target.txt": "hello\n"},
     checks=[["file_content", "{case}/target.txt", "hello\n"]],
     desc="push --store-url file:///existing-file must not report a successful load")
case(id="ep-query-slow-headers", group="endpoint", server="slow_headers", env={"SACKG_TIMEOUT": "3"}, max_seconds=25,
     args=EP + ["query", "--sparql", SEL], desc="query against an endpoint that never sends headers in time")


# ============================================================================================
# Fake SPARQL endpoints (127.0.0.1 only).  A behaviour is a function (server, conn, request).
# ============================================================================================
class Request:
    def __init__(self, line, headers, body):
        self.line, self.headers, self.body = line, headers, body


def read_request(conn, limit=2_000_000):
    conn.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0") or 0)
    while len(body) < min(n, limit):
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return Request(lines[0] if lines else "", headers, body)


def send(conn, status="200 OK", ctype="application/sparql-results+json", body=b"", extra=()):
    hdr = [f"HTTP/1.1 {status}", f"Content-Type: {ctype}", f"Content-Length: {len(body)}", "Connection: close", *extra]
    conn.sendall(("\r\n".join(hdr) + "\r\n\r\n").encode("latin-1") + body)


class FakeEndpoint:
    def __init__(self, behaviour, backend=None):
        self.behaviour, self.backend = behaviour, backend
        self.requests: list[Request] = []
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/query"
        self.peer: FakeEndpoint | None = None
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        try:
            req = read_request(conn)
            self.requests.append(req)
            BEHAVIOURS[self.behaviour](self, conn, req)
        except Exception:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def real(self, req) -> bytes:
        """The real answer (from the backend `sackg serve`), or an empty result."""
        if self.backend and req.body:
            try:
                r = urllib.request.Request(self.backend, data=req.body, method="POST", headers={
                    "Content-Type": req.headers.get("content-type", "application/sparql-query"),
                    "Accept": "application/sparql-results+json"})
                with urllib.request.urlopen(r, timeout=20) as resp:
                    return resp.read()
            except Exception:
                pass
        text = req.body.decode("utf-8", "replace")
        if req.line.startswith("GET") and "?" in req.line:
            text = urllib.parse.unquote_plus(req.line.split("?", 1)[1])
        sel = re.search(r"SELECT(.*?)WHERE", text, re.S | re.I)
        names = list(dict.fromkeys(re.findall(r"\?(\w+)", sel.group(1) if sel else "")))
        return json.dumps({"head": {"vars": names}, "results": {"bindings": []}}).encode()

    def close(self):
        self.stop.set()
        self.sock.close()
        if self.peer:
            self.peer.close()


def _mutate(req, srv, fn):
    doc = json.loads(srv.real(req))
    fn(doc)
    return json.dumps(doc).encode()


def _each_value(doc):
    for b in doc.get("results", {}).get("bindings", []):
        for v in b.values():
            yield v


def _drip(srv, conn, req):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n")
    for _ in range(180):
        if srv.stop.is_set():
            return
        conn.sendall(b" ")
        time.sleep(0.5)


def _slow_headers(srv, conn, req):
    for _ in range(300):
        if srv.stop.is_set():
            return
        time.sleep(0.1)
    send(conn, body=srv.real(req))


def _reset_mid_body(srv, conn, req):
    body = srv.real(req)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Content-Length: %d\r\n\r\n" % len(body) + body[: len(body) // 2])
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


_BOMB: list[bytes] = []


def _gzip_bomb(srv, conn, req):
    if not _BOMB:
        comp = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = b"\0" * (1 << 20)
        _BOMB.append(b"".join(comp.compress(zeros) for _ in range(200)) + comp.flush())
    send(conn, body=_BOMB[0], extra=["Content-Encoding: gzip"])


def _non_utf8(srv, conn, req):
    body = srv.real(req)
    if b'"value":"' in body:
        body = body.replace(b'"value":"', b'"value":"\xff\xfe\xc3(', 3)
    else:
        body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"\xff\xfe"}}]}}'
    send(conn, body=body)


def _chunked_bad(srv, conn, req):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"zz\r\n{\"head\"\r\n0\r\n\r\n")


def _redirect_other(srv, conn, req):
    if srv.peer is None:
        srv.peer = FakeEndpoint("proxy", srv.backend)
    send(conn, "302 Found", "text/plain", b"moved", [f"Location: {srv.peer.url}"])


def _xml_results(srv, conn, req):
    doc = json.loads(srv.real(req))
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f'<variable name="{v}"/>' for v in doc.get("head", {}).get("vars", [])]
    out.append("</head><results>")
    from xml.sax.saxutils import escape
    for b in doc.get("results", {}).get("bindings", []):
        out.append("<result>")
        for k, v in b.items():
            tag = {"uri": "uri", "literal": "literal", "typed-literal": "literal", "bnode": "bnode"}.get(v.get("type"), "literal")
            attrs = f' datatype="{v["datatype"]}"' if "datatype" in v else ""
            attrs += f' xml:lang="{v["xml:lang"]}"' if "xml:lang" in v else ""
            out.append(f'<binding name="{k}"><{tag}{attrs}>{escape(v.get("value", ""))}</{tag}></binding>')
        out.append("</result>")
    out.append("</results></sparql>")
    send(conn, ctype="application/sparql-results+xml", body="".join(out).encode())


BEHAVIOURS = {
    "proxy": lambda s, c, r: send(c, body=s.real(r)),
    "drip": _drip,
    "nested_json": lambda s, c, r: send(c, body=b"[" * 200000 + b"]" * 200000),
    "ct_text_plain": lambda s, c, r: send(c, ctype="text/plain", body=s.real(r)),
    "html_200": lambda s, c, r: send(c, ctype="text/html", body=b"<!DOCTYPE html><html><body><h1>Welcome</h1>\n<p>login</p></body></html>"),
    "err500_huge": lambda s, c, r: send(c, "500 Internal Server Error", "text/plain", b"E" * (5 << 20)),
    "redirect_loop": lambda s, c, r: send(c, "301 Moved Permanently", "text/plain", b"", [f"Location: {s.url}"]),
    "redirect_other_port": _redirect_other,
    "redirect_file": lambda s, c, r: send(c, "302 Found", "text/plain", b"", ["Location: file:///etc/passwd"]),
    "truncated_json": lambda s, c, r: (lambda b: send(c, body=b[: len(b) // 2]))(s.real(r)),
    "xml_results": _xml_results,
    "boolean_select": lambda s, c, r: send(c, body=b'{"head": {}, "boolean": true}'),
    "wrong_vars": lambda s, c, r: send(c, body=_mutate(r, s, lambda d: d["head"].__setitem__("vars", ["zz_" + v for v in d["head"].get("vars", [])]))),
    "unknown_term": lambda s, c, r: send(c, body=_mutate(r, s, lambda d: [v.__setitem__("type", "quantum-term") for v in _each_value(d)])),
    "bad_datatype": lambda s, c, r: send(c, body=_mutate(r, s, lambda d: [v.update({"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#decimal", "value": "not-a-number"}) for v in _each_value(d) if v.get("type") != "uri"])),
    "slow_headers": _slow_headers,
    "reset_mid_body": _reset_mid_body,
    "gzip_bomb": _gzip_bomb,
    "chunked_bad": _chunked_bad,
    "non_utf8": _non_utf8,
    "empty_reply": lambda s, c, r: None,
    "short_body": lambda s, c, r: c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 100000\r\n\r\n" + s.real(r)[:100]),
    "retry_after": lambda s, c, r: send(c, "429 Too Many Requests", "text/plain", b"slow down", ["Retry-After: 100000"]),
    "huge_header": lambda s, c, r: send(c, body=s.real(r), extra=["X-Huge: " + "h" * 100000]),
    "many_headers": lambda s, c, r: send(c, body=s.real(r), extra=[f"X-H{i}: {i}" for i in range(150)]),
    "garbage_status": lambda s, c, r: c.sendall(b"HELLO THERE\r\n\r\nnot http at all"),
    "bindings_not_list": lambda s, c, r: send(c, body=b'{"head": {"vars": ["x"]}, "results": {"bindings": "oops"}}'),
    "value_not_string": lambda s, c, r: send(c, body=_mutate(r, s, lambda d: [v.__setitem__("value", {"n": 1}) for v in _each_value(d)])),
    "json_array_top": lambda s, c, r: send(c, body=b'[{"head": {"vars": []}}]'),
    "canary": lambda s, c, r: send(c, "404 Not Found", "text/plain", b"canary"),
}


# ============================================================================================
# Runner
# ============================================================================================
CTRL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CRASH_RE = re.compile(r"Traceback \(most recent call last\)|panicked at|RUST_BACKTRACE|Segmentation fault|core dumped")


def snapshot(root):
    """path -> digest, hidden files included; symlinks by target."""
    out = {}
    if not os.path.lexists(root):
        return {"<missing>": ""}
    if not os.path.isdir(root) or os.path.islink(root):
        return {".": "file"}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            p = os.path.join(dirpath, d)
            out[os.path.relpath(p, root)] = "link:" + os.readlink(p) if os.path.islink(p) else "dir"
        for f in filenames:
            p = os.path.join(dirpath, f)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                out[rel] = "link:" + os.readlink(p)
            elif os.path.isfile(p):
                h = hashlib.sha256()
                with open(p, "rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        h.update(chunk)
                out[rel] = h.hexdigest()
            else:
                out[rel] = "special"
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, proc=None, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def kill_group(proc):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def read_only(c) -> bool:
    """A case that only reads the data: it may share one data copy and cache with the others (--share)."""
    words = [a for a in c.get("args", []) if isinstance(a, str) and not a.startswith("-")]
    return not (c.get("data_setup") or c.get("setup") or c.get("kind") or c.get("checks") or c.get("follow")
                or (words and words[0] in ("add", "remove")) or "{data}" in json.dumps(c.get("args", []))
                or c.get("env", {}).get("SACKG_CACHE") or c.get("env", {}).get("SACKG_DATA"))


class Ctx:
    """Everything one case needs: its directories, environment and servers."""

    def __init__(self, runner, c):
        self.r, self.c = runner, c
        self.dir = os.path.join(runner.workdir, "cases", c["id"])
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.shared = runner.shared is not None and read_only(c)
        self.data = runner.shared[0] if self.shared else os.path.join(self.dir, "data")
        self.cache = runner.shared[1] if self.shared else os.path.join(self.dir, "cache")
        self.server = None
        self.canary = None
        self.procs: list[subprocess.Popen] = []

    def fmt(self, s):
        if isinstance(s, bytes):
            return s
        rep = {"{data}": self.data, "{case}": self.dir, "{cache}": self.cache,
               "{url}": self.server.url if self.server else "http://127.0.0.1:9/query",
               "{canary}": f"http://127.0.0.1:{self.canary.port}" if self.canary else "http://127.0.0.1:9"}
        for k, v in rep.items():
            s = s.replace(k, v)
        return s

    def env(self):
        e = {k: v for k, v in os.environ.items() if not k.startswith("SACKG_")}
        e.update({"SACKG_CACHE": self.cache, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"})
        e.pop("RUST_BACKTRACE", None)
        for k, v in self.c.get("env", {}).items():
            e[k] = self.fmt(v)
        return e

    def argv(self, args=None):
        base = [self.r.sackg]
        if not self.c.get("no_data"):
            base += ["--data", self.data]
        return base + [self.fmt(a) for a in (self.c.get("args", []) if args is None else args)]

    def run(self, args=None, timeout=HANG_SECONDS + 5, **kw):
        t0 = time.time()
        p = subprocess.Popen(self.argv(args), cwd=self.dir, env=self.env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **kw)
        self.procs.append(p)
        try:
            out, err = p.communicate(timeout=timeout)
            hung = False
        except subprocess.TimeoutExpired:
            kill_group(p)
            out, err = p.communicate()
            hung = True
        return {"rc": p.returncode, "out": out, "err": err, "secs": time.time() - t0, "hung": hung}

    def prepare(self):
        c = self.c
        ds = c.get("data_setup")
        if ds == "empty":
            os.makedirs(self.data)
        elif ds == "file":
            with open(self.data, "w") as fh:
                fh.write("not a directory\n")
        elif self.shared:
            pass
        else:
            shutil.copytree(self.r.data_src, self.data, symlinks=True)
            for step in ds or []:
                self.step(step, self.data)
        if c.get("canary"):
            self.canary = FakeEndpoint("canary")
        if c.get("server"):
            self.server = FakeEndpoint(c["server"], self.r.backend_url())
        enc = c.get("encoding", "utf-8")
        for name, text in c.get("files", {}).items():
            text = self.fmt(text)
            raw = text.replace("\n", "\r\n").encode() if enc == "crlf" else text.encode(enc, "surrogatepass")
            with open(os.path.join(self.dir, name), "wb") as fh:
                fh.write(raw)
        for name, raw in c.get("files_bytes", {}).items():
            with open(os.path.join(self.dir, name), "wb") as fh:
                fh.write(raw)
        for step in c.get("setup", []):
            self.step(step, self.dir)

    def step(self, step, base):
        op, *a = step
        if op == "mkfifo":
            os.mkfifo(os.path.join(base, a[0]))
        elif op in ("symlink", "symlink_data"):
            os.symlink(a[0], os.path.join(base, a[1]))
        elif op in ("mkdir", "mkdir_data"):
            os.makedirs(os.path.join(base, a[0]), exist_ok=True)
        elif op in ("write", "write_data"):
            with open(os.path.join(base, a[0]), "w") as fh:
                fh.write(a[1])
        elif op == "touch_data":
            p = os.path.join(self.data, a[0])
            with open(p, "a") as fh:
                fh.write("\n# touched\n")
        elif op == "build":
            self.run(["build"])
        elif op == "bignote":
            with open(os.path.join(base, a[0]), "w") as fh:
                fh.write(paper(sys_note='"' + "n" * (a[1] << 20) + '"'))
        else:
            raise ValueError(op)

    def close(self):
        for p in self.procs:
            kill_group(p)
        for s in (self.server, self.canary):
            if s:
                s.close()


def run_special(ctx):
    """The runners for cases that are more than one command."""
    kind, c = ctx.c["kind"], ctx.c
    notes = []
    if kind == "concurrent":
        ps = [subprocess.Popen(ctx.argv(), cwd=ctx.dir, env=ctx.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True) for _ in range(4)]
        ctx.procs += ps
        t0 = time.time()
        res = []
        for p in ps:
            try:
                out, err = p.communicate(timeout=max(1, HANG_SECONDS + 5 - (time.time() - t0)))
                res.append((p.returncode, out, err, False))
            except subprocess.TimeoutExpired:
                kill_group(p)
                out, err = p.communicate()
                res.append((p.returncode, out, err, True))
        worst = next((r for r in res if r[0] != 0 or r[3]), res[0])
        return {"rc": worst[0], "out": worst[1], "err": worst[2], "secs": time.time() - t0, "hung": any(r[3] for r in res),
                "notes": [f"rcs={[r[0] for r in res]}"]}
    if kind == "signal":
        t0 = time.time()
        p = subprocess.Popen(ctx.argv(), cwd=ctx.dir, env=ctx.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
        ctx.procs.append(p)
        time.sleep(c.get("after", 1.0))
        if p.poll() is None:
            p.send_signal(getattr(signal, "SIG" + c["signal"]))
        else:
            notes.append("finished before the signal")
        try:
            out, err = p.communicate(timeout=HANG_SECONDS)
            hung = False
        except subprocess.TimeoutExpired:
            kill_group(p)
            out, err = p.communicate()
            hung = True
        return {"rc": p.returncode, "out": out, "err": err, "secs": time.time() - t0, "hung": hung, "notes": notes}
    if kind == "sigpipe":
        t0 = time.time()
        r, w = os.pipe()
        p = subprocess.Popen(ctx.argv(), cwd=ctx.dir, env=ctx.env(), stdout=w, stderr=subprocess.PIPE, start_new_session=True)
        ctx.procs.append(p)
        os.close(w)
        os.read(r, 1)
        os.close(r)
        try:
            _, err = p.communicate(timeout=HANG_SECONDS)
            hung = False
        except subprocess.TimeoutExpired:
            kill_group(p)
            _, err = p.communicate()
            hung = True
        return {"rc": p.returncode, "out": b"", "err": err, "secs": time.time() - t0, "hung": hung}
    if kind == "stdout_closed":
        t0 = time.time()
        p = subprocess.Popen(["sh", "-c", 'exec "$@" >&-', "sh", *ctx.argv()], cwd=ctx.dir, env=ctx.env(),
                             stderr=subprocess.PIPE, start_new_session=True)
        ctx.procs.append(p)
        try:
            _, err = p.communicate(timeout=HANG_SECONDS)
            hung = False
        except subprocess.TimeoutExpired:
            kill_group(p)
            _, err = p.communicate()
            hung = True
        return {"rc": p.returncode, "out": b"", "err": err, "secs": time.time() - t0, "hung": hung}
    if kind == "kill_build":
        p = subprocess.Popen(ctx.argv(["build"]), cwd=ctx.dir, env=ctx.env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        ctx.procs.append(p)
        time.sleep(2.0)
        kill_group(p)
        res = ctx.run()
        stale = [n for n in (os.listdir(ctx.cache) if os.path.isdir(ctx.cache) else []) if ".tmp" in n]
        res["notes"] = [f"stale scratch folders left: {stale}"] if stale else []
        res["extra_fail"] = ["stale scratch folders left in the cache: " + ", ".join(stale)] if stale else []
        return res
    if kind in ("serve_service", "serve_slow"):
        port = free_port()
        canary = FakeEndpoint("canary")
        p = subprocess.Popen(ctx.argv(["serve", "--port", str(port)]), cwd=ctx.dir, env=ctx.env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        ctx.procs.append(p)
        t0 = time.time()
        fails = []
        try:
            if not wait_port(port, p, 60):
                kill_group(p)
                out, err = p.communicate()
                return {"rc": p.returncode, "out": out, "err": err, "secs": time.time() - t0, "hung": False,
                        "extra_fail": ["serve did not start"]}
            if kind == "serve_service":
                q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{canary.port}/sparql> {{ ?s ?p ?o }} }}"
                limit = 20
            else:
                q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
                limit = 30
            req = urllib.request.Request(f"http://127.0.0.1:{port}/query", data=q.encode(), method="POST",
                                         headers={"Content-Type": "application/sparql-query",
                                                  "Accept": "application/sparql-results+json"})
            q0 = time.time()
            try:
                with urllib.request.urlopen(req, timeout=limit) as resp:
                    resp.read(1 << 20)
                    notes.append(f"HTTP {resp.status}")
            except urllib.error.HTTPError as e:
                notes.append(f"HTTP {e.code}")
            except Exception as e:  # timeout: no time limit on the server
                fails.append(f"query did not finish within {limit} s ({type(e).__name__})")
            notes.append(f"query took {time.time() - q0:.1f} s")
            if kind == "serve_service" and canary.requests:
                fails.append(f"serve followed SERVICE: canary got {len(canary.requests)} request(s)")
        finally:
            canary.close()
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
            kill_group(p)
        out, err = p.communicate()
        # Ctrl-C is how serve is stopped: exit status is not judged, only crashes and the query.
        return {"rc": 0, "out": out, "err": err, "secs": time.time() - t0, "hung": False, "notes": notes,
                "extra_fail": fails, "skip_rc": True}
    if kind == "serve_port_busy":
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        try:
            return ctx.run(["serve", "--port", str(s.getsockname()[1])])
        finally:
            s.close()
    raise ValueError(kind)


# ---------------------------------------------------------------- export checks ---------------
def bib_entries(text):
    """Minimal BibTeX reader: [(type, key, {field: value})], brace-balanced."""
    entries, i = [], 0
    while True:
        m = re.compile(r"@(\w+)\s*\{").search(text, i)
        if not m:
            return entries
        j, depth = m.end(), 1
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        body = text[m.end(): j - 1]
        key, _, rest = body.partition(",")
        fields, k = {}, 0
        for fm in re.finditer(r"\s*([\w-]+)\s*=\s*", rest):
            if fm.start() < k:
                continue
            v0 = fm.end()
            if v0 < len(rest) and rest[v0] == "{":
                d, e = 0, v0
                while e < len(rest):
                    d += {"{": 1, "}": -1}.get(rest[e], 0)
                    e += 1
                    if d == 0:
                        break
                val = rest[v0 + 1: e - 1]
            else:
                e = rest.find(",", v0)
                e = len(rest) if e < 0 else e
                val = rest[v0:e]
            fields.setdefault(fm.group(1).lower(), []).append(val)
            k = e
        entries.append((m.group(1).lower(), key.strip(), fields))
        i = j


def check_export(ctx, what, *arg):
    """Export from the case's data and check the file; returns a list of failure strings."""
    fmt = {"bibtex_sane": "bibtex", "bibtex_author_count": "bibtex", "csv_no_formula": "csv", "csv_consistent": "csv",
           "rdfxml_parses": "rdfxml", "graphml_parses": "graphml", "rdf_parses": "turtle", "html_no_raw_script": "html"}[what]
    out = os.path.join(ctx.dir, "export-" + fmt + ("" if fmt == "csv" else ".out"))
    args = ["export", "--format", fmt, "-o", out] if fmt != "html" else ["viz", "-o", out]
    res = ctx.run(args)
    if res["rc"] != 0 or res["hung"]:
        return [f"export {fmt} after the add failed (rc={res['rc']}): {first_line(res['err'])}"]
    fails = []
    if fmt == "bibtex":
        text = open(out, encoding="utf-8", errors="replace").read()
        entries = bib_entries(text)
        n_at = len(re.findall(r"(?m)^@\w+\s*\{", text))
        if len(entries) != n_at:
            fails.append(f"bibtex: {n_at} entries at line starts but {len(entries)} parse")
        for typ, key, fields in entries:
            if "evil" in key.lower() or any("evil" in f for f in fields):
                fails.append(f"bibtex: injected entry/field in {key!r}: {sorted(fields)}")
            dup = [f for f, v in fields.items() if len(v) > 1]
            if dup:
                fails.append(f"bibtex: entry {key!r} has repeated fields {dup}")
        if what == "bibtex_author_count":
            mine = [f for _, _, f in entries if any("probe" in v.lower() for v in f.get("title", []))]
            for f in mine:
                authors = f.get("author", [""])[0]
                names = split_top_level_and(authors)
                if len(names) != arg[0]:
                    fails.append(f"bibtex: author field {authors[:80]!r} reads as {len(names)} authors, expected {arg[0]}")
            if not mine:
                fails.append("bibtex: the added paper is not in the export")
    elif fmt == "csv":
        for name in sorted(os.listdir(out)) if os.path.isdir(out) else []:
            with open(os.path.join(out, name), newline="", encoding="utf-8", errors="replace") as fh:
                rows = list(csv.reader(fh))
            width = len(rows[0]) if rows else 0
            for n, row in enumerate(rows):
                if what == "csv_consistent" and len(row) != width:
                    fails.append(f"{name}: row {n} has {len(row)} cells, header {width}")
                    break
                for cell in row:
                    if what == "csv_no_formula" and cell and (cell[0] in "=+@\t\r" or (cell[0] == "-" and not re.fullmatch(r"-[\d.eE+-]+", cell))):
                        fails.append(f"{name}: formula-like cell {cell[:40]!r}")
                        break
        if not os.path.isdir(out):
            fails.append("csv export did not produce a directory")
    elif fmt in ("rdfxml", "graphml"):
        try:
            ET.parse(out)
        except ET.ParseError as e:
            fails.append(f"{fmt} does not parse as XML: {e}")
    elif fmt == "turtle":
        for f2 in ("turtle", "ntriples"):
            o2 = out + "." + f2
            r2 = ctx.run(["export", "--format", f2, "-o", o2])
            if r2["rc"] != 0:
                fails.append(f"export {f2} failed")
                continue
            ok, msg = ctx.r.rdf_parse(o2, "nt" if f2 == "ntriples" else "turtle")
            if not ok:
                fails.append(f"{f2} export does not parse: {msg}")
    elif fmt == "html":
        text = open(out, encoding="utf-8", errors="replace").read()
        if re.search(r"</script>\s*<script>alert\(", text, re.I):
            fails.append("viz HTML contains the raw injected </script><script>")
    return fails


def split_top_level_and(s):
    parts, depth, cur, i = [], 0, "", 0
    while i < len(s):
        ch = s[i]
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0 and s[i:i + 5].lower() == " and ":
            parts.append(cur)
            cur, i = "", i + 5
            continue
        cur += ch
        i += 1
    return parts + [cur]


def first_line(b):
    text = b.decode("utf-8", "replace") if isinstance(b, bytes) else b
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[0][:200] if lines else ""


def count_papers(data):
    p = os.path.join(data, "papers")
    return len([n for n in os.listdir(p) if n.endswith(".yaml")]) if os.path.isdir(p) else 0


class Runner:
    def __init__(self, sackg, workdir, data_src, jobs, keep=False, share=False):
        self.sackg, self.workdir, self.jobs, self.keep = sackg, workdir, jobs, keep
        self.data_src = data_src or self.find_data()
        self.shared = None
        if share:  # one data copy and one built cache for the cases that only read
            base = os.path.join(workdir, "shared")
            shutil.rmtree(base, ignore_errors=True)
            self.shared = (os.path.join(base, "data"), os.path.join(base, "cache"))
            shutil.copytree(self.data_src, self.shared[0], symlinks=True)
            env = {k: v for k, v in os.environ.items() if not k.startswith("SACKG_")}
            subprocess.run([sackg, "--data", self.shared[0], "build"], env={**env, "SACKG_CACHE": self.shared[1]},
                           capture_output=True, timeout=600, check=True)
        self._backend = None
        self._backend_lock = threading.Lock()
        self._backend_proc = None

    def python(self):
        """The tool's own interpreter (from its console-script shebang), for rdflib checks."""
        try:
            with open(self.sackg, "rb") as fh:
                line = fh.readline().decode().strip()
            if line.startswith("#!") and os.path.exists(line[2:].split()[0]):
                return line[2:].split()[0]
        except OSError:
            pass
        return sys.executable

    def find_data(self):
        code = "import kg.resources as r; print(r.data_dir())"  # documented in docs/curating.md
        out = subprocess.run([self.python(), "-c", code], capture_output=True, text=True, timeout=60)
        path = out.stdout.strip()
        if out.returncode or not os.path.isdir(path):
            sys.exit("cannot locate the bundled data; pass --data-src DIR")
        return path

    def rdf_parse(self, path, fmt):
        code = ("import sys, rdflib; g = rdflib.Graph(); g.parse(sys.argv[1], format=sys.argv[2]); print(len(g))")
        try:
            r = subprocess.run([self.python(), "-c", code, path, fmt], capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            return False, "parse timed out"
        if "No module named 'rdflib'" in r.stderr:
            return True, "rdflib not available: not checked"
        return r.returncode == 0, first_line(r.stderr.splitlines()[-1] if r.stderr else "")

    def start_backend(self):
        """One real `sackg serve` for the proxying endpoints (started in the background)."""
        base = os.path.join(self.workdir, "backend")
        shutil.rmtree(base, ignore_errors=True)
        os.makedirs(base)
        data = os.path.join(base, "data")
        shutil.copytree(self.data_src, data, symlinks=True)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SACKG_")}
        env["SACKG_CACHE"] = os.path.join(base, "cache")
        self._backend_proc = subprocess.Popen([self.sackg, "--data", data, "serve", "--port", str(port)], cwd=base, env=env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self._backend_port = port

    def backend_url(self):
        with self._backend_lock:
            if self._backend is None and self._backend_proc is not None:
                ok = wait_port(self._backend_port, self._backend_proc, 90)
                self._backend = f"http://127.0.0.1:{self._backend_port}/query" if ok else ""
            return self._backend or None

    def stop_backend(self):
        if self._backend_proc:
            kill_group(self._backend_proc)

    # ------------------------------------------------------------------------------------
    def run_case(self, c):
        ctx = Ctx(self, c)
        fails, notes = [], []
        try:
            ctx.prepare()
            before = snapshot(ctx.data)
            papers_before = count_papers(ctx.data)
            res = run_special(ctx) if c.get("kind") else ctx.run()
            fails += res.get("extra_fail", [])
            notes += res.get("notes", [])
            rc, secs = res["rc"], res["secs"]
            out = res["out"].decode("utf-8", "replace")
            try:
                err = res["err"].decode("utf-8")
            except UnicodeDecodeError:
                err = res["err"].decode("utf-8", "replace")
                fails.append("stderr is not valid UTF-8")
            limit = c.get("max_seconds", HANG_SECONDS)
            if res["hung"] or secs > limit:
                fails.append(f"hang: still running after {secs:.0f} s (limit {limit} s)")
            allowed = c.get("allowed_rc") or {"error": [1, 2], "ok": [0], "any": [0, 1, 2]}[c["expect"]]
            if not res.get("skip_rc") and not res["hung"] and rc not in allowed:
                fails.append(f"exit status {rc}, expected {allowed}" + (" (killed by a signal)" if rc < 0 else ""))
            if CRASH_RE.search(err) or CRASH_RE.search(out):
                fails.append("traceback/panic in output")
            msg = err
            if not err.strip() and c.get("report_on_stdout"):
                msg = out  # `validate` reports problems on stdout, one line each
            lines = [ln for ln in msg.splitlines() if ln.strip()]
            died_by_signal = rc is not None and (rc < 0 or rc in (130, 143)) and rc in allowed
            if rc not in (0, None) and not res["hung"] and not res.get("skip_rc") and not died_by_signal:
                if len(lines) != 1:
                    hint = " (click's Usage/Try/Error banner)" if msg.startswith("Usage:") else ""
                    fails.append(f"{len(lines)} stderr lines on error, expected 1{hint}")
                if len(msg.strip()) >= MAX_MSG:
                    fails.append(f"error message is {len(msg.strip())} chars (limit {MAX_MSG})")
            if CTRL_RE.search(err):
                fails.append(f"raw control/bidi character in stderr: {CTRL_RE.search(err).group()!r}")
            if c.get("settle"):
                ctx.run(c["settle"])
            after = snapshot(ctx.data)
            wrote_ok = c.get("may_write") and rc == 0
            if c.get("old_or_new"):
                new_only = {k: v for k, v in after.items() if k not in c["old_or_new"]}
                if new_only != before:
                    fails.append("data is neither the old set nor the new one after an interrupted write")
            elif not wrote_ok and after != before:
                changed = sorted(set(before) ^ set(after) | {k for k in before if k in after and before[k] != after[k]})
                fails.append("data directory changed: " + ", ".join(changed[:5]))
            for chk in c.get("checks", []):
                fails += self.check_extra(ctx, chk, rc, out, err, papers_before)
            if rc == 0 and not res["hung"]:
                follow = c.get("follow", FOLLOW if (c.get("may_write") and after != before) else [])
                for fa in follow:
                    fr = ctx.run(fa)
                    if fr["rc"] != 0 or fr["hung"] or CRASH_RE.search(fr["err"].decode("utf-8", "replace")):
                        fails.append(f"follow-up `sackg {' '.join(fa)[:60]}` broke: rc={fr['rc']} {first_line(fr['err'])[:120]}")
                        break
        except Exception as e:  # a runner problem, reported as such
            fails.append(f"runner error: {type(e).__name__}: {e}")
            rc, secs, err = None, 0.0, ""
        finally:
            ctx.close()
        result = {"id": c["id"], "group": c["group"], "description": c["desc"], "expect": c["expect"],
                  "pass": not fails, "problems": fails, "notes": notes, "exit_code": rc, "seconds": round(secs, 2),
                  "stderr_head": err.strip()[:200]}
        if not self.keep and not fails:
            shutil.rmtree(ctx.dir, ignore_errors=True)
        return result

    def check_extra(self, ctx, chk, rc, out, err, papers_before):
        what, *arg = chk
        if what == "stderr_excludes":
            return [f"stderr contains {arg[0]!r}"] if arg[0] in err else []
        if what == "file_content":
            p = ctx.fmt(arg[0])
            return [] if open(p).read() == arg[1] else [f"{p} was modified"]
        if what == "stderr_matches":
            return [] if re.search(arg[0], err) else [f"stderr does not say what is wrong (no match for {arg[0]!r})"]
        if what == "output_excludes":
            return [f"output contains {arg[0]!r}"] if arg[0] in err or arg[0] in out else []
        if what == "path_absent":
            p = ctx.fmt(arg[0])
            return [f"{p} was created"] if os.path.lexists(p) else []
        if what == "canary_untouched":
            n = len(ctx.canary.requests) if ctx.canary else 0
            return [f"a network request was made to the local canary server ({n})"] if n else []
        if what == "server_no_header":
            bad = [r for r in (ctx.server.requests if ctx.server else []) if arg[0] in r.headers]
            return [f"the endpoint received an injected {arg[0]} header"] if bad else []
        if what == "papers_added":
            added = count_papers(ctx.data) - papers_before
            return [f"add reported success but {added} paper file(s) were written, expected {arg[0]}"] if rc == 0 and added != arg[0] else []
        if what == "papers_added_in":
            added = count_papers(ctx.data) - papers_before
            return [] if added in arg[0] else [f"{added} paper files added"]
        if what == "export":
            return check_export(ctx, *arg) if rc == 0 else []
        raise ValueError(what)


def write_reports(workdir, results, meta):
    with open(os.path.join(workdir, "results.json"), "w") as fh:
        json.dump({"meta": meta, "results": results}, fh, indent=2, ensure_ascii=True)
    groups = sorted({r["group"] for r in results})
    lines = ["# sackg contract probe", "", f"tool: `{meta['sackg']}`  ", f"run: {meta['started']} ({meta['seconds']:.0f} s)", "",
             "| group | pass | fail |", "|---|---|---|"]
    for g in groups:
        rs = [r for r in results if r["group"] == g]
        lines.append(f"| {g} | {sum(r['pass'] for r in rs)} | {sum(not r['pass'] for r in rs)} |")
    lines += ["", "| id | group | result | what went wrong | exit | stderr (first 200 chars) |", "|---|---|---|---|---|---|"]

    def cell(s):
        s = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}" for ch in str(s))
        return s.replace("|", "\\|")

    for r in results:
        lines.append(f"| {cell(r['id'])} | {r['group']} | {'pass' if r['pass'] else 'FAIL'} | {cell('; '.join(r['problems']))} | "
                     f"{r['exit_code']} | {cell(r['stderr_head'])} |")
    with open(os.path.join(workdir, "results.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sackg", required=True, help="path to the sackg executable under test")
    ap.add_argument("--workdir", required=True, help="scratch directory for data copies, caches and results")
    ap.add_argument("--data-src", help="pristine data directory to copy per case (default: the tool's bundled data)")
    ap.add_argument("--jobs", type=int, default=2, help="cases run in parallel")
    ap.add_argument("--only", help="run only cases whose id contains this")
    ap.add_argument("--keep", action="store_true", help="keep the directories of passing cases")
    ap.add_argument("--share", action="store_true", help="cases that only read share one data copy and cache")
    a = ap.parse_args()
    workdir = os.path.abspath(a.workdir)
    os.makedirs(workdir, exist_ok=True)
    runner = Runner(os.path.abspath(a.sackg), workdir, a.data_src, a.jobs, a.keep, a.share)
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    cases = [c for c in CASES if not a.only or a.only in c["id"]]
    t0 = time.time()
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    if any(c.get("server") for c in cases):
        runner.start_backend()
    results = []
    try:
        with cf.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
            futs = {pool.submit(runner.run_case, c): c for c in cases}
            for f in cf.as_completed(futs):
                r = f.result()
                results.append(r)
                print(f"{'pass' if r['pass'] else 'FAIL'}  {r['id']:<40} {r['seconds']:6.1f}s  {'; '.join(r['problems'])[:150]}",
                      flush=True)
    finally:
        runner.stop_backend()
    order = {c["id"]: i for i, c in enumerate(CASES)}
    results.sort(key=lambda r: order[r["id"]])
    meta = {"sackg": runner.sackg, "data_src": runner.data_src, "started": started, "seconds": time.time() - t0,
            "cases": len(results)}
    write_reports(workdir, results, meta)
    for g in sorted({r["group"] for r in results}):
        rs = [r for r in results if r["group"] == g]
        print(f"{g}: {sum(r['pass'] for r in rs)} pass, {sum(not r['pass'] for r in rs)} fail")
    print(f"results: {os.path.join(workdir, 'results.md')}  ({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
