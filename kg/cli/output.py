"""What a command prints, in the format --format names: a text table, one JSON object, or CSV."""

from __future__ import annotations

import json
import os
from decimal import Decimal

from kg.cli.columns import laid_out, paragraph
from kg.model.errors import SackgError
from kg.model.numbers import plain as plain_number
from kg.model.table import Table
from kg.model.terms import Iri
from kg.model.text import shown, terminal_safe


def plain(value):
    """A JSON-ready value: numbers stay numbers, IRIs become strings."""
    if isinstance(value, Decimal):  # a whole number written without decimals ('1000', '1E+3') is an integer
        return int(value) if value.is_finite() and value.as_tuple().exponent >= 0 else float(value)
    if isinstance(value, Iri):
        return value.value
    return value


def text(value) -> str:
    """A cell as printed: numbers in plain notation ('1000', never '1E+3' or '1000.0'), control characters
    written as escapes, so that no value (say, from a hostile endpoint) can move the cursor or repaint the
    terminal."""
    if value is None:
        return ""
    if isinstance(value, Iri):
        return terminal_safe(value.value)
    if isinstance(value, (Decimal, float)):
        return plain_number(value)
    return terminal_safe(str(value))


WIDTH = 100  # the width of text tables when the output is not a terminal
WIDTH_RANGE = (40, 1000)


def output_width() -> int:
    """The width every text table fits: SACKG_WIDTH if set, else the terminal's width when the output is
    one, else WIDTH. The one place that decides it."""
    import shutil
    import sys

    setting = os.environ.get("SACKG_WIDTH", "").strip()
    if setting:
        if not setting.isdigit() or not WIDTH_RANGE[0] <= int(setting) <= WIDTH_RANGE[1]:
            raise SackgError(f"SACKG_WIDTH={shown(setting)}: expected a whole number of columns "
                             f"from {WIDTH_RANGE[0]} to {WIDTH_RANGE[1]}")
        return int(setting)
    if sys.stdout.isatty():
        return max(shutil.get_terminal_size((WIDTH, 24)).columns, WIDTH_RANGE[0])
    return WIDTH


def render_text(table: Table, width: int = WIDTH) -> str:
    """The text table, every line at most `width` columns wide (kg.cli.columns: long text wrapped, a grid
    transposed, or the columns split into groups)."""
    shown_columns = [c for c in table.columns if c not in table.hidden]
    title = paragraph(table.title, width) if table.title else []
    note = paragraph(table.note, width) if table.note else []
    if not shown_columns:  # SELECT * over nothing: no columns to draw
        count = f"{len(table.rows)} row" + ("" if len(table.rows) == 1 else "s")
        return "\n".join(title + [f"({count}, no columns)"] + note)
    columns = [[table.headers.get(c, c)] + [text(row.get(c)) for row in table.rows] for c in shown_columns]
    lines = laid_out(columns, width, table.key, table.axes[1] if table.axes else None)
    if not table.rows:
        lines.append("(none reported in the knowledge base)")
    return "\n".join(title + lines + note)


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
    unless `text` (called with the width) or `data` (each called only when that format is asked for) say
    otherwise."""

    def __init__(self, table: Table | None, text=None, data=None):
        self.table, self._text, self._data = table, text, data

    def render(self, fmt: str, width: int | None = None) -> str:
        if fmt == "json":
            return dumps(self._data() if self._data is not None else envelope(self.table))
        if fmt == "csv":
            return render_csv(self.table)
        width = output_width() if width is None else width
        return self._text(width) if self._text is not None else render_text(self.table, width)
