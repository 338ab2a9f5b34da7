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
  examples          example questions separated by `;`
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from kg.errors import SackgError
from kg.resources import queries_dir

_HEADER = re.compile(r"^#\s*(\w+):\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*\(([^)]*)\)$")


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
                 columns=(), table=(), lists=(), examples=(), precomputed=False):
        self.name, self.text, self.title, self.summary = name, text, title, summary
        self.precomputed = precomputed
        self.params, self.optional = params, optional
        self.cues, self.avoid = cues or {}, avoid or {}
        self.columns, self.table, self.lists, self.examples = columns, table, lists, examples

    def __repr__(self) -> str:
        return f"Template({self.name!r})"

    @property
    def askable(self) -> bool:
        return bool(self.cues)

    def precomputed_bindings(self, metals: list) -> list[dict]:
        """Every binding whose answer is saved with the store: each alkali metal for a metal parameter
        (and the open value, if it is optional); other optional parameters left open."""
        from itertools import product

        from kg.binding import ANY

        choices = []
        for name, kind in self.params:
            if kind != "metal":
                raise SackgError(f"{self.name}: only metal parameters can be precomputed, not {kind} '{name}'")
            choices.append([(name, m) for m in metals])
        for name, kind in self.optional:
            choices.append([(name, ANY)] + ([(name, m) for m in metals] if kind == "metal" else []))
        return [dict(combination) for combination in product(*choices)]


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
