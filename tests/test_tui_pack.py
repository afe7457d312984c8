"""A lead builds a visit's evidence pack: ticks evidence, adds and drops findings, exports."""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from _tui_harness import Harness, pilot_test, settle, type_into, type_keys

import store as api
from store import Store
from tui.screens.export_prompt import default_export_path
from tui.screens.pack import PackScreen, PackTree, countdown


@pytest.fixture
def export_checklist(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The CLI's export function (a stand-in that lists the ticks until store.export lands)."""
    try:
        from store.export import export_checklist as real

        return real
    except ImportError:

        def stand_in(store: Store, visit_id: int) -> str:
            pack = api.build_pack(store, visit_id)
            lines = [f"# {pack.visit.title}"]
            for theme in pack.themes:
                for pf in theme.findings:
                    for pa in pf.actions:
                        for item in pa.evidence:
                            tick = "x" if item.ready else " "
                            lines.append(f"- [{tick}] {item.evidence.title}")
            return "\n".join(lines) + "\n"

        module = types.ModuleType("store.export")
        module.export_checklist = stand_in  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "store.export", module)
        return stand_in


def _visit(store: Store) -> dict[str, Any]:
    """A care-leavers monitoring visit with one finding answered, one not, one elsewhere."""
    answered = api.create_finding(
        store, title="Pathway plans are not updated", ref="R4", theme="Care leavers"
    )
    unanswered = api.create_finding(
        store, title="Too few care leavers in EET", ref="R5", theme="Care leavers"
    )
    elsewhere = api.create_finding(
        store, title="Return home interviews are late", ref="R7", theme="Exploitation"
    )
    action = api.create_action(
        store,
        title="Audit pathway plans monthly",
        ref="A1",
        owner="Head of care leavers",
        due_date="31/12/2017",
        brag="amber",
        finding_ids=[answered.id],
    )
    audit = api.create_evidence(
        store, title="Pathway plan audit, December", kind="audit", action_ids=[action.id]
    )
    tracker = api.create_evidence(
        store, title="Care leaver tracker", kind="tracker", action_ids=[action.id]
    )
    visit = api.create_visit(
        store,
        title="Monitoring visit 4: care leavers",
        start_date=date(2018, 2, 6),
        end_date=date(2018, 2, 7),
        focus_themes=["Care leavers"],
    )
    return {
        "visit": visit,
        "answered": answered,
        "unanswered": unanswered,
        "elsewhere": elsewhere,
        "action": action,
        "audit": audit,
        "tracker": tracker,
    }


def _labels(screen: PackScreen) -> list[str]:
    tree = screen.query_one(PackTree)
    out = []

    def walk(node: Any) -> None:
        for child in node.children:
            out.append(str(child.label))
            walk(child)

    walk(tree.root)
    return out


def _line(screen: PackScreen, text: str) -> str:
    [found] = [label for label in _labels(screen) if text in label]
    return found


async def _cursor_to(pilot: Any, screen: PackScreen, text: str) -> None:
    tree = screen.query_one(PackTree)
    for line in range(tree.last_line + 1):
        node = tree.get_node_at_line(line)
        if node is not None and text in str(node.label):
            tree.move_cursor(node)
            await pilot.pause()
            return
    raise AssertionError(f"no line with {text!r}")


@pilot_test
async def test_the_pack_shows_scope_readiness_countdown_and_gaps(store: Store) -> None:
    data = _visit(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        header = str(screen.query_one("#pack-header").render())
        assert "Monitoring visit 4: care leavers" in header
        assert "6 Feb 2018 – 7 Feb 2018" in header
        assert "in 17 days" in header
        assert "Focus: Care leavers" in header
        assert "Ready 0 / needed 2" in header
        labels = _labels(screen)
        assert any("R4 Pathway plans are not updated" in label for label in labels)
        assert not any("Return home interviews" in label for label in labels)
        # The gaps are said in words on the lines they belong to.
        assert "no action" in _line(screen, "R5 Too few care leavers").lower()
        assert "overdue" in _line(screen, "A1 Audit pathway plans").lower()
        assert "☐ Pathway plan audit, December" in _line(screen, "Pathway plan audit")


@pilot_test
async def test_a_focus_theme_with_no_findings_yet_is_named_and_said_empty(store: Store) -> None:
    data = _visit(store)
    # The visit looks at the front door too, where nothing is recorded yet.
    api.update_visit(store, data["visit"].id, focus_themes=["Care leavers", "Front door and MASH"])
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        labels = _labels(screen)
        # In the theme list's order, before care leavers, and saying it is empty.
        assert labels[0] == "Front door and MASH  No findings in this theme yet"
        assert labels[1].startswith("Care leavers  2 findings")
        await _cursor_to(pilot, screen, "Front door and MASH")
        detail = str(screen.query_one("#pack-detail").render())
        assert (
            detail == "Front door and MASH is in this visit's focus. No findings in this theme yet."
        )
        # Nothing to fold: the keys say only what does something here.
        assert str(screen.query_one("#pack-keys").render()) == "a adds a finding by hand"


@pilot_test
async def test_a_lead_ticks_evidence_ready_with_space(store: Store) -> None:
    data = _visit(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _cursor_to(pilot, screen, "Pathway plan audit")
        await pilot.press("space")
        await settle(pilot)
        assert "✓ Pathway plan audit, December" in _line(screen, "Pathway plan audit")
        assert "Ready 1 / needed 2" in str(screen.query_one("#pack-header").render())
        # The cursor stayed where it was: the next tick is one key away.
        assert "Pathway plan audit" in str(screen.query_one(PackTree).cursor_node.label)
        await pilot.press("space")
        await settle(pilot)
        assert "☐ Pathway plan audit" in _line(screen, "Pathway plan audit")
        await pilot.press("space")
        await settle(pilot)
    pack = api.build_pack(store, data["visit"].id)
    assert pack.evidence_ready == 1


@pilot_test
async def test_ticking_out_of_date_evidence_says_it_is_still_a_gap(store: Store) -> None:
    data = _visit(store)
    api.update_evidence(store, data["audit"].id, as_of=date(2017, 1, 31))  # a year old
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _cursor_to(pilot, screen, "Pathway plan audit")
        await pilot.press("space")
        await settle(pilot)
        status = str(screen.query_one("#pack-status").render())
        assert status == "Ticked ready, though it is out of date: still a gap."
        await _cursor_to(pilot, screen, "Care leaver tracker")
        await pilot.press("space")
        await settle(pilot)
        assert str(screen.query_one("#pack-status").render()) == "Ticked ready."
    pack = api.build_pack(store, data["visit"].id)
    assert pack.evidence_ready == 2
    audit = data["audit"].id
    assert [g.kind for g in pack.gaps if (g.record_kind, g.record_id) == ("evidence", audit)] == [
        "stale"
    ]


@pilot_test
async def test_a_lead_drops_a_finding_restores_it_and_adds_one_by_hand(store: Store) -> None:
    data = _visit(store)
    visit_id = data["visit"].id
    screen = PackScreen(visit_id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _cursor_to(pilot, screen, "R5 Too few care leavers")
        await pilot.press("d")
        await settle(pilot)
        assert "Dropped from this pack (1)" in "\n".join(_labels(screen))
        assert "where a puts it back" in str(screen.query_one("#pack-status").render())
        assert [f.id for f in api.build_pack(store, visit_id).dropped] == [data["unanswered"].id]

        await _cursor_to(pilot, screen, "R5 Too few care leavers")  # now under "Dropped"
        await pilot.press("a")
        await settle(pilot)
        assert api.build_pack(store, visit_id).dropped == ()
        assert not any("Dropped" in label for label in _labels(screen))

        await pilot.press("a")  # a finding from outside the focus, found in the palette
        await settle(pilot)
        assert _offered(app) == ["R7  Return home interviews are late  · Exploitation and missing"]
        await type_keys(pilot, "CommandInput", "retrun home")  # a typo: still found
        await settle(pilot)
        assert _offered(app) == ["R7  Return home interviews are late  · Exploitation and missing"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "(added by hand)" in _line(screen, "R7 Return home interviews")
        assert str(screen.query_one("#pack-status").render()) == "Finding added."
        cursor = screen.query_one(PackTree).cursor_node
        assert cursor is not None and "R7 Return home interviews" in str(cursor.label)
    scope = [pf.finding.id for t in api.build_pack(store, visit_id).themes for pf in t.findings]
    assert data["elsewhere"].id in scope


def _offered(app: Any) -> list[str]:
    """What the palette that a opened offers, one line each, as the lead reads them."""
    from textual.command import CommandList, CommandPalette

    palette = app.screen
    assert isinstance(palette, CommandPalette)
    options = palette.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@contextlib.asynccontextmanager
async def _adding_to(store: Store, visit_id: int) -> AsyncIterator[tuple[Any, Harness]]:
    """The visit's pack, a pressed: the palette of findings to add is open, its box empty."""
    app = Harness(store, PackScreen(visit_id))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        placeholder = app.screen.query_one("CommandInput").placeholder
        assert placeholder == "Add a finding to this pack: type to find it (typos are fine)"
        yield pilot, app


@pilot_test
async def test_a_offers_only_findings_the_pack_has_not_got(store: Store) -> None:
    """The palette a opens never offers what is in the pack already, typed for or not."""
    data = _visit(store)
    other = api.create_finding(store, title="Pathway plans for care leavers", ref="R9")
    async with _adding_to(store, data["visit"].id) as (pilot, app):
        # R4 and R5 are in the pack (its focus): only R7 and R9 are offered.
        assert sorted(line.split("  ")[0] for line in _offered(app)) == ["R7", "R9"]
        await type_keys(pilot, "CommandInput", "pathway plans")
        await settle(pilot)
        assert [line.split("  ")[0] for line in _offered(app)] == ["R9"]  # not R4
        await pilot.press("escape")  # adds nothing
        await settle(pilot)
        assert isinstance(app.screen, PackScreen)
    scope = {
        pf.finding.id for t in api.build_pack(store, data["visit"].id).themes for pf in t.findings
    }
    assert scope == {data["answered"].id, data["unanswered"].id}
    assert other.id not in scope


@pilot_test
async def test_enter_pasted_before_the_matches_come_adds_the_top_match_of_what_was_pasted(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paste then enter on a big store: the search has not answered yet and the list
    still shows the best findings; enter waits for the matches and adds the top one."""
    import threading

    from textual import events

    import store.search as search_api

    data = _visit(store)
    aardvark = api.create_finding(store, title="Aardvark audits are late", ref="R1")
    answer = threading.Event()
    real = search_api.search

    def slow(searched: Store, query: str, **kwargs: Any) -> Any:
        if query:
            answer.wait(10)  # the search of what is typed answers when the test says
        return real(searched, query, **kwargs)

    monkeypatch.setattr(search_api, "search", slow)
    async with _adding_to(store, data["visit"].id) as (pilot, app):
        before = _offered(app)
        assert before[0].startswith("R7  Return home")  # the best first: not the aardvark
        app.screen.query_one("CommandInput").post_message(events.Paste("aardvark"))
        await pilot.press("enter")
        assert _offered(app) == before  # still open, on the list of nothing typed
        answer.set()
        await settle(pilot)
        assert isinstance(app.screen, PackScreen)
        assert "(added by hand)" in _line(app.screen, "R1 Aardvark audits")
    scope = {
        pf.finding.id for t in api.build_pack(store, data["visit"].id).themes for pf in t.findings
    }
    assert aardvark.id in scope and data["elsewhere"].id not in scope


@pilot_test
async def test_a_failed_search_for_a_finding_to_add_is_said(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.search as search_api

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the search index is locked")

    monkeypatch.setattr(search_api, "search", broken)
    data = _visit(store)
    async with _adding_to(store, data["visit"].id) as (pilot, app):
        assert app.errors == ["Search failed: the search index is locked"]  # the first list
        await type_keys(pilot, "CommandInput", "return")
        await settle(pilot)
        assert app.errors[-1] == "Search failed: the search index is locked"
        assert _offered(app) in ([], ["No matches found"])  # still open, nothing to add
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PackScreen)


@pilot_test
async def test_g_shows_only_what_has_gaps(store: Store) -> None:
    data = _visit(store)
    api.update_action(store, data["action"].id, due_date="31/03/2018")  # no longer overdue
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        labels = "\n".join(_labels(screen))
        assert "R5 Too few care leavers" in labels
        assert "R4 Pathway plans" not in labels
        await pilot.press("g")
        await settle(pilot)
        assert "R4 Pathway plans" in "\n".join(_labels(screen))


@pilot_test
async def test_a_lead_exports_the_checklist_to_a_path_they_choose(
    store: Store, tmp_path: Path, export_checklist: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _visit(store)
    api.set_evidence_ready(store, data["visit"].id, data["audit"].id, True)
    monkeypatch.chdir(tmp_path)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    target = tmp_path / "packs" / "mv4.md"
    target.parent.mkdir()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        path_input = app.screen.query_one("#prompt-value")
        # No documents folder and no export yet: the folder visitprep started in, said so.
        assert path_input.value == str(tmp_path / "monitoring-visit-4-care-leavers-checklist.md")
        explained = str(app.screen.query_one("#prompt-explained").render())
        assert (
            explained
            == "The file goes in the folder visitprep was started in unless you change it."
        )

        await type_into(pilot, "#prompt-value", str(tmp_path / "no-such-folder" / "mv4.md"))
        await pilot.press("enter")
        await settle(pilot)
        error = str(app.screen.query_one("#prompt-error").render())
        assert "Cannot write" in error and "no-such-folder" in error

        await type_into(pilot, "#prompt-value", "packs/mv4.md")
        # The old error was about the old path: it goes as soon as the path changes.
        assert str(app.screen.query_one("#prompt-error").render()) == ""
        # The box may show only the end of a path; the lines under it say all of it, the
        # file's name on a line of its own.
        assert str(app.screen.query_one("#prompt-note").render()).splitlines() == [
            "Writes mv4.md  (Markdown checklist)",
            f"in {target.parent}",
        ]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert f"Written to {target}" in str(screen.query_one("#pack-status").render())
    assert target.read_text(encoding="utf-8") == export_checklist(store, data["visit"].id)
    assert "Pathway plan audit, December" in target.read_text(encoding="utf-8")


@pilot_test
async def test_the_export_prompt_asks_the_format_remembers_it_and_the_folder_and_asks_to_replace(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Checkbox, Input

    from tui.screens.confirm import ConfirmScreen
    from tui.screens.export_prompt import ExportPrompt

    data = _visit(store)
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(documents))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    app.settings = {}  # type: ignore[attr-defined]
    app.config_path = tmp_path / "config" / "config.json"  # type: ignore[attr-defined]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, ExportPrompt)
        box = prompt.query_one("#prompt-value", Input)
        assert box.value == str(documents / "monitoring-visit-4-care-leavers-checklist.md")
        assert "your documents folder" in str(prompt.query_one("#prompt-explained").render())
        # f2 chooses the next format, and the file's ending follows.
        await pilot.press("f2")
        await settle(pilot)
        assert box.value.endswith("-checklist.docx") and prompt.fmt == "docx"
        # Typing an ending chooses the format.
        await type_into(pilot, "#prompt-value", str(tmp_path / "out" / "pack.html"))
        assert prompt.fmt == "html"
        (tmp_path / "out").mkdir()
        prompt.query_one("#export-open", Checkbox).value = True
        await pilot.press("enter")
        await settle(pilot)
    page = (tmp_path / "out" / "pack.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # No display here: it says so and where the file is, instead of opening it.
    said = [n.message for n in app._notifications]
    assert any("No display to open it on here" in m for m in said), said
    assert app.settings["export"] == {  # type: ignore[attr-defined]
        "format": "html", "folder": str(tmp_path / "out"), "open": True,
    }  # fmt: skip

    # Next time: the same format and folder, said so; the file there is replaced only
    # after a yes.
    (tmp_path / "out" / "monitoring-visit-4-care-leavers-checklist.html").write_text("mine")
    app2 = Harness(store, PackScreen(data["visit"].id))
    app2.settings = app.settings  # type: ignore[attr-defined]
    app2.config_path = app.config_path  # type: ignore[attr-defined]
    async with app2.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        prompt = app2.screen
        assert isinstance(prompt, ExportPrompt)
        target = tmp_path / "out" / "monitoring-visit-4-care-leavers-checklist.html"
        assert prompt.query_one("#prompt-value", Input).value == str(target)
        assert "the folder of your last export" in str(
            prompt.query_one("#prompt-explained").render()
        )
        prompt.query_one("#export-open", Checkbox).value = False
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app2.screen, ConfirmScreen)
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert app2.screen is prompt and target.read_text() == "mine"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")  # replace it
        await settle(pilot)
        assert not isinstance(app2.screen, ExportPrompt)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _dump(db: Path) -> list[str]:
    """Every row of a SQLite file, read without changing it."""
    import sqlite3

    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pilot_test
async def test_typing_the_stores_own_path_into_the_export_prompt_is_refused(
    store: Store, tmp_path: Path
) -> None:
    """The app once wrote the checklist over the .db itself ("# Evidence pack chec...")."""
    data = _visit(store)
    db = store.path
    assert db is not None
    store.close()  # everything on disk, so what is compared is the whole store
    before = _dump(db)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await type_into(pilot, "#prompt-value", str(db))
        await pilot.press("enter")
        await settle(pilot)
        error = str(app.screen.query_one("#prompt-error").render())
        assert error == f"{db} is the store's own file: choose another name (nothing written)."
        assert app.screen is not screen  # the prompt stays, to fix the path
    store.close()
    # Still a database (not "# Evidence pack chec..."), holding exactly what it held.
    assert db.read_bytes().startswith(b"SQLite format 3\x00")
    assert _dump(db) == before
    reopened = api.open_store(db, create=False)
    try:
        assert api.find_visit(reopened, "care leavers").id == data["visit"].id
    finally:
        reopened.close()


@pilot_test
async def test_user_text_in_the_pack_is_shown_literally(store: Store) -> None:
    finding = api.create_finding(
        store, title="[red]Bold claims[/red] \x1b[2J", ref="R1", theme="Assessment"
    )
    visit = api.create_visit(
        store, title="[b]Visit[/b]", start_date=date(2018, 1, 20), focus_themes=["Assessment"]
    )
    screen = PackScreen(visit.id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "[b]Visit[/b]" in str(screen.query_one("#pack-header").render())
        assert "today" in str(screen.query_one("#pack-header").render())
        line = _line(screen, "R1")
        assert "[red]Bold claims[/red]" in line and "\x1b" not in line
    assert finding.id


def test_the_countdown_reads_naturally() -> None:
    assert countdown(0) == "today"
    assert countdown(1) == "in 1 day"
    assert countdown(12) == "in 12 days"
    assert countdown(-3) == "3 days ago"
    assert default_export_path("MV 3: Front door!", Path("/x")) == "/x/mv-3-front-door-checklist.md"


@pilot_test
async def test_u_on_an_action_in_the_pack_adds_an_update_and_the_pack_shows_it(
    store: Store,
) -> None:
    data = _visit(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _cursor_to(pilot, screen, "A1 Audit pathway plans")
        await pilot.press("u")
        await settle(pilot)
        await pilot.press(*"Done", "tab", "tab", "b", "ctrl+s")  # note, then BRAG Blue
        await settle(pilot)
        assert app.screen is screen
        line = _line(screen, "A1 Audit pathway plans")
        assert "Blue" in line and "overdue" not in line.lower()
        # The line under the tree says the newest note, as the checklist will.
        detail = str(screen.query_one("#pack-detail").render())
        assert "latest update 20 Jan 2018: Done" in detail
    [update] = api.list_action_updates(store, data["action"].id)
    assert (update.note, update.brag) == ("Done", "blue")


@pilot_test
async def test_n_on_a_finding_with_no_action_adds_one_and_the_pack_goes_to_it(
    store: Store,
) -> None:
    data = _visit(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _cursor_to(pilot, screen, "R5 Too few care leavers")
        await pilot.press("n")
        await settle(pilot)
        # The form says what the new action is for.
        assert "New action for R5 Too few care leavers in EET" in str(
            app.screen.query_one("#form-title").render()
        )
        await pilot.press(*"EET panel every month", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "New action added to R5" in str(screen.query_one("#pack-status").render())
        cursor = screen.query_one(PackTree).cursor_node
        assert "EET panel every month" in str(cursor.label)
        assert "no action" not in _line(screen, "R5 Too few care leavers").lower()
    [action] = api.list_actions(store, finding_id=data["unanswered"].id)
    assert action.title == "EET panel every month"


@pilot_test
async def test_n_on_an_action_adds_evidence_linked_to_it(store: Store) -> None:
    data = _visit(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _cursor_to(pilot, screen, "A1 Audit pathway plans")
        await pilot.press("n")
        await settle(pilot)
        assert "New evidence item for A1 Audit pathway plans monthly" in str(
            app.screen.query_one("#form-title").render()
        )
        await pilot.press(*"January audit", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "January audit" in str(screen.query_one(PackTree).cursor_node.label)
    titles = {e.title for e in api.list_evidence(store, action_id=data["action"].id)}
    assert "January audit" in titles


@pilot_test
async def test_the_line_under_the_tree_says_the_highlighted_item_in_full_and_its_keys(
    store: Store,
) -> None:
    data = _visit(store)
    api.update_action(
        store, data["action"].id, owner="Head of Service – Children in Care and Care Leavers"
    )
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _cursor_to(pilot, screen, "A1 Audit pathway plans")
        detail = str(screen.query_one("#pack-detail").render())
        # Nothing is cut: the owner the tree line loses at 80 columns is here, with the gap.
        assert "Children in Care and Care" in detail.replace("\n", " ")
        assert "Overdue" in detail
        keys = str(screen.query_one("#pack-keys").render())
        assert "u adds an update" in keys and "l links evidence" in keys
        await _cursor_to(pilot, screen, "Pathway plan audit")
        assert "space ticks it ready" in str(screen.query_one("#pack-keys").render())
        assert "not ticked" in str(screen.query_one("#pack-detail").render())
        await pilot.press("space")
        await settle(pilot)
        assert "✓ ready" in str(screen.query_one("#pack-detail").render())
        assert "space unticks it" in str(screen.query_one("#pack-keys").render())
        # The header's gap line fits 80 columns: the short labels, one line.
        header = str(screen.query_one("#pack-header").render()).splitlines()
        gaps = [line for line in header if "gap" in line]
        assert gaps == ["2 gaps: no action 1, overdue 1"]


def _footer_keys(screen: PackScreen) -> dict[str, str]:
    """The pack's line keys in the footer: "on", or "dimmed" where it does nothing here."""
    from tui.compat import FooterKey
    from tui.widgets.key_footer import KeyFooter

    keys = screen.query_one(KeyFooter).query_children(FooterKey)
    return {
        key.key: "dimmed" if key.has_class("-disabled") else "on"
        for key in keys
        if key.display and key.key in ("n", "l", "u", "d")
    }


@pilot_test
async def test_the_footer_dims_the_keys_that_do_nothing_on_the_highlighted_line(
    store: Store,
) -> None:
    data = _visit(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # On an evidence item u (update an action), n (new) and d (drop a finding) do
        # nothing: the footer still shows them, dimmed; l links it to actions.
        await _cursor_to(pilot, screen, "Pathway plan audit")
        await settle(pilot)
        assert _footer_keys(screen) == {"n": "dimmed", "l": "on", "u": "dimmed", "d": "dimmed"}
        # Pressed anyway, u says what to select, and nothing opens.
        await pilot.press("u")
        await settle(pilot)
        assert app.screen is screen
        status = str(screen.query_one("#pack-status").render())
        assert status == "Select an action to add an update to it."
        # On the action above it every key works but d.
        await _cursor_to(pilot, screen, "A1 Audit pathway plans")
        await settle(pilot)
        assert _footer_keys(screen) == {"n": "on", "l": "on", "u": "on", "d": "dimmed"}
        # On a finding, u is dimmed again and d drops it.
        await _cursor_to(pilot, screen, "R5 Too few care leavers")
        await settle(pilot)
        assert _footer_keys(screen) == {"n": "on", "l": "on", "u": "dimmed", "d": "on"}
        await _cursor_to(pilot, screen, "A1 Audit pathway plans")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert type(app.screen).__name__ == "ActionUpdateForm"


def test_an_evidence_location_shows_as_its_file_name() -> None:
    from tui.screens.pack import location_name

    url = "https://x.sharepoint.com/sites/Evidence/03%20CiC/CiC%20tracker.xlsx?web=1"
    assert location_name(url) == "CiC tracker.xlsx"
    assert location_name(r"\\nbc-fs01\Childrens\Care leavers audit.docx") == (
        "Care leavers audit.docx"
    )
    assert location_name("/srv/evidence/folder/") == "folder"


@pilot_test
async def test_the_pack_opens_with_the_cursor_on_its_first_line_and_keeps_one_after_g(
    store: Store,
) -> None:
    data = _visit(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = screen.query_one(PackTree)
        assert tree.cursor_line == 0 and "Care leavers" in str(tree.cursor_node.label)
        assert "is in this visit's focus" in str(screen.query_one("#pack-detail").render())
        await pilot.press("g")
        await settle(pilot)
        assert tree.cursor_node is not None
        assert str(screen.query_one("#pack-keys").render())  # the keys line is never blank


@pilot_test
async def test_closing_the_last_gap_of_a_line_in_gaps_only_says_where_it_went(
    store: Store,
) -> None:
    data = _visit(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await _cursor_to(pilot, screen, "R5 Too few care leavers")
        # An action for R5 is written elsewhere (the form, another lead): its gap closes.
        with store.batch():
            action = api.create_action(
                store, title="EET panel", due_date=date(2018, 6, 30),
                finding_ids=[data["unanswered"].id],
            )  # fmt: skip
            api.create_evidence(store, title="EET panel minutes", action_ids=[action.id])
        await pilot.pause(0.1)
        await settle(pilot)
        assert not any("R5 Too few" in label for label in _labels(screen))
        assert "no gaps left" in str(screen.query_one("#pack-status").render())


def _two_themes(store: Store) -> dict[str, Any]:
    """A visit on children in care (an overdue action; one with no evidence) then care leavers."""
    overdue = api.create_finding(store, title="Visits are late", ref="R4", theme="Children in care")
    bare = api.create_finding(store, title="Health checks", ref="R5", theme="Children in care")
    later = api.create_finding(store, title="Pathway plans", ref="R7", theme="Care leavers")
    late = api.create_action(
        store, title="Visits tracker", ref="A1", due_date="31/12/2017", finding_ids=[overdue.id]
    )
    new = api.create_action(
        store, title="Health tracker", ref="A2", due_date="30/06/2018", finding_ids=[bare.id]
    )
    visit = api.create_visit(
        store,
        title="Monitoring visit 5",
        start_date=date(2018, 2, 6),
        focus_themes=["Children in care", "Care leavers"],
    )
    return {"visit": visit, "late": late, "new": new, "later": later}


async def _link(pilot: Any, query: str) -> None:
    """l on the highlighted line, type, enter (the top match), escape: as a lead would.

    The query goes into the picker's box at once, as typing leaves it (one search, not
    one a key), as in tests/test_tui_links.py."""
    await pilot.press("l")
    await settle(pilot)
    await type_into(pilot, "#link-query", query)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)


@pilot_test
async def test_linking_evidence_that_keeps_a_line_in_the_gaps_view_keeps_the_cursor_on_it(
    store: Store,
) -> None:
    data = _two_themes(store)
    api.create_evidence(store, title="Gone audit", kind="audit", location="/nowhere/gone.docx")
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await _cursor_to(pilot, screen, "A1 Visits tracker")
        # New evidence with no gap of its own: not a line in this view, the action stays.
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Visit minutes", "ctrl+s")
        await settle(pilot)
        assert "A1 Visits tracker" in str(screen.query_one(PackTree).cursor_node.label)
        # Then evidence whose file is missing: a new line under the action, which stays.
        await _link(pilot, "gone audit")
        assert "Gone audit" in _line(screen, "Gone audit")
        assert "left this view" not in str(screen.query_one("#pack-status").render())
        assert "A1 Visits tracker" in str(screen.query_one(PackTree).cursor_node.label)


@pilot_test
async def test_a_line_that_leaves_the_gaps_view_leaves_the_cursor_in_its_own_theme(
    store: Store,
) -> None:
    data = _two_themes(store)
    api.create_evidence(store, title="Health assessment tracker", kind="tracker")
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await _cursor_to(pilot, screen, "A2 Health tracker")
        await _link(pilot, "health assessment tracker")  # its only gap closes
        assert not any("A2 Health tracker" in label for label in _labels(screen))
        assert "no gaps left" in str(screen.query_one("#pack-status").render())
        # Not the next theme's first line, where space would fold the theme.
        assert "A1 Visits tracker" in str(screen.query_one(PackTree).cursor_node.label)


@pilot_test
async def test_a_link_unmade_in_the_same_picker_brings_the_line_and_the_cursor_back(
    store: Store,
) -> None:
    from tui.app import VisitPrepApp

    data = _two_themes(store)
    api.create_evidence(store, title="Health assessment tracker", kind="tracker")
    # The whole app: the pack shows under the picker, so it reloads after each toggle.
    app = VisitPrepApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_record("visit", data["visit"].id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PackScreen)
        await pilot.press("g")
        await settle(pilot)
        await _cursor_to(pilot, screen, "A2 Health tracker")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"health tracker", "enter")  # linked: its gap closes
        await settle(pilot)
        await pilot.press("down", "space")  # changed my mind: unlinked, in the list
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert any("A2 Health tracker" in label for label in _labels(screen))
        assert "A2 Health tracker" in str(screen.query_one(PackTree).cursor_node.label)
        status = str(screen.query_one("#pack-status").render())
        assert "no gaps left" not in status and "back in this view" in status
        # Its gap closed for good, then g shows everything: it is simply there, not "back".
        await _link(pilot, "health tracker")
        assert "no gaps left" in str(screen.query_one("#pack-status").render())
        await pilot.press("g")
        await settle(pilot)
        assert "back in this view" not in str(screen.query_one("#pack-status").render())


@pilot_test
async def test_evidence_for_a_finding_and_its_action_shows_once_as_the_checklist_lists_it(
    store: Store,
) -> None:
    from store.export import export_checklist

    data = _visit(store)
    # The audit answers the action, and the lead links it to the finding as well.
    api.link(store, "finding", data["answered"].id, "evidence", data["audit"].id)
    own = api.create_evidence(
        store, title="Care leavers' forum notes", finding_ids=[data["answered"].id]
    )
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        audit = [label for label in _labels(screen) if "Pathway plan audit" in label]
        assert len(audit) == 1 and "for the finding" not in audit[0]
        assert "for the finding" in _line(screen, own.title)
        await _cursor_to(pilot, screen, "Pathway plan audit")
        assert "space ticks it" in str(screen.query_one("#pack-keys").render())
    checklist = export_checklist(store, data["visit"].id)
    assert checklist.count("Pathway plan audit") == 1
    assert checklist.count("Care leavers' forum notes") == 1


@pilot_test
async def test_at_80_columns_a_long_title_gives_way_to_the_brag_and_the_gaps(
    store: Store,
) -> None:
    data = _visit(store)
    long_title = "Audit pathway plans monthly with the care leavers' forum and personal advisers"
    api.update_action(store, data["action"].id, title=long_title)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = screen.query_one(PackTree)
        width = tree.scrollable_content_region.width
        shown = [tree.render_line(y).text.rstrip() for y in range(tree.last_line + 1)]
        [action] = [line for line in shown if "A1 Audit pathway plans" in line]
        assert "…" in action and "Amber" in action and "Overdue" in action
        assert all(len(line) <= width for line in shown), "nothing runs off the right edge"
        # So there is nothing to scroll sideways to, and no scrollbar for it.
        assert tree.max_scroll_x == 0 and not tree.show_horizontal_scrollbar
        # In full on the line under the tree.
        await _cursor_to(pilot, screen, "A1 Audit pathway plans")
        assert long_title in str(screen.query_one("#pack-detail").render()).replace("\n", " ")


@pilot_test
async def test_the_pack_help_says_what_each_key_does_in_columns_that_line_up(
    store: Store,
) -> None:
    from rich.table import Table
    from textual.widgets import Static

    from tui.screens.help import HelpScreen

    data = _visit(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(HelpScreen(screen))
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        ours = [line for line in help_screen.lines if not line.builtin]
        assert [line.keys for line in ours if not line.tooltip] == []  # esc said nothing
        # Lines fit the width: no keys offered to scroll sideways.
        sideways = {"Scroll Left", "Scroll Right", "Page Left", "Page Right"}
        assert not sideways & {line.description for line in help_screen.lines}
        tables = [w.content for w in help_screen.query(Static) if isinstance(w.content, Table)]
        assert len(tables) >= 2
        assert len({tuple(c.width for c in table.columns[:2]) for table in tables}) == 1


def test_the_findings_a_offers_say_whose_they_are_as_the_palette_does() -> None:
    from tui.commands_palette import record_prompt

    def hit(ours: bool) -> Any:
        return types.SimpleNamespace(
            kind="finding", ref="R1", title="Return home interviews", title_spans=((0, 6),),
            ours=ours, source="Luton SIF 2019", theme="Exploitation and missing",
        )  # fmt: skip

    # One line per finding in the palette a opens (no kind: they are all findings), the
    # ctrl+p palette's words: Luton's R1 is not our R1.
    assert record_prompt(hit(False), kind=False).plain == (
        "R1  Return home interviews  · other: Luton SIF 2019"
    )
    assert record_prompt(hit(True), kind=False).plain == (
        "R1  Return home interviews  · Exploitation and missing"
    )
    assert record_prompt(hit(True)).plain.startswith("Finding  R1  Return home")
