"""The built store follows the source: edits show up at once, broken data never answers from a stale store."""

import itertools
import json
import os

import pytest

from kg.cli.commands import main
from kg.engine.build import fingerprint, store_path


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
    store; each equals what the query gives on that store, for every binding the build ran, and for
    every value of a `split` parameter: each technique, mechanism, support and so on of the vocabulary."""
    from kg.ask.words import KINDS
    from kg.engine.binding import ANY
    from kg.engine.embedded import KnowledgeBase
    from kg.engine.opening import open_kb
    from kg.engine.templates import template, template_names
    from kg.model.terms import Iri

    kb = open_kb()  # not the session's: other tests' builds may have pruned that one from the cache

    values = {"metal": [Iri(f"https://w3id.org/sackg/id/element/{m}") for m in ("K", "Li", "Na")],
              "quantity": [r["quantity"] for r in kb.select(template("measured_quantities").text)[1]],
              "direction": [False, True]}
    assert len(values["quantity"]) >= 20

    def vocabulary(kind):
        found = kb.select("SELECT DISTINCT ?x WHERE { VALUES ?c { %s } ?x a ?c }" % " ".join(
            f"<{c}>" for c in sorted(KINDS[kind])))[1]
        return [r["x"] for r in found]

    marked = [template(n) for n in template_names() if template(n).precomputed]
    assert {t.name for t in marked} >= {"mechanisms_for_metal", "overview_by_metal", "count_systems", "best_value",
                                        "systems_with_technique", "references_for_mechanism"}
    cases = []
    for t in marked:
        kinds = dict(t.params)
        for bound in t.precomputed_bindings(values):
            splits = [[(name, v) for v in vocabulary(kinds[name])] for name in t.split]
            for combination in itertools.product(*splits):
                cases.append((t, {**bound, **dict(combination)}))
    live = []
    for t, b in cases:
        columns, rows = kb.select(t.text, b)
        live.append((columns, t.canonical(rows)))
    answered = [bool(rows) for _, rows in live]
    assert len(cases) > 600 and sum(answered) > 250
    select = KnowledgeBase.select
    monkeypatch.setattr(KnowledgeBase, "select", lambda *a: (_ for _ in ()).throw(AssertionError("queried")))
    for (t, b), expected, nonempty in zip(cases, live, answered):
        if nonempty:  # saved with the store: no query runs
            assert kb.run_template(t, b) == expected, (t.name, b)
    monkeypatch.setattr(KnowledgeBase, "select", select)
    for (t, b), expected in zip(cases, live):
        assert kb.run_template(t, b) == expected, (t.name, b)
    other = template("count_systems")  # a binding that was not saved still runs the query
    monkeypatch.setattr(KnowledgeBase, "select", lambda *a: (_ for _ in ()).throw(AssertionError("queried")))
    with pytest.raises(AssertionError, match="queried"):
        kb.run_template(other, {"metal": values["metal"][2], "element": Iri("https://w3id.org/sackg/id/element/Zn"),
                                "support": ANY, "mechanism": ANY})


def test_only_values_the_build_knows_are_bound_and_splits_must_be_columns():
    from kg.engine.templates import parse_template
    from kg.model.errors import SackgError

    bad = parse_template("bad", "# title: t\n# summary: s\n# params: technique (technique)\n# precomputed: yes\nSELECT")
    with pytest.raises(SackgError, match="^bad: cannot precompute technique 'technique': bind only direction, metal, "
                                         "quantity parameters, or split by it$"):
        bad.precomputed_bindings({"metal": [], "quantity": [], "direction": [False, True]})
    split = parse_template("split", "# title: t\n# params: technique (technique)\n# precomputed: yes\n# split: technique\n"
                                    "SELECT ?system WHERE { ?system ?p ?technique }")
    assert split.precomputed_bindings({"metal": []}) == [{}]
    with pytest.raises(SackgError, match="^split: cannot split by 'technique': the query does not select it$"):
        split.split_answer({}, ["system"], [])


def test_the_store_is_opened_on_the_first_query_only():
    """An answer saved with the store is read without opening the store (nor importing pyoxigraph for it)."""
    from kg.engine.embedded import Opening
    from kg.engine.opening import open_kb
    from kg.engine.templates import template
    from kg.model.terms import Iri

    kb = open_kb()
    assert isinstance(kb._opened, Opening)
    columns, rows = kb.run_template(template("mechanisms_for_metal"), {"metal": Iri("https://w3id.org/sackg/id/element/Na")})
    assert rows and isinstance(kb._opened, Opening)
    assert kb.select("SELECT (1 AS ?one) WHERE {}")[1] == [{"one": 1}]
    assert not isinstance(kb._opened, Opening)
