"""kill -9 trials: every writing command, killed at each SQL statement and at random moments.

    python bench/crash_trials.py                  # the full run (about 1,000 kills)
    python bench/crash_trials.py --sample 30      # a quick fixed sample (what CI runs)

Each scenario starts from a fresh copy of a prepared store and runs one real command
(``python -m tui.cli ...``) in a child process. First a clean run counts the command's SQL
statements (``VISITPREP_CRASH_COUNT``) and records the store before and after. Then:

- at every statement boundary: ``VISITPREP_CRASH_AT=k`` makes the child SIGKILL itself
  just before its k-th statement (creation, each migration, each write), k = 1..N (long
  commands such as the demo are sampled at an even stride);
- at random moments: the parent sends SIGKILL after a random delay within the clean
  run's duration.

After each kill the trial checks, before anything else touches the store, that
``PRAGMA integrity_check`` says ok and that the row counts of every table (and the schema
revision) are exactly those before the command or after it (or, for a command that first
creates its store, of the new empty store): all or nothing. Then that ``open_store``
opens it, that no temporary store or lock file of the killed process is left once it has, and that
an upgrade kept at most one backup. Figures are printed and written to
``bench/crash_results.txt``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TODAY = "2018-01-20"
PLAN = ROOT / "tests" / "data" / "plans" / "tower_fields_plan.csv"
REPORT = ROOT / "tests" / "data" / "reports" / "eastmere_2016-05-20.txt"
FAILED_RUNS: list[str] = []  # a command that failed by itself (not killed) is a finding too
Snapshot = tuple[tuple[str, object], ...] | None  # None: no store file at all


def snapshot(path: Path) -> Snapshot:
    """Every table's row count and the schema revision, read with sqlite3 alone (which
    also rolls back a hot journal, as any open would)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts: list[tuple[str, object]] = [
            (name, connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
            for name in sorted(tables)
            if not name.startswith("search")
        ]
        if "alembic_version" in tables:
            counts.append(
                (
                    "revision",
                    connection.execute("SELECT version_num FROM alembic_version").fetchone()[0],
                )
            )
        if "setting" in tables:
            counts.append(
                ("settings", tuple(connection.execute("SELECT * FROM setting ORDER BY 1")))
            )
        return tuple(counts)
    finally:
        connection.close()


def integrity(path: Path) -> str:
    if not path.exists() or path.stat().st_size == 0:
        return "ok"
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


# ------------------------------------------------------------------------ scenarios


@dataclass
class Scenario:
    name: str
    args: Callable[[Path], list[str]]  # the command, given the trial folder
    base: str | None  # prepared store copied in first (None: no store yet)
    extra_states: list[str] = field(default_factory=list)  # bases that are also acceptable
    output: str | None = None  # a file the command writes: absent or whole afterwards


def _evidence_folder(folder: Path) -> Path:
    evidence = folder / "evidence"
    evidence.mkdir(exist_ok=True)
    for n, name in enumerate(
        ["MASH audit 2017-12.docx", "Caseloads tracker.xlsx", "PLO tracker (DRAFT).xlsx",
         "Board minutes 2018-01.pdf", "Supervision audit.docx", "RHI dashboard.xlsx"]
    ):  # fmt: skip
        (evidence / name).write_bytes(b"x" * (100 + n))
    return evidence


SCENARIOS = [
    Scenario("create store + evidence scan", lambda f: ["import", "--evidence", str(_evidence_folder(f))], None, ["empty"]),
    Scenario("demo (new store)", lambda f: ["demo"], None),
    Scenario("demo --force (replace)", lambda f: ["demo", "--force"], "small"),
    Scenario("plan import", lambda f: ["import", str(PLAN)], "empty"),
    Scenario("report import", lambda f: ["import", str(REPORT)], "empty"),
    Scenario("evidence scan", lambda f: ["import", "--evidence", str(_evidence_folder(f))], "empty"),
    Scenario("settings --stale-after", lambda f: ["settings", "--stale-after", "12 weeks"], "small"),
    Scenario("upgrade 0001 -> head", lambda f: ["upgrade"], "old"),
    Scenario("backup", lambda f: ["backup", str(f / "copy.db")], "small", output="copy.db"),
    Scenario("export -o", lambda f: ["export", "front door", "-o", str(f / "pack.md")], "demo", output="pack.md"),
]  # fmt: skip


def prepare_bases(folder: Path) -> dict[str, Path]:
    """The stores scenarios start from: empty (themes only), small, old (0001), demo."""
    sys.path.insert(0, str(ROOT))
    from store import create_evidence, create_finding, open_store
    from store.creating import ddl_engine
    from store.demo import build_demo
    from store.migrations import upgrade

    bases = {name: folder / f"base-{name}.db" for name in ("empty", "small", "old", "demo")}
    open_store(bases["empty"]).close()
    small = open_store(bases["small"])
    create_finding(small, ref="R1", title="Thresholds are not applied consistently")
    create_evidence(small, title="MASH audit")
    small.close()
    engine = ddl_engine(bases["old"])
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO theme (name, position) VALUES ('Care leavers', 1)")
        connection.exec_driver_sql(
            "INSERT INTO evidence (title, kind, owner, location, impact, personal_data) "
            "VALUES ('Pathway plan audit', 'audit', 'Head of Care Leavers', '', '', 0)"
        )
    engine.dispose()
    demo = open_store(bases["demo"])
    build_demo(demo)
    demo.close()
    return bases


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VISITPREP_")}
    env.update(VISITPREP_TODAY=TODAY, PYTHONPATH=str(ROOT), COLUMNS="120", **extra)
    return env


def _setup(scenario: Scenario, bases: dict[str, Path], folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    store = folder / "visitprep.db"
    if scenario.base is not None:
        shutil.copyfile(bases[scenario.base], store)
    return store


def _run(store: Path, args: list[str], env: dict[str, str], kill_after: float | None = None) -> int:
    command = [PYTHON, "-m", "tui.cli", "--db", str(store), *args]
    child = subprocess.Popen(
        command, env=env, cwd=store.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if kill_after is not None:
        try:
            child.wait(kill_after)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
    _, err = child.communicate()
    if child.returncode not in (0, -signal.SIGKILL):
        FAILED_RUNS.append(f"{args} exited {child.returncode}: {err.decode()[-300:].strip()}")
    return child.returncode


@dataclass
class Reference:
    before: Snapshot
    after: Snapshot
    extra: list[Snapshot]
    statements: int
    seconds: float
    output: bytes | None


def reference(scenario: Scenario, bases: dict[str, Path], folder: Path) -> Reference:
    store = _setup(scenario, bases, folder)
    before = snapshot(store)
    count_file = folder.parent / f"{folder.name}.count"
    started = time.perf_counter()
    _run(store, scenario.args(folder), _env(VISITPREP_CRASH_COUNT=str(count_file)))
    seconds = time.perf_counter() - started
    statements = int(count_file.read_text())
    output = (folder / scenario.output).read_bytes() if scenario.output else None
    extra = [snapshot(bases[name]) for name in scenario.extra_states]
    return Reference(before, snapshot(store), extra, statements, seconds, output)


def check(
    scenario: Scenario, ref: Reference, folder: Path, store: Path
) -> tuple[list[str], Snapshot]:
    """What went wrong after one kill (empty: all or nothing, and the store opens), and
    what the kill left (before anything opened the store)."""
    problems: list[str] = []
    state = integrity(store)
    if state != "ok":
        problems.append(f"integrity_check: {state}")
        return problems, None
    seen = snapshot(store)
    if seen not in (ref.before, ref.after, *ref.extra):
        problems.append(f"partial: {seen}")
    written = folder / scenario.output if scenario.output else None
    if written is not None and written.exists():
        is_copy = scenario.name == "backup"  # a whole store with the same rows
        whole = snapshot(written) == ref.before if is_copy else written.read_bytes() == ref.output
        if not whole:
            problems.append(f"{written.name} is partly written")
    if seen is not None:
        sys.path.insert(0, str(ROOT))
        from store import list_themes, open_store

        try:
            opened = open_store(store, create=False)
            try:
                list_themes(opened)
            finally:
                opened.close()
        except Exception as error:  # the point of the trial: any failure is a finding
            problems.append(f"does not open: {error}")
        backups = [
            p
            for p in folder.glob("visitprep.db.backup-*")
            if not p.name.endswith(("-wal", "-shm", "-journal"))
        ]
        if len(backups) > 1:
            problems.append(f"{len(backups)} backups")
        left = [
            p.name
            for p in folder.iterdir()
            if p.name.startswith(".visitprep.db.")  # .new-PID.tmp, .demo-PID.tmp, .lock
        ]
        if left:
            problems.append(f"temporary or lock files left: {left}")
    return problems, seen


def trials_for(
    scenario: Scenario, ref: Reference, budget: int, rng: random.Random
) -> list[tuple[str, float]]:
    """("statement", k) for boundaries (all, or an even stride when over budget), then
    ("random", seconds) kills."""
    boundaries = max(1, budget * 2 // 3)
    if ref.statements <= boundaries:
        points = list(range(1, ref.statements + 1))
    else:
        stride = ref.statements / boundaries
        points = sorted({1 + int(i * stride) for i in range(boundaries)} | {ref.statements})
    plan: list[tuple[str, float]] = [("statement", float(k)) for k in points]
    for _ in range(max(1, budget - len(plan))):
        plan.append(("random", rng.uniform(0.2, 1.05) * ref.seconds))
    return plan


@dataclass
class Figures:
    lines: list[str] = field(default_factory=list)  # one per scenario
    failures: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # "statement killed", ...

    @property
    def kills(self) -> int:
        return sum(n for k, n in self.counts.items() if k.endswith("killed"))


def run_trials(
    scenarios: list[Scenario], per: int, rng: random.Random, *, sample: bool = False
) -> Figures:
    """``per`` trials for each scenario (a fixed spread of them with ``sample``)."""
    figures = Figures()
    work = Path(tempfile.mkdtemp(prefix="crash-trials-"))
    try:
        bases = prepare_bases(work)
        for scenario in scenarios:
            folder = work / "trial"
            ref = reference(scenario, bases, folder)
            plan = trials_for(scenario, ref, per, rng)
            if sample:
                plan = plan[:: max(1, len(plan) // max(1, per))][:per]
            outcomes: Counter[str] = Counter()
            for kind, value in plan:
                store = _setup(scenario, bases, folder)
                if kind == "statement":
                    env = _env(VISITPREP_CRASH_AT=str(int(value)))
                    code = _run(store, scenario.args(folder), env)
                else:
                    code = _run(store, scenario.args(folder), _env(), kill_after=value)
                problems, seen = check(scenario, ref, folder, store)
                outcomes[f"{kind} {'killed' if code else 'finished'}"] += 1
                if problems:
                    outcomes["left a problem"] += 1
                elif seen == ref.before:
                    outcomes["left old"] += 1
                elif seen == ref.after:
                    outcomes["left new"] += 1
                else:
                    outcomes["left a new empty store"] += 1
                for problem in problems:
                    figures.failures.append(f"{scenario.name}, {kind} {value:.3g}: {problem}")
            figures.counts.update(
                {k: v for k, v in outcomes.items() if k.endswith(("killed", "finished"))}
            )
            line = (
                f"{scenario.name:32} {ref.statements:5} statements, clean run {ref.seconds:4.1f} s; "
                f"{len(plan):4} trials: "
                + ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items()))
            )
            print(line, flush=True)
            figures.lines.append(line)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures.failures.extend(f"command failed: {run}" for run in FAILED_RUNS)
    FAILED_RUNS.clear()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000, help="about how many kills in all")
    parser.add_argument("--sample", type=int, help="a quick fixed sample of about this many kills")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--only", help="scenarios whose name contains this")
    parser.add_argument("--part", default="1/1", help="run part I of N (I/N) of the scenarios")
    parser.add_argument("--results", type=Path, default=None, help="where to write the figures")
    args = parser.parse_args(argv)
    rng = random.Random(f"{args.seed}-{args.part}")
    total = args.sample or args.trials
    part, parts = (int(n) for n in args.part.split("/"))
    scenarios = [s for s in SCENARIOS if not args.only or args.only in s.name]
    per = total // len(scenarios if args.only else SCENARIOS)
    started = time.perf_counter()
    figures = run_trials(scenarios[part - 1 :: parts], per, rng, sample=bool(args.sample))
    lines, failures, counts, kills = figures.lines, figures.failures, figures.counts, figures.kills
    summary = (
        f"{sum(counts.values())} trials, {kills} kills ({counts['statement killed']} at a statement "
        f"boundary, {counts['random killed']} at random moments), {len(failures)} problems, "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(summary)
    for failure in failures:
        print("  PROBLEM", failure)
    if args.results:
        args.results.write_text(
            "\n".join(
                [f"# bench/crash_trials.py --trials {total} --seed {args.seed} --part {args.part}, {time.strftime('%Y-%m-%d %H:%M')}",
                 *lines, summary, *(f"  PROBLEM {f}" for f in failures)]
            ) + "\n"
        )  # fmt: skip
    print(json.dumps({"trials": sum(counts.values()), "kills": kills, "problems": len(failures)}))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
