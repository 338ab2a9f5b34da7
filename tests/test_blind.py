"""Blind probes: adversarial cases written by testers who never read SAC-KG's code (issue 11).

Each probe is a script of its own (tests/blind/), run here against the installed `sackg` the way a user
runs it: fresh data copies, caches and fake endpoints on 127.0.0.1. Every case must keep the contract
(one-line error, non-zero exit, no traceback, data unchanged, no hang, exports not injectable). The
cases listed in ACCEPTED are judgement calls of the tester that SAC-KG answers otherwise on purpose,
each with the reason; they may pass or fail, every other case must pass.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BLIND = Path(__file__).resolve().parent / "blind"
DATA = Path(__file__).resolve().parents[1] / "data"
# probe -> (its options besides --sackg and --workdir, the key of a passed case in results.json)
PROBES = {
    "probe1": (["--jobs", "4", "--share", "--data-src", str(DATA)], "pass"),
    "probe2": (["--jobs", "4", "--source-data", str(DATA)], "passed"),
}
ACCEPTED = {
    "probe1": {
        "known-serve-no-time-limit": "the probe's client waits 30 s, exactly the default time limit of `sackg serve`, "
                                     "which answers 503 at 30-31 s (test_hardening checks it with a 1 s limit)",
    },
    "probe2": {
        "add-name-null": "the paper leaves the system's name and the system of each of its measurements and claims "
                         "empty: four records, each missing a required field, so four problems, one line each",
        "plot-ext": "issue 17 made PDF a plot format: `plot gaps -o x.pdf` writes a PDF (TrueType fonts) on purpose",
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("probe", sorted(PROBES))
def test_blind_probe(tmp_path, probe):
    sackg = shutil.which("sackg", path=os.path.dirname(sys.executable))
    assert sackg, "the sackg console script is not installed next to this Python"
    options, passed = PROBES[probe]
    done = subprocess.run([sys.executable, str(BLIND / f"{probe}.py"), "--sackg", sackg, "--workdir", str(tmp_path),
                           *options], capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())["results"]
    failing = {r["id"]: "; ".join(r["problems"]) for r in results if not r[passed]}
    unexpected = {case: why for case, why in failing.items() if case not in ACCEPTED[probe]}
    assert unexpected == {}
    assert len(results) >= 40
