"""The command line: exact output and exit codes."""

import json

import pytest

from kg.cli.commands import main


def test_show_json_gives_every_value_with_unit_conditions_and_citation(runner):
    result = runner.invoke(main, ["show", "Zn_SA-N-C", "--format", "json"])
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert out["entity"]["label"] == "ZnSA-N-C"
    assert out["entity"]["class"] == "SAC system"
    rows = {(m["quantity"], m["value"], m["unit"], m["conditions"], m["baseline"], m["reference"])
            for m in out["measurements"]}
    assert rows == {
        ("binding energy", 0.34, "eV", "", "unmodified electrode: 0.09 eV", "T. Yang et al., Nano Lett., 2019 [ref. 70]"),
        ("cycle life", 1000, "h", "current density 0.5 mA cm⁻²", "", "T. Yang et al., Nano Lett., 2019 [ref. 70]"),
        ("nucleation overpotential", 0, "mV", "", "bare Cu foil: 32 mV; carbon cloth: 9 mV",
         "T. Yang et al., Nano Lett., 2019 [ref. 70]"),
    }
    assert {(c["mechanism"], c["metal"], c["effect"]) for c in out["claims"]} == {
        ("nucleation", "Na", "lowers barrier"), ("lateral atom diffusion", "Na", "promotes")}


def test_show_table_starts_with_the_entity_and_lists_measurements(runner):
    result = runner.invoke(main, ["show", "SA-Co@HC"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:2] == ["SA-Co@HC (SAC system)", "https://w3id.org/sackg/id/system/SA-Co-HC"]
    at = lines.index("Measurements")  # too wide for 100 columns: split in two, the rows numbered
    assert lines[at + 1:at + 10] == [
        "#  material  quantity            value     origin              metal  conditions  cell",
        "-  --------  ------------------  --------  ------------------  -----  ----------  ------------------",
        "1  SA-Co@HC  binding energy      -1.16 eV  computed            K                  computational",
        "                                           (theoretical                           model",
        "                                           calculation)",
        "2  SA-Co@HC  cycle life          > 2500 h  measured            K",
        "3  SA-Co@HC  nucleation          3 mV      measured            K",
        "             overpotential",
        ""]
    assert lines[at + 10] == "#  material  baseline                          baseline of  reference                         review"


def test_stats_counts_by_class(runner):
    result = runner.invoke(main, ["stats", "--format", "json"])
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert (out["columns"], out["note"]) == (["class", "count"], "")
    counts = {row["class"]: row["count"] for row in out["rows"]}
    assert counts["references"] == 97  # the 96 cited references and the review itself
    assert counts["SAC systems"] == 24
    assert counts["mechanisms"] == 6
    assert counts["prospects"] == 5
    assert (counts["claims"], counts["findings"], counts["groups of systems"]) == (35, 16, 2)


def test_stats_csv(runner):
    result = runner.invoke(main, ["stats", "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.splitlines()[:4] == ["class,count", "SAC systems,24", "groups of systems,2", "control materials,22"]


def test_bad_format_is_rejected(runner):
    result = runner.invoke(main, ["show", "ZnSA-N-C", "--format", "xml"])
    assert (result.exit_code, result.output) == (
        2, "Error: Invalid value for '--format': 'xml' is not one of 'table', 'json'. (see 'sackg show --help')\n")


def test_show_lists_a_references_authors_in_the_papers_order(runner):
    order = ["T. Yang", "T. Qian", "Y. Sun", "J. Zhong", "F. Rosei", "C. Yan"]
    text = runner.invoke(main, ["show", "ref. 70"])
    assert text.exit_code == 0
    assert [line.split(None, 1)[1] for line in text.output.splitlines() if line.startswith("author ")] == order
    as_json = json.loads(runner.invoke(main, ["show", "ref. 70", "--format", "json"]).output)
    assert as_json["entity"]["authors"] == order
    assert [f["value"] for f in as_json["facts"] if f["property"] == "author"] == order


ENVELOPED = [
    (["stats"], []),
    (["questions"], []),
    (["analyze", "rank", "cycle life"], []),
    (["analyze", "central", "--top", "2"], []),
    (["analyze", "path", "ZnSA-N-C", "Na"], []),
    (["analyze", "cocitation", "--top", "3"], []),
    (["ask", "which mechanisms are supported for Na?"], ["question", "template", "bindings", "sparql"]),
    (["query", "--sparql", "SELECT ?s WHERE { ?s a <https://w3id.org/sackg/ontology#Mechanism> } LIMIT 2"],
     ["question", "template", "bindings", "sparql"]),
]


@pytest.mark.parametrize("command, asked", ENVELOPED, ids=[" ".join(c[:2]) for c, _ in ENVELOPED])
def test_every_tabular_command_prints_one_json_envelope(runner, command, asked):
    """What was asked (for ask and query), then columns, rows and note; CSV has the same columns."""
    result = runner.invoke(main, [*command, "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert list(out)[:len(asked) + 3] == [*asked, "columns", "rows", "note"]
    assert out["rows"] and all(list(row) == out["columns"] for row in out["rows"])
    as_csv = runner.invoke(main, [*command, "--format", "csv"])
    assert as_csv.exit_code == 0 and as_csv.output.splitlines()[0] == ",".join(out["columns"])


@pytest.mark.parametrize("workers", ["abc", "0", "-1", "1000"])
def test_a_bad_worker_count_is_one_line_and_builds_nothing(runner, tmp_path, monkeypatch, workers):
    from conftest import FIXTURES

    monkeypatch.setenv("SACKG_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("SACKG_WORKERS", workers)
    result = runner.invoke(main, ["--data", str(FIXTURES / "mini"), "stats"])
    assert (result.exit_code, result.output) == (
        1, f"Error: SACKG_WORKERS={workers!r}: expected a whole number of threads from 1 to 256\n")
    assert [p.name for p in (tmp_path / "cache").iterdir() if not p.name.endswith(".lock")] == []


def test_one_worker_builds_the_same_answers_as_two(tmp_path, monkeypatch):
    import filecmp

    from conftest import FIXTURES

    from kg.engine.build import build_store, signature

    source = str(FIXTURES / "mini")
    for workers in ("1", "2"):
        monkeypatch.setenv("SACKG_WORKERS", workers)
        build_store(source, str(tmp_path / workers), signature(source))
    answers = [tmp_path / w / "answers" for w in ("1", "2")]
    names = sorted(p.name for p in answers[0].iterdir())
    assert names and names == sorted(p.name for p in answers[1].iterdir())
    assert filecmp.cmpfiles(*answers, names, shallow=False)[0] == names
