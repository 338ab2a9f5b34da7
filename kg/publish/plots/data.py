"""What the plots draw, read from the knowledge base: the values of a quantity on SAC systems with their
baselines, each in the quantity's preferred unit; the alkali metal a plot is limited to; and the sentences
every plot carries (its source, and the test conditions that differ between its points)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kg.engine.names import Names
from kg.engine.templates import run
from kg.model.iris import SAC
from kg.model.text import cited_as


@dataclass
class Baseline:
    material: str
    value: Decimal | None  # None: compared without a value, or in a unit of another dimension
    display: str


@dataclass
class Value:
    """One measurement of a SAC system, in the quantity's preferred unit."""

    system: str
    metal: str | None
    quantity: str
    value: Decimal | None
    unit: str
    display: str
    comparator: str
    origin: str
    methods: list[str]
    cell: str | None
    current: Decimal | None  # mA cm⁻²
    capacity: Decimal | None  # mA h cm⁻²
    references: list[str]
    baselines: list[Baseline] = field(default_factory=list)

    @property
    def shown(self) -> str:
        """The number as a label: the comparator and value, without the unit (the axis has it)."""
        number = format(self.value.normalize(), "f") if self.value is not None else self.display
        number = number.replace("-", "−")
        return {"": number, "~": f"~{number}"}.get(self.comparator, f"{self.comparator} {number}")

    @property
    def refs(self) -> str:
        """'ref. 70' or 'refs 8, 50': the numbers the review cites the sources by."""
        numbers = reference_numbers(self.references)
        return f"ref. {numbers[0]}" if len(numbers) == 1 else f"refs {', '.join(numbers)}" if numbers else ""


def reference_numbers(references) -> list[str]:
    """The numbers the review cites these references by ('... [ref. 70]' -> '70'), in order."""
    return [str(n) for n in sorted({cited_as(r)[1] for r in references} - {None})]


def metal_filter(kb, metal: str | None) -> str | None:
    """The label of the alkali metal `metal` names ('sodium' -> 'Na'), or None for every metal."""
    return Names(kb).resolve(metal, (f"{SAC}AlkaliMetal",)).label if metal else None


def quantity_kinds(kb, wanted) -> list[dict]:
    """The quantity kinds (IRI, label, preferred unit, caution) whose label `wanted` accepts."""
    return [q for q in kb.summary("quantities") if wanted(q["label"])]



def values(kb, kinds: list[dict], metal: str | None = None) -> list[Value]:
    """Every value of these quantity kinds on a SAC system (only `metal`'s, if given), with its baselines,
    in the kind's preferred unit; a value in a unit of another dimension keeps only its text."""
    from kg.field.graph import converted, units_of

    if not kinds:
        return []
    units = units_of(kb)
    labels = {q["quantity"].value: q["label"] for q in kinds}
    found: dict[str, Value] = {}
    for row in run(kb, "plot_values", quantity=[q["quantity"] for q in kinds])[1]:
        if metal is not None and row["metalName"] != metal:
            continue
        preferred = row["preferredUnit"].value
        entry = found.get(row["m"].value)
        if entry is None:
            number = converted(Decimal(str(row["value"])), row["unit"].value, preferred, units)
            entry = found[row["m"].value] = Value(
                system=row["system"], metal=row["metalName"], quantity=labels[row["quantity"].value],
                value=number, unit=units.get(preferred, ("",))[0], display=row["display"],
                comparator=row["comparator"] or "", origin=row["origin"], methods=[], cell=row["cell"],
                current=_decimal(row["current"]), capacity=_decimal(row["capacity"]),
                references=sorted(filter(None, (row["reference"] or "").split("; "))))
        if row["method"] and row["method"] not in entry.methods:
            entry.methods.append(row["method"])
        if row["baseline"] and not any(b.material == row["baseline"] and b.display == (row["baselineDisplay"] or "")
                                       for b in entry.baselines):
            number = (converted(Decimal(str(row["baselineValue"])), row["baselineUnit"].value, preferred, units)
                      if row["baselineValue"] is not None else None)
            entry.baselines.append(Baseline(row["baseline"], number, row["baselineDisplay"] or ""))
    for entry in found.values():
        entry.baselines.sort(key=lambda b: (b.value is None, b.value if b.value is not None else 0, b.material))
        entry.methods.sort()
    return sorted(found.values(), key=lambda v: (v.system.lower(), v.value if v.value is not None else 0, v.display))


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).normalize()


def source(kb, points: list[Value]) -> str:
    """Where a plot's numbers come from: the review (as the knowledge base cites it) and the papers it cites,
    as the review cites them."""
    from kg.publish.cells import cited_review

    references = sorted({r for p in points for r in p.references}, key=lambda r: (cited_as(r)[1] or 10 ** 6, r))
    cited = f"; values from {'; '.join(references)}" if references else ""
    review = cited_review(kb)
    return f"Source: SAC-KG, curated from {review or 'its papers'}{cited}."


def _range(numbers: list[Decimal], unit: str) -> str:
    low, high = (format(d.normalize(), "f") for d in (min(numbers), max(numbers)))
    return f"{low} {unit}" if low == high else f"{low}–{high} {unit}"


def conditions(points: list[Value]) -> str:
    """The test conditions of the plotted points where they differ or go unstated, e.g. 'current density:
    0.5–10 mA cm⁻²; areal capacity: not stated; cell: symmetric cell (4), not stated (1)'."""
    if not points:
        return ""
    measured = any(p.origin != "computed" for p in points)
    parts = []
    for name, numbers, unit in (("current density", [p.current for p in points], "mA cm⁻²"),
                                ("areal capacity", [p.capacity for p in points], "mA h cm⁻²")):
        stated = [n for n in numbers if n is not None]
        if not stated and not measured:
            continue
        missing = len(numbers) - len(stated)
        text = _range(stated, unit) if stated else "not stated"
        if stated and missing:
            text += f" (not stated for {missing} of {len(numbers)})"
        parts.append(f"{name}: {text}")
    for name, labels in (("cell", [p.cell for p in points]), ("method", ["; ".join(p.methods) or None for p in points]),
                         ("origin", [p.origin for p in points])):
        counts: dict = {}
        for label in labels:
            counts[label or "not stated"] = counts.get(label or "not stated", 0) + 1
        shown = {"cell": measured or any(labels), "method": any(labels), "origin": set(counts) != {"measured"}}[name]
        if not shown:
            continue
        if len(counts) == 1:
            parts.append(f"{name}: {next(iter(counts))}" + (" (all)" if len(points) > 1 else ""))
        else:
            parts.append(f"{name}: " + ", ".join(f"{k} ({n})" for k, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))))
    return "Test conditions: " + "; ".join(parts) + "." if parts else ""


def several_values(points: list[Value]) -> str:
    """Systems with more than one value of the plotted quantities, and where to read what each one is."""
    counts: dict = {}
    for p in points:
        counts.setdefault((p.system, p.quantity), []).append(p)
    notes = [f"{system} has {len(found)} values of {quantity} ({found[0].refs or 'see its references'}; "
             f"`sackg show {_quoted(system)}` says what each one is)"
             for (system, quantity), found in sorted(counts.items()) if len(found) > 1]
    return ". ".join(notes) + "." if notes else ""


def _quoted(name: str) -> str:
    return f"'{name}'" if re.search(r"[^\w@./+-]", name) else name
