"""Threshold questions answered from a saved ranking.

A threshold's number is free, so its answers cannot be saved in advance, and ranking every
measurement of a quantity costs pyoxigraph about a second at 100,000 systems. The ranking itself
does not depend on the number: `ranked_values` (the candidates of `threshold`, lowest first, with what
a row of it shows) is saved with the store. `answered` works `threshold`'s answer out from it as the
template does: the same test of each value, the same order, the same row limit; tests/test_narrow.py
compares the two on every quantity, metal and direction. A filter the ranking does not know (support,
centre metal, coordination, mechanism, technique, group) keeps the rows of the systems the facet index
(kg.engine.facets) gives for it; a store without that index runs the query.
"""

from __future__ import annotations

import re

from kg.engine.binding import ANY

_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.IGNORECASE)


def converted(kb, threshold, unit):
    """`threshold` in `unit` as `threshold.rq` converts it (as a double, times the QUDT multiplier, plus the offset),
    from the units saved with the store; None for a unit not among them."""
    for row in kb.summary("units"):
        if row["unit"] == unit and row.get("multiplier") is not None:
            multiplier, offset = row["multiplier"], row.get("offset") or 0
            return float(threshold) * float(multiplier) + float(offset)  # threshold.rq works in doubles
    return None


def answered(kb, template, bindings: dict) -> tuple[list[str], list[dict]] | None:
    """`template`'s answer worked out from the saved ranking, or None when there is none to use (no facet
    index for a filter, a unit it cannot convert): the query then runs."""
    from decimal import Decimal

    from kg.engine.facets import KINDS, systems
    from kg.engine.templates import template as named
    from kg.model.numbers import canonical, plain

    filters = {kind: bindings[name] for name, kind in template.optional
               if kind in KINDS and hasattr(bindings.get(name), "value") and bindings[name] != ANY}
    passing = systems(kb, filters) if filters else None
    if filters and passing is None:
        return None
    ranking = kb.saved_answer(named(template.candidates),
                              {"quantity": bindings["quantity"], "metal": bindings.get("metal", ANY)})
    limit = converted(kb, bindings["threshold"], bindings["thresholdUnit"]) if ranking is not None else None
    if limit is None or not {"s", "systemName", "display", "where"} <= set(ranking[0]):
        return None
    above, inclusive = bindings["above"] is True, bindings.get("inclusive") is True
    kept, size = [], int(_LIMIT.findall(template.text)[-1])
    for row in sorted(ranking[1], key=lambda r: (-r["sortValue"] if above else r["sortValue"], r["m"].value)):
        if passing is not None and row["s"].value not in passing:
            continue
        bound = row["comparator"].value.rsplit("#", 1)[-1] if row.get("comparator") is not None else None
        verdict = meets(row["sortValue"], limit, bound, above, inclusive)
        if verdict != "no":
            kept.append((row, verdict))
            if len(kept) == size:
                break
    kept.sort(key=lambda k: (-k[0]["sortValue"] if above else k[0]["sortValue"], k[0]["systemName"], k[0]["m"].value))
    echo = {**bindings, "threshold": canonical(Decimal(plain(Decimal(str(bindings["threshold"])))))}
    columns = projected(template.text)
    rows = [{c: verdict if c == "meets" else row["comparatorSymbol"] if c == "comparator" else row["sortValue"]
             if c == "standardValue" else row[c] if c in row else echo.get(c) for c in columns} for row, verdict in kept]
    return columns, template.canonical(rows)


# The comparators of the vocabulary by their symbol, as a row of values shows them (checked against the
# knowledge base in tests/test_narrow.py)
BOUND_OF_SYMBOL = {">": "MoreThan", "≥": "AtLeast", "<": "LessThan", "≤": "AtMost", "~": "Approximately"}


def meets(value, limit, bound: str | None, above: bool, inclusive: bool) -> str:
    """threshold.rq's test of one value against a limit, in Python: yes, possibly, approximately or no.
    `bound`: the value's comparator by name (MoreThan, ...), None for a plain value."""
    if isinstance(value, float) or isinstance(limit, float):
        value, limit = float(value), float(limit)  # SPARQL compares a decimal with a double as doubles
    beyond = value > limit if above else value < limit
    level = beyond or (inclusive and value == limit)
    if bound is None:
        return "yes" if level else "no"
    if bound == ("MoreThan" if above else "LessThan"):
        return "yes" if (value >= limit if above else value <= limit) else "possibly"
    if bound == ("AtLeast" if above else "AtMost"):
        return "yes" if level else "possibly"
    if bound in (("LessThan", "AtMost") if above else ("MoreThan", "AtLeast")):
        return "possibly" if beyond else "no"
    return "approximately" if beyond else "no"


_PROJECTED = re.compile(r"\(|\)|\bAS\s+\?(\w+)|\?(\w+)", re.IGNORECASE)


def projected(query: str) -> list[str]:
    """The variables the outer SELECT of `query` projects, in order."""
    text = re.sub(r"#[^\n]*", "", query)
    start = re.search(r"\bSELECT\b", text, re.IGNORECASE).end()
    text = text[start:re.search(r"\bWHERE\s*\{", text[start:], re.IGNORECASE).start() + start]
    found, depth = [], 0
    for match in _PROJECTED.finditer(text):
        if match.group(0) == "(":
            depth += 1
        elif match.group(0) == ")":
            depth -= 1
        elif match.group(1) and depth == 1:
            found.append(match.group(1))
        elif match.group(2) and depth == 0:
            found.append(match.group(2))
    return found
