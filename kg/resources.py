"""Where the bundled ontology, queries and data live, in a wheel or in a source checkout."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The directory `name` (ontology, queries or data) shipped with the package."""
    packaged = _PACKAGE / "_bundled" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def ontology_dir() -> Path:
    return bundled("ontology")


def queries_dir() -> Path:
    return bundled("queries")


def data_dir() -> Path:
    """The curated source data: $SACKG_DATA if set, else the bundled data."""
    override = os.environ.get("SACKG_DATA")
    return Path(override).resolve() if override else bundled("data")


def cache_dir() -> Path:
    """Where built stores are kept: $SACKG_CACHE, else the user's cache directory."""
    override = os.environ.get("SACKG_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sackg"
