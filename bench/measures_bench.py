"""Benchmark of the performance measures (issue 16): the Measures list, a measure's chart and
a scorecard import, on a big store.

Run from the repository root with the project's venv (about a minute)::

    PYTHONPATH=. .venv/bin/python bench/measures_bench.py            # print the figures
    PYTHONPATH=. .venv/bin/python bench/measures_bench.py --write    # ... and save them

Targets are judged on the median of the runs (the worst is shown beside it: this machine
is shared, and a run can be slowed by others). A store of 1,000 measures x 60 monthly values is built through the real scorecard importer
(the time is shown). Then, each ``--repeat`` times (default 3, median and worst shown):

* **list first rows** — the app headless at 120x36 on that store, dashboard ready; ``7``
  opens the Measures list: time from the key to ``ready_times["list:measure"]`` (its first
  rows drawn). Same-run baseline: ``2``, the Findings list, in the same app.
  Target: 0.5 s.
* **chart drawn** — a measure's detail open (60 values, target, England and neighbours):
  the chart widget's render timed on its own, from the measure's values to the figure
  Textual draws (plotext building it at the widget's size, then read into rich text).
  Baseline: the same figure built by plotext alone, outside Textual. Target: 0.2 s. Also
  shown: the whole detail screen, from its push to ``ScreenReady("measure")`` (mounting the
  screen, the store's three reads in a worker, the values table), which has no target.
* **scorecard import** — a 200-measure x 36-month CSV imported into a fresh store (all of
  it checked, then written in one transaction). Baseline: reading and checking the same
  file without writing (``read_scorecard``). Target: 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("measures_results.txt")
SIZE = (120, 36)
TARGETS = {"list": 0.5, "chart": 0.2, "import": 2.0}
TODAY = date(2019, 1, 21)
THEMES = (
    "Front door and MASH", "Assessment", "Children in need and child protection",
    "Children in care", "Care leavers", "Workforce and caseloads",
)  # fmt: skip


def month_headers(count: int, last: date) -> list[str]:
    months = []
    year, month = last.year, last.month
    for _ in range(count):
        months.append(date(year, month, 1).strftime("%b-%y"))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def write_scorecard(path: Path, measures: int, periods: int) -> None:
    """A scorecard CSV: ``measures`` rows, ``periods`` months up to Dec 2018, every cell
    filled (values climbing towards the target with a wobble, deterministic)."""
    months = month_headers(periods, date(2018, 12, 1))
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Ref", "Measure", "Theme", "Unit", "Polarity", "Target",
                      "Amber tolerance", "England", "Statistical neighbours", *months])  # fmt: skip
        for n in range(measures):
            start = 40 + (n * 7) % 30
            values = [
                f"{min(100.0, start + i * 40 / periods + ((n + i) % 5) - 2):.1f}"
                for i in range(periods)
            ]
            out.writerow([f"K{n + 1}", f"Performance measure number {n + 1}",
                          THEMES[n % len(THEMES)], "%", "higher", 80, 5, 75, 72, *values])  # fmt: skip


def timed(call: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def bench_import(folder: Path, repeat: int, say: Any) -> dict[str, list[float]]:
    import store as api
    from store.importers.scorecard import import_scorecard, read_scorecard

    card = folder / "scorecard_200x36.csv"
    write_scorecard(card, 200, 36)
    imports, reads = [], []
    for n in range(repeat):
        seconds, _ = timed(lambda: read_scorecard(card))
        reads.append(seconds)
        store = api.open_store(folder / f"import{n}.db", today=TODAY)
        seconds, result = timed(lambda store=store: import_scorecard(store, card, who="bench"))
        assert not result.problems and result.values_added == 200 * 36, result.problems[:3]
        imports.append(seconds)
        store.close()
        say(f"  import run {n + 1}: {imports[-1]:.2f} s (reading alone {reads[-1]:.2f} s)")
    return {"import": imports, "read": reads}


def build_big_store(folder: Path, say: Any) -> Path:
    import store as api
    from store.importers.scorecard import import_scorecard

    card = folder / "scorecard_1000x60.csv"
    write_scorecard(card, 1000, 60)
    db = folder / "big.db"
    store = api.open_store(db, today=TODAY)
    # A few findings, so the Findings list baseline has rows to show.
    source = api.create_source(store, kind="inspection", title="Bench inspection")
    with store.batch():
        for n in range(300):
            api.create_finding(store, title=f"Finding {n}", ref=f"R{n}", source_id=source.id)
    seconds, result = timed(lambda: import_scorecard(store, card, who="bench"))
    assert not result.problems
    say(f"  built: 1,000 measures x 60 values imported in {seconds:.1f} s")
    store.close()
    return db


async def bench_app(db: Path, repeat: int, say: Any) -> dict[str, list[float]]:
    import plotext

    import store as api
    from tui.app import VisitPrepApp
    from tui.screens.measure_detail import MeasureChart, MeasureDetailScreen

    out: dict[str, list[float]] = {
        "list": [], "findings": [], "chart": [], "plotext": [], "detail": []
    }  # fmt: skip
    for n in range(repeat):
        store = api.open_store(db, today=TODAY)
        measure = api.get_measure_by_ref(store, f"K{n * 37 + 1}")
        values = api.list_measure_values(store, measure.id)
        app = VisitPrepApp(store)
        async with app.run_test(size=SIZE) as pilot:
            while "dashboard" not in app.ready_times:
                await pilot.pause(0.01)
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            for key, name, label in (
                ("2", "list:finding", "findings"),
                ("7", "list:measure", "list"),
            ):
                app.ready_times.pop(name, None)
                pressed = time.perf_counter()
                await pilot.press(key)
                while name not in app.ready_times:
                    await pilot.pause(0.005)
                out[label].append(app.ready_times[name] - pressed)
                await app.workers.wait_for_complete()
                await pilot.press("1")
                await pilot.pause(0.1)
            app.ready_times.pop("measure", None)
            pushed = time.perf_counter()
            app.push_screen(MeasureDetailScreen(measure.id))
            while "measure" not in app.ready_times:
                await pilot.pause(0.002)
            out["detail"].append(time.perf_counter() - pushed)
            chart = app.screen.query_one(MeasureChart)
            chart._built = None  # draw it again, timed on its own: data to figure
            drawn = time.perf_counter()
            chart.render()
            out["chart"].append(time.perf_counter() - drawn)
            width, height = chart.size.width, chart.size.height
        store.close()
        xs = list(range(1, len(values) + 1))
        start = time.perf_counter()
        plotext.clear_figure()
        plotext.plotsize(width, height)
        plotext.plot(xs, [v.value for v in values], marker="braille")
        for level in (measure.target, measure.england, measure.neighbours):
            plotext.plot([1, len(xs)], [level, level], marker="braille")
        plotext.build()
        out["plotext"].append(time.perf_counter() - start)
        say(
            f"  app run {n + 1}: measures list {out['list'][-1]:.3f} s (findings list "
            f"{out['findings'][-1]:.3f} s); chart {out['chart'][-1]:.3f} s (plotext alone "
            f"{out['plotext'][-1]:.3f} s); detail screen ready {out['detail'][-1]:.3f} s"
        )
    return out


def mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true", help=f"save the figures to {RESULTS.name}")
    args = parser.parse_args()
    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"measures benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    say(f"  {platform.python_implementation()} {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}")  # fmt: skip
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = build_big_store(folder, say)
        app = asyncio.run(bench_app(db, args.repeat, say))
        imported = bench_import(folder, args.repeat, say)
    rows = [
        ("list first rows (1,000 measures)", app["list"], "findings list", app["findings"], "list"),
        ("chart drawn (60 values)", app["chart"], "plotext alone", app["plotext"], "chart"),
        ("(detail screen ready)", app["detail"], "", app["detail"], ""),
        ("scorecard 200 x 36 imported", imported["import"], "reading alone", imported["read"],
         "import"),
    ]  # fmt: skip
    say("")
    say(f"{'figure':<34}{'median':>9}{'worst':>9}  {'baseline (same run)':<28}{'target':>8}")
    for label, runs, base_label, base, key in rows:
        worst = max(runs)
        if not key:
            say(f"{label:<34}{statistics.median(runs):>8.3f}s{worst:>8.3f}s  (no target)")
            continue
        say(
            f"{label:<34}{statistics.median(runs):>8.3f}s{worst:>8.3f}s  "
            f"{base_label + f' {statistics.median(base):.3f} s':<28}"
            f"{TARGETS[key]:>7.1f}s  {mark(statistics.median(runs) <= TARGETS[key])}"
        )
    if args.write:
        RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"saved {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
