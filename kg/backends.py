"""The other two back-ends: an in-memory rdflib graph, and any SPARQL 1.1 endpoint over HTTP."""

from __future__ import annotations

import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request

from kg.errors import SackgError
from kg.binding import with_values
from kg.store import Backend, Iri, from_lexical



class RdflibBackend(Backend):
    """The knowledge base as an rdflib Graph in memory, queried with rdflib's own SPARQL engine."""

    def __init__(self, graph):
        super().__init__()
        self.graph = graph

    _built: dict = {}  # signature of the inputs -> graph; a changed input has another signature

    @classmethod
    def from_source(cls, source: str) -> "RdflibBackend":
        from pathlib import Path

        from kg.store import signature
        from kg.transaction import reading

        with reading(source):
            key = signature(source)
            if key in cls._built:
                return cls(cls._built[key])

            from kg.ingest import full_graph
            from kg.validate import validate_source

            built, violations = validate_source(Path(source))
        if violations:
            raise SackgError("the data does not conform to the shapes:\n" + "\n".join(map(str, violations)))
        graph = full_graph(built)
        cls._built = {key: graph}
        return cls(graph)

    def select(self, query: str, bindings: dict | None = None):
        from rdflib import BNode, Literal, URIRef
        from pyparsing import ParseException

        init = {k: _rdflib_term(v) for k, v in (bindings or {}).items()}
        try:
            result = self.graph.query(query, initBindings=init)
        except ParseException as exc:
            raise SackgError(f"invalid SPARQL: {exc}") from None
        if result.type != "SELECT":
            raise SackgError("only SELECT queries are supported here")
        columns = [str(v) for v in result.vars]
        rows = []
        for row in result:
            values = {}
            for column, term in zip(columns, row):
                if term is None:
                    values[column] = None
                elif isinstance(term, URIRef):
                    values[column] = Iri(str(term))
                elif isinstance(term, BNode):
                    values[column] = Iri(f"_:{term}")
                elif isinstance(term, Literal):
                    datatype = str(term.datatype) if term.datatype else None
                    values[column] = from_lexical(str(term), datatype)
            rows.append(values)
        return columns, rows

    def __len__(self) -> int:
        return len(self.graph)


def _rdflib_term(value):
    from decimal import Decimal

    from rdflib import XSD, Literal, URIRef

    if isinstance(value, Iri):
        return URIRef(value.value)
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, (Decimal, float)):
        return Literal(Decimal(str(value)), datatype=XSD.decimal)
    return Literal(str(value))


class EndpointBackend(Backend):
    """Any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, QLever), given its query URL."""

    def __init__(self, url: str, timeout: float | None = None):
        super().__init__()
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise SackgError(f"{url}: not an http(s) URL")
        self.url = url
        self.timeout = timeout or float(os.environ.get("SACKG_TIMEOUT", "30"))

    def select(self, query: str, bindings: dict | None = None):
        body = with_values(query, bindings or {}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/sparql-query; charset=utf-8",
            "Accept": "application/sparql-results+json"})
        payload = self._send(request)
        try:
            data = json.loads(payload)
            columns = data["head"]["vars"]
            bound = data["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            if "boolean" in str(payload[:200]):
                raise SackgError("only SELECT queries are supported here") from None
            raise SackgError(f"{self.url}: not a SPARQL endpoint (the answer is not SPARQL JSON results)") from None
        rows = [{c: _json_term(b.get(c)) for c in columns} for b in bound]
        return columns, rows

    def _send(self, request) -> bytes:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            first = detail[0][:200] if detail else exc.reason
            if exc.code == 400:  # what SPARQL servers answer to a query they cannot parse
                raise SackgError(f"invalid SPARQL: {first}") from None
            raise SackgError(f"{self.url}: HTTP {exc.code}: {first}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise SackgError(f"{self.url}: timed out after {self.timeout:g} s") from None
            if isinstance(reason, ConnectionRefusedError):
                raise SackgError(f"{self.url}: connection refused") from None
            raise SackgError(f"{self.url}: {reason}") from None
        except (socket.timeout, TimeoutError):
            raise SackgError(f"{self.url}: timed out after {self.timeout:g} s") from None

    def push(self, ntriples: bytes, store_url: str | None = None) -> None:
        """Replace the endpoint's default graph (SPARQL 1.1 Graph Store Protocol)."""
        target = store_url or store_url_for(self.url)
        request = urllib.request.Request(target, data=ntriples, method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        self._send(request)


def store_url_for(query_url: str) -> str:
    """The Graph Store Protocol URL of an endpoint's default graph, from its query URL."""
    base = re.sub(r"/(query|sparql)/?$", "", query_url)
    return f"{base}/store?default"


def _json_term(term):
    if term is None:
        return None
    kind = term["type"]
    if kind == "uri":
        return Iri(term["value"])
    if kind == "bnode":
        return Iri(f"_:{term['value']}")
    return from_lexical(term["value"], term.get("datatype"))
