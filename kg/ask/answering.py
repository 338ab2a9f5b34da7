"""Answering a question: the reading that applies everything it asks, run, explained, or the facts instead."""

from __future__ import annotations

import re
from decimal import Decimal

from kg.ask.compose import ROW_FILTERS, VALUES_AS_TESTED, at_condition, by_columns, names_a_system, runs, unapplied
from kg.ask.reader import Reader
from kg.ask.words import EDGE, KINDS, SYSTEM_LIKE, TECHNIQUE_COLUMNS, Answer, Choice, NoReading, QuestionError, Reading
from kg.engine.templates import Template
from kg.model.iris import SAC
from kg.model.numbers import plain
from kg.model.text import name_key, shown, unit_key


def answer(kb, question: str, reader: Reader | None = None) -> Answer:
    """The answer to `question` (see `_answer`), with the recorded facts that hold the words its reading
    left unread beside a computed answer."""
    from kg.ask.fallback import related

    reader = reader or Reader(kb)
    found = _answer(kb, question, reader)
    if found.left:
        found.related = related(kb, reader, question, found)
    return found


def _answer(kb, question: str, reader: Reader) -> Answer:
    """Understand `question`, run the first reading that applies every constraint it names, and explain
    the result; refuse, naming the part, when no reading applies them all. A question no reading fits,
    or one about a single experiment that the reading leaves half unread, is answered from the fact
    index when recorded facts hold enough of it (kg.ask.closest, kg.ask.fallback)."""
    from kg.ask.closest import closest, none_found
    from kg.ask.fallback import (
        asked_for_unread,
        before_reading,
        beyond_scope,
        cited_figure,
        holding,
        instead_of,
        not_as_asked,
        short_name,
        unheard_of,
    )
    from kg.ask.notes import YES_NO

    try:
        choices, reading = reader.readings(question)
    except NoReading as no_form:
        try:
            reading = reader.read(question)
        except QuestionError:
            raise no_form from None
        found = (beyond_scope(kb, reader, reading, question) or _both_origins(kb, reader, reading, question)
                 or cited_figure(kb, reader, reading, question) or short_name(kb, reader, reading, question)
                 or closest(kb, reader, reading, question))
        if found is not None:
            return found
        unnamed = [w for w in reading.unread if SYSTEM_LIKE.search(w.strip(EDGE))]
        if unnamed:  # "SAZn@NG binding energy": the values of other systems would answer another question
            word = unnamed[0].strip(EDGE)
            return none_found(question, f"None reported: the knowledge base has no system or cell named {shown(word)} "
                              f"and no recorded fact mentions it{reader._suggest(word, KINDS['system']) or '.'}")
        try:  # no fact holds the unknown words: the reading of the rest, with them told apart
            choices, reading = reader.readings(question, lenient=True)
        except QuestionError:
            if not YES_NO.match(question):
                raise no_form from None
            # "is there a sodium pouch cell ...?": the values as tested in one; else no fact holds it
            return _as_tested(kb, reader, reading, question) or none_found(
                question, "No: none reported as asked; no recorded fact holds enough of the question"
                + (" (nothing known is named " + ", ".join(f"'{w}'" for w in reading.unread) + ")."
                   if reading.unread else "."))
    found = (_both_origins(kb, reader, reading, question) or before_reading(kb, reader, choices, reading, question)
             or _extreme_condition(kb, reader, reading, question) or _system_against(kb, reader, reading, question))
    if found is not None:
        return found
    refusal = empty = None
    for choice in choices:  # the readings worth trying (Reader.readings)
        if empty is not None and choice.score < choices[0].score:
            break  # an empty answer gives way only to a reading as good as it
        found = _attempt(kb, reader, choice, reading, question)
        if isinstance(found, Answer):
            if found.rows:
                return (unheard_of(kb, reader, reading, question, found) or instead_of(kb, reader, reading, question, found)
                        or not_as_asked(kb, reader, reading, question, found)
                        or asked_for_unread(kb, reader, reading, question, found)
                        or _condition_asked(kb, reader, reading, question, found) or found)
            if empty is None:
                empty, empty_choice = found, choice
        else:
            refusal = refusal or found
    if empty is not None:
        return (instead_of(kb, reader, reading, question, empty) or _kin(kb, reader, empty_choice, reading, question)
                or _condition_asked(kb, reader, reading, question, empty) or empty)
    # facts apply no number, rank nothing and filter no rows by cell, role or origin: such a question is refused
    filters = any(e.classes & set(ROW_FILTERS) for i, m in enumerate(reading.mentions) if i not in choices[0].used
                  for e in m.entities)
    ranked = reading.threshold is not None or reading.conditions or reading.direction or filters
    found = None if ranked else closest(kb, reader, reading, question, why="No question form applies all of it.")
    one_system = sum(1 for m in reading.mentions if m.entities[0].classes & KINDS["system"]) == 1
    tested_at = reading.conditions or (reading.threshold is not None and (reading.threshold.above is None or one_system))
    listing = choices[0].template.name.startswith("systems") or (  # "which Li systems work at 5 mA cm-2?"
        choices[0].template.name == "about_entity" and any(c.template.name.startswith("systems") for c in choices))
    forms = [*(["measurements_of_system"] if tested_at and one_system else []),  # "Zn-HC low-temperature test"
             *([VALUES_AS_TESTED] if YES_NO.match(question) or listing or tested_at and not _asks_other(choices[0], question)
               else [])]  # "any Na pouch cell demo?", "how do Li anodes perform at -20 °C?"
    if found is None and (filters or tested_at):  # the values as tested there
        choice = next((c for c in (reader.form(name, reading) for name in forms) if c), None)
        found = _attempt(kb, reader, choice, reading, question) if choice else None
    if not isinstance(found, Answer):
        found = holding(kb, reader, reading, question, choices[0], refusal) if refusal else None
    if not isinstance(found, Answer):
        raise refusal
    return found


def _attempt(kb, reader: Reader, choice: Choice, reading: Reading, question: str):
    """The answer of one reading, or the QuestionError naming what it cannot apply."""
    from kg.ask.notes import note_for

    template = choice.template
    threshold = reading.threshold
    alike = None if threshold is None or threshold.unit is None or reading.direction else (
        lambda iri: reader.dimensions.get((reader.quantities.get(iri.value) or {}).get("preferredUnit"))
        == reader.dimensions.get(threshold.unit))
    plan, added = runs(choice, reading, alike)  # "both Na and K": the template once per metal
    columns, table = [*added, *template.columns], [*added, *template.table]  # which value each row answers for
    rows = []
    second = reading.second if "threshold" in choice.bindings and len(reading.more_numbers) == 1 else None
    for bindings, labels in plan:
        _, raw = kb.run_template(template, bindings)
        if second is not None:  # "over 1000 h but under 1600 h": the rows meeting both bounds
            _, within = kb.run_template(template, {**bindings, "threshold": second.value, "thresholdUnit": second.unit,
                                                   "above": second.above, "inclusive": second.inclusive})
            kept = {r.get("m") for r in within}
            raw = [r for r in raw if r.get("m") in kept]
        rows += [{**labels, **_tidy(row, template)} for row in raw]
        if not raw and len({str(b.get("metal")) for b, _ in plan}) > 1 and hasattr(bindings.get("metal"), "value"):
            choice.labels.setdefault("noneFor", []).append(reader.names.entity(bindings["metal"].value).label)
    if choice.labels.get("noneFor") and not rows:
        del choice.labels["noneFor"]  # nothing for any of them: "None reported" says it
    if second is not None:
        choice.labels["secondBound"] = ("at least " if second.inclusive else "over ") + second.text if second.above \
            else ("at most " if second.inclusive else "under ") + second.text
    conditions = [*([reading.threshold] if "threshold" not in choice.bindings and reading.threshold else []),
                  *reading.conditions]
    tested_at = at_condition(rows, conditions, columns)
    said = " and ".join((("≥ " if c.inclusive else "> ") if c.above else ("≤ " if c.inclusive else "< ")) + c.text
                        if c.above is not None else c.text for c in conditions)
    if tested_at is not None:  # "... at -40 °C": only the values tested there
        rows = tested_at
        choice.labels["testedAt"] = said
    elif conditions and template.name.startswith(("references", "authors")) and _tested_there(kb, choice, conditions):
        tested_at = rows  # "Zn-HC low temperature reference": which paper on the system, not a filter
        choice.labels["studyAt"] = said
    rows, narrowed_by, refused = by_columns(choice, reading, rows, columns, lambda: _roles(kb, reader),
                                            reader.computational, reader.names.entity(f"{SAC}Computed"))
    rows = [{c: r.get(c) for c in columns} for r in rows]  # the roles read to narrow them are not shown
    situ = [c for c in TECHNIQUE_COLUMNS if c in columns] if reading.situ else []
    if situ:  # "in situ techniques": rows of techniques used in situ
        rows = [r for r in rows if any(reading.situ in str(r.get(c) or "").lower() for c in situ)]
        narrowed_by.append(f"{reading.situ} techniques")
    if reading.excluded:  # "besides zinc": no row naming it
        left_out = {e.label.lower() for m in reading.excluded for e in m.entities[:1]}
        kept = [r for r in rows if not left_out & {item.strip().lower() for v in r.values() if isinstance(v, str)
                                                  for item in v.split(";")}]
        named = ", ".join(m.entities[0].label for m in reading.excluded)
        inside = re.compile("|".join(rf"(?<![A-Za-z]){re.escape(m.entities[0].label)}(?![a-z])" for m in reading.excluded))
        still = any(inside.search(v) for r in kept for v in r.values() if isinstance(v, str))  # "Zn-HC" in a list
        choice.labels["notLeftOut" if still and len(kept) == len(rows) else "leftOut"] = named
        rows = kept

    cited = [k for k in ("author", "year") if getattr(reading, k) is not None and k not in choice.bindings
             and "reference" in columns and not (k == "author" and reader.names.iris(name_key(reading.author)))
             and not template.name.startswith(("best", "rank"))]  # the best of all is not the best of a year
    for kind in cited:  # "low-temperature Na anodes by Lu et al.": rows whose citation names them
        wanted = re.compile(rf"\b{re.escape(str(getattr(reading, kind)))}\b", re.IGNORECASE)
        rows = [r for r in rows if wanted.search(str(r.get("reference") or ""))]
        narrowed_by.append(f"{'papers by' if kind == 'author' else 'papers of'} {getattr(reading, kind)}")
    if narrowed_by:  # "in Li-S cells", "with a sulfur host", "computed values"
        choice.labels["narrowedBy"] = ", ".join(narrowed_by)
    metals_shown = {str(r.get("metalName")) for r in rows} if rows and "metalName" in columns else None
    parts = [*unapplied(choice, reading, conditions_applied=tested_at is not None, by_reference=cited,
                        second_applied=second is not None, metals_shown=metals_shown), *refused]
    if parts:
        return QuestionError(f"cannot apply {', '.join(parts)}: SAC-KG reads {shown(question)} as "
                             f"'{template.title}', which has no such filter; ask without {'them' if len(parts) > 1 else 'it'}, "
                             f"or one of: ", lambda: reader.closest_forms(question))
    cautions = {iri: row["caution"] for iri, row in reader.quantities.items() if row.get("caution")}
    from kg.ask.fallback import left_unread

    told = {str(n.unknown_unit).lower() for n in (reading.threshold, *reading.conditions) if n and n.unknown_unit}
    left = [w for w in left_unread(reader, template, reading) if w not in told  # an unknown unit is told apart
            and not (situ and w in ("situ", "operando"))]
    note = note_for(template, rows, choice, reading, cautions, left)
    found = Answer(question, template, choice.bindings, choice.labels, columns, rows, note, table)
    found.reading, found.left = reading, left
    return found



def _asks_other(choice: Choice, question: str) -> bool:
    """Whether the question asks for something other than values ("how many ...", "which mechanisms ..."),
    which the values tested at a condition do not answer."""
    from kg.ask.fallback import thing_asked

    asked = thing_asked(question)
    return bool(re.match(r"\s*how\s+many\b", question, re.IGNORECASE)) or bool(
        asked and (asked in choice.template.cues or asked.rstrip("s") in choice.template.cues))


def _system_against(kb, reader: Reader, reading: Reading, question: str):
    """"Is the SA-Co@HC K cell lifetime longer than 2000 h?": the named system's values of the quantity, with
    whether they meet the number; None unless a yes/no question compares one named system with a number."""
    from kg.ask.notes import YES_NO
    from kg.engine.narrow import BOUND_OF_SYMBOL, converted, meets

    threshold = reading.threshold
    systems = [m for m in reading.mentions if m.entities[0].classes & KINDS["system"]]
    if threshold is None or threshold.above not in (True, False) or threshold.unit is None \
            or len(systems) != 1 or not YES_NO.match(question):
        return None
    choice = reader.form("property_of_system", reading)
    if choice is None:
        return None
    reading.threshold = None  # applied below, row by row
    try:
        found = _attempt(kb, reader, choice, reading, question)
    finally:
        reading.threshold = threshold
    if not isinstance(found, Answer) or not found.rows:
        return found if isinstance(found, Answer) else None
    limit = converted(kb, threshold.value, threshold.unit)
    verdicts = []
    for row in found.rows:
        unit = reader.units.get(unit_key(str(row.get("unit") or "")))
        value = converted(kb, row.get("value"), unit[0]) if unit and row.get("value") is not None else None
        if value is None or limit is None:
            return None  # not comparable in one unit
        bound = BOUND_OF_SYMBOL.get(str(row.get("comparator") or ""))
        verdicts.append(meets(value, limit, bound, threshold.above, threshold.inclusive))  # as threshold.rq tests it
    word = "Yes" if all(v == "yes" for v in verdicts) else "No" if all(v == "no" for v in verdicts) else \
        "Yes for some values" if "yes" in verdicts else "Possibly"
    said = ("at least " if threshold.inclusive else "over ") if threshold.above else ("at most " if threshold.inclusive else "under ")
    values = "; ".join(str(r.get("display")) for r in found.rows)
    note = re.sub(r"^(?:Yes: \d+ found\.|No\.|Possibly: [^.]*\.)\s*", "", found.note)
    found.note = (f"{word}: {systems[0].entities[0].label} {values}, asked {said}{threshold.text}. " + note).strip()
    return found


def _tested_there(kb, choice: Choice, conditions: list) -> bool:
    """Whether the one system the choice is about has a value tested at every condition given."""
    system = choice.bindings.get("system")
    if not hasattr(system, "value") or any(hasattr(choice.bindings.get(p), "value") for p in ("other", "entity")):
        return False
    from kg.engine.templates import template

    measured = template("measurements_of_system")
    columns, rows = kb.run_template(measured, {"system": system})
    return bool(at_condition(rows, conditions, columns))


def _extreme_condition(kb, reader: Reader, reading: Reading, question: str):
    """"The highest current density for Na", "lowest temperature tested": the values tested at the extreme of
    a test condition the question names, when it names no quantity; or None."""
    kinds = [e.label for m in reading.mentions for e in m.entities[:1] if f"{SAC}ConditionKind" in e.classes]
    if (reading.direction not in ("high", "low") or len(kinds) != 1 or reading.threshold is not None
            or any(f"{SAC}QuantityKind" in e.classes for m in reading.mentions for e in m.entities)):
        return None
    choice = reader.form(VALUES_AS_TESTED, reading)
    found = _attempt(kb, reader, choice, reading, question) if choice else None
    if not isinstance(found, Answer):
        return None
    pattern = re.compile(re.escape(kinds[0]) + r" (-?\d+(?:\.\d+)?) ([^;]+)")
    tested = [(Decimal(m[1]), m[2].strip(), r) for r in found.rows
              for m in [pattern.search(str(r.get("conditions") or ""))] if m]
    if not tested:
        return None
    extreme = (max if reading.direction == "high" else min)(n for n, _, _ in tested)
    found.rows = [r for n, _, r in tested if n == extreme]
    unit = next(u for n, u, _ in tested if n == extreme)
    word = "Highest" if reading.direction == "high" else "Lowest"
    systems = ", ".join(dict.fromkeys(str(r.get("systemName") or r.get("system")) for r in found.rows))
    from kg.ask.notes import note_for

    found.note = (f"{word} {kinds[0]} any value was tested at: {plain(extreme)} {unit} ({systems}). "
                  + note_for(found.template, found.rows, choice, reading)).strip()
    return found


def _as_tested(kb, reader: Reader, reading: Reading, question: str):
    """The values tested in the cell, with the role or origin, or at the condition the question names, when
    it names one; else None."""
    named = any(e.classes & set(ROW_FILTERS) for m in reading.mentions for e in m.entities[:1])
    choice = reader.form(VALUES_AS_TESTED, reading)
    if choice is None or not (named or reading.conditions):
        return None
    found = _attempt(kb, reader, choice, reading, question)
    return found if isinstance(found, Answer) else None


def _both_origins(kb, reader: Reader, reading: Reading, question: str):
    """"What was computed and what was measured for SA-Co@HC?": every value of the named system (else of the
    named metal's systems), each with its origin; or None."""
    origin = f"{SAC}ValueOrigin"
    if len({e.iri for m in reading.mentions for e in m.entities[:1] if origin in e.classes}) < 2:
        return None
    for name in ("measurements_of_system", VALUES_AS_TESTED):
        choice = reader.form(name, reading)
        if choice is None:
            continue
        choice.used |= {i for i, m in enumerate(reading.mentions)  # "by DFT": how computed values were got
                        if any(e.classes & {origin, f"{SAC}Technique"} for e in m.entities[:1])}
        found = _attempt(kb, reader, choice, reading, question)
        if isinstance(found, Answer) and found.rows:
            found.note = ("Computed and measured values alike, each with its origin. " + found.note).strip()
            return found
    return None


def _condition_asked(kb, reader: Reader, reading: Reading, question: str, found: Answer):
    """"What C-rate was CoSA@NC cycled at?": when no value of `found` states the test condition the question
    names without a number, the values of the named system that state it; or None."""
    kinds = [e.label for m in reading.mentions for e in m.entities[:1] if f"{SAC}ConditionKind" in e.classes]
    numbers = [*reading.conditions, *([reading.threshold] if reading.threshold is not None else [])]
    if not kinds or any(n.above is not None for n in numbers):  # "the 500-cycle test", "kept 85%": which test
        return None
    if any(all(k in str(r.get("conditions") or "") for k in kinds) for r in found.rows):
        return None
    choice = reader.form("measurements_of_system", reading)
    if choice is None or not names_a_system(choice, reading):
        return None
    stated = _attempt(kb, reader, choice, reading, question)
    if not isinstance(stated, Answer):
        return None
    stated.rows = [r for r in stated.rows if all(k in str(r.get("conditions") or "") for k in kinds)]
    if not stated.rows:
        return None
    stated.note = (f"The values of {choice.labels.get('system')} that state the {' and '.join(kinds)}. "
                   + stated.note).strip()
    return stated


def _kin(kb, reader: Reader, choice: Choice, reading: Reading, question: str):
    """For a named system with no value of the quantity asked ("plating overpotential of CoSA@NC"), its values
    of the quantities named with the same last word (its nucleation overpotential), said to be those; or None."""
    quantity = choice.bindings.get("quantity")
    if quantity is None or quantity.value not in reader.quantities or not names_a_system(choice, reading):
        return None  # no quantity named: bound to sac:any
    label = reader.quantities[quantity.value]["label"]
    for iri in reader.families.get(re.split(r"[\s/]", label.lower())[-1], []):
        if iri == quantity.value:
            continue
        kin = Choice(choice.template, choice.score)
        kin.bindings, kin.used = {**choice.bindings, "quantity": type(quantity)(iri)}, set(choice.used)
        kin.labels = {**choice.labels, "quantity": reader.quantities[iri]["label"]}
        found = _attempt(kb, reader, kin, reading, question)
        if isinstance(found, Answer) and found.rows:
            found.note = (f"None reported for the {label}; the {kin.labels['quantity']} recorded instead. "
                          + found.note).strip()
            return found
    return None


def _roles(kb, reader: Reader) -> dict:
    """Each system's roles ("anode host; separator coating"), by its name."""
    parts = next(t for t in reader.templates if t.name == "system_parts")
    _, rows = kb.run_template(parts, reader.fill(parts, reader.read("")).bindings)
    return {r["systemName"]: str(r.get("roles") or "") for r in rows}




def _tidy(row: dict, template: Template) -> dict:
    tidy = {}
    for column in template.columns:
        value = row.get(column)  # list columns come sorted from run_template
        if isinstance(value, str):
            value = value.strip() or None
        tidy[column] = value
    return tidy
