"""Issue 12: claims only where the review makes them (the rest marked inferred), numbers out of notes,
baselines without values, qualitative findings, the names the review uses, definitions and doubts."""

from __future__ import annotations

import json

import pytest

from kg.ask.answering import answer
from kg.cli.commands import main
from kg.field.show import describe
from kg.model.errors import SackgError

SAC = "PREFIX sac: <https://w3id.org/sackg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " \
      "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX qudt: <http://qudt.org/schema/qudt/> "


def select(kb, body: str) -> list[tuple]:
    columns, rows = kb.select(SAC + body)
    return sorted(tuple(str(r[c]) for c in columns) for r in rows)


INFERRED_CLAIMS = [
    ("CC@CN-SACo", "nucleation", "Li", "promotes"),
    ("Co-N/O", "nucleation", "Li", "promotes"),
    ("Co_SA@NC", "lateral atom diffusion", "Na", "promotes"),
    ("SACo/ADFS@HPSC", "lateral atom diffusion", "Li", "promotes"),
    ("SAMn@NG", "nucleation", "Li", "promotes"),
    ("SAZr@NG", "nucleation", "Li", "promotes"),
    ("ZnSAs", "nucleation", "Li", "promotes"),
]


def test_exactly_these_claims_are_marked_inferred(kb):
    assert select(kb, "SELECT ?s ?m ?metal ?e WHERE { ?c a sac:Claim ; sac:inferred true ; "
                      "sac:aboutSystem/rdfs:label ?s ; sac:mechanism/skos:prefLabel ?m ; "
                      "sac:alkaliMetal/rdfs:label ?metal ; sac:effect/skos:prefLabel ?e }") == INFERRED_CLAIMS


def test_every_inferred_claim_says_why(kb):
    assert select(kb, "SELECT ?c WHERE { ?c sac:inferred true FILTER NOT EXISTS { ?c sac:inference ?why } }") == []


def test_inferred_techniques_of_systems_and_of_evidence(kb):
    assert select(kb, "SELECT ?name ?t WHERE { ?s a sac:SACSystem ; rdfs:label ?name ; "
                      "sac:inferredTechnique/skos:prefLabel ?t }") == [
        ("CC@CN-SACo", "theoretical calculation"), ("Co-N/O", "theoretical calculation"),
        ("SA-Co@HC", "field simulation"), ("Zn-HC", "XPS")]
    assert select(kb, "SELECT ?s ?m ?t WHERE { ?c a sac:Claim ; sac:aboutSystem/rdfs:label ?s ; "
                      "sac:mechanism/skos:prefLabel ?m ; sac:inferredTechnique/skos:prefLabel ?t }") == [
        ("CC@CN-SACo", "nucleation", "theoretical calculation"),
        ("Co-N/O", "nucleation", "theoretical calculation"),
        ("Co-N/O", "nucleation", "theoretical calculation"),
        ("SA-Co@HC", "ion transport", "field simulation"),
        ("SACo/ADFS@HPSC", "ion transport", "SEM"),
        ("SAFe/CVRCS@3DPC", "desolvation", "theoretical calculation"),
        ("Zn-HC", "SEI formation", "XPS"),
        ("ZnSA-N-C", "lateral atom diffusion", "in situ optical microscopy"),
    ]


def test_an_inferred_technique_must_be_listed_and_reasoned(runner, data_copy):
    paper = data_copy / "papers" / "ref-071.yaml"
    paper.write_text(paper.read_text().replace("      XPS: \"read from 'the results of F 1s of Zn-HC after SEI formation'; "
                                               "the review does not name XPS\"\n    compared_with",
                                               "      SEM: \"\"\n    compared_with"))
    result = runner.invoke(main, ["--data", str(data_copy), "validate"])
    assert result.exit_code == 1
    assert "claim 'Zn-HC SEI formation Na': field 'inferred_evidence.SEM': is not one of the evidence listed" \
        in result.output


def test_claims_the_review_does_not_make_are_gone_and_the_missing_one_is_there(kb):
    # ref 34: binding energies belong to the surface-diffusion argument, not to nucleation
    assert select(kb, "SELECT ?s WHERE { ?c a sac:Claim ; sac:mechanism sac:Nucleation ; sac:aboutSystem/rdfs:label ?s "
                      "FILTER(?s IN ('SAFe@NC', 'SANi@NC')) }") == []
    # ref 60: Li+ diffusing around the Fe sites is ion transport, shown by MD
    assert select(kb, "SELECT ?m ?e ?t WHERE { ?c a sac:Claim ; sac:aboutSystem/rdfs:label 'Fe_SA-N-C' ; "
                      "sac:mechanism/skos:prefLabel ?m ; sac:effect/skos:prefLabel ?e "
                      "OPTIONAL { ?c sac:evidenceTechnique/skos:prefLabel ?t } }") == [
        ("ion transport", "promotes", "MD simulation"), ("nucleation", "lowers barrier", "None")]


def test_every_answer_listing_an_inferred_claim_marks_it(kb):
    rows = answer(kb, "which Li systems promote nucleation?").rows
    assert {r["system"]: r["effect"] for r in rows}["CC@CN-SACo"] == "promotes (inferred)"
    assert "SAZr@NG (inferred)" in answer(kb, "mechanisms studied for Li").rows[0]["systems"]
    d = describe(kb, "CC@CN-SACo")
    claims = [t for t in d.tables if t.title == "Claims"][0].rows
    assert [(r["mechanism"], r["effect"], r["evidence"]) for r in claims] == [
        ("SEI formation", "promotes", "(not stated)"),
        ("nucleation", "promotes (inferred)", "theoretical calculation (inferred)")]
    assert d.inferences[0].startswith("CC@CN-SACo promotes nucleation (Li): ")
    assert "read from 'lithiophilic monatomic Co' and 'the high activity of the SACo site'" in d.inferences[0]


def test_the_graph_carries_the_inferred_flag(kb):
    from kg.field.graph import build_graph

    edges = [e for _s, _t, e in build_graph(kb).edges(data=True) if e.get("claim")]
    inferred = sorted(e["claim"] for e in edges if e["inferred"])
    assert len(inferred) == len(INFERRED_CLAIMS)
    assert "CC@CN-SACo promotes nucleation (Li) (inferred by the curator)" in inferred


# ---------------------------------------------------------------- numbers out of notes
def test_a_life_mentioned_beside_another_value_is_a_cycle_life_and_still_its_condition(kb):
    assert select(kb, "SELECT ?q ?v ?cond WHERE { ?m sac:onMaterial/rdfs:label 'Pt SAs/In2S3/Ti3C2' ; "
                      "sac:quantityKind/skos:prefLabel ?q ; sac:valueText ?v OPTIONAL { ?m sac:conditionsText ?cond } }") == [
        ("cycle life", "1100 h", "current density 1 mA cm⁻²"),
        ("plating/stripping overpotential", "~49.6 mV", "current density 1 mA cm⁻²; duration 1100 h"),
        ("sulfur loading", "6.4 mg cm⁻²", "None")]
    rows = answer(kb, "which Li systems cycled for over 1000 h?").rows
    assert [r["systemName"] for r in rows] == ["SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC", "Pt SAs/In2S3/Ti3C2"]


def test_design_parameters_and_test_settings_are_recorded_as_set_and_as_conditions(kb):
    assert select(kb, "SELECT ?s ?q ?v ?origin WHERE { ?m a sac:Measurement ; sac:onMaterial/rdfs:label ?s ; "
                      "sac:quantityKind/skos:prefLabel ?q ; sac:valueText ?v ; sac:valueOrigin/skos:prefLabel ?origin "
                      "FILTER(?q IN ('sulfur loading', 'areal capacity')) }") == [
        ("Pt SAs/In2S3/Ti3C2", "sulfur loading", "6.4 mg cm⁻²", "set"),
        ("SACo/ADFS@HPSC", "areal capacity", "3.78 mA h cm⁻²", "measured"),
        ("SACo/ADFS@HPSC", "sulfur loading", "≤ 5.4 mg cm⁻²", "set"),
        ("SANi-NG", "areal capacity", "0.5 mA h cm⁻²", "set"),
        ("Zn-MXene", "areal capacity", "60 μA h cm⁻²", "set")]
    note = answer(kb, "which system was tested at the highest sulfur loading?").note
    assert note.startswith("Highest: Pt SAs/In2S3/Ti3C2, 6.4 mg cm⁻².")
    assert "Values whose origin is 'set' are design parameters or test settings the experimenters chose, not results." in note
    assert select(kb, "SELECT ?s ?text WHERE { ?c a sac:Claim ; sac:aboutSystem/rdfs:label ?s ; sac:conditionsText ?text }") == [
        ("Pt SAs/In2S3/Ti3C2", "sulfur loading 6.4 mg cm⁻²"),
        ("SANi-NG", "areal capacity 0.5 mA h cm⁻²; duration 10 h"),
        ("Zn-MXene", "areal capacity 60 μA h cm⁻²")]
    # a test setting is never a baseline value
    assert select(kb, "SELECT ?b WHERE { ?m sac:baseline ?b . ?b sac:quantityKind sac:ArealCapacity }") == []


def test_controls_named_without_a_number_are_baselines_without_a_value(kb):
    rows = answer(kb, "how does SA-Co@HC compare with its baseline?").rows
    assert [(r["display"], r["baselineMaterial"], r["baselineDisplay"], r["change"]) for r in rows] == [
        ("3 mV", "bare Cu foil", "no value given", None), ("3 mV", "hard carbon", "no value given", None)]


def test_comparisons_without_numbers_are_recorded_on_claims(kb):
    assert select(kb, "SELECT ?s ?m ?control WHERE { ?c a sac:Claim ; sac:aboutSystem/rdfs:label ?s ; "
                      "sac:mechanism/skos:prefLabel ?m ; sac:comparedWith/rdfs:label ?control }") == [
        ("Co_SA@NC", "lateral atom diffusion", "Co nanoparticle electrode"),
        ("Fe_SA-N-C", "ion transport", "original carbon substrate (ref 60)"),
        ("SA-Co@HC", "ion transport", "bare Cu foil"),
        ("SACo/ADFS@HPSC", "ion transport", "bare Li foil"),
        ("SAFe/CVRCS@3DPC", "desolvation", "Li+-DME solvation cluster"),
        ("SAFe/CVRCS@3DPC", "nucleation", "bare Li foil"),
        ("SAFeNi@LNCP", "lateral atom diffusion", "LNCP"),
        ("SANi-NG", "nucleation", "pristine graphene"),
        ("Zn-HC", "SEI formation", "hard carbon"),
        ("ZnSA-N-C", "nucleation", "bare Cu foil"),
    ]


# ---------------------------------------------------------------- qualitative findings
@pytest.mark.parametrize("about,words,evidence", [
    ("CC@CN-SACo", "Li s orbital hybridises with them", "theoretical calculation (inferred)"),
    ("SA-Co@HC", "porous, vertical channels of the hard-carbon host give the deposited K metal pathways and room",
     "(not stated)"),
    ("solvated K+ ion", "K+ diffuses faster than Li+ and Na+", "(not stated)"),
    ("solvated K+ ion", "K+ has a lower solvation energy barrier than Li+ and Na+", "(not stated)"),
    ("SAFe/CVRCS@3DPC", "Theoretical simulation gives the lowest formation energy", "theoretical calculation"),
    ("ZnSAs", "electron density is strongly delocalised", "theoretical calculation"),
    ("Zn_SA-HCNT", "330 to 410 to 340 nm", "in situ TEM"),
])
def test_qualitative_findings_are_facts_with_evidence(kb, about, words, evidence):
    findings = [t for t in describe(kb, about).tables if t.title == "Findings"][0].rows
    found = [f for f in findings if words in f["statement"]]
    assert len(found) == 1 and found[0]["evidence"] == evidence and found[0]["about"].startswith(about)


def test_the_naf_rich_sei_of_zn_hc_is_a_claim(kb):
    assert select(kb, "SELECT ?e ?t WHERE { ?c a sac:Claim ; sac:aboutSystem/rdfs:label 'Zn-HC' ; "
                      "sac:mechanism sac:SEIFormation ; sac:effect/skos:prefLabel ?e ; sac:evidenceText ?t }") == [
        ("promotes", "DFT calculation, XPS (inferred)")]


def test_findings_of_k_plus_concern_their_mechanisms(kb):
    assert select(kb, "SELECT ?m WHERE { ?f a sac:Finding ; sac:aboutMaterial/rdfs:label 'solvated K+ ion' ; "
                      "sac:concerns/skos:prefLabel ?m }") == [("desolvation",), ("ion transport",)]


# ---------------------------------------------------------------- names the review uses
@pytest.mark.parametrize("name,label,kind", [
    ("Co-N/O-500", "Co-N/O", "SAC system"),
    ("Co-N/O asymmetric", "asymmetric Co-N/O", "coordination environment"),
    ("SAM-NG", "SAM-NG", "group of systems"),
    ("SAM@NG", "SAM@NG", "group of systems"),
    ("CVRCS", "cation vacancy-rich Co1-xS embedded in 3D porous carbon", "support"),
    ("CVRCS@3DPC", "cation vacancy-rich Co1-xS embedded in 3D porous carbon", "support"),
    ("ADFS@HPSC", "defective iron sulfide on layered porous carbon", "support"),
    ("dead Li", "Pulverisation and dead Li/Na", "challenge"),
    ("dead Na", "Na dendrites and dead Na", "challenge"),
    ("SAC aggregation", "Aggregation of single atoms during synthesis", "challenge"),
    ("low-temperature operation", "Coupled failure modes under harsh conditions", "challenge"),
    ("Scale-up fabrication with high atomic loading of SACs", "Scale-up fabrication with high atomic loading of SACs", "prospect"),
    ("In situ/operando tracking of plating evolution and mechanism",
     "Adopting in situ/operando characterizations to trace plating evolution and mechanism", "prospect"),
    ("SAFe/CVRCS@3DPC-Li", "SAFe/CVRCS@3DPC", "SAC system"),
    ("Pt SAs/In2S3/Ti3C2@PP", "Pt SAs/In2S3/Ti3C2", "SAC system"),
    ("SAM@NGs", "SAM@NG", "group of systems"),
    ("Na-ZnSA-N-C", "ZnSA-N-C", "SAC system"),
    ("ultralight N-doped carbon nanofiber paper", "LNCP", "control material"),
    ("Quantitative assessment between catalytic efficiency and plating morphology",
     "Quantitative assessment between catalytic efficiency and plating morphology", "prospect"),
    ("Recognizing ion/atom transport pathway across the SAC-decorated artificial layer",
     "Recognizing ion/atom transport pathway across the SAC-decorated artificial layer", "prospect"),
    ("Extending SACs to decorated high conductive modulator/electrolyte",
     "Extending SACs to decorated high conductive modulator/electrolyte", "prospect"),
    ("Adopting in situ/operando characterizations to trace plating evolution and mechanism",
     "Adopting in situ/operando characterizations to trace plating evolution and mechanism", "prospect"),
    ("K metal battery", "K metal battery", "battery chemistry"),
    ("Na metal battery", "Na metal battery", "battery chemistry"),
    ("Li metal anode", "Li metal anode", "alkali-metal anode"),
])
def test_names_the_review_uses_resolve(kb, name, label, kind):
    d = describe(kb, name)
    assert (d.summary.get("label") or d.entity.label, d.summary.get("class")) == (label, kind)


def test_groups_list_their_members(kb):
    facts = [t for t in describe(kb, "SAM@NG").tables if t.title == "Facts"][0].rows
    assert sorted(r["value"] for r in facts if r["property"] == "member") == ["SAMn@NG", "SAZr@NG"]


def test_an_ambiguous_name_lists_its_candidates(runner):
    result = runner.invoke(main, ["show", "SAFe"])
    assert result.exit_code == 1
    assert result.output == ("Error: 'SAFe' is ambiguous: the review uses it for 'SAFe/CVRCS@3DPC', 'SAFe@NC', "
                             "'SAFe@heteroatom-doped carbon (wet impregnation)' or 'SAFeNi@LNCP'; "
                             "show one of them by its full name\n")


def test_in_a_question_an_ambiguous_or_whole_name_reads_as_before(kb):
    assert answer(kb, "which systems use SAFe?").labels.get("element") == "Fe"
    result = answer(kb, "cycle life of K metal battery systems")
    assert result.labels.get("metal") == "K"


def test_a_name_cannot_mean_nothing(kb):
    with pytest.raises(SackgError):
        describe(kb, "SAFeX")


# ---------------------------------------------------------------- definitions and doubts
def test_every_class_concept_and_property_has_a_definition(kb):
    assert select(kb, "PREFIX owl: <http://www.w3.org/2002/07/owl#> SELECT ?x WHERE { "
                      "{ ?x a owl:Class } UNION { ?x skos:inScheme ?scheme } UNION { ?x a owl:ObjectProperty } "
                      "UNION { ?x a owl:DatatypeProperty } "
                      "FILTER(STRSTARTS(STR(?x), 'https://w3id.org/sackg/')) "
                      "FILTER NOT EXISTS { ?x skos:definition ?d } }") == []


def test_a_ranking_of_binding_energies_warns_about_sign_conventions(runner, kb):
    out = json.loads(runner.invoke(main, ["analyze", "rank", "binding energy", "--format", "json"]).output)
    assert out["note"].endswith("so values of the two conventions do not rank against each other.")
    assert "Sign conventions differ between the cited papers" in answer(kb, "highest Li binding energy").note
    k_only = json.loads(runner.invoke(main, ["analyze", "rank", "binding energy", "--metal", "K", "--format", "json"]).output)
    assert "Sign conventions" not in k_only["note"]


@pytest.mark.parametrize("entity,words", [
    ("SAFe/CVRCS@3DPC", "no SEM panel is reproduced"),
    ("Fig. 2", "presents defect trapping in semiconductor nanocrystals as a second, separate strategy"),
    ("ZnSAs", "binding energies of different papers do not rank against each other"),
    ("SAZr@NG", "binding energies of different papers do not rank against each other"),
])
def test_doubts_about_the_source_are_carried(kb, entity, words):
    d = describe(kb, entity)
    assert any(words in doubt for doubt in d.doubts), d.doubts


def test_bad_inferences_findings_groups_and_ambiguous_names_are_one_line_errors(runner, data_copy):
    with (data_copy / "papers" / "ref-074.yaml").open("a") as f:
        f.write("  - system: SA-Co@HC\n    metal: K\n    evidence: []\n"
                "  - material: no such control\n    statement: \"x\"\n"
                "groups:\n  - name: Bad group\n    members: [SA-Co@HC, NoSuchSystem]\n"
                "  - name: SA-Co@HC\n    members: [SA-Co@HC]\n")
    paper = data_copy / "papers" / "ref-071.yaml"
    paper.write_text(paper.read_text().replace("    compared_with: [hard carbon]",
                                               "    compared_with: [hard carbonn]\n    inferred: \"\""))
    review = data_copy / "review.yaml"
    review.write_text(review.read_text().replace("candidates: [ZnSA-N-C, Zn-HC]", "candidates: [ZnSA-N-C]"))
    before = {p: p.read_bytes() for p in data_copy.rglob("*.yaml")}
    result = runner.invoke(main, ["--data", str(data_copy), "validate"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "data/papers/ref-071.yaml:90: claim 'Zn-HC SEI formation Na': field 'inferred': give the reason: which words "
        "of the review the curator read the claim from",
        "data/papers/ref-071.yaml:89: claim 'Zn-HC SEI formation Na': field 'compared_with': unknown material "
        "'hard carbonn'; did you mean 'hard carbon'?",
        "data/papers/ref-074.yaml:104: group 'Bad group': field 'members': unknown system 'NoSuchSystem'",
        "data/papers/ref-074.yaml:105: group 'SA-Co@HC': field 'name': 'SA-Co@HC' already names system 'SA-Co@HC' "
        "(data/papers/ref-074.yaml:22)",
        "data/papers/ref-074.yaml:97: finding 2 on 'SA-Co@HC': field 'statement': required field is missing",
        "data/papers/ref-074.yaml:100: finding 3 on 'no such control': field 'material': unknown material "
        "'no such control'; did you mean 'hard carbon'?",
        "data/review.yaml:492: ambiguous name 'SAZn': field 'candidates': an ambiguous name needs at least two "
        "candidates",
    ]
    assert {p: p.read_bytes() for p in data_copy.rglob("*.yaml")} == before
