"""One measure: its chart of values against the target line and the comparators, what it is
the evidence of impact for (linked findings and actions), and its values, newest first.

``v`` enters (or corrects) a value, checked by the store as it is saved: the period must be
one of the measure's (a month, or a quarter such as Q1 2018/19), the value a number in the
unit's range (a percentage is 0 to 100). ``l`` links the measure to an action or finding by
its ref. ``e`` edits the measure (the record form: a save over someone else's newer one is
refused, and asks Keep mine / Take theirs), ``d`` deletes it after saying what goes with it,
``h`` shows its history, as on every other record's page. The chart is plotext, drawn by
textual-plotext.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Static
from textual_plotext import PlotextPlot

from store.measure_rules import Measure, MeasureValue, format_number, judge_brag
from store.periods import next_period, period_label, short_label
from tui.screens.measure_delete import MeasureDeleting
from tui.screens.prompt import ValuePrompt
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.badges import brag_badge
from tui.widgets.key_footer import KeyFooter
from tui.widgets.measure_listing import direction_text, latest_text
from tui.workers import Failed, Unsaid, worker

# At most this many periods on the chart (the latest): five years of months.
CHART_PERIODS = 60


def _ticks(low: float, high: float) -> list[float]:
    """Round numbers across the axis, about five of them."""
    span = max(high - low, 1.0)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 10**9) if span / s <= 6)
    first = math.ceil(low / step) * step
    return [float(first + i * step) for i in range(int((high - first) // step) + 1)]


def draw_chart(plot: PlotextPlot, measure: Measure, values: list[MeasureValue]) -> None:
    """The values as a line against the target (a line across) and England and the
    statistical neighbours (lines across in their own colours); periods along the bottom."""
    plt = plot.plt
    plt.clear_figure()
    shown = values[-CHART_PERIODS:]
    if not shown:
        plt.title("No values yet: v enters one")
        return
    xs = list(range(1, len(shown) + 1))
    ys = [value.value for value in shown]
    lines = [
        (measure.target, "target", "red"),
        (measure.england, "England", "cyan"),
        (measure.neighbours, "neighbours", "orange"),
    ]
    # The levels first, so that the values are drawn over them where they cross.
    for level, name, colour in lines:
        if level is not None:
            plt.plot([xs[0], xs[-1]], [level, level], marker="braille", color=colour,
                     label=f"{name} {format_number(level, measure.unit)}")  # fmt: skip
    plt.plot(xs, ys, marker="braille", color="green", label=f"{measure.ref}")
    # Labels at least 8 columns apart: plotext would move labels that overlap, in an order
    # that changes from run to run.
    columns = max(1.0, (plot.size.width - 8) / len(shown))
    apart = math.ceil(8 / columns)
    step = max(apart, len(shown) // 6, 1)
    ticks = list(range(0, len(shown), step))
    if len(shown) - 1 - ticks[-1] >= apart:
        ticks.append(len(shown) - 1)
    plt.xticks(
        [xs[i] for i in ticks], [short_label(shown[i].period, measure.frequency) for i in ticks]
    )
    levels = [y for y in (*ys, *(level for level, *_ in lines)) if y is not None]
    low, high = min(levels), max(levels)
    pad = max((high - low) * 0.15, 1.0)
    bottom = max(0.0, low - pad)
    top = min(100.0, high + pad) if measure.unit == "%" else high + pad
    plt.ylim(bottom, top)
    plt.yticks(_ticks(bottom, top))
    plt.xlim(0.5, len(shown) + 0.5)


class MeasureChart(PlotextPlot):
    """The chart, built afresh (plotext keeps state between builds: a figure built at one
    width and again at another could differ by a column from one built straight at the
    second) once per data and size: refreshes in between reuse the last figure."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: tuple[Measure, list[MeasureValue]] | None = None
        self._built: tuple[Any, Any] | None = None  # (data and size, figure)

    def show(self, measure: Measure, values: list[MeasureValue]) -> None:
        self.shown = (measure, values)
        self.refresh()

    def render(self) -> Any:
        if self.shown is None:
            return super().render()
        key = (id(self.shown), self.size, self.app.theme)
        if self._built is None or self._built[0] != key:
            draw_chart(self, *self.shown)
            self._built = (key, super().render())
        return self._built[1]


class MeasureValueForm(ModalScreen[str | None]):
    """Period, value and note for one measure; dismisses with what was saved, in words.

    It reads the measure's values as it opens: a value someone else enters for the same
    period meanwhile is not replaced unseen. The save is refused, saying whose it is;
    ctrl+s again keeps yours over it, escape leaves theirs (issue 11).

    Escape with something typed (a value, a note, another period) asks the one Save /
    Discard / Keep editing question first, as every form does; untouched, it just closes.
    """

    CSS_PATH = "measure_detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel", id="value.close", tooltip="Change nothing"),
        Binding("ctrl+s", "save", "Save", id="value.save", tooltip="Save the value"),
    ]

    def __init__(self, measure: Measure) -> None:
        super().__init__()
        self.measure = measure
        # The values as this form opened (by period start), once read; and the periods
        # whose newer value it has shown, which a save again replaces.
        self.seen: dict[Any, float] | None = None
        self._over: set[Any] = set()
        self._saving: Any = None  # the period start being saved
        # The fields as the form opened (period, value, note), once composed; and what to
        # do once a save asked for by the Save / Discard / Keep editing question is done.
        self._initial: tuple[str, str, str] | None = None
        self._after_save: Callable[[], object] | None = None

    def compose(self) -> ComposeResult:
        measure = self.measure
        latest = measure.latest
        period = (
            period_label(next_period(latest.period, measure.frequency), measure.frequency)
            if latest
            else ""
        )
        unit = {"%": "a percentage, 0 to 100", "days": "days", "number": "a number"}.get(
            measure.unit, measure.unit
        )
        with Vertical(id="value-dialog"):
            yield Static(
                Text(f"A value for {safe(measure.ref)} {safe(measure.name)}"), id="value-heading"
            )
            yield Static(
                Text(f"The value is {unit}. A {measure.frequency} measure: "
                     + ("a quarter, e.g. Q1 2018/19." if measure.frequency == "quarterly"
                        else "a month, e.g. Dec-18 or 2018-12.")),
                id="value-explained",
            )  # fmt: skip
            yield Label("Period")
            yield Input(value=period, id="value-period")
            yield Label("Value")
            yield Input(id="value-value")
            yield Label("Note (optional)")
            yield Input(id="value-note")
            yield Static("", id="value-error")
            with Horizontal(id="value-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="value-save")
                yield Button("Cancel (esc)", id="value-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self._initial = self._fields()
        self.query_one("#value-value", Input).focus()
        self._read_values()

    def _fields(self) -> tuple[str, str, str]:
        return (
            self.query_one("#value-period", Input).value,
            self.query_one("#value-value", Input).value,
            self.query_one("#value-note", Input).value,
        )

    @property
    def unsaved(self) -> Text | None:
        """What closing the form now would lose, for the Save / Discard / Keep editing
        question (None when nothing was typed)."""
        if self._initial is None or self._fields() == self._initial:
            return None
        return Text(f"This value for {safe(self.measure.ref)} is not saved yet.")

    def save_then(self, then: Callable[[], object]) -> None:
        """Save, and once saved (the form closed) do ``then``; a refused save stays open."""
        self._after_save = then
        self.action_save()

    class ValuesRead(Message):
        """The measure's values as the form opened."""

        def __init__(self, seen: dict[Any, float]) -> None:
            super().__init__()
            self.seen = seen

    @worker(group="value-read", name="value-read", failed=Unsaid)
    def _read_values(self) -> ValuesRead:
        import store as api

        values = api.list_measure_values(app_of(self).store, self.measure.id)
        return self.ValuesRead({value.period: value.value for value in values})

    @on(ValuesRead)
    def _values_read(self, message: ValuesRead) -> None:
        self.seen = message.seen

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "value-note" or (
            event.input.id == "value-value" and self.query_one("#value-period", Input).value
        ):
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#value-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#value-cancel")
    def _cancel_pressed(self) -> None:
        self.action_close()

    def action_save(self) -> None:
        self.query_one("#value-error", Static).update("")
        self._save(*self._fields())

    class Saved(Message):
        """The value is saved: what to say."""

        def __init__(self, said: str) -> None:
            super().__init__()
            self.said = said

    class SaveFailed(Failed):
        """The store refused the value (or saving failed)."""

    @worker(group="value", name="value-save", failed=SaveFailed)
    def _save(self, period: str, value: str, note: str) -> Saved:
        import store as api
        from store.errors import ValidationError
        from store.measure_values import ANY_VALUE
        from store.periods import period_for

        try:
            start = period_for(period, self.measure.frequency)
        except ValidationError:
            start = None  # the store says what is wrong with it
        seen = ANY_VALUE
        if self.seen is not None and start is not None and start not in self._over:
            seen = self.seen.get(start)
        self._saving = start
        saved = api.set_measure_value(
            app_of(self).store,
            self.measure.id,
            period,
            value,
            note=note,
            seen=seen,
        )
        return self.Saved(
            f"{self.measure.ref}: {saved.label} = {format_number(saved.value, self.measure.unit)} saved."
        )

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        after, self._after_save = self._after_save, None
        self.dismiss(message.said)
        if after is not None:
            after()

    @on(SaveFailed)
    def _save_failed(self, message: SaveFailed) -> None:
        from store.errors import StaleRecord, StoreError, ValidationError

        self._after_save = None  # a save from the question: the form stays open, saying why
        error = message.error
        said = str(error) if isinstance(error, StoreError) else f"Not saved: {error}"
        if isinstance(error, StaleRecord):
            self._over.add(self._saving)  # shown now: a save again keeps yours over it
            said += " ctrl+s again saves yours over theirs; esc leaves theirs."
        self.query_one("#value-error", Static).update(Text(safe(said)))
        field = error.field if isinstance(error, ValidationError) else "value"
        box = "#value-period" if field == "period" else "#value-value"
        self.query_one(box, Input).focus()

    def _close(self) -> None:
        """Close unsaved (after discard); after a save from the question the form has
        closed itself already."""
        if self in self.app.screen_stack:
            self.dismiss(None)

    def action_close(self) -> None:
        """Close; with a value typed, first ask Save / Discard / Keep editing."""
        from tui.screens.confirm import leave_unsaved

        leave_unsaved(self.app, "Close the value?", "Close", self._close, only=self)


class MeasureLinkPrompt(ValuePrompt[str]):
    heading = "Link this measure to what it shows the impact of"
    explained = "The ref of an action of the plan (1.6) or of a finding (R3)."
    label = "Ref"
    verb = "Link"
    failed = "Not linked"

    def __init__(self, measure: Measure) -> None:
        super().__init__("")
        self.measure = measure

    def run(self, text: str) -> str:
        import store as api

        kind, ref, title, new = api.link_measure_by_ref(app_of(self).store, self.measure.id, text)
        said = "Linked" if new else "Already linked"
        return f"{said}: {self.measure.ref} to the {kind} {ref} {title}."


class MeasureDetailScreen(MeasureDeleting, Screen[None]):
    """A measure's chart, links and values."""

    CSS_PATH = "measure_detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "enter_value", "Enter value", id="measure.value",
                tooltip="Enter or correct a value (period, number)"),
        Binding("l", "link", "Link", id="measure.link",
                tooltip="Link to the action or finding it shows the impact of"),
        Binding("e", "edit", "Edit", id="measure.edit", tooltip="Edit this measure"),
        Binding("h", "history", "History", show=False, id="measure.history",
                tooltip="Every change to this measure: who, when, what (old → new)"),
        Binding("d", "delete", "Delete", id="measure.delete", tooltip="Delete (asks first)"),
        Binding("delete", "delete", "Delete", show=False, id="measure.delete_key",
                tooltip="Delete (asks first)"),
    ]  # fmt: skip

    kind = "measure"  # what it shows, for the toasts of others' changes (tui.live.shown_by)

    def __init__(self, measure_id: int) -> None:
        super().__init__()
        self.measure_id = int(measure_id)
        self.measure: Measure | None = None

    @property
    def record_id(self) -> int:
        return self.measure_id

    def compose(self) -> ComposeResult:
        yield Static("Loading…", id="measure-heading")
        with VerticalScroll(id="measure-body"):
            yield Static("", id="measure-facts")
            yield MeasureChart(id="measure-chart")
            yield Static("Evidence of impact for", classes="measure-section")
            yield Static("", id="measure-links")
            yield Static("Values, newest first", classes="measure-section")
            yield DataTable(id="measure-values", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#measure-values", DataTable)
        table.add_columns("Period", "Value", "BRAG", "Note", "Entered by")
        self._load()

    class Loaded(Message):
        """The measure, its values, its links and the name of its neighbours' figure."""

        def __init__(
            self,
            measure: Measure,
            values: list[MeasureValue],
            links: dict[str, Any],
            neighbours: str,
        ) -> None:
            super().__init__()
            self.measure = measure
            self.values = values
            self.links = links
            self.neighbours = neighbours

    class LoadFailed(Failed):
        """The measure could not be read."""

    @worker(group="measure", name="measure-load", failed=LoadFailed)
    def _load(self) -> Loaded:
        import store as api

        store = app_of(self).store
        measure = api.get_measure(store, self.measure_id)
        return self.Loaded(
            measure,
            api.list_measure_values(store, self.measure_id),
            api.measure_links(store, self.measure_id),
            api.neighbours_label(store) if measure.neighbours is not None else "",
        )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._show(message.measure, message.values, message.links, message.neighbours)
        from tui.messages import ScreenReady

        self.app.post_message(ScreenReady("measure"))

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        app_of(self).show_error(str(message.error))

    def _show(
        self,
        measure: Measure,
        values: list[MeasureValue],
        links: dict[str, Any],
        neighbours: str = "statistical neighbours",
    ) -> None:
        self.measure = measure
        heading = Text.assemble((f"{safe(measure.ref)} ", "bold"), (safe(measure.name), "bold"))
        heading.append(f"\n{safe(measure.theme or 'No theme')} · {measure.frequency} · "
                       f"{safe(measure.owner or 'no owner')}", style="dim")  # fmt: skip
        self.query_one("#measure-heading", Static).update(heading)
        facts = Text("Latest ")
        facts.append_text(latest_text(measure))
        facts.append("  ")
        facts.append_text(
            brag_badge(measure.brag) if measure.brag else Text("no BRAG", style="dim")
        )
        facts.append("  ")
        facts.append_text(direction_text(measure.direction))
        facts.append(f"\nTarget {format_number(measure.target, measure.unit) or 'none'} "
                     f"({measure.polarity} is better")  # fmt: skip
        if measure.tolerance:
            facts.append(f"; Amber within {format_number(measure.tolerance)}")
        facts.append(")")
        comparators = []
        if measure.england is not None:
            comparators.append(f"England {format_number(measure.england, measure.unit)}")
        if measure.neighbours is not None:
            comparators.append(f"{neighbours} {format_number(measure.neighbours, measure.unit)}")
        if comparators:
            year = f" ({safe(measure.comparator_year)})" if measure.comparator_year else ""
            facts.append(" · " + ", ".join(comparators) + year)
        self.query_one("#measure-facts", Static).update(facts)
        self.query_one("#measure-chart", MeasureChart).show(measure, values)
        lines = Text()
        for kind, label in (("action", "Action"), ("finding", "Finding")):
            for _ident, ref, title in links.get(kind, []):
                if lines:
                    lines.append("\n")
                lines.append(f"{label} {safe(ref)} ", style="bold")
                lines.append(safe(title))
        if not lines:
            lines = Text("Nothing linked yet: l links an action or finding.", style="dim")
        self.query_one("#measure-links", Static).update(lines)
        table = self.query_one("#measure-values", DataTable)
        table.clear()
        for value in reversed(values):
            brag = judge_brag(value.value, measure.target, measure.tolerance, measure.polarity)
            table.add_row(
                value.label,
                Text(format_number(value.value, measure.unit), justify="right"),
                brag_badge(brag) if brag else Text("—", style="dim"),
                Text(safe(value.note)),
                Text(safe(value.entered_by)),
            )

    def on_store_changed(self, _message: object) -> None:
        self._load()

    def action_enter_value(self) -> None:
        if self.measure is None:
            return
        self.app.push_screen(MeasureValueForm(self.measure), self._said)

    def action_link(self) -> None:
        if self.measure is None:
            return
        self.app.push_screen(MeasureLinkPrompt(self.measure), self._said)

    def _said(self, said: str | None) -> None:
        if said:
            self.notify(said)
            self._load()

    def action_edit(self) -> None:
        from tui.screens.record_form import RecordForm

        if self.measure is not None:
            self.app.push_screen(RecordForm("measure", self.measure_id), self._edited)

    def _edited(self, saved: int | None) -> None:
        if saved is not None:
            self._load()

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        if self.measure is not None:
            title = f"{self.measure.ref} {self.measure.name}"
            self.app.push_screen(HistoryScreen("measure", self.measure_id, title))

    def action_delete(self) -> None:
        if self.measure is not None:
            self._plan_delete(self.measure_id)

    @on(MeasureDeleting.DeletePlanned)
    def _delete_planned(self, message: MeasureDeleting.DeletePlanned) -> None:
        self._ask_delete(message.plan)

    @on(MeasureDeleting.Deleted)
    def _deleted(self, _message: MeasureDeleting.Deleted) -> None:
        self.notify("Deleted.")
        self.measure = None
        if self in self.app.screen_stack:
            self.app.pop_screen()

    @on(MeasureDeleting.DeleteFailed)
    def _delete_failed(self, message: MeasureDeleting.DeleteFailed) -> None:
        app_of(self).show_error(str(message.error))
