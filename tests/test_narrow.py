"""Threshold questions on the embedded store look only at the measurements a saved ranking allows,
and give exactly the answer of the full query."""

import itertools
from decimal import Decimal

from kg.binding import ANY, with_values
from kg.narrow import candidates, converted
from kg.store import Iri

LESS = Iri("https://w3id.org/sackg/ontology#LessThan")


def ranking(*rows):
    return [{"m": m, "sortValue": Decimal(v), "comparator": c} for m, v, c in rows]


def test_below_walks_up_to_the_row_limit_of_plain_values_and_keeps_ties():
    rows = ranking(("a", 1, None), ("b", 2, LESS), ("c", 3, None), ("d", 3, None), ("e", 4, None), ("f", 9, LESS))
    assert candidates(rows, Decimal(10), above=False, size=2) == ["a", "b", "c", "d"]
    assert candidates(rows, Decimal(10), above=False, size=1) == ["a"]
    assert candidates(rows, Decimal(10), above=False, size=100) == ["a", "b", "c", "d", "e", "f"]


def test_plain_values_on_the_wrong_side_are_left_out_and_bounds_are_kept():
    rows = ranking(("a", 1, None), ("b", 2, LESS), ("c", 3, None), ("e", 4, None), ("f", 9, LESS))
    assert candidates(rows, Decimal(3), above=False, size=100) == ["a", "b", "f"]  # 3 is not below 3
    assert candidates(rows, Decimal(3), above=True, size=100) == ["f", "e", "b"]
    assert candidates(rows, Decimal(0), above=False, size=100) == ["b", "f"]
    assert candidates([], Decimal(0), above=True, size=100) == []


def test_a_threshold_is_converted_with_the_saved_units_multiplier_then_offset():
    from kg.store import open_kb

    kb, unit = open_kb(), "http://qudt.org/vocab/unit/"
    assert converted(kb, Decimal("2"), Iri(unit + "HR")) == Decimal("7200")
    assert converted(kb, Decimal("25"), Iri(unit + "DEG_C")) == Decimal("298.15")
    assert converted(kb, Decimal("0.5"), Iri(unit + "MilliA-PER-CentiM2")) == Decimal("5.000")
    assert converted(kb, Decimal("1"), Iri(unit + "PARSEC")) is None


def test_a_list_binds_a_variable_to_any_of_its_values_in_one_block():
    query = with_values("SELECT ?m WHERE { ?m ?p ?o }", {"m": [Iri("urn:a"), Iri("urn:b")], "above": True})
    assert query == ('SELECT ?m WHERE {\n  VALUES (?above ?m) { ("true"^^<http://www.w3.org/2001/XMLSchema#boolean> '
                     '<urn:a>) ("true"^^<http://www.w3.org/2001/XMLSchema#boolean> <urn:b>) }\n ?m ?p ?o }')
    assert "VALUES (?m) {  }" in with_values("SELECT ?m WHERE { ?m ?p ?o }", {"m": []})


def test_narrowed_threshold_answers_are_the_full_answers(monkeypatch):
    """Every measured quantity, every metal and both directions, at thresholds taken from the data
    (so that values equal to the threshold occur) and beyond both ends."""
    import kg.narrow
    from kg.query import template
    from kg.store import KnowledgeBase, open_kb

    kb = open_kb()
    threshold = template("threshold")
    metals = [ANY] + [r["metal"] for r in kb.select(template("alkali_metals").text)[1]]
    values = kb.select("PREFIX sac: <https://w3id.org/sackg/ontology#> SELECT ?quantity ?unit ?value WHERE { "
                       "?m sac:quantityKind ?quantity ; sac:unit ?unit ; sac:value ?value } ORDER BY ?value")[1]
    by_quantity = {}
    for row in values:
        by_quantity.setdefault(row["quantity"], []).append((row["unit"], row["value"]))
    narrowed = []
    real = kg.narrow.narrowed
    monkeypatch.setattr(kg.narrow, "narrowed", lambda *a: narrowed.append(real(*a)) or narrowed[-1])
    compared = answered = 0
    for quantity, found in by_quantity.items():
        unit = found[0][0]
        points = [found[0], found[len(found) // 2], found[-1], (unit, Decimal("1e9")), (unit, Decimal("-1e9"))]
        for (unit, value), metal, above in itertools.product(points, metals, (False, True)):
            bindings = {**{name: ANY for name, _ in threshold.optional},
                        "quantity": quantity, "threshold": value, "thresholdUnit": unit, "above": above, "metal": metal}
            columns, rows = KnowledgeBase.select(kb, threshold.text, bindings)
            assert kb.run_template(threshold, bindings) == (columns, threshold.canonical(rows)), bindings
            assert narrowed[-1] is not None or not rows, bindings  # a saved ranking was used
            compared += 1
            answered += bool(rows)
    assert len(by_quantity) >= 20 and compared == len(narrowed) >= 800 and answered >= 100
    assert sum(n is not None for n in narrowed) >= 350  # the rest have no value on a SAC system to rank
