"""The query store: a pyoxigraph database built from the source, rebuilt whenever the source changes.

The store is a derived artefact. Its directory name carries a fingerprint of every input (the
YAML data, the ontology and the code that converts them), so a store built from other inputs is
never opened. A new store is written to a temporary directory and renamed into place, so an
interrupted build leaves nothing half-written behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kg import __version__
from kg.errors import SackgError
from kg.resources import cache_dir, data_dir, ontology_dir, queries_dir

_PACKAGE = Path(__file__).resolve().parent
_BUILD_CODE = ("ingest.py", "source.py", "vocab.py", "namespaces.py", "validate.py", "store.py")
_COMPLETE = "BUILD-COMPLETE"
SUMMARIES = ("labels", "units", "quantities")  # templates whose rows are saved with the store
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {f"{_XSD}{t}" for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}


@dataclass(frozen=True)
class Iri:
    """An IRI in query bindings and results (plain strings are literals)."""

    value: str

    def __str__(self) -> str:
        return self.value


def input_files(source: Path) -> list[Path]:
    files = sorted(source.rglob("*.yaml"))
    files += sorted(ontology_dir().glob("*.ttl"))
    files += [queries_dir() / f"{name}.rq" for name in SUMMARIES]
    files += [_PACKAGE / name for name in _BUILD_CODE]
    return files


def fingerprint(source: Path) -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in input_files(source):
        digest.update(str(path.relative_to(path.parent.parent)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def _to_python(term):
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Iri(term.value)
    if isinstance(term, ox.BlankNode):
        return Iri(f"_:{term.value}")
    datatype = term.datatype.value
    if datatype == f"{_XSD}decimal":
        return Decimal(term.value)
    if datatype in _NUMERIC:
        return int(term.value)
    if datatype in (f"{_XSD}double", f"{_XSD}float"):
        return float(term.value)
    if datatype == f"{_XSD}boolean":
        return term.value == "true"
    return term.value


def _to_term(value):
    import pyoxigraph as ox

    if isinstance(value, Iri):
        return ox.NamedNode(value.value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(f"{_XSD}boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(f"{_XSD}integer"))
    if isinstance(value, (Decimal, float)):
        return ox.Literal(str(value), datatype=ox.NamedNode(f"{_XSD}decimal"))
    return ox.Literal(str(value))


def _encode(value):
    if isinstance(value, Iri):
        return ["iri", value.value]
    if isinstance(value, Decimal):
        return ["decimal", str(value)]
    return value


def _decode(value):
    if isinstance(value, list):
        return Iri(value[1]) if value[0] == "iri" else Decimal(value[1])
    return value


class KnowledgeBase:
    """A read-only SPARQL view of the knowledge base."""

    def __init__(self, store, path: Path | None = None):
        self._store = store
        self.path = path
        self._summaries: dict = {}

    def summary(self, name: str) -> list[dict]:
        """Rows of a summary template: saved with the store when it was built, else queried."""
        if name not in self._summaries:
            saved = self.path / f"{name}.json" if self.path else None
            if saved is not None and saved.exists():
                rows = [{k: _decode(v) for k, v in row.items()} for row in json.loads(saved.read_text())]
            else:
                from kg.query import run

                rows = run(self, name)[1]
            self._summaries[name] = rows
        return self._summaries[name]

    def select(self, query: str, bindings: dict | None = None) -> tuple[list[str], list[dict]]:
        """Run a SELECT query with parameters bound (never pasted into the text)."""
        import pyoxigraph as ox

        substitutions = {ox.Variable(k): _to_term(v) for k, v in (bindings or {}).items()}
        try:
            solutions = self._store.query(query, substitutions=substitutions)
        except SyntaxError as exc:
            raise SackgError(f"invalid SPARQL: {exc}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise SackgError("only SELECT queries are supported here")
        columns = [v.value for v in solutions.variables]
        rows = [{c: _to_python(s[c]) for c in columns} for s in solutions]
        return columns, rows

    def __len__(self) -> int:
        return len(self._store)


def store_path(source: Path) -> Path:
    return cache_dir() / f"kb-{fingerprint(source)}"


def open_kb(source: Path | None = None) -> KnowledgeBase:
    """Open the store built from `source`, building it first if the source has changed."""
    import pyoxigraph as ox

    source = (source or data_dir()).resolve()
    if not source.is_dir():
        raise SackgError(f"{source}: data directory not found")
    try:
        path = store_path(source)
    except OSError as exc:
        raise SackgError(f"{exc.filename}: cannot read ({exc.strerror})") from None
    if not (path / _COMPLETE).exists():
        build_store(source, path)
    return KnowledgeBase(ox.Store.read_only(str(path)), path)


def build_store(source: Path, target: Path) -> None:
    """Convert, validate and load the source into a new store at `target`, atomically."""
    import pyoxigraph as ox

    from kg.ingest import full_graph
    from kg.validate import validate_source

    built, violations = validate_source(source)
    if violations:
        raise SackgError("the data does not conform to the shapes:\n" + "\n".join(map(str, violations)))
    ntriples = full_graph(built).serialize(format="nt", encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    store = ox.Store(str(scratch))
    store.bulk_load(input=ntriples, format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    fresh = KnowledgeBase(store)
    for name in SUMMARIES:
        rows = [{k: _encode(v) for k, v in row.items()} for row in fresh.summary(name)]
        (scratch / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False))
    del store, fresh
    (scratch / _COMPLETE).write_text(f"{source}\n")
    try:
        os.rename(scratch, target)
    except OSError:
        if not (target / _COMPLETE).exists():
            raise
        shutil.rmtree(scratch, ignore_errors=True)  # another process built the same store first
    _prune(target)


def _prune(keep: Path) -> None:
    """Remove stores of older inputs, keeping the newest two besides `keep`."""
    others = sorted((p for p in keep.parent.glob("kb-*") if p != keep and "." not in p.name),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[2:]:
        shutil.rmtree(old, ignore_errors=True)
