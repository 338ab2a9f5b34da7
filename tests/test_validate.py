"""SHACL validation: the bundled data conforms; each broken record gets its one-line message."""

import pytest
from conftest import FIXTURES

from kg.cli.commands import main

SHACL = FIXTURES / "shacl"


def fixture_file(tmp_path, name):
    path = tmp_path / f"{name}.ttl"
    path.write_text((SHACL / "_base.ttl").read_text() + (SHACL / f"{name}.ttl").read_text())
    return path


def test_bundled_data_conforms(runner):
    result = runner.invoke(main, ["validate"])
    assert (result.exit_code, result.output) == (0, "conforms\n")


def test_a_valid_turtle_file_conforms(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(fixture_file(tmp_path, "valid"))])
    assert (result.exit_code, result.output) == (0, "conforms\n")


M1 = "measurement <https://w3id.org/sackg/id/measurement/m1>"


@pytest.mark.parametrize("name,expected", [
    ("no-value", [f"graph: {M1} ('no value'): field 'value': must have exactly one decimal value"]),
    ("two-values", [f"graph: {M1}: field 'value': must have exactly one decimal value"]),
    ("wrong-unit", [f"graph: {M1}: field 'value': unit milliampere hour per gram does not fit "
                    "nucleation overpotential: it measures SpecificElectricCharge (given: 15 mA h g⁻¹)"]),
    ("claim-without-source", ["graph: claim <https://w3id.org/sackg/id/claim/c1>: field 'sources': "
                              "must name the reference it comes from"]),
    ("claim-with-unknown-mechanism", ["graph: claim <https://w3id.org/sackg/id/claim/c1>: field 'mechanism': "
                                      "must name exactly one mechanism"]),
    ("reference-without-authors-journal-year", [
        "graph: academicarticle <https://w3id.org/sackg/id/reference/bare> ('bare reference'): field 'authors': must list its authors",
        "graph: academicarticle <https://w3id.org/sackg/id/reference/bare> ('bare reference'): field 'journal': must name its journal",
        "graph: academicarticle <https://w3id.org/sackg/id/reference/bare> ('bare reference'): field 'year': must have its year",
    ]),
    ("bad-doi", ["graph: academicarticle <https://w3id.org/sackg/id/reference/test-ref> ('A. Author, Test J., 2025'): "
                 "field 'doi': DOI must look like 10.NNNN/suffix"]),
])
def test_broken_turtle_is_reported_one_line_per_problem(runner, tmp_path, name, expected):
    result = runner.invoke(main, ["validate", str(fixture_file(tmp_path, name))])
    assert result.exit_code == 1
    assert result.output.splitlines() == expected


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("file,old,new,expected", [
    ("papers/ref-070.yaml", "value: 0 mV", "value: 0 mA h g-1",
     "data/papers/ref-070.yaml:{line}: measurement 'ZnSA-N-C nucleation overpotential': field 'value': "
     "unit milliampere hour per gram does not fit nucleation overpotential: it measures SpecificElectricCharge "
     "(given: 0 mA h g⁻¹)"),
])
def test_broken_yaml_record_is_reported_with_file_and_line(runner, data_copy, file, old, new, expected):
    """The line given is the bad field's own line, not its record's."""
    path = data_copy / file
    line = path.read_text().split(old)[0].count("\n") + 1
    _edit(path, old, new)
    result = runner.invoke(main, ["--data", str(data_copy), "validate"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [expected.format(line=line)]


def test_sparql_constraints_run_once_report_what_pyshacl_reports_per_node():
    """kg.source.whole_graph runs the shapes' SPARQL constraints once over the graph; on a graph with units
    of the wrong dimension it gives exactly the violations pySHACL gives running them once per focus node."""
    from pathlib import Path

    from pyshacl import validate as pyshacl_validate
    from rdflib import RDF, SH

    from kg.model.namespaces import SAC
    from kg.source import validate
    from kg.source.ingest import build, full_graph

    built = build(Path(FIXTURES).parent.parent / "data")
    graph = full_graph(built)
    units = sorted(set(graph.objects(None, SAC.unit)))
    broken = sorted(graph.subjects(RDF.type, SAC.Measurement))[:40:7] + sorted(graph.subjects(RDF.type, SAC.TestCondition))[:30:5]
    for i, node in enumerate(broken):
        graph.set((node, SAC.unit, units[i % len(units)]))
    found = validate.check(graph, built.locations)
    _conforms, report, _ = pyshacl_validate(graph, shacl_graph=validate.shapes_graph(), inference="none", advanced=True,
                                            allow_warnings=True)
    expected = {validate._violation(graph, built.locations, report.value(r, SH.focusNode), report.value(r, SH.resultPath),
                                    str(report.value(r, SH.resultMessage)))
                for r in report.subjects(RDF.type, SH.ValidationResult)}
    assert len(found) == 11 and set(found) == expected
    assert "data/papers/ref-034.yaml:107: measurement 'SAFeNi@LNCP cycle life': field 'value': unit degree does not fit " \
           "cycle life: it measures PlaneAngle (given: 900 °)" in map(str, found)
