"""Linking names typed by a person to entities, through the labels and synonyms in the knowledge base."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kg.errors import SackgError
from kg.store import Iri
from kg.text import name_key, suggestion

SAC = "https://w3id.org/sackg/ontology#"
BIBO = "http://purl.org/ontology/bibo/"

# When one name fits several entities, the first class in this list wins.
PRIORITY = [f"{SAC}{c}" for c in (
    "SACSystem", "AlkaliMetal", "QuantityKind", "Mechanism", "ChemicalElement", "ControlMaterial",
    "Technique", "SupportKind", "CoordinationEnvironment", "SynthesisMethod", "CellConfiguration",
    "EvidenceKind", "Role", "Challenge", "Prospect", "SustainabilityConsideration", "ConditionKind",
    "Figure", "FigurePanel", "ReviewSection",
)] + [f"{BIBO}AcademicArticle"]


@dataclass(frozen=True)
class Entity:
    iri: Iri
    label: str
    classes: frozenset


class Names:
    """All entity names of one knowledge base, keyed by name_key."""

    def __init__(self, kb):
        entities: dict[str, dict] = {}
        self.by_key: dict[str, set[str]] = defaultdict(set)
        self.written: dict[str, set[str]] = defaultdict(set)  # key -> labels as written
        for row in kb.summary("labels"):
            iri = row["entity"].value
            info = entities.setdefault(iri, {"label": row["preferred"] or row["label"], "classes": set()})
            info["classes"].add(row["class"].value)
            key = name_key(row["label"])
            self.by_key[key].add(iri)
            self.written[key].add(row["label"])
        self.entities = {iri: Entity(Iri(iri), info["label"], frozenset(info["classes"]))
                         for iri, info in entities.items()}

    def _rank(self, entity: Entity) -> int:
        ranks = [PRIORITY.index(c) for c in entity.classes if c in PRIORITY]
        return min(ranks) if ranks else len(PRIORITY)

    def resolve(self, name: str, classes: tuple[str, ...] | None = None) -> Entity:
        """The entity `name` names; SackgError with the closest names if none does."""
        candidates = [self.entities[i] for i in self.by_key.get(name_key(name), ())]
        if classes:
            candidates = [e for e in candidates if e.classes & set(classes)]
        candidates = [e for e in candidates if self._rank(e) < len(PRIORITY)] or candidates
        if candidates:
            return min(candidates, key=lambda e: (self._rank(e), e.label))
        raise SackgError(f"unknown entity '{name}'{self.suggestion(name, classes)}")

    def suggestion(self, name: str, classes=None) -> str:
        keys = {}
        for key, iris in self.by_key.items():
            fitting = [self.entities[i] for i in iris
                       if (not classes or self.entities[i].classes & set(classes))
                       and self._rank(self.entities[i]) < len(PRIORITY)]
            if fitting:
                keys[key] = min(fitting, key=lambda e: (self._rank(e), e.label)).label
        return suggestion(name, keys)
