"""SAC-KG: single-atom catalysts for dendrite-free alkali-metal anodes, as a knowledge graph."""

__version__ = "0.1.0"
