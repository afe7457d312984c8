"""Choose a finding to add to a visit's pack by hand: type to filter, enter to add."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.commands_palette import record_prompt
from tui.screens.search import Found, SearchFailed
from tui.typed_app import app_of
from tui.workers import worker


class FindingChooser(ModalScreen[int | None]):
    """Choose a finding to add to the pack by hand: type to filter, enter to add."""

    CSS_PATH = "finding_chooser.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel", id="chooser.close", tooltip="Add nothing"),
        Binding("down", "move(1)", "Next", show=False, id="chooser.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="chooser.previous"),
    ]

    def __init__(self, in_scope: set[int]) -> None:
        super().__init__()
        self.in_scope = set(in_scope)
        self.hits: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="chooser-dialog"):
            yield Label("Add a finding to this pack")
            yield Input(placeholder="Type to find a finding (typos are fine)", id="chooser-query")
            yield Static("", id="chooser-status")
            yield OptionList(id="chooser-list")
        # Its own keys at the foot, not those of the screen underneath.
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#chooser-query", Input).focus()
        self._search("")

    @worker(group="chooser", name="search", failed=SearchFailed)
    def _search(self, query: str) -> Found:
        from store.search import search

        store = app_of(self).store
        hits = search(store, query, limit=50 + len(self.in_scope), kind="finding")
        # The findings not in the pack that match the query.
        return Found(query, [h for h in hits if h.id not in self.in_scope][:50])

    @on(Found)
    def _found(self, message: Found) -> None:
        hits = message.hits
        if message.query != self.query_one("#chooser-query", Input).value:
            return
        self.hits = hits
        option_list = self.query_one("#chooser-list", OptionList)
        option_list.set_options(Option(record_prompt(h, kind=False)) for h in hits)
        if hits:
            option_list.highlighted = 0
        status = f"{len(hits)} not in the pack · enter adds" if hits else "No findings match."
        self.query_one("#chooser-status", Static).update(Text(status))

    @on(SearchFailed)
    def _search_failed(self, message: SearchFailed) -> None:
        app_of(self).show_error(f"Search failed: {message.error}")

    @on(Input.Changed, "#chooser-query")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#chooser-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(self.query_one("#chooser-list", OptionList).highlighted)

    @on(OptionList.OptionSelected, "#chooser-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.hits):
            self.dismiss(self.hits[index].id)

    def action_move(self, step: int) -> None:
        option_list = self.query_one("#chooser-list", OptionList)
        (option_list.action_cursor_down if step > 0 else option_list.action_cursor_up)()

    def action_close(self) -> None:
        self.dismiss(None)
