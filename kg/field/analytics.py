"""Analyses of the field: coverage gaps, like-for-like rankings, centrality, chains of facts, co-citation."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal, Inexact, localcontext

from kg.engine.binding import ANY
from kg.engine.names import Names
from kg.engine.templates import run
from kg.model.errors import SackgError
from kg.model.iris import SAC
from kg.model.numbers import computed, derived, mixed_signs, plain
from kg.model.table import Table
from kg.model.text import shown, sorted_list

MATRICES = (
    ("metal x mechanism", "gap_metal_mechanism", "claims"),
    ("metal x centre metal", "gap_metal_centre", "systems"),
    ("metal x support kind", "gap_metal_support", "systems"),
    ("mechanism x evidence kind", "gap_mechanism_evidence", "claims"),
)


class Matrix:
    def __init__(self, name: str, unit: str, cells: list[dict]):
        self.name, self.unit, self.cells = name, unit, cells
        self.rows = sorted({c["row"] for c in cells}, key=str.lower)
        self.columns = sorted({c["column"] for c in cells}, key=str.lower)

    def count(self, row: str, column: str) -> int:
        return next((c["count"] for c in self.cells if c["row"] == row and c["column"] == column), 0)

    def missing(self) -> list[tuple[str, str]]:
        return [(c["row"], c["column"]) for c in self.cells if c["count"] == 0]


def gaps(kb) -> list[Matrix]:
    """Coverage matrices with counts and references in every cell (zero where nothing is reported)."""
    matrices = []
    for name, template, unit in MATRICES:
        cells = [{"row": r["row"], "column": r["column"], "count": r["count"],
                  "references": sorted_list(r["references"])}
                 for r in run(kb, template)[1]]
        matrices.append(Matrix(name, unit, cells))
    return matrices


def _fmt(value) -> str:
    return "" if value is None else plain(computed(value))


def _in_preferred(r, units: dict) -> Decimal:
    """A value in the quantity's preferred unit: as reported in that unit, else converted (kg.field.graph) and
    rounded only where the conversion is not exact."""
    from kg.field.graph import converted

    reported = Decimal(str(r["value"]))
    with localcontext() as context:
        value = converted(reported, r["unit"].value, r["preferred"].value, units)
        exact = not context.flags[Inexact]
    if value is None:  # a unit without a multiplier: the engine's double, as a derived number
        return derived(Decimal(repr(float(r["preferredValue"]))), False, reported)
    return derived(value, exact, reported)


def rank(kb, quantity: str, metal: str | None = None) -> Table:
    """SAC systems ordered by a quantity in one unit, each row flagged with what limits the comparison; of
    equal values, the one whose test conditions are better stated comes first."""
    names = Names(kb)
    try:
        q = names.resolve(quantity, (f"{SAC}QuantityKind",))
    except SackgError:  # "Li binding energy", "sodium cycle life": a metal of the knowledge base, then the quantity
        first, _, rest = quantity.strip().partition(" ")
        try:
            named = names.resolve(first.rstrip("+0⁺⁰"), (f"{SAC}AlkaliMetal",)) if rest else None
        except SackgError:
            named = None
        if named is None:
            raise
        q = names.resolve(rest, (f"{SAC}QuantityKind",))
        metal = metal or named.label
    m = names.resolve(metal, (f"{SAC}AlkaliMetal",)) if metal else None
    rows = run(kb, "rank", quantity=q.iri, metal=m.iri if m else ANY)[1]
    kind = next((r for r in kb.summary("quantities") if r["quantity"] == q.iri), {})
    lower = kind.get("lowerIsBetter")
    descending = lower is False
    rows.sort(key=lambda r: (-(r["standardValue"]) if descending else r["standardValue"],
                             sum(r[k] is None for k in ("current", "capacity", "cell")), r["system"]))
    standard = run(kb, "standard_test")[1]
    std_current = standard[0]["current"] if standard else None
    std_capacity = standard[0]["capacity"] if standard else None
    cells = Counter(r["cell"] for r in rows if r["cell"])
    usual_cell = cells.most_common(1)[0][0] if cells else None
    from kg.field.graph import units_of

    units = units_of(kb)
    out = []
    for i, r in enumerate(rows, 1):
        flags = []
        if std_current is not None:
            if r["current"] is None:
                flags.append("current density not stated")
            elif r["current"] != std_current:
                flags.append(f"current density {_fmt(r['current'])} mA cm⁻² (standard {_fmt(std_current)})")
        if std_capacity is not None:
            if r["capacity"] is None:
                flags.append("areal capacity not stated")
            elif r["capacity"] != std_capacity:
                flags.append(f"areal capacity {_fmt(r['capacity'])} mA h cm⁻² (standard {_fmt(std_capacity)})")
        if r["origin"] != "measured":
            flags.append(r["origin"])
        if r["comparator"]:
            flags.append({">": "lower bound", "≥": "lower bound", "<": "upper bound", "≤": "upper bound",
                          "~": "approximate"}[r["comparator"]])
        if r["cell"] is None:
            flags.append("cell not stated")
        elif usual_cell and r["cell"] != usual_cell:
            flags.append(f"cell: {r['cell']}")
        out.append({"rank": i, "system": r["system"], "metal": r["metalName"], "value": r["display"],
                    "standard_value": _in_preferred(r, units), "standard_unit": r["preferredSymbol"],
                    "current_density": _fmt(r["current"]), "areal_capacity": _fmt(r["capacity"]),
                    "cell": r["cell"] or "", "origin": r["origin"], "flags": "; ".join(flags),
                    "reference": r["reference"]})
    order = "highest first" if descending else "lowest first"
    note = (f"{q.label}, {order}, in {rows[0]['preferredSymbol'] if rows else ''}. Standard test proposed by the review: "
            f"{_fmt(std_current)} mA cm⁻² at {_fmt(std_capacity)} mA h cm⁻²." if standard else f"{q.label}, {order}.")
    if kind.get("caution") and mixed_signs(r["standardValue"] for r in rows):
        note += f" {kind['caution']}"
    if not out:
        note = "None reported in the knowledge base."
    return Table("", ["rank", "system", "metal", "value", "standard_value", "standard_unit", "current_density",
                      "areal_capacity", "cell", "origin", "flags", "reference"], out, note=note,
                 headers={"standard_value": "in " + (rows[0]["preferredSymbol"] if rows else "unit"),
                          "current_density": "mA cm⁻²", "areal_capacity": "mA h cm⁻²"},
                 hidden=("standard_unit",))


CENTRAL_KINDS = ("mechanism", "centre metal", "support kind", "reference")


def central(kb, top: int = 5) -> Table:
    """The most connected mechanisms, centre metals, supports and references."""
    import networkx as nx

    from kg.field.graph import build_graph, entity_graph

    graph = entity_graph(build_graph(kb, fold=True))
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    rows = []
    for kind in CENTRAL_KINDS:
        nodes = [n for n, d in graph.nodes(data=True) if d["kind"] == kind]
        nodes.sort(key=lambda n: (-graph.degree(n), -betweenness[n], graph.nodes[n]["label"]))
        for n in nodes[:top]:
            rows.append({"kind": kind, "entity": graph.nodes[n]["label"], "degree": graph.degree(n),
                         "betweenness": round(betweenness[n], 4)})
    note = ("degree: how many distinct entities (systems, metals, references, ...) one fact links it to. "
            "betweenness: the share of shortest links between two other entities that pass through it (0 to 1).")
    return Table("", ["kind", "entity", "degree", "betweenness"], rows, note=note)


def path(kb, source: str, target: str) -> list[str]:
    """The shortest chain of facts linking two entities, as readable statements."""
    import networkx as nx

    from kg.field.graph import build_graph

    names = Names(kb)
    a, b = names.resolve(source), names.resolve(target)
    graph = build_graph(kb, fold=False)
    for entity, typed in ((a, source), (b, target)):
        if entity.iri.value not in graph:
            raise SackgError(f"{shown(typed)} ({entity.label}) is not part of the graph of facts")
    undirected = nx.Graph()
    for u, v, data in graph.edges(data=True):
        kinds = {graph.nodes[u]["kind"], graph.nodes[v]["kind"]}
        weight = 5 if kinds & {"challenge", "prospect"} else 2 if "alkali metal" in kinds else 1
        if not undirected.has_edge(u, v) or undirected[u][v]["weight"] > weight:
            undirected.add_edge(u, v, weight=weight)
    try:
        nodes = nx.shortest_path(undirected, a.iri.value, b.iri.value, weight="weight")
    except nx.NetworkXNoPath:
        return []
    return _statements(graph, nodes)


def _statements(graph, nodes: list[str]) -> list[str]:
    statements = []
    label = lambda n: graph.nodes[n]["label"]  # noqa: E731
    for i, node in enumerate(nodes):
        data = graph.nodes[node]
        if data["kind"] in ("claim", "measurement"):
            statements.append(f"{data['label']} [{data['facts']}]" if data["facts"] else data["label"])
            continue
        if i + 1 < len(nodes) and graph.nodes[nodes[i + 1]]["kind"] not in ("claim", "measurement"):
            nxt = nodes[i + 1]
            if graph.has_edge(node, nxt):
                relation = next(iter(graph.get_edge_data(node, nxt).values()))["relation"]
                statements.append(f"{label(node)} {relation} {label(nxt)}")
            else:
                relation = next(iter(graph.get_edge_data(nxt, node).values()))["relation"]
                statements.append(f"{label(nxt)} {relation} {label(node)}")
    return statements


def cocitation(kb, top: int | None = None) -> Table:
    rows = [{"reference": r["a"], "other": r["b"], "shared": r["count"],
             "what": sorted_list(r["shared"])} for r in run(kb, "cocitation")[1]]
    rows = rows[:top] if top else rows
    return Table("", ["reference", "other", "shared", "what"], rows,
                 note="Pairs of references whose claims or values concern the same mechanism or system.")
