"""The facet index: for each SAC system, its centre metals, support kinds, coordination, the mechanisms and
techniques of the claims about it, and its groups, as `queries/facets.rq` reads them.

It is built with the store into SQLite (`facets.sqlite` in the store's directory, under the store's
fingerprint) and, after `sackg add` or `remove`, updated from the old store's index (`Update`): only the
systems a change can reach are queried again. `systems` answers which systems have every facet value
asked for, so that kg.engine.narrow can work a filtered `threshold` out of its saved ranking.
"""

from __future__ import annotations

import os
import sqlite3

from kg.model.iris import SAC

FILE = "facets.sqlite"
_SCHEMA = "CREATE TABLE facets(facet TEXT, value TEXT, s TEXT, PRIMARY KEY (facet, value, s)) WITHOUT ROWID"
# the kinds of the templates' filter parameters that the index holds
KINDS = ("element", "support", "coordination", "mechanism", "technique", "group")
_SUPPORT, _ABOUT = f"{SAC}support", f"{SAC}aboutSystem"  # a support node's system, a claim's system


def build(kb, path: str) -> None:
    """Write the facets of every system of `kb` to `path` (a new file)."""
    _write(path, _records(kb))


def _records(kb, only: list | None = None) -> list[tuple]:
    from kg.engine.templates import template

    _, rows = kb.select(template("facets").text, {"s": only} if only is not None else None)
    return [(str(row["facet"]), row["value"].value, row["s"].value) for row in rows]


def _write(path: str, rows: list[tuple]) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(_SCHEMA)
        connection.executemany("INSERT OR IGNORE INTO facets VALUES (?, ?, ?)", sorted(rows))
        connection.commit()
    finally:
        connection.close()


class Update:
    """The facet index after a change to the store whose index is at `path`: the rows of the systems the
    change `touch`es are queried again, the others kept. The same index as `build` writes."""

    def __init__(self, path: str):
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            self.previous = connection.execute("SELECT facet, value, s FROM facets").fetchall()
        finally:
            connection.close()
        self.touched: set[str] = set()

    def touch(self, store, changed) -> None:
        """Note the systems whose facets a change of the triples `changed` can alter, in `store` as it is
        (call before and after the change): each node of a changed triple, the system a changed support
        node belongs to and the system a changed claim is about."""
        import pyoxigraph as ox

        support, about = ox.NamedNode(_SUPPORT), ox.NamedNode(_ABOUT)
        for triple in changed:
            for node in (triple.subject, triple.object):
                if isinstance(node, ox.NamedNode):
                    self.touched.add(node.value)
                    self.touched.update(q.subject.value for q in store.quads_for_pattern(None, support, node))
                    self.touched.update(q.object.value for q in store.quads_for_pattern(node, about, None))

    def write(self, kb, directory: str) -> None:
        from kg.model.terms import Iri

        kept = [row for row in self.previous if row[2] not in self.touched]
        fresh = _records(kb, [Iri(s) for s in sorted(self.touched)]) if self.touched else []
        _write(os.path.join(directory, FILE), kept + fresh)


def systems(kb, wanted: dict) -> set[str] | None:
    """The IRIs of the systems that have each facet value of `wanted` (kind -> IRI), or None when `kb` has
    no facet index saved with it (then the template's query applies the filters)."""
    path = os.path.join(kb.path, FILE) if getattr(kb, "path", None) else None
    if not path or not os.path.exists(path):
        return None
    clauses = " INTERSECT ".join("SELECT s FROM facets WHERE facet = ? AND value = ?" for _ in wanted)
    parameters = [part for kind, value in sorted(wanted.items()) for part in (kind, value.value)]
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {s for (s,) in connection.execute(clauses, parameters)}
    finally:
        connection.close()
