"""A lead opens a record and follows its links both ways, links more, adds updates."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from _tui_harness import pilot_test, settle, type_into
from textual.geometry import Region

import store as api
from store import Store
from tui.app import VisitPrepApp
from tui.screens.confirm import ConfirmScreen
from tui.screens.detail import DetailScreen
from tui.screens.link_picker import LinkPicker
from tui.screens.lists import ListScreen
from tui.widgets.key_footer import KeyFooter
from tui.widgets.record_table import RecordTable

SIZE = (150, 50)


def _detail(app: VisitPrepApp) -> DetailScreen:
    assert isinstance(app.screen, DetailScreen), app.screen
    return app.screen


def _text(app: VisitPrepApp, selector: str) -> str:
    return _drawn(app, selector)


def _fields(app: VisitPrepApp) -> str:
    """The fields grid as plain text."""
    return _drawn(app, "#detail-fields")


def _drawn(app: VisitPrepApp, selector: str) -> str:
    """A widget's lines as drawn on screen."""
    widget = app.screen.query_one(selector)
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(strip.text.rstrip() for strip in strips)


def _footer(app: VisitPrepApp) -> str:
    """The footer's keys on show, with their labels: "l Link findings · u Update · ..."."""
    from tui.compat import FooterKey

    keys = app.screen.query_one(KeyFooter).query_children(FooterKey)
    return " · ".join(f"{key.key} {key.description}" for key in keys if key.display)


def _section(app: VisitPrepApp, key: str) -> list[Any]:
    table = app.screen.query_one(f"#section-{key}", RecordTable)
    assert table.total is not None
    return [row.record for i in range(table.total) if (row := table.row_at(i)) is not None]


async def _open(pilot: Any, kind: str, record_id: int) -> DetailScreen:
    pilot.app.open_record(kind, record_id)
    await settle(pilot)
    return _detail(pilot.app)


def _plan(store: Store) -> dict[str, Any]:
    source = api.create_source(
        store,
        kind="inspection",
        title="Northbridge ILACS 2018",
        start_date=date(2018, 1, 8),
        judgements=[("Experiences and progress of children in care", "inadequate")],
    )
    finding = api.create_finding(
        store,
        title="Care plans are not reviewed",
        ref="R3",
        source_id=source.id,
        theme="Children in care",
        judgement_area="Experiences and progress of children in care",
        text="Too many care plans are out of date.",
    )
    later = api.create_finding(
        store, title="Reviews still late", ref="MV1-2", kind="progress", parent_id=finding.id
    )
    action = api.create_action(
        store, title="Care plan review tracker", ref="A1", owner="Head of CiC",
        due_date=date(2018, 1, 5), brag="amber", finding_ids=[finding.id],
    )  # fmt: skip
    other = api.create_action(store, title="IRO escalation protocol", ref="A2", owner="IRO lead")
    return {"source": source, "finding": finding, "later": later, "action": action, "other": other}


@pilot_test
async def test_a_finding_shows_its_source_judgement_parent_children_actions_and_evidence(
    store: Store, tmp_path: Path
) -> None:
    plan = _plan(store)
    audit = api.create_evidence(
        store, title="Care plan audit", kind="audit", finding_ids=[plan["finding"].id]
    )
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "finding", plan["finding"].id)
        heading = _text(app, "#detail-heading")
        assert "R3" in heading and "Care plans are not reviewed" in heading
        fields = _fields(app)
        assert "Experiences and progress of children in care  — graded inadequate" in fields
        assert "Too many care plans are out of date." in fields
        actions = _section(app, "actions")
        assert [a.ref for a in actions] == ["A1"]
        assert [e.id for e in _section(app, "evidence")] == [audit.id]
        assert [f.ref for f in _section(app, "later")] == ["MV1-2"]
        # The action row shows BRAG, owner and due (overdue in words).
        table = app.screen.query_one("#section-actions", RecordTable)
        row = table.render_line(1).text
        assert "Head of CiC" in row and "▲ Amber" in row and "overdue 15d" in row
        links = _text(app, "#detail-links")
        assert "Northbridge ILACS 2018" in links

        # enter on the source link opens the source; escape comes back.
        app.screen.query_one("#detail-links").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert (_detail(app).kind, _detail(app).record_id) == ("source", plan["source"].id)
        assert [f.ref for f in _section(app, "findings")] == ["R3"]
        await pilot.press("escape")
        await settle(pilot)
        assert _detail(app).kind == "finding"


@pilot_test
async def test_enter_follows_links_and_escape_goes_back_the_way_it_came(store: Store) -> None:
    plan = _plan(store)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.open_list("finding")
        await settle(pilot)
        assert isinstance(app.screen, ListScreen)
        while app.screen.table.record.ref != "R3":
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)
        assert _detail(app).record_id == plan["finding"].id
        app.screen.query_one("#section-actions").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert (_detail(app).kind, _detail(app).record_id) == ("action", plan["action"].id)
        # ...and from the action back to the finding it answers: the link both ways.
        assert [f.id for f in _section(app, "findings")] == [plan["finding"].id]
        await pilot.press("escape")
        await settle(pilot)
        assert (_detail(app).kind, _detail(app).record_id) == ("finding", plan["finding"].id)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ListScreen)


@pilot_test
async def test_l_from_a_finding_links_an_action_and_the_detail_shows_it(store: Store) -> None:
    plan = _plan(store)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "finding", plan["finding"].id)
        assert [a.ref for a in _section(app, "actions")] == ["A1"]
        await pilot.press("l")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, LinkPicker) and picker.to_kind == "action"
        await type_into(pilot, "#link-query", "escalation protcol")  # a typo
        await settle(pilot)
        assert picker.candidates[0].id == plan["other"].id
        await pilot.press("enter")
        await settle(pilot)
        # The detail under the picker has already caught up.
        await pilot.press("escape")
        await settle(pilot)
        assert sorted(a.ref for a in _section(app, "actions")) == ["A1", "A2"]
        assert "Actions (2)" in _text(app, "#heading-actions")
    assert app.errors == []


@pilot_test
async def test_l_in_the_evidence_table_links_evidence(store: Store) -> None:
    plan = _plan(store)
    minutes = api.create_evidence(store, title="Corporate parenting minutes", kind="minutes")
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "finding", plan["finding"].id)
        app.screen.query_one("#section-evidence").focus()
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LinkPicker) and app.screen.to_kind == "evidence"
        await type_into(pilot, "#link-query", "parenting")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert [e.id for e in _section(app, "evidence")] == [minutes.id]


@pilot_test
async def test_on_an_action_the_footer_says_what_l_links_as_the_focus_moves(
    store: Store,
) -> None:
    """l links the focused table's kind; the footer and the empty table say which."""
    action = api.create_action(store, title="Dental checks audit", ref="3.9")
    finding = api.create_finding(store, title="Health assessments are late", ref="R16")
    api.link(store, "finding", finding.id, "action", action.id)
    api.create_evidence(store, title="Dental checks tracker")
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "action", action.id)
        assert "tab here, then n adds a new evidence item or l links some" in _text(
            app, "#section-evidence"
        )
        assert "Link findings" in _footer(app)  # the findings table has the focus
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#section-evidence")
        footer = _footer(app)
        assert "l Link evidence" in footer and "n New evidence" in footer
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LinkPicker) and app.screen.to_kind == "evidence"


@pilot_test
async def test_at_80_columns_the_footer_keeps_new_and_link_before_edit_and_delete(
    store: Store,
) -> None:
    action = api.create_action(store, title="Dental checks audit", ref="3.9")
    app = VisitPrepApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "action", action.id)
        footer = _footer(app)
        assert "n New evidence" in footer and "l Link" in footer and "question_mark Help" in footer


@pilot_test
async def test_u_adds_an_update_and_the_history_shows_it_newest_first(store: Store) -> None:
    plan = _plan(store)
    api.add_action_update(
        store, plan["action"].id, note="Tracker designed", brag="amber", on_date=date(2018, 1, 2)
    )
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "action", plan["action"].id)
        assert "Tracker designed" in _text(app, "#detail-history")
        await pilot.press("u")
        await settle(pilot)
        await pilot.press(*"Live in all teams")
        await pilot.press("ctrl+s")
        await settle(pilot)
        history = _text(app, "#detail-history")
        assert history.index("Live in all teams") < history.index("Tracker designed")
        assert "20/01/2018" in history or "20 Jan 2018" in history
        assert "Updates (2)" in _text(app, "#heading-history")
    assert app.errors == []


@pilot_test
async def test_evidence_says_what_it_supports_and_whether_its_file_exists(
    store: Store, tmp_path: Path
) -> None:
    plan = _plan(store)
    present = tmp_path / "audit.xlsx"
    present.write_text("audit")
    here = api.create_evidence(
        store, title="Audit", location=str(present), action_ids=[plan["action"].id],
        finding_ids=[plan["finding"].id],
    )  # fmt: skip
    gone = api.create_evidence(store, title="Old tracker", location=str(tmp_path / "gone.xlsx"))
    web = api.create_evidence(store, title="Dashboard", location="https://example.org/kpi")
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "evidence", here.id)
        assert "file exists" in _fields(app)
        assert [a.ref for a in _section(app, "actions")] == ["A1"]
        assert [f.ref for f in _section(app, "findings")] == ["R3"]
        await pilot.press("escape")
        await _open(pilot, "evidence", gone.id)
        assert "file missing" in _fields(app)
        assert "missing" in _text(app, "#detail-heading")
        await pilot.press("escape")
        await _open(pilot, "evidence", web.id)
        assert "link (not checked)" in _fields(app)


@pilot_test
async def test_deleting_from_the_detail_asks_then_goes_back(store: Store) -> None:
    plan = _plan(store)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.open_list("action")
        await settle(pilot)
        await _open(pilot, "action", plan["other"].id)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert _detail(app).record_id == plan["other"].id
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ListScreen)
        assert [a.ref for a in api.list_actions(store)] == ["A1"]
        assert app.screen.table.total == 1


@pilot_test
async def test_user_text_in_a_detail_shows_literally(store: Store) -> None:
    finding = api.create_finding(
        store, title="[bold]x[/]", ref="R1", text="line one\n[red]two[/red]"
    )
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "finding", finding.id)
        assert "[bold]x[/]" in _text(app, "#detail-heading")
        assert "[red]two[/red]" in _fields(app)


@pilot_test
async def test_a_later_finding_made_while_looking_shows_up(store: Store) -> None:
    finding = api.create_finding(store, title="Supervision is irregular", ref="R6")
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "finding", finding.id)
        assert not app.screen.query("#section-later")
        api.create_finding(store, title="Still irregular", ref="MV2-1", parent_id=finding.id)
        await settle(pilot)
        await settle(pilot)
        assert [f.ref for f in _section(app, "later")] == ["MV2-1"]
        assert len(app.screen.query("#section-actions")) == 1


@pilot_test
async def test_u_on_an_action_in_a_findings_detail_updates_that_action(store: Store) -> None:
    plan = _plan(store)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "finding", plan["finding"].id)
        assert app.focused is app.screen.query_one("#section-actions")
        await pilot.press("u")
        await settle(pilot)
        await pilot.press(*"Tracker in use")
        await pilot.press("ctrl+s")
        await settle(pilot)
        updates = api.list_action_updates(store, plan["action"].id)
        assert [u.note for u in updates] == ["Tracker in use"]
        # A later update (here, straight into the store) shows in the row at once.
        api.add_action_update(store, plan["action"].id, note="Stalled", brag="red")
        await settle(pilot)
        row = app.screen.query_one("#section-actions", RecordTable).render_line(1).text
        assert "■ Red" in row


@pilot_test
async def test_a_record_deleted_elsewhere_closes_its_detail_and_says_so(store: Store) -> None:
    plan = _plan(store)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.open_list("action")
        await settle(pilot)
        await _open(pilot, "action", plan["other"].id)
        api.delete_action(store, plan["other"].id)  # written elsewhere in the app
        await settle(pilot)
        assert isinstance(app.screen, ListScreen)
        assert app.screen.table.total == 1
    assert app.errors == []


@pilot_test
async def test_n_on_a_finding_with_no_action_adds_a_new_action_linked_to_it(
    store: Store,
) -> None:
    finding = api.create_finding(
        store, title="Health assessments are late", ref="R16", theme="Children in care"
    )
    app = VisitPrepApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open(pilot, "finding", finding.id)
        # The empty table says how to fill it: a new action, or one already stored.
        assert "n adds a new action or l links one" in _text(app, "#section-actions")
        await pilot.press("n")
        await settle(pilot)
        assert "New action for R16 Health assessments are late" in _drawn(app, "#form-title")
        await pilot.press(*"Health assessment tracker", "ctrl+s")
        await settle(pilot)
        detail = _detail(app)
        assert detail.record_id == finding.id
        assert [a.title for a in _section(app, "actions")] == ["Health assessment tracker"]
    [action] = api.list_actions(store, finding_id=finding.id)
    assert action.theme == "Children in care"  # the finding's theme, as the form offered
    assert app.errors == []


@pilot_test
async def test_n_on_an_action_adds_evidence_for_it(store: Store) -> None:
    plan = _plan(store)
    app = VisitPrepApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open(pilot, "action", plan["action"].id)
        await pilot.press("n")
        await settle(pilot)
        assert "New evidence item for A1 Care plan review tracker" in _drawn(app, "#form-title")
        await pilot.press(*"Review tracker, January", "ctrl+s")
        await settle(pilot)
        assert _detail(app).record_id == plan["action"].id
        assert [e.title for e in _section(app, "evidence")] == ["Review tracker, January"]
    assert app.errors == []


@pilot_test
async def test_a_findings_actions_show_whole_titles_and_owners_that_can_be_told_apart(
    store: Store,
) -> None:
    finding = api.create_finding(store, title="Care plans", ref="R3")
    for ref, title, owner in [
        ("3.2", "Life-story work for every child with a plan", "Head of Service – "
         "Children in Care"),
        ("3.3", "Permanence planning meeting by the second review", "Service Manager – "
         "Children in Care"),
    ]:  # fmt: skip
        api.create_action(
            store, title=title, ref=ref, owner=owner, due_date=date(2018, 6, 30),
            finding_ids=[finding.id],
        )  # fmt: skip
    app = VisitPrepApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open(pilot, "finding", finding.id)
        table = _text(app, "#section-actions")
        # Nothing is overdue, so the Due column is a date wide and the titles get the room.
        assert "Life-story work for every child with a plan " in table
        assert "HoS – Children in Care" in table and "SM – Children in Care" in table
        assert "30 Jun 2018 " in table


def test_a_long_owner_keeps_the_team_and_shortens_the_role() -> None:
    from tui.widgets.badges import short_owner

    assert short_owner("Head of Service – Children in Care", 18) == "HoS – Children in Care"
    assert short_owner("HR Business Partner – Children's", 18) == "HRBP – Children's"
    assert short_owner("Head of Early Help", 18) == "Head of Early Help"  # it fits
    assert short_owner("Independent Reviewing Officer", 18) == "Independent Reviewing Officer"


@pilot_test
async def test_a_finding_with_no_action_says_so_in_its_heading(store: Store) -> None:
    bare = api.create_finding(store, title="Health assessments are late", ref="R16")
    strength = api.create_finding(store, title="Strong MASH", ref="S1", kind="strength")
    app = VisitPrepApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open(pilot, "finding", bare.id)
        assert "⚠ No action" in _text(app, "#detail-heading")
        await _open(pilot, "finding", strength.id)  # a strength needs no action
        assert "No action" not in _text(app, "#detail-heading")


@pilot_test
async def test_out_of_date_evidence_is_called_that_as_on_the_dashboard(store: Store) -> None:
    evidence = api.create_evidence(
        store, title="Old audit", kind="audit", as_of=date(2017, 1, 1), review_by=date(2017, 6, 1)
    )
    app = VisitPrepApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open(pilot, "evidence", evidence.id)
        assert "⚠ out of date" in _text(app, "#detail-heading")
        assert "stale" not in _text(app, "#detail-heading")


@pilot_test
async def test_another_councils_report_and_its_findings_say_what_they_are_for(
    store: Store,
) -> None:
    from tui.screens.record_form import RecordForm

    haringey = api.create_source(store, kind="inspection", title="Haringey ILACS 2018",
                                 local_authority="Haringey", ours=False)  # fmt: skip
    finding = api.create_finding(store, title="Return home interviews are offered late",
                                 ref="R8", source_id=haringey.id)  # fmt: skip
    says = "Another council's report (Haringey): for search and learning; not in packs or gaps."
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "finding", finding.id)
        assert "another council's" in _text(app, "#detail-heading")
        assert "no action" not in _text(app, "#detail-heading")  # never a gap
        assert says in " ".join(_fields(app).split())
        # n would add an action answering Haringey's finding: not offered, and does nothing.
        detail = app.screen
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is detail
        assert "e Edit" in _footer(app) and "New" not in _footer(app)
        # ... nor l, to link our actions or evidence to it.
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is detail
        assert "Link" not in _footer(app)
        await _open(pilot, "source", haringey.id)
        assert says in " ".join(_fields(app).split())
        # e: the source's form lets the lead say it is their council's own after all.
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        box = form.query_one("#field-ours")
        assert box.value is False  # type: ignore[attr-defined]
        box.focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert api.get_source(store, haringey.id).ours
        assert "Another council's" not in _fields(app)
        assert "another council's" not in _text(app, "#detail-heading")


@pilot_test
async def test_evidence_counts_the_findings_it_supports_through_its_actions_too(
    store: Store, tmp_path: Path
) -> None:
    """Issue 19.9: "Findings it supports (0)" on evidence linked only to actions that
    answer findings; the Findings list counts both ways, and so does the detail now."""
    plan = _plan(store)
    second = api.create_finding(store, title="Permanence plans drift", ref="R4")
    api.link(store, "finding", second.id, "action", plan["action"].id)
    third = api.create_finding(store, title="IRO footprint is weak", ref="R5")
    tracker = api.create_evidence(
        store, title="Care plan review tracker, Dec", kind="tracker",
        action_ids=[plan["action"].id], finding_ids=[third.id, plan["finding"].id],
    )  # fmt: skip
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "evidence", tracker.id)
        heading = _text(app, "#heading-findings")
        assert "Findings it supports (3: 2 directly, 1 through its actions)" in heading
        assert {f.ref for f in _section(app, "findings")} == {"R3", "R4", "R5"}


@pilot_test
async def test_o_opens_an_evidence_file_c_copies_its_location_and_the_detail_shows_it_all(
    store: Store, tmp_path: Path, monkeypatch: Any
) -> None:
    """Issue 15.3: evidence could not be opened from the app, and its location was cut."""
    folder = tmp_path / "Shared drive" / "Children in care" / "Audits 2018-19" / "December"
    folder.mkdir(parents=True)
    audit_file = folder / "Care plan audit - December 2018 - final version for the board.docx"
    audit_file.write_text("audit")
    audit = api.create_evidence(store, title="Care plan audit", location=str(audit_file))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = VisitPrepApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "evidence", audit.id)
        shown = "".join(_fields(app).split())  # folded over lines, never cut
        assert "".join(str(audit_file).split()) in shown
        assert "o Open file" in _footer(app)
        await pilot.press("o")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("no display here" in m and "c to copy" in m for m in said), said
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == str(audit_file)


def test_open_location_uses_the_systems_handler_and_says_why_when_it_cannot(
    tmp_path: Path,
) -> None:
    from tui.opening import NO_DISPLAY, open_location

    started: list[list[str]] = []
    here = tmp_path / "audit.docx"
    here.write_text("x")
    env = {"DISPLAY": ":0", "PATH": str(tmp_path)}
    opener = tmp_path / "xdg-open"
    opener.write_text("#!/bin/sh\n")
    opener.chmod(0o755)
    assert open_location(str(here), platform="linux", environ=env, start=started.append)[0]
    assert started == [[str(opener), str(here)]]
    assert open_location("www.gov.uk/x", platform="darwin", start=started.append)[0]
    assert started[-1] == ["open", "https://www.gov.uk/x"]
    assert open_location(str(here), platform="linux", environ={}, start=started.append) == (
        False,
        NO_DISPLAY,
    )
    gone = open_location(str(tmp_path / "moved.docx"), platform="linux", environ=env)
    assert not gone[0] and "not there" in gone[1]
    none = open_location(str(here), platform="linux", environ={"DISPLAY": ":0", "PATH": "/nope"})
    assert not none[0] and "xdg-open is not installed" in none[1]
