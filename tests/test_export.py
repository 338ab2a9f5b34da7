"""Exports: RDF that other parsers read and that comes back as the same graph, stable bytes, GraphML, CSV tables,
BibTeX, the RO-Crate of a snapshot, one-line errors and the digest of the source data."""

import csv
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from conftest import FIXTURES, ROOT, debian_tool
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from kg.model.errors import SackgError
from kg.model.resources import ontology_dir
from kg.publish.cells import UNTITLED, bibtex_entry, graphml_graph, scalar_graph
from kg.publish.export import FORMATS, export, export_all, source_digest
from kg.publish.rdf import GENID, blank_node_names, rdf_graph, skolemised
from kg.source.ingest import build, full_graph

RAPPER = "/usr/bin/rapper"
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
FILE_NAMES = {"turtle": "sackg.ttl", "ntriples": "sackg.nt", "jsonld": "sackg.jsonld", "rdfxml": "sackg.rdf",
              "graphml": "sackg.graphml", "csv": "tables", "bibtex": "references.bib"}
SNAPSHOT = ["sackg.ttl", "sackg.jsonld", "context.jsonld", "sackg.graphml", "systems.csv", "measurements.csv",
            "references.csv", "references.bib", "sackg-graph.html", "SOURCE-DIGEST"]
SAFE = "https://w3id.org/sackg/id/system/SAFe-CVRCS-3DPC"


@pytest.fixture(scope="module")
def expected():
    """The full graph with the exports' blank-node IRIs."""
    return rdf_graph()


@pytest.fixture(scope="module")
def exported(kb, tmp_path_factory):
    """Every single-file format (and the CSV directory) exported once: format -> (path, summary line)."""
    directory = tmp_path_factory.mktemp("exported")
    return {fmt: (directory / name, export(fmt, str(directory / name), kb=kb)) for fmt, name in FILE_NAMES.items()}


SNAPSHOT_EPOCH, SNAPSHOT_DAY = "1732924800", "2024-11-30"  # SOURCE_DATE_EPOCH and the day it falls on (UTC)


@pytest.fixture(scope="module")
def snapshot(kb, tmp_path_factory):
    directory = tmp_path_factory.mktemp("snapshot") / "export"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SNAPSHOT_EPOCH)
        return directory, export_all(str(directory), kb=kb)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# ---------------------------------------------------------------- RDF
@pytest.mark.parametrize("fmt,syntax", [("turtle", "turtle"), ("ntriples", "ntriples"), ("rdfxml", "rdfxml")])
def test_rapper_reads_the_rdf(exported, expected, fmt, syntax):
    path, summary = exported[fmt]
    result = subprocess.run([debian_tool(RAPPER, "raptor2-utils"), "-i", syntax, "-c", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert re.search(r"returned (\d+) triples", result.stderr).group(1) == str(len(expected))
    assert summary == f"{path}: {len(expected):,} triples"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize("fmt", list(RDFLIB_FORMATS))
def test_export_then_import_gives_the_same_graph(exported, expected, fmt):
    path, _ = exported[fmt]
    back = Graph().parse(path, format=RDFLIB_FORMATS[fmt])
    assert not any(isinstance(t, BNode) for triple in back for t in triple)
    assert isomorphic(back, expected), sorted(set(back) ^ set(expected))[:5]


def test_blank_nodes_get_stable_iris_that_change_nothing_else():
    source = full_graph(build(Path(ROOT / "data")))
    names = blank_node_names(source)
    blanks = {t for triple in source for t in triple if isinstance(t, BNode)}
    assert set(names) == blanks and len(blanks) > 800  # the author lists
    assert len(set(names.values())) == len(names) and all(str(n).startswith(GENID) for n in names.values())
    back = {v: k for k, v in names.items()}
    undone = {tuple(back.get(t, t) for t in triple) for triple in skolemised(source)}
    assert undone == set(source)  # skolemising is a one-to-one renaming of the blank nodes
    again = full_graph(build(Path(ROOT / "data")))  # new blank nodes, same names
    assert sorted(blank_node_names(again).values()) == sorted(names.values())


def test_jsonld_embeds_the_published_context(exported):
    document = json.loads(exported["jsonld"][0].read_text(encoding="utf-8"))
    published = json.loads((Path(ontology_dir()) / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == published["@context"]
    assert published["@context"]["sacid"] == "https://w3id.org/sackg/id/"
    nodes = {node["@id"]: node for node in document["@graph"]}
    system = nodes[SAFE]  # the readable names of the context are used
    assert (system["label"], system["centreMetal"], system["reportedIn"]) == (
        "SAFe/CVRCS@3DPC", "https://w3id.org/sackg/id/element/Fe", "https://w3id.org/sackg/id/reference/ref-050")
    assert nodes["https://w3id.org/sackg/id/reference/review"]["doi"] == "10.1039/d4gc02590c"


def test_every_export_is_the_same_bytes_in_another_process(exported, isolated_cache, tmp_path):
    """A second run, with another hash seed (set and dict order), writes exactly the same files."""
    formats = ["turtle", "ntriples", "jsonld", "rdfxml", "graphml", "csv", "bibtex"]
    script = "import sys\nfrom kg.publish.export import export\nfor fmt, out in zip(sys.argv[1::2], sys.argv[2::2]): export(fmt, out)"
    args = [a for fmt in formats for a in (fmt, str(tmp_path / FILE_NAMES[fmt]))]
    env = {**os.environ, "PYTHONHASHSEED": "4242", "SACKG_CACHE": str(isolated_cache), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, "-c", script, *args], check=True, cwd=tmp_path, env=env)
    for fmt in formats:
        first, second = exported[fmt][0], tmp_path / FILE_NAMES[fmt]
        pairs = [(first / n, second / n) for n in sorted(os.listdir(first))] if fmt == "csv" else [(first, second)]
        for a, b in pairs:
            assert a.read_bytes() == b.read_bytes(), f"{fmt}: {a.name} differs"


# ---------------------------------------------------------------- GraphML
def test_graphml_reads_back_with_the_same_graph(exported, kb):
    from kg.field.graph import build_graph

    path, summary = exported["graphml"]
    original = build_graph(kb)
    back = nx.read_graphml(path, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (original.number_of_nodes(), original.number_of_edges())
    assert summary == f"{path}: {original.number_of_nodes():,} nodes, {original.number_of_edges():,} edges"
    assert back.nodes[SAFE]["label"] == "SAFe/CVRCS@3DPC" and back.nodes[SAFE]["kind"] == "system"
    relations = {d["relation"] for _s, t, d in back.out_edges(SAFE, data=True)}
    assert "https://w3id.org/sackg/id/element/Fe" in back[SAFE] and "promotes" in relations
    # edge ids (the keys read back) are unique in the file: a link has its source in front, a fact keeps its IRI
    keys = [k for _s, _t, k in back.edges(keys=True)]
    assert len(set(keys)) == len(keys) == original.number_of_edges()
    assert f"{SAFE}|has centre metal|https://w3id.org/sackg/id/element/Fe" in back[SAFE]["https://w3id.org/sackg/id/element/Fe"]
    measurement = "https://w3id.org/sackg/id/measurement/ref-050/SAFe-CVRCS-3DPC/CycleLife"
    cycle_life = back[SAFE]["https://w3id.org/sackg/ontology#CycleLife"][measurement]
    assert {k: v for k, v in cycle_life.items() if k not in ("citation", "doi", "measurement")} == {
        "relation": "has value", "value": 1600.0, "unit": "h", "reported_value": 1600.0, "reported_unit": "h",
        "comparator": "", "value_text": "1600 h", "conditions": "current density 0.5 mA cm⁻²",
        "current density (mA cm⁻²)": 0.5, "metal": "Li"}


def test_graphml_attributes_are_scalars():
    graph = nx.MultiDiGraph()
    graph.add_node("b", label="B", tags=["x", "y"], gone=None)
    graph.add_node("a", label="A", kinds={"k2", "k1"}, n=3, ok=True)
    graph.add_edge("b", "a", key="k", relation="r", values=("1", "2"))
    flat = scalar_graph(graph)
    assert list(flat.nodes) == ["a", "b"]
    assert dict(flat.nodes["b"]) == {"label": "B", "tags": "x; y"}
    assert dict(flat.nodes["a"]) == {"kinds": "k1; k2", "label": "A", "n": 3, "ok": True}
    assert flat.edges["b", "a", "k"] == {"relation": "r", "values": "1; 2"}


def test_graphml_edge_ids_are_unique_in_the_document():
    graph = nx.MultiDiGraph()
    for node in ("s1", "s2", "m", "q"):
        graph.add_node(node, label=node)
    graph.add_edge("s1", "m", key="promotes|m", relation="promotes")  # the same link key from two sources
    graph.add_edge("s2", "m", key="promotes|m", relation="promotes")
    graph.add_edge("s1", "q", key="https://x/measurement/1", relation="has value", measurement="q of s1: 1 h", value=1.0)
    ids = [key for _s, _t, key in graphml_graph(graph).edges(keys=True)]
    assert ids == ["s1|promotes|m", "https://x/measurement/1", "s2|promotes|m"]


# ---------------------------------------------------------------- CSV
def test_csv_headers_and_known_rows(exported):
    directory, summary = exported["csv"]
    systems, measurements, references = (read_csv(directory / n) for n in
                                         ("systems.csv", "measurements.csv", "references.csv"))
    assert sorted(os.listdir(directory)) == ["measurements.csv", "references.csv", "systems.csv"]
    assert summary == (f"{directory}: {len(systems) - 1} systems, {len(measurements) - 1} measurements, "
                       f"{len(references) - 1} references")
    assert systems[0] == ["system", "centre metals", "support", "support kinds", "coordination", "alkali metals", "roles",
                          "synthesis", "techniques", "reference", "DOI", "section", "figures"]
    assert ["SAFe/CVRCS@3DPC", "Fe", "cation vacancy-rich Co1-xS embedded in 3D porous carbon",
            "metal sulfide with vacancies; porous carbon", "defect/vacancy-trapped", "Li", "protective layer", "",
            "SEM; TOF-SIMS; galvanostatic cycling; in situ SFG; theoretical calculation", "ref-050", "", "3.1",
            "3A; 3B; 3C; 3D; 3E"] in systems
    assert ["Zn-HC", "Zn", "hard carbon", "hard carbon", "unspecified", "Na", "", "",
            "DFT calculation; XPS (inferred)"] == next(r for r in systems if r[0] == "Zn-HC")[:9]
    assert measurements[0] == ["system or material", "quantity", "value", "unit", "comparator", "conditions", "cell",
                               "baseline", "origin", "metal", "reference", "DOI", "section", "figures"]
    assert ["SAFe/CVRCS@3DPC", "nucleation overpotential", "29", "mV", "", "", "", "", "measured", "Li", "ref-050", "",
            "3.1", "3E"] in measurements
    assert ["SAFe/CVRCS@3DPC", "cycle life", "1600", "h", "", "current density 0.5 mA cm⁻²", "symmetric cell", "",
            "measured", "Li", "ref-050", "", "3.1", "3E"] in measurements
    assert references[0] == ["id", "review number", "authors", "title", "journal", "year", "volume", "issue", "pages",
                             "DOI", "cited in sections", "figures"]
    review_authors = "Huihua Li; Jian Wang; Jing Zhang; Lujie Jia; Hongxu Qu; Qinghua Guan; Huang Zhang; Hongzhen Lin"
    assert references[1][:3] == ["review", "", review_authors]
    authors = ("J. Wang; J. Zhang; J. Wu; M. Huang; L. Jia; L. Li; Y. Zhang; H. Hu; F. Liu; Q. Guan; M. Liu; "
               "H. Adenusi; H. Lin; S. Passerini")
    assert ["ref-050", "50", authors, "", "Adv. Mater.", "2023", "35", "", "e2302828", "", "2; 3.1", "3"] in references
    assert [r[0] for r in references[2:5]] == ["ref-001", "ref-002", "ref-003"]  # in the review's order


def test_csv_of_the_fixture_in_full(isolated_cache, tmp_path):
    summary = export("csv", str(tmp_path / "tables"), source=str(FIXTURES / "mini"))
    assert summary == f"{tmp_path / 'tables'}: 3 systems, 6 measurements, 4 references"
    assert (tmp_path / "tables" / "systems.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "TestCo@HC,Co,hard carbon,hard carbon,unspecified,K,anode host,,,p-co,,4,",
        "TestFe@G,Fe,N-doped graphene,N-doped graphene,M-N-C,Li,computational model,,,p-fe,,3,",
        ("TestZn@NC,Zn,N-doped carbon sheet,N-doped carbon,M-N-C,Na,anode host,high-temperature pyrolysis,in situ TEM,"
         "p-zn,10.1234/zn.1,4,2A")]
    measurements = read_csv(tmp_path / "tables" / "measurements.csv")[1:]
    assert [m[:9] for m in measurements] == [  # the baseline is a column, not a row of its own
        ["TestCo@HC", "cycle life", "1200", "h", "", "current density 2 mA cm⁻²", "symmetric cell", "bare Cu foil: no value given",
         "measured"],
        ["TestCo@HC", "nucleation overpotential", "2", "mV", "", "", "", "", "measured"],
        ["TestFe@G", "binding energy", "-2.5", "eV", "", "", "", "", "computed (DFT calculation)"],
        ["TestZn@NC", "binding energy", "-1.5", "eV", "", "", "", "", "computed (DFT calculation)"],
        ["TestZn@NC", "cycle life", "800", "h", ">", "", "symmetric cell", "", "measured"],
        ["TestZn@NC", "nucleation overpotential", "5", "mV", "", "current density 1 mA cm⁻²", "", "bare Cu foil: 20 mV",
         "measured"]]
    references = read_csv(tmp_path / "tables" / "references.csv")[1:]
    assert [r[:3] for r in references] == [["review", "", "R. Viewer"], ["p-zn", "1", "A. Zed; B. Wye"],
                                           ["p-co", "2", "C. See"], ["p-fe", "3", "D. Dee; E. Eee; F. Eff"]]


# ---------------------------------------------------------------- BibTeX
def test_bibtex_parses_and_round_trips(exported):
    import bibtexparser

    path, summary = exported["bibtex"]
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    papers = sorted((ROOT / "data" / "papers").glob("*.yaml"))
    assert library.failed_blocks == []
    assert len(library.entries) == len(papers) + 1 == 97  # every reference and the review
    assert summary == f"{path}: 97 entries"
    entries = library.entries_dict
    fields = {f.key: f.value for f in entries["ref-046"].fields}
    assert entries["ref-046"].entry_type == "article"
    assert fields == {"author": "K. Jiang and S. Siahrostami and A. J. Akey and Y. Li and Z. Lu and J. Lattimer and "
                                "Y. Hu and C. Stokes and M. Gangishetty and G. Chen and Y. Zhou and W. Hill and "
                                "W.-B. Cai and D. Bell and K. Chan and J. K. Nørskov and Y. Cui and H. Wang",
                      "title": "{[Title not recorded]}",  # the review's reference list gives no titles
                      "journal": "Chem", "year": "2017", "volume": "3", "pages": "950--960"}
    assert {e.entry_type for e in library.entries} == {"article"}
    assert sum({f.key: f.value for f in e.fields}["title"] == "{[Title not recorded]}" for e in library.entries) == 97
    assert {f.key: f.value for f in entries["ref-017"].fields}["doi"] == "10.1002/cssc.202301242"
    review = {f.key: f.value for f in entries["review"].fields}
    assert (review["journal"], review["year"], review["doi"]) == ("Green Chem.", "2024", "10.1039/d4gc02590c")


def test_bibtex_escapes_and_protects():
    import bibtexparser

    ref = {"id": "x-1", "authors": ["A. B{a}d", "C. D_e"], "title": "Li & Na at 50% {SACs} #1", "journal": "J. $",
           "year": "2024", "volume": "", "issue": "2", "pages": "1 - 5", "doi": "10.1/a_b"}
    text = bibtex_entry(ref)
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [] and len(library.entries) == 1
    fields = {f.key: f.value for f in library.entries[0].fields}
    assert fields == {"author": r"A. B\textbraceleft{}a\textbraceright{}d and C. D\_e",
                      "title": r"{Li \& Na at 50\% \textbraceleft{}SACs\textbraceright{} \#1}",
                      "journal": r"J. \$", "year": "2024", "number": "2", "pages": "1--5", "doi": "10.1/a_b"}
    untitled = bibtexparser.parse_string(bibtex_entry({**ref, "title": ""})).entries[0]
    assert {f.key: f.value for f in untitled.fields}["title"] == "{" + UNTITLED + "}" == "{[Title not recorded]}"


# ---------------------------------------------------------------- snapshot and RO-Crate
def test_snapshot_writes_every_file_with_its_summary(snapshot, expected):
    directory, lines = snapshot
    assert sorted(os.listdir(directory)) == sorted(SNAPSHOT + ["ro-crate-metadata.json"])
    assert [line.split(": ", 1)[0] for line in lines] == [str(directory / n) for n in SNAPSHOT + ["ro-crate-metadata.json"]]
    assert lines[0] == f"{directory / 'sackg.ttl'}: {len(expected):,} triples"
    assert lines[-1] == f"{directory / 'ro-crate-metadata.json'}: 10 files described"
    assert (directory / "SOURCE-DIGEST").read_text() == source_digest() + "\n"
    assert (directory / "context.jsonld").read_bytes() == (Path(ontology_dir()) / "context.jsonld").read_bytes()


def test_ro_crate_describes_the_snapshot(snapshot):
    directory, _ = snapshot
    crate = json.loads((directory / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    assert crate["@context"] == "https://w3id.org/ro/crate/1.1/context"
    entities = {e["@id"]: e for e in crate["@graph"]}
    descriptor = entities["ro-crate-metadata.json"]
    assert descriptor["conformsTo"] == {"@id": "https://w3id.org/ro/crate/1.1"} and descriptor["about"] == {"@id": "./"}
    root = entities["./"]
    assert root["@type"] == "Dataset" and root["name"]
    assert root["description"].endswith("datePublished is the day this snapshot was written, not a date of the review.")
    assert root["datePublished"] == SNAPSHOT_DAY and root["license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    review = "https://doi.org/10.1039/d4gc02590c"
    assert root["citation"] == root["isBasedOn"] == {"@id": review}
    # the crate's author and publisher are the project that curated it; the review's authors are on the review
    curators = "https://w3id.org/sackg/"
    assert root["author"] == root["publisher"] == {"@id": curators}
    assert {k: v for k, v in entities[curators].items() if k != "description"} == {
        "@id": curators, "@type": "Organization", "name": "SAC-KG", "url": curators}
    assert entities[review] == {
        "@id": review, "@type": "ScholarlyArticle", "name": "Huihua Li et al., Green Chem., 2024, 26, 10366",
        "datePublished": "2024", "identifier": review, "isPartOf": {"@id": "#review-journal"},
        "author": ["Huihua Li", "Jian Wang", "Jing Zhang", "Lujie Jia", "Hongxu Qu", "Qinghua Guan", "Huang Zhang",
                   "Hongzhen Lin"]}
    assert entities["#review-journal"] == {"@id": "#review-journal", "@type": "Periodical", "name": "Green Chem."}
    parts = [p["@id"] for p in root["hasPart"]]
    assert parts == SNAPSHOT
    for part in parts:
        assert (directory / part).is_file()
        assert entities[part]["@type"] == "File" and entities[part]["encodingFormat"]
        assert entities[part]["contentSize"] == str((directory / part).stat().st_size)
    assert entities["sackg.ttl"]["encodingFormat"] == "text/turtle"


def test_ro_crate_is_a_directory_of_the_files_it_describes(kb, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SNAPSHOT_EPOCH)
    crate_dir = tmp_path / "sackg.rocrate"
    summary = export("rocrate", str(crate_dir), kb=kb)
    twin = export_all(str(tmp_path / "twin"), kb=kb)
    assert summary.splitlines() == [line.replace(str(tmp_path / "twin"), str(crate_dir)) for line in twin]
    assert summary.splitlines()[-1] == f"{crate_dir / 'ro-crate-metadata.json'}: 10 files described"
    assert sorted(os.listdir(crate_dir)) == sorted(SNAPSHOT + ["ro-crate-metadata.json"])
    for name in SNAPSHOT + ["ro-crate-metadata.json"]:  # the same crate as `export --all`, byte for byte
        assert (crate_dir / name).read_bytes() == (tmp_path / "twin" / name).read_bytes(), name


def test_html_is_the_interactive_graph(kb, tmp_path):
    from kg.field.graph import build_graph

    out = tmp_path / "graph.html"
    assert export("html", str(out), kb=kb) == f"{out}: {build_graph(kb).number_of_nodes()} entities"
    assert "SAFe/CVRCS@3DPC" in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------- bad input
def test_bad_input_is_one_line(kb, tmp_path):
    with pytest.raises(SackgError) as caught:
        export("ttl", str(tmp_path / "x.ttl"), kb=kb)
    assert str(caught.value) == f"unknown export format 'ttl'; expected {', '.join(FORMATS)}"
    with pytest.raises(SackgError) as caught:
        export("turtle", str(tmp_path / "nowhere" / "x.ttl"), kb=kb)
    assert str(caught.value) == f"{tmp_path / 'nowhere'}: output directory not found"
    with pytest.raises(SackgError) as caught:
        export_all(str(tmp_path / "nowhere" / "export"), kb=kb)
    assert str(caught.value) == f"{tmp_path / 'nowhere'}: output directory not found"
    with pytest.raises(SackgError) as caught:
        export("bibtex", str(tmp_path), kb=kb)
    assert str(caught.value) == f"{tmp_path}: is a directory; expected a file name"
    (tmp_path / "file").write_text("")
    with pytest.raises(SackgError) as caught:
        export("csv", str(tmp_path / "file"), kb=kb)
    assert str(caught.value) == f"{tmp_path / 'file'}: not a directory"
    with pytest.raises(SackgError) as caught:
        export("rocrate", str(tmp_path / "nowhere" / "ro-crate-metadata.json"), kb=kb)
    assert str(caught.value) == f"{tmp_path / 'nowhere'}: output directory not found"
    with pytest.raises(SackgError) as caught:
        export("rocrate", str(tmp_path / "file"), kb=kb)
    assert str(caught.value) == f"{tmp_path / 'file'}: not a directory"
    with pytest.raises(SackgError) as caught:
        export("turtle", str(tmp_path / "x.ttl"), source=str(tmp_path / "no-data"))
    assert str(caught.value) == f"{tmp_path / 'no-data'}: data directory not found"
    assert sorted(os.listdir(tmp_path)) == ["file"]  # nothing half-written


# ---------------------------------------------------------------- source digest
def test_source_digest_follows_the_bytes_of_the_data(data_copy, tmp_path):
    twin = tmp_path / "twin"
    shutil.copytree(data_copy, twin)
    digest = source_digest(str(data_copy))
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert source_digest(str(twin)) == digest == source_digest()
    paper = data_copy / "papers" / "ref-050.yaml"
    text = paper.read_bytes()
    paper.write_bytes(text.replace(b'value: "29 mV"', b'value: "28 mV"', 1))
    assert paper.read_bytes() != text
    assert source_digest(str(data_copy)) != digest
    paper.write_bytes(text)
    assert source_digest(str(data_copy)) == digest


def test_published_snapshots_are_current(tmp_path, monkeypatch):
    """export/ is exactly what `sackg export --all export/` makes from today's data and code."""
    from conftest import ROOT

    from kg.publish.export import DIGEST, export_all, source_digest

    published = ROOT / "export"
    assert (published / DIGEST).read_text().split()[0] == source_digest(), \
        "export/ is older than the data: run `sackg export --all export/`"
    fresh = tmp_path / "export"
    fresh.mkdir()
    # the crate's datePublished is the day it was written: rebuild as of the published day
    crate = json.loads((published / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    day = next(e for e in crate["@graph"] if e["@id"] == "./")["datePublished"]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        epoch = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.timezone.utc).timestamp()
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
    export_all(str(fresh))
    assert sorted(p.name for p in published.iterdir()) == sorted(p.name for p in fresh.iterdir())
    stale = [p.name for p in fresh.iterdir() if p.read_bytes() != (published / p.name).read_bytes()]
    assert not stale, f"export/ is out of date ({', '.join(sorted(stale))}): run `sackg export --all export/`"


def test_export_command(runner, tmp_path):
    from kg.cli import commands as cli
    from kg.publish import export

    offered = next(p for p in cli.main.commands["export"].params if p.name == "fmt").type.choices
    assert tuple(offered) == export.FORMATS  # one list, kg.publish.formats
    target = tmp_path / "refs.bib"
    result = runner.invoke(cli.main, ["export", "--format", "bibtex", "-o", str(target)])
    assert (result.exit_code, result.output) == (0, f"{target}: 97 entries\n")
    result = runner.invoke(cli.main, ["export", "--all", str(tmp_path), "-o", str(target)])
    assert (result.exit_code, result.output) == (
        2, "Error: --all DIR writes every format; leave out --format and -o (see 'sackg export --help')\n")
    result = runner.invoke(cli.main, ["export", "--format", "turtle"])
    assert (result.exit_code, result.output) == (
        2, "Error: give --format FMT and -o FILE, or --all DIR (see 'sackg export --help')\n")
    result = runner.invoke(cli.main, ["export", "--format", "csv", "-o", str(target)])
    assert (result.exit_code, result.output) == (1, f"Error: {target}: not a directory\n")
