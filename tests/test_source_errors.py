"""Bad source data: one line per problem naming file, line, record and field; exit 1; nothing changes."""

import hashlib

import pytest

from kg.cli.commands import main


def digest(directory):
    h = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(directory)).encode() + path.read_bytes())
    return h.hexdigest()


def line_of(path, text):
    return path.read_text().split(text)[0].count("\n") + 1


CASES = [
    ("ref-070.yaml", "    mechanism: nucleation\n", "    mechanism: nucleaton\n",
     ["data/papers/ref-070.yaml:{L}: claim 'ZnSA-N-C nucleaton Na': field 'mechanism': unknown mechanism 'nucleaton'; did you mean 'nucleation'?"]),
    ("ref-070.yaml", "quantity: nucleation overpotential", "quantity: nucleation overpotental",
     ["data/papers/ref-070.yaml:{L}: measurement 'ZnSA-N-C nucleation overpotental': field 'quantity': unknown quantity 'nucleation overpotental'; did you mean 'nucleation overpotential' or 'plating/stripping overpotential'?"]),
    ("ref-070.yaml", "value: 0 mV", "value: 0 mV/s",
     ["data/papers/ref-070.yaml:{L}: measurement 'ZnSA-N-C nucleation overpotential': field 'value': unknown unit 'mV/s' in '0 mV/s'; known units: %, C, V, W h kg⁻¹, cycles, eV, h, kJ mol⁻¹, mA cm⁻², mA h cm⁻², mA h g⁻¹, mV, mg cm⁻², min, nm, °, °C, Å, μA h cm⁻²"]),
    ("ref-070.yaml", "value: 0 mV", "value: zero",
     ["data/papers/ref-070.yaml:{L}: measurement 'ZnSA-N-C nucleation overpotential': field 'value': 'zero' is not a number with a unit (e.g. '29 mV', 'over 900 h')"]),
    ("ref-070.yaml", "    value: 0 mV\n", "    valu: 0 mV\n",
     ["data/papers/ref-070.yaml:{L}: measurement 'ZnSA-N-C nucleation overpotential': field 'valu': unknown field; did you mean 'value'?",
      "data/papers/ref-070.yaml:{R}: measurement 'ZnSA-N-C nucleation overpotential': field 'value': required field is missing"]),
    ("ref-070.yaml", "    origin: measured\n    metal: Na\n    baselines", "    origin: measured\n    metal: Rb\n    baselines",
     ["data/papers/ref-070.yaml:{L}: measurement 'ZnSA-N-C nucleation overpotential': field 'metal': unknown alkali metal 'Rb'; expected 'K', 'Li' or 'Na'"]),
    ("ref-070.yaml", "  - system: ZnSA-N-C\n    quantity: nucleation", "  - system: ZnSA-NC-9\n    quantity: nucleation",
     ["data/papers/ref-070.yaml:{L}: measurement 'ZnSA-NC-9 nucleation overpotential': field 'system': unknown system 'ZnSA-NC-9'; did you mean 'ZnSA-N-C' or 'ZnSAs'?"]),
    ("ref-070.yaml", "  id: ref-070", "  id: ref-069",
     ["data/papers/ref-070.yaml:{L}: reference 'ref-069': field 'id': duplicate reference id",
      "data/papers/ref-070.yaml:70: measurement 'bare Cu foil dendrite onset time': field 'sources': unknown reference 'ref-070'; did you mean 'ref-010'?",
      "data/review.yaml:182: figure '8': field 'sources': unknown reference 'ref-070'; did you mean 'ref-010'?"]),
    ("ref-017.yaml", '  doi: "10.1002/cssc.202301242"', '  doi: "https://doi.org/10.1002/cssc.202301242"',
     ["data/papers/ref-017.yaml:{L}: reference 'ref-017': field 'doi': 'https://doi.org/10.1002/cssc.202301242' is not a DOI (expected 10.NNNN/suffix)"]),
    ("ref-017.yaml", "  year: 2023", "  year: twenty23",
     ["data/papers/ref-017.yaml:{L}: reference 'ref-017': field 'year': 'twenty23' is not a year"]),
    ("ref-070.yaml", "      current density: 0.5 mA cm-2", "      current dens: 0.5 mA cm-2",
     ["data/papers/ref-070.yaml:{L}: measurement 'ZnSA-N-C cycle life': field 'conditions.current dens': unknown condition; did you mean 'current density'?"]),
    ("ref-070.yaml", "      current density: 0.5 mA cm-2", "      current density: 0.5 mA h cm-2",
     ["data/papers/ref-070.yaml:{L}: measurement 'ZnSA-N-C cycle life' condition 'current density': field 'value': unit milliampere hour per square centimetre does not fit current density: it measures ElectricChargePerArea (given: 0.5 mA h cm⁻²)"]),
    ("ref-070.yaml", "    method: theoretical calculation\n", "",
     ["data/papers/ref-070.yaml:{L}: measurement 'ZnSA-N-C binding energy': field 'method': a computed value needs its method (DFT, MD, theoretical calculation)"]),
    ("ref-070.yaml", "    origin: measured\n    metal: Na\n    baselines", "    origin: measured\n    method: DFT\n    metal: Na\n    baselines",
     ["data/papers/ref-070.yaml:{L}: measurement 'ZnSA-N-C nucleation overpotential': field 'method': only computed values have a method"]),
    ("ref-069.yaml", "  - name: Zn_SA-HCNT", "  - name: ZnSA-N-C",
     ["data/papers/ref-070.yaml:{L}: system 'ZnSA-N-C': field 'name': 'ZnSA-N-C' already names system 'ZnSA-N-C' (data/papers/ref-069.yaml:24)"]),
    ("ref-070.yaml", '    section: "4"\n    figures: ["8B"]\n    note: "Carbon', '    section: "9"\n    figures: ["8B"]\n    note: "Carbon',
     ["data/papers/ref-070.yaml:{L}: system 'ZnSA-N-C': field 'section': unknown review section '9'"]),
    ("ref-070.yaml", '    figures: ["8B"]\n    note: "Carbon', '    figures: ["Fig 8B"]\n    note: "Carbon',
     ["data/papers/ref-070.yaml:{L}: system 'ZnSA-N-C': field 'figures': 'Fig 8B' is not a figure panel such as '3E' or '8'"]),
    ("ref-070.yaml", "    evidence: [galvanostatic cycling", "    evidence: [galvanostatc cycling",
     ["data/papers/ref-070.yaml:{L}: claim 'ZnSA-N-C nucleation Na': field 'evidence': unknown technique 'galvanostatc cycling'; did you mean 'galvanostatic cycling'?"]),
    ("ref-070.yaml", "    coordination: M-N-C", "    coordination: M-N-X",
     ["data/papers/ref-070.yaml:{L}: system 'ZnSA-N-C': field 'coordination': unknown coordination environment 'M-N-X'; did you mean 'M-N-C'?"]),
    ("ref-070.yaml", "    origin: measured\n    metal: Na\n    cell: symmetric cell", "    origin: guessed\n    metal: Na\n    cell: symmetric cell",
     ["data/papers/ref-070.yaml:{L}: measurement 'ZnSA-N-C cycle life': field 'origin': unknown origin 'guessed'; expected 'computed', 'measured', 'not stated' or 'set'"]),
]


def record_start(text, offset):
    """Line number of the record ('  - ' item or top-level block) containing `offset`."""
    lines = text[:offset].split("\n")
    for i in range(len(lines), 0, -1):
        if lines[i - 1].startswith("  - ") or (lines[i - 1] and not lines[i - 1].startswith(" ")):
            return i
    return 1


@pytest.mark.parametrize("file,old,new,expected", CASES, ids=[c[2].strip()[:40] for c in CASES])
def test_bad_record_gives_one_line_each_and_changes_nothing(runner, data_copy, file, old, new, expected):
    path = data_copy / "papers" / file
    text = path.read_text()
    assert old in text, old
    offset = text.index(old)
    first, last = record_start(text, offset), text[:offset + len(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1))
    before = digest(data_copy)
    result = runner.invoke(main, ["--data", str(data_copy), "validate"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    line = int(lines[0].split(":")[1])
    assert lines == [e.format(L=line, R=first) for e in expected]
    if lines[0].startswith(f"data/papers/{file}:"):
        assert first <= line <= last  # the line points into the edited record
    assert digest(data_copy) == before


def test_yaml_syntax_error_names_file_and_line(runner, data_copy):
    path = data_copy / "papers" / "ref-070.yaml"
    path.write_text(path.read_text().replace("centre_metals: [Zn]", "centre_metals: [Zn", 1))
    result = runner.invoke(main, ["--data", str(data_copy), "show", "ZnSA-N-C"])
    assert result.exit_code == 1
    assert result.output == ("Error: data/papers/ref-070.yaml:"
                             f"{line_of(path, 'centre_metals: [Zn') + 1}: invalid YAML: expected ',' or ']', but got ':'\n")


def test_empty_and_non_utf8_files_are_named(runner, data_copy):
    (data_copy / "papers" / "ref-001.yaml").write_text("")
    (data_copy / "papers" / "ref-002.yaml").write_bytes(b"reference:\n  id: \xff\xfe\n")
    result = runner.invoke(main, ["--data", str(data_copy), "validate"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "data/papers/ref-001.yaml: file is empty",
        "data/papers/ref-002.yaml: not UTF-8 text (invalid start byte at byte 17)",
    ]


def test_missing_data_directory(runner, tmp_path):
    result = runner.invoke(main, ["--data", str(tmp_path / "nowhere"), "show", "ZnSA-N-C"])
    assert (result.exit_code, result.output) == (1, f"Error: {tmp_path / 'nowhere'}: data directory not found\n")


def test_unknown_entity_suggests_the_closest_names(runner):
    result = runner.invoke(main, ["show", "ZnSA-NC-X"])
    assert (result.exit_code, result.output) == (
        1, "Error: unknown entity 'ZnSA-NC-X'; did you mean 'ZnSA-N-C', 'N-doped carbon (metal-free)' or 'Zn'?\n")


def test_no_traceback_on_any_of_these(runner, tmp_path):
    result = runner.invoke(main, ["show", "'; DROP } UNION { ?s ?p ?o"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown entity ")
    assert "Traceback" not in result.output
