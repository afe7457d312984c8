"""A performance lead keeps the board's measures: targets, values by month or quarter, BRAG
against the target, better or worse since last time, and links to what they show the
impact of."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect

import store as api
from store import Store
from store.errors import Conflict, NotFound, StaleRecord, ValidationError
from store.periods import parse_period


def _assessments(store: Store, **fields: object) -> api.Measure:
    values = {"theme": "Assessment", "target": 90, "tolerance": 5, "owner": "Head of service"}
    values.update(fields)
    return api.create_measure(store, ref="A1", name="Assessments within 45 working days", **values)


@pytest.mark.parametrize(
    ("written", "start", "kind"),
    [
        ("Apr-18", date(2018, 4, 1), "monthly"),
        ("April 2018", date(2018, 4, 1), "monthly"),
        ("2018-04", date(2018, 4, 1), "monthly"),
        ("Sept 2018", date(2018, 9, 1), "monthly"),
        ("Q1 2018/19", date(2018, 4, 1), "quarterly"),
        ("Q3 18-19", date(2018, 10, 1), "quarterly"),
        ("Q4 2018/19", date(2019, 1, 1), "quarterly"),
        ("2018/19 Q2", date(2018, 7, 1), "quarterly"),
    ],
)
def test_periods_are_read_the_ways_councils_write_them(
    written: str, start: date, kind: str
) -> None:
    assert parse_period(written) == (start, kind)


@pytest.mark.parametrize("written", ["Q5 2018/19", "Q1 2018/20", "Smarch 2018", "13/2018", ""])
def test_a_period_that_is_not_one_is_refused_in_words(written: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_period(written)
    assert error.value.field == "period"


def test_a_measure_climbing_towards_its_target_is_red_then_amber_then_green(store: Store) -> None:
    measure = _assessments(store)
    api.set_measure_value(store, measure.id, "May-18", 57, who="Priya")
    assert api.get_measure(store, measure.id).brag == "red"
    assert api.get_measure(store, measure.id).direction == ""
    api.set_measure_value(store, measure.id, "2018-06", "86%", who="Priya")
    now = api.get_measure(store, measure.id)
    assert (now.brag, now.direction, now.latest.label) == ("amber", "better", "Jun 2018")
    api.set_measure_value(store, measure.id, "June 2018", 90, who="Sam")  # a correction
    now = api.get_measure(store, measure.id)
    assert (now.brag, now.value_count, now.latest.entered_by) == ("green", 2, "Sam")
    assert now.recent == (57.0, 90.0)


def test_lower_is_better_judges_brag_and_direction_the_other_way(store: Store) -> None:
    measure = api.create_measure(
        store, ref="F3", name="Re-referrals within 12 months", theme="Front door",
        polarity="lower is better", target=22, tolerance=3,
    )  # fmt: skip
    api.set_measure_value(store, measure.id, "Nov-18", 23)
    api.set_measure_value(store, measure.id, "Dec-18", 26)
    now = api.get_measure(store, measure.id)
    assert (now.brag, now.direction) == ("red", "worse")
    api.set_measure_value(store, measure.id, "Jan-19", 21)
    now = api.get_measure(store, measure.id)
    assert (now.brag, now.direction) == ("green", "better")


def test_values_are_checked_against_the_unit_and_the_frequency(store: Store) -> None:
    measure = _assessments(store)
    for period, value, field, words in [
        ("Apr-18", 101, "value", "0 to 100"),
        ("Apr-18", -1, "value", "below zero"),
        ("Apr-18", "lots", "value", "not a number"),
        ("Q1 2018/19", 80, "period", "this measure is monthly"),
        ("the spring", 80, "period", "not a period"),
    ]:
        with pytest.raises(ValidationError) as error:
            api.set_measure_value(store, measure.id, period, value)
        assert error.value.field == field
        assert words in error.value.message
    quarterly = api.create_measure(
        store, ref="C2", name="Care leavers in EET", frequency="quarterly", unit="%"
    )
    with pytest.raises(ValidationError, match="is a month; this measure is quarterly"):
        api.set_measure_value(store, quarterly.id, "Apr-18", 50)
    api.set_measure_value(store, quarterly.id, "Q3 18-19", 48)
    assert api.get_measure(store, quarterly.id).latest.label == "Q3 2018/19"
    assert api.list_measure_values(store, measure.id) == []


def test_measure_fields_are_validated_through_the_one_write_path(store: Store) -> None:
    with pytest.raises(ValidationError, match="not a unit"):
        api.create_measure(store, ref="X", name="x", unit="furlongs")
    with pytest.raises(ValidationError, match="not a polarity"):
        api.create_measure(store, ref="X", name="x", polarity="sideways")
    with pytest.raises(ValidationError, match="0 to 100"):
        api.create_measure(store, ref="X", name="x", target=120)
    with pytest.raises(ValidationError, match="name cannot be empty"):
        api.create_measure(store, ref="X", name="  ")
    caseload = api.create_measure(
        store, ref="W1", name="Average caseload", unit="number", polarity="lower", target=18
    )
    assert caseload.unit == "number" and caseload.polarity == "lower"
    with pytest.raises(ValidationError, match="0 to 100"):
        api.update_measure(store, caseload.id, unit="percent", target=120)
    _assessments(store)
    with pytest.raises(Conflict):
        _assessments(store)
    assert api.count_measures(store) == 2


def test_a_measure_links_to_the_finding_and_action_it_shows_the_impact_of(store: Store) -> None:
    source = api.create_source(store, kind="inspection", title="ILACS 2018")
    finding = api.create_finding(store, title="Assessments are late", ref="R3", source_id=source.id)
    action = api.create_action(store, title="Weekly tracker", ref="1.6")
    measure = _assessments(store)
    assert api.link_measure(store, measure.id, "action", action.id) is True
    assert api.link_measure(store, measure.id, "action", action.id) is False
    api.link_measure(store, measure.id, "finding", finding.id)
    links = api.measure_links(store, measure.id)
    assert links == {
        "finding": [(finding.id, "R3", "Assessments are late")],
        "action": [(action.id, "1.6", "Weekly tracker")],
    }
    assert [m.ref for m in api.measures_linked_to(store, "action", action.id)] == ["A1"]
    with pytest.raises(NotFound):
        api.link_measure(store, measure.id, "action", 999)
    with pytest.raises(ValidationError, match="findings and actions"):
        api.link_measure(store, measure.id, "evidence", 1)
    assert api.unlink_measure(store, measure.id, "action", action.id) is True
    assert api.get_measure(store, measure.id).action_count == 0
    api.delete_action(store, action.id)
    api.delete_measure(store, measure.id)
    assert api.get_finding(store, finding.id).title == "Assessments are late"
    with pytest.raises(NotFound):
        api.get_measure_by_ref(store, "a1")


def test_the_list_filters_by_theme_and_off_target_and_sparks_the_last_twelve(
    store: Store,
) -> None:
    measure = _assessments(store)
    for month in range(1, 16):
        api.set_measure_value(
            store, measure.id, f"{2018 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}", 60 + month
        )
    on_target = api.create_measure(
        store, ref="CP1", name="CP visits", theme="Children in need", target=90
    )
    api.set_measure_value(store, on_target.id, "Dec-18", 96)
    api.create_measure(store, ref="Z9", name="No theme, no values")
    listed = api.list_measures(store)
    assert [m.ref for m in listed] == ["A1", "CP1", "Z9"]
    assert listed[0].recent == tuple(float(v) for v in range(64, 76))
    assert listed[0].value_count == 15 and listed[2].brag == "" and listed[2].latest is None
    assert [m.ref for m in api.list_measures(store, off_target=True)] == ["A1"]
    assert [m.ref for m in api.list_measures(store, theme="children in need")] == ["CP1"]


def test_a_bad_value_in_a_batch_leaves_nothing_behind(store: Store) -> None:
    measure = _assessments(store)
    with pytest.raises(ValidationError), store.batch():
        api.set_measure_value(store, measure.id, "Apr-18", 70)
        api.set_measure_value(store, measure.id, "May-18", 170)
    assert api.list_measure_values(store, measure.id) == []


def test_migration_0010_makes_the_measure_tables(store: Store, tmp_path: Path) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"measure", "measure_value", "measure_finding", "measure_action"} <= tables


def test_the_demo_scorecard_tells_northbridges_story_and_agrees_with_its_evidence(
    demo_store: Store,
) -> None:
    measures = {m.ref: m for m in api.list_measures(demo_store)}
    assert 14 <= len(measures) <= 16
    assessments = measures["A1"]
    values = {v.label: v.value for v in api.list_measure_values(demo_store, assessments.id)}
    assert (values["May 2018"], values["Jul 2018"], values["Oct 2018"], values["Dec 2018"]) == (
        57,
        74,
        86,
        89,
    )
    tracker = next(
        e for e in api.list_evidence(demo_store) if e.title.startswith("Assessment timeliness")
    )
    assert "December 2018: 89%" in tracker.title
    assert all(12 <= m.value_count <= 18 or m.frequency == "quarterly" for m in measures.values())
    assert {m.ref for m in measures.values() if m.brag == "green"} >= {"F1", "F2", "CP1"}
    assert [m.ref for m in measures.values() if m.direction == "worse"] == ["CL3"]
    assert assessments.latest.entered_by == "Performance and Intelligence Manager"
    linked = api.measure_links(demo_store, assessments.id)
    assert [ref for _i, ref, _t in linked["action"]] == ["1.6"]


def test_a_refused_scorecard_inside_a_batch_takes_back_only_its_own_writes(
    store: Store, tmp_path: Path
) -> None:
    from store.importers.scorecard import import_scorecard

    bad = tmp_path / "bad.csv"
    bad.write_text("Ref,Measure,Actions,Apr-18\nA1,Assessments,9.9,50\n", encoding="utf-8")
    with store.batch():
        api.create_measure(store, ref="K1", name="Kept")
        result = import_scorecard(store, bad)
    assert [str(p) for p in result.problems] == ["C2: there is no action '9.9'."]
    assert [m.ref for m in api.list_measures(store)] == ["K1"]


def test_search_finds_measures_typed_with_typos_and_by_kind(store: Store) -> None:
    from store.search import search

    measure = _assessments(store, definition="Children and families assessments in timescale.")
    api.create_action(store, title="Weekly assessment tracker", ref="1.6")
    hits = search(store, "asessments 45 wroking days")
    assert (hits[0].kind, hits[0].id) == ("measure", measure.id)
    assert [h.kind for h in search(store, "assessment kind:measure")] == ["measure"]
    api.update_measure(store, measure.id, name="Re-referrals within 12 months")
    assert search(store, "re-referrals")[0].id == measure.id  # the index follows the write


# --- no lost update, and every write on the record (issue 11) ------------------------------


def test_a_measure_saved_from_an_older_version_is_refused_naming_whose_change(
    store: Store,
) -> None:
    store.user = "Sam Patel"
    measure = _assessments(store)
    opened = api.get_measure(store, measure.id)  # Sam opens the form
    store.user = "Alex Khan"
    api.update_measure(store, measure.id, target=95, expected_version=opened.version)
    store.user = "Sam Patel"
    with pytest.raises(StaleRecord) as refused:
        api.update_measure(store, measure.id, target=85, expected_version=opened.version)
    assert refused.value.who == "Alex Khan"
    assert "changed by Alex Khan at" in refused.value.message
    assert "A1 Assessments within 45 working days" in refused.value.message
    now = api.get_measure(store, measure.id)
    assert now.target == 95  # Alex's save stands; nothing of Sam's was written
    assert refused.value.version == now.version == opened.version + 1
    # Seen the other version, Sam keeps theirs over it.
    api.update_measure(store, measure.id, target=85, expected_version=now.version)
    assert api.get_measure(store, measure.id).target == 85


def test_a_scorecard_import_is_a_change_a_form_opened_before_it_must_see(
    store: Store, tmp_path: Path
) -> None:
    from store.importers.scorecard import import_scorecard

    measure = _assessments(store)
    opened = api.get_measure(store, measure.id)
    card = tmp_path / "board.csv"
    card.write_text("Ref,Measure,Target,Apr-18\nA1,Assessments,92,80\n", encoding="utf-8")
    import_scorecard(store, card)
    with pytest.raises(StaleRecord):
        api.update_measure(store, measure.id, owner="Me", expected_version=opened.version)
    assert api.get_measure(store, measure.id).target == 92


def test_entering_a_value_or_linking_does_not_make_an_open_form_stale(store: Store) -> None:
    measure = _assessments(store)
    action = api.create_action(store, title="Weekly assessment tracker", ref="1.6")
    api.set_measure_value(store, measure.id, "Apr-18", 80)
    api.link_measure(store, measure.id, "action", action.id)
    # None of the form's fields changed: a form opened before saves as it is.
    api.update_measure(store, measure.id, owner="Me", expected_version=measure.version)
    assert api.get_measure(store, measure.id).owner == "Me"


def test_every_measure_write_is_in_its_history_naming_who(store: Store, tmp_path: Path) -> None:
    from store.importers.scorecard import import_scorecard

    store.user = "Priya Shah"
    measure = _assessments(store)
    action = api.create_action(store, title="Weekly assessment tracker", ref="1.6")
    api.update_measure(store, measure.id, target=92)
    api.set_measure_value(store, measure.id, "Apr-18", 80)
    api.set_measure_value(store, measure.id, "Apr-18", 81)
    api.delete_measure_value(store, measure.id, "Apr-18")
    api.link_measure(store, measure.id, "action", action.id)
    api.unlink_measure(store, measure.id, "action", action.id)
    card = tmp_path / "board.csv"
    card.write_text("Ref,Measure,May-18,Jun-18\nA1,Assessments,82,84\n", encoding="utf-8")
    import_scorecard(store, card)
    said = [api.describe(e) for e in api.record_history(store, "measure", measure.id)]
    this = "measure 'A1 Assessments'"
    assert said == [
        "Priya Shah created measure 'A1 Assessments within 45 working days'",
        "Priya Shah changed measure 'A1 Assessments within 45 working days' (target)",
        "Priya Shah entered the Apr 2018 value of measure 'A1 Assessments within 45 working days'",
        "Priya Shah changed the Apr 2018 value of measure 'A1 Assessments within 45 working days'",
        "Priya Shah removed the Apr 2018 value of measure 'A1 Assessments within 45 working days'",
        "Priya Shah linked measure 'A1 Assessments within 45 working days' to action "
        "'1.6 Weekly assessment tracker'",
        "Priya Shah unlinked measure 'A1 Assessments within 45 working days' from action "
        "'1.6 Weekly assessment tracker'",
        f"Priya Shah changed {this} (name)",
        f"Priya Shah imported 2 values from scorecard board.csv into {this}",
    ]
    log = [api.describe(e) for e in api.list_history(store, who="Priya Shah")]
    assert (
        "Priya Shah imported scorecard board.csv (0 measures new, 1 changed; 2 values added, "
        "0 changed)"
    ) in log
    api.delete_measure(store, measure.id)
    assert api.describe(api.list_history(store)[-1]) == f"Priya Shah deleted {this}"


def test_a_store_at_0011_is_upgraded_and_keeps_its_measures(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from store import migrations, open_store

    def fill(url: str) -> None:
        engine = create_engine(url, poolclass=NullPool)
        migrations.upgrade(engine, "0011")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO measure (ref, ref_key, name, unit, polarity, target, tolerance,"
                    " comparator_year, owner, frequency, definition) VALUES ('A1', '', "
                    "'Assessments', '%', 'higher', 90, 5, '', 'Head', 'monthly', '')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO measure_value (measure_id, period, value, note, entered_by) "
                    "SELECT id, :period, 86, 'kept', 'Priya' FROM measure"
                ),
                {"period": date(2018, 12, 1)},
            )
        engine.dispose()

    def upgraded(url: str) -> None:
        opened = open_store(url, today=date(2019, 1, 20))
        try:
            assert migrations.schema_state(opened.engine).revision == migrations.head_revision()
            measure = api.get_measure_by_ref(opened, "A1")
            assert (measure.name, measure.target, measure.version) == ("Assessments", 90, 1)
            [value] = api.list_measure_values(opened, measure.id)
            assert (value.label, value.value, value.note) == ("Dec 2018", 86, "kept")
            api.update_measure(opened, measure.id, target=92, expected_version=1)
            with pytest.raises(StaleRecord):
                api.update_measure(opened, measure.id, target=93, expected_version=1)
        finally:
            opened.close()

    assert "0012" in migrations.known_revisions()
    if backend == "sqlite":
        path = tmp_path / "old.db"
        fill(f"sqlite:///{path}")
        upgraded(str(path))
        assert len(list(tmp_path.glob("old.db.backup-0011-*"))) == 1
        return
    server = request.getfixturevalue("postgres_server")
    with server.database() as url:
        fill(url.replace("postgresql://", "postgresql+psycopg://"))
        upgraded(url)


def test_a_value_entered_over_one_the_form_never_showed_is_refused(store: Store) -> None:
    measure = _assessments(store)
    api.set_measure_value(store, measure.id, "Nov-18", 86)
    # Sam's form shows November's 86 and no December. Meanwhile Alex enters December.
    api.set_measure_value(store, measure.id, "Dec-18", 89, who="Alex Khan")
    with pytest.raises(StaleRecord) as refused:
        api.set_measure_value(store, measure.id, "Dec-18", 88, who="Sam Patel", seen=None)
    said = refused.value.message
    assert said.startswith("The Dec 2018 value of measure A1 Assessments within 45 working days")
    assert "was entered by Alex Khan at" in said and "(89%) since you opened it" in said
    assert refused.value.who == "Alex Khan"
    assert api.get_measure(store, measure.id).latest.value == 89  # Alex's stands
    # A correction of the value the form showed goes through; so does Sam's, once seen.
    api.set_measure_value(store, measure.id, "Nov-18", 87, who="Sam Patel", seen=86)
    api.set_measure_value(store, measure.id, "Dec-18", 88, who="Sam Patel", seen=89)
    values = [(v.label, v.value) for v in api.list_measure_values(store, measure.id)]
    assert values == [("Nov 2018", 87), ("Dec 2018", 88)]
