"""The curator's path at literature scale, as a curator meets it: synthetic YAML papers (benchmarks/papers.py),
then `sackg validate`, the full build (the first command after a change), `sackg add` of one more paper and
the first `ask` that uses it, `sackg remove` and the next answer. Every step is the real command in a fresh
process, timed from start to exit.

Usage: python benchmarks/curator.py [--papers 250 1000] [--seed 1] [--out benchmarks/curator.md]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from papers import paper, write_papers  # noqa: E402

SACKG = str(Path(sys.executable).with_name("sackg"))
STEPS = ("validate", "full build", "add", "first ask after add", "remove", "next ask after remove")
WORKERS = (1, 2)  # the full build again at 1,000 papers with this many precomputing threads


def timed(args: list[str], env: dict, expect: str | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run([SACKG, *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0 or (expect is not None and expect not in done.stdout):
        raise SystemExit(f"sackg {' '.join(args)} failed: {(done.stdout + done.stderr)[-600:]}")
    return seconds


def curator_path(n: int, seed: int, work: Path) -> dict[str, float]:
    data = work / f"data-{n}"
    write_papers(data, n, seed)
    env = {**os.environ, "SACKG_CACHE": str(work / f"cache-{n}")}
    extra = work / f"syn-{n + 1:05d}.yaml"
    extra.write_text(paper(n + 1, seed), encoding="utf-8")
    system = f"SYN-{n + 1:05d}-1"
    base = ["--data", str(data)]
    times = {"validate": timed([*base, "validate"], env, "conforms")}
    times["full build"] = timed([*base, "stats"], env)
    times["add"] = timed([*base, "add", str(extra)], env, "added")
    times["first ask after add"] = timed([*base, "ask", f"tell me about {system}"], env, system)
    times["remove"] = timed([*base, "remove", f"10.5555/syn.{seed}.{n + 1}"], env, "removed")
    times["next ask after remove"] = timed([*base, "ask", "which mechanisms are supported for Na?"], env)
    if n == 1000:
        for workers in WORKERS:
            shutil.rmtree(env["SACKG_CACHE"], ignore_errors=True)
            times[f"full build, {workers} worker(s)"] = timed([*base, "stats"], {**env, "SACKG_WORKERS": str(workers)})
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, nargs="+", default=[250, 1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="Markdown file to write the table to")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="sackg-curator-"))
    try:
        results = {n: curator_path(n, args.seed, work) for n in args.papers}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = ["| step | " + " | ".join(f"{n:,} papers (s)" for n in args.papers) + " |",
             "|---|" + "---|" * len(args.papers)]
    for step in STEPS:
        lines.append(f"| {step} | " + " | ".join(f"{results[n][step]:.1f}" for n in args.papers) + " |")
    for label, a, b in (("add → first answer", "add", "first ask after add"),
                        ("remove → next answer", "remove", "next ask after remove")):
        lines.append(f"| **{label}** | " + " | ".join(f"**{results[n][a] + results[n][b]:.1f}**" for n in args.papers) + " |")
    if 1000 in results:
        lines += ["", "Full build at 1,000 papers by the number of threads that precompute answers (`SACKG_WORKERS`), "
                      "run one after the other:", "", "| threads | full build (s) |", "|---|---|"]
        lines += [f"| {w} | {results[1000][f'full build, {w} worker(s)']:.1f} |" for w in WORKERS]
    table = "\n".join(lines)
    print(table)
    if args.out:
        out = Path(args.out)
        kept = out.read_text(encoding="utf-8").partition("\n## ")[1:] if out.exists() else ()
        out.write_text(f"# The curator's path\n\n`python benchmarks/curator.py --papers {' '.join(map(str, args.papers))}`"
                       f" (seed {args.seed}); seconds, each step a fresh `sackg` process.\n\n{table}\n"
                       + "".join(kept), encoding="utf-8")  # the notes under later headings stay
    return 0


if __name__ == "__main__":
    sys.exit(main())
