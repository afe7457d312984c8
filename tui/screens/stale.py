"""Someone else saved the record while this form was open: keep mine, take theirs, or go on.

The store refuses a save that started from an older version of a record
(:class:`store.errors.StaleRecord`: "changed by Alex Khan at 10:42 since you opened it"),
so nobody's change is lost without a word. The form keeps everything typed and asks here,
showing, field by field, what the other person saved next to what this form holds.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from tui.text import safe


def differences(rows: list[tuple[str, str, str]]) -> Table:
    """Field, theirs, yours: one row for each field this form would change."""
    table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, expand=True)
    table.add_column("Field", style="dim", no_wrap=True)
    table.add_column("Saved by them", ratio=1)
    table.add_column("In your form", ratio=1)
    for label, theirs, yours in rows:
        table.add_row(Text(label), Text(safe(theirs) or "—"), Text(safe(yours) or "—"))
    return table


class StaleScreen(ModalScreen[str]):
    """Dismisses with "mine" (save over theirs), "theirs" (the form takes their version)
    or "keep" (back to the form, everything typed still there)."""

    CSS_PATH = "stale.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "answer('mine')", "Keep mine", id="stale.mine",
                tooltip="Save your version over theirs (only the fields you changed)"),
        Binding("t", "answer('theirs')", "Take theirs", id="stale.theirs",
                tooltip="Show their version in the form; what you typed is dropped"),
        Binding("escape", "answer('keep')", "Keep editing", id="stale.keep",
                tooltip="Back to the form, nothing saved, nothing lost"),
    ]  # fmt: skip

    def __init__(self, message: str, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.message = message
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="stale-dialog"):
            yield Static(Text(f"Not saved: {safe(self.message)}"), id="stale-title")
            yield Static(differences(self.rows), id="stale-fields")
            with Horizontal(id="stale-buttons"):
                yield Button("Keep mine (m)", variant="primary", id="stale-mine")
                yield Button("Take theirs (t)", id="stale-theirs")
                yield Button("Keep editing (esc)", id="stale-keep")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#stale-keep", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("stale-") or "keep")

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)
