"""A table of records that stays quick at 100,000 rows (a Toolong-style line-API view).

Only the lines on screen are drawn, one cached ``Strip`` per line; rows come from the
store a page at a time in thread workers, so moving the cursor never waits for the
database: a row whose page has not arrived yet shows "loading…" until it does. A list
of any length is one widget, never one widget per row. What it lists, and how each cell
reads, is a :class:`~tui.widgets.listings.Listing` (tui/widgets/listings.py), where the
cells are also fitted to the columns' widths and set side by side in a line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.listings import (  # the listings, kept in their own module (re-exported)
    DATES_WIDTH,
    STATE_TEXT,
    Column,
    Listing,
    Row,
    cells_line,
    column_widths,
    countdown,
    evidence_state,
    fitted_columns,
    judgement_summary,
    listing,
    register_listing,
)
from tui.workers import worker

PAGE_SIZE = 200
# Pages kept in memory at once (PAGE_SIZE rows each); the furthest from the cursor go first.
KEEP_PAGES = 40
LOADING = "loading…"


__all__ = [
    "DATES_WIDTH",
    "STATE_TEXT",
    "Column",
    "Listing",
    "RecordTable",
    "Row",
    "column_widths",
    "countdown",
    "evidence_state",
    "judgement_summary",
    "listing",
    "register_listing",
]

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

    @worker(group="record-table-count")  # its own messages, errors too (TableMessage)
    def _count(self, generation: int, filters: dict[str, Any]) -> None:
        store = app_of(self).store
        try:
            total = self.listing.count(store, **filters)
        except Exception as error:  # shown by the screen, never a traceback
            self.post_message(self._Error(generation, error))
            return
        self.post_message(self._Counted(generation, total))

    @worker(group="record-table-rows")
    def _fetch(
        self, generation: int, pages: list[int], filters: dict[str, Any], sort: str, desc: bool
    ) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        store = app_of(self).store
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
        fitted = fitted_columns(columns, (row for page in self._pages.values() for row in page))
        if fitted != self._columns:
            self._columns = fitted
            self._widths = (-1, "", [])

    def _column_widths(self, width: int) -> list[int]:
        if self._widths[:2] != (width, self.sort):
            self._widths = (width, self.sort, column_widths(self._columns, width, self.sort))
        return self._widths[2]

    def _cells_strip(self, cells: Iterable[Text], width: int, style: Style) -> Strip:
        line = cells_line(self.listing.columns, self._column_widths(width), cells)
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
