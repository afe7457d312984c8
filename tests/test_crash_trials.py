"""kill -9 during writing commands leaves a store that opens with all or none of the
change: a small fixed sample of bench/crash_trials.py (the full run of 1,000+ kills is
run by hand; its figures are in bench/crash_results.txt)."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

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
    scenarios = [s for s in trials.SCENARIOS if s.name in SAMPLE]
    assert sorted(s.name for s in scenarios) == sorted(SAMPLE)

    figures = trials.run_trials(scenarios, 6, random.Random(14), sample=True)

    assert figures.failures == []
    assert figures.kills >= 24  # "a few dozen"
    assert figures.counts["statement killed"] >= 20
    assert len(figures.lines) == len(SAMPLE)
