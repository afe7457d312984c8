"""A lead walks a big pack: an action answering five findings is shown once, refs are jumped
to by typing them, findings and themes are a key apart, and the line under the tree only
ever talks about what just happened."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from _tui_harness import Harness, pilot_test, real_app, settle, settle_app, started
from test_tui_pack import _labels, _link

import store as api
from store import Store
from store.export import export_checklist
from tui.screens.pack import PackScreen, PackTree


def _five_findings(store: Store) -> dict[str, Any]:
    """One action (3.3) answering five front-door findings, and a second theme."""
    findings = [
        api.create_finding(
            store, ref=f"R{n}", title=f"Front door finding {n}", theme="Front door and MASH"
        )
        for n in range(1, 6)
    ]
    shared = api.create_action(
        store, ref="3.3", title="Strategy discussions within 24 hours", owner="Head of MASH",
        due_date="31/03/2018", finding_ids=[f.id for f in findings],
    )  # fmt: skip
    api.create_evidence(store, title="Strategy audit", kind="audit", action_ids=[shared.id])
    other = api.create_finding(store, ref="R15", title="Supervision", theme="Assessment")
    visit = api.create_visit(
        store, title="MV 2", start_date=date(2018, 2, 6),
        focus_themes=["Front door and MASH", "Assessment"],
    )  # fmt: skip
    return {"findings": findings, "shared": shared, "other": other, "visit": visit}


def _highlighted(screen: PackScreen) -> str:
    node = screen.query_one(PackTree).cursor_node
    return str(node.label) if node is not None else ""


@pilot_test
async def test_an_action_answering_five_findings_is_shown_once_and_referred_to_elsewhere(
    store: Store,
) -> None:
    data = _five_findings(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        labels = _labels(screen)
        full = [label for label in labels if label.startswith("3.3 ") and "see" not in label]
        refs = [label for label in labels if label.startswith("3.3 ") and "see R1" in label]
        assert len(full) == 1 and len(refs) == 4
        assert sum("Strategy audit" in label for label in labels) == 1  # its evidence, once
        # On a reference line, u and l still act on the action; the line says where it is.
        await pilot.press("f", *"R4", "enter")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert "see R1" in _highlighted(screen)
        detail = str(screen.query_one("#pack-detail").render())
        assert "answers this finding too: shown in full under R1" in detail
    text = export_checklist(store, data["visit"].id)
    assert text.count("- **Action 3.3:** Strategy discussions within 24 hours, see R1") == 4
    assert text.count("Strategy audit") == 1


@pilot_test
async def test_typing_a_ref_goes_to_it_and_brackets_step_by_finding_and_theme(
    store: Store,
) -> None:
    data = _five_findings(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press(*"r15")
        await settle(pilot)
        assert str(app.screen.query_one("#prompt-note").render()) == "Goes to R15 Supervision"
        await pilot.press("enter")
        await settle(pilot)
        assert _highlighted(screen).startswith("R15 Supervision")
        # An action by its ref: the line where it is shown in full.
        await pilot.press("f", *"3.3", "enter")
        await settle(pilot)
        assert _highlighted(screen).startswith("3.3 ") and "see" not in _highlighted(screen)
        await pilot.press("f", *"R99", "enter")
        await settle(pilot)
        assert "No finding or action R99 in the store." in str(
            screen.query_one("#pack-status").render()
        )
        # ] and [ step by finding (past actions and evidence), } and { by theme; round.
        await pilot.press("f", *"R1", "enter")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert _highlighted(screen).startswith("R2 ")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert _highlighted(screen).startswith("R15 ")  # wrapped to the last finding
        await pilot.press("right_curly_bracket")
        await settle(pilot)
        assert _highlighted(screen).startswith("Front door and MASH")
        await pilot.press("left_curly_bracket")
        await settle(pilot)
        assert _highlighted(screen).startswith("Assessment")


@pilot_test
async def test_f_on_a_ref_not_in_the_pack_says_what_the_lead_can_do_about_it(
    store: Store,
) -> None:
    """f R20, a finding outside the visit's focus, used to say only "No finding or action
    R20 in this view": the lead could not tell a typo from a finding the pack leaves out.
    Now a finding in the store says a adds it; an action, that / finds it; a line only the
    gaps view hides, that g shows all (not the R15 its start also names); a ref nowhere,
    that the store has none. Each fits the status line of an 80-column terminal."""
    data = _five_findings(store)
    api.create_finding(store, ref="R20", title="Adoption panels", theme="Permanence")
    api.create_action(store, ref="9.9", title="Adoption panel training")
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    status = screen.query_one  # after mount

    async def said_to(ref: str) -> str:
        await pilot.press("f", *ref, "enter")
        await settle(pilot)
        line = status("#pack-status")
        assert line.region.height == 1, "the message wraps at 80 columns"
        return str(line.render())

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert await said_to("R20") == "R20 is not in this pack: a adds it, / finds it anywhere."
        assert await said_to("9.9") == "9.9 is not in this pack: / finds it anywhere."
        assert await said_to("R99") == "No finding or action R99 in the store."
        assert await said_to("R") == "R is the start of 7 refs: type more."  # R1-5, R15, R20
        await pilot.press("g")  # gaps only: R1 to R5 have an action with its evidence
        await settle(pilot)
        assert not any(label.startswith("R1 ") for label in _labels(screen))
        assert await said_to("R1") == "R1 has no gaps, so it is not in this view: g shows all."
        assert await said_to("R20") == "R20 is not in this pack: a adds it, / finds it anywhere."
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("f", *"R1", "enter")
        await settle(pilot)
        assert _highlighted(screen).startswith("R1 Front door finding 1")


@pilot_test
async def test_the_status_line_stops_reporting_an_old_action_after_a_later_link(
    store: Store,
) -> None:
    data = _five_findings(store)
    api.create_evidence(store, title="Supervision audit", kind="audit")
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f", *"R15", "enter")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Supervision audits monthly")
        await pilot.press("ctrl+s")
        await settle(pilot)
        status = screen.query_one("#pack-status")
        assert "New action added to R15 Supervision." in str(status.render())
        await _link(pilot, "Supervision audit")
        assert "New action added" not in str(status.render())


@pilot_test
async def test_at_80_by_24_the_pack_footer_keeps_its_own_keys_and_help(
    store: Store, tmp_path: Path
) -> None:
    from tui.widgets.key_footer import KeyFooter

    data = _five_findings(store)
    app = real_app(store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.push_screen(PackScreen(data["visit"].id))
        await settle_app(pilot)
        shown = app.screen.query_one(KeyFooter).shown_keys()
        assert shown[:7] == ["x", "g", "n", "l", "u", "a", "d"], shown
        assert "question_mark" in shown and "ctrl+p" in shown


@pilot_test
async def test_on_an_owned_line_the_export_offers_that_owners_chase_list(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Checkbox, Input

    data = _five_findings(store)
    monkeypatch.chdir(tmp_path)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f", *"3.3", "enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        box = app.screen.query_one("#prompt-value", Input)
        app.screen.query_one("#export-owner", Checkbox).value = True
        await settle(pilot)
        assert box.value == str(tmp_path / "mv-2-chase-head-of-mash.md")
        await pilot.press("enter")
        await settle(pilot)
    text = (tmp_path / "mv-2-chase-head-of-mash.md").read_text(encoding="utf-8")
    assert text.startswith("# To chase before the visit: Head of MASH\n")
    assert text.endswith(
        "## To chase before the visit\n\nNothing to chase: no gaps.\n"
    )  # 3.3 is on track


@pilot_test
async def test_e_goes_to_the_next_evidence_to_tick_so_each_tick_is_two_keys(store: Store) -> None:
    """Issue 19.8: ticking took an arrow for every line between two items; e goes to the
    next item not yet ticked, past ticked ones, wrapping round."""
    findings = [
        api.create_finding(store, ref=f"R{n}", title=f"Finding {n}", theme="Assessment")
        for n in (1, 2, 3)
    ]
    items = {}
    for n, finding in enumerate(findings, start=1):
        action = api.create_action(
            store, ref=f"1.{n}", title=f"Action {n}", finding_ids=[finding.id]
        )
        items[n] = api.create_evidence(
            store, title=f"Audit {n}", kind="audit", action_ids=[action.id]
        )
    visit = api.create_visit(
        store, title="MV 3", start_date=date(2018, 2, 6), focus_themes=["Assessment"]
    )
    api.set_evidence_ready(store, visit.id, items[2].id, True)  # ticked already: passed over
    screen = PackScreen(visit.id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert _highlighted(screen).startswith("Assessment")
        await pilot.press("e")
        await settle(pilot)
        assert "Audit 1" in _highlighted(screen)
        assert "e the next to tick" in str(screen.query_one("#pack-keys").render())
        await pilot.press("space", "e")
        await settle(pilot)
        assert "Audit 3" in _highlighted(screen)  # Audit 2 is ready: passed over
        await pilot.press("space", "e")
        await settle(pilot)
        assert "Audit 3" in _highlighted(screen)  # nothing left: the cursor stays
        said = str(screen.query_one("#pack-status").render())
        assert said.startswith("Nothing left to tick in this view")
    pack = api.build_pack(store, visit.id)
    assert pack.evidence_ready == 3


@pilot_test
async def test_two_reports_r1_in_one_pack_are_both_reached_by_typing_the_ref(
    store: Store,
) -> None:
    """Issue 19 in tmux: Kingston's pack held the ILACS R1 and the SIF R1; f R1 reached
    only the first. Typing the ref again goes on to the next, and the prompt says so."""
    sif = api.create_source(store, kind="inspection", title="SIF 2015", start_date="3 Aug 2015")
    ilacs = api.create_source(
        store, kind="inspection", title="ILACS 2019", start_date="19 Dec 2019"
    )
    for source, title in ((ilacs, "The review of CIN plans"), (sif, "Share CP reports")):
        api.create_finding(store, ref="R1", title=title, theme="Assessment", source_id=source.id)
    api.create_finding(store, ref="R2", title="Strategy discussions", theme="Assessment")
    visit = api.create_visit(
        store, title="MV 1", start_date=date(2018, 2, 6), focus_themes=["Assessment"]
    )
    screen = PackScreen(visit.id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f", *"R1")
        await settle(pilot)
        note = str(app.screen.query_one("#prompt-note").render())
        assert note.startswith("Goes to R1 ") and "(2 have this ref: f and it again" in note
        await pilot.press("enter")
        await settle(pilot)
        first = _highlighted(screen)
        await pilot.press("f", *"R1", "enter")
        await settle(pilot)
        second = _highlighted(screen)
        assert "R1 The review of CIN plans" in first + second
        assert "R1 Share CP reports" in first + second
        assert first.startswith("R1 ") and second.startswith("R1 ") and first != second
        await pilot.press("f", *"R1", "enter")  # round to the first again
        await settle(pilot)
        assert _highlighted(screen) == first
        await pilot.press("f", *"R2", "enter")  # one of its ref: no word about others
        await settle(pilot)
        assert _highlighted(screen).startswith("R2 Strategy discussions")
