"""What the import screen shows, shared by the four imports: lines, the shown result, choices.

A preview or summary is a ``Shown``: a status line and a list of ``Line``s (each may open a
record). Every piece of user or file text goes through ``styled``, made terminal-safe and
never parsed as markup.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text

from store.dates import format_date
from store.errors import ImportFailed, StoreError
from store.wording import Option, phrase
from store.wording import plural as plural  # the presenters import it from here
from tui.text import safe

REPORT_SUFFIXES = frozenset({".pdf", ".txt"})
PLAN_SUFFIXES = frozenset({".csv", ".xlsx", ".xlsm"})  # a plan's, or a scorecard's
SHEET_KINDS = ("plan", "scorecard")  # the imports that read a spreadsheet
# Lines listed per preview or summary; the counts above them always cover everything.
MAX_LINES = 500
# How many entries of a folder are looked at to guess whether it holds reports.
FOLDER_PEEK = 2000

CHOOSE_HINT = "Type or pick a file or folder, then press enter (or p) to preview it."
PREVIEW_HINT = "Press p (or enter in the path box) to preview it."
# kind -> (label, importer module); short, so that the four choices and a box fit 120 columns
KINDS: dict[str, tuple[str, str]] = {
    "reports": ("Ofsted reports", "store.importers.reports"),
    "plan": ("Plan", "store.importers.plan"),
    "scorecard": ("Scorecard", "store.importers.scorecard"),
    "evidence": ("Evidence folder", "store.importers.evidence_folder"),
}
ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Line:
    """One line of a preview or summary; ``target`` (kind, id) is opened by enter."""

    text: Text
    target: tuple[str, int] | None = None
    toggle: str = ""  # a new evidence file whose personal-data mark x flips (its path)


@dataclass
class Shown:
    """A finished preview or import, as the screen shows it."""

    path: Path
    kind: str
    update: bool
    stage: str  # "preview" or "imported"
    status: Text
    lines: list[Line] = field(default_factory=list)
    can_import: bool = True
    reason: str = ""  # why it cannot be imported
    columns: tuple[tuple[str, str], ...] = ()  # a plan's (field, header) pairs, as given
    # Reports: whose the new ones would be (None: some of each), and the lead's own choice
    # (None: each decided by its council, as the command line does without --ours/--other).
    ours: bool | None = None
    ours_chosen: bool | None = None
    # Evidence: the lead's answer, by new file's path, to "does it hold personal data?"
    # (the guess stands for a file not in it), and the files found, to say it again.
    personal: dict[str, bool] = field(default_factory=dict)
    found: dict[str, Any] = field(default_factory=dict)


def parse_columns(text: str) -> tuple[tuple[str, str], ...]:
    """The Columns box (``owner=Lead officer; due=By when``) as (field, header) pairs."""
    pairs: list[tuple[str, str]] = []
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        name, equals, header = part.partition("=")
        if not equals or not name.strip() or not header.strip():
            raise ImportFailed(
                phrase(
                    Option.COLUMNS,
                    f": write each as field=Header, separated by ';' (not '{part.strip()}').",
                )
            )
        pairs.append((name.strip(), header.strip()))
    return tuple(pairs)


# The screen's boxes for whose a report is, and for replacing one stored from another file.
OURS_LABEL = "Our council's own report"
REPLACE_LABEL = "Replace a report stored from another file"
# The same box under a plan: write the plan's values over fields edited by hand since.
PLAN_WINS_LABEL = "Let the plan overwrite newer edits"
# ... and under a scorecard: its values over measures' fields and values edited since.
SCORECARD_WINS_LABEL = "Let the scorecard overwrite newer edits"

# The choices a store message points to, as this screen names them (the command line
# names them by flag: tui.commands._words).
SCREEN_WORDS: Mapping[Option, str] = {
    Option.COLUMNS: "Columns",
    Option.COLUMN_PAIR: "field=Header in the Columns box",
    Option.DRY_RUN: "the preview",
    Option.OURS: f"'{OURS_LABEL}' (ctrl+o)",
    Option.OTHER: f"'{OURS_LABEL}' unticked (ctrl+o)",
    Option.UPDATE: f"'{REPLACE_LABEL}' ticked",
    Option.NAME: "your name",  # the app asks for no name: visitprep config --name does
    Option.REPLACE: "replace it",
    Option.PLAN_WINS: f"'{PLAN_WINS_LABEL}' ticked",
    Option.SCORECARD_WINS: f"'{SCORECARD_WINS_LABEL}' ticked",
    Option.AS_PLAN: f"'{KINDS['plan'][0]}' chosen above",
    Option.AS_SCORECARD: f"'{KINDS['scorecard'][0]}' chosen above",
}


COLUMN_OPTIONS = frozenset({Option.COLUMNS, Option.COLUMN_PAIR})  # the Columns box answers them


def in_screen_words(error: StoreError) -> str:
    """An importer's refusal with the choices it names as this screen names them."""
    return error.say(SCREEN_WORDS)


def expand(value: str) -> Path | None:
    """The path a user typed or pasted: quotes dropped, ``~`` expanded; None when blank."""
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].strip()
    if not text:
        return None
    return Path(os.path.expanduser(text))


def kinds_for(path: Path) -> tuple[str | None, tuple[str, ...]]:
    """The import a path suggests and every import that could read it.

    A folder may be a folder of reports or an evidence folder: it is taken for reports when
    it holds .pdf or .txt files, else for evidence, and the user can switch. A spreadsheet
    may be a plan or a performance scorecard, as the store reads it (``visitprep import``
    decides the same way), and the user can switch; when it could be either, none is
    suggested (the preview says so: :func:`sheet_kind`). It reads the file: call it from a
    worker.
    """
    try:
        if path.is_dir():
            return ("reports" if holds_reports(path) else "evidence"), ("reports", "evidence")
        if not path.exists():
            return None, ()
    except OSError:
        return None, ()
    suffix = path.suffix.lower()
    if suffix in REPORT_SUFFIXES:
        return "reports", ("reports",)
    if suffix in PLAN_SUFFIXES:
        sheets = tuple(kind for kind in SHEET_KINDS if available(kind))
        try:
            return sheet_kind(path), sheets
        except ImportFailed:
            return None, sheets  # a plan or a scorecard: the lead says which
    return None, ()


def sheet_kind(path: Path) -> str:
    """What the store reads a spreadsheet as, "plan" or "scorecard" (a plan in versions with
    no scorecard importer). Raises ImportFailed, naming both choices, for one that could be
    either (store.importers.scorecard_rows.spreadsheet_kind)."""
    if not available("scorecard"):
        return "plan"
    from store.importers.scorecard_rows import spreadsheet_kind

    return spreadsheet_kind(path)


def holds_reports(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            for number, entry in enumerate(entries):
                if number >= FOLDER_PEEK:
                    break
                if Path(entry.name).suffix.lower() in REPORT_SUFFIXES and entry.is_file():
                    return True
    except OSError:
        return False
    return False


def available(kind: str) -> bool:
    """Whether this version has the importer for ``kind``."""
    try:
        return importlib.util.find_spec(KINDS[kind][1]) is not None
    except ImportError:
        return False


def importer(kind: str) -> Any:
    label, module = KINDS[kind]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportFailed(f"Importing here is not available yet: {label}.") from None


def dates_text(start: date | None, end: date | None) -> str:
    if start and end and start != end:
        return f"{format_date(start)} – {format_date(end)}"
    return format_date(start or end)


def styled(*parts: tuple[object, str] | str) -> Text:
    """A line of plain text pieces (each made safe, never parsed as markup) with styles."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(safe(part[0]), style=part[1])
        else:
            text.append(safe(part))
    return text


def refusal(verb: str, name: str, message: str) -> Text:
    """``✖ Refused: x.pdf is not a PDF (...)``, the file's name in bold, said once."""
    reason = message.removeprefix(name) if message.startswith(name) else f": {message}"
    return styled(("✖ ", "bold red"), (f"{verb}: ", "bold"), (name, "bold"), (reason, "red"))


def capped(lines: list[Line], total: int, what: str) -> list[Line]:
    if total > len(lines):
        lines.append(Line(styled((f"… and {total - len(lines)} more {what}", "dim italic"))))
    return lines


# ----------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class Choice:
    """What the lead asked for: a path, read as which import, with that import's settings."""

    path: Path
    kind: str | None
    # Reports: replace a report stored from another file; a plan or scorecard: it wins.
    update: bool = False
    columns: tuple[tuple[str, str], ...] = ()  # plan: (field, header) pairs
    ours: bool | None = None  # reports: ours or another council's (None: by their council)

    def shown_by(self, shown: Shown | None) -> bool:
        """Whether ``shown`` is the preview (or import) of this very choice."""
        return (
            shown is not None
            and shown.path == self.path
            and shown.kind == self.kind
            and (
                self.kind != "reports"
                or (shown.update == self.update and shown.ours_chosen == self.ours)
            )
            and (
                self.kind != "plan"
                or (shown.columns == self.columns and shown.update == self.update)
            )
            and (self.kind != "scorecard" or shown.update == self.update)
        )
