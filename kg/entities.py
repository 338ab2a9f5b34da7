"""Linking names typed by a person to entities, through the labels and synonyms in the knowledge base."""

from __future__ import annotations

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
_RANK = {iri: i for i, iri in enumerate(PRIORITY)}


class Entity:
    __slots__ = ("iri", "label", "classes", "rank")

    def __init__(self, iri: str, label: str, classes):
        self.iri = Iri(iri)
        self.label = label
        self.classes = frozenset(classes)
        self.rank = min((_RANK[c] for c in self.classes if c in _RANK), default=len(PRIORITY))

    def __repr__(self) -> str:
        return f"Entity({self.label!r})"


class Names:
    """All entity names of one knowledge base, keyed by name_key."""

    def __init__(self, kb):
        index = kb.saved("names") or self.index_of(kb)
        self.entities = {iri: Entity(iri, label, classes) for iri, (label, classes) in index["entities"].items()}
        self.by_key: dict[str, list[str]] = index["keys"]
        self.written: dict[str, list[str]] = index["written"]  # key -> labels as written

    @staticmethod
    def index_of(kb) -> dict:
        """The name index as plain data, so that a built store can keep it beside itself."""
        entities: dict[str, list] = {}
        keys: dict[str, list[str]] = {}
        written: dict[str, list[str]] = {}
        for row in kb.summary("labels"):
            iri = row["entity"].value
            entry = entities.setdefault(iri, [row["preferred"] or row["label"], []])
            if row["class"].value not in entry[1]:
                entry[1].append(row["class"].value)
            key = name_key(row["label"])
            if iri not in keys.setdefault(key, []):
                keys[key].append(iri)
            if row["label"] not in written.setdefault(key, []):
                written[key].append(row["label"])
        for value in entities.values():
            value[1].sort()
        return {"entities": entities, "keys": {k: sorted(v) for k, v in keys.items()}, "written": written}

    def _rank(self, entity: Entity) -> int:
        return entity.rank

    def resolve(self, name: str, classes: tuple[str, ...] | None = None) -> Entity:
        """The entity `name` names; SackgError with the closest names if none does."""
        candidates = [self.entities[i] for i in self.by_key.get(name_key(name), ())]
        if classes:
            candidates = [e for e in candidates if e.classes & set(classes)]
        candidates = [e for e in candidates if e.rank < len(PRIORITY)] or candidates
        if candidates:
            return min(candidates, key=lambda e: (e.rank, e.label))
        raise SackgError(f"unknown entity '{name}'{self.suggestion(name, classes)}")

    def suggestion(self, name: str, classes=None) -> str:
        keys = {}
        for key, iris in self.by_key.items():
            fitting = [self.entities[i] for i in iris
                       if (not classes or self.entities[i].classes & set(classes))
                       and self.entities[i].rank < len(PRIORITY)]
            if fitting:
                keys[key] = min(fitting, key=lambda e: (e.rank, e.label)).label
        return suggestion(name, keys)
