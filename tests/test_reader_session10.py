"""Issue 13, session 10: the recorded facts beside a computed answer that leaves words unread, facts in
place of a refusal when every one of them holds the part no form applies, "3D" never a number, a name
qualified by a suffix ("X-modified"), none reported for what a named system never states, the thing
asked for that no fact mentions, and a paper's record (first and last author, article number, DOI)."""

from __future__ import annotations

import json

import pytest

from kg.ask.answering import answer
from kg.ask.reader import Reader
from kg.cli.commands import main
from kg.engine.facts import FactIndex


def about(rows) -> list[str]:
    return [r.get("about") or r.get("systemName") for r in rows]


# ---------------------------------------------------------------- facts beside a computed answer
def test_a_computed_answer_that_leaves_words_unread_shows_the_facts_that_hold_them(kb):
    result = answer(kb, "SAMn@NG bond length and bond angle change during plating")
    assert result.template.name == "property_of_system"
    assert result.left == ["length"]
    assert [r["display"] for r in result.rows] == ["~0.06 °"]
    assert [r["fact"].split(". ")[0] for r in result.related] == [
        "SAMn@NG: bond length change ~0.005 Å (Li)",
        "SAMn@NG: The structure of SAMn@NG changes much less with plating than the other modelled single atoms",
        "SAMn@NG: bond angle change ~0.06 ° (Li)"]
    assert all(r["reference"] == "Z. Yang et al., Adv. Energy Mater., 2022 [ref. 61]" for r in result.related)


def test_a_word_the_facts_say_otherwise_is_held_as_they_say_it(kb):
    from kg.ask.closest import closest

    reader = Reader(kb)
    question = "SAZr@NG binding energy: would you pick it?"
    found = closest(kb, reader, reader.read(question), question, hold=(["pick"], 1))
    assert "does not make it the best choice" in found.rows[0]["fact"]  # "pick": the facts say "choice"
    result = answer(kb, "If SAZr@NG binds lithium best, why wouldn't you pick it as the catalyst?")
    assert "its structure collapses" in result.rows[0]["fact"]


def test_the_facts_beside_an_answer_are_in_the_json_and_under_the_table(runner):
    question = "Is the ZnSA-HCNT diameter after stripping back to the original 330 nm?"
    out = json.loads(runner.invoke(main, ["ask", question, "--format", "json"]).output)
    assert out["note"].startswith("Yes: 1 found. Words not read: 'back', 'original'.")
    assert [r["fact"].split(" (")[0] for r in out["related"]][::2] == [
        "Zn_SA-HCNT: electrode diameter 340 nm", "Zn_SA-HCNT: electrode diameter 330 nm"]
    assert set(out["related"][0]) == {"fact", "kind", "about", "reference", "where"}
    text = runner.invoke(main, ["ask", question]).output
    assert "\nRecorded facts that hold the words not read:\nfact " in text
    assert "electrode diameter 340 nm" in text.split("Recorded facts that hold")[1]


@pytest.mark.parametrize("question", [
    "which Li hosts got a nucleation overpotential under 20 mV?",       # a bound chooses the rows
    "Which sodium host relies on single cobalt rather than zinc atoms?",  # a name left out chooses them
])
def test_no_facts_beside_rows_a_bound_or_a_name_left_out_chose(kb, question):
    assert answer(kb, question).related == []


def test_an_answer_that_reads_every_word_has_no_facts_beside_it(runner):
    out = json.loads(runner.invoke(main, ["ask", "nucleation overpotential of ZnSA-N-C", "--format", "json"]).output)
    assert "related" not in out


# ---------------------------------------------------------------- "3D" is a word
@pytest.mark.parametrize("question", ["What is the downside of using large 3D current collectors for Li anodes?",
                                      "Which Co 3d orbitals hybridise with the Li s orbital in CC@CN-SACo?"])
def test_a_digit_glued_to_a_letter_or_two_is_no_number(kb, question):
    reading = Reader(kb).read(question)
    assert reading.threshold is None and reading.conditions == []


def test_a_number_glued_to_its_unit_is_still_read(kb):
    reading = Reader(kb).read("Na systems lasting over 900h")
    assert (reading.threshold.value, reading.threshold.unit_symbol, reading.threshold.above) == (900, "h", True)


# ---------------------------------------------------------------- a name qualified by a suffix
@pytest.mark.parametrize("written,name", [("SACo/ADFS@HPSC-modified", "SACo/ADFS@HPSC"), ("Zn-HC-based", "Zn-HC")])
def test_a_name_with_a_lower_case_suffix_is_the_name(kb, written, name):
    reading = Reader(kb).read(f"cycle life of the {written} electrode")
    assert [(m.text, m.entities[0].label) for m in reading.mentions][-1] == (name, name)


def test_the_condition_asked_of_a_qualified_name_is_none_reported(kb):
    result = answer(kb, "At which current density was the 1600 h SACo/ADFS@HPSC-modified Li electrode cycled?")
    assert about(result.rows) == ["SACo/ADFS@HPSC"]
    assert result.note == ("Only values tested at 1600 h. None reported for the current density: no value shown "
                           "states it.")


# ---------------------------------------------------------------- facts in place of a refusal
def test_a_named_thing_no_form_applies_gives_the_facts_that_all_hold_it(kb):
    result = answer(kb, "what doubt does the review raise about SAC-decorated conductive artificial layers?")
    assert result.template.name == "closest_facts"
    assert result.note.startswith("No question form applies 'artificial layers' (role); every fact below holds it. ")
    assert result.rows[0]["about"] == "Recognizing ion/atom transport pathway across the SAC-decorated artificial layer"


def test_a_test_condition_no_form_applies_is_held_as_written(kb):
    result = answer(kb, "Li system wih an 8 mV nucleation barier")
    assert result.note.startswith("No question form applies '8 mV' (a test condition); every fact below holds it. ")
    assert set(about(result.rows)) == {"sp2c-COF-Co"}


@pytest.mark.parametrize("question,refused", [
    ("how many mechanisms were shown for Li in Li-S cells?", "'Li-S cells' (cell)"),
    ("how many Li systems were tested at 5 mA cm-2?", "'5 mA cm-2' (a test condition)"),
])
def test_a_count_is_still_refused(runner, question, refused):
    result = runner.invoke(main, ["ask", question])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot apply {refused}")


def test_a_yes_no_question_is_answered_not_replaced_by_facts(kb):
    result = answer(kb, "Is there any Na anode work with Fe or Ni single atoms in the review?")
    assert "every fact below holds" not in result.note


# ---------------------------------------------------------------- none reported
def test_a_condition_no_fact_about_the_named_system_states_is_none_reported(kb):
    result = answer(kb, "What current density was used for the -40 degC Zn-HC cycling test?")
    assert result.note.startswith("None reported for the current density of Zn-HC: no fact below about it states it.")
    assert result.rows[0]["about"] == "Zn-HC"


@pytest.mark.parametrize("question,note", [
    ("Which garnet or sulfide solid electrolyte was tested with a SAC-modified Li anode?",  # the thing asked for
     "None reported: no recorded fact mentions 'garnet'. These are the recorded facts closest to the rest of the question"),
    ("Does the review mention the K0 diffusion energy barrier on SA-Co@HC?",  # the named things, together
     "None reported as asked: no recorded fact names 'K0 diffusion' and 'barrier' and 'SA-Co@HC' together."),
])
def test_what_no_fact_mentions_is_none_reported_above_the_closest_facts(kb, question, note):
    assert answer(kb, question).note.startswith(note)


def test_an_unread_thing_asked_for_that_no_fact_mentions_is_none_reported(kb):
    result = answer(kb, "What price per kilogram of lithium does the sustainability section quote?")
    assert result.note.startswith("None reported: no recorded fact mentions 'price'. These are the recorded facts "
                                  "closest to the rest of the question")  # "section" is no search term (session 12)
    assert not any("price" in r["fact"].lower() for r in result.rows)


def test_a_compound_word_worded_otherwise_still_finds_the_fact(kb):
    result = answer(kb, "On the Co-nanoparticle control, what did the rod-like Na dendrites turn into?")
    assert result.note.startswith("None reported: no recorded fact mentions 'rod-like'.")
    assert any("nubby-like" in r["fact"] for r in result.rows)


# ---------------------------------------------------------------- facts of a system hold its parts
def test_a_value_holds_the_words_of_the_system_it_is_about(kb):
    index = FactIndex.of(kb)
    _, hits = index.search({"SAC-in-Defects": 2.0, "nucleation overpotential": 2.0}, limit=40)
    value = next(h for h in hits if h.sentence.startswith("SACo/ADFS@HPSC: nucleation overpotential 12.5 mV"))
    assert value.matched == ["SAC-in-Defects", "nucleation overpotential"]
    assert value.score == 1.0


def test_a_claim_of_another_system_does_not_inherit(kb):
    _, hits = FactIndex.of(kb).search({"SAC-in-Defects": 2.0, "nucleation overpotential": 2.0}, limit=40)
    other = next(h for h in hits if h.sentence.startswith("sp2c-COF-Co: nucleation overpotential 8 mV"))
    assert other.matched == ["nucleation overpotential"]


# ---------------------------------------------------------------- a paper's record
def test_a_reference_fact_gives_first_and_last_author_article_number_and_doi(kb):
    index = FactIndex.of(kb)
    _, hits = index.search({"2203277": 2.0}, limit=5)
    assert hits[0].sentence.startswith(
        "D. Zhang et al., Adv. Energy Mater., 2022 [ref. 74]: cited for: SA-Co@HC biocarbon host for dendrite-free K "
        "metal: strong K0 adsorption, 3 mV overpotential, over 2500 h; first author D. Zhang; last author B. Lu; "
        "volume 13; article number or pages 2203277. Authors: ")
    _, hits = index.search({"10.1039/d4gc02590c": 2.0}, limit=5)
    assert [h.kind for h in hits] == ["publication"]
    assert "first author Huihua Li; last author Hongzhen Lin; volume 26; article number or pages 10366; DOI " \
           "10.1039/d4gc02590c" in hits[0].sentence


def test_an_article_number_is_answered_from_the_record(runner):
    out = json.loads(runner.invoke(main, ["ask", "ref 74 article number potassium", "--format", "json"]).output)
    assert "article number or pages 2203277" in out["rows"][0]["fact"]


# ---------------------------------------------------------------- computed values asked by technique
@pytest.mark.parametrize("question", ["DFT binding energies for Na", "binding energies for Na from DFT",
                                      "computed binding energies for Na"])
def test_a_computational_technique_beside_values_asks_for_the_computed_ones(kb, question):
    result = answer(kb, question)
    assert result.template.name == "values_of_property"
    assert [(r["systemName"], r["display"]) for r in result.rows] == [("Co_SA@NC", "-2.29 eV"), ("ZnSA-N-C", "0.34 eV")]
    assert result.note.startswith("Only rows with computed.")


def test_compared_by_technique_across_two_metals(kb):
    result = answer(kb, "Compare how strongly single Zn atoms bind Li0 versus Na+ in the reviewed DFT results.")
    assert [(r["metalName"], r["systemName"], r["display"]) for r in result.rows] == [
        ("Li", "ZnSAs", "-3.66 eV"), ("Na", "ZnSA-N-C", "0.34 eV")]


# ---------------------------------------------------------------- what a value is compared with
def test_a_control_a_value_is_compared_with_is_no_filter(kb):
    result = answer(kb, "how much lower is the Li0 binding energy on single Zn atoms than on plain graphene?")
    assert [(r["systemName"], r["display"], r["baseline"]) for r in result.rows] == [
        ("ZnSAs", "-3.66 eV", "pristine graphene: -2.37 eV")]
    assert result.note.startswith("Read 'graphene' as what the values are compared with (their baselines stand beside "
                                  "them), not as a filter.")
    assert result.related == []  # 'plain' names nothing; no fact about another system stands beside the row


def test_a_control_beside_a_named_system_is_still_compared(kb):
    result = answer(kb, "ZnSA-N-C against bare Cu foil on nucleation overpotential")
    assert result.template.name == "compare_systems"


# ---------------------------------------------------------------- bounds
def test_a_named_system_with_a_bound_shows_its_values_that_meet_it(kb):
    result = answer(kb, "What current density did the ZnSA-HCNT sodium symmetric cell survive over 900 h at?")
    assert [(r["quantityName"], r["display"], r["conditions"]) for r in result.rows] == [
        ("cycle life", "> 900 h", "current density 10 mA cm⁻²")]


def test_failed_to_reach_is_below(kb):
    reading = Reader(kb).read("Which Li SAC symmetric cells failed to reach 1000 h?")
    assert (reading.threshold.value, reading.threshold.above) == (1000, False)


# ---------------------------------------------------------------- yes/no with nothing known to read
@pytest.mark.parametrize("question,note", [
    ("Are life-cycle assessment numbers (e.g., CO2 per kWh) given for SAC-based batteries?",
     "No: none reported as asked; no recorded fact holds enough of the question (nothing known is named 'CO2')."),
    ("Does the review present any SAC data for magnesium or calcium metal anodes?",
     "None reported: SAC-KG records single-atom catalysts for Li, Na and K metal anodes only; the review reports none "
     "for Mg, Ca metal anodes."),
])
def test_a_yes_no_question_no_form_reads_is_none_reported(runner, question, note):
    result = runner.invoke(main, ["ask", question, "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["note"].startswith(note)


# ---------------------------------------------------------------- why, after an opening clause
def test_why_after_an_opening_clause_is_answered_from_the_experiment(kb):
    result = answer(kb, "For SAFe/CVRCS, why was that configuration selected in the simulation?")
    assert result.template.name == "closest_facts"
    assert result.rows[0]["fact"].startswith("SAFe/CVRCS@3DPC: Theoretical simulation gives the lowest formation energy")


# ---------------------------------------------------------------- yes/no: none reported as asked
def test_a_yes_no_question_naming_a_technical_word_no_fact_holds_is_no(kb):
    result = answer(kb, "Does the review give exchange current density or Tafel slopes for the Li SAC electrodes?")
    assert (result.rows, result.note) == ([], "No: none reported as asked; no recorded fact mentions 'tafel', 'slopes'.")


@pytest.mark.parametrize("question", ["any cobalt single-atom Li anode that was cyceld at 5 mA cm-2?",
                                      "Is there a pouch-cell demo in the Li section?"])
def test_a_misspelt_or_everyday_word_does_not_make_it_no(kb, question):
    assert not answer(kb, question).note.startswith("No: none reported as asked")


def test_an_either_or_question_is_not_answered_no(kb):
    result = answer(kb, "Was the dendrite-free Li deposit on Zn-MXene at 60 uAh/cm2 bowl-like or spherical?")
    assert any("bowl-like" in r["fact"] for r in result.related)


# ---------------------------------------------------------------- words joined by a slash, quantities by "or"
def test_words_written_as_alternatives_are_each_read(kb):
    reading = Reader(kb).read("What are the five prospects/challenges the authors list?")
    assert {"prospects", "challenges"} <= set(reading.words)


def test_a_word_before_or_that_names_a_quantity_with_the_last_word_after_it(kb):
    reading = Reader(kb).read("nucleation or plating overpotential under 20 mV")
    assert [m.entities[0].label for m in reading.mentions] == ["nucleation overpotential",
                                                                "plating/stripping overpotential"]


def test_a_bound_in_a_unit_both_quantities_share_runs_once_per_quantity(kb):
    result = answer(kb, "Which Li anode SAC hosts report a nucleation or plating overpotential under 20 mV?")
    assert [(r["forQuantity"], r["systemName"], r["display"]) for r in result.rows] == [
        ("nucleation overpotential", "sp2c-COF-Co", "8 mV"), ("nucleation overpotential", "SACo/ADFS@HPSC", "12.5 mV"),
        ("plating/stripping overpotential", "ZnSAs", "12 mV")]


def test_a_bound_of_one_quantity_is_still_refused_beside_another_measured_otherwise(runner):
    result = runner.invoke(main, ["ask", "Li systems with cycle life or nucleation overpotential over 500 h"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot apply 'nucleation overpotential' (quantity)")


# ---------------------------------------------------------------- what the ask path imports
HEAVY = ("rdflib", "pyshacl", "networkx", "yaml", "matplotlib")


@pytest.mark.parametrize("question,also", [
    ("Na systems with cycle life over 900 h", ()),
    ("what did SEM show on the bare LNCP substrate after Li plating?", ("rapidfuzz",)),  # answered from the facts
    ("SAMn@NG bond length and bond angle change during plating", ()),  # facts beside a computed answer
])
def test_the_ask_path_imports_no_heavy_library(kb, question, also):
    import subprocess
    import sys

    code = ("import sys; from kg.cli import main\n"
            "try:\n    main(['ask', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "print('IMPORTED', ' '.join(m for m in sys.argv[2:] if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, question, *HEAVY, *also], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "IMPORTED", done.stderr[-500:]


def test_a_refusal_works_out_its_closest_forms_only_when_shown():
    from kg.ask.words import QuestionError

    calls = []
    error = QuestionError("cannot answer 'x'; closest questions: ", lambda: calls.append(1) or "'a'; 'b'")
    assert calls == []
    assert str(error) == "cannot answer 'x'; closest questions: 'a'; 'b'"
    assert str(error) == "cannot answer 'x'; closest questions: 'a'; 'b'" and calls == [1]


# ---------------------------------------------------------------- the metal, not the control "Li metal"
@pytest.mark.parametrize("question", ["Which Li-metal SAC systems reach a 1600 h symmetric-cell lifespan?",
                                      "which li metal SAC papers report symmetric cycling?"])
def test_li_metal_before_sac_or_systems_is_the_metal(kb, question):
    mention = Reader(kb).read(question).mentions[0]
    assert [e.label for e in mention.entities] == ["Li"]


def test_li_metal_alone_is_still_the_control_material_too(kb):
    result = answer(kb, "Li metal theoretical capacity")
    assert [(r["systemName"], r["display"]) for r in result.rows] == [("Li metal", "3860 mA h g⁻¹")]


def test_a_li_metal_system_question_with_a_duration_reads_the_metal(kb):
    result = answer(kb, "Which Li-metal SAC systems in this review reach a 1600 h symmetric-cell lifespan?")
    assert [(r["systemName"], r["display"]) for r in result.rows] == [("SACo/ADFS@HPSC", "1600 h"),
                                                                      ("SAFe/CVRCS@3DPC", "1600 h")]


def test_a_condition_held_as_written_is_never_part_of_another_number(kb):
    result = answer(kb, "which li metal SAC papers report symmetric cycling at 5 mA cm-2?")
    assert result.note == "Only values tested at 5 mA cm-2. Only rows with symmetric cell."  # the values tested there
    assert [(r["systemName"], r["display"]) for r in result.rows] == [("CC@CN-SACo", "500 h")]  # not the 0.5 mA cm-2 cells
