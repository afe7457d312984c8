"""How old evidence may be before it is out of date: the store's own choice, asked for here.

Opened from the palette ("Evidence age…"). Type days (183), or weeks, months or years
(12 weeks, 6 months); enter saves it in the store, and every screen counts again: the
dashboard's "out of date", the lists, the packs and the checklists. ``escape`` changes
nothing. A value the store refuses is said under the box, and the box keeps the focus.
"""

from __future__ import annotations

from rich.text import Text

from tui.screens.prompt import ValuePrompt
from tui.text import describe_age
from tui.typed_app import app_of


class StaleAgePrompt(ValuePrompt[int]):
    """Ask for the age; dismiss with the days saved, or ``None`` when cancelled."""

    heading = "How old may evidence be?"
    explained = (
        "Evidence with a review-by date goes out of date once that date has passed. "
        "Evidence with none goes out of date once it is older than this at the visit "
        "(or today, outside a pack). The choice is kept in the store, for everyone who "
        "opens it."
    )
    label = "Out of date once older than (days, or 12 weeks, 6 months):"
    select_on_focus = True  # typing replaces the age shown

    def __init__(self, days: int) -> None:
        super().__init__(str(days))

    def note(self, text: str) -> Text | None:
        """What the typed age comes to ("12 weeks" is 84 days), once it is one."""
        from store.errors import ValidationError
        from store.settings import parse_age

        try:
            days = parse_age(text)
        except ValidationError:
            return None
        return Text.assemble(("That is ", "dim"), describe_age(days), (".", "dim"))

    def run(self, text: str) -> int:
        from store import set_stale_days

        return set_stale_days(app_of(self).store, text)
