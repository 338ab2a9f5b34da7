"""Values as SAC-KG passes them between engines and layers: IRIs, typed literals, and their JSON form."""

from __future__ import annotations

import re
from decimal import Decimal

from kg.model.numbers import canonical

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


def encoded(rows: list[dict]) -> list[dict]:
    """Result rows as JSON can hold them (IRIs and decimals tagged)."""
    return [{k: _encode(v) for k, v in row.items()} for row in rows]


def decoded(rows: list[dict]) -> list[dict]:
    return [{k: _decode(v) for k, v in row.items()} for row in rows]
