"""How counts and days read in a sentence, the same on every screen, command and document."""

from __future__ import annotations


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 action``, ``3 actions``; ``words`` for a plural that is not ``word`` + s."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def countdown(days: int, *, since: str = "") -> str:
    """Days to a visit in words: ``today``, ``in 1 day``, ``in 12 days``, ``3 days ago``.

    ``since`` goes before a past count (``since="started "``: ``started 3 days ago``)."""
    if days == 0:
        return "today"
    if days > 0:
        return f"in {plural(days, 'day')}"
    return f"{since}{plural(-days, 'day')} ago"
