"""Benchmark of visitprep's search at 100,000 records: latency, quality, memory, build.

Run from the repository root (takes about ten minutes, most of it the baseline)::

    PYTHONPATH=. python bench/search_bench.py | tee bench/search_results.txt

What it measures, on a corpus made from the real Ofsted reports (bench/search_corpus.py):

* latency: 20 queries typed one character at a time; the time of each keystroke's
  search (top 50 with snippets and highlights), p50 / p95 / max;
* the baseline, same run: ``rapidfuzz.process.extract(query, records, scorer=fuzz.WRatio,
  processor=utils.default_process)`` over every record's text, per keystroke (on every
  ``--baseline-every``-th keystroke of each query and its last one: a full pass costs about
  2.5 s per keystroke here);
* quality: the queries of bench/search_queries.json, precision@10 and recall@10 against
  the records made from the units each query names, for the engine and the baseline;
* memory of the loaded index (a fresh process loading the saved index), build and load time;
* a store-backed cold start: the same records in a real SQLite store, first search with
  no saved index (read + build + save), then in a new process with the saved index.

``--relabel`` rewrites the expected units of search_queries.json from each query's rule
(regular expressions over the unit text and its theme: reading the corpus, not the engine).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import rapidfuzz
from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_corpus import CorpusRecord, records, search_docs, theme_of, units  # noqa: E402
from store.search import SearchIndex  # noqa: E402

QUERIES = Path(__file__).with_name("search_queries.json")
TARGETS = {
    "p95_ms": 30,
    "max_ms": 100,
    "speedup": 10,
    "quality": 0.9,
    "memory_mb": 200,
    "build_s": 5,
}


def machine() -> list[str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return [
        f"machine: {platform.system()} {platform.release()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs ({cpu}), {memory} RAM",
        f"python {platform.python_version()} ({platform.python_implementation()}), "
        f"rapidfuzz {rapidfuzz.__version__}",
    ]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def relabel() -> None:
    data = json.loads(QUERIES.read_text())
    pool = units()
    for entry in data["quality"]:
        rules = [re.compile(r, re.IGNORECASE) for r in entry["rule"]]
        entry["expected"] = [
            u.key for u in pool if all(r.search(f"{u.text}\n{theme_of(u.text)}") for r in rules)
        ]
    QUERIES.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"relabelled {len(data['quality'])} queries in {QUERIES}")


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


_MEMORY_PROBE = """
import gc, os, sys, time
sys.path.insert(0, {root!r})
from store.search import SearchIndex
def rss():
    with open("/proc/self/statm") as h:
        return int(h.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
data = open({path!r}, "rb").read()
gc.collect(); before = rss()
start = time.perf_counter()
index = SearchIndex.from_bytes(data)
load = time.perf_counter() - start
del data; gc.collect()
print(rss() - before, load)
"""


def measure_memory(index: SearchIndex) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.bin"
        data = index.to_bytes()
        path.write_bytes(data)
        out = subprocess.run(
            [sys.executable, "-c", _MEMORY_PROBE.format(root=str(ROOT), path=str(path))],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
    return float(out[0]), float(out[1]), len(data)


def typed(query: str) -> list[str]:
    return [query[:i] for i in range(1, len(query) + 1)]


def latency(index: SearchIndex, queries: list[str]) -> list[float]:
    times: list[float] = []
    for query in queries:
        for prefix in typed(query):
            start = time.perf_counter()
            index.search(prefix, limit=50)
            times.append((time.perf_counter() - start) * 1000)
    return times


def baseline_latency(choices: list[str], queries: list[str], every: int) -> list[float]:
    times: list[float] = []
    for query in queries:
        prefixes = typed(query)
        for i, prefix in enumerate(prefixes):
            if i % every and i != len(prefixes) - 1:
                continue
            start = time.perf_counter()
            process.extract(
                prefix, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=50
            )
            times.append((time.perf_counter() - start) * 1000)
    return times


def quality(
    corpus: list[CorpusRecord], index: SearchIndex, choices: list[str], entries: list[dict]
) -> list[tuple[str, int, float, float, float, float]]:
    rows = []
    for entry in entries:
        expected = set(entry["expected"])
        relevant = {(r.kind, r.id) for r in corpus if r.unit in expected}
        hits = [(h.kind, h.id) for h in index.search(entry["query"], limit=10)]
        found = process.extract(
            entry["query"], choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=10
        )
        base = [(corpus[i].kind, corpus[i].id) for _, _, i in found]
        scores = []
        for top in (hits, base):
            good = sum(1 for key in top if key in relevant)
            scores.append(good / 10)  # precision@10
            scores.append(good / min(10, len(relevant)) if relevant else 0.0)  # recall@10
        rows.append((entry["query"], len(relevant), *scores))
    return rows


def store_cold_start(corpus: list[CorpusRecord], folder: Path) -> list[str]:
    """Fill a real store through the store API, then time first searches."""
    from datetime import date

    import store as api
    from store.search import live

    db = folder / "bench.db"
    start = time.perf_counter()
    opened = api.open_store(db, today=date(2018, 1, 20))
    with opened.batch():
        sources: dict[int, int] = {}
        for r in corpus:
            f = r.fields
            if r.kind == "source":
                made = api.create_source(
                    opened, kind="inspection", title=f["title"],
                    local_authority=f["local_authority"],
                )  # fmt: skip
                sources[r.id] = made.id
            elif r.kind == "finding":
                api.create_finding(
                    opened, title=f["title"], text=f["text"], ref=f["ref"],
                    source_id=sources[f["source_id"]], theme=f["theme"],
                )  # fmt: skip
            elif r.kind == "action":
                api.create_action(
                    opened, title=f["title"], ref=f["ref"], description=f["description"],
                    owner=f["owner"], success_measure=f["success_measure"], theme=f["theme"],
                    brag=f["brag"], due_date=f["due_date"],
                )  # fmt: skip
            else:
                api.create_evidence(
                    opened, title=f["title"], impact=f["impact"], owner=f["owner"],
                    location=f["location"],
                )  # fmt: skip
    filled = time.perf_counter() - start
    lines = [f"  store filled through the store API (one batch): {filled:.1f} s"]
    start = time.perf_counter()
    live.search(opened, "retrun home intervew", limit=50)
    first = time.perf_counter() - start
    lines.append(f"  first search, no saved index (read every record, build, save): {first:.2f} s")
    start = time.perf_counter()
    live.search(opened, "retrun home intervews", limit=50)
    lines.append(f"  next search: {(time.perf_counter() - start) * 1000:.1f} ms")
    start = time.perf_counter()
    api.update_action(opened, 1, title="Return home interviews for every child who goes missing")
    live.search(opened, "retrun home intervew", limit=50)
    lines.append(
        f"  edit an action, then search (index catches up on that record): "
        f"{(time.perf_counter() - start) * 1000:.1f} ms"
    )
    live.save(opened)
    opened.close()
    probe = (
        f"import sys, time; sys.path.insert(0, {str(ROOT)!r}); t0 = time.perf_counter()\n"
        "from store import open_store; from store.search import search, index_for\n"
        f"s = open_store({str(db)!r}); t1 = time.perf_counter()\n"
        "search(s, 'retrun home intervew'); t2 = time.perf_counter()\n"
        "print(t1 - t0, t2 - t1, index_for(s).loaded_from_cache)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    lines.append(
        f"  new process: open store {float(out[0]):.2f} s, first search {float(out[1]):.2f} s "
        f"(index loaded from the saved file: {out[2]})"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--baseline-every", type=int, default=4, metavar="N")
    parser.add_argument("--no-store", action="store_true", help="skip the store-backed cold start")
    parser.add_argument(
        "--relabel", action="store_true", help="recompute expected units, then stop"
    )
    args = parser.parse_args()
    if args.relabel:
        relabel()
        return 0
    data = json.loads(QUERIES.read_text())
    out: list[str] = []

    def say(line: str = "") -> None:
        out.append(line)
        print(line, flush=True)

    say(f"visitprep search benchmark — {time.strftime('%Y-%m-%d')}")
    for line in machine():
        say(line)
    start = time.perf_counter()
    corpus = records(args.records)
    docs = search_docs(corpus)
    kinds = {
        k: sum(1 for r in corpus if r.kind == k)
        for k in ("finding", "action", "evidence", "source")
    }
    say(
        f"corpus: {len(corpus):,} records ({', '.join(f'{n:,} {k}' for k, n in kinds.items())}) "
        f"from {len(units()):,} paragraphs and findings of the real reports; "
        f"{statistics.mean(len(d.title) + len(d.body) for d in docs):.0f} characters a record on average "
        f"(made in {time.perf_counter() - start:.1f} s)"
    )
    say()
    # Built three times and the fastest kept (all three are printed): on a shared machine
    # one run can be slowed by others' work; the fastest is what the code costs.
    builds: list[float] = []
    for attempt in range(3):
        gc.collect()
        start = time.perf_counter()
        built = SearchIndex.build(docs)
        builds.append(time.perf_counter() - start)
        if attempt < 2:
            del built
    index = built
    build = min(builds)
    stats = index.stats()
    memory, load, size = measure_memory(index)
    say("index")
    say(
        f"  build: {build:.2f} s, fastest of {', '.join(f'{b:.2f}' for b in builds)} s "
        f"(target ≤ {TARGETS['build_s']} s)"
    )
    say(
        f"  {stats['terms']:,} terms, {stats['spellings']:,} spellings, {stats['dense_postings']:,} posting lists as bitmaps"
    )
    say(
        f"  memory of the loaded index (fresh process, RSS growth): {memory:.0f} MB (target ≤ {TARGETS['memory_mb']} MB)"
    )
    say(f"  saved size {size / 1e6:.0f} MB, load from bytes {load:.2f} s")
    say()

    queries = data["latency"]
    index.search("warm up", limit=1)
    times = latency(index, queries)
    p50, p95, worst = percentile(times, 50), percentile(times, 95), max(times)
    say(
        f"latency: {len(queries)} queries typed one character at a time, {len(times)} keystrokes, top 50 with highlights"
    )
    say(
        f"  engine:   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   max {worst:6.1f} ms   (targets p95 ≤ {TARGETS['p95_ms']} ms, max ≤ {TARGETS['max_ms']} ms)"
    )
    choices = [f"{d.ref} {d.title}\n{d.body}\n{d.extra}".strip() for d in docs]
    base = baseline_latency(choices, queries, args.baseline_every)
    b50, b95, bmax = percentile(base, 50), percentile(base, 95), max(base)
    say(
        f"  baseline: p50 {b50:6.1f} ms   p95 {b95:6.1f} ms   max {bmax:6.1f} ms   ({len(base)} keystrokes: every {args.baseline_every}th and each query's last)"
    )
    say(
        f"  engine is {b95 / p95:.0f}x faster at p95, {b50 / p50:.0f}x at p50 (target ≥ {TARGETS['speedup']}x at p95)"
    )
    say()

    rows = quality(corpus, index, choices, data["quality"])
    say(
        f"quality: {len(rows)} queries (bench/search_queries.json); relevant = records made from the units a query names"
    )
    say(
        "  precision@10 = relevant among the top 10 / 10; recall@10 = relevant among the top 10 / min(10, relevant)"
    )
    say(f"  {'query':<38} {'relevant':>8}   engine P@10 R@10   baseline P@10 R@10")
    for query, relevant, ep, er, bp, br in rows:
        say(f"  {query:<38} {relevant:>8}   {ep:>11.1f} {er:>4.1f}   {bp:>13.1f} {br:>4.1f}")
    means = [statistics.mean(row[i] for row in rows) for i in range(2, 6)]
    say(
        f"  mean: engine precision@10 {means[0]:.3f}, recall@10 {means[1]:.3f}; baseline precision@10 {means[2]:.3f}, recall@10 {means[3]:.3f} (targets ≥ {TARGETS['quality']})"
    )
    say()
    if not args.no_store:
        say(f"store-backed cold start ({len(corpus):,} records in SQLite)")
        with tempfile.TemporaryDirectory() as folder:
            for line in store_cold_start(corpus, Path(folder)):
                say(line)
        say()
    verdicts = {
        "p95": p95 <= TARGETS["p95_ms"],
        "max": worst <= TARGETS["max_ms"],
        "speedup": b95 / p95 >= TARGETS["speedup"],
        "precision": means[0] >= TARGETS["quality"] and means[0] >= means[2],
        "recall": means[1] >= TARGETS["quality"] and means[1] >= means[3],
        "memory": memory <= TARGETS["memory_mb"],
        "build": build <= TARGETS["build_s"],
    }
    say("targets: " + ", ".join(f"{k} {'met' if ok else 'MISSED'}" for k, ok in verdicts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
