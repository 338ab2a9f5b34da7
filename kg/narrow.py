"""Threshold questions answered from a saved ranking.

A threshold's number is free, so its answers cannot be saved in advance, and ranking every
measurement of a quantity costs pyoxigraph about a second at 100,000 systems. The ranking itself
does not depend on the number: `ranked_values` (the candidates of `threshold`, lowest first) is saved
with the store. This module walks that ranking and binds `threshold`'s `?m` to the measurements that
can be in its answer; the template then decides, as always, which of them meet the threshold.

What the walk relies on: a value with no comparator meets a "below" threshold exactly when it is
lower (an "above" one when it is higher). Every value with a comparator is handed to the template.
Once the answer's row limit is reached by values that certainly meet it, later values cannot be in
the answer; values tied with the last one are kept, since the engine may order ties either way.
"""

from __future__ import annotations

import re

from kg.binding import ANY

_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.IGNORECASE)


def candidates(ranking: list[dict], limit, above: bool, size: int, inclusive: bool = False) -> list:
    """The measurements of `ranking` (rows with m, sortValue, comparator; lowest first) that can be
    among the first `size` rows meeting the threshold `limit` (or equal to it, when `inclusive`), in the
    template's order."""
    chosen, certain, last = [], 0, None
    for row in (reversed(ranking) if above else ranking):
        value = row["sortValue"]
        if certain >= size and value != last:
            break
        plain = row.get("comparator") is None
        if plain and not (value > limit if above else value < limit) and not (inclusive and value == limit):
            continue  # a plain value on the wrong side never meets the threshold
        chosen.append(row["m"])
        last = value
        certain += plain
    return chosen


def narrowed(kb, template, bindings: dict) -> dict | None:
    """`bindings` with `?m` bound to the measurements that can answer, or None when the store has
    no saved ranking for them (the query then runs in full)."""
    from kg.query import template as named

    if any(hasattr(bindings.get(facet), "value") and bindings[facet] != ANY for facet in ("support", "element", "group")):
        return None  # a facet the saved ranking does not know: the first rows of the ranking may all fail it
    ranking = kb.saved_answer(named(template.candidates),
                              {"quantity": bindings["quantity"], "metal": bindings.get("metal", ANY)})
    if ranking is None:
        return None
    limit = converted(kb, bindings["threshold"], bindings["thresholdUnit"])
    if limit is None:
        return None
    size = int(_LIMIT.findall(template.text)[-1])
    chosen = candidates(ranking[1], limit, bindings["above"] is True, size,
                        bindings.get("inclusive") is True)
    return {**bindings, "m": chosen}


def converted(kb, threshold, unit):
    """`threshold` in `unit` as `threshold.rq` converts it (times the QUDT multiplier, plus the offset),
    from the units saved with the store; None for a unit not among them."""
    for row in kb.summary("units"):
        if row["unit"] == unit and row.get("multiplier") is not None:
            multiplier, offset = row["multiplier"], row.get("offset") or 0
            value = (float(threshold) if isinstance(multiplier, float) else threshold) * multiplier
            return (float(value) if isinstance(offset, float) else value) + offset  # SPARQL's promotion to double
    return None
