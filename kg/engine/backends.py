"""The other two back-ends: an in-memory rdflib graph, and any SPARQL 1.1 endpoint over HTTP."""

from __future__ import annotations

import json
import re
import socket
import urllib.parse

from kg.engine.backend import Backend
from kg.engine.binding import SAFE_IRI, with_values
from kg.model.errors import SackgError
from kg.model.resources import timeout_seconds
from kg.model.terms import Iri, from_lexical
from kg.model.text import escaped, shown


class RdflibBackend(Backend):
    """The knowledge base as an rdflib Graph in memory, queried with rdflib's own SPARQL engine."""

    def __init__(self, graph):
        super().__init__()
        self.graph = graph

    _built: dict = {}  # signature of the inputs -> graph; a changed input has another signature

    @classmethod
    def from_source(cls, source: str) -> "RdflibBackend":
        from pathlib import Path

        from kg.engine.build import signature
        from kg.source.transaction import reading

        with reading(source):
            key = signature(source)
            if key in cls._built:
                return cls(cls._built[key])

            from kg.source.validate import conforming_graph

            graph = conforming_graph(Path(source))
        cls._built = {key: graph}
        return cls(graph)

    def select(self, query: str, bindings: dict | None = None):
        from pyparsing import ParseException
        from rdflib import BNode, Literal, URIRef

        bindings = bindings or {}
        if any(isinstance(v, (list, tuple)) for v in bindings.values()):  # initBindings takes one term each
            query, bindings = with_values(query, bindings), {}
        init = {k: _rdflib_term(v) for k, v in bindings.items()}
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


MAX_ANSWER_BYTES = 256 * 1024 * 1024
# Servers that need a prologue, by the start of their Server header. Virtuoso 7.2 picks its join order from random
# samples of the data: some orders give wrong rows (every system for a support kind) or need more than its 400 MB
# pool to compile; in the written order (the one the templates are written and measured in) neither happens.
PROLOGUES = {"Virtuoso/": 'DEFINE sql:select-option "order"\n'}
_TERM_TYPES = ("uri", "literal", "typed-literal", "bnode")


class EndpointBackend(Backend):
    """Any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, QLever), given its query URL.

    Each request is bounded in total time ($SACKG_TIMEOUT, default 30 s) and size, follows no redirect,
    and every answer that is not well-formed SPARQL JSON results is a one-line error.
    """

    local = False

    def __init__(self, url: str, timeout: float | None = None, graph: str | None = None):
        super().__init__()
        self.url = url
        self._target(url)  # a malformed URL fails here, before anything is sent
        self.graph = checked_graph(graph)
        self.timeout = timeout or timeout_seconds()
        self.server: str | None = None  # its Server header, once it has answered

    def _target(self, url: str):
        try:
            parsed = urllib.parse.urlsplit(url)
            parsed.port  # noqa: B018 - raises ValueError for a port out of range
        except ValueError as exc:
            raise SackgError(f"{shown(url, 200, quote=False)}: not a valid URL ({exc})") from None
        if parsed.scheme not in ("http", "https") or not parsed.hostname or _UNSAFE_URL.search(url):
            raise SackgError(f"{shown(url, 200, quote=False)}: not an http(s) URL")
        return parsed

    def select(self, query: str, bindings: dict | None = None):
        """A form-encoded POST, the one way of the SPARQL 1.1 protocol every server accepts; only the
        knowledge base's graph is read when one is named."""
        fields = [("query", self._prologue() + with_values(query, bindings or {}))]
        if self.graph:
            fields.append(("default-graph-uri", self.graph))
        payload = self._send("POST", self.url, urllib.parse.urlencode(fields).encode("ascii"), {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json, application/json;q=0.5"})
        return self._rows(payload)

    def _prologue(self) -> str:
        """What this server needs before every query, known from its Server header (one ASK the first time)."""
        if self.server is None:
            self._send("POST", self.url, urllib.parse.urlencode([("query", "ASK {}")]).encode("ascii"),
                       {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        return next((text for name, text in PROLOGUES.items() if (self.server or "").startswith(name)), "")

    def _rows(self, payload: bytes):
        where = shown(self.url, 200, quote=False)
        try:
            data = json.loads(payload)
        except RecursionError:
            raise SackgError(f"{where}: the answer is nested too deeply to be SPARQL JSON results") from None
        except ValueError:
            raise SackgError(f"{where}: not a SPARQL endpoint (the answer is not SPARQL JSON results)") from None
        if isinstance(data, dict) and "boolean" in data and "results" not in data:
            raise SackgError("only SELECT queries are supported here")
        head = data.get("head") if isinstance(data, dict) else None
        results = data.get("results") if isinstance(data, dict) else None
        columns = head.get("vars") if isinstance(head, dict) else None
        bound = results.get("bindings") if isinstance(results, dict) else None
        if not (isinstance(columns, list) and all(isinstance(c, str) for c in columns) and isinstance(bound, list)):
            raise SackgError(f"{where}: not a SPARQL endpoint (the answer is not SPARQL JSON results)")
        rows = []
        for binding in bound:
            if not isinstance(binding, dict):
                raise SackgError(f"{where}: malformed answer: a result row is not an object")
            extra = next((name for name in binding if name not in columns), None)
            if extra is not None:
                raise SackgError(f"{where}: malformed answer: a row binds {shown('?' + str(extra))}, "
                                 "which the answer's head does not list")
            try:
                rows.append({c: _json_term(binding.get(c)) for c in columns})
            except ValueError as exc:
                raise SackgError(f"{where}: malformed answer: {exc}") from None
        return columns, rows

    def _send(self, method: str, url: str, body: bytes, headers: dict) -> bytes:
        """The body of a 2xx answer; one SackgError for anything else, within `self.timeout` in total."""
        import http.client
        import threading
        import time

        parsed = self._target(url)
        where = shown(url, 200, quote=False)
        connection_class = http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(parsed.hostname, parsed.port, timeout=self.timeout)
        deadline = time.monotonic() + self.timeout
        connection._create_connection = lambda *args, **kw: DeadlineSocket.of(socket.create_connection(*args, **kw),
                                                                               deadline)
        expired = threading.Event()

        def expire():  # ends a request that is still running when the time is up, whatever it is doing
            expired.set()
            sock = connection.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        timer = threading.Timer(self.timeout, expire)
        timer.daemon = True
        timer.start()
        try:
            path = urllib.parse.urlunsplit(("", "", parsed.path or "/", parsed.query, ""))
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            self.server = response.getheader("Server") or ""
            if 300 <= response.status < 400:
                location = response.getheader("Location") or "nowhere"
                raise SackgError(f"{where}: HTTP {response.status}: redirected to {shown(location)} "
                                 "(give that URL with --endpoint)")
            if response.status >= 400:
                first = _first_line(response.read(65536))
                if response.status == 400:  # what SPARQL servers answer to a query they cannot parse
                    raise SackgError(f"invalid SPARQL: {first}")
                raise SackgError(f"{where}: HTTP {response.status}: {first or response.reason}")
            chunks, size = [], 0
            while True:
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                size += len(chunk)
                if expired.is_set():
                    raise socket.timeout()
                if size > MAX_ANSWER_BYTES:
                    raise SackgError(f"{where}: the answer is larger than {MAX_ANSWER_BYTES >> 20} MB")
                chunks.append(chunk)
            if expired.is_set():
                raise socket.timeout()
            if response.length:  # fewer bytes than Content-Length said
                raise http.client.IncompleteRead(b"")
            return b"".join(chunks)
        except SackgError:
            raise
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set() or isinstance(exc, (socket.timeout, TimeoutError)):
                raise SackgError(f"{where}: timed out after {self.timeout:g} s") from None
            if isinstance(exc, ConnectionRefusedError):
                raise SackgError(f"{where}: connection refused") from None
            if isinstance(exc, http.client.LineTooLong):
                raise SackgError(f"{where}: malformed answer: a header line is too long") from None
            if isinstance(exc, (http.client.RemoteDisconnected, http.client.IncompleteRead, ConnectionResetError)):
                raise SackgError(f"{where}: the server closed the connection before the answer was complete") from None
            if isinstance(exc, http.client.HTTPException):
                raise SackgError(f"{where}: malformed answer ({type(exc).__name__})") from None
            reason = exc.strerror or str(exc) or type(exc).__name__
            raise SackgError(f"{where}: {escaped(str(reason).splitlines()[0][:200])}") from None
        finally:
            timer.cancel()
            connection.close()

    def push(self, ntriples: bytes, store_url: str | None = None) -> None:
        """Replace the knowledge base's graph, or the default graph when none is named (SPARQL 1.1 Graph
        Store Protocol)."""
        service = store_url or store_url_for(self.url)
        self._target(service)  # a malformed URL is named as given
        self._send("PUT", graph_store_url(service, self.graph), ntriples, {"Content-Type": "application/n-triples"})


class DeadlineSocket(socket.socket):
    """A socket whose every receive and send waits at most until one deadline for the whole request."""

    deadline = 0.0

    @classmethod
    def of(cls, sock: socket.socket, deadline: float) -> "DeadlineSocket":
        wrapped = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        wrapped.deadline = deadline
        return wrapped

    def _remaining(self) -> None:
        import time

        left = self.deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("deadline")
        self.settimeout(left)

    def recv_into(self, *args, **kwargs):
        self._remaining()
        return super().recv_into(*args, **kwargs)

    def recv(self, *args, **kwargs):
        self._remaining()
        return super().recv(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self._remaining()
        return super().sendall(*args, **kwargs)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE_URL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def _first_line(body: bytes) -> str:
    """The first line of text in an error page (tags dropped), escaped and shortened."""
    text = re.sub(r"<[^>]*>", " ", body.decode("utf-8", "replace"))
    for line in text.splitlines():
        if line.strip():
            return escaped(" ".join(line.split())[:200])
    return ""


def store_url_for(query_url: str) -> str:
    """Oxigraph's Graph Store Protocol service, from its query URL; other servers name theirs with --store-url
    (Virtuoso: /sparql-graph-crud, Fuseki: /DATASET/data)."""
    base = re.sub(r"/(query|sparql)/?$", "", query_url)
    return f"{base}/store"


def graph_store_url(service: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of one graph: `?graph=IRI`, or `?default`; a URL that already names its
    graph is kept as given."""
    parsed = urllib.parse.urlsplit(service)
    query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
    if "graph" in query or "default" in query:
        return service
    selector = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    return urllib.parse.urlunsplit(parsed._replace(query="&".join(filter(None, [parsed.query, selector]))))


def checked_graph(graph: str | None) -> str | None:
    """The graph IRI given with --graph, or None; a one-line error when it is not an absolute IRI."""
    if graph is None:
        return None
    parsed = urllib.parse.urlsplit(graph)
    if not parsed.scheme or not (parsed.netloc or parsed.path) or not SAFE_IRI.match(graph):
        raise SackgError(f"--graph {shown(graph, 200, quote=False)}: not an absolute IRI (e.g. https://example.org/sackg)")
    return graph


def _json_term(term):
    """One term of SPARQL JSON results as a Python value; ValueError when it is not a well-formed term."""
    if term is None:
        return None
    if not isinstance(term, dict) or term.get("type") not in _TERM_TYPES or not isinstance(term.get("value"), str):
        raise ValueError("a value is not an RDF term (an object with a known 'type' and a string 'value')")
    datatype = term.get("datatype")
    if datatype is not None and not isinstance(datatype, str):
        raise ValueError("a literal's datatype is not a string")
    kind, value = term["type"], _LONE_SURROGATE.sub("\ufffd", term["value"])  # JSON escapes may hold any code point
    if kind == "uri":
        return Iri(value)
    if kind == "bnode":
        return Iri(f"_:{value}")
    return from_lexical(value, datatype)
