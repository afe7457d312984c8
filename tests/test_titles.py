"""Short titles keep the sense (issue 19.7): a report's findings and a plan's actions share
one rule (store.titles.short_title)."""

from __future__ import annotations

from store.importers.plan_cells import split_title
from store.importers.report_read import short_title as finding_title
from store.titles import short_title


def test_a_title_never_ends_mid_phrase_at_a_comma() -> None:
    # Cut at the first comma these lost their meaning ("... leads to clear").
    decision = (
        "Ensure that management decision making is effective and leads to clear, timely and "
        "well-recorded plans for every child who needs one."
    )
    assert short_title(decision) == (
        "Ensure that management decision making is effective and leads to clear, timely…"
    )
    oversight = (
        "Ensure that the oversight of practice by all operational directors, heads of service, "
        "team managers and independent reviewing officers is effective."
    )
    assert short_title(oversight) == (
        "Ensure that the oversight of practice by all operational directors, heads…"
    )


def test_a_title_ends_at_a_clause_that_keeps_the_sense() -> None:
    letters = (
        "Improve the quality of letters before care proceedings, ensuring that they stipulate "
        "clearly what is expected of parents and professionals."
    )
    assert short_title(letters) == "Improve the quality of letters before care proceedings"
    assert short_title("Pathways to private fostering.") == "Pathways to private fostering"


def test_the_report_and_the_plan_use_the_one_rule() -> None:
    text = (
        "Ensure that management decision making is effective and leads to clear, timely and "
        "well-recorded plans for every child who needs one, reviewed at least monthly by a "
        "team manager and escalated when a plan drifts"
    )
    assert finding_title(text) == short_title(text, 80)
    title, description = split_title(text)
    assert title == short_title(text, 160) and description == text
