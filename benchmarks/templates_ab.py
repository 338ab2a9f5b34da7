"""Every template's query at one git revision against the working tree's, side by side on one built store.

    python benchmarks/templates_ab.py --before 15019fe --store benchmarks/generated/cache-100000/kb-... --out benchmarks/templates-ab.md

Each template is bound as benchmarks/run.py binds it (every parameter and optional filter), and the two texts
run alternately, --runs times each, on the same read-only pyoxigraph store, so that a busy machine slows both
alike. The ratio is the median now over the median before; above 1.10 is a regression of more than 10%.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from run import BINDINGS  # noqa: E402

from kg.engine.templates import template, template_names  # noqa: E402
from kg.model.terms import Iri  # noqa: E402


class Slow(Exception):
    pass


def _alarm(*_):
    raise Slow


def timed(kb, text: str, bindings: dict, limit: float) -> float | None:
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    start = time.perf_counter()
    try:
        kb.select(text, bindings)
        return time.perf_counter() - start
    except Slow:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="git revision whose queries/ are compared")
    parser.add_argument("--store", required=True, help="a store built by benchmarks/run.py")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a run counts as a timeout")
    parser.add_argument("--out")
    args = parser.parse_args()

    import pyoxigraph as ox

    from kg.engine.embedded import KnowledgeBase, database_path

    kb = KnowledgeBase(ox.Store.read_only(database_path(args.store)), None, time_limit=False)
    rows = []
    for name in template_names():
        try:
            old_text = subprocess.run(["git", "show", f"{args.before}:queries/{name}.rq"], capture_output=True, text=True,
                                      check=True).stdout
        except subprocess.CalledProcessError:
            continue
        new = template(name)
        bindings = {}
        for param, _kind in new.params + new.optional:
            if param in BINDINGS:
                kind, value = BINDINGS[param]
                bindings[param] = Iri(value) if kind == "iri" else Decimal(value) if kind == "decimal" else value
        if len(bindings) < len(new.params):
            continue
        before, now = [], []
        for _ in range(args.runs):
            before.append(timed(kb, old_text, bindings, args.limit))
            now.append(timed(kb, new.text, bindings, args.limit))
        medians = [statistics.median(t) if None not in t else None for t in (before, now)]
        ratio = medians[1] / medians[0] if None not in medians and medians[0] > 0 else None
        rows.append((name, *medians, ratio))
        print(json.dumps({"template": name, "before": medians[0], "now": medians[1], "ratio": ratio}), flush=True)
    lines = [f"# Templates before ({args.before}) and now, side by side", "",
             f"Store: `{os.path.basename(args.store)}` ({len(kb):,} triples); medians of {args.runs} alternating runs.", "",
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
