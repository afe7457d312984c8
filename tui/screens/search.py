"""Search: fuzzy, across findings, actions, evidence and sources, as you type (`/`)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store.search.query import parse_query, problems
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.badges import brag_badge
from tui.widgets.key_footer import KeyFooter
from tui.workers import Failed, worker

LIMIT = 50
KIND_LABELS = {
    "finding": "Finding",
    "action": "Action",
    "evidence": "Evidence",
    "source": "Source",
    "measure": "Measure",
}
EXAMPLES = (
    "retrun home intervew      typos are fine",
    "CiN plans                 abbreviations find their phrases",
    "kind:action brag:red      only red actions",
    "theme:mash overdue        overdue work in one theme",
    "source:haringey           findings from one report",
)
HIGHLIGHT = "bold reverse"


def highlighted(text: str, spans: tuple[tuple[int, int], ...], style: str = "") -> Text:
    """User text as plain Text (never markup) with the matched spans highlighted.

    Each piece is made safe on its own, so the offsets stay right whatever `safe` does.
    """
    out = Text(style=style)
    position = 0
    for start, end in sorted(spans):
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        out.append(safe(text[position:start]))
        out.append(safe(text[start:end]), style=HIGHLIGHT)
        position = end
    out.append(safe(text[position:]))
    return out


def hit_prompt(hit: Any) -> Text:
    """Two lines per hit: kind, ref, title (and theme/BRAG); then the snippet.

    The list cuts each line with "…" (its CSS) rather than wrapping to the left edge under
    the kind, so every hit is two lines and the eye runs down one column of snippets.
    """
    line = Text()
    line.append(f"{KIND_LABELS.get(hit.kind, hit.kind):<8} ", style="bold cyan")
    if hit.ref:
        line.append(safe(hit.ref), style="bold")
        line.append("  ")
    line.append_text(highlighted(hit.title, hit.title_spans, "bold"))
    # BRAG and overdue before the theme: a cut line loses the theme, not the status.
    extra = Text()
    if hit.brag:
        extra.append_text(brag_badge(hit.brag))
    if hit.overdue:
        extra.append("  ⚠ overdue" if extra else "⚠ overdue", style="bold red")
    if not hit.ours:
        # Whose it is before the theme, "other:" first as the lists mark it: a line cut
        # short must still say that it is not ours.
        if extra:
            extra.append("  ")
        extra.append("other: ", style="dim italic")
        extra.append(safe(hit.source), style="italic")
        if hit.kind == "finding" and hit.theme:
            extra.append("  " + safe(hit.theme), style="italic")
    elif hit.theme or hit.source:
        if extra:
            extra.append("  ")
        extra.append(safe(hit.theme or hit.source), style="italic")
    if extra:
        line.append("  · ", style="dim")
        line.append_text(extra)
    if hit.snippet:
        line.append("\n")
        line.append("         ")
        line.append_text(highlighted(hit.snippet, hit.snippet_spans, "dim"))
    return line


class Found(Message):
    """What a search-as-you-type found, and what it was for (search, the link picker):
    a screen shows it only while its box still holds ``query``."""

    def __init__(self, query: str, hits: list[Any]) -> None:
        super().__init__()
        self.query = query
        self.hits = hits


class SearchFailed(Failed):
    """The search failed."""


class SearchResults(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="search.down"),
        Binding("k", "cursor_up", "Up", show=False, id="search.up"),
    ]


class SearchScreen(Screen[None]):
    """Type to search everything; enter opens the highlighted record."""

    CSS_PATH = "search.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="search.back", tooltip="Close search"),
        Binding("down", "results_down", "Next", show=False, id="search.next"),
        Binding("up", "results_up", "Previous", show=False, id="search.previous"),
        Binding("enter", "open", "Open", id="search.open", tooltip="Open the highlighted record"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.hits: list[Any] = []
        self._shown_query: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(
                value=self.initial_query,
                placeholder="Search findings, actions, evidence, sources… (typos are fine)",
                id="search-box",
            )
            yield Static("", id="search-status")
            yield Static(self._examples(), id="search-empty")
            yield SearchResults(id="search-results")
        yield KeyFooter()

    @staticmethod
    def _examples() -> Text:
        text = Text("Type to search. For example:\n\n", style="bold")
        for example in EXAMPLES:
            text.append(f"  {example}\n", style="")
        return text

    def on_mount(self) -> None:
        self.query_one("#search-results", SearchResults).display = False
        self.query_one("#search-box", Input).focus()
        if self.initial_query:
            self.run_search(self.initial_query)

    @property
    def query_text(self) -> str:
        return self.query_one("#search-box", Input).value

    @on(Input.Changed, "#search-box")
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#search-box")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    def on_store_changed(self, _message: object) -> None:
        if self.query_text.strip():
            self.run_search(self.query_text)

    def on_screen_resume(self) -> None:
        if self.query_text.strip() and self._shown_query is not None:
            self.run_search(self.query_text)

    def run_search(self, query: str) -> None:
        if not query.strip():
            self.workers.cancel_group(self, "search")
            self._show(query, [])
            return
        self.query_one("#search-status", Static).update(Text("Searching…"))
        self._search(query)

    @worker(group="search", name="search", failed=SearchFailed)
    def _search(self, query: str) -> Found:
        from store.search import search

        return Found(query, search(app_of(self).store, query, limit=LIMIT))

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.query == self.query_text:  # a slower, older search must not win
            self._show(message.query, message.hits)

    @on(SearchFailed)
    def _search_failed(self, message: SearchFailed) -> None:
        status = self.query_one("#search-status", Static)
        status.update(Text("Search failed: see the message."))
        app_of(self).show_error(f"Search failed: {message.error}")

    def _show(self, query: str, hits: list[Any]) -> None:
        self.hits = hits
        self._shown_query = query
        results = self.query_one("#search-results", SearchResults)
        empty = self.query_one("#search-empty", Static)
        status = self.query_one("#search-status", Static)
        results.set_options(Option(hit_prompt(hit)) for hit in hits)
        if hits:
            results.highlighted = 0
        has_query = bool(query.strip())
        results.display = bool(hits)
        empty.display = not hits
        if not has_query:
            status.update("")
            empty.update(self._examples())
        elif not hits:
            status.update("")
            empty.update(Text.assemble("No matches for ", (f"'{safe(query)}'", "bold"), "."))
        else:
            shown = f"{len(hits)} best match{'es' if len(hits) != 1 else ''}"
            status.update(Text(f"{shown} · enter opens · ↑↓ to move"))
        mistakes = problems(parse_query(query)) if has_query else []
        if mistakes:
            # "colour:red" is searched as words; say why it found what it found.
            status.update(Text(f"⚠ {mistakes[0]}", style="bold yellow"))

    def action_results_down(self) -> None:
        self.query_one("#search-results", SearchResults).action_cursor_down()

    def action_results_up(self) -> None:
        self.query_one("#search-results", SearchResults).action_cursor_up()

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open_index(event.option_index)

    def action_open(self) -> None:
        results = self.query_one("#search-results", SearchResults)
        if results.highlighted is not None:
            self._open_index(results.highlighted)

    def _open_index(self, index: int) -> None:
        if 0 <= index < len(self.hits):
            hit = self.hits[index]
            app_of(self).open_record(hit.kind, hit.id)

    def action_back(self) -> None:
        self.dismiss(None)
