"""The full export checked by independent tools: owlready2 and HermiT (OWL)."""

import time

import pytest
from conftest import debian_tool
from rdflib import OWL, RDF, RDFS, Graph, Literal

from kg.model.namespaces import QUDT, SAC_IRI
from kg.publish.export import export

JAVA = "/usr/bin/java"
FILES = {"ntriples": "sackg.nt"}
HERMIT_SECONDS = 60


def fits_range(value, range_) -> bool:
    """Whether `value` is a literal of datatype `range_` (xsd:integer values are xsd:decimal values in OWL 2)."""
    from rdflib import XSD  # here: pytest warns about rdflib's XSD namespace at module level

    checks = {XSD.string: lambda v: v.datatype in (None, XSD.string) and v.language is None,
              RDF.langString: lambda v: v.language is not None,
              XSD.decimal: lambda v: v.datatype in (XSD.decimal, XSD.integer),
              XSD.integer: lambda v: v.datatype == XSD.integer,
              XSD.boolean: lambda v: v.datatype == XSD.boolean}
    assert range_ in checks, f"range {range_} cannot be checked here"
    return isinstance(value, Literal) and checks[range_](value)


@pytest.fixture(scope="module")
def exported(kb, tmp_path_factory):
    directory = tmp_path_factory.mktemp("standards")
    for fmt, name in FILES.items():
        export(fmt, str(directory / name), kb=kb)
    return {fmt: directory / name for fmt, name in FILES.items()}


@pytest.fixture(scope="module")
def full(exported):
    """The full export as rdflib reads it."""
    graph = Graph().parse(exported["ntriples"], format="nt")
    graph.bind("sac", SAC_IRI)
    graph.bind("qudt", QUDT)
    return graph


# ---------------------------------------------------------------- OWL
def test_every_datatype_property_value_fits_its_range(full):
    misfits = []
    for prop in sorted(full.subjects(RDF.type, OWL.DatatypeProperty)):
        for range_ in full.objects(prop, RDFS.range):
            values = list(full.objects(None, prop))
            bad = [v for v in values if not fits_range(v, range_)]
            if bad:
                misfits.append(f"{full.qname(prop)} ({full.qname(range_)}): {len(bad)} of {len(values)}, "
                               f"such as {bad[0].n3()}")
    assert misfits == []


def test_owlready2_loads_the_export_offline_and_hermit_finds_it_consistent(exported, full, tmp_path, monkeypatch):
    import owlready2
    from owlready2 import namespace

    assert list(full.objects(None, OWL.imports)) == []  # nothing for owlready2 to fetch
    fetched = []

    def refuse(url, *args, **kwargs):
        fetched.append(getattr(url, "full_url", url))
        raise OSError("no network in tests")

    monkeypatch.setattr(namespace.urllib.request, "urlopen", refuse)
    monkeypatch.setattr(namespace, "onto_path", [str(tmp_path)])  # no local copies of other ontologies either
    monkeypatch.setattr(owlready2, "JAVA_EXE", debian_tool(JAVA, "default-jre-headless"))
    world = owlready2.World()
    try:
        onto = world.get_ontology(exported["ntriples"].as_uri()).load(only_local=True, format="ntriples")
    except owlready2.OwlReadyOntologyParsingError as exc:
        pytest.fail(f"owlready2 cannot load the export offline: {exc}", pytrace=False)
    assert (fetched, onto.imported_ontologies) == ([], [])
    assert onto.base_iri == "https://w3id.org/sackg/ontology#" and len(world.graph) > 10_000
    started = time.monotonic()
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        pytest.fail("HermiT finds the full export inconsistent", pytrace=False)
    assert time.monotonic() - started < HERMIT_SECONDS
    assert list(world.inconsistent_classes()) == []
