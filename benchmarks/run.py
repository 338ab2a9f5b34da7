"""Literature-scale benchmark: load, open, every template, cold ask; pyoxigraph against rdflib side by side.

Usage: python benchmarks/run.py [--sizes 1000 10000 100000] [--rdflib-size 10000] [--out benchmarks/results.md]

Composed questions (benchmarks/composed.json, two to four filters each, written by someone who had not read
the question reader) are asked end to end through `kg.ask.answer`, as `sackg ask` does, and again with
every saved answer ignored, so that each template runs its query.

Synthetic knowledge bases (benchmarks/generate.py, seeded) are written to benchmarks/generated/, which
is not committed. Every measurement runs in a fresh process; peak RSS is that process's maximum
resident set. Latencies are medians of --runs runs. rdflib's engine runs the same templates on the
--rdflib-size set in the same run, with --rdflib-timeout seconds per query.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATED = os.path.realpath(os.path.join(HERE, "generated"))  # the store is keyed by the real path
COMPOSED = os.path.join(HERE, "composed.json")
QUERY_LIMIT = 10  # seconds: a template or question that takes longer is shown as "timeout"
WORKERS_UP_TO = 10_000  # sizes whose build is also timed with 1 and 2 precomputing threads
SAC = "https://w3id.org/sackg/ontology#"
ID = "https://w3id.org/sackg/id/"

# representative bindings for every askable template on a synthetic knowledge base
BINDINGS = {
    "metal": ("iri", f"{ID}element/Na"), "element": ("iri", f"{ID}element/Co"),
    "quantity": ("iri", f"{SAC}NucleationOverpotential"), "mechanism": ("iri", f"{SAC}Nucleation"),
    "support": ("iri", f"{SAC}NDopedCarbon"), "coordination": ("iri", f"{SAC}MNC"),
    "technique": ("iri", f"{SAC}SEM"), "system": ("iri", f"{ID}system/syn-7"), "other": ("iri", f"{ID}system/syn-8"),
    "entity": ("iri", f"{ID}system/syn-7"), "concern": ("iri", f"{SAC}any"), "descending": ("bool", False),
    "threshold": ("decimal", "10"), "thresholdUnit": ("iri", "http://qudt.org/vocab/unit/MilliV"), "above": ("bool", False),
}

LOAD = r'''
import json, os, sys, time
t = time.perf_counter()
from kg.engine.embedded import KnowledgeBase
from kg.engine.build import _write, save_derived, signature, store_path
from kg.engine.embedded import database_path
import pyoxigraph as ox
nt, source = sys.argv[1], sys.argv[2]
path = store_path(source)
os.makedirs(os.path.dirname(path), exist_ok=True)
os.makedirs(path + ".tmp")
store = ox.Store(database_path(path + ".tmp"))
store.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES)
store.flush()
loaded = time.perf_counter() - t
save_derived(KnowledgeBase(store, time_limit=False), path + ".tmp")
del store
_write(os.path.join(path + ".tmp", "BUILD-COMPLETE"), signature(source))
os.rename(path + ".tmp", path)
print(json.dumps({"load": loaded, "total": time.perf_counter() - t, "path": path}))
'''

OPEN = r'''
import sys, time
t = time.perf_counter()
import pyoxigraph as ox
from kg.engine.embedded import database_path
store = ox.Store.read_only(database_path(sys.argv[1]))
print(time.perf_counter() - t)
'''

TEMPLATES = r'''
import json, signal, statistics, sys, time
from decimal import Decimal
from kg.engine.templates import askable_templates
from kg.model.terms import Iri
engine, target, runs, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
bindings_spec = json.loads(sys.argv[5])
from kg.engine import backend
backend.save_answer = lambda *args: None  # a binding the build did not save is timed as asked the first time
t = time.perf_counter()
if engine == "oxigraph":
    import pyoxigraph as ox
    from kg.engine.embedded import KnowledgeBase
    from kg.engine.embedded import database_path
    kb = KnowledgeBase(ox.Store.read_only(database_path(target)), target)
else:
    from rdflib import Graph
    from kg.engine.backends import RdflibBackend
    graph = Graph()
    graph.parse(target, format="nt")
    kb = RdflibBackend(graph)
opened = time.perf_counter() - t
def value(kind, v):
    return Iri(v) if kind == "iri" else Decimal(v) if kind == "decimal" else v
class Slow(Exception):
    pass
def alarm(*_):
    raise Slow()
signal.signal(signal.SIGALRM, alarm)
result = {"open": opened, "templates": {}, "live": {}}
from kg.model.errors import SackgError
def median(run):
    times = []
    try:
        for _ in range(runs):
            signal.setitimer(signal.ITIMER_REAL, timeout)
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
            signal.setitimer(signal.ITIMER_REAL, 0)
        return statistics.median(times)
    except (Slow, SackgError):  # stopped here, or by the store's own time limit ($SACKG_TIMEOUT)
        signal.setitimer(signal.ITIMER_REAL, 0)
        return None
for template in askable_templates():
    names = [p for p, _ in template.params + template.optional]
    bound = {p: value(*bindings_spec[p]) for p in names if p in bindings_spec}
    # what `sackg ask` does: a saved answer where the store has one, else the query
    result["templates"][template.name] = median(lambda: kb.run_template(template, bound))
    if (template.precomputed or template.candidates) and engine == "oxigraph":
        result["live"][template.name] = median(lambda: kb.select(template.text, bound))
import resource
result["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(result))
'''

QUESTIONS = r'''
import json, statistics, sys, time
import pyoxigraph as ox
from kg.ask.answering import answer
from kg.engine import backend
from kg.engine.embedded import KnowledgeBase, database_path
target, runs, questions = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3], encoding="utf-8"))
kb = KnowledgeBase(ox.Store.read_only(database_path(target)), target)
backend.save_answer = lambda *args: None  # *saved*: only what the build saved, as the first asker meets it
from kg.model.errors import SackgError
def median(question):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        try:
            found = answer(kb, question)
        except SackgError as refusal:  # a question the reader cannot apply in full is refused, and timed too
            found = refusal
        times.append(time.perf_counter() - start)
    return statistics.median(times), found
result = {}
for mode in ("saved", "live"):
    if mode == "live":  # every template runs its query: no saved answer is read
        backend.Backend.saved_answer = lambda self, template, bindings: None
    for item in questions:
        seconds, found = median(item["question"])
        entry = result.setdefault(item["question"], {})
        entry[mode] = seconds
        refused = isinstance(found, SackgError)
        outcome = (("timeout" if "did not finish" in str(found) else "refused") if refused
                   else found.template.name if found.template else None)
        entry.setdefault("template", outcome)  # as `sackg ask` answers it
        entry.setdefault("rows", 0 if refused else len(found.rows))
print(json.dumps(result))
'''


def measured(code: str, *args: str, env=None) -> tuple[str, int]:
    """Run Python code in a fresh process; returns its output and that process's peak RSS (from wait4)."""
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env, text=True)
    out = process.stdout.read()
    err = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"benchmark step failed: {err.strip().splitlines()[-1] if err.strip() else status}")
    return out.strip(), usage.ru_maxrss * 1024


def timed(command, env) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def ms(seconds) -> str:
    return f"> {QUERY_LIMIT * 1000:,}" if seconds is None else f"{seconds * 1000:,.0f}" if seconds >= 0.01 else f"{seconds * 1000:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--rdflib-size", type=int, default=10000)
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=os.path.join(HERE, "results.md"))
    args = parser.parse_args()
    os.makedirs(GENERATED, exist_ok=True)
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    sackg = os.path.join(os.path.dirname(sys.executable), "sackg")
    spec = json.dumps(BINDINGS)
    results = {}
    for size in args.sizes:
        nt = os.path.join(GENERATED, f"kb-{size}.nt")
        if not os.path.exists(nt):
            subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(size), nt], check=True)
        source = os.path.join(GENERATED, f"source-{size}")
        os.makedirs(source, exist_ok=True)
        env = dict(base_env, SACKG_CACHE=os.path.join(GENERATED, f"cache-{size}"), SACKG_DATA=source)
        subprocess.run(["rm", "-rf", env["SACKG_CACHE"]], check=True)
        workers = {}
        if size <= WORKERS_UP_TO:  # the build again with one precomputing thread, then with two
            for count in (1, 2):
                out, _ = measured(LOAD, nt, source, env=dict(env, SACKG_WORKERS=str(count)))
                workers[count] = json.loads(out)["total"]
                subprocess.run(["rm", "-rf", env["SACKG_CACHE"]], check=True)
        out, rss = measured(LOAD, nt, source, env=env)
        loaded = json.loads(out)
        opens = sorted(float(measured(OPEN, loaded["path"], env=env)[0]) for _ in range(args.runs))
        limited = dict(env, SACKG_TIMEOUT=str(QUERY_LIMIT))
        out, _ = measured(TEMPLATES, "oxigraph", loaded["path"], str(args.runs), "600", spec, env=limited)
        templates = json.loads(out)
        out, _ = measured(QUESTIONS, loaded["path"], str(args.runs), COMPOSED, env=limited)
        composed = json.loads(out)
        subprocess.run([sackg, "ask", "which mechanisms are supported for Na?"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        asks, clicks = [], []
        for _ in range(args.runs):
            clicks.append(timed([sys.executable, "-c", "import click"], env))
            asks.append(timed([sackg, "ask", "which mechanisms are supported for Na?"], env))
        results[size] = {"triples": sum(1 for _ in open(nt, encoding="utf-8")), "load": loaded["load"],
                         "build": loaded["total"], "load_rss": rss, "open": statistics.median(opens),
                         "templates": templates["templates"], "live": templates["live"], "query_rss": templates["rss"],
                         "ask": statistics.median(asks), "click": statistics.median(clicks), "composed": composed, "workers": workers}
        print(f"{size}: loaded in {loaded['load']:.1f} s, open {statistics.median(opens) * 1000:.0f} ms", flush=True)
    rdflib = None
    if args.rdflib_size:
        nt = os.path.join(GENERATED, f"kb-{args.rdflib_size}.nt")
        if not os.path.exists(nt):
            subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(args.rdflib_size), nt], check=True)
        out, rss = measured(TEMPLATES, "rdflib", nt, "1", str(args.rdflib_timeout), spec, env=base_env)
        rdflib = json.loads(out)
        rdflib["rss"] = rss
        print(f"rdflib {args.rdflib_size}: loaded in {rdflib['open']:.1f} s", flush=True)
    write(results, rdflib, args)
    return 0


def write(results: dict, rdflib, args) -> None:
    sizes = sorted(results)
    lines = ["# SAC-KG at literature scale", "",
             f"`python benchmarks/run.py` on this machine ({os.cpu_count()} cores), "
             f"{time.strftime('%Y-%m-%d')}. Synthetic knowledge bases of SAC-KG's shape (benchmarks/generate.py, "
             f"seed 2024); medians of {args.runs} runs; every step in a fresh process.", "",
             "## Load, open, memory, cold ask", "",
             "| systems | triples | bulk load | build with summaries | peak RSS (build) | open built store | peak RSS (all templates) | cold `sackg ask` | `import click` | ratio |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for size in sizes:
        r = results[size]
        lines.append(f"| {size:,} | {r['triples']:,} | {r['load']:.1f} s | {r['build']:.1f} s | "
                     f"{r['load_rss'] / 2**20:,.0f} MB | {r['open'] * 1000:.0f} ms | {r['query_rss'] / 2**20:,.0f} MB | "
                     f"{r['ask'] * 1000:.0f} ms | {r['click'] * 1000:.0f} ms | {r['ask'] / r['click']:.1f} |")
    timed_workers = [s for s in sizes if results[s].get("workers")]
    if timed_workers:
        lines += ["", "Build with summaries by the number of threads that precompute answers (`SACKG_WORKERS`), one "
                      "after the other in the same run:", "", "| systems | 1 thread | 2 threads | speed-up |", "|---|---|---|---|"]
        for size in timed_workers:
            one, two = results[size]["workers"][1], results[size]["workers"][2]
            lines.append(f"| {size:,} | {one:.1f} s | {two:.1f} s | {one / two:.2f}× |")
    names = sorted(results[sizes[0]]["templates"])
    largest = sizes[-1]
    header = "| template | " + " | ".join(f"pyoxigraph {s:,} (ms)" for s in sizes) + f" | live query {largest:,} (ms)"
    if rdflib:
        header += f" | rdflib {args.rdflib_size:,} (ms) | speed-up at {args.rdflib_size:,}"
    lines += ["", "## Median latency of every template", "", header + " |",
              "|---" * (len(sizes) + 2 + (2 if rdflib else 0)) + "|"]
    for name in names:
        row = f"| {name} | " + " | ".join(ms(results[s]["templates"][name]) for s in sizes)
        live = results[largest]["live"].get(name, "")
        row += f" | {ms(live) if live != '' else ''}"
        if rdflib:
            ours = results.get(args.rdflib_size, {}).get("templates", {}).get(name)
            theirs = rdflib["templates"].get(name)
            ratio = (f"> {args.rdflib_timeout / ours:,.0f}×" if theirs is None and ours else
                     f"{theirs / ours:,.0f}×" if theirs and ours else "")
            row += f" | {'> ' + str(int(args.rdflib_timeout * 1000)) if theirs is None else ms(theirs)} | {ratio}"
        lines.append(row + " |")
    lines += ["", "A live-query figure marks a template that `sackg ask` does not answer with a plain query. Those marked "
                  "`# precomputed: yes` run when the store is built, as part of the same atomic build, for every metal, "
                  "measured quantity and direction in the data (optional parameters other than the metal left open); a "
                  "`# split:` parameter (technique, mechanism, support, coordination, centre metal) is left unbound and "
                  "the answer split by its value. The answers are saved inside the store and read from there; other "
                  "bindings run the query. `threshold` (`# candidates: ranked_values`) runs its query over only the "
                  "measurements that the saved ranking of its quantity allows (kg/engine/narrow.py). The live column is the "
                  "plain query on the same store, with the same binding."]
    lines += composed_table(results)
    if rdflib:
        lines += ["", f"rdflib's own engine on the {args.rdflib_size:,}-system set: load {rdflib['open']:.1f} s, "
                      f"peak RSS {rdflib['rss'] / 2**20:,.0f} MB; queries stopped after {args.rdflib_timeout:.0f} s."]
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def composed_table(results: dict) -> list[str]:
    """The composed questions: each one's template and rows at the largest size, and its median latency through
    `ask` (saved answers read) and with every template's query run, at each size."""
    sizes = sorted(results)
    largest = results[sizes[-1]]["composed"]
    lines = ["", "## Composed questions through `ask`", "",
             f"{len(largest)} questions of two to four filters (benchmarks/composed.json), each answered end to end "
             "by `kg.ask.answer` in one process after a first run; medians in ms. *saved*: as `sackg ask` answers "
             "(saved answers read where the store has them); *live*: every template's query run. *refused*: the "
             f"reader could not apply every filter and said so (the time is the time to refuse); *timeout*: a query "
             f"ran longer than {QUERY_LIMIT} s (`SACKG_TIMEOUT`).", "",
             "| question | template | rows | " + " | ".join(f"saved {s:,} | live {s:,}" for s in sizes) + " |",
             "|---|---|---|" + "---|---|" * len(sizes)]
    for question, found in largest.items():
        cells = " | ".join(f"{ms(results[s]['composed'][question]['saved'])} | {ms(results[s]['composed'][question]['live'])}"
                           for s in sizes)
        lines.append(f"| {question} | {found['template'] or '(none)'} | {found['rows']} | {cells} |")
    medians = " | ".join(f"**{ms(statistics.median(q['saved'] for q in results[s]['composed'].values()))}** | "
                         f"**{ms(statistics.median(q['live'] for q in results[s]['composed'].values()))}**" for s in sizes)
    worst = " | ".join(f"{ms(max(q['saved'] for q in results[s]['composed'].values()))} | "
                       f"{ms(max(q['live'] for q in results[s]['composed'].values()))}" for s in sizes)
    lines += [f"| **median** | | | {medians} |", f"| slowest | | | {worst} |"]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
