"""Incremental curation: with a store built from the data, `add` and `remove` update it by the difference
(kg.engine.build.update_store), and the result is the store a full build of the same data gives."""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import FIXTURES, ROOT

WANG = FIXTURES / "papers" / "wang-2025-na.yaml"
CHEN = FIXTURES / "papers" / "chen-2025-k.yaml"


def contents(store: str) -> dict:
    """A built store as comparable values: its triples, and every file saved beside them (SQLite files by
    their rows), the saved answers aside (see saved_answers)."""
    import pyoxigraph as ox

    from kg.engine.embedded import database_path

    found = {"triples": sorted(map(str, ox.Store.read_only(database_path(store))))}
    for root, _dirs, names in os.walk(store):
        for name in names:
            full = os.path.join(root, name)
            rel = os.path.relpath(full, store)
            if rel.startswith(("oxigraph", "answers")):
                continue
            if name.endswith(".sqlite"):
                with sqlite3.connect(full) as con:
                    tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                    found[rel] = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
            else:
                with open(full, "rb") as handle:
                    found[rel] = handle.read()
    return found


def saved_answers(store: str) -> dict:
    folder = os.path.join(store, "answers")
    if not os.path.isdir(folder):
        return {}
    return {name: open(os.path.join(folder, name), "rb").read() for name in os.listdir(folder)}


def rebuilt(data, tmp_path) -> str:
    """A store built in full from `data`, beside the cache."""
    from kg.engine.build import build_store, signature

    target = tmp_path / "rebuilt"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    build_store(str(data), str(target / "kb"), signature(str(data)))
    return str(target / "kb")


def answers(store: str, questions: list[str]) -> list:
    from kg.ask.answering import answer
    from kg.engine.embedded import KnowledgeBase, Opening

    kb = KnowledgeBase(Opening(store), store)
    return [(q, found.template.name if found.template else None, found.rows) for q in questions
            for found in [answer(kb, q)]]


def test_an_incrementally_updated_store_equals_a_full_rebuild(data_copy, tmp_path, monkeypatch):
    """Add two papers, replace one, remove one: after each, the store updated in place holds the same
    triples, summaries, name index and fact index as a full build of the same data, and every template's
    example questions get the same answers. The update saves no precomputed answer: asking saves each one,
    the same as the full build saved."""
    from kg.curate.papers import add, remove
    from kg.engine.build import store_path
    from kg.engine.opening import open_kb
    from kg.engine.templates import askable_templates
    from kg.source import validate

    questions = [q for t in askable_templates() for q in t.examples]
    assert len(questions) > 40
    open_kb(data_copy)
    replaced = tmp_path / "wang.yaml"
    replaced.write_text(WANG.read_text().replace('value: "9 mV"', 'value: "7 mV"')  # what a fact reads through
                        .replace('"X. Wang", "Y. Li"', '"X. Wang", "Z. Zhou", "Y. Li"')  # its author list and label
                        .replace("Adv. Funct. Mater.", "Adv. Mater.")  # and the facets of its system:
                        .replace("kinds: [hard carbon]", "kinds: [graphene]").replace("mechanism: nucleation", "mechanism: desolvation"))
    steps = [lambda: add([str(WANG), str(CHEN)], data_copy), lambda: add([str(replaced)], data_copy, replace=True),
             lambda: remove("10.1016/j.ensm.2025.103921", data_copy)]
    states = []
    for step in steps:
        with monkeypatch.context() as patched:
            def full_build(_data_dir):
                raise AssertionError("a full build during an incremental change")
            patched.setattr(validate, "conforming", full_build)
            step()
        store, full = store_path(str(data_copy)), rebuilt(data_copy, tmp_path)
        incremental = contents(store)
        states.append(incremental)
        assert incremental == contents(full)
        assert saved_answers(store) == {}
        assert answers(store, questions) == answers(full, questions)
        remembered, precomputed = saved_answers(store), saved_answers(full)
        assert len(remembered) > 20
        assert {name: precomputed.get(name) for name in remembered} == remembered
    replacement = states[1]
    facets = [{(facet, value.rsplit("#", 1)[-1]) for facet, value, s in state["facets.sqlite"]["facets"]
               if s.endswith("/SACo-HC-test")} for state in states]
    assert {("support", "HardCarbon"), ("mechanism", "Nucleation")} <= facets[0] - facets[1]
    assert {("support", "Graphene"), ("mechanism", "Desolvation")} <= facets[1] - facets[0]
    assert "7 mV" in str(replacement["data.nt"]) and "SACo-HC-test" in str(replacement["names.sqlite"])
    assert "X. Wang et al., Adv. Mater., 2025" in str(replacement["facts.sqlite"])
    assert "Fe-SA-G-test" in str(replacement["names.sqlite"]) and "Fe-SA-G-test" not in str(states[2]["names.sqlite"])


def test_without_a_built_store_nothing_is_built_until_it_is_needed(data_copy):
    """`add` on data with no store writes the paper only: the next command builds the store in full."""
    from kg.curate.papers import add
    from kg.engine import cache
    from kg.engine.build import signature, store_path

    add([str(WANG)], data_copy)
    assert not cache.complete(store_path(str(data_copy)), signature(str(data_copy)))


def test_a_paper_read_from_elsewhere_is_stored_under_its_data_file(data_copy):
    """The store's record of where each reference was read names the file in the data directory, not the
    file the curator gave: so `remove` deletes that file and nothing outside the data."""
    from kg.curate.papers import add, remove
    from kg.engine.build import store_path
    from kg.engine.opening import open_kb
    from kg.source.snapshot import Snapshot

    open_kb(data_copy)
    add([str(WANG)], data_copy)
    saved = Snapshot.load(store_path(str(data_copy)))
    assert [r.file for r in saved.references if r.key == "wang-2025-na"] == ["data/papers/wang-2025-na.yaml"]
    remove("wang-2025-na", data_copy)
    assert WANG.exists() and not (data_copy / "papers" / "wang-2025-na.yaml").exists()


def test_a_change_of_files_outside_the_data_is_refused(tmp_path):
    from kg.model.errors import SackgError
    from kg.source.transaction import commit, locked

    (tmp_path / "data").mkdir()
    with locked(str(tmp_path / "data")), pytest.raises(SackgError) as raised:
        commit(str(tmp_path / "data"), {}, [str(tmp_path / "keep.yaml")])
    assert str(raised.value) == f"{tmp_path / 'keep.yaml'}: not a file of the data directory; nothing was changed"
    with locked(str(tmp_path / "data")), pytest.raises(SackgError) as raised:
        commit(str(tmp_path / "data"), {"../x.yaml": b""}, [])
    assert str(raised.value) == "../x.yaml: not a file of the data directory; nothing was changed"
    assert sorted(os.listdir(tmp_path)) == ["data"]


CHILD = r'''
import sys
import kg.curate.papers as papers
real_update = papers._update
def update(*args):
    print("update", flush=True)
    real_update(*args)
papers._update = update
if sys.argv[2] == "add":
    papers.add(sys.argv[3:], sys.argv[1])
else:
    papers.remove(sys.argv[3], sys.argv[1])
print("done", flush=True)
'''

DIGEST = r'''
import hashlib, json, sys
sys.path.insert(0, sys.argv[2])
from test_incremental import contents
from kg.engine.opening import open_kb
kb = open_kb(sys.argv[1])
found = contents(kb.path)
del found["BUILD-COMPLETE"]  # names each file's modification time, which a rewrite changes
print(hashlib.sha256(repr(sorted(found.items())).encode()).hexdigest())
'''


def _run(code: str, *args, cache: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SACKG_CACHE=cache)
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)


def _digest(data, cache) -> str:
    out, err = _run(DIGEST, data, ROOT / "tests", cache=str(cache)).communicate()
    assert not err, err
    return out.strip()


@pytest.mark.slow
def test_kill_during_an_incremental_add_or_remove_leaves_old_or_new(tmp_path):
    """kill -9 at 24 random points of `add` and `remove` on data with a built store, most of them while the
    store is being updated: the data is all-old or all-new, and the store the next command opens is the one
    a full build of that data gives."""
    from test_curate import snapshot

    from kg.source.transaction import settle

    data, cache = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(FIXTURES / "mini", data)
    steps = [("add", WANG, CHEN), ("remove", "10.1016/j.ensm.2025.103921")]
    states, digests = [], []  # data files, and a copy of data and cache with its store, before each step and after
    for step in [*steps, None]:
        _digest(data, cache)  # builds the store
        digests.append(_digest(data, tmp_path / f"fresh-{len(states)}"))  # the same data's store, built in full
        keep = tmp_path / f"state-{len(states)}"
        shutil.copytree(data, keep / "data")
        shutil.copytree(cache, keep / "cache", ignore=shutil.ignore_patterns("*.lock"))
        states.append((snapshot(data), keep))
        if step is not None:
            assert _run(CHILD, data, *step, cache=str(cache)).wait() == 0
    rng = random.Random(2026)
    outcomes = {"old": 0, "new": 0, "mid-update": 0}
    for attempt in range(24):
        index = attempt % 2
        (old, keep), new = states[index], states[index + 1][0]
        shutil.rmtree(data)
        shutil.rmtree(cache)
        shutil.copytree(keep / "data", data)  # same path, sizes and times: the store in the cache is its own
        shutil.copytree(keep / "cache", cache)
        child = _run(CHILD, data, *steps[index], cache=str(cache))
        if rng.random() < 0.6:
            assert child.stdout.readline() == "update\n"  # the data is committed; the store is being updated
            time.sleep(rng.uniform(0, 0.6))  # the update takes about 0.5 s
        else:
            time.sleep(rng.uniform(0, 0.45))  # before it: reading, checking, committing
        child.send_signal(signal.SIGKILL)
        child.wait()
        settle(str(data))
        found = snapshot(data)
        assert found in (old, new), f"attempt {attempt}: a mixture of old and new"
        outcomes["old" if found == old else "new"] += 1
        outcomes["mid-update"] += any(".tmp-" in n for n in os.listdir(cache))
        assert _digest(data, cache) == digests[index + (found == new)], f"attempt {attempt}: not the store of the data"
        assert not [n for n in os.listdir(cache) if ".tmp-" in n], f"attempt {attempt}: a scratch build left behind"
    assert outcomes["old"] > 2 and outcomes["new"] > 2 and outcomes["mid-update"] > 2, outcomes


def test_a_year_in_the_future_is_refused(runner, data_copy, tmp_path):
    from datetime import date

    from kg.cli.commands import main

    paper = tmp_path / "paper.yaml"
    paper.write_text(WANG.read_text().replace("  year: 2025", f"  year: {date.today().year + 2}"))
    result = runner.invoke(main, ["--data", str(data_copy), "add", str(paper)])
    assert (result.exit_code, result.output) == (1, f"Error: {paper}:7: reference 'wang-2025-na': field 'year': "
                                                    f"{date.today().year + 2} is in the future (at most "
                                                    f"{date.today().year + 1}, for a paper in press)\n")


def test_no_query_of_a_build_or_an_update_is_stopped_by_the_time_limit(data_copy, tmp_path, monkeypatch):
    """$SACKG_TIMEOUT bounds a person's question, not the build's own queries (the fact index alone takes
    40 s at 100,000 systems): under a limit of a millisecond the store is still built, then updated."""
    from kg.curate.papers import add
    from kg.engine.build import store_path
    from kg.engine.opening import open_kb

    def within(seconds, work):
        assert seconds is None, f"a build's query ran under a time limit of {seconds} s"
        return work()

    monkeypatch.setenv("SACKG_TIMEOUT", "0.001")
    monkeypatch.setattr("kg.engine.embedded.within", within)
    open_kb(data_copy)
    add([str(WANG)], data_copy)
    assert os.path.exists(os.path.join(store_path(str(data_copy)), "facts.sqlite"))


def test_a_changed_claim_or_support_node_touches_the_facets_of_its_system(tmp_path):
    """A claim's mechanism or a support node's kind is a facet of the system they belong to, though
    neither triple names the system."""
    import pyoxigraph as ox

    from kg.engine import facets

    sac, sid = "https://w3id.org/sackg/ontology#", "https://w3id.org/sackg/id/"
    store = ox.Store()
    system, node, claim = (ox.NamedNode(sid + n) for n in ("system/a", "support/a", "claim/a"))
    store.extend([ox.Quad(system, ox.NamedNode(sac + "support"), node),
                  ox.Quad(claim, ox.NamedNode(sac + "aboutSystem"), system)])
    path = tmp_path / "facets.sqlite"
    facets._write(str(path), [])
    for changed in (ox.Triple(claim, ox.NamedNode(sac + "mechanism"), ox.NamedNode(sac + "Nucleation")),
                    ox.Triple(node, ox.NamedNode(sac + "supportKind"), ox.NamedNode(sac + "HardCarbon"))):
        update = facets.Update(str(path))
        update.touch(store, [changed])
        assert system.value in update.touched
