"""Names people type resolve to the right entity through the labels in the knowledge base."""

import pytest

from kg.engine.names import Names

SYSTEM = "https://w3id.org/sackg/id/system/"
ELEMENT = "https://w3id.org/sackg/id/element/"
SAC = "https://w3id.org/sackg/ontology#"


@pytest.fixture(scope="module")
def names(kb):
    return Names(kb)


@pytest.mark.parametrize("typed,iri", [
    ("ZnSA-N-C", SYSTEM + "ZnSA-N-C"),
    ("Zn_SA-N-C", SYSTEM + "ZnSA-N-C"),
    ("Zn SA-N-C", SYSTEM + "ZnSA-N-C"),
    ("znsa-n-c", SYSTEM + "ZnSA-N-C"),
    ("Znₛₐ-N-C", SYSTEM + "ZnSA-N-C"),
    ("Zn–SA–N–C", SYSTEM + "ZnSA-N-C"),
    ("Co_SA@NC", SYSTEM + "Co-SA-NC"),
    ("CoSA@NC", SYSTEM + "Co-SA-NC"),
    ("SA-Co@HC", SYSTEM + "SA-Co-HC"),
    ("sp²c-COF-Co", SYSTEM + "sp2c-COF-Co"),
    ("Pt SAs/In₂S₃/Ti₃C₂", SYSTEM + "Pt-SAs-In2S3-Ti3C2"),
    ("SAni-NG", SYSTEM + "SANi-NG"),
    ("sodium", ELEMENT + "Na"),
    ("Na", ELEMENT + "Na"),
    ("Na metal", ELEMENT + "Na"),
    ("Na⁺", ELEMENT + "Na"),
    ("Na+", ELEMENT + "Na"),
    ("lithium", ELEMENT + "Li"),
    ("Li⁰", ELEMENT + "Li"),
    ("potassium", ELEMENT + "K"),
    ("nucleation barrier", SAC + "NucleationOverpotential"),
    ("nucleation overpotential", SAC + "NucleationOverpotential"),
    ("adsorption energy", SAC + "BindingEnergy"),
    ("diffusion barrier", SAC + "MigrationBarrier"),
    ("lifespan", SAC + "CycleLife"),
    ("desolvation", SAC + "Desolvation"),
    ("Li0 diffusion", SAC + "LateralAtomDiffusion"),
    ("shuttle effect", SAC + "PolysulfideConversion"),
    ("SEI", SAC + "SEIFormation"),
    ("in situ SFG", SAC + "InSituSFG"),
    ("ALD", SAC + "ALD"),
    ("ref. 70", "https://w3id.org/sackg/id/reference/ref-070"),
    ("ref-070", "https://w3id.org/sackg/id/reference/ref-070"),
])
def test_typed_name_resolves(names, typed, iri):
    assert names.resolve(typed).iri.value == iri
