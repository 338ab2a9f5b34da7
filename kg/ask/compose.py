"""What a reading of a question asks that its chosen template cannot apply, and the compositions the
reader does itself: one run per metal or quantity named, test conditions, and cells, roles or origins."""

from __future__ import annotations

import re

from kg.engine.names import SAC

METAL = f"{SAC}AlkaliMetal"
# Classes a question may name in passing without narrowing what it asks (shared with the reader).
MINOR = {f"{SAC}{c}" for c in ("Role", "CellConfiguration", "ConditionKind", "Comparator", "ValueOrigin",
                               "ClaimEffect", "MetalAnode", "Battery", "EvidenceKind", "Review")}
# What a named thing is, in the order a filter would read it ("carbon cloth": a support kind before a control).
KIND_NAMES = {f"{SAC}{c}": name for c, name in (
    ("AlkaliMetal", "alkali metal"), ("SupportKind", "support kind"), ("ChemicalElement", "centre metal"),
    ("Mechanism", "mechanism"), ("Technique", "technique"), ("CoordinationEnvironment", "coordination"),
    ("SynthesisMethod", "synthesis method"), ("QuantityKind", "quantity"), ("SACSystem", "system"),
    ("SystemGroup", "group of systems"), ("ControlMaterial", "control material"), ("Support", "support"),
    ("Challenge", "challenge"), ("Prospect", "prospect"), ("CellConfiguration", "cell"), ("Role", "role"),
    ("ValueOrigin", "origin"))}


def _bound(choice) -> set:
    return {v for v in choice.bindings.values() if hasattr(v, "value")}


def unused_mentions(choice, reading) -> list[int]:
    """Indexes of the mentions that name something the answer does not apply."""
    bound = _bound(choice)
    return [i for i, m in enumerate(reading.mentions)
            if i not in choice.used and not any(e.iri in bound for e in m.entities)
            and not all(e.classes & MINOR for e in m.entities)]


# Parameters a question may give several values of, each answered by its own run of the template: the
# parameter, the class of its values, the columns that already show it, and the column that says it otherwise.
REPEATABLE = (("metal", METAL, {"metalName", "metal", "metals", "alkali_metals"}, "forMetal"),
              ("quantity", f"{SAC}QuantityKind", {"quantityName", "quantity"}, "forQuantity"),
              ("system", f"{SAC}SACSystem", {"systemName", "system"}, "forSystem"),
              ("element", f"{SAC}ChemicalElement", {"centreMetals", "element"}, "forCentreMetal"))


def repeats(choice, mention, reading) -> bool:
    """Whether `mention` names a further value of a parameter the choice runs once per value ("Li, Na and K")."""
    kinds = {kind for _, kind in (*choice.template.params, *choice.template.optional)}
    for param, cls, _, _ in REPEATABLE:
        if param == "quantity" and kinds & {"number", "direction"}:
            continue
        if hasattr(choice.bindings.get(param), "value") and mention.of_kind({cls}) is not None:
            return not joined_in_one_word(reading, choice.bindings[param], mention)
    return False


def joined_in_one_word(reading, value, mention) -> bool:
    """Whether `mention` is written in one word with the mention of `value` ("Fe-Ni", "Fe/Ni": dual atoms,
    both at once, not one or the other)."""
    return any(m is not mention and m.first == mention.first and any(e.iri == value for e in m.entities)
               for m in reading.mentions)


def runs(choice, reading, measured_alike=None) -> tuple[list[tuple[dict, dict]], list[str]]:
    """The bindings to run, each with the labels of the values it answers for, and the columns to add to
    say which: "both Na and K" runs once per metal; "nucleation overpotential and cycle life of X" once per
    quantity (not when a threshold or a ranking belongs to the one quantity, unless `measured_alike(iri)`
    says the other is measured in the threshold's unit too: "nucleation or plating overpotential under 20
    mV"), "overpotential" once per quantity of its family; several metals and quantities run once per pair."""
    from itertools import product

    template = choice.template
    kinds = {kind for _, kind in (*template.params, *template.optional)}
    axes, columns = [], []
    for param, cls, showing, column in REPEATABLE:
        value = choice.bindings.get(param)
        if not hasattr(value, "value"):
            continue
        further = []
        if param == "quantity":  # "overpotential": each quantity of the family the word names
            held = next((m for m in reading.mentions if m.of_kind({cls}) is not None
                         and m.of_kind({cls}).iri == value), None)
            further = [(None, e) for e in (held.entities[1:] if held else []) if cls in e.classes]
        ranked = param == "quantity" and kinds & {"number", "direction"}
        for i in [] if ranked and measured_alike is None else unused_mentions(choice, reading):
            if joined_in_one_word(reading, value, reading.mentions[i]):
                continue
            entity = reading.mentions[i].of_kind({cls})
            if ranked and entity is not None and not measured_alike(entity.iri):
                continue
            if entity is not None and entity.iri != value and entity.iri not in [e.iri for _, e in further]:
                further.append((i, entity))
        if not further:
            continue
        values = [(value, choice.labels.get(param))]
        for i, entity in further:
            values.append((entity.iri, entity.label))
            if i is not None:
                choice.used.add(i)
            choice.labels[param] = f"{choice.labels[param]}, {entity.label}"
        axes.append((param, values))
        if not set(template.table) & showing:
            columns.append(column)
    if not axes:
        return [(choice.bindings, {})], []
    plan = []
    for combination in product(*(values for _, values in axes)):
        bindings, labels = dict(choice.bindings), {}
        for (param, _), (iri, label) in zip(axes, combination):
            bindings[param] = iri
            labels[next(c for p, _, _, c in REPEATABLE if p == param)] = label
        plan.append((bindings, {c: labels[c] for c in columns}))
    return plan, columns


def names_a_system(choice, reading) -> bool:
    """Whether the answer is about a SAC system the question names (a control has no centre metal or
    support of its own that a name beside it could describe)."""
    bound = _bound(choice)
    return any(e.iri in bound and f"{SAC}SACSystem" in e.classes for m in reading.mentions for e in m.entities)


# Kinds that still narrow an answer about one named system: another quantity asks another question, and
# another system is not a description of the first.
NARROWS_A_SYSTEM = {f"{SAC}QuantityKind", f"{SAC}SACSystem"}


def describes_the_system(mention) -> bool:
    """Whether a name beside a named system describes it rather than narrowing the answer."""
    return not any(e.classes & NARROWS_A_SYSTEM for e in mention.entities)


# What a name beside a named system may be without asking something of its own: its metal, centre metal,
# support, coordination, the cell or control it was tested with ("the Li binding energy of SAZn").
DESCRIBE_A_SYSTEM = {f"{SAC}{c}" for c in ("AlkaliMetal", "ChemicalElement", "SupportKind", "Support", "ControlMaterial",
                                           "CellConfiguration", "Role", "CoordinationEnvironment", "SystemGroup")}


def only_describes(mention) -> bool:
    return all(e.classes & DESCRIBE_A_SYSTEM for e in mention.entities)


def unapplied(choice, reading, conditions_applied: bool = False, by_reference=(), second_applied: bool = False,
              metals_shown=None) -> list[str]:
    """The parts of the question the answer would silently drop: named things it does not bind and a
    threshold it does not use, each as the question wrote it with what it is (`by_reference`: the year or
    author that narrowed the rows by their citation instead). Beside a named system, a
    metal, centre metal, support or control ("the Li binding energy of SAZn in ZnSA-N-C", "... versus
    bare carbon") describes that system or what it is compared with, and drops nothing."""
    parts = []
    for i in unused_mentions(choice, reading):
        mention = reading.mentions[i]
        if names_a_system(choice, reading) and describes_the_system(mention) and not (
                metals_shown is not None and METAL in mention.entities[0].classes
                and mention.entities[0].label not in metals_shown):
            continue  # not "Na0" beside a Li system: the answer shows no Na value
        classes = {c for e in mention.entities for c in e.classes}
        kind = next((name for c, name in KIND_NAMES.items() if c in classes), "name")
        parts.append(f"'{mention.text}' ({kind})")
    parts += [] if second_applied else [f"'{text}' (a second threshold)" for text in reading.more_numbers]
    for kind, what in (("year", "a year"), ("author", "an author")):
        value = getattr(reading, kind, None)
        if value is not None and choice.bindings.get(kind) != value and kind not in by_reference:
            parts.append(f"'{value}' ({what})")
    if not conditions_applied:
        parts += [f"'{c.text}' (a test condition)" for c in reading.conditions]
    threshold = reading.threshold
    if threshold is not None and "threshold" not in choice.bindings and not conditions_applied \
            and (threshold.above is not None or threshold.unit is not None or threshold.count):
        parts.append(f"'{threshold.text}' ({'a threshold' if threshold.above is not None else 'a test condition'})")
    return parts


def at_condition(rows: list[dict], conditions: list, columns: list[str]) -> list[dict] | None:
    """The rows tested at every test condition the question gives ("at -40 °C", "at 0.5 mA cm-2", "at 1 mA/cm2
    or more"), read from each row's conditions as written; None when there is no such number or the rows
    carry no conditions to read."""
    from decimal import Decimal

    wanted = [c for c in conditions if (c.unit is not None and c.unit_symbol) or c.count]
    if any(isinstance(c.above, str) for c in conditions):
        return None  # "better than" a condition says nothing
    if not wanted or len(wanted) != len(conditions) or "conditions" not in columns:
        return None

    def meets(number: Decimal, condition) -> bool:
        if condition.above is None:
            return number == condition.value
        if number == condition.value:
            return condition.inclusive
        return (number > condition.value) == condition.above

    def tested(row, condition) -> bool:
        pattern = re.compile(re.escape(condition.count) + r" (-?\d+(?:\.\d+)?)(?=;|$)" if condition.count else
                             r"(-?\d+(?:\.\d+)?) " + re.escape(condition.unit_symbol) + r"(?=;|$)")
        if not condition.count and row.get("unit") == condition.unit_symbol and row.get("value") is not None:
            value, bound = Decimal(str(row["value"])), row.get("comparator")
            if meets(value, condition) or (condition.above is True and bound in (">", "≥") and value >= condition.value
                                           or condition.above is False and bound in ("<", "≤") and value <= condition.value):
                return True  # "reached 1600 h", "survived over 900 h" (> 900 h): the value itself
        return any(meets(Decimal(n), condition) for n in pattern.findall(str(row.get("conditions") or "")))

    return [row for row in rows if all(tested(row, c) for c in wanted)]


# The form listing every value with its cell, origin and conditions: what a cell, role or origin narrows when
# the form chosen has no such column.
VALUES_AS_TESTED = "values_for_metal"

# Named things that narrow the rows of an answer by a column they carry: a cell ("in Li-S cells"), a role
# ("with a sulfur host"), an origin ("computed values").
ROW_FILTERS = {f"{SAC}CellConfiguration": ("cellName", "cell"), f"{SAC}Role": ("roles",),
               f"{SAC}ValueOrigin": ("origin",)}


# The cell a metal anode's cycle life is tested in unless a paper says otherwise: a value whose cell is not
# stated is kept beside those said to be tested in it, and marked so.
USUAL_CELL = "symmetric cell"


def by_columns(choice, reading, rows: list[dict], columns: list[str], roles_of=None, computational=None,
               computed=None) -> tuple[list[dict], list[str], list[str]]:
    """`rows` narrowed by each named cell, role or origin the reading left unused, the labels applied, and
    the parts no column of the answer can apply. `roles_of()`: each system's roles by name, for rows of
    values that name their system but not its roles ("the cell with the Pt single-atom separator");
    `computational(mention)`: whether a mention names a computational technique, which a form with an origin
    column applies as the origin `computed` ("DFT binding energies")."""
    applied, refused, wanted = [], [], {}
    bound = _bound(choice)
    for i, mention in enumerate(reading.mentions):
        if i in choice.used or any(e.iri in bound for e in mention.entities):
            continue
        entity = next((e for e in mention.entities if e.classes & set(ROW_FILTERS)), None)
        if entity is None and "origin" in columns and computational is not None and computational(mention):
            wanted.setdefault("origin", []).append(computed)  # "DFT values": the computed ones
            choice.used.add(i)
            continue
        if entity is None or _in_passing(mention, entity, reading):
            continue
        names = next(ROW_FILTERS[c] for c in ROW_FILTERS if c in entity.classes)
        column = next((c for c in names if c in columns), None)
        if column is None and "roles" in names and "systemName" in columns and roles_of is not None:
            roles = roles_of()
            rows = [{**r, "roles": roles.get(r.get("systemName"), "")} for r in rows]
            column = "roles"
        if column is None and names_a_system(choice, reading):
            continue  # "the Pt SAs separator in Li-S cells": where the named system was used
        if column is None:
            refused.append(f"'{mention.text}' ({KIND_NAMES.get(next(iter(entity.classes & set(ROW_FILTERS))), 'name')})")
            continue
        wanted.setdefault(column, []).append(entity)
        choice.used.add(i)
    for column, entities in wanted.items():  # "in pouch or Li-S cells": either, in one column
        labels = [e.label for e in entities]
        # a value of a named system or quantity whose cell is not stated may have been measured in that cell
        unstated = names_a_system(choice, reading) or (column == "cellName" and "quantity" in choice.bindings
                                                       and USUAL_CELL in labels)
        kept = [r for r in rows if any(set(label.lower().split())  # a Li-S pouch cell is a Li-S cell
                                       <= set(str(r.get(column) or "").lower().replace(";", " ").split()) for label in labels)
                or (unstated and not r.get(column))]
        unstated = any(not r.get(column) for r in kept)
        rows = kept
        kind = KIND_NAMES[next(iter(entities[0].classes & set(ROW_FILTERS)))]
        applied.append(" or ".join(labels) + (f" (or no {kind} stated)" if unstated else ""))
    return rows, applied, refused


def _in_passing(mention, entity, reading) -> bool:
    """A word that names a role or an origin without narrowing: "hosts" and "substrates" (any support), "what
    was measured" (a verb)."""
    if f"{SAC}Role" in entity.classes and " " not in mention.text.strip():
        return True
    before = reading.tokens[mention.first - 1].text.lower() if mention.first > 0 else ""
    return f"{SAC}ValueOrigin" in entity.classes and (
        before in {"was", "were", "is", "are", "been", "be", "being"}
        or mention.text.lower() == "theoretical")  # "theoretical capacity" is a kind of value, not its origin
