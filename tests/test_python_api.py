"""The Python API (kg/api.py): the README's "Use from Python" section and docs/python-api.md run as doctests,
and the API says what is wrong in one line, as the command line does."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent


def _doctest(text: str, name: str) -> None:
    blocks = "\n".join(re.findall(r"```python\n(.*?)```", text, re.DOTALL))
    test = doctest.DocTestParser().get_doctest(blocks, {}, name, name, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 8, f"{name}: {runner.failures} of {runner.tries} examples failed"


def test_the_readme_section_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Use from Python"):readme.index("## See the field")]
    _doctest(section, "README: Use from Python")


def test_the_notebook_walkthrough_runs():
    _doctest((ROOT / "docs" / "python-api.md").read_text(encoding="utf-8"), "docs/python-api.md")


def test_the_api_is_what_kg_exports():
    assert kg.__all__ == ["open", "KnowledgeBase", "Answer", "Result", "Iri", "SackgError", "__version__"]
    assert all(getattr(kg, name) is not None for name in kg.__all__)
    with pytest.raises(AttributeError):
        kg.nothing_here  # noqa: B018


def test_import_kg_alone_imports_no_more_than_the_version():
    out = subprocess.run([sys.executable, "-c", "import kg, sys; print(sorted(m for m in sys.modules if m.startswith('kg')))"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "['kg', 'kg.model', 'kg.model.version']"


@pytest.mark.parametrize("call, message", [
    (lambda kb: kb.run("systems_for_metal", metl="Na"), "systems_for_metal: no parameter 'metl'; expected metal"),
    (lambda kb: kb.run("systems_for_metal"), "systems_for_metal: give the parameter 'metal'"),
    (lambda kb: kb.run("no_such_template"), "no_such_template.rq: no such query template"),
    (lambda kb: kb.run("systems_for_metal", metal=[1]), "cannot bind a list: give a name, an Iri, a number or a boolean"),
    (lambda kb: kb.select("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"),
     "SERVICE (federated query) is not run on a local store; query a server that allows it with --endpoint"),
])
def test_bad_calls_raise_one_line(call, message):
    kb = kg.open()
    with pytest.raises(kg.SackgError) as caught:
        call(kb)
    assert str(caught.value).endswith(message) and "\n" not in str(caught.value)


def test_an_answer_keeps_what_the_command_line_shows(runner):
    import json

    from kg.cli.commands import main

    answer = kg.open().ask("which mechanisms are supported for Na?")
    printed = json.loads(runner.invoke(main, ["ask", "which mechanisms are supported for Na?", "--format", "json"]).output)
    assert answer.template == printed["template"] == "mechanisms_for_metal" and answer.bindings == {"metal": "Na"}
    assert answer.language == "sparql" and answer.sparql == printed["sparql"]
    assert (answer.columns, answer.note) == (printed["columns"], printed["note"])
    assert [r["mechanism"] for r in answer.rows] == [r["mechanism"] for r in printed["rows"]]
