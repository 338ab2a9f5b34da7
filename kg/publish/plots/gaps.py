"""The metal x mechanism coverage heatmap: how many claims each cell holds, "none" where nothing is
claimed yet (the gaps `sackg analyze gaps` lists)."""

from __future__ import annotations

from kg.field.analytics import gaps
from kg.publish.plots import data, style


def heatmap(kb, metal: str | None = None):
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap, Normalize
    from matplotlib.ticker import MaxNLocator

    matrix = gaps(kb)[0]
    rows = sorted((r for r in matrix.rows if metal is None or r == metal), key=lambda r: (style.metal_order(r), r))
    columns = matrix.columns
    counts = np.array([[matrix.count(r, c) for c in columns] for r in rows], dtype=float).reshape(len(rows), len(columns))
    blues = ListedColormap(colormaps["Blues"](np.linspace(0.12, 1.0, 256))).with_extremes(bad="white")  # 1 is not white
    top = max(1.0, float(counts.max()) if counts.size else 1.0)
    norm = Normalize(vmin=0, vmax=top)
    fig, ax = style.new_figure(7.5, 1.6 + 0.55 * max(2, len(rows)))
    image = ax.imshow(np.ma.masked_equal(counts, 0), cmap=blues, norm=norm, aspect="auto")
    ax.set_xticks(range(len(columns)), columns, rotation=25, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(rows)), rows)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, len(columns)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(True, which="minor", color="#dddddd", lw=0.8)
    ax.tick_params(which="minor", length=0)
    for i in range(len(rows)):
        for j in range(len(columns)):
            count = int(counts[i, j])
            if count == 0:
                ax.text(j, i, "none", ha="center", va="center", fontsize=8.5, color="#b00000", fontstyle="italic")
            else:
                dark = style.luminance(blues(norm(count))) < 0.4
                ax.text(j, i, str(count), ha="center", va="center", fontsize=9, fontweight="bold",
                        color="white" if dark else "#111111")
    bar = fig.colorbar(image, ax=ax, pad=0.02, fraction=0.05)
    bar.set_label(f"{matrix.unit} (count)")
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    references = {ref for c in matrix.cells if c["row"] in rows for ref in c["references"].split("; ") if ref}
    numbers = data.reference_numbers(references)
    caption = (data.source(kb, []).rstrip(".") + f"; {matrix.unit} from {len(references)} of the papers it cites"
               + (f" (review refs {', '.join(numbers)})" if numbers else "") + ". "
               "A claim: a system said to act on a mechanism, for one alkali metal (`sackg analyze gaps` lists each cell's "
               "references).")
    title = "Claims per alkali metal and mechanism" if metal is None else f"Claims per mechanism for {metal}"
    style.frame(fig, ax, title + " (none = no claim yet)", caption)
    return fig, int((counts == 0).sum())
