"""Other councils' reports: imported to search and learn from, never part of our own work.

A lead keeps their own council's findings, actions and evidence, and imports other
councils' published reports to ask "what did Ofsted say about return home interviews
elsewhere?". Those findings are found by search, and are never in a visit's pack, its
checklist, the gaps or the dashboard's numbers, until the lead says the report is theirs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import _cli
import pytest

import store as api
from store.demo import DEMO_TODAY
from store.export import export_checklist
from store.importers.reports import import_reports, is_ours, own_councils
from store.records import Finding
from store.search import search
from tui.commands._words import in_cli_words

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "ofsted-reports"
HARINGEY = REPORTS / "haringey_2018-12-14.pdf"
FIXTURES = Path(__file__).parent / "data" / "reports"
ASHBOURNE = FIXTURES / "ashbourne-vale_2025-03-20.txt"
EASTMERE = FIXTURES / "eastmere_2016-05-20.txt"

needs_haringey = pytest.mark.skipif(not HARINGEY.exists(), reason="the Ofsted reports are not here")


def _our_work(store: api.Store) -> tuple[object, ...]:
    """Everything a lead's own work is judged by: the next pack's checklist, the dashboard
    (with the pack and the files on disk), the gaps and the "no action" list."""
    visit = api.next_visit(store)
    assert visit is not None
    numbers = api.dashboard(store, most_overdue=5)
    return (
        export_checklist(store, visit.id),
        replace(numbers, other_finding_count=0),
        api.find_gaps(store),
        api.find_gaps(store, visit_id=visit.id),
        api.gap_counts(store),
    )


@needs_haringey
def test_a_lead_imports_haringeys_report_to_learn_from_and_their_own_work_is_unchanged(
    demo_store: api.Store,
) -> None:
    before = _our_work(demo_store)
    ours_before = api.count_findings(demo_store)

    [outcome] = import_reports(demo_store, [HARINGEY])

    assert outcome.status == "imported" and outcome.ours is False
    assert outcome.local_authority == "Haringey"
    assert "as another council's report, for search and learning" in outcome.message
    assert "not in packs or gaps (use --ours if it is yours)" in in_cli_words(outcome.said)
    # Search finds Haringey's findings, and says whose they are.
    hits = search(demo_store, "return home interviews haringey", kind="finding")
    theirs = [hit for hit in hits if hit.source.startswith("Haringey")]
    assert theirs and all(not hit.ours for hit in theirs)
    assert all(hit.ours for hit in hits if hit.source.startswith("Northbridge"))
    # The pack, the checklist, the dashboard and the gaps are what they were.
    assert _our_work(demo_store) == before
    numbers = api.dashboard(demo_store, with_pack=False)
    assert (numbers.finding_count, numbers.other_finding_count) == (ours_before, 9)
    # The findings are all there, and the lists can ask for ours, theirs or all.
    assert api.count_findings(demo_store, ours=True) == ours_before
    assert api.count_findings(demo_store, ours=False) == 9
    assert api.count_findings(demo_store) == ours_before + 9
    assert {f.local_authority for f in api.list_findings(demo_store, ours=False)} == {"Haringey"}
    assert all(not f.ours for f in api.list_findings(demo_store, ours=False))
    assert [s.title for s in api.list_sources(demo_store, ours=False)] == [
        "Haringey ILACS inspection October 2018"
    ]

    # Marking the report ours brings its findings into the pack, the gaps and the numbers.
    api.update_source(demo_store, outcome.source_id, ours=True)
    visit = api.next_visit(demo_store)
    assert visit is not None
    checklist = export_checklist(demo_store, visit.id)
    assert checklist.count("### R8 ") == 2  # Haringey's return home interviews, and ours
    assert "Haringey ILACS inspection October 2018" in checklist
    after = api.dashboard(demo_store, with_pack=False)
    assert (after.finding_count, after.other_finding_count) == (ours_before + 9, 0)
    assert after.gap_counts["no_action"] > numbers.gap_counts["no_action"]
    # ... and marking it another council's again takes them back out.
    api.update_source(demo_store, outcome.source_id, ours=False)
    assert _our_work(demo_store) == before


def _haringey_finding(store: api.Store) -> Finding:
    [finding] = api.list_findings(store, ours=False, text="return home")
    return finding


@needs_haringey
def test_another_councils_finding_cannot_be_added_to_a_pack_by_hand(
    demo_store: api.Store,
) -> None:
    import_reports(demo_store, [HARINGEY])
    finding = _haringey_finding(demo_store)
    visit = api.next_visit(demo_store)
    assert visit is not None
    with pytest.raises(api.ValidationError, match=r"another council's report \(Haringey\)"):
        api.set_finding_in_pack(demo_store, visit.id, finding.id, True)
    api.set_finding_in_pack(demo_store, visit.id, finding.id, None)  # back to the default: fine
    pack = api.build_pack(demo_store, visit.id)
    in_pack = {pf.finding.id for theme in pack.themes for pf in theme.findings}
    assert finding.id not in in_pack and finding.id not in {f.id for f in pack.dropped}


def test_a_finding_added_by_hand_leaves_the_pack_while_its_report_is_another_councils(
    store: api.Store,
) -> None:
    source = api.create_source(store, kind="inspection", title="Brightwater ILACS 2017",
                               local_authority="Brightwater")  # fmt: skip
    finding = api.create_finding(store, title="Private fostering", ref="R1", source_id=source.id)
    visit = api.create_visit(store, title="Visit", start_date="01/03/2018")
    api.set_finding_in_pack(store, visit.id, finding.id, True)
    assert api.build_pack(store, visit.id).themes

    api.update_source(store, source.id, ours=False)
    assert api.build_pack(store, visit.id).themes == ()
    assert api.find_gaps(store) == [] and api.gap_counts(store)["no_action"] == 0
    api.update_source(store, source.id, ours=True)  # the lead's choice was kept
    assert api.build_pack(store, visit.id).themes[0].findings[0].added_by_hand


def test_a_finding_with_no_source_is_ours(store: api.Store) -> None:
    finding = api.create_finding(store, title="Noted at the improvement board")
    assert finding.ours and api.count_findings(store, ours=True) == 1
    assert api.count_findings(store, ours=False) == 0


# -- which reports are ours ----------------------------------------------------------------


def test_the_first_report_is_the_councils_own_and_another_councils_is_for_learning(
    store: api.Store,
) -> None:
    assert own_councils(store) == set() and is_ours("Anywhere", set())
    [first] = import_reports(store, [ASHBOURNE])
    assert first.ours is True and "as this council's own report" in first.message
    assert "(use --other if it is another council's)" in in_cli_words(first.said)
    [second] = import_reports(store, [EASTMERE])
    assert second.ours is False and second.local_authority == "Thurrock"
    assert own_councils(store) == {"E06000017"}  # Rutland, by its ONS code
    assert [s.ours for s in api.list_sources(store)] == [True, False]
    # The same council's later report is ours again: by its code, whatever name it prints.
    assert is_ours("E06000017", own_councils(store))
    assert not is_ours("E06000034", own_councils(store))


def test_the_lead_can_say_whose_a_report_is_and_change_it_by_importing_again(
    store: api.Store, tmp_path: Path
) -> None:
    [first] = import_reports(store, [ASHBOURNE], ours=False)
    assert first.ours is False
    assert "(use --ours" not in in_cli_words(first.said)  # asked for: no hint to undo it
    [again] = import_reports(store, [ASHBOURNE])
    assert again.status == "unchanged" and again.ours is False
    assert "--ours makes it yours" in in_cli_words(again.said)
    [moved] = import_reports(store, [ASHBOURNE], ours=True)
    assert moved.status == "updated" and moved.ours is True
    assert "now marked as this council's own report" in moved.message
    assert api.get_source(store, moved.source_id).ours
    # An updated copy of a report keeps whose it is, unless told.
    copy = tmp_path / ASHBOURNE.name
    shutil.copy(ASHBOURNE, copy)
    copy.write_text(copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    [updated] = import_reports(store, [copy], update=True)
    assert updated.status == "updated" and updated.ours is True


def test_a_source_can_be_moved_between_ours_and_another_councils(store: api.Store) -> None:
    source = api.create_source(store, kind="inspection", title="Audit", ours="no")
    assert source.ours is False
    assert api.update_source(store, source.id, ours=True).ours is True
    with pytest.raises(api.ValidationError, match="not yes or no"):
        api.update_source(store, source.id, ours="perhaps")


# -- the command line ------------------------------------------------------------------------

BIN = Path(sys.executable).parent / "visitprep"


def visitprep(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real console script on the store at ``db``, on the demo's own today."""
    env = {**os.environ, "VISITPREP_TODAY": DEMO_TODAY.isoformat()}
    env.pop("COLUMNS", None)
    return _cli.run(  # the console script in a process of its own (see tests/_cli.py)
        [str(BIN), "--db", str(db), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


@needs_haringey
def test_visitprep_import_says_a_report_is_another_councils_and_gaps_and_export_ignore_it(
    tmp_path: Path,
) -> None:
    db = tmp_path / "demo.db"
    assert visitprep(db, "demo").returncode == 0
    gaps, checklist = visitprep(db, "gaps", "--json").stdout, visitprep(db, "export", "3").stdout
    assert checklist.count("### R8 ") == 1

    dry = visitprep(db, "import", "--dry-run", "--json", str(HARINGEY))
    planned = json.loads(dry.stdout)  # one file: one object
    assert (planned["status"], planned["ours"]) == ("dry run", False)
    assert planned["whose"].startswith("as another council's report")
    plain = " ".join(visitprep(db, "import", "--dry-run", str(HARINGEY)).stdout.split())
    assert "would import 9 findings as another council's report" in plain
    result = visitprep(db, "import", str(HARINGEY))
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert (
        "Haringey: imported as another council's report, for search and learning: "
        "not in packs or gaps (use --ours if it is yours)."
    ) in said
    assert said.count("another council's") == 1  # said once, below the table

    # Search finds it; the gaps and the checklist are what they were.
    hits = json.loads(visitprep(db, "search", "return", "home", "haringey", "--json").stdout)
    assert any(hit["source"].startswith("Haringey") and not hit["ours"] for hit in hits)
    assert visitprep(db, "gaps", "--json").stdout == gaps
    assert visitprep(db, "export", "3").stdout == checklist

    # The lead says it is theirs after all: its findings come into the pack and the gaps.
    moved = visitprep(db, "import", "--ours", "--json", str(HARINGEY))
    outcome = json.loads(moved.stdout)
    assert (outcome["status"], outcome["ours"], outcome["local_authority"]) == (
        "updated",
        True,
        "Haringey",
    )
    assert visitprep(db, "export", "3").stdout.count("### R8 ") == 2
    assert len(json.loads(visitprep(db, "gaps", "--json").stdout)) > len(json.loads(gaps))
    refused = visitprep(db, "import", "--other", "--evidence", str(tmp_path))
    assert refused.returncode == 1
    assert refused.stderr == "visitprep: --other is for importing Ofsted reports (.pdf or .txt).\n"
