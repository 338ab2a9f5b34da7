"""Cold `sackg ask` latency: process start to answer printed, next to a bare `python -c "import click"`.

Usage: python benchmarks/cold_ask.py [--runs N] [--out FILE]
Both commands run alternately in the same loop, so machine noise hits them alike; the figure that
counts is the ratio of the medians. The store is built once before timing (a build is not a cold ask).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

QUESTIONS = [
    "which mechanisms are supported for Na?",
    "lowest nucleation overpotential for K?",
    "Na systems with cycle life over 900 h",
    "tell me about SA-Co@HC",
    "what did SEM show on the bare LNCP substrate after Li plating?",  # answered from the fact index
    "what is desolvation?",                                           # a definition, from the fact index
]


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--out", default=None, help="Markdown file to write the table to")
    args = parser.parse_args()
    sackg = shutil.which("sackg", path=os.path.dirname(sys.executable)) or "sackg"
    python = sys.executable
    import kg

    # as after a pip install: bytecode compiled, store built (neither belongs to a cold ask)
    subprocess.run([python, "-m", "compileall", "-q", os.path.dirname(kg.__file__)], check=True, env=ENV)
    subprocess.run([sackg, "stats"], check=True, stdout=subprocess.DEVNULL, env=ENV)
    rows = []
    for question in QUESTIONS:
        ask, baseline = [], []
        for _ in range(args.runs):
            baseline.append(timed([python, "-c", "import click"]))
            ask.append(timed([sackg, "ask", question]))
        a, b = statistics.median(ask), statistics.median(baseline)
        rows.append((question, a * 1000, b * 1000, a / b))
    lines = ["| question | cold `sackg ask` median (ms) | `python -c \"import click\"` median (ms) | ratio |",
             "|---|---|---|---|"]
    lines += [f"| {q} | {a:.0f} | {b:.0f} | {r:.2f} |" for q, a, b, r in rows]
    worst = max(r for *_, r in rows)
    lines.append("")
    lines.append(f"{args.runs} runs each, alternating; worst ratio {worst:.2f} (target: under 2.5).")
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0 if worst < 2.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
