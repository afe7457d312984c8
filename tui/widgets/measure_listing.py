"""How measures are listed in a :class:`~tui.widgets.record_table.RecordTable`: the columns
of the Measures screen (latest value, target, BRAG, better or worse, the last 12 periods)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text

from store.measure_rules import Measure, format_number, sparkline
from store.periods import short_label
from tui.text import safe
from tui.widgets.badges import brag_badge
from tui.widgets.record_table import Column, Listing

DIRECTION = {
    "better": ("▲ better", "#3fb950"),
    "worse": ("▼ worse", "bold #e5534b"),
    "same": ("= same", ""),
}


def direction_text(direction: str) -> Text:
    """Better or worse since the period before, by the measure's polarity (not up or down)."""
    word, style = DIRECTION.get(direction, ("—", "dim"))
    return Text(word, style=style)


def latest_text(measure: Measure) -> Text:
    latest = measure.latest
    if latest is None:
        return Text("no value", style="dim")
    text = Text(format_number(latest.value, measure.unit))
    text.append(f" {short_label(latest.period, measure.frequency)}", style="dim")
    return text


def measure_brag(measure: Measure) -> Text:
    return brag_badge(measure.brag) if measure.brag else Text("—", style="dim")


def _cells(value: object, _today: date) -> Text:
    return Text(safe(value))


def _listing() -> Listing:
    import store as api

    # Each looked up when called: store.measures loads SQLAlchemy, which the app's start
    # (the dashboard imports this module) must not wait for (tests/test_startup.py).
    def fetch(store: Any, **query: Any) -> list[Any]:
        return api.list_measures(store, **query)

    def count(store: Any, **query: Any) -> int:
        return api.count_measures(store, **query)

    def get(store: Any, measure_id: int) -> Any:
        return api.get_measure(store, measure_id)

    return Listing(
        "measure",
        "measure",
        "Measures",
        (
            Column("Ref", lambda m, _t: Text(safe(m.ref), style="bold"), 6, "ref", fit=4),
            Column("Measure", lambda m, _t: Text(safe(m.name)), 0, "name"),
            Column("Theme", lambda m, _t: Text(safe(m.theme or "—")), 22, "theme", drop=4),
            Column("Latest", lambda m, _t: latest_text(m), 14, justify="right"),
            Column(
                "Target",
                lambda m, _t: Text(format_number(m.target, m.unit) or "—"),
                7,
                justify="right",
                drop=2,
            ),
            Column("BRAG", lambda m, _t: measure_brag(m), 8),
            Column("Since last", lambda m, _t: direction_text(m.direction), 10, drop=3),
            Column("Last 12", lambda m, _t: Text(sparkline(m.recent)), 12, drop=1),
        ),
        "theme",
        fetch,
        count,
        get,
        filters=("theme", "themes", "off_target"),
    )


MEASURES = _listing()
