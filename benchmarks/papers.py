"""Synthetic but valid paper files, reproducible from a seed, for benchmarking the curator's path.

Each paper is a YAML file in the format of docs/data-format.md: a reference (unique id and DOI), 1-3 SAC
systems, 2-6 measurements per system and 1-3 claims with evidence. Every term, unit and condition key is
one the bundled papers already use, so the files pass `sackg validate` and `sackg add`.

Counts are stratified, not merely random: every 10 papers hold 16 systems and every 40 systems hold 116
measurements, so 250 papers give 400 systems and 1,160 measurements (the issue measured 398 and 1,159).

Usage: python benchmarks/papers.py --papers N --seed S --out DIR
       (DIR becomes a data directory: a copy of data/ plus DIR/papers/syn-00001.yaml ...)
From Python: paper(i, seed) -> YAML text of paper i (i >= 1); write_papers(out_dir, n, seed) -> paths.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"

# ---------------------------------------------------------------- vocabulary, as the bundled papers use it
METALS = [("Li", 5), ("Na", 3), ("K", 2)]
CENTRES = [(["Co"], 7), (["Zn"], 5), (["Fe"], 4), (["Ni"], 3), (["Fe", "Ni"], 1), (["Mn"], 1), (["Zr"], 1),
           (["Pt"], 1), (["Au"], 1)]
# support name, kinds, coordinations, synthesis methods
SUPPORTS = [
    ("N-doped carbon matrix", ["N-doped carbon"], ["M-N-C", "unspecified"], ["high-temperature pyrolysis"]),
    ("N-doped graphene", ["N-doped graphene"], ["M-N-C", "unspecified"], []),
    ("N-doped carbon nanosheets on carbon fiber cloth", ["N-doped carbon", "carbon cloth/paper"], ["M-N-C"],
     ["high-temperature pyrolysis"]),
    ("porous N-doped carbon from a metal-doped MOF", ["N-doped carbon", "porous carbon", "MOF-derived carbon"],
     ["M-N-C"], ["MOF pyrolysis"]),
    ("N-doped carbon nanofiber paper", ["N-doped carbon", "carbon nanofibre", "carbon cloth/paper"],
     ["M-N-C", "unspecified"], []),
    ("heteroatom-doped carbon matrix", ["heteroatom-doped carbon"], ["unspecified"], ["wet impregnation"]),
    ("hollow carbon nanotube", ["carbon nanotube"], ["unspecified"], []),
    ("hard carbon", ["hard carbon"], ["unspecified"], []),
    ("biocarbon with vertical channels", ["biomass-derived carbon", "hard carbon"], ["unspecified"], []),
    ("graphene", ["graphene"], ["unspecified"], []),
    ("MXene layer", ["MXene"], ["unspecified"], []),
    ("vacancy-rich metal sulfide in porous carbon", ["metal sulfide with vacancies", "porous carbon"],
     ["defect/vacancy-trapped"], ["hydrothermal reaction"]),
    ("oxide with oxygen vacancies", ["metal oxide with vacancies"], ["defect/vacancy-trapped"],
     ["atomic layer deposition"]),
]
COF = ("coordination-conjugated covalent organic framework", ["COF"], ["Co-N in COF"], [])  # Co only
ROLES = [("anode host", 12), ("protective layer", 4), ("separator coating", 1), ("sulfur host", 2)]
CHARACTERISATION = ["AC-STEM", "XAS", "EELS", "SEM", "XPS", "chronoamperometry"]
JOURNALS = ["Adv. Mater.", "Adv. Energy Mater.", "Energy Storage Mater.", "Adv. Funct. Mater.", "Nano Lett.",
            "Angew. Chem., Int. Ed.", "ACS Nano", "ACS Appl. Mater. Interfaces", "J. Am. Chem. Soc.", "Joule",
            "Nat. Energy", "Energy Environ. Sci.", "Adv. Sci.", "Small Methods", "Nano Energy", "Nat. Commun."]
SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma",
            "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Kim", "Park", "Lee", "Müller", "Smith", "Rossi"]
INITIALS = "ABCDFGHJKLMNPQRSTWXYZ"

# condition values (keys from the format; values of the units the bundled papers print)
CD = ["0.5 mA cm-2", "1 mA cm-2", "2 mA cm-2", "5 mA cm-2", "10 mA cm-2"]
AC = ["0.5 mA h cm-2", "1 mA h cm-2", "3 mA h cm-2"]
CYCLES = [200, 300, 400, 500, 1000]
CRATE = ["0.5 C", "1 C", "2 C"]
SLOAD = ["4.2 mg cm-2", "5.4 mg cm-2", "6.4 mg cm-2"]
CALC = ["theoretical calculation", "DFT"]

# quantity, unit, low, high, decimals, origin, methods, cells, condition sets, metals ("S": only for systems
# with a sulfur role), weight, lower is better
QUANTITIES = [
    ("nucleation overpotential", "mV", 2, 60, 1, "measured", None, [None],
     [{}, {"current density": CD[:2]}], "LiNaK", 20, True),
    ("cycle life", "h", 200, 3000, 0, "measured", None, ["symmetric cell"],
     [{"current density": CD}, {"current density": CD, "areal capacity": AC}], "LiNaK", 20, False),
    ("plating/stripping overpotential", "mV", 5, 80, 1, "measured", None, ["symmetric cell", None],
     [{"current density": CD}, {"current density": CD, "areal capacity": AC}, {"current density": CD,
                                                                               "duration": ["100 h", "500 h"]}],
     "LiNaK", 12, True),
    ("binding energy", "eV", -4.0, -0.5, 2, "computed", CALC, [None, "computational model"], [{}], "LiNaK", 18, True),
    ("migration barrier", "eV", 0.05, 0.9, 3, "computed", ["DFT"], [None, "computational model"], [{}], "LiNaK", 6,
     True),
    ("desolvation energy", "eV", -4.0, -0.5, 2, "computed", ["theoretical calculation"], [None], [{}], "LiNaK", 3,
     True),
    ("reaction energy barrier", "eV", 0.5, 2.5, 2, "computed", ["DFT"], ["computational model"], [{}], "LiNaK", 3,
     True),
    ("capacity retention", "%", 70, 99, 1, "measured", None, [None],
     [{"cycles": CYCLES, "C-rate": CRATE}, {"temperature": ["-40 °C", "-20 °C"], "cycles": CYCLES}], "LiNaK", 5,
     False),
    ("capacity retention", "%", 70, 99, 1, "measured", None, ["Li-LFP full cell"],  # Li only
     [{"cycles": CYCLES, "C-rate": CRATE}], "Li", 3, False),
    ("specific capacity", "mA h g-1", 150, 1200, 0, "measured", None, [None],
     [{"C-rate": CRATE, "cycles": CYCLES}], "LiNaK", 4, False),
    ("transference number", "", 0.3, 0.95, 2, "measured", None, [None], [{}], "LiNaK", 3, False),
    ("SEI component fraction", "%", 5, 60, 1, "measured", None, [None], [{}], "LiNaK", 2, False),
    ("areal capacity", "mA h cm-2", 2, 6, 2, "measured", None, ["Li-S pouch cell"],
     [{"sulfur loading": SLOAD}], "LiS", 2, False),
    ("sulfur loading", "mg cm-2", 2, 8, 1, "set", None, ["Li-S cell", "Li-S pouch cell"], [{}], "LiS", 1, False),
    ("dendrite onset time", "min", 10, 120, 0, "measured", None, [None], [{}], "LiNaK", 1, False),
    ("RDF peak distance", "nm", 0.1, 0.8, 2, "computed", ["MD"], [None], [{}], "LiNaK", 1, True),
    ("bond length change", "Å", 0.005, 0.2, 3, "computed", ["theoretical calculation"], [None], [{}], "LiNaK", 1,
     True),
    ("bond angle change", "°", 0.05, 10, 2, "computed", ["theoretical calculation"], [None], [{}], "LiNaK", 1, True),
    ("electrode diameter", "nm", 100, 500, 0, "measured", None, [None], [{}], "LiNaK", 1, True),
]
# controls of materials.yaml, by alkali metal, for baselines and compared_with
CONTROLS = {"Li": ["bare Cu foil", "bare Li foil", "unmodified electrode", "N-doped carbon (metal-free)",
                   "pristine graphene", "carbon cloth"],
            "Na": ["bare Cu foil", "bare Na electrode", "hard carbon", "carbon cloth", "unmodified electrode"],
            "K": ["bare Cu foil", "hard carbon", "unmodified electrode", "N-doped carbon (metal-free)"]}
# mechanism, effect, evidence techniques, metals
CLAIMS = [
    ("nucleation", "lowers barrier", ["galvanostatic cycling", "SEM", "theoretical calculation",
                                      "in situ optical microscopy"], "LiNaK", 6),
    ("nucleation", "promotes", ["galvanostatic cycling", "DFT", "SEM", "in situ TEM"], "LiNaK", 5),
    ("ion transport", "promotes", ["theoretical calculation", "MD", "galvanostatic cycling", "field simulation"],
     "LiNaK", 4),
    ("lateral atom diffusion", "promotes", ["DFT", "theoretical calculation", "SEM", "in situ optical microscopy"],
     "LiNaK", 3),
    ("lateral atom diffusion", "lowers barrier", ["DFT", "theoretical calculation"], "LiNaK", 2),
    ("SEI formation", "promotes", ["XPS", "TOF-SIMS", "cryo-TEM", "in situ SFG"], "LiNaK", 2),
    ("desolvation", "promotes", ["theoretical calculation", "MD", "DFT"], "LiNaK", 1),
    ("polysulfide shuttle", "suppresses", ["galvanostatic cycling", "XAS", "DFT"], "LiS", 1),
]

# stratified counts: 10 papers -> 16 systems; 40 systems -> 116 measurements
SYSTEMS_PATTERN = [1, 1, 1, 1, 1, 2, 2, 2, 2, 3]
MEASUREMENTS_PATTERN = [2] * 19 + [3] * 12 + [4] * 5 + [5] * 2 + [6] * 2


def _pattern(pattern: list[int], seed: int, tag: str, block: int) -> list[int]:
    order = list(pattern)
    random.Random(f"sackg-syn:{seed}:{tag}:{block}").shuffle(order)
    return order


def _systems_of(i: int, seed: int) -> tuple[int, int]:
    """(number of systems of paper i, global index of its first system)."""
    block, pos = divmod(i - 1, len(SYSTEMS_PATTERN))
    order = _pattern(SYSTEMS_PATTERN, seed, "systems", block)
    return order[pos], block * sum(SYSTEMS_PATTERN) + sum(order[:pos])


def _measurements_of(j: int, seed: int) -> int:
    block, pos = divmod(j, len(MEASUREMENTS_PATTERN))
    return _pattern(MEASUREMENTS_PATTERN, seed, "measurements", block)[pos]


def _pick(rng: random.Random, weighted):
    return rng.choices([x for x, _ in weighted], weights=[w for _, w in weighted])[0]


def _number(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}"


def _value(number: str, unit: str) -> str:
    return f"{number} {unit}" if unit else number


def _measurement(rng: random.Random, name: str, metal: str, q) -> tuple[dict, str | None]:
    """One measurement of `name` from template q, and the computation method it used (if any)."""
    quantity, unit, lo, hi, dec, origin, methods, cells, condsets, _, _, lower = q
    x = rng.uniform(lo, hi)
    comparator = ""
    if quantity == "cycle life" and rng.random() < 0.15:
        comparator = "over "
    elif quantity.endswith("overpotential") and rng.random() < 0.1:
        comparator = "~"
    rec = {"system": name, "quantity": quantity, "value": comparator + _value(_number(x, dec), unit),
           "origin": origin}
    method = rng.choice(methods) if methods else None
    if method:
        rec["method"] = method
    rec["metal"] = metal
    cell = rng.choice(cells)
    if cell:
        rec["cell"] = cell
    conditions = {k: rng.choice(v) for k, v in rng.choice(condsets).items()}
    if conditions:
        rec["conditions"] = conditions
    if origin != "set" and rng.random() < 0.3:  # a control, with a worse value or named without one
        base = {"material": rng.choice(CONTROLS[metal])}
        if rng.random() < 0.8:  # worse: higher if lower is better (less negative for energies), else lower
            factor = rng.uniform(1.3, 3) if lower and x > 0 else rng.uniform(0.3, 0.8)
            base["value"] = _value(_number(x * factor, dec), unit)
        rec["baselines"] = [base]
    return rec, method


def _fits(metals: str, metal: str, roles: list[str]) -> bool:
    """A template fits an alkali metal; "S" templates (Li-S cells, polysulfides) only sulfur-side systems."""
    return metal in metals and ("S" not in metals or bool({"sulfur host", "separator coating"} & set(roles)))


def _claim(rng: random.Random, name: str, metal: str, roles: list[str], taken: set) -> dict | None:
    options = [(c, c[4]) for c in CLAIMS if _fits(c[3], metal, roles) and (name, c[0]) not in taken]
    if not options:
        return None
    mechanism, effect, techniques, _, _ = _pick(rng, options)
    taken.add((name, mechanism))
    rec = {"system": name, "mechanism": mechanism, "metal": metal, "effect": effect,
           "evidence": rng.sample(techniques, rng.randint(1, min(3, len(techniques))))}
    if rng.random() < 0.3:
        rec["compared_with"] = [rng.choice(CONTROLS[metal])]
    rec["note"] = f"Synthetic claim: {name} {effect} {mechanism} of {metal}."
    return rec


def _document(i: int, seed: int) -> dict:
    if i < 1:
        raise ValueError("papers are numbered from 1")
    rng = random.Random(f"sackg-syn:{seed}:paper:{i}")
    n_systems, first = _systems_of(i, seed)
    authors = [f"{rng.choice(INITIALS)}. {rng.choice(SURNAMES)}" for _ in range(rng.randint(2, 6))]
    year = rng.randint(2015, 2024)
    start = rng.randint(1, 9000)
    ref = {"id": f"syn-{i:05d}", "authors": authors,
           "title": f"Synthetic paper {i} (seed {seed}): single atoms for dendrite-free alkali metal anodes",
           "journal": rng.choice(JOURNALS), "year": year, "volume": str(year - 1988 + rng.randint(0, 3)),
           "pages": f"{start}–{start + rng.randint(5, 12)}" if rng.random() < 0.5 else str(2400000 + start),
           "doi": f"10.5555/syn.{seed}.{i}",
           "cited_for": f"Synthetic benchmark paper {i} (seed {seed}); not a real publication."}
    systems, measurements, claims, taken = [], [], [], set()
    for k in range(1, n_systems + 1):
        # zero-padded i and a one-digit k: names stay distinct once case, dashes and spaces are dropped
        name = f"SYN-{i:05d}-{k}"
        metal = _pick(rng, METALS)
        centres = _pick(rng, CENTRES)
        support = COF if centres == ["Co"] and rng.random() < 0.1 else rng.choice(SUPPORTS)
        coordination = rng.choice(support[2])
        if centres == ["Co"] and coordination == "M-N-C" and rng.random() < 0.2:
            coordination = "asymmetric Co-N/O"
        roles = [r for r in [_pick(rng, ROLES)] if r != "sulfur host" or metal == "Li"] or ["anode host"]
        system = {"name": name, "synonyms": [f"{''.join(centres)}SA-SYN{i:05d}{k}"], "centre_metals": centres,
                  "support": {"name": support[0], "kinds": list(support[1])}, "coordination": coordination,
                  "alkali_metals": [metal], "roles": roles}
        if support[3]:
            system["synthesis"] = list(support[3])
        techniques = set(rng.sample(CHARACTERISATION, rng.randint(1, 3)))
        systems.append(system)
        # measurements: distinct quantity templates that fit the metal, weighted as in the real papers
        fitting = [(q, q[10]) for q in QUANTITIES if _fits(q[9], metal, roles)]
        for _ in range(_measurements_of(first + k - 1, seed)):
            q = _pick(rng, fitting)
            fitting = [(f, w) for f, w in fitting if f is not q]
            rec, method = _measurement(rng, name, metal, q)
            measurements.append(rec)
            if method:
                techniques.add(method)
            elif rec.get("cell") == "symmetric cell":
                techniques.add("galvanostatic cycling")
        system["_techniques"] = techniques
    for _ in range(_pick(rng, [(1, 45), (2, 40), (3, 15)])):
        system = rng.choice(systems)
        claim = _claim(rng, system["name"], system["alkali_metals"][0], system["roles"], taken)
        if claim:
            claims.append(claim)
            system["_techniques"].update(claim["evidence"])
    for system in systems:  # characterisation, computation and evidence techniques, in a fixed order
        system["techniques"] = sorted(system.pop("_techniques"), key=str.lower)
        centres, support = "/".join(system["centre_metals"]), system["support"]["name"]
        system["note"] = f"Synthetic system of paper {i}: single {centres} atoms on {support}."
    return {"reference": ref, "systems": systems, "measurements": measurements, "claims": claims}


class _Dumper(yaml.SafeDumper):
    """Block style, except lists of plain values ([Li], authors), which read better on one line; no
    anchors or aliases for shared lists (the format refuses them)."""

    def ignore_aliases(self, data):
        return True


def _list(dumper, data):
    flow = all(isinstance(x, (str, int, float)) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _list)


def paper(i: int, seed: int) -> str:
    """The YAML text of synthetic paper i (from 1) for this seed; the same (i, seed) gives the same bytes."""
    head = f"# Synthetic paper {i} (seed {seed}), written by benchmarks/papers.py: not a real publication.\n"
    body = yaml.dump(_document(i, seed), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=110)
    return head + body


def write_papers(out_dir, n: int, seed: int) -> list[Path]:
    """Make out_dir a data directory: a copy of the bundled data plus papers/syn-00001.yaml ... syn-N.yaml."""
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    (out / "papers").mkdir(parents=True, exist_ok=True)
    for name in ("review.yaml", "materials.yaml"):
        shutil.copyfile(DATA / name, out / name)
    for src in sorted((DATA / "papers").glob("*.yaml")):
        shutil.copyfile(src, out / "papers" / src.name)
    paths = []
    for i in range(1, n + 1):
        path = out / "papers" / f"syn-{i:05d}.yaml"
        path.write_bytes(paper(i, seed).encode("utf-8"))
        paths.append(path)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, required=True, help="number of synthetic papers")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True, help="data directory to create")
    args = parser.parse_args(argv)
    try:
        paths = write_papers(args.out, args.papers, args.seed)
    except FileExistsError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {len(paths)} synthetic papers to {Path(args.out) / 'papers'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
