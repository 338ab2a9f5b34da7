"""The built store follows the source: edits show up at once, broken data never answers from a stale store."""

import json
import os

import pytest

from kg.cli import main
from kg.store import fingerprint, store_path


def cycle_life(runner, data):
    result = runner.invoke(main, ["--data", str(data), "show", "ZnSA-N-C", "--format", "json"])
    assert result.exit_code == 0, result.output
    return [m["display"] for m in json.loads(result.output)["measurements"] if m["quantity"] == "cycle life"]


def test_an_edit_to_the_source_is_answered_without_a_manual_rebuild(runner, data_copy):
    assert cycle_life(runner, data_copy) == ["1000 h"]
    path = data_copy / "papers" / "ref-070.yaml"
    path.write_text(path.read_text().replace("value: 1000 h", "value: 1100 h"))
    assert cycle_life(runner, data_copy) == ["1100 h"]


def test_broken_data_is_an_error_not_a_stale_answer(runner, data_copy):
    assert cycle_life(runner, data_copy) == ["1000 h"]
    path = data_copy / "papers" / "ref-070.yaml"
    path.write_text(path.read_text().replace("value: 1000 h", "value: 1000 mV"))
    result = runner.invoke(main, ["--data", str(data_copy), "show", "ZnSA-N-C"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "Error: the data does not conform to the shapes:"
    assert not os.path.exists(store_path(data_copy))


def test_a_leftover_scratch_directory_does_not_disturb_the_store(runner, data_copy):
    target = store_path(data_copy)
    scratch = target + ".tmp-99999"
    os.makedirs(scratch)
    with open(os.path.join(scratch, "garbage"), "w") as handle:
        handle.write("half-written")
    assert cycle_life(runner, data_copy) == ["1000 h"]
    assert os.path.exists(os.path.join(target, "BUILD-COMPLETE"))


def test_the_fingerprint_covers_every_source_file(data_copy):
    before = fingerprint(data_copy)
    (data_copy / "materials.yaml").write_text((data_copy / "materials.yaml").read_text() + "\n")
    assert fingerprint(data_copy) != before


def test_an_incomplete_store_with_the_right_name_is_rebuilt(runner, data_copy):
    assert cycle_life(runner, data_copy) == ["1000 h"]
    target = store_path(data_copy)
    with open(os.path.join(target, "BUILD-COMPLETE"), "w") as handle:
        handle.write("written by another build\n")
    assert cycle_life(runner, data_copy) == ["1000 h"]
    with open(os.path.join(target, "BUILD-COMPLETE")) as handle:
        assert handle.read().startswith("sackg ")


def test_precomputed_answers_are_the_live_answers(monkeypatch):
    """Templates marked `# precomputed: yes` are answered from results saved in the same build as the
    store; each equals what the query gives on that store, for every saved binding."""
    from kg.binding import ANY
    from kg.query import template, template_names
    from kg.store import Iri, KnowledgeBase, open_kb

    kb = open_kb()  # not the session's: other tests' builds may have pruned that one from the cache

    metals = [Iri(f"https://w3id.org/sackg/id/element/{m}") for m in ("K", "Li", "Na")]
    marked = [template(n) for n in template_names() if template(n).precomputed]
    assert {t.name for t in marked} >= {"mechanisms_for_metal", "overview_by_metal", "count_systems"}
    live = {(t.name, json.dumps(sorted((k, str(v)) for k, v in b.items()))): kb.select(t.text, b)
            for t in marked for b in t.precomputed_bindings(metals)}
    assert len(live) == 30  # 8 one-metal templates x 3 metals, 2 with no parameters, count_systems: open + 3 metals
    assert sum(1 for _, (_c, rows) in live.items() if rows) >= 25
    monkeypatch.setattr(KnowledgeBase, "select", lambda *a: (_ for _ in ()).throw(AssertionError("queried")))
    for t in marked:
        for b in t.precomputed_bindings(metals):
            assert kb.run_template(t, b) == live[(t.name, json.dumps(sorted((k, str(v)) for k, v in b.items())))]
    other = template("count_systems")  # a binding that was not saved still runs the query
    with pytest.raises(AssertionError, match="queried"):
        kb.run_template(other, {"metal": metals[2], "element": Iri("https://w3id.org/sackg/id/element/Zn"),
                                "support": ANY, "mechanism": ANY})


def test_only_metal_parameters_can_be_precomputed():
    from kg.errors import SackgError
    from kg.query import parse_template

    bad = parse_template("bad", "# title: t\n# summary: s\n# params: quantity (quantity)\n# precomputed: yes\nSELECT")
    with pytest.raises(SackgError, match="bad: only metal parameters can be precomputed, not quantity 'quantity'"):
        bad.precomputed_bindings([])
