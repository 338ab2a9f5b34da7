"""The full graph as RDF files: blank nodes given stable IRIs, one serialisation per format, the same bytes for the same data."""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from kg.model.errors import SackgError
from kg.model.iris import ID
from kg.model.resources import data_source

if TYPE_CHECKING:
    from rdflib import Graph

CONTEXT = "context.jsonld"
RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
GENID = f"{ID}.well-known/genid/"
_PREFIXES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "owl": "http://www.w3.org/2002/07/owl#",
             "qk": "http://qudt.org/vocab/quantitykind/", "qkdv": "http://qudt.org/vocab/dimensionvector/",
             "emmo-b": "https://w3id.org/emmo/domain/battery#",
             "emmo-e": "https://w3id.org/emmo/domain/electrochemistry#"}  # besides those of the JSON-LD context


def rdf_graph(source: str | None = None) -> Graph:
    """The full graph (data, ontology, vocabularies) with stable IRIs for its blank nodes."""
    from kg.source.ingest import build, full_graph
    from kg.source.transaction import reading

    with reading(data_source(source)):
        return skolemised(full_graph(build(Path(data_source(source)))))


def _shape(graph: Graph, node) -> str:
    """What a blank node says, with other blank nodes left anonymous: orders blank siblings."""
    from rdflib import BNode

    return " ".join(sorted(f"{p.n3()} {'[]' if isinstance(o, BNode) else o.n3()}" for p, o in graph.predicate_objects(node)))


def blank_node_names(graph: Graph) -> dict:
    """A stable IRI for every blank node, from the path that reaches it: the IRI of the owning subject
    (such as a reference), then predicate and position at each step, hashed."""
    from rdflib import BNode, URIRef

    names: dict = {}
    roots = 0
    blanks = sorted({t for triple in graph for t in triple[::2] if isinstance(t, BNode)}, key=lambda b: _shape(graph, b))
    queue = deque(sorted((s for s in set(graph.subjects()) if isinstance(s, URIRef)), key=str))
    while queue or len(names) < len(blanks):
        if not queue:  # a blank node no IRI leads to: named by what it says and how many such came before
            root = next(b for b in blanks if b not in names)
            roots += 1
            names[root] = URIRef(GENID + hashlib.sha256(f"root {roots} {_shape(graph, root)}".encode()).hexdigest()[:24])
            queue.append(root)
        parent = queue.popleft()
        owner = str(names.get(parent, parent))
        for p in sorted(set(graph.predicates(parent)), key=str):
            children = sorted((o for o in graph.objects(parent, p) if isinstance(o, BNode) and o not in names),
                              key=lambda b: _shape(graph, b))
            for i, child in enumerate(children):
                names[child] = URIRef(GENID + hashlib.sha256(f"{owner} {p} {i}".encode()).hexdigest()[:24])
                queue.append(child)
    return names


def skolemised(graph: Graph) -> Graph:
    """A copy of `graph` with blank nodes named by blank_node_names, its triples added in sorted order
    (rdflib's serialisers follow insertion order) and only the project's prefixes bound."""
    from rdflib import Graph

    names = blank_node_names(graph)
    out = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in {**_PREFIXES, **{k: v for k, v in context().items() if isinstance(v, str)
                                              and v.endswith(("/", "#"))}}.items():
        out.bind(prefix, namespace)
    triples = ((names.get(s, s), p, names.get(o, o)) for s, p, o in graph)
    for triple in sorted(triples, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3())):
        out.add(triple)
    return out


def context() -> dict:
    """The published JSON-LD context (ontology/context.jsonld), without its @context wrapper."""
    from kg.model.resources import ontology_dir

    with open(os.path.join(ontology_dir(), CONTEXT), encoding="utf-8") as handle:
        return json.load(handle)["@context"]


def serialise(graph: Graph, fmt: str) -> bytes:
    """`graph` in one RDF format, as bytes; N-Triples lines are sorted."""
    if fmt == "ntriples":
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return ("\n".join(sorted({line for line in lines if line.strip()})) + "\n").encode("utf-8")
    if fmt == "jsonld":
        document = json.loads(graph.serialize(format="json-ld", context=context(), encoding="utf-8"))
        return (json.dumps(_ordered(document), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "turtle":
        stream = io.BytesIO()
        _exact_turtle()(graph).serialize(stream, encoding="utf-8")
        return stream.getvalue()
    data = graph.serialize(format=RDF_FORMATS[fmt], encoding="utf-8")
    if fmt == "rdfxml":
        _well_formed_xml(data)
    return data


def _well_formed_xml(data: bytes) -> None:
    """Refuse to write RDF/XML that an XML parser would reject (the source rules out what could cause it)."""
    from xml.parsers import expat

    try:
        expat.ParserCreate().Parse(data, True)
    except expat.ExpatError as exc:
        raise SackgError(f"the RDF/XML would not be well-formed XML ({exc}); nothing written") from None


def _exact_turtle():
    """rdflib's Turtle serialiser, but writing a typed literal as a bare number only when that keeps its exact
    lexical form: rdflib writes "12"^^xsd:decimal as 12.0 and a double with six digits."""
    from rdflib import Literal
    from rdflib.plugins.serializers.turtle import TurtleSerializer

    class ExactTurtle(TurtleSerializer):
        def label(self, node, position):
            if isinstance(node, Literal) and node.datatype is not None and \
                    node._literal_n3(use_plain=True) != str(node):
                return node._literal_n3(qname_callback=lambda dt: self.get_pname(dt, False))
            return super().label(node, position)

    return ExactTurtle


def _ordered(value, key: str = ""):
    """JSON-LD with every array that is a set (all but @list) sorted: rdflib emits nodes in hash order. rdflib writes
    an xsd:double as a bare JSON number, which jsonld.js reads as an integer when it is whole or tiny (1e-10 as 0):
    doubles are written as typed values instead."""
    if isinstance(value, float) and key != "@value":
        return {"@type": "xsd:double", "@value": repr(value)}
    if isinstance(value, dict):
        return {k: _ordered(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_ordered(v) for v in value]
        return items if key == "@list" else sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value
