"""The `sackg` command line (kg.cli.commands), its rendering (kg.cli.output, kg.cli.columns) and views (kg.cli.views)."""

from kg.cli.commands import main

__all__ = ["main"]
