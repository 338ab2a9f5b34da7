"""Linking names typed by a person to entities, through the labels and synonyms in the knowledge base."""

from __future__ import annotations

import os
import re

from kg.model.errors import SackgError
from kg.model.iris import BIBO, SAC  # noqa: F401 (SAC is imported from here by the reader)
from kg.model.terms import Iri
from kg.model.text import name_key, shown, suggestion

# When one name fits several entities, the first class in this list wins.
PRIORITY = [f"{SAC}{c}" for c in (
    "AmbiguousName", "SACSystem", "SystemGroup", "AlkaliMetal", "QuantityKind", "Mechanism", "ChemicalElement", "ControlMaterial",
    "Technique", "SupportKind", "CoordinationEnvironment", "SynthesisMethod", "CellConfiguration",
    "EvidenceKind", "Role", "Challenge", "Prospect", "SustainabilityConsideration", "ConditionKind",
    "Figure", "FigurePanel", "ReviewSection", "Support", "MetalAnode", "Battery",
)] + [f"{BIBO}AcademicArticle"]
_RANK = {iri: i for i, iri in enumerate(PRIORITY)}

# "SAFe/CVRCS@3DPC-Li" (the system on Li), "Pt SAs/In2S3/Ti3C2@PP" (on a separator), "Na-ZnSA-N-C", "SAM@NGs"
_ON_SOMETHING = re.compile(r"^(?:(?:Li|Na|K)-)?(.+?)(?:[-@/](?:Li|Na|K|Cu|PP))?$", re.IGNORECASE)


def variants(name: str) -> list[str]:
    """Ways a paper writes a name that the knowledge base holds without the addition: an electrode or
    separator suffix, a metal prefix, a plural."""
    found = []
    core = _ON_SOMETHING.match(name.strip())
    if core and core.group(1) != name.strip():
        found.append(core.group(1))
    for text in [name.strip(), *found]:
        if len(text) > 4 and text.endswith("ies"):  # energies, porosities
            found.append(text[:-3] + "y")
        elif len(text) > 4 and text.endswith("s") and not text.endswith("ss"):
            found.append(text[:-1])
    return found


_MARK_STARTING = re.compile(r"(?:(?<=^)|(?<=[-@/\s]))SAs?[-_]?(?=[A-Z])")
_MARK_ENDING = re.compile(r"(?<=[a-z0-9])[_\s]?SAs?(?![a-z])")


def without_single_atom_mark(name: str) -> str:
    """A system's name as researchers shorten it, without the mark for single atoms: "Zn-N-C" for
    ZnSA-N-C, "Co@HC" for SA-Co@HC, "Fe/CVRCS@3DPC" for SAFe/CVRCS@3DPC."""
    return _MARK_ENDING.sub("", _MARK_STARTING.sub("", name))


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
    """All entity names of one knowledge base, keyed by name_key.

    A built store keeps its name index beside it as SQLite (names.sqlite), which is looked up key by
    key, so that opening it costs the same at 100 systems or 100,000; other back-ends build the index
    in memory from the `labels` template.
    """

    def __init__(self, kb):
        self._kb = kb
        path = os.path.join(kb.path, "names.sqlite") if getattr(kb, "path", None) else None
        self._db = None
        self._index = None
        self._entities: dict[str, Entity] = {}
        if path and os.path.exists(path):
            import sqlite3

            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        else:
            self._index = self.index_of(kb)

    # ------------------------------------------------------------ the index as plain data
    @staticmethod
    def index_of(kb) -> dict:
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
        shortened: dict[str, set] = {}
        for key, texts in list(written.items()):  # "Zn-N-C" for ZnSA-N-C, "Co@NC" for Co_SA@NC
            systems = [i for i in keys[key] if f"{SAC}SACSystem" in entities[i][1]]
            for text in texts if systems else ():
                short = without_single_atom_mark(text)
                if short != text and len(short) >= 4 and name_key(short) not in keys:
                    shortened.setdefault(short, set()).update(systems)
        for short, iris in shortened.items():
            if len(iris) == 1:  # a short form two systems share names neither
                keys.setdefault(name_key(short), []).extend(iris)
                written.setdefault(name_key(short), []).append(short)
        return {"entities": entities, "keys": {k: sorted(v) for k, v in keys.items()}, "written": written}

    @staticmethod
    def save(index: dict, path: str) -> None:
        """Write the index as SQLite, for key-by-key lookups."""
        import sqlite3

        db = sqlite3.connect(path)
        db.executescript("CREATE TABLE entity (iri TEXT PRIMARY KEY, label TEXT, classes TEXT);"
                         "CREATE TABLE name (key TEXT, iri TEXT);"
                         "CREATE TABLE spelling (key TEXT, text TEXT);")
        db.executemany("INSERT INTO entity VALUES (?, ?, ?)",
                       ((iri, label, " ".join(classes)) for iri, (label, classes) in index["entities"].items()))
        db.executemany("INSERT INTO name VALUES (?, ?)", ((k, i) for k, iris in index["keys"].items() for i in iris))
        db.executemany("INSERT INTO spelling VALUES (?, ?)",
                       ((k, t) for k, texts in index["written"].items() for t in texts))
        db.executescript("CREATE INDEX name_key ON name (key); CREATE INDEX spelling_key ON spelling (key);")
        db.commit()
        db.close()

    # ------------------------------------------------------------ lookups
    def iris(self, key: str) -> list[str]:
        if self._db is None:
            return self._index["keys"].get(key, [])
        return [r[0] for r in self._db.execute("SELECT iri FROM name WHERE key = ? ORDER BY iri", (key,))]

    def spellings(self, key: str) -> list[str]:
        if self._db is None:
            return self._index["written"].get(key, [])
        return [r[0] for r in self._db.execute("SELECT text FROM spelling WHERE key = ?", (key,))]

    def written(self, iri: str) -> list[str]:
        """Every way the names of `iri` are written (its label, synonyms and their spellings)."""
        if self._db is None:
            keys = [k for k, iris in self._index["keys"].items() if iri in iris]
            return sorted({t for k in keys for t in self._index["written"].get(k, [])})
        return sorted({r[0] for r in self._db.execute(
            "SELECT s.text FROM name n JOIN spelling s ON s.key = n.key WHERE n.iri = ?", (iri,))})

    def entity(self, iri: str) -> Entity:
        if iri not in self._entities:
            if self._db is None:
                label, classes = self._index["entities"][iri]
            else:
                label, classes = self._db.execute("SELECT label, classes FROM entity WHERE iri = ?", (iri,)).fetchone()
                classes = classes.split()
            self._entities[iri] = Entity(iri, label, classes)
        return self._entities[iri]

    def keys(self) -> list[str]:
        """Every name key (read whole only for typo matching and suggestions)."""
        if self._db is None:
            return list(self._index["keys"])
        return [r[0] for r in self._db.execute("SELECT DISTINCT key FROM name")]

    def items(self):
        if self._db is None:
            return self._index["keys"].items()
        grouped: dict[str, list[str]] = {}
        for key, iri in self._db.execute("SELECT key, iri FROM name"):
            grouped.setdefault(key, []).append(iri)
        return grouped.items()

    def best(self, iris: list[str], classes: tuple[str, ...] | None = None) -> Entity | None:
        """Of the entities one name fits, the one it names: the first class of PRIORITY wins."""
        candidates = [self.entity(i) for i in iris]
        if classes:
            candidates = [e for e in candidates if e.classes & set(classes)]
        candidates = [e for e in candidates if e.rank < len(PRIORITY)] or candidates
        return min(candidates, key=lambda e: (e.rank, e.label)) if candidates else None

    def resolve(self, name: str, classes: tuple[str, ...] | None = None) -> Entity:
        """The entity `name` names; SackgError with the closest names if none does."""
        keys = [name_key(name)] + [name_key(v) for v in variants(name)]
        iris = next((found for found in map(self.iris, keys) if found), [])
        best = self.best(iris, classes)
        if best is not None:
            if f"{SAC}AmbiguousName" in best.classes:
                raise SackgError(self.ambiguity(name, best))
            return best
        raise SackgError(f"unknown entity {shown(name)}{self.suggestion(name, classes)}")

    def ambiguity(self, name: str, entity: Entity) -> str:
        from kg.engine.templates import run

        _, rows = run(self._kb, "name_candidates", entity=entity.iri)
        labels = [str(r["label"]) for r in rows]
        listed = ", ".join(shown(label) for label in labels[:-1]) + f" or {shown(labels[-1])}" if labels else ""
        return f"{shown(name)} is ambiguous: the review uses it for {listed}; show one of them by its full name"

    def suggestion(self, name: str, classes=None) -> str:
        keys = {}
        for key, iris in self.items():
            fitting = [self.entity(i) for i in iris]
            fitting = [e for e in fitting if (not classes or e.classes & set(classes)) and e.rank < len(PRIORITY)]
            if fitting:
                keys[key] = min(fitting, key=lambda e: (e.rank, e.label)).label
        return suggestion(name, keys)
