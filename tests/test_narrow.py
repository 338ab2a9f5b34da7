"""Threshold questions on the embedded store are answered from a saved ranking, exactly as the full query
answers them."""

import itertools
from decimal import Decimal

import pytest

from kg.engine.binding import ANY, with_values
from kg.engine.narrow import BOUND_OF_SYMBOL, converted, meets, projected
from kg.model.namespaces import SAC_IRI
from kg.model.terms import Iri

LESS, MORE, LEAST, MOST, APPROX = "LessThan", "MoreThan", "AtLeast", "AtMost", "Approximately"


@pytest.mark.parametrize("value, limit, bound, above, inclusive, expected", [
    (5, 3, None, True, False, "yes"), (3, 3, None, True, False, "no"), (3, 3, None, True, True, "yes"),
    (2, 3, None, False, False, "yes"), (4, 3, None, False, False, "no"),
    (3, 3, MORE, True, False, "yes"), (2, 3, MORE, True, False, "possibly"), (3, 3, LEAST, True, False, "possibly"),
    (3, 3, LEAST, True, True, "yes"), (4, 3, MOST, True, False, "possibly"), (3, 3, MOST, True, False, "no"),
    (2, 3, LESS, False, False, "yes"), (3, 3, LESS, False, False, "yes"), (4, 3, LESS, False, False, "possibly"),
    (2, 3, MORE, False, False, "possibly"), (4, 3, APPROX, True, False, "approximately"), (2, 3, APPROX, True, False, "no"),
    (Decimal("0.1"), 0.1, None, True, True, "yes"),  # a decimal and a double compare as doubles, as in SPARQL
])
def test_each_value_is_tested_as_the_template_tests_it(value, limit, bound, above, inclusive, expected):
    assert meets(Decimal(str(value)) if isinstance(value, int) else value, limit, bound, above, inclusive) == expected


def test_the_comparator_symbols_are_the_vocabularys():
    from kg.engine.opening import open_kb

    rows = open_kb().select("PREFIX sac: <https://w3id.org/sackg/ontology#> SELECT ?c ?symbol WHERE { "
                            "?c a sac:Comparator ; sac:symbol ?symbol }")[1]
    assert {r["symbol"]: r["c"].value.rsplit("#", 1)[-1] for r in rows} == BOUND_OF_SYMBOL


def test_the_columns_a_query_projects_in_order():
    assert projected("SELECT ?a (COUNT(?b) AS ?n) ?c (CONCAT(STR(?x), \" \") AS ?where) WHERE { ?a ?b ?c }") == \
        ["a", "n", "c", "where"]


def test_a_threshold_is_converted_with_the_saved_units_multiplier_then_offset():
    from kg.engine.opening import open_kb

    kb, unit = open_kb(), "http://qudt.org/vocab/unit/"
    assert converted(kb, Decimal("2"), Iri(unit + "HR")) == 7200.0  # in doubles, as every engine computes it
    assert converted(kb, Decimal("25"), Iri(unit + "DEG_C")) == 25.0 + 273.15
    assert converted(kb, Decimal("0.5"), Iri(SAC_IRI + "MilliA-PER-CentiM2")) == 5.0
    assert converted(kb, Decimal("1"), Iri(unit + "PARSEC")) is None


def test_a_list_binds_a_variable_to_any_of_its_values_in_one_block():
    query = with_values("SELECT ?m WHERE { ?m ?p ?o }", {"m": [Iri("urn:a"), Iri("urn:b")], "above": True})
    assert query == ('SELECT ?m WHERE {\n  VALUES (?above ?m) { ("true"^^<http://www.w3.org/2001/XMLSchema#boolean> '
                     '<urn:a>) ("true"^^<http://www.w3.org/2001/XMLSchema#boolean> <urn:b>) }\n ?m ?p ?o }')
    assert "VALUES (?m) {  }" in with_values("SELECT ?m WHERE { ?m ?p ?o }", {"m": []})


def test_threshold_answers_from_the_saved_ranking_are_the_full_answers(monkeypatch):
    """Every measured quantity, every metal and both directions, at thresholds taken from the data
    (so that values equal to the threshold occur) and beyond both ends."""
    import kg.engine.narrow
    from kg.engine.embedded import KnowledgeBase
    from kg.engine.opening import open_kb
    from kg.engine.templates import template

    kb = open_kb()
    threshold = template("threshold")
    metals = [ANY] + [r["metal"] for r in kb.select(template("alkali_metals").text)[1]]
    values = kb.select("PREFIX sac: <https://w3id.org/sackg/ontology#> SELECT ?quantity ?unit ?value WHERE { "
                       "?m sac:quantityKind ?quantity ; sac:unit ?unit ; sac:value ?value } ORDER BY ?value")[1]
    by_quantity = {}
    for row in values:
        by_quantity.setdefault(row["quantity"], []).append((row["unit"], row["value"]))
    narrowed = []
    real = kg.engine.narrow.answered
    monkeypatch.setattr(kg.engine.narrow, "answered", lambda *a: narrowed.append(real(*a)) or narrowed[-1])
    compared = answered = 0
    for quantity, found in by_quantity.items():
        unit = found[0][0]
        points = [found[0], found[len(found) // 2], found[-1], (unit, Decimal("1e9")), (unit, Decimal("-1e9"))]
        for (unit, value), metal, above, inclusive in itertools.product(points, metals, (False, True), (ANY, True)):
            bindings = {**{name: ANY for name, _ in threshold.optional}, "quantity": quantity, "threshold": value,
                        "thresholdUnit": unit, "above": above, "metal": metal, "inclusive": inclusive}
            columns, rows = KnowledgeBase.select(kb, threshold.text, bindings)
            assert kb.run_template(threshold, bindings) == (columns, threshold.canonical(rows)), bindings
            assert narrowed[-1] is not None or not rows, bindings  # a saved ranking was used
            compared += 1
            answered += bool(rows)
    assert len(by_quantity) >= 20 and compared == len(narrowed) >= 1600 and answered >= 200
    assert sum(n is not None for n in narrowed) >= 700  # the rest have no value on a SAC system to rank


def test_threshold_answers_filtered_by_facets_are_the_full_answers(monkeypatch):
    """Each facet value the index holds (centre metal, support kind, coordination, mechanism, technique,
    group), alone and beside a metal, in both directions, for four quantities each (in turn, so that every
    quantity is asked): the answer worked out from the ranking and the facet index is the query's."""
    import kg.engine.narrow
    from kg.engine.embedded import KnowledgeBase
    from kg.engine.facets import KINDS
    from kg.engine.opening import open_kb
    from kg.engine.templates import template

    kb = open_kb()
    threshold = template("threshold")
    facet_values = kb.select(template("facets").text)[1]
    assert {r["facet"] for r in facet_values} == set(KINDS)
    quantities = kb.select("PREFIX sac: <https://w3id.org/sackg/ontology#> SELECT ?quantity (SAMPLE(?unit) AS ?u) "
                           "(AVG(?value) AS ?middle) WHERE { ?m sac:quantityKind ?quantity ; sac:unit ?unit ; "
                           "sac:value ?value } GROUP BY ?quantity")[1]
    narrowed = []
    real = kg.engine.narrow.answered
    monkeypatch.setattr(kg.engine.narrow, "answered", lambda *a: narrowed.append(real(*a)) or narrowed[-1])
    pairs = sorted({(r["facet"], r["value"]) for r in facet_values}, key=lambda p: (p[0], p[1].value))
    compared = answered = 0
    asked = [(pair, quantities[(4 * i + k) % len(quantities)]) for i, pair in enumerate(pairs) for k in range(4)]
    parameter = {kind: name for name, kind in threshold.optional}
    for ((facet, value), row), above, metal in itertools.product(asked, (False, True),
                                                                 (ANY, Iri("https://w3id.org/sackg/id/element/Li"))):
        bindings = {**{name: ANY for name, _ in threshold.optional}, "quantity": row["quantity"], "threshold":
                    Decimal(f"{row['middle']:.2f}"), "thresholdUnit": row["u"], "above": above, "metal": metal,
                    parameter[facet]: value}
        columns, rows = KnowledgeBase.select(kb, threshold.text, bindings)
        assert kb.run_template(threshold, bindings) == (columns, threshold.canonical(rows)), bindings
        compared += 1
        answered += bool(rows)
    assert len(pairs) >= 50 and compared == len(narrowed) and answered >= 100
    assert sum(n is not None for n in narrowed) >= compared // 2
