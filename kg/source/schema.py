"""The blocks and fields of the curated YAML, the identifiers they use, and what a conversion returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from kg.model.errors import SackgError
from kg.model.namespaces import SAC
from kg.model.resources import ontology_dir
from kg.source.records import Problem

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
    fields: tuple = ()  # (field, line) pairs: where each field of the record stands

    @classmethod
    def of(cls, file: str, rec, record: str) -> "Location":
        return cls(file, rec.line, record, rec.field_lines())

    def line_of(self, field: str) -> int:
        return dict(self.fields).get(field, self.line)


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
