"""`sackg analyze` on the bundled knowledge base: exact results (`sackg plot`: tests/test_plots.py)."""

import json

import pytest

from kg.cli.commands import main


def run_json(runner, *args):
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_metal_by_mechanism_matrix_matches_the_claims(runner, kb):
    out = run_json(runner, "analyze", "gaps", "--format", "json")
    matrix = out["matrices"][0]
    assert matrix["name"] == "metal x mechanism" and matrix["rows"] == ["K", "Li", "Na"]
    counts = {(c["row"], c["column"]): c["count"] for c in matrix["cells"]}
    _, claims = kb.select("""PREFIX sac: <https://w3id.org/sackg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?metal ?mechanism (COUNT(?c) AS ?n) WHERE { ?c a sac:Claim ; sac:alkaliMetal/rdfs:label ?metal ;
        sac:mechanism/skos:prefLabel ?mechanism } GROUP BY ?metal ?mechanism""")
    assert {(r["metal"], r["mechanism"]): r["n"] for r in claims} == {k: v for k, v in counts.items() if v}
    assert counts[("Li", "nucleation")] == 14 and counts[("K", "desolvation")] == 0
    assert [(m["row"], m["column"]) for m in out["no_evidence_yet"] if m["matrix"] == "metal x mechanism"] == [
        ("K", "SEI formation"), ("K", "desolvation"), ("K", "lateral atom diffusion"),
        ("K", "polysulfide conversion/shuttle"), ("Na", "desolvation"), ("Na", "polysulfide conversion/shuttle")]
    refs = next(c["references"] for c in matrix["cells"] if (c["row"], c["column"]) == ("Na", "SEI formation"))
    assert refs == "Z. Lu et al., Adv. Mater., 2023 [ref. 71]"


def test_gaps_table_lists_what_has_no_evidence(runner):
    result = runner.invoke(main, ["analyze", "gaps"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-3:] == [  # wrapped to the 100 columns of a table that is not on a terminal
        "No evidence yet (metal x mechanism): SEI formation for K, desolvation for K, lateral atom diffusion",
        "for K, polysulfide conversion/shuttle for K, desolvation for Na, polysulfide conversion/shuttle for",
        "Na."]


def test_rank_nucleation_overpotential_for_na(runner):
    out = run_json(runner, "analyze", "rank", "nucleation-overpotential", "--metal", "Na", "--format", "json")
    assert [(r["rank"], r["system"], r["value"], r["standard_value"], r["standard_unit"]) for r in out["rows"]] == [
        (1, "ZnSA-N-C", "0 mV", 0, "mV"), (2, "Co_SA@NC", "11.5 mV", 11.5, "mV")]
    assert out["rows"][0]["flags"] == "current density not stated; areal capacity not stated; cell not stated"
    assert out["rows"][1]["flags"] == ("current density 0.5 mA cm⁻² (standard 3); areal capacity not stated; "
                                       "cell not stated")
    assert out["note"] == ("nucleation overpotential, lowest first, in mV. Standard test proposed by the review: "
                           "3 mA cm⁻² at 3 mA h cm⁻².")


def test_rank_cycle_life_converts_and_flags_bounds_and_cells(runner):
    out = run_json(runner, "analyze", "rank", "lifespan", "--format", "json")
    assert [r["system"] for r in out["rows"]] == ["SA-Co@HC", "SAFe/CVRCS@3DPC", "SACo/ADFS@HPSC", "Pt SAs/In2S3/Ti3C2",
                                                  "ZnSA-N-C", "SAFeNi@LNCP", "Zn_SA-HCNT", "CC@CN-SACo"]
    flags = {r["system"]: r["flags"] for r in out["rows"]}
    assert "lower bound" in flags["SA-Co@HC"] and "lower bound" in flags["Zn_SA-HCNT"]
    assert flags["SAFeNi@LNCP"] == "current density not stated"
    assert flags["Zn_SA-HCNT"].startswith("current density 10 mA cm⁻² (standard 3)")


def test_rank_computed_values_are_flagged(runner):
    out = run_json(runner, "analyze", "rank", "binding energy", "--metal", "K", "--format", "json")
    assert [(r["system"], r["value"], r["flags"]) for r in out["rows"]] == [
        ("SA-Co@HC", "-1.16 eV", "current density not stated; areal capacity not stated; computed")]


def test_central(runner):
    out = run_json(runner, "analyze", "central", "--top", "2", "--format", "json")
    assert [(r["kind"], r["entity"], r["degree"]) for r in out["rows"]] == [
        ("mechanism", "nucleation", 20), ("mechanism", "ion transport", 11),
        ("centre metal", "Co", 7), ("centre metal", "Fe", 5),
        ("support kind", "N-doped carbon", 9), ("support kind", "porous carbon", 4),
        ("reference", "J. Wang et al., Nano Lett., 2022 [ref. 34]", 3),
        ("reference", "Z. Yang et al., Adv. Energy Mater., 2022 [ref. 61]", 2)]
    assert out["note"].startswith("degree: how many distinct entities")


def test_path_from_zn_to_k(runner):
    result = runner.invoke(main, ["analyze", "path", "Zn", "K", "--format", "csv"])
    assert (result.exit_code, result.output) == (0, "step,statement\n1,Zn-HC has centre metal Zn\n"
                                                    "2,Zn-HC is supported on hard carbon\n"
                                                    "3,SA-Co@HC is supported on hard carbon\n4,SA-Co@HC is applied to K\n")


def test_path_through_a_claim_is_told_with_its_source(runner):
    result = runner.invoke(main, ["analyze", "path", "in situ SFG", "desolvation", "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.splitlines()[1:] == [
        "1,\"SAFe/CVRCS@3DPC promotes desolvation (Li) [evidence: in situ SFG; theoretical calculation; "
        "J. Wang et al., Adv. Mater., 2023 [ref. 50]]\""]


def test_cocitation(runner):
    out = run_json(runner, "analyze", "cocitation", "--top", "1", "--format", "json")
    assert out["rows"] == [{"reference": "C. Zhang et al., Adv. Mater., 2023 [ref. 64]",
                            "other": "D. Zhang et al., Adv. Energy Mater., 2022 [ref. 74]", "shared": 2,
                            "what": "mechanism: ion transport; mechanism: nucleation"}]


@pytest.mark.parametrize("args,message", [
    (["analyze", "rank", "nucleaton overpotental"],
     "Error: unknown entity 'nucleaton overpotental'; did you mean 'nucleation overpotential' or 'plating/stripping overpotential'?"),
    (["analyze", "path", "Zn", "Rb"], "Error: unknown entity 'Rb'; did you mean 'Nb', 'Re' or 'Rh'?"),
])
def test_analysis_errors_are_one_line(runner, args, message):
    result = runner.invoke(main, args)
    assert (result.exit_code, result.output) == (1, message + "\n")


def test_rank_reads_a_metal_written_before_the_quantity(runner):
    named = run_json(runner, "analyze", "rank", "Na+ cycle life", "--format", "json")
    filtered = run_json(runner, "analyze", "rank", "cycle life", "--metal", "sodium", "--format", "json")
    assert named == filtered and [r["system"] for r in named["rows"]] == ["ZnSA-N-C", "Zn_SA-HCNT"]
    result = runner.invoke(main, ["analyze", "rank", "Mg cycle life"])
    assert (result.exit_code, result.output) == (1, "Error: unknown entity 'Mg cycle life'; did you mean 'cycle life'?\n")
