"""Static plots (PNG or SVG) with matplotlib: cycle life against current density, nucleation
overpotentials with their baselines, and the metal x mechanism gap heatmap. Every plot says where its
data comes from."""

from __future__ import annotations

import os

from kg.engine.templates import run
from kg.field.analytics import gaps, rank
from kg.model.errors import SackgError

METAL_COLOURS = {"Li": "#d62728", "Na": "#1f77b4", "K": "#9467bd"}
SOURCE = "Data: SAC-KG, from Li et al., Green Chem. 2024, 26, 10366 and the papers it cites."
KINDS = ("cycle-life", "nucleation", "gaps")


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt, plt.subplots(figsize=(width, height), dpi=110)


def _save(plt, fig, output: str, caption: str) -> None:
    fig.text(0.01, 0.01, caption, fontsize=7, color="#555555", ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    extension = os.path.splitext(output)[1].lower()
    if extension not in (".png", ".svg"):
        raise SackgError(f"{output}: the plot file must end in .png or .svg")
    fig.savefig(output, format=extension[1:], metadata={"Date": None} if extension == ".svg" else None)
    plt.close(fig)


def cycle_life(kb, output: str) -> int:
    table = rank(kb, "cycle life")
    plotted, left_out = [], []
    for row in table.rows:
        (plotted if row["current_density"] else left_out).append(row)
    plt, (fig, ax) = _figure(7, 4.5)
    for metal, colour in METAL_COLOURS.items():
        points = [r for r in plotted if r["metal"] == metal]
        for r in points:
            bound = "lower bound" in r["flags"]
            ax.scatter(float(r["current_density"]), float(r["standard_value"]), color=colour,
                       marker="^" if bound else "o", s=60, label=metal if r is points[0] else None, zorder=3)
            ax.annotate(r["system"] + (" (>)" if bound else ""), (float(r["current_density"]), float(r["standard_value"])),
                        textcoords="offset points", xytext=(6, 4), fontsize=8)
    from matplotlib.ticker import ScalarFormatter

    ax.set_xscale("log")  # the current densities span a factor of twenty
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.set_xlabel("current density (mA cm⁻²)")
    ax.set_ylabel("cycle life (h)")
    ax.set_title("Cycle life against current density")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(title="alkali metal")
    caption = SOURCE + " Triangles: lower bounds (\"over\")."
    if left_out:
        caption += " Not plotted (no current density stated): " + ", ".join(
            f"{r['system']} {r['value']}" for r in left_out) + "."
    _save(plt, fig, output, caption)
    return len(plotted)


def nucleation(kb, output: str) -> int:
    rows = run(kb, "plot_nucleation")[1]
    systems: dict = {}
    for r in rows:
        entry = systems.setdefault(r["system"], {"metal": r["metal"], "value": float(r["value"]), "baselines": []})
        if r["baseline"]:
            entry["baselines"].append((r["baseline"], float(r["baselineValue"])))
    order = sorted(systems, key=lambda s: (list(METAL_COLOURS).index(systems[s]["metal"]), systems[s]["value"]))
    plt, (fig, ax) = _figure(8, 4.5)
    x, ticks, labels = 0.0, [], []
    for name in order:
        entry = systems[name]
        ax.bar(x, entry["value"], width=0.8, color=METAL_COLOURS[entry["metal"]], zorder=3)
        ax.annotate(f"{entry['value']:g}", (x, entry["value"]), ha="center", va="bottom", fontsize=7)
        ticks.append(x)
        labels.append(f"{name}\n({entry['metal']})")
        for baseline, value in sorted(entry["baselines"]):
            x += 0.85
            ax.bar(x, value, width=0.8, color="white", edgecolor=METAL_COLOURS[entry["metal"]], hatch="//", zorder=3)
            ax.annotate(f"{value:g}", (x, value), ha="center", va="bottom", fontsize=7)
            ticks.append(x)
            labels.append(f"baseline:\n{baseline}")
        x += 1.6
    ax.set_xticks(ticks)
    ax.set_xticklabels(labels, rotation=60, ha="right", fontsize=7)
    ax.set_ylabel("nucleation overpotential (mV)")
    ax.set_title("Nucleation overpotential by system, grouped by metal (hatched: baselines)")
    ax.grid(True, axis="y", alpha=0.3)
    _save(plt, fig, output, SOURCE + " Conditions differ between studies; see `sackg analyze rank nucleation-overpotential`.")
    return len(order)


def gap_heatmap(kb, output: str) -> int:
    matrix = gaps(kb)[0]
    plt, (fig, ax) = _figure(7, 3.2)
    values = [[matrix.count(r, c) for c in matrix.columns] for r in matrix.rows]
    image = ax.imshow(values, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(matrix.columns)))
    ax.set_xticklabels(matrix.columns, rotation=25, ha="right", fontsize=8)
    ax.set_yticks(range(len(matrix.rows)))
    ax.set_yticklabels(matrix.rows)
    for i, row in enumerate(values):
        for j, count in enumerate(row):
            ax.text(j, i, str(count) if count else "none", ha="center", va="center", fontsize=8,
                    color="white" if count > 8 else ("#b00000" if count == 0 else "black"))
    ax.set_title("Claims per alkali metal and mechanism (none = not studied yet)")
    fig.colorbar(image, ax=ax, label="claims")
    _save(plt, fig, output, SOURCE)
    return sum(1 for row in values for v in row if v == 0)


def plot(kb, kind: str, output: str) -> int:
    return {"cycle-life": cycle_life, "nucleation": nucleation, "gaps": gap_heatmap}[kind](kb, output)
