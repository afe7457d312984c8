"""The dashboard's measures: those in the next visit's focus themes that are off target
(Amber or Red), worst first, so a lead sees at a glance what the inspectors will ask about.
``enter`` (or a click) opens them in the Measures list."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from store.measure_rules import Measure, format_number
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.badges import brag_badge
from tui.widgets.measure_listing import direction_text, latest_text

SHOWN = 5  # rows; the rest are counted
RANK = {"red": 0, "amber": 1}


class FocusMeasures(Widget, can_focus=True):
    """Off-target measures in the next visit's focus themes (nothing shown when none)."""

    DEFAULT_CSS = """
    FocusMeasures { height: auto; padding: 0 1; margin-top: 1; }
    FocusMeasures:focus { background: $accent 20%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="dashboard.measures",
                tooltip="Open these measures in the Measures list"),
    ]  # fmt: skip

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.visit: Any = None
        self.measures: list[Measure] = []
        self.theme_ids: list[int] = []
        self.display = False

    def load(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="focus-measures")
    def _load(self) -> tuple[Any, list[int], list[Measure]]:
        import store as api

        return api.focus_measures(app_of(self).store, off_target=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "focus-measures":
            return
        event.stop()
        if event.state == WorkerState.SUCCESS:
            self.visit, self.theme_ids, measures = event.worker.result
            self.measures = sorted(measures, key=lambda m: RANK.get(m.brag, 2))
            self.display = bool(self.measures)
            self.refresh(layout=True)
        elif event.state == WorkerState.ERROR:
            app_of(self).show_error(str(event.worker.error))

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        count = len(self.measures)
        text.append(f"Measures off target in the next visit's focus: {count}", style="bold")
        for measure in self.measures[:SHOWN]:
            text.append("\n")
            badge = brag_badge(measure.brag)
            badge.pad_right(9 - badge.cell_len)
            text.append_text(badge)
            text.append(f"{safe(measure.ref):<6}")
            latest = latest_text(measure)
            latest.pad_left(16 - latest.cell_len)
            target = Text(f"  target {format_number(measure.target, measure.unit)}")
            target.pad_right(15 - target.cell_len)
            tail = Text.assemble(latest, target, direction_text(measure.direction))
            room = max(10, self.content_size.width - 15 - 40)
            name = Text(safe(measure.name))
            name.truncate(room, overflow="ellipsis", pad=True)
            text.append_text(name)
            text.append_text(tail)
        if count > SHOWN:
            text.append(f"\n… and {count - SHOWN} more (enter shows them all)", style="dim")
        return text

    def action_open(self) -> None:
        app_of(self).open_measures(off_target=True, themes=self.theme_ids)

    def on_click(self) -> None:
        self.focus()
        self.action_open()
