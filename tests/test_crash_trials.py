"""kill -9 during writing commands leaves a store that opens with all or none of the
change: a small fixed sample of bench/crash_trials.py (the full run of 1,000+ kills is
run by hand; its figures are in bench/crash_results.txt)."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import _cli
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "crash_trials.py"
# Short commands, so the sample stays under a minute or two: store creation, an upgrade
# from the first schema, an import, a setting, a backup.
SAMPLE = ("create store + evidence scan", "upgrade 0001 -> head", "plan import",
          "settings --stale-after", "backup")  # fmt: skip


@pytest.mark.slow
def test_kills_at_statement_boundaries_and_random_moments_leave_all_or_nothing() -> None:
    spec = importlib.util.spec_from_file_location("crash_trials", BENCH)
    assert spec is not None and spec.loader is not None
    trials = importlib.util.module_from_spec(spec)
    sys.modules["crash_trials"] = trials  # dataclasses look their module up
    spec.loader.exec_module(trials)
    trials._run = _forked_runner(trials)
    scenarios = [s for s in trials.SCENARIOS if s.name in SAMPLE]
    assert sorted(s.name for s in scenarios) == sorted(SAMPLE)

    figures = trials.run_trials(scenarios, 6, random.Random(14), sample=True)

    assert figures.failures == []
    assert figures.kills >= 24  # "a few dozen"
    assert figures.counts["statement killed"] >= 20
    assert len(figures.lines) == len(SAMPLE)


def _forked_runner(trials: Any) -> Any:
    """The bench's ``_run`` (``python -m tui.cli``, killed after ``kill_after`` s), with the
    console script in a process of its own forked after the imports (tests/_cli.py): the
    same command, environment and kills, ~0.8 CPU s less a run. ``VISITPREP_CRASH_AT`` is
    still read by the child (the parent never imports store.creating). PYTHONPATH, which
    only lets ``-m`` find the repo, is left out: the console script finds it installed."""

    def run(
        store: Path, args: list[str], env: dict[str, str], kill_after: float | None = None
    ) -> int:
        env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
        if "PYTHONPATH" in os.environ:  # dev.py mutate's: the mutants first
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        command = [str(_cli.BIN), "--db", str(store), *args]
        try:
            done = _cli.run(command, env=env, cwd=store.parent, timeout=kill_after)
            code, err = done.returncode, done.stderr
        except subprocess.TimeoutExpired as killed:
            code, err = -signal.SIGKILL, str(killed.stderr or "")
        if code not in (0, -signal.SIGKILL):
            trials.FAILED_RUNS.append(f"{args} exited {code}: {err[-300:].strip()}")
        return code

    return run
