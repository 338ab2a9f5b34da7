"""Every template's query at one git revision against the working tree's, side by side on one built store.

    python benchmarks/templates_ab.py --before 15019fe --store benchmarks/generated/cache-100000/kb-... --out benchmarks/templates-ab.md

Each askable template is bound as benchmarks/run.py binds it (every parameter and optional filter), and the two texts
run alternately, --runs times each, on the same read-only pyoxigraph store, so that a busy machine slows both
alike; each run is a process of its own, killed at --limit. The ratio is the median now over the median before;
above 1.10 is a regression of more than 10%.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from run import BINDINGS  # noqa: E402

from kg.engine.templates import askable_templates  # noqa: E402

ONE_RUN = r"""
import json, sys, time
from decimal import Decimal
import pyoxigraph as ox
from kg.engine.embedded import KnowledgeBase, database_path
from kg.model.terms import Iri
store, text, spec = sys.argv[1], open(sys.argv[2], encoding="utf-8").read(), json.loads(sys.argv[3])
kb = KnowledgeBase(ox.Store.read_only(database_path(store)), None, time_limit=False)
bindings = {k: Iri(v) if kind == "iri" else Decimal(v) if kind == "decimal" else v for k, (kind, v) in spec.items()}
start = time.perf_counter()
kb.select(text, bindings)
print(time.perf_counter() - start)
"""


def timed(store: str, query_file: str, spec: dict, limit: float) -> float | None:
    """One run in a process of its own, killed at the limit: a query left running would slow the next ones."""
    try:
        done = subprocess.run([sys.executable, "-c", ONE_RUN, store, query_file, json.dumps(spec)], capture_output=True,
                              text=True, timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="git revision whose queries/ are compared")
    parser.add_argument("--store", required=True, help="a store built by benchmarks/run.py")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a run counts as a timeout")
    parser.add_argument("--slow", type=float, default=20.0, help="seconds beyond which one run of each is enough")
    parser.add_argument("--only", nargs="*", help="these templates only")
    parser.add_argument("--out")
    args = parser.parse_args()

    import tempfile

    import pyoxigraph as ox

    from kg.engine.embedded import database_path

    triples = len(ox.Store.read_only(database_path(args.store)))
    work = tempfile.mkdtemp()
    rows = []
    for new in askable_templates():  # the templates benchmarks/run.py times
        name = new.name
        if args.only and name not in args.only:
            continue
        try:
            old_text = subprocess.run(["git", "show", f"{args.before}:queries/{name}.rq"], capture_output=True, text=True,
                                      check=True).stdout
        except subprocess.CalledProcessError:
            continue
        spec = {param: BINDINGS[param] for param, _kind in new.params + new.optional if param in BINDINGS}
        if len(spec) < len(new.params):
            continue
        files = [os.path.join(work, f"{name}.{side}.rq") for side in ("before", "now")]
        for path, text in zip(files, (old_text, new.text)):
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        before, now = [], []
        for _ in range(args.runs):
            before.append(timed(args.store, files[0], spec, args.limit))
            now.append(timed(args.store, files[1], spec, args.limit))
            if (before[-1] or args.limit) > args.slow and (now[-1] or args.limit) > args.slow:
                break  # both slower than --slow: one run each
        medians = [statistics.median(t) if None not in t else None for t in (before, now)]
        ratio = medians[1] / medians[0] if None not in medians and medians[0] > 0 else None
        rows.append((name, *medians, ratio))
        print(json.dumps({"template": name, "before": medians[0], "now": medians[1], "ratio": ratio}), flush=True)
    lines = [f"# Templates before ({args.before}) and now, side by side", "",
             f"Store: `{os.path.basename(args.store)}` ({triples:,} triples); medians of {args.runs} alternating runs, each "
             f"in a process of its own (a query stopped at the {args.limit:g} s limit would otherwise run on beside the "
             "next); timings exclude opening the store.", "",
             "| template | before (ms) | now (ms) | now / before |", "|---|---|---|---|"]
    for name, old, new_, ratio in rows:
        cell = lambda s: "timeout" if s is None else f"{s * 1000:,.1f}"  # noqa: E731
        lines.append(f"| {name} | {cell(old)} | {cell(new_)} | {'' if ratio is None else f'{ratio:.2f}'} |")
    worst = max((r for r in rows if r[3] is not None), key=lambda r: r[3])
    lines += ["", f"Largest ratio: {worst[0]}, {worst[3]:.2f}."]
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
