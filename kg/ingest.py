"""Turning the curated YAML files into the RDF graph of the knowledge base."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS

from kg.errors import SackgError
from kg.namespaces import BIBO, ID, QUDT, SAC
from kg.resources import ontology_dir
from kg.source import Problem, Record, load_yaml, wrong_shape
from kg.text import closest, did_you_mean, name_key, shown, skeleton
from kg.vocab import LabelIndex, LookupError_, UnitTable

REVIEW_ID = "review"
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S{1,300}$")
REFERENCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def id_fold(key: str) -> str:
    """Reference ids that fold to one key would share a paper file (or differ only by case or punctuation)."""
    return re.sub(r"[._-]", "", str(key).lower())

TOP_LEVEL = ("reference", "materials", "systems", "groups", "measurements", "claims", "findings",
             "sections", "figures", "challenges", "prospects", "sustainability", "ambiguous_names")
REFERENCE_FIELDS = {"id", "review_number", "authors", "title", "journal", "year", "volume", "issue",
                    "pages", "doi", "cited_in_sections", "reproduced_in_figures", "cited_for", "doubt", "note",
                    "received", "accepted", "corresponding_authors", "affiliations", "acknowledgements",
                    "biographies"}
MATERIAL_FIELDS = {"name", "synonyms", "kinds", "note", "doubt"}
SYSTEM_FIELDS = {"name", "synonyms", "centre_metals", "support", "coordination", "alkali_metals", "roles",
                 "synthesis", "techniques", "inferred_techniques", "section", "figures", "note", "doubt", "sources"}
MEASUREMENT_FIELDS = {"system", "material", "quantity", "value", "origin", "method", "metal", "cell",
                      "conditions", "baselines", "section", "figures", "note", "doubt", "sources"}
BASELINE_FIELDS = {"material", "system", "value", "note", "doubt", "conditions"}
CLAIM_FIELDS = {"system", "mechanism", "metal", "effect", "evidence", "inferred", "inferred_evidence", "conditions",
                "compared_with", "section", "figures", "note", "doubt", "sources"}
FINDING_FIELDS = {"system", "material", "statement", "metal", "evidence", "inferred", "inferred_evidence",
                  "conditions", "compared_with", "concerns", "section", "figures", "note", "doubt", "sources"}
TOPIC_FIELDS = {"id", "name", "synonyms", "note", "concerns", "section", "figures", "sources", "doubt", "conditions"}
GROUP_FIELDS = {"name", "synonyms", "members", "section", "figures", "note", "doubt", "sources"}
AMBIGUOUS_FIELDS = {"name", "candidates", "note"}
SUPPORT_FIELDS = ("name", "synonyms", "kinds", "note")
SECTION_FIELDS = {"id", "title", "note", "doubt"}
FIGURE_FIELDS = {"id", "section", "summary", "panels", "sources", "doubt"}

CONCERN_TYPES = (SAC.Mechanism, SAC.AlkaliMetal, SAC.ChemicalElement, SAC.SynthesisMethod, SAC.Technique,
                 SAC.QuantityKind, SAC.SupportKind, SAC.CoordinationEnvironment,
                 SAC.CellConfiguration, SAC.Role, SAC.EvidenceKind, SAC.SACSystem, SAC.ControlMaterial,
                 SAC.Challenge)


class SourceErrors(SackgError):
    """The source data has problems; each is one line."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(dict.fromkeys(problems))  # a record read twice reports its problem once
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    record: str


@dataclass
class Built:
    graph: Graph
    locations: dict[URIRef, Location] = field(default_factory=dict)


UNQUANTIFIED = "no value given"


def slug(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9.]+", "-", str(text)).strip("-")
    return cleaned or "x"


def load_ontology() -> Graph:
    graph = Graph()
    for name in ("sackg.ttl", "vocabulary.ttl"):
        graph.parse(Path(ontology_dir()) / name, format="turtle")
    return graph


def source_files(data_dir: Path) -> list[Path]:
    """The files that make up the knowledge base, in a fixed order."""
    files = [data_dir / "review.yaml", data_dir / "materials.yaml"]
    files += sorted((data_dir / "papers").glob("*.yaml"))
    return [f for f in files if f.exists()]


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class _Converter:
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
        try:
            return str(Path("data") / path.relative_to(self.data_dir))
        except ValueError:
            return str(path)

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
    def declare_structure(self, file, content: Record) -> None:
        for rec in self.records(file, content, "sections"):
            what = f"section '{rec.get('id')}'"
            if not self.check_fields(file, rec, what, SECTION_FIELDS, ("id", "title")):
                continue
            number = str(rec["id"])
            node = ID[f"section/{number}"]
            self.sections.add(number)
            self.g.add((node, RDF.type, SAC.ReviewSection))
            self.g.add((node, SAC.sectionNumber, Literal(number)))
            self.g.add((node, RDFS.label, Literal(f"Section {number}: {rec['title']}")))
            self.g.add((node, DCTERMS.title, Literal(str(rec["title"]))))
            parent = number.rsplit(".", 1)[0] if "." in number else None
            self.g.add((node, DCTERMS.isPartOf, ID[f"section/{parent}"] if parent else ID[f"reference/{REVIEW_ID}"]))
            self.text(node, SKOS.note, rec.get("note"), "en")
            self.text(node, SAC.doubt, rec.get("doubt"), "en")
            self.locations[node] = Location(file, rec.line, what)
        for rec in self.records(file, content, "figures"):
            what = f"figure '{rec.get('id')}'"
            if not self.check_fields(file, rec, what, FIGURE_FIELDS, ("id", "section", "summary")):
                continue
            self.figures.add(str(rec["id"]))
            self._pending_figures.append((file, rec, what))

    def figure(self, file, rec, what) -> None:
        number = str(rec["id"])
        node = ID[f"figure/{number}"]
        self.g.add((node, RDF.type, SAC.Figure))
        self.g.add((node, SAC.figureNumber, Literal(number)))
        self.g.add((node, RDFS.label, Literal(f"Fig. {number}")))
        self.text(node, SKOS.note, rec.get("summary"), "en")
        self.text(node, SAC.doubt, rec.get("doubt"), "en")
        self.g.add((node, SAC.inSection, self.section_iri(file, rec, what, str(rec["section"]))))
        panels = rec.get("panels") or {}
        if not isinstance(panels, dict):
            self.problem(file, rec, what, "panels", "expected a mapping of panel letter to summary")
            panels = {}
        for letter, summary in panels.items():
            panel = self.panel_iri(file, rec, what, f"{number}{letter}")
            if panel is not None:
                self.text(panel, SKOS.note, summary, "en")
        for key in as_list(rec.get("sources")):
            ref = self.references.get(str(key))
            if ref is None:
                self.problem(file, rec, what, "sources", f"unknown reference '{key}'{self._suggest_ref(key)}")
            else:
                self.g.add((node, PROV.wasDerivedFrom, ref))
        self.locations[node] = Location(file, rec.line, what)

    # ------------------------------------------------------------ references
    def declare_reference(self, file, content: Record) -> None:
        rec = content.get("reference")
        if rec is None and not any(content.get(b) for b in ("systems", "measurements", "claims")):
            return  # a file of shared materials only
        if not isinstance(rec, Record):
            self.problem(file, content, "", "reference", "every file with systems, measurements or claims needs a 'reference' block")
            return
        key = rec.get("id")
        what = f"reference '{key}'"
        if not self.check_fields(file, rec, what, REFERENCE_FIELDS, ("id", "authors", "journal", "year")):
            if key is None:
                return
        key = str(key)
        if not REFERENCE_ID.match(key):
            self.problem(file, rec, what, "id", "use letters, digits, '.', '_' and '-' only (at most 100, "
                         "starting with a letter or digit)")
            return
        if key in self.references:
            self.problem(file, rec, what, "id", "duplicate reference id")
            return
        twin = self._folded_ids.get(id_fold(key))
        if twin is not None:
            self.problem(file, rec, what, "id", f"too close to reference id '{twin[0]}' in {twin[1]}: "
                         "ids must differ in more than case or punctuation")
            return
        self._folded_ids[id_fold(key)] = (key, file)
        node = ID[f"reference/{key}"]
        self.references[key] = node
        self.locations[node] = Location(file, rec.line, what)
        g = self.g
        g.add((node, RDF.type, BIBO.AcademicArticle))
        if key == REVIEW_ID:
            g.add((node, RDF.type, SAC.Review))
        g.add((node, SAC.sourceKey, Literal(key)))
        g.add((node, SKOS.altLabel, Literal(key)))
        authors = as_list(rec.get("authors"))
        people = {}
        if authors:
            listed = []
            for name in authors:
                person = BNode()
                g.add((person, RDF.type, FOAF.Person))
                g.add((person, FOAF.name, Literal(str(name))))
                listed.append(person)
                people.setdefault(str(name), person)
            head = BNode()
            Collection(g, head, listed)
            g.add((node, BIBO.authorList, head))
        self.front_matter(file, rec, what, node, people)
        journal = rec.get("journal")
        if journal:
            jnode = ID[f"journal/{slug(journal)}"]
            g.add((jnode, RDF.type, BIBO.Journal))
            g.add((jnode, DCTERMS.title, Literal(str(journal))))
            g.add((jnode, RDFS.label, Literal(str(journal))))
            g.add((node, DCTERMS.isPartOf, jnode))
        year = rec.get("year")
        if year is not None:
            if isinstance(year, int) and 1800 <= year <= 2100:
                g.add((node, DCTERMS.issued, Literal(str(year), datatype=XSD.gYear)))
            else:
                self.problem(file, rec, what, "year", f"'{year}' is not a year")
        self.text(node, BIBO.volume, rec.get("volume"))
        self.text(node, BIBO.issue, rec.get("issue"))
        self.text(node, BIBO.pages, rec.get("pages"))
        self.text(node, DCTERMS.title, rec.get("title"))
        doi = rec.get("doi")
        if doi not in (None, ""):
            if DOI_PATTERN.match(str(doi)):
                g.add((node, BIBO.doi, Literal(str(doi))))
            else:
                self.problem(file, rec, what, "doi", f"{shown(doi)} is not a DOI (expected 10.NNNN/suffix)")
        number = rec.get("review_number")
        if number is not None:
            if isinstance(number, int) and number > 0:
                g.add((node, SAC.reviewNumber, Literal(number)))
                for alias in (f"ref. {number}", f"ref {number}", f"reference {number}"):
                    g.add((node, SKOS.altLabel, Literal(alias)))
                g.add((ID[f"reference/{REVIEW_ID}"], BIBO.cites, node))
            else:
                self.problem(file, rec, what, "review_number", f"'{number}' is not a positive whole number")
        self.text(node, SAC.citedFor, rec.get("cited_for"), "en")
        self.text(node, SKOS.note, rec.get("note"), "en")
        self.text(node, SAC.doubt, rec.get("doubt"), "en")
        g.add((node, RDFS.label, Literal(self.citation(rec))))
        g.add((node, DCTERMS.bibliographicCitation, Literal(self.citation(rec, full=True))))
        self._pending_refs.append((file, rec, what, node))

    def front_matter(self, file, rec: Record, what: str, node: URIRef, people: dict) -> None:
        """Dates, corresponding authors, affiliations, acknowledgements and the authors' biographies, as the
        first and last pages of a paper give them."""
        g = self.g
        for field_, predicate in (("received", DCTERMS.dateSubmitted), ("accepted", DCTERMS.dateAccepted)):
            value = rec.get(field_)
            if value is None:
                continue
            if isinstance(value, date):
                g.add((node, predicate, Literal(value.isoformat(), datatype=XSD.date)))
            else:
                self.problem(file, rec, what, field_, f"'{value}' is not a date (expected YYYY-MM-DD)")

        def person(name, where, label, fld):
            found = people.get(str(name))
            if found is None:
                self.problem(file, where, label, fld, f"'{name}' is not one of the authors")
            return found

        for name in as_list(rec.get("corresponding_authors")):
            found = person(name, rec, what, "corresponding_authors")
            if found is not None:
                g.add((node, SAC.correspondingAuthor, found))
        blocks = {"affiliations": ("affiliation", ("name", "authors")),  # block: (one item, (required, optional))
                  "acknowledgements": ("acknowledgement", ("name", "for", "grants")),
                  "biographies": ("biography", ("name", "note"))}
        for block, (one, fields) in blocks.items():
            items = rec.get(block)
            if items is None:
                continue
            if not isinstance(items, list) or not all(isinstance(i, Record) for i in items):
                self.problem(file, rec, what, block, "expected a list of mappings")
                continue
            for item in items:
                label = f"{what}: {one}"
                if not self.check_fields(file, item, label, set(fields), fields[:2]):
                    continue
                target = self.unique(ID[f"{one}/{slug(item['name'])}"])
                g.add((target, RDFS.label, Literal(str(item["name"]).strip())))
                g.add((target, PROV.wasDerivedFrom, node))
                if block == "biographies":
                    found = person(item["name"], item, label, "name")
                    g.add((target, RDF.type, SAC.AuthorBiography))
                    self.text(target, SKOS.note, item["note"], "en")
                    if found is not None:
                        g.add((target, SAC.aboutAuthor, found))
                elif block == "affiliations":
                    g.add((target, RDF.type, FOAF.Organization))
                    for name in as_list(item["authors"]):
                        found = person(name, item, label, "authors")
                        if found is not None:
                            g.add((found, SAC.affiliation, target))
                else:
                    g.add((target, RDF.type, SAC.Acknowledgement))
                    g.add((node, SAC.acknowledges, target))
                    self.text(target, SAC.acknowledgedFor, item["for"], "en")
                    for grant in as_list(item.get("grants")):
                        g.add((target, SAC.grantNumber, Literal(str(grant))))

    @staticmethod
    def citation(rec: Record, full: bool = False) -> str:
        authors = [str(a) for a in as_list(rec.get("authors"))]
        first = authors[0] if authors else "Anon."
        lead = first if len(authors) == 1 else (f"{first} and {authors[1]}" if len(authors) == 2 else f"{first} et al.")
        parts = [lead, str(rec.get("journal", "")), str(rec.get("year", ""))]
        if full:
            parts += [str(rec[k]) for k in ("volume", "pages") if rec.get(k)]
        text = ", ".join(p for p in parts if p)
        number = rec.get("review_number")
        return f"{text} [ref. {number}]" if number else text

    def claim_texts(self) -> None:
        """Write who a claim or finding is about, its effect and its evidence as text, each marked where the
        curator inferred it, so that every answer listing them shows the mark without assembling it."""
        g, mark = self.g, " (inferred)"
        for cls in (SAC.Claim, SAC.Finding):
            for node in list(g.subjects(RDF.type, cls)):
                inferred = (node, SAC.inferred, Literal(True)) in g
                subject = g.value(node, SAC.aboutSystem) or g.value(node, SAC.aboutMaterial)
                g.set((node, SAC.subjectText, Literal(f"{g.value(subject, RDFS.label)}{mark if inferred else ''}")))
                effect = g.value(node, SAC.effect)
                if effect is not None:
                    g.set((node, SAC.effectText,
                           Literal(f"{self.ontology.value(effect, SKOS.prefLabel)}{mark if inferred else ''}")))
                marked = set(g.objects(node, SAC.inferredTechnique))
                evidence = sorted(f"{self.ontology.value(t, SKOS.prefLabel)}{mark if t in marked else ''}"
                                  for t in g.objects(node, SAC.evidenceTechnique))
                if evidence:
                    g.set((node, SAC.evidenceText, Literal(", ".join(evidence))))
                self.texts(node)

    def review_links(self) -> None:
        for file, rec, what, node in self._pending_refs:
            for number in as_list(rec.get("cited_in_sections")):
                self.g.add((node, SAC.citedInSection, self.section_iri(file, rec, what, str(number))))
            for number in as_list(rec.get("reproduced_in_figures")):
                fig = self.panel_iri(file, rec, what, str(number))
                if fig is not None:
                    self.g.add((node, SAC.reproducedInFigure, fig))
        for file, rec, what in self._pending_figures:
            self.figure(file, rec, what)

    # ------------------------------------------------------------ materials and systems
    def declare_material(self, file, rec: Record) -> None:
        what = f"material '{rec.get('name')}'" if rec.get("name") not in (None, "") else "material (no name)"
        if not self.check_fields(file, rec, what, MATERIAL_FIELDS, ("name",)):
            return
        node = self.unique(ID[f"material/{slug(rec['name'])}"])
        if self._taken(file, rec, what, rec["name"], as_list(rec.get("synonyms"))):
            return
        self.index.add(node, str(rec["name"]), {SAC.ControlMaterial, SAC.Material}, [str(s) for s in as_list(rec.get("synonyms"))])
        self.g.add((node, RDF.type, SAC.ControlMaterial))
        self.g.add((node, RDFS.label, Literal(str(rec["name"]))))
        for synonym in as_list(rec.get("synonyms")):
            self.g.add((node, SKOS.altLabel, Literal(str(synonym))))
        for kind in as_list(rec.get("kinds")):
            iri = self.lookup(file, rec, what, "kinds", kind, (SAC.SupportKind,), "support kind")
            if iri is not None:
                self.g.add((node, SAC.supportKind, iri))
        self.text(node, SKOS.note, rec.get("note"), "en")
        self.text(node, SAC.doubt, rec.get("doubt"), "en")
        self.locations[node] = Location(file, rec.line, what)

    def _taken(self, file, rec, what, name, synonyms) -> bool:
        for text in (name, *synonyms):
            matches = self.index.exact(str(text), (SAC.SACSystem, SAC.ControlMaterial, SAC.SystemGroup))
            if not matches:
                continue
            found = matches[0].iri
            other = self.locations.get(found, Location("the vocabulary", 0, str(found)))
            at = f"{other.file}:{other.line}" if other.line else other.file
            self.problem(file, rec, what, "name" if text == name else "synonyms",
                         f"'{text}' already names {other.record} ({at})")
            self._refused.update(name_key(str(t)) for t in (name, *synonyms))
            return True
        for text in (name, *synonyms):
            twin = self._looks.get(skeleton(str(text)))
            if twin is not None and name_key(twin[0]) != name_key(str(text)):
                self.problem(file, rec, what, "name" if text == name else "synonyms",
                             f"{shown(text)} looks the same as {shown(twin[0])} ({twin[1]}) but is spelt with other "
                             "characters; use that name, or one that differs visibly")
                self._refused.update(name_key(str(t)) for t in (name, *synonyms))
                return True
        for text in (name, *synonyms):
            self._looks.setdefault(skeleton(str(text)), (str(text), f"{file}:{rec.line_of('name')}"))
        return False

    def declare_system(self, file, rec: Record) -> None:
        name = rec.get("name")
        what = f"system '{name}'" if name not in (None, "") else "system (no name)"
        if name in (None, ""):
            self.problem(file, rec, what, "name", "required field is missing")
            return
        synonyms = [str(s) for s in as_list(rec.get("synonyms"))]
        if self._taken(file, rec, what, str(name), synonyms):
            rec["_skip"] = True
            return
        node = ID[f"system/{slug(name)}"]
        if node in self.locations:
            node = self.unique(node)
        self.index.add(node, str(name), {SAC.SACSystem, SAC.Material}, synonyms)
        self.locations[node] = Location(file, rec.line, what)
        rec["_iri"] = node

    def system(self, file, rec: Record, ref) -> None:
        if rec.get("_skip") or "_iri" not in rec:
            return
        node = rec.pop("_iri")
        what = f"system '{rec['name']}'"
        self.check_fields(file, rec, what, SYSTEM_FIELDS,
                          ("name", "centre_metals", "support", "coordination"))
        g = self.g
        g.add((node, RDF.type, SAC.SACSystem))
        g.add((node, RDFS.label, Literal(str(rec["name"]))))
        for synonym in as_list(rec.get("synonyms")):
            g.add((node, SKOS.altLabel, Literal(str(synonym))))
        for metal in as_list(rec.get("centre_metals")):
            iri = self.lookup(file, rec, what, "centre_metals", metal, (SAC.ChemicalElement,), "element")
            if iri is not None:
                g.add((node, SAC.centreMetal, iri))
        support = rec.get("support")
        if isinstance(support, Record):
            snode = ID[f"support/{slug(rec['name'])}"]
            g.add((node, SAC.support, snode))
            g.add((snode, RDF.type, SAC.Support))
            if support.get("name") in (None, ""):
                self.problem(file, support, what, "support.name", "required field is missing")
            else:
                g.add((snode, RDFS.label, Literal(str(support["name"]))))
            if not as_list(support.get("kinds")):
                self.problem(file, support, what, "support.kinds", "required field is missing")
            for kind in as_list(support.get("kinds")):
                iri = self.lookup(file, support, what, "support.kinds", kind, (SAC.SupportKind,), "support kind")
                if iri is not None:
                    g.add((snode, SAC.supportKind, iri))
            for synonym in as_list(support.get("synonyms")):
                g.add((snode, SKOS.altLabel, Literal(str(synonym))))
            self.text(snode, SKOS.note, support.get("note"), "en")
            for key in support:
                if key not in SUPPORT_FIELDS:
                    self.problem(file, support, what, f"support.{key}",
                                 f"unknown field; use {', '.join(repr(k) for k in SUPPORT_FIELDS)}")
        elif support is not None:
            self.problem(file, rec, what, "support", "expected a mapping with 'name' and 'kinds'")
        if rec.get("coordination"):
            iri = self.lookup(file, rec, what, "coordination", rec["coordination"],
                              (SAC.CoordinationEnvironment,), "coordination environment")
            if iri is not None:
                g.add((node, SAC.coordinationEnvironment, iri))
        for metal in as_list(rec.get("alkali_metals")):
            iri = self.lookup(file, rec, what, "alkali_metals", metal, (SAC.AlkaliMetal,), "alkali metal")
            if iri is not None:
                g.add((node, SAC.targetMetal, iri))
                g.add((node, SAC.appliedTo, ID[f"anode/{self.ontology.value(iri, SAC.symbol)}"]))
        for fld, predicate, cls, kind in (("roles", SAC.role, SAC.Role, "role"),
                                          ("synthesis", SAC.synthesisMethod, SAC.SynthesisMethod, "synthesis method"),
                                          ("techniques", SAC.characterizedBy, SAC.Technique, "technique")):
            for name in as_list(rec.get(fld)):
                iri = self.lookup(file, rec, what, fld, name, (cls,), kind)
                if iri is not None:
                    g.add((node, predicate, iri))
        self.inferred_techniques(file, rec, what, node, "inferred_techniques", "techniques")
        if ref is not None and not rec.get("sources"):
            g.add((node, SAC.reportedIn, ref))
        for key in as_list(rec.get("sources")):
            if key in self.references:
                g.add((node, SAC.reportedIn, self.references[key]))
        rec_copy = Record(rec)
        rec_copy.line, rec_copy.key_lines = rec.line, rec.key_lines
        rec_copy.pop("sources", None)
        self.provenance(file, rec_copy, what, node, None)

    def group(self, file, rec: Record, ref) -> None:
        """A set of systems that the review names as one (SAM@NG: the single atoms screened on N-doped graphene)."""
        what = f"group '{rec.get('name')}'"
        if not self.check_fields(file, rec, what, GROUP_FIELDS, ("name", "members")):
            return
        synonyms = [str(s) for s in as_list(rec.get("synonyms"))]
        if self._taken(file, rec, what, str(rec["name"]), synonyms):
            return
        node = self.unique(ID[f"group/{str(ref).rsplit('/', 1)[-1] if ref else 'x'}/{slug(rec['name'])}"])
        self.locations[node] = Location(file, rec.line, what)
        self.index.add(node, str(rec["name"]), {SAC.SystemGroup}, synonyms)
        g = self.g
        g.add((node, RDF.type, SAC.SystemGroup))
        g.add((node, RDFS.label, Literal(str(rec["name"]))))
        for synonym in synonyms:
            g.add((node, SKOS.altLabel, Literal(synonym)))
        for name in as_list(rec.get("members")):
            member = self.lookup(file, rec, what, "members", name, (SAC.SACSystem,), "system")
            if member is not None:
                g.add((node, SAC.hasMember, member))
        self.provenance(file, rec, what, node, ref)

    def ambiguous_name(self, file, rec: Record) -> None:
        """A name the review uses for several entities: looking it up lists them instead of choosing one."""
        what = f"ambiguous name '{rec.get('name')}'"
        if not self.check_fields(file, rec, what, AMBIGUOUS_FIELDS, ("name", "candidates")):
            return
        node = self.unique(ID[f"name/{slug(rec['name'])}"])
        self.locations[node] = Location(file, rec.line, what)
        self.index.add(node, str(rec["name"]), {SAC.AmbiguousName})
        g = self.g
        g.add((node, RDF.type, SAC.AmbiguousName))
        g.add((node, RDFS.label, Literal(str(rec["name"]))))
        candidates = [self.lookup(file, rec, what, "candidates", name, (*CONCERN_TYPES, SAC.SystemGroup), "term")
                      for name in as_list(rec.get("candidates"))]
        if len([c for c in candidates if c is not None]) < 2 and len(candidates) >= 2:
            return
        if len(candidates) < 2:
            self.problem(file, rec, what, "candidates", "an ambiguous name needs at least two candidates")
        for candidate in candidates:
            if candidate is not None:
                g.add((node, SAC.candidate, candidate))
        self.text(node, SKOS.note, rec.get("note"), "en")

    def material_of(self, file, rec, what) -> URIRef | None:
        has_system, has_material = rec.get("system") not in (None, ""), rec.get("material") not in (None, "")
        if has_system == has_material:
            self.problem(file, rec, what, "system", "give exactly one of 'system' or 'material'")
            return None
        if has_system:
            return self.lookup(file, rec, what, "system", rec["system"], (SAC.SACSystem,), "system")
        return self.lookup(file, rec, what, "material", rec["material"], (SAC.ControlMaterial,), "material")

    # ------------------------------------------------------------ measurements
    def measurement(self, file, rec: Record, ref) -> None:
        subject_name = rec.get("system") or rec.get("material")
        what = f"measurement '{subject_name} {rec.get('quantity')}'"
        self.check_fields(file, rec, what, MEASUREMENT_FIELDS, ("quantity", "value", "origin"))
        material = self.material_of(file, rec, what)
        kind = self.lookup(file, rec, what, "quantity", rec.get("quantity"), (SAC.QuantityKind,), "quantity") \
            if rec.get("quantity") else None
        if material is None or kind is None:
            return
        node = self.unique(ID[f"measurement/{slug(str(ref).rsplit('/', 1)[-1]) if ref else 'x'}/"
                              f"{str(material).rsplit('/', 1)[-1]}/{str(kind).rsplit('#', 1)[-1]}"])
        self.locations[node] = Location(file, rec.line, what)
        g = self.g
        g.add((node, RDF.type, SAC.Measurement))
        g.add((node, SAC.onMaterial, material))
        g.add((node, SAC.quantityKind, kind))
        q = self.quantity(file, rec, what, "value", rec["value"], kind) if rec.get("value") not in (None, "") else None
        if q is not None:
            self.add_value(node, q)
        origin = self.origin(file, rec, what, node)
        metal = None
        if rec.get("metal"):
            metal = self.lookup(file, rec, what, "metal", rec["metal"], (SAC.AlkaliMetal,), "alkali metal")
            if metal is not None:
                g.add((node, SAC.alkaliMetal, metal))
        if rec.get("cell"):
            cell = self.lookup(file, rec, what, "cell", rec["cell"], (SAC.CellConfiguration,), "cell configuration")
            if cell is not None:
                g.add((node, SAC.cellConfiguration, cell))
        self.conditions(file, rec, what, node, rec.get("conditions"))
        self.provenance(file, rec, what, node, ref)
        baselines = rec.get("baselines")
        if baselines is not None and not isinstance(baselines, list):
            self.problem(file, rec, what, "baselines", "expected a list of {material, value}")
            baselines = []
        for i, base in enumerate(baselines or [], 1):
            if not isinstance(base, Record):
                self.problem(file, rec, what, "baselines", "each baseline is a mapping {material, value}")
                continue
            self.baseline(file, rec, base, what, node, kind, origin, metal, i)
        self.texts(node)
        for base in self.g.objects(node, SAC.baseline):
            self.texts(base)

    # ------------------------------------------------------------ derived display texts
    def value_text(self, node) -> str | None:
        value, unit = self.g.value(node, SAC.value), self.g.value(node, SAC.unit)
        if value is None or unit is None:
            return None
        symbol = str(self.ontology.value(unit, QUDT.symbol) or "")
        comparator = self.g.value(node, SAC.comparator)
        mark = str(self.ontology.value(comparator, SAC.symbol)) if comparator is not None else ""
        prefix = "" if not mark else ("~" if mark == "~" else f"{mark} ")
        return f"{prefix}{value}" + (f" {symbol}" if symbol else "")

    def texts(self, node) -> None:
        """Write the value, conditions and baselines of a measurement as text, for fast answers."""
        display = self.value_text(node)
        if display is not None:
            self.g.set((node, SAC.valueText, Literal(display)))
        conditions = []
        for condition in self.g.objects(node, SAC.testCondition):
            kind = self.ontology.value(self.g.value(condition, SAC.conditionKind), SKOS.prefLabel)
            text = self.value_text(condition)
            if kind is not None and text is not None:
                conditions.append(f"{kind} {text}")
        if conditions:
            self.g.set((node, SAC.conditionsText, Literal("; ".join(sorted(conditions)))))
        baselines = []
        for base in self.g.objects(node, SAC.baseline):
            material = self.g.value(self.g.value(base, SAC.onMaterial), RDFS.label)
            text = self.value_text(base) or UNQUANTIFIED
            if material is not None and text is not None:
                baselines.append(f"{material}: {text}")
        if baselines:
            self.g.set((node, SAC.baselineText, Literal("; ".join(sorted(baselines)))))

    def origin(self, file, rec, what, node):
        if not rec.get("origin"):
            return None
        origin = self.lookup(file, rec, what, "origin", rec["origin"], (SAC.ValueOrigin,), "origin")
        if origin is None:
            return None
        self.g.add((node, SAC.valueOrigin, origin))
        method = rec.get("method")
        if origin == SAC.Computed and not method:
            self.problem(file, rec, what, "method", "a computed value needs its method (DFT, MD, theoretical calculation)")
        elif origin != SAC.Computed and method:
            self.problem(file, rec, what, "method", "only computed values have a method")
        elif method:
            iri = self.lookup(file, rec, what, "method", method, (SAC.Technique,), "technique")
            if iri is not None:
                self.g.add((node, SAC.computationMethod, iri))
        return origin

    def conditions(self, file, rec, what, node, conditions) -> None:
        if conditions in (None, {}):
            return
        if not isinstance(conditions, dict):
            self.problem(file, rec, what, "conditions", "expected a mapping such as {current density: 1 mA cm-2}")
            return
        for key, text in conditions.items():
            kind = self.condition_keys.get(str(key))
            if kind is None:
                hint = did_you_mean(closest(str(key), {name_key(k): k for k in self.condition_keys}, limit=1))
                self.problem(file, rec, what, f"conditions.{key}", f"unknown condition{hint}")
                continue
            q = self.quantity(file, rec, what, f"conditions.{key}", text, kind)
            if q is None:
                continue
            cnode = URIRef(f"{node}/condition/{slug(key)}")
            self.g.add((node, SAC.testCondition, cnode))
            self.g.add((cnode, RDF.type, SAC.TestCondition))
            self.g.add((cnode, SAC.conditionKind, kind))
            self.add_value(cnode, q)
            self.locations[cnode] = Location(file, rec.line_of("conditions"), f"{what} condition '{key}'")

    def baseline(self, file, parent, base, what, node, kind, origin, metal, i) -> None:
        bwhat = f"{what} baseline {i}"
        for key in base:
            if key not in BASELINE_FIELDS:
                self.problem(file, base, bwhat, str(key), "unknown field; use 'material' (or 'system') and 'value'")
            elif (wrong := wrong_shape(key, base[key])):
                self.problem(file, base, bwhat, str(key), wrong)
                return
        material = self.material_of(file, base, bwhat)
        if material is None:
            return
        bnode = URIRef(f"{node}/baseline-{i}")
        self.locations[bnode] = Location(file, base.line, bwhat)
        g = self.g
        g.add((node, SAC.baseline, bnode))
        g.add((bnode, SAC.onMaterial, material))
        g.add((bnode, SAC.quantityKind, kind))
        if base.get("value") in (None, ""):  # a control the review names without its number
            g.add((bnode, RDF.type, SAC.UnquantifiedBaseline))
        else:
            g.add((bnode, RDF.type, SAC.Measurement))
            q = self.quantity(file, base, bwhat, "value", base["value"], kind)
            if q is not None:
                self.add_value(bnode, q)
        if origin is not None:
            g.add((bnode, SAC.valueOrigin, origin))
        for predicate in (SAC.computationMethod, SAC.cellConfiguration):
            for obj in g.objects(node, predicate):
                g.add((bnode, predicate, obj))
        if metal is not None:
            g.add((bnode, SAC.alkaliMetal, metal))
        if base.get("conditions") is not None:
            self.conditions(file, base, bwhat, bnode, base.get("conditions"))
        else:
            for cond in list(g.objects(node, SAC.testCondition)):
                g.add((bnode, SAC.testCondition, cond))
        for predicate in (PROV.wasDerivedFrom, SAC.statedInSection, SAC.shownInFigure):
            for obj in g.objects(node, predicate):
                g.add((bnode, predicate, obj))
        self.text(bnode, SKOS.note, base.get("note"), "en")
        self.text(bnode, SAC.doubt, base.get("doubt"), "en")

    # ------------------------------------------------------------ claims
    def claim(self, file, rec: Record, ref) -> None:
        what = f"claim '{rec.get('system')} {rec.get('mechanism')} {rec.get('metal')}'"
        self.check_fields(file, rec, what, CLAIM_FIELDS, ("system", "mechanism", "metal"))
        system = self.lookup(file, rec, what, "system", rec["system"], (SAC.SACSystem,), "system") \
            if rec.get("system") else None
        mechanism = self.lookup(file, rec, what, "mechanism", rec["mechanism"], (SAC.Mechanism,), "mechanism") \
            if rec.get("mechanism") else None
        metal = self.lookup(file, rec, what, "metal", rec["metal"], (SAC.AlkaliMetal,), "alkali metal") \
            if rec.get("metal") else None
        if system is None or mechanism is None or metal is None:
            return
        node = self.unique(ID[f"claim/{str(ref).rsplit('/', 1)[-1] if ref else 'x'}/{str(system).rsplit('/', 1)[-1]}/"
                              f"{str(mechanism).rsplit('#', 1)[-1]}-{self.ontology.value(metal, SAC.symbol)}"])
        self.locations[node] = Location(file, rec.line, what)
        g = self.g
        g.add((node, RDF.type, SAC.Claim))
        g.add((node, SAC.aboutSystem, system))
        g.add((node, SAC.mechanism, mechanism))
        g.add((node, SAC.alkaliMetal, metal))
        effect = SAC.Promotes
        if rec.get("effect"):
            effect = self.lookup(file, rec, what, "effect", rec["effect"], (SAC.ClaimEffect,), "effect") or SAC.Promotes
        g.add((node, SAC.effect, effect))
        self.evidence(file, rec, what, node)
        self.conditions(file, rec, what, node, rec.get("conditions"))
        self.provenance(file, rec, what, node, ref)

    def finding(self, file, rec: Record, ref, i: int) -> None:
        """A qualitative result about one system or material that names no mechanism of the vocabulary."""
        what = f"finding {i} on '{rec.get('system') or rec.get('material')}'"
        self.check_fields(file, rec, what, FINDING_FIELDS, ("statement",))
        subject = self.material_of(file, rec, what)
        if subject is None or rec.get("statement") in (None, ""):
            return
        node = self.unique(ID[f"finding/{str(ref).rsplit('/', 1)[-1] if ref else 'x'}/{str(subject).rsplit('/', 1)[-1]}-{i}"])
        self.locations[node] = Location(file, rec.line, what)
        g = self.g
        g.add((node, RDF.type, SAC.Finding))
        g.add((node, SAC.aboutMaterial, subject))
        self.text(node, SAC.statement, rec.get("statement"), "en")
        if rec.get("metal"):
            metal = self.lookup(file, rec, what, "metal", rec["metal"], (SAC.AlkaliMetal,), "alkali metal")
            if metal is not None:
                g.add((node, SAC.alkaliMetal, metal))
        for name in as_list(rec.get("concerns")):
            iri = self.lookup(file, rec, what, "concerns", name, CONCERN_TYPES, "term")
            if iri is not None:
                g.add((node, SAC.concerns, iri))
        self.evidence(file, rec, what, node)
        self.conditions(file, rec, what, node, rec.get("conditions"))
        self.provenance(file, rec, what, node, ref)

    def evidence(self, file, rec, what, node) -> None:
        """Evidence techniques (and which of them are inferred), whether the whole is inferred, and the
        controls the review compares against without numbers."""
        g = self.g
        if not as_list(rec.get("evidence")):
            g.add((node, SAC.evidenceKind, SAC.EvidenceNotStated))
        for name in as_list(rec.get("evidence")):
            technique = self.lookup(file, rec, what, "evidence", name, (SAC.Technique,), "technique")
            if technique is not None:
                g.add((node, SAC.evidenceTechnique, technique))
                for kind in self.ontology.objects(technique, SAC.evidenceKind):
                    g.add((node, SAC.evidenceKind, kind))
        self.inferred_techniques(file, rec, what, node, "inferred_evidence", "evidence")
        reason = rec.get("inferred")
        if reason is not None:
            if not isinstance(reason, str) or not reason.strip():
                self.problem(file, rec, what, "inferred",
                             "give the reason: which words of the review the curator read the claim from")
            else:
                g.add((node, SAC.inferred, Literal(True)))
                self.text(node, SAC.inference, reason, "en")
        for name in as_list(rec.get("compared_with")):
            control = self.lookup(file, rec, what, "compared_with", name, (SAC.ControlMaterial,), "material")
            if control is not None:
                g.add((node, SAC.comparedWith, control))

    def inferred_techniques(self, file, rec, what, node, fld, listed_fld) -> None:
        """Mark the techniques of `listed_fld` that the curator read from indirect words, with the reason."""
        marked = rec.get(fld)
        if marked in (None, {}):
            return
        if not isinstance(marked, dict):
            self.problem(file, rec, what, fld, "expected a mapping {technique: reason}")
            return
        listed = {t.iri for n in as_list(rec.get(listed_fld)) for t in self.index.exact(str(n), (SAC.Technique,))}
        for name, reason in marked.items():
            technique = self.lookup(file, rec, what, f"{fld}.{name}", name, (SAC.Technique,), "technique")
            if technique is None:
                continue
            if technique not in listed:
                self.problem(file, rec, what, f"{fld}.{name}", f"is not one of the {listed_fld} listed")
            elif not isinstance(reason, str) or not reason.strip():
                self.problem(file, rec, what, f"{fld}.{name}", "give the reason the technique is inferred")
            else:
                self.g.add((node, SAC.inferredTechnique, technique))
                label = self.ontology.value(technique, SKOS.prefLabel)
                self.text(node, SAC.inference, f"{label}: {reason}", "en")

    # ------------------------------------------------------------ challenges, prospects, sustainability
    def topic(self, file, rec: Record, ref, block: str, cls) -> None:
        what = f"{block[:-1] if block.endswith('s') else block} '{rec.get('id')}'"
        if not self.check_fields(file, rec, what, TOPIC_FIELDS, ("id", "name", "note")):
            return
        node = ID[f"{block}/{slug(rec['id'])}"]
        self.locations[node] = Location(file, rec.line, what)
        g = self.g
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(str(rec["name"]))))
        synonyms = [str(s) for s in as_list(rec.get("synonyms"))]
        self.index.add(node, str(rec["name"]), {cls}, [str(rec["id"]), *synonyms])
        for synonym in synonyms:
            g.add((node, SKOS.altLabel, Literal(synonym)))
        match = re.fullmatch(r"prospect-(\d+)", str(rec["id"]))
        if cls == SAC.Prospect and match:
            g.add((node, SAC.prospectNumber, Literal(int(match.group(1)))))
        self._pending_concerns.append((file, rec, what, node))
        self.conditions(file, rec, what, node, rec.get("conditions"))
        self.texts(node)
        self.provenance(file, rec, what, node, ref)

    def resolve_concerns(self) -> None:
        for file, rec, what, node in self._pending_concerns:
            for name in as_list(rec.get("concerns")):
                iri = self.lookup(file, rec, what, "concerns", name, CONCERN_TYPES, "term")
                if iri is not None:
                    self.g.add((node, SAC.concerns, iri))


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
    converter.run(all_files)
    converter.resolve_concerns()
    if converter.problems:
        raise SourceErrors(converter.problems)
    return Built(converter.g, converter.locations)


def full_graph(built: Built) -> Graph:
    """The data together with the ontology and vocabularies: what the store holds."""
    graph = load_ontology()
    for triple in built.graph:
        graph.add(triple)
    for prefix, namespace in built.graph.namespaces():
        graph.bind(prefix, namespace, override=False)
    return graph

