"""Turning library results into what the command line prints."""

from __future__ import annotations

from pathlib import Path

from kg.output import dumps, plain, render_text, rows_json
from kg.resources import data_dir
from kg.show import Description

SUMMARY_FIELDS = ("label", "class", "synonyms", "definition", "note", "citation", "doubt")


def description_text(d: Description) -> str:
    s = d.summary
    lines = [f"{s.get('label') or d.entity.label} ({s.get('class', '')})", d.entity.iri.value]
    for key, title in (("synonyms", "also called"), ("definition", "definition"), ("citation", "citation"),
                       ("note", "note")):
        if s.get(key):
            lines.append(f"{title}: {s[key]}")
    for table in d.tables:
        if table.rows or table.title in ("Measurements", "Claims"):
            lines += ["", render_text(table)]
    if d.doubts:
        lines += ["", "Doubts about the source text"]
        lines += [f"- {doubt}" for doubt in d.doubts]
    return "\n".join(lines)


def description_json(d: Description) -> str:
    summary = {key: plain(d.summary.get(key)) for key in SUMMARY_FIELDS}
    summary["iri"] = d.entity.iri.value
    out = {"entity": summary}
    for table in d.tables:
        key = table.title.lower().replace(" ", "_")
        out[key] = [{k: plain(v) for k, v in row.items() if k != "entity"} for row in table.rows] \
            if key in ("measurements", "claims") else rows_json(table)
    out["doubts"] = d.doubts
    return dumps(out)


def validation_lines(path: Path | None, data: Path | None) -> list[str]:
    """Problems with the data at `path` (or the knowledge base), one line each; empty if it conforms."""
    from kg.ingest import SourceErrors, build, source_files
    from kg.validate import check, validate_source, validate_turtle
    from kg.ingest import full_graph

    base = (data or data_dir()).resolve()
    try:
        if path is None or path.is_dir():
            _built, violations = validate_source((path or base).resolve())
        elif path.suffix in (".ttl", ".nt"):
            violations = validate_turtle(path)
        else:
            files = source_files(base)
            if path.resolve() not in [f.resolve() for f in files]:
                files.append(path)
            built = build(base, files)
            violations = check(full_graph(built), built.locations)
    except SourceErrors as exc:
        return [str(p) for p in exc.problems]
    return [str(v) for v in violations]
