"""Search: a lead types with typos and abbreviations and finds the findings, actions and
evidence that mean it, best first, with the matching words highlighted."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import pytest

import store as api
from store import Store, open_store
from store.search import SearchDoc, SearchHit, SearchIndex, index_for, live, parse_query, search
from store.search.query import problems
from tui.cli import main

TODAY = date(2018, 1, 20)

RHI = SearchDoc(
    "finding", 1, "Return home interviews are not offered in time",
    "The offer and take-up of return home interviews for children who go missing is low.",
    ref="R8", theme="Exploitation and missing", source="Haringey inspection 2018",
)  # fmt: skip
MASH = SearchDoc(
    "finding", 2, "Thresholds in the MASH",
    "Thresholds are not consistently understood by partners in the multi-agency "
    "safeguarding hub, so some contacts wait too long.",
    ref="R1", theme="Front door and MASH", source="Haringey inspection 2018",
)  # fmt: skip
LEAVERS = SearchDoc(
    "action", 3, "Find suitable accommodation for care leavers",
    "Commission supported lodgings and staying put placements.",
    ref="A1", extra="Head of Service", theme="Care leavers", brag="red",
    due_date=date(2017, 12, 31),
)  # fmt: skip
CIN_AUDIT = SearchDoc(
    "evidence", 4, "Audit of children in need plans",
    "Twelve plans for children in need were audited: most lacked clear outcomes.",
    extra="S:/QA/cin-audit.docx",
)  # fmt: skip
CP_PLANS = SearchDoc(
    "action", 5, "Review CP plans at every core group", "Chairs check CP plans are SMART.",
    ref="A2", theme="Children in need and child protection", brag="amber",
    due_date=date(2018, 3, 31),
)  # fmt: skip
REPORT = SearchDoc(
    "source", 6, "Inspection of Haringey children's services", source="Haringey inspection 2018"
)
BODY_ONLY = SearchDoc(
    "finding", 7, "Missing children",
    "When children return home an interview is not always offered.", ref="R9",
)  # fmt: skip
DONE = SearchDoc(
    "action", 8, "Return home interview tracker in place", "A weekly tracker.", ref="A3",
    brag="blue", due_date=date(2017, 6, 30),
)  # fmt: skip
DOCS = [RHI, MASH, LEAVERS, CIN_AUDIT, CP_PLANS, REPORT, BODY_ONLY, DONE]


@pytest.fixture
def index() -> SearchIndex:
    return SearchIndex.build(DOCS)


def keys(hits: list[SearchHit]) -> list[tuple[str, int]]:
    return [(hit.kind, hit.id) for hit in hits]


def highlighted(text: str, spans: tuple[tuple[int, int], ...]) -> list[str]:
    return [text[start:end] for start, end in spans]


# ---------------------------------------------------------------------- typos and words


@pytest.mark.parametrize(
    "query",
    [
        "retrun home intervew",  # swapped letters, missing letter
        "return home interviews",  # plural
        "interview home return",  # any word order
        "retunr hoem intreview",  # a swap in every word
        "RHI",  # the abbreviation
    ],
)
def test_a_lead_finds_the_return_home_interview_finding_however_it_is_typed(
    index: SearchIndex, query: str
) -> None:
    assert keys(index.search(query))[0] == ("finding", 1)


def test_two_wrong_letters_in_a_long_word_are_forgiven(index: SearchIndex) -> None:
    assert ("action", 3) in keys(index.search("care leaver acomodation"))  # two missing c/m
    assert keys(index.search("MASH threshhold"))[0] == ("finding", 2)


def test_words_that_are_not_there_find_nothing(index: SearchIndex) -> None:
    assert index.search("pineapple") == []
    assert index.search("   ") == []


def test_abbreviations_and_their_phrases_find_each_other(index: SearchIndex) -> None:
    # The audit says "children in need"; the lead types CiN.
    assert keys(index.search("CiN"))[0] == ("evidence", 4)
    # The action says "CP plans"; the lead spells it out.
    assert keys(index.search("child protection plans"))[0] == ("action", 5)
    # "multi-agency safeguarding hub" is MASH.
    assert ("finding", 2) in keys(index.search("MASH contacts"))


def test_the_last_word_matches_as_a_prefix_while_typing(index: SearchIndex) -> None:
    assert keys(index.search("accommo"))[:1] == [("action", 3)]
    assert keys(index.search("return home interv"))[0] == ("finding", 1)
    # A half-typed word with a typo in it still finds its word.
    assert ("action", 3) in keys(index.search("acom"))


def test_one_letter_of_the_next_word_waits_for_the_second(index: SearchIndex) -> None:
    assert index.search("care leavers a") == index.search("care leavers")
    assert keys(index.search("care leavers ac"))[:1] == [("action", 3)]
    assert keys(index.search("c"))  # alone, one letter still completes


def test_a_finished_word_is_not_a_prefix(index: SearchIndex) -> None:
    assert index.search("accommo ") == []
    assert parse_query("accommo ").last_word_partial is False


# ---------------------------------------------------------------------- ranking


def test_a_title_match_ranks_above_a_body_match(index: SearchIndex) -> None:
    # Both say return, home and interview; only RHI and the tracker say it in the title.
    ranked = keys(index.search("return home interview"))
    assert ranked.index(("finding", 1)) < ranked.index(("finding", 7))
    assert ranked.index(("action", 8)) < ranked.index(("finding", 7))


def test_a_whole_word_ranks_above_a_fuzzy_one() -> None:
    exact = SearchDoc("finding", 1, "Placement stability", "")
    fuzzy = SearchDoc("finding", 2, "Placement stabilty", "")  # a typo in the record
    hits = SearchIndex.build([fuzzy, exact]).search("placement stability")
    assert keys(hits) == [("finding", 1), ("finding", 2)]
    assert hits[0].score > hits[1].score


def test_records_with_all_the_words_rank_above_records_with_some() -> None:
    some = SearchDoc("finding", 1, "Supervision supervision supervision", "")
    all_words = SearchDoc("finding", 2, "Staff meetings", "Regular supervision and oversight.")
    hits = SearchIndex.build([some, all_words]).search("supervision oversight")
    assert keys(hits) == [("finding", 2), ("finding", 1)]


def test_words_standing_together_as_typed_rank_above_the_same_words_apart() -> None:
    # "county lines" is a phrase: a council's name and "lines of accountability" are not it,
    # even though "County" in a title would otherwise outrank both words in a body.
    apart = SearchDoc(
        "finding", 1, "Kent County Council children's services",
        "Clear lines of accountability for managers.",
    )  # fmt: skip
    together = SearchDoc(
        "finding", 2, "Exploitation", "Partners respond well to the threat of county lines."
    )
    hits = SearchIndex.build([apart, together]).search("county lines")
    assert keys(hits) == [("finding", 2), ("finding", 1)]
    # Small words in between still count: "voice of the child" is "voice" near "child".
    near = SearchDoc("finding", 3, "Plans", "The voice of the child is heard in plans.")
    far = SearchDoc("finding", 4, "Child plans", "Each plan has a voice section.")
    assert keys(SearchIndex.build([far, near]).search("voice child"))[0] == ("finding", 3)


def test_limit_keeps_the_best(index: SearchIndex) -> None:
    everything = index.search("return home interview")
    assert index.search("return home interview", limit=2) == everything[:2]
    assert index.search("return home interview", limit=0) == []


# ---------------------------------------------------------------------- highlights


def test_matching_words_are_highlighted_in_title_and_snippet(index: SearchIndex) -> None:
    hit = index.search("retrun home intervew")[0]
    # The words, typed with typos, make the phrase RHI stands for: it is lit as one.
    assert highlighted(hit.title, hit.title_spans) == ["Return home interviews"]
    assert highlighted(hit.snippet, hit.snippet_spans) == ["return home interviews"]
    hit = index.search("home interviews")[0]
    assert highlighted(hit.title, hit.title_spans) == ["home", "interviews"]


def test_an_abbreviation_highlights_the_phrase_it_stands_for(index: SearchIndex) -> None:
    hit = index.search("CiN")[0]
    assert highlighted(hit.title, hit.title_spans) == ["children in need"]


def test_a_long_body_is_cut_to_a_snippet_around_the_match() -> None:
    filler = "The service has many strengths that inspectors saw in practice. " * 6
    doc = SearchDoc(
        "finding", 1, "Findings", filler + "Private fostering is poorly understood. " + filler
    )
    hit = SearchIndex.build([doc]).search("private fostering")[0]
    assert len(hit.snippet) <= 165 and hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert highlighted(hit.snippet, hit.snippet_spans) == ["Private", "fostering"]


def test_the_snippet_does_not_repeat_a_title_that_is_the_first_sentence() -> None:
    # Imported findings take their title from the text's first sentence.
    whole = SearchDoc(
        "finding", 1, "Thresholds are not applied consistently in the MASH",
        "Thresholds are not applied consistently in the MASH. Some contacts wait too long.",
    )  # fmt: skip
    cut = SearchDoc(
        "finding", 2, "The offer and take-up of return home interviews and the…",
        "The offer and take-up of return home interviews and the use of intelligence.",
    )  # fmt: skip
    only = SearchDoc(
        "finding", 3, "Ensure there is suitable accommodation for care leavers",
        "ensure there is suitable accommodation for care leavers.",
    )  # fmt: skip
    index = SearchIndex.build([whole, cut, only])
    assert index.search("MASH")[0].snippet == "Some contacts wait too long."
    hit = index.search("intelligence")[0]
    assert hit.snippet == "…use of intelligence."
    assert highlighted(hit.snippet, hit.snippet_spans) == ["intelligence"]
    hit = index.search("acommodation")[0]
    assert (hit.snippet, highlighted(hit.title, hit.title_spans)) == ("", ["accommodation"])


def test_user_text_with_markup_and_accents_is_matched_and_spanned_as_written() -> None:
    doc = SearchDoc("evidence", 1, "[bold]Café[/] audit of care plans", "")
    hit = SearchIndex.build([doc]).search("cafe")[0]
    assert hit.title == "[bold]Café[/] audit of care plans"
    assert highlighted(hit.title, hit.title_spans) == ["Café"]


# ---------------------------------------------------------------------- filters


def test_filters_narrow_the_results(index: SearchIndex) -> None:
    assert keys(index.search("return kind:action")) == [("action", 8)]
    assert keys(index.search("return home kind:finding,evidence")) == [
        ("finding", 1),
        ("finding", 7),
    ]
    assert keys(index.search("brag:red")) == [("action", 3)]
    assert keys(index.search("brag:a")) == [("action", 5)]  # a partly typed value
    assert keys(index.search("theme:mash")) == [("finding", 2)]
    assert keys(index.search('theme:"care leav"')) == [("action", 3)]
    assert set(keys(index.search("source:haringey"))) == {
        ("finding", 1),
        ("finding", 2),
        ("source", 6),
    }


def test_overdue_means_past_due_and_not_blue(index: SearchIndex) -> None:
    hits = index.search("overdue", today=TODAY)
    assert keys(hits) == [("action", 3)]  # A3 is past due but Blue (done)
    assert hits[0].overdue is True
    assert keys(index.search("overdue", today=date(2018, 4, 1))) == [("action", 3), ("action", 5)]


def test_kinds_narrow_like_a_link_picker_does(index: SearchIndex) -> None:
    assert keys(index.search("return home", kinds={"action"})) == [("action", 8)]
    assert index.search("return home kind:finding", kinds={"action"}) == []


def test_a_filter_value_that_names_nothing_matches_nothing(index: SearchIndex) -> None:
    assert index.search("return brag:purple") == []
    assert index.search("return kind:meeting") == []
    # While still typing the value, the filter is not applied yet.
    assert index.search("return home kind:") == index.search("return home")


def test_parse_query_separates_words_and_filters() -> None:
    parsed = parse_query('CP plans kind:action brag:red theme:"care leavers" source:kent overdue')
    assert parsed.words == ("CP", "plans")
    assert parsed.kinds == ("action",) and parsed.brags == ("red",)
    assert parsed.themes == ("care leavers",) and parsed.sources == ("kent",)
    assert parsed.overdue


# ---------------------------------------------------------------------- keeping current


def test_upsert_and_remove_keep_the_index_current(index: SearchIndex) -> None:
    index.upsert(SearchDoc("evidence", 9, "Private fostering notifications tracker", ""))
    assert keys(index.search("privat fostring")) == [("evidence", 9)]
    index.upsert(SearchDoc("evidence", 9, "Kinship care assessments tracker", ""))
    assert index.search("private fostering") == []
    assert keys(index.search("kinship")) == [("evidence", 9)]
    index.remove("evidence", 9)
    assert index.search("kinship") == []
    assert len(index) == len(DOCS)


def test_many_records_still_rank_and_filter_right_after_many_edits() -> None:
    docs = [SearchDoc("finding", i, f"Finding {i} about assessments", "") for i in range(1, 2001)]
    built = SearchIndex.build(docs)
    for i in range(1, 2001, 2):
        built.remove("finding", i)
    built.upsert(SearchDoc("action", 1, "Assessment timeliness", "", brag="red"))
    hits = built.search("assessment", limit=5000)
    assert len(hits) == 1001
    assert ("action", 1) in keys(hits)
    assert all(hit.id % 2 == 0 for hit in hits if hit.kind == "finding")
    assert keys(built.search("assessment brag:red")) == [("action", 1)]


def test_a_record_comes_back_as_it_went_in_curly_quotes_and_all() -> None:
    # The index keeps texts compactly (UTF-8); what it hands back is what it was given.
    doc = SearchDoc(
        "finding", 1, "Children’s plans — “SMART”", "Café staff’s audit…", ref="R1",
        extra="Ms Ñ", theme="Care leavers", source="Haringey", brag="red",
    )  # fmt: skip
    index = SearchIndex.build([doc])
    assert index.get("finding", 1) == doc
    assert SearchIndex.from_bytes(index.to_bytes()).get("finding", 1) == doc
    hit = index.search("cafe audit")[0]
    assert hit.snippet == "Café staff’s audit…"
    assert highlighted(hit.snippet, hit.snippet_spans) == ["Café", "audit"]


def test_word_counts_kept_through_edits_match_a_fresh_count() -> None:
    # Completions are chosen by how many records hold each word; the counts are kept up
    # to date through edits rather than recounted (which costs ~40 ms at 100,000 records).
    docs = [SearchDoc("finding", i, f"Assessment {i}", "Care plans.") for i in range(1, 301)]
    built = SearchIndex.build(docs[:200])
    assert built.search("as")  # counts are made
    for doc in docs[200:]:  # "assessment" passes from a list to a bitmap on the way
        built.upsert(doc)
    built.upsert(SearchDoc("finding", 5, "Zebra crossings", "New words."))
    for i in range(10, 60):
        built.remove("finding", i)
    fresh = SearchIndex.from_bytes(built.to_bytes())
    terms = range(len(fresh._terms))
    assert [built._df(t) for t in terms] == [fresh._df(t) for t in terms]
    assert built.search("as", limit=500) == fresh.search("as", limit=500)


def test_a_saved_index_answers_like_the_original(index: SearchIndex) -> None:
    index.remove("finding", 7)
    copy = SearchIndex.from_bytes(index.to_bytes())
    for query in ("retrun home intervew", "CiN", "brag:red", "acom", "overdue"):
        assert copy.search(query, today=TODAY) == index.search(query, today=TODAY)
    with pytest.raises(ValueError):
        SearchIndex.from_bytes(b"not an index")


def test_a_big_saved_index_is_read_in_small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    # One marshal.loads of a 100,000-record index held the interpreter for 0.2 s, freezing
    # the cursor while the index loaded behind a list: it is saved and read in pieces.
    import marshal

    import store.search.persistence as index_module

    monkeypatch.setattr(index_module, "_PIECE", 64)
    docs = [SearchDoc("finding", i, f"Return home interview {i}", f"Case {i} audit.") for i in
            range(1, 1001)]  # fmt: skip
    built = SearchIndex.build(docs)
    data = built.to_bytes()
    pieces = index_module._pieces(data)
    read: list[int] = []
    real_loads = marshal.loads

    def counted(piece: bytes) -> object:
        read.append(len(piece))
        return real_loads(piece)

    monkeypatch.setattr(index_module.marshal, "loads", counted)
    copy = SearchIndex.from_bytes(data)
    assert len(read) == len(pieces) > 1000 // 64
    assert max(read[1:]) < len(data) / 8  # no piece is the bulk of it
    assert copy.search("retrun home intervew 77") == built.search("retrun home intervew 77")
    for broken in (data[:-1], data[:5], data + b"x"):
        with pytest.raises(ValueError):
            SearchIndex.from_bytes(broken)


# ---------------------------------------------------------------------- the store's index


@pytest.fixture
def filled(store: Store) -> Store:
    theme = "Exploitation and missing"
    report = api.create_source(store, kind="inspection", title="Haringey inspection 2018",
                               local_authority="Haringey")  # fmt: skip
    api.create_finding(store, title="Return home interviews are not timely", ref="R8",
                       text="Take-up of return home interviews is low.", source_id=report.id,
                       theme=theme)  # fmt: skip
    api.create_action(store, title="Commission an RHI service", ref="A1", brag="red",
                      due_date=date(2017, 12, 1), theme=theme)  # fmt: skip
    api.create_evidence(store, title="Return home interview tracker", impact="Weekly.")
    return store


def test_the_store_search_finds_findings_actions_and_evidence(filled: Store) -> None:
    hits = search(filled, "retrun home intervew")
    assert {hit.kind for hit in hits} == {"finding", "action", "evidence"}
    assert keys(search(filled, "retrun home", kind="finding")) == [("finding", 1)]
    assert keys(search(filled, "overdue")) == [("action", 1)]  # the store's today, 20 Jan 2018
    assert keys(search(filled, "source:haringey kind:finding")) == [("finding", 1)]


def test_the_index_is_read_without_the_cycle_collector_pausing_the_screen(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Full collections during the read would stop the UI thread too; they wait until after."""
    import gc

    seen: list[bool] = []
    real_build = SearchIndex.build

    def build(docs: object) -> SearchIndex:
        seen.append(gc.isenabled())
        return real_build(docs)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "build", staticmethod(build))
    assert gc.isenabled()
    assert search(filled, "return home")
    assert seen == [False] and gc.isenabled()


def test_writes_through_the_store_update_the_index(filled: Store) -> None:
    search(filled, "anything")  # built
    finding = api.create_finding(filled, title="Private fostering is not understood")
    assert keys(search(filled, "privat fostring")) == [("finding", finding.id)]
    api.update_finding(filled, finding.id, title="Kinship carers wait for assessments")
    assert search(filled, "private fostering") == []
    assert keys(search(filled, "kinship")) == [("finding", finding.id)]
    api.delete_finding(filled, finding.id)
    assert search(filled, "kinship") == []


def test_renaming_a_theme_moves_its_records_in_the_theme_filter(filled: Store) -> None:
    assert len(search(filled, "theme:exploitation")) == 2
    theme = next(t for t in api.list_themes(filled) if t.name == "Exploitation and missing")
    api.rename_theme(filled, theme.id, "Missing and exploited children")
    assert search(filled, "theme:exploitation") == []
    assert len(search(filled, "theme:exploited")) == 2


def test_deleting_a_source_with_its_findings_removes_both(filled: Store) -> None:
    assert keys(search(filled, "haringey kind:source")) == [("source", 1)]
    api.delete_source(filled, 1, cascade=True)
    assert search(filled, "haringey") == []
    assert search(filled, "return home kind:finding") == []


def test_the_index_is_saved_next_to_the_store_and_loaded_next_time(
    filled: Store, tmp_path: Path
) -> None:
    search(filled, "return")
    saved = index_for(filled).cache_path
    assert saved is not None and saved.exists() and saved.stat().st_mode & 0o777 == 0o600
    again = open_store(filled.path, today=TODAY)
    try:
        assert keys(search(again, "retrun home intervew")) == keys(
            search(filled, "retrun home intervew")
        )
        assert index_for(again).loaded_from_cache
    finally:
        again.close()


def test_a_change_made_elsewhere_is_noticed(filled: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    search(filled, "return")
    live.save(filled)
    other = open_store(filled.path, today=TODAY)  # another program writing to the same store
    try:
        api.create_evidence(other, title="Missing children dashboard", impact="Monthly.")
    finally:
        other.close()
    monkeypatch.setattr(live, "_RECHECK_SECONDS", 0.0)
    assert keys(search(filled, "dashbord")) == [("evidence", 2)]
    # And a saved index that no longer matches the store is not used.
    fresh = open_store(filled.path, today=TODAY)
    try:
        assert keys(search(fresh, "dashbord")) == [("evidence", 2)]
    finally:
        fresh.close()


def test_searching_after_a_pause_does_not_reread_an_unchanged_store(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check for writes by other programs must not scan 100,000 records each time a
    # lead pauses for a few seconds, nor after each of their own edits: only when another
    # program changed the store's files.
    search(filled, "return")
    monkeypatch.setattr(live, "_RECHECK_SECONDS", 0.0)
    reads: list[int] = []
    real = live.documents.fingerprint
    monkeypatch.setattr(live.documents, "fingerprint", lambda s: reads.append(1) or real(s))
    api.create_finding(filled, title="Chronologies are not kept up to date", ref="R4")
    for _ in range(3):
        assert keys(search(filled, "chronolgies"))[:1] == [("finding", 2)]
    assert reads == []
    other = open_store(filled.path, today=TODAY)  # then another program writes
    try:
        api.create_evidence(other, title="Chronology audit", impact="Ten cases.")
    finally:
        other.close()
    assert ("evidence", 2) in keys(search(filled, "chronolgy audit"))
    assert reads
    # What is saved matches the store, so the next start loads it.
    live.save(filled)
    again = open_store(filled.path, today=TODAY)
    try:
        assert ("evidence", 2) in keys(search(again, "chronolgy audit"))
        assert index_for(again).loaded_from_cache
    finally:
        again.close()


def test_a_worker_can_search_while_another_thread_writes(filled: Store) -> None:
    search(filled, "warm")
    errors: list[BaseException] = []
    stop = threading.Event()

    def worker() -> None:
        try:
            while not stop.is_set():
                search(filled, "tracker")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        for n in range(30):
            api.create_evidence(filled, title=f"Tracker {n}")
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert len(search(filled, "tracker", limit=100)) == 31


def test_a_hit_from_another_councils_report_says_so(filled: Store) -> None:
    [hit] = search(filled, "return home", kind="finding")
    assert hit.ours and hit.source == "Haringey inspection 2018"
    api.update_source(filled, 1, ours=False)  # Haringey's report, kept to learn from
    [finding, source] = search(filled, "haringey return home", kind=["finding", "source"])
    assert (finding.kind, finding.ours) == ("finding", False)
    assert (source.kind, source.ours) == ("source", False)
    assert all(hit.ours for hit in search(filled, "return home", kind=["action", "evidence"]))


# ---------------------------------------------------------------------- the command line


def test_visitprep_search_prints_json(filled: Store, capsys: pytest.CaptureFixture[str]) -> None:
    filled.close()
    code = main(
        ["--db", str(filled.path), "search", "retrun", "home", "--kind", "finding", "--json"]
    )
    assert code == 0
    hits = json.loads(capsys.readouterr().out)
    assert [(h["kind"], h["id"], h["ref"], h["ours"]) for h in hits] == [("finding", 1, "R8", True)]
    title = hits[0]["title"]
    assert [title[s:e] for s, e in hits[0]["title_spans"]] == ["Return", "home"]


def test_visitprep_search_shows_user_text_literally(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    api.create_finding(store, title="[bold red]Escalation[/] of \x1b[31mconcerns")
    store.close()
    assert main(["--db", str(store.path), "search", "escalation"]) == 0
    out = capsys.readouterr().out
    assert "[bold red]Escalation[/]" in out
    assert "\x1b" not in out  # the escape code is shown as a replacement character
    assert main(["--db", str(store.path), "search", "pineapple"]) == 0
    assert "No matches for 'pineapple'." in capsys.readouterr().out


def test_visitprep_search_refuses_a_silly_limit(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store.close()
    assert main(["--db", str(store.path), "search", "x", "--limit", "0"]) == 1
    assert capsys.readouterr().err.strip() == "visitprep: --limit must be at least 1."


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["colour:red"], "'colour:red' is not a filter: use kind:, theme:, brag:, source: or overdue."),
        (["is:late", "plans"], "'is:late' is not a filter: use kind:, theme:, brag:, source: or overdue."),
        (["kind:report"], "'report' is not a kind of record: use finding, action, evidence, source or measure."),
        (["brag:purple"], "'purple' is not a BRAG rating: use blue, red, amber or green."),
        (["theme:nonesuch", "plans"], "No theme is called 'nonesuch'."),
        (["source:croydon"], "No source is called 'croydon'."),
        ([""], "Nothing to search for: give some words, or a filter such as kind:action."),
        (["  ", "kind:"], "Nothing to search for: give some words, or a filter such as kind:action."),
    ],
)  # fmt: skip
def test_visitprep_search_names_what_in_a_query_means_nothing(
    filled: Store, capsys: pytest.CaptureFixture[str], words: list[str], message: str
) -> None:
    filled.close()
    assert main(["--db", str(filled.path), "search", *words]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"visitprep: {message}\n"
    assert captured.out == ""


def test_visitprep_search_takes_known_filters_and_text_with_a_colon(
    filled: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    filled.close()
    db = str(filled.path)
    assert main(["--db", db, "search", "source:haringey", "theme:exploit", "--json"]) == 0
    assert [h["ref"] for h in json.loads(capsys.readouterr().out)][:1] == ["R8"]
    assert main(["--db", db, "search", "re:", "return", "home", "--json"]) == 0
    assert [h["ref"] for h in json.loads(capsys.readouterr().out)][:1] == ["R8"]


def test_problems_in_a_query_are_named_but_searched_as_words() -> None:
    parsed = parse_query("colour:red kind:finding,nope brag:red")
    assert parsed.words == ("colour:red",)
    assert problems(parsed) == [
        "'colour:red' is not a filter: use kind:, theme:, brag:, source: or overdue.",
        "'nope' is not a kind of record: use finding, action, evidence, source or measure.",
    ]
    assert problems(parse_query("re: MASH kind:act overdue")) == []


def test_an_exact_ref_or_title_is_always_the_top_hit_even_past_the_limit(store: Store) -> None:
    """Issue 19.1: every picker, the palette and search put an exact match first."""
    for n in range(1, 10):
        api.create_action(store, title=f"Step {n} of the 3.4 plan", ref=f"3.{n}")
    exact = api.get_action_by_ref(store, "3.4")
    hits = search(store, "3.4", limit=3)
    assert hits[0].id == exact.id and hits[0].exact
    assert not any(hit.exact for hit in hits[1:])
    assert len(hits) == 3
    # A whole title, in any case and spacing; two records with it are both first.
    titled = api.create_evidence(store, title="Step 9 of the 3.4 plan")
    top = search(store, "step 9 of  the 3.4 PLAN", limit=5)
    assert {(h.kind, h.id) for h in top[:2]} == {
        ("evidence", titled.id),
        ("action", api.get_action_by_ref(store, "3.9").id),
    }
    assert [h.exact for h in top] == [True, True, False, False, False]


def test_visitprep_search_shows_brag_with_the_apps_shapes(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15.11: the command line printed ■ for every BRAG; the app draws ◆ ● ▲ ■."""
    from tui.widgets.badges import brag_badge

    monkeypatch.setenv("COLUMNS", "160")
    for brag in ("blue", "green", "amber", "red"):
        api.create_action(store, title=f"Escalation audit {brag}", brag=brag)
    store.close()
    assert main(["--db", str(store.path), "search", "escalation audit"]) == 0
    out = capsys.readouterr().out
    for brag in ("blue", "green", "amber", "red"):
        badge = brag_badge(brag).plain
        assert badge in out, (badge, out)
    assert out.count("■") == 1
