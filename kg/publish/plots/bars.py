"""Values by system as horizontal bars, grouped by alkali metal, each followed by the baselines its paper
compares it against (hatched): nucleation overpotentials, and binding or adsorption energies."""

from __future__ import annotations

from kg.model.numbers import mixed_signs
from kg.publish.plots import data, style


def nucleation(kb, metal: str | None = None):
    kinds = data.quantity_kinds(kb, lambda label: label == "nucleation overpotential")
    points = data.values(kb, kinds, metal)
    return _bars(kb, points, "Nucleation overpotential by system, beside the baselines it is compared with",
                 "nucleation overpotential", note="")


def binding_energy(kb, metal: str | None = None):
    """Binding energies (and adsorption energies, if the knowledge base has such a kind); where the values
    shown mix signs, the kind's own caution (the one `sackg analyze rank` prints) says why."""
    kinds = data.quantity_kinds(kb, lambda label: label == "binding energy" or "adsorption energy" in label)
    points = data.values(kb, kinds, metal)
    cautions = []
    for kind in kinds:
        shown = [p for p in points if p.quantity == kind["label"]]
        numbers = [p.value for p in shown] + [b.value for p in shown for b in p.baselines]
        if kind["caution"] and mixed_signs(numbers) and kind["caution"] not in cautions:
            cautions.append(kind["caution"])
    name = " / ".join(sorted({p.quantity for p in points})) or "binding energy"
    title = "Binding and adsorption energies by system" if len(kinds) > 1 else "Binding energy by system"
    return _bars(kb, points, title + ", beside the baselines they are compared with", name,
                 note=" ".join(cautions), several_kinds=len({p.quantity for p in points}) > 1)


def _rows(points):
    """(label, value, text, metal, is a baseline, its value) from top to bottom: metal by metal, lowest value
    first, each value followed by its baselines."""
    rows = []
    ordered = sorted((p for p in points if p.value is not None),
                     key=lambda p: (style.metal_order(p.metal), p.value, p.system.lower()))
    for p in ordered:
        refs = f", {p.refs}" if p.refs else ""
        rows.append((f"{p.system} ({p.metal or 'metal not stated'}{refs})", p.value, p.shown, p.metal, False, p))
        for b in p.baselines:
            if b.value is not None:
                number = format(b.value.normalize(), "f").replace("-", "−")
                rows.append((f"vs. {b.material}", b.value, number, p.metal, True, p))
    return rows


def _bars(kb, points, title: str, quantity: str, note: str, several_kinds: bool = False):
    from matplotlib.patches import Patch

    rows = _rows(points)
    unit = next((p.unit for p in points if p.unit), "")
    fig, ax = style.new_figure(7.5, max(2.2, 0.9 + 0.27 * len(rows)))
    y, ticks, labels, previous = 0.0, [], [], None
    numbers = [float(r[1]) for r in rows]
    low, high = min(numbers + [0.0]), max(numbers + [0.0])
    span = (high - low) or 1.0
    for label, value, text, metal, baseline, point in rows:
        if previous is not None and metal != previous:
            ax.axhline(y - 0.55, color="#bbbbbb", lw=0.6, ls="--", zorder=1)
            y += 0.4
        previous = metal
        colour = style.metal_colour(metal)
        v = float(value)
        if baseline:
            ax.barh(y, v, height=0.72, color="white", edgecolor=colour, hatch="////", lw=0.9, zorder=3)
        else:
            ax.barh(y, v, height=0.72, color=colour, edgecolor=colour, lw=0.9, zorder=3)
        if v == 0:  # a zero has no bar: a marker on the axis shows it
            ax.scatter([0], [y], marker="D", s=30, color="white" if baseline else colour, edgecolors=colour,
                       linewidths=0.9, zorder=5, clip_on=False, gid=f"zero: {label}")
        ax.annotate(text, (v, y), xytext=(5 if v >= 0 else -5, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=7.5, gid=f"value: {label}")
        ticks.append(y)
        labels.append(label if not several_kinds or baseline else f"{label}: {point.quantity}")
        y += 1
    ax.set_yticks(ticks, labels)
    for tick, (_label, _v, _t, _m, baseline, _p) in zip(ax.get_yticklabels(), rows):
        if baseline:
            tick.set_color("#555555")
            tick.set_fontstyle("italic")
    ax.set_ylim(y - 0.4, -0.6)  # top to bottom
    ax.set_xlim(low - (0.16 * span if low < 0 else 0.03 * span), high + (0.16 * span if high > 0 else 0.03 * span))
    ax.axvline(0, color="#333333", lw=0.8, zorder=4)
    ax.grid(True, axis="x", alpha=0.3)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(f"{quantity} ({unit})" if unit else quantity)
    metals = sorted({r[3] for r in rows}, key=style.metal_order)
    handles = [Patch(facecolor=style.metal_colour(m), edgecolor=style.metal_colour(m), label=m or "metal not stated")
               for m in metals]
    if any(r[4] for r in rows):
        handles.append(Patch(facecolor="white", edgecolor=style.BASELINE_EDGE, hatch="////", label="baseline"))
    if handles:
        ax.legend(handles=handles, title="alkali metal", loc="upper left", bbox_to_anchor=(1.01, 1.0), alignment="left")
    else:
        ax.text(0.5, 0.5, "nothing reported", transform=ax.transAxes, ha="center", va="center", color="#555555")
        ax.set_yticks([])
    style.frame(fig, ax, title, _caption(kb, points), note=note)
    return fig, len({r[5].system for r in rows if not r[4]})


def _caption(kb, points) -> str:
    parts = [data.source(kb, points)]
    drawn = [p for p in points if p.value is not None]
    parts.append(" ".join(filter(None, (data.conditions(drawn), data.several_values(drawn)))))
    unvalued = sorted({f"{p.system} with {b.material}" for p in drawn for b in p.baselines if b.value is None})
    if unvalued:
        parts.append("Compared without a value given: " + "; ".join(unvalued) + ".")
    other = [p for p in points if p.value is None]
    if other:
        parts.append("Not drawn (a unit of another dimension): " + "; ".join(f"{p.system} {p.display}" for p in other) + ".")
    return "\n".join(p for p in parts if p)
