"""The package's layers (kg.model < kg.source < kg.engine < kg.ask, kg.field, kg.curate < kg.publish < kg.cli, kg.api):
nothing imports upward, no module imports itself through others, no module is long, and the store's
fingerprint covers every module a build can import. Imports inside functions count (grimp reads them all)."""

import os
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
LONGEST = 400  # lines


@pytest.fixture(scope="module")
def imports():
    graph = grimp.build_graph("kg", cache_dir=None)
    found = nx.DiGraph()
    for module in graph.modules:
        found.add_node(module)
        found.add_edges_from((module, imported) for imported in graph.find_modules_directly_imported_by(module))
    return graph, found


def test_the_layer_contract_is_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.fail(f"{lint} is missing: install the test extra (pip install -e '.[test]')")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "Contracts: 1 kept, 0 broken." in done.stdout


def test_no_import_circles(imports):
    _, found = imports
    assert sorted(sorted(cycle) for cycle in nx.simple_cycles(found)) == []


def test_every_layer_is_a_subpackage_and_every_module_is_in_one(imports):
    graph, _ = imports
    layers = {"model", "source", "engine", "ask", "field", "curate", "publish", "cli"}
    top = {m.split(".")[1] for m in graph.modules if m.count(".") >= 1}
    assert top == layers | {"api"}
    assert sorted(m for m in graph.modules if m.count(".") == 1 and m.split(".")[1] not in layers) == ["kg.api"]


def test_no_module_is_long():
    lengths = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "kg").rglob("*.py")}
    assert {path: n for path, n in lengths.items() if n > LONGEST} == {}


def test_the_store_fingerprint_covers_every_module_a_build_imports(imports, tmp_path):
    from kg.engine.build import BUILD_LAYERS, input_files

    graph, _ = imports
    upstream = graph.find_upstream_modules("kg.engine.build") | {"kg.engine.build"}
    assert {m.split(".")[1] for m in upstream} <= set(BUILD_LAYERS)
    (tmp_path / "data").mkdir()
    covered = {os.path.relpath(f, ROOT) for f in input_files(str(tmp_path / "data"))}
    needed = set()
    for module in upstream:
        path = ROOT / Path(*module.split("."))
        needed.add(os.path.relpath(path / "__init__.py" if path.is_dir() else path.with_suffix(".py"), ROOT))
    assert sorted(needed - covered) == []

