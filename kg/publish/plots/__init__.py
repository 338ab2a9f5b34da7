"""Publication-quality static plots: PNG (300 dpi), SVG and PDF with the text kept as text, the same bytes
for the same data. Kinds: cycle life and overpotentials against current density, nucleation overpotentials
and binding energies by system beside their baselines, and the metal x mechanism gap heatmap. Each can be
limited to one alkali metal, and each says where its numbers come from and under which test conditions.

`build` returns the matplotlib Figure before it is saved; `plot` writes the file. Matplotlib is imported
only when a figure is drawn."""

from __future__ import annotations

from typing import NamedTuple

from kg.publish.plots import style
from kg.publish.plots.data import metal_filter
from kg.publish.plots.style import FORMATS, output_format

KINDS = ("cycle-life", "overpotential", "nucleation", "binding-energy", "gaps")
__all__ = ["FORMATS", "KINDS", "Drawing", "build", "output_format", "plot"]


class Drawing(NamedTuple):
    figure: object  # a matplotlib Figure
    count: int  # systems drawn (empty cells for the gap heatmap)
    counted: str  # what `count` counts: "system" or "empty cell"

    def __str__(self) -> str:
        return f"{self.count} {self.counted}{'' if self.count == 1 else 's'}"


def build(kb, kind: str, metal: str | None = None) -> Drawing:
    """The figure of plot `kind` (one of KINDS), only for `metal` ('Na', 'sodium', ...) if given."""
    from kg.model.errors import SackgError

    if kind not in KINDS:
        raise SackgError(f"unknown plot {kind!r}; expected {', '.join(KINDS)}")
    metal = metal_filter(kb, metal)
    with style.styled():
        if kind == "gaps":
            from kg.publish.plots.gaps import heatmap

            return Drawing(*heatmap(kb, metal), "empty cell")
        if kind in ("cycle-life", "overpotential"):
            from kg.publish.plots import scatter

            return Drawing(*getattr(scatter, kind.replace("-", "_"))(kb, metal), "system")
        from kg.publish.plots import bars

        return Drawing(*getattr(bars, kind.replace("-", "_"))(kb, metal), "system")


def plot(kb, kind: str, output: str, fmt: str | None = None, metal: str | None = None) -> Drawing:
    """Draw plot `kind` into `output` in `fmt` (png, svg or pdf; by default the file's extension, which must
    agree with it). Nothing is written when the name, the format or the metal is wrong."""
    fmt = output_format(output, fmt)
    drawing = build(kb, kind, metal)
    style.save(drawing.figure, output, fmt)
    return drawing
