"""One finding per thing Ofsted asked for: a SIF report's numbered recommendations are the
council's findings; the body paragraphs it marks "(Recommendation)" are their detail; the
safeguarding board's list is the board's until the lead adopts one. The lead's "No action"
count is the number of distinct things the report asks the council to do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine

import store as api
from store import migrations
from store.database import resolve_url
from store.errors import ValidationError
from store.importers.report_structure import Piece, attach
from store.importers.reports import import_reports, read_report

FIXTURES = Path(__file__).parent / "data" / "reports"
THURROCK_SIF = FIXTURES / "eastmere_2016-05-20.txt"  # a made-up SIF report for Thurrock
REPORTS = Path(__file__).resolve().parents[2] / "shared" / "ofsted-reports"


def _no_action(store: api.Store) -> list[str]:
    return [g.ref for g in api.find_gaps(store) if g.kind == "no_action"]


def test_marked_paragraphs_are_detail_under_the_recommendation_they_support(
    store: api.Store,
) -> None:
    [outcome] = import_reports(store, [THURROCK_SIF])
    assert outcome.status == "imported"
    assert "4 recommendations for the council" in outcome.message
    findings = {f.ref: f for f in api.list_findings(store)}
    assert {ref: f.role for ref, f in findings.items()} == {
        "R1": "", "R2": "", "R3": "", "R4": "", "B1": "board", "B2": "board", "P12": "detail",
    }  # fmt: skip
    # P12 is about the risk assessments of children at risk of sexual exploitation: R1's.
    assert findings["P12"].detail_of == findings["R1"].id
    assert [f.ref for f in api.finding_details(store, findings["R1"].id)] == ["P12"]
    # Four things asked, so four findings with no action: never the paragraph or the board's.
    assert _no_action(store) == ["R1", "R2", "R3", "R4"]
    assert api.gap_counts(store)["no_action"] == 4
    assert api.dashboard(store, with_pack=False).gap_counts["no_action"] == 4


def test_the_boards_recommendation_counts_once_the_lead_adopts_it(store: api.Store) -> None:
    import_reports(store, [THURROCK_SIF])
    b1 = next(f for f in api.list_findings(store) if f.ref == "B1")
    assert not b1.asked and "B1" not in _no_action(store)
    adopted = api.adopt_finding(store, b1.id)
    assert adopted.asked and adopted.role == "board"  # still marked as the board's
    assert _no_action(store) == ["B1", "R1", "R2", "R3", "R4"]
    assert api.dashboard(store, with_pack=False).gap_counts["no_action"] == 5
    api.adopt_finding(store, b1.id, adopted=False)
    assert "B1" not in _no_action(store)


def test_only_a_boards_recommendation_can_be_adopted(store: api.Store) -> None:
    import_reports(store, [THURROCK_SIF])
    by_ref = {f.ref: f for f in api.list_findings(store)}
    with pytest.raises(ValidationError, match="paragraph of detail"):
        api.adopt_finding(store, by_ref["P12"].id)
    with pytest.raises(ValidationError, match="council's already"):
        api.adopt_finding(store, by_ref["R1"].id)


def test_a_recommendation_citing_a_paragraph_takes_it_before_any_closer_wording() -> None:
    headlines = [
        Piece("R1", "Ensure that assessments of risk are updated (paragraph 31)."),
        Piece("R2", "Improve the timeliness of return home interviews for missing children."),
    ]
    details = [
        Piece("P31", "Return home interviews for missing children are not timely.", number=31),
        Piece("P40", "Return home interviews for children who go missing are late.", number=40),
        Piece("P41", "The weather was fine on the day of the visit.", number=41),
    ]
    assert attach(headlines, details) == {"P31": "R1", "P40": "R2", "P41": None}


@pytest.mark.skipif(not REPORTS.exists(), reason="the Ofsted report files are not here")
def test_a_real_sif_report_gives_its_recommendations_with_their_paragraphs_under_them(
    store: api.Store,
) -> None:
    report = read_report(REPORTS / "york_2017-02-07.pdf")
    asked = [f for f in report.findings if f.role == ""]
    assert [f.ref for f in asked] == [f"R{n}" for n in range(1, len(asked) + 1)]
    import_reports(store, [REPORTS / "york_2017-02-07.pdf"])
    # "No action" is the number of recommendations, not of every marked paragraph.
    assert api.gap_counts(store)["no_action"] == len(asked)
    details = [f for f in api.list_findings(store) if f.role == "detail"]
    assert details and sum(1 for f in details if f.detail_of) >= len(details) // 2


def _store_at_0008_with_an_old_sif_import(path: Path) -> None:
    """A SIF report as imports before 0009 stored it: R, B and P findings all alike, the
    council under a name the list does not use, and the lead's link on a P paragraph."""
    engine = create_engine(resolve_url(path))
    migrations.upgrade(engine, "0008")
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        run(
            "INSERT INTO source (kind, title, local_authority, framework, start_date, "
            "lead_inspector, url, file_path, content_hash, ours) VALUES ('inspection', "
            "'York SIF inspection', 'City of York Council', 'SIF', '2016-03-01', '', '', "
            "'/nowhere/york.pdf', 'abc', 1)"
        )
        texts = {
            "R1": "Ensure that return home interviews are offered to every missing child.",
            "R2": "Improve the quality of pathway plans for care leavers.",
            "B1": "The board should evaluate the impact of multi-agency training.",
            "P40": "Return home interviews are not offered to every child who goes missing.",
        }
        for ref, text in texts.items():
            run(
                "INSERT INTO finding (ref, ref_key, source_id, kind, judgement_area, text, "
                "title, status) VALUES (?, '', 1, 'recommendation', '', ?, ?, 'open')",
                (ref, text, text[:40]),
            )
        run(
            "INSERT INTO action (ref, ref_key, title, description, owner, brag, "
            "success_measure) VALUES ('1.1', '', 'Missing children', '', '', 'green', '')"
        )
        run("INSERT INTO finding_action VALUES (4, 1)")  # the lead linked P40
    engine.dispose()


def test_an_upgraded_store_reads_its_reports_structure_and_keeps_the_leads_links(
    tmp_path: Path,
) -> None:
    path = tmp_path / "visitprep.db"
    _store_at_0008_with_an_old_sif_import(path)
    opened = open_store_at(path)
    [source] = api.list_sources(opened)
    assert (source.local_authority, source.council_code) == ("York", "E06000014")
    by_ref = {f.ref: f for f in api.list_findings(opened)}
    assert {ref: f.role for ref, f in by_ref.items()} == {
        "R1": "", "R2": "", "B1": "board", "P40": "detail",
    }  # fmt: skip
    assert by_ref["P40"].detail_of == by_ref["R1"].id
    assert by_ref["P40"].action_count == 1  # the lead's link is still there
    assert _no_action(opened) == ["R1", "R2"]


def open_store_at(path: Path) -> api.Store:
    return api.open_store(path, today=date(2018, 1, 20))


def test_the_checklist_cites_a_recommendations_paragraphs_as_context(store: api.Store) -> None:
    from store.export import render_checklist

    import_reports(store, [THURROCK_SIF])
    r1 = next(f for f in api.list_findings(store) if f.ref == "R1")
    visit = api.create_visit(
        store, title="Monitoring visit", start_date=date(2017, 3, 1), focus_themes=[r1.theme]
    )
    pack = api.build_pack(store, visit.id)
    [entry] = [item for theme in pack.themes for item in theme.findings if item.finding.ref == "R1"]
    assert [d.ref for d in entry.details] == ["P12"]
    assert all(item.finding.role == "" for theme in pack.themes for item in theme.findings)
    text = render_checklist(pack, generated_on=date(2017, 2, 1), today=date(2017, 2, 1))
    assert "Context in the report:\n- P12: Children at risk of sexual exploitation" in text
    assert "### P12" not in text  # context under its recommendation, never an item of its own
    # The Word document and the web page cite it too, as the checklist does.
    from store.export import build_document, render_document

    doc = build_document(pack, today=date(2017, 2, 1), generated_on=date(2017, 2, 1))
    page = render_document(doc, "html").decode("utf-8")
    assert '<p class="context">Context in the report:</p>' in page
    assert "<li>P12: Children at risk of sexual exploitation" in page
    assert "<h3>P12" not in page and ">P12</span>" not in page
    import io

    import docx

    word = docx.Document(io.BytesIO(render_document(doc, "docx")))
    said = [(p.style.name, p.text) for p in word.paragraphs]
    at = said.index(("Normal", "Context in the report:"))
    assert said[at + 1][0] == "List Bullet"
    assert said[at + 1][1].startswith("P12: Children at risk of sexual exploitation")
    assert not any(style.startswith("Heading") and "P12" in text for style, text in said)


def test_a_detail_paragraph_is_found_by_search(store: api.Store) -> None:
    from store.search import search

    import_reports(store, [THURROCK_SIF])
    hits = search(store, "managers check plans reviewed", kind="finding")
    assert hits and hits[0].ref == "P12"


def test_two_imports_at_once_into_an_empty_store_make_only_one_report_ours(
    tmp_path: Path,
) -> None:
    """Whose report it is, is decided inside the import's transaction after it has taken
    the store's write lock: the second import sees the first's report as the council's."""
    import threading

    path = tmp_path / "visitprep.db"
    api.open_store(path).close()
    rutland = FIXTURES / "ashbourne-vale_2025-03-20.txt"
    start = threading.Barrier(2)
    outcomes: list = []

    def run(report: Path) -> None:
        store = api.open_store(path)
        start.wait()
        outcomes.extend(import_reports(store, [report]))
        store.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in (rutland, THURROCK_SIF)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o.ours for o in outcomes) == [False, True], [
        (o.status, o.message) for o in outcomes
    ]
    store = api.open_store(path)
    assert sorted(s.ours for s in api.list_sources(store)) == [False, True]


def test_two_councils_inspected_on_the_same_dates_are_two_inspections(
    store: api.Store, tmp_path: Path
) -> None:
    """The same inspection is the same council (by code) on the same dates, never a name
    read from the page: two councils' reports of one week both import."""
    rutland = FIXTURES / "ashbourne-vale_2025-03-20.txt"
    coventry = tmp_path / "coventry.txt"
    coventry.write_text(
        rutland.read_text(encoding="utf-8").replace("Rutland", "Coventry"), encoding="utf-8"
    )
    outcomes = import_reports(store, [rutland, coventry])
    assert [o.status for o in outcomes] == ["imported", "imported"]
    assert {(s.local_authority, s.council_code) for s in api.list_sources(store)} == {
        ("Rutland", "E06000017"), ("Coventry", "E08000026"),
    }  # fmt: skip


def _four_councils(folder: Path) -> list[str]:
    folder.mkdir()
    councils = ["Rutland", "Coventry", "Halton", "Thurrock", "Slough"]
    text = (FIXTURES / "ashbourne-vale_2025-03-20.txt").read_text(encoding="utf-8")
    for name in councils:
        (folder / f"{name.lower()}.txt").write_text(text.replace("Rutland", name), "utf-8")
    return councils


@pytest.mark.parametrize("from_a_thread", [False, True], ids=["command line", "app thread"])
def test_a_folder_is_read_in_worker_processes_with_the_same_result(
    store: api.Store, tmp_path: Path, from_a_thread: bool
) -> None:
    """Five new reports are read by two worker processes (forked as the command line does,
    or from a clean server when the import runs in a thread, as in the app)."""
    import threading

    from store.importers import reports

    councils = _four_councils(tmp_path / "reports")
    assert len(councils) >= reports.PARALLEL_FROM
    outcomes: list = []
    if from_a_thread:
        worker = threading.Thread(
            target=lambda: outcomes.extend(import_reports(store, [tmp_path / "reports"]))
        )
        worker.start()
        worker.join()
    else:
        outcomes = import_reports(store, [tmp_path / "reports"])
    assert [o.status for o in outcomes] == ["imported"] * 5
    assert sorted(s.local_authority for s in api.list_sources(store)) == sorted(councils)
    assert api.count_findings(store) == 5 * 4
    again = import_reports(store, [tmp_path / "reports"])
    assert [o.status for o in again] == ["unchanged"] * 5


def test_the_dashboards_hand_written_sql_counts_what_the_store_counts(store: api.Store) -> None:
    """The first screen's numbers (raw SQL, for start-up speed) and the store's own queries
    agree on what a report asks: findings and "no action" leave out detail paragraphs and
    the board's recommendations until one is adopted."""
    from store.overview import read_sqlite, read_with_sqlalchemy

    if store.path is None:
        pytest.skip("the hand-written dashboard SQL reads SQLite stores")
    import_reports(store, [THURROCK_SIF])
    for adopt in (False, True):
        if adopt:
            b1 = next(f for f in api.list_findings(store) if f.ref == "B1")
            api.adopt_finding(store, b1.id)
        fast, slow = read_sqlite(store.path, store.today), read_with_sqlalchemy(store)
        asked = 4 + adopt
        assert (fast.finding_count, fast.gap_counts["no_action"]) == (asked, asked)
        assert (slow.finding_count, slow.gap_counts["no_action"]) == (asked, asked)
