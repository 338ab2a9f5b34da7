"""`sackg serve` and `sackg push`: the knowledge base on a real SPARQL server (Oxigraph server, PyPI `oxigraph`).

`serve` puts a small guard in front of the Oxigraph server. The server listens on a private port of
127.0.0.1; the guard listens on the port the user asked for and passes every request on unchanged,
except that it refuses:
- queries and updates that use `SERVICE` (federation would let any web page that can send a request to
  this machine reach other addresses through the server), unless `--allow-federation`;
- requests whose `Host` is not this server (DNS rebinding).
Each query also has a time limit (Oxigraph's `--timeout-s`).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

from kg.engine.binding import MAX_NESTING, mentions_service, too_deep
from kg.model.errors import SackgError

MAX_REQUEST_BYTES = 512 * 1024 * 1024
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
               "transfer-encoding", "upgrade", "host", "content-length"}
def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if not found:
        raise SackgError("the Oxigraph server is not installed (pip install oxigraph)")
    return found


class Server:
    """The Oxigraph server and the guard in front of it. A query that outlives its time limit is stopped
    by restarting the Oxigraph server (Oxigraph's own limit does not interrupt every query)."""

    def __init__(self, location: str, writable: bool, timeout: float, guard, copy: str | None):
        import threading

        self.location, self.writable, self.timeout, self.guard, self.copy = location, writable, timeout, guard, copy
        self._lock = threading.Lock()
        self._stopping = False
        self.process, guard.inner = _oxigraph(location, writable, timeout)
        guard.owner = self

    def restart(self) -> None:
        with self._lock:
            if self._stopping:
                return
            _stop(self.process)
            self.process, self.guard.inner = _oxigraph(self.location, self.writable, self.timeout)

    def poll(self):
        with self._lock:
            return self.process.poll()

    def wait(self, timeout: float | None = None):
        """The Oxigraph server's exit code once it stops for good (a restart does not count)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            code = self.poll()
            if code is not None:
                return code
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("oxigraph", timeout)
            time.sleep(0.1)

    def terminate(self) -> None:
        with self._lock:
            self._stopping = True
            self.guard.shutdown()
            self.guard.server_close()
            _stop(self.process)
        if self.copy:
            shutil.rmtree(self.copy, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start(store_path: str, port: int, writable: bool = False, host: str = "127.0.0.1", timeout: float = 30,
          allow_federation: bool = False) -> tuple[Server, str]:
    """Start the Oxigraph server on a built store behind the guard; returns it and the query URL once it answers."""
    import threading

    from kg.engine.embedded import database_path

    guard = _guard(host, port, allow_federation, timeout)
    copy = None
    try:
        location = database_path(store_path)
        if writable:  # never write into the derived store: serve a copy
            copy = location = tempfile.mkdtemp(prefix="sackg-serve-")
            shutil.rmtree(location)
            shutil.copytree(database_path(store_path), location)
        server = Server(location, writable, timeout, guard, copy)
    except BaseException:
        guard.server_close()
        if copy:
            shutil.rmtree(copy, ignore_errors=True)
        raise
    threading.Thread(target=guard.serve_forever, name="sackg-guard", daemon=True).start()
    return server, f"http://{host}:{port}/query"


def _oxigraph(location: str, writable: bool, timeout: float) -> tuple[subprocess.Popen, tuple[str, int]]:
    """The Oxigraph server on a free private port, once it answers."""
    import socket
    import urllib.request

    env = {k: v for k, v in os.environ.items() if not k.startswith("RUST_")}  # messages, not backtraces
    for _attempt in range(3):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            inner = ("127.0.0.1", probe.getsockname()[1])
        command = [oxigraph_binary(), "serve" if writable else "serve-read-only", "--location", location,
                   "--bind", f"{inner[0]}:{inner[1]}", "--timeout-s", f"{max(1, round(timeout))}"]
        log = tempfile.TemporaryFile()  # not a pipe: a long-lived server must never block on a full one
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"http://{inner[0]}:{inner[1]}/query?query=ASK%7B%7D", timeout=1):
                    return process, inner
            except OSError:
                time.sleep(0.1)
        else:
            process.terminate()
            raise SackgError("the Oxigraph server did not answer within 30 s")
        log.seek(0)
        error = _reason(log.read(1 << 20).decode("utf-8", "replace"))
        if "in use" not in error:  # another program took the private port first: try another
            raise SackgError(f"the Oxigraph server stopped: {error}")
    raise SackgError(f"the Oxigraph server stopped: {error}")


def _reason(stderr: str) -> str:
    """The line of the server's output that says what went wrong (not a backtrace frame)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.lower().startswith("error"):
            return line[:300]
    frames = re.compile(r"^(\d+:|at |stack backtrace|note:)")
    useful = [line for line in lines if not frames.match(line)]
    return (useful[-1] if useful else "no message")[:300]


def _guard(host: str, port: int, allow_federation: bool, timeout: float):
    """The listening guard (not yet serving); one-line errors when the port cannot be had."""
    import errno
    from http.server import ThreadingHTTPServer

    class Guard(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = False

        def handle_error(self, request, client_address):  # a client that went away: nothing to report
            pass

    try:
        guard = Guard((host, port), _handler(host, port, allow_federation, timeout))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SackgError(f"{host}:{port}: the port is already in use (choose another with --port)") from None
        raise SackgError(f"{host}:{port}: cannot listen ({exc.strerror or exc})") from None
    return guard


def _handler(host: str, port: int, allow_federation: bool, timeout: float):
    import http.client
    import socket
    from http.server import BaseHTTPRequestHandler

    from kg.engine.backends import DeadlineSocket

    hosts = {f"{host}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args):  # quiet, like `oxigraph serve`
            pass

        def _refuse(self, status: int, message: str) -> None:
            body = (message + "\n").encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

        def _body(self) -> bytes | None:
            if self.headers.get("Transfer-Encoding"):
                self._refuse(411, "send the request with a Content-Length")
                return None
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_REQUEST_BYTES:
                self._refuse(413, f"the request body must be at most {MAX_REQUEST_BYTES} bytes")
                return None
            return self.rfile.read(length) if length else b""

        def _texts(self, body: bytes) -> list[str]:
            """The SPARQL texts a request carries: in the URL, a form, or the body."""
            texts = []
            fields = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                for name, values in form.items():
                    fields.setdefault(name, []).extend(values)
            elif kind in ("application/sparql-query", "application/sparql-update"):
                texts.append(body.decode("utf-8", "replace"))
            for name in ("query", "update"):
                texts += fields.get(name, [])
            return texts

        def _forward(self) -> None:
            given = self.headers.get_all("Host") or []
            if len(given) != 1:
                self._refuse(400, "a request needs exactly one Host header")
                return
            if given[0].lower() not in hosts:
                self._refuse(421, f"this server answers requests to {host}:{port} only")
                return
            if (self.headers.get("Content-Encoding") or "identity").strip().lower() != "identity":
                self._refuse(415, "send the request body uncompressed (no Content-Encoding)")
                return
            body = self._body()
            if body is None:
                return
            texts = self._texts(body)
            if not allow_federation and any(mentions_service(t) for t in texts):
                self._refuse(403, "SERVICE and LOAD (requests to other addresses) are refused by this server; "
                                  "start it with --allow-federation to allow them")
                return
            if any(too_deep(t) for t in texts):
                self._refuse(400, f"the query nests deeper than {MAX_NESTING} levels")
                return
            inner = self.server.inner
            upstream = http.client.HTTPConnection(*inner)
            deadline = time.monotonic() + timeout + 1  # Oxigraph's own limit, where it applies, comes first
            upstream._create_connection = lambda *args, **kw: DeadlineSocket.of(socket.create_connection(*args, **kw),
                                                                                deadline)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                headers["Host"] = f"{inner[0]}:{inner[1]}"
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                answer = upstream.getresponse()
                payload = answer.read()
            except (OSError, http.client.HTTPException) as exc:
                if isinstance(exc, (socket.timeout, TimeoutError)):
                    self.server.owner.restart()  # the only way to stop a query Oxigraph does not interrupt
                    self._refuse(503, f"the query did not finish within {timeout:g} s and was stopped")
                else:
                    self._refuse(502, "the Oxigraph server behind this endpoint did not answer")
                return
            finally:
                upstream.close()
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _forward

    return Handler


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def serve_forever(store_path: str, port: int, writable: bool, echo, timeout: float = 30,
                  allow_federation: bool = False) -> None:
    # Ctrl-C and SIGTERM stop the server, even when SIGINT was inherited as ignored (a background job)
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    server, url = start(store_path, port, writable, timeout=timeout, allow_federation=allow_federation)
    mode = "read-write" if writable else "read-only"
    echo(f"SAC-KG SPARQL endpoint: {url} ({mode}); Ctrl-C stops it")
    echo(f"Query page for a browser: {url.rsplit('/', 1)[0]}/")
    try:
        code = server.wait()
    except KeyboardInterrupt:
        server.terminate()
        echo("stopped")
        return
    server.terminate()
    raise SackgError(f"the Oxigraph server stopped unexpectedly (exit code {code})")


def push(source, endpoint: str, store_url: str | None = None, graph: str | None = None) -> int:
    """Load the knowledge base into a server's graph `graph` (default graph when None); returns the number
    of triples sent."""
    from pathlib import Path

    from kg.engine.backends import EndpointBackend
    from kg.model.resources import data_dir
    from kg.source.validate import conforming_graph

    backend = EndpointBackend(endpoint, graph=graph)  # a malformed URL or IRI fails before the data is read
    triples = conforming_graph(Path(source or data_dir()))
    backend.push(triples.serialize(format="nt", encoding="utf-8"), store_url)
    return len(triples)
