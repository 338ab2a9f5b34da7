"""`sackg query`: any SPARQL with parameters bound from NAME=VALUE pairs."""

from __future__ import annotations

import os
import re

from kg.model.errors import SackgError
from kg.model.numbers import looks_like_number, parse_decimal
from kg.model.terms import Iri
from kg.model.text import shown


def parse_param(kb, text: str, names=None):
    name, sep, value = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
        raise SackgError(f"--param {shown(text)}: expected NAME=VALUE")
    if value.startswith("<") and value.endswith(">"):
        return name, Iri(value[1:-1])
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return name, value[1:-1]
    if looks_like_number(value):
        try:
            number = parse_decimal(value)
        except ValueError as exc:
            raise SackgError(f"--param {name}: {shown(value)}: {exc}") from None
        return name, int(number) if re.fullmatch(r"[-+]?\d+", value) else number
    if value in ("true", "false"):
        return name, value == "true"
    from kg.engine.names import Names

    return name, (names or Names(kb)).resolve(value).iri


def run_query(kb, file: str | None, sparql: str | None, params):
    if (file is None) == (sparql is None):
        raise SackgError("give a query FILE or --sparql TEXT (one of the two)")
    if file is not None:
        from kg.source.records import readable_file

        sparql = readable_file(file, file)
    from kg.engine.binding import refused

    why = refused(sparql, federation=not kb.local)  # a server applies its own policy
    if why:
        raise SackgError(why)
    bindings = dict(parse_param(kb, p) for p in params)
    columns, rows = kb.select(sparql, bindings)
    name = os.path.splitext(os.path.basename(file))[0] if file else None
    return sparql, name, columns, rows, bindings
