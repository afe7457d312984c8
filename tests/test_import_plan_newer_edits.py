"""A plan re-import never silently overwrites what a theme lead changed in the app (issue 11).

Sam imports the plan; Alex moves action 1.2's due date and takes it over in the app. When
Sam imports the (older) sheet again, the import names each field it would overwrite, who
changed it and when, and imports nothing, unless Sam lets the plan win.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import _cli
import pytest

import store as st
from store import Store
from store.dates import format_date
from store.errors import ImportFailed
from store.importers.plan import import_plan
from tui.commands._words import in_cli_words
from tui.presenters.import_common import in_screen_words

BIN = Path(sys.executable).parent / "visitprep"
HEADER = "Ref,Action,Owner,Due,Success measure\n"
PLAN = (
    HEADER
    + "1.1,Audit the front door,Jo Reid,31/01/2019,Audits done\n"
    + "1.2,Fix the MASH thresholds,Sam Patel,28/02/2019,Fewer re-referrals\n"
)


def _today() -> str:
    return format_date(datetime.now(UTC).astimezone().date())


def _sheet(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _imported(store: Store, tmp_path: Path) -> int:
    store.user = "Sam Patel"
    import_plan(store, _sheet(tmp_path, "plan.csv", PLAN))
    return st.get_action_by_ref(store, "1.2").id


def _alex_edits(store: Store, action_id: int) -> None:
    store.user = "Alex Khan"
    st.update_action(store, action_id, due_date="2019-03-31", owner="Alex Khan")
    store.user = "Sam Patel"


def test_a_re_import_over_newer_edits_is_refused_naming_each_and_imports_nothing(
    store: Store, tmp_path: Path
) -> None:
    action_id = _imported(store, tmp_path)
    _alex_edits(store, action_id)
    before = (st.change_counter(store), st.get_action(store, action_id))
    # The same sheet again, plus a new measure of success for 1.1 nobody edited by hand.
    again = _sheet(
        tmp_path, "plan v2.csv", PLAN.replace("Audits done", "Every month audited")
    )  # fmt: skip

    with pytest.raises(ImportFailed) as refused:
        import_plan(store, again)

    said = in_cli_words(refused.value)
    day = _today()
    assert said.splitlines() == [
        "plan v2.csv would overwrite 2 newer edits, so nothing was imported:",
        f"row 3: would overwrite action 1.2's owner, changed by Alex Khan on {day} since the "
        "plan was last imported ('Alex Khan' in the store, 'Sam Patel' in the plan)",
        f"row 3: would overwrite action 1.2's due date, changed by Alex Khan on {day} since "
        "the plan was last imported (31 Mar 2019 in the store, 28 Feb 2019 in the plan)",
        "Bring the sheet up to date with the store and import it again, or import it with "
        "--plan-wins to write the plan's values over them.",
    ]
    assert in_screen_words(refused.value).endswith(
        "or import it with 'Let the plan overwrite newer edits' ticked to write the plan's "
        "values over them."
    )
    # All or nothing: not even 1.1's measure, which nobody edited, was written.
    assert (st.change_counter(store), st.get_action(store, action_id)) == before
    assert st.get_action_by_ref(store, "1.1").success_measure == "Audits done"

    # The dry run names them too, and writes nothing.
    dry = import_plan(store, again, dry_run=True)
    assert [(c.row, c.reason.split(",")[0]) for c in dry.conflicts] == [
        (3, "would overwrite action 1.2's owner"),
        (3, "would overwrite action 1.2's due date"),
    ]
    assert st.change_counter(store) == before[0]

    # The plan wins when Sam says so; 1.1's measure is updated as before.
    import_plan(store, again, plan_wins=True)
    now = st.get_action(store, action_id)
    assert (now.owner, str(now.due_date)) == ("Sam Patel", "2019-02-28")
    assert st.get_action_by_ref(store, "1.1").success_measure == "Every month audited"
    # And from then on Alex's edits are behind the plan: no conflict any more.
    assert import_plan(store, again, dry_run=True).conflicts == []


def test_a_field_nobody_edited_by_hand_is_updated_as_before(store: Store, tmp_path: Path) -> None:
    action_id = _imported(store, tmp_path)
    _alex_edits(store, action_id)
    # A sheet that agrees with Alex's edits and changes only what nobody touched.
    newer = PLAN.replace("Sam Patel,28/02/2019,Fewer re-referrals", "Alex Khan,31/03/2019,Fewer")
    result = import_plan(store, _sheet(tmp_path, "plan v3.csv", newer))
    assert result.conflicts == [] and result.updated == ["1.2"]
    assert st.get_action(store, action_id).success_measure == "Fewer"
    # A blank cell still erases nothing.
    blank = HEADER + "1.2,Fix the MASH thresholds,,,Fewer\n"
    import_plan(store, _sheet(tmp_path, "plan v4.csv", blank))
    assert st.get_action(store, action_id).owner == "Alex Khan"


def test_an_edit_made_before_the_last_import_does_not_conflict(
    store: Store, tmp_path: Path
) -> None:
    action_id = _imported(store, tmp_path)
    _alex_edits(store, action_id)
    # The plan is imported again (its new owner wins by choice): Alex's edit is older now.
    import_plan(
        store,
        _sheet(tmp_path, "plan v5.csv", PLAN.replace("Sam Patel", "Jo Reid")),
        plan_wins=True,
    )
    later = _sheet(tmp_path, "plan v6.csv", PLAN.replace("28/02/2019", "30/04/2019"))
    result = import_plan(store, later)
    assert result.conflicts == []
    assert str(st.get_action(store, action_id).due_date) == "2019-04-30"


def test_a_plan_that_writes_another_field_does_not_make_a_hand_edit_older(
    store: Store, tmp_path: Path
) -> None:
    action_id = _imported(store, tmp_path)
    store.user = "Alex Khan"
    st.update_action(store, action_id, due_date="2019-03-31")  # only the due date, by hand
    store.user = "Sam Patel"
    # The next sheet leaves the due cell blank (a blank erases nothing) but changes the
    # owner: the plan writes the action, not its due date.
    blank_due = PLAN.replace("Sam Patel,28/02/2019", "Jo Reid,")
    assert import_plan(store, _sheet(tmp_path, "plan v7.csv", blank_due)).conflicts == []
    assert st.get_action(store, action_id).owner == "Jo Reid"
    before = st.change_counter(store)

    # A later sheet carries the old due date again: Alex's edit is still the newer one.
    old_due = _sheet(tmp_path, "plan v8.csv", PLAN.replace("Sam Patel", "Jo Reid"))
    with pytest.raises(ImportFailed) as refused:
        import_plan(store, old_due)
    assert in_cli_words(refused.value).splitlines()[:2] == [
        "plan v8.csv would overwrite a newer edit, so nothing was imported:",
        f"row 3: would overwrite action 1.2's due date, changed by Alex Khan on {_today()} "
        "since the plan was last imported (31 Mar 2019 in the store, 28 Feb 2019 in the plan)",
    ]
    assert str(st.get_action(store, action_id).due_date) == "2019-03-31"
    assert st.change_counter(store) == before


def test_an_action_made_by_hand_is_updated_by_the_first_plan_that_names_it(
    store: Store, tmp_path: Path
) -> None:
    store.user = "Alex Khan"
    made = st.create_action(store, title="Fix the MASH thresholds", ref="1.2", owner="Alex")
    result = import_plan(store, _sheet(tmp_path, "plan.csv", PLAN))
    assert result.conflicts == []
    assert st.get_action(store, made.id).owner == "Sam Patel"


def test_the_command_line_refuses_naming_each_edit_and_plan_wins_imports(
    db_url: str, store: Store, tmp_path: Path
) -> None:
    action_id = _imported(store, tmp_path)
    _alex_edits(store, action_id)
    again = _sheet(tmp_path, "plan v2.csv", PLAN)
    before = st.change_counter(store)

    def visitprep(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "VISITPREP_TODAY": "2018-01-20", "VISITPREP_USER": "Sam Patel"}
        return _cli.run(
            [str(BIN), "--db", db_url, "import", str(again), *args],
            capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
        )  # fmt: skip

    refused = visitprep()
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    lines = refused.stderr.splitlines()
    assert lines[0] == (
        "visitprep: plan v2.csv would overwrite 2 newer edits, so nothing was imported:"
    )
    assert lines[2].startswith("  row 3: would overwrite action 1.2's due date, changed by Alex")
    assert lines[-1].endswith("import it with --plan-wins to write the plan's values over them.")
    assert st.change_counter(store) == before

    dry = visitprep("--dry-run")
    assert dry.returncode == 1
    assert "Newer edits the plan would overwrite" in dry.stdout
    assert "row 3: would overwrite action 1.2's owner, changed by Alex Khan" in dry.stdout
    assert "it would overwrite 2 newer edits; the import would be refused" in dry.stderr
    told = json.loads(visitprep("--dry-run", "--json").stdout)
    assert told["status"] == "refused"
    assert [(e["row"], e["reason"][:38]) for e in told["newer_edits"]] == [
        (3, "would overwrite action 1.2's owner, ch"),
        (3, "would overwrite action 1.2's due date,"),
    ]

    wins = visitprep("--plan-wins")
    assert wins.returncode == 0, wins.stderr
    assert "Newer edits the plan overwrites (--plan-wins):" in wins.stdout
    assert st.get_action(store, action_id).owner == "Sam Patel"


def test_a_plan_of_thousands_of_actions_is_checked_without_a_query_too_large(
    store: Store, tmp_path: Path
) -> None:
    from store.importers.plan_conflicts import hand_edits

    action_id = _imported(store, tmp_path)
    _alex_edits(store, action_id)
    # 1,500 actions' history in a few queries (SQLite refuses an expression 1,000 deep).
    found = hand_edits(store, range(1, 1501))
    assert set(found) == {action_id}
    assert set(found[action_id]) == {"owner", "due_date"}


def test_an_edit_made_while_the_plan_is_being_imported_is_not_overwritten(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.importers.plan as plan_importer

    action_id = _imported(store, tmp_path)
    read_plan_and_match = plan_importer._plan

    def alex_edits_meanwhile(*args: object) -> None:
        read_plan_and_match(*args)  # type: ignore[arg-type]
        _alex_edits(store, action_id)  # after the check, before the writes

    monkeypatch.setattr(plan_importer, "_plan", alex_edits_meanwhile)
    before_edit = st.change_counter(store)
    with pytest.raises(ImportFailed) as refused:
        import_plan(store, _sheet(tmp_path, "plan v2.csv", PLAN.replace("Sam Patel", "Jo Reid")))
    assert refused.value.message == (
        "plan v2.csv: row 3: action 1.2 was changed by Alex Khan while the plan was being "
        "imported, so nothing was imported. Import it again to see what it would overwrite."
    )
    assert st.get_action(store, action_id).owner == "Alex Khan"
    assert st.change_counter(store) == before_edit + 1  # Alex's edit, nothing of the plan's
