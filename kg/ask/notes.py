"""The note under an answer: what to keep in mind when reading the values."""

from __future__ import annotations

import re

from kg.engine.names import SAC
from kg.model.numbers import mixed_signs, plain

# A question asking whether something exists: "is there any ...", "does the review report ...", "are any ..."
YES_NO = re.compile(r"^\s*(is|are|was|were|does|do|did|has|have|any)\b(?!\s+(?:the\s+)?(?:lowest|highest|best))",
                    re.IGNORECASE)


def note_for(template, rows: list[dict], choice, reading, cautions: dict | None = None, left=()) -> str:
    """`cautions`: the caution of each quantity kind that has one, by IRI; `left`: the question's words
    no part of the reading used."""
    from kg.ask.compose import describes_the_system, names_a_system, unused_mentions

    notes = []
    for mention in reading.mentions:
        if mention.typo_of:
            notes.append(f"Read '{mention.text}' as '{mention.typo_of}'.")
    for written, word in reading.corrections:
        notes.append(f"Read '{written}' as '{word}'.")
    if reading.baselines:
        notes.append("Read " + ", ".join(f"'{m.text}'" for m in reading.baselines) + " as what the values are compared "
                     "with (their baselines stand beside them), not as a filter.")
    if reading.unread:
        notes.append("Ignored: " + ", ".join(f"'{w}'" for w in reading.unread) + ".")
    if left:  # words that name nothing and that no question form reads
        notes.append("Words not read: " + ", ".join(f"'{w}'" for w in left) + ".")
    threshold = reading.threshold
    if threshold is not None and threshold.unit is None and threshold.unknown_unit and "thresholdUnit" in choice.labels:
        notes.append(f"'{threshold.unknown_unit}' is no unit SAC-KG knows: {plain(threshold.value)} was read in "
                     f"{choice.labels['thresholdUnit']}, the unit of the quantity.")
    beside = names_a_system(choice, reading)  # "the Li binding energy of X": Li describes X
    unused = [reading.mentions[i].text for i in unused_mentions(choice, reading)
              if not (beside and describes_the_system(reading.mentions[i]))]
    if unused:
        notes.append("Not used in this answer: " + ", ".join(f"'{u}'" for u in unused) + ".")
    if choice.labels.get("noneFor"):  # "Li0 on ZnSAs, Na0 on ..., K0 on ...": the metals with no row
        notes.append("None reported for " + " or ".join(dict.fromkeys(choice.labels["noneFor"])) + ".")
    if choice.labels.get("secondBound"):
        notes.append(f"And {choice.labels['secondBound']}: only values within both bounds.")
    if choice.labels.get("testedAt"):
        notes.append(f"Only values tested at {choice.labels['testedAt']}.")
    if choice.labels.get("studyAt"):
        notes.append(f"Read {choice.labels['studyAt']} as saying which study of {choice.labels.get('system')}: it was tested "
                     f"there.")
    if choice.labels.get("leftOut"):
        notes.append(f"Leaving out rows of {choice.labels['leftOut']}.")
    if choice.labels.get("notLeftOut"):  # "which host is not zinc-based?" over rows that list several systems
        notes.append(f"Nothing left out for {choice.labels['notLeftOut']}: no row below is {choice.labels['notLeftOut']} "
                     f"alone.")
    if choice.labels.get("narrowedBy"):
        notes.append(f"Only rows with {choice.labels['narrowedBy']}.")
    if YES_NO.match(" ".join(t.text for t in reading.tokens)) and not template.name.startswith("compare"):
        # "is there any ...?": say yes or no first (not for "did X outlast Y?", which the values settle)
        settled = [r for r in rows if r.get("meets", "yes") == "yes"]
        notes.insert(0, f"Yes: {len(settled)} found." if settled else
                     f"Possibly: {len(rows)} found, reported only as a bound." if rows else "No.")
    elif rows and "meets" in template.columns and all(r.get("meets") != "yes" for r in rows):
        notes.insert(0, "None reported for certain: the values below are bounds that do not settle it.")
    if not rows:
        notes.append("None reported in the knowledge base.")
        return " ".join(notes)
    if "conditions" in template.columns:  # "the current density used for the 2500 h K cell": not stated
        for i, mention in enumerate(reading.mentions):
            kind = None if i in choice.used else next(
                (e.label for e in mention.entities if f"{SAC}ConditionKind" in e.classes), None)
            if kind and not any(kind in str(r.get("conditions") or "") for r in rows):
                notes.append(f"None reported for the {kind}: no value shown states it.")
    columns = set(template.columns)
    if template.name == "authors":
        notes.append(f"{rows[0]['citation']}: authors in the paper's order.")
    if template.name == "best_value":
        by_size = choice.bindings.get("magnitude") is True
        word = ("Largest" if choice.bindings.get("descending") else "Smallest") if by_size else \
            ("Highest" if choice.bindings.get("descending") else "Lowest")
        firsts = {}
        for row in rows:  # rows come run by run when the question names several metals or a quantity family
            group = firsts.setdefault(row.get("forQuantity") or row.get("metalName"), [row])
            if row is not group[0] and (row.get("value"), row.get("unit")) == (group[0].get("value"), group[0].get("unit")):
                group.append(row)  # a tie for first place
        told = ["; ".join(f"{r['systemName']}, {r['display']}" + (f" ({r['conditions']})" if r.get("conditions") else "")
                          for r in tied) for tied in firsts.values()]
        each = "quantity" if any(r.get("forQuantity") for r in rows) else "metal"
        if len(firsts) > 1 and ", " in str(choice.labels.get(each, "")):
            notes.append(f"{word} for each {each}: " + "; ".join(f"{m}: {t}" for m, t in zip(firsts, told)) + ".")
        else:
            notes.append(f"{word}: {told[0]}.")
        if by_size:
            notes.append("Ranked by size, whatever the sign: the papers give these energies with either sign "
                         "convention, and call the strongest 'largest'.")
    if "conditions" in columns and len(rows) > 1:
        conditions = {r.get("conditions") or "" for r in rows}
        if len(conditions) > 1:
            notes.append("The values were obtained under different test conditions"
                         + (" (some conditions not stated)" if "" in conditions else "") + "; compare with care.")
    if "origin" in columns:
        origins = {str(r.get("origin") or "").split(" (")[0] for r in rows}
        if "computed" in origins and "measured" in origins:
            notes.append("Some values are computed, others measured.")
        elif origins == {"computed"}:
            notes.append("All values are computed, not measured.")
        if "set" in origins:
            notes.append("Values whose origin is 'set' are design parameters or test settings the experimenters chose, "
                         "not results.")
    if "comparator" in columns and any(r.get("comparator") for r in rows):
        notes.append("Values marked >, ≥, <, ≤ or ~ are bounds or approximations as the source gives them.")
    if "meets" in columns and any(r.get("meets") != "yes" for r in rows):
        notes.append("'possibly' means the source gives only a bound that does not settle the threshold.")
    if "value" in columns and mixed_signs(r.get("value") for r in rows):
        quantity = choice.bindings.get("quantity")
        caution = (cautions or {}).get(getattr(quantity, "value", None))
        if caution:
            notes.append(str(caution))
        elif any("energy" in str(r.get("display", "")) or str(r.get("unit")) == "eV" for r in rows):
            notes.append("Energies of both signs appear: the cited papers use different sign conventions.")
    return " ".join(notes)
