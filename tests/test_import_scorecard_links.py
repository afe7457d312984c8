"""A scorecard re-import applies the links its Actions and Findings columns add or remove,
and says so: in the dry run, on the command line and in the history.

Sam, the performance lead, keeps the board's scorecard. Its Actions and Findings columns
name the improvement-plan actions and Ofsted findings each measure shows the impact of.
Next month the only change is to those columns: re-referrals (F3) now also shows the impact
of action 1.3 and no longer of finding R3. The re-import is no "unchanged" sheet: it counts
"links: 1 added, 1 removed", adds and removes them, and the history has each. A link Alex
made by hand is not the sheet's to remove, and one Alex removed by hand is not put back
(the plan's rule for the findings it lists): each is named. A ref the store does not know is
named by its cell and nothing is imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import _cli

import store as api
from store import Store
from store.dates import format_date
from store.history_queries import list_history
from store.importers.scorecard import import_scorecard

BIN = Path(sys.executable).parent / "visitprep"
HEADER = "Ref,Indicator,Good is,Target,Actions,Findings,Apr-18,May-18\n"
CARD = (
    HEADER
    + "A1,Assessments within 45 working days,Higher,90%,1.2,,55%,57%\n"
    + "F3,Re-referrals within 12 months,lower,22,1.1,R3,29,27\n"
)
# Next month's sheet: only F3's links differ (action 1.3 added, finding R3 removed).
NEXT = CARD.replace("lower,22,1.1,R3,", 'lower,22,"1.1, 1.3",,')
F3 = "measure F3 'Re-referrals within 12 months'"


def _sheet(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _plan(store: Store) -> None:
    source = api.create_source(store, kind="inspection", title="ILACS 2017")
    api.create_finding(store, title="Re-referrals are high", ref="R3", source_id=source.id)
    for ref, title in (("1.1", "Threshold"), ("1.2", "Audit"), ("1.3", "Step-down")):
        api.create_action(store, ref=ref, title=title)


def _imported(store: Store, tmp_path: Path) -> int:
    _plan(store)
    store.user = "Sam Patel"
    import_scorecard(store, _sheet(tmp_path, "board.csv", CARD))
    return api.get_measure_by_ref(store, "F3").id


def _links(store: Store, measure_id: int) -> dict[str, list[str]]:
    return {
        kind: [ref for _id, ref, _title in linked]
        for kind, linked in api.measure_links(store, measure_id).items()
    }


def test_a_reimport_that_only_changes_links_adds_and_removes_them_and_says_so(
    store: Store, tmp_path: Path
) -> None:
    f3 = _imported(store, tmp_path)
    assert _links(store, f3) == {"finding": ["R3"], "action": ["1.1"]}
    again = _sheet(tmp_path, "board v2.csv", NEXT)
    before = api.change_counter(store)

    # The dry run counts the links as the change they are, and writes nothing.
    dry = import_scorecard(store, again, dry_run=True)
    assert (dry.updated, dry.unchanged) == (["F3"], ["A1"])
    assert (dry.links_added, dry.links_removed, dry.links_left) == (1, 1, [])
    assert api.change_counter(store) == before
    assert _links(store, f3) == {"finding": ["R3"], "action": ["1.1"]}

    done = import_scorecard(store, again)
    assert (done.updated, done.links_added, done.links_removed) == (["F3"], 1, 1)
    assert _links(store, f3) == {"finding": [], "action": ["1.1", "1.3"]}
    # Every change is on the record: the link, the removed link and the import naming both.
    new = [e for e in list_history(store) if e.id > before]
    assert sorted((e.op, e.kind, e.other_kind, e.other_label) for e in new if e.other_kind) == [
        ("link", "measure", "action", "1.3 Step-down"),
        ("unlink", "measure", "finding", "R3 Re-referrals are high"),
    ]
    assert {e.who for e in new} == {"Sam Patel"}
    [entry] = [e for e in new if e.op == "import" and e.record_id is None]
    assert entry.detail == (
        "scorecard board v2.csv (0 measures new, 1 changed; 0 values added, 0 changed; "
        "links: 1 added, 1 removed)"
    )

    # The same sheet again is unchanged; and the old one puts R3 back (the sheet removed
    # it, not a hand), and takes 1.3 away.
    same = import_scorecard(store, again)
    assert (same.unchanged, same.links_added, same.links_removed) == (["A1", "F3"], 0, 0)
    back = import_scorecard(store, _sheet(tmp_path, "board.csv", CARD))
    assert (back.updated, back.links_added, back.links_removed) == (["F3"], 1, 1)
    assert _links(store, f3) == {"finding": ["R3"], "action": ["1.1"]}


def test_links_made_or_removed_by_hand_are_left_as_they_are_and_named(
    store: Store, tmp_path: Path
) -> None:
    f3 = _imported(store, tmp_path)
    action = {a.ref: a.id for a in api.list_actions(store)}
    store.user = "Alex Khan"
    api.link_measure(store, f3, "action", action["1.2"])  # not in the sheet
    api.unlink_measure(store, f3, "action", action["1.1"])  # still in the sheet
    store.user = "Sam Patel"
    before = api.change_counter(store)

    dry = import_scorecard(store, _sheet(tmp_path, "board v2.csv", NEXT), dry_run=True)
    today = format_date(datetime.now(UTC).astimezone().date())  # the day Alex did it
    assert [str(left) for left in dry.links_left] == [
        f"row 3: {F3} is not linked to action 1.1 again: unlinked by Alex Khan on {today}, "
        "though the scorecard lists it (link it by hand to put it back)",
        f"row 3: {F3} stays linked to action 1.2: not in the scorecard, but linked by hand "
        f"by Alex Khan on {today} (unlink it by hand if it should go)",
    ]
    # What the sheet itself changed is still done: 1.3 added, R3 (the scorecard's) removed.
    assert (dry.links_added, dry.links_removed) == (1, 1)
    assert api.change_counter(store) == before

    import_scorecard(store, _sheet(tmp_path, "board v2.csv", NEXT))
    assert _links(store, f3) == {"finding": [], "action": ["1.2", "1.3"]}


def test_a_ref_the_store_does_not_know_is_named_by_its_cell_and_nothing_is_imported(
    store: Store, tmp_path: Path
) -> None:
    f3 = _imported(store, tmp_path)
    before = api.change_counter(store)
    # 1.3 is new; 9.9 is no action; 1.2 is an action's ref typed in the Findings column.
    wrong = CARD.replace("lower,22,1.1,R3,", 'lower,22,"1.1, 1.3, 9.9",1.2,')
    result = import_scorecard(store, _sheet(tmp_path, "board v2.csv", wrong))
    assert [str(p) for p in result.problems] == [
        "E3: there is no action '9.9'.",
        "F3: there is no finding '1.2': it is the ref of an action, so it goes in the Actions "
        "column.",
    ]
    assert api.change_counter(store) == before
    assert _links(store, f3) == {"finding": ["R3"], "action": ["1.1"]}


def test_the_command_line_says_the_links_a_reimport_adds_and_removes(
    db_url: str, store: Store, tmp_path: Path
) -> None:
    f3 = _imported(store, tmp_path)
    again = _sheet(tmp_path, "board v2.csv", NEXT)

    def visitprep(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "VISITPREP_TODAY": "2018-01-20", "VISITPREP_USER": "Sam Patel"}
        return _cli.run(
            [str(BIN), "--db", db_url, "import", str(again), *args],
            capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
        )  # fmt: skip

    dry = visitprep("--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert " ".join(dry.stdout.split()).startswith(
        "board v2.csv: would import 2 measures (0 new, 1 changed, 1 unchanged); values: 0 new, "
        "0 changed, 4 the same; links: 1 added, 1 removed."
    )
    told = json.loads(visitprep("--dry-run", "--json").stdout)
    assert (told["updated"], told["links_added"], told["links_removed"]) == (["F3"], 1, 1)
    assert _links(store, f3) == {"finding": ["R3"], "action": ["1.1"]}

    done = visitprep()
    assert done.returncode == 0, done.stderr
    assert "links: 1 added, 1 removed." in " ".join(done.stdout.split())
    assert _links(store, f3) == {"finding": [], "action": ["1.1", "1.3"]}


def test_a_finding_ref_in_two_reports_stays_linked_to_the_one_it_is_linked_to(
    store: Store, tmp_path: Path
) -> None:
    f3 = _imported(store, tmp_path)  # R3 of the ILACS, ours
    # The ILACS is marked another council's, and this council's own focused visit, with an
    # R3 of its own, is recorded: "R3" now reads first as the focused visit's.
    [ilacs] = api.list_sources(store)
    api.update_source(store, ilacs.id, ours=False)
    visit = api.create_source(store, kind="inspection", title="Focused visit 2018")
    api.create_finding(store, title="Step-down is slow", ref="R3", source_id=visit.id)
    same = import_scorecard(store, _sheet(tmp_path, "board.csv", CARD))
    assert (same.unchanged, same.links_added, same.links_removed) == (["A1", "F3"], 0, 0)
    [(_id, _ref, title)] = api.measure_links(store, f3)["finding"]
    assert title == "Re-referrals are high"
