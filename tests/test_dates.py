"""Dates are typed the way UK officers write them, and a wrong one says how to write it."""

from __future__ import annotations

from datetime import date

import pytest

from store.dates import format_date, parse_date
from store.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("31/01/2018", date(2018, 1, 31)),
        ("31/1/18", date(2018, 1, 31)),
        ("31-01-2018", date(2018, 1, 31)),
        ("31.01.2018", date(2018, 1, 31)),
        ("2018-01-31", date(2018, 1, 31)),
        ("31 Jan 2018", date(2018, 1, 31)),
        ("31st January 2018", date(2018, 1, 31)),
        ("Jan 2018", date(2018, 1, 31)),
        ("end of March 2018", date(2018, 3, 31)),
        ("By end of Sept 2018", date(2018, 9, 30)),
        ("start of March 2018", date(2018, 3, 1)),
        ("February 2020", date(2020, 2, 29)),
        ("  ", None),
        (None, None),
    ],
)
def test_uk_dates_are_understood(typed: str | None, meant: date | None) -> None:
    assert parse_date(typed) == meant


@pytest.mark.parametrize(
    "typed", ["31/02/2018", "13/13/2018", "next week", "Q1 2018", "01/31/2018"]
)
def test_a_wrong_date_names_the_field_and_shows_the_format(typed: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_date(typed, "due_date")
    assert error.value.field == "due_date"
    assert "31/01/2018" in error.value.message


def test_dates_are_shown_in_the_uk_short_form() -> None:
    assert format_date(date(2018, 1, 5)) == "5 Jan 2018"
    assert format_date(None) == ""
