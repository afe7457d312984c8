"""The pack's offer, reviewed: findings outside the visit's focus themes whose words name
its focus (store.focus), each ticked to come in; space unticks one, enter adds the ticked.

The visit form makes the same offer once, as the visit is saved; the pack makes it for as
long as such findings are left (a report imported after the visit was made, a focus theme
added, "Not now" at the form).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from store.focus import FocusMention, describe_mentions
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.toggles import MarkedSelectionList
from tui.workers import Failed, worker


def offer_text(mentions: list[FocusMention], key: str = "+") -> Text:
    """The pack's one line for the offer: ``3 more findings mention assessment: R7, R16,
    MV1-4 · + reviews and adds them`` (empty when there is nothing to offer). ``+``, not
    ``o``: o opens an evidence item's file everywhere else."""
    if not mentions:
        return Text()
    text = Text(safe(describe_mentions(mentions)), style="bold")
    text.append(" · ")
    text.append(key, style="bold reverse")
    text.append(" reviews and adds them" if len(mentions) > 1 else " reviews and adds it")
    return text


class MentionReview(ModalScreen[list[int] | None]):
    """Tick the offered findings to add; dismisses with the ids to add (None: nothing)."""

    CSS_PATH = "mention_review.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "add", "Add the ticked", id="mentions.add", priority=True),
        Binding("escape", "close", "Not now", id="mentions.close", tooltip="Add nothing"),
    ]

    def __init__(self, mentions: list[FocusMention]) -> None:
        super().__init__()
        self.mentions = list(mentions)

    def compose(self) -> ComposeResult:
        with Vertical(id="mentions-dialog"):
            yield Label(Text(safe(describe_mentions(self.mentions))), id="mentions-title")
            yield Static(
                "Filed under other themes, their words name this visit's focus."
                " Space unticks one; enter adds the ticked to the pack (d drops one again).",
                id="mentions-help",
            )
            yield MarkedSelectionList(
                *(
                    Selection(self._prompt(m), m.finding_id, initial_state=True)
                    for m in self.mentions
                ),
                id="mentions-list",
            )
            yield Static("", id="mentions-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()
        self._count()

    @staticmethod
    def _prompt(mention: FocusMention) -> Text:
        text = Text()
        if mention.ref:
            text.append(safe(mention.ref) + "  ", style="bold")
        text.append(safe(mention.title))
        return text

    @on(SelectionList.SelectedChanged)
    @on(SelectionList.SelectionHighlighted)
    def _count(self, _event: Any = None) -> None:
        """How many are ticked, and where the highlighted one is filed and why it is offered
        (said below the list: a long title would cut it off the end of its line)."""
        chosen = len(self.query_one(SelectionList).selected)
        words = Text(f"{chosen} of {len(self.mentions)} ticked to add.")
        at = self.query_one(SelectionList).highlighted
        if at is not None and 0 <= at < len(self.mentions):
            mention = self.mentions[at]
            words.append("\n")  # ours, kept out of safe(), which would show it as ␊
            words.append(
                safe(
                    f"{mention.ref or 'It'} is filed under {mention.theme or 'no theme'};"
                    f" its words name “{mention.phrase}”."
                ),
                style="dim italic",
            )
        self.query_one("#mentions-status", Static).update(words)

    def action_add(self) -> None:
        chosen = set(self.query_one(SelectionList).selected)
        self.dismiss([m.finding_id for m in self.mentions if m.finding_id in chosen] or None)

    def action_close(self) -> None:
        self.dismiss(None)


class PackOffer:
    """For the pack screen: ``_find_mentions()`` on every load, its result
    (:class:`MentionsFound`) to ``_show_offer``; ``+`` (``action_offered``) reviews and adds
    them, answering with the screen's own :class:`Written`."""

    visit_id: int
    mentions: list[FocusMention]
    app: Any

    class MentionsFound(Message):
        """The findings outside the focus that name it."""

        def __init__(self, mentions: list[FocusMention]) -> None:
            super().__init__()
            self.mentions = mentions

    class MentionsFailed(Failed):
        """Looking for them failed."""

    class Written(Message):
        """A write to the pack is done: what to say, and the line the cursor goes to."""

        def __init__(self, message: str, then: tuple[Any, ...] | None) -> None:
            super().__init__()
            self.message = message
            self.then = then

    class WriteFailed(Failed):
        """A write to the pack failed."""

    def _status(self, text: Text) -> None:  # the screen's
        raise NotImplementedError

    @worker(group="pack-offer", name="mentions", failed=MentionsFailed)
    def _find_mentions(self) -> MentionsFound:
        from store.focus import focus_mentions

        return self.MentionsFound(focus_mentions(app_of(self).store, self.visit_id))

    def _show_offer(self, mentions: list[FocusMention]) -> None:
        self.mentions = mentions
        offer = self.query_one("#pack-offer", Static)  # type: ignore[attr-defined]
        offer.update(offer_text(mentions))
        offer.display = bool(mentions)

    def action_offered(self) -> None:
        """Review the findings outside the focus that name it; add the ticked ones."""
        self._status(Text())
        if not self.mentions:
            self._status(Text("No finding outside the focus themes mentions the focus."))
            return

        def chosen(finding_ids: list[int] | None) -> None:
            if finding_ids:
                self._add_offered(finding_ids)

        self.app.push_screen(MentionReview(self.mentions), chosen)

    @worker(group="pack-write", name="write", exclusive=False, failed=WriteFailed)
    def _add_offered(self, finding_ids: list[int]) -> Written:
        """Add them; the message, and the first added for the cursor (the screen's write)."""
        import store as api

        store = app_of(self).store
        with store.batch():
            for finding_id in finding_ids:
                api.set_finding_in_pack(store, self.visit_id, finding_id, True)
        noun = "finding that mentions" if len(finding_ids) == 1 else "findings that mention"
        message = f"Added {len(finding_ids)} {noun} the focus (d drops one again)."
        return self.Written(message, ("finding", finding_ids[0]))
