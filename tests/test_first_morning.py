"""The first morning with a council's own data (issue 19): from an empty store to a right
pack, with no wrong link and no lost work.

A lead in Kingston upon Thames starts from nothing: the council's SIF report (2015) and its
ILACS report (2019), the improvement plan spreadsheet, a shared-drive evidence folder, and
a monitoring visit in three weeks on the front door, children in need and child protection,
and management oversight. They import the three through the command line as the README
says, make the visit, take the findings the builder offers, link and tick evidence in the
app, export the pack, and quit. The pack must hold every finding a person would put in
that focus (the themes a person gave Kingston's findings, tests/data/finding_themes.json),
every link must be the one the plan meant, and the .db file alone must hold the work.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from _tui_harness import pilot_test, press, real_app, started
from conftest import REPORTS
from test_cli import visitprep

import store as api
from store import open_store
from store.focus import focus_mentions
from tui.screens.mention_review import MentionReview
from tui.screens.pack import PackScreen

TODAY = "2019-11-04"  # three weeks before the visit
SIF = "kingston-upon-thames_2015-08-03.pdf"
ILACS = "kingston-upon-thames_2019-12-19.pdf"
FOCUS = (
    "Front door and MASH",
    "Children in need and child protection",
    "Supervision and management oversight",
)
THEMES = Path(__file__).parent / "data" / "finding_themes.json"

# The plan as the council keeps it: a numbered theme heading row, recommendation
# references written in words, a recommendation quoted without its number, a seasonal
# deadline, the evidence named in the row with its location on the next line, and a
# progress note nothing dates (no period in its header, no Updated column, no date in it).
PLAN = """\
Ref,Action,Findings,Lead Officer,Timescale,RAG,Progress Update,Evidence
"1. Turnaround priority: To drive sustainable Practice Improvement at pace",,,,,,,
1.1,Share every child protection conference report with the family before the conference,Rec 1,Head of Safeguarding,Spring 2020,Amber,Template agreed with the PSW; first reports shared,"CP reports audit
{evidence}/cp-reports-audit-2019-10.docx"
1.2,Social care and police attend every strategy discussion with health present,"Ensure that strategy discussions include social care, police and health",Head of MASH,31/12/2019,Green,,
1.3,Quarterly audit of management oversight on disabled children's cases,Recommendation 7,Service Manager CWD,Winter 2019/20,Red,,
"2. Governance Leadership and Partnership",,,,,,,
2.1,Review child in need plans monthly with a manager's recorded decision,,Head of CIN,31/03/2020,Amber,,
"""


def _person_themes() -> dict[tuple[str, str], str]:
    labelled = json.loads(THEMES.read_text(encoding="utf-8"))
    return {
        (item["report"], item["ref"]): item["theme"]
        for item in labelled
        if item["report"] in (SIF, ILACS)
    }


def _ok(result: Any) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout + result.stderr


@pytest.fixture
def morning(tmp_path: Path) -> dict[str, Any]:
    """An empty store after the lead's three imports, done on the command line."""
    for name in (SIF, ILACS):
        if not (REPORTS / name).exists():
            pytest.skip(f"shared report {name} missing")
    db = tmp_path / "kingston.db"
    evidence = tmp_path / "SharePoint" / "Ofsted evidence"
    (evidence / "Front door").mkdir(parents=True)
    for name in (
        "cp-reports-audit-2019-10.docx",
        "Front door/Strategy discussion tracker 2019-10.xlsx",
        "CIN plan review audit (DRAFT v2) 2019-09.docx",
    ):
        (evidence / name).write_bytes(b"evidence")
    plan = tmp_path / "improvement plan.csv"
    plan.write_text(PLAN.format(evidence=evidence), encoding="utf-8")
    env = {"VISITPREP_TODAY": TODAY, "VISITPREP_USER": "Sam Patel"}
    _ok(visitprep("--db", str(db), "import", str(REPORTS / SIF), str(REPORTS / ILACS), env=env))
    dry = _ok(visitprep("--db", str(db), "import", str(plan), "--dry-run", env=env))
    _ok(visitprep("--db", str(db), "import", str(plan), env=env))
    _ok(visitprep("--db", str(db), "import", "--evidence", str(evidence), env=env))
    return {"db": db, "evidence": evidence, "dry_run": dry, "env": env}


def test_the_plan_links_only_what_it_meant_and_the_dry_run_says_why(
    morning: dict[str, Any],
) -> None:
    connection = sqlite3.connect(morning["db"])
    try:
        links: dict[str, list[tuple[int, str]]] = {}
        for action, started_on, finding in connection.execute(
            "SELECT action.ref, source.start_date, finding.ref FROM finding_action"
            " JOIN action ON action.id = finding_action.action_id"
            " JOIN finding ON finding.id = finding_action.finding_id"
            " JOIN source ON source.id = finding.source_id ORDER BY 1, 2, 3"
        ):
            links.setdefault(action, []).append((int(started_on[:4]), finding))
        actions = [row[0] for row in connection.execute("SELECT ref FROM action ORDER BY 1")]
    finally:
        connection.close()
    assert actions == ["1.1", "1.2", "1.3", "2.1"], actions
    assert links == {
        "1.1": [(2015, "R1")],  # "Rec 1"
        "1.2": [(2015, "R3")],  # quoted without its number: matched by text
        "1.3": [(2015, "R7")],  # "Recommendation 7"
    }, links
    # No link from a heading's number: "2." above 2.1 (which names no finding) made none.
    assert "matched by text" in morning["dry_run"]
    # The progress note nothing dates is said to be undated, not dated the import day.
    assert "progress note: date not given" in " ".join(morning["dry_run"].split())
    assert "dated the day of the import" not in morning["dry_run"]


@pilot_test
async def test_a_lead_goes_from_an_empty_store_to_a_right_pack_and_the_db_holds_it(
    morning: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISITPREP_TODAY", TODAY)  # the app's today: three weeks to go
    db: Path = morning["db"]
    store = open_store(db, user="Sam Patel")
    store._today = api.parse_date(TODAY)  # type: ignore[attr-defined]
    visit = api.create_visit(
        store,
        title="Monitoring visit 1: front door, CIN/CP and oversight",
        start_date="25/11/2019",
        focus_themes=list(FOCUS),
    )
    offered = {m.finding_id for m in focus_mentions(store, visit.id)}
    assert offered, "nothing outside the focus themes names the focus"
    store.close()
    # The pack offers the findings outside the focus that name it: the lead opens the next
    # visit's pack (p), reviews them (+) and takes them all (enter).
    app = real_app(open_store(db, user="Sam Patel"), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await press(pilot, "p")
        assert isinstance(app.screen, PackScreen)
        assert "+ reviews and adds" in str(app.screen.query_one("#pack-offer").render())
        await press(pilot, "plus")
        assert isinstance(app.screen, MentionReview)
        await press(pilot, "enter")
        assert isinstance(app.screen, PackScreen)
        assert not app.screen.query_one("#pack-offer").display  # nothing left to offer
        await press(pilot, "q")
    app.store.close()
    store = open_store(db, user="Sam Patel")
    store._today = api.parse_date(TODAY)  # type: ignore[attr-defined]
    assert not focus_mentions(store, visit.id)
    pack = api.build_pack(store, visit.id)
    in_pack = {
        (api.get_source(store, pf.finding.source_id).start_date.year, pf.finding.ref)
        for theme in pack.themes
        for pf in theme.findings
    }
    wanted = {
        (2015 if report == SIF else 2019, ref)
        for (report, ref), theme in _person_themes().items()
        if theme in FOCUS and not ref.startswith("B")  # the board's, until adopted
    }
    assert wanted <= in_pack, f"missing from the pack: {sorted(wanted - in_pack)}"
    # Management oversight of disabled children's cases: filed under disabled children by
    # a person, and offered to this focus by its words.
    assert (2015, "R7") in in_pack
    assert not [f for f in in_pack if f[1].startswith("B")], "a board finding came in unadopted"

    # The plan named the CP reports audit (linked to 1.1); the lead links the strategy
    # tracker the folder scan found to 1.2, then ticks both ready in the app.
    evidence = {e.title: e for e in api.list_evidence(store)}
    tracker = next(e for t, e in evidence.items() if "Strategy discussion tracker" in t)
    audit = next(e for t, e in evidence.items() if "CP reports audit" in t or "cp" in t.lower())
    action_12 = api.get_action_by_ref(store, "1.2")
    api.link(store, "action", action_12.id, "evidence", tracker.id)
    store.close()

    app = real_app(open_store(db, user="Sam Patel"), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        api.set_evidence_ready(app.store, visit.id, tracker.id, True)
        api.set_evidence_ready(app.store, visit.id, audit.id, True)
        await press(pilot)
        await press(pilot, "q")
    app.store.close()  # as visitprep does once its app has closed (tui/cli.py)
    # Only the .db file is copied, as a lead backs up to SharePoint: it holds the work.
    backup = tmp_path / "backup" / "kingston.db"
    backup.parent.mkdir()
    shutil.copyfile(db, backup)
    connection = sqlite3.connect(backup)
    try:
        ticked = {
            row[0]
            for row in connection.execute(
                "SELECT evidence_id FROM visit_evidence WHERE visit_id = ? AND ready",
                (visit.id,),
            )
        }
        linked = connection.execute(
            "SELECT 1 FROM action_evidence WHERE action_id = ? AND evidence_id = ?",
            (action_12.id, tracker.id),
        ).fetchone()
    finally:
        connection.close()
    assert {tracker.id, audit.id} <= ticked
    assert linked is not None

    out = tmp_path / "pack.md"
    _ok(visitprep("--db", str(db), "export", str(visit.id), "-o", str(out), env=morning["env"]))
    checklist = out.read_text(encoding="utf-8")
    assert "R7" in checklist and "1.2" in checklist
    assert "ready (Sam Patel" in checklist
    # The Director is not told an undated note is this week's update.
    assert "**Latest update** (date not given, Amber): Template agreed" in checklist
    assert "Latest update** (4 Nov 2019" not in checklist
