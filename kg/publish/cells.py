"""Values as other tools read them: GraphML attributes, CSV cells safe in a spreadsheet, BibTeX fields."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from kg.model.numbers import looks_like_number, plain

if TYPE_CHECKING:
    import networkx as nx

def _scalar(value):
    """A GraphML attribute value: lists as '; '-joined text, None dropped (returned as None)."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if v is not None)
    if isinstance(value, (set, frozenset)):
        return "; ".join(sorted(str(v) for v in value if v is not None))
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def scalar_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of a networkx multigraph with scalar attributes only, nodes and edges in sorted order."""
    import networkx as nx

    def attrs(data: dict) -> dict:
        return {k: v for k, v in ((k, _scalar(v)) for k, v in sorted(data.items())) if v is not None}

    out = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        out.add_node(node, **attrs(graph.nodes[node]))
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        out.add_edge(source, target, key=key, **attrs(data))
    return out


def graphml_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """scalar_graph with every edge keyed by an id unique in the document, as GraphML needs (networkx writes keys
    as edge ids): a folded claim or measurement keeps its own IRI; a link, keyed 'relation|target' and so unique
    only among the edges of its source, gets 'source|' in front."""
    import networkx as nx

    flat, out, seen = scalar_graph(graph), nx.MultiDiGraph(), set()
    out.add_nodes_from(flat.nodes(data=True))
    for source, target, key, data in flat.edges(keys=True, data=True):
        edge_id = str(key) if "claim" in data or "measurement" in data else f"{source}|{key}"
        if edge_id in seen:
            raise ValueError(f"GraphML edge id {edge_id} is not unique")
        seen.add(edge_id)
        out.add_edge(source, target, key=edge_id, **data)
    return out


def _natural(item: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", item)]


def _items(text: str | None) -> list[str]:
    """The items of a '; '-separated list, sorted (figure panels and sections in natural order)."""
    return sorted({v for v in (text or "").split("; ") if v}, key=_natural)


def _authors(text: str | None) -> list[str]:
    """Author names in order, from the template's 'position|name' items."""
    items = [v.partition("|") for v in (text or "").split("; ") if v]
    return [name for position, _, name in sorted(items, key=lambda item: int(item[0]))]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula: text starting with = + - @ tab or CR gets a
    leading apostrophe, as OWASP recommends; plain numbers such as -3.66 are left as they are."""
    if cell.startswith(_FORMULA_START) and not looks_like_number(cell):
        return "'" + cell
    return cell


def table_rows(kb, name: str) -> list[dict]:
    """Rows of an export_* template: lists as sorted Python lists, authors in order, values as text."""
    from kg.engine.templates import run, template

    spec = template(name)
    rows = []
    for row in run(kb, name)[1]:
        clean = {}
        for column in spec.columns:
            value = row.get(column)
            if column == "authors":
                clean[column] = _authors(value)
            elif column in spec.lists:
                clean[column] = _items(value)
            else:
                clean[column] = _cell(value)
        rows.append(clean)
    return rows


_LATEX = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
          "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bib_escape(text: str) -> str:
    """Text with LaTeX's special characters escaped (other Unicode is kept: BibTeX files are UTF-8). Braces
    become commands with balanced braces, since BibTeX counts braces whatever backslash comes before."""
    return "".join(_LATEX.get(c, c) for c in text)


def bib_name(name: str) -> str:
    """An author name; one that contains the word 'and' is braced, so BibTeX keeps it one name."""
    escaped = bib_escape(name)
    return f"{{{escaped}}}" if re.search(r"\band\b", name, re.IGNORECASE) else escaped


def bib_doi(doi: str) -> str:
    """A DOI for BibTeX's verbatim doi field: braces and backslashes, which could end the field or the
    entry, are percent-encoded, as in a DOI URL (doi.org resolves them)."""
    return "".join(f"%{ord(c):02X}" if c in "{}\\" else c for c in doi)


UNTITLED = "[Title not recorded]"  # the review's reference list gives no titles; biblatex and BibTeX styles need one


def bibtex_entry(ref: dict) -> str:
    """One @article entry; the title is brace-protected so that styles keep its capitals. A reference whose title
    the data does not record gets UNTITLED, in square brackets as cataloguers mark a title they supply, because
    every entry type that biber and pybtex's styles both know requires a title."""
    fields = [
        ("author", " and ".join(bib_name(a) for a in ref["authors"])),
        ("title", f"{{{bib_escape(ref['title'] or UNTITLED)}}}"),
        ("journal", bib_escape(ref["journal"])),
        ("year", bib_escape(ref["year"])),
        ("volume", bib_escape(ref["volume"])),
        ("number", bib_escape(ref["issue"])),
        ("pages", bib_escape(re.sub(r"\s*[–—-]+\s*", "--", ref["pages"]))),
        ("doi", bib_doi(ref["doi"])),  # a verbatim field: percent-encoded, not escaped
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@article{{{ref['id']},\n{body}\n}}\n"


def review_citation(refs: list[dict], doi: bool = False) -> str:
    """The review the data comes from as it is cited ('Huihua Li et al., Green Chem., 2024, 26, 10366',
    with ' (DOI ...)' if asked), from its reference (id 'review') among table_rows(kb, "export_references");
    '' when the data has none."""
    from kg.source.schema import REVIEW_ID

    review = next((ref for ref in refs if ref["id"] == REVIEW_ID), None)
    if review is None:
        return ""
    lead = review["authors"][0] + (" et al." if len(review["authors"]) > 1 else "") if review["authors"] else ""
    cited = ", ".join(p for p in (lead, review["journal"], review["year"], review["volume"], review["pages"]) if p)
    return cited + (f" (DOI {review['doi']})" if doi and review["doi"] else "")


def cited_review(kb) -> str:
    """review_citation with its DOI, read from the knowledge base."""
    return review_citation(table_rows(kb, "export_references"), doi=True)
