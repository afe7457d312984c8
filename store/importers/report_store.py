"""Storing one report of an import, in its own transaction: a file stored before (the very
same content), a new report, or a changed copy of an inspection already stored (replaced
only when asked: :mod:`store.importers.report_replace`). Each says what it did as a
:class:`ReportOutcome`.

Whether a new report is the same inspection as a stored one, and whether it is this
council's own, is decided inside its transaction, after it has taken the store's write
lock: two imports at once never both decide "ours"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from store.database import Store
from store.dialect import claim_writes
from store.findings import add_findings
from store.importers.report_fields import finding_fields, source_fields, store_themes
from store.importers.report_outcome import ReportOutcome
from store.importers.report_read import ParsedFinding, ParsedReport
from store.importers.report_replace import update_report
from store.importers.report_whose import is_ours, own_councils, same_inspection, whose
from store.models import SourceRow
from store.sources import create_source, get_source, update_source
from store.team import note_history
from store.vocab import ASKED, BOARD, DETAIL, GRADES
from store.wording import Option, phrase
from store.wording import plural as _plural


def known_report(store: Store, path: Path, source_id: int, ours: bool | None) -> ReportOutcome:
    """A file whose very content is stored already (as ``source_id``): left alone, or
    moved across when ``ours`` says it is the other council's."""
    same = get_source(store, source_id)
    council = same.local_authority
    if ours is not None and ours != same.ours:
        update_source(store, same.id, ours=ours)
        return ReportOutcome(
            path, "updated", same.id, same.finding_count,
            f"{path.name}: already imported as '{same.title}'; now marked "
            + whose(ours, hint=False) + ".",
            ours, council,
        )  # fmt: skip
    return ReportOutcome(
        path, "unchanged", same.id, same.finding_count,
        f"{path.name}: already imported as '{same.title}'; nothing changed."
        + phrase(
            "" if same.ours else phrase(
                " It is another council's report (", Option.OURS, " makes it yours)."
            )
        ),
        same.ours, council,
    )  # fmt: skip


class _Changed(Exception):
    """The same inspection is stored from another file (and no update was asked for)."""

    def __init__(self, earlier: SourceRow) -> None:
        self.id, self.title, self.ours = earlier.id or 0, earlier.title, earlier.ours


def store_report(
    store: Store,
    report: ParsedReport,
    *,
    update: bool,
    ours: bool | None = None,
    themes: dict[str, str] | None = None,
) -> ReportOutcome:
    """Store a report not stored from this file before, in one transaction: new, or a
    changed copy of an inspection already stored (replaced only when ``update``)."""
    name = report.path.name
    count = len(report.findings)
    council = report.local_authority
    themes = store_themes(store) if themes is None else themes
    try:
        with store.batch() as session:
            # Take the write lock first: what is read below (the same inspection, whose
            # report it is) cannot change under this import until it commits.
            claim_writes(session)
            earlier = same_inspection(session, report)
            if earlier is not None and not update:
                raise _Changed(earlier)
            if earlier is not None:
                return update_report(store, report, get_source(store, earlier.id or 0),
                                     ours=ours, themes=themes)  # fmt: skip
            mine = ours if ours is not None else is_ours(
                report.council_code, own_councils(store, session)
            )  # fmt: skip
            source = create_source(store, kind=report.kind, title=report.title, ours=mine,
                                   **source_fields(report))  # fmt: skip
            _add_findings(store, report.findings, source.id, themes)
            # One history entry names the file; the records it made have their own.
            note_history(store, "import", "source", source.id, detail=f"report {name}")
    except _Changed as changed:
        return ReportOutcome(
            report.path, "changed", changed.id, _count(store, changed.id),
            phrase(
                f"{name}: '{changed.title}' was imported before from a different file. "
                "Repeat with ", Option.UPDATE, " to replace its details and findings.",
            ),
            changed.ours, council,
        )  # fmt: skip
    stored_as = whose(mine, hint=ours is None)
    asked = sum(1 for f in report.findings if f.role == ASKED)
    return ReportOutcome(
        report.path, "imported", source.id, count,
        phrase(f"{name}: imported '{report.title}' with {_plural(count, 'finding')} ",
               stored_as, ".")
        + _structure_note(report, asked)
        + _unkept_grades(report)
        + (
            ""
            if count
            else " No list of findings was found in it: check the report and add any by hand."
        ),
        mine, council, stored_as,
    )  # fmt: skip


def _count(store: Store, source_id: int) -> int:
    return get_source(store, source_id).finding_count if source_id else 0


def _structure_note(report: ParsedReport, asked: int) -> str:
    """What of the findings is not a thing asked of the council (said only when some are)."""
    details = [f for f in report.findings if f.role == DETAIL]
    board = [f for f in report.findings if f.role == BOARD]
    if not details and not board:
        return ""
    parts = [f"{_plural(asked, 'recommendation')} for the council"]
    if details:
        loose = sum(1 for f in details if f.detail_of is None)
        parts.append(
            f"{_plural(len(details), 'marked paragraph')} as their detail"
            + (f" ({loose} not matched to one, kept on the report)" if loose else "")
        )
    if board:
        parts.append(
            f"{_plural(len(board), 'safeguarding board recommendation')} (the board's: "
            "adopt one to count it)"
        )
    return " That is " + "; ".join(parts) + "."


def _add_findings(
    store: Store, findings: list[ParsedFinding], source_id: int, themes: dict[str, str]
) -> dict[str, int]:
    """Store a report's findings: the recommendations and the board's first, then each
    detail paragraph attached to its recommendation. Returns each ref's id."""
    heads = [f for f in findings if f.role != DETAIL]
    ids = dict(
        zip(
            (f.ref for f in heads),
            add_findings(store, [dict(finding_fields(f, source_id, themes)) for f in heads]),
            strict=True,
        )
    )
    details = [f for f in findings if f.role == DETAIL]
    rows: list[dict[str, Any]] = [
        {**finding_fields(f, source_id, themes), "detail_of": ids.get(f.detail_of or "")}
        for f in details
    ]
    ids.update(zip((f.ref for f in details), add_findings(store, rows), strict=True))
    return ids


def _unkept_grades(report: ParsedReport) -> str:
    """A note on judgements graded on the scale used before 2013 ("adequate"), which the
    store's four grades cannot hold."""
    old = [f"{area} ({grade})" for area, grade in report.judgements if grade not in GRADES]
    if not old:
        return ""
    return " Not kept, as the grade is not on today's scale: " + "; ".join(old) + "."
