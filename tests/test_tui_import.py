"""The import screen: a lead picks a report, a plan or a folder, previews it, imports it.

Every story runs the real importers on real files (the Ofsted reports in the shared folder,
small plan sheets written here) through the screen, and checks what reached the store.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Checkbox, Input, ProgressBar, Static

from store.findings import list_findings
from store.sources import list_sources
from tests._tui_harness import Harness, pilot_test, type_into
from tests.conftest import REPORTS
from tui.screens.importing import ImportScreen, ImportTree, expand, kinds_for

SIZE = (120, 36)
HARINGEY = REPORTS / "haringey_2018-12-14.pdf"
ASHBOURNE = Path(__file__).parent / "data" / "reports" / "ashbourne-vale_2025-03-20.txt"
NOT_FOUND = REPORTS / "bromley_2012-08-17.pdf"


def lines_of(app: Any) -> list[str]:
    """The preview or summary lines as the user reads them."""
    return [line.text.plain for line in app.screen.lines]


def status_of(app: Any) -> str:
    return str(app.screen.query_one("#import-status", Static).visual)


def error_of(app: Any) -> str:
    error = app.screen.query_one("#import-error", Static)
    return str(error.visual) if error.display else ""


async def settle(pilot: Any) -> None:
    """Let the screen's workers finish and their results land on screen.

    (The harness's own settle waits for every worker, and the file picker's folder loader
    never finishes: it waits for the next folder to open.)
    """
    for _ in range(3):
        mine = [w for w in pilot.app.workers if w.group in ("import", "infer")]
        if mine:  # an empty list would mean "every worker"
            await pilot.app.workers.wait_for_complete(mine)
        await pilot.pause()


async def preview(pilot: Any, path: str) -> None:
    """Type (or paste) a path and press enter, as a lead would."""
    field = pilot.app.screen.query_one("#import-path", Input)
    field.focus()
    field.value = path
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.skipif(not HARINGEY.exists(), reason="the shared Ofsted reports are not here")
@pilot_test
async def test_a_lead_previews_the_haringey_report_and_imports_it(store: Any) -> None:
    pytest.importorskip("store.importers.reports")
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "#import-path", str(HARINGEY))
        await pilot.press("enter")
        await settle(pilot)
        shown = lines_of(app)
        assert shown[0] == "Haringey ILACS inspection October 2018"
        assert "Haringey · ILACS · inspection · 29 Oct 2018 – 9 Nov 2018" in shown
        assert any("Requires improvement" in line and "impact of leaders" in line for line in shown)
        assert "9 findings:" in shown
        assert any(
            line.split()[:2] == ["R1", "Assessment"] and "circumstances change" in line
            for line in shown
        )
        # The store's first report is the council's own, and the preview says so.
        assert "Will create 1 source and 9 findings, as this council's own report." in status_of(
            app
        )
        assert shown[2].startswith("This council's own report: its findings go into the packs")
        assert app.screen.query_one("#import-ours", Checkbox).value
        assert list_sources(store) == [], "a preview stores nothing"

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(app) == ""
        assert "✔ Imported Haringey ILACS inspection October 2018: 9 findings" in lines_of(app)
        sources = list_sources(store)
        assert [s.title for s in sources] == ["Haringey ILACS inspection October 2018"]
        findings = list_findings(store, source_id=sources[0].id, limit=None)
        assert sorted(f.ref for f in findings) == [f"R{n}" for n in range(1, 10)]
        assert not app.screen.query_one("#import-progress", ProgressBar).display

        await pilot.press("enter")  # the imported source is highlighted: open it
        assert app.opened == [("source", sources[0].id)]


@pytest.mark.skipif(not HARINGEY.exists(), reason="the shared Ofsted reports are not here")
@pilot_test
async def test_haringeys_report_previews_as_another_councils_and_the_lead_can_say_otherwise(
    store: Any,
) -> None:
    pytest.importorskip("store.importers.reports")
    from store.sources import create_source

    create_source(store, kind="inspection", title="Northbridge ILACS (January 2018)",
                  local_authority="Northbridge")  # fmt: skip
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(HARINGEY))
        box = app.screen.query_one("#import-ours", Checkbox)
        assert box.display and not box.value
        assert "Will create 1 source and 9 findings, as another council's report." in (
            status_of(app)
        )
        assert lines_of(app)[2] == (
            "Another council's report (Haringey): for search and learning; not in packs or "
            "gaps. Tick Our council's own report if it is yours."
        )
        # The lead says it is theirs (the box is a key away), and the preview follows.
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert box.value and "as this council's own report." in status_of(app)
        assert lines_of(app)[2].startswith("This council's own report")
        # ... then thinks again, from the box itself. The Path box keeps the focus after a
        # preview (for the next file); back past the preview's lines, the box is next.
        assert app.focused is app.screen.query_one("#import-path", Input)
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is box
        await pilot.press("space")
        await settle(pilot)
        assert not box.value and "as another council's report" in status_of(app)
        assert app.focused is box  # kept, as the Path box keeps it, while the preview follows
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(app) == ""
        assert (
            "✔ Imported Haringey ILACS inspection October 2018: 9 findings  · another "
            "council's, for learning" in lines_of(app)
        )
        assert not box.display  # nothing left to decide
    haringey = [s for s in list_sources(store) if s.local_authority == "Haringey"]
    assert [s.ours for s in haringey] == [False]
    assert list_findings(store, ours=True) == []


@pytest.mark.skipif(not NOT_FOUND.exists(), reason="the shared Ofsted reports are not here")
@pilot_test
async def test_a_report_not_found_page_is_refused_and_nothing_is_stored(store: Any) -> None:
    pytest.importorskip("store.importers.reports")
    app = Harness(store, ImportScreen(str(NOT_FOUND)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert "bromley_2012-08-17.pdf is not a PDF (it looks like a web page" in error_of(app)
        assert lines_of(app) == []
        await pilot.press("ctrl+s")  # importing it anyway is refused the same way
        await settle(pilot)
        assert "is not a PDF" in error_of(app)
        assert list_sources(store) == []
        assert app.errors == [], "a refusal is shown on the screen, not as an app error"

        await preview(pilot, str(REPORTS / "no-such-council_2019-01-01.pdf"))
        assert error_of(app).endswith("no-such-council_2019-01-01.pdf does not exist.")
        await pilot.press("escape")
        assert app.results == [None], "escape leaves the screen"


PLAN = (
    "Improvement plan 2018 (board version)\n"
    "Ref,Action,Lead officer,By when,RAG,Theme\n"
    "A1,Audit MASH threshold decisions,Jo Bloggs,31/03/2018,Green,Front door and MASH\n"
    "A2,Train team managers in supervision,Sam Smith,31/13/2018,Amber,"
    "Supervision and management oversight\n"
    "A3,Review care plans of children in care,Ann Lee,30/06/2018,Red,Children in care\n"
)


@pilot_test
async def test_a_plan_preview_names_its_problem_row_and_nothing_is_imported(
    store: Any, tmp_path: Path
) -> None:
    pytest.importorskip("store.importers.plan")
    from store.actions import list_actions

    sheet = tmp_path / "plan.csv"
    sheet.write_text(PLAN, encoding="utf-8")
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(sheet))
        shown = lines_of(app)
        assert shown[0].startswith("✖ Row 4: due '31/13/2018' is not a date")
        assert any(line.startswith("+ new") and "A1  Audit MASH" in line for line in shown)
        assert any("A3  Review care plans" in line and "Ann Lee" in line for line in shown)
        assert "1 row cannot be read" in status_of(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "fix them in the sheet" in error_of(app)
        assert list_actions(store) == []

        # Fixed in the sheet, previewed again, imported: the actions are stored.
        sheet.write_text(PLAN.replace("31/13/2018", "31/12/2018"), encoding="utf-8")
        await preview(pilot, str(sheet) + " ")  # a pasted path with a stray space
        assert "2 new actions" not in status_of(app)
        assert "3 new actions" in status_of(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert sorted(a.ref for a in list_actions(store)) == ["A1", "A2", "A3"]
        assert "Imported plan.csv: 3 new actions" in status_of(app)


@pilot_test
async def test_a_hostile_file_name_shows_literally(store: Any, tmp_path: Path) -> None:
    pytest.importorskip("store.importers.plan")
    pytest.importorskip("store.importers.reports")
    name = "[bold]plan[reverse] \x1b[31mred"
    shown_name = "[bold]plan[reverse] ␛[31mred"
    (tmp_path / f"{name}.csv").write_text("nothing,here\n1,2\n", encoding="utf-8")
    (tmp_path / f"{name}.pdf").write_text("not a report at all\n", encoding="utf-8")
    app = Harness(store, ImportScreen(str(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)  # the file picker lists the folder in its own thread
        tree = app.screen.query_one("#import-tree", ImportTree)
        labels = [str(node.label) for node in tree.root.children]
        assert f"{shown_name}.csv" in labels and f"{shown_name}.pdf" in labels

        await preview(pilot, str(tmp_path / f"{name}.csv"))
        assert f"{shown_name}.csv: no header row found" in error_of(app)

        await preview(pilot, str(tmp_path))  # the folder, read as a folder of reports
        assert (
            lines_of(app)[0]
            == f"✖ Will refuse: {shown_name}.pdf is not a PDF (it does not start like one)."
        )
        assert "1 file: 0 to import (0 findings), 1 refused." in status_of(app)
    assert list_sources(store) == []


def test_paths_are_read_as_a_user_types_them(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert expand("  ") is None
    assert expand("~/plan.csv") == tmp_path / "plan.csv"
    assert expand("'/tmp/with space.pdf'") == Path("/tmp/with space.pdf")
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "MASH audit.docx").write_text("x")
    assert kinds_for(folder) == ("evidence", ("reports", "evidence"))
    (folder / "report.pdf").write_text("x")
    assert kinds_for(folder) == ("reports", ("reports", "evidence"))
    assert kinds_for(tmp_path / "plan.xlsx") == (None, ())  # not there
    (tmp_path / "plan.xlsx").write_text("x")
    # A spreadsheet is a plan unless the store finds a scorecard's period columns in it.
    assert kinds_for(tmp_path / "plan.xlsx") == ("plan", ("plan", "scorecard"))


@pytest.mark.skipif(not HARINGEY.exists(), reason="the shared Ofsted reports are not here")
@pilot_test
async def test_a_folder_of_reports_imports_the_good_ones_and_lists_the_refused(
    store: Any, tmp_path: Path
) -> None:
    pytest.importorskip("store.importers.reports")
    folder = tmp_path / "downloads"
    folder.mkdir()
    shutil.copy(HARINGEY, folder)
    shutil.copy(NOT_FOUND, folder)
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(folder))
        assert status_of(app).startswith("2 files: 1 to import (9 findings), 1 refused.")
        first, second = lines_of(app)
        assert first.startswith("✖ Will refuse: bromley_2012-08-17.pdf is not a PDF (it looks")
        assert second == (
            "+ haringey_2018-12-14.pdf  new: Haringey ILACS inspection October 2018 (9 findings)"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        first, second = lines_of(app)
        assert first.startswith("✖ Refused: bromley_2012-08-17.pdf is not a PDF (it looks like")
        assert second == "✔ Imported Haringey ILACS inspection October 2018: 9 findings"
        assert status_of(app).startswith("Imported 1 report with 9 findings; 1 refused.")
        assert [s.title for s in list_sources(store)] == ["Haringey ILACS inspection October 2018"]

        await pilot.press("ctrl+s")  # a second ctrl+s does not import it twice
        await settle(pilot)
        assert "just imported" in error_of(app)
        await preview(pilot, str(folder / HARINGEY.name))
        assert status_of(app).startswith("Already imported as 'Haringey ILACS inspection")
        assert len(list_sources(store)) == 1


@pilot_test
async def test_a_folder_scanned_as_evidence_records_each_document(
    store: Any, tmp_path: Path
) -> None:
    pytest.importorskip("store.importers.evidence_folder")
    from store.evidence import list_evidence

    folder = tmp_path / "Evidence"
    folder.mkdir()
    (folder / "2017-11 MASH audit.docx").write_bytes(b"audit")
    (folder / "Board minutes 12.12.2017.pdf").write_bytes(b"minutes")
    (folder / "~$MASH audit.docx").write_bytes(b"lock file")
    app = Harness(store, ImportScreen(str(folder)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # A folder with a .pdf in it is taken for reports; the lead says it is evidence.
        assert app.screen.query_one("#import-kind-reports").value
        await pilot.click("#import-kind-evidence")
        await pilot.press("p")
        await settle(pilot)
        assert status_of(app).startswith("Evidence folder: 2 new, 0 already recorded.")
        shown = lines_of(app)
        assert any(
            line.startswith("+ new      MASH audit · audit · as of 30 Nov 2017") for line in shown
        )
        assert any(
            line.startswith("+ new      Board minutes · minutes · as of 12 Dec 2017")
            for line in shown
        )
        assert list_evidence(store) == []

        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = {e.title: e for e in list_evidence(store)}
        assert sorted(stored) == ["Board minutes", "MASH audit"]
        assert stored["MASH audit"].location == str(folder / "2017-11 MASH audit.docx")
        assert status_of(app).startswith(f"Scanned {folder}: 2 new, 0 already recorded.")
        await pilot.press("enter")
        assert app.opened[0][0] == "evidence"
        assert app.opened[0][1] in {e.id for e in stored.values()}


@pilot_test
async def test_a_renamed_evidence_file_is_previewed_and_stored_as_moved(
    store: Any, tmp_path: Path
) -> None:
    pytest.importorskip("store.importers.evidence_folder")
    from store.evidence import get_evidence, list_evidence
    from store.importers.evidence_folder import scan_evidence_folder

    folder = tmp_path / "Evidence"
    folder.mkdir()
    (folder / "2017-11 MASH audit v2.docx").write_bytes(b"audit")
    scan_evidence_folder(store, folder)
    [audit] = list_evidence(store)
    (folder / "Audits").mkdir()
    (folder / "2017-11 MASH audit v2.docx").rename(
        folder / "Audits" / "2017-11 MASH audit FINAL.docx"
    )
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(folder))
        assert status_of(app).startswith("Evidence folder: 0 new, 0 already recorded, 1 moved.")
        assert lines_of(app) == [
            "→ moved    MASH audit  2017-11 MASH audit v2.docx → Audits/2017-11 MASH audit FINAL.docx"
        ]
        assert get_evidence(store, audit.id).location == str(folder / "2017-11 MASH audit v2.docx")

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert status_of(app).startswith(f"Scanned {folder}: 0 new, 0 already recorded, 1 moved.")
        [item] = list_evidence(store)
        assert (item.id, item.location, item.missing_since) == (
            audit.id,
            str(folder / "Audits" / "2017-11 MASH audit FINAL.docx"),
            None,
        )
        await pilot.press("enter")
        assert app.opened == [("evidence", audit.id)]


@pilot_test
async def test_a_lead_picks_the_plan_in_the_file_picker(store: Any, tmp_path: Path) -> None:
    pytest.importorskip("store.importers.plan")
    (tmp_path / "plan.csv").write_text(PLAN, encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"not offered: no importer reads it")
    app = Harness(store, ImportScreen(str(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)  # the picker lists the folder in its own thread
        tree = app.screen.query_one("#import-tree", ImportTree)
        assert [str(node.label) for node in tree.root.children] == ["plan.csv"]
        await pilot.press("ctrl+t", "down", "enter")
        await settle(pilot)
        assert app.screen.query_one("#import-path", Input).value == str(tmp_path / "plan.csv")
        assert app.screen.query_one("#import-kind-plan").value
        assert lines_of(app)[0].startswith("✖ Row 4: due '31/13/2018' is not a date")


@pilot_test
async def test_a_plan_with_its_own_column_names_is_read_once_they_are_named(
    store: Any, tmp_path: Path
) -> None:
    pytest.importorskip("store.importers.plan")
    sheet = tmp_path / "tracker.csv"
    sheet.write_text(
        "Step,Person in charge,Finish by\n"
        "Audit MASH threshold decisions,Jo Bloggs,31/03/2018\n"
        "Train team managers in supervision,Sam Smith,30/04/2018\n",
        encoding="utf-8",
    )
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(sheet))
        assert "tracker.csv: no header row found" in error_of(app)
        assert "field=Header in the Columns box" in error_of(app)
        assert "--map" not in error_of(app)

        await type_into(pilot, "#import-columns", "action=Step; owner=Person in charge; due=Finish")
        await pilot.press("enter")
        await settle(pilot)
        assert "no row has every column named by Columns (" in error_of(app)
        assert "'Finish by'" in error_of(app), "the header it does hold is named"

        columns = app.screen.query_one("#import-columns", Input)
        columns.value = "action=Step; owner=Person in charge; due=Finish by"  # corrected
        await pilot.press("enter")
        await settle(pilot)
        assert error_of(app) == ""
        assert status_of(app).startswith("tracker.csv, header row 1: 2 new actions")
        assert any(
            "Audit MASH threshold decisions · Jo Bloggs · due 31 Mar 2018" in line
            for line in lines_of(app)
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        from store.actions import list_actions

        assert sorted(a.owner for a in list_actions(store)) == ["Jo Bloggs", "Sam Smith"]


@pilot_test
async def test_at_80_columns_the_picker_sits_above_a_preview_as_wide_as_the_screen(
    store: Any,
) -> None:
    pytest.importorskip("store.importers.reports")
    for width, height in ((80, 24), (120, 36)):
        app = Harness(store, ImportScreen(str(ASHBOURNE)))
        async with app.run_test(size=(width, height)) as pilot:
            await pilot.press("enter")
            await settle(pilot)
            assert "4 findings:" in lines_of(app)
            tree = app.screen.query_one("#import-tree", ImportTree).region
            preview = app.screen.query_one("#import-lines").region
            replace = app.screen.query_one("#import-update").region
            assert replace.width and replace.right <= width, "the report option is whole"
            if width == 80:
                assert tree.bottom <= preview.y and preview.width == width
                assert preview.height >= 8
            else:  # room enough for the picker beside the preview
                assert tree.right <= preview.x and preview.width > width / 2


@pilot_test
async def test_after_a_preview_or_a_refusal_the_next_path_is_typed_into_the_path_box(
    store: Any, tmp_path: Path
) -> None:
    pytest.importorskip("store.importers.reports")
    pytest.importorskip("store.importers.plan")
    not_a_plan = tmp_path / "reports.csv"  # a CSV with no plan in it, as the shared one
    not_a_plan.write_text("file,urn,local_authority\nx.pdf,1,Haringey\n", encoding="utf-8")
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        path_box = app.screen.query_one("#import-path", Input)
        await preview(pilot, str(ASHBOURNE))
        assert "4 findings:" in lines_of(app)
        assert app.focused is path_box
        path_box.value = ""
        await pilot.press(*"/work")  # the next file, typed where the last one was
        assert path_box.value == "/work"

        await preview(pilot, str(not_a_plan))  # refused: its columns are not found
        assert "no header row found" in error_of(app)
        assert "Columns box" in status_of(app)
        assert app.focused is path_box  # not the Columns box
        path_box.value = ""
        await pilot.press(*"/work")
        assert path_box.value == "/work"
        assert app.screen.query_one("#import-columns", Input).value == ""


@pilot_test
async def test_q_with_a_preview_not_yet_imported_asks_before_quitting(
    store: Any, tmp_path: Path
) -> None:
    pytest.importorskip("store.importers.reports")
    from tui.app import VisitPrepApp
    from tui.screens.confirm import UnsavedScreen

    app = VisitPrepApp(store, config_path=tmp_path / "config.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(pilot)
        importing = app.screen
        assert isinstance(importing, ImportScreen)
        await preview(pilot, str(ASHBOURNE))
        app.screen.query_one("#import-lines").focus()  # reading the preview, say
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedScreen)
        assert "ashbourne-vale_2025-03-20.txt is not imported yet" in str(
            app.screen.query_one("#unsaved-message").render()
        )
        await pilot.press("k")  # keep: the preview is still there
        await settle(pilot)
        assert app.screen is importing and "4 findings:" in lines_of(app)
        assert app.return_code is None
        await pilot.press("q", "d")  # discard it and quit
        await settle(pilot)
        assert app.return_code == 0


@pilot_test
async def test_escape_or_a_section_key_with_a_preview_not_yet_imported_asks_first(
    store: Any, tmp_path: Path
) -> None:
    pytest.importorskip("store.importers.reports")
    from tui.app import VisitPrepApp
    from tui.screens.confirm import UnsavedScreen
    from tui.screens.lists import ListScreen

    app = VisitPrepApp(store, config_path=tmp_path / "config.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(pilot)
        importing = app.screen
        await preview(pilot, str(ASHBOURNE))
        app.screen.query_one("#import-lines").focus()
        for key in ("escape", "2"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, UnsavedScreen), key
            await pilot.press("k")  # keep it
            await settle(pilot)
            assert app.screen is importing and "4 findings:" in lines_of(app)
        await pilot.press("2", "d")  # discard it and go to Findings after all
        await settle(pilot)
        assert isinstance(app.screen, ListScreen) and app.screen.kind == "finding"
        assert importing not in app.screen_stack
        await pilot.press("i")
        await settle(pilot)
        await preview(pilot, str(ASHBOURNE))
        app.screen.query_one("#import-lines").focus()
        await pilot.press("escape", "d")  # discard it and leave the import after all
        await settle(pilot)
        assert isinstance(app.screen, ListScreen)
    assert list_findings(store) == []  # nothing was imported on the way


async def listed(pilot: Any, tree: ImportTree, until: str = "plan v2.xlsx") -> list[str]:
    """The picker's file names, once ``until`` is among them (the folder is listed again in
    a thread) or after two seconds."""
    for _ in range(40):
        names = [str(node.label) for node in tree.root.children]
        if until in names:
            break
        await pilot.pause(0.05)
    return names


@pilot_test
async def test_a_plan_saved_after_the_picker_opened_shows_up_when_the_lead_goes_back_to_it(
    store: Any, tmp_path: Path
) -> None:
    (tmp_path / "plan.csv").write_text(PLAN, encoding="utf-8")
    app = Harness(store, ImportScreen(str(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        tree = app.screen.query_one("#import-tree", ImportTree)
        assert [str(node.label) for node in tree.root.children] == ["plan.csv"]

        # Saved from Excel while the screen is open: focusing the picker lists it.
        (tmp_path / "plan v2.xlsx").write_bytes(b"PK\x03\x04 saved later")
        await pilot.press("ctrl+t")
        assert await listed(pilot, tree) == ["plan v2.xlsx", "plan.csv"]

        # And r lists the folder again while the picker has the focus.
        (tmp_path / "plan v3.csv").write_text(PLAN, encoding="utf-8")
        await pilot.press("r")
        assert "plan v3.csv" in await listed(pilot, tree, until="plan v3.csv")


@pytest.mark.skipif(not HARINGEY.exists(), reason="the shared Ofsted reports are not here")
@pilot_test
async def test_the_apps_plan_preview_shows_what_the_dry_run_shows(
    store: Any, tmp_path: Path
) -> None:
    """Column mapping, every action's links and why, headings and warnings: the lead does
    not import blind."""
    from store.importers.reports import import_reports

    import_reports(store, [HARINGEY], ours=True)
    sheet = tmp_path / "Haringey plan.csv"
    sheet.write_text(
        "Haringey improvement plan\n"
        "Ofsted recommendation,Ref,Action,Lead Officer,Timescale\n"
        "2. Planning for children in care\n"
        "AFI 3,2.1,Permanence tracker for every child in care,HoS CiC,Spring 2018\n"
        ",2.2,Permanence panel meets fortnightly,HoS CiC,TBC\n",
        encoding="utf-8",
    )
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(sheet))
        shown = "\n".join(lines_of(app))
        assert "⚠ Row 5: due 'TBC' gives no date, so the action has none" in shown
        assert "Columns read: Findings <- 'Ofsted recommendation', Ref <- 'Ref'" in shown
        assert "Row 3: heading '2. Planning for children in care'" in shown
        assert "→ R3: by reference 'AFI 3'\n" in shown
        assert "→ R3: by reference 'AFI 3'; same as row 4 above (same ref prefix 2.)" in shown
        assert "due 'Spring 2018' read as 31 May 2018" in shown


@pilot_test
async def test_the_personal_data_guess_is_shown_and_the_lead_can_clear_it_before_importing(
    store: Any, tmp_path: Path
) -> None:
    from store.evidence import list_evidence

    folder = tmp_path / "Evidence"
    folder.mkdir()
    (folder / "CP dip sample Jan 18.xlsx").write_bytes(b"children's names")
    (folder / "Return home interviews case sample.xlsx").write_bytes(b"a summary, no names")
    (folder / "Practice standards.docx").write_bytes(b"policy")
    app = Harness(store, ImportScreen(str(folder)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # in the Path box: preview
        await settle(pilot)
        assert "2 marked ⚑ personal data by their names: x on a line if one is not." in (
            status_of(app)
        )
        shown = lines_of(app)
        guessed = [i for i, line in enumerate(shown) if "(guessed: a case sample" in line]
        assert len(guessed) == 2
        assert not any("⚑" in line for line in shown if "Practice standards" in line)

        # The lead knows the return-home sample holds no names: x clears the mark.
        lines = app.screen.query_one("#import-lines")
        lines.focus()
        summary = next(i for i in guessed if "Return home" in shown[i])
        lines.highlighted = summary
        await pilot.press("x")
        assert "not personal data (you said; x to mark it)" in lines_of(app)[summary]
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = {e.title: e.personal_data for e in list_evidence(store)}
        assert stored == {
            "CP dip sample": True,
            "Return home interviews case sample": False,
            "Practice standards": False,
        }


@pilot_test
async def test_a_folder_of_evidence_taken_for_reports_says_where_its_own_import_is(
    store: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "Evidence"
    folder.mkdir()
    (folder / "CiC audit Jan 2019.pdf").write_bytes(b"audit")  # a PDF, not a report
    (folder / "Visits tracker.xlsx").write_bytes(b"tracker")
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await preview(pilot, str(folder))
        assert app.screen.query_one("#import-kind-reports").value
        # Not one file is a report: the lead is told the kind to choose, not left with
        # 'Nothing will be imported.'
        assert status_of(app) == (
            "1 file: 0 to import (0 findings), 1 refused. A folder of evidence? Choose"
            " 'Evidence folder' above.  Nothing will be imported."
        )
        await pilot.click("#import-kind-evidence")
        await pilot.press("p")
        await settle(pilot)
        assert status_of(app).startswith("Evidence folder: 2 new, 0 already recorded.")
