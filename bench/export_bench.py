"""Benchmark of the pack export: a 10,000-item pack in each format, target ≤ 1 s each.

Run from the repository root (about a minute)::

    PYTHONPATH=. python bench/export_bench.py | tee bench/export_results.txt

A store of ``--records`` findings, actions and evidence (bench/big_store.py, made from the
real Ofsted reports) gets a visit whose focus is every theme, so its pack holds them all.
Measured, best of ``--runs``:

* build: ``store.pack.build_pack`` (read and judge the pack), once per export;
* render, per format: the shared document model (``build_document``) and the renderer,
  from the built pack to the file's bytes (what ``visitprep export`` adds to the build);
* export, per format: build + render + the atomic write, as ``visitprep export -o`` does.

Baselines, same run, same pack: ``json.dumps(pack_as_dict(pack))`` (serialising the pack
with nothing laid out: a floor for any format), and the Word file made with python-docx's
own one-call-per-paragraph API (``add_paragraph``/``add_run``/``table.add_row``) for the
same lines, which the Word renderer avoids by writing its body as XML parsed once.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.big_store import TODAY, build  # noqa: E402
from store import create_visit, list_themes, open_store  # noqa: E402
from store.export import build_document, export_to_file, pack_as_dict, render_document  # noqa: E402
from store.pack import build_pack  # noqa: E402
from store.records import Pack  # noqa: E402

TARGET_S = 1.0


def best(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """The best wall-clock time, the best CPU time of this process, and the result.

    Both: on a machine shared with other work the wall clock also counts waiting for a
    core, which the CPU time does not."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def items(pack: Pack) -> tuple[int, int, int]:
    findings = actions = evidence = 0
    for theme in pack.themes:
        for pf in theme.findings:
            findings += 1
            actions += len(pf.actions)
            evidence += len(pf.evidence) + sum(len(pa.evidence) for pa in pf.actions)
    return findings, actions, evidence


def docx_by_paragraph(pack: Pack) -> bytes:
    """The baseline: the pack's lines through python-docx's public one-call-per-item API."""
    from docx import Document

    word = Document()
    word.add_heading(pack.visit.title, 0)
    table = word.add_table(rows=1, cols=5)
    for cell, text in zip(
        table.rows[0].cells, ("Owner", "Missing", "For", "Date", "Why"), strict=True
    ):
        cell.text = text
    for gap in pack.gaps:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[4].text = gap.ref, gap.title, gap.detail
    for theme in pack.themes:
        word.add_heading(theme.theme, 2)
        for pf in theme.findings:
            word.add_heading(f"{pf.finding.ref} · {pf.finding.title}", 3)
            for pa in pf.actions:
                paragraph = word.add_paragraph(style="List Bullet")
                paragraph.add_run(f"Action {pa.action.ref}: ").bold = True
                paragraph.add_run(pa.action.title)
                for pe in pa.evidence:
                    word.add_paragraph(
                        ("☑ " if pe.ready else "☐ ") + pe.evidence.title, style="List Bullet 2"
                    )
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="visitprep-export-bench-"))
    db = folder / "big.db"
    start = time.perf_counter()
    build(db, args.records)
    made = time.perf_counter() - start
    store = open_store(db, today=TODAY)
    themes = [theme.name for theme in list_themes(store)]
    visit = create_visit(store, title="Bench visit", start_date="30/1/2018", focus_themes=themes)

    build_s, build_cpu, pack = best(lambda: build_pack(store, visit.id), args.runs)
    assert isinstance(pack, Pack)
    findings, actions, evidence = items(pack)
    total = findings + actions + evidence
    print(f"store: {args.records:,} records, made in {made:.1f} s ({db})")
    print(
        f"pack: {total:,} items ({findings:,} findings, {actions:,} actions, "
        f"{evidence:,} evidence lines), {len(pack.gaps):,} gaps"
    )
    print(f"load: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (1-minute average)")
    print(f"best of {args.runs}; wall-clock seconds, with CPU seconds of this process after /")
    print()
    print(f"build_pack: {build_s:.3f} / {build_cpu:.3f}")
    print()
    print(
        f"{'format':<8}{'render':>16}{'export':>16}{'bytes':>12}  target: export ≤ {TARGET_S:.1f} s"
    )
    worst = 0.0
    for fmt in ("md", "html", "docx"):

        def render(fmt: str = fmt) -> bytes:
            return render_document(build_document(pack, today=store.today), fmt)

        render_s, render_cpu, data = best(render, args.runs)
        target = folder / f"pack.{fmt}"
        export_s, export_cpu, _ = best(
            lambda target=target: export_to_file(store, visit.id, target), args.runs
        )
        worst = max(worst, export_cpu)
        verdict = "ok" if export_cpu <= TARGET_S else "OVER"
        size = len(data) if isinstance(data, bytes) else 0
        print(
            f"{fmt:<8}{render_s:>8.3f} /{render_cpu:>6.3f}{export_s:>8.3f} /{export_cpu:>6.3f}"
            f"{size:>12,}  {verdict}"
        )
    print()
    json_s, json_cpu, data = best(
        lambda: json.dumps(pack_as_dict(pack), ensure_ascii=False).encode(), args.runs
    )
    size = len(data) if isinstance(data, bytes) else 0
    print(f"baseline json.dumps(pack_as_dict): {json_s:.3f} / {json_cpu:.3f} ({size:,} bytes)")
    tenth = _first_tenth(pack)
    naive_s, naive_cpu, _ = best(lambda: docx_by_paragraph(tenth), 1)
    ours_s, ours_cpu, _ = best(
        lambda: render_document(build_document(tenth, today=store.today), "docx"), 1
    )
    print(
        f"baseline python-docx, one call per line, on a tenth of the pack: "
        f"{naive_s:.3f} / {naive_cpu:.3f} (the Word renderer on the same tenth: "
        f"{ours_s:.3f} / {ours_cpu:.3f})"
    )
    print()
    verdict = "every format within" if worst <= TARGET_S else "OVER"
    print(f"slowest export {worst:.3f} CPU s: {verdict} the {TARGET_S:.1f} s target")
    store.close()
    return 0 if worst <= TARGET_S else 1


def _first_tenth(pack: Pack) -> Pack:
    """The same pack cut to its first tenth of findings (the python-docx baseline is slow)."""
    from dataclasses import replace

    findings = [pf for theme in pack.themes for pf in theme.findings]
    keep = {id(pf) for pf in findings[: max(1, len(findings) // 10)]}
    themes = tuple(
        replace(theme, findings=tuple(pf for pf in theme.findings if id(pf) in keep))
        for theme in pack.themes
    )
    gaps = pack.gaps[: max(1, len(pack.gaps) // 10)]
    return replace(pack, themes=tuple(t for t in themes if t.findings), gaps=gaps)


if __name__ == "__main__":
    raise SystemExit(main())
