"""Turning library results into what the command line prints."""

from __future__ import annotations

from kg.cli.columns import paragraph
from kg.cli.output import WIDTH, Printed, envelope, plain, render_text, rows_json, text
from kg.model.resources import data_dir
from kg.model.table import Table
from kg.model.terms import Iri
from kg.model.text import cited_as

SUMMARY_FIELDS = ("label", "class", "synonyms", "definition", "note", "citation", "doubt")


def description_text(d, width: int = WIDTH) -> str:
    s = d.summary
    lines = [f"{s.get('label') or d.entity.label} ({s.get('class', '')})", d.entity.iri.value]
    for key, title in (("synonyms", "also called"), ("definition", "definition"), ("citation", "citation"),
                       ("note", "note")):
        if s.get(key):
            lines += paragraph(f"{title}: {s[key]}", width, "  ")
    for table in d.tables:
        if table.rows or table.title in ("Measurements", "Claims"):
            lines += ["", render_text(table, width)]
    if d.inferences:
        lines += ["", "Inferred by the curator (not in the review's words)"]
        lines += [line for inference in d.inferences for line in paragraph(f"- {inference}", width, "  ")]
    if d.doubts:
        lines += ["", "Doubts about the source text"]
        lines += [line for doubt in d.doubts for line in paragraph(f"- {doubt}", width, "  ")]
    return "\n".join(lines)


def description_data(d) -> dict:
    summary = {key: plain(d.summary.get(key)) for key in SUMMARY_FIELDS}
    summary["iri"] = d.entity.iri.value
    if d.summary.get("authors"):
        summary["authors"] = d.summary["authors"]  # in the paper's order
    out = {"entity": summary}
    for table in d.tables:
        key = table.title.lower().replace(" ", "_")
        out[key] = [{k: plain(v) for k, v in row.items() if k != "entity"} for row in table.rows] \
            if key in ("measurements", "claims", "findings") else rows_json(table)
    out["inferences"] = d.inferences
    out["doubts"] = d.doubts
    return out


def description(d) -> Printed:
    return Printed(None, text=lambda width: description_text(d, width), data=lambda: description_data(d))


def validation_lines(path, data) -> list[str]:
    """Problems with the data at `path` (or the knowledge base), one line each; empty if it conforms."""
    from pathlib import Path

    from kg.source.schema import SourceErrors, source_files
    from kg.source.transaction import settle
    from kg.source.validate import validate_source, validate_turtle

    base = Path(data or data_dir()).resolve()
    path = Path(path) if path is not None else None
    if base.is_dir():
        settle(str(base))
    try:
        if path is None or path.is_dir():
            _data, violations = validate_source((path or base).resolve())
        elif path.suffix in (".ttl", ".nt"):
            violations = validate_turtle(path)
        else:
            files = source_files(base)
            if path.resolve() not in [f.resolve() for f in files]:
                files.append(path)
            _data, violations = validate_source(base, files)
    except SourceErrors as exc:
        return [str(p) for p in exc.problems]
    return [str(v) for v in violations]


def header(column: str) -> str:
    """A readable column header: systemName -> system, centre_metal -> centre metal."""
    special = {"display": "value", "baselineDisplay": "baseline value", "unitSymbol": "unit"}
    if column in special:
        return special[column]
    text = column[:-4] if column.endswith("Name") and len(column) > 4 else column
    text = "".join(" " + c.lower() if c.isupper() else c for c in text)
    return text.replace("_", " ").strip()


def _binding_json(value, label):
    if isinstance(value, Iri):
        return {"value": value.value, "label": label}
    return {"value": plain(value), "label": label}


def answer_data(a) -> dict:
    return {
        "question": a.question,
        "template": a.template.name,
        "bindings": {k: _binding_json(v, a.labels.get(k)) for k, v in a.bindings.items()},
        a.language: a.ran(),
        "columns": a.columns,
        "rows": [{c: plain(v) for c, v in row.items()} for row in a.rows],
        "note": a.note,
        **({"related": [{c: plain(v) for c, v in row.items()} for row in a.related]} if a.related else {}),
    }


def answer_table(a) -> Table:
    return Table("", a.table, a.rows, headers={c: header(c) for c in a.table})


def answer_text(a, explain: bool = False, width: int = WIDTH) -> str:
    lines = []
    if explain:
        lines += [f"template: {a.template.name} ({a.template.title})", "bindings:"]
        lines += [f"  {k} = {a.labels.get(k, '')} <{v.value}>" if isinstance(v, Iri) else f"  {k} = {text(v)}"
                  for k, v in a.bindings.items()] or ["  (none)"]
        lines += [f"{a.language}:", a.ran().rstrip(), ""]
    lines.append(render_text(answer_table(a), width))
    if a.note:
        lines += [""] + paragraph(f"Note: {a.note}", width)
    if a.related:
        lines += ["", "Recorded facts that hold the words not read:",
                  render_text(Table("", ["fact", "reference", "where"], a.related, headers={}), width).rstrip()]
    return "\n".join(lines)


def answered(a, explain: bool = False) -> Printed:
    return Printed(Table("", a.columns, [{c: plain(v) for c, v in r.items()} for r in a.rows]),
                   text=lambda width: answer_text(a, explain, width), data=lambda: answer_data(a))


def query_output(columns, rows, sparql: str, name: str | None, bindings: dict | None = None) -> Printed:
    table = Table("", columns, rows, headers={c: c for c in columns})
    bound = {k: _binding_json(v, None) for k, v in (bindings or {}).items()}
    note = "" if rows else "None reported in the knowledge base."
    return Printed(table, data=lambda: {**envelope(table, question=None, template=name, bindings=bound, sparql=sparql),
                                        "note": note})


def questions_table(templates) -> Table:
    rows = [{"question": t.title, "example": t.examples[0] if t.examples else "", "template": t.name}
            for t in templates]
    return Table("", ["question", "example", "template"], rows)


def gaps_output(matrices) -> Printed:
    """Coverage matrices as grids (table), one object (json) or long rows (csv)."""
    rows = [dict(matrix=m.name, **cell) for m in matrices for cell in m.cells]
    return Printed(Table("", ["matrix", "row", "column", "count", "references"], rows),
                   text=lambda width: gaps_text(matrices, width),
                   data=lambda: {"matrices": [{"name": m.name, "counts": m.unit, "rows": m.rows, "columns": m.columns,
                                               "cells": m.cells} for m in matrices],
                                 "no_evidence_yet": [{"matrix": m.name, "row": r, "column": c}
                                                     for m in matrices for r, c in m.missing()]})


def gaps_text(matrices, width: int = WIDTH) -> str:
    """Each matrix as a grid, its rows named in the corner; a grid too wide is transposed or split."""
    parts = []
    for m in matrices:
        rows_name, columns_name = m.name.split(" x ")
        grid = [{rows_name: r, **{c: m.count(r, c) or "·" for c in m.columns}} for r in m.rows]
        parts.append(render_text(Table(f"{m.name} ({m.unit})", [rows_name] + m.columns, grid,
                                       axes=(rows_name, columns_name)), width))
    first = matrices[0]
    missing = ", ".join(f"{c} for {r}" for r, c in first.missing())
    parts.append("\n".join(paragraph(f"No evidence yet ({first.name}): {missing or 'none'}.", width)))
    return "\n\n".join(parts)


def short_reference(citation: str) -> tuple[str, dict]:
    """'J. Wang et al., Nano Lett., 2021 [ref. 8]; ...' as 'ref. 8, ...', with {8: 'J. Wang ...'}: a citation
    without a reference number stays whole."""
    numbers, others, notes = [], [], {}
    for one in filter(None, (citation or "").split("; ")):
        label, number = cited_as(one)
        if number is None:
            others.append(one)
        else:
            numbers.append(str(number))
            notes[number] = label
    return "; ".join(([f"ref. {', '.join(numbers)}"] if numbers else []) + others), notes


def rank_text(table: Table, width: int = WIDTH) -> str:
    """The ranking as a researcher reads it in a terminal: the flags, which only repeat what the condition,
    cell, origin and value columns show, left out, and each reference as 'ref. N' with the citations
    under the table. JSON and CSV keep every column as it is."""
    notes: dict = {}
    rows = []
    for row in table.rows:
        short, found = short_reference(row["reference"])
        notes.update(found)
        rows.append({**row, "reference": short})
    note = table.note
    if rows:
        note += (" Blank conditions or cell: not stated by the source. The flags column of --format csv and json "
                 "names each difference from the standard test.")
    shown = Table("", table.columns, rows, note=note, headers={**table.headers, "rank": "#", "reference": "ref."},
                  hidden=(*table.hidden, "flags"), key=2)
    lines = [render_text(shown, width)]
    if notes:
        pad = len(f"ref. {max(notes)}") + 2
        lines.append("")
        for number in sorted(notes):
            first, *rest = paragraph(notes[number], width - pad)
            lines += [f"ref. {number}".ljust(pad) + first] + [" " * pad + line for line in rest]
    return "\n".join(lines)


def rank_output(table: Table) -> Printed:
    return Printed(table, text=lambda width: rank_text(table, width))
