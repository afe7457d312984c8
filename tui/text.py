"""User text made safe to show: escape codes and control characters become visible symbols.

Everything a user (or an imported report) typed is data, never markup and never terminal
control. Screens build rich ``Text`` from :func:`safe` strings (``Text`` never parses
markup), so ``[bold]x[/]`` shows as typed and ``\\x1b[31m`` shows as ``␛[31m``.
"""

from __future__ import annotations

from rich.text import Text

# Each dangerous character maps to ONE visible character, so offsets into the text
# (search highlight spans) stay right after it is made safe.
_VISIBLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟
_VISIBLE[0x7F] = "\u2421"  # ␡
_VISIBLE.update({code: "\ufffd" for code in range(0x80, 0xA0)})  # C1 controls (incl. CSI)
# Characters that reorder or break lines in a terminal without being seen ("Trojan source").
_VISIBLE.update(
    {code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)}
)
_KEEP_LINES = {**_VISIBLE}
del _KEEP_LINES[0x0A]
_KEEP_LINES[0x09] = " "


def safe(value: object, *, keep_lines: bool = False) -> str:
    """``value`` as a string with every control character replaced by a visible one.

    C0 controls (ESC included) become their Unicode "control picture" (``␛``), DEL ``␡``,
    C1 controls and invisible direction overrides ``�``. With ``keep_lines`` a newline
    stays a newline and a tab becomes a space (for multi-line text such as a finding's
    verbatim wording); a carriage return is still made visible.
    """
    text = "" if value is None else str(value)
    return text.translate(_KEEP_LINES if keep_lines else _VISIBLE)


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
    text = f"{days} day{'s' if days != 1 else ''}"
    months = round(days / (365 / 12))
    if days >= 365 and days % 365 == 0:
        years = days // 365
        text += f" ({years} year{'s' if years != 1 else ''})"
    elif days >= 28 and abs(days - months * 365 / 12) < 1:
        text += f" (about {months} month{'s' if months != 1 else ''})"
    elif days % 7 == 0 and days >= 14:
        text += f" ({days // 7} weeks)"
    return text
