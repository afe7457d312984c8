"""The pack's measures: each focus theme's performance measures in a line or two under the
pack's header (ref, latest value and BRAG against the target; worse since last time marked),
so the lead sees the figures the inspectors will ask for beside the findings. ``m`` on the
pack opens them in the Measures list."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from store.measure_rules import Measure, format_number
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.badges import BRAG_STYLE

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

    @work(thread=True, exclusive=True, exit_on_error=False, group="pack-measures")
    def _load(self) -> tuple[Any, list[int], list[Measure]]:
        import store as api

        return api.focus_measures(app_of(self).store, self.visit_id)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "pack-measures":
            return
        event.stop()
        if event.state == WorkerState.SUCCESS:
            _visit, self.theme_ids, self.measures = event.worker.result
            self.update(measures_line(self.measures))
        elif event.state == WorkerState.ERROR:
            self.update(Text(f"Measures: {safe(event.worker.error)}", style="dim"))
