"""The one place that draws BRAG badges, gap labels and due dates.

Colour is never the only signal: every badge carries a shape and a word, so a
colour-blind reader, a monochrome terminal and a printed screenshot all read the same.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text

from store.dates import format_date
from store.vocab import BRAG_MEANING, GAP_KINDS

# Shape, word and colour per BRAG status (colours chosen to read on dark and light themes).
BRAG_STYLE: dict[str, tuple[str, str, str]] = {
    "blue": ("◆", "Blue", "bold #4a90e2"),
    "green": ("●", "Green", "bold #2ea043"),
    "amber": ("▲", "Amber", "bold #d29922"),
    "red": ("■", "Red", "bold #e5534b"),
}
NO_BRAG = ("○", "No BRAG", "dim")

# Short labels for gap kinds (store.gaps.GAP_KINDS has the sentence forms).
GAP_SHORT = {
    "no_action": "No action",
    "no_evidence": "No evidence",
    "overdue": "Overdue",
    "stale": "Out of date",
    "missing": "File missing",
}
GAP_STYLE = "bold #e5534b"
OVERDUE_STYLE = "bold #e5534b"
DUE_TODAY_STYLE = "bold #d29922"


def brag_badge(brag: str | None) -> Text:
    """A BRAG status as shape + word in its colour, e.g. ``■ Red``."""
    given = (brag or "").strip()
    symbol, word, style = BRAG_STYLE.get(given.lower(), NO_BRAG)
    if given and given.lower() not in BRAG_STYLE:
        word = given  # an unknown status is still shown, as typed
    return Text(f"{symbol} {word}", style=style)


def brag_meaning(brag: str) -> str:
    """What a BRAG status means in the council's trackers ("off track" for red)."""
    return BRAG_MEANING.get(brag, "")


def gap_label(kind: str) -> Text:
    """A gap kind (a key of ``store.gaps.GAP_KINDS``) as a warning label, e.g. ``⚠ No action``."""
    word = GAP_SHORT.get(kind) or GAP_KINDS.get(kind) or kind.replace("_", " ").capitalize()
    return Text(f"⚠ {word}", style=GAP_STYLE)


def due_text(due: date | None, today: date, *, done: bool = False) -> Text:
    """A due date as every screen writes one (``28 Sep 2018``); past and not ``done`` it says
    how overdue, in red and words."""
    if due is None:
        return Text("no due date", style="dim")
    shown = format_date(due)
    if done:
        return Text(shown)
    days = (today - due).days
    if days > 0:
        return Text(f"{shown} ⚠ overdue {days}d", style=OVERDUE_STYLE)
    if days == 0:
        return Text(f"{shown} due today", style=DUE_TODAY_STYLE)
    return Text(shown)


def short_owner(owner: str, width: int) -> str:
    """An owner that fits ``width``: a long role before a dash goes to its initials.

    ``Head of Service – Children in Care`` → ``HoS – Children in Care``, so owners that
    differ only after the dash stop looking alike ("Head of Service –…") in a narrow column.
    """
    if len(owner) <= width:
        return owner
    for dash in (" – ", " — ", " - "):
        role, found, team = owner.partition(dash)
        words = role.split()
        if found and len(words) > 1 and team.strip():
            initials = "".join(w if w.isupper() else w[0] for w in words)
            return f"{initials}{dash}{team.strip()}"
    return owner
