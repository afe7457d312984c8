"""After a visit is saved: offer the findings outside its focus themes that its focus names
by text (store.focus), so that none in the focus is left out of the pack unseen.

"1 more finding mentions management oversight: R4" — a recommendation about oversight of
practice filed under IROs and CP chairs is still about a visit focused on oversight.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.message import Message

from tui.text import safe
from tui.typed_app import app_of
from tui.workers import Failed, worker


class FocusOffer:
    """For the visit form: ``_find_mentions(visit_id)`` once saved; the form handles what
    was found (:class:`MentionsFound`) with ``_offer_mentions``, and :class:`MentionsAdded`
    or :class:`OfferFailed` by closing (``_close_saved``).
    """

    _after_save: Any
    _saved_id: int | None
    app: Any

    class MentionsFound(Message):
        """Findings outside the saved visit's focus themes that name its focus."""

        def __init__(self, visit_id: int, mentions: list[Any]) -> None:
            super().__init__()
            self.visit_id = visit_id
            self.mentions = mentions

    class MentionsAdded(Message):
        """They are in the visit's pack now (``added``: "2 findings")."""

        def __init__(self, visit_id: int, added: str) -> None:
            super().__init__()
            self.visit_id = visit_id
            self.added = added

    class OfferFailed(Failed):
        """Looking for them, or adding them, failed (the visit itself is saved)."""

    def _close_saved(self, record_id: int | None) -> None:  # the form's
        raise NotImplementedError

    @worker(group="form-mentions", name="mentions", failed=OfferFailed)
    def _find_mentions(self, visit_id: int) -> MentionsFound:
        from store.focus import focus_mentions

        self._saved_id = visit_id
        return self.MentionsFound(visit_id, focus_mentions(app_of(self).store, visit_id))

    def _offer_mentions(self, visit_id: int, mentions: list[Any]) -> None:
        if not mentions or self._after_save is not None:
            # Saved on the way out (quit, another screen): not the moment for a question.
            self._close_saved(visit_id)
            return
        from store.focus import describe_mentions
        from tui.screens.confirm import ConfirmScreen

        message = Text(safe(describe_mentions(mentions)) + ".\n\n")
        for mention in mentions[:6]:
            message.append(safe(f"{mention.ref}  {mention.title}"), style="bold")
            # The line break is ours, not user text: safe() would show it as ␊.
            message.append(safe(f"  ({mention.theme or 'no theme'})"), style="dim")
            message.append("\n")
        if len(mentions) > 6:
            message.append(f"and {len(mentions) - 6} more\n", style="dim")
        them = "them" if len(mentions) > 1 else "it"
        message.append(f"\nAdd {them} to this visit's pack? (d in the pack drops one again)")

        def answered(add: bool | None) -> None:
            if add:
                self._add_mentions(visit_id, [m.finding_id for m in mentions])
            else:
                self._close_saved(visit_id)

        self.app.push_screen(
            ConfirmScreen(
                "Findings that mention the focus",
                message,
                yes=f"Add {them}",
                no="Not now",
                danger=False,  # nothing is lost either way: the ordinary look, not red
            ),
            answered,
        )

    @worker(group="form-mentions", name="add mentions", failed=OfferFailed)
    def _add_mentions(self, visit_id: int, finding_ids: list[int]) -> MentionsAdded:
        import store as api
        from store._common import plural

        store = app_of(self).store
        with store.batch():
            for finding_id in finding_ids:
                api.set_finding_in_pack(store, visit_id, finding_id, True)
        return self.MentionsAdded(visit_id, plural(len(finding_ids), "finding"))
