"""Opening the knowledge base: the embedded store (built first when its inputs changed), rdflib or an endpoint."""

from __future__ import annotations

import fcntl
import os

from kg.engine import cache
from kg.engine.backend import Backend
from kg.engine.build import build_store, signature, store_path
from kg.engine.embedded import KnowledgeBase, Opening
from kg.model.errors import SackgError
from kg.model.resources import data_source

BACKENDS = ("embedded", "rdflib", "endpoint")


def open_store(kind: str | None = None, source=None, endpoint: str | None = None, graph: str | None = None) -> Backend:
    """The knowledge base on the chosen back-end: embedded (default), rdflib, or a SPARQL endpoint, where
    `graph` ($SACKG_GRAPH) names the graph it lives in on a shared server."""
    if endpoint is not None and not endpoint.strip():
        raise SackgError("--endpoint needs a URL (the endpoint's query URL), not an empty text")
    kind = kind or os.environ.get("SACKG_STORE") or ("endpoint" if endpoint else "embedded")
    if graph is not None and kind != "endpoint":
        raise SackgError("--graph names the knowledge base's graph on a SPARQL server: give --endpoint URL too")
    if kind == "embedded":
        return open_kb(source)
    if kind == "rdflib":
        from kg.engine.backends import RdflibBackend

        return RdflibBackend.from_source(data_source(source))
    if kind == "endpoint":
        endpoint = endpoint or os.environ.get("SACKG_ENDPOINT")
        if not endpoint:
            raise SackgError("--store endpoint needs --endpoint URL (the endpoint's query URL)")
        from kg.engine.backends import EndpointBackend

        return EndpointBackend(endpoint, graph=graph or os.environ.get("SACKG_GRAPH") or None)
    raise SackgError(f"unknown store '{kind}'; expected {', '.join(BACKENDS)}")


def open_kb(source=None) -> KnowledgeBase:
    """Open the embedded store built from `source`, building it first if the source has changed; safe
    when many processes open, build and prune stores in one cache at once (kg.engine.cache)."""
    source = data_source(source)
    from kg.source.transaction import reading

    with reading(source):  # no `sackg add` is part-way through a change while the files are read
        try:
            wanted = signature(source)
        except OSError as exc:
            raise SackgError(f"{exc.filename}: cannot read ({exc.strerror})") from None
        path = store_path(source)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        except OSError as exc:
            raise SackgError(f"{os.path.dirname(path)}: cannot create the store cache ({exc.strerror})") from None
        for _attempt in range(5):
            cache.hold(path)
            if cache.complete(path, wanted):
                break
            cache.release(path)  # this process may hold it for a store that has since gone
            fd = cache.locked(path + cache.LOCK, fcntl.LOCK_EX)
            try:
                if not cache.complete(path, wanted):
                    build_store(source, path, wanted)
            except BaseException:
                cache.unlink(path + cache.LOCK)  # nothing was built: leave no lock file behind
                raise
            finally:
                os.close(fd)
        else:  # pragma: no cover - only if other processes remove the store as fast as it is built
            raise SackgError(f"{path}: the store keeps being removed by other processes; try again")
    return KnowledgeBase(Opening(path), path)
