"""Periods of a performance measure: a month or a financial-year quarter, written the ways
councils write them on a scorecard.

A period is kept as the first day of its month or quarter. Quarters are the financial
year's, as every council reports them: Q1 is April to June, Q4 is January to March of the
next calendar year ("Q1 2018/19" starts on 1 April 2018, "Q4 2018/19" on 1 January 2019).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from store.errors import ValidationError

MONTHLY = "monthly"
QUARTERLY = "quarterly"
FREQUENCIES = (MONTHLY, QUARTERLY)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}  # fmt: skip
_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# "Apr-18", "Apr 2018", "April 2018", "apr/18"
_MONTH_NAME = re.compile(r"([a-z]+)\.?[\s\-/']*(\d{2}|\d{4})")
# "2018-04", "2018/04", "04/2018", "4-2018"
_YEAR_MONTH = re.compile(r"(\d{4})[\-/.](\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[\-/.](\d{4})")
# "Q1 2018/19", "Q3 18-19", "Q1 2018-2019", "2018/19 Q1", "Qtr 2 2018/19", "Quarter 1 2018/19"
_YEARS = r"(\d{2}|\d{4})\s*[\-/]\s*(\d{2}|\d{4})"
_QUARTER = r"q(?:tr|uarter)?\s*([1-4])"
_QUARTER_FIRST = re.compile(_QUARTER + r"[\s,]*(?:fy\s*)?" + _YEARS)
_YEARS_FIRST = re.compile(r"(?:fy\s*)?" + _YEARS + r"[\s,\-]*" + _QUARTER)


def _year(text: str) -> int:
    number = int(text)
    return 2000 + number if len(text) == 2 else number


def parse_period(value: object, field: str = "period") -> tuple[date, str]:
    """The first day of the period and whether it is a month or a quarter.

    Raises :class:`ValidationError` saying which forms are understood.
    """
    if isinstance(value, datetime):
        return date(value.year, value.month, 1), MONTHLY
    if isinstance(value, date):
        return date(value.year, value.month, 1), MONTHLY
    raw = " ".join(str(value if value is not None else "").split()).lower()
    if not raw:
        raise ValidationError(field, "The period is missing: give a month or a quarter.")
    found = _QUARTER_FIRST.fullmatch(raw)
    if found:
        quarter, first, second = found.groups()
    else:
        found = _YEARS_FIRST.fullmatch(raw)
        if found:
            first, second, quarter = found.groups()
    if found:
        start, end = _year(first), _year(second)
        if end != start + 1:
            raise ValidationError(
                field, f"'{value}' is not a financial year: write it like Q1 2018/19."
            )
        number = int(quarter)
        return (date(start + 1, 1, 1) if number == 4 else date(start, 3 * number + 1, 1)), QUARTERLY
    month = year = None
    if found := _MONTH_NAME.fullmatch(raw):
        month, year = _MONTHS.get(found.group(1)), _year(found.group(2))
    elif found := _YEAR_MONTH.fullmatch(raw):
        year, month = int(found.group(1)), int(found.group(2))
    elif found := _MONTH_YEAR.fullmatch(raw):
        month, year = int(found.group(1)), int(found.group(2))
    if month is not None and year is not None and 1 <= month <= 12 and 1900 <= year <= 2200:
        return date(year, month, 1), MONTHLY
    raise ValidationError(
        field,
        f"'{value}' is not a period: write a month (Apr-18, April 2018, 2018-04) "
        "or a quarter (Q1 2018/19, Q3 18-19).",
    )


def period_for(value: object, frequency: str, field: str = "period") -> date:
    """A period for a measure of this frequency: a quarterly measure takes quarters only,
    a monthly one months only."""
    start, kind = parse_period(value, field)
    if kind != frequency:
        if frequency == QUARTERLY:
            raise ValidationError(
                field, f"'{value}' is a month; this measure is quarterly: write Q1 2018/19."
            )
        raise ValidationError(
            field, f"'{value}' is a quarter; this measure is monthly: write a month, Apr-18."
        )
    return start


def quarter_of(start: date) -> tuple[int, int]:
    """(quarter number, first calendar year of its financial year)."""
    if start.month < 4:
        return 4, start.year - 1
    return (start.month - 4) // 3 + 1, start.year


def period_label(start: date, frequency: str) -> str:
    """``Apr 2018`` or ``Q1 2018/19``."""
    if frequency == QUARTERLY:
        number, year = quarter_of(start)
        return f"Q{number} {year}/{(year + 1) % 100:02d}"
    return f"{_SHORT[start.month - 1]} {start.year}"


def short_label(start: date, frequency: str) -> str:
    """``Apr 18`` or ``Q1 18/19``: an axis label."""
    if frequency == QUARTERLY:
        number, year = quarter_of(start)
        return f"Q{number} {year % 100:02d}/{(year + 1) % 100:02d}"
    return f"{_SHORT[start.month - 1]} {start.year % 100:02d}"


def iso_period(start: date, frequency: str) -> str:
    """A period as machine-readable text: ``2018-04`` or ``2018/19-Q1``."""
    if frequency == QUARTERLY:
        number, year = quarter_of(start)
        return f"{year}/{(year + 1) % 100:02d}-Q{number}"
    return f"{start.year}-{start.month:02d}"


def next_period(start: date, frequency: str) -> date:
    step = 3 if frequency == QUARTERLY else 1
    month = start.month - 1 + step
    return date(start.year + month // 12, month % 12 + 1, 1)
