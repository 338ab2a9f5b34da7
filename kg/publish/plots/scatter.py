"""Values against the current density they were measured at (log axis), coloured by alkali metal: cycle
life, and nucleation and plating/stripping overpotentials. A value whose current density is not stated
is named in the caption instead of being placed somewhere it was not measured."""

from __future__ import annotations

from kg.publish.plots import data, style

BOUND_MARKERS = {">": "^", "≥": "^", "<": "v", "≤": "v"}
BOUND_NAMES = {"o": "value", "^": "lower bound (>)", "v": "upper bound (<)"}


def cycle_life(kb, metal: str | None = None):
    points = data.values(kb, data.quantity_kinds(kb, lambda label: label == "cycle life"), metal)
    markers = {id(p): BOUND_MARKERS.get(p.comparator, "o") for p in points}
    names = {m: name for m, name in BOUND_NAMES.items() if m in markers.values()}
    return _scatter(kb, points, markers, names, "Cycle life against current density", "cycle life", bottom=None)


def overpotential(kb, metal: str | None = None):
    wanted = ("nucleation overpotential", "plating/stripping overpotential")
    kinds = data.quantity_kinds(kb, lambda label: label in wanted)
    points = data.values(kb, kinds, metal)
    shapes = {"nucleation overpotential": "o", "plating/stripping overpotential": "s"}
    markers = {id(p): shapes[p.quantity] for p in points}
    names = {shapes[q]: q for q in sorted({p.quantity for p in points})}
    return _scatter(kb, points, markers, names, "Nucleation and plating/stripping overpotentials against current density",
                    "overpotential", bottom=0.0)


def _scatter(kb, points, markers: dict, marker_names: dict, title: str, quantity: str, bottom: float | None):
    from matplotlib.lines import Line2D

    plotted = [p for p in points if p.current is not None and p.value is not None]
    left_out = [p for p in points if p not in plotted]
    unit = next((p.unit for p in points if p.unit), "")
    fig, ax = style.new_figure(7.0, 4.2)
    for p in sorted(plotted, key=lambda p: (style.metal_order(p.metal), p.system.lower(), p.value)):
        colour = style.metal_colour(p.metal)
        ax.scatter([float(p.current)], [float(p.value)], marker=markers[id(p)], s=46, color=colour,
                   edgecolors="white", linewidths=0.6, zorder=3, gid=f"point: {p.system}")
    if plotted:
        style.log_axis(ax.xaxis, [float(p.current) for p in plotted])
        top = max(float(p.value) for p in plotted)
        low = min(float(p.value) for p in plotted)
        pad = (top - (bottom if bottom is not None else low)) * 0.15 or abs(top) * 0.2 or 1.0
        ax.set_ylim(bottom if bottom is not None else low - pad, top + pad)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no value with a stated current density", transform=ax.transAxes, ha="center",
                va="center", color="#555555")
    ax.set_xlabel("current density (mA cm⁻²)")
    ax.set_ylabel(f"{quantity} ({unit})" if unit else quantity)
    ax.grid(True, which="major", alpha=0.3)
    metals = sorted({p.metal for p in plotted}, key=style.metal_order)
    colours = [Line2D([], [], ls="", marker="o", ms=7, color=style.metal_colour(m), markeredgecolor="white",
                      label=m or "metal not stated") for m in metals]
    legend = None
    if colours:
        legend = ax.legend(handles=colours, title="alkali metal", loc="upper left", bbox_to_anchor=(1.01, 1.0),
                           alignment="left")
    used = sorted({markers[id(p)] for p in plotted}, key=list(marker_names).index)
    if len(used) > 1 or (used and used[0] != "o"):
        shapes = [Line2D([], [], ls="", marker=m, ms=7, color="none", markeredgecolor="#333333",
                         label=marker_names[m]) for m in used]
        ax.legend(handles=shapes, title="marker", loc="upper left", bbox_to_anchor=(1.01, 0.55), alignment="left")
        if legend is not None:
            ax.add_artist(legend)
    caption = _caption(kb, points, plotted, left_out)
    rect = style.frame(fig, ax, title, caption)
    if plotted:
        for _ in range(2):  # label after the layout, then lay out again and check the labels once more
            for text in [t for t in ax.texts if t.get_gid() == "label"]:
                text.remove()
            named = [(float(p.current), float(p.value), p.system + (f" ({p.display})" if p.comparator == "~" else ""))
                     for p in plotted]
            for label in style.place_labels(fig, ax, named):
                label.set_gid("label")
            fig.tight_layout(rect=rect, pad=0.5)
    return fig, len({p.system for p in plotted})


def _caption(kb, points, plotted, left_out) -> str:
    parts = [data.source(kb, points), data.conditions(plotted)]
    if left_out:
        groups: dict = {}
        for p in sorted(left_out, key=lambda p: (p.quantity, style.metal_order(p.metal), p.system.lower())):
            stated = f"; areal capacity {format(p.capacity, 'f')} mA h cm⁻²" if p.capacity is not None else ""
            groups.setdefault(p.quantity, []).append(f"{p.system} {p.display} ({p.metal or 'metal not stated'}{stated})")
        listed = "; ".join(f"{q}: {', '.join(found)}" if len(groups) > 1 else ", ".join(found) for q, found in groups.items())
        parts.append(f"Not plotted (no current density stated): {listed}.")
    return "\n".join(p for p in parts if p)
