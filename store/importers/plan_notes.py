"""A plan's progress cell as the dated notes it holds, and which of them the store lacks.

Councils keep one "Progress update" cell an action and add a line to it each month
("Jan 26 update: 40 audits done" over "Dec 25: audit tool agreed", bulleted, or
"12/01/2026 - ..."). Such a cell is one update a note, each on the date it starts with
(:func:`store.importers.plan_cells.split_notes`); the lines under a dated line carry that
note on, and the lines above the first dated one are a note of their own whose date is not
given (they may be older or newer than the dated ones: never guessed, and never taken for
the latest update while a dated one exists). A cell with a single note (no dated line, or
one at its top and nothing above it) is one update dated as it always was: by the Updated
column, else the date it starts with, else a period in the column's header, else not given.

A re-import adds only the notes the action's history does not hold. A note is held when an
update has the same text, whitespace, case and a leading bullet aside; an update an earlier
import stored as a whole cell of notes holds each of its notes. A dated note the sheet has
edited since (a held note of that date is no longer in the cell) is not stored again beside
the first: updates are never rewritten, so the lead is warned, to add the change by hand if
it matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from store.dates import DATE_NOT_GIVEN, format_date
from store.importers.plan_actions import PlanRow
from store.importers.plan_cells import BULLETS, cut, split_notes
from store.wording import plural

if TYPE_CHECKING:
    from store.records import ActionUpdate

BY_NOTE = "the note"
BY_HEADER = "the column header"


@dataclass(frozen=True)
class CellNote:
    """One note of a progress cell: its text, its date (``None``: not given), what dated it
    ("the note", "the Updated column", "the column header" or "") and whether it is the
    whole cell."""

    text: str
    on_date: date | None
    dated_by: str
    whole: bool = True


def note_key(text: str) -> str:
    """A note as compared with the history: whitespace, case and a leading bullet aside."""
    return " ".join(text.strip().lstrip(BULLETS + " ").lower().split())


def cell_notes(row: PlanRow, today: date) -> list[CellNote]:
    """The notes of a row's progress cell, oldest first (those with no date first)."""
    if not row.progress:
        return []
    pieces = split_notes(row.progress)
    dated = [when for _, when in pieces if when is not None]
    if len(pieces) < 2 or not dated:
        when = row.progress_date
        if when and row.progress_dated_by == BY_HEADER:
            when = min(when, today)  # the period the header names is now
        return [CellNote(row.progress, when, row.progress_dated_by)]
    if dated[0] > dated[-1]:  # newest first, as many trackers keep them
        pieces.reverse()
    pieces.sort(key=lambda p: (p[1] is not None, p[1] or date.min))
    return [CellNote(text, when, BY_NOTE if when else "", whole=False) for text, when in pieces]


def new_notes(
    history: list[ActionUpdate], notes: list[CellNote]
) -> tuple[list[CellNote], list[str]]:
    """The ``notes`` an action's ``history`` does not hold yet, and a warning for each dated
    note edited in the sheet since it was stored (not stored again)."""
    held: set[str] = set()
    held_on: dict[date, list[str]] = {}  # dated notes held, by the date they start with
    for update in history:
        held.add(note_key(update.note))
        for text, when in split_notes(update.note):
            held.add(note_key(text))
            if when is not None:
                held_on.setdefault(when, []).append(text)
    in_cell = {note_key(n.text) for n in notes}
    in_cell |= {note_key(text) for n in notes for text, _ in split_notes(n.text)}
    new: list[CellNote] = []
    warnings: list[str] = []
    for note in notes:
        if note_key(note.text) in held:
            continue
        when = note.on_date if note.dated_by == BY_NOTE else None
        gone = [t for t in held_on.get(when, []) if note_key(t) not in in_cell] if when else []
        if when and gone:
            held_on[when].remove(gone[0])  # one edit answers one stored note
            warnings.append(
                f"the progress note of {format_date(when)} is not the one imported "
                f"before ('{cut(' '.join(gone[0].split()), 50)}'): edited in the sheet? The "
                "store keeps the first (an update is never rewritten); add the change as a "
                "new update if it matters"
            )
            continue
        new.append(note)
    return new, warnings


def notes_said(notes: list[CellNote], held: int) -> list[str]:
    """The dry run's words for the notes a row adds (``held``: its notes already stored)."""
    if not notes:
        return []
    if len(notes) == 1 and notes[0].whole:
        note = notes[0]
        if note.on_date is not None:
            return [f"progress note dated {format_date(note.on_date)} by {note.dated_by}"]
        return [
            f"progress note: {DATE_NOT_GIVEN} (no Updated column, no date in the note or its "
            "column's header), so it is kept undated, not dated today"
        ]
    dates = ", ".join(
        format_date(n.on_date)
        if n.on_date
        else f"{DATE_NOT_GIVEN} (the lines above the first date)"
        for n in notes
    )
    stored = f" ({held} already stored)" if held else ""
    return [
        f"{plural(len(notes), 'progress note')} to add{stored}, each an update on the date "
        f"it starts with: {dates}"
    ]
