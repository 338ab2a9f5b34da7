"""Synthetic knowledge bases of SAC-KG's shape, reproducible from a seed.

Each synthetic system comes with what a real one has: a label and a synonym, centre metal, support
with its kind, coordination, alkali metal, role, reference (with authors, journal, year), one claim
(mechanism, metal, effect, evidence, source) and one measurement (quantity, value, unit, origin,
metal, a test condition, source): about 38 triples per system, plus the ontology and vocabularies.

Usage: python benchmarks/generate.py SYSTEMS OUT.nt [--seed N]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SAC = "https://w3id.org/sackg/ontology#"
ID = "https://w3id.org/sackg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
BIBO = "http://purl.org/ontology/bibo/"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
XSD = "http://www.w3.org/2001/XMLSchema#"
UNIT = "http://qudt.org/vocab/unit/"

CENTRES = ["Fe", "Co", "Ni", "Zn", "Mn", "Cu", "Zr", "Pt", "Mo", "Ru"]
METALS = ["Li", "Na", "K"]
SUPPORTS = ["NDopedCarbon", "NDopedGraphene", "Graphene", "MXene", "COF", "HardCarbon", "CarbonNanotube",
            "CarbonClothPaper", "PorousCarbon", "MetalSulfideWithVacancies"]
COORDINATION = ["MNC", "AsymmetricCoNO", "CoNInCOF", "DefectTrapped"]
MECHANISMS = ["Desolvation", "IonTransport", "LateralAtomDiffusion", "Nucleation", "SEIFormation",
              "PolysulfideConversion"]
TECHNIQUES = ["DFT", "MD", "SEM", "InSituTEM", "XPS", "GalvanostaticCycling", "InSituSFG", "CryoTEM"]
QUANTITIES = [("NucleationOverpotential", "MilliV", 0, 60), ("CycleLife", "HR", 100, 3000),
              ("BindingEnergy", "EV", -4, -0.5), ("PlatingStrippingOverpotential", "MilliV", 5, 80)]
JOURNALS = ["Adv. Mater.", "Nano Lett.", "ACS Nano", "Energy Storage Mater.", "Adv. Energy Mater."]


def iri(text: str) -> str:
    return f"<{text}>"


def lit(text: str, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"^^<{datatype}>' if datatype else f'"{escaped}"'


def generate(systems: int, seed: int, out) -> int:
    rng = random.Random(seed)
    count = 0

    def t(s, p, o):
        nonlocal count
        out.write(f"{s} {p} {o} .\n")
        count += 1

    a = iri(f"{RDF}type")
    label = iri(f"{RDFS}label")
    for i in range(systems):
        system = iri(f"{ID}system/syn-{i}")
        support = iri(f"{ID}support/syn-{i}")
        ref = iri(f"{ID}reference/syn-{i // 2}")
        metal = rng.choice(METALS)
        metal_iri = iri(f"{ID}element/{metal}")
        centre = rng.choice(CENTRES)
        if i % 2 == 0:  # one reference per two systems, like papers reporting two systems
            t(ref, a, iri(f"{BIBO}AcademicArticle"))
            t(ref, label, lit(f"A. Author{i} et al., {rng.choice(JOURNALS)}, {2015 + i % 10} [syn]"))
            t(ref, iri(f"{DCT}issued"), lit(str(2015 + i % 10), f"{XSD}gYear"))
            journal = iri(f"{ID}journal/{rng.randrange(5)}")
            t(ref, iri(f"{DCT}isPartOf"), journal)
            t(ref, iri(f"{DCT}bibliographicCitation"), lit(f"A. Author{i} et al. [syn {i}]"))
        t(system, a, iri(f"{SAC}SACSystem"))
        t(system, label, lit(f"SA{centre}-syn-{i}"))
        t(system, iri(f"{SKOS}altLabel"), lit(f"SA{centre} syn {i}"))
        t(system, iri(f"{SAC}centreMetal"), iri(f"{ID}element/{centre}"))
        t(system, iri(f"{SAC}support"), support)
        t(support, a, iri(f"{SAC}Support"))
        t(support, label, lit(f"support {i}"))
        t(support, iri(f"{SAC}supportKind"), iri(f"{SAC}{rng.choice(SUPPORTS)}"))
        t(system, iri(f"{SAC}coordinationEnvironment"), iri(f"{SAC}{rng.choice(COORDINATION)}"))
        t(system, iri(f"{SAC}targetMetal"), metal_iri)
        t(system, iri(f"{SAC}appliedTo"), iri(f"{ID}anode/{metal}"))
        t(system, iri(f"{SAC}role"), iri(f"{SAC}AnodeHost"))
        t(system, iri(f"{SAC}reportedIn"), ref)
        t(system, iri(f"{SKOS}note"), lit(f"Synthetic system {i} on {metal}."))
        claim = iri(f"{ID}claim/syn-{i}")
        technique = rng.choice(TECHNIQUES)
        t(system, iri(f"{SAC}characterizedBy"), iri(f"{SAC}{rng.choice(TECHNIQUES)}"))
        t(claim, a, iri(f"{SAC}Claim"))
        t(claim, iri(f"{SAC}aboutSystem"), system)
        t(claim, iri(f"{SAC}mechanism"), iri(f"{SAC}{rng.choice(MECHANISMS)}"))
        t(claim, iri(f"{SAC}alkaliMetal"), metal_iri)
        t(claim, iri(f"{SAC}effect"), iri(f"{SAC}Promotes"))
        t(claim, iri(f"{SAC}effectText"), lit("promotes"))
        t(claim, iri(f"{SAC}evidenceTechnique"), iri(f"{SAC}{technique}"))
        t(claim, iri(f"{SAC}evidenceKind"), iri(f"{SAC}ElectrochemicalTest"))
        t(claim, iri(f"{PROV}wasDerivedFrom"), ref)
        t(claim, iri(f"{SAC}statedInSection"), iri(f"{ID}section/{rng.choice(['3.1', '3.2', '4'])}"))
        quantity, unit, low, high = rng.choice(QUANTITIES)
        m = iri(f"{ID}measurement/syn-{i}")
        t(m, a, iri(f"{SAC}Measurement"))
        t(m, iri(f"{SAC}onMaterial"), system)
        t(m, iri(f"{SAC}quantityKind"), iri(f"{SAC}{quantity}"))
        value = f"{rng.uniform(low, high):.2f}"
        t(m, iri(f"{SAC}value"), lit(value, f"{XSD}decimal"))
        t(m, iri(f"{SAC}valueText"), lit(f"{value} {dict(MilliV='mV', HR='h', EV='eV')[unit]}"))
        t(m, iri(f"{SAC}unit"), iri(f"{UNIT}{unit}"))
        t(m, iri(f"{SAC}valueOrigin"), iri(f"{SAC}{'Computed' if quantity == 'BindingEnergy' else 'Measured'}"))
        t(m, iri(f"{SAC}alkaliMetal"), metal_iri)
        t(m, iri(f"{PROV}wasDerivedFrom"), ref)
        t(m, iri(f"{SAC}statedInSection"), iri(f"{ID}section/{rng.choice(['3.1', '3.2', '4'])}"))
        condition = iri(f"{ID}measurement/syn-{i}/condition/current-density")
        t(m, iri(f"{SAC}testCondition"), condition)
        t(condition, iri(f"{SAC}conditionKind"), iri(f"{SAC}CurrentDensity"))
        current = rng.choice(["0.5", "1", "2", "3", "5", "10"])
        t(condition, iri(f"{SAC}value"), lit(current, f"{XSD}decimal"))
        t(m, iri(f"{SAC}conditionsText"), lit(f"current density {current} mA cm⁻²"))
        t(condition, iri(f"{SAC}unit"), iri(f"{SAC}MilliA-PER-CentiM2"))
    return count


def ontology_ntriples() -> str:
    from rdflib import Graph

    from kg.model.resources import ontology_dir

    graph = Graph()
    for name in ("sackg.ttl", "vocabulary.ttl"):
        graph.parse(Path(ontology_dir()) / name)
    return graph.serialize(format="nt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("systems", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(ontology_ntriples())
        n = generate(args.systems, args.seed, out)
    print(f"{args.out}: {n} triples for {args.systems} systems ({n / args.systems:.1f} per system)")


if __name__ == "__main__":
    main()
