"""How every plot looks and is saved: one set of matplotlib settings (applied through rc_context, never
to the global rcParams), captions that wrap inside the figure, log axes with plain ticks, labels of
points that keep clear of each other, and byte-for-byte reproducible PNG (300 dpi), SVG and PDF files
whose text stays text (editable in Inkscape or Illustrator).

Matplotlib is imported inside the functions: importing this module costs nothing."""

from __future__ import annotations

import contextlib
import os
import textwrap

from kg.model.errors import SackgError

FORMATS = ("png", "svg", "pdf")
DPI = 300
METAL_COLOURS = {"Li": "#d62728", "Na": "#1f77b4", "K": "#9467bd"}
NO_METAL = "#7f7f7f"  # a value whose alkali metal is not stated
BASELINE_EDGE = "#555555"
CAPTION_SIZE = 7.0
NOTE_SIZE = 8.0
TITLE_SIZE = 10.5
RC = {
    "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"],  # bundled with matplotlib: same glyphs everywhere
    "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9, "xtick.labelsize": 8, "ytick.labelsize": 8,
    "legend.fontsize": 8, "legend.title_fontsize": 8, "legend.frameon": False, "legend.borderaxespad": 0.2,
    "axes.spines.top": False, "axes.spines.right": False, "axes.axisbelow": True,
    "figure.dpi": 100, "savefig.dpi": DPI,
    "svg.fonttype": "none",  # text as <text>, not glyph paths
    "svg.hashsalt": "sackg",  # ids of clip paths and the like: the same in every run
    "pdf.fonttype": 42,  # TrueType (Type 42) fonts: text stays text in a PDF editor
    "ps.fonttype": 42,
    "hatch.linewidth": 0.8,
}
METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}


def output_format(output: str, fmt: str | None = None) -> str:
    """The format of the plot file `output`: its extension, which --format (if given) must agree with."""
    extension = os.path.splitext(output)[1].lower().lstrip(".")
    if extension not in FORMATS:
        raise SackgError(f"{output}: the plot file must end in .png, .svg or .pdf")
    if fmt is not None and fmt.lower() != extension:
        raise SackgError(f"{output}: the file name ends in .{extension} but --format is {fmt}")
    return extension


@contextlib.contextmanager
def styled():
    """The plot settings, for as long as a figure is drawn or saved."""
    import matplotlib

    with matplotlib.rc_context(RC):
        yield


def new_figure(width: float, height: float):
    """A figure of its own (no pyplot: nothing global is touched) with one axes, drawn by Agg."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def save(fig, output: str, fmt: str) -> None:
    """Write the figure; the same data gives the same bytes (no dates, fixed ids, 300 dpi)."""
    with styled():
        fig.savefig(output, format=fmt, dpi=DPI, metadata=METADATA[fmt])


def metal_colour(metal: str | None) -> str:
    return METAL_COLOURS.get(metal or "", NO_METAL)


def metal_order(metal: str | None) -> int:
    return list(METAL_COLOURS).index(metal) if metal in METAL_COLOURS else len(METAL_COLOURS)


def wrapped(text: str, width_inches: float, size: float) -> list[str]:
    """`text` in lines that fit the width at this font size (DejaVu Sans averages ~0.56 em a character)."""
    columns = max(20, int(width_inches * 72 / (size * 0.53)))
    lines = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, columns, break_on_hyphens=False) or [""])
    return lines


def frame(fig, ax, title: str, caption: str, note: str = "") -> tuple:
    """Lay the figure out: the title and an optional note (a caution) above the axes, the caption (source,
    conditions, what was left out; paragraphs split by newlines) below them, all aligned left; the figure
    grows by their height so the axes keep theirs. Returns the rectangle left to the axes, for laying the
    figure out again (`fig.tight_layout(rect=...)`)."""
    width, height = fig.get_size_inches()
    margin = 0.1
    note_lines = wrapped(note, width - 2 * margin, NOTE_SIZE) if note else []
    caption_lines = wrapped(caption, width - 2 * margin, CAPTION_SIZE)
    title_height = TITLE_SIZE * 1.25 / 72 + 0.1
    note_height = len(note_lines) * NOTE_SIZE * 1.3 / 72 + (0.06 if note_lines else 0)
    caption_height = len(caption_lines) * CAPTION_SIZE * 1.3 / 72 + 0.14
    total = height + title_height + note_height + caption_height
    fig.set_size_inches(width, total)
    fig.text(margin / width, 1 - 0.08 / total, title, fontsize=TITLE_SIZE, ha="left", va="top", gid="title")
    if note_lines:
        fig.text(margin / width, 1 - title_height / total, "\n".join(note_lines), fontsize=NOTE_SIZE, color="#7a2e00",
                 ha="left", va="top", linespacing=1.3, gid="note")
    fig.text(margin / width, 0.06 / total, "\n".join(caption_lines), fontsize=CAPTION_SIZE, color="#444444",
             ha="left", va="bottom", linespacing=1.3, gid="caption")
    rect = (0, caption_height / total, 1, 1 - (title_height + note_height) / total)
    fig.tight_layout(rect=rect, pad=0.5)
    return rect


def log_axis(axis, values) -> None:
    """A log axis over the data's own range with ticks at 1, 2 and 5 times powers of ten, written plainly
    (0.5, 1, 2, 5, 10: never 1.0 or 10⁰), and unlabelled minor ticks."""
    import math

    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    low, high = min(values), max(values)
    low, high = low / 1.5, high * 1.5
    ticks = [m * 10 ** e for e in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1)
             for m in (1, 2, 5) if low <= m * 10 ** e <= high]
    if axis.axis_name == "x":
        axis.axes.set_xscale("log")
        axis.axes.set_xlim(low, high)
    else:
        axis.axes.set_yscale("log")
        axis.axes.set_ylim(low, high)
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: plain_number(v)))
    axis.set_minor_formatter(NullFormatter())


def plain_number(value: float) -> str:
    """0.5, 1, 12.5, 2500: at most 6 significant digits, no trailing zeros, no exponent."""
    text = f"{value:.6g}"
    if "e" in text:
        text = f"{value:f}".rstrip("0").rstrip(".")
    return text


def place_labels(fig, ax, points: list[tuple[float, float, str]], size: float = 7.5) -> list:
    """Label each point (x, y, text) at the first of a few fixed offsets where the label overlaps no other
    label, no point and stays inside the axes: deterministic, no random search."""
    offsets = ((6, 4, "left", "bottom"), (6, -4, "left", "top"), (-6, 4, "right", "bottom"),
               (-6, -4, "right", "top"), (0, 9, "center", "bottom"), (0, -9, "center", "top"),
               (10, 14, "left", "bottom"), (10, -14, "left", "top"), (-10, 14, "right", "bottom"),
               (-10, -14, "right", "top"))
    renderer = fig.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    markers = [ax.transData.transform((x, y)) for x, y, _ in points]
    placed, boxes = [], []
    for (x, y, text), _ in sorted(zip(points, markers), key=lambda p: (p[0][0], -p[0][1], p[0][2])):
        chosen = None
        for dx, dy, ha, va in offsets:
            label = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=size)
            box = label.get_window_extent(renderer).expanded(1.04, 1.1)
            clear = (not any(box.overlaps(b) for b in boxes)
                     and not any(box.contains(mx, my) for mx, my in markers)
                     and inside.contains(box.x0, box.y0) and inside.contains(box.x1, box.y1))
            if clear:
                chosen = (label, box)
                break
            label.remove()
        if chosen is None:  # nowhere clear: the first offset, still deterministic
            dx, dy, ha, va = offsets[0]
            label = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=size)
            chosen = (label, label.get_window_extent(renderer))
        placed.append(chosen[0])
        boxes.append(chosen[1])
    return placed


def luminance(colour) -> float:
    """Relative luminance (0 black to 1 white) of an RGB(A) colour, for choosing dark or light text on it."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
