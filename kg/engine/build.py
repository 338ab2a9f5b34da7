"""The query store: a pyoxigraph database built from the source, rebuilt whenever the source changes.

The store is a derived artefact. Its directory name carries a fingerprint of every input (the
YAML data, the ontology, the query templates and the code that converts them: path, size and
modification time of each), so a store built from other inputs is never opened. Saved beside it in
the same build: summaries, the name index, the fact index (kg.engine.facts) and the answers of
`# precomputed: yes` templates. A new store is written to a scratch directory and renamed into place, so
an interrupted build leaves nothing half-written behind. After `sackg add` or `remove`, the new store is
made from the old one by the difference (`update_store`).

This module is on the `sackg ask` path: it avoids pathlib, hashlib and dataclasses, whose imports
cost more than the work they would do here.
"""
from __future__ import annotations

import json
import os
import zlib
from typing import TYPE_CHECKING

from kg.engine import cache
from kg.engine.backend import save_answer
from kg.engine.embedded import KnowledgeBase, database_path
from kg.model.errors import SackgError
from kg.model.resources import PACKAGE, FewerCollections, cache_dir, ontology_dir, queries_dir
from kg.model.terms import encoded
from kg.model.version import __version__

if TYPE_CHECKING:
    from kg.source.snapshot import Snapshot

# Everything a build can import: the layers below the readers (tests/test_layers.py keeps it so)
BUILD_LAYERS = ("model", "source", "engine")
SUMMARIES = ("labels", "units", "quantities")  # templates whose rows are saved with the store


def input_files(source: str) -> list[str]:
    files = []
    for root, _dirs, names in os.walk(source):
        files += [os.path.join(root, n) for n in names if n.endswith(".yaml")]
    files.sort()
    onto = ontology_dir()
    files += sorted(os.path.join(onto, n) for n in os.listdir(onto) if n.endswith(".ttl"))
    queries = queries_dir()
    files += sorted(os.path.join(queries, n) for n in os.listdir(queries) if n.endswith(".rq"))
    for layer in BUILD_LAYERS:
        code = os.path.join(PACKAGE, layer)
        files += sorted(os.path.join(code, n) for n in os.listdir(code) if n.endswith(".py"))
    return files


def signature(source: str) -> str:
    """Every input's path, size and modification time: what the store was built from."""
    lines = [f"sackg {__version__}", f"source {source}"]
    for path in input_files(source):
        stat = os.stat(path)
        lines.append(f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return "\n".join(lines) + "\n"


def fingerprint(source: str) -> str:
    text = signature(str(source)).encode()
    return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}"


def store_path(source) -> str:
    return os.path.join(cache_dir(), f"kb-{fingerprint(str(source))}")


def build_store(source: str, target: str, wanted: str) -> None:
    """Convert, validate and load the source into a new store at `target`. Call with the store's lock
    held exclusively: the store is written beside `target` and renamed into place when complete."""
    from pathlib import Path

    from kg.source.validate import conforming

    with FewerCollections():
        snapshot, _graph = conforming(Path(source))

    def fill(database: str):
        import pyoxigraph as ox

        store = ox.Store(database)
        store.bulk_extend(ox.parse(input=_ontology_ntriples() + snapshot.ntriples(), format=ox.RdfFormat.N_TRIPLES))
        return store

    _write_store(source, target, wanted, snapshot, fill)


def complete_store(source: str) -> str | None:
    """The store built from the data as it is now, held open for this process, or None when there is none
    yet (then the data has not been checked against the shapes as it is)."""
    path, wanted = store_path(source), signature(source)
    if not cache.complete(path, wanted):
        return None
    cache.hold(path)  # then it cannot be pruned before this process is done with it
    return path if cache.complete(path, wanted) else None


def update_store(source: str, before: str, previous: "Snapshot", snapshot: "Snapshot") -> None:
    """The store of the data as it is now, made from the store `before` (built from the data whose converted
    form was `previous`) by removing and adding the triples that differ, then saving what is derived from it
    again: the store a full build gives, without converting and validating the unchanged papers again. The
    precomputed answers are not: each is saved by the first process that asks for it (kg.engine.backend).
    Call with the data directory's lock held (kg.source.transaction); a crash leaves the store unbuilt, and
    the next command builds it in full."""
    import fcntl
    import shutil

    from kg.engine import facets, facts
    from kg.source.snapshot import ntriples

    wanted = signature(source)
    target = store_path(source)
    ontology = set(_ontology_ntriples().decode().split("\n"))
    removed = sorted(previous.lines - snapshot.lines - ontology)
    added = sorted(snapshot.lines - previous.lines)
    updates = tuple(index.Update(os.path.join(before, index.FILE)) for index in (facts, facets))

    def fill(database: str):
        import pyoxigraph as ox

        shutil.copytree(database_path(before), database)
        cache.release(before)  # copied: it may be pruned now
        store = ox.Store(database)
        gone = list(ox.parse(input=ntriples(removed), format=ox.RdfFormat.N_TRIPLES))
        new = list(ox.parse(input=ntriples(added), format=ox.RdfFormat.N_TRIPLES))
        for update in updates:
            update.touch(store, gone + new)
        for triple in gone:
            store.remove(triple)
        store.extend(new)
        for update in updates:
            update.touch(store, gone + new)
        return store

    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd = cache.locked(target + cache.LOCK, fcntl.LOCK_EX)
    try:
        if not cache.complete(target, wanted):
            _write_store(source, target, wanted, snapshot, fill, updates)
    finally:
        os.close(fd)


def _write_store(source: str, target: str, wanted: str, snapshot: "Snapshot", fill, updates: tuple | None = None) -> None:
    """Write a store beside `target` (`fill` makes its database), save what is derived from it (after an
    incremental change, by `updates`: see `save_derived`), mark it complete and rename it into place."""
    import shutil

    scratch = f"{target}.tmp-{os.getpid()}"
    cache.remove_scratch(target)  # builds of this store by processes that died: none runs now
    try:
        os.makedirs(scratch)
        with FewerCollections():
            store = fill(database_path(scratch))
            store.flush()
            save_derived(KnowledgeBase(store, time_limit=False), scratch, updates)  # no query of a build times out
            del store
        snapshot.save(scratch)
        _write(os.path.join(scratch, cache.COMPLETE), wanted)
        if os.path.isdir(target):
            shutil.rmtree(target)  # incomplete or stale; the exclusive lock says no process has it open
        os.rename(scratch, target)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    cache.prune(target, source)


def _ontology_ntriples() -> bytes:
    from kg.source.schema import load_ontology

    return load_ontology().serialize(format="nt", encoding="utf-8")


def save_derived(kb: "KnowledgeBase", directory: str, updates: tuple | None = None) -> None:
    """What is saved beside a new store: the summaries, the name index, the fact and facet indexes and the
    precomputed answers. After an incremental change, `updates` (of the fact and facet indexes) write the
    indexes from the old ones, and no answer is saved: each is saved by the first process that asks for it."""
    from kg.engine import facets, facts
    from kg.engine.names import Names

    for name in SUMMARIES:
        _write(os.path.join(directory, f"{name}.json"), json.dumps(encoded(kb.summary(name)), ensure_ascii=False))
    Names.save(Names.index_of(kb), os.path.join(directory, "names.sqlite"))
    if updates is None:
        facts.build(kb, os.path.join(directory, facts.FILE)).close()
        facets.build(kb, os.path.join(directory, facets.FILE))
        precompute(kb, directory)
    else:
        for update in updates:
            update.write(kb, directory)


def precompute(kb: "KnowledgeBase", directory: str, workers: int | None = None) -> int:
    """Run every `# precomputed: yes` template for each of its bindings and save the answers; returns
    how many were saved. They are part of the store, built from the same inputs, so never stale."""
    from concurrent.futures import ThreadPoolExecutor

    from kg.engine.templates import template, template_names

    values = {
        "metal": [row["metal"] for row in kb.select(template("alkali_metals").text)[1]],
        "quantity": [row["quantity"] for row in kb.select(template("measured_quantities").text)[1]],
        "direction": [False, True],
    }
    precomputed = [found for found in map(template, template_names()) if found.precomputed]
    runs = [(found, bindings) for found in precomputed for bindings in found.precomputed_bindings(values)]
    # threads: pyoxigraph runs a query without Python's lock; worker processes measured no faster (README)
    saved = 0
    by_template: dict = {}
    with ThreadPoolExecutor(workers or build_workers()) as pool:
        answers = pool.map(lambda run: kb.select(run[0].text, run[1]), runs)  # each saved, then let go
        for (found, bindings), (columns, rows) in zip(runs, answers):
            done, seen = by_template.setdefault(found, ([], {}))
            have = set()
            for answered, part in found.split_answer(bindings, columns, found.canonical(rows)):
                save_answer(directory, found.name, answered, columns, part)
                value = tuple(answered[p] for p in found.split)
                have.add(value)
                seen.setdefault(value, None)  # a dict keeps the order values were first seen in
                saved += 1
            done.append((bindings, columns, have))
    # a split value answered for one binding is saved, empty, for the others that lack it
    for found, (done, seen) in by_template.items():
        for bindings, columns, have in done:
            for value in seen:
                if value not in have:
                    save_answer(directory, found.name, {**bindings, **dict(zip(found.split, value))}, columns, [])
                    saved += 1
    return saved


def build_workers() -> int:
    """Threads that precompute answers: $SACKG_WORKERS, else one per core."""
    given = os.environ.get("SACKG_WORKERS", "").strip()
    if not given:
        return os.cpu_count() or 1
    if not given.isdigit() or not 1 <= int(given) <= 256:
        raise SackgError(f"SACKG_WORKERS={given[:20]!r}: expected a whole number of threads from 1 to 256")
    return int(given)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
