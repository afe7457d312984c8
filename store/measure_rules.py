"""Performance measures as plain records, and the rules that judge them: BRAG against the
target and the direction since the last period (no database here).

BRAG for a measure (the board's scorecard colours, judged against the target):

- **Green**: the latest value meets the target (at or above it when higher is better, at or
  below it when lower is better);
- **Amber**: it misses the target by no more than the amber tolerance (in the measure's own
  unit: a tolerance of 5 on a % measure means within 5 percentage points);
- **Red**: it misses the target by more than the tolerance.

There is no Blue: Blue means "complete" for an action, and a measure is never complete. A
measure with no target, or no value yet, has no BRAG (``""``).

The direction compares the latest value with the one before it and says whether that is
**better** or **worse** by the measure's polarity (re-referrals going down is better), or the
**same**; ``""`` when there is no earlier value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

from store.errors import ValidationError

UNITS = ("%", "number", "days", "rate per 10,000")
UNIT_ALIASES = {
    "percent": "%", "percentage": "%", "pct": "%", "per cent": "%",
    "no": "number", "no.": "number", "count": "number", "num": "number", "n": "number",
    "day": "days", "working days": "days",
    "rate": "rate per 10,000", "per 10,000": "rate per 10,000", "per 10000": "rate per 10,000",
    "rate per 10000": "rate per 10,000", "rate per 10k": "rate per 10,000",
}  # fmt: skip
POLARITIES = ("higher", "lower")
POLARITY_ALIASES = {
    "higher is better": "higher", "high": "higher", "up": "higher", "bigger": "higher",
    "higher better": "higher", "increase": "higher", "good is high": "higher",
    "lower is better": "lower", "low": "lower", "down": "lower", "smaller": "lower",
    "lower better": "lower", "decrease": "lower", "good is low": "lower",
}  # fmt: skip
DIRECTIONS = ("better", "worse", "same")
# How many of the latest values a list row carries for its sparkline.
RECENT = 12


@dataclass(frozen=True, slots=True)
class MeasureValue:
    id: int
    measure_id: int
    period: date
    label: str  # "Apr 2018" or "Q1 2018/19"
    value: float
    note: str
    entered_by: str
    entered_at: datetime | None


@dataclass(frozen=True, slots=True)
class Measure:
    id: int
    ref: str
    name: str
    theme_id: int | None
    theme: str
    unit: str
    polarity: str
    target: float | None
    tolerance: float
    england: float | None
    neighbours: float | None
    comparator_year: str
    owner: str
    frequency: str
    definition: str
    latest: MeasureValue | None = None
    previous: MeasureValue | None = None
    brag: str = ""
    direction: str = ""
    # The last RECENT values, oldest first: the list's sparkline.
    recent: tuple[float, ...] = field(default=())
    value_count: int = 0
    finding_count: int = 0
    action_count: int = 0
    # Its version when read: give it back as expected_version= to refuse a stale save.
    version: int = 0

    @property
    def off_target(self) -> bool:
        """Amber or Red: the latest value misses its target."""
        return self.brag in ("amber", "red")


def judge_brag(value: float | None, target: float | None, tolerance: float, polarity: str) -> str:
    """Green, amber or red against the target (see the module's rules); "" when unjudged."""
    if value is None or target is None:
        return ""
    shortfall = (target - value) if polarity == "higher" else (value - target)
    if shortfall <= 1e-9:
        return "green"
    if shortfall <= tolerance + 1e-9:
        return "amber"
    return "red"


def judge_direction(latest: float | None, previous: float | None, polarity: str) -> str:
    """Better, worse or the same since the period before, by the measure's polarity."""
    if latest is None or previous is None:
        return ""
    if math.isclose(latest, previous, abs_tol=1e-9):
        return "same"
    up = latest > previous
    return "better" if up == (polarity == "higher") else "worse"


def format_number(value: float | None, unit: str = "") -> str:
    """``89%``, ``17.5``, ``1,204``, ``41 days``, ``412.3`` (a rate per 10,000); "" for none."""
    if value is None:
        return ""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if unit == "%":
        return f"{text}%"
    if unit == "days":
        return f"{text} days" if text != "1" else "1 day"
    return text


def unit_label(unit: str) -> str:
    return {"%": "%", "number": "number", "days": "days"}.get(unit, unit)


def parse_number(value: object, field: str, unit: str) -> float | None:
    """A value typed or read from a cell: ``89``, ``"89%"``, ``"1,204"``, ``0.89`` stays 0.89.
    Blank and ``n/a`` give ``None`` (no value). Checked against the unit's range."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        raw = " ".join(str(value).split()).lower()
        if raw in ("", "n/a", "na", "n.a.", "-", "–", "—", "..", "x", "not available", "tbc"):
            return None
        cleaned = raw.replace(",", "").removesuffix("%").strip()
        for suffix in (" days", " day", "days", "day"):
            cleaned = cleaned.removesuffix(suffix).strip()
        try:
            number = float(cleaned)
        except ValueError:
            raise ValidationError(field, f"'{value}' is not a number.") from None
    check_range(number, field, unit)
    return number


def check_range(number: float, field: str, unit: str) -> None:
    label = field.replace("_", " ")
    if not math.isfinite(number):
        raise ValidationError(field, f"The {label} must be a number.")
    if number < 0:
        raise ValidationError(field, f"The {label} cannot be below zero ({format_number(number)}).")
    if unit == "%" and number > 100:
        raise ValidationError(
            field, f"The {label} is a percentage: it must be 0 to 100, not {format_number(number)}."
        )


_BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: tuple[float, ...] | list[float], floor: float | None = None) -> str:
    """A row of block characters, one per value (``▁▂▃▅▇``): the trend in a table cell or
    a Markdown checklist. Scaled from the lowest value (or ``floor``) to the highest; a
    flat run is drawn at mid height."""
    if not values:
        return ""
    low = min(values) if floor is None else min(floor, *values)
    high = max(values)
    if math.isclose(high, low):
        return _BLOCKS[3] * len(values)
    steps = len(_BLOCKS) - 1
    return "".join(_BLOCKS[round((v - low) / (high - low) * steps)] for v in values)
