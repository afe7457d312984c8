"""The import screen's steps and words, whichever the import: which import reads a path,
a preview and an import run, and what the screen says after them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text

from store.errors import ImportFailed, StoreError
from tui.presenters.import_common import (
    COLUMN_OPTIONS,
    SHEET_KINDS,
    Choice,
    ProgressCallback,
    Shown,
    in_screen_words,
    kinds_for,
    sheet_kind,
)
from tui.presenters.import_evidence import import_evidence, preview_evidence
from tui.presenters.import_plan import import_plan, preview_plan
from tui.presenters.import_reports import import_reports, preview_reports
from tui.presenters.import_scorecard import import_scorecard, preview_scorecard
from tui.text import safe


def kind_to_use(path: Path, kind: str | None) -> str:
    """The import that reads ``path``: ``kind`` when it can, else the one the path suggests.
    Raises ImportFailed for a path none can read."""
    guessed, allowed = kinds_for(path)
    if kind in allowed:
        return kind
    if guessed is None and set(allowed) == set(SHEET_KINDS):
        return sheet_kind(path)  # a plan or a scorecard? refused, naming both choices
    if guessed is None:
        if not path.exists():
            raise ImportFailed(f"{path} does not exist.")
        raise ImportFailed(
            f"{path.name} cannot be imported: choose a .pdf or .txt report, a .csv or .xlsx "
            "plan or scorecard, or a folder."
        )
    return guessed


def run_preview(store: Any, choice: Choice, kind: str, progress: ProgressCallback) -> Shown:
    """What importing the choice as ``kind`` would do; nothing is written."""
    if kind == "reports":
        return preview_reports(store, choice.path, choice.update, progress, choice.ours)
    if kind == "plan":
        return preview_plan(store, choice.path, choice.columns, plan_wins=choice.update)
    if kind == "scorecard":
        return preview_scorecard(store, choice.path, scorecard_wins=choice.update)
    return preview_evidence(store, choice.path, progress)


def run_import(store: Any, shown: Shown, progress: ProgressCallback) -> Shown:
    """Import what ``shown`` previewed and say what was stored."""
    if shown.kind == "reports":
        return import_reports(store, shown.path, shown.update, progress, shown.ours_chosen)
    if shown.kind == "plan":
        return import_plan(store, shown.path, shown.columns, progress, plan_wins=shown.update)
    if shown.kind == "scorecard":
        return import_scorecard(store, shown.path, progress, scorecard_wins=shown.update)
    return import_evidence(store, shown.path, progress, shown.personal)


def status_line(shown: Shown) -> Text:
    """The status over a finished preview or import; a preview's says whether ctrl+s imports."""
    status = shown.status.copy()
    if shown.stage == "preview":
        status.append(
            "  ctrl+s imports." if shown.can_import else "  Nothing will be imported.",
            style="bold" if shown.can_import else "dim",
        )
    return status


def ours_ticked(shown: Shown | None) -> bool | None:
    """The "our council's own" box under a preview of new reports: ticked as the lead chose,
    else as their councils say. None: no box (nothing shown, or not new reports)."""
    if shown is None or shown.kind != "reports" or shown.stage != "preview":
        return None
    if not shown.can_import:
        return None
    return bool(shown.ours) if shown.ours_chosen is None else shown.ours_chosen


@dataclass(frozen=True)
class Failure:
    """What the screen says when a preview or an import failed."""

    error: str  # the red line
    status: str  # what the lead can do next
    unexpected: bool = False  # not a refusal the store meant: the app logs it too


def failure(stage: str, kind: str | None, error: BaseException | None) -> Failure:
    """The words for a ``stage`` ("preview" or "import") that failed with ``error``, while
    ``kind`` was the import chosen."""
    if isinstance(error, StoreError):
        if stage == "import":
            status = "Nothing was stored."
        elif kind == "plan" and error.phrase.options & COLUMN_OPTIONS:
            status = (
                "Name the plan's columns in the Columns box (tab to it), then press enter; "
                "or choose another file."
            )
        else:
            status = "Choose another file or folder."
        return Failure(in_screen_words(error), status)
    what = "importing" if stage == "import" else "reading the file"
    message = f"Something went wrong while {what} ({type(error).__name__}: {error})."
    return Failure(message, "", unexpected=True)


def not_imported_yet(shown: Shown) -> Text:
    """What leaving loses with a preview that could be imported and is not yet."""
    return Text.assemble(
        "The preview of ",
        (safe(shown.path.name or str(shown.path)), "bold"),
        " is not imported yet (ctrl+s imports it).",
    )
