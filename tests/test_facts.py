"""The fact index (kg.engine.facts) and the answers it gives (kg.ask.closest, kg.ask.fallback): closest cited facts, definitions."""

import json
import os
import sqlite3

import pytest
from conftest import FIXTURES

from kg.cli.commands import main
from kg.engine.facts import FILE, FactIndex, build, sentence
from kg.engine.opening import open_kb, open_store
from kg.engine.templates import run

ID = "https://w3id.org/sackg/id/"


@pytest.fixture(scope="module")
def mini(isolated_cache):
    return open_kb(FIXTURES / "mini")


def test_facts_template_renders_each_fact_with_its_citation(mini):
    _, rows = run(mini, "facts")
    shown = sorted((r["kind"], r["about"], r["statement"], r["reference"], r["section"] or "", r["figures"])
                   for r in rows if r["kind"] != "definition")
    assert shown == [
        ("challenge", "Li cost", "Li is costly.", "R. Viewer, Test Rev., 2024", "1", ""),
        ("challenge", "Na dendrites", "Na grows dendrites.", "R. Viewer, Test Rev., 2024", "4", ""),
        ("claim", "TestCo@HC", "promotes nucleation (K); evidence: DFT calculation", "C. See, J. Test, 2021 [ref. 2]", "4", ""),
        ("claim", "TestFe@G", "promotes (inferred) desolvation (Li)", "D. Dee et al., Other J., 2022 [ref. 3]", "3", ""),
        ("claim", "TestFe@G", "promotes lateral atom diffusion (Li); evidence: DFT calculation",
         "D. Dee et al., Other J., 2022 [ref. 3]", "3", ""),
        ("claim", "TestZn@NC", "lowers barrier nucleation (Na); evidence: galvanostatic cycling",
         "A. Zed and B. Wye, J. Test, 2020 [ref. 1]", "4", ""),
        ("claim", "TestZn@NC", "promotes ion transport (Na); evidence: in situ TEM", "A. Zed and B. Wye, J. Test, 2020 [ref. 1]", "4", ""),
        ("figure", "Fig. 2", "Test figure.", "A. Zed and B. Wye, J. Test, 2020 [ref. 1]", "4", ""),
        ("figure panel", "Fig. 2A", "Panel A.", "A. Zed and B. Wye, J. Test, 2020 [ref. 1]", "4", ""),
        ("finding", "TestFe@G", "Charge moves from the Fe site to the graphene. (evidence: DFT calculation (inferred))",
         "D. Dee et al., Other J., 2022 [ref. 3]", "3", ""),
        ("material", "bare Cu foil", "Control.", "", "", ""),
        ("prospect", "Scale up", "Make more SACs.", "R. Viewer, Test Rev., 2024", "1", ""),
        ("prospect", "Standard tests", "Test at 3 mA cm-2.", "R. Viewer, Test Rev., 2024", "1", ""),
        ("shared name", "TestSA", "Used for both test systems.", "", "", ""),
        ("system", "TestCo@HC", "on hard carbon; coordination unspecified", "C. See, J. Test, 2021 [ref. 2]", "4", ""),
        ("system", "TestFe@G", "on N-doped graphene; coordination M-N-C", "D. Dee et al., Other J., 2022 [ref. 3]", "3", ""),
        ("system", "TestZn@NC", "on N-doped carbon sheet; coordination M-N-C", "A. Zed and B. Wye, J. Test, 2020 [ref. 1]",
         "4", "Fig. 2A"),
        ("value", "TestCo@HC", "cycle life 1200 h (K); symmetric cell; current density 2 mA cm⁻²; compared with bare Cu foil: "
         "no value given", "C. See, J. Test, 2021 [ref. 2]", "4", ""),
        ("value", "TestCo@HC", "nucleation overpotential 2 mV (K)", "C. See, J. Test, 2021 [ref. 2]", "4", ""),
        ("value", "TestFe@G", "binding energy -2.5 eV (Li)", "D. Dee et al., Other J., 2022 [ref. 3]", "3", ""),
        ("value", "TestZn@NC", "binding energy -1.5 eV (Na)", "A. Zed and B. Wye, J. Test, 2020 [ref. 1]", "4", ""),
        ("value", "TestZn@NC", "cycle life > 800 h (Na); symmetric cell", "A. Zed and B. Wye, J. Test, 2020 [ref. 1]", "4", ""),
        ("value", "TestZn@NC", "nucleation overpotential 5 mV (Na); current density 1 mA cm⁻²; compared with bare Cu foil: 20 mV",
         "A. Zed and B. Wye, J. Test, 2020 [ref. 1]", "4", "Fig. 2A"),
    ]
    assert [sentence(r) for r in rows if r["kind"] == "system"] == [
        "TestCo@HC: single Co atoms on hard carbon; coordination unspecified; for K.",
        "TestFe@G: single Fe atoms on N-doped graphene; coordination M-N-C; for Li.",
        "TestZn@NC: single Zn atoms on N-doped carbon sheet; coordination M-N-C; for Na; made by high-temperature "
        "pyrolysis; studied with in situ TEM."]
    definitions = {r["about"]: r["statement"] for r in rows if r["kind"] == "definition"}
    assert definitions["desolvation"] == "Stripping solvent molecules from the solvated alkali cation at the interface."


def test_the_index_is_saved_with_the_store_and_searched_by_weighted_words(mini):
    assert os.path.exists(os.path.join(mini.path, FILE))
    index = FactIndex.of(mini)
    assert index.size == 158
    match, hits = index.search({"TestZn@NC": 2.0, "pyrolysis": 1.0, "graphene": 1.0})
    assert match == '"TestZn@NC" OR "pyrolysis" OR "graphene"'
    assert [(h.about, h.kind, h.matched, round(h.score, 2)) for h in hits[:1]] == [
        ("TestZn@NC", "system", ["TestZn@NC", "pyrolysis"], 0.75)]
    assert {(h.about, round(h.score, 2)) for h in hits[1:]} == {("TestZn@NC", 0.5)}
    assert index.closest_word("pyrolisis") == "pyrolysis" and index.closest_word("zzzzzz") is None


def test_a_store_without_a_saved_index_builds_one_in_memory(mini):
    graph = open_store("rdflib", FIXTURES / "mini")
    index = FactIndex.of(graph)
    assert index.size == FactIndex.of(mini).size
    assert FactIndex.of(graph) is index  # built once per knowledge base


def test_a_term_is_one_fts_phrase_never_query_syntax(mini):
    index = FactIndex.of(mini)
    for hostile in ['" OR 1', "NEAR(a b)", "x:y", "-(", '"']:
        assert index.rows_with(hostile) == set(), hostile
    assert index.rows_with("a*") == index.rows_with("a") != set()  # no prefix search: the word "a" alone
    assert index.rows_with('pyrolysis" OR "graphene') == set()  # the quote is part of the phrase


def test_build_writes_a_new_file(tmp_path, mini):
    path = tmp_path / "facts.sqlite"
    build(mini, str(path)).close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM facts").fetchone() == (158,)
        assert connection.execute("SELECT count(*) FROM words WHERE word = 'pyrolysis'").fetchone() == (1,)


def ask(runner, *args):
    return runner.invoke(main, ["--data", str(FIXTURES / "mini"), "ask", *args])


def test_a_question_no_form_fits_gets_the_closest_facts_with_citations(runner):
    result = ask(runner, "how was TestZn@NC prepared?")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [  # only the fact wrapped, the table and note in 100 columns
        "fact                                           reference                                  where",
        "---------------------------------------------  -----------------------------------------  ----------",
        "TestZn@NC: single Zn atoms on N-doped carbon   A. Zed and B. Wye, J. Test, 2020 [ref. 1]  §4 Fig. 2A",
        "sheet; coordination M-N-C; for Na; made by",
        "high-temperature pyrolysis; studied with in",
        "situ TEM.",
        "",
        "Note: These are the recorded facts closest to the question, each with its source; no answer was",
        "worked out from them.",
    ]


def test_fact_answers_show_the_search_that_ran(runner):
    out = json.loads(ask(runner, "how was TestZn@NC prepared?", "--format", "json").output)
    assert list(out) == ["question", "template", "bindings", "sql", "columns", "rows", "note"]
    assert out["template"] == "closest_facts"
    assert out["bindings"] == {"match": {"value": '"TestZn@NC" OR "Zn test" OR "made"', "label": None}}  # a synonym too
    assert out["sql"].startswith('-- match: "TestZn@NC" OR "Zn test" OR "made"\nSELECT rowid, fact, kind')
    assert out["rows"][0]["reference"] == "A. Zed and B. Wye, J. Test, 2020 [ref. 1]"
    explained = ask(runner, "how was TestZn@NC prepared?", "--explain").output
    assert explained.splitlines()[:3] == ["template: closest_facts (The closest recorded facts)", "bindings:",
                                          '  match = "TestZn@NC" OR "Zn test" OR "made"']
    assert "sql:\n-- match:" in explained


def test_misspelt_words_are_read_as_words_of_the_facts(runner):
    out = json.loads(ask(runner, "why does TestFe@G move charge to the grapheen?", "--format", "json").output)
    assert out["template"] == "closest_facts"
    assert out["rows"][0]["fact"] == ("TestFe@G: Charge moves from the Fe site to the graphene. "
                                      "(evidence: DFT calculation (inferred)).")
    assert out["note"].startswith("Read 'grapheen' as 'graphene'. These are the recorded facts closest")


def test_when_no_fact_holds_enough_the_error_stays(runner):
    result = ask(runner, "what is the meaning of happiness")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot answer 'what is the meaning of happiness'; closest questions: ")


def test_what_is_a_term_answers_its_definition(runner):
    result = ask(runner, "what is desolvation?")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "term         definition                                   source",
        "-----------  -------------------------------------------  ------------------------------------------",
        "desolvation  Stripping solvent molecules from the         SAC-KG vocabulary (the curator's",
        "             solvated alkali cation at the interface.     definition)",
        "",
        "Note: Definitions are the SAC-KG vocabulary's own wording; ask 'tell me about ...' for what the",
        "review records.",
    ]
    for wording in ("define SEI formation", "What does AC-STEM mean?", "what are hard carbons?"):
        out = json.loads(ask(runner, wording, "--format", "json").output)
        assert out["template"] == "definitions", wording
    told = json.loads(ask(runner, "what is the nucleation overpotential of TestZn@NC?", "--format", "json").output)
    assert told["template"] != "definitions"  # a value question, not a definition
