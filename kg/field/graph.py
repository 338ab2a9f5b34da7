"""The knowledge base as a typed networkx graph, the one graph every analysis and picture starts from.

Nodes are entities (systems, materials, metals, centre metals, mechanisms, quantities, techniques,
support kinds, coordination environments, synthesis methods, references, challenges, prospects).
Each node carries `kind`, `label` and `facts` (a one-line summary); each edge carries `relation`.

Claims and measurements are either folded into the edges they describe (`fold=True`: a claim is an
edge system -> mechanism, a measurement an edge material -> quantity, with the metal, value, unit,
conditions and citation as edge attributes), or kept as nodes of their own (`fold=False`), which is
what a chain of facts between two entities needs.

A folded measurement carries its number twice: `value` (a float) in the quantity's preferred `unit`, left
out when the reported unit measures another dimension (kJ mol⁻¹ for an energy in eV), and `reported_value`
in `reported_unit`; `value_text` is the value as written ("> 800 h"). Numeric test conditions are floats
named by kind and preferred unit ("current density (mA cm⁻²)"), left out when bounded ("≤ 5.4 mg cm⁻²").
"""

from __future__ import annotations

from decimal import Decimal

import networkx as nx

from kg.engine.templates import run
from kg.model.text import sorted_list

KIND_ORDER = ("alkali metal", "mechanism", "system", "centre metal", "support kind", "coordination",
              "synthesis method", "technique", "quantity", "material", "reference", "challenge", "prospect",
              "claim", "measurement")


def build_graph(kb, fold: bool = True) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for row in run(kb, "graph_nodes")[1]:
        graph.add_node(row["node"].value, kind=row["kind"], label=row["label"], doi=row["doi"] or "", facts="")
    for row in run(kb, "graph_links")[1]:
        source, target = row["source"].value, row["target"].value
        if source in graph and target in graph:
            graph.add_edge(source, target, key=f"{row['relation']}|{target}", relation=row["relation"])
    _system_facts(graph)
    for row in run(kb, "graph_claims")[1]:
        _claim(graph, row, fold)
    units = units_of(kb)
    for row in run(kb, "graph_measurements")[1]:
        _measurement(graph, row, fold, units)
    return graph


def _label(graph, node) -> str:
    return graph.nodes[node]["label"] if node in graph else node


def _system_facts(graph) -> None:
    for node, data in graph.nodes(data=True):
        if data["kind"] != "system":
            continue
        parts = {}
        for _s, target, edge in graph.out_edges(node, data=True):
            parts.setdefault(edge["relation"], []).append(_label(graph, target))
        facts = [f"{relation} {', '.join(sorted(targets))}" for relation, targets in sorted(parts.items())
                 if relation != "is reported in"]
        data["facts"] = "; ".join(facts)


def _claim(graph, row, fold: bool) -> None:
    system, mechanism, metal = row["system"].value, row["mechanism"].value, row["metal"].value
    references = sorted((row["references"] or "").split())
    dois = sorted({graph.nodes[r]["doi"] for r in references if r in graph and graph.nodes[r]["doi"]})
    attrs = dict(metal=row["metalLabel"], effect=row["effect"], evidence=sorted_list(row["evidence"]) or "not stated",
                 citation=sorted_list(row["citation"]), inferred=bool(row["inferred"]), doi=" ".join(dois))
    text = (f"{_label(graph, system)} {row['effect']} {_label(graph, mechanism)} ({row['metalLabel']})"
            + (" (inferred by the curator)" if row["inferred"] else ""))
    if fold:
        graph.add_edge(system, mechanism, key=row["claim"].value, relation=row["effect"], claim=text, **attrs)
        return
    claim = row["claim"].value
    graph.add_node(claim, kind="claim", label=text, doi=attrs["doi"], facts=f"evidence: {attrs['evidence']}; {attrs['citation']}")
    graph.add_edge(claim, system, key="about", relation="is a claim about")
    graph.add_edge(claim, mechanism, key="mechanism", relation=f"says it {row['effect']}")
    graph.add_edge(claim, metal, key="metal", relation="for")
    for technique in sorted((row["techniques"] or "").split()):
        if technique in graph:
            graph.add_edge(claim, technique, key=technique, relation="is shown by")
    for reference in references:
        if reference in graph:
            graph.add_edge(claim, reference, key=reference, relation="comes from")


def units_of(kb) -> dict:
    """unit IRI -> (symbol, SI multiplier, SI offset, QUDT quantity kind), from the units template."""
    return {row["unit"].value: (row["symbol"], Decimal(str(row["multiplier"])), Decimal(str(row["offset"] or 0)),
                                row["dimension"].value) for row in kb.summary("units")}


def converted(value: Decimal, unit: str, preferred: str | None, units: dict) -> Decimal | None:
    """`value` in `unit` written in `preferred` (QUDT multipliers and offsets); None across dimensions."""
    if unit == preferred:
        return value
    if unit not in units or preferred not in units or units[unit][3] != units[preferred][3]:
        return None
    _symbol, multiplier, offset, _kind = units[unit]
    _symbol, preferred_multiplier, preferred_offset, _kind = units[preferred]
    return (value + offset) * multiplier / preferred_multiplier - preferred_offset


def _numbers(row, units: dict) -> dict:
    """The typed attributes of a folded measurement: its value, reported value and numeric conditions."""
    unit, preferred = row["unit"].value, row["preferredUnit"].value if row["preferredUnit"] else None
    reported = Decimal(str(row["value"]))  # a decimal, or a double or integer in data of one's own
    numbers = dict(reported_value=float(reported), reported_unit=row["unitSymbol"], comparator=row["comparator"] or "")
    value = converted(reported, unit, preferred, units)
    if value is not None:
        numbers.update(value=float(value), unit=row["unitSymbol"] if unit == preferred else units[preferred][0])
    for item in filter(None, (row["conditionNumbers"] or "").split("; ")):
        label, comparator, number, condition_unit, condition_preferred = item.split("|")
        value = converted(Decimal(number), condition_unit, condition_preferred, units)
        symbol = units.get(condition_preferred, (None,))[0]
        if value is not None and symbol is not None and not comparator:
            numbers[f"{label} ({symbol})" if symbol and symbol != label else label] = float(value)
    return numbers


def _measurement(graph, row, fold: bool, units: dict) -> None:
    material, quantity = row["material"].value, row["quantity"].value
    if material not in graph:
        return
    metal = row["metal"].value if row["metal"] else None
    text = f"{_label(graph, quantity)} of {_label(graph, material)}: {row['display']}"
    attrs = dict(conditions=sorted_list(row["conditions"]), citation=sorted_list(row["citation"]),
                 doi=sorted_list(row["dois"], " "), metal=_label(graph, metal) if metal else "")
    if fold:
        graph.add_edge(material, quantity, key=row["measurement"].value, relation="has value", measurement=text,
                       value_text=row["display"], **_numbers(row, units), **attrs)
        return
    node = row["measurement"].value
    graph.add_node(node, kind="measurement", label=text, doi=attrs["doi"],
                   facts="; ".join(p for p in (attrs["conditions"], attrs["citation"]) if p))
    graph.add_edge(node, material, key="material", relation="is measured on")
    graph.add_edge(node, quantity, key="quantity", relation="is a value of")
    if metal and metal in graph:
        graph.add_edge(node, metal, key="metal", relation="for")
    if row["baselineOf"]:
        graph.add_edge(row["baselineOf"].value, node, key="baseline", relation="is compared with")
    for reference in sorted((row["references"] or "").split()):
        if reference in graph:
            graph.add_edge(node, reference, key=reference, relation="comes from")


def entity_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple graph of entities only (claim and measurement nodes dropped), for centrality."""
    simple = nx.Graph()
    for node, data in graph.nodes(data=True):
        if data["kind"] not in ("claim", "measurement"):
            simple.add_node(node, **data)
    for source, target in graph.edges():
        if source in simple and target in simple and source != target:
            simple.add_edge(source, target)
    return simple
