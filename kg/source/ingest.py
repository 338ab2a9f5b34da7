"""Turning the curated YAML files into the RDF graph of the knowledge base."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.model.namespaces import BIBO, ID, SAC
from kg.model.resources import FewerCollections
from kg.model.text import closest, did_you_mean, name_key
from kg.source.claims import ClaimBlocks
from kg.source.measurements import MeasurementBlocks
from kg.source.records import Problem, Record, load_yaml, wrong_shape
from kg.source.references import ReferenceBlocks
from kg.source.schema import TOP_LEVEL, Built, Location, SourceErrors, as_list, load_ontology, source_files
from kg.source.systems import SystemBlocks
from kg.source.vocab import LabelIndex, LookupError_, UnitTable


class _Converter(ReferenceBlocks, SystemBlocks, MeasurementBlocks, ClaimBlocks):
    """One pass over all files; problems are collected, never raised one at a time."""

    def __init__(self, data_dir: Path, ontology: Graph):
        self.data_dir = data_dir
        self.g = Graph()
        self.g.bind("sac", str(SAC._NS))
        self.g.bind("sacid", str(ID))
        self.g.bind("bibo", str(BIBO))
        self.g.bind("prov", str(PROV))
        self.g.bind("dcterms", str(DCTERMS))
        self.g.bind("skos", str(SKOS))
        self.index = LabelIndex.from_graph(ontology)
        self.units = UnitTable(ontology)
        self.ontology = ontology
        self.problems: list[Problem] = []
        self.locations: dict[URIRef, Location] = {}
        self.references: dict[str, URIRef] = {}
        self.sections: set[str] = set()
        self.figures: set[str] = set()
        self.condition_keys = {
            str(key): kind for kind in ontology.subjects(RDF.type, SAC.ConditionKind)
            for key in ontology.objects(kind, SAC.conditionKey)
        }
        self._ids: dict[str, int] = {}
        self._folded_ids: dict[str, tuple[str, str]] = {}
        self._looks: dict[str, tuple[str, str]] = {}  # skeleton of a system or material name -> (name, where)
        self._refused: set[str] = set()  # name keys of a record refused for its name: no follow-on errors
        # records resolved once every file has been read (they may name things declared later)
        self._pending_figures: list = []
        self._pending_refs: list = []
        self._pending_concerns: list = []

    # ------------------------------------------------------------ helpers
    def problem(self, file: str, rec: Record | None, what: str, fld: str | None, message: str) -> None:
        line = rec.line_of(fld) if (rec is not None and fld) else (rec.line if rec is not None else None)
        self.problems.append(Problem(file, line, what, fld, message))

    def unique(self, base: URIRef) -> URIRef:
        count = self._ids.get(str(base), 0) + 1
        self._ids[str(base)] = count
        return base if count == 1 else URIRef(f"{base}-{count}")

    def lookup(self, file, rec, what, fld, name, types, kind) -> URIRef | None:
        try:
            return self.index.find(name, types, kind)
        except LookupError_ as exc:
            if name_key(str(name)) not in self._refused:  # a name refused where declared: reported there
                self.problem(file, rec, what, fld, str(exc))
            return None

    def check_fields(self, file, rec, what, allowed: set, required: Iterable[str]) -> bool:
        ok = True
        misshapen = []
        for key in rec:
            if key not in allowed:
                hint = did_you_mean(closest(str(key), {name_key(a): a for a in allowed}, limit=1))
                self.problem(file, rec, what, str(key), f"unknown field{hint}")
                ok = False
            else:
                wrong = wrong_shape(key, rec[key])
                if wrong:
                    self.problem(file, rec, what, str(key), wrong)
                    misshapen.append(key)
                    ok = False
        for key in misshapen:
            rec[key] = None  # reported once here; read as absent from now on, so nothing follows from it
        for key in required:
            if key in misshapen:
                continue
            if rec.get(key) in (None, "", []):
                self.problem(file, rec, what, key, "required field is missing")
                ok = False
        return ok

    def text(self, subject, predicate, value, lang=None) -> None:
        if value not in (None, ""):
            self.g.add((subject, predicate, Literal(str(value).strip(), lang=lang)))

    def provenance(self, file, rec, what, subject, default_ref: URIRef | None) -> None:
        sources = as_list(rec.get("sources"))
        refs = []
        for key in sources:
            ref = self.references.get(str(key))
            if ref is None:
                self.problem(file, rec, what, "sources", f"unknown reference '{key}'{self._suggest_ref(key)}")
            else:
                refs.append(ref)
        if not sources and default_ref is not None:
            refs.append(default_ref)
        for ref in refs:
            self.g.add((subject, PROV.wasDerivedFrom, ref))
        section = rec.get("section")
        if section not in (None, ""):
            self.g.add((subject, SAC.statedInSection, self.section_iri(file, rec, what, str(section))))
        for fig in as_list(rec.get("figures")):
            panel = self.panel_iri(file, rec, what, str(fig))
            if panel is not None:
                self.g.add((subject, SAC.shownInFigure, panel))
        self.text(subject, SKOS.note, rec.get("note"), "en")
        self.text(subject, SAC.doubt, rec.get("doubt"), "en")

    def _suggest_ref(self, key) -> str:
        return did_you_mean(closest(str(key), {name_key(k): k for k in self.references}, limit=1, plain=True))

    def section_iri(self, file, rec, what, number: str) -> URIRef:
        if self.sections and number not in self.sections:
            self.problem(file, rec, what, "section", f"unknown review section '{number}'")
        return ID[f"section/{number}"]

    def panel_iri(self, file, rec, what, text: str) -> URIRef | None:
        match = re.fullmatch(r"(\d+)([A-Z]?)", text.strip())
        if not match:
            self.problem(file, rec, what, "figures", f"'{text}' is not a figure panel such as '3E' or '8'")
            return None
        number, panel = match.groups()
        if self.figures and number not in self.figures:
            self.problem(file, rec, what, "figures", f"unknown review figure '{number}'")
        figure = ID[f"figure/{number}"]
        if not panel:
            return figure
        node = ID[f"figure/{number}{panel}"]
        self.g.add((node, RDF.type, SAC.FigurePanel))
        self.g.add((node, RDFS.label, Literal(f"Fig. {number}{panel}")))
        self.g.add((node, SAC.panel, Literal(panel)))
        self.g.add((node, DCTERMS.isPartOf, figure))
        return node

    def quantity(self, file, rec, what, fld, text, kind=None):
        """The value `text` writes, checked against the plausible range the vocabulary gives `kind`."""
        try:
            q = self.units.parse(text)
        except ValueError as exc:
            self.problem(file, rec, what, fld, str(exc))
            return None
        outside = self.units.outside_bounds(q, kind) if kind is not None else None
        if outside:
            self.problem(file, rec, what, fld, outside)
            return None
        return q

    def add_value(self, node, q) -> None:
        self.g.add((node, SAC.value, Literal(q.value, datatype=XSD.decimal)))
        self.g.add((node, SAC.unit, q.unit))
        if q.comparator is not None:
            self.g.add((node, SAC.comparator, q.comparator))

    # ------------------------------------------------------------ files
    def run(self, files: list[Path]) -> None:
        loaded = []
        for path in files:
            shown = self.shown(path)
            content, problem = load_yaml(path, shown)
            if problem:
                self.problems.append(problem)
                continue
            for key in content:
                if key not in TOP_LEVEL:
                    self.problem(shown, content, "", str(key), f"unknown block; expected one of {', '.join(TOP_LEVEL)}")
            loaded.append((shown, content))
        if self.problems:
            return  # unreadable files first: their records would only cause follow-on errors
        # declarations first, so that records may refer to things in any file
        for shown, content in loaded:
            self.declare_structure(shown, content)
        for shown, content in loaded:
            self.declare_reference(shown, content)
        for shown, content in loaded:  # file by file, so a clash of names is reported in the later file
            for rec in self.records(shown, content, "materials"):
                self.declare_material(shown, rec)
            for rec in self.records(shown, content, "systems"):
                self.declare_system(shown, rec)
        for shown, content in loaded:
            ref = self.references.get(self.ref_key(content))
            for rec in self.records(shown, content, "systems"):
                self.system(shown, rec, ref)
            for rec in self.records(shown, content, "groups"):
                self.group(shown, rec, ref)
            for rec in self.records(shown, content, "measurements"):
                self.measurement(shown, rec, ref)
            for rec in self.records(shown, content, "claims"):
                self.claim(shown, rec, ref)
            for i, rec in enumerate(self.records(shown, content, "findings"), 1):
                self.finding(shown, rec, ref, i)
            for kind, cls in (("challenges", SAC.Challenge), ("prospects", SAC.Prospect),
                              ("sustainability", SAC.SustainabilityConsideration)):
                for rec in self.records(shown, content, kind):
                    self.topic(shown, rec, ref, kind, cls)
        for shown, content in loaded:
            for rec in self.records(shown, content, "ambiguous_names"):
                self.ambiguous_name(shown, rec)
        self.review_links()
        self.claim_texts()

    def shown(self, path: Path) -> str:
        return shown_name(self.data_dir, path)

    def records(self, file, content: Record, block: str) -> list[Record]:
        value = content.get(block)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(file, content, "", block, "expected a list of records")
            return []
        good = []
        for i, rec in enumerate(value, 1):
            if isinstance(rec, Record):
                good.append(rec)
            else:
                self.problems.append(Problem(file, content.line_of(block), f"{block[:-1]} {i}", None,
                                             "expected a mapping of fields"))
        return good

    @staticmethod
    def ref_key(content: Record) -> str | None:
        ref = content.get("reference")
        return str(ref.get("id")) if isinstance(ref, Record) and ref.get("id") is not None else None

    # ------------------------------------------------------------ review structure


def shown_name(data_dir: Path, path: Path) -> str:
    """How records of the file `path` name it: data/… inside the data directory, else as given."""
    try:
        return str(Path("data") / path.relative_to(data_dir))
    except ValueError:
        return str(path)


def build(data_dir: Path, files: list[Path] | None = None) -> Built:
    """Convert the source files into one graph (data only, without the ontology)."""
    ontology = load_ontology()
    converter = _Converter(data_dir, ontology)
    all_files = source_files(data_dir) if files is None else files
    if not all_files:
        raise SourceErrors([Problem(str(data_dir), None, "", None, "no data files found (expected review.yaml or papers/*.yaml)")])
    if not (data_dir / "review.yaml").is_file() and any(f.parent.name == "papers" for f in all_files):
        raise SourceErrors([Problem(str(data_dir / "review.yaml"), None, "", None,
                                    "missing: the papers cite the review, whose file this is")])
    with FewerCollections():
        converter.run(all_files)
        converter.resolve_concerns()
    if converter.problems:
        raise SourceErrors(converter.problems)
    return Built(converter.g, converter.locations)


def full_graph(built: Built) -> Graph:
    """The data together with the ontology and vocabularies: what the store holds. The data's graph becomes
    that graph (faster than copying it), so `built` holds more than the data afterwards."""
    graph = built.graph
    ontology = load_ontology()
    for triple in ontology:
        graph.add(triple)
    for prefix, namespace in ontology.namespaces():
        graph.bind(prefix, namespace, override=False)
    return graph
