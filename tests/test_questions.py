"""The question suite: many wordings of each question, each with its exact expected answer."""

import pytest

from kg.ask.answering import answer
from kg.ask.reader import Reader

LI_SYSTEMS_ON_NC = ["CC@CN-SACo", "Co_SA@NC", "Fe_SA-N-C", "SACo@N-doped nanocarbon (polymer pyrolysis)", "SAFe@NC",
                    "SAFeNi@LNCP", "SAMn@NG", "SANi-NG", "SANi@NC", "SAZr@NG", "ZnSA-N-C",
                    "single-atom Ni on 3D ordered mesoporous N-doped carbon"]
CO_SYSTEMS = ["CC@CN-SACo", "Co-N/O", "Co_SA@NC", "SA-Co@HC", "SACo/ADFS@HPSC",
              "SACo@N-doped nanocarbon (polymer pyrolysis)", "sp2c-COF-Co"]

# (template, column, expected values of that column in order, wordings)
SUITE = [
    ("mechanisms_for_metal", "mechanism", ["nucleation", "ion transport", "lateral atom diffusion", "SEI formation"], [
        "which mechanisms are supported for Na",
        "what does SAC catalysis do for sodium anodes",
        "mechanisms for Na metal?",
        "Which mechanisms have been shown for sodium?",
        "what mechanistic roles do SACs play in Na anodes",
        "list the mechanisms reported for Na+",
        "sodium: which processes do single-atom catalysts promote?",
        "What do SACs do for Na metal batteries?",
        "mechanisms supported for Na⁺",
        "MECHANISMS FOR SODIUM",
        "which plating steps are catalysed for sodum?",
    ]),
    ("mechanisms_for_metal", "mechanism", ["ion transport", "nucleation"], [
        "which mechanisms are supported for K?",
        "mechanisms for potassium",
        "what does SAC catalysis do for potassium anodes?",
        "K metal: which mechanisms?",
        "what processes do single atoms help with in K metal batteries",
        "which mechanisms have been reported for K+",
    ]),
    ("mechanisms_for_metal", "mechanism", ["nucleation", "lateral atom diffusion", "ion transport", "SEI formation",
                                           "desolvation", "polysulfide conversion/shuttle"], [
        "which mechanisms are supported for Li?",
        "mechanisms for lithium metal anodes",
        "what do single-atom catalysts do for Li⁰/Li⁺ plating? which mechanisms",
        "Li mechanisms",
        "what roles do SACs play for lithium",
        "which effects of SAC catalysis are known for Li metal?",
    ]),
    ("mechanism_gaps", "mechanism", ["SEI formation", "desolvation", "lateral atom diffusion",
                                     "polysulfide conversion/shuttle"], [
        "which mechanisms have no evidence yet for K?",
        "what has nobody studied for potassium?",
        "gaps in the K mechanisms",
        "which mechanisms are missing for K metal?",
        "mechanisms not yet shown for potassium",
        "what remains unexplored for K?",
        "which mechanisms lack evidence for K+?",
    ]),
    ("mechanism_gaps", "mechanism", ["desolvation", "polysulfide conversion/shuttle"], [
        "which mechanisms have no evidence yet for Na?",
        "gaps for sodium",
        "what has not been studied for Na metal anodes?",
        "unexplored mechanisms for sodium",
        "which mechanisms are still missing for Na?",
    ]),
    ("mechanism_gaps", "mechanism", [], [
        "which mechanisms have no evidence yet for Li?",
        "gaps for lithium",
        "what has nobody studied for Li?",
    ]),
    ("best_value", "systemName", ["SA-Co@HC"], [
        "lowest nucleation overpotential for K?",
        "which K system has the lowest nucleation barrier?",
        "minimum nucleation overpotential for potassium",
        "smallest nucleation overpotential in K metal anodes",
        "best nucleation overpotential for K",
        "lowest nucleaton overpotential for K",
    ]),
    ("best_value", "systemName", ["ZnSA-N-C", "Co_SA@NC"], [
        "lowest nucleation overpotential for Na?",
        "which sodium system has the lowest nucleation barrier",
        "rank Na systems by nucleation overpotential, lowest first",
        "best nucleation barrier for Na⁺",
        "Na: minimum nucleation overpotential",
    ]),
    ("best_value", "systemName", ["sp2c-COF-Co", "SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC"], [
        "lowest nucleation overpotential for Li",
        "which Li system has the smallest nucleation barrier?",
        "best nucleation overpotential for lithium",
    ]),
    ("best_value", "systemName", ["SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC", "Pt SAs/In2S3/Ti3C2", "SAFeNi@LNCP", "CC@CN-SACo"], [
        "longest cycle life for Li",
        "which Li system has the longest lifespan?",
        "highest cycle life for lithium metal anodes",
        "best cycle life for Li",
        "which lithium SAC lasts the longest? longest cycle life",
    ]),
    ("best_value", "systemName", ["ZnSA-N-C", "Zn_SA-HCNT"], [
        "longest cycle life for Na",
        "which Na system has the longest cycle life?",
        "maximum lifespan of sodium systems",
        "best cycle life for Na metal",
        "top cycle life for Na",
    ]),
    ("best_value", "systemName", ["ZnSAs", "sp2c-COF-Co", "SAZr@NG", "Co-N/O", "SAMn@NG", "Co-N/O", "SAFe@NC",
                                  "SANi@NC"], [
        "strongest binding energy for Li",
        "lowest binding energy for Li",
        "which Li system binds Li most strongly? strongest adsorption energy",
    ]),
    ("threshold", "systemName", ["ZnSA-N-C", "Zn_SA-HCNT"], [
        "Na systems with cycle life over 900 h",
        "which sodium systems have a cycle life above 900 h?",
        "Na systems lasting more than 900 h",
        "sodium SACs with lifespan > 900 h",
        "cycle life over 900 h for Na",
        "Na systems with cycle life exceeding 900 hours",
    ]),
    ("threshold", "systemName", ["SA-Co@HC"], [
        "K systems lasting more than 2000 h",
        "potassium systems with cycle life above 2000 h",
    ]),
    ("threshold", "meets", ["yes", "possibly"], [  # SA-Co@HC (> 2500 h), Zn_SA-HCNT (> 900 h: may or may not)
        "systems with cycle life over 2000 h",
        "which systems last longer than 2000 h?",
        "cycle life above 2000 h",
        "SACs with a lifespan over 2000 hours",
    ]),
    ("threshold", "systemName", ["SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC", "Pt SAs/In2S3/Ti3C2"], [
        "Li systems with cycle life over 1000 h",
        "lithium systems lasting more than 1000 h",
        "which Li SACs have a cycle life above 1000 h?",
    ]),
    ("threshold", "systemName", ["ZnSA-N-C", "SA-Co@HC", "sp2c-COF-Co"], [
        "which systems have a nucleation overpotential below 10 mV?",
        "nucleation overpotential under 10 mV",
        "systems with nucleation barrier less than 10 mV",
        "nucleation overpotential < 10 mV",
        "SACs with a nucleation overpotential below 10 mV",
    ]),
    ("property_of_system", "display", ["0 mV"], [
        "nucleation overpotential of ZnSA-N-C",
        "what is the nucleation overpotential of Zn_SA-N-C?",
        "Zn SA-N-C nucleation barrier",
        "ZnSA-N-C: nucleation overpotential?",
        "nucleation overpotential of ZnSA‑N‑C on Na",
        "what nucleation overpotential does ZnSA-N-C show?",
    ]),
    ("property_of_system", "display", ["> 2500 h"], [
        "what is the cycle life of SA-Co@HC?",
        "cycle life of SA-Co@HC",
        "SA-Co@HC lifespan",
        "how long does SA-Co@HC last? cycle life",
    ]),
    ("property_of_system", "display", ["-3.66 eV"], [
        "binding energy of ZnSAs",
        "what is the Li binding energy on ZnSAs?",
        "ZnSAs adsorption energy",
    ]),
    ("property_of_system", "display", ["12.5 mV"], [
        "nucleation overpotential of SACo/ADFS@HPSC",
        "SACo/ADFS@HPSC nucleation barrier",
    ]),
    ("property_of_system", "display", ["-2.29 eV"], [
        "binding energy of Co_SA@NC",
        "Na0 affinity of CoSA@NC? binding energy",
    ]),
    ("compare_systems", "systemName", ["Co_SA@NC", "ZnSA-N-C"], [
        "compare ZnSA-N-C and Co_SA@NC on nucleation overpotential",
        "nucleation overpotential of ZnSA-N-C vs Co_SA@NC",
        "which is better for nucleation barrier, ZnSA-N-C or Co_SA@NC?",
        "ZnSA-N-C versus CoSA@NC: nucleation overpotential",
        "compare the nucleation overpotentials of Co_SA@NC and ZnSA-N-C",
    ]),
    ("compare_systems", "systemName", ["ZnSA-N-C", "bare Cu foil"], [
        "ZnSA-N-C against bare Cu foil on nucleation overpotential",
        "nucleation overpotential: ZnSA-N-C vs bare copper foil",
    ]),
    ("compare_systems", "systemName", ["SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC"], [
        "cycle life of SAFe/CVRCS@3DPC vs SACo/ADFS@HPSC",
        "compare SAFe/CVRCS@3DPC and SACo/ADFS@HPSC on cycle life",
    ]),
    ("compare_baseline", "baselineMaterial", ["pristine graphene"], [
        "how does ZnSAs compare with its baseline?",
        "ZnSAs against the pristine baseline",
        "improvement of ZnSAs over the bare material",
        "ZnSAs vs control",
    ]),
    ("compare_baseline", "baselineMaterial", ["bare Cu foil", "carbon cloth"], [
        "how much does ZnSA-N-C improve the nucleation overpotential over its baselines?",
        "ZnSA-N-C nucleation overpotential against the bare controls",
    ]),
    ("compare_baseline", "baselineMaterial", ["unmodified electrode", "bare Cu foil", "carbon cloth"], [
        "ZnSA-N-C compared with the controls",
        "how does ZnSA-N-C compare with its baselines?",
    ]),
    ("systems_for_metal", "system", ["SA-Co@HC"], [
        "which SAC systems are used for K?",
        "list the single-atom catalysts for potassium anodes",
        "K systems?",
        "which catalysts have been studied for K metal?",
        "SACs for K metal batteries",
    ]),
    ("systems_for_metal", "system", ["Co_SA@NC", "Zn-HC", "ZnSA-N-C", "Zn_SA-HCNT"], [
        "which SAC systems are used for Na?",
        "list the single-atom catalysts for sodium anodes",
        "Na systems",
        "which SACs have been reported for sodium metal?",
        "what catalysts are used as hosts for Na?",
    ]),
    ("count_systems", "count", [4], [
        "how many Na systems are there?",
        "number of sodium systems",
        "how many SACs have been studied for Na?",
        "count the Na systems",
    ]),
    ("count_systems", "count", [16], [
        "how many Li systems are there?",
        "how many single-atom catalysts for lithium?",
        "number of Li SACs",
    ]),
    ("count_systems", "count", [7], [
        "how many systems use Co single atoms?",
        "how many Co systems are there?",
        "number of SACs with Co centres",
    ]),
    ("count_systems", "count", [1], [
        "how many systems promote desolvation for Li?",
        "number of systems claimed to help desolvation",
    ]),
    ("systems_with_centre_metal", "system", CO_SYSTEMS, [
        "which systems use single Co atoms?",
        "systems with Co centres",
        "Co single-atom catalysts",
        "which SACs contain cobalt?",
        "systems based on Co",
    ]),
    ("systems_with_centre_metal", "system", ["Zn-HC", "ZnSA-N-C", "Zn_SA-HCNT"], [
        "Zn single-atom catalysts for Na",
        "which Na systems use zinc single atoms?",
        "sodium systems with Zn centres",
    ]),
    ("centre_metals_for_metal", "centre_metal", ["Zn", "Co"], [
        "which centre metals are used for Na?",
        "what single atoms are used in Na anodes?",
        "central metal atoms for sodium",
        "which elements serve as single-atom centres for Na?",
    ]),
    ("supports_for_metal", "support_kind", ["biomass-derived carbon", "hard carbon"], [
        "which supports are used for K?",
        "what hosts anchor the single atoms in K anodes?",
        "support kinds for potassium",
        "substrates used for K metal SACs",
    ]),
    ("coordination_for_metal", "coordination", ["unspecified", "M-N-C"], [
        "which coordination environments are used for Na?",
        "how are the single atoms coordinated in Na systems?",
        "coordination for sodium",
    ]),
    ("synthesis_for_metal", "synthesis_method", ["MOF pyrolysis"], [
        "how were the Na SACs synthesized?",
        "which synthesis methods are used for Na?",
        "fabrication routes for sodium systems",
    ]),
    ("techniques_for_metal", "technique", ["galvanostatic cycling", "DFT calculation", "SEM", "XPS", "cryo-TEM",
                                           "in situ TEM", "in situ optical microscopy", "theoretical calculation"], [
        "which techniques were used for Na?",
        "how were the Na systems characterized?",
        "characterization tools for sodium",
    ]),
    ("references_for_mechanism", "reference", ["J. Wang et al., Adv. Mater., 2023 [ref. 50]"], [
        "which references support desolvation for Li?",
        "papers showing desolvation",
        "evidence for desolvation: which sources?",
        "which studies back the desolvation mechanism?",
        "references for desolvation in lithium",
    ]),
    ("references_for_mechanism", "reference", ["T. Yang et al., Nano Lett., 2019 [ref. 70]",
                                               "Y. Li et al., Small Methods, 2021 [ref. 72]"], [
        "which references support lateral atom diffusion for Na?",
        "papers on Na0 surface diffusion",
        "sources for lateral diffusion in sodium",
    ]),
    ("techniques_for_mechanism", "technique", ["in situ SFG", "theoretical calculation"], [
        "which techniques showed desolvation?",
        "how was desolvation shown?",
        "methods used to probe desolvation",
        "what characterization revealed the desolvation effect?",
    ]),
    ("systems_with_technique", "system", ["Zn_SA-HCNT"], [
        "systems studied with in situ TEM",
        "which SACs were characterized by in situ TEM?",
        "what was observed with in-situ TEM?",
        "in situ TEM studies: which systems?",
    ]),
    ("systems_with_technique", "system", ["SAFe/CVRCS@3DPC"], [
        "systems studied with SFG",
        "which systems were examined by sum frequency generation?",
    ]),
    ("systems_with_mechanism", "system", ["SAFe/CVRCS@3DPC"], [
        "which systems promote desolvation?",
        "SACs that accelerate desolvation",
        "which catalysts facilitate Li+ desolvation?",
    ]),
    ("systems_with_mechanism", "system", ["Co_SA@NC", "ZnSA-N-C", "Zn_SA-HCNT"], [
        "which systems lower the nucleation barrier for Na?",
        "SACs that promote nucleation in sodium",
        "which catalysts help Na nucleation?",
    ]),
    ("systems_with_support", "system", LI_SYSTEMS_ON_NC, [
        "which systems are supported on N-doped carbon?",
        "SACs on N-doped carbon",
        "systems anchored on nitrogen-doped carbon",
    ]),
    ("systems_with_support", "system", ["Pt SAs/In2S3/Ti3C2", "Zn-MXene"], [
        "SACs on MXene",
        "which systems use an MXene support?",
    ]),
    ("systems_with_coordination", "system", ["Co-N/O"], [
        "which systems have asymmetric Co-N/O coordination?",
        "systems with Co–N/O coordination",
    ]),
    ("mechanisms_for_system", "mechanismName", ["lateral atom diffusion", "nucleation"], [
        "what does ZnSA-N-C do?",
        "which mechanisms does ZnSA-N-C promote?",
        "how does Zn_SA-N-C work?",
        "what is ZnSA-N-C claimed to do?",
    ]),
    ("mechanisms_for_system", "mechanismName", ["desolvation", "nucleation"], [
        "what does SAFe/CVRCS@3DPC do?",
        "which mechanisms does SAFe/CVRCS@3DPC promote?",
    ]),
    ("measurements_of_system", "quantityName", ["binding energy", "cycle life", "nucleation overpotential"], [
        "what was measured for SA-Co@HC?",
        "performance of SA-Co@HC",
        "all values reported for SA-Co@HC",
        "SA-Co@HC measurements",
    ]),
    ("references_for_system", "reference", ["T. Yang et al., Nano Lett., 2019, 19, 7827–7835 [ref. 70]"], [
        "which papers report ZnSA-N-C?",
        "references for ZnSA-N-C",
        "where was ZnSA-N-C published?",
        "source of ZnSA-N-C",
    ]),
    ("values_of_property", "systemName", ["Zn_SA-HCNT", "ZnSA-N-C"], [
        "cycle life values for Na",
        "list all cycle lives reported for sodium",
        "what cycle life values are reported for Na?",
    ]),
    ("prospects", "number", [1, 2, 3, 4, 5], [
        "what are the prospects?",
        "future directions for SACs in alkali metal anodes",
        "what is the outlook of the review?",
        "list the prospects",
        "what should future work do? recommendations",
    ]),
    ("prospects", "number", [4], [
        "which prospects concern desolvation?",
        "prospects about desolvation",
    ]),
    ("challenges", "challenge", ["Coupled failure modes under harsh conditions", "Dendrite growth",
                                 "Pulverisation and dead Li/Na", "Repeated SEI breakdown and re-formation",
                                 "Early stage of SACs for Na and K metal anodes",
                                 "Geographic availability and cost of lithium", "Na dendrites and dead Na",
                                 "Sluggish Na+ desolvation and transport at low temperature"], [
        "problems of Na metal anodes",
        "what are the challenges for sodium?",
        "which challenges concern Na?",
        "Na obstacles",
    ]),
    ("overview_by_metal", "metalName", ["K", "Li", "Na"], [
        "how many systems per metal?",
        "overview of the knowledge base by metal",
        "breakdown per alkali metal",
    ]),
    ("mechanism_coverage", "claims", [0, 0, 1, 0, 1, 0, 1, 1, 3, 5, 14, 1, 1, 0, 2, 2, 3, 0], [
        "mechanism coverage across the metals",
        "which mechanisms are studied for each metal?",
        "coverage matrix of mechanisms and metals",
    ]),
]

CASES = [(template, column, expected, wording) for template, column, expected, wordings in SUITE for wording in wordings]


@pytest.fixture(scope="module")
def reader(kb):
    return Reader(kb)


def test_the_suite_has_at_least_200_wordings():
    assert len(CASES) >= 200


@pytest.mark.parametrize("template,column,expected,wording", CASES, ids=[c[3] for c in CASES])
def test_wording_gets_its_exact_answer(kb, reader, template, column, expected, wording):
    result = answer(kb, wording, reader)
    assert result.template.name == template
    assert [row[column] for row in result.rows] == expected
