"""The query store: a pyoxigraph database built from the source, rebuilt whenever the source changes.

The store is a derived artefact. Its directory name carries a fingerprint of every input (the
YAML data, the ontology, the query templates and the code that converts them: path, size and
modification time of each), so a store built from other inputs is never opened. Saved beside it in
the same build: summaries, the name index, the fact index (kg.facts) and the answers of `# precomputed: yes` templates. A new
store is written to a scratch directory and renamed into place, so an interrupted build leaves
nothing half-written behind.

This module is on the `sackg ask` path: it avoids pathlib, hashlib and dataclasses, whose imports
cost more than the work they would do here.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import zlib
from decimal import Decimal

from kg import __version__, cache
from kg.errors import SackgError
from kg.numbers import canonical
from kg.resources import cache_dir, data_dir, ontology_dir, queries_dir, timeout_seconds

_PACKAGE = os.path.dirname(os.path.realpath(__file__))
_BUILD_CODE = ("ingest.py", "source.py", "numbers.py", "vocab.py", "namespaces.py", "iris.py", "validate.py", "store.py", "entities.py",
               "query.py", "binding.py", "text.py", "facts.py")
SUMMARIES = ("labels", "units", "quantities")  # templates whose rows are saved with the store
_ANSWERS = "answers"  # answers of templates marked `# precomputed: yes`, saved with the store
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DECIMAL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
_INTEGER = re.compile(r"[-+]?\d+")
_NUMERIC = {f"{_XSD}{t}" for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}


class Iri:
    """An IRI in query bindings and results (plain strings are literals)."""

    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value

    def __eq__(self, other) -> bool:
        return isinstance(other, Iri) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("iri", self.value))

    def __repr__(self) -> str:
        return f"Iri({self.value!r})"

    def __str__(self) -> str:
        return self.value


def input_files(source: str) -> list[str]:
    files = []
    for root, _dirs, names in os.walk(source):
        files += [os.path.join(root, n) for n in names if n.endswith(".yaml")]
    files.sort()
    onto = ontology_dir()
    files += sorted(os.path.join(onto, n) for n in os.listdir(onto) if n.endswith(".ttl"))
    queries = queries_dir()
    files += sorted(os.path.join(queries, n) for n in os.listdir(queries) if n.endswith(".rq"))
    files += [os.path.join(_PACKAGE, name) for name in _BUILD_CODE]
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


def from_lexical(value: str, datatype: str | None):
    """A literal's Python value, the same whichever engine returned it; ValueError for an ill-typed one."""
    if datatype == f"{_XSD}decimal":
        if len(value) > 64 or not _DECIMAL.fullmatch(value.strip()):
            raise ValueError(f"ill-typed xsd:decimal {value[:40]!r}")
        return canonical(Decimal(value))  # one form, whatever the engine wrote ("3600.0", "3600")
    if datatype in _NUMERIC:
        if len(value) > 64 or not _INTEGER.fullmatch(value.strip()):
            raise ValueError(f"ill-typed xsd:integer {value[:40]!r}")
        return int(value)
    if datatype in (f"{_XSD}double", f"{_XSD}float"):
        return float(value)  # ValueError when ill-typed
    if datatype == f"{_XSD}boolean":
        return value in ("true", "1")
    return value


def _to_python(term):
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Iri(term.value)
    if isinstance(term, ox.BlankNode):
        return Iri(f"_:{term.value}")
    return from_lexical(term.value, term.datatype.value)


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


def _encoded(rows: list[dict]) -> list[dict]:
    """Result rows as JSON can hold them (IRIs and decimals tagged)."""
    return [{k: _encode(v) for k, v in row.items()} for row in rows]


def _decoded(rows: list[dict]) -> list[dict]:
    return [{k: _decode(v) for k, v in row.items()} for row in rows]


def answer_key(bindings: dict) -> str:
    """A binding written canonically: the name of a precomputed answer."""
    from kg.binding import sparql_term

    return json.dumps(sorted((name, sparql_term(value)) for name, value in bindings.items()))


def answer_file(directory: str, name: str, key: str) -> str:
    return os.path.join(directory, _ANSWERS, f"{name}-{zlib.crc32(key.encode()):08x}.json")


class Backend:
    """A read-only SPARQL view of the knowledge base; subclasses supply `select` and `__len__`."""

    path: str | None = None
    local = True  # runs queries in this process (an endpoint is a server with its own policy)

    def __init__(self):
        self._summaries: dict = {}

    def run_template(self, template, bindings: dict) -> tuple[list[str], list[dict]]:
        """A template's answer: saved with the store when it was built (see `precompute`), else worked out
        from a saved ranking where the template names one (kg.narrow), else queried. An optional
        parameter not given is left open."""
        from kg.binding import ANY

        bindings = {**{name: ANY for name, _ in template.optional}, **bindings}
        saved = self.saved_answer(template, bindings)
        if saved is not None:
            return saved
        if template.candidates and self.path is not None:
            from kg.narrow import answered

            found = answered(self, template, bindings)
            if found is not None:
                return found
        columns, rows = self.select(template.text, bindings)
        missing = [c for c in template.columns if c not in columns]
        if missing:  # only an endpoint that does not answer the query it was sent
            raise SackgError(f"the answer to {template.name} lacks the column ?{missing[0]}")
        return columns, template.canonical(rows)

    def saved_answer(self, template, bindings: dict) -> tuple[list[str], list[dict]] | None:
        """The answer saved with the store for this template and binding, or None."""
        if not template.precomputed or self.path is None:
            return None
        key = answer_key(bindings)
        try:
            with open(answer_file(self.path, template.name, key), encoding="utf-8") as handle:
                saved = json.load(handle)
        except FileNotFoundError:
            return None
        if saved["key"] != key:
            return None
        return saved["columns"], _decoded(saved["rows"])

    def select(self, query: str, bindings: dict | None = None) -> tuple[list[str], list[dict]]:
        raise NotImplementedError

    def __len__(self) -> int:
        _, rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        count = rows[0].get("n") if rows else None
        if not isinstance(count, int):
            raise SackgError(f"the answer to a triple count is not a number: {str(count)[:40]!r}")
        return count

    def saved(self, name: str):
        """A JSON summary written with the store when it was built, or None."""
        if self.path is None:
            return None
        try:
            with open(os.path.join(self.path, f"{name}.json"), encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return None

    def summary(self, name: str) -> list[dict]:
        """Rows of a summary template: saved with the store when it was built, else queried."""
        if name not in self._summaries:
            saved = self.saved(name)
            if saved is not None:
                rows = _decoded(saved)
            else:
                from kg.query import run

                rows = run(self, name)[1]
            self._summaries[name] = rows
        return self._summaries[name]


class KnowledgeBase(Backend):
    """The embedded pyoxigraph store (the default)."""

    def __init__(self, store, path: str | None = None):
        super().__init__()
        self._opened = store
        self.path = path

    @property
    def _store(self):
        if isinstance(self._opened, Opening):
            self._opened = self._opened.result()
        return self._opened

    def select(self, query: str, bindings: dict | None = None) -> tuple[list[str], list[dict]]:
        """Run a SELECT query with its parameters bound.

        Parameters are bound with a VALUES block of escaped RDF terms (kg.backends.with_values), not
        with pyoxigraph's `substitutions`: in pyoxigraph 0.5 those are applied after the pattern is
        evaluated, which made templates 3 to 300 times slower at literature scale (benchmarks/). Either
        way no text a person typed becomes query syntax. The query runs in a worker thread (pyoxigraph
        releases the GIL), so Ctrl-C and the time limit ($SACKG_TIMEOUT) stop it at once.
        """
        from kg.binding import with_values

        text = with_values(query, bindings or {})
        return within(timeout_seconds(), lambda: self._select(text))

    def _select(self, text: str) -> tuple[list[str], list[dict]]:
        import pyoxigraph as ox

        solutions = None
        try:  # pyoxigraph's results must be dropped on the thread that made them: `finally` sees to it
            try:
                solutions = self._store.query(text)
            except SyntaxError as exc:
                raise SackgError(f"invalid SPARQL: {exc}") from None
            if not isinstance(solutions, ox.QuerySolutions):
                raise SackgError("only SELECT queries are supported here")
            columns = [v.value for v in solutions.variables]
            try:
                rows = [{c: _to_python(s[c]) for c in columns} for s in solutions]
            except OSError as exc:  # what pyoxigraph raises when evaluation fails
                message = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
                raise SackgError(f"query failed: {message}") from None
            except ValueError as exc:
                raise SackgError(f"the store holds an {exc}") from None
            return columns, rows
        finally:
            solutions = None

    def __len__(self) -> int:
        return len(self._store)


def within(seconds: float, work):
    """`work()`'s result, or SackgError once `seconds` have passed; Ctrl-C interrupts the wait. A query
    still running then is left to its daemon thread, which ends with the process."""
    import threading

    box: dict = {}

    def run():
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller
            box["error"] = exc

    worker = threading.Thread(target=run, name="sackg-query", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise SackgError(f"the query did not finish within {seconds:g} s (SACKG_TIMEOUT)")
    if "error" in box:
        raise box["error"]
    return box["value"]


def store_path(source) -> str:
    return os.path.join(cache_dir(), f"kb-{fingerprint(str(source))}")


BACKENDS = ("embedded", "rdflib", "endpoint")


def open_store(kind: str | None = None, source=None, endpoint: str | None = None) -> Backend:
    """The knowledge base on the chosen back-end: embedded (default), rdflib, or a SPARQL endpoint."""
    if endpoint is not None and not endpoint.strip():
        raise SackgError("--endpoint needs a URL (the endpoint's query URL), not an empty text")
    kind = kind or os.environ.get("SACKG_STORE") or ("endpoint" if endpoint else "embedded")
    if kind == "embedded":
        return open_kb(source)
    if kind == "rdflib":
        from kg.backends import RdflibBackend

        return RdflibBackend.from_source(os.path.realpath(str(source or data_dir())))
    if kind == "endpoint":
        endpoint = endpoint or os.environ.get("SACKG_ENDPOINT")
        if not endpoint:
            raise SackgError("--store endpoint needs --endpoint URL (the endpoint's query URL)")
        from kg.backends import EndpointBackend

        return EndpointBackend(endpoint)
    raise SackgError(f"unknown store '{kind}'; expected {', '.join(BACKENDS)}")


def open_kb(source=None) -> KnowledgeBase:
    """Open the embedded store built from `source`, building it first if the source has changed; safe
    when many processes open, build and prune stores in one cache at once (kg.cache)."""
    source = os.path.realpath(str(source or data_dir()))
    if not os.path.isdir(source):
        raise SackgError(f"{source}: data directory not found")
    from kg.transaction import reading

    with reading(source):  # no `sackg add` is part-way through a change while the files are read
        try:
            wanted = signature(source)
        except OSError as exc:
            raise SackgError(f"{exc.filename}: cannot read ({exc.strerror})") from None
        path = store_path(source)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        except OSError as exc:
            raise SackgError(f"{os.path.dirname(path)}: cannot create the store cache ({exc.strerror})") from None
        for _attempt in range(5):
            cache.hold(path)
            if cache.complete(path, wanted):
                break
            cache.release(path)  # this process may hold it for a store that has since gone
            fd = cache.locked(path + cache.LOCK, fcntl.LOCK_EX)
            try:
                if not cache.complete(path, wanted):
                    build_store(source, path, wanted)
            except BaseException:
                cache.unlink(path + cache.LOCK)  # nothing was built: leave no lock file behind
                raise
            finally:
                os.close(fd)
        else:  # pragma: no cover - only if other processes remove the store as fast as it is built
            raise SackgError(f"{path}: the store keeps being removed by other processes; try again")
    return KnowledgeBase(Opening(path), path)


class Opening:
    """A built store opened read-only on first use: a question answered from what was saved beside the
    store never pays for importing pyoxigraph and opening the store (about 10 ms)."""

    def __init__(self, path: str):
        self.path = path

    def result(self):
        import pyoxigraph as ox

        return ox.Store.read_only(self.path)


def build_store(source: str, target: str, wanted: str) -> None:
    """Convert, validate and load the source into a new store at `target`. Call with the store's lock
    held exclusively: the store is written beside `target` and renamed into place when complete."""
    import shutil
    from pathlib import Path

    import pyoxigraph as ox

    from kg.ingest import full_graph
    from kg.validate import validate_source

    built, violations = validate_source(Path(source))
    if violations:
        raise SackgError("the data does not conform to the shapes:\n" + "\n".join(map(str, violations)))
    ntriples = full_graph(built).serialize(format="nt", encoding="utf-8")
    scratch = f"{target}.tmp-{os.getpid()}"
    cache.remove_scratch(target)  # builds of this store by processes that died: none runs now
    try:
        store = ox.Store(scratch)
        store.bulk_load(input=ntriples, format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        save_derived(KnowledgeBase(store), scratch)
        del store
        _write(os.path.join(scratch, cache.COMPLETE), wanted)
        if os.path.isdir(target):
            shutil.rmtree(target)  # incomplete or stale; the exclusive lock says no process has it open
        os.rename(scratch, target)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    cache.prune(target, source)


def save_derived(kb: "KnowledgeBase", directory: str) -> None:
    """What is saved beside a new store: the summaries, the name index, the fact index and the precomputed
    answers."""
    from kg import facts
    from kg.entities import Names

    for name in SUMMARIES:
        _write(os.path.join(directory, f"{name}.json"), json.dumps(_encoded(kb.summary(name)), ensure_ascii=False))
    Names.save(Names.index_of(kb), os.path.join(directory, "names.sqlite"))
    facts.build(kb, os.path.join(directory, facts.FILE)).close()
    precompute(kb, directory)


def precompute(kb: "KnowledgeBase", directory: str) -> int:
    """Run every `# precomputed: yes` template for each of its bindings and save the answers; returns
    how many were saved. They are part of the store, built from the same inputs, so never stale."""
    from kg.query import template, template_names

    values = {
        "metal": [row["metal"] for row in kb.select(template("alkali_metals").text)[1]],
        "quantity": [row["quantity"] for row in kb.select(template("measured_quantities").text)[1]],
        "direction": [False, True],
    }
    os.makedirs(os.path.join(directory, _ANSWERS), exist_ok=True)
    saved = 0
    for name in template_names():
        found = template(name)
        if not found.precomputed:
            continue
        runs, seen = [], {}
        for bindings in found.precomputed_bindings(values):
            columns, rows = kb.select(found.text, bindings)
            have = set()
            for answered, part in found.split_answer(bindings, columns, found.canonical(rows)):
                _save_answer(directory, name, answered, columns, part)
                value = tuple(answered[p] for p in found.split)
                have.add(value)
                seen.setdefault(value, None)  # a dict keeps the order values were first seen in
                saved += 1
            runs.append((bindings, columns, have))
        # a split value answered for one binding is saved, empty, for the others that lack it
        for bindings, columns, have in runs:
            for value in seen:
                if value not in have:
                    _save_answer(directory, name, {**bindings, **dict(zip(found.split, value))}, columns, [])
                    saved += 1
    return saved


def _save_answer(directory: str, name: str, bindings: dict, columns: list[str], rows: list[dict]) -> None:
    key = answer_key(bindings)
    _write(answer_file(directory, name, key),
           json.dumps({"key": key, "columns": columns, "rows": _encoded(rows)}, ensure_ascii=False))


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
