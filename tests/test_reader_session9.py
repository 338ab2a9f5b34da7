"""Issue 13, session 9: everyday words never read as abbreviations, figures cited by number, the test
condition asked of a named system, computed and measured values asked together, rows left out ("besides
zinc"), filters of one column joined by "or", and unknown words beside a question that names enough."""

from __future__ import annotations

import pytest

from kg.ask.answering import answer
from kg.ask.reader import Reader
from kg.cli.commands import main
from kg.model.text import common_word


def facts(result) -> list[str]:
    return [r["fact"] for r in result.rows]


@pytest.mark.parametrize("word,common", [("say", True), ("safe", True), ("saw", True), ("stem", True),
                                          ("sem", False), ("eels", False), ("ald", False)])
def test_everyday_words_are_told_from_rare_ones(word, common):
    assert common_word(word) is common


@pytest.mark.parametrize("question,name", [
    ("What do the authors say about scale-up?", "say"),
    ("is the Li metal anode safe?", "safe"),
    ("what did they see under the SEM", "see"),
])
def test_an_everyday_word_is_no_abbreviation(kb, question, name):
    reading = Reader(kb).read(question)
    assert name not in [m.text for m in reading.mentions]


def test_an_abbreviation_written_in_capitals_is_still_read(kb):
    reading = Reader(kb).read("SAY binding energy")
    assert [(m.text, m.entities[0].label) for m in reading.mentions][0] == ("SAY", "Y")
    reading = Reader(kb).read("what did sem show for SAFeNi@LNCP")
    assert ("sem", "SEM") in [(m.text, m.entities[0].label) for m in reading.mentions]


# ---------------------------------------------------------------- figures cited by number
def test_a_panel_cited_shows_its_caption_first_and_the_values_shown_in_it(kb):
    result = answer(kb, "What current density and areal capacity are stated for the symmetric cell in Fig. 7C?")
    assert result.template.name == "closest_facts"
    assert facts(result)[0] == "Fig. 7C: Symmetric cell at 5 mA cm-2 and 20 mA h cm-2."
    assert [r["about"] for r in result.rows] == ["Fig. 7C", *["SAFeNi@LNCP"] * 4]
    assert all("7C" in f"{r['where']} {r['fact']}" for r in result.rows)


def test_a_figure_cited_in_a_fact_note_counts(kb):
    result = answer(kb, "what root cause of dendrite growth is shown in Fig. 1D")
    assert facts(result)[0].startswith("Fig. 1D: Competing kinetics of Li0 localization")
    assert any("heterogeneous spatial distribution" in f for f in facts(result))


@pytest.mark.parametrize("question", ["What mechanism is sketched in Fig. 8D?", "what does figure 8 (d) show"])
def test_a_panel_however_written(kb, question):
    assert facts(answer(kb, question))[0] == "Fig. 8D: Schematic of how Zn-HC improves rate capability."


def test_a_figure_the_review_does_not_have(runner):
    result = runner.invoke(main, ["ask", "what does Fig. 12 show?"])
    assert result.exit_code == 0
    assert result.output.endswith("Note: None reported: no recorded fact of 'Fig. 12' holds enough of the question.\n")


# ---------------------------------------------------------------- the test condition asked
def test_the_condition_a_named_system_was_tested_at(kb):
    result = answer(kb, "what current density was ZnSA-N-C tested at")
    assert [(r["quantityName"], r["display"], r["conditions"]) for r in result.rows] == [
        ("cycle life", "1000 h", "current density 0.5 mA cm⁻²")]
    assert result.note.startswith("The values of ZnSA-N-C that state the current density.")


def test_the_c_rate_of_a_test_named_by_its_cycles(kb):
    result = answer(kb, "CoSA@NC Na full battery C-rate for the 500-cycle test")
    assert [(r["quantityName"], r["display"], r["conditions"]) for r in result.rows] == [
        ("specific capacity", "473 mA h g⁻¹", "C-rate 0.5 C; cycles 500")]


# ---------------------------------------------------------------- computed and measured together
def test_computed_and_measured_asked_together_give_both(kb):
    result = answer(kb, "For sp2c-COF-Co, what was calculated by DFT versus what was measured in cells?")
    assert [(r["quantityName"], r["display"], r["origin"]) for r in result.rows] == [
        ("binding energy", "-3.302 eV", "computed (theoretical calculation)"),
        ("migration barrier", "0.532 eV", "computed (DFT calculation)"),
        ("nucleation overpotential", "8 mV", "measured"),
        ("transference number", "0.76", "measured")]
    assert result.note.startswith("Computed and measured values alike, each with its origin.")


def test_computed_and_measured_for_a_metal(kb):
    result = answer(kb, "For the K system, what was computed by DFT and what was measured electrochemically?")
    assert [(r["systemName"], r["display"], r["origin"]) for r in result.rows] == [
        ("SA-Co@HC", "-1.16 eV", "computed (theoretical calculation)"), ("SA-Co@HC", "> 2500 h", "measured"),
        ("SA-Co@HC", "3 mV", "measured")]


# ---------------------------------------------------------------- rows left out, and either of two
def test_besides_leaves_out_the_rows_of_a_name(kb):
    result = answer(kb, "Besides zinc, which centre metals are used for Na?")
    assert [r["names"] for r in result.rows] == ["Co_SA@NC"]
    assert result.note == "Leaving out rows of Zn."
    assert [r["system"] for r in answer(kb, "Na systems other than ZnSA-N-C").rows] == ["Co_SA@NC", "Zn-HC", "Zn_SA-HCNT"]


def test_two_cells_joined_by_or_keep_rows_of_either(kb):
    result = answer(kb, "Li values in symmetric or full cells")
    assert {r["cellName"] for r in result.rows} == {"symmetric cell", "Li-LFP full cell"}
    assert "Only rows with symmetric cell or full cell." in result.note


# ---------------------------------------------------------------- unknown words
def test_an_unknown_word_beside_enough_named_things_is_told_apart(runner):
    result = runner.invoke(main, ["ask", "Which Na-S or sodium pouch cells with single-atom-protected Na anodes "
                                         "are described?"])
    assert result.exit_code == 0  # since session 11 a cell chemistry the knowledge base lacks is named as such
    assert result.output.endswith("Note: None reported: the knowledge base has no system or cell named 'Na-S' and no "
                                  "recorded fact\nmentions it; did you mean 'ZnSAs'?\n")  # wrapped to 100 columns


def test_an_unknown_name_in_place_of_the_system_is_still_refused(runner):
    result = runner.invoke(main, ["ask", "nucleation overpotential of ZnSA-X-Q"])
    assert (result.exit_code, result.output) == (
        1, "Error: unknown entity 'ZnSA-X-Q'; did you mean 'Zn' or 'ZnSAs'?\n")


# ---------------------------------------------------------------- a system named by what it is made of
@pytest.mark.parametrize("question,system,value,read_as", [
    ("how much did single atom Co on defective iron sulfide lower the Li nucleation overpotential",
     "SACo/ADFS@HPSC", "12.5 mV", "Read 'Co on defective iron sulfide' as 'SACo/ADFS@HPSC'."),
    ("Fe-Ni dual atoms on carbon nanofiber paper overpotential",
     "SAFeNi@LNCP", "25 mV", "Read 'Fe-Ni dual atoms on carbon nanofiber paper' as 'SAFeNi@LNCP'."),
])
def test_a_system_described_by_its_parts(kb, question, system, value, read_as):
    result = answer(kb, question)
    assert [(r["systemName"], r["display"]) for r in result.rows] == [(system, value)]
    assert result.note.startswith(read_as)


def test_a_description_two_systems_fit_equally_is_not_read_as_either(kb):
    reading = Reader(kb).read("single Co atoms on N-doped carbon")
    from kg.ask.describe import described_system

    assert described_system(Reader(kb), reading) is False


# ---------------------------------------------------------------- in situ
def test_in_situ_narrows_the_techniques(kb):
    result = answer(kb, "what in situ methods were used to watch Na plating on SAC hosts?")
    assert [(r["technique"], r["names"]) for r in result.rows] == [
        ("in situ TEM", "Zn_SA-HCNT"), ("in situ optical microscopy", "ZnSA-N-C; ZnSA-N-C (inferred)")]
    assert result.note == "Words not read: 'watch'. Only rows with in situ techniques."
    assert answer(kb, "Any in situ characterization reported for a K metal SAC host?").note == (
        "No. Only rows with in situ techniques. None reported in the knowledge base.")


def test_ex_situ_techniques(kb):
    rows = answer(kb, "which ex situ techniques were used for Na?").rows
    assert rows and all("ex situ" in r["evidence_kind"] for r in rows)


# ---------------------------------------------------------------- the fact index reads more of a question
def test_an_acronym_is_spelt_out_from_the_facts(kb):
    result = answer(kb, "What NSFC grant numbers are acknowledged?")
    assert facts(result) == ["National Natural Science Foundation of China: thanked in the acknowledgements of "
                             "Huihua Li et al., Green Chem., 2024 for funding. Grant numbers: 22279161; 22309144; 52307236."]
    assert result.note.startswith("Read 'NSFC' as 'National Natural Science Foundation of China'.")


def test_a_misspelt_word_corrected_against_english(kb):
    result = answer(kb, "Who is ackowledged for technical suport?")
    assert facts(result)[0].startswith("Nano-X, Suzhou Institute of Nano-Tech and Nano-Bionics")
    assert result.note.startswith("Read 'ackowledged' as 'acknowledged'. Read 'suport' as 'support'.")


def test_a_persons_name_is_one_term(kb):
    result = answer(kb, "What characterization does Hongzhen Lin specialize in?")
    assert facts(result)[0].startswith("Hongzhen Lin: Senior researcher at the i-Lab")
    assert "in situ interfacial nonlinear spectroscopy" in facts(result)[0]


def test_a_word_is_never_corrected_to_a_function_word(kb):
    result = answer(kb, "what energy density are EV batteries supposed to hit according to the intro (Wh/kg)?")
    assert [r["display"] for r in result.rows] == ["500 W h kg⁻¹"]
    assert "'into'" not in result.note


# ---------------------------------------------------------------- adsorption, bound more strongly
def test_adsorption_and_bound_more_strongly_are_binding_energy(kb):
    result = answer(kb, "Does any Na paper report a Na0 adsorption stronger than -2 eV?")
    assert [(r["systemName"], r["display"], r["meets"]) for r in result.rows] == [("Co_SA@NC", "-2.29 eV", "yes")]
    rows = answer(kb, "is K0 bound more strongly on SA-Co than Na0 on CoSA?").rows
    assert [(r["systemName"], r["display"]) for r in rows] == [("SA-Co@HC", "-1.16 eV"), ("Co_SA@NC", "-2.29 eV")]


def test_a_lower_bound_is_no_binding_energy(kb):
    reading = Reader(kb).read("values reported only as a lower bound")
    assert all(m.entities[0].label != "binding energy" for m in reading.mentions)


# ---------------------------------------------------------------- more of a question applied
def test_designs_list_systems(kb):
    result = answer(kb, "Which single-atom cobalt designs does the review discuss for lithium metal anodes?")
    assert [r["system"] for r in result.rows] == ["CC@CN-SACo", "Co-N/O", "SACo/ADFS@HPSC", "sp2c-COF-Co"]


def test_low_temperature_written_with_a_hyphen_is_below_zero(kb):
    result = answer(kb, "What low-temperature performance is reported for K metal with SACs?")
    assert (result.rows, result.note) == ([], "Only values tested at < 0 °C. None reported in the knowledge base.")
    result = answer(kb, "'Zn-HC low-temperature test: which temperature in degC and how many cycles?'")
    assert [(r["display"], r["conditions"]) for r in result.rows] == [("85 %", "cycles 400; temperature -40 °C")]


def test_an_author_narrows_values_by_their_citation(kb):
    result = answer(kb, "low-temperature Na anodes by Lu et al.")
    assert [(r["systemName"], r["reference"]) for r in result.rows] == [
        ("Zn-HC", "Z. Lu et al., Adv. Mater., 2023 [ref. 71]")]
    assert result.note == "Only values tested at < 0 °C. Only rows with papers by Lu."
    assert {r["systemName"] for r in answer(kb, "Li cycle life by Wang").rows} == {
        "SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC", "SAFeNi@LNCP"}


def test_a_metal_read_as_an_author_narrows_nothing(kb):
    assert answer(kb, "desolvation energy of Li(DME)4+ to Li(DME)3+").template.name == "closest_facts"


def test_a_compound_word_no_fact_holds_is_none_reported_above_the_facts_closest_to_the_rest(kb):
    result = answer(kb, "anode-free Li cells with SACs")
    assert result.template.name == "closest_facts"
    assert result.note.startswith("None reported: no recorded fact mentions 'anode-free'. These are the recorded facts "
                                  "closest to the rest of the question, each with its source;")
    assert {r["about"] for r in result.rows[:3]} == {"J. Wang et al., Nano Lett., 2021 [ref. 8]", "Li-LFP full cell",
                                                      "Li-S cell"}


@pytest.mark.parametrize("question,word,form", [
    ("which Na systems were tested in lean-electrolyte conditions", "lean-electrolyte",
     "Values reported for a metal's systems, with how they were tested"),
])
def test_a_compound_word_no_fact_holds_is_none_reported(runner, question, word, form):
    result = runner.invoke(main, ["ask", question])
    assert result.exit_code == 0
    assert result.output.endswith(f"Note: None reported: no recorded fact mentions '{word}'; the answer without it "
                                  f"would be\n'{form}'.\n")  # wrapped to 100 columns


def test_a_compound_word_the_facts_hold_is_only_not_read(kb):
    assert answer(kb, "dendrite-free Li systems").note == "Words not read: 'dendrite-free'."


# ---------------------------------------------------------------- words the facts say otherwise
def test_a_misspelt_name_read_with_the_words_before_it(kb):
    result = answer(kb, "what are the drawbacks of atomic layer depostion for making SACs?")
    assert result.note.startswith("Read 'atomic layer depostion' as 'atomic layer deposition'.")
    assert any("costly facilities and a complex production process" in str(v) for r in result.rows for v in r.values())


def test_picked_is_said_chosen_and_advantages_promise(kb):
    result = answer(kb, "Why was iron picked as the atomic catalyst for Li+ desolvation?")
    assert any("Fe was chosen for its intrinsic sustainability and practical applicability" in f for f in facts(result))
    result = answer(kb, "advantages of potasium metal batteries")
    assert any("low cost, abundant resources, suitable working potential" in f for f in facts(result))


# ---------------------------------------------------------------- from the fresh set 13f
def test_rather_than_leaves_out(kb):
    result = answer(kb, "Which sodium host relies on single cobalt rather than zinc atoms?")
    assert [r["system"] for r in result.rows] == ["Co_SA@NC"]
    assert "Leaving out rows of Zn." in result.note


def test_made_it_to_is_at_least(kb):
    result = answer(kb, "Which lithium hosts in the review made it to 1600 hours of plating/stripping?")
    assert sorted(r["systemName"] for r in result.rows) == ["SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC"]
    assert "plating/stripping" not in result.note


def test_cycling_hours_asks_for_a_duration(kb):
    result = answer(kb, "K metal SA-Co@HC cycling hours")
    assert [r["display"] for r in result.rows] == ["> 2500 h"]
    assert "'hours'" not in result.note


def test_reference_number_lists_references(kb):
    result = answer(kb, "potassium single-atom host reference number")
    assert result.template.name == "references"
    assert 74 in [r["number"] for r in result.rows]


def test_what_role_does_x_play_is_answered_from_the_facts(kb):
    result = answer(kb, "What role do the SAZn sites play in ZnSA-N-C?")
    assert result.template.name == "closest_facts"
    assert any("sodiophilic" in f for f in facts(result))


def test_is_there_a_cell_no_other_form_reads_is_answered_from_the_values_as_tested(runner):
    result = runner.invoke(main, ["ask", "Is there a sodium pouch cell with a SAC-modified anode anywhere in the review?"])
    assert result.exit_code == 0
    assert result.output.endswith("Note: No. Words not read: 'anywhere'. Only rows with Li-S pouch cell. None reported "
                                  "in the knowledge\nbase.\n")  # wrapped to 100 columns


def test_a_value_asked_that_no_fact_states_is_none_reported_first(kb):
    result = answer(kb, "What Coulombic efficiency is reported for the SAFe/CVRCS@3DPC symmetric cell in Fig. 3?")
    assert result.template.name == "closest_facts"
    assert result.note.startswith("None reported for the coulombic efficiency of SAFe/CVRCS@3DPC: no fact below about "
                                  "it states it.")


def test_a_value_asked_of_a_system_named_with_a_suffix_is_none_reported(kb):
    result = answer(kb, "What Coulombic efficiency did the SAFe/CVRCS@3DPC-based Li cells achieve?")
    assert (result.template.name, result.rows) == ("property_of_system", [])
    assert result.note == "Words not read: 'achieve'. None reported in the knowledge base."


def test_a_misspelt_cycle_count(kb):
    result = answer(kb, "What reversible capacity in mAh/g did CoSA@NC keep after 500 cyles at 0.5C?")
    assert [(r["display"], r["conditions"]) for r in result.rows] == [("473 mA h g⁻¹", "C-rate 0.5 C; cycles 500")]


def test_a_name_to_leave_out_that_no_row_is_alone_is_said_so(kb):
    result = answer(kb, "Of the Na-metal SAC hosts discussed, which one is not zinc-based?")
    assert result.note == "Nothing left out for Zn: no row below is Zn alone."
    assert [r["names"] for r in answer(kb, "Na centre metals, not zinc-based").rows] == ["Co_SA@NC"]
