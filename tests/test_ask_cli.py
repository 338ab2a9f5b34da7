"""`sackg ask`, `sackg questions` and `sackg query`: exact output, the JSON contract, errors, injection."""

import json
import os

import pytest

from kg.cli.commands import main
from kg.engine.templates import template


def ask(runner, *args):
    return runner.invoke(main, ["ask", *args])


def test_ask_prints_a_table_with_citations(runner):
    result = ask(runner, "lowest nucleation overpotential for K?")
    assert result.exit_code == 0
    assert result.output.splitlines() == [  # the long columns wrapped so that the table fits in 100 columns
        "system    metal  value  origin    conditions  cell  baseline              reference            where",
        "--------  -----  -----  --------  ----------  ----  --------------------  -------------------  -----",
        "SA-Co@HC  K      3 mV   measured                    bare Cu foil: no      D. Zhang et al.,     §4",
        "                                                    value given; hard     Adv. Energy Mater.,",
        "                                                    carbon: no value      2022 [ref. 74]",
        "                                                    given",
        "",
        "Note: Lowest: SA-Co@HC, 3 mV.",
    ]


def test_ask_json_is_the_contract(runner):
    result = ask(runner, "Na systems with cycle life over 900 h", "--format", "json")
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert list(out) == ["question", "template", "bindings", "sparql", "columns", "rows", "note"]
    assert out["question"] == "Na systems with cycle life over 900 h"
    assert out["template"] == "threshold"
    assert out["bindings"]["metal"] == {"value": "https://w3id.org/sackg/id/element/Na", "label": "Na"}
    assert out["bindings"]["threshold"] == {"value": 900, "label": "900 h"}
    assert out["bindings"]["above"] == {"value": True, "label": "above"}
    from kg.engine.binding import with_values
    from kg.model.terms import Iri

    assert out["sparql"].startswith(template("threshold").text.split("WHERE {")[0])
    assert out["bindings"]["inclusive"] == {"value": False, "label": "the number excluded"}
    any_ = "<https://w3id.org/sackg/ontology#any>"
    assert ("VALUES (?above ?coordination ?element ?group ?inclusive ?mechanism ?metal ?quantity ?support ?technique "
            "?threshold ?thresholdUnit) { "
            f"(\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean> {any_} {any_} {any_} "
            f"\"false\"^^<http://www.w3.org/2001/XMLSchema#boolean> {any_} "
            f"<https://w3id.org/sackg/id/element/Na> <https://w3id.org/sackg/ontology#CycleLife> {any_} {any_} "
            "\"900\"^^<http://www.w3.org/2001/XMLSchema#decimal> <http://qudt.org/vocab/unit/HR>) }") in out["sparql"]
    assert out["sparql"] == with_values(template("threshold").text, {
        "above": True, "element": Iri(any_[1:-1]), "group": Iri(any_[1:-1]), "inclusive": False, "support": Iri(any_[1:-1]),
        "coordination": Iri(any_[1:-1]), "mechanism": Iri(any_[1:-1]), "technique": Iri(any_[1:-1]),
        "metal": Iri("https://w3id.org/sackg/id/element/Na"),
        "quantity": Iri("https://w3id.org/sackg/ontology#CycleLife"), "threshold": __import__("decimal").Decimal("900"),
        "thresholdUnit": Iri("http://qudt.org/vocab/unit/HR")})
    assert [(r["systemName"], r["value"], r["unit"], r["comparator"], r["meets"], r["conditions"]) for r in out["rows"]] == [
        ("ZnSA-N-C", 1000, "h", None, "yes", "current density 0.5 mA cm⁻²"),
        ("Zn_SA-HCNT", 900, "h", ">", "yes", "current density 10 mA cm⁻²"),
    ]
    assert all(set(r) == set(out["columns"]) for r in out["rows"])
    assert out["note"] == ("The values were obtained under different test conditions; compare with care. "
                           "Values marked >, ≥, <, ≤ or ~ are bounds or approximations as the source gives them.")


def test_ask_csv(runner):
    result = ask(runner, "which centre metals are used for Na?", "--format", "csv")
    assert (result.exit_code, result.output) == (0, "centre_metal,systems,names\nZn,3,Zn-HC; ZnSA-N-C; Zn_SA-HCNT\nCo,1,Co_SA@NC\n")


def test_explain_shows_template_bindings_and_the_sparql_that_ran(runner):
    result = ask(runner, "mechanisms for sodium", "--explain")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:3] == ["template: mechanisms_for_metal (Mechanisms supported for an alkali metal)", "bindings:",
                         "  metal = Na <https://w3id.org/sackg/id/element/Na>"]
    assert lines[3] == "sparql:"
    from kg.engine.binding import with_values
    from kg.model.terms import Iri

    ran = with_values(template("mechanisms_for_metal").text, {"metal": Iri("https://w3id.org/sackg/id/element/Na")})
    assert "\n".join(lines[4:]).startswith(ran.rstrip())


def test_empty_answer_is_honest(runner):
    result = ask(runner, "which mechanisms have no evidence yet for Li?")
    assert result.exit_code == 0
    assert result.output.splitlines()[-3:] == ["(none reported in the knowledge base)", "",
                                               "Note: None reported in the knowledge base."]


def test_typo_is_read_and_said(runner):
    result = ask(runner, "mechanisms for sodum", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["note"] == "Read 'sodum' as 'Na'."


@pytest.mark.parametrize("question,message", [
    ("what is the weather today?",
     "Error: cannot answer 'what is the weather today?'; closest questions: 'what are the prospects?'; "
     "'what are the challenges?'; 'how were the Li SACs synthesized?'"),
    ("nucleation overpotential of ZnSA-X-Q", "Error: unknown entity 'ZnSA-X-Q'; did you mean 'Zn' or 'ZnSAs'?"),
    ("mechanisms for rubidium", "Error: unknown metal 'rubidium'; expected 'K', 'Li' or 'Na'"),
    ("mechanisms for Rb", "Error: unknown metal 'Rb'; expected 'K', 'Li' or 'Na'"),
    ("", "Error: the question is empty"),
    ("DELETE WHERE { ?s ?p ?o }", "Error: unknown entity 'DELETE'; did you mean 'Extending SACs to decorated high "
                                  "conductive modulator/electrolyte', 'SEI formation' or 'unmodified electrode'?"),
])
def test_unanswerable_questions_exit_1_with_one_line(runner, question, message):
    result = ask(runner, question)
    assert (result.exit_code, result.output) == (1, message + "\n")


@pytest.mark.parametrize("attack", [
    'mechanisms for Na" } UNION { ?s ?p ?o } #',
    "mechanisms for Na'} UNION {?s ?p ?o}",
    "mechanisms for Na } DELETE WHERE { ?s ?p ?o } {",
    'mechanisms for Na"; DROP ALL; #',
])
def test_text_that_tries_to_escape_into_sparql_never_runs(runner, attack):
    clean = json.loads(ask(runner, "mechanisms for Na", "--format", "json").output)
    result = ask(runner, attack, "--format", "json")
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert out["sparql"] == clean["sparql"]  # the query text is the template's, untouched
    assert out["rows"] == clean["rows"]
    assert out["bindings"] == clean["bindings"]
    counts = json.loads(runner.invoke(main, ["stats", "--format", "json"]).output)["rows"]
    assert [row["count"] for row in counts if row["class"] == "triples"][0] > 9000


def test_questions_lists_every_askable_template_with_an_example(runner):
    result = runner.invoke(main, ["questions", "--format", "json"])
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert (out["columns"], out["note"]) == (["question", "example", "template"], "")
    listed = out["rows"]
    assert len(listed) == 36
    assert {"question": "Mechanisms supported for an alkali metal", "example": "which mechanisms are supported for Na?",
            "template": "mechanisms_for_metal"} in listed
    assert {"question": "Authors of a reference", "example": "who wrote ref. 70?", "template": "authors"} in listed


def test_query_with_a_bound_parameter(runner):
    result = runner.invoke(main, ["query", "--sparql",
                                  "PREFIX sac: <https://w3id.org/sackg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                                  "SELECT ?metal ?name WHERE { ?s sac:targetMetal ?metal ; rdfs:label ?name } ORDER BY ?name",
                                  "--param", "metal=potassium", "--format", "csv"])
    assert (result.exit_code, result.output) == (0, "metal,name\nhttps://w3id.org/sackg/id/element/K,SA-Co@HC\n")


def test_query_a_template_file(runner):
    from kg.model.resources import queries_dir

    result = runner.invoke(main, ["query", os.path.join(queries_dir(), "mechanism_gaps.rq"), "--param", "metal=K", "--format", "json"])
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert out["template"] == "mechanism_gaps"
    assert [r["mechanism"] for r in out["rows"]] == ["SEI formation", "desolvation", "lateral atom diffusion",
                                                     "polysulfide conversion/shuttle"]


@pytest.mark.parametrize("args,message", [
    (["--sparql", "SELECT ?x WHERE { ?x ?y }"], "Error: invalid SPARQL: error at 1:26: expected one of LATERAL, SERVICE, [_]"),
    (["--sparql", "SELECT * WHERE { ?s ?p ?o }", "--param", "metal"], "Error: --param 'metal': expected NAME=VALUE"),
    (["--sparql", "SELECT ?metal WHERE { ?s ?p ?metal }", "--param", 'metal=Na" } UNION {'],
     "Error: unknown entity 'Na\" } UNION {'; did you mean 'Na' or 'Ni'?"),
    ([], "Error: give a query FILE or --sparql TEXT (one of the two)"),
    (["nowhere.rq"], "Error: nowhere.rq: no such file"),
    (["--sparql", "ASK { ?s ?p ?o }"], "Error: only SELECT queries are supported here"),
])
def test_query_errors_are_one_line(runner, args, message):
    result = runner.invoke(main, ["query", *args])
    assert (result.exit_code, result.output) == (1, message + "\n")
