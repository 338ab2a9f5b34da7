"""The embedded pyoxigraph store (the default back-end), opened read-only on first use."""

from __future__ import annotations

import os

from kg.engine.backend import Backend, within
from kg.model.errors import SackgError
from kg.model.resources import timeout_seconds
from kg.model.terms import Iri, from_lexical

DATABASE = "oxigraph"  # the pyoxigraph database, in its own folder of a built store


def database_path(path: str) -> str:
    return os.path.join(path, DATABASE)


def _to_python(term):
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Iri(term.value)
    if isinstance(term, ox.BlankNode):
        return Iri(f"_:{term.value}")
    return from_lexical(term.value, term.datatype.value)


class KnowledgeBase(Backend):
    """The embedded pyoxigraph store (the default)."""

    def __init__(self, store, path: str | None = None, time_limit: bool = True):
        super().__init__()
        self._opened = store
        self.path = path
        self.time_limit = time_limit  # $SACKG_TIMEOUT for a person's question; none for a build's queries

    @property
    def _store(self):
        if isinstance(self._opened, Opening):
            self._opened = self._opened.result()
        return self._opened

    def select(self, query: str, bindings: dict | None = None) -> tuple[list[str], list[dict]]:
        """Run a SELECT query with its parameters bound.

        Parameters are bound with a VALUES block of escaped RDF terms (kg.engine.binding.with_values), not
        with pyoxigraph's `substitutions`: in pyoxigraph 0.5 those are applied after the pattern is
        evaluated, which made templates 3 to 300 times slower at literature scale (benchmarks/). Either
        way no text a person typed becomes query syntax. The query runs in a worker thread (pyoxigraph
        releases the GIL), so Ctrl-C and the time limit ($SACKG_TIMEOUT) stop it at once.
        """
        from kg.engine.binding import with_values

        text = with_values(query, bindings or {})
        return within(timeout_seconds() if self.time_limit else None, lambda: self._select(text))

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


class Opening:
    """A built store opened read-only on first use: a question answered from what was saved beside the
    store never pays for importing pyoxigraph and opening the store (about 10 ms)."""

    def __init__(self, path: str):
        self.path = path

    def result(self):
        import pyoxigraph as ox

        return ox.Store.read_only(database_path(self.path))
