"""What the import screen says about a performance scorecard: the dry run and the summary.

The store reads and checks the sheet (store.importers.scorecard, the one the command line's
``visitprep import`` uses); here are its counts, the cells it cannot read (by cell
reference) and the newer hand edits it would overwrite, as the store words them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from store.errors import ImportFailed
from store.measures import list_measures
from store.periods import MONTHLY, period_label
from tui.presenters.import_common import (
    MAX_LINES,
    SCORECARD_WINS_LABEL,
    Line,
    ProgressCallback,
    Shown,
    capped,
    importer,
    plural,
    styled,
)


def _problem_lines(problems: Iterable[Any]) -> list[Line]:
    """A cell that cannot be read: ``✖ D7: 'abc' is not a number.``"""
    return [
        Line(styled(("✖ ", "bold red"), (f"{p.cell}: ", "bold"), (p.message, "red")))
        for p in problems
    ]


def _edit_lines(conflicts: Iterable[Any], wins: bool) -> list[Line]:
    """A newer hand edit the sheet would overwrite: ``✖ Row 3: would overwrite the target
    of measure F3 ...`` (a warning when the scorecard wins)."""
    mark, style = ("⚠ ", "yellow") if wins else ("✖ ", "red")
    return [
        Line(styled((mark, f"bold {style}"), (f"Row {c.row}: ", "bold"), (c.reason, style)))
        for c in conflicts
    ]


def _left_lines(left: Iterable[Any]) -> list[Line]:
    """A link the sheet would change that the import leaves as it is (made or removed by
    hand): ``· Row 3: measure F3 ... stays linked to action 1.6: ...``."""
    return [
        Line(styled(("· ", "dim"), (f"Row {c.row}: ", "bold"), (c.reason, "dim"))) for c in left
    ]


def _refs_line(mark: str, style: str, what: str, refs: list[str]) -> Line:
    shown = ", ".join(refs[:MAX_LINES])
    more = f" and {len(refs) - MAX_LINES} more" if len(refs) > MAX_LINES else ""
    return Line(styled((mark, style), (f"{what}: ", style), (shown, "bold"), (more, "dim")))


def _month(period: str) -> str:
    """The store's ``2018-04`` (the first month of a period) as a lead reads it: Apr 2018."""
    try:
        return period_label(date.fromisoformat(f"{period}-01"), MONTHLY)
    except ValueError:
        return period


def _counts(result: Any) -> str:
    return (
        f"{plural(result.measures, 'measure')} ({len(result.created)} new, "
        f"{len(result.updated)} changed, {len(result.unchanged)} unchanged); values: "
        f"{result.values_added} new, {result.values_changed} changed, "
        f"{result.values_unchanged} the same{result.links_counted()}"
    )


def preview_scorecard(store: Any, path: Path, *, scorecard_wins: bool = False) -> Shown:
    """What importing a scorecard would do (a dry run: nothing is kept); ``scorecard_wins``:
    its values go over measures' fields and values edited by hand since it last wrote them."""
    result = importer("scorecard").import_scorecard(
        store, path, dry_run=True, scorecard_wins=scorecard_wins
    )
    if result.problems:
        cells = plural(len(result.problems), "cell cannot", "cells cannot")
        status = styled((path.name, "bold"), (f": {cells} be read (listed in red).", "bold red"))
        shown = Shown(path, "scorecard", scorecard_wins, "preview", status)
        shown.lines = _problem_lines(result.problems)
        shown.can_import = False
        shown.reason = (
            f"{cells} be read, so nothing can be imported: fix them in the sheet and preview again."
        )
        return shown
    lines = _edit_lines(result.conflicts, scorecard_wins)
    lines += _left_lines(result.links_left)
    for mark, style, what, refs in (
        ("+ ", "green", "New measures", result.created),
        ("~ ", "yellow", "Changed measures", result.updated),
        ("= ", "dim", "Unchanged measures", result.unchanged),
    ):
        if refs:
            lines.append(_refs_line(mark, style, what, refs))
    first, last = result.periods
    if first:
        span = f"{_month(first)} to {_month(last)}"
        lines.append(Line(styled(("Periods read: ", "bold"), (span, "dim"))))
    status = styled((path.name, "bold"), f": {_counts(result)}.")
    shown = Shown(path, "scorecard", scorecard_wins, "preview", status, lines)
    edits = plural(len(result.conflicts), "newer edit")
    if result.conflicts and scorecard_wins:
        shown.status.append(f" It will overwrite {edits} (listed first).", style="bold yellow")
    elif result.conflicts:
        shown.status.append(f" It would overwrite {edits} (listed first in red).", style="bold red")
        shown.can_import = False
        shown.reason = (
            f"It would overwrite {edits} made since the scorecard was last imported, so "
            f"nothing can be imported: bring the sheet up to date, or tick "
            f"'{SCORECARD_WINS_LABEL}'."
        )
    elif not (
        result.created
        or result.updated
        or result.values_added
        or result.values_changed
        or result.links_added
        or result.links_removed
    ):
        shown.can_import = False
        shown.reason = "Every measure and value in this scorecard is already stored."
    return shown


def import_scorecard(
    store: Any, path: Path, progress: ProgressCallback, *, scorecard_wins: bool = False
) -> Shown:
    """Import a scorecard, all or nothing. Raises ImportFailed (nothing stored) for cells
    that cannot be read or newer edits it would overwrite without ``scorecard_wins``."""
    result = importer("scorecard").import_scorecard(
        store, path, scorecard_wins=scorecard_wins, progress=progress
    )
    if result.problems:  # the sheet changed since its preview: nothing was stored
        cells = plural(len(result.problems), "cell cannot", "cells cannot")
        said = "".join(f"\n{problem}" for problem in result.problems[:MAX_LINES])
        raise ImportFailed(f"{path.name}: {cells} be read, so nothing was imported:{said}")
    done = set(result.created) | set(result.updated)
    measures = {m.ref: m for m in list_measures(store, sort="ref") if m.ref in done}
    lines: list[Line] = []
    listed = [(ref, "new") for ref in result.created]
    listed += [(ref, "changed") for ref in result.updated]
    for ref, how in listed[:MAX_LINES]:
        measure = measures.get(ref)
        mark, style = ("+ ", "green") if how == "new" else ("~ ", "yellow")
        parts: list[tuple[object, str] | str] = [(mark, style), (f"{how:<9}", style), " "]
        parts += [(ref, "bold"), "  ", measure.name if measure else ""]
        target = ("measure", measure.id) if measure else None
        lines.append(Line(styled(*parts), target))
    capped(lines, len(listed), "measures")
    edits = plural(len(result.conflicts), "newer edit")
    status = styled(
        (f"Imported {path.name}", "bold"),
        f": {_counts(result)}.",
        f" It overwrote {edits}." if result.conflicts else "",
        " enter opens a measure." if listed else "",
    )
    return Shown(path, "scorecard", False, "imported", status, lines, False)
