"""Text laid out in a number of terminal columns: display width, wrapping, and a table's columns fitted
into a width. A table too wide first has its long text wrapped at spaces, down to LONG_TEXT columns (a
grid's headers down to NARROWEST); a grid still too wide is transposed if that fits; then the columns
are split into groups that each fit, every group repeating the key (row label) columns, numbered if
those do not tell the rows apart (unless text wrapped narrower takes fewer lines); only if nothing
fits are long words broken."""

from __future__ import annotations

import unicodedata

GAP = 2         # spaces between two columns
NARROWEST = 8   # a wrapped column is never narrower than this, unless its widest line is
LONG_TEXT = 16  # nor is a column of text (not of a grid) before the table is split


def width_of(text: str) -> int:
    """Columns `text` takes on a terminal: East Asian wide and full-width characters two, combining and
    zero-width ones none, every other one (⁻, ², μ, –) one."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def padded(text: str, width: int) -> str:
    return text + " " * (width - width_of(text))


def _pieces(word: str, width: int) -> list[str]:
    """A word longer than `width`, cut into lines of at most `width` columns."""
    pieces, piece = [], ""
    for char in word:
        if piece and width_of(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return pieces + [piece]


def wrap(text: str, width: int, breaking: bool = True) -> list[str]:
    """`text` in lines of at most `width` columns, broken at spaces; a longer word is cut where it must be
    if `breaking`, else left whole on a line of its own. Always at least one line."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if breaking and width_of(word) > width:
            if line:
                lines.append(line)
            *whole, line = _pieces(word, width)
            lines += whole
        elif not line:
            line = word
        elif width_of(line) + 1 + width_of(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    return lines + [line] if line or not lines else lines


def paragraph(text: str, width: int, indent: str = "") -> list[str]:
    """Prose in lines of at most `width` columns, each line after the first indented by `indent`;
    line breaks in `text` are kept."""
    out = []
    for part in text.split("\n"):
        lines = wrap(part, max(width - width_of(indent), 1), breaking=False)
        out += [lines[0]] + [indent + line for line in lines[1:]]
    return out


def _longest_word(text: str) -> int:
    return max((width_of(w) for w in text.split()), default=0)


def fit(columns: list[list[str]], width: int, least: int, breaking: bool = False, key: int = 0) -> list[int] | None:
    """Widths for `columns` (each the header then its cells) that fit in `width` with GAP between them, or
    None. Only the widest columns are narrowed, all to one cap, never below `least` nor their longest
    word (NARROWEST if `breaking`), the first `key` columns only if the others cannot make room; the
    room left goes to the narrowed ones."""
    natural = [max(width_of(cell) for cell in column) for column in columns]
    room = width - GAP * (len(columns) - 1)
    if sum(natural) <= room:
        return natural
    floors = [min(n, NARROWEST if breaking else max(least, max(_longest_word(c) for c in column)))
              for n, column in zip(natural, columns)]
    if sum(natural[:key] + floors[key:]) <= room:
        floors[:key] = natural[:key]
    elif sum(floors) > room:
        return None
    capped = lambda cap: [min(n, max(cap, f)) for n, f in zip(natural, floors)]  # noqa: E731
    low, high = 0, max(natural)  # the largest cap that fits lies in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if sum(capped(middle)) <= room else (low, middle)
    widths = capped(low)
    for i, n in enumerate(natural):
        if widths[i] < n and sum(widths) < room:
            widths[i] += 1
    return widths


def drawn(columns: list[list[str]], widths: list[int], breaking: bool) -> list[str]:
    """The table: header lines, a rule, then each row's lines, every cell wrapped to its column's width."""
    def lines_of(row):
        cells = [wrap(cell, w, breaking) for cell, w in zip(row, widths)]
        return ["  ".join(padded(c[k] if k < len(c) else "", w) for c, w in zip(cells, widths)).rstrip()
                for k in range(max(len(c) for c in cells))]

    rows = list(zip(*columns))
    return lines_of(rows[0]) + ["  ".join("-" * w for w in widths)] + [line for row in rows[1:] for line in lines_of(row)]


def _groups(columns: list[list[str]], key: int, width: int, least: int, breaking: bool) -> list[list[int]] | None:
    """Column indexes in groups that each fit, each starting with the `key` columns, which a group narrows
    only if they and one more column cannot fit otherwise; None if a column cannot fit beside them."""
    keys = list(range(key))
    natural = [max(width_of(cell) for cell in columns[j]) for j in keys]

    def fits(group):
        widths = fit([columns[j] for j in group], width, least, breaking, key)
        return widths is not None and (len(group) == key + 1 or widths[:key] == natural)

    groups: list[list[int]] = []
    group = keys
    for i in range(key, len(columns)):
        if fits(group + [i]):
            group = group + [i]
        elif len(group) > key and fits(keys + [i]):
            groups.append(group)
            group = keys + [i]
        else:
            return None
    return groups + [group]


def transposed(columns: list[list[str]], corner: str) -> list[list[str]]:
    """A grid's rows as columns: `corner` heads the column of the old column headers."""
    return [[corner] + [column[0] for column in columns[1:]]] + \
        [[columns[0][r]] + [column[r] for column in columns[1:]] for r in range(1, len(columns[0]))]


def _split(columns: list[list[str]], width: int, key: int, least: int, breaking: bool, grid: bool) -> list[str] | None:
    """The table in groups of columns, each group repeating the key columns (and a row number before them
    when they repeat, in a table that is not a grid), or None."""
    labelled, at = columns, key
    if not grid and len(set(zip(*columns[:key]))) < len(columns[0]):
        labelled, at = [["#"] + [str(n) for n in range(1, len(columns[0]))]] + columns, key + 1
    groups = _groups(labelled, at, width, least, breaking) if len(labelled) > at else None
    if groups is None:
        return None
    out: list[str] = []
    for group in groups:
        part = [labelled[j] for j in group]
        out += ([""] if out else []) + drawn(part, fit(part, width, least, breaking, at), breaking)
    return out


def laid_out(columns: list[list[str]], width: int, key: int = 1, corner: str | None = None) -> list[str]:
    """A table (columns, each the header then its cells) in `width` columns, as the module says; `corner`
    (the name of a grid's columns) makes it a grid. Between a table of text wrapped narrower than
    LONG_TEXT and the table split, the one of fewer lines is drawn. A table whose key columns alone are
    too wide is drawn as narrow as it goes."""
    key = min(max(key, 1), len(columns))
    grid = corner is not None
    least = NARROWEST if grid else LONG_TEXT
    for breaking in (False, True):
        widths = fit(columns, width, least, breaking, key)
        if widths is not None:
            return drawn(columns, widths, breaking)
        if grid and len(columns[0]) > 1:
            turned = transposed(columns, corner)
            widths = fit(turned, width, least, breaking, 1)
            if widths is not None:
                return drawn(turned, widths, breaking)
        choices = []
        narrower = None if grid else fit(columns, width, NARROWEST, breaking, key)
        if narrower is not None:
            choices.append(drawn(columns, narrower, breaking))
        split = _split(columns, width, key, least, breaking, grid)
        if split is not None:
            choices.append(split)
        if choices:
            return min(choices, key=len)
    floors = [min(max(width_of(c) for c in column), NARROWEST) for column in columns]
    return drawn(columns, floors, True)
