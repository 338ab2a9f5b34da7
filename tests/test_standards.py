"""The full export checked by independent tools: owlready2 and HermiT (OWL), QUDT's unit list (npm), pyld and jsonld.js."""

import json
import re
import subprocess
import time
from decimal import Decimal
from math import prod

import pytest
from conftest import ROOT, debian_tool
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.model.namespaces import QK, QKDV, QUDT, SAC, SAC_IRI, UNIT
from kg.publish.export import export

JAVA, NODE = "/usr/bin/java", "/usr/bin/node"
NODE_MODULES = ROOT / "build" / "tools" / "node" / "node_modules"
FILES = {"ntriples": "sackg.nt", "turtle": "sackg.ttl", "jsonld": "sackg.jsonld"}
HERMIT_SECONDS = 60

# Every QUDT unit with its quantity kinds, dimension vector and multiplier, and every quantity kind with its
# dimension vector, as @qudtlib/allunits (QUDT's published vocabulary, packaged for npm) holds them
QUDT_UNITS_JS = r"""
const {config} = require(process.argv[1]);
const units = {}, kinds = {};
for (const [iri, unit] of config.units)
  units[iri] = {kinds: unit.quantityKindIris, dimension: unit.dimensionVectorIri || null,
                multiplier: unit.conversionMultiplier ? unit.conversionMultiplier.toString() : null};
for (const [iri, kind] of config.quantityKinds) kinds[iri] = kind.dimensionVectorIri || null;
process.stdout.write(JSON.stringify({units, kinds}));
"""
# A JSON-LD document (its context embedded) as N-Quads, read by jsonld.js; nothing is fetched
JSONLD_TO_NQUADS_JS = r"""
const jsonld = require(process.argv[1]);
const document = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const documentLoader = (url) => { throw new Error("jsonld.js may not fetch " + url); };
jsonld.toRDF(document, {format: "application/n-quads", documentLoader})
  .then((nquads) => process.stdout.write(nquads), (error) => { console.error(String(error)); process.exit(1); });
"""
# the units of SAC-KG's own whose names are not products of QUDT units: the QUDT unit they are as large as
SAME_SIZE_AS = {"C-RATE": "PER-HR"}  # 1 C charges a cell in one hour


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


def node_package(name: str, tool: str):
    path = NODE_MODULES / name
    if not path.is_dir():
        pytest.fail(f"{tool} is missing: run make test to install build/tools", pytrace=False)
    return path


def run_node(script: str, *args) -> str:
    result = subprocess.run([debian_tool(NODE, "nodejs"), "-e", script, *map(str, args)],
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


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


@pytest.fixture(scope="module")
def qudt():
    return json.loads(run_node(QUDT_UNITS_JS, node_package("@qudtlib/allunits", "QUDT's unit list (@qudtlib/allunits)")))


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


# ---------------------------------------------------------------- QUDT
def _units(full):
    return sorted(full.subjects(RDF.type, SAC.Unit))


def _one(full, subject, predicate):
    values = list(full.objects(subject, predicate))
    assert len(values) == 1, f"{subject} has {len(values)} {full.qname(predicate)}"
    return values[0]


def test_every_qudt_unit_quantity_kind_and_dimension_vector_named_is_in_qudt(full, qudt):
    assert len(qudt["units"]) == 2896 and len(qudt["kinds"]) == 1208  # @qudtlib/allunits 7.1.0
    vectors = {u["dimension"] for u in qudt["units"].values()} | set(qudt["kinds"].values())
    named = {str(t) for triple in full for t in triple if isinstance(t, URIRef)}
    for namespace, known in ((UNIT, set(qudt["units"])), (QK, set(qudt["kinds"])), (QKDV, vectors)):
        used = {iri for iri in named if iri.startswith(namespace)}
        assert used, namespace
        assert sorted(used - known) == [], namespace


def test_qudt_units_have_the_quantity_kinds_and_multipliers_qudt_gives_them(full, qudt):
    for unit in (u for u in _units(full) if str(u) in qudt["units"]):
        theirs = qudt["units"][str(unit)]
        assert {str(k) for k in full.objects(unit, QUDT.hasQuantityKind)} <= set(theirs["kinds"]), unit
        ours = Decimal(str(_one(full, unit, QUDT.conversionMultiplier)))
        assert abs(ours / Decimal(theirs["multiplier"]) - 1) < Decimal("1e-8"), unit  # QUDT rounds π/180 to 10 digits


def _dimensions(iri: str) -> dict:
    return {base: int(exponent) for base, exponent in re.findall(r"([AELIMHTD])(-?\d+)", iri.rsplit("/", 1)[1])}


def _product(qudt, name: str):
    """Multiplier and dimension vector of a unit named as QUDT names units (MilliA-HR-PER-CentiM2), from
    QUDT's own factor units; None when a factor is not a QUDT unit."""
    over, _, under = name.partition("PER-")
    factors = [(f, 1) for f in over.strip("-").split("-") if f] + [(f, -1) for f in under.split("-") if f]
    units = [(qudt["units"].get(f"{UNIT}{f}"), power) for f, power in factors]
    if not factors or any(u is None for u, _ in units):
        return None
    multiplier = prod(Decimal(u["multiplier"]) ** power for u, power in units)
    if multiplier.as_tuple().exponent < -18:  # as Oxigraph's decimals keep it (1/3600 for the C-rate)
        multiplier = multiplier.quantize(Decimal("1e-18"))
    exponents = {base: sum(_dimensions(u["dimension"])[base] * power for u, power in units) for base in "AELIMHT"}
    vector = "".join(f"{base}{exponent}" for base, exponent in exponents.items())
    return multiplier, f"{QKDV}{vector}D{int(not any(exponents.values()))}"


def test_units_qudt_lacks_are_sackg_units_with_multiplier_dimension_vector_and_quantity_kind(full, qudt):
    from rdflib import XSD

    own = [u for u in _units(full) if str(u) not in qudt["units"]]
    assert [u for u in own if not str(u).startswith(SAC_IRI)] == []
    for unit in own:
        kind = _one(full, unit, QUDT.hasQuantityKind)
        assert str(kind) in qudt["kinds"], unit
        vector = _one(full, unit, QUDT.hasDimensionVector)
        assert str(vector) == qudt["kinds"][str(kind)], unit
        multiplier = _one(full, unit, QUDT.conversionMultiplier)
        assert multiplier.datatype == XSD.decimal, unit
        name = str(unit)[len(SAC_IRI):]
        expected = _product(qudt, SAME_SIZE_AS.get(name, name))
        assert expected is not None, f"{unit}: name it as QUDT would, or say in SAME_SIZE_AS which QUDT unit it equals"
        assert (Decimal(str(multiplier)), str(vector)) == expected, unit


# ---------------------------------------------------------------- JSON-LD
def _shown(graph: Graph) -> str:
    return "; ".join(sorted(" ".join(term.n3() for term in triple) for triple in graph)[:3])


def _same_triples(read: Graph, expected: Graph, reader: str) -> None:
    """`read` and `expected` are the same triples, blank nodes matched by rdflib.compare."""
    if not isomorphic(read, expected):
        _, extra, lacking = graph_diff(to_isomorphic(read), to_isomorphic(expected))
        pytest.fail(f"{reader}: {len(extra)} triples the Turtle lacks ({_shown(extra)}), {len(lacking)} it lacks "
                    f"({_shown(lacking)})", pytrace=False)


def test_jsonld_gives_the_same_triples_in_pyld_jsonld_js_and_rdflib(exported):
    from pyld import jsonld

    def refuse(url, options=None):
        raise OSError(f"pyld may not fetch {url}")

    document = json.loads(exported["jsonld"].read_text(encoding="utf-8"))
    by_pyld = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": refuse})
    by_jsonld_js = run_node(JSONLD_TO_NQUADS_JS, node_package("jsonld", "jsonld.js"), exported["jsonld"])
    turtle = Graph().parse(exported["turtle"], format="turtle")
    assert len(turtle) > 10_000
    for reader, nquads in (("pyld", by_pyld), ("jsonld.js", by_jsonld_js)):
        _same_triples(Graph().parse(data=nquads, format="nt"), turtle, reader)
