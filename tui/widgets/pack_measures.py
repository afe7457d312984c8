"""The pack's measures: each focus theme's performance measures in a line or two under the
pack's header (ref, latest value and BRAG against the target; worse since last time marked),
so the lead sees the figures the inspectors will ask for beside the findings. ``m`` on the
pack opens them in the Measures list."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import Static

from store.measure_rules import Measure, format_number
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.badges import BRAG_STYLE
from tui.workers import Failed, worker

NO_BRAG_STYLE = "dim"


def measures_line(measures: list[Measure]) -> Text:
    """``Measures (m): Children in care: CIC1 94% ▲ · Care leavers: CL3 44% ■ ▼ worse …``"""
    text = Text()
    text.append("Measures", style="bold")
    text.append(" (m): ", style="dim")
    if not measures:
        text.append("none in the focus themes yet", style="dim")
        return text
    theme = None
    for measure in measures:
        if measure.theme != theme:
            if theme is not None:
                text.append(" · ", style="dim")
            theme = measure.theme
            text.append(f"{safe(theme or 'No theme')}: ", style="italic")
        else:
            text.append(", ")
        symbol, _word, style = BRAG_STYLE.get(measure.brag, ("", "", NO_BRAG_STYLE))
        value = format_number(measure.latest.value, measure.unit) if measure.latest else "—"
        text.append(f"{safe(measure.ref)} {value}")
        if symbol:
            text.append(f" {symbol}", style=style)
        if measure.direction == "worse":
            text.append(" ▼worse", style="bold #e5534b")
    return text


class PackMeasures(Static):
    """The focus themes' measures of one visit, loaded off the UI thread."""

    DEFAULT_CSS = """
    PackMeasures { height: auto; max-height: 3; padding: 0 1; }
    """

    def __init__(self, visit_id: int, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.visit_id = visit_id
        self.theme_ids: list[int] = []
        self.measures: list[Measure] = []

    def load(self) -> None:
        self._load()

    class Loaded(Message):
        """The visit's focus themes and the measures tagged with them."""

        def __init__(self, theme_ids: list[int], measures: list[Measure]) -> None:
            super().__init__()
            self.theme_ids = theme_ids
            self.measures = measures

    class LoadFailed(Failed):
        """The measures could not be read."""

    @worker(group="pack-measures", failed=LoadFailed)
    def _load(self) -> Loaded:
        import store as api

        _visit, theme_ids, measures = api.focus_measures(app_of(self).store, self.visit_id)
        return self.Loaded(theme_ids, measures)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        message.stop()  # not the screen's
        self.theme_ids, self.measures = message.theme_ids, message.measures
        self.update(measures_line(self.measures))

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        message.stop()
        self.update(Text(f"Measures: {safe(message.error)}", style="dim"))
