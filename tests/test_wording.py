"""Counts and days read as a person says them, wherever the app says them."""

from __future__ import annotations

from datetime import date

import pytest

from store.export.document import visit_countdown
from store.wording import countdown, plural


@pytest.mark.parametrize(
    ("count", "said"), [(0, "0 actions"), (1, "1 action"), (2, "2 actions"), (-1, "-1 actions")]
)
def test_one_is_singular_and_every_other_count_plural(count: int, said: str) -> None:
    assert plural(count, "action") == said


def test_an_irregular_plural_is_given() -> None:
    assert (plural(1, "child", "children"), plural(3, "child", "children")) == (
        "1 child",
        "3 children",
    )


@pytest.mark.parametrize(
    ("days", "said"),
    [(0, "today"), (1, "in 1 day"), (12, "in 12 days"), (-1, "1 day ago"), (-3, "3 days ago")],
)
def test_days_to_a_visit_read_as_said(days: int, said: str) -> None:
    assert countdown(days) == said


def test_a_visit_under_way_says_when_it_started() -> None:
    assert countdown(-3, since="started ") == "started 3 days ago"
    assert countdown(0, since="started ") == "today"


def test_a_visit_seen_from_a_document_starts_today_or_started_days_ago() -> None:
    start = date(2019, 1, 31)
    said = [visit_countdown(start, date(2019, 1, day)) for day in (30, 31)]
    said.append(visit_countdown(start, date(2019, 2, 2)))
    assert said == ["in 1 day", "starts today", "started 2 days ago"]
