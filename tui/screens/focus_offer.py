"""After a visit is saved: offer the findings outside its focus themes that its focus names
by text (store.focus), so that none in the focus is left out of the pack unseen.

"1 more finding mentions management oversight: R4" — a recommendation about oversight of
practice filed under IROs and CP chairs is still about a visit focused on oversight.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work

from tui.text import safe
from tui.typed_app import app_of


class FocusOffer:
    """For the visit form: ``_find_mentions(visit_id)`` once saved; the form's worker
    handler calls ``_offer_mentions`` with what was found and ``_close_saved`` once done.
    """

    _after_save: Any
    _saved_id: int | None
    app: Any

    def _close_saved(self, record_id: int | None) -> None:  # the form's
        raise NotImplementedError

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-mentions", name="mentions")
    def _find_mentions(self, visit_id: int) -> tuple[int, list[Any]]:
        from store.focus import focus_mentions

        self._saved_id = visit_id
        return visit_id, focus_mentions(app_of(self).store, visit_id)

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
                "Findings that mention the focus", message, yes=f"Add {them}", no="Not now"
            ),
            answered,
        )

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="form-mentions", name="add mentions"
    )
    def _add_mentions(self, visit_id: int, finding_ids: list[int]) -> tuple[int, str]:
        import store as api
        from store._common import plural

        store = app_of(self).store
        with store.batch():
            for finding_id in finding_ids:
                api.set_finding_in_pack(store, visit_id, finding_id, True)
        return visit_id, plural(len(finding_ids), "finding")
