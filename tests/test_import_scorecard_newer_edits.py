"""A scorecard re-import never silently overwrites what a lead changed by hand (issue 11), by
the plan's rule (store.importers.newer_edits: one owner for both importers).

Sam, the performance lead, imports the board's scorecard. Alex, who leads the front door,
sets the re-referrals target to 20 in the app and enters a month's value by hand. When Sam
imports the (older) sheet again, the import names each field and month it would
overwrite, who changed it and when, and imports nothing, unless Sam lets the scorecard win.
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

import store as api
from store import Store
from store.dates import format_date
from store.errors import ImportFailed
from store.importers.scorecard import import_scorecard
from tui.commands._words import in_cli_words

BIN = Path(sys.executable).parent / "visitprep"
HEADER = "Ref,Indicator,Good is,Target,Lead officer,Apr-18,May-18,Jun-18,Jul-18\n"
CARD = (
    HEADER
    + "A1,Assessments within 45 working days,Higher,90%,Head of assessment,55%,57%,,74\n"
    + "F3,Re-referrals within 12 months,lower,22,Head of front door,29,n/a,27,26\n"
    + "W1,Average caseload per social worker,lower,18,HR partner,24.5,23,22,21\n"
)
F3 = "measure F3 'Re-referrals within 12 months'"


def _today() -> str:
    return format_date(datetime.now(UTC).astimezone().date())


def _since(what: str, now: str, new: str) -> str:
    return (
        f"would overwrite {what}, changed by Alex Khan on {_today()} since the scorecard was "
        f"last imported ({now} in the store, {new} in the scorecard)"
    )


def _sheet(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _imported(store: Store, tmp_path: Path) -> int:
    store.user = "Sam Patel"
    import_scorecard(store, _sheet(tmp_path, "board.csv", CARD))
    return api.get_measure_by_ref(store, "F3").id


def _as_alex(store: Store, write: object) -> None:
    store.user = "Alex Khan"
    try:
        write()  # type: ignore[operator]
    finally:
        store.user = "Sam Patel"


def _values(store: Store, ref: str) -> dict[str, float]:
    measure = api.get_measure_by_ref(store, ref)
    return {v.label: v.value for v in api.list_measure_values(store, measure.id)}


def test_a_target_set_by_hand_refuses_the_old_scorecard_naming_it_until_the_sheet_wins(
    store: Store, tmp_path: Path
) -> None:
    f3 = _imported(store, tmp_path)
    _as_alex(store, lambda: api.update_measure(store, f3, target=20))
    before = (api.change_counter(store), api.get_measure(store, f3))
    # The old sheet again, with a new July caseload that nobody changed by hand.
    again = _sheet(tmp_path, "board v2.csv", CARD.replace(",22,21\n", ",22,20\n"))

    with pytest.raises(ImportFailed) as refused:
        import_scorecard(store, again)

    assert in_cli_words(refused.value).splitlines() == [
        "board v2.csv would overwrite a newer edit, so nothing was imported:",
        "row 3: " + _since(f"the target of {F3}", "20%", "22%"),
        "Bring the sheet up to date with the store and import it again, or import it with "
        "--scorecard-wins to write the scorecard's values over them.",
    ]
    # All or nothing: not even W1's July value, which nobody edited, was written.
    assert (api.change_counter(store), api.get_measure(store, f3)) == before
    assert _values(store, "W1")["Jul 2018"] == 21

    # The dry run names the same line, and writes nothing.
    dry = import_scorecard(store, again, dry_run=True)
    assert [str(c) for c in dry.conflicts] == [
        "row 3: " + _since(f"the target of {F3}", "20%", "22%")
    ]
    assert api.change_counter(store) == before[0]

    # The scorecard wins when Sam says so; W1's July value is updated as before.
    won = import_scorecard(store, again, scorecard_wins=True)
    assert [c.row for c in won.conflicts] == [3]
    assert api.get_measure(store, f3).target == 22
    assert _values(store, "W1")["Jul 2018"] == 20
    # And from then on Alex's edit is behind the scorecard: no conflict any more.
    assert import_scorecard(store, again, dry_run=True).conflicts == []


def test_a_field_nobody_edited_by_hand_is_updated_and_a_blank_cell_keeps_the_edit(
    store: Store, tmp_path: Path
) -> None:
    f3 = _imported(store, tmp_path)
    _as_alex(store, lambda: api.update_measure(store, f3, target=20, owner="Alex Khan"))
    # A sheet that agrees with Alex's edits and changes only what nobody touched by hand.
    newer = CARD.replace("lower,22,Head of front door,29", "lower,20,Alex Khan,30")
    result = import_scorecard(store, _sheet(tmp_path, "board v3.csv", newer))
    assert result.conflicts == [] and result.updated == ["F3"]
    assert _values(store, "F3")["Apr 2018"] == 30
    # The target and owner cells left blank: Alex's target and owner are kept.
    blank = newer.replace("lower,20,Alex Khan,30", "lower,,,31")
    assert import_scorecard(store, _sheet(tmp_path, "board v4.csv", blank)).conflicts == []
    measure = api.get_measure(store, f3)
    assert (measure.target, measure.owner, _values(store, "F3")["Apr 2018"]) == (
        20,
        "Alex Khan",
        31,
    )


def test_a_value_entered_by_hand_for_a_month_refuses_a_sheet_with_another_value_for_it(
    store: Store, tmp_path: Path
) -> None:
    f3 = _imported(store, tmp_path)
    # May was n/a on the board's sheet; Alex enters it, and corrects April, by hand.
    _as_alex(store, lambda: api.set_measure_value(store, f3, "May-18", 28))
    _as_alex(store, lambda: api.set_measure_value(store, f3, "Apr-18", 31))
    # The sheet still says n/a for May: a blank keeps Alex's value, and nothing conflicts.
    same = _sheet(tmp_path, "board v5.csv", CARD.replace(",29,n/a,", ",31,n/a,"))
    assert import_scorecard(store, same).conflicts == []
    assert _values(store, "F3")["May 2018"] == 28
    before = api.change_counter(store)

    # The next sheet has another May figure, and the old April one.
    other = _sheet(tmp_path, "board v6.csv", CARD.replace(",29,n/a,", ",29,30,"))
    with pytest.raises(ImportFailed) as refused:
        import_scorecard(store, other)
    assert in_cli_words(refused.value).splitlines()[:3] == [
        "board v6.csv would overwrite 2 newer edits, so nothing was imported:",
        "row 3: " + _since(f"the Apr 2018 value of {F3}", "31%", "29%"),
        "row 3: " + _since(f"the May 2018 value of {F3}", "28%", "30%"),
    ]
    assert _values(store, "F3") == {"Apr 2018": 31, "May 2018": 28, "Jun 2018": 27, "Jul 2018": 26}
    assert api.change_counter(store) == before


def test_a_value_removed_by_hand_is_not_put_back_unless_the_sheet_wins(
    store: Store, tmp_path: Path
) -> None:
    f3 = _imported(store, tmp_path)
    _as_alex(store, lambda: api.delete_measure_value(store, f3, "Jun-18"))
    board = _sheet(tmp_path, "board.csv", CARD)
    with pytest.raises(ImportFailed) as refused:
        import_scorecard(store, board)
    assert in_cli_words(refused.value).splitlines()[1] == "row 3: " + _since(
        f"the Jun 2018 value of {F3}", "blank", "27%"
    )
    assert "Jun 2018" not in _values(store, "F3")

    import_scorecard(store, board, scorecard_wins=True)
    assert _values(store, "F3")["Jun 2018"] == 27
    # Put back by the scorecard, June is the scorecard's again: a newer figure goes in.
    newer = _sheet(tmp_path, "board v7.csv", CARD.replace(",27,26\n", ",25,26\n"))
    assert import_scorecard(store, newer).conflicts == []
    assert _values(store, "F3")["Jun 2018"] == 25


def test_a_measure_made_by_hand_is_the_scorecards_once_it_has_added_values_to_it(
    store: Store, tmp_path: Path
) -> None:
    store.user = "Alex Khan"
    made = api.create_measure(
        store, ref="F3", name="Re-referrals within 12 months", polarity="lower", target=22,
        owner="Head of front door",
    )  # fmt: skip
    store.user = "Sam Patel"
    # The first scorecard to name it has nothing to conflict with (no scorecard had
    # written it). Its fields are the sheet's already: it only adds the values.
    first = import_scorecard(store, _sheet(tmp_path, "board.csv", CARD))
    assert (first.conflicts, first.updated, first.values_added) == ([], ["F3"], 10)
    # Alex corrects July, which the scorecard added, by hand; the old sheet is refused.
    _as_alex(store, lambda: api.set_measure_value(store, made.id, "Jul-18", 24))
    with pytest.raises(ImportFailed) as refused:
        import_scorecard(store, _sheet(tmp_path, "board again.csv", CARD))
    assert in_cli_words(refused.value).splitlines()[1] == "row 3: " + _since(
        f"the Jul 2018 value of {F3}", "24%", "26%"
    )


def test_the_command_line_refuses_naming_each_edit_and_scorecard_wins_imports(
    db_url: str, store: Store, tmp_path: Path
) -> None:
    f3 = _imported(store, tmp_path)
    _as_alex(store, lambda: api.update_measure(store, f3, target=20))
    _as_alex(store, lambda: api.set_measure_value(store, f3, "Apr-18", 31))
    again = _sheet(tmp_path, "board v2.csv", CARD)
    before = api.change_counter(store)

    def visitprep(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "VISITPREP_TODAY": "2018-01-20", "VISITPREP_USER": "Sam Patel"}
        return _cli.run(
            [str(BIN), "--db", db_url, "import", str(again), *args],
            capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
        )  # fmt: skip

    lines = [
        "row 3: " + _since(f"the target of {F3}", "20%", "22%"),
        "row 3: " + _since(f"the Apr 2018 value of {F3}", "31%", "29%"),
    ]
    refused = visitprep()
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.splitlines() == [
        "visitprep: board v2.csv would overwrite 2 newer edits, so nothing was imported:",
        *(f"  {line}" for line in lines),
        "  Bring the sheet up to date with the store and import it again, or import it with "
        "--scorecard-wins to write the scorecard's values over them.",
    ]
    assert api.change_counter(store) == before

    dry = visitprep("--dry-run")
    assert dry.returncode == 1
    assert "Newer edits the scorecard would overwrite" in dry.stdout
    said = " ".join(dry.stdout.split())  # the console wraps long lines at its width
    assert all(line in said for line in lines)
    assert "it would overwrite 2 newer edits; the import would be refused" in dry.stderr
    told = json.loads(visitprep("--dry-run", "--json").stdout)
    assert told["status"] == "refused"
    assert [f"row {e['row']}: {e['reason']}" for e in told["newer_edits"]] == lines
    assert api.change_counter(store) == before

    wins = visitprep("--scorecard-wins")
    assert wins.returncode == 0, wins.stderr
    assert "Newer edits the scorecard overwrites (--scorecard-wins):" in wins.stdout
    assert api.get_measure(store, f3).target == 22
    assert _values(store, "F3")["Apr 2018"] == 29


def test_a_scorecard_imported_before_the_rule_is_not_taken_for_hand_edits(
    store: Store, tmp_path: Path
) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from store.history_queries import list_history
    from store.models import HistoryRow

    _imported(store, tmp_path)
    import_scorecard(store, _sheet(tmp_path, "board v2.csv", CARD.replace(",29,n/a,", ",30,n/a,")))
    # Scorecard imports before the rule wrote their records' entries as their savepoint
    # committed, a moment before their import entry: Sam's April change, so dated.
    april = [e for e in list_history(store) if e.detail == "measure value 2018-04-01"][-1]
    assert april.who == "Sam Patel"
    with store.batch() as session:
        earlier = april.at.replace(tzinfo=None) - timedelta(milliseconds=400)
        session.execute(update(HistoryRow).where(HistoryRow.id == april.id).values(at=earlier))
    # The board's next figure for April is no conflict: it was the scorecard's, not a hand's.
    later = _sheet(tmp_path, "board v3.csv", CARD.replace(",29,n/a,", ",32,n/a,"))
    assert import_scorecard(store, later).conflicts == []
    assert _values(store, "F3")["Apr 2018"] == 32
