"""The import screen's two steps, whichever the import: preview a choice, import a preview."""

from __future__ import annotations

from typing import Any

from tui.presenters.import_common import Choice, ProgressCallback, Shown
from tui.presenters.import_evidence import import_evidence, preview_evidence
from tui.presenters.import_plan import import_plan, preview_plan
from tui.presenters.import_reports import import_reports, preview_reports


def run_preview(store: Any, choice: Choice, kind: str, progress: ProgressCallback) -> Shown:
    """What importing the choice as ``kind`` would do; nothing is written."""
    if kind == "reports":
        return preview_reports(store, choice.path, choice.update, progress, choice.ours)
    if kind == "plan":
        return preview_plan(store, choice.path, choice.columns, plan_wins=choice.update)
    return preview_evidence(store, choice.path, progress)


def run_import(store: Any, shown: Shown, progress: ProgressCallback) -> Shown:
    """Import what ``shown`` previewed and say what was stored."""
    if shown.kind == "reports":
        return import_reports(store, shown.path, shown.update, progress, shown.ours_chosen)
    if shown.kind == "plan":
        return import_plan(store, shown.path, shown.columns, progress, plan_wins=shown.update)
    return import_evidence(store, shown.path, progress, shown.personal)


# ----------------------------------------------------------------------------- widgets
