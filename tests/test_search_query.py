"""What a lead types into search, read as they meant it: plural filter values, lists with
a stray comma, and a plain query that asks for no filter at all.

(Each test here kills a mutant the mutation run found surviving; see tests/mutation.md.)
"""

from __future__ import annotations

from store.search import Query, parse_query


def test_a_plural_filter_value_names_the_same_kind_and_brag() -> None:
    parsed = parse_query("kind:findings,actions brag:reds audit")
    assert parsed.kinds == ("finding", "action")
    assert parsed.brags == ("red",)
    assert parsed.words == ("audit",)


def test_an_empty_item_in_a_filter_list_is_skipped_not_the_end_of_it() -> None:
    # "kind:,action" or "kind:finding,,evidence": a stray comma while typing.
    assert parse_query("kind:,action").kinds == ("action",)
    assert parse_query("kind:finding,,evidence").kinds == ("finding", "evidence")


def test_a_query_without_filters_asks_for_none_not_even_overdue() -> None:
    parsed = parse_query("return home")
    assert parsed == Query(words=("return", "home"))
    assert parsed.overdue is False and not parsed.has_filters


def test_is_overdue_and_its_start_ask_for_overdue_actions() -> None:
    for typed in ("is:overdue audit", "is:Over audit", "IS:OVERDUE audit"):
        parsed = parse_query(typed)
        assert parsed.overdue is True, typed
        assert parsed.words == ("audit",), typed
    # Only is:overdue is known: anything else after is: is searched as the words typed.
    unknown = parse_query("is:done audit")
    assert unknown.overdue is False and unknown.words == ("is:done", "audit")


def test_a_filter_with_nothing_after_it_yet_leaves_the_rest_of_the_query() -> None:
    # "kind:" while the value is still to be typed, then more words.
    parsed = parse_query("kind: return home")
    assert parsed.words == ("return", "home") and parsed.kinds == ()


def test_a_closing_quote_finishes_the_last_word() -> None:
    # A word still being typed also matches longer words; one closed by a quote does not.
    assert parse_query('"audit"').last_word_partial is False
    assert parse_query('"audit').last_word_partial is True
    assert parse_query("audit").last_word_partial is True
    assert parse_query("audit ").last_word_partial is False
