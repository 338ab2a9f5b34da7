"""Binding query parameters as escaped RDF terms in a VALUES block: the one way that works the same on
the embedded store, rdflib and any SPARQL endpoint. A bound value is always exactly one RDF term."""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import product

from kg.model.errors import SackgError
from kg.model.iris import SAC
from kg.model.numbers import plain
from kg.model.terms import Iri

_XSD = "http://www.w3.org/2001/XMLSchema#"
ANY = Iri(f"{SAC}any")  # bound to an optional parameter left open
SAFE_IRI = re.compile(r'^[^\x00-\x20<>"{}|^`\\]+$')
_HEADER = re.compile(r"(?:[ \t]*#[^\n]*\n)*")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def sparql_term(value) -> str:
    """A bound value written as an RDF term, escaped so that it can only ever be that one term."""
    if isinstance(value, Iri):
        if not SAFE_IRI.match(value.value):
            raise SackgError(f"not a valid IRI: {value.value!r}")
        return f"<{value.value}>"
    if isinstance(value, bool):
        return f'"{str(value).lower()}"^^<{_XSD}boolean>'
    if isinstance(value, int):
        return f'"{value}"^^<{_XSD}integer>'
    if isinstance(value, (Decimal, float)):
        if not Decimal(str(value)).is_finite():
            raise SackgError(f"not a finite number: {value}")
        return f'"{plain(Decimal(str(value)))}"^^<{_XSD}decimal>'
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def with_values(query: str, bindings: dict) -> str:
    """The query with its parameters bound by a VALUES block at the start of every WHERE group
    (the top level and each subquery), which is what substituting them amounts to.

    The SPARQL protocol has no other way to send bindings. Each value is a single, escaped RDF term
    (see `sparql_term`), so a bound value can never become query syntax. A list binds its variable to
    any one of its values.
    """
    if not bindings:
        return query
    names = sorted(bindings)
    choices = [bindings[n] if isinstance(bindings[n], (list, tuple)) else (bindings[n],) for n in names]
    # one block, a row per combination: pyoxigraph seeds the joins from it only when it is the sole block
    rows = " ".join("(" + " ".join(sparql_term(v) for v in row) + ")" for row in product(*choices))
    block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { " + rows + " }"
    header = _HEADER.match(query).end()  # the comment header may say anything
    groups = list(_WHERE.finditer(query, header))
    if not groups:
        raise SackgError("cannot bind parameters: the query has no WHERE clause")
    for match in reversed(groups):
        query = query[:match.end()] + "\n  " + block + "\n" + query[match.end():]
    return query


# what can hide a keyword: comments, strings (four quote styles) and IRIs; compiled on first use (these
# checks guard SPARQL a person wrote, which the `ask` path never runs)
_OPAQUE = (r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
           r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>')
_REACHING = r"(?<![\w?$:])(?:service|load)(?![\w:])"
MAX_NESTING = 64


def _bare(text: str) -> str:
    return re.sub(_OPAQUE, " ", text, flags=re.DOTALL)


def mentions_service(text: str) -> bool:
    """Whether SPARQL text reaches out to other addresses: SERVICE in a query, LOAD in an update (outside
    comments, strings and IRIs). Errs on the side of yes: a text it cannot read as text (escapes outside
    strings) counts as reaching out."""
    bare = _bare(text)
    return bool(re.search(_REACHING, bare, re.IGNORECASE)) or "\\u" in bare.lower()


def too_deep(text: str) -> bool:
    """Whether SPARQL text nests groups, brackets or parentheses deeper than MAX_NESTING (a parser that
    recurses would overflow its stack on thousands)."""
    if sum(text.count(c) for c in "{([") <= MAX_NESTING:
        return False
    depth = 0
    for match in re.finditer(r"[{}()\[\]]", _bare(text)):
        depth += 1 if match.group(0) in "{([" else -1
        if depth > MAX_NESTING:
            return True
    return False


def refused(text: str, federation: bool = False) -> str | None:
    """Why SPARQL a person wrote is not run, or None: it reaches other addresses, or nests too deep."""
    if not federation and mentions_service(text):
        return "SERVICE (federated query) is not run on a local store; query a server that allows it with --endpoint"
    if too_deep(text):
        return f"the query nests deeper than {MAX_NESTING} levels"
    return None
