"""SHACL validation with a curator's report: one line per problem, naming the record and the field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, SH, SKOS

from kg.model.errors import SackgError
from kg.model.namespaces import BIBO, QUDT, SAC
from kg.model.resources import FewerCollections, ontology_dir
from kg.source.ingest import build, full_graph
from kg.source.schema import Built, Location, load_ontology
from kg.source.snapshot import Snapshot
from kg.source.whole_graph import take_out

# The YAML field a curator edits for each property the shapes check.
FIELD_OF = {
    SAC.value: "value", SAC.unit: "value", SAC.comparator: "value", SAC.quantityKind: "quantity",
    SAC.conditionKind: "conditions", SAC.onMaterial: "system", SAC.valueOrigin: "origin",
    PROV.wasDerivedFrom: "sources", SAC.aboutSystem: "system", SAC.mechanism: "mechanism",
    SAC.alkaliMetal: "metal", SAC.evidenceKind: "evidence", RDFS.label: "name",
    SAC.centreMetal: "centre_metals", SAC.support: "support", SAC.coordinationEnvironment: "coordination",
    SAC.reportedIn: "sources", SAC.supportKind: "support.kinds", BIBO.authorList: "authors",
    DCTERMS.isPartOf: "journal", DCTERMS.issued: "year", BIBO.doi: "doi", SKOS.note: "note",
}


@dataclass(frozen=True)
class Violation:
    where: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.record}: field '{self.field}': {self.message}"


def shapes_graph() -> Graph:
    return Graph().parse(Path(ontology_dir()) / "shapes.ttl", format="turtle")


def check(graph: Graph, locations: dict[URIRef, Location] | None = None, only: set | None = None) -> list[Violation]:
    """Validate a full graph (data plus ontology) and describe each result for a curator; with `only`, report
    just those nodes (the ones a change can have made wrong, kg.curate.papers), as `check_nodes` does."""
    from pyshacl import validate as shacl_validate

    shapes = shapes_graph()
    once = take_out(shapes)  # run once over the whole graph, not once per focus node (kg.source.whole_graph)
    report = Graph()
    if only is None or only:
        with FewerCollections():
            _conforms, report, _text = shacl_validate(
                graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    locations = locations or {}
    violations = set()
    for constraint in once:
        for focus, message in constraint.violations(graph, only):
            violations.add(_violation(graph, locations, focus, None, message))
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage) or "does not conform")
        if only is not None and focus not in only:
            continue  # a node not asked about (in check_nodes, one copied in for its types)
        violations.add(_violation(graph, locations, focus, path, message))
    return sorted(violations, key=lambda v: (v.where, v.record, v.field, v.message))


def check_nodes(built: Built, only: set) -> list[Violation]:
    """`check` of the nodes `only` alone, from the data without merging it into the full graph: what the
    shapes read of them (`_around`) beside the ontology and vocabularies."""
    return check(_around(built.graph, only), built.locations, only)


def _around(data: Graph, only: set) -> Graph:
    """The ontology and vocabularies, with what the shapes read of the nodes `only` in the data: their own
    triples and the types of what they point to. (pySHACL's own `focus_nodes` is not used: it also restricts
    the shapes nested in `sh:not`, which then report every author list as missing.)"""
    around = load_ontology()
    for node in only:
        for triple in data.triples((node, None, None)):
            around.add(triple)
            for typed in data.triples((triple[2], RDF.type, None)):
                around.add(typed)
    return around


def _violation(graph: Graph, locations: dict, focus, path, message: str) -> Violation:
    location = locations.get(focus)
    field = FIELD_OF.get(path, _short(path)) if path is not None else "value"
    if location is not None:
        where, record = f"{location.file}:{location.line_of(field)}", location.record
    else:
        where, record = "graph", _describe(graph, focus)
    # the unit's check (a SPARQL constraint, no path) also shows the value as the curator wrote it
    value, unit = (graph.value(focus, SAC.value), graph.value(focus, SAC.unit)) if path is None else (None, None)
    symbol = graph.value(unit, QUDT.symbol) if unit is not None else None
    if value is not None and symbol is not None:
        message = f"{message} (given: {value} {symbol})"
    return Violation(where, record, field, message)


def _short(iri) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _describe(graph: Graph, node) -> str:
    kind = graph.value(node, RDF.type)
    label = graph.value(node, RDFS.label)
    name = _short(kind).lower() if kind is not None else "node"
    return f"{name} <{node}>" + (f" ('{label}')" if label else "")


def validate_source(data_dir: Path, files: list[Path] | None = None) -> tuple[Snapshot, list[Violation]]:
    """Build from the YAML source (its own files, or `files`; SourceErrors on malformed records), then run
    the shapes."""
    built = build(data_dir, files)
    snapshot = Snapshot.of(built)
    return snapshot, check(full_graph(built), built.locations)


def conforming_graph(data_dir: Path) -> Graph:
    """The full graph built from the source (SourceErrors for malformed records), once it conforms to the
    shapes (SackgError naming every violation otherwise): what rdflib or a server is given."""
    return conforming(data_dir)[1]


def conforming(data_dir: Path) -> tuple[Snapshot, Graph]:
    """The data built from the source, and the full graph it makes with the ontology, once that conforms to
    the shapes: what a store is built from. The graph is built once and validated as it is."""
    built = build(data_dir)
    snapshot = Snapshot.of(built)
    graph = full_graph(built)
    violations = check(graph, built.locations)
    if violations:
        raise SackgError("the data does not conform to the shapes:\n" + "\n".join(map(str, violations)))
    return snapshot, graph


def validate_turtle(path: Path) -> list[Violation]:
    """Validate a Turtle (or N-Triples) file of SAC-KG data against the shapes, with the ontology mixed in."""
    from kg.model.text import escaped
    from kg.source.records import readable_file

    data = readable_file(path, str(path))
    graph = load_ontology()
    try:
        graph.parse(data=data, format="nt" if path.suffix == ".nt" else "turtle")
    except Exception as exc:  # rdflib's parsers raise many kinds; each is a malformed file
        reason = escaped(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)[:200]
        raise SackgError(f"{escaped(str(path))}: not valid {'N-Triples' if path.suffix == '.nt' else 'Turtle'}: "
                         f"{reason}") from None
    return check(graph)
