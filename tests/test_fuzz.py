"""Fuzzing the command line: whatever is typed or added, the answer is an answer or a one-line error
(exit 0, 1 or 2), never a traceback or an internal error. Bounded to about a minute in all."""

import shutil

import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_curate import WANG

from kg.cli.commands import main

FUZZ = settings(max_examples=60, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
WORDS = ["which", "mechanisms", "Na", "K", "Li", "lowest", "nucleation", "overpotential", "over", "900", "h", "mV",
         "cycle", "life", "ZnSA-N-C", "compare", "and", "baseline", "systems", "for", "<", ">", "1e400", "-3",
         "0.0000001", "mA/cm2", "µA h cm⁻²", "°C", "'", '"', "} UNION {", "DELETE", "?x", "\\", "%", "\n", "\t"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
QUESTIONS = st.lists(st.one_of(st.sampled_from(WORDS), TEXT), max_size=8).map(" ".join)


def outcome(result):
    """The checks every fuzzed command must pass."""
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    if result.exit_code == 1:
        assert result.output.startswith("Error: "), result.output
    assert all(len(line) <= 1000 for line in result.output.splitlines())


@pytest.fixture(scope="module")
def built(isolated_cache):
    from kg.engine.opening import open_kb

    open_kb()
    open_kb(FIXTURES / "mini")


@FUZZ
@given(question=QUESTIONS)
@example(question="1" * 29 + " h")
@example(question="Na systems with cycle life more than 0.0000001 h")
@example(question="x" * 100_000)
@example(question="mechanisms for\nK\x1b[2J")
@example(question="lowest nucleation overpotential for K? 1e-400 mV")
def test_ask(built, question):
    outcome(CliRunner().invoke(main, ["ask", question]))


@FUZZ
@given(name=st.one_of(st.sampled_from(["v", "x_1", "", "1v", "v v"]), TEXT),
       value=st.one_of(st.sampled_from(["1.5e3", "1e400", "<http://x>", "<bad iri>", '"a"', "true", "potassium",
                                        "-0", "1" * 40, "nan", "inf"]), TEXT))
@example(name="v", value="1.5e3")
@example(name="v", value="1" * 29)
def test_query_param(built, name, value):
    query = "SELECT ?v WHERE { } LIMIT 1"
    outcome(CliRunner().invoke(main, ["query", "--sparql", query, "--param", f"{name}={value}"]))


@FUZZ
@given(entity=st.one_of(st.sampled_from(WORDS), TEXT))
@example(entity="\x1b]0;owned\x07")
@example(entity="SAFe")
def test_show(built, entity):
    outcome(CliRunner().invoke(main, ["show", entity]))


FIELDS = ['"9 mV"', "measured", "Na", "M-N-C", "[Co]", '"10.1002/adfm.202500001"', "2025", "wang-2025-na",
          "SACo-HC-test", "1 mA cm-2", "nucleation"]
VALUES = st.one_of(
    st.sampled_from(["", "~", "[]", "{}", "[[[[[[[[[[[[x]]]]]]]]]]]]", "&a x", "*a", "!!binary AAAA", "2025-01-01",
                     "yes", "null", '"\\ud800"', '"\\0"', '"100000000000000000000000000000 mV"', '"1e400 mV"',
                     '"-5 h"', '"1e-400 mV"', "? [a]", '"x\\u202e"', "dup_2025", "P_CO"]),
    TEXT.map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'))


@settings(FUZZ, max_examples=25)
@given(field=st.sampled_from(FIELDS), value=VALUES)
@example(field='"9 mV"', value='"100000000000000000000000000000 mV"')
@example(field='"9 mV"', value='"1e400 mV"')
@example(field="wang-2025-na", value='"bad \\ud800"')
def test_add(built, tmp_path_factory, field, value):
    work = tmp_path_factory.mktemp("fuzz-add")
    data = work / "mini"
    shutil.copytree(FIXTURES / "mini", data)
    paper = work / "paper.yaml"
    paper.write_text(WANG.read_text().replace(field, value, 1))
    result = CliRunner().invoke(main, ["--data", str(data), "add", "--dry-run", str(paper)])
    outcome(result)
