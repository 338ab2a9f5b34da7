"""Reading YAML: libyaml (kg.source.records._FastLoader) gives exactly what the pure-Python reader gives,
records, values and the line of every record and field; anything it cannot read the same way goes to the
pure-Python reader, whose messages the curator sees."""

from pathlib import Path

import pytest
import yaml

from kg.source import records
from kg.source.records import Record, load_yaml

DATA = Path(__file__).resolve().parents[1] / "data"


def lines_and_values(value):
    if isinstance(value, Record):
        return ("record", value.line, sorted(value.key_lines.items()), {k: lines_and_values(v) for k, v in value.items()})
    if isinstance(value, list):
        return [lines_and_values(v) for v in value]
    return (type(value).__name__, value)


@pytest.mark.parametrize("path", sorted(DATA.rglob("*.yaml")), ids=lambda p: p.name)
def test_libyaml_reads_every_bundled_file_as_the_python_reader_does(path):
    assert records._FastLoader is not None, "PyYAML is installed without libyaml"
    text = path.read_text(encoding="utf-8")
    fast = yaml.load(text, Loader=records._FastLoader)
    assert lines_and_values(fast) == lines_and_values(yaml.load(text, Loader=records._Loader))


@pytest.mark.parametrize("text, message", [
    ("a: &x [1, 2]\nb: *x\n", "t.yaml:2: invalid YAML: aliases (*name) are not accepted; write the value out"),
    ("a:\n" + "".join("  " * i + " - \n" for i in range(1, 12)), "t.yaml:11: invalid YAML: nested deeper than 10 levels"),
    ("a: 1\na: 2\n", "t.yaml:2: invalid YAML: duplicate key 'a'"),
    ("a: [1, 2\n", "t.yaml:2: invalid YAML: expected ',' or ']', but got '<stream end>'"),
])
def test_what_libyaml_cannot_read_the_same_way_is_reported_by_the_python_reader(tmp_path, text, message):
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    content, problem = load_yaml(path, "t.yaml")
    assert content is None and str(problem) == message


def test_numbers_stay_as_written_with_libyaml():
    content = yaml.load("value: 0.50\nyear: 2024\n", Loader=records._FastLoader)
    assert content == {"value": "0.50", "year": 2024} and content.key_lines == {"value": 1, "year": 2}
