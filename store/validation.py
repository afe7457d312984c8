"""The one place where values for a record are checked and normalised before they are written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from store.dates import parse_date
from store.errors import ValidationError
from store.wording import plural

MAX_TITLE = 300
MAX_TEXT = 20_000


def text(value: Any, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """Strip a text value; refuse a blank required one and anything too long."""
    cleaned = "" if value is None else str(value).strip()
    if required and not cleaned:
        raise ValidationError(field, f"The {_label(field)} cannot be empty.")
    if len(cleaned) > limit:
        raise ValidationError(
            field, f"The {_label(field)} is too long ({len(cleaned)} characters; at most {limit})."
        )
    return cleaned


def title(value: Any, field: str = "title") -> str:
    """A one-line title: required, line breaks folded to spaces."""
    return " ".join(text(value, field, required=True, limit=MAX_TITLE).split())


def choice(value: Any, field: str, options: Iterable[str], *, default: str | None = None) -> str:
    """One of a fixed vocabulary, matched without regard to case."""
    options = tuple(options)
    raw = "" if value is None else " ".join(str(value).strip().split())
    if not raw and default is not None:
        return default
    for option in options:
        if option.lower() == raw.lower():
            return option
    raise ValidationError(
        field, f"'{raw}' is not a {_label(field)}. Choose one of: {', '.join(options)}."
    )


def brag(value: Any, field: str = "brag", *, default: str | None = None) -> str:
    """A BRAG status: blue, red, amber or green, or a tracker's word for one (B/R/A/G,
    'complete', 'on track', 'at risk', 'off track'...: :data:`store.vocab.BRAG_WORDS`)."""
    from store.vocab import BRAG, BRAG_WORDS

    raw = " ".join(("" if value is None else str(value)).split()).lower()
    raw = BRAG_WORDS.get(raw, raw)
    return choice(raw, field, BRAG, default=default)


def optional_date(value: Any, field: str) -> date | None:
    return parse_date(value, field)


def required_date(value: Any, field: str) -> date:
    parsed = parse_date(value, field)
    if parsed is None:
        raise ValidationError(field, f"The {_label(field)} is required.")
    return parsed


def flag(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    raw = "" if value is None else str(value).strip().lower()
    if raw in ("", "0", "no", "n", "false", "off"):
        return False
    if raw in ("1", "yes", "y", "true", "on"):
        return True
    raise ValidationError(field, f"'{value}' is not yes or no.")


def unknown_fields(changes: Mapping[str, Any], allowed: Iterable[str], kind: str) -> None:
    extra = sorted(set(changes) - set(allowed))
    if extra:
        raise ValidationError(extra[0], f"A {kind} has no field '{extra[0]}'.")


def date_order(start: date | None, end: date | None, field: str, message: str) -> None:
    if start and end and end < start:
        raise ValidationError(field, message)


def _label(field: str) -> str:
    return field.replace("_", " ")


def due_date_warning(due: date | None, today: date) -> str | None:
    """A one-line warning for a due date that is probably a typo, or ``None``.

    A due date in the past, or more than two years ahead, is allowed (plans do carry
    late and long actions) but is usually a mistyped year: forms ask the user to
    save again to confirm it, and the plan import's dry run lists it.
    """
    from store.dates import format_date

    if due is None:
        return None
    if due < today:
        days = (today - due).days
        return f"{format_date(due)} is in the past ({plural(days, 'day')} ago)."
    try:
        limit = today.replace(year=today.year + 2)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year + 2, day=28)
    if due > limit:
        return f"{format_date(due)} is more than two years ahead."
    return None
