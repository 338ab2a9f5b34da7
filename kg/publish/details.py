"""What the graph page shows beside the drawing: each node's facts for the side panel, and the names
its search box finds, keyed exactly as `sackg show` keys them (kg.model.text.name_key)."""

from __future__ import annotations

import networkx as nx

from kg.engine.names import SAC, Names


def _references(graph: nx.MultiDiGraph) -> dict:
    """Reference label -> DOI (empty where the review gives none)."""
    return {d["label"]: d["doi"] for _n, d in graph.nodes(data=True) if d["kind"] == "reference"}


def _citations(text: str, dois: str, known: dict) -> list[list[str]]:
    """[citation, DOI] pairs of one fact: a DOI beside the reference that has it."""
    pairs = []
    for citation in filter(None, (text or "").split("; ")):
        pairs.append([citation, known.get(citation, "")])
    listed = {doi for _c, doi in pairs if doi}
    pairs += [["", doi] for doi in (dois or "").split() if doi not in listed]
    return pairs


def panel(graph: nx.MultiDiGraph, node: str, known: dict | None = None) -> dict:
    """The side panel of one node: values (with units, conditions, citations), claims (with evidence),
    links to other entities, and every citation behind them, with DOI where known."""
    known = _references(graph) if known is None else known
    data = graph.nodes[node]
    values, claims, links, cited = [], [], {}, {}
    edges = [(s, t, e, True) for s, t, e in graph.out_edges(node, data=True)]
    edges += [(s, t, e, False) for s, t, e in graph.in_edges(node, data=True)]
    for source, target, edge, outgoing in sorted(edges, key=lambda x: (x[2]["relation"], x[0], x[1])):
        other = graph.nodes[target if outgoing else source]["label"]
        if "measurement" in edge:
            citations = _citations(edge["citation"], edge["doi"], known)
            values.append({"quantity": graph.nodes[target]["label"], "of": graph.nodes[source]["label"],
                           "value": edge["value_text"], "metal": edge["metal"], "conditions": edge["conditions"],
                           "citations": citations})
        elif "claim" in edge:
            citations = _citations(edge["citation"], edge["doi"], known)
            claims.append({"text": f"{other}: {edge['effect']} ({edge['metal']})", "evidence": edge["evidence"],
                           "inferred": edge["inferred"], "citations": citations})
        else:
            relation = edge["relation"] if outgoing else f"{edge['relation']} (from)"
            links.setdefault(relation, []).append(other)
            citations = [[other, graph.nodes[target]["doi"]]] if outgoing and relation == "is reported in" else []
        for citation, doi in citations:
            cited[citation or doi] = doi
    if data["kind"] == "reference":
        cited[data["label"]] = data["doi"]
    values.sort(key=lambda v: (v["quantity"], v["of"], v["value"]))
    return {"name": data["label"], "kind": data["kind"], "values": values, "claims": claims,
            "links": [[relation, sorted(set(others))] for relation, others in sorted(links.items())],
            "citations": [[c, d] for c, d in sorted(cited.items())]}


def panels(graph: nx.MultiDiGraph) -> dict:
    known = _references(graph)
    return {node: panel(graph, node, known) for node in graph}


def search_index(names: Names, graph: nx.MultiDiGraph) -> dict:
    """Name key -> the node that name finds, chosen as `sackg show` chooses (Names.best); a name that is
    ambiguous in the review, or names an entity not drawn, maps to a one-line message instead."""
    index = {}
    for key, iris in names.items():
        best = names.best(list(iris))
        if best is None:
            continue
        if f"{SAC}AmbiguousName" in best.classes:
            written = (names.spellings(key) or [best.label])[0]
            index[key] = {"message": names.ambiguity(written, best)}
        elif best.iri.value in graph:
            index[key] = best.iri.value
        else:
            index[key] = {"message": f"{best.label} is not drawn in this graph"}
    return dict(sorted(index.items()))
