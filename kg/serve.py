"""`sackg serve` and `sackg push`: the knowledge base on a real SPARQL server (Oxigraph server, PyPI `oxigraph`)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from kg.errors import SackgError


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if not found:
        raise SackgError("the Oxigraph server is not installed (pip install oxigraph)")
    return found


def start(store_path: str, port: int, writable: bool = False, host: str = "127.0.0.1") -> tuple[subprocess.Popen, str]:
    """Start the Oxigraph server on a built store; returns the process and the query URL once it answers."""
    location = store_path
    if writable:  # never write into the derived store: serve a copy
        location = tempfile.mkdtemp(prefix="sackg-serve-")
        shutil.rmtree(location)
        shutil.copytree(store_path, location)
    command = [oxigraph_binary(), "serve" if writable else "serve-read-only", "--location", location,
               "--bind", f"{host}:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://{host}:{port}/query"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode("utf-8", "replace").strip().splitlines()
            raise SackgError(f"the Oxigraph server stopped: {error[-1] if error else 'no message'}")
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1):
                return process, url
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SackgError(f"the Oxigraph server did not answer on {host}:{port} within 30 s")


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def serve_forever(store_path: str, port: int, writable: bool, echo) -> None:
    # Ctrl-C and SIGTERM stop the server, even when SIGINT was inherited as ignored (a background job)
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    process, url = start(store_path, port, writable)
    echo(f"SAC-KG SPARQL endpoint: {url} ({'read-write' if writable else 'read-only'}); Ctrl-C stops it")
    try:
        process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        echo("stopped")


def push(source, endpoint: str, store_url: str | None = None) -> int:
    """Load the knowledge base into a server's default graph; returns the number of triples sent."""
    from pathlib import Path

    from kg.backends import EndpointBackend
    from kg.ingest import full_graph
    from kg.resources import data_dir
    from kg.validate import validate_source

    built, violations = validate_source(Path(source or data_dir()))
    if violations:
        raise SackgError("the data does not conform to the shapes:\n" + "\n".join(map(str, violations)))
    graph = full_graph(built)
    EndpointBackend(endpoint).push(graph.serialize(format="nt", encoding="utf-8"), store_url)
    return len(graph)
