"""SPARQL templates: one `.rq` file per question, with a comment header describing it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import SackgError
from kg.resources import queries_dir

_HEADER = re.compile(r"^#\s*(\w+):\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*\(([^)]*)\)$")


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    title: str = ""
    summary: str = ""
    params: tuple = field(default_factory=tuple)  # ((name, kind), ...)
    examples: tuple = field(default_factory=tuple)


def parse_template(name: str, text: str) -> Template:
    header = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            header[match.group(1)] = match.group(2).strip()
    params = []
    for part in header.get("params", "").split(";"):
        match = _PARAM.match(part.strip())
        if match:
            params.append((match.group(1), match.group(2).strip()))
    examples = tuple(e.strip() for e in header.get("examples", "").split(";") if e.strip() and not e.strip().startswith("("))
    return Template(name, text, header.get("title", name), header.get("summary", ""), tuple(params), examples)


@lru_cache(maxsize=None)
def template(name: str, directory: Path | None = None) -> Template:
    path = (directory or queries_dir()) / f"{name}.rq"
    try:
        return parse_template(name, path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SackgError(f"{path}: no such query template") from None


def template_names(directory: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (directory or queries_dir()).glob("*.rq"))


def run(kb, name: str, **bindings):
    """Run template `name` with its parameters bound; returns (columns, rows)."""
    return kb.select(template(name).text, bindings)
