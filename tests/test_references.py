"""All 96 references of the review, numbered as the review numbers them, with their bibliographic data."""

import pytest

from kg.field.show import describe

Q = """PREFIX sac: <https://w3id.org/sackg/ontology#> PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?n ?journal (STR(?year) AS ?y) ?volume ?pages ?doi WHERE {
  ?r sac:reviewNumber ?n ; dcterms:isPartOf/dcterms:title ?journal ; dcterms:issued ?year .
  OPTIONAL { ?r bibo:volume ?volume } OPTIONAL { ?r bibo:pages ?pages } OPTIONAL { ?r bibo:doi ?doi }
} ORDER BY ?n"""


@pytest.fixture(scope="module")
def refs(kb):
    _, rows = kb.select(Q)
    return {r["n"]: r for r in rows}


def test_all_96_references_are_numbered_1_to_96(refs):
    assert sorted(refs) == list(range(1, 97))


@pytest.mark.parametrize("n,journal,year,volume,pages", [
    (1, "Nat. Rev. Mater.", "2016", "1", "1–16"),
    (8, "Nano Lett.", "2021", "21", "3245–3253"),
    (17, "ChemSusChem", "2023", None, "e202301242"),
    (34, "Nano Lett.", "2022", "22", "8008–8017"),
    (50, "Adv. Mater.", "2023", "35", "e2302828"),
    (59, "J. Power Sources", "2023", "556", "232474"),
    (70, "Nano Lett.", "2019", "19", "7827–7835"),
    (74, "Adv. Energy Mater.", "2022", "13", "2203277"),
    (84, "Toxicology", "2017", "387", "43–56"),
    (96, "Energy Storage Mater.", "2024", "67", "103289"),
])
def test_bibliographic_data(refs, n, journal, year, volume, pages):
    r = refs[n]
    assert (r["journal"], r["y"], r["volume"], r["pages"]) == (journal, year, volume, pages)


def test_only_ref_17_has_a_doi_among_the_cited_references(refs):
    assert {n: r["doi"] for n, r in refs.items() if r["doi"]} == {17: "10.1002/cssc.202301242"}


def test_the_review_itself_carries_its_doi(kb):
    facts = describe(kb, "review").tables[0].rows
    assert {"property": "doi", "value": "10.1039/d4gc02590c"} in facts


def test_authors_in_order(kb):
    authors = [r["value"] for r in describe(kb, "ref. 1").tables[0].rows if r["property"] == "author"]
    assert sorted(authors) == ["D. Aurbach", "J. W. Choi"]
    _, rows = kb.select("""PREFIX sac: <https://w3id.org/sackg/ontology#> PREFIX bibo: <http://purl.org/ontology/bibo/>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT ?first ?second WHERE { ?r sac:reviewNumber 34 ; bibo:authorList ?l .
          ?l rdf:first/foaf:name ?first ; rdf:rest/rdf:first/foaf:name ?second }""")
    assert (rows[0]["first"], rows[0]["second"]) == ("J. Wang", "J. Zhang")


def test_refs_80_to_90_carry_the_doubt_about_the_missing_passage(kb):
    _, rows = kb.select("""PREFIX sac: <https://w3id.org/sackg/ontology#>
        SELECT ?n WHERE { ?r sac:reviewNumber ?n ; sac:doubt ?d . FILTER(CONTAINS(?d, "refs 80-90")) } ORDER BY ?n""")
    assert [r["n"] for r in rows] == list(range(80, 91))


def test_where_the_review_cites_a_reference(kb):
    facts = describe(kb, "ref. 50").tables[0].rows
    cited = sorted(r["value"] for r in facts if r["property"] == "cited in section")
    assert cited == ["Section 2: Basic understanding of the synthesis and characterization of SACs",
                     "Section 3.1: SAC in facilitating interfacial Li+-solvent desolvation"]
    assert {"property": "reproduced in figure", "value": "Fig. 3"} in facts
