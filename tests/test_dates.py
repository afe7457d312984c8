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
        ("beginning of March 2018", date(2018, 3, 1)),  # the first, as "start of" is
        ("Beginning March 18", date(2018, 3, 1)),
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


def test_a_wrong_date_with_no_field_named_is_said_to_be_the_date() -> None:
    with pytest.raises(ValidationError) as error:
        parse_date("31/02/2018")
    assert error.value.field == "date"


def test_dates_are_shown_in_the_uk_short_form() -> None:
    assert format_date(date(2018, 1, 5)) == "5 Jan 2018"
    assert format_date(None) == ""


def test_a_due_date_typed_a_year_early_or_far_ahead_is_warned_about_and_a_sane_one_is_not():
    from store import due_date_warning

    today = date(2019, 1, 21)
    # The lead meant 31/01/2019 and typed 2018: the action would be born overdue.
    warning = due_date_warning(parse_date("31/01/2018"), today)
    assert warning is not None
    assert "31 Jan 2018" in warning and "355 days ago" in warning
    assert "\n" not in warning
    assert due_date_warning(date(2021, 1, 22), today) == "22 Jan 2021 is more than two years ahead."
    for fine in (today, date(2019, 1, 31), date(2021, 1, 21), None):
        assert due_date_warning(fine, today) is None
    # A leap day's "two years on" is the 28th, not an error.
    assert due_date_warning(date(2022, 3, 1), date(2020, 2, 29)) is not None
    assert due_date_warning(date(2022, 2, 28), date(2020, 2, 29)) is None


@pytest.mark.parametrize("typed", ["2018-02-30", "30/02/2018", "30 Feb 2018", "30th February 2018"])
def test_a_date_that_does_not_exist_is_refused_in_the_words_typed(typed: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_date(typed, "due_date")
    assert error.value.field == "due_date"
    assert error.value.message.startswith(f"'{typed}' is not a real date.")
