"""User text made safe to show: escape codes and control characters become visible symbols.

Everything a user (or an imported report) typed is data, never markup and never terminal
control. Screens build rich ``Text`` from :func:`safe` strings (``Text`` never parses
markup), so ``[bold]x[/]`` shows as typed and ``\\x1b[31m`` shows as ``␛[31m``.
"""

from __future__ import annotations

from rich.text import Text

from store.wording import plural
from tui.terminal import neutral


def safe(value: object, *, keep_lines: bool = False) -> str:
    """``value`` as a string with every control character replaced by a visible one: the
    one rule of :func:`tui.terminal.neutral`, which every command's output follows too.

    C0 controls (ESC included) become their Unicode "control picture" (``␛``), DEL ``␡``,
    C1 controls, direction overrides and zero-width characters ``�``. With ``keep_lines``
    a newline stays a newline and a tab becomes a space (for multi-line text such as a
    finding's verbatim wording); a carriage return is still made visible.
    """
    return neutral(value, keep_lines=keep_lines)


def plain(value: object, style: str = "", *, keep_lines: bool = False) -> Text:
    """User text as a rich ``Text`` (never parsed as markup), made :func:`safe`."""
    return Text(safe(value, keep_lines=keep_lines), style=style)


def error_message(error: BaseException | None, doing: str = "") -> str:
    """One clear sentence for the user: a store error's own words, else what failed and why."""
    from store.errors import StoreError

    if isinstance(error, StoreError):
        return safe(error.message)
    what = f"Something went wrong while {doing}" if doing else "Something went wrong"
    if error is None:
        return f"{what}."
    detail = str(error).strip().rstrip(".")
    reason = f"{detail} ({type(error).__name__})" if detail else type(error).__name__
    return safe(f"{what}: {reason}.")


def describe_age(days: int) -> str:
    """``183 days (about 6 months)`` for a lead reading it back."""
    text = plural(days, "day")
    months = round(days / (365 / 12))
    if days >= 365 and days % 365 == 0:
        years = days // 365
        text += f" ({plural(years, 'year')})"
    elif days >= 28 and abs(days - months * 365 / 12) < 1:
        text += f" (about {plural(months, 'month')})"
    elif days % 7 == 0 and days >= 14:
        text += f" ({days // 7} weeks)"
    return text
