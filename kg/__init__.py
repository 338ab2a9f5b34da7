"""SAC-KG: single-atom catalysts for dendrite-free alkali-metal anodes, as a knowledge graph.

From Python: `kb = kg.open()`, then `kb.ask(...)`, `kb.run(...)`, `kb.select(...)`, `kb.show(...)`,
`kb.stats()`, `kb.graph()` (kg.api). The names below are imported on first use, so that `sackg` does not
pay for them.
"""

from kg.model.version import __version__

__all__ = ["open", "KnowledgeBase", "Answer", "Result", "Iri", "SackgError", "__version__"]


def __getattr__(name: str):
    if name in ("open", "KnowledgeBase", "Answer", "Result"):
        from kg import api

        return getattr(api, name)
    if name == "Iri":
        from kg.model.terms import Iri

        return Iri
    if name == "SackgError":
        from kg.model.errors import SackgError

        return SackgError
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
