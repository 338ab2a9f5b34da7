"""The exports as independent tools read them: igraph and networkx (GraphML), biber and pybtex (BibTeX), rocrate-validator."""

import json
import math
import shutil
import subprocess
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from conftest import FIXTURES, ROOT, debian_tool

from kg.publish.export import SNAPSHOT, export

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
ID = "https://w3id.org/sackg/id/"
SAC = "https://w3id.org/sackg/ontology#"
VALIDATOR = ROOT / "build" / "tools" / "venv" / "bin" / "rocrate-validator"
CRATE_CONTEXT = "https://w3id.org/ro/crate/1.1/context"
EPOCH, DAY = "1732924800", "2024-11-30"  # SOURCE_DATE_EPOCH and its day (UTC)
# Puts the bundled copy of the RO-Crate 1.1 context (CC0) into a requests-cache store as the answer for its URL,
# so that `rocrate-validator validate --offline` finds it there: run by the validator's own Python
SEED_CACHE = """
import io, sys
import requests
from requests_cache import CachedSession
from urllib3 import HTTPResponse
cache, context, url = sys.argv[1:]
data, headers = open(context, "rb").read(), {"Content-Type": "application/ld+json"}
response = requests.Response()
response.status_code, response.reason, response.url, response.encoding = 200, "OK", url, "utf-8"
response._content = data
response.headers.update(headers)
response.raw = HTTPResponse(body=io.BytesIO(data), headers=headers, status=200, preload_content=False, request_url=url)
response.request = requests.Request("GET", url).prepare()
CachedSession(cache_name=cache, backend="sqlite", expire_after=-1).cache.save_response(response)
"""


def tool(path, fix: str):
    if not path.exists():
        pytest.fail(f"{path} is missing: {fix}", pytrace=False)
    return str(path)


def python_package(name: str, distribution: str):
    try:
        return __import__(name)
    except ImportError:
        pytest.fail(f"{distribution} is missing: run make test (it installs sackg[test])", pytrace=False)


@pytest.fixture(scope="module")
def graphml(kb, tmp_path_factory):
    path = tmp_path_factory.mktemp("graphml") / "sackg.graphml"
    export("graphml", str(path), kb=kb)
    return path


@pytest.fixture(scope="module")
def original(kb):
    from kg.field.graph import build_graph

    return build_graph(kb)


# ---------------------------------------------------------------- GraphML
def test_graphml_edge_ids_are_unique(graphml, original):
    ids = [edge.get("id") for edge in ET.parse(graphml).getroot().iter(f"{GRAPHML}edge")]
    assert len(ids) == len(set(ids)) == original.number_of_edges()
    assert f"{ID}challenges/3d-collectors-limits|concerns|{ID}element/Li" in ids  # once shared by 30 edge ids


def test_graphml_attributes_are_typed(graphml):
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in ET.parse(graphml).getroot().iter(f"{GRAPHML}key")}
    assert keys == {
        ("node", "doi"): "string", ("node", "facts"): "string", ("node", "kind"): "string", ("node", "label"): "string",
        ("edge", "relation"): "string", ("edge", "citation"): "string", ("edge", "doi"): "string",
        ("edge", "metal"): "string", ("edge", "conditions"): "string",
        ("edge", "claim"): "string", ("edge", "effect"): "string", ("edge", "evidence"): "string",
        ("edge", "inferred"): "boolean",
        ("edge", "measurement"): "string", ("edge", "value_text"): "string", ("edge", "comparator"): "string",
        ("edge", "value"): "double", ("edge", "unit"): "string",
        ("edge", "reported_value"): "double", ("edge", "reported_unit"): "string",
        ("edge", "current density (mA cm⁻²)"): "double", ("edge", "areal capacity (mA h cm⁻²)"): "double",
        ("edge", "duration (h)"): "double", ("edge", "temperature (°C)"): "double", ("edge", "C-rate (C)"): "double",
        ("edge", "cycles"): "double"}


def measurement_edges(graph):
    return {key: data for _s, _t, key, data in graph.edges(keys=True, data=True) if "measurement" in data}


def numbers(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("citation", "doi", "measurement", "metal", "relation", "conditions")}


def test_networkx_reads_the_values_as_floats_in_the_preferred_unit(graphml, original):
    back = nx.read_graphml(graphml, force_multigraph=True)
    measured = measurement_edges(back)
    assert len(measured) == len(measurement_edges(original))
    assert all(isinstance(d["reported_value"], float) for d in measured.values())
    assert all(isinstance(d["value"], float) and "unit" in d for d in measured.values() if "value" in d)
    # converted: 60 μA h cm⁻² is 0.06 in mA h cm⁻², the unit areal capacity is ranked in
    assert numbers(measured[f"{ID}measurement/ref-057/Zn-MXene/ArealCapacity"]) == {
        "value": 0.06, "unit": "mA h cm⁻²", "reported_value": 60.0, "reported_unit": "μA h cm⁻²", "comparator": "",
        "value_text": "60 μA h cm⁻²"}
    # another dimension (molar energy for an energy in eV): no value in the preferred unit, only as reported
    assert numbers(measured[f"{ID}measurement/ref-050/Li-DME-solvation-cluster/DesolvationEnergy"]) == {
        "reported_value": 36.84, "reported_unit": "kJ mol⁻¹", "comparator": "", "value_text": "36.84 kJ mol⁻¹"}
    # a bound keeps its comparator; numeric conditions are floats in their own preferred units
    assert numbers(measured[f"{ID}measurement/ref-069/Zn-SA-HCNT/CycleLife"]) == {
        "value": 900.0, "unit": "h", "reported_value": 900.0, "reported_unit": "h", "comparator": ">",
        "value_text": "> 900 h", "current density (mA cm⁻²)": 10.0}
    assert numbers(measured[f"{ID}measurement/ref-071/Zn-HC/CapacityRetention"]) == {
        "value": 85.0, "unit": "%", "reported_value": 85.0, "reported_unit": "%", "comparator": "",
        "value_text": "85 %", "cycles": 400.0, "temperature (°C)": -40.0}
    # a bounded condition (sulfur loading ≤ 5.4 mg cm⁻²) stays text only
    bounded = measured[f"{ID}measurement/ref-008/SACo-ADFS-HPSC/ArealCapacity"]
    assert bounded["conditions"] == "sulfur loading ≤ 5.4 mg cm⁻²" and not any(k.startswith("sulfur") for k in bounded)


def test_igraph_reads_the_graphml_with_numeric_attributes(graphml, original):
    igraph = python_package("igraph", "python-igraph")
    graph = igraph.Graph.Read_GraphML(str(graphml))
    assert (graph.vcount(), graph.ecount()) == (original.number_of_nodes(), original.number_of_edges())
    values = graph.es["value"]
    assert all(isinstance(v, float) for v in values)  # a double attribute; NaN where an edge has none
    with_value = [d for _s, _t, d in original.edges(data=True) if "value" in d]
    assert sum(not math.isnan(v) for v in values) == len(with_value)
    assert sorted(v for v in values if not math.isnan(v)) == sorted(d["value"] for d in with_value)
    # igraph keeps node ids (vertex attribute `id`) but not edge ids: find the edge by its ends
    system, quantity = graph.vs.find(id=f"{ID}system/SAFe-CVRCS-3DPC"), graph.vs.find(id=f"{SAC}CycleLife")
    edge = graph.es.find(_source=system.index, _target=quantity.index)
    assert (edge["value"], edge["unit"], edge["current density (mA cm⁻²)"], edge["value_text"]) == (1600.0, "h", 0.5, "1600 h")
    assert {type(v) for v in graph.es["inferred"]} == {bool}


# ---------------------------------------------------------------- BibTeX
@pytest.fixture(scope="module")
def bibtex(kb, tmp_path_factory):
    path = tmp_path_factory.mktemp("bibtex") / "references.bib"
    export("bibtex", str(path), kb=kb)
    return path


def test_biber_finds_no_datamodel_warning(bibtex, tmp_path):
    biber = debian_tool("/usr/bin/biber", "biber")
    shutil.copy(bibtex, tmp_path / "references.bib")
    result = subprocess.run([biber, "--tool", "--validate-datamodel", "references.bib"], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INFO - Datamodel validation complete" in result.stdout
    assert [line for line in result.stdout.splitlines() if "WARN" in line or "ERROR" in line] == []


def test_pybtex_formats_every_entry_with_unsrt(bibtex):
    python_package("pybtex", "pybtex")
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin

    data = parse_file(str(bibtex), bib_format="bibtex")
    style = find_plugin("pybtex.style.formatting", "unsrt")()
    formatted = {entry.key: entry.text.render_as("text") for entry in style.format_bibliography(data)}
    assert len(formatted) == len(data.entries) == 97
    assert formatted["ref-046"] == (
        "K. Jiang, S. Siahrostami, A. J. Akey, Y. Li, Z. Lu, J. Lattimer, Y. Hu, C. Stokes, M. Gangishetty, G. Chen, "
        "Y. Zhou, W. Hill, W.-B. Cai, D. Bell, K. Chan, J. K. Nørskov, Y. Cui, and H. Wang. [Title not recorded]. "
        "Chem, 3:950–960, 2017.")
    assert formatted["review"] == (
        "Huihua Li, Jian Wang, Jing Zhang, Lujie Jia, Hongxu Qu, Qinghua Guan, Huang Zhang, and Hongzhen Lin. "
        "[Title not recorded]. Green Chem., 26:10366, 2024. doi:10.1039/d4gc02590c.")


# ---------------------------------------------------------------- RO-Crate
@pytest.fixture(scope="module")
def crate_dir(tmp_path_factory):
    """`sackg export --format rocrate -o out/sackg.rocrate`, as the issue ran it."""
    from click.testing import CliRunner

    from kg.cli import commands as cli

    out = tmp_path_factory.mktemp("out")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = CliRunner().invoke(cli.main, ["export", "--format", "rocrate", "-o", str(out / "sackg.rocrate")])
    assert result.exit_code == 0, result.output
    return out / "sackg.rocrate", result.output


def test_rocrate_export_writes_the_files_it_describes(crate_dir):
    directory, output = crate_dir
    names = [name for name, _write in SNAPSHOT]
    assert [line.split(": ", 1)[0] for line in output.splitlines()] == [str(directory / n) for n in
                                                                         names + ["ro-crate-metadata.json"]]
    assert output.splitlines()[-1] == f"{directory / 'ro-crate-metadata.json'}: 10 files described"
    assert sorted(p.name for p in directory.iterdir()) == sorted(names + ["ro-crate-metadata.json"])
    crate = json.loads((directory / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    root = next(e for e in crate["@graph"] if e["@id"] == "./")
    assert root["hasPart"] == [{"@id": n} for n in names] and root["datePublished"] == DAY


def test_rocrate_output_may_name_the_metadata_file(runner, tmp_path, monkeypatch):
    """-o DIR/ro-crate-metadata.json writes the same crate into DIR (the files beside their metadata)."""
    from kg.cli import commands as cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = runner.invoke(cli.main, ["export", "--format", "rocrate", "-o", str(tmp_path / "ro-crate-metadata.json")])
    names = [name for name, _write in SNAPSHOT] + ["ro-crate-metadata.json"]
    assert result.exit_code == 0, result.output
    assert [line.split(": ", 1)[0] for line in result.output.splitlines()] == [str(tmp_path / n) for n in names]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def validate(directory, cache, tmp_path) -> dict:
    """rocrate-validator's JSON report on `directory`, offline, at the RECOMMENDED level (REQUIRED included)."""
    report = tmp_path / "report.json"
    result = subprocess.run([tool(VALIDATOR, "run make test (it installs rocrate-validator under build/tools)"),
                             "--no-interactive", "--disable-color", "validate", "--offline", "--cache-path", str(cache),
                             "--profile-identifier", "ro-crate-1.1", "--requirement-severity", "recommended",
                             "--no-paging", "--output-format", "json", "--output-file", str(report), str(directory)],
                            capture_output=True, text=True, check=False, cwd=tmp_path)
    assert report.exists(), result.stdout + result.stderr
    return json.loads(report.read_text(encoding="utf-8"))


def test_rocrate_validator_passes_offline_at_required_and_recommended(crate_dir, tmp_path):
    python = tool(VALIDATOR.parent / "python", "run make test (it installs rocrate-validator under build/tools)")
    cache = tmp_path / "http-cache"
    subprocess.run([python, "-c", SEED_CACHE, str(cache), str(FIXTURES / "ro-crate-1.1-context.jsonld"), CRATE_CONTEXT],
                   check=True)
    report = validate(crate_dir[0], cache, tmp_path)
    statistics = report["statistics"]
    assert (report["passed"], report["issues"], report["skipped_checks"]) == (True, [], 0)
    assert statistics["total_checks_by_severity"] == {"REQUIRED": 38, "RECOMMENDED": 24, "OPTIONAL": 0}
    assert (statistics["total_passed_checks"], statistics["total_failed_checks"]) == (62, 0)
    assert report["validation_settings"]["offline"] is True


def test_rocrate_validator_offline_without_the_context_fails_on_it(crate_dir, tmp_path):
    """What the offline run above would say without the seeded context: it never fetched it."""
    report = validate(crate_dir[0], tmp_path / "empty-cache", tmp_path)
    assert report["passed"] is False
    assert sorted({issue["check"]["identifier"] for issue in report["issues"]}) == ["ro-crate-1.1_3.1", "ro-crate-1.1_3.2"]


def test_rocrate_bad_output_is_one_line(runner, tmp_path, monkeypatch):
    from kg.cli import commands as cli

    def run(*args):
        result = runner.invoke(cli.main, ["export", "--format", "rocrate", *args])
        assert isinstance(result.exception, SystemExit), result.exception  # no traceback
        return result.exit_code, result.output

    assert run("-o", str(tmp_path / "nowhere" / "sackg.rocrate")) == (
        1, f"Error: {tmp_path / 'nowhere'}: output directory not found\n")
    (tmp_path / "taken").write_text("")
    assert run("-o", str(tmp_path / "taken")) == (1, f"Error: {tmp_path / 'taken'}: not a directory\n")
    assert run("-o", str(tmp_path / "nowhere" / "ro-crate-metadata.json")) == (
        1, f"Error: {tmp_path / 'nowhere'}: output directory not found\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "tomorrow")
    assert run("-o", str(tmp_path / "crate")) == (
        1, "Error: SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01, not 'tomorrow'\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]  # nothing half-written
