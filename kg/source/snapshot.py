"""The converted data as a set of N-Triples lines, with where each node was read and the references it
holds. Saved beside a built store (kg.engine.build), it lets a change be compared with the data the store
was built from without converting that data again (kg.curate.papers)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace

from rdflib import RDFS, Graph

from kg.model.namespaces import BIBO, SAC
from kg.source.schema import Built, Location

TRIPLES = "data.nt"
PLACES = "source.json"


@dataclass(frozen=True)
class Reference:
    key: str
    doi: str | None
    label: str | None
    file: str | None  # as records name it: data/… when read from the data directory

    @property
    def stored(self) -> str | None:
        """The file relative to the data directory, when it is there."""
        return self.file.removeprefix("data/") if self.file and self.file.startswith("data/") else None


@dataclass
class Snapshot:
    lines: frozenset  # the data's triples, one N-Triples line each
    locations: dict  # node IRI (str) -> Location
    references: list  # Reference, in the order of their IRIs

    @classmethod
    def of(cls, built: Built) -> "Snapshot":
        text = built.graph.serialize(format="nt", encoding="utf-8").decode()
        return cls(frozenset(line for line in text.split("\n") if line), {str(n): where for n, where in built.locations.items()},
                   references_of(built))

    def moved(self, files: dict) -> "Snapshot":
        """This snapshot with the files named as keys of `files` (as records name them) read from the
        files named as their values: where papers read from elsewhere are stored."""
        def place(where: Location) -> Location:
            return Location(files.get(where.file, where.file), where.line, where.record, where.fields)

        return Snapshot(self.lines, {node: place(where) for node, where in self.locations.items()},
                        [replace(ref, file=files.get(ref.file, ref.file)) for ref in self.references])

    def ntriples(self) -> bytes:
        return ntriples(sorted(self.lines))

    def save(self, directory: str) -> None:
        with open(os.path.join(directory, TRIPLES), "wb") as handle:
            handle.write(self.ntriples())
        places = {"locations": {node: [w.file, w.line, w.record, w.fields] for node, w in sorted(self.locations.items())},
                  "references": [vars(ref) for ref in self.references]}
        with open(os.path.join(directory, PLACES), "w", encoding="utf-8") as handle:
            handle.write(json.dumps(places, ensure_ascii=False))  # json.dump encodes in Python, dumps in C

    @classmethod
    def load(cls, directory: str) -> "Snapshot | None":
        """The snapshot saved in `directory`, or None when there is none."""
        try:
            with open(os.path.join(directory, TRIPLES), "rb") as handle:
                lines = frozenset(line for line in handle.read().decode().split("\n") if line)
            with open(os.path.join(directory, PLACES), encoding="utf-8") as handle:
                places = json.load(handle)
        except FileNotFoundError:
            return None
        return cls(lines, {node: Location(file, line, record, tuple(map(tuple, fields)))
                           for node, (file, line, record, fields) in places["locations"].items()},
                   [Reference(**ref) for ref in places["references"]])


def ntriples(lines) -> bytes:
    """N-Triples lines (a part of a snapshot's) as a document."""
    return "".join(line + "\n" for line in lines).encode()


def as_graph(lines) -> Graph:
    """N-Triples lines (a part of a snapshot's) read as a graph."""
    return Graph().parse(data=ntriples(lines), format="nt")


def references_of(built: Built) -> list[Reference]:
    graph = built.graph
    found = []
    for node, key in sorted(graph.subject_objects(SAC.sourceKey)):
        doi, label = graph.value(node, BIBO.doi), graph.value(node, RDFS.label)
        where = built.locations.get(node)
        found.append(Reference(str(key), None if doi is None else str(doi), None if label is None else str(label),
                               None if where is None else where.file))
    return found
