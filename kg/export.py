"""Exporting the knowledge base to the formats other tools read.

RDF (Turtle, N-Triples, JSON-LD, RDF/XML) is the full graph: data, ontology and vocabularies. Its only
blank nodes, the author lists of the references, are given stable IRIs under GENID, so the same data
always gives the same bytes. GraphML is the entity graph of kg.graph; CSV tables and BibTeX come from
the export_* query templates; the RO-Crate describes a directory of exported files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections import deque
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import SackgError
from kg.iris import ID
from kg.numbers import looks_like_number, plain

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml", "graphml", "csv", "bibtex", "rocrate", "html")
GENID = f"{ID}.well-known/genid/"
CRATE = "ro-crate-metadata.json"
DIGEST = "SOURCE-DIGEST"
CONTEXT = "context.jsonld"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
_PREFIXES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "owl": "http://www.w3.org/2002/07/owl#",
             "qk": "http://qudt.org/vocab/quantitykind/", "emmo-b": "https://w3id.org/emmo/domain/battery#",
             "emmo-e": "https://w3id.org/emmo/domain/electrochemistry#"}  # besides those of the JSON-LD context
TABLES = (  # file, template, noun, header row (in the template's column order)
    ("systems.csv", "export_systems", "systems",
     ("system", "centre metals", "support", "support kinds", "coordination", "alkali metals", "roles", "synthesis",
      "techniques", "reference", "DOI", "section", "figures")),
    ("measurements.csv", "export_measurements", "measurements",
     ("system or material", "quantity", "value", "unit", "comparator", "conditions", "cell", "baseline", "origin",
      "metal", "reference", "DOI", "section", "figures")),
    ("references.csv", "export_references", "references",
     ("id", "review number", "authors", "title", "journal", "year", "volume", "issue", "pages", "DOI",
      "cited in sections", "figures")),
)
MEDIA_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
               ".rdf": "application/rdf+xml", ".owl": "application/rdf+xml", ".xml": "application/xml",
               ".graphml": "application/graphml+xml", ".csv": "text/csv", ".bib": "application/x-bibtex",
               ".html": "text/html", ".json": "application/json", "": "text/plain"}
DESCRIPTIONS = {
    "sackg.ttl": "The knowledge graph (data, ontology and vocabularies) in Turtle.",
    "sackg.jsonld": "The knowledge graph in JSON-LD, with the context of context.jsonld embedded.",
    CONTEXT: "The JSON-LD context: prefixes and short names of the main terms.",
    "sackg.graphml": "The entity graph (systems, metals, mechanisms, quantities, references...) in GraphML.",
    "systems.csv": "One row per single-atom catalyst system.",
    "measurements.csv": "One row per reported value, with its baseline, conditions and source.",
    "references.csv": "The review and every reference it cites.",
    "references.bib": "The review and every reference it cites, in BibTeX.",
    "sackg-graph.html": "The interactive graph: a self-contained web page that works offline.",
    DIGEST: "SHA-256 of the source data this snapshot was made from (kg.export.source_digest).",
}


# ---------------------------------------------------------------- inputs and outputs
def _source(source: str | None) -> str:
    from kg.resources import data_dir

    path = os.path.realpath(str(source or data_dir()))
    if not os.path.isdir(path):
        raise SackgError(f"{path}: data directory not found")
    return path


class _Inputs:
    """The source directory, the store and the RDF graph, each made once and only when needed."""

    def __init__(self, source: str | None, kb=None):
        self.source = _source(source)
        self._kb = kb

    @cached_property
    def kb(self):
        from kg.store import open_store

        return self._kb if self._kb is not None else open_store(None, self.source)

    @cached_property
    def graph(self):
        return rdf_graph(self.source)

    @cached_property
    def references(self) -> list[dict]:
        return table_rows(self.kb, "export_references")


def _file(output: str) -> str:
    """`output` as a file to write: not a directory, in a directory that exists."""
    if os.path.isdir(output):
        raise SackgError(f"{output}: is a directory; expected a file name")
    parent = os.path.dirname(output)
    if parent and not os.path.isdir(parent):
        raise SackgError(f"{parent}: output directory not found")
    return output


def _directory(output: str) -> str:
    """`output` as a directory to write into, made if its parent exists."""
    if os.path.isdir(output):
        return output
    if os.path.exists(output):
        raise SackgError(f"{output}: not a directory")
    parent = os.path.dirname(output.rstrip("/" + os.sep))
    if parent and not os.path.isdir(parent):
        raise SackgError(f"{parent}: output directory not found")
    try:
        os.mkdir(output)
    except OSError as exc:
        raise SackgError(f"{output}: cannot create ({exc.strerror})") from None
    return output


def _write(path: str, data: bytes | str) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise SackgError(f"{path}: cannot write ({exc.strerror})") from None


# ---------------------------------------------------------------- RDF
def rdf_graph(source: str | None = None) -> Graph:
    """The full graph (data, ontology, vocabularies) with stable IRIs for its blank nodes."""
    from kg.ingest import build, full_graph
    from kg.transaction import reading

    with reading(_source(source)):
        return skolemised(full_graph(build(Path(_source(source)))))


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
    from kg.resources import ontology_dir

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
    data = graph.serialize(format=_RDFLIB_FORMATS[fmt], encoding="utf-8")
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
    """JSON-LD with every array that is a set (all but @list) sorted: rdflib emits nodes in hash order."""
    if isinstance(value, dict):
        return {k: _ordered(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_ordered(v) for v in value]
        return items if key == "@list" else sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _rdf(fmt: str):
    def write(output: str, inputs: _Inputs) -> str:
        _write(_file(output), serialise(inputs.graph, fmt))
        return f"{output}: {len(inputs.graph):,} triples"

    return write


def _context_file(output: str, _inputs: _Inputs | None = None) -> str:
    from kg.resources import ontology_dir

    with open(os.path.join(ontology_dir(), CONTEXT), "rb") as handle:
        _write(_file(output), handle.read())
    return f"{output}: {len(context()):,} terms"


# ---------------------------------------------------------------- GraphML
def _scalar(value):
    """A GraphML attribute value: lists as '; '-joined text, None dropped (returned as None)."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if v is not None)
    if isinstance(value, (set, frozenset)):
        return "; ".join(sorted(str(v) for v in value if v is not None))
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def scalar_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of a networkx multigraph with scalar attributes only, nodes and edges in sorted order."""
    import networkx as nx

    def attrs(data: dict) -> dict:
        return {k: v for k, v in ((k, _scalar(v)) for k, v in sorted(data.items())) if v is not None}

    out = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        out.add_node(node, **attrs(graph.nodes[node]))
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        out.add_edge(source, target, key=key, **attrs(data))
    return out


def _graphml(output: str, inputs: _Inputs) -> str:
    import networkx as nx

    from kg.graph import build_graph

    _file(output)
    graph = scalar_graph(build_graph(inputs.kb))
    try:
        nx.write_graphml(graph, output)
    except OSError as exc:
        raise SackgError(f"{output}: cannot write ({exc.strerror})") from None
    return f"{output}: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges"


# ---------------------------------------------------------------- tables
def _natural(item: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", item)]


def _items(text: str | None) -> list[str]:
    """The items of a '; '-separated list, sorted (figure panels and sections in natural order)."""
    return sorted({v for v in (text or "").split("; ") if v}, key=_natural)


def _authors(text: str | None) -> list[str]:
    """Author names in order, from the template's 'position|name' items."""
    items = [v.partition("|") for v in (text or "").split("; ") if v]
    return [name for position, _, name in sorted(items, key=lambda item: int(item[0]))]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula: text starting with = + - @ tab or CR gets a
    leading apostrophe, as OWASP recommends; plain numbers such as -3.66 are left as they are."""
    if cell.startswith(_FORMULA_START) and not looks_like_number(cell):
        return "'" + cell
    return cell


def table_rows(kb, name: str) -> list[dict]:
    """Rows of an export_* template: lists as sorted Python lists, authors in order, values as text."""
    from kg.query import run, template

    spec = template(name)
    rows = []
    for row in run(kb, name)[1]:
        clean = {}
        for column in spec.columns:
            value = row.get(column)
            if column == "authors":
                clean[column] = _authors(value)
            elif column in spec.lists:
                clean[column] = _items(value)
            else:
                clean[column] = _cell(value)
        rows.append(clean)
    return rows


def _table(name: str, noun: str, header: tuple):
    """A writer of one CSV table from template `name`."""
    def write(path: str, inputs: _Inputs) -> str:
        from kg.query import template

        _file(path)
        rows = inputs.references if name == "export_references" else table_rows(inputs.kb, name)
        columns = template(name).columns
        try:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(header)
                for row in rows:
                    writer.writerow([spreadsheet_safe("; ".join(v) if isinstance(v, list) else v)
                                     for v in (row[c] for c in columns)])
        except OSError as exc:
            raise SackgError(f"{path}: cannot write ({exc.strerror})") from None
        return f"{path}: {len(rows):,} {noun}"

    return write


def _csv(output: str, inputs: _Inputs) -> str:
    directory = _directory(output)
    counts = [_table(*spec[1:])(os.path.join(directory, spec[0]), inputs).rsplit(": ", 1)[1] for spec in TABLES]
    return f"{output}: {', '.join(counts)}"


# ---------------------------------------------------------------- BibTeX
_LATEX = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
          "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bib_escape(text: str) -> str:
    """Text with LaTeX's special characters escaped (other Unicode is kept: BibTeX files are UTF-8). Braces
    become commands with balanced braces, since BibTeX counts braces whatever backslash comes before."""
    return "".join(_LATEX.get(c, c) for c in text)


def bib_name(name: str) -> str:
    """An author name; one that contains the word 'and' is braced, so BibTeX keeps it one name."""
    escaped = bib_escape(name)
    return f"{{{escaped}}}" if re.search(r"\band\b", name, re.IGNORECASE) else escaped


def bib_doi(doi: str) -> str:
    """A DOI for BibTeX's verbatim doi field: braces and backslashes, which could end the field or the
    entry, are percent-encoded, as in a DOI URL (doi.org resolves them)."""
    return "".join(f"%{ord(c):02X}" if c in "{}\\" else c for c in doi)


def bibtex_entry(ref: dict) -> str:
    """One @article entry; the title is brace-protected so that styles keep its capitals."""
    fields = [
        ("author", " and ".join(bib_name(a) for a in ref["authors"])),
        ("title", f"{{{bib_escape(ref['title'])}}}" if ref["title"] else ""),
        ("journal", bib_escape(ref["journal"])),
        ("year", bib_escape(ref["year"])),
        ("volume", bib_escape(ref["volume"])),
        ("number", bib_escape(ref["issue"])),
        ("pages", bib_escape(re.sub(r"\s*[–—-]+\s*", "--", ref["pages"]))),
        ("doi", bib_doi(ref["doi"])),  # a verbatim field: percent-encoded, not escaped
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@article{{{ref['id']},\n{body}\n}}\n"


def _bibtex(output: str, inputs: _Inputs) -> str:
    _file(output)
    refs = inputs.references
    _write(output, "\n".join(bibtex_entry(ref) for ref in refs))
    return f"{output}: {len(refs):,} entries"


# ---------------------------------------------------------------- RO-Crate
def _review(refs: list[dict]) -> dict:
    from kg.ingest import REVIEW_ID

    found = [ref for ref in refs if ref["id"] == REVIEW_ID]
    if not found:
        raise SackgError("the data has no review reference (id 'review'); an RO-Crate needs it to cite")
    return found[0]


def crate(directory: str, files: list[str], refs: list[dict]) -> dict:
    """RO-Crate 1.1 metadata for `files` (names inside `directory`), citing the review the data comes from."""
    from kg import __version__

    review = _review(refs)
    year = max((ref["year"] for ref in refs if ref["year"]), default=review["year"])
    lead = review["authors"][0] + (" et al." if len(review["authors"]) > 1 else "") if review["authors"] else ""
    cited = ", ".join(p for p in (lead, review["journal"], review["year"], review["volume"], review["pages"]) if p)
    review_id = f"https://doi.org/{review['doi']}" if review["doi"] else "#review"
    root = {
        "@id": "./", "@type": "Dataset",
        "name": "SAC-KG: single-atom catalysts for dendrite-free alkali-metal anodes",
        "description": ("A knowledge graph of single-atom catalyst (SAC) systems for Li, Na and K metal anodes: "
                        "their centre metals, supports and coordination, the mechanisms they are claimed to "
                        "promote, the values measured or computed for them, and where each fact comes from. "
                        f"Curated from the review {cited} and the {len(refs) - 1} references it cites."),
        "datePublished": year, "version": __version__,
        "license": {"@id": LICENSE}, "citation": {"@id": review_id},
        "hasPart": [{"@id": name} for name in files],
    }
    article = {"@id": review_id, "@type": "ScholarlyArticle", "name": cited, "datePublished": review["year"]}
    if review["doi"]:
        article["identifier"] = review_id
    entities = [
        {"@id": CRATE, "@type": "CreativeWork", "conformsTo": {"@id": "https://w3id.org/ro/crate/1.1"},
         "about": {"@id": "./"}},
        root,
        {"@id": LICENSE, "@type": "CreativeWork", "name": "Creative Commons Attribution 4.0 International",
         "identifier": "CC-BY-4.0"},
        article,
    ]
    for name in files:
        entity = {"@id": name, "@type": "File", "name": name,
                  "encodingFormat": MEDIA_TYPES.get(os.path.splitext(name)[1], "application/octet-stream"),
                  "contentSize": str(os.path.getsize(os.path.join(directory, name)))}
        if name in DESCRIPTIONS:
            entity["description"] = DESCRIPTIONS[name]
        entities.append(entity)
    return {"@context": "https://w3id.org/ro/crate/1.1/context", "@graph": entities}


def _write_crate(path: str, files: list[str], inputs: _Inputs) -> str:
    metadata = crate(os.path.dirname(path) or ".", files, inputs.references)
    _write(path, json.dumps(metadata, indent=2, ensure_ascii=False) + "\n")
    return f"{path}: {len(files):,} files described"


def _rocrate(output: str, inputs: _Inputs) -> str:
    """The metadata file of an RO-Crate for the files already in its directory (`output` may be the directory)."""
    path = os.path.join(output, CRATE) if os.path.isdir(output) else _file(output)
    if os.path.basename(path) != CRATE:
        raise SackgError(f"{output}: an RO-Crate's metadata file must be named {CRATE}")
    directory = os.path.dirname(path) or "."
    files = sorted(n for n in os.listdir(directory)
                   if n != CRATE and not n.startswith(".") and os.path.isfile(os.path.join(directory, n)))
    return _write_crate(path, files, inputs)


# ---------------------------------------------------------------- the rest
def _html(output: str, inputs: _Inputs) -> str:
    from kg.viz import write_graph

    _file(output)
    try:
        count = write_graph(inputs.kb, output)
    except OSError as exc:
        raise SackgError(f"{output}: cannot write ({exc.strerror})") from None
    return f"{output}: {count:,} entities"


def source_digest(source: str | None = None) -> str:
    """SHA-256 over the relative path, size and bytes of every data file, in kg.ingest's fixed order."""
    from kg.ingest import source_files

    root = Path(_source(source))
    digest = hashlib.sha256()
    for path in source_files(root):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _digest_file(output: str, inputs: _Inputs) -> str:
    digest = source_digest(inputs.source)
    _write(_file(output), digest + "\n")
    return f"{output}: sha256 {digest}"


_WRITERS = {**{fmt: _rdf(fmt) for fmt in _RDFLIB_FORMATS}, "graphml": _graphml, "csv": _csv, "bibtex": _bibtex,
            "rocrate": _rocrate, "html": _html}
SNAPSHOT = (("sackg.ttl", _WRITERS["turtle"]), ("sackg.jsonld", _WRITERS["jsonld"]), (CONTEXT, _context_file),
            ("sackg.graphml", _graphml), *((spec[0], _table(*spec[1:])) for spec in TABLES),
            ("references.bib", _bibtex), ("sackg-graph.html", _html), (DIGEST, _digest_file))


def export(fmt: str, output: str, source: str | None = None, kb=None) -> str:
    """Write the knowledge base to `output` in one format (for csv, `output` is a directory); returns a summary line."""
    if fmt not in _WRITERS:
        raise SackgError(f"unknown export format '{fmt}'; expected {', '.join(FORMATS)}")
    return _WRITERS[fmt](output, _Inputs(source, kb))


def export_all(directory: str, source: str | None = None, kb=None) -> list[str]:
    """Write the published snapshot (RDF, JSON-LD and its context, GraphML, CSV, BibTeX, the interactive graph,
    the source digest and an RO-Crate describing them) into `directory`; returns one summary line per file."""
    inputs = _Inputs(source, kb)
    _directory(directory)
    lines = [write(os.path.join(directory, name), inputs) for name, write in SNAPSHOT]
    lines.append(_write_crate(os.path.join(directory, CRATE), [name for name, _ in SNAPSHOT], inputs))
    return lines
