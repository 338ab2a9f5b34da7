"""The version of SAC-KG (read by the build backend and written into every store's fingerprint)."""

__version__ = "0.1.0"
