"""SPARQL templates: one `.rq` file per question, with a comment header describing it.

Header fields (each `# field: value`):
  title, summary    what the template answers
  params            required parameters, `name (kind)` separated by `;`
  optional          optional parameters, same form
  cues              words that point to this template, `word:weight` separated by spaces
  avoid             words that point away from it, same form
  columns           the answer's columns, in order
  table             the columns a text table shows (default: columns)
  lists             columns holding `; `-separated lists (sorted before output)
  (a `where` column, "§3.1 Fig. 3D, Fig. 3C", also has its figures sorted)
  examples          example questions separated by `;`
  precomputed       `yes`: the answers are saved with the store when it is built (kg.engine.build.precompute)
  split             parameters a precomputed template leaves unbound at build time; the one answer is
                    split by their columns into the answer for each value (a parameter must be a column)
  candidates        a precomputed ranking whose saved answer the template's answer is worked out from (kg.engine.narrow)
"""

from __future__ import annotations

import os
import re
from functools import cached_property, lru_cache

from kg.model.errors import SackgError
from kg.model.resources import queries_dir
from kg.model.text import sorted_list

_HEADER = re.compile(r"^#\s*(\w+):\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*\(([^)]*)\)$")
_AGGREGATE = re.compile(r"\b(COUNT|GROUP_CONCAT)\s*\(", re.IGNORECASE)
_ALIAS = re.compile(r"\s*AS\s+\?(\w+)", re.IGNORECASE)


def _params(text: str) -> tuple:
    found = []
    for part in text.split(";"):
        match = _PARAM.match(part.strip())
        if match:
            found.append((match.group(1), match.group(2).strip()))
    return tuple(found)


def _weights(text: str) -> dict:
    weights = {}
    for item in text.split():
        word, _, weight = item.partition(":")
        weights[word.lower()] = float(weight or 1)
    return weights


class Template:
    """One parsed `.rq` file."""

    def __init__(self, name, text, title="", summary="", params=(), optional=(), cues=None, avoid=None,
                 columns=(), table=(), lists=(), examples=(), precomputed=False, split=(), candidates=""):
        self.name, self.text, self.title, self.summary = name, text, title, summary
        self.precomputed, self.split, self.candidates = precomputed, split, candidates
        self.params, self.optional = params, optional
        self.cues, self.avoid = cues or {}, avoid or {}
        self.columns, self.table, self.lists, self.examples = columns, table, lists, examples

    def __repr__(self) -> str:
        return f"Template({self.name!r})"

    @property
    def askable(self) -> bool:
        return bool(self.cues)

    def precomputed_bindings(self, values: dict) -> list[dict]:
        """The bindings run when the store is built: each value of `values[kind]` for a parameter of
        that kind (and the open value for an optional one); a `split` parameter is left unbound, and
        other optional parameters are left open."""
        from itertools import product

        from kg.engine.binding import ANY

        choices = []
        for name, kind in self.params:
            if name in self.split:
                continue
            if kind not in values:
                raise SackgError(f"{self.name}: cannot precompute {kind} '{name}': bind only "
                                 f"{', '.join(sorted(values))} parameters, or split by it")
            choices.append([(name, v) for v in values[kind]])
        for name, kind in self.optional:
            choices.append([(name, ANY)] + ([(name, m) for m in values["metal"]] if kind == "metal" else []))
        return [dict(combination) for combination in product(*choices)]

    def canonical(self, rows: list[dict]) -> list[dict]:
        """Rows with each `lists` column sorted: GROUP_CONCAT's order is the engine's choice, so an
        answer is the same on every engine and whether it was saved or queried. A count or concatenation
        over an empty group that an engine leaves unbound (Comunica does) is the 0 or "" it means."""
        empty = self.empty_aggregates
        return [{k: sorted_list(v) if k in self.lists and isinstance(v, str) else empty[k] if v is None and k in empty
                 else _figures_sorted(v) if k == "where" and isinstance(v, str) else v for k, v in row.items()} for row in rows]

    @cached_property
    def empty_aggregates(self) -> dict:
        """The value of each COUNT and GROUP_CONCAT column over an empty group: {column: 0 or ""}."""
        found = {}
        for match in _AGGREGATE.finditer(self.text):
            depth, end = 1, match.end()
            while depth and end < len(self.text):
                depth += {"(": 1, ")": -1}.get(self.text[end], 0)
                end += 1
            named = _ALIAS.match(self.text, end)
            if named:
                found[named.group(1)] = 0 if match.group(1).upper() == "COUNT" else ""
        return found

    def split_answer(self, bindings: dict, columns: list[str], rows: list[dict]) -> list[tuple[dict, list[dict]]]:
        """An answer run with the `split` parameters unbound, as the answer of each of their values."""
        missing = [name for name in self.split if name not in columns]
        if missing:
            raise SackgError(f"{self.name}: cannot split by '{missing[0]}': the query does not select it")
        if not self.split:
            return [(bindings, rows)]
        parts: dict = {}
        for row in rows:
            parts.setdefault(tuple(row[name] for name in self.split), []).append(row)
        return [({**bindings, **dict(zip(self.split, key))}, part) for key, part in parts.items()]


def _figures_sorted(where: str) -> str:
    """A `where` cell ("§3.1 Fig. 3D, Fig. 3C") with its figures in one order, whatever the engine's."""
    section, _, figures = where.partition(" ")
    return f"{section} {sorted_list(figures, ', ')}"


def parse_template(name: str, text: str) -> Template:
    header = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            header[match.group(1)] = match.group(2).strip()
    examples = tuple(e.strip() for e in header.get("examples", "").split(";")
                     if e.strip() and not e.strip().startswith("("))
    columns = tuple(header.get("columns", "").split())
    return Template(
        name=name, text=text, title=header.get("title", name), summary=header.get("summary", ""),
        params=_params(header.get("params", "")), optional=_params(header.get("optional", "")),
        cues=_weights(header.get("cues", "")), avoid=_weights(header.get("avoid", "")),
        columns=columns, table=tuple(header.get("table", "").split()) or columns,
        lists=tuple(header.get("lists", "").split()), examples=examples,
        precomputed=header.get("precomputed", "").lower() == "yes",
        split=tuple(header.get("split", "").split()),
        candidates=header.get("candidates", ""),
    )


@lru_cache(maxsize=None)
def template(name: str, directory: str | None = None) -> Template:
    path = os.path.join(directory or queries_dir(), f"{name}.rq")
    try:
        with open(path, encoding="utf-8") as handle:
            return parse_template(name, handle.read())
    except FileNotFoundError:
        raise SackgError(f"{path}: no such query template") from None


def template_names(directory: str | None = None) -> list[str]:
    return sorted(f[:-3] for f in os.listdir(directory or queries_dir()) if f.endswith(".rq"))


def askable_templates(directory: str | None = None) -> list[Template]:
    return [t for t in (template(n, directory) for n in template_names(directory)) if t.askable]


def run(kb, name: str, **bindings):
    """Run template `name` with its parameters bound; returns (columns, rows)."""
    return kb.run_template(template(name), bindings)
