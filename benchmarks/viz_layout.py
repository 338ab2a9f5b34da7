"""How long the graph page's layout (kg/publish/graph_layout.py) takes on synthetic fields of growing size,
and, with --against REV, the same layout code of another git revision side by side (each size in its own
process, in turn).

Each synthetic system has what a real one links to: an alkali metal, a mechanism claim, a centre metal,
a support kind, a technique, a quantity and its own reference.

Usage: python benchmarks/viz_layout.py [--sizes 300 1000 3000] [--against REV] [--out FILE.md]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

MEASURE = r"""
import importlib.util, json, random, sys, time
import networkx as nx
from kg.publish import viz

spec = importlib.util.spec_from_file_location("layout_under_test", sys.argv[1])
layout = importlib.util.module_from_spec(spec)
spec.loader.exec_module(layout)
n = int(sys.argv[2])
rng = random.Random(1)
g = nx.MultiDiGraph()
def node(i, kind, label):
    g.add_node(i, kind=kind, label=label, doi="", facts="")
for m in ("Li", "Na", "K"):
    node(f"m:{m}", "alkali metal", m)
mechanisms = ["nucleation", "desolvation", "ion transport", "lateral atom diffusion", "SEI formation", "polysulfide"]
for m in mechanisms:
    node(f"x:{m}", "mechanism", m)
for kind, count, name in (("centre metal", 10, "M{}"), ("support kind", 12, "support kind {}"),
                          ("technique", 8, "technique {}"), ("quantity", 4, "quantity {}")):
    for i in range(count):
        node(f"{kind}:{i}", kind, name.format(i))
for i in range(n):
    s = f"y:{i}"
    node(s, "system", f"SA{i}@NC-{rng.randint(1, 99)}")
    g.add_edge(s, f"m:{rng.choice(['Li', 'Li', 'Na', 'K'])}", relation="is applied to")
    g.add_edge(s, f"x:{rng.choice(mechanisms)}", relation="promotes")
    for kind, count in (("centre metal", 10), ("support kind", 12), ("technique", 8), ("quantity", 4)):
        g.add_edge(s, f"{kind}:{rng.randrange(count)}", relation="links")
    node(f"r:{i}", "reference", f"A. Author et al., J. Test, 2020 [ref. {i}]")
    g.add_edge(s, f"r:{i}", relation="is reported in")
level, boxes = {}, {}
for v, data in g.nodes(data=True):
    _colour, shape, level[v] = viz.STYLE[data["kind"]]
    inside = shape if data["kind"] in viz.INSIDE else None
    boxes[v] = layout.Box(viz.short(data["label"], viz.LABEL_LIMIT.get(level[v], 24)), viz.FONT.get(data["kind"], 13), 8, inside)
start = time.perf_counter()
layout.positions(g, level, boxes)
print(json.dumps({"nodes": g.number_of_nodes(), "seconds": time.perf_counter() - start}))
"""


def run(layout_file: str, size: int) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, layout_file, str(size)], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    return json.loads(done.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 3000])
    parser.add_argument("--against", help="a git revision whose kg/publish/graph_layout.py to time beside this one")
    parser.add_argument("--out", help="Markdown file to write the table to")
    args = parser.parse_args(argv)
    current = os.path.join(ROOT, "kg", "publish", "graph_layout.py")
    other = None
    if args.against:
        shown = [subprocess.run(["git", "show", f"{args.against}:kg/publish/{name}"], capture_output=True, text=True,
                                cwd=ROOT) for name in ("graph_layout.py", "layout.py")]  # layout.py until 5c39975
        text = next(done.stdout for done in shown if done.returncode == 0)
        handle = tempfile.NamedTemporaryFile("w", suffix=".py", delete=False)
        handle.write(text)
        handle.close()
        other = handle.name
    lines = ["| systems | nodes | this tree (s) |" + (f" {args.against} (s) | ratio |" if other else ""),
             "|---:|---:|---:|" + ("---:|---:|" if other else "")]
    for size in args.sizes:
        now = run(current, size)
        row = f"| {size} | {now['nodes']} | {now['seconds']:.1f} |"
        if other:
            before = run(other, size)
            row += f" {before['seconds']:.1f} | {before['seconds'] / now['seconds']:.1f}× |"
        lines.append(row)
        print(row, flush=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write("# Graph page layout at scale\n\n`python benchmarks/viz_layout.py "
                      + " ".join(argv if argv is not None else sys.argv[1:]) + "`\n\n" + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
