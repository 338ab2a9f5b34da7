"""Issue 13, session 8: the review's front matter (dates, corresponding authors, affiliations,
acknowledgements) as cited facts, answers beyond Li, Na and K, references by journal, the rest of one
experiment beside a "why" answer, questions that ask two things, low temperature, a value read as the
number a question gives, and what a question asks that no value states."""

from __future__ import annotations

import pytest

from kg.ask.answering import answer
from kg.cli.commands import main


def facts(result) -> list[str]:
    return [r["fact"] for r in result.rows]


# ---------------------------------------------------------------- front matter
def test_corresponding_authors_and_dates_are_one_cited_fact(kb):
    result = answer(kb, "who are the corresponding authors?")
    assert result.template.name == "closest_facts"
    assert facts(result)[0] == ("Huihua Li et al., Green Chem., 2024: received 28 May 2024 (2024-05-28); accepted "
                                "18 July 2024 (2024-07-18); first author Huihua Li; last author Hongzhen Lin; volume 26; "
                                "article number or pages 10366; DOI 10.1039/d4gc02590c. Corresponding authors: Hongzhen "
                                "Lin; Huang Zhang; Jian Wang.")
    assert result.rows[0]["reference"] == "Huihua Li et al., Green Chem., 2024"


def test_funders_and_grant_numbers(kb):
    result = answer(kb, "who funded the review work?")
    assert {r["kind"] for r in result.rows} == {"acknowledgement"}
    assert "National Key R&D Program of China: thanked in the acknowledgements of Huihua Li et al., Green Chem., " \
           "2024 for funding. Grant numbers: 2021YFA1201503." in facts(result)
    assert facts(answer(kb, "Jian Wang fellowship funding"))[0] == (
        "Alexander von Humboldt Foundation: thanked in the acknowledgements of Huihua Li et al., Green Chem., 2024 "
        "for funding a fellowship of Jian Wang.")


def test_affiliations_name_their_authors(kb):
    assert facts(answer(kb, "Huang Zhang affiliation"))[0] == (
        "School of Electrical and Electronic Engineering, Harbin University of Science and Technology, Harbin, China: "
        "an institution given as an affiliation on the first page of Huihua Li et al., Green Chem., 2024. "
        "Authors affiliated: Hongxu Qu; Huang Zhang; Huihua Li.")


def test_the_review_shows_its_corresponding_authors_by_name(kb):
    rows = answer(kb, "tell me about the review").rows
    assert sorted(r["detail"] for r in rows if r["aspect"] == "corresponding author") == [
        "Hongzhen Lin", "Huang Zhang", "Jian Wang"]
    assert [r["detail"] for r in rows if r["aspect"] in ("dateSubmitted", "dateAccepted")] == ["2024-07-18", "2024-05-28"]


@pytest.mark.parametrize("old,new,message", [
    ('corresponding_authors: ["Jian Wang", "Huang Zhang", "Hongzhen Lin"]',
     'corresponding_authors: ["Jian Wang", "J. Nobody"]',
     "data/review.yaml:21: reference 'review': field 'corresponding_authors': 'J. Nobody' is not one of the authors"),
    ("received: 2024-05-28", 'received: "late May"',
     "data/review.yaml:19: reference 'review': field 'received': 'late May' is not a date (expected YYYY-MM-DD)"),
    ("  affiliations:\n", "  affiliations: Harbin\n  unused:\n",
     "data/review.yaml:22: reference 'review': field 'affiliations': expected a list of mappings"),
    ('      grants: ["BK20210130"]', '      grant: ["BK20210130"]',
     "data/review.yaml:41: reference 'review': acknowledgement: field 'grant': unknown field; did you mean 'grants'?"),
    ('      authors: ["Jing Zhang"]', '      authors: ["Jing Zhang", "Li Zhang"]',
     "data/review.yaml:30: reference 'review': affiliation: field 'authors': 'Li Zhang' is not one of the authors"),
])
def test_bad_front_matter_is_a_one_line_error_and_changes_nothing(runner, data_copy, old, new, message):
    review = data_copy / "review.yaml"
    text = review.read_text()
    assert old in text
    review.write_text(text.replace(old, new, 1))
    before = {p: p.read_bytes() for p in data_copy.rglob("*.yaml")}
    result = runner.invoke(main, ["--data", str(data_copy), "validate"])
    assert result.exit_code == 1
    assert message in result.output.splitlines(), result.output
    assert {p: p.read_bytes() for p in data_copy.rglob("*.yaml")} == before


# ---------------------------------------------------------------- beyond Li, Na and K
def test_metal_anodes_the_knowledge_base_does_not_cover_are_none_reported(kb):
    result = answer(kb, "Mg or Ca metal anodes with SACs?")
    assert result.note.startswith("None reported: SAC-KG records single-atom catalysts for Li, Na and K metal anodes "
                                  "only; the review reports none for Mg, Ca metal anodes.")
    assert "Shift to post-lithium chemistries" in [r["about"] for r in result.rows]  # names magnesium/calcium
    rubidium = answer(kb, "does the review cover SACs for Rb or Cs metal anodes?")
    assert rubidium.rows == [] and "none for Rb, Cs metal anodes" in rubidium.note
    assert answer(kb, "SACs for Zn metal anodes").rows == []  # Zn centre metals are not Zn anodes
    assert answer(kb, "Na metal anodes with SACs").template.name == "systems_for_metal"


# ---------------------------------------------------------------- references by journal
def test_references_by_journal(kb):
    assert [r["number"] for r in answer(kb, "which reference was published in Toxicology?").rows] == [84]
    nano = answer(kb, "papers published in Nano Lett.")  # the last dot ends the question
    assert nano.template.name == "references" and [r["number"] for r in nano.rows] == [8, 13, 15, 34, 37, 70]


# ---------------------------------------------------------------- facts
def test_a_definition_also_shows_the_facts_that_write_the_name_so(kb):
    result = answer(kb, "what is SAC-in-Defects?")
    assert [r["term"] for r in result.rows][:2] == ["defect/vacancy-trapped", "SACo/ADFS@HPSC"]
    assert result.note.endswith("Also the recorded facts that write 'SAC-in-Defects'.")


def test_a_why_answer_shows_the_rest_of_the_experiment(kb):
    result = answer(kb, "why was SAZr@NG not the best choice despite its strongest Li0 binding?")
    assert result.template.name == "closest_facts"
    assert any(f.startswith("SAZr@NG: bond length change ~0.103 Å (Li)") for f in facts(result))


def test_why_is_answered_from_the_facts(kb):
    assert answer(kb, "why does Na+ solvation become a problem at low temperature?").template.name == "closest_facts"


@pytest.mark.parametrize("question,template,holds", [
    ("which Na study used in situ TEM and what did it see?", "closest_facts", "410"),
    ("Zn-HC low-temperature test: which temperature in degC and how many cycles?", "measurements_of_system", "-40 °C"),
    ("How many Na metal anode SAC systems does the review discuss, and what are they?", "count_systems", "Zn-HC"),
    ("Among Fe-containing single-atom Li hosts, which one lasted over 1000 h and at what current?", "threshold",
     "0.5 mA cm⁻²"),
])
def test_a_question_asking_two_things(kb, question, template, holds):
    result = answer(kb, question)
    assert result.template.name == template
    assert holds in str(result.rows)


# ---------------------------------------------------------------- conditions and values
def test_low_temperature_is_below_zero(kb):
    result = answer(kb, "is there any sodium SAC work at low temperature?")
    assert [(r["systemName"], r["display"]) for r in result.rows] == [("Zn-HC", "85 %")]
    assert result.note.startswith("Yes: 1 found. Only values tested at < 0 °C.")


def test_a_number_in_a_quantity_unit_is_read_from_the_values(kb):
    result = answer(kb, "which Li hosts in the review reached 1600 h in symmetric cells?")
    assert [(r["systemName"], r["cellName"]) for r in result.rows] == [
        ("SACo/ADFS@HPSC", None), ("SAFe/CVRCS@3DPC", "symmetric cell")]


def test_a_tie_for_first_place_names_both(kb):
    assert "Highest: SACo/ADFS@HPSC, 1600 h; SAFe/CVRCS@3DPC, 1600 h (current density 0.5 mA cm⁻²)." in \
        answer(kb, "longest Li symmetric cell lifespan").note


def test_a_condition_asked_for_and_not_stated_is_said_so(kb):
    result = answer(kb, "current density used for the 2500 h K cell")
    assert [r["display"] for r in result.rows] == ["> 2500 h"]
    assert "None reported for the current density: no value shown states it." in result.note


def test_the_extreme_of_a_test_condition(kb):
    result = answer(kb, "Which sodium host survived the highest current density in symmetric cells?")
    assert [(r["systemName"], r["display"], r["conditions"]) for r in result.rows] == [
        ("Zn_SA-HCNT", "> 900 h", "current density 10 mA cm⁻²")]
    assert result.note.startswith("Highest current density any value was tested at: 10 mA cm⁻² (Zn_SA-HCNT). "
                                  "Only rows with symmetric cell.")
    assert answer(kb, "lowest current density used for Li").note == (
        "Lowest current density any value was tested at: 0.5 mA cm⁻² (SAFe/CVRCS@3DPC).")


def test_a_sibling_quantity_of_a_named_system_is_said_to_be_one(kb):
    result = answer(kb, "plating overpotential of ZnSA-N-C")
    assert [r["display"] for r in result.rows] == ["0 mV"]
    assert result.note.startswith("None reported for the plating/stripping overpotential; the nucleation "
                                  "overpotential recorded instead.")


def test_a_role_narrows_values_through_their_system(kb):
    result = answer(kb, "How long did the cell with the Pt single-atom modified separator keep cycling?")
    assert {r["systemName"] for r in result.rows} == {"Pt SAs/In2S3/Ti3C2"}
    assert "roles" not in result.rows[0]


def test_a_yes_no_question_the_catch_all_form_reads_is_no_unless_a_fact_holds_it(kb):
    result = answer(kb, "Does the review give a cost per gram or price for making SACs?")
    assert result.rows == []
    assert result.note == "No: none reported as asked; no recorded fact holds 'cost', 'gram', 'price'."


def test_references_by_author_run_as_a_join(kb):
    assert [r["number"] for r in answer(kb, "which references by Innocenti are cited?").rows] == [77, 86]
