"""Dates as council officers write them: ``31/01/2018``, ``31 Jan 2018``, ``end of March 2018``.

One parser for forms, the command line and the plan importer, so a date means the same
thing wherever it is typed.
"""

from __future__ import annotations

import calendar
import functools
import os
import re
from datetime import date, datetime

from store.errors import ValidationError

_MONTHS = {
    name.lower(): index
    for index in range(1, 13)
    for name in (calendar.month_name[index], calendar.month_abbr[index])
}
_MONTHS["sept"] = 9

_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(
    r"^(?:(end|by end|by the end|the end|start|beginning)\s+(?:of\s+)?)?([a-z]+)\.?\s+(\d{2}|\d{4})$"
)

DATE_HINT = "Use a date like 31/01/2018, 31 Jan 2018, 2018-01-31 or end of March 2018."


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _make(year: int, month: int, day: int, original: str, field: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(field, f"'{original}' is not a real date. {DATE_HINT}") from None


def parse_date(value: object, field: str = "date") -> date | None:
    """Read a date the way a UK user writes it; ``None`` or blank gives ``None``.

    A month on its own (``Jan 2018``, ``end of March 2018``) means the last day of that
    month, because in a plan it is a deadline; ``start of March 2018`` means the first.
    Raises :class:`ValidationError` naming ``field`` for anything else.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = " ".join(str(value).strip().lower().split())
    if not text:
        return None
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
        return _make(year, month, day, str(value), field)
    if match := _NUMERIC.match(text):
        day, month = int(match.group(1)), int(match.group(2))
        return _make(_year(match.group(3)), month, day, str(value), field)
    if (match := _DAY_MONTH_YEAR.match(text)) and match.group(2) in _MONTHS:
        return _make(
            int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)), str(value), field
        )
    if (match := _MONTH_YEAR.match(text)) and match.group(2) in _MONTHS:
        year, month = _year(match.group(3)), _MONTHS[match.group(2)]
        start = (match.group(1) or "").startswith(("start", "beginning"))
        day = 1 if start else calendar.monthrange(year, month)[1]
        return _make(year, month, day, str(value), field)
    raise ValidationError(field, f"'{value}' is not a date. {DATE_HINT}")


@functools.lru_cache(maxsize=4096)  # an export formats the same few hundred days 15,000 times
def format_date(value: date | None) -> str:
    """The UK short form used on screens and in the checklist: ``31 Jan 2018``."""
    return value.strftime("%-d %b %Y") if value else ""


# What a progress note whose date the plan never gave says in place of one (never today).
DATE_NOT_GIVEN = "date not given"


def update_date_text(value: date | None) -> str:
    """A progress note's date as every screen and export says it: ``31 Jan 2018``, or
    "date not given" for a note the plan spreadsheet did not date."""
    return format_date(value) if value else DATE_NOT_GIVEN


def today_from_env() -> date | None:
    """The fixed "today" from ``VISITPREP_TODAY``, if set (tests, screenshots, demos)."""
    raw = os.environ.get("VISITPREP_TODAY", "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw, "VISITPREP_TODAY")
    except ValidationError:
        raise ValidationError(
            "VISITPREP_TODAY", f"VISITPREP_TODAY='{raw}' is not a date; use a date like 2018-01-20."
        ) from None
