"""Adding and removing papers: validated first, written all-or-nothing, serialised, crash-safe."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import FIXTURES, ROOT

from kg.cli.commands import main

WANG = FIXTURES / "papers" / "wang-2025-na.yaml"
CHEN = FIXTURES / "papers" / "chen-2025-k.yaml"
WANG_LINE = ("added data/papers/wang-2025-na.yaml: X. Wang and Y. Li, Adv. Funct. Mater., 2025 "
             "(doi 10.1002/adfm.202500001): 1 system, 1 measurement, 1 claim")
CHEN_LINE = ("added data/papers/chen-2025-k.yaml: L. Chen et al., Energy Storage Mater., 2025 "
             "(doi 10.1016/j.ensm.2025.103921): 1 system, 1 measurement, 1 claim")


def snapshot(directory):
    """Every file under `directory` (hidden ones too) with its bytes."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture()
def mini(tmp_path):
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    return target


def paper(tmp_path, old=None, new=None, raw=None):
    path = tmp_path / "paper.yaml"
    if raw is not None:
        path.write_bytes(raw)
        return path
    text = WANG.read_text()
    if old is not None:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text)
    return path


def test_add_then_ask_uses_the_new_paper(runner, data_copy):
    before = runner.invoke(main, ["--data", str(data_copy), "ask", "lowest nucleation overpotential for Na?"])
    assert "SACo-HC-test" not in before.output
    result = runner.invoke(main, ["--data", str(data_copy), "add", str(WANG)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{WANG_LINE}\ncurated triples: 8,368 -> 8,424 (+56)\n"
    assert (data_copy / "papers" / "wang-2025-na.yaml").read_bytes() == WANG.read_bytes()
    after = runner.invoke(main, ["--data", str(data_copy), "ask", "lowest nucleation overpotential for Na?"],
                          env={"SACKG_WIDTH": "200"})  # wide enough that no cell wraps
    rows = [line.split()[0] for line in after.output.splitlines()[2:] if line and not line.startswith(" ")]
    assert rows[:3] == ["ZnSA-N-C", "SACo-HC-test", "Co_SA@NC"]
    assert "current density 1 mA cm⁻²" in after.output


def test_dry_run_counts_and_writes_nothing(runner, mini):
    before = snapshot(mini)
    result = runner.invoke(main, ["--data", str(mini), "add", "--dry-run", str(WANG), str(CHEN)])
    assert result.exit_code == 0, result.output
    assert result.output == (f"would have {WANG_LINE}\nwould have {CHEN_LINE}\n"
                             "curated triples: 384 -> 514 (+130)\nnothing written (--dry-run)\n")
    assert snapshot(mini) == before


def test_replace_needs_the_flag_then_updates_in_place(runner, mini, tmp_path):
    assert runner.invoke(main, ["--data", str(mini), "add", str(WANG)]).exit_code == 0
    updated = paper(tmp_path, 'value: "9 mV"', 'value: "8 mV"')
    kept = snapshot(mini)
    refused = runner.invoke(main, ["--data", str(mini), "add", str(updated)])
    assert refused.exit_code == 1
    assert refused.output == (f"Error: {updated}:8: reference 'wang-2025-na': field 'doi': DOI 10.1002/adfm.202500001 "
                              "is already in the knowledge base (data/papers/wang-2025-na.yaml); "
                              "use --replace to update that paper\n")
    assert snapshot(mini) == kept
    result = runner.invoke(main, ["--data", str(mini), "add", "--replace", str(updated)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("replaced data/papers/wang-2025-na.yaml: X. Wang and Y. Li")
    assert result.output.endswith("curated triples: 443 -> 443 (+0)\n")
    assert (mini / "papers" / "wang-2025-na.yaml").read_text() == updated.read_text()


def test_remove_by_doi_restores_the_bytes(runner, mini):
    before = snapshot(mini)
    assert runner.invoke(main, ["--data", str(mini), "add", str(WANG), str(CHEN)]).exit_code == 0
    result = runner.invoke(main, ["--data", str(mini), "remove", "10.1016/j.ensm.2025.103921"])
    assert result.exit_code == 0, result.output
    assert result.output == (CHEN_LINE.replace("added", "removed") + "\ncurated triples: 514 -> 443 (-71)\n")
    result = runner.invoke(main, ["--data", str(mini), "remove", "wang-2025-na"])
    assert result.exit_code == 0, result.output
    assert snapshot(mini) == before


# (name, how the paper is broken: (old, new) on the Wang paper / raw bytes / None, extra args, expected message)
BAD_PAPERS = [
    ("empty file", b"", [], "{p}: file is empty"),
    ("YAML syntax", ("centre_metals: [Co]", "centre_metals: [Co"), [],
     "{p}:12: invalid YAML: expected ',' or ']', but got ':'"),
    ("not UTF-8", b"reference:\n  id: x\xff\n", [], "{p}: not UTF-8 text (invalid start byte at byte 18)"),
    ("top level is a list", b"- reference: x\n", [], "{p}:1: expected a mapping with a 'reference' block at the top level"),
    ("review-only block", ("systems:\n", "sections:\n  - id: '9'\n    title: x\nsystems:\n"), [],
     "{p}:9: field 'sections': not part of a paper; a paper file has reference, materials, systems, measurements, claims"),
    ("misnamed reference block", ("reference:\n", "ref:\n"), [],
     "{p}:2: field 'ref': not part of a paper; a paper file has reference, materials, systems, measurements, claims"),
    ("no id", ("  id: wang-2025-na\n", ""), [], "{p}:3: reference: field 'id': required field is missing"),
    ("the review's id", ("  id: wang-2025-na\n", "  id: review\n"), [],
     "{p}:3: reference 'review': field 'id': 'review' is the review's own id"),
    ("no DOI", ('  doi: "10.1002/adfm.202500001"\n', ""), [],
     "{p}:3: reference 'wang-2025-na': field 'doi': required field is missing (papers are added by DOI)"),
    ("DOI syntax", ('"10.1002/adfm.202500001"', '"doi:10.1002/adfm.202500001"'), [],
     "{p}:8: reference 'wang-2025-na': field 'doi': 'doi:10.1002/adfm.202500001' is not a DOI (expected 10.NNNN/suffix)"),
    ("DOI already present", ('"10.1002/adfm.202500001"', '"10.1234/ZN.1"'), [],
     "{p}:8: reference 'wang-2025-na': field 'doi': DOI 10.1234/ZN.1 is already in the knowledge base "
     "(data/papers/p-zn.yaml); use --replace to update that paper"),
    ("reference id taken", ("  id: wang-2025-na\n", "  id: p-co\n"), [],
     "{p}:3: reference 'p-co': field 'id': reference id 'p-co' is already used by data/papers/p-co.yaml"),
    ("unknown mechanism", ("    mechanism: nucleation\n", "    mechanism: nucleaton\n"), [],
     "{p}:28: claim 'SACo-HC-test nucleaton Na': field 'mechanism': unknown mechanism 'nucleaton'; did you mean 'nucleation'?"),
    ("unknown metal", ("    alkali_metals: [Na]", "    alkali_metals: [Rb]"), [],
     "{p}:16: system 'SACo-HC-test': field 'alkali_metals': unknown alkali metal 'Rb'; expected 'K', 'Li' or 'Na'"),
    ("unit of the wrong dimension", ('value: "9 mV"', 'value: "9 mA h g-1"'), [],
     "{p}:21: measurement 'SACo-HC-test nucleation overpotential': field 'value': unit milliampere hour per gram "
     "does not fit nucleation overpotential: it measures SpecificElectricCharge (given: 9 mA h g⁻¹)"),
    ("value without a number", ('value: "9 mV"', 'value: "nine mV"'), [],
     "{p}:21: measurement 'SACo-HC-test nucleation overpotential': field 'value': 'nine mV' is not a number with a "
     "unit (e.g. '29 mV', 'over 900 h')"),
    ("unknown unit", ('value: "9 mV"', 'value: "9 furlongs"'), [],
     "{p}:21: measurement 'SACo-HC-test nucleation overpotential': field 'value': unknown unit 'furlongs' in "
     "'9 furlongs'; known units: %, C, V, W h kg⁻¹, cycles, eV, h, kJ mol⁻¹, mA cm⁻², mA h cm⁻², mA h g⁻¹, mV, "
     "mg cm⁻², min, nm, °, °C, Å, μA h cm⁻²"),
    ("misspelt field", ("    centre_metals: [Co]", "    centre_metal: [Co]"), [],
     "{p}:11: system 'SACo-HC-test': field 'centre_metal': unknown field; did you mean 'centre_metals'?\n"
     "{p}:10: system 'SACo-HC-test': field 'centre_metals': required field is missing"),
    ("required field missing", ("    coordination: M-N-C\n", ""), [],
     "{p}:10: system 'SACo-HC-test': field 'coordination': required field is missing"),
    ("system already recorded", ("  - name: SACo-HC-test", "  - name: TestCo@HC"), [],
     "{p}:10: system 'TestCo@HC': field 'name': 'TestCo@HC' already names system 'TestCo@HC' (data/papers/p-co.yaml:8)\n"
     "{p}:19: measurement 'SACo-HC-test nucleation overpotential': field 'system': unknown system 'SACo-HC-test'; "
     "expected 'TestCo@HC', 'TestFe@G' or 'TestZn@NC'\n"
     "{p}:27: claim 'SACo-HC-test nucleation Na': field 'system': unknown system 'SACo-HC-test'; expected 'TestCo@HC', 'TestFe@G' or "
     "'TestZn@NC'"),
    ("unknown system", ("  - system: SACo-HC-test\n    quantity", "  - system: SACo-HC-tset\n    quantity"), [],
     "{p}:19: measurement 'SACo-HC-tset nucleation overpotential': field 'system': unknown system 'SACo-HC-tset'; "
     "did you mean 'SACo-HC-test'?"),
    ("year", ("  year: 2025", "  year: 25th"), [], "{p}:7: reference 'wang-2025-na': field 'year': '25th' is not a year"),
    ("unknown condition", ("      current density: 1 mA cm-2", "      current dens: 1 mA cm-2"), [],
     "{p}:25: measurement 'SACo-HC-test nucleation overpotential': field 'conditions.current dens': unknown condition; "
     "did you mean 'current density'?"),
    ("duplicate key", ("    metal: Na\n    conditions", "    metal: Na\n    metal: K\n    conditions"), [],
     "{p}:24: invalid YAML: duplicate key 'metal'"),
    ("unknown technique", ("    evidence: [DFT]", "    evidence: [DTF]"), [],
     "{p}:31: claim 'SACo-HC-test nucleation Na': field 'evidence': unknown technique 'DTF'"),
    ("unknown origin", ("    origin: measured", "    origin: guessed"), [],
     "{p}:22: measurement 'SACo-HC-test nucleation overpotential': field 'origin': unknown origin 'guessed'; "
     "expected 'computed', 'measured', 'not stated' or 'set'"),
]


@pytest.mark.parametrize("name,broken,args,expected", BAD_PAPERS, ids=[c[0] for c in BAD_PAPERS])
def test_bad_paper_one_line_each_and_nothing_written(runner, mini, tmp_path, name, broken, args, expected):
    path = paper(tmp_path, raw=broken) if isinstance(broken, bytes) else paper(tmp_path, *broken)
    before = snapshot(mini)
    result = runner.invoke(main, ["--data", str(mini), "add", *args, str(path)])
    assert result.exit_code == 1
    assert result.output == "Error: " + expected.format(p=path) + "\n"
    assert "Traceback" not in result.output
    assert snapshot(mini) == before


def test_other_bad_adds_and_removes(runner, mini, data_copy, tmp_path):
    before = snapshot(mini)

    def fails(data, args, expected):
        result = runner.invoke(main, ["--data", str(data), *args])
        assert (result.exit_code, result.output) == (1, expected)

    fails(mini, ["add", "nope.yaml"], "Error: nope.yaml: no such file\n")
    fails(mini, ["add", str(mini / "papers" / "p-co.yaml")],
          f"Error: {mini / 'papers' / 'p-co.yaml'}: already part of the data; check it with 'sackg validate'\n")
    twin = tmp_path / "twin.yaml"
    twin.write_text(WANG.read_text().replace("wang-2025-na", "wang-2025-na-bis").replace("SACo-HC-test", "SACo-HC-bis")
                    .replace("10.1002/adfm.202500001", "10.1002/ADFM.202500001"))
    fails(mini, ["add", str(WANG), str(twin)],
          f"Error: {twin}:8: reference 'wang-2025-na-bis': field 'doi': DOI 10.1002/ADFM.202500001 is also in {WANG}\n")
    fails(mini, ["remove", "10.9999/none"], "Error: 10.9999/none: no paper with that DOI in the knowledge base\n")
    fails(mini, ["remove", "p-none"], "Error: p-none: no paper with that reference id in the knowledge base\n")
    fails(mini, ["remove", "review"], "Error: review: that is the review itself, which cannot be removed\n")
    fails(tmp_path / "missing", ["add", str(WANG)], f"Error: {tmp_path / 'missing'}: data directory not found\n")
    assert snapshot(mini) == before
    # the review's own DOI cannot be replaced
    review = paper(tmp_path, '"10.1002/adfm.202500001"', '"10.1039/D4GC02590C"')
    kept = snapshot(data_copy)
    fails(data_copy, ["add", "--replace", str(review)],
          f"Error: {review}:8: reference 'wang-2025-na': field 'doi': DOI 10.1039/D4GC02590C is the review's own; "
          "the review cannot be replaced\n")
    # a paper that other records still cite stays
    assert "data/review.yaml:182: figure '8': field 'sources': unknown reference 'ref-070'" in _needs(data_copy)
    fails(data_copy, ["remove", "ref-070"],
          "Error: cannot remove data/papers/ref-070.yaml: 2 records still cite it (data/review.yaml:492: ambiguous name 'SAZn', "
          "which needs term 'ZnSA-N-C'; data/review.yaml:182: figure '8', which needs reference 'ref-070')\n")
    assert snapshot(data_copy) == kept


def _needs(data_copy):
    """What removing ref-070 breaks, as the knowledge base itself reports it."""
    from kg.source.ingest import build
    from kg.source.schema import SourceErrors, source_files

    files = [f for f in source_files(data_copy) if f.name != "ref-070.yaml"]
    with pytest.raises(SourceErrors) as caught:
        build(data_copy, files)
    return str(caught.value) + "\n"


def test_bundled_data_is_read_only(runner, monkeypatch, tmp_path):
    bundled = tmp_path / "site" / "kg" / "_bundled" / "data"
    shutil.copytree(FIXTURES / "mini", bundled)
    result = runner.invoke(main, ["--data", str(bundled), "add", str(WANG)])
    assert (result.exit_code, result.output) == (1, f"Error: {bundled}: the data installed with the package is "
                                                    "read-only; copy it and pass --data DIR (or set SACKG_DATA)\n")


# ------------------------------------------------------------------ crashes and concurrency
CHILD = r'''
import os, sys, time
import kg.source.transaction as t
real_replace, real_fsync = os.replace, t._fsync_dir
def slow(fn):
    def call(*args):
        time.sleep(0.004)  # widen the window between the steps of a commit, so kills land inside it
        return fn(*args)
    return call
os.replace = slow(real_replace)
t._fsync_dir = slow(real_fsync)
from kg.curate.papers import add, remove
real_commit = t.commit
def commit(*args):
    print("commit", flush=True)
    real_commit(*args)
import kg.curate.papers
kg.curate.papers.commit = commit
from kg.model.errors import SackgError
try:
    if sys.argv[2] in ("add", "replace"):
        add(sys.argv[3:], sys.argv[1], replace=sys.argv[2] == "replace")
    else:
        remove(sys.argv[3], sys.argv[1])
except SackgError as exc:
    sys.exit(str(exc))
print("done", flush=True)
'''


def _child(data, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", CHILD, str(data), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)


@pytest.mark.slow
def test_kill_during_add_or_remove_leaves_old_or_new(mini, tmp_path):
    """kill -9 at 36 random points in `add` (three papers) and `remove`: the data is always all-old or all-new."""
    from kg.source.ingest import build
    from kg.source.transaction import settle

    replaced = paper(tmp_path, 'value: "9 mV"', 'value: "7 mV"')
    states = [snapshot(mini)]
    for step in (["add", str(WANG), str(CHEN)], ["replace", str(replaced)], ["remove", "10.1016/j.ensm.2025.103921"]):
        work = tmp_path / f"state-{len(states)}"
        shutil.copytree(mini, work)
        _child(work, *step).wait()
        states.append(snapshot(work))
        shutil.rmtree(mini)
        shutil.copytree(work, mini)
    assert len({tuple(sorted(s)) for s in states}) == 3 and states[2] != states[1]
    rng = random.Random(2024)
    outcomes = {"old": 0, "new": 0}
    for attempt in range(36):
        index = attempt % 3
        old, new = states[index], states[index + 1]
        data = tmp_path / f"kill-{attempt}"
        data.mkdir()
        for name, content in old.items():
            (data / name).parent.mkdir(parents=True, exist_ok=True)
            (data / name).write_bytes(content)
        step = (["add", str(WANG), str(CHEN)], ["replace", str(replaced)], ["remove", "10.1016/j.ensm.2025.103921"])[index]
        child = _child(data, *step)
        if rng.random() < 0.8:
            assert child.stdout.readline() == "commit\n"  # inside the commit: the dangerous part
            time.sleep(rng.uniform(0, 0.06))
        else:
            time.sleep(rng.uniform(0, 0.6))  # anywhere, validation included
        child.send_signal(signal.SIGKILL)
        child.wait()
        settle(str(data))  # what the next reader (or writer) does first
        found = snapshot(data)
        assert found in (old, new), f"attempt {attempt}: a mixture of old and new"
        outcomes["old" if found == old else "new"] += 1
        build(data)  # and it still makes a knowledge base
        shutil.rmtree(data)
    assert outcomes["old"] > 3 and outcomes["new"] > 3, outcomes


def test_two_adds_at_once_are_serialised(mini):
    first, second = _child(mini, "add", str(WANG)), _child(mini, "add", str(CHEN))
    assert first.wait() == 0 and second.wait() == 0
    assert sorted(p.name for p in (mini / "papers").iterdir()) == [
        "chen-2025-k.yaml", "p-co.yaml", "p-fe.yaml", "p-zn.yaml", "wang-2025-na.yaml"]
    from kg.source.ingest import build

    assert len(build(mini).graph) == 514


def test_curating_guide_runs_as_written(runner, data_copy, tmp_path, monkeypatch):
    """Every console session in docs/curating.md, run in order on a copy of the data, prints what it shows."""
    import re
    import shlex

    guide = (ROOT / "docs" / "curating.md").read_text()
    example = re.search(r"<!-- worked-example: (\S+) -->\n```yaml\n(.*?)```", guide, re.S)
    (tmp_path / example.group(1)).write_text(example.group(2))
    (tmp_path / "bad.yaml").write_text(example.group(2).replace("mechanism: lateral atom diffusion",
                                                                "mechanism: lateral difusion"))
    monkeypatch.chdir(tmp_path)
    sessions = re.findall(r"```console\n(.*?)```", guide, re.S)
    commands = [chunk for session in sessions for chunk in re.split(r"^\$ ", session, flags=re.M) if chunk]
    assert len(commands) == 7
    for chunk in commands:
        line, _, shown = chunk.partition("\n")
        args = shlex.split(line)
        assert args[0] == "sackg"
        result = runner.invoke(main, ["--data", str(data_copy), *args[1:]])
        assert result.output == shown, line
        assert result.exit_code == (1 if shown.startswith("Error:") else 0), line


def test_two_adds_of_one_doi_at_once_let_exactly_one_through(mini, tmp_path):
    """Without the lock both would validate against the old data and both write; with it the second
    one sees the first one's paper."""
    twin = tmp_path / "twin.yaml"
    twin.write_text(WANG.read_text().replace("wang-2025-na", "wang-twin").replace("SACo-HC-test", "SACo-HC-twin"))
    children = [_child(mini, "add", str(WANG)), _child(mini, "add", str(twin))]
    results = [(child.wait(), child.stderr.read()) for child in children]
    assert sorted(code for code, _ in results) == [0, 1]
    message = next(err for code, err in results if code == 1)
    assert "field 'doi': DOI 10.1002/adfm.202500001 is already in the knowledge base (data/papers/" in message
    papers = sorted(p.name for p in (mini / "papers").iterdir())
    assert papers in (["p-co.yaml", "p-fe.yaml", "p-zn.yaml", "wang-2025-na.yaml"],
                      ["p-co.yaml", "p-fe.yaml", "p-zn.yaml", "wang-twin.yaml"])


TARGETED = [case for case in BAD_PAPERS if any(word in case[0] for word in ("unit", "required", "unknown", "value", "year",
                                                                            "system", "misspelt", "origin"))]


@pytest.mark.parametrize("name,broken,args,expected", TARGETED, ids=[c[0] for c in TARGETED])
def test_a_bad_paper_on_data_known_to_conform_gets_the_same_lines(runner, mini, tmp_path, name, broken, args, expected):
    """With a store built from the data, `add` validates only the nodes the paper can have made wrong
    (kg.curate.papers.changed_nodes): the same messages as when it validates everything."""
    from kg.engine.build import complete_store
    from kg.engine.opening import open_kb

    open_kb(mini)
    assert complete_store(str(mini.resolve())) is not None
    path = paper(tmp_path, raw=broken) if isinstance(broken, bytes) else paper(tmp_path, *broken)
    before = snapshot(mini)
    result = runner.invoke(main, ["--data", str(mini), "add", *args, str(path)])
    assert (result.exit_code, result.output) == (1, "Error: " + expected.format(p=path) + "\n")
    assert snapshot(mini) == before


def test_only_the_changed_nodes_are_validated_and_they_are_enough(data_copy, monkeypatch):
    """A unit of the wrong dimension in one paper, and a record of another paper pointing at a node whose type
    was removed, are both found by validating only the changed nodes."""
    from pathlib import Path

    from rdflib import RDF, URIRef

    from kg.curate.papers import changed_nodes
    from kg.model.namespaces import SAC
    from kg.source.ingest import build, full_graph
    from kg.source.schema import source_files
    from kg.source.snapshot import Snapshot
    from kg.source.validate import check, check_nodes

    base = Path(data_copy)
    before = Snapshot.of(build(base, source_files(base)))
    after = build(base, source_files(base))
    assert changed_nodes(before, Snapshot.of(after), after) == set()
    measurement = sorted(after.graph.subjects(RDF.type, SAC.Measurement))[3]
    other_unit = URIRef(f"{SAC}unused")  # stand-in: a unit the data does not use
    after.graph.set((measurement, SAC.unit, sorted(set(after.graph.objects(None, SAC.unit)))[0]))
    system = next(iter(after.graph.objects(measurement, SAC.onMaterial)))
    after.graph.remove((system, RDF.type, None))
    only = changed_nodes(before, Snapshot.of(after), after)
    assert measurement in only and system in only and other_unit not in only
    pointing = {s for s, _p, o in after.graph if o == system}
    assert pointing <= only and len(pointing) > 1
    graph = full_graph(after)
    everything = set(check(graph, after.locations))
    assert everything and set(check(graph, after.locations, only)) == everything
    assert set(check_nodes(after, only)) == everything
