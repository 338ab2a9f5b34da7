"""A non-editable install into a fresh virtual environment carries the ontology, queries and data, and the
Python API works from it (with the notebook extra, pandas)."""

import json
import os
import subprocess
import venv

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_fresh_non_editable_install_answers_show(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", f"{ROOT}[notebook]"], check=True,
                   cwd=tmp_path, timeout=600)
    env = {k: v for k, v in os.environ.items() if k not in ("SACKG_DATA", "PYTHONPATH")}
    env["SACKG_CACHE"] = str(tmp_path / "cache")
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    result = subprocess.run([str(env_dir / "bin" / "sackg"), "show", "ZnSA-N-C", "--format", "json"],
                            cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {(m["quantity"], m["display"]) for m in out["measurements"]} == {
        ("binding energy", "0.34 eV"), ("cycle life", "1000 h"), ("nucleation overpotential", "0 mV")}
    asked = subprocess.run([str(env_dir / "bin" / "sackg"), "ask", "which mechanisms have no evidence yet for K?",
                            "--format", "csv"], cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert asked.returncode == 0, asked.stderr
    assert [line.split(",")[0] for line in asked.stdout.splitlines()[1:]] == [
        "SEI formation", "desolvation", "lateral atom diffusion", "polysulfide conversion/shuttle"]
    drawn = subprocess.run([str(env_dir / "bin" / "sackg"), "viz", "-o", str(tmp_path / "graph.html")],
                           cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert drawn.returncode == 0, drawn.stderr
    assert "vis.Network" in (tmp_path / "graph.html").read_text()
    api = subprocess.run([str(python), "-c", "import kg; a = kg.open().ask('lowest nucleation overpotential for K'); "
                          "print(a.to_dataframe()[['systemName', 'value', 'unit']].values.tolist())"],
                         cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert (api.returncode, api.stdout) == (0, "[['SA-Co@HC', 3.0, 'mV']]\n"), api.stderr  # the Python API, with pandas
    site = subprocess.run([str(python), "-c", "import kg, pathlib; print(pathlib.Path(kg.__file__).parent)"],
                          cwd=workdir, capture_output=True, text=True, check=True).stdout.strip()
    assert str(ROOT) not in site  # the installed copy, not the checkout
    assert list(os.listdir(workdir)) == []  # nothing written into the working directory
