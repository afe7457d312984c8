"""A record's history: every change to it, who made it and when, newest first (``h``).

The store appends one entry for every write in the same transaction as the write (see
:mod:`store.history`); entries are never edited or deleted, so this is the record's
whole story: created, edited (field: old → new), linked, ticked ready, updated, imported.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tui.text import safe
from tui.typed_app import app_of
from tui.workers import Failed, worker

SHOWN_AT_MOST = 200


def _when(at: Any) -> str:
    local = at.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def _changed(entry: Any) -> Text:
    from store.history_queries import describe

    text = Text(safe(describe(entry, fields=False)))
    for change in entry.changes:
        if change.field in ("version", "ref_key"):
            continue
        text.append("\n  ")
        text.append(safe(change.field.replace("_", " ")), style="dim")
        text.append(": ")
        text.append(safe(_value(change.old, change.field)) or "—")
        text.append(" → ", style="dim")
        text.append(safe(_value(change.new, change.field)) or "—")
    dated = any(change.field == "on_date" for change in entry.changes)
    if entry.op == "update" and entry.kind == "action" and not dated:
        # A plan's note nothing dated: said, not left out (issue 19.6).
        text.append("\n  ")
        text.append("on date", style="dim")
        text.append(": date not given")
    return text


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _value(value: Any, field: str = "") -> str:
    """A stored value as the screens say it: dates as '29 Jun 2018', BRAG as 'Blue'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"  # personal data: as the record's page says it
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a measure's target of 90, not 90.0
    text = " ".join(str(value).split())
    if _ISO_DATE.fullmatch(text):
        from store.dates import format_date

        return format_date(date.fromisoformat(text))
    if field == "brag":
        return text.title()
    return text if len(text) <= 80 else text[:79] + "…"


def history_table(entries: list[Any]) -> Table | Text:
    """Newest first: when (local time), who did what, and each field's old → new."""
    if not entries:
        return Text("Nothing recorded yet.", style="dim")
    table = Table(box=None, padding=(0, 2, 0, 0), show_header=False, expand=True)
    table.add_column(no_wrap=True, style="dim")
    table.add_column(ratio=1)
    for entry in reversed(entries[-SHOWN_AT_MOST:]):
        table.add_row(_when(entry.at), _changed(entry))
    return table


class HistoryScreen(ModalScreen[None]):
    """The history of one record (``kind``, ``record_id``), read in a thread."""

    CSS_PATH = "history.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="history.close", tooltip="Back to the record"),
        Binding("h", "close", "Close", show=False, id="history.close_h", tooltip="Close"),
    ]

    def __init__(self, kind: str, record_id: int, title: str) -> None:
        super().__init__()
        self.kind = kind
        self.record_id = int(record_id)
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="history-dialog"):
            yield Static(Text(f"History of {safe(self.title_text)}"), id="history-title")
            with VerticalScroll():
                yield Static(Text("Loading…", style="dim"), id="history-entries")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    class Loaded(Message):
        """The record's history entries, newest first."""

        def __init__(self, entries: list[Any]) -> None:
            super().__init__()
            self.entries = entries

    class LoadFailed(Failed):
        """The history could not be read."""

    @worker(name="history-load", failed=LoadFailed)
    def _load(self) -> Loaded:
        from store import record_history

        return self.Loaded(record_history(app_of(self).store, self.kind, self.record_id))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.query_one("#history-entries", Static).update(history_table(message.entries))

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        entries = self.query_one("#history-entries", Static)
        entries.update(Text(f"Could not read the history: {safe(message.error)}"))

    def on_store_changed(self, _message: object) -> None:
        self._load()

    def action_close(self) -> None:
        self.dismiss(None)
