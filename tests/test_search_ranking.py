"""The order of a whole page of results, not just its top hit.

A lead reads down the list, so the tenth line matters as much as the first. Each corpus
here is judged by a person before the engine sees it, in tiers a lead would agree with:
a record that says the word in its title, then one that says it in its text, then one
that only has a misspelling of it. Within a tier any order is right; across tiers, the
order is the rule. (Sorting the results weakest first once passed every other test.)
"""

from __future__ import annotations

from itertools import count

import pytest

from store.search import SearchDoc, SearchHit, SearchIndex

_ids = count(1)


def doc(title: str, body: str = "") -> SearchDoc:
    return SearchDoc("finding", next(_ids), title, body)


# --- one word -------------------------------------------------------------------------

SAYS_IT_IN_THE_TITLE = [
    doc("Supervision is not regular", "Managers meet staff less than monthly."),
    doc("Reflective supervision for practitioners", "Group sessions are planned."),
    doc("Quality of management supervision", "Records are brief."),
    doc("Supervision and caseloads", "Supervision is monthly; it is in the text too."),
]
SAYS_IT_IN_THE_TEXT = [
    doc("Management oversight", "Oversight and supervision are not recorded on the file."),
    doc("Caseloads", "High caseloads leave little time for supervision."),
    doc("Newly qualified social workers", "Their supervision is protected."),
    doc("Front door", "Decisions in the MASH are made without supervision notes."),
    doc("Workforce", "Agency staff receive supervision from their own agencies."),
    doc("Audit findings", "Audits found supervision did not challenge drift."),
    doc("Private fostering", "Arrangements lack supervision by a manager."),
]
ONLY_A_MISSPELLING = [
    doc("Team meetings", "Notes mention supervison once."),
    doc("Practice week", "Superivsion was discussed at the practice week."),
]
UNRELATED = [
    doc("Return home interviews", "Offered to every child who goes missing."),
    doc("Care leavers", "Staying put is offered to every care leaver."),
]
ONE_WORD_TIERS = [SAYS_IT_IN_THE_TITLE, SAYS_IT_IN_THE_TEXT, ONLY_A_MISSPELLING]


def tiers_of(hits: list[SearchHit], tiers: list[list[SearchDoc]]) -> list[int]:
    """The judged tier of each hit, in the order the engine gave them."""
    tier = {d.id: n for n, docs in enumerate(tiers) for d in docs}
    return [tier[hit.id] for hit in hits]


@pytest.fixture(scope="module")
def one_word() -> SearchIndex:
    # Built weakest first, so an engine that kept the order it was given would fail.
    corpus = [*UNRELATED, *ONLY_A_MISSPELLING, *SAYS_IT_IN_THE_TEXT, *SAYS_IT_IN_THE_TITLE]
    return SearchIndex.build(corpus)


@pytest.mark.parametrize("query", ["supervision", "supervision ", "Supervision"])
def test_one_word_puts_the_title_mentions_then_the_text_mentions_in_the_top_ten(
    one_word: SearchIndex, query: str
) -> None:
    top = one_word.search(query, limit=10)
    assert tiers_of(top, ONE_WORD_TIERS) == [0] * 4 + [1] * 6
    assert {h.id for h in top[:4]} == {d.id for d in SAYS_IT_IN_THE_TITLE}


def test_one_word_ranks_every_match_title_then_text_then_misspelling(
    one_word: SearchIndex,
) -> None:
    every = one_word.search("supervision ", limit=50)
    assert tiers_of(every, ONE_WORD_TIERS) == [0] * 4 + [1] * 7 + [2] * 2
    assert [h.score for h in every] == sorted((h.score for h in every), reverse=True)


# --- two words, no record with both ---------------------------------------------------

TITLE_HAS_ONE = [
    doc("Caseloads are too high", "Some teams hold more than twenty children each."),
    doc("Supervision is infrequent", "Monthly at best."),
]
TEXT_HAS_ONE = [
    doc("Workforce stability", "Caseloads rose when agency staff left."),
    doc("Management oversight", "Supervision records are short."),
    doc("Front door", "Caseloads in the MASH are monitored weekly."),
    doc("Assessment", "Supervision challenges drift in assessments."),
    doc("Children in care", "Reviews note caseloads but not plans."),
    doc("Care leavers", "Personal advisers value supervision."),
    doc("Disabled children", "Caseloads are lower in this team."),
    doc("Private fostering", "Supervision of arrangements is weak."),
    doc("PLO", "Caseloads delay letters before proceedings."),
]
MISSPELLS_ONE = [
    doc("Practice week", "Superivsion came up at practice week."),
    doc("Team meetings", "Caseloeds were discussed."),
]
NO_FULL_MATCH_TIERS = [TITLE_HAS_ONE, TEXT_HAS_ONE, MISSPELLS_ONE]


@pytest.fixture(scope="module")
def two_words() -> SearchIndex:
    corpus = [*UNRELATED, *MISSPELLS_ONE, *TEXT_HAS_ONE, *TITLE_HAS_ONE]
    return SearchIndex.build(corpus)


def test_two_words_no_record_has_both_title_mentions_first_then_text_in_the_top_ten(
    two_words: SearchIndex,
) -> None:
    top = two_words.search("caseloads supervision ", limit=10)
    assert tiers_of(top, NO_FULL_MATCH_TIERS) == [0] * 2 + [1] * 8
    every = two_words.search("caseloads supervision ", limit=50)
    assert tiers_of(every, NO_FULL_MATCH_TIERS) == [0] * 2 + [1] * 9 + [2] * 2
