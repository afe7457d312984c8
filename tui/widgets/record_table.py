"""A table of records that stays quick at 100,000 rows (a Toolong-style line-API view).

Only the lines on screen are drawn, one cached ``Strip`` per line; rows come from the
store a page at a time in thread workers, so moving the cursor never waits for the
database: a row whose page has not arrived yet shows "loading…" until it does. A list
of any length is one widget, never one widget per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store import format_date
from store.wording import countdown
from tui.text import safe
from tui.widgets.badges import brag_badge, due_text, short_owner

PAGE_SIZE = 200
# Pages kept in memory at once (PAGE_SIZE rows each); the furthest from the cursor go first.
KEEP_PAGES = 40
LOADING = "loading…"


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
    return due_text(action.due_date, today, done=action.brag == "blue")


# ---------------------------------------------------------------------------- listings


def _sorted_in_memory(
    records: list[Any], keys: dict[str, Callable[[Any], Any]], sort: str, descending: bool
) -> list[Any]:
    key = keys.get(sort, keys[next(iter(keys))])
    # None sorts last whichever way the list runs, like the store's date sorts.
    present = [r for r in records if key(r) is not None]
    missing = [r for r in records if key(r) is None]
    return sorted(present, key=key, reverse=descending) + missing


_SOURCE_SORTS: dict[str, Callable[[Any], Any]] = {
    "start_date": lambda s: s.start_date,
    "title": lambda s: s.title.lower(),
    "local_authority": lambda s: s.local_authority.lower(),
    "framework": lambda s: s.framework,
    "findings": lambda s: s.finding_count,
}
_VISIT_SORTS: dict[str, Callable[[Any], Any]] = {
    # Upcoming first: the soonest visit, then the later ones, then past visits, the most
    # recent first (the store's own order; ties keep it, as the sort is stable).
    "days_to_go": lambda v: (v.days_to_go < 0, abs(v.days_to_go)),
    "start_date": lambda v: v.start_date,
    "title": lambda v: v.title.lower(),
    "kind": lambda v: v.kind,
}


def _list_sources(
    store: Any,
    *,
    offset: int = 0,
    limit: int | None = None,
    sort: str = "start_date",
    descending: bool = False,
    **_filters: Any,
) -> list[Any]:
    import store as api

    # A council has tens of sources, not thousands: sorting them here is instant.
    records = _sorted_in_memory(api.list_sources(store), _SOURCE_SORTS, sort, descending)
    return records[offset : None if limit is None else offset + limit]


def _count_sources(store: Any, **_filters: Any) -> int:
    import store as api

    return len(api.list_sources(store))


def _list_visits(
    store: Any,
    *,
    offset: int = 0,
    limit: int | None = None,
    sort: str = "days_to_go",
    descending: bool = False,
    **_filters: Any,
) -> list[Any]:
    import store as api

    # Tens of visits at most: sorted here, as the sources are.
    visits = _sorted_in_memory(api.list_visits(store), _VISIT_SORTS, sort, descending)
    return visits[offset : None if limit is None else offset + limit]


def _count_visits(store: Any, **_filters: Any) -> int:
    import store as api

    return len(api.list_visits(store))


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
                Column(
                    "Owner",
                    lambda a, _t: _text(short_owner(a.owner or "—", 22)),
                    22,
                    "owner",
                    drop=3,
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

    def spare() -> int:
        fixed = sum(columns[i].width for i in shown)
        return width - 1 - fixed - (len(shown) - 1)

    def droppable(i: int) -> int:
        return 0 if sort is not None and columns[i].sort == sort else columns[i].drop

    flexible = [i for i in shown if not columns[i].width]
    for index in sorted(shown, key=lambda i: -droppable(i)):
        if spare() >= FLEX_MIN * max(1, len(flexible)) or not droppable(index):
            break
        shown.remove(index)
    share = max(12, spare() // max(1, len(flexible)))
    return [(c.width or share) if i in shown else 0 for i, c in enumerate(columns)]


# ---------------------------------------------------------------------------- the widget


class TableMessage(Message):
    """What a :class:`RecordTable` tells its screen; ``table`` (and ``control``) is the table.

    ``control`` lets a screen with several tables pick one: ``@on(RecordTable.Loaded, "#id")``.
    """

    def __init__(self, table: RecordTable) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> RecordTable:
        return self.table


class RecordTable(ScrollView, can_focus=True):
    """Records of one kind, in a window of rows paged in from the store.

    ``filters`` are keyword arguments of the store's ``list_*``/``count_*``.
    """

    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
    }
    RecordTable > .record-table--header { text-style: bold; background: $panel; }
    RecordTable > .record-table--cursor { background: $boost; text-style: bold; }
    RecordTable:focus > .record-table--cursor { background: $accent 40%; text-style: bold; }
    RecordTable > .record-table--placeholder { color: $text-muted; text-style: italic; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--cursor",
        "record-table--placeholder",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="table.open", tooltip="Open the highlighted record"),
        Binding("j", "cursor_down", "Down", show=False, id="table.j", tooltip="Next row"),
        Binding("k", "cursor_up", "Up", show=False, id="table.k", tooltip="Previous row"),
        Binding("down", "cursor_down", "Down", show=False, id="table.down", tooltip="Next row"),
        Binding("up", "cursor_up", "Up", show=False, id="table.up", tooltip="Previous row"),
        Binding("g", "first", "First", show=False, id="table.g", tooltip="First row"),
        Binding("home", "first", "First", show=False, id="table.home", tooltip="First row"),
        Binding("G", "last", "Last", show=False, id="table.G", tooltip="Last row"),
        Binding("end", "last", "Last", show=False, id="table.end", tooltip="Last row"),
        Binding(
            "pagedown",
            "page(1)",
            "Page down",
            show=False,
            id="table.pagedown",
            tooltip="One screen down",
        ),
        Binding(
            "pageup", "page(-1)", "Page up", show=False, id="table.pageup", tooltip="One screen up"
        ),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Opened(TableMessage):
        """A row was opened (enter or double click)."""

        def __init__(self, table: RecordTable, kind: str, record_id: int) -> None:
            super().__init__(table)
            self.kind = kind
            self.record_id = record_id

    class Highlighted(TableMessage):
        """The cursor moved; ``record`` is None while its page is still loading."""

        def __init__(self, table: RecordTable, kind: str, row: int, record: Any) -> None:
            super().__init__(table)
            self.kind = kind
            self.row = row
            self.record = record

    class Loaded(TableMessage):
        """Rows (or the news that there are none) are on screen for the current query."""

        def __init__(self, table: RecordTable, total: int, first: bool) -> None:
            super().__init__(table)
            self.total = total
            self.first = first

    class SortChanged(TableMessage):
        """The sort was changed from the table itself (a click on a heading)."""

        def __init__(self, table: RecordTable, sort: str, descending: bool) -> None:
            super().__init__(table)
            self.sort = sort
            self.descending = descending

    class Failed(TableMessage):
        """The store refused a query (bad filter, store gone)."""

        def __init__(self, table: RecordTable, error: BaseException) -> None:
            super().__init__(table)
            self.error = error

    # Private: results of the workers, tagged with the query generation they answer.
    class _Counted(Message):
        def __init__(self, generation: int, total: int) -> None:
            super().__init__()
            self.generation = generation
            self.total = total

    class _Page(Message):
        def __init__(self, generation: int, page: int, rows: list[Row]) -> None:
            super().__init__()
            self.generation = generation
            self.page = page
            self.rows = rows

    class _Error(Message):
        def __init__(self, generation: int, error: BaseException) -> None:
            super().__init__()
            self.generation = generation
            self.error = error

    def __init__(
        self,
        kind: str,
        *,
        filters: dict[str, Any] | None = None,
        sort: str | None = None,
        descending: bool | None = None,
        page_size: int = PAGE_SIZE,
        empty_text: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.listing = listing(kind)
        self.kind = kind
        self.filters: dict[str, Any] = dict(filters or {})
        self.sort = sort or self.listing.default_sort
        self.descending = self.listing.default_descending if descending is None else descending
        self.page_size = page_size
        self.empty_text = empty_text or f"No {self.listing.plural.lower()} here."
        self.total: int | None = None
        self.problem: str | None = None  # why the store refused the last query
        self._generation = 0
        self._pages: dict[int, list[Row]] = {}
        self._stale: dict[int, list[Row]] = {}
        self._wanted: set[int] = set()
        self._counted = False
        self._announced = False
        self._ever_loaded = False
        self._line_cache: LRUCache[tuple[Any, ...], Strip] = LRUCache(1024)
        self._widths: tuple[int, str, list[int]] = (-1, "", [])  # width, sort: widths
        self._columns: tuple[Column, ...] = self.listing.columns  # with fitted widths

    # ------------------------------------------------------------------ public

    @property
    def record(self) -> Any:
        """The record under the cursor, or None (no rows, or its page is still loading)."""
        row = self.row_at(self.cursor_row)
        return row.record if row else None

    @property
    def loaded_rows(self) -> int:
        """How many rows are held in memory (for tests: never the whole list)."""
        return sum(len(rows) for rows in self._pages.values())

    def row_at(self, index: int) -> Row | None:
        page, offset = divmod(index, self.page_size)
        rows = self._pages.get(page)
        if rows is None:
            rows = self._stale.get(page)
        if rows is not None and 0 <= offset < len(rows):
            return rows[offset]
        return None

    def set_query(
        self,
        *,
        filters: dict[str, Any] | None = None,
        sort: str | None = None,
        descending: bool | None = None,
    ) -> None:
        """Show a different selection or order; the cursor goes back to the top."""
        if filters is not None:
            self.filters = dict(filters)
        if sort is not None:
            self.sort = sort
        if descending is not None:
            self.descending = descending
        # Back to the top without announcing the old list's first row as highlighted.
        self.set_reactive(RecordTable.cursor_row, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.reload(keep_rows=False)
        self._post_highlighted()

    def reload(self, *, keep_rows: bool = True) -> None:
        """Fetch again (after a store change). With ``keep_rows`` the rows on screen stay
        until fresh ones arrive, and the cursor stays where it was."""
        self._generation += 1
        if keep_rows:
            self._stale = {**self._stale, **self._pages}
        else:
            self._stale = {}
            self.total = None
            self._refresh_size()
        self._announced = False
        self.problem = None
        self._pages = {}
        self._wanted = set()
        self._counted = False
        self._line_cache.clear()
        self._count(self._generation, dict(self.filters))
        self._want_pages()
        self.refresh()

    # ------------------------------------------------------------------ workers

    @work(thread=True, exclusive=True, exit_on_error=False, group="record-table-count")
    def _count(self, generation: int, filters: dict[str, Any]) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        try:
            total = self.listing.count(store, **filters)
        except Exception as error:  # shown by the screen, never a traceback
            self.post_message(self._Error(generation, error))
            return
        self.post_message(self._Counted(generation, total))

    @work(thread=True, exclusive=True, exit_on_error=False, group="record-table-rows")
    def _fetch(
        self, generation: int, pages: list[int], filters: dict[str, Any], sort: str, desc: bool
    ) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        store = self.app.store  # type: ignore[attr-defined]
        today = store.today
        columns = self.listing.columns
        for page in pages:
            if worker.is_cancelled:
                return  # the view moved on; whatever is needed now was asked for again
            try:
                records = self.listing.fetch(
                    store,
                    offset=page * self.page_size,
                    limit=self.page_size,
                    sort=sort,
                    descending=desc,
                    **filters,
                )
                rows = [Row(r, tuple(c.cell(r, today) for c in columns)) for r in records]
            except Exception as error:
                self.post_message(self._Error(generation, error))
                return
            self.post_message(self._Page(generation, page, rows))

    def _want_pages(self) -> None:
        """Ask for the pages the screen shows (and the cursor's) that are not here yet."""
        if not self.is_mounted:
            return
        body = max(1, self.size.height - 1)
        top = int(self.scroll_y)
        last = top + body
        if self.total is not None:
            last = min(last, max(0, self.total - 1))
        pages = {top // self.page_size, last // self.page_size, self.cursor_row // self.page_size}
        if self.total is not None:
            pages = {p for p in pages if p * self.page_size < max(1, self.total)}
        needed = sorted(p for p in pages if p not in self._pages)
        # Rows under the cursor first, so the highlighted record is known soonest.
        needed.sort(key=lambda p: p != self.cursor_row // self.page_size)
        if not needed or set(needed) <= self._wanted:
            return
        self._wanted = set(needed)
        self._fetch(self._generation, needed, dict(self.filters), self.sort, self.descending)

    def on_record_table__counted(self, message: _Counted) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self.total = message.total
        self._counted = True
        if self.cursor_row >= message.total:
            self.cursor_row = max(0, message.total - 1)
        self._refresh_size()
        self._line_cache.clear()
        self.refresh()
        self._want_pages()
        self._maybe_loaded()

    def on_record_table__page(self, message: _Page) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pages[message.page] = message.rows
        self._stale.pop(message.page, None)
        self._wanted.discard(message.page)
        self._forget_far_pages()
        self._fit_columns()
        self._line_cache.clear()
        self.refresh()
        if message.page == self.cursor_row // self.page_size:
            self._post_highlighted()
        self._want_pages()
        self._maybe_loaded()

    def on_record_table__error(self, message: _Error) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._wanted = set()
        if self.problem is None:
            # Show why in place of rows (and tell the screen once): never "loading…" for ever.
            self.problem = str(message.error)
            self._pages, self._stale = {}, {}
            self.total, self._counted = 0, True
            self._refresh_size()
            self._line_cache.clear()
            self.refresh()
            self.post_message(self.Failed(self, message.error))

    def _maybe_loaded(self) -> None:
        """Say once per query that the first rows are showing (ScreenReady hangs on this)."""
        if self._announced or not self._counted or self.total is None:
            return
        if self.total and (int(self.scroll_y) // self.page_size) not in self._pages:
            return
        self._announced = True
        first = not self._ever_loaded
        self._ever_loaded = True
        self.post_message(self.Loaded(self, self.total, first))
        self._post_highlighted()

    def _forget_far_pages(self) -> None:
        if len(self._pages) <= KEEP_PAGES:
            return
        here = self.cursor_row // self.page_size
        for page in sorted(self._pages, key=lambda p: abs(p - here))[KEEP_PAGES:]:
            del self._pages[page]

    # ------------------------------------------------------------------ drawing

    def _refresh_size(self) -> None:
        rows = (self.total or 0) + 1 if self.total else 2
        self.virtual_size = Size(0, rows)

    def on_resize(self, _event: events.Resize) -> None:
        self._line_cache.clear()
        self._want_pages()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._want_pages()

    def notify_style_update(self) -> None:
        # A new theme: lines drawn in the old colours must not come back from the cache.
        super().notify_style_update()
        self._line_cache.clear()

    def on_focus(self, _event: events.Focus) -> None:
        self._line_cache.clear()
        self.refresh()

    def on_blur(self, _event: events.Blur) -> None:
        self._line_cache.clear()
        self.refresh()

    def _fit_columns(self) -> None:
        """Size the fitted columns to the rows loaded now (once per page, not per line)."""
        columns = self.listing.columns
        if not any(column.fit for column in columns):
            return
        rows = [row for page in self._pages.values() for row in page]
        fitted = []
        for index, column in enumerate(columns):
            if column.fit:
                cells = [row.cells[index].cell_len for row in rows if index < len(row.cells)]
                need = max([column.fit, len(column.label) + 2, *cells])
                column = replace(column, width=min(column.width, need))
            fitted.append(column)
        if tuple(fitted) != self._columns:
            self._columns = tuple(fitted)
            self._widths = (-1, "", [])

    def _column_widths(self, width: int) -> list[int]:
        if self._widths[:2] != (width, self.sort):
            self._widths = (width, self.sort, column_widths(self._columns, width, self.sort))
        return self._widths[2]

    def _cells_strip(self, cells: Iterable[Text], width: int, style: Style) -> Strip:
        line = Text(" ", end="")
        first = True
        for column, cell_width, cell in zip(
            self.listing.columns, self._column_widths(width), cells, strict=False
        ):
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
        segments = list(line.render(self.app.console))
        strip = Strip(Segment.apply_style(segments, style))
        return strip.crop_extend(0, width, style)

    def _header_strip(self, width: int) -> Strip:
        style = self.get_component_rich_style("record-table--header")
        cells = []
        for column in self.listing.columns:
            label = Text(column.label)
            if column.sort and column.sort == self.sort:
                label.append(" ▼" if self.descending else " ▲")
            cells.append(label)
        return self._cells_strip(cells, width, style)

    def _message_strip(self, message: str, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("record-table--placeholder")
        return Strip([Segment(f"  {safe(message)}", style)]).crop_extend(0, width, self.rich_style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header_strip(width)
        index = int(self.scroll_y) + y - 1
        if self.problem is not None:
            text = f"⚠ Could not list these: {self.problem}"
            return self._message_strip(text, width) if y == 1 else Strip.blank(width)
        if self.total is None or (self.total == 0 and not self._counted):
            return self._message_strip(LOADING, width) if y == 1 else Strip.blank(width)
        if self.total == 0:
            return self._message_strip(self.empty_text, width) if y == 1 else Strip.blank(width)
        if index >= self.total:
            return Strip.blank(width, self.rich_style)
        is_cursor = index == self.cursor_row
        key = (index, width, is_cursor, self.has_focus)
        cached = self._line_cache.get(key)
        if cached is not None:
            return cached
        row = self.row_at(index)
        style = self.rich_style
        if is_cursor:
            style = style + self.get_component_rich_style("record-table--cursor")
        if row is None:
            # Drawing never waits for the store: ask for the page and show a placeholder.
            self.call_later(self._want_pages)
            placeholder = style + self.get_component_rich_style("record-table--placeholder")
            return Strip([Segment(f" {LOADING}", placeholder)]).crop_extend(0, width, style)
        strip = self._cells_strip(row.cells, width, style)
        self._line_cache[key] = strip
        return strip

    # ------------------------------------------------------------------ the cursor

    def watch_cursor_row(self, old: int, new: int) -> None:
        # Only the two rows that changed are drawn again (a scroll redraws the rest).
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self._scroll_to_cursor()
        self._want_pages()
        if old != new or self.row_at(new) is not None:
            self._post_highlighted()

    def _post_highlighted(self) -> None:
        self.post_message(self.Highlighted(self, self.kind, self.cursor_row, self.record))

    def _scroll_to_cursor(self) -> None:
        body = max(1, self.size.height - 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + body:
            self.scroll_to(y=self.cursor_row - body + 1, animate=False, immediate=True)

    def _move_to(self, row: int) -> None:
        if not self.total:
            return
        self.cursor_row = max(0, min(self.total - 1, row))

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor_row - 1)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        if self.total:
            self._move_to(self.total - 1)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor_row + direction * max(1, self.size.height - 2))

    def action_open(self) -> None:
        record = self.record
        if record is not None:
            self.post_message(self.Opened(self, self.kind, record.id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            self._sort_by_heading(offset.x)
            return
        index = int(self.scroll_y) + offset.y - 1
        if self.total and 0 <= index < self.total:
            self.cursor_row = index
            if event.chain >= 2:
                self.action_open()

    def _sort_by_heading(self, x: int) -> None:
        left = 1
        for column, width in zip(
            self.listing.columns,
            self._column_widths(self.scrollable_content_region.width),
            strict=False,
        ):
            if not width:
                continue
            if left <= x < left + width + 1:
                if column.sort:
                    descending = not self.descending if column.sort == self.sort else False
                    self.post_message(self.SortChanged(self, column.sort, descending))
                    self.set_query(sort=column.sort, descending=descending)
                return
            left += width + 1
