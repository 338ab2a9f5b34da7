"""Facts of the review, checked value by value (with unit, conditions and metal) against the knowledge base."""

import pytest

from kg.field.show import describe

# (entity, quantity, value as printed, conditions, metal, baseline or baseline-of) -- from the review text.
FACTS = [
    # Li, section 3.1
    ("SAFe/CVRCS@3DPC", "nucleation overpotential", "29 mV", "", "Li", ""),
    ("SAFe/CVRCS@3DPC", "cycle life", "1600 h", "current density 0.5 mA cm⁻²", "Li", ""),
    ("SAFe/CVRCS@3DPC", "capacity retention", "90.5 %", "C-rate 0.5 C; cycles 300", "Li", ""),
    ("Li+-DME solvation cluster", "desolvation energy", "36.84 kJ mol⁻¹", "", "Li", ""),
    ("Li+-DME solvation cluster", "desolvation energy", "-0.65 eV", "", "Li", ""),
    ("Li+-DME solvation cluster", "desolvation energy", "-3.83 eV", "", "Li", ""),
    # Li, section 3.2
    ("ZnSAs", "binding energy", "-3.66 eV", "", "Li", "pristine graphene: -2.37 eV"),
    ("pristine graphene", "binding energy", "-2.37 eV", "", "Li", "of ZnSAs"),
    ("ZnSAs", "plating/stripping overpotential", "12 mV", "", "Li", ""),
    ("CC@CN-SACo", "cycle life", "500 h", "current density 5 mA cm⁻²", "Li", ""),
    ("Fe_SA-N-C", "RDF peak distance", "0.2 nm", "", "Li",
     "original carbon substrate (ref 60): 0.6 nm; original carbon substrate (ref 60): 0.7 nm"),
    ("SAZr@NG", "binding energy", "-3.24 eV", "", "Li", ""),
    ("SAMn@NG", "binding energy", "-1.42 eV", "", "Li", ""),
    ("SAZr@NG", "bond length change", "~0.103 Å", "", "Li", ""),
    ("SAZr@NG", "bond angle change", "~9.05 °", "", "Li", ""),
    ("SAMn@NG", "bond length change", "~0.005 Å", "", "Li", ""),
    ("SAMn@NG", "bond angle change", "~0.06 °", "", "Li", ""),
    ("Co-N/O", "binding energy", "-1.832 eV", "", "Li", ""),
    ("Co-N/O", "binding energy", "-0.963 eV", "", "Li", "unnamed N1-site reference (ref 63): -0.751 eV"),
    ("sp2c-COF-Co", "binding energy", "-3.302 eV", "", "Li", "sp2c-COF: -1.856 eV"),
    ("sp2c-COF", "binding energy", "-1.856 eV", "", "Li", "of sp2c-COF-Co"),
    ("sp2c-COF-Co", "migration barrier", "0.532 eV", "", "Li", ""),
    ("sp2c-COF-Co", "transference number", "0.76", "", "Li", ""),
    ("sp2c-COF-Co", "nucleation overpotential", "8 mV", "", "Li", ""),
    ("SACo/ADFS@HPSC", "nucleation overpotential", "12.5 mV", "", "Li", "unmodified electrode: 18 mV"),
    ("SACo/ADFS@HPSC", "cycle life", "1600 h", "", "Li", ""),
    ("SACo/ADFS@HPSC", "areal capacity", "3.78 mA h cm⁻²", "sulfur loading ≤ 5.4 mg cm⁻²", "Li", ""),
    ("Pt SAs/In2S3/Ti3C2", "plating/stripping overpotential", "~49.6 mV",
     "current density 1 mA cm⁻²; duration 1100 h", "Li", ""),
    ("Pt SAs/In2S3/Ti3C2", "cycle life", "1100 h", "current density 1 mA cm⁻²", "Li", ""),
    ("Pt SAs/In2S3/Ti3C2", "sulfur loading", "6.4 mg cm⁻²", "", "Li", ""),
    ("SACo/ADFS@HPSC", "sulfur loading", "≤ 5.4 mg cm⁻²", "", "Li", ""),
    ("Zn-MXene", "areal capacity", "60 μA h cm⁻²", "", "Li", ""),
    ("SANi-NG", "areal capacity", "0.5 mA h cm⁻²", "duration 10 h", "Li", ""),
    ("SAFe@NC", "binding energy", "1.589 eV", "", "Li", "bare Li foil: 1.388 eV"),
    ("SANi@NC", "binding energy", "1.611 eV", "", "Li", "bare Li foil: 1.388 eV"),
    ("SAFeNi@LNCP", "plating/stripping overpotential", "25 mV", "areal capacity 3 mA h cm⁻²", "Li", ""),
    ("SAFeNi@LNCP", "cycle life", "900 h", "areal capacity 3 mA h cm⁻²", "Li", ""),
    # section 1 and general
    ("Li metal", "specific capacity", "3860 mA h g⁻¹", "", "Li", ""),
    ("lithium-ion battery for electric vehicles", "energy density", "500 W h kg⁻¹", "", "Li", ""),
    ("single-atom catalysts (in general)", "atom utilization", "~100 %", "", None, ""),
    ("solvated Li+ ion", "solvation radius", "4.8 Å", "", "Li", ""),
    # Na, section 4
    ("Zn_SA-HCNT", "cycle life", "> 900 h", "current density 10 mA cm⁻²", "Na", ""),
    ("Zn_SA-HCNT", "electrode diameter", "330 nm", "", "Na", ""),
    ("Zn_SA-HCNT", "electrode diameter", "410 nm", "", "Na", ""),
    ("Zn_SA-HCNT", "electrode diameter", "340 nm", "", "Na", ""),
    ("ZnSA-N-C", "nucleation overpotential", "0 mV", "", "Na", "bare Cu foil: 32 mV; carbon cloth: 9 mV"),
    ("carbon cloth", "nucleation overpotential", "9 mV", "", "Na", "of ZnSA-N-C"),
    ("bare Cu foil", "nucleation overpotential", "32 mV", "", "Na", "of ZnSA-N-C"),
    ("ZnSA-N-C", "binding energy", "0.34 eV", "", "Na", "unmodified electrode: 0.09 eV"),
    ("ZnSA-N-C", "cycle life", "1000 h", "current density 0.5 mA cm⁻²", "Na", ""),
    ("bare Cu foil", "dendrite onset time", "≤ 30 min", "", "Na", ""),
    ("Zn-HC", "reaction energy barrier", "1.62 eV", "", "Na", "hard carbon: 2.55 eV"),
    ("hard carbon", "reaction energy barrier", "2.55 eV", "", "Na", "of Zn-HC"),
    ("Zn-HC", "SEI component fraction", "25.4 %", "", "Na", "hard carbon: 12.1 %"),
    ("hard carbon", "SEI component fraction", "12.1 %", "", "Na", "of Zn-HC"),
    ("Zn-HC", "capacity retention", "85 %", "cycles 400; temperature -40 °C", "Na", ""),
    ("Co_SA@NC", "binding energy", "-2.29 eV", "", "Na", ""),
    ("Co_SA@NC", "nucleation overpotential", "11.5 mV", "current density 0.5 mA cm⁻²", "Na", ""),
    ("Co_SA@NC", "specific capacity", "473 mA h g⁻¹", "C-rate 0.5 C; cycles 500", "Na", ""),
    ("solvated Na+ ion", "solvation radius", "4.6 Å", "", "Na", ""),
    # K, section 4
    ("SA-Co@HC", "binding energy", "-1.16 eV", "", "K", ""),
    ("SA-Co@HC", "nucleation overpotential", "3 mV", "", "K",
     "bare Cu foil: no value given; hard carbon: no value given"),
    ("SA-Co@HC", "cycle life", "> 2500 h", "", "K", ""),
    ("solvated K+ ion", "solvation radius", "3.6 Å", "", "K", ""),
]


def _rows(kb, entity):
    return [t for t in describe(kb, entity).tables if t.title == "Measurements"][0].rows


@pytest.mark.parametrize("entity,quantity,value,conditions,metal,baseline", FACTS,
                         ids=[f"{f[0]}|{f[1]}|{f[2]}" for f in FACTS])
def test_fact(kb, entity, quantity, value, conditions, metal, baseline):
    rows = [r for r in _rows(kb, entity)
            if r["material"] == entity and r["quantity"] == quantity and r["display"] == value]
    assert len(rows) == 1, f"expected one {quantity} = {value} for {entity}, found {len(rows)}"
    row = rows[0]
    assert row["conditions"] == conditions
    assert row["metal"] == metal
    if baseline.startswith("of "):
        assert row["baselineOf"] == baseline[3:]
    else:
        assert row["baseline"] == baseline
        assert row["baselineOf"] is None


def test_there_are_at_least_sixty_fact_checks_across_li_na_and_k():
    metals = {f[4] for f in FACTS}
    assert len(FACTS) >= 60 and {"Li", "Na", "K"} <= metals


def test_the_proposed_standard_test_is_recorded_on_prospect_2(kb):
    from kg.model.terms import Iri

    _, rows = kb.select(
        "PREFIX sac: <https://w3id.org/sackg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX qudt: <http://qudt.org/schema/qudt/> "
        "SELECT ?p ?kind ?value ?unit WHERE { ?p sac:testCondition ?c . ?c sac:conditionKind/skos:prefLabel ?kind ;"
        " sac:value ?value ; sac:unit/qudt:symbol ?unit } ORDER BY ?kind")
    assert [(r["p"], r["kind"], str(r["value"]), r["unit"]) for r in rows if "prospect" in r["p"].value] == [
        (Iri("https://w3id.org/sackg/id/prospects/prospect-2"), "areal capacity", "3", "mA h cm⁻²"),
        (Iri("https://w3id.org/sackg/id/prospects/prospect-2"), "current density", "3", "mA cm⁻²"),
    ]


def test_every_number_carries_a_unit_and_a_source(kb):
    _, rows = kb.select(
        "PREFIX sac: <https://w3id.org/sackg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT (COUNT(?m) AS ?n) WHERE { ?m a sac:Measurement . "
        "FILTER NOT EXISTS { ?m sac:unit ?u ; prov:wasDerivedFrom ?r } }")
    assert rows[0]["n"] == 0
