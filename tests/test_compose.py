"""Issue 13, first part: thresholds that include their number, several metals in one question, test
conditions read from a number without a comparison, and no recognised constraint dropped in silence."""

from __future__ import annotations

import json

import pytest

from kg.ask.answering import answer
from kg.ask.reader import Reader
from kg.ask.words import QuestionError
from kg.cli.commands import main


def names(kb, question):
    return [r["systemName"] for r in answer(kb, question).rows]


@pytest.mark.parametrize("question,expected", [
    ("Li systems with cycle life of at least 900 h",
     ["SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC", "Pt SAs/In2S3/Ti3C2", "SAFeNi@LNCP"]),
    ("Li systems with cycle life over 900 h", ["SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC", "Pt SAs/In2S3/Ti3C2"]),
    ("Which Li systems have a cycle life of 1000 h or more?", ["SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC", "Pt SAs/In2S3/Ti3C2"]),
    ("Na systems with a cycle life of 1000 h or longer", ["ZnSA-N-C", "Zn_SA-HCNT"]),
    ("Na systems with cycle life >= 1000 h", ["ZnSA-N-C", "Zn_SA-HCNT"]),
    ("Na systems with cycle life > 1000 h", ["Zn_SA-HCNT"]),
    ("systems with nucleation overpotential of 3 mV or less", ["ZnSA-N-C", "SA-Co@HC"]),
    ("systems with a nucleation overpotential below 3 mV", ["ZnSA-N-C"]),
    ("Li systems with cycle life of no more than 900 h", ["CC@CN-SACo", "SAFeNi@LNCP"]),
    ("Li systems with cycle life of no less than 500 h",
     ["SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC", "Pt SAs/In2S3/Ti3C2", "SAFeNi@LNCP", "CC@CN-SACo"]),
])
def test_thresholds_with_and_without_their_number(kb, question, expected):
    assert names(kb, question) == expected


def test_inclusion_is_a_bound_parameter(kb):
    result = answer(kb, "Na systems with a cycle life of 1000 h or longer")
    assert (result.template.name, result.bindings["inclusive"], result.bindings["above"]) == ("threshold", True, True)
    assert "Not used" not in result.note


def test_several_metals_run_the_template_once_each(kb):
    result = answer(kb, "lowest nucleation overpotential for Na and K")
    assert [(r["systemName"], r["metalName"]) for r in result.rows] == [
        ("ZnSA-N-C", "Na"), ("Co_SA@NC", "Na"), ("SA-Co@HC", "K")]
    assert result.labels["metal"] == "Na, K"
    assert result.note.startswith("Lowest for each metal: Na: ZnSA-N-C, 0 mV; K: SA-Co@HC, 3 mV.")


def test_rows_of_several_metals_say_which_metal_they_answer_for(runner):
    result = runner.invoke(main, ["ask", "which centre metals are used for Na and K?", "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("forMetal,")
    assert [line.split(",")[:2] for line in result.output.splitlines()[1:]] == [
        ["Na", "Zn"], ["Na", "Co"], ["K", "Co"]]
    text = runner.invoke(main, ["ask", "which centre metals are used for Na and K?"]).output
    assert text.splitlines()[0].startswith("for metal  centre metal")


def test_a_test_condition_given_as_a_bare_number_filters_the_values(kb):
    result = answer(kb, "capacity retention of Zn-HC at -40 °C")
    assert [(r["systemName"], r["display"], r["conditions"]) for r in result.rows] == [
        ("Zn-HC", "85 %", "cycles 400; temperature -40 °C")]
    empty = answer(kb, "capacity retention of Zn-HC at -20 °C")
    assert (empty.rows, empty.note) == ([], "Only values tested at -20 °C. None reported in the knowledge base.")


def test_a_metal_named_beside_a_system_is_the_systems_own(kb):
    result = answer(kb, "Li binding energy on ZnSAs compared with graphene")
    assert [(r["systemName"], r["display"]) for r in result.rows] == [("ZnSAs", "-3.66 eV"), ("pristine graphene", "-2.37 eV")]


@pytest.mark.parametrize("question,message", [
    ("Li systems made by pyrolysis with at least 500 h",
     "cannot apply 'pyrolysis' (synthesis method): SAC-KG reads 'Li systems made by pyrolysis with at least 500 h' as "
     "'Systems above or below a threshold', which has no such filter; ask without it, or one of: "),
    ("which mechanisms act in Li systems tested at 10 mA cm-2?",
     "cannot apply '10 mA cm-2' (a test condition): SAC-KG reads 'which mechanisms act in Li systems tested at 10 mA cm-2?' "
     "as 'Mechanisms supported for an alkali metal', which has no such filter; ask without it, or one of: "),
    ("count Li systems in pouch cells",
     "cannot apply 'pouch cells' (cell): SAC-KG reads 'count Li systems in pouch cells' as 'How many systems', which has "
     "no such filter; "),
    ("how many mechanisms were shown for Li in Li-S cells?",
     "cannot apply 'Li-S cells' (cell): SAC-KG reads 'how many mechanisms were shown for Li in Li-S cells?' as "
     "'How many systems', which has no such filter; "),
])
def test_a_recognised_constraint_is_applied_or_refused_never_dropped(kb, question, message):
    with pytest.raises(QuestionError) as caught:
        answer(kb, question)
    assert str(caught.value).startswith(message)


def test_the_refusal_is_one_line_and_exit_1(runner):
    result = runner.invoke(main, ["ask", "how many Li systems were tested at 5 mA cm-2?"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot apply '5 mA cm-2' (a test condition)")
    assert result.output.count("\n") == 1


def test_json_of_several_metals_lists_the_added_column(runner):
    out = json.loads(runner.invoke(main, ["ask", "mechanisms for Li and Na", "--format", "json"]).output)
    assert out["columns"][0] == "forMetal"
    assert {r["forMetal"] for r in out["rows"]} == {"Li", "Na"}
    assert out["bindings"]["metal"]["label"] == "Li, Na"


def test_several_quantities_of_one_system_run_once_each(runner):
    result = runner.invoke(main, ["ask", "binding energy and nucleation overpotential of SA-Co@HC", "--format", "csv"])
    assert result.exit_code == 0
    assert [line.split(",")[:4] for line in result.output.splitlines()] == [
        ["forQuantity", "systemName", "metalName", "display"],
        ["binding energy", "SA-Co@HC", "K", "-1.16 eV"],
        ["nucleation overpotential", "SA-Co@HC", "K", "3 mV"]]


def test_two_quantities_with_one_threshold_are_not_split(kb):
    with pytest.raises(QuestionError) as caught:
        answer(kb, "systems with nucleation overpotential below 10 mV and cycle life over 1000 h")
    assert str(caught.value).startswith("cannot apply ")


@pytest.mark.parametrize("question,rows,note", [
    ("is there any K system with a sulfur host?", [],
     "No. Only rows with sulfur host. None reported in the knowledge base."),
    ("computed binding energies for Na", [("Co_SA@NC", "-2.29 eV"), ("ZnSA-N-C", "0.34 eV")], None),
    ("cycle life of Li systems in pouch cells", [], "Only rows with Li-S pouch cell. None reported in the knowledge base."),
])
def test_cells_roles_and_origins_narrow_the_rows_they_name(kb, question, rows, note):
    result = answer(kb, question)
    assert [(r.get("systemName") or r.get("system"), r.get("display")) if "display" in r else (r["system"], None)
            for r in result.rows] == rows
    if note is not None:
        assert result.note == note
    assert "Not used" not in result.note


def test_measured_cycle_life_in_symmetric_cells(kb):
    result = answer(kb, "measured cycle life for Li in symmetric cells")
    assert [(r["systemName"], r["cellName"]) for r in result.rows] == [
        ("CC@CN-SACo", "symmetric cell"), ("SAFeNi@LNCP", "symmetric cell"), ("Pt SAs/In2S3/Ti3C2", "symmetric cell"),
        ("SACo/ADFS@HPSC", None), ("SAFe/CVRCS@3DPC", "symmetric cell")]  # a cycle life whose cell is not stated
    assert result.note.startswith("Only rows with measured, symmetric cell (or no cell stated).")


def test_a_cell_the_answer_cannot_apply_gives_the_facts_that_all_hold_it(kb):
    result = answer(kb, "which mechanisms were shown for Li in Li-S cells?")
    assert result.template.name == "closest_facts"
    assert result.note.startswith("No question form applies 'Li-S cells' (cell); every fact below holds it. ")
    assert [r["about"] for r in result.rows] == ["Li-S cell", "Pt SAs/In2S3/Ti3C2", "Pt SAs/In2S3/Ti3C2",
                                                 "Li-S pouch cell"]
    assert "suppresses polysulfide conversion/shuttle" in result.rows[2]["fact"]


@pytest.mark.parametrize("question,first", [
    ("does the review report any Na system with a cycle life over 900 h?", "Yes: 2 found."),
    ("are there Li systems with cycle life of at least 1600 h?", "Yes: 2 found."),
    ("is there any K system with a sulfur host?", "No."),
    ("are there K systems with cycle life over 3000 h?", "Possibly: 1 found, reported only as a bound."),
    ("are there K systems with cycle life below 100 h?", "No."),
])
def test_yes_no_questions_answer_yes_or_no_first(kb, question, first):
    assert answer(kb, question).note.split(" None")[0].startswith(first)


@pytest.mark.parametrize("question,template,note", [
    ("which mechnisms are supported for Na?", "mechanisms_for_metal", "Read 'mechnisms' as 'mechanisms'."),
    ("refernce for ZnSA-HCNT", "references_for_system", "Read 'refernce' as 'reference'."),
    ("refrence for ZnSA-HCNT", "references_for_system", "Read 'refrence' as 'reference'."),
])
def test_a_misspelt_word_of_the_question_is_read_as_that_word_not_as_a_name(kb, question, template, note):
    result = answer(kb, question)
    assert (result.template.name, result.note.split(" ")[:4]) == (template, note.split(" ")[:4])
    assert result.note.startswith(note)


def test_a_misspelt_common_word_never_becomes_an_entity(kb):
    result = answer(kb, "cataylst systems with cycle life over 900 h for both Na and K")
    assert result.note.startswith("Read 'cataylst' as 'catalyst'.")
    assert [(r["systemName"], r["metalName"]) for r in result.rows] == [
        ("ZnSA-N-C", "Na"), ("Zn_SA-HCNT", "Na"), ("SA-Co@HC", "K")]


def test_who_wrote_a_reference_lists_its_authors_in_order(runner):
    result = runner.invoke(main, ["ask", "who wrote ref 70?"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "position  author", "--------  --------", "1         T. Yang", "2         T. Qian", "3         Y. Sun",
        "4         J. Zhong", "5         F. Rosei", "6         C. Yan", "",
        "Note: T. Yang et al., Nano Lett., 2019, 19, 7827–7835 [ref. 70]: authors in the paper's order."]


def rows_of(kb, question, *columns):
    return [tuple(r.get(c) for c in columns) for r in answer(kb, question).rows]


def test_a_group_of_systems_is_a_facet_of_the_value_templates(kb):
    result = answer(kb, "which SAM@NG has the largest Li0 binding energy")
    assert (result.template.name, result.labels["group"]) == ("best_value", "SAM@NG")
    assert rows_of(kb, "which SAM@NG has the largest Li0 binding energy", "systemName", "display") == [
        ("SAZr@NG", "-3.24 eV"), ("SAMn@NG", "-1.42 eV")]
    assert result.note == ("Largest: SAZr@NG, -3.24 eV. Ranked by size, whatever the sign: the papers give these "
                           "energies with either sign convention, and call the strongest 'largest'. "
                           "All values are computed, not measured.")
    assert rows_of(kb, "which SAM@NG has the smallest Li0 binding energy", "systemName")[0] == ("SAMn@NG",)
    assert rows_of(kb, "SAM@NG with binding energy below -2 eV", "systemName", "meets") == [("SAZr@NG", "yes")]


def test_largest_binding_energy_ranks_by_size_whatever_the_sign(kb):
    assert rows_of(kb, "largest binding energy for Li", "systemName", "display")[:6] == [
        ("ZnSAs", "-3.66 eV"), ("sp2c-COF-Co", "-3.302 eV"), ("SAZr@NG", "-3.24 eV"), ("Co-N/O", "-1.832 eV"),
        ("SANi@NC", "1.611 eV"), ("SAFe@NC", "1.589 eV")]


def test_values_of_materials_other_than_systems_are_values_too(kb):
    assert rows_of(kb, "which alkali ion has the smallest solvation radius?", "systemName", "display") == [
        ("solvated K+ ion", "3.6 Å"), ("solvated Na+ ion", "4.6 Å"), ("solvated Li+ ion", "4.8 Å")]
    assert rows_of(kb, "theoretical capacity of Li metal in mAh/g", "systemName", "display") == [
        ("Li metal", "3860 mA h g⁻¹")]
    ranked = rows_of(kb, "lowest nucleation overpotential for Li", "systemName")
    assert ("bare Cu foil",) not in ranked and ("unmodified electrode",) not in ranked  # baselines stay baselines


@pytest.mark.parametrize("question,rows,note", [
    ("Li systems tested at 10 mA cm-2", [], "Only values tested at 10 mA cm-2. None reported in the knowledge base."),
    ("systems cycled at 0.5 mA cm-2 across all metals",
     [("Co_SA@NC", "nucleation overpotential", "11.5 mV"), ("SAFe/CVRCS@3DPC", "cycle life", "1600 h"),
      ("ZnSA-N-C", "cycle life", "1000 h")], "Only values tested at 0.5 mA cm-2."),
    ("Na metal anodes tested at -40 C", [("Zn-HC", "capacity retention", "85 %")], "Only values tested at -40 C."),
    ("Which Li systems were tested in Li-S cells?",
     [("Pt SAs/In2S3/Ti3C2", "sulfur loading", "6.4 mg cm⁻²"), ("SACo/ADFS@HPSC", "areal capacity", "3.78 mA h cm⁻²"),
      ("SACo/ADFS@HPSC", "sulfur loading", "≤ 5.4 mg cm⁻²")], None),
    ("Co-centred Na systems with measured values",
     [("Co_SA@NC", "nucleation overpotential", "11.5 mV"), ("Co_SA@NC", "specific capacity", "473 mA h g⁻¹")], None),
])
def test_how_systems_were_tested_narrows_their_values(kb, question, rows, note):
    result = answer(kb, question)
    assert result.template.name == "values_for_metal"
    assert [(r["systemName"], r["quantityName"], r["display"]) for r in result.rows] == rows
    if note is not None:
        assert result.note == note


@pytest.mark.parametrize("question,rows", [
    ("how many hrs did the SA-Co@HC K cell last?", [("SA-Co@HC", "> 2500 h")]),
    ("how long did ZnSA-N-C cycle?", [("ZnSA-N-C", "1000 h")]),
    ("sodium anode on Zn single atoms at 0.5 mA cm-2: how many hours?", [("ZnSA-N-C", "1000 h")]),
])
def test_a_duration_asked_for_names_its_quantity_not_a_count(kb, question, rows):
    result = answer(kb, question)
    assert result.bindings["quantity"].value.endswith("#CycleLife")
    assert [(r["systemName"], r["display"]) for r in result.rows] == rows
    assert answer(kb, "how many systems are there for Na?").template.name == "count_systems"


def test_a_compared_number_in_a_unit_of_test_conditions_is_a_condition_range(kb):
    result = answer(kb, "Na systems on carbon hosts that cycled for 900 h or more at 1 mA/cm2 or above?")
    assert (result.template.name, result.bindings["inclusive"]) == ("threshold", True)
    assert [(r["systemName"], r["display"], r["conditions"]) for r in result.rows] == [
        ("Zn_SA-HCNT", "> 900 h", "current density 10 mA cm⁻²")]
    assert result.note.startswith("Only values tested at ≥ 1 mA/cm2.")
    ranged = answer(kb, "symmetric cells cycled at 5 mA/cm2 or more, any metal?")
    assert [(r["systemName"], r["display"]) for r in ranged.rows] == [("CC@CN-SACo", "500 h"), ("Zn_SA-HCNT", "> 900 h")]
    assert answer(kb, "Li symmetric cells run at 1 mA/cm2 or more that survived at least 1000 h - which ones?").rows[0][
        "systemName"] == "Pt SAs/In2S3/Ti3C2"


def test_a_computed_answer_that_leaves_the_question_unread_gives_way_to_facts(kb):
    result = answer(kb, "How much do the bond length and angle of SAMn@NG change during Li plating?")
    assert result.template.name == "closest_facts"
    assert [r["fact"].split(" (Li)")[0] for r in result.rows[:2]] == [
        "SAMn@NG: bond angle change ~0.06 °", "SAMn@NG: bond length change ~0.005 Å"]
    kept = answer(kb, "what has nobody studied for Li?")  # an empty answer that fits stays
    assert kept.template.name == "mechanism_gaps"


def test_no_name_begins_with_an_article(kb):
    result = answer(kb, "Which single-atom-modified Li anodes kept a symmetric cell going for more than 1000 hours?")
    assert [r["systemName"] for r in result.rows] == ["SACo/ADFS@HPSC", "SAFe/CVRCS@3DPC", "Pt SAs/In2S3/Ti3C2"]
    assert result.note.startswith("Words not read: 'kept', 'going'. Only rows with symmetric cell (or no cell "
                                  "stated).")  # not the Cu half-cell


def test_bind_names_the_binding_energy_and_comparatives_are_not_typos(kb):
    result = answer(kb, "Li vs Na: how strongly do Zn single atoms bind the metal?")
    assert [(r["metalName"], r["systemName"], r["display"]) for r in result.rows] == [
        ("Li", "ZnSAs", "-3.66 eV"), ("Na", "ZnSA-N-C", "0.34 eV")]
    assert "Read 'stronger'" not in answer(kb, "which Li systems bind Li stronger than ZnSAs?").note


def test_every_word_is_read_or_listed(kb):
    result = answer(kb, "which Na systems on hard carbon cycled past 900 h?")  # "past" compares
    assert (result.template.name, result.bindings["above"], result.labels["support"]) == ("threshold", True, "hard carbon")
    assert (result.rows, result.note) == ([], "None reported in the knowledge base.")
    listed = answer(kb, "Which single-atom-modified Li anodes kept a symmetric cell going for more than 1000 hours?")
    assert listed.note.startswith("Words not read: 'kept', 'going'.")
    assert "Words not read" not in answer(kb, "lowest nucleation overpotential for K?").note


def test_the_word_a_family_of_quantities_shares_asks_for_each(kb):
    result = answer(kb, "overpotential of CoSA@NC")
    assert [(r["forQuantity"], r["systemName"], r["display"]) for r in result.rows] == [
        ("nucleation overpotential", "Co_SA@NC", "11.5 mV")]
    ranked = answer(kb, "lowest overpotential for Li")
    assert ranked.note.startswith("Lowest for each quantity: plating/stripping overpotential: ZnSAs, 12 mV; "
                                  "nucleation overpotential: sp2c-COF-Co, 8 mV.")
    barrier = answer(kb, "energy barrier of Zn-HC")  # the barrier whose name holds "energy"
    assert [(r["systemName"], r["display"]) for r in barrier.rows] == [("Zn-HC", "1.62 eV")]
    typo = answer(kb, "overpotental of CoSA@NC")
    assert (typo.rows[0]["display"], typo.note) == ("11.5 mV", "Read 'overpotental' as 'overpotential'.")
    other = Reader(kb).read("Na-F formation energy on Zn-HC vs HC")  # some other energy: no family guessed
    assert [m.text for m in other.mentions] == ["Zn-HC", "HC"]


def test_every_metal_named_counts_toward_the_reading(kb):
    result = answer(kb, "Which systems across Li, Na and K passed 1000 h of cycling?")
    assert result.template.name == "threshold"
    assert [(r["metalName"], r["systemName"], r["meets"]) for r in result.rows] == [
        ("Li", "SACo/ADFS@HPSC", "yes"), ("Li", "SAFe/CVRCS@3DPC", "yes"), ("Li", "Pt SAs/In2S3/Ti3C2", "yes"),
        ("Na", "Zn_SA-HCNT", "possibly"), ("K", "SA-Co@HC", "yes")]


def test_what_a_system_is_made_of(kb):
    result = answer(kb, "What host material does Zn-HC use?")
    assert result.template.name == "system_parts"
    assert [(r["systemName"], r["supportMaterial"], r["centreMetals"], r["alkaliMetals"]) for r in result.rows] == [
        ("Zn-HC", "hard carbon", "Zn", "Na")]
    described = answer(kb, "What kind of carbon substrate was the Co single-atom K host derived from?")
    assert [(r["systemName"], r["supportMaterial"]) for r in described.rows] == [
        ("SA-Co@HC", "biocarbon (HC) with porous, vertical channels")]


def test_a_word_spelt_right_is_no_misspelling(kb):
    reading = Reader(kb).read("what about asymmetric deposition position in the original institute?")
    assert ([m.text for m in reading.mentions], reading.corrections) == (["deposition"], [])
    misspelt = Reader(kb).read("lifespn of Zn-HC for sodum")
    assert [(m.text, m.typo_of) for m in misspelt.mentions] == [("lifespn", "cycle life"), ("Zn-HC", None), ("sodum", "Na")]


def test_a_second_job_asked_in_the_systems_own_words_is_its_description(kb):
    result = answer(kb, "Besides protecting Li, what second job does the Pt SAs/In2S3/Ti3C2 separator layer do in "
                        "Li-S cells?")
    assert result.template.name == "closest_facts"  # its words are the system's own description
    assert result.rows[0]["about"] == "Pt SAs/In2S3/Ti3C2"
    assert "where it also inhibits polysulfides and their shuttle effect" in result.rows[0]["fact"]


def test_facts_answer_when_what_is_asked_is_left_unread(kb):
    result = answer(kb, "morphology of Li deposited on Zn-MXene at 60 uAh/cm2")
    assert result.template.name == "closest_facts"
    kept = answer(kb, "If I cycle a Na symmetric cell at 10 mA cm-2 with single Zn atoms in hollow CNTs, "
                      "how many hours do I get?")
    assert [(r["systemName"], r["display"]) for r in kept.rows] == [("Zn_SA-HCNT", "> 900 h")]


def test_a_number_of_cycles_is_a_test_condition(kb):
    result = answer(kb, "capacity retention of SAFe/CVRCS@3DPC after 300 cycles")
    assert [(r["systemName"], r["display"], r["conditions"]) for r in result.rows] == [
        ("SAFe/CVRCS@3DPC", "90.5 %", "C-rate 0.5 C; cycles 300")]
    assert result.note == "Only values tested at 300 cycles."
    none = answer(kb, "capacity retention after 100 cycles")
    assert (none.rows, none.note) == ([], "Only values tested at 100 cycles. None reported in the knowledge base.")


def test_how_single_atom_catalysts_are_made_and_characterised(kb):
    made = answer(kb, "strategies for stabilizing single atom catalysts")
    assert made.template.name == "synthesis_methods"
    assert [r["method"] for r in made.rows if r["level"] == "strategy"] == [
        "defect-site trapping", "heteroatom-assisted anchored coordination"]
    greener = answer(kb, "greener ways to make SACs")
    assert [r["method"] for r in greener.rows if "greener" in (r["notes"] or "")] == [
        "electrochemical synthesis", "molten-salt synthesis"]
    tools = answer(kb, "which characterization techniques are used for SACs")
    assert tools.template.name == "techniques"
    assert {r["technique"]: r["evidenceKind"] for r in tools.rows}["AC-STEM"] == "ex situ microscopy"
    wrong = answer(kb, "What's wrong with wet impregnation for making SACs?")
    assert [r["detail"].split(":")[0] for r in wrong.rows if r["aspect"] == "challenge"] == [
        "Low loading and partial agglomeration by wet impregnation"] * 2  # one row per source


def test_references_by_year_author_and_metal(kb):
    result = answer(kb, "Na papers published in 2022")
    assert (result.template.name, result.labels["year"], result.labels["metal"]) == ("references", "2022", "Na")
    assert [r["number"] for r in result.rows] == [69]
    by = answer(kb, "papers by Passerini")
    assert (by.labels["author"], [r["number"] for r in by.rows]) == ("Passerini", [3, 50, 68, 77, 86, 87, 88, 89, 96])
    assert [r["number"] for r in answer(kb, "papers from 2019").rows] == [11, 25, 30, 31, 35, 37, 40, 47, 48, 58, 60, 62, 70]
    assert answer(kb, "what did Yang et al. report in 2019?").template.name == "closest_facts"
    with pytest.raises(QuestionError, match=r"^cannot apply '2019' \(a year\)"):
        answer(kb, "lowest nucleation overpotential for Na in 2019")


def test_stronger_or_better_than_is_the_better_side_of_the_quantity(kb):
    for question in ("Li binding energy stronger than -3 eV",
                     "For Li, which single-atom sites have a computed Li binding energy stronger (more negative) than -3 eV?",
                     "binding energies more negative than -3 eV"):
        result = answer(kb, question)
        assert (result.bindings["above"], [r["systemName"] for r in result.rows]) == (
            False, ["ZnSAs", "sp2c-COF-Co", "SAZr@NG"]), question
    assert answer(kb, "cycle life better than 1500 h").bindings["above"] is True  # longer is better


def test_sub_zero_is_below_0_celsius(kb):
    result = answer(kb, "Has anyone tried a single-atom-modified Na anode at sub-zero tempertures? How did it do?")
    assert [(r["systemName"], r["display"]) for r in result.rows] == [("Zn-HC", "85 %")]
    assert result.note == ("Yes: 1 found. Read 'tempertures' as 'temperature'. Words not read: 'anyone'. "
                           "Only values tested at < 0 °C.")


def test_a_short_name_is_spelt_out_from_the_facts(kb):
    for question, first in (("what is ADFS in SACo/ADFS@HPSC?", "defective iron sulfide on layered porous carbon: "),
                            ("CVRCS meaning in SAFe/CVRCS@3DPC", "cation vacancy-rich Co1-xS embedded in 3D porous carbon: "),
                            ("what does LNCP refer to in SAFeNi@LNCP", "LNCP: The N-doped carbon nanofibre paper")):
        result = answer(kb, question)
        assert (result.template.name, result.rows[0]["fact"].startswith(first)) == ("closest_facts", True), question
    about = answer(kb, "what is the SEI in Zn-HC made of?")  # "in" before a name that does not hold it: no short name
    assert about.rows[0]["fact"].startswith("Zn-HC: ")


def test_bounds_that_do_not_settle_a_threshold_are_no_answer(kb):
    result = answer(kb, "which K host lasted over 3000 h?")
    assert [(r["systemName"], r["meets"]) for r in result.rows] == [("SA-Co@HC", "possibly")]
    assert result.note.startswith("None reported for certain: the values below are bounds that do not settle it.")


def test_a_cell_in_a_yes_no_question_is_read_from_the_values_as_tested(kb):
    result = answer(kb, "is there any Na metal pouch cell demo with a SAC host?")
    assert (result.template.name, result.rows) == ("values_for_metal", [])
    assert result.note.startswith("No. ")
    life = answer(kb, "what is the longest Na symmetric cell life with a SAC host in the review?")
    assert [(r["systemName"], r["display"]) for r in life.rows][:1] == [("ZnSA-N-C", "1000 h")]


def test_a_system_name_with_its_metal_plated_on_it_is_the_system(kb):
    reader = Reader(kb)
    for written, label in (("CC@CN-SACo@Li", "CC@CN-SACo"), ("SAFe/CVRCS@3DPC-Li", "SAFe/CVRCS@3DPC"),
                           ("Zn-HC/Na", "Zn-HC")):
        assert [(m.text, m.entities[0].label) for m in reader.read(f"SEI on the {written} anode").mentions][-1] == (
            written, label)
    result = answer(kb, "why does bare Cu foil fail for K metal in the SA-Co@HC study?")  # "bare Cu" in the fact
    assert any("distorts the electric field" in r["fact"] for r in result.rows)


def test_several_metals_and_quantities_run_once_per_pair(kb):
    result = answer(kb, "Co single atoms on carbon for Na or K: capacity or lifetime numbers?")
    assert [(r["forQuantity"], r["systemName"], r["display"]) for r in result.rows] == [
        ("specific capacity", "Co_SA@NC", "473 mA h g⁻¹"), ("cycle life", "SA-Co@HC", "> 2500 h")]


@pytest.mark.parametrize("question,template,bindings,columns,rows", [
    # a coordination, mechanism or technique beside a threshold (issue 15)
    ("Li systems characterised by SEM with a nucleation overpotential below 20 mV", "threshold",
     {"technique": "SEM", "metal": "Li"}, ("systemName", "display"), [("SACo/ADFS@HPSC", "12.5 mV")]),
    ("which systems bind Li more strongly than -3 eV?", "threshold", {"metal": "Li", "above": "below"},
     ("systemName", "display"), [("ZnSAs", "-3.66 eV"), ("sp2c-COF-Co", "-3.302 eV"), ("SAZr@NG", "-3.24 eV")]),
    # a technique beside a mechanism: the evidence of the claim itself
    ("which nucleation claims are backed by SEM?", "systems_with_mechanism", {"mechanism": "nucleation", "technique": "SEM"},
     ("system", "effect"), [("SAFe/CVRCS@3DPC", "promotes"), ("SANi-NG", "promotes")]),
    # several centre metals: one run each
    ("Which Li systems use Co or Fe single atoms?", "systems_with_centre_metal", {"element": "Co, Fe", "metal": "Li"},
     ("forCentreMetal", "system"), [("Co", "CC@CN-SACo"), ("Co", "Co-N/O"), ("Co", "SACo/ADFS@HPSC"), ("Co", "sp2c-COF-Co"),
                                    ("Fe", "Fe_SA-N-C"), ("Fe", "SAFe/CVRCS@3DPC"), ("Fe", "SAFe@NC"), ("Fe", "SAFeNi@LNCP")]),
    ("Which potassium metal anodes used Zn or Fe single-atom catalysts?", "systems_with_centre_metal",
     {"element": "Zn, Fe", "metal": "K"}, ("system",), []),
])
def test_filters_compose_with_every_filter_applied(kb, question, template, bindings, columns, rows):
    found = answer(kb, question)
    assert (found.template.name, {k: found.labels.get(k) for k in bindings},
            [tuple(r[c] for c in columns) for r in found.rows]) == (template, bindings, rows)
