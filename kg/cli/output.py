"""What a command prints, in the format --format names: a text table, one JSON object, or CSV."""

from __future__ import annotations

import json
from decimal import Decimal

from kg.model.numbers import plain as plain_number
from kg.model.table import Table
from kg.model.terms import Iri
from kg.model.text import terminal_safe


def plain(value):
    """A JSON-ready value: numbers stay numbers, IRIs become strings."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "E" not in str(value) and "." not in str(value) else float(value)
    if isinstance(value, Iri):
        return value.value
    return value


def text(value) -> str:
    """A cell as printed: control characters written as escapes, so that no value (say, from a hostile
    endpoint) can move the cursor or repaint the terminal."""
    if value is None:
        return ""
    if isinstance(value, Iri):
        return terminal_safe(value.value)
    if isinstance(value, Decimal):
        return plain_number(value)
    return terminal_safe(str(value))


def render_text(table: Table, width: int = 38) -> str:
    import textwrap

    shown = [c for c in table.columns if c not in table.hidden]
    if not shown:  # SELECT * over nothing: no columns to draw
        count = f"{len(table.rows)} row" + ("" if len(table.rows) == 1 else "s")
        return "\n".join(([table.title] if table.title else []) + [f"({count}, no columns)"]
                         + ([table.note] if table.note else []))
    headers = [table.headers.get(c, c) for c in shown]
    cells = [[textwrap.wrap(text(row.get(c)), width) or [""] for c in shown] for row in table.rows]
    widths = [max([len(h)] + [len(line) for row in cells for line in row[i]]) for i, h in enumerate(headers)]
    out = []
    if table.title:
        out.append(table.title)
    out.append("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    out.append("  ".join("-" * w for w in widths))
    for row in cells:
        for k in range(max(len(c) for c in row)):
            out.append("  ".join((c[k] if k < len(c) else "").ljust(w) for c, w in zip(row, widths)).rstrip())
    if not table.rows:
        out.append("(none reported in the knowledge base)")
    if table.note:
        out.append(table.note)
    return "\n".join(out)


def render_csv(table: Table) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([text(row.get(c)) for c in table.columns])
    return buffer.getvalue().rstrip("\n")


def rows_json(table: Table) -> list[dict]:
    return [{c: plain(row.get(c)) for c in table.columns} for row in table.rows]


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def envelope(table: Table, **asked) -> dict:
    """The one JSON shape of a tabular result: what was asked (if anything), then columns, rows and note."""
    return {**asked, "columns": table.columns, "rows": rows_json(table), "note": table.note}


class Printed:
    """A result as every format prints it. `table` gives the CSV rows, and the text table and JSON envelope
    unless `text` or `data` (called only when that format is asked for) say otherwise."""

    def __init__(self, table: Table | None, text=None, data=None):
        self.table, self._text, self._data = table, text, data

    def render(self, fmt: str) -> str:
        if fmt == "json":
            return dumps(self._data() if self._data is not None else envelope(self.table))
        if fmt == "csv":
            return render_csv(self.table)
        return self._text() if self._text is not None else render_text(self.table)
