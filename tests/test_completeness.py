"""Every number with a unit in sections 1 to 6 of the review is in the knowledge base (as a value, a
baseline value or a condition, in the section, or the figure, where the review gives it) or is listed
with its reason in tests/review/numbers-excluded.tsv."""

from __future__ import annotations

import csv
import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import PROV, RDF

from kg.model.namespaces import SAC, UNIT
from kg.model.resources import data_dir
from kg.source.ingest import build, full_graph
from kg.source.schema import load_ontology
from kg.source.vocab import UnitTable

_spec = importlib.util.spec_from_file_location("review_numbers", Path(__file__).parent / "review" / "numbers.py")
numbers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(numbers)


@pytest.fixture(scope="module")
def graph():
    return full_graph(build(Path(data_dir())))


@pytest.fixture(scope="module")
def units():
    return UnitTable(load_ontology())


def excluded() -> dict:
    with numbers.EXCLUDED.open(encoding="utf-8") as f:
        return {(r["line"], r["value"], r["unit"]): r["reason"] for r in csv.DictReader(f, delimiter="\t")}


def owners(g, node) -> list:
    """The node and the records it belongs to (a condition or baseline belongs to its measurement or claim)."""
    found = [node]
    for predicate in (SAC.testCondition, SAC.baseline):
        for parent in g.subjects(predicate, node):
            found += owners(g, parent)
    return found


def placed(g, node, section: str, figure: str) -> bool:
    records = owners(g, node)
    sections = {str(s).rsplit("/", 1)[-1] for r in records for s in g.objects(r, SAC.statedInSection)}
    if section not in sections:
        return False
    if not figure:
        return True
    figures = {str(p).rsplit("/", 1)[-1] for r in records for p in g.objects(r, SAC.shownInFigure)}
    return any(f.rstrip("ABCDEFGHIJ") == figure for f in figures)


def holders(g, units, row) -> list:
    q = units.parse(f"{row['value']} {row['unit']}")
    kept_as = {q.unit} | ({UNIT.UNITLESS} if row["unit"] == "cycles" else set())  # "cycles: 300" is a count
    return [node for unit in kept_as for node in g.subjects(SAC.unit, unit)
            if Decimal(str(g.value(node, SAC.value))) == q.value and placed(g, node, row["section"], row["figure"])]


@pytest.mark.skipif(not numbers.REVIEW.exists(), reason="the review text (../shared/seeds) is not present")
def test_numbers_file_is_the_review_text():
    assert numbers.extract(numbers.REVIEW.read_text(encoding="utf-8")) == numbers.read()


def test_extraction_reads_chains_ranges_and_units():
    rows = numbers.extract("### 3.2 x\nfrom  $-0.751$  eV to -0.963 eV; at 0.6-0.7 nm; (Fig. 3C) at 0.5 C; "
                           "60  $\\mu\\text{A h cm}^{-2}$ and 500 W h kg<sup>-1</sup>.<sup>12</sup>\n")
    assert [(r["value"], r["unit"]) for r in rows] == [
        ("-0.751", "eV"), ("-0.963", "eV"), ("0.6", "nm"), ("0.7", "nm"), ("0.5", "C"), ("60", "μA h cm-2"),
        ("500", "W h kg-1")]


def test_every_number_of_the_review_is_in_the_knowledge_base(graph, units):
    skip = excluded()
    missing = [f"line {r['line']}: {r['value']} {r['unit']} ({r['context']})" for r in numbers.read()
               if (r["line"], r["value"], r["unit"]) not in skip and not holders(graph, units, r)]
    assert missing == []


def test_exclusions_are_few_reasoned_and_needed(graph, units):
    rows = {(r["line"], r["value"], r["unit"]): r for r in numbers.read()}
    skip = excluded()
    assert len(skip) <= 10
    for key, reason in skip.items():
        assert key in rows, f"excluded number not in the review: {key}"
        assert len(reason) > 20
        assert not holders(graph, units, rows[key]), f"excluded but recorded: {key}"


def test_the_count_of_numbers_read_from_the_review():
    rows = numbers.read()
    assert len(rows) == 90
    assert {r["section"] for r in rows} == {"1", "3.1", "3.2", "4", "6"}
