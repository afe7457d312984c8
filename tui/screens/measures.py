"""The Measures list: every performance measure with its latest value, target, BRAG against
the target, better or worse since the period before, and a sparkline of the last 12 periods.

``enter`` opens a measure's chart and values, ``v`` enters a value for the highlighted one,
``n`` adds a measure, ``e`` edits the highlighted one and ``delete`` deletes it (asking
first), as on the other lists; ``o`` shows only the measures off target (Amber or Red),
``s``/``S`` sort. The rows are a
:class:`RecordTable`: a window onto the store, however many measures there are.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from store.measure_rules import Measure, format_number
from tui.messages import ScreenReady
from tui.screens.measure_delete import MeasureDeleting
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.key_footer import KeyFooter
from tui.widgets.record_table import RecordTable


def measure_preview(measure: Measure | None) -> Text:
    """The highlighted measure in full: its name, target and comparators."""
    if measure is None:
        return Text("")
    text = Text(f"{safe(measure.ref)} {safe(measure.name)}", style="bold")
    target = format_number(measure.target, measure.unit)
    text.append(
        f"\nTarget {target or 'none'}, {measure.polarity} is better"
        + (f"; England {format_number(measure.england, measure.unit)}" if measure.england is not None else "")
        + (f"; neighbours {format_number(measure.neighbours, measure.unit)}" if measure.neighbours is not None else ""),
        style="dim",
    )  # fmt: skip
    return text


PAGE_SIZE = 50


class MeasuresScreen(MeasureDeleting, Screen[None]):
    """Every measure, or those off target; ``filters`` as :func:`store.list_measures` takes."""

    CSS_PATH = "measures.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="measures.new", tooltip="Add a measure"),
        Binding("e", "edit", "Edit", id="measures.edit", tooltip="Edit the highlighted measure"),
        Binding("v", "enter_value", "Value", id="measures.value",
                tooltip="Enter a value for the highlighted measure"),
        Binding("delete", "delete", "Delete", id="measures.delete",
                tooltip="Delete the highlighted measure (asks first)"),
        Binding("o", "toggle_off_target", "Off target", id="measures.off_target",
                tooltip="Show only measures missing their target (or all again)"),
        Binding("s", "next_sort", "Sort", id="measures.sort", tooltip="Sort by the next column"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="measures.reverse",
                tooltip="Reverse the sort"),
    ]  # fmt: skip

    SORTS = ("theme", "ref", "name")
    kind = "measure"  # what it shows, for the toasts of others' changes (tui.live.shown_by)

    def __init__(self, filters: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.filters: dict[str, Any] = {k: v for k, v in (filters or {}).items() if v}
        self.total: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="measures-title")
        yield Static(self._bar(), id="measures-bar")
        yield RecordTable(
            "measure",
            filters=self.filters,
            empty_text=self._empty_text(),
            # A page of measures reads their last 12 values too: 50 fill a tall terminal
            # and come four times sooner than the lists' 200.
            page_size=PAGE_SIZE,
            id="measures-table",
        )
        yield Static("", id="measures-preview")
        yield KeyFooter()

    @property
    def table(self) -> RecordTable:
        return self.query_one("#measures-table", RecordTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.table.reload(keep_rows=False)

    def _title(self) -> Text:
        title = Text("Measures")
        if self.filters.get("off_target"):
            title.append(" — off target (Amber or Red)")
        if self.filters.get("themes"):
            title.append(" — in the next visit's focus themes")
        if self.filters.get("theme"):
            title.append(f" — {safe(self.filters['theme'])}")
        if self.total is not None:
            title.append(f"  ({self.total:,})", style="dim")
        return title

    def _bar(self) -> Text:
        tables = self.query("#measures-table")
        table = tables.first(RecordTable) if tables else None
        sort = table.sort if table else "theme"
        descending = table.descending if table else False
        bar = Text(f"Sorted by {sort} {'▼' if descending else '▲'} (")
        bar.append_text(Text.assemble(("s", "bold"), ", ", ("S", "bold"), ")"))
        bar.append_text(Text.assemble(" · ", ("o", "bold"), " off target"))
        bar.append(" · BRAG: met target Green, within tolerance Amber, beyond Red")
        return bar

    def _empty_text(self) -> str:
        if self.filters.get("off_target"):
            return "No measures off target: every latest value meets its target (o shows all)."
        return "No measures yet: import the board's scorecard (visitprep import SCORECARD.xlsx)."

    def _show_header(self) -> None:
        self.query_one("#measures-title", Static).update(self._title())
        self.query_one("#measures-bar", Static).update(self._bar())
        self.table.empty_text = self._empty_text()
        self.table.refresh()

    @on(RecordTable.Loaded)
    def _loaded(self, event: RecordTable.Loaded) -> None:
        self.total = event.total
        self._show_header()
        if event.first:
            self.app.post_message(ScreenReady("list:measure"))

    @on(RecordTable.Highlighted)
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        self.query_one("#measures-preview", Static).update(measure_preview(event.record))

    @on(RecordTable.Failed)
    def _failed(self, event: RecordTable.Failed) -> None:
        app_of(self).show_error(str(event.error))

    @on(RecordTable.Opened)
    def _opened(self, event: RecordTable.Opened) -> None:
        event.stop()
        from tui.screens.measure_detail import MeasureDetailScreen

        self.app.push_screen(MeasureDetailScreen(event.record_id))

    @on(RecordTable.SortChanged)
    def _sorted(self, _event: RecordTable.SortChanged) -> None:
        self._show_header()

    def on_store_changed(self, _message: object) -> None:
        self.table.reload()

    def action_toggle_off_target(self) -> None:
        self.filters = {**self.filters, "off_target": not self.filters.get("off_target")}
        self.filters = {k: v for k, v in self.filters.items() if v}
        self.table.set_query(filters=self.filters)
        self._show_header()

    def action_next_sort(self) -> None:
        table = self.table
        following = self.SORTS[(self.SORTS.index(table.sort) + 1) % len(self.SORTS)]
        table.set_query(sort=following, descending=False)
        self._show_header()

    def action_reverse_sort(self) -> None:
        self.table.set_query(descending=not self.table.descending)
        self._show_header()

    def action_enter_value(self) -> None:
        measure = self.table.record
        if measure is None:
            self.notify("Highlight a measure first.")
            return
        from tui.screens.measure_detail import MeasureValueForm

        self.app.push_screen(MeasureValueForm(measure), self._entered)

    def _entered(self, saved: Any) -> None:
        if saved is not None:
            self.notify(Text(safe(saved)).plain)

    def action_new(self) -> None:
        from tui.screens.record_form import RecordForm

        theme = self.filters.get("theme")
        self.app.push_screen(RecordForm("measure", defaults={"theme": theme} if theme else {}))

    def action_edit(self) -> None:
        from tui.screens.record_form import RecordForm

        measure = self.table.record
        if measure is not None:
            self.app.push_screen(RecordForm("measure", measure.id))

    def action_delete(self) -> None:
        measure = self.table.record
        if measure is not None:
            self._plan_delete(measure.id)

    @on(MeasureDeleting.DeletePlanned)
    def _delete_planned(self, message: MeasureDeleting.DeletePlanned) -> None:
        self._ask_delete(message.plan)

    @on(MeasureDeleting.Deleted)
    def _deleted(self, _message: MeasureDeleting.Deleted) -> None:
        self.notify("Deleted.")

    @on(MeasureDeleting.DeleteFailed)
    def _delete_failed(self, message: MeasureDeleting.DeleteFailed) -> None:
        app_of(self).show_error(str(message.error))
