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

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

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


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    title: str = ""
    summary: str = ""
    params: tuple = ()
    optional: tuple = ()
    cues: dict = field(default_factory=dict)
    avoid: dict = field(default_factory=dict)
    columns: tuple = ()
    table: tuple = ()
    lists: tuple = ()
    examples: tuple = ()

    @property
    def askable(self) -> bool:
        return bool(self.cues)


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
    )


@lru_cache(maxsize=None)
def template(name: str, directory: Path | None = None) -> Template:
    path = (directory or queries_dir()) / f"{name}.rq"
    try:
        return parse_template(name, path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SackgError(f"{path}: no such query template") from None


def template_names(directory: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (directory or queries_dir()).glob("*.rq"))


def askable_templates(directory: Path | None = None) -> list[Template]:
    return [t for t in (template(n, directory) for n in template_names(directory)) if t.askable]


def run(kb, name: str, **bindings):
    """Run template `name` with its parameters bound; returns (columns, rows)."""
    return kb.select(template(name).text, bindings)
