"""A lead records what Ofsted found, the plan's actions and their evidence, through the store API."""

from __future__ import annotations

from datetime import date

import pytest

import store as api
from store import Store
from store.actions import next_action_ref
from store.errors import Conflict, HasLinks, NotFound, ValidationError
from store.refs import following_ref, ref_key


@pytest.fixture
def inspection(store: Store) -> api.Source:
    return api.create_source(
        store,
        kind="inspection",
        title="Northbridge ILACS inspection, Nov 2017",
        local_authority="Northbridge",
        framework="ILACS",
        start_date="13/11/2017",
        end_date="24/11/2017",
        judgements=[
            ("Overall effectiveness", "Inadequate"),
            ("Care leavers", "requires improvement"),
        ],
    )


def test_a_source_keeps_its_judgements_and_dates(store: Store, inspection: api.Source) -> None:
    source = api.get_source(store, inspection.id)
    assert source.start_date == date(2017, 11, 13) and source.end_date == date(2017, 11, 24)
    assert [(j.area, j.grade) for j in source.judgements] == [
        ("Overall effectiveness", "inadequate"),
        ("Care leavers", "requires improvement"),
    ]
    updated = api.update_source(store, source.id, judgements=[("Overall effectiveness", "good")])
    assert [(j.area, j.grade) for j in updated.judgements] == [("Overall effectiveness", "good")]


def test_a_finding_is_filed_under_a_theme_by_the_start_of_its_name(
    store: Store, inspection: api.Source
) -> None:
    finding = api.create_finding(
        store,
        title="Return home interviews",
        ref="R5",
        source_id=inspection.id,
        theme="exploitation",
    )
    assert finding.theme == "Exploitation and missing"
    assert finding.source_title == "Northbridge ILACS inspection, Nov 2017"
    with pytest.raises(ValidationError) as error:
        api.create_finding(store, title="x", theme="Nonsense")
    assert error.value.field == "theme" and "Front door and MASH" in error.value.message


def test_the_same_ref_twice_in_one_source_is_a_conflict(
    store: Store, inspection: api.Source
) -> None:
    api.create_finding(store, title="One", ref="R1", source_id=inspection.id)
    with pytest.raises(Conflict, match="R1"):
        api.create_finding(store, title="Two", ref="R1", source_id=inspection.id)
    assert api.count_findings(store) == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "   "}, "title", "cannot be empty"),
        ({"title": "A", "due_date": "31/02/2018"}, "due_date", "not a real date"),
        ({"title": "A", "due_date": "next week"}, "due_date", "not a date"),
        ({"title": "A", "brag": "purple"}, "brag", "blue, green, amber, red"),
        ({"title": "A", "theme": "Astronomy"}, "theme", "not a theme"),
        ({"title": "A", "opened_on": "1/2/2018", "closed_on": "1/1/2018"}, "closed_on", "before"),
        ({"title": "A", "colour": "red"}, "colour", "no field"),
    ],
)
def test_bad_action_input_names_the_field_and_stores_nothing(
    store: Store, fields: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        api.create_action(store, **fields)
    assert error.value.field == field
    assert message in error.value.message
    assert api.count_actions(store) == 0


def test_linking_to_a_record_that_does_not_exist_is_refused(store: Store) -> None:
    action = api.create_action(store, title="MASH decision tracker")
    with pytest.raises(NotFound, match="finding 99"):
        api.link(store, "action", action.id, "finding", 99)
    with pytest.raises(NotFound):
        api.create_action(store, title="Orphan", finding_ids=[42])
    assert [a.title for a in api.list_actions(store)] == ["MASH decision tracker"]
    with pytest.raises(ValidationError, match="cannot be linked"):
        api.link(store, "finding", 1, "finding", 2)


def test_links_work_both_ways_and_are_idempotent(store: Store, inspection: api.Source) -> None:
    finding = api.create_finding(store, title="Thresholds", ref="R1", source_id=inspection.id)
    action = api.create_action(store, title="New threshold document", ref="1.1")
    evidence = api.create_evidence(store, title="Threshold document v2", kind="policy")
    assert api.link(store, "finding", finding.id, "action", action.id) is True
    assert api.link(store, "action", action.id, "finding", finding.id) is False
    api.link(store, "evidence", evidence.id, "action", action.id)
    assert [a.ref for a in api.list_actions(store, finding_id=finding.id)] == ["1.1"]
    assert [e.title for e in api.list_evidence(store, action_id=action.id)] == [
        "Threshold document v2"
    ]
    assert api.get_finding(store, finding.id).action_count == 1
    assert api.get_evidence(store, evidence.id).action_count == 1
    assert api.unlink(store, "action", action.id, "evidence", evidence.id) is True
    assert api.unlink(store, "action", action.id, "evidence", evidence.id) is False
    assert api.get_action(store, action.id).evidence_count == 0


def test_action_updates_are_history_appended_and_set_the_brag(store: Store) -> None:
    action = api.create_action(
        store, title="Recruitment campaign", brag="red", due_date="31/3/2018"
    )
    api.add_action_update(
        store, action.id, note="Advert out", brag="amber", on_date="1/12/2017", author="Head of HR"
    )
    api.add_action_update(
        store, action.id, note="12 offers made", brag="green", on_date="10/1/2018"
    )
    # A late-entered older note is kept in its place and does not override today's status.
    api.add_action_update(store, action.id, note="Agency review", brag="red", on_date="15/12/2017")
    history = api.list_action_updates(store, action.id)
    assert [(u.on_date, u.brag, u.note) for u in history] == [
        (date(2017, 12, 1), "amber", "Advert out"),
        (date(2017, 12, 15), "red", "Agency review"),
        (date(2018, 1, 10), "green", "12 offers made"),
    ]
    assert api.get_action(store, action.id).brag == "green"
    done = api.add_action_update(store, action.id, note="Complete", brag="B")
    assert done.on_date == date(2018, 1, 20)
    assert api.get_action(store, action.id).closed_on == date(2018, 1, 20)
    with pytest.raises(ValidationError, match="future"):
        api.add_action_update(store, action.id, note="x", on_date="1/2/2018")
    with pytest.raises(ValidationError, match="cannot be empty"):
        api.add_action_update(store, action.id, note=" ")


def test_overdue_and_due_soon_are_judged_against_today(store: Store) -> None:
    api.create_action(store, title="Late and red", due_date="1/1/2018", brag="red")
    api.create_action(store, title="Late but done", due_date="1/1/2018", brag="blue")
    api.create_action(store, title="Due in a week", due_date="27/1/2018")
    api.create_action(store, title="Due in spring", due_date="1/4/2018")
    assert [a.title for a in api.list_actions(store, overdue=True)] == ["Late and red"]
    assert [a.title for a in api.list_actions(store, due_within=14)] == ["Due in a week"]
    assert api.get_action_by_ref(store, "a1").overdue is True
    assert api.brag_counts(store) == {"blue": 1, "green": 2, "amber": 0, "red": 1}


def test_lists_sort_filter_and_window(store: Store) -> None:
    for n in range(1, 13):
        api.create_action(
            store, title=f"Action {n}", owner="Head of MASH" if n % 2 else "Principal social worker"
        )
    refs = [a.ref for a in api.list_actions(store)]
    assert refs[:3] == ["A1", "A2", "A3"] and refs[-1] == "A12"  # natural order, not A1, A10, A11
    window = api.list_actions(store, limit=5, offset=5)
    assert [a.ref for a in window] == ["A6", "A7", "A8", "A9", "A10"]
    assert api.count_actions(store, owner="mash") == 6
    assert [a.ref for a in api.list_actions(store, sort="ref", descending=True, limit=2)] == [
        "A12",
        "A11",
    ]
    with pytest.raises(ValidationError, match="sorted"):
        api.list_actions(store, sort="colour")


def test_a_leads_findings_list_goes_r1_r2_to_r10_then_para_41(
    store: Store, inspection: api.Source
) -> None:
    visit = api.create_source(store, kind="monitoring visit", title="Monitoring visit 1, 2018")
    for ref in ("R10", "Para 41", "R2", "R1", "R9", "Para 7", "R3", "R4", "R5", "R6", "R7", "R8"):
        api.create_finding(store, title=f"Inspection {ref}", ref=ref, source_id=inspection.id)
    for ref in ("MV1-10", "MV1-2"):
        api.create_finding(store, title=f"Visit {ref}", ref=ref, source_id=visit.id)

    refs = [f.ref for f in api.list_findings(store)]
    assert refs == [f"R{n}" for n in range(1, 11)] + ["Para 7", "Para 41", "MV1-2", "MV1-10"]
    # The list pages through the same order, windows cut by the database.
    assert [f.ref for f in api.list_findings(store, limit=4, offset=9)] == [
        "R10", "Para 7", "Para 41", "MV1-2",
    ]  # fmt: skip
    assert [f.ref for f in api.list_findings(store, descending=True, limit=3)] == [
        "MV1-10", "MV1-2", "Para 41",
    ]  # fmt: skip
    by_title = [f.ref for f in api.list_findings(store, sort="source")]  # Monitoring... first
    assert by_title[:4] == ["MV1-2", "MV1-10", "R1", "R2"] and by_title[-1] == "Para 41"
    assert [f.ref for f in api.list_findings(store, sort="status")][:3] == ["R1", "R2", "R3"]
    # Changing a ref re-files the finding: R10 becomes R1a, between R1 and R2.
    r10 = api.list_findings(store, text="R10")[0]
    api.update_finding(store, r10.id, ref="R1a")
    assert [f.ref for f in api.list_findings(store, limit=3)] == ["R1", "R1a", "R2"]


def test_plan_actions_sort_1_9_1_10_2_1_10_1(store: Store) -> None:
    for ref in ("10.1", "2.1", "1.10", "1.9", "2.10", "2.2", "1.1"):
        api.create_action(store, title=f"Action {ref}", ref=ref, due_date="31/3/2018")
    assert [a.ref for a in api.list_actions(store)] == [
        "1.1", "1.9", "1.10", "2.1", "2.2", "2.10", "10.1",
    ]  # fmt: skip
    assert [a.ref for a in api.list_actions(store, limit=3, offset=2)] == ["1.10", "2.1", "2.2"]
    # Ties on another sort fall back to the same natural order.
    assert [a.ref for a in api.list_actions(store, sort="due")][:3] == ["1.1", "1.9", "1.10"]


def test_a_new_action_after_7_3_gets_7_4(store: Store) -> None:
    assert api.create_action(store, title="First of an empty plan").ref == "A1"
    for ref in ("7.1", "7.2", "7.3"):
        api.create_action(store, title=f"Governance {ref}", ref=ref)
    assert next_action_ref(store) == "7.4"
    assert api.create_action(store, title="Board self-assessment").ref == "7.4"
    # Refs already taken are skipped, whatever their case.
    api.create_action(store, title="MASH audit", ref="MASH-12")
    api.create_action(store, title="Taken", ref="mash-13")
    api.create_action(store, title="Added last", ref="MASH-12a")
    assert api.create_action(store, title="Next MASH action").ref == "MASH-13a"
    api.update_action(store, api.get_action_by_ref(store, "MASH-13a").id, ref="9")
    assert api.create_action(store, title="Carries on the edited ref").ref == "10"
    # With no number to carry on, A<n> after the highest A number.
    api.create_action(store, title="Front door", ref="A9")
    api.create_action(store, title="Unnumbered", ref="Front door review")
    assert api.create_action(store, title="Falls back").ref == "A10"
    assert api.create_action(store, title="Carries on A10").ref == "A11"


def test_a_new_action_for_a_finding_carries_on_its_themes_numbering(store: Store) -> None:
    # A plan numbered by theme: 3.x answer children in care, 7.x governance.
    in_care = api.create_finding(store, title="Health assessments", theme="Children in care")
    later = api.create_finding(store, title="Placement stability", theme="Children in care")
    for ref in ("3.1", "3.2"):
        api.create_action(store, title=f"Health {ref}", ref=ref, theme="Children in care",
                          finding_ids=[in_care.id])  # fmt: skip
    api.create_action(store, title="Sufficiency", ref="3.10", theme="Children in care")
    for ref in ("7.4", "7.5"):
        api.create_action(store, title=f"Governance {ref}", ref=ref, theme="Leadership")
    assert next_action_ref(store) == "7.6"  # nothing said: the action added last
    # For the finding: after its own actions' last ref, past refs already taken.
    api.create_action(store, title="Taken elsewhere", ref="3.3", theme="Children in care")
    assert next_action_ref(store, finding_ids=[in_care.id], theme="Children in care") == "3.4"
    # A finding with no action yet: after its theme's last ref, read as a lead reads it.
    assert next_action_ref(store, finding_ids=[later.id], theme="Children in care") == "3.11"
    made = api.create_action(store, title="Stability meetings", finding_ids=[later.id],
                             theme="Children in care")  # fmt: skip
    assert made.ref == "3.11"
    assert api.create_action(store, title="Health passports", finding_ids=[in_care.id]).ref == "3.4"


@pytest.mark.parametrize(
    ("ref", "following"),
    [("7.3", "7.4"), ("MASH-12", "MASH-13"), ("A9", "A10"), ("A09", "A10"), ("1.9a", "1.10a"),
     ("Front door", None)],
)  # fmt: skip
def test_the_ref_after_another_increments_its_last_number(ref: str, following: str | None) -> None:
    assert following_ref(ref) == following


def test_sort_keys_read_refs_as_a_lead_does() -> None:
    refs = ["R10", "Para 41", "r2", "R1", "MV1-12", "MV1-3", "10.1", "1.10", "1.9", "2.1", ""]
    assert sorted(refs, key=ref_key) == [
        "", "1.9", "1.10", "2.1", "10.1", "R1", "r2", "R10", "MV1-3", "MV1-12", "Para 41",
    ]  # fmt: skip


def test_deleting_a_linked_finding_refuses_unless_cascade_and_never_orphans(
    store: Store, inspection: api.Source
) -> None:
    finding = api.create_finding(store, title="Supervision", ref="R2", source_id=inspection.id)
    action = api.create_action(store, title="Supervision audit", finding_ids=[finding.id])
    with pytest.raises(HasLinks, match="1 action"):
        api.delete_finding(store, finding.id)
    assert api.get_finding(store, finding.id).action_count == 1
    api.delete_finding(store, finding.id, cascade=True)
    assert api.count_findings(store) == 0
    assert api.get_action(store, action.id).finding_count == 0  # the action stays


def test_deleting_a_source_with_findings_needs_cascade(
    store: Store, inspection: api.Source
) -> None:
    api.create_finding(store, title="A", ref="R1", source_id=inspection.id)
    with pytest.raises(HasLinks, match="1 finding"):
        api.delete_source(store, inspection.id)
    api.delete_source(store, inspection.id, cascade=True)
    assert api.list_sources(store) == [] and api.count_findings(store) == 0


def test_a_failure_in_the_middle_of_a_batch_leaves_nothing_behind(
    store: Store, inspection: api.Source
) -> None:
    with pytest.raises(ValidationError), store.batch():
        api.create_finding(store, title="Kept?", ref="R1", source_id=inspection.id)
        api.create_action(store, title="Also kept?")
        api.create_action(store, title="Bad", due_date="32/13/2018")
    assert api.count_findings(store) == 0 and api.count_actions(store) == 0


def test_listeners_hear_of_each_committed_change_once(store: Store) -> None:
    heard: list[list[api.Change]] = []
    store.add_listener(heard.append)
    with store.batch():
        action = api.create_action(store, title="One")
        api.create_evidence(store, title="Proof", action_ids=[action.id])
    with pytest.raises(ValidationError):
        api.create_action(store, title="")
    assert len(heard) == 1
    assert {(c.kind, c.op) for c in heard[0]} == {("action", "upsert"), ("evidence", "upsert")}


def test_themes_can_be_added_and_renamed_but_not_duplicated(store: Store) -> None:
    theme = api.create_theme(store, "Edge of care")
    assert api.list_themes(store)[-1].name == "Edge of care"
    action = api.create_action(store, title="Reunification panel", theme="Edge of care")
    renamed = api.rename_theme(store, theme.id, "Edge of care and reunification")
    assert (renamed.id, renamed.name) == (theme.id, "Edge of care and reunification")
    names = [t.name for t in api.list_themes(store)]
    assert names[-1] == "Edge of care and reunification" and "Edge of care" not in names
    # What was filed under the theme follows it.
    assert api.get_action(store, action.id).theme == "Edge of care and reunification"
    with pytest.raises(ValidationError, match="already"):
        api.create_theme(store, "care leavers")
    with pytest.raises(ValidationError, match="already"):
        api.rename_theme(store, theme.id, "Care leavers")
    assert api.list_themes(store)[-1].name == "Edge of care and reunification"


def test_titles_and_owners_sort_as_words_whatever_their_capitals(store: Store) -> None:
    # "IRO annual report" sorted before "Improvement board" when capitals came first.
    for title, owner in (("IRO annual report", "iro service"), ("Improvement board", "DCS"),
                         ("audit of MASH", "Head of Service")):  # fmt: skip
        api.create_evidence(store, title=title, owner=owner)
        api.create_action(store, title=title, owner=owner)
    by_title = ["audit of MASH", "Improvement board", "IRO annual report"]
    assert [e.title for e in api.list_evidence(store, sort="title")] == by_title
    assert [a.title for a in api.list_actions(store, sort="title")] == by_title
    by_owner = ["DCS", "Head of Service", "iro service"]
    assert [e.owner for e in api.list_evidence(store, sort="owner")] == by_owner
    assert [a.owner for a in api.list_actions(store, sort="owner")] == by_owner


def test_a_review_by_date_says_how_long_evidence_stays_good(store: Store) -> None:
    # Today is 20 Jan 2018. Evidence with no review-by date is out of date once older than
    # six months; with one, once that date has passed, however old the item is.
    items = {
        "Practice standards, reviewed every two years": ("2016-06-01", "2018-06-01"),
        "Case audit, no review date, eight months old": ("2017-05-20", None),
        "Tracker reviewed monthly, review missed": ("2017-12-01", "2018-01-01"),
        "KPI report, no review date, last month": ("2017-12-31", None),
        "Undated policy with no review date": (None, None),
    }
    for title, (as_of, review_by) in items.items():
        api.create_evidence(store, title=title, as_of=as_of, review_by=review_by)
    out_of_date = {"Case audit, no review date, eight months old",
                   "Tracker reviewed monthly, review missed"}  # fmt: skip
    assert {e.title for e in api.list_evidence(store, stale=True)} == out_of_date
    assert {e.title for e in api.list_evidence(store) if api.is_stale(
        e.as_of, e.review_by, store.today)} == out_of_date  # fmt: skip
    assert api.dashboard(store, with_pack=False).gap_counts["stale"] == 2
    assert {g.title for g in api.find_gaps(store) if g.kind == "stale"} == out_of_date


@pytest.mark.parametrize(
    ("typed", "rating"),
    [("On target", "green"), ("not  on track", "red"), ("Slipping", "amber"), ("Achieved", "blue")],
)
def test_a_trackers_word_for_a_brag_is_read_as_the_plan_import_reads_it(
    store: Store, typed: str, rating: str
) -> None:
    """A lead types the word their tracker uses; it means what it means in an imported
    plan (one list of words, store.vocab.BRAG_WORDS), not a refusal here and a rating there."""
    from store.importers.plan_cells import read_brag

    action = api.create_action(store, title="Audit MASH decisions", brag=typed)
    assert action.brag == rating
    assert read_brag(typed)[0] == rating
