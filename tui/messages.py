"""Messages the app and its screens send each other."""

from __future__ import annotations

from textual.message import Message

from store import Change


class StoreChanged(Message):
    """Records were written; the screen showing them should reload (``on_store_changed``)."""

    def __init__(self, changes: list[Change]) -> None:
        super().__init__()
        self.changes = changes

    @property
    def kinds(self) -> set[str]:
        """The kinds of record that changed ("finding", "action", ...)."""
        return {change.kind for change in self.changes}


class ScreenReady(Message):
    """A screen first showed its data (posted to the app, which notes the time)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class ChangesHeard(Message):
    """A PostgreSQL store announced a write (tui.live.ChangeListener): look at it now."""
