"""Turning library results into what the command line prints."""

from __future__ import annotations

from kg.cli.output import Printed, envelope, plain, render_text, rows_json
from kg.model.resources import data_dir
from kg.model.table import Table
from kg.model.terms import Iri

SUMMARY_FIELDS = ("label", "class", "synonyms", "definition", "note", "citation", "doubt")


def description_text(d) -> str:
    s = d.summary
    lines = [f"{s.get('label') or d.entity.label} ({s.get('class', '')})", d.entity.iri.value]
    for key, title in (("synonyms", "also called"), ("definition", "definition"), ("citation", "citation"),
                       ("note", "note")):
        if s.get(key):
            lines.append(f"{title}: {s[key]}")
    for table in d.tables:
        if table.rows or table.title in ("Measurements", "Claims"):
            lines += ["", render_text(table)]
    if d.inferences:
        lines += ["", "Inferred by the curator (not in the review's words)"]
        lines += [f"- {text}" for text in d.inferences]
    if d.doubts:
        lines += ["", "Doubts about the source text"]
        lines += [f"- {doubt}" for doubt in d.doubts]
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
    return Printed(None, text=lambda: description_text(d), data=lambda: description_data(d))


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


def answer_text(a, explain: bool = False) -> str:
    lines = []
    if explain:
        lines += [f"template: {a.template.name} ({a.template.title})", "bindings:"]
        lines += [f"  {k} = {a.labels.get(k, '')} <{v.value}>" if isinstance(v, Iri) else f"  {k} = {plain(v)}"
                  for k, v in a.bindings.items()] or ["  (none)"]
        lines += [f"{a.language}:", a.ran().rstrip(), ""]
    lines.append(render_text(answer_table(a)))
    if a.note:
        lines += ["", f"Note: {a.note}"]
    if a.related:
        lines += ["", "Recorded facts that hold the words not read:",
                  render_text(Table("", ["fact", "reference", "where"], a.related, headers={})).rstrip()]
    return "\n".join(lines)


def answered(a, explain: bool = False) -> Printed:
    return Printed(Table("", a.columns, [{c: plain(v) for c, v in r.items()} for r in a.rows]),
                   text=lambda: answer_text(a, explain), data=lambda: answer_data(a))


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
    return Printed(Table("", ["matrix", "row", "column", "count", "references"], rows), text=lambda: gaps_text(matrices),
                   data=lambda: {"matrices": [{"name": m.name, "counts": m.unit, "rows": m.rows, "columns": m.columns,
                                               "cells": m.cells} for m in matrices],
                                 "no_evidence_yet": [{"matrix": m.name, "row": r, "column": c}
                                                     for m in matrices for r, c in m.missing()]})


def gaps_text(matrices) -> str:
    parts = []
    for m in matrices:
        grid = [{"": r, **{c: m.count(r, c) or "·" for c in m.columns}} for r in m.rows]
        parts.append(render_text(Table(f"{m.name} ({m.unit})", [""] + m.columns, grid), width=24))
    first = matrices[0]
    missing = ", ".join(f"{c} for {r}" for r, c in first.missing())
    parts.append(f"No evidence yet ({first.name}): {missing or 'none'}.")
    return "\n\n".join(parts)
