"""The dashboard's measures: those in the next visit's focus themes that are off target
(Amber or Red), worst first, so a lead sees at a glance what the inspectors will ask about.
``enter`` (or a click) opens them in the Measures list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.badges import brag_badge
from tui.workers import Failed, worker

if TYPE_CHECKING:
    from store.measure_rules import Measure

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

    class Loaded(Message):
        """The next visit, its focus themes, and the measures off target in them."""

        def __init__(self, visit: Any, theme_ids: list[int], measures: list[Measure]) -> None:
            super().__init__()
            self.visit = visit
            self.theme_ids = theme_ids
            self.measures = measures

    class LoadFailed(Failed):
        """The measures could not be read."""

    @worker(group="focus-measures", failed=LoadFailed)
    def _load(self) -> Loaded:
        import store as api

        return self.Loaded(*api.focus_measures(app_of(self).store, off_target=True))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        message.stop()  # not the screen's
        self.visit, self.theme_ids = message.visit, message.theme_ids
        self.measures = sorted(message.measures, key=lambda m: RANK.get(m.brag, 2))
        self.display = bool(self.measures)
        self.refresh(layout=True)

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        message.stop()
        app_of(self).show_error(str(message.error))

    def render(self) -> Text:
        # Imported when shown (only with measures off target), not with the app: the
        # measures list's columns bring the record table, which the dashboard does not need.
        from store.measure_rules import format_number
        from tui.widgets.measure_listing import direction_text, latest_text

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
