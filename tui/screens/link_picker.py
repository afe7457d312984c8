"""Link or unlink records (`l` on a finding, action or evidence item).

Type to filter (fuzzy, through the search engine, so typos are fine); enter links the
highlighted record (the top match, until the cursor moves), or unlinks it if it is linked
already; with nothing typed, enter in the box links nothing. ``down`` goes from the box into the list, on that same record; there ``space`` or
enter toggles, and ``up`` from the top goes back to the box. The picker stays open for as
many toggles as needed; escape closes it and says whether anything changed. Only a window
of the best matches is shown, never every record. Other councils' findings are not offered:
they are read to learn from, not answered by this council's actions and evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.commands_palette import record_prompt
from tui.screens.search import Found as SearchFound
from tui.screens.search import SearchFailed
from tui.text import safe
from tui.typed_app import app_of
from tui.workers import Failed, worker

if TYPE_CHECKING:
    from store.search import SearchHit

LIMIT = 50
NOUNS = {"finding": "finding", "action": "action", "evidence": "evidence item"}
PLURALS = {"finding": "findings", "action": "actions", "evidence": "evidence"}


def linked_hit(kind: str, record: Any) -> SearchHit:
    """A record linked already, as the search would find it: the picker lists what is
    linked first with nothing typed, and draws every line the one way."""
    from store.search import SearchHit

    return SearchHit(
        kind,
        record.id,
        getattr(record, "ref", ""),
        record.title,
        snippet="",
        score=0.0,
        title_spans=(),
        snippet_spans=(),
        theme=getattr(record, "theme", "") or "",
        brag=getattr(record, "brag", "") or "",
        source=getattr(record, "source_title", "") or "",
        ours=getattr(record, "ours", True),
    )


def get_record(store: Any, kind: str, record_id: int) -> Any:
    import store as api

    return {
        "finding": api.get_finding,
        "action": api.get_action,
        "evidence": api.get_evidence,
    }[kind](store, record_id)


def linked_records(store: Any, from_kind: str, from_id: int, to_kind: str) -> list[Any] | None:
    """The records of ``to_kind`` linked to the record, or None if the store cannot list
    them in one call (findings of an action or evidence item: see :func:`is_linked`)."""
    import store as api

    key = {"finding": "finding_id", "action": "action_id", "evidence": "evidence_id"}[from_kind]
    listings: dict[str, Callable[..., Any]] = {
        "finding": api.list_findings,
        "action": api.list_actions,
        "evidence": api.list_evidence,
    }
    listing = listings[to_kind]
    try:
        return listing(store, **{key: from_id})
    except TypeError:  # list_findings has no action_id / evidence_id filter (yet)
        return None


def is_linked(store: Any, from_kind: str, from_id: int, to_kind: str, to_id: int) -> bool:
    """Whether two records are linked, asked from the other side."""
    found = linked_records(store, to_kind, to_id, from_kind)
    return found is not None and any(record.id == from_id for record in found)


class PickerInput(Input):
    """The filter box: enter toggles the highlighted record, down goes into the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "screen.toggle_typed",
            "Link/unlink",
            id="link.toggle",
            tooltip="Link or unlink the highlighted record (the top match of what is typed)",
        ),
        Binding(
            "down",
            "screen.focus_list",
            "To the list",
            id="link.to_list",
            tooltip="Into the list, on the highlighted record",
        ),
    ]


class PickerList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "screen.toggle",
            "Link/unlink",
            id="link.space",
            tooltip="Link or unlink the highlighted record",
        ),
        Binding("j", "cursor_down", "Down", show=False, id="link.down"),
        Binding("k", "cursor_up", "Up", show=False, id="link.up"),
    ]

    class Left(Message):
        """Up from the top of the list: the lead wants the box again."""

    def action_cursor_up(self) -> None:
        if self.highlighted in (None, 0):
            self.post_message(self.Left())
            return
        super().action_cursor_up()


class LinkPicker(ModalScreen[bool]):
    """Pick records of ``to_kind`` to link to (or unlink from) one record."""

    CSS_PATH = "link_picker.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Done", id="link.close", tooltip="Close the picker"),
    ]

    def __init__(self, from_kind: str, from_id: int, to_kind: str) -> None:
        if from_kind not in NOUNS or to_kind not in NOUNS or from_kind == to_kind:
            raise ValueError(f"cannot link a {from_kind} to a {to_kind}")
        super().__init__()
        self.from_kind = from_kind
        self.from_id = from_id
        self.to_kind = to_kind
        self.linked: set[int] = set()
        self.candidates: list[SearchHit] = []
        self.changed = False
        self._pending: set[int] = set()
        self._linked_known = True  # False: ask per candidate (see linked_records)
        self._linked_candidates: list[SearchHit] = []
        # The query the list shows the matches of, and a query whose enter waits for them
        # (typed, or pasted, faster than the search answers).
        self._shown_query: str | None = None
        self._enter_for: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="link-dialog"):
            yield Static(Text(f"Link {PLURALS[self.to_kind]}"), id="link-heading")
            yield PickerInput(
                placeholder=f"Type to find {PLURALS[self.to_kind]} (typos are fine)",
                id="link-query",
                select_on_focus=False,  # back from the list, typing goes on with the query
            )
            yield Static("Loading…", id="link-status")
            yield PickerList(id="link-list")
        # Its own keys at the foot, not those of the screen underneath.
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#link-query", Input).focus()
        self._load()

    # ------------------------------------------------------------------ workers

    class Loaded(Message):
        """The record links are made from, and what it is linked to (``None``: too many to
        list; each search result is looked up instead)."""

        def __init__(self, record: Any, linked: list[SearchHit] | None) -> None:
            super().__init__()
            self.record = record
            self.linked = linked

    class Found(SearchFound):
        """What search found for ``query``, and which of it turned out to be linked already."""

        def __init__(self, query: str, hits: list[SearchHit], found_linked: set[int]) -> None:
            super().__init__(query, hits)
            self.found_linked = found_linked

    class Toggled(Message):
        """``candidate`` is linked (``link``) or unlinked now."""

        def __init__(self, candidate: SearchHit, link: bool) -> None:
            super().__init__()
            self.candidate = candidate
            self.link = link

    class LoadFailed(Failed):
        """The record could not be read: the picker closes."""

    class ToggleFailed(Failed):
        """A link or unlink failed."""

    @worker(group="link-load", name="load", failed=LoadFailed)
    def _load(self) -> Loaded:
        store = app_of(self).store
        record = get_record(store, self.from_kind, self.from_id)
        linked = linked_records(store, self.from_kind, self.from_id, self.to_kind)
        if linked is None:
            return self.Loaded(record, None)
        return self.Loaded(record, [linked_hit(self.to_kind, r) for r in linked])

    @worker(group="link-search", name="search", failed=SearchFailed)
    def _search(self, query: str) -> Found:
        from store.search import search

        store = app_of(self).store
        if self.to_kind == "finding":
            # Other councils' findings are there to learn from, not to answer: not offered.
            found = search(store, query, limit=LIMIT * 3, kind="finding")
            hits = [h for h in found if h.ours][:LIMIT]
        else:
            hits = search(store, query, limit=LIMIT, kind=self.to_kind)
        if not query.strip() and self._linked_known:
            # With nothing typed, what is linked comes first, so it can be unlinked.
            linked = [c for c in self._linked_candidates if c.id in self.linked]
            others = [c for c in hits if c.id not in self.linked]
            hits = (linked + others)[: max(LIMIT, len(linked))]
        found_linked: set[int] = set()
        if not self._linked_known:
            found_linked = {
                c.id
                for c in hits
                if is_linked(store, self.from_kind, self.from_id, self.to_kind, c.id)
            }
        return self.Found(query, hits, found_linked)

    @worker(group="link-toggle", name="toggle", exclusive=False, failed=ToggleFailed)
    def _toggle(self, candidate: SearchHit, link: bool) -> Toggled:
        import store as api

        store = app_of(self).store
        if link:
            api.link(store, self.from_kind, self.from_id, self.to_kind, candidate.id)
        else:
            api.unlink(store, self.from_kind, self.from_id, self.to_kind, candidate.id)
        return self.Toggled(candidate, link)

    @on(Loaded)
    def _on_loaded(self, message: Loaded) -> None:
        self._loaded(message.record, message.linked)

    @on(Found)
    def _found(self, message: Found) -> None:
        self.linked |= message.found_linked
        if message.query == self.query_text:
            self._shown_query = message.query
            self._show(message.hits)
            if self._enter_for == message.query:
                self._enter_for = None
                self.action_toggle()

    @on(Toggled)
    def _toggled(self, message: Toggled) -> None:
        candidate, link = message.candidate, message.link
        self._pending.discard(candidate.id)
        self.changed = True
        (self.linked.add if link else self.linked.discard)(candidate.id)
        self._refresh_prompt(candidate)
        verb = "Linked" if link else "Unlinked"
        self._status(Text(f"{verb} {safe(candidate.ref or candidate.title)}."))

    @on(LoadFailed)
    @on(SearchFailed)
    @on(ToggleFailed)
    def _failed(self, failure: Failed) -> None:
        if isinstance(failure, self.ToggleFailed):
            self._pending.clear()
        message = str(failure.error)
        self._status(Text(f"⚠ {safe(message)}", style="bold"))
        app_of(self).show_error(message)
        if isinstance(failure, self.LoadFailed):
            self.dismiss(self.changed)

    # ------------------------------------------------------------------ showing

    def _loaded(self, record: Any, linked: list[SearchHit] | None) -> None:
        heading = Text(f"Link {PLURALS[self.to_kind]} to {NOUNS[self.from_kind]} ")
        heading.append(safe(f"{getattr(record, 'ref', '')} {record.title}".strip()), style="bold")
        self.query_one("#link-heading", Static).update(heading)
        if linked is None:
            self._linked_known = False
        else:
            self.linked = {hit.id for hit in linked}
            self._linked_candidates = linked
        self._search(self.query_text)

    @property
    def query_text(self) -> str:
        return self.query_one("#link-query", Input).value

    def _prompt(self, candidate: SearchHit) -> Text:
        """Linked or not, then the line the palette draws for it, with its BRAG."""
        text = Text()
        if candidate.id in self.linked:
            text.append("✓ linked  ", style="bold green")
        else:
            text.append("☐         ", style="dim")
        text.append_text(record_prompt(candidate, kind=False, brag=True))
        return text

    def _show(self, hits: list[SearchHit]) -> None:
        self.candidates = hits
        option_list = self.query_one("#link-list", PickerList)
        option_list.set_options(Option(self._prompt(c)) for c in hits)
        if hits:
            option_list.highlighted = 0
        linked = len(self.linked)
        if hits:
            more = " (best matches)" if len(hits) >= LIMIT else ""
            self._status(Text(f"{len(hits)} shown{more} · {linked} linked · enter links/unlinks"))
        elif self.query_text.strip():
            self._status(Text(f"No {PLURALS[self.to_kind]} match '{safe(self.query_text)}'."))
        else:
            self._status(Text(f"There are no {PLURALS[self.to_kind]} yet."))

    def _refresh_prompt(self, candidate: SearchHit) -> None:
        option_list = self.query_one("#link-list", PickerList)
        for index, shown in enumerate(self.candidates):
            if shown.id == candidate.id:
                option_list.replace_option_prompt_at_index(index, self._prompt(shown))

    def _status(self, text: Text) -> None:
        self.query_one("#link-status", Static).update(text)

    # ------------------------------------------------------------------ keys

    @on(Input.Changed, "#link-query")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(OptionList.OptionSelected, "#link-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle()

    def on_store_changed(self, _message: object) -> None:
        """Another screen wrote: nothing to do, the toggles here keep their own state."""

    @on(PickerList.Left)
    def _left_list(self, event: PickerList.Left) -> None:
        event.stop()
        self.query_one("#link-query", Input).focus()

    def action_focus_list(self) -> None:
        """From the box into the list, on the record enter in the box would toggle."""
        option_list = self.query_one("#link-list", PickerList)
        if option_list.highlighted is None and self.candidates:
            option_list.highlighted = 0
        option_list.focus()

    # The picker's own "toggle" (link or unlink), not DOMNode's toggle of an attribute.
    def action_toggle(self) -> None:  # type: ignore[override]
        option_list = self.query_one("#link-list", PickerList)
        index = option_list.highlighted
        if index is None or not 0 <= index < len(self.candidates):
            return
        candidate = self.candidates[index]
        if candidate.id in self._pending:
            return
        self._pending.add(candidate.id)
        self._toggle(candidate, candidate.id not in self.linked)

    def action_toggle_typed(self) -> None:
        """enter in the box: the top match of what was typed. With nothing typed the top row
        is no one's choice (the first of the list), so nothing is linked by accident."""
        query = self.query_text
        if query.strip():
            if query != self._shown_query:
                # The list still shows the matches of what was typed before: enter acts on
                # the top match of this query once its search answers, never on a stale row.
                self._enter_for = query
                self._status(Text("Finding the best match…"))
                return
            self.action_toggle()
            return
        self._status(Text("Type part of a title first, or press ↓ to choose in the list."))

    def action_close(self) -> None:
        self.dismiss(self.changed)
