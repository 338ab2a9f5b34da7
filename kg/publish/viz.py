"""The interactive graph: one self-contained HTML file, drawn with pyvis's vis-network, that works offline.

pyvis's own template links Bootstrap (and tom-select for menus) from a CDN in every mode, so the page
is rendered from SAC-KG's template (kg/templates/graph.html), which inlines vis-network from pyvis's
bundled copy and needs nothing else. All text from the data reaches the page as JSON inside a script
(with <, > and & escaped) and is shown through textContent or vis-network's plain-text tooltips, so a
label such as `<script>` shows as text.
"""

from __future__ import annotations

import json
import os

import networkx as nx
from pyvis.network import Network

from kg.field.graph import build_graph
from kg.model.iris import SAC
from kg.publish.plots.style import METAL_COLOURS  # the metals' colours in every picture

STYLE = {  # kind -> (colour, shape, detail level at which it appears)
    "alkali metal": ("#c62828", "circle", 1),
    "mechanism": ("#e6740b", "box", 1),
    "system": ("#1f77b4", "box", 1),
    "centre metal": ("#9467bd", "triangle", 2),
    "support kind": ("#8c564b", "square", 2),
    "coordination": ("#e377c2", "hexagon", 2),
    "synthesis method": ("#7f7f7f", "hexagon", 2),
    "technique": ("#bcbd22", "triangleDown", 2),
    "quantity": ("#17becf", "diamond", 2),
    "material": ("#aec7e8", "dot", 2),
    "reference": ("#2ca02c", "square", 3),
    "challenge": ("#c49c94", "star", 3),
    "prospect": ("#98df8a", "star", 3),
}
INSIDE = {  # kinds drawn with the label inside the shape: (fill, text colour), each pair at least 4.5:1
    "alkali metal": ("#c62828", "#ffffff"),
    "mechanism": ("#ffe2bf", "#1a1a1a"),
    "system": ("#dceaf7", "#1a1a1a"),
}
FONT = {"alkali metal": 22, "mechanism": 16, "system": 15}  # px at zoom 1; every other kind 13
SHAPE_SIZE = 8  # px, of the shapes with the label below
LABEL_COLOUR, LABEL_OUTLINE, BACKGROUND = "#1a1a1a", "#ffffff", "#ffffff"
LABEL_LIMIT = {1: 32}  # longer names are shortened (whole on hover and in the side panel); other levels 24
# endings of file names that say they are something other than a web page (other endings are accepted)
NOT_A_PAGE = {".png", ".svg", ".pdf", ".jpg", ".jpeg", ".gif", ".webp", ".csv", ".tsv", ".json", ".jsonld", ".ttl",
              ".nt", ".rdf", ".owl", ".xml", ".graphml", ".bib", ".txt", ".md", ".yaml", ".yml", ".rq"}
_TEMPLATES = os.path.join(os.path.dirname(os.path.realpath(__file__)), "templates")


def scriptsafe(value) -> str:
    """JSON that cannot close the <script> element it sits in."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class OfflineNetwork(Network):
    """A pyvis network rendered through SAC-KG's offline template."""

    def __init__(self, **kwargs):
        super().__init__(cdn_resources="in_line", **kwargs)
        import pyvis
        from jinja2 import Environment, FileSystemLoader

        pyvis_templates = os.path.join(os.path.dirname(pyvis.__file__), "templates")
        self.templateEnv = Environment(loader=FileSystemLoader([_TEMPLATES, pyvis_templates]))
        self.templateEnv.filters["scriptsafe"] = scriptsafe
        self.path = "graph.html"

    def render(self, meta: dict) -> str:
        nodes, edges, heading, _height, _width, options = self.get_network_data()
        return self.templateEnv.get_template(self.path).render(
            nodes=nodes, edges=edges, options=options, heading=heading, meta=meta)


def select(graph: nx.MultiDiGraph, focus=None, depth: int = 1, metal: str | None = None,
           mechanism: str | None = None) -> nx.MultiDiGraph:
    """The part of the graph to draw: a neighbourhood of `focus`, and only what concerns a metal or mechanism."""
    if focus is not None:
        keep = nx.ego_graph(graph.to_undirected(as_view=True), focus, radius=depth).nodes
        graph = graph.subgraph(keep).copy()
    if metal or mechanism:
        systems = set()
        for node, data in graph.nodes(data=True):
            if data["kind"] != "system":
                continue
            claims = [e for _s, _t, e in graph.out_edges(node, data=True) if "claim" in e]
            metals = {graph.nodes[t]["label"] for _s, t, e in graph.out_edges(node, data=True)
                      if e["relation"] == "is applied to"}
            mechanisms = {graph.nodes[t]["label"] for _s, t, e in graph.out_edges(node, data=True) if "claim" in e
                          and (not metal or e["metal"] == metal)}
            if (not metal or metal in metals) and (not mechanism or mechanism in mechanisms) and (claims or metal):
                systems.add(node)
        keep = set(systems)
        for node in systems:
            for other in nx.all_neighbors(graph, node):
                data = graph.nodes[other]
                if data["kind"] == "alkali metal" and metal and data["label"] != metal:
                    continue
                if data["kind"] == "mechanism" and mechanism and data["label"] != mechanism:
                    continue
                keep.add(other)
        graph = graph.subgraph(keep).copy()
    return graph


def _tooltip(data: dict) -> str:
    lines = [f"{data['label']} ({data['kind']})"]
    if data.get("facts"):
        lines += data["facts"].split("; ")
    if data.get("doi"):
        lines.append(f"DOI {data['doi']}")
    return "\n".join(lines)


def _edge_tooltip(data: dict) -> str:
    if "claim" in data:
        return f"{data['claim']}\nevidence: {data['evidence']}\n{data['citation']}"
    if "measurement" in data:
        lines = [data["measurement"] + (f" ({data['metal']})" if data["metal"] else "")]
        if data["conditions"]:
            lines.append(data["conditions"])
        lines.append(data["citation"] + (f" — DOI {data['doi']}" if data["doi"] else ""))
        return "\n".join(lines)
    return data["relation"]


def short(label: str, limit: int = 24) -> str:
    """A label that fits the drawing: cut at a word boundary, with an ellipsis."""
    if len(label) <= limit:
        return label
    cut = label[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:-") + "…"


def _appearance(graph: nx.MultiDiGraph) -> tuple[dict, dict, dict]:
    """Level, box (shape and label) and drawing style of each node."""
    from kg.publish.graph_layout import FONT_FACE, Box

    level, boxes, look = {}, {}, {}
    for node, data in graph.nodes(data=True):
        colour, shape, level[node] = STYLE.get(data["kind"], ("#cccccc", "dot", 3))
        font = FONT.get(data["kind"], 13)
        label = short(data["label"], LABEL_LIMIT.get(level[node], 24))
        fill, text = INSIDE.get(data["kind"], (None, LABEL_COLOUR))
        boxes[node] = Box(label, font, SHAPE_SIZE, inside=shape if fill else None)
        style = {"color": {"background": fill, "border": colour} if fill else colour, "shape": shape,
                 "font": {"size": font, "face": FONT_FACE, "color": text},
                 **({"size": SHAPE_SIZE} if not fill else {"margin": 6, "borderWidth": 1.5})}
        if not fill:
            style["font"].update(strokeWidth=3, strokeColor=LABEL_OUTLINE)
        look[node] = (style, label)
    return level, boxes, look


def network(graph: nx.MultiDiGraph, heading: str = "SAC-KG") -> OfflineNetwork:
    from kg.publish.graph_layout import positions

    net = OfflineNetwork(height="100%", width="100%", directed=True, heading=heading)
    metals_of: dict[str, set] = {}
    mechanisms_of: dict[str, set] = {}
    for source, target, data in graph.edges(data=True):
        if data["relation"] == "is applied to":
            metals_of.setdefault(source, set()).add(graph.nodes[target]["label"])
        if "claim" in data:
            mechanisms_of.setdefault(source, set()).add(graph.nodes[target]["label"])
    level, boxes, look = _appearance(graph)
    place = positions(graph, level, boxes)
    for node, data in sorted(graph.nodes(data=True)):
        style, label = look[node]
        x, y = place[node]
        net.nodes.append({
            "id": node, "label": label, "name": data["label"], "title": _tooltip(data), **style,
            "kind": data["kind"], "level": level[node], "x": x, "y": y,
            "metals": sorted(metals_of.get(node, ())), "mechanisms": sorted(mechanisms_of.get(node, ())),
        })
    for i, (source, target, key, data) in enumerate(sorted(graph.edges(keys=True, data=True))):
        edge = {"id": f"e{i}", "from": source, "to": target, "title": _edge_tooltip(data), "arrows": "to",
                "label": "", "color": "#c8c8c8", "metal": ""}
        if "claim" in data:
            edge.update(color=METAL_COLOURS.get(data["metal"], "#888888"), metal=data["metal"], width=2)
        elif "measurement" in data:
            edge.update(dashes=True, metal=data["metal"])
        net.edges.append(edge)
    net.set_options(json.dumps({
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120},
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.5}}},
        "nodes": {"borderWidth": 1},
    }))
    return net


def render(graph: nx.MultiDiGraph, heading: str = "SAC-KG: single-atom catalysts for alkali-metal anodes",
           names=None, detail: int = 1, focus: str | None = None, review: str = "") -> str:
    from kg.publish.details import panels, search_index

    net = network(graph, heading)
    kinds = sorted({d["kind"] for _n, d in graph.nodes(data=True)}, key=lambda k: list(STYLE).index(k)
                   if k in STYLE else len(STYLE))
    meta = {
        "heading": heading, "detail": detail, "background": BACKGROUND, "focus": focus,
        "metals": sorted({d["label"] for _n, d in graph.nodes(data=True) if d["kind"] == "alkali metal"}),
        "mechanisms": sorted({d["label"] for _n, d in graph.nodes(data=True) if d["kind"] == "mechanism"}),
        "legend": [{"kind": k, "color": STYLE.get(k, ("#cccccc",))[0], "shape": STYLE.get(k, ("", "dot"))[1]}
                   for k in kinds],
        "metalColours": METAL_COLOURS,
        "source": f"Data: SAC-KG, curated from {review} and the references it cites." if review else "Data: SAC-KG.",
        "panels": panels(graph),
        "names": search_index(names, graph) if names is not None else {},
    }
    return net.render(meta)


def write_graph(kb, output: str, focus: str | None = None, depth: int = 1, metal: str | None = None,
                mechanism: str | None = None) -> int:
    """Write the interactive graph to `output`; returns the number of entities drawn."""
    from kg.engine.names import Names
    from kg.model.errors import SackgError
    from kg.publish.cells import cited_review

    if os.path.splitext(output)[1].lower() in NOT_A_PAGE:
        raise SackgError(f"{output}: the graph is a web page; give a file name ending in .html")
    names = Names(kb)
    graph = build_graph(kb, fold=True)
    focus_iri = None
    if focus:
        focus_iri = names.resolve(focus).iri.value
        if focus_iri not in graph:
            from kg.model.text import shown

            raise SackgError(f"{shown(focus)} is not drawn in the graph")
    metal_label = names.resolve(metal, (f"{SAC}AlkaliMetal",)).label if metal else None
    mechanism_label = names.resolve(mechanism, (f"{SAC}Mechanism",)).label \
        if mechanism else None
    graph = select(graph, focus_iri, depth, metal_label, mechanism_label)
    html = render(graph, names=names, detail=3 if focus_iri else 1, focus=focus_iri, review=cited_review(kb))
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(html)
    return graph.number_of_nodes()
