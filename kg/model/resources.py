"""Where the bundled ontology, queries and data live, in a wheel or in a source checkout.

Paths are plain strings: this module sits on the `sackg ask` path, where importing pathlib costs
more than it gives.
"""

from __future__ import annotations

import os

PACKAGE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # the directory of `kg`


def bundled(name: str) -> str:
    """The directory `name` (ontology, queries or data) shipped with the package."""
    packaged = os.path.join(PACKAGE, "_bundled", name)
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(PACKAGE), name)


def ontology_dir() -> str:
    return bundled("ontology")


def queries_dir() -> str:
    return bundled("queries")


def data_dir() -> str:
    """The curated source data: $SACKG_DATA if set, else the bundled data."""
    override = os.environ.get("SACKG_DATA")
    return os.path.realpath(override) if override else bundled("data")


def data_source(given=None) -> str:
    """The data directory to read: `given` (--data), else $SACKG_DATA, else the bundled data; its real path."""
    path = os.path.realpath(str(given or data_dir()))
    if not os.path.isdir(path):
        from kg.model.errors import SackgError

        raise SackgError(f"{path}: data directory not found")
    return path


def cache_dir() -> str:
    """Where built stores are kept: $SACKG_CACHE, else the user's cache directory."""
    override = os.environ.get("SACKG_CACHE")
    if override:
        return override
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "sackg")


DEFAULT_TIMEOUT = 30.0
MAX_TIMEOUT = 86400.0


def timeout_seconds() -> float:
    """The time limit of one query, in seconds: $SACKG_TIMEOUT if set, else 30."""
    text = os.environ.get("SACKG_TIMEOUT", "")
    if not text.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= MAX_TIMEOUT:  # also refuses nan and inf
        from kg.model.errors import SackgError
        from kg.model.text import shown

        raise SackgError(f"SACKG_TIMEOUT={shown(text)}: expected a number of seconds above 0 and at most {MAX_TIMEOUT:g}")
    return value


class FewerCollections:
    """Bulk work (converting, validating, building) with the cyclic garbage collector run rarely: it makes
    millions of short-lived, acyclic objects, and the default thresholds spend a quarter of the time
    scanning them (benchmarks/curator.md)."""

    def __enter__(self):
        import gc

        self.saved = gc.get_threshold()
        gc.set_threshold(max(self.saved[0], 100_000), *self.saved[1:])

    def __exit__(self, *_exc):
        import gc

        gc.set_threshold(*self.saved)
