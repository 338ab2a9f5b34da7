"""Exporting the knowledge base to the formats other tools read.

RDF (Turtle, N-Triples, JSON-LD, RDF/XML) is the full graph: data, ontology and vocabularies. Its only
blank nodes, the author lists of the references, are given stable IRIs under GENID, so the same data
always gives the same bytes. GraphML is the entity graph of kg.field.graph, with typed attributes and unique edge
ids; CSV tables and BibTeX come from the export_* query templates; an RO-Crate is a directory holding every format
and the metadata (kg.publish.crate) that describes them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from functools import cached_property
from pathlib import Path

from kg.model.errors import SackgError
from kg.model.resources import data_source
from kg.publish.cells import bibtex_entry, graphml_graph, spreadsheet_safe, table_rows
from kg.publish.crate import CRATE, DIGEST, crate, snapshot_date
from kg.publish.formats import FORMATS
from kg.publish.rdf import CONTEXT, RDF_FORMATS, context, rdf_graph, serialise

TABLES = (  # file, template, noun, header row (in the template's column order)
    ("systems.csv", "export_systems", "systems",
     ("system", "centre metals", "support", "support kinds", "coordination", "alkali metals", "roles", "synthesis",
      "techniques", "reference", "DOI", "section", "figures")),
    ("measurements.csv", "export_measurements", "measurements",
     ("system or material", "quantity", "value", "unit", "comparator", "conditions", "cell", "baseline", "origin",
      "metal", "reference", "DOI", "section", "figures")),
    ("references.csv", "export_references", "references",
     ("id", "review number", "authors", "title", "journal", "year", "volume", "issue", "pages", "DOI",
      "cited in sections", "figures")),
)


# ---------------------------------------------------------------- inputs and outputs
class _Inputs:
    """The source directory, the store and the RDF graph, each made once and only when needed."""

    def __init__(self, source: str | None, kb=None):
        self.source = data_source(source)
        self._kb = kb

    @cached_property
    def kb(self):
        from kg.engine.opening import open_store

        return self._kb if self._kb is not None else open_store(None, self.source)

    @cached_property
    def graph(self):
        return rdf_graph(self.source)

    @cached_property
    def references(self) -> list[dict]:
        return table_rows(self.kb, "export_references")


def _file(output: str) -> str:
    """`output` as a file to write: not a directory, in a directory that exists."""
    if os.path.isdir(output):
        raise SackgError(f"{output}: is a directory; expected a file name")
    parent = os.path.dirname(output)
    if parent and not os.path.isdir(parent):
        raise SackgError(f"{parent}: output directory not found")
    return output


def _directory(output: str) -> str:
    """`output` as a directory to write into, made if its parent exists."""
    if os.path.isdir(output):
        return output
    if os.path.exists(output):
        raise SackgError(f"{output}: not a directory")
    parent = os.path.dirname(output.rstrip("/" + os.sep))
    if parent and not os.path.isdir(parent):
        raise SackgError(f"{parent}: output directory not found")
    try:
        os.mkdir(output)
    except OSError as exc:
        raise SackgError(f"{output}: cannot create ({exc.strerror})") from None
    return output


def _write(path: str, data: bytes | str) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise SackgError(f"{path}: cannot write ({exc.strerror})") from None


# ---------------------------------------------------------------- RDF
def _rdf(fmt: str):
    def write(output: str, inputs: _Inputs) -> str:
        _write(_file(output), serialise(inputs.graph, fmt))
        return f"{output}: {len(inputs.graph):,} triples"

    return write


def _context_file(output: str, _inputs: _Inputs | None = None) -> str:
    from kg.model.resources import ontology_dir

    with open(os.path.join(ontology_dir(), CONTEXT), "rb") as handle:
        _write(_file(output), handle.read())
    return f"{output}: {len(context()):,} terms"


# ---------------------------------------------------------------- GraphML
def _graphml(output: str, inputs: _Inputs) -> str:
    import networkx as nx

    from kg.field.graph import build_graph

    _file(output)
    graph = graphml_graph(build_graph(inputs.kb))
    try:
        nx.write_graphml(graph, output)
    except OSError as exc:
        raise SackgError(f"{output}: cannot write ({exc.strerror})") from None
    return f"{output}: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges"


# ---------------------------------------------------------------- tables
def _table(name: str, noun: str, header: tuple):
    """A writer of one CSV table from template `name`."""
    def write(path: str, inputs: _Inputs) -> str:
        from kg.engine.templates import template

        _file(path)
        rows = inputs.references if name == "export_references" else table_rows(inputs.kb, name)
        columns = template(name).columns
        try:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(header)
                for row in rows:
                    writer.writerow([spreadsheet_safe("; ".join(v) if isinstance(v, list) else v)
                                     for v in (row[c] for c in columns)])
        except OSError as exc:
            raise SackgError(f"{path}: cannot write ({exc.strerror})") from None
        return f"{path}: {len(rows):,} {noun}"

    return write


def _csv(output: str, inputs: _Inputs) -> str:
    directory = _directory(output)
    counts = [_table(*spec[1:])(os.path.join(directory, spec[0]), inputs).rsplit(": ", 1)[1] for spec in TABLES]
    return f"{output}: {', '.join(counts)}"


# ---------------------------------------------------------------- BibTeX
def _bibtex(output: str, inputs: _Inputs) -> str:
    _file(output)
    refs = inputs.references
    _write(output, "\n".join(bibtex_entry(ref) for ref in refs))
    return f"{output}: {len(refs):,} entries"


# ---------------------------------------------------------------- RO-Crate
def _write_crate(path: str, files: list[str], inputs: _Inputs, date: str) -> str:
    metadata = crate(os.path.dirname(path) or ".", files, inputs.references, date)
    _write(path, json.dumps(metadata, indent=2, ensure_ascii=False) + "\n")
    return f"{path}: {len(files):,} files described"


def _rocrate(output: str, inputs: _Inputs) -> str:
    """An RO-Crate in directory `output` (or in the directory of `output` when it names the crate's metadata
    file): every format, and the metadata file that describes them."""
    if os.path.basename(output) == CRATE:
        directory = os.path.dirname(output) or "."
        if not os.path.isdir(directory):
            raise SackgError(f"{directory}: output directory not found")
        output = directory
    return "\n".join(_snapshot(output, inputs))


# ---------------------------------------------------------------- the rest
def _html(output: str, inputs: _Inputs) -> str:
    from kg.publish.viz import write_graph

    _file(output)
    try:
        count = write_graph(inputs.kb, output)
    except OSError as exc:
        raise SackgError(f"{output}: cannot write ({exc.strerror})") from None
    return f"{output}: {count:,} entities"


def source_digest(source: str | None = None) -> str:
    """SHA-256 over the relative path, size and bytes of every data file, in kg.source.ingest's fixed order."""
    from kg.source.schema import source_files

    root = Path(data_source(source))
    digest = hashlib.sha256()
    for path in source_files(root):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _digest_file(output: str, inputs: _Inputs) -> str:
    digest = source_digest(inputs.source)
    _write(_file(output), digest + "\n")
    return f"{output}: sha256 {digest}"


_WRITERS = {**{fmt: _rdf(fmt) for fmt in RDF_FORMATS}, "graphml": _graphml, "csv": _csv, "bibtex": _bibtex,
            "rocrate": _rocrate, "html": _html}
SNAPSHOT = (("sackg.ttl", _WRITERS["turtle"]), ("sackg.jsonld", _WRITERS["jsonld"]), (CONTEXT, _context_file),
            ("sackg.graphml", _graphml), *((spec[0], _table(*spec[1:])) for spec in TABLES),
            ("references.bib", _bibtex), ("sackg-graph.html", _html), (DIGEST, _digest_file))


def export(fmt: str, output: str, source: str | None = None, kb=None) -> str:
    """Write the knowledge base to `output` in one format (for csv and rocrate, `output` is a directory); returns a
    summary line (for rocrate, one per file)."""
    if fmt not in _WRITERS:
        raise SackgError(f"unknown export format '{fmt}'; expected {', '.join(FORMATS)}")
    return _WRITERS[fmt](output, _Inputs(source, kb))


def _snapshot(directory: str, inputs: _Inputs) -> list[str]:
    date = snapshot_date()  # first, so that a bad SOURCE_DATE_EPOCH stops the export before anything is written
    _directory(directory)
    lines = [write(os.path.join(directory, name), inputs) for name, write in SNAPSHOT]
    lines.append(_write_crate(os.path.join(directory, CRATE), [name for name, _ in SNAPSHOT], inputs, date))
    return lines


def export_all(directory: str, source: str | None = None, kb=None) -> list[str]:
    """Write the published snapshot (RDF, JSON-LD and its context, GraphML, CSV, BibTeX, the interactive graph,
    the source digest and an RO-Crate describing them) into `directory`; returns one summary line per file."""
    return _snapshot(directory, _Inputs(source, kb))
