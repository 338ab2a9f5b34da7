"""The RO-Crate 1.1 metadata of an exported snapshot: the files it holds, who made and publishes it, the review
it is based on (with that review's own authors) and the day it was written."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from kg.model.errors import SackgError
from kg.publish.cells import review_citation
from kg.publish.rdf import CONTEXT

CRATE = "ro-crate-metadata.json"
CRATE_CONTEXT = "https://w3id.org/ro/crate/1.1/context"
DIGEST = "SOURCE-DIGEST"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CURATORS = "https://w3id.org/sackg/"  # the project that curates and publishes the snapshots: its IRIs' namespace
MEDIA_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
               ".rdf": "application/rdf+xml", ".owl": "application/rdf+xml", ".xml": "application/xml",
               ".graphml": "application/graphml+xml", ".csv": "text/csv", ".bib": "application/x-bibtex",
               ".html": "text/html", ".json": "application/json", "": "text/plain"}
DESCRIPTIONS = {
    "sackg.ttl": "The knowledge graph (data, ontology and vocabularies) in Turtle.",
    "sackg.jsonld": "The knowledge graph in JSON-LD, with the context of context.jsonld embedded.",
    CONTEXT: "The JSON-LD context: prefixes and short names of the main terms.",
    "sackg.graphml": "The entity graph (systems, metals, mechanisms, quantities, references...) in GraphML.",
    "systems.csv": "One row per single-atom catalyst system.",
    "measurements.csv": "One row per reported value, with its baseline, conditions and source.",
    "references.csv": "The review and every reference it cites.",
    "references.bib": "The review and every reference it cites, in BibTeX.",
    "sackg-graph.html": "The interactive graph: a self-contained web page that works offline.",
    DIGEST: "SHA-256 of the source data this snapshot was made from (kg.export.source_digest).",
}


def snapshot_date() -> str:
    """The day (UTC) a snapshot is written, or the day of SOURCE_DATE_EPOCH when it is set, so that a rebuild of
    the same data gives the same bytes (reproducible-builds.org's convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(timezone.utc).date().isoformat()
    try:
        return datetime.fromtimestamp(int(epoch), timezone.utc).date().isoformat()
    except ValueError:
        raise SackgError(f"SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01, not {epoch!r}") from None
    except (OverflowError, OSError):
        raise SackgError(f"SOURCE_DATE_EPOCH: {epoch} is out of range") from None


def _review(refs: list[dict]) -> dict:
    from kg.source.schema import REVIEW_ID

    found = [ref for ref in refs if ref["id"] == REVIEW_ID]
    if not found:
        raise SackgError("the data has no review reference (id 'review'); an RO-Crate needs it to cite")
    return found[0]


def _one_or_many(ids: list[str]):
    """A reference or a list of them: RO-Crate wants no one-item lists."""
    links = [{"@id": i} for i in ids]
    return links[0] if len(links) == 1 else links


def _review_entities(review: dict, cited: str) -> tuple[str, list[dict]]:
    """The review as a ScholarlyArticle with its authors' names and its journal. The names stay text: as Person
    entities RO-Crate would want each one's affiliation as an Organization with a URL, which the data lacks."""
    review_id = f"https://doi.org/{review['doi']}" if review["doi"] else "#review"
    article = {"@id": review_id, "@type": "ScholarlyArticle", "name": cited, "datePublished": review["year"]}
    if review["authors"]:
        names = review["authors"]
        article["author"] = names[0] if len(names) == 1 else names
    entities = [article]
    if review["journal"]:
        article["isPartOf"] = {"@id": "#review-journal"}
        entities.append({"@id": "#review-journal", "@type": "Periodical", "name": review["journal"]})
    if review["doi"]:
        article["identifier"] = review_id
    return review_id, entities


def crate(directory: str, files: list[str], refs: list[dict], date: str) -> dict:
    """RO-Crate 1.1 metadata for `files` (names inside `directory`), written on `date`, citing the review the data
    comes from. The crate's author and publisher are the SAC-KG project that curated it, not the review's authors
    or publisher, who appear on the review; its datePublished is the day it was written, not the review's."""
    from kg.model.version import __version__

    review = _review(refs)
    cited = review_citation([review])
    review_id, review_entities = _review_entities(review, cited)
    root = {
        "@id": "./", "@type": "Dataset",
        "name": "SAC-KG: single-atom catalysts for dendrite-free alkali-metal anodes",
        "description": ("A knowledge graph of single-atom catalyst (SAC) systems for Li, Na and K metal anodes: "
                        "their centre metals, supports and coordination, the mechanisms they are claimed to "
                        "promote, the values measured or computed for them, and where each fact comes from. "
                        f"Curated from the review {cited} and the {len(refs) - 1} references it cites. "
                        "datePublished is the day this snapshot was written, not a date of the review."),
        "datePublished": date, "version": __version__,
        "author": {"@id": CURATORS}, "publisher": {"@id": CURATORS},
        "license": {"@id": LICENSE}, "citation": {"@id": review_id}, "isBasedOn": {"@id": review_id},
        "hasPart": _one_or_many(files),
    }
    entities = [
        {"@id": CRATE, "@type": "CreativeWork", "conformsTo": {"@id": "https://w3id.org/ro/crate/1.1"},
         "about": {"@id": "./"}},
        root,
        {"@id": CURATORS, "@type": "Organization", "name": "SAC-KG", "url": CURATORS,
         "description": ("The project that curated this knowledge graph from the review and publishes its snapshots; "
                         "its URL is the namespace of the graph's IRIs.")},
        {"@id": LICENSE, "@type": "CreativeWork", "name": "Creative Commons Attribution 4.0 International",
         "identifier": "CC-BY-4.0"},
        *review_entities,
    ]
    for name in files:
        entity = {"@id": name, "@type": "File", "name": name,
                  "encodingFormat": MEDIA_TYPES.get(os.path.splitext(name)[1], "application/octet-stream"),
                  "contentSize": str(os.path.getsize(os.path.join(directory, name)))}
        if name in DESCRIPTIONS:
            entity["description"] = DESCRIPTIONS[name]
        entities.append(entity)
    return {"@context": CRATE_CONTEXT, "@graph": entities}
