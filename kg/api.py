"""SAC-KG from Python: one entry point, `kg.open()`, for notebooks and scripts.

    >>> import kg
    >>> kb = kg.open()
    >>> kb.ask("lowest nucleation overpotential for K").rows[0]["systemName"]
    'SA-Co@HC'

Everything the command line does goes through the same library functions, so an answer here is the
answer `sackg` prints. Names are resolved as `sackg query --param` resolves them ("Na", "ZnSA-N-C").
"""

from __future__ import annotations

from decimal import Decimal

from kg.model.errors import SackgError
from kg.model.table import Table
from kg.model.terms import Iri


class Result(Table):
    """Rows of a query: `columns`, `rows` (dicts, numbers as `Decimal`, IRIs as `Iri`), the `note`, and the
    `sparql` that ran. The same result type the command line prints (kg.model.table.Table)."""

    def __init__(self, columns: list[str], rows: list[dict], sparql: str = "", note: str = ""):
        super().__init__("", list(columns), rows, note)
        self.sparql = sparql

    def __repr__(self) -> str:
        return f"<Result: {len(self.rows)} rows of {', '.join(self.columns)}>"

    def __len__(self) -> int:
        return len(self.rows)

    def to_dataframe(self):
        """The rows as a pandas DataFrame (pandas is an optional extra: pip install 'sackg[notebook]'):
        numbers as floats, IRIs as text, missing values as None."""
        return dataframe(self.columns, self.rows)


class Answer(Result):
    """The answer to a question: its rows, the `note` that explains them, the `template` that answered,
    the `bindings` it ran with, and the query that ran (`sparql`, or the fact index's SQL search)."""

    def __init__(self, found):
        super().__init__(found.columns, found.rows, found.ran(), found.note)
        self.question, self.template, self.language = found.question, found.template.name, found.language
        self.bindings = {name: found.labels.get(name) or _plain(value) for name, value in found.bindings.items()}
        self.related = found.related

    def __repr__(self) -> str:
        return f"<Answer from {self.template}: {len(self.rows)} rows>"


class KnowledgeBase:
    """The knowledge base, opened on one back-end; see `open`."""

    def __init__(self, backend):
        self.backend = backend
        self._reader = None
        self._names = None

    def __repr__(self) -> str:
        return f"<SAC-KG knowledge base on {type(self.backend).__name__}>"

    def ask(self, question: str) -> Answer:
        """The answer to a question in plain English, as `sackg ask` gives it."""
        from kg.ask.answering import answer
        from kg.ask.reader import Reader

        if self._reader is None:
            self._reader = Reader(self.backend)
        return Answer(answer(self.backend, question, self._reader))

    def run(self, name: str, **params) -> Result:
        """A query template by name (`sackg questions`, `queries/*.rq`), its parameters given by name:
        an entity's name, an `Iri`, a number or a boolean."""
        from kg.engine.binding import with_values
        from kg.engine.templates import template

        found = template(name)
        known = {p for p, _ in (*found.params, *found.optional)}
        unknown = sorted(set(params) - known)
        if unknown:
            raise SackgError(f"{name}: no parameter '{unknown[0]}'; expected {', '.join(sorted(known)) or 'none'}")
        missing = [p for p, _ in found.params if p not in params]
        if missing:
            raise SackgError(f"{name}: give the parameter '{missing[0]}'")
        bindings = {p: self._value(v) for p, v in params.items()}
        columns, rows = self.backend.run_template(found, bindings)
        return Result(columns, rows, with_values(found.text, bindings))

    def select(self, sparql: str, **params) -> Result:
        """Any SPARQL SELECT query, with `?name` bound to each parameter given (never pasted into the text)."""
        from kg.engine.binding import refused, with_values

        reason = refused(sparql)
        if reason:
            raise SackgError(reason)
        bindings = {p: self._value(v) for p, v in params.items()}
        columns, rows = self.backend.select(sparql, bindings)
        return Result(columns, rows, with_values(sparql, bindings))

    def show(self, name: str):
        """Everything recorded about one entity (`sackg show`): `.summary`, `.tables`, `.doubts`."""
        from kg.field.show import describe

        return describe(self.backend, name)

    def stats(self) -> Result:
        """How many entities of each class (`sackg stats`)."""
        from kg.field.show import stats

        table = stats(self.backend)
        return Result(table.columns, table.rows)

    def graph(self):
        """The evidence graph as a networkx MultiDiGraph (systems, mechanisms, claims, values, references)."""
        from kg.field.graph import build_graph

        return build_graph(self.backend)

    def plot(self, kind: str, output: str | None = None, metal: str | None = None, format: str | None = None):  # noqa: A002
        """A figure of `sackg plot` (cycle-life, overpotential, nucleation, binding-energy, gaps), written to
        `output` (PNG, SVG or PDF) if given: `.figure` is the matplotlib Figure, `.count` what it draws."""
        from kg.publish.plots import build, plot

        return plot(self.backend, kind, output, format, metal) if output else build(self.backend, kind, metal)

    def viz(self, output: str, focus: str | None = None, depth: int = 1, metal: str | None = None,
            mechanism: str | None = None) -> int:
        """Write the interactive graph page (`sackg viz`) to `output`; returns the number of entities drawn."""
        from kg.publish.viz import write_graph

        return write_graph(self.backend, output, focus, depth, metal, mechanism)

    def _value(self, value):
        if isinstance(value, (Iri, bool, int, Decimal)):
            return value
        if isinstance(value, float):
            return Decimal(str(value))
        if isinstance(value, str):
            if value.startswith("<") and value.endswith(">"):
                return Iri(value[1:-1])
            from kg.engine.names import Names

            if self._names is None:
                self._names = Names(self.backend)
            return self._names.resolve(value).iri
        raise SackgError(f"cannot bind a {type(value).__name__}: give a name, an Iri, a number or a boolean")


def open(data=None, endpoint: str | None = None, store: str | None = None,  # noqa: A001
         graph: str | None = None) -> KnowledgeBase:
    """The knowledge base: the bundled data (or the curated YAML in `data`) on the embedded store, or a
    SPARQL `endpoint`'s query URL, reading only the named `graph` if given; `store` picks the back-end by
    name (embedded, rdflib, endpoint)."""
    from kg.engine.opening import open_store

    return KnowledgeBase(open_store(store, data, endpoint, graph))


def dataframe(columns: list[str], rows: list[dict]):
    try:
        import pandas
    except ImportError:
        raise SackgError("to_dataframe needs pandas: pip install 'sackg[notebook]'") from None
    return pandas.DataFrame([[_plain(row.get(c)) for c in columns] for row in rows], columns=columns)


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Iri):
        return value.value
    return value
