"""Golden tests: every SPARQL template on a small fixture knowledge base (tests/fixtures/mini)."""

from decimal import Decimal

import pytest
from conftest import FIXTURES

from kg.engine.binding import ANY
from kg.engine.opening import open_kb
from kg.engine.templates import run, template, template_names
from kg.model.terms import Iri

SAC = "https://w3id.org/sackg/ontology#"
ID = "https://w3id.org/sackg/id/"
NA, K, LI = (Iri(f"{ID}element/{m}") for m in ("Na", "K", "Li"))
ZN, CO = Iri(f"{ID}element/Zn"), Iri(f"{ID}element/Co")
TESTZN, TESTCO, TESTFE = (Iri(f"{ID}system/{s}") for s in ("TestZn-NC", "TestCo-HC", "TestFe-G"))
CU = Iri(f"{ID}material/bare-Cu-foil")
NUC, CYCLE, BIND = (Iri(f"{SAC}{q}") for q in ("NucleationOverpotential", "CycleLife", "BindingEnergy"))
NUCLEATION, DESOLVATION = Iri(f"{SAC}Nucleation"), Iri(f"{SAC}Desolvation")
HOURS = Iri("http://qudt.org/vocab/unit/HR")


@pytest.fixture(scope="module")
def mini(isolated_cache):
    return open_kb(FIXTURES / "mini")


def rows(mini, name, columns, **bindings):
    _, found = run(mini, name, **bindings)
    return [tuple(r[c] for c in columns) for r in found]


GOLDEN = [
    ("mechanisms_for_metal", dict(metal=NA), ["mechanism", "claims", "systems"],
     [("ion transport", 1, "TestZn@NC"), ("nucleation", 1, "TestZn@NC")]),
    ("mechanisms_for_metal", dict(metal=LI), ["mechanism", "claims"], [("desolvation", 1), ("lateral atom diffusion", 1)]),
    ("systems_for_metal", dict(metal=K), ["system", "centre_metals", "support", "coordination", "roles"],
     [("TestCo@HC", "Co", "hard carbon", "unspecified", "anode host")]),
    ("centre_metals_for_metal", dict(metal=NA), ["centre_metal", "systems", "names"], [("Zn", 1, "TestZn@NC")]),
    ("supports_for_metal", dict(metal=LI), ["support_kind", "systems"], [("N-doped graphene", 1)]),
    ("coordination_for_metal", dict(metal=NA), ["coordination", "systems"], [("M-N-C", 1)]),
    ("techniques_for_metal", dict(metal=NA), ["technique", "evidence_kind", "systems"],
     [("galvanostatic cycling", "electrochemical test", 1), ("in situ TEM", "in situ microscopy", 1)]),
    ("synthesis_for_metal", dict(metal=NA), ["synthesis_method", "names"], [("high-temperature pyrolysis", "TestZn@NC")]),
    ("systems_with_centre_metal", dict(element=CO, metal=ANY), ["system", "alkali_metals"], [("TestCo@HC", "K")]),
    ("systems_with_centre_metal", dict(element=ZN, metal=K), ["system"], []),
    ("systems_with_support", dict(support=Iri(f"{SAC}NDopedCarbon"), metal=ANY), ["system", "kinds"],
     [("TestFe@G", "N-doped graphene"), ("TestZn@NC", "N-doped carbon")]),
    ("systems_with_support", dict(support=Iri(f"{SAC}CarbonSupport"), metal=K), ["system"], [("TestCo@HC",)]),
    ("systems_with_coordination", dict(coordination=Iri(f"{SAC}MNC"), metal=ANY), ["system"], [("TestFe@G",), ("TestZn@NC",)]),
    ("systems_with_mechanism", dict(mechanism=NUCLEATION, metal=ANY), ["system", "metalName", "effect", "evidence"],
     [("TestCo@HC", "K", "promotes", "DFT calculation"), ("TestZn@NC", "Na", "lowers barrier", "galvanostatic cycling")]),
    ("systems_with_mechanism", dict(mechanism=DESOLVATION, metal=ANY), ["system", "evidence"], [("TestFe@G", "(not stated)")]),
    ("property_of_system", dict(system=TESTZN, quantity=NUC, metal=ANY),
     ["systemName", "display", "conditions", "baseline", "reference"],
     [("TestZn@NC", "5 mV", "current density 1 mA cm⁻²", "bare Cu foil: 20 mV", "A. Zed and B. Wye, J. Test, 2020 [ref. 1]")]),
    ("values_of_property", dict(quantity=CYCLE, metal=ANY), ["systemName", "display", "comparator"],
     [("TestZn@NC", "> 800 h", ">"), ("TestCo@HC", "1200 h", None)]),
    ("best_value", dict(quantity=NUC, descending=False, metal=ANY), ["systemName", "display"],
     [("TestCo@HC", "2 mV"), ("TestZn@NC", "5 mV")]),
    ("best_value", dict(quantity=CYCLE, descending=True, metal=NA), ["systemName", "display"], [("TestZn@NC", "> 800 h")]),
    ("best_value", dict(quantity=BIND, descending=True), ["systemName", "display"],
     [("TestZn@NC", "-1.5 eV"), ("TestFe@G", "-2.5 eV")]),
    ("best_value", dict(quantity=BIND, descending=True, magnitude=True), ["systemName", "display"],
     [("TestFe@G", "-2.5 eV"), ("TestZn@NC", "-1.5 eV")]),  # by size, whatever the sign
    ("values_for_metal", dict(metal=NA), ["systemName", "quantityName", "display", "conditions", "cellName", "origin"],
     [("TestZn@NC", "binding energy", "-1.5 eV", "", None, "computed (DFT calculation)"),
      ("TestZn@NC", "cycle life", "> 800 h", "", "symmetric cell", "measured"),
      ("TestZn@NC", "nucleation overpotential", "5 mV", "current density 1 mA cm⁻²", None, "measured")]),
    ("values_for_metal", dict(element=CO), ["systemName", "quantityName", "display"],
     [("TestCo@HC", "cycle life", "1200 h"), ("TestCo@HC", "nucleation overpotential", "2 mV")]),
    ("references", {}, ["number", "firstAuthor", "published"], [(1, "A. Zed", "2020"), (2, "C. See", "2021"), (3, "D. Dee", "2022")]),
    ("references", dict(year=2021), ["number", "reference"], [(2, "C. See, J. Test, 2021 [ref. 2]")]),
    ("references", dict(author="eff"), ["number", "firstAuthor"], [(3, "D. Dee")]),  # any position, any case
    ("references", dict(author="Ee"), ["number"], []),  # a surname, not a part of one
    ("references", dict(metal=NA), ["number"], [(1,)]),
    ("references", dict(mechanism=NUCLEATION), ["number"], [(1,), (2,)]),
    ("references", dict(year=2022, metal=LI), ["number"], [(3,)]),
    ("synthesis_methods", {}, ["level", "method", "strategy", "systems", "notes"],
     [("strategy", "defect-site trapping", None, "", ""),
      ("strategy", "heteroatom-assisted anchored coordination", None, "", ""),
      ("method", "electrochemical synthesis", None, "", ""), ("method", "molten-salt synthesis", None, "", ""),
      ("method", "template-assisted synthesis", None, "", ""),
      ("method", "atomic layer deposition", "defect-site trapping", "", ""),
      ("method", "hydrothermal reaction", "defect-site trapping", "", ""),
      ("method", "high-temperature pyrolysis", "heteroatom-assisted anchored coordination", "TestZn@NC",
       "Scale up: Make more SACs."),
      ("method", "wet impregnation", "heteroatom-assisted anchored coordination", "", ""),
      ("method", "MOF pyrolysis", "high-temperature pyrolysis", "", "")]),
    ("computational_techniques", {}, ["label"],
     [("DFT calculation",), ("MD simulation",), ("field simulation",), ("theoretical calculation",)]),
    ("techniques", {}, ["technique", "evidenceKind", "systems"],
     [("DFT calculation", "DFT", ""), ("MD simulation", "MD", ""), ("theoretical calculation", "computation", ""),
      ("field simulation", "continuum simulation", ""), ("chronoamperometry", "electrochemical test", ""),
      ("galvanostatic cycling", "electrochemical test", ""), ("AC-STEM", "ex situ microscopy", ""),
      ("SEM", "ex situ microscopy", ""), ("TEM", "ex situ microscopy", ""), ("cryo-TEM", "ex situ microscopy", ""),
      ("EELS", "ex situ spectroscopy", ""), ("TOF-SIMS", "ex situ spectroscopy", ""), ("XAS", "ex situ spectroscopy", ""),
      ("XPS", "ex situ spectroscopy", ""), ("in situ TEM", "in situ microscopy", "TestZn@NC"),
      ("in situ optical microscopy", "in situ microscopy", ""), ("in situ SFG", "in situ spectroscopy", ""),
      ("in situ XAS", "in situ spectroscopy", "")]),
    ("about_entity", dict(entity=Iri(f"{SAC}Pyrolysis")), ["aspect", "detail", "source"],
     [("broader", "heteroatom-assisted anchored coordination", ""),
      ("definition", "Heating a metal-containing precursor mixture at high temperature under inert or reducing gas, "
                     "converting it into a carbon support with isolated metal sites.", ""),
      ("prospect", "Scale up: Make more SACs.", "R. Viewer, Test Rev., 2024")]),
    ("system_parts", dict(system=TESTZN), ["systemName", "supportMaterial", "supportKinds", "centreMetals", "coordinationName",
                                            "alkaliMetals", "roles", "synthesis", "techniques"],
     [("TestZn@NC", "N-doped carbon sheet", "N-doped carbon", "Zn", "M-N-C", "Na", "anode host",
       "high-temperature pyrolysis", "in situ TEM")]),
    ("system_parts", dict(metal=K), ["systemName", "supportMaterial", "roles"], [("TestCo@HC", "hard carbon", "anode host")]),
    ("system_parts", dict(element=ZN, support=Iri(f"{SAC}CarbonSupport")), ["systemName"], [("TestZn@NC",)]),
    ("system_parts", dict(element=CO, metal=NA), ["systemName"], []),
    ("system_parts", dict(technique=Iri(f"{SAC}DFT"), coordination=Iri(f"{SAC}MNC")), ["systemName"], [("TestFe@G",)]),
    ("system_parts", dict(technique=Iri(f"{SAC}InSituTEM"), support=Iri(f"{SAC}NDopedCarbon")), ["systemName"], [("TestZn@NC",)]),
    ("systems_with_mechanism", dict(mechanism=Iri(f"{SAC}Nucleation"), technique=Iri(f"{SAC}GalvanostaticCycling")),
     ["system", "metalName"], [("TestZn@NC", "Na")]),
    # the evidence of the claim itself: in situ TEM backs TestZn@NC's ion transport claim, not its nucleation one
    ("systems_with_mechanism", dict(mechanism=Iri(f"{SAC}Nucleation"), technique=Iri(f"{SAC}InSituTEM")), ["system"], []),
    ("systems_with_mechanism", dict(mechanism=Iri(f"{SAC}Nucleation"), element=CO, support=Iri(f"{SAC}CarbonSupport")),
     ["system", "metalName"], [("TestCo@HC", "K")]),
    ("systems_with_mechanism", dict(mechanism=Iri(f"{SAC}Nucleation"), coordination=Iri(f"{SAC}MNC"), metal=K), ["system"], []),
    ("threshold", dict(quantity=CYCLE, threshold=Decimal("1000"), thresholdUnit=HOURS, above=True, metal=ANY),
     ["systemName", "meets"], [("TestCo@HC", "yes"), ("TestZn@NC", "possibly")]),
    ("threshold", dict(quantity=CYCLE, threshold=Decimal("800"), thresholdUnit=HOURS, above=True, metal=ANY),
     ["systemName", "meets"], [("TestCo@HC", "yes"), ("TestZn@NC", "yes")]),
    ("threshold", dict(quantity=CYCLE, threshold=Decimal("1000"), thresholdUnit=HOURS, above=False, metal=ANY),
     ["systemName", "meets"], [("TestZn@NC", "possibly")]),
    ("threshold", dict(quantity=CYCLE, threshold=Decimal("800"), thresholdUnit=HOURS, above=True, metal=ANY,
                       technique=Iri(f"{SAC}InSituTEM")), ["systemName", "meets"], [("TestZn@NC", "yes")]),
    ("threshold", dict(quantity=CYCLE, threshold=Decimal("800"), thresholdUnit=HOURS, above=True, metal=ANY,
                       mechanism=Iri(f"{SAC}Nucleation"), coordination=Iri(f"{SAC}UnspecifiedCoordination")),
     ["systemName", "meets"], [("TestCo@HC", "yes")]),
    ("threshold", dict(quantity=CYCLE, threshold=Decimal("50"), thresholdUnit=Iri("http://qudt.org/vocab/unit/MIN"),
                       above=True, metal=K), ["systemName", "meets"], [("TestCo@HC", "yes")]),
    ("compare_systems", dict(system=TESTZN, other=TESTCO, quantity=NUC), ["systemName", "display"],
     [("TestCo@HC", "2 mV"), ("TestZn@NC", "5 mV")]),
    ("compare_baseline", dict(system=TESTZN, quantity=ANY), ["quantityName", "display", "baselineMaterial", "baselineDisplay", "change"],
     [("nucleation overpotential", "5 mV", "bare Cu foil", "20 mV", Decimal("-15"))]),
    ("compare_baseline", dict(system=TESTCO, quantity=ANY), ["quantityName", "display", "baselineMaterial", "baselineDisplay", "change"],
     [("cycle life", "1200 h", "bare Cu foil", "no value given", None)]),
    ("name_candidates", dict(entity=Iri(f"{ID}name/TestSA")), ["label"], [("TestFe@G",), ("TestZn@NC",)]),
    ("best_value", dict(quantity=NUC, descending=False, metal=ANY, support=Iri(f"{SAC}NDopedCarbon"), element=ANY),
     ["systemName", "display"], [("TestZn@NC", "5 mV")]),
    ("threshold", dict(quantity=CYCLE, threshold=Decimal("700"), thresholdUnit=HOURS, above=True, metal=ANY,
                       element=CO, support=ANY), ["systemName", "display"], [("TestCo@HC", "1200 h")]),
    ("values_of_property", dict(quantity=CYCLE, metal=ANY, element=ZN, support=ANY), ["systemName", "display"],
     [("TestZn@NC", "> 800 h")]),
    ("authors", dict(reference=Iri(f"{ID}reference/p-fe")), ["position", "author"],
     [(1, "D. Dee"), (2, "E. Eee"), (3, "F. Eff")]),
    ("entity_findings", dict(entity=TESTFE), ["about", "statement", "evidence", "comparedWith", "reference", "section"],
     [("TestFe@G", "Charge moves from the Fe site to the graphene.", "DFT calculation (inferred)", "bare Cu foil",
       "D. Dee et al., Other J., 2022 [ref. 3]", "3")]),
    ("entity_findings", dict(entity=CU), ["about"], [("TestFe@G",)]),
    ("entity_findings", dict(entity=TESTZN), ["about"], []),
    ("references_for_mechanism", dict(mechanism=NUCLEATION, metal=ANY), ["reference", "claims", "metals"],
     [("A. Zed and B. Wye, J. Test, 2020 [ref. 1]", 1, "Na"), ("C. See, J. Test, 2021 [ref. 2]", 1, "K")]),
    ("references_for_system", dict(system=TESTZN), ["reference", "role", "doi"],
     [("A. Zed and B. Wye, J. Test, 2020, 1, 1–2 [ref. 1]",
       "claim: ion transport; claim: nucleation; reports the system; value: binding energy; value: cycle life; "
       "value: nucleation overpotential", "10.1234/zn.1")]),
    ("techniques_for_mechanism", dict(mechanism=NUCLEATION, metal=ANY), ["technique", "claims", "metals"],
     [("DFT calculation", 1, "K"), ("galvanostatic cycling", 1, "Na")]),
    ("techniques_for_mechanism", dict(mechanism=DESOLVATION, metal=LI), ["technique", "evidence_kind"],
     [("(not stated in the review)", "not stated")]),
    ("systems_with_technique", dict(technique=Iri(f"{SAC}InSituTEM"), metal=ANY), ["system", "metals", "shown"],
     [("TestZn@NC", "Na", "ion transport (Na)")]),
    ("count_systems", dict(metal=ANY, element=ANY, support=ANY, mechanism=ANY), ["count"], [(3,)]),
    ("count_systems", dict(metal=ANY, element=ANY, support=Iri(f"{SAC}CarbonSupport"), mechanism=NUCLEATION), ["count"], [(2,)]),
    ("count_systems", dict(metal=LI, element=ANY, support=ANY, mechanism=NUCLEATION), ["count"], [(0,)]),
    ("count_systems", dict(technique=Iri(f"{SAC}DFT")), ["count", "systems"], [(2, "TestCo@HC; TestFe@G")]),
    ("count_systems", dict(technique=Iri(f"{SAC}InSituTEM"), coordination=Iri(f"{SAC}MNC")), ["count", "systems"],
     [(1, "TestZn@NC")]),
    ("count_systems", dict(coordination=Iri(f"{SAC}MNC"), mechanism=NUCLEATION, metal=NA), ["count"], [(1,)]),
    ("mechanism_gaps", dict(metal=K), ["mechanism", "shown_for"],
     [("SEI formation", ""), ("desolvation", "Li"), ("ion transport", "Na"), ("lateral atom diffusion", "Li"),
      ("polysulfide conversion/shuttle", "")]),
    ("mechanism_coverage", {}, ["metalName", "mechanismName", "claims"],
     [(m, mech, n) for m, counts in (("K", (0, 0, 0, 0, 1, 0)), ("Li", (0, 1, 0, 1, 0, 0)), ("Na", (0, 0, 1, 0, 1, 0)))
      for mech, n in zip(("SEI formation", "desolvation", "ion transport", "lateral atom diffusion", "nucleation",
                          "polysulfide conversion/shuttle"), counts)]),
    ("prospects", dict(concern=ANY), ["number", "prospect", "concerns"],
     [(1, "Scale up", "high-temperature pyrolysis"), (2, "Standard tests", "cycle life; desolvation")]),
    ("prospects", dict(concern=DESOLVATION), ["number"], [(2,)]),
    ("challenges", dict(concern=NA), ["challenge", "concerns", "section"], [("Na dendrites", "Na; nucleation", "4")]),
    ("mechanisms_for_system", dict(system=TESTFE), ["mechanismName", "metalName", "effect", "evidence"],
     [("desolvation", "Li", "promotes (inferred)", "(not stated)"),
      ("lateral atom diffusion", "Li", "promotes", "DFT calculation")]),
    ("measurements_of_system", dict(system=TESTZN), ["quantityName", "display", "origin"],
     [("binding energy", "-1.5 eV", "computed (DFT calculation)"), ("cycle life", "> 800 h", "measured"),
      ("nucleation overpotential", "5 mV", "measured")]),
    ("alkali_metals", {}, ["metal"], [(K,), (LI,), (NA,)]),
    ("measured_quantities", {}, ["quantity"], [(BIND,), (CYCLE,), (NUC,)]),
    ("ranked_values", dict(quantity=CYCLE, metal=ANY), ["m", "sortValue", "comparator"],
     [(Iri(f"{ID}measurement/p-zn/TestZn-NC/CycleLife"), Decimal("2880000"), Iri(f"{SAC}MoreThan")),
      (Iri(f"{ID}measurement/p-co/TestCo-HC/CycleLife"), Decimal("4320000"), None)]),
    ("ranked_values", dict(quantity=CYCLE, metal=K), ["m"], [(Iri(f"{ID}measurement/p-co/TestCo-HC/CycleLife"),)]),
    ("overview_by_metal", {}, ["metalName", "systems", "claims", "measurements", "references"],
     [("K", 1, 1, 2, 1), ("Li", 1, 2, 1, 1), ("Na", 1, 2, 3, 1)]),
    ("stats", {}, ["label", "count"],
     [("SAC systems", 3), ("groups of systems", 0), ("control materials", 1), ("measurements", 7), ("claims", 5),
      ("findings", 1), ("references", 4),
      ("mechanisms", 6), ("quantity kinds", 22), ("techniques", 18), ("synthesis methods", 10), ("support kinds", 19),
      ("coordination environments", 7), ("challenges", 2), ("prospects", 2), ("sustainability considerations", 0),
      ("review sections", 3), ("figures", 1)]),
    ("export_systems", {}, ["system", "centreMetals", "support", "supportKinds", "coordination", "alkaliMetals", "roles",
                            "synthesis", "techniques", "reference", "doi", "section", "figures"],
     [("TestCo@HC", "Co", "hard carbon", "hard carbon", "unspecified", "K", "anode host", "", "", "p-co", "", "4", ""),
      ("TestFe@G", "Fe", "N-doped graphene", "N-doped graphene", "M-N-C", "Li", "computational model", "", "", "p-fe", "",
       "3", ""),
      ("TestZn@NC", "Zn", "N-doped carbon sheet", "N-doped carbon", "M-N-C", "Na", "anode host",
       "high-temperature pyrolysis", "in situ TEM", "p-zn", "10.1234/zn.1", "4", "2A")]),
    ("export_measurements", {}, ["material", "quantity", "value", "unit", "comparator", "conditions", "cell", "baseline",
                                 "origin", "metal", "reference", "doi", "section", "figures"],
     [("TestCo@HC", "cycle life", Decimal("1200"), "h", None, "current density 2 mA cm⁻²", "symmetric cell",
       "bare Cu foil: no value given", "measured", "K", "p-co", "", "4", ""),
      ("TestCo@HC", "nucleation overpotential", Decimal("2"), "mV", None, "", None, "", "measured", "K", "p-co", "", "4", ""),
      ("TestFe@G", "binding energy", Decimal("-2.5"), "eV", None, "", None, "", "computed (DFT calculation)", "Li", "p-fe",
       "", "3", ""),
      ("TestZn@NC", "binding energy", Decimal("-1.5"), "eV", None, "", None, "", "computed (DFT calculation)", "Na",
       "p-zn", "10.1234/zn.1", "4", ""),
      ("TestZn@NC", "cycle life", Decimal("800"), "h", ">", "", "symmetric cell", "", "measured", "Na", "p-zn",
       "10.1234/zn.1", "4", ""),
      ("TestZn@NC", "nucleation overpotential", Decimal("5"), "mV", None, "current density 1 mA cm⁻²", None,
       "bare Cu foil: 20 mV", "measured", "Na", "p-zn", "10.1234/zn.1", "4", "2A")]),
    ("export_references", {}, ["id", "number", "authors", "title", "journal", "year", "volume", "pages", "doi", "sections"],
     [("review", None, "1|R. Viewer", None, "Test Rev.", "2024", None, None, None, ""),
      ("p-zn", 1, "1|A. Zed; 2|B. Wye", None, "J. Test", "2020", "1", "1–2", "10.1234/zn.1", "4"),
      ("p-co", 2, "1|C. See", None, "J. Test", "2021", None, None, None, ""),
      ("p-fe", 3, "1|D. Dee; 2|E. Eee; 3|F. Eff", None, "Other J.", "2022", None, None, None, "")]),
    # a list binds its variable to any one of its values, on every engine (rdflib's initBindings cannot)
    ("plot_values", dict(quantity=[NUC, BIND]), ["system", "value"],
     [("TestCo@HC", Decimal("2")), ("TestFe@G", Decimal("-2.5")), ("TestZn@NC", Decimal("-1.5")), ("TestZn@NC", Decimal("5"))]),
]


@pytest.mark.parametrize("name,bindings,columns,expected", GOLDEN, ids=[f"{g[0]}-{i}" for i, g in enumerate(GOLDEN)])
def test_template_on_fixture(mini, name, bindings, columns, expected):
    found = rows(mini, name, columns, **bindings)
    for i, column in enumerate(columns):
        if column in template(name).lists:
            found = [row[:i] + ("; ".join(sorted((row[i] or "").split("; "))),) + row[i + 1:] for row in found]
    assert found == expected


def test_about_entity(mini):
    found = rows(mini, "about_entity", ["aspect", "detail", "source"], entity=TESTCO)
    assert ("claim", "TestCo@HC promotes nucleation (K)", "C. See, J. Test, 2021 [ref. 2]") in found
    assert ("value: cycle life", "TestCo@HC: 1200 h", "C. See, J. Test, 2021 [ref. 2]") in found
    assert ("centre metal", "Co", "") in found


def test_entity_templates(mini):
    assert rows(mini, "entity_summary", ["label", "class"], entity=TESTZN) == [("TestZn@NC", "SAC system")]
    assert ("centre metal", "Zn", "") in rows(mini, "entity_facts", ["property", "value", "detail"], entity=TESTZN)
    measured = rows(mini, "entity_measurements", ["material", "display", "baselineOf"], entity=CU)
    assert measured == [("bare Cu foil", "20 mV", "TestZn@NC")]
    assert rows(mini, "entity_claims", ["system", "mechanism"], entity=K) == [("TestCo@HC", "nucleation")]
    assert ("SAC system", "TestZn@NC", "centre metal") in rows(mini, "entity_mentions", ["kind", "subject", "property"], entity=ZN)


def test_summary_templates(mini):
    labels = {(r["entity"].value, r["label"]) for r in mini.summary("labels")}
    assert (TESTZN.value, "Zn test") in labels
    units = {r["alias"]: r["symbol"] for r in mini.summary("units")}
    assert units["mA cm-2"] == "mA cm⁻²"
    quantities = {r["label"]: r["lowerIsBetter"] for r in mini.summary("quantities")}
    assert quantities["nucleation overpotential"] is True and quantities["cycle life"] is False


def test_graph_and_analysis_templates(mini):
    nodes = rows(mini, "graph_nodes", ["kind", "label"])
    assert ("system", "TestZn@NC") in nodes and ("alkali metal", "K") in nodes and ("reference", "C. See, J. Test, 2021 [ref. 2]") in nodes
    assert ("centre metal", "Zn") in nodes and ("centre metal", "Ni") not in nodes  # only centre metals in use
    links = rows(mini, "graph_links", ["source", "target", "relation"])
    assert (TESTCO, Iri(f"{SAC}HardCarbon"), "is supported on") in links
    assert not any(t == Iri(f"{SAC}UnspecifiedCoordination") for _s, t, _r in links)
    claims = rows(mini, "graph_claims", ["system", "metalLabel", "effect", "evidence"])
    assert (TESTZN, "Na", "lowers barrier", "galvanostatic cycling") in claims
    measured = rows(mini, "graph_measurements", ["material", "display", "baselineOf"])
    assert (CU, "20 mV", Iri(f"{ID}measurement/p-zn/TestZn-NC/NucleationOverpotential")) in measured
    assert rows(mini, "gap_metal_mechanism", ["row", "column", "count"])[:2] == [("K", "SEI formation", 0), ("K", "desolvation", 0)]
    assert ("Na", "Zn", 1) in rows(mini, "gap_metal_centre", ["row", "column", "count"])
    assert ("Li", "N-doped graphene", 1) in rows(mini, "gap_metal_support", ["row", "column", "count"])
    assert ("desolvation", "not stated", 1) in rows(mini, "gap_mechanism_evidence", ["row", "column", "count"])
    assert rows(mini, "standard_test", ["prospect", "current", "capacity"]) == [("Standard tests", Decimal("3"), Decimal("3"))]
    ranked = rows(mini, "rank", ["system", "preferredValue", "current", "comparator"], quantity=CYCLE, metal=ANY)
    assert ranked == [("TestZn@NC", Decimal("800"), None, ">"), ("TestCo@HC", Decimal("1200"), Decimal("2"), None)]
    assert rows(mini, "cocitation", ["a", "b", "shared"]) == [
        ("C. See, J. Test, 2021 [ref. 2]", "A. Zed and B. Wye, J. Test, 2020 [ref. 1]", "mechanism: nucleation")]
    columns = ["system", "metalName", "value", "current", "baseline", "baselineValue", "reference"]
    assert sorted(rows(mini, "plot_values", columns, quantity=NUC)) == [
        ("TestCo@HC", "K", Decimal("2"), None, None, None, "C. See, J. Test, 2021 [ref. 2]"),
        ("TestZn@NC", "Na", Decimal("5"), Decimal("1"), "bare Cu foil", Decimal("20"), "A. Zed and B. Wye, J. Test, 2020 [ref. 1]")]
    cycle = sorted(rows(mini, "plot_values", ["system", "display", "comparator", "cell", "baseline", "baselineValue"], quantity=CYCLE))
    assert cycle == [("TestCo@HC", "1200 h", None, "symmetric cell", "bare Cu foil", None),  # a control without its number
                     ("TestZn@NC", "> 800 h", ">", "symmetric cell", None, None)]
    assert sorted(rows(mini, "plot_values", ["system", "value"], quantity=[NUC, BIND])) == [
        ("TestCo@HC", Decimal("2")), ("TestFe@G", Decimal("-2.5")), ("TestZn@NC", Decimal("-1.5")), ("TestZn@NC", Decimal("5"))]


def test_facets_of_each_system(mini):
    """Its centre metal, its support kind and every broader kind, its coordination, the mechanisms of its
    claims and its techniques (its own and its claims' evidence): one row each."""
    short = lambda iri: iri.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]  # noqa: E731
    found = sorted((short(r["s"]), str(r["facet"]), short(r["value"])) for r in run(mini, "facets")[1])
    assert found == [
        ("TestCo-HC", "coordination", "UnspecifiedCoordination"), ("TestCo-HC", "element", "Co"),
        ("TestCo-HC", "mechanism", "Nucleation"), ("TestCo-HC", "support", "CarbonSupport"),
        ("TestCo-HC", "support", "HardCarbon"), ("TestCo-HC", "technique", "DFT"),
        ("TestFe-G", "coordination", "MNC"), ("TestFe-G", "element", "Fe"), ("TestFe-G", "mechanism", "Desolvation"),
        ("TestFe-G", "mechanism", "LateralAtomDiffusion"), ("TestFe-G", "support", "CarbonSupport"),
        ("TestFe-G", "support", "Graphene"), ("TestFe-G", "support", "HeteroatomDopedCarbon"),
        ("TestFe-G", "support", "NDopedCarbon"), ("TestFe-G", "support", "NDopedGraphene"),
        ("TestFe-G", "technique", "DFT"), ("TestZn-NC", "coordination", "MNC"), ("TestZn-NC", "element", "Zn"),
        ("TestZn-NC", "mechanism", "IonTransport"), ("TestZn-NC", "mechanism", "Nucleation"),
        ("TestZn-NC", "support", "CarbonSupport"), ("TestZn-NC", "support", "HeteroatomDopedCarbon"),
        ("TestZn-NC", "support", "NDopedCarbon"), ("TestZn-NC", "technique", "GalvanostaticCycling"),
        ("TestZn-NC", "technique", "InSituTEM")]


def test_every_template_has_a_golden_test():
    covered = {g[0] for g in GOLDEN} | {"about_entity", "entity_summary", "entity_facts", "entity_measurements",
                                       "entity_claims", "entity_mentions", "labels", "units", "quantities",
                                       "graph_nodes", "graph_links", "graph_claims", "graph_measurements",
                                       "gap_metal_mechanism", "gap_metal_centre", "gap_metal_support",
                                       "gap_mechanism_evidence", "standard_test", "rank", "cocitation", "plot_values",
                                       "facts", "facets"}  # facts: tests/test_facts.py
    assert set(template_names()) == covered


def test_every_template_header_is_complete():
    for name in template_names():
        t = template(name)
        assert t.title and t.summary, name
        declared = {p for p, _ in t.params + t.optional}
        for param in declared:
            assert f"?{param}" in t.text.split("WHERE")[0], f"{name}: parameter ?{param} is not projected"
        if t.askable:
            assert t.examples and t.columns, name
