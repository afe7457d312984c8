"""How each kind of record is listed: its columns, how a record shows in each cell, and
the store functions that page the records in. The :class:`~tui.widgets.record_table.RecordTable`
draws whatever listing it is given; the measures' is registered from its own module.

Cells are built in the table's worker threads, never while drawing: nothing here touches
the screen. (No Textual here either: cells are Rich ``Text``.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from rich.text import Text

from store import format_date
from store.overdue import is_complete
from store.wording import countdown
from tui.text import safe
from tui.widgets.badges import brag_badge, due_text, short_owner


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its heading, how a record shows in it, its width and its store sort key."""

    label: str
    cell: Callable[[Any, date], Text]
    width: int = 0  # 0: shares the width the fixed columns leave
    sort: str | None = None
    justify: str = "left"
    drop: int = 0  # on a narrow screen the highest goes first; 0 always stays
    fit: int = 0  # >0: only as wide as its widest loaded cell (at least this), up to width
    narrow: int = 0  # >0: shrinks to this, rather than go, when the title is short of room


@dataclass(frozen=True, slots=True)
class Row:
    """A record with its cells already built (in the worker, so drawing does no I/O)."""

    record: Any
    cells: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class Listing:
    """How one kind of record is listed: columns, the store's list/count, the default sort."""

    kind: str
    noun: str
    plural: str
    columns: tuple[Column, ...]
    default_sort: str
    fetch: Callable[..., list[Any]]
    count: Callable[..., int]
    get: Callable[[Any, int], Any]
    filters: tuple[str, ...] = field(default=())  # the keyword filters its list_* takes
    default_descending: bool = False


# ---------------------------------------------------------------------------- cells


def _text(value: object, style: str = "") -> Text:
    return Text(safe(value), style=style)


def _number(value: int) -> Text:
    return Text(str(value), style="" if value else "dim")


def _date(value: date | None) -> Text:
    return Text(format_date(value)) if value else Text("—", style="dim")


# A range at its widest, "30 Sep 2018–30 Sep 2018": a dates column this wide is never cut.
DATES_WIDTH = 23


def _dates(start: date | None, end: date | None) -> Text:
    if start is None:
        return Text("—", style="dim")
    if end is None or end == start:
        return Text(format_date(start))
    return Text(f"{format_date(start)}–{format_date(end)}")


def evidence_state(evidence: Any) -> str:
    """ "missing" (its file has gone), "stale" (its review is due, or it has no review-by
    date and is older than the store's chosen age: judged by the store as it read it) or "ok".

    Looks at the disk for local paths, so call it in a worker, never while drawing.
    """
    from store.evidence import is_missing

    if is_missing(evidence):
        return "missing"
    if evidence.out_of_date:
        return "stale"
    return "ok"


STATE_TEXT = {
    "ok": Text("✓ ok", style="green"),
    "stale": Text("⚠ out of date", style="bold #d29922"),  # the dashboard's own words
    "missing": Text("✗ missing", style="bold #e5534b"),
}


def judgement_summary(source: Any) -> Text:
    """A source's judgements in a few words: the overall grade, then the others by grade."""
    if not source.judgements:
        return Text("no judgements", style="dim")
    overall = [j.grade for j in source.judgements if "overall" in j.area.lower()]
    counts: dict[str, int] = {}
    for judgement in source.judgements:
        if "overall" not in judgement.area.lower():
            counts[judgement.grade] = counts.get(judgement.grade, 0) + 1
    parts = [f"overall {overall[0]}"] if overall else []
    parts += [f"{n} {grade}" for grade, n in counts.items()]
    return _text(" · ".join(parts))


def _council(ours: bool, name: str) -> Text:
    """A name, marked "other:" when it is another council's report (or one of its findings),
    kept to search and learn from. The mark comes first, so a cut name never loses it."""
    if ours:
        return _text(name)
    text = Text("other: ", style="dim italic")
    text.append(safe(name), style="italic")
    return text


def _finding_title(finding: Any) -> Text:
    """A finding's title, marked when it is no thing the council was asked to do: "detail:"
    (a marked paragraph behind a recommendation) or "board:" (the safeguarding board's, not
    adopted). The mark comes first, so a cut title never loses it."""
    role = getattr(finding, "role", "")
    mark = {"detail": "detail: ", "board": "" if finding.adopted else "board: "}.get(role, "")
    if not mark:
        return _text(finding.title)
    text = Text(mark, style="dim italic")
    text.append(safe(finding.title))
    return text


def _source_of(finding: Any) -> Text:
    return _council(finding.ours, finding.source_title or "—")


def _action_due(action: Any, today: date) -> Text:
    return due_text(action.due_date, today, done=is_complete(action.brag))


# ---------------------------------------------------------------------------- listings


def _list_sources(store: Any, **kwargs: Any) -> list[Any]:
    from store.ordering import sorted_sources

    return sorted_sources(store, **_window(kwargs))


def _count_sources(store: Any, **_filters: Any) -> int:
    import store as api

    return len(api.list_sources(store))


def _list_visits(store: Any, **kwargs: Any) -> list[Any]:
    from store.ordering import sorted_visits

    return sorted_visits(store, **_window(kwargs))


def _count_visits(store: Any, **_filters: Any) -> int:
    import store as api

    return len(api.list_visits(store))


def _window(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The paging and order the table asks for (sources and visits take no filters)."""
    return {k: v for k, v in kwargs.items() if k in ("sort", "descending", "offset", "limit")}


def _listings() -> dict[str, Listing]:
    import store as api

    return {
        "finding": Listing(
            "finding",
            "finding",
            "Findings",
            (
                Column("Ref", lambda f, _t: _text(f.ref, "bold"), 9, "ref"),
                Column("Title", lambda f, _t: _finding_title(f), 0, "title"),
                Column("Theme", lambda f, _t: _text(f.theme or "—"), 24, "theme", drop=4),
                Column("Source", lambda f, _t: _source_of(f), 22, "source", drop=5),
                Column("Status", lambda f, _t: _text(f.status), 9, "status", drop=1),
                Column(
                    "Actions", lambda f, _t: _number(f.action_count), 7, "actions", "right", drop=2
                ),
                # Linked to the finding or to one of its actions, each item once: what
                # its pack entry shows (a finding evidenced through its actions is not 0).
                Column(
                    "Evidence",
                    lambda f, _t: _number(f.all_evidence_count),
                    8,
                    None,
                    "right",
                    drop=3,
                ),
            ),
            "ref",
            api.list_findings,
            api.count_findings,
            api.get_finding,
            ("theme", "source_id", "status", "kind", "without_action", "ids", "text", "ours"),
        ),
        "action": Listing(
            "action",
            "action",
            "Actions",
            (
                Column("Ref", lambda a, _t: _text(a.ref, "bold"), 7, "ref"),
                Column("Title", lambda a, _t: _text(a.title), 0, "title"),
                # The owner is who a lead chases: at 80 columns it narrows, and stays.
                Column(
                    "Owner",
                    lambda a, _t: _text(short_owner(a.owner or "—", 22)),
                    22,
                    "owner",
                    narrow=14,
                ),
                # Wide only when a loaded row says how overdue it is; else the title gets it.
                Column("Due", _action_due, 26, "due", fit=10),
                Column("BRAG", lambda a, _t: brag_badge(a.brag), 8, "brag"),
                Column("Theme", lambda a, _t: _text(a.theme or "—"), 20, "theme", drop=5),
                Column(
                    "Findings", lambda a, _t: _number(a.finding_count), 8, None, "right", drop=4
                ),
                Column(
                    "Evidence",
                    lambda a, _t: _number(a.evidence_count),
                    8,
                    "evidence",
                    "right",
                    drop=2,
                ),
            ),
            "ref",
            api.list_actions,
            api.count_actions,
            api.get_action,
            (
                "theme",
                "brag",
                "owner",
                "overdue",
                "due_within",
                "finding_id",
                "evidence_id",
                "without_evidence",
                "without_finding",
                "text",
            ),
        ),
        "evidence": Listing(
            "evidence",
            "evidence item",
            "Evidence",
            (
                Column("Title", lambda e, _t: _text(e.title), 0, "title"),
                Column("Kind", lambda e, _t: _text(e.kind), 16, "kind", drop=3),
                Column("As of", lambda e, _t: _date(e.as_of), 11, "as_of", drop=4),
                Column("Review by", lambda e, _t: _date(e.review_by), 11, "review_by", drop=2),
                Column(
                    "Owner",
                    lambda e, _t: _text(short_owner(e.owner or "—", 16)),
                    16,
                    "owner",
                    drop=5,
                ),
                Column(
                    "Links",
                    lambda e, _t: _number(e.action_count + e.finding_count),
                    5,
                    "links",
                    "right",
                ),
                Column("State", lambda e, _t: STATE_TEXT[evidence_state(e)].copy(), 13),
            ),
            "title",
            api.list_evidence,
            api.count_evidence,
            api.get_evidence,
            (
                "kind",
                "owner",
                "action_id",
                "finding_id",
                "stale",
                "stale_days",
                "missing",
                "unlinked",
                "text",
            ),
        ),
        "source": Listing(
            "source",
            "source",
            "Sources",
            (
                Column("Title", lambda s, _t: _text(s.title), 0, "title"),
                Column(
                    "Local authority",
                    lambda s, _t: _council(s.ours, s.local_authority or "—"),
                    18,
                    "local_authority",
                ),
                Column(
                    "Framework", lambda s, _t: _text(s.framework or "—"), 10, "framework", drop=4
                ),
                Column(
                    "Dates",
                    lambda s, _t: _dates(s.start_date, s.end_date),
                    DATES_WIDTH,
                    "start_date",
                    drop=2,
                ),
                Column(
                    "Findings",
                    lambda s, _t: _number(s.finding_count),
                    8,
                    "findings",
                    "right",
                    drop=1,
                ),
                Column("Judgements", lambda s, _t: judgement_summary(s), 30, drop=5),
            ),
            "start_date",
            _list_sources,
            _count_sources,
            api.get_source,
            default_descending=True,  # newest inspection first, as the store lists them
        ),
        "visit": Listing(
            "visit",
            "visit",
            "Visits",
            (
                Column("Title", lambda v, _t: _text(v.title), 0, "title"),
                Column("Kind", lambda v, _t: _text(v.kind), 16, "kind", drop=3),
                Column(
                    "Dates",
                    lambda v, _t: _dates(v.start_date, v.end_date),
                    DATES_WIDTH,
                    "start_date",
                ),
                Column(
                    "Days to go",
                    lambda v, _t: Text(
                        countdown(v.days_to_go), style="bold" if v.days_to_go >= 0 else "dim"
                    ),
                    12,
                    "days_to_go",
                ),
                Column(
                    "Focus themes",
                    lambda v, _t: _text("; ".join(v.focus_themes) or "—"),
                    36,
                    drop=4,
                ),
            ),
            "days_to_go",  # upcoming first, as the store lists them
            _list_visits,
            _count_visits,
            api.get_visit,
        ),
    }


_LISTINGS: dict[str, Listing] = {}


def register_listing(new: Listing) -> None:
    """Add a kind's listing kept in its own module (the measures': tui.widgets.measure_listing)."""
    if not _LISTINGS:
        _LISTINGS.update(_listings())
    _LISTINGS[new.kind] = new


def listing(kind: str) -> Listing:
    """The listing of one kind of record ("finding", "action", "evidence", "source", "visit")."""
    if not _LISTINGS:
        _LISTINGS.update(_listings())
    if kind == "measure" and kind not in _LISTINGS:
        from tui.widgets.measure_listing import MEASURES

        _LISTINGS[kind] = MEASURES
    if kind not in _LISTINGS:
        raise ValueError(f"no list of {kind!r}; one of {', '.join(_LISTINGS)}")
    return _LISTINGS[kind]


FLEX_MIN = 32  # below this the title is cut too short to tell rows apart


def column_widths(columns: Iterable[Column], width: int, sort: str | None = None) -> list[int]:
    """Each column's width in cells for a table ``width`` wide (1-cell gaps between).

    The title takes what is left; when that is too little, the least needed columns are
    left out (width 0) rather than cutting the row off at the right edge. The column the
    rows are sorted by (``sort``, its store key) stays, so the order shown can be seen.
    """
    columns = list(columns)
    shown = list(range(len(columns)))
    widths = [c.width for c in columns]

    def spare() -> int:
        fixed = sum(widths[i] for i in shown)
        return width - 1 - fixed - (len(shown) - 1)

    def droppable(i: int) -> int:
        return 0 if sort is not None and columns[i].sort == sort else columns[i].drop

    flexible = [i for i in shown if not columns[i].width]
    wanted = FLEX_MIN * max(1, len(flexible))
    for index in sorted(shown, key=lambda i: -droppable(i)):
        if spare() >= wanted or not droppable(index):
            break
        shown.remove(index)
    if spare() < wanted:
        # What must stay (an action's owner) narrows before the title is cut further.
        for i in shown:
            if columns[i].narrow and widths[i] > columns[i].narrow:
                widths[i] = max(columns[i].narrow, widths[i] - (wanted - spare()))
    share = max(12, spare() // max(1, len(flexible)))
    return [(widths[i] or share) if i in shown else 0 for i in range(len(columns))]


def fitted_columns(columns: tuple[Column, ...], rows: Iterable[Row]) -> tuple[Column, ...]:
    """The columns with each ``fit`` one only as wide as its widest cell in ``rows`` (and
    its heading), at least its ``fit`` and at most its width."""
    rows = list(rows)
    fitted = []
    for index, column in enumerate(columns):
        if column.fit:
            cells = [row.cells[index].cell_len for row in rows if index < len(row.cells)]
            need = max([column.fit, len(column.label) + 2, *cells])
            column = replace(column, width=min(column.width, need))
        fitted.append(column)
    return tuple(fitted)


def cells_line(columns: Iterable[Column], widths: Iterable[int], cells: Iterable[Text]) -> Text:
    """A row's (or the headings') cells side by side, one cell apart, each cut with "…" to
    its column's width; a column of width 0 is left out."""
    line = Text(" ", end="")
    first = True
    for column, cell_width, cell in zip(columns, widths, cells, strict=False):
        if not cell_width:
            continue
        piece = cell.copy()
        piece.no_wrap = True
        piece.truncate(cell_width, overflow="ellipsis")
        piece.align("right" if column.justify == "right" else "left", cell_width)
        if not first:
            line.append(" ")
        first = False
        line.append_text(piece)
    return line
