"""Normalising names so that `ZnSA-N-C`, `Zn_SA-N-C` and `Zn SA-N-C` are one key."""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[\s\-_‐‑‒–—―−·]+")


def name_key(text: str) -> str:
    """Case-, width-, sub/superscript-, dash- and space-insensitive key of a name."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _DROP.sub("", folded)
