"""The ontology: closed namespace, SKOS schemes with labels, EMMO alignment from the reference list."""

from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from kg.model.namespaces import SAC, SAC_IRI
from kg.model.resources import ontology_dir

EMMO_TSV = Path(__file__).resolve().parents[2] / "shared" / "reference" / "emmo-alignment.tsv"


@pytest.fixture(scope="module")
def onto():
    g = Graph()
    for name in ("sackg.ttl", "vocabulary.ttl"):
        g.parse(Path(ontology_dir()) / name)
    return g


def test_a_typo_in_an_ontology_term_is_an_error():
    with pytest.raises(AttributeError):
        SAC.centerMetal  # noqa: B018 - the ontology says centreMetal


def test_every_term_the_code_uses_is_declared(onto):
    declared = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(SAC_IRI)}
    used = {getattr(SAC, name) for name in SAC.__annotations__}
    assert used - declared == set()


def test_the_mechanism_scheme(onto):
    mechanisms = {str(onto.value(m, SKOS.prefLabel)) for m in onto.subjects(SKOS.inScheme, SAC.MechanismScheme)}
    assert mechanisms == {"desolvation", "ion transport", "lateral atom diffusion", "nucleation", "SEI formation",
                          "polysulfide conversion/shuttle"}
    for m in onto.subjects(SKOS.inScheme, SAC.MechanismScheme):
        assert list(onto.objects(m, SKOS.altLabel)), f"{m} has no synonyms"


def test_every_concept_has_one_preferred_label(onto):
    for concept in onto.subjects(SKOS.inScheme, None):
        assert len(list(onto.objects(concept, SKOS.prefLabel))) == 1, concept


def test_every_unit_declares_its_quantity_kind_and_conversion(onto):
    from kg.model.namespaces import QUDT

    for unit in onto.subjects(RDF.type, SAC.Unit):
        assert onto.value(unit, QUDT.hasQuantityKind) is not None, unit
        assert onto.value(unit, QUDT.conversionMultiplier) is not None, unit


@pytest.mark.skipif(not EMMO_TSV.exists(), reason="shared reference data not present")
def test_emmo_alignments_use_only_the_listed_iris(onto):
    listed = {line.split("\t")[1] for line in EMMO_TSV.read_text().splitlines()[1:] if line.strip()}
    used = {str(o) for o in onto.objects(None, SKOS.closeMatch)}
    assert used <= listed
    assert len(used) >= 15
