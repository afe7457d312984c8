"""The measures from the command line: the scorecard table, one measure, a value entered,
a scorecard imported and an empty one written, and every refusal in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import store as api
from tests.conftest import REPORTS
from tests.test_cli import visitprep


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "store.db"
    opened = api.open_store(path)
    front = api.create_measure(
        opened, ref="F3", name="Re-referrals within 12 months", theme="Front door",
        polarity="lower", target=22, tolerance=2,
    )  # fmt: skip
    for period, value in (("Oct-18", 25), ("Nov-18", 23), ("Dec-18", 21)):
        api.set_measure_value(opened, front.id, period, value, who="Priya")
    caseload = api.create_measure(
        opened, ref="W1", name="[bold]Average caseload[/]", theme="Workforce", unit="number",
        polarity="lower", target=18, tolerance=2,
    )  # fmt: skip
    api.set_measure_value(opened, caseload.id, "Nov-18", 21, who="Sam")
    api.set_measure_value(opened, caseload.id, "Dec-18", 22, who="Sam")
    opened.close()
    return str(path)


def test_measures_lists_brag_direction_and_trend(db: str) -> None:
    run = visitprep("--db", db, "measures")
    assert run.returncode == 0, run.stderr
    assert "Re-referrals within 12 months" in run.stdout
    assert "[bold]Average caseload[/]" in run.stdout  # user text shown as typed
    f3 = next(line for line in run.stdout.splitlines() if "F3" in line)
    assert "21% (Dec 2018)" in f3 and "Green" in f3 and "▲ better" in f3 and "█▅▁" in f3
    w1 = next(line for line in run.stdout.splitlines() if "W1" in line)
    assert "Red" in w1 and "▼ worse" in w1
    assert "2 measures, 1 off target." in run.stdout


def test_measures_off_target_and_theme_filters_as_json(db: str) -> None:
    run = visitprep("--db", db, "measures", "--off-target", "--json")
    data = json.loads(run.stdout)
    assert [(m["ref"], m["brag"], m["direction"]) for m in data] == [("W1", "red", "worse")]
    run = visitprep("--db", db, "measures", "--theme", "front", "--json")
    assert [m["ref"] for m in json.loads(run.stdout)] == ["F3"]
    assert json.loads(run.stdout)[0]["latest"]["period"] == "2018-12"


def test_measure_add_enters_a_value_and_refuses_a_bad_one_in_one_line(db: str) -> None:
    run = visitprep(
        "--db", db, "measure", "f3", "--add", "Jan-19", "20%", env={"VISITPREP_USER": "Lee"}
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "F3: Jan 2019 = 20% entered by Lee.\n"
    shown = json.loads(visitprep("--db", db, "measure", "F3", "--json").stdout)
    assert [v["value"] for v in shown["values"]] == [25, 23, 21, 20]
    assert shown["values"][-1]["entered_by"] == "Lee"
    bad = visitprep("--db", db, "measure", "F3", "--add", "Feb-19", "120")
    assert bad.returncode == 1
    assert bad.stderr == "visitprep: The value is a percentage: it must be 0 to 100, not 120.\n"
    unknown = visitprep("--db", db, "measure", "Z9")
    assert (unknown.returncode, unknown.stderr) == (1, "visitprep: There is no measure Z9.\n")


def test_template_then_import_round_trip(db: str, tmp_path: Path) -> None:
    template = tmp_path / "scorecard.csv"
    run = visitprep("--db", db, "template", "--measures", str(template))
    assert run.returncode == 0, run.stderr
    header = template.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["Ref", "Measure", "Theme"]
    assert header[-12:][0] == "Apr-17" and header[-1] == "Mar-18"  # today is 20 Jan 2018
    again = visitprep("--db", db, "template", "--measures", str(template))
    assert again.returncode == 1 and "exists" in again.stderr
    with template.open("a", encoding="utf-8") as handle:
        handle.write("F3,Re-referrals within 12 months,,,,,,,,,,,,,,,,,,,,,,20,19\n")
    checked = visitprep("--db", db, "import", str(template), "--dry-run")
    assert checked.returncode == 0, checked.stderr
    assert "would import 1 measure (0 new, 1 changed, 0 unchanged)" in checked.stdout
    done = visitprep("--db", db, "import", str(template), "--json")
    data = json.loads(done.stdout)
    assert (data["kind"], data["values_added"]) == ("scorecard", 2)


def test_a_scorecard_with_bad_cells_lists_them_and_exits_non_zero(db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Ref,Measure,Apr-18,May-18\nF3,Re-referrals,29,lots\n", encoding="utf-8")
    run = visitprep("--db", db, "import", str(path), "--dry-run")
    assert run.returncode == 1
    assert "D2: 'lots' is not a number." in run.stdout
    assert run.stderr.strip().endswith("1 cell cannot be read; the import would be refused.")


def test_measure_link_ties_it_to_the_action_it_shows_the_impact_of(db: str) -> None:
    store = api.open_store(db)
    api.create_action(store, title="Publish the threshold document", ref="1.1")
    store.close()
    run = visitprep("--db", db, "measure", "F3", "--link", "1.1")
    assert (run.returncode, run.stdout) == (
        0,
        "F3 linked to the action 1.1 Publish the threshold document.\n",
    )
    shown = json.loads(visitprep("--db", db, "measure", "F3", "--json").stdout)
    assert shown["actions"] == [{"ref": "1.1", "title": "Publish the threshold document"}]
    bad = visitprep("--db", db, "measure", "F3", "--link", "9.9")
    assert (bad.returncode, bad.stderr) == (
        1,
        "visitprep: There is no action or finding with the ref '9.9'.\n",
    )


def test_a_measure_names_whose_statistical_neighbours_it_is_compared_with(tmp_path: Path) -> None:
    """York's lead imports York's own SIF report: its measures' neighbours comparator names
    York's ten statistical neighbours, the DfE's set, shortened to the first three."""
    york = REPORTS / "york_2017-02-07.pdf"
    if not york.is_file():
        pytest.skip(f"{york} is not here")
    path = tmp_path / "york.db"
    store = api.open_store(path)
    assert api.own_council(store) is None  # no report yet: whose is not known
    store.close()
    imported = visitprep("--db", str(path), "import", str(york))
    assert imported.returncode == 0, imported.stderr
    store = api.open_store(path)
    council = api.own_council(store)
    assert council is not None and council.name == "York"
    assert [c.name for c in api.statistical_neighbours("E06000014")][:4] == [
        "Gloucestershire", "Bath and North East Somerset", "North Somerset", "Hertfordshire",
    ]  # fmt: skip
    api.create_measure(
        store, ref="A1", name="Assessments within 45 working days", target=85,
        england=83.1, neighbours=80.4, comparator_year="2017-18",
    )  # fmt: skip
    store.close()
    run = visitprep("--db", str(path), "measure", "A1")
    assert run.returncode == 0, run.stderr
    shown = " ".join(run.stdout.split())  # the table may wrap the line
    assert (
        "England 83.1%, statistical neighbours of York (10: Gloucestershire, Bath and North "
        "East Somerset, North Somerset, …) 80.4% (2017-18)"
    ) in shown


def test_without_a_known_council_the_comparator_is_just_statistical_neighbours(
    tmp_path: Path,
) -> None:
    """A council not on the list (a made-up one, like the demo's Northbridge) or own reports
    of two councils: the label names nobody's neighbours."""
    path = tmp_path / "store.db"
    store = api.open_store(path)
    api.create_source(
        store, kind="inspection", title="Northbridge ILACS", local_authority="Northbridge"
    )
    api.create_measure(store, ref="A1", name="Assessments", neighbours=80, comparator_year="2018")
    assert (api.own_council(store), api.neighbours_label(store)) == (
        None, "statistical neighbours",
    )  # fmt: skip
    for code, name in (("E06000014", "York"), ("E08000002", "Bury")):
        api.create_source(
            store, kind="inspection", title=name, local_authority=name, council_code=code
        )
    assert api.neighbours_label(store) == "statistical neighbours"
    store.close()
    run = visitprep("--db", str(path), "measure", "A1")
    assert "Comparators: statistical neighbours 80% (2018)" in " ".join(run.stdout.split())
    assert "Bury" not in run.stdout.split("Comparators")[1]


def test_a_note_without_a_value_is_refused_not_dropped(db: str) -> None:
    """`measure F3 --note ...` with no --add printed the measure and exited 0: the note the
    lead typed was lost without a word."""
    before = json.loads(visitprep("--db", db, "measure", "F3", "--json").stdout)
    run = visitprep("--db", db, "measure", "F3", "--note", "Audit sample re-checked")
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == ("visitprep: --note goes with --add PERIOD VALUE: nothing was changed.\n")
    assert json.loads(visitprep("--db", db, "measure", "F3", "--json").stdout) == before


def test_a_value_for_a_period_years_ahead_is_a_mistyped_year_and_refused(db: str) -> None:
    """'Apr 29' typed for 'Apr 19' was stored as April 2029 (exit 0), a value no
    scorecard could hold; the measure's real values are left as they were."""
    before = json.loads(visitprep("--db", db, "measure", "F3", "--json").stdout)
    for period, label in (("Apr 29", "Apr 2029"), ("2030-01", "Jan 2030")):
        run = visitprep("--db", db, "measure", "F3", "--add", period, "20")
        assert (run.returncode, run.stdout) == (1, ""), run.stderr
        assert run.stderr == (
            f"visitprep: {label} is more than two years after today (20 Jan 2018): "
            "check the year. Nothing was changed.\n"
        )
    assert json.loads(visitprep("--db", db, "measure", "F3", "--json").stdout) == before


def test_a_scorecard_column_years_ahead_refuses_the_import(db: str, tmp_path: Path) -> None:
    """A scorecard whose 'Jan-19' column was typed 'Jan-29' stored January 2029's figure;
    now the column is named as a cell that cannot be read and nothing is imported."""
    sheet = tmp_path / "scorecard.csv"
    sheet.write_text("Ref,Measure,Dec-18,Jan-29\nF3,Re-referrals within 12 months,21,19\n")
    before = Path(db).read_bytes()
    run = visitprep("--db", db, "import", str(sheet), "--measures")
    assert run.returncode == 1
    assert run.stderr == "visitprep: scorecard.csv: 1 cell cannot be read; nothing was imported.\n"
    assert run.stdout == (
        "scorecard.csv: cells that cannot be read:\n"
        "  D1: Jan 2029 is more than two years after today (20 Jan 2018): check the year.\n"
    )
    assert Path(db).read_bytes() == before
