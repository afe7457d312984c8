"""The `visitprep` command itself, run as a user would: export, gaps, and everything it refuses.

Every refusal is one line on stderr, a non-zero exit, no traceback, and the store untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import _cli
import pytest

import store as api
from store.export import export_checklist

BIN = Path(sys.executable).parent / "visitprep"
TODAY = "2018-01-20"
HOSTILE = "[bold]Thresholds[/] \x1b[31mnot\x1b[0m applied"


def visitprep(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real console script, as a user would (today fixed unless ``env`` says), in a
    process of its own (tests/_cli.py: forked from one that has done the imports)."""
    full_env = {**os.environ, "VISITPREP_TODAY": TODAY, **(env or {})}
    return _cli.run(
        [str(BIN), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        cwd=cwd,
        timeout=60,
    )


def assert_refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    """One line on stderr starting with ``message``, a non-zero exit, no traceback."""
    lines = result.stderr.splitlines()
    assert result.returncode == 1, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"visitprep: {message}"), lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def rows(path: Path) -> list[str]:
    """Every row of a SQLite file, read without changing it."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture(autouse=True)
def _console_script_installed() -> None:
    assert BIN.exists(), f"the visitprep console script is not installed at {BIN}"


@pytest.fixture
def db(council_db: Path, tmp_path: Path) -> Path:
    """A store with one visit whose pack has a ticked item and each kind of action gap
    (each test's own copy: making it runs every migration, a second of CPU)."""
    path = tmp_path / "council.db"
    shutil.copyfile(council_db, path)
    return path


@pytest.fixture(scope="module")
def council_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("council") / "council.db"
    store = api.open_store(path, today=date.fromisoformat(TODAY))
    try:
        source = api.create_source(store, kind="inspection", title="ILACS 2017")
        r1 = api.create_finding(
            store, ref="R1", title=HOSTILE, source_id=source.id, theme="Front door and MASH"
        )
        api.create_finding(
            store, ref="R2", title="Return home interviews", theme="Exploitation and missing"
        )
        tracker = api.create_action(
            store,
            ref="1.1",
            title="MASH decision tracker",
            due_date="31/12/2017",
            brag="amber",
            finding_ids=[r1.id],
        )
        api.create_action(store, ref="1.2", title="Threshold document", finding_ids=[r1.id])
        audit = api.create_evidence(
            store,
            title="MASH audit",
            kind="audit",
            as_of="1/12/2017",
            location="https://sharepoint.example/audit",
            action_ids=[tracker.id],
        )
        visit = api.create_visit(
            store,
            title="Monitoring visit 2: the front door",
            start_date="30/1/2018",
            focus_themes=["Front door and MASH"],
        )
        api.set_evidence_ready(store, visit.id, audit.id)
    finally:
        store.close()
    return path


def checklist(path: Path) -> str:
    """The checklist the library itself gives for the store's visit (same today)."""
    store = api.open_store(path, today=date.fromisoformat(TODAY))
    try:
        return export_checklist(store, api.find_visit(store, "front door").id)
    finally:
        store.close()


# --- the basics -----------------------------------------------------------------------------------


def test_version() -> None:
    result = visitprep("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("visitprep ")


def test_an_unknown_command_is_one_line_and_exit_2() -> None:
    result = visitprep("frobnicate")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "invalid choice" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("flag", ["--scorecard", "--plan-w", "--dry"])
def test_a_flag_is_taken_only_as_written_never_as_a_longer_one_it_begins(
    db: Path, tmp_path: Path, flag: str
) -> None:
    """'--scorecard' is not '--scorecard-wins': a prefix that would let a sheet overwrite
    newer hand edits (or write at all, for '--dry') is refused, and nothing is imported."""
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Ref,Action,Owner\n9.9,A new action from the sheet,Sam\n")
    before = db.read_bytes()
    result = visitprep("--db", str(db), "import", str(sheet), flag)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"visitprep: unrecognized arguments: {flag} (see 'visitprep --help')"
    ]
    assert db.read_bytes() == before


# --- export ---------------------------------------------------------------------------------------


def test_export_to_standard_output_is_the_checklist(db: Path) -> None:
    before = rows(db)
    result = visitprep("--db", str(db), "export", "front door")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == checklist(db)
    assert "- [x] [MASH audit](<https://sharepoint.example/audit>)" in result.stdout
    assert "**Gap:** no evidence for this action yet" in result.stdout
    assert "\x1b" not in result.stdout
    assert rows(db) == before  # exporting only reads


def test_export_to_a_file_says_where_it_went(db: Path, tmp_path: Path) -> None:
    work = tmp_path / "pack"
    work.mkdir()
    result = visitprep("--db", str(db), "export", "1", "-o", "checklist.md", cwd=work)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    written = work / "checklist.md"
    assert result.stderr.splitlines() == [
        f"Checklist for 'Monitoring visit 2: the front door' written to {written}"
    ]
    assert written.read_bytes() == checklist(db).encode("utf-8")
    assert sorted(p.name for p in work.iterdir()) == ["checklist.md"]  # no temp file left


def test_export_replaces_an_old_file_whole(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "checklist.md"
    target.write_text("last week's checklist\n" * 1000)
    result = visitprep("--db", str(db), "export", "front", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == checklist(db)


def test_export_as_json(db: Path) -> None:
    result = visitprep("--db", str(db), "export", "front", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["visit"]["start_date"] == "2018-01-30"
    finding = data["themes"][0]["findings"][0]
    assert finding["finding"]["title"] == HOSTILE
    assert data["gap_counts"]["no_evidence"] == 1
    assert data["evidence_ready"] == 1


def test_an_unknown_visit_is_one_line_and_changes_nothing(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "keep.md"
    target.write_text("the old checklist\n")
    before = db.read_bytes()
    result = visitprep("--db", str(db), "export", "inspection", "-o", str(target))
    assert_refused(result, "There is no visit 'inspection'")
    assert "1: Monitoring visit 2: the front door" in result.stderr
    assert target.read_text() == "the old checklist\n"
    assert db.read_bytes() == before


def test_a_visit_id_too_big_for_the_database_is_not_found(db: Path) -> None:
    assert_refused(
        visitprep("--db", str(db), "export", "99999999999999999999"),
        "There is no visit 99999999999999999999.",
    )


def test_export_to_a_folder_is_refused(db: Path, tmp_path: Path) -> None:
    result = visitprep("--db", str(db), "export", "front", "-o", str(tmp_path))
    assert_refused(result, f"{tmp_path} is a folder")


def test_export_into_a_missing_folder_is_refused(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "checklist.md"
    result = visitprep("--db", str(db), "export", "front", "-o", str(target))
    assert_refused(result, f"Cannot write {target}: the folder {target.parent} does not exist.")
    assert not target.parent.exists()


def test_export_over_the_store_itself_is_refused(db: Path) -> None:
    before = db.read_bytes()
    assert_refused(
        visitprep("--db", str(db), "export", "front", "-o", str(db)), f"{db} is the store"
    )
    assert db.read_bytes() == before


def test_an_empty_output_name_is_refused(db: Path) -> None:
    result = visitprep("--db", str(db), "export", "front", "-o", "")
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr == (
        "visitprep: argument -o/--output: it is empty; give a value "
        "(see 'visitprep export --help')\n"
    )


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("copy", "--to", ""), "--to"),  # was: copied towards the default store's place
        (("backup", ""), "path"),  # was: a dated copy in the working folder
        (("backup", " "), "path"),
        (("log", "--since", ""), "--since"),  # was: the whole history, as if not given
        (("log", "--record", ""), "--record"),
        (("gaps", "--visit", ""), "--visit"),  # was: every visit's gaps
        (("export", "front", "--owner", ""), "--owner"),  # was: 'nobody named'
        (("measure", ""), "ref"),  # was: 'There is no measure .'
    ],
)
def test_an_empty_value_is_refused_not_taken_as_left_out(
    db: Path, tmp_path: Path, args: tuple[str, ...], named: str
) -> None:
    """A value left empty (an unset variable, a stray pair of quotes) is one usage line,
    and nothing is written: not the store, not a file in the working folder."""
    before = db.read_bytes()
    work = tmp_path / "work"
    work.mkdir()
    result = visitprep("--db", str(db), *args, cwd=work)
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr == (
        f"visitprep: argument {named}: it is empty; give a value "
        f"(see 'visitprep {args[0]} --help')\n"
    )
    assert db.read_bytes() == before and list(work.iterdir()) == []


def test_an_empty_store_location_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = visitprep("--db", "", "demo", env={"HOME": str(home), "XDG_DATA_HOME": str(home)})
    assert result.returncode == 2 and "argument --db: it is empty" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and not home.exists()


def test_log_limit_below_one_is_refused(db: Path) -> None:
    for limit in ("0", "-1"):  # was: the whole history, as if no limit were given
        assert_refused(
            visitprep("--db", str(db), "log", "--limit", limit), "--limit must be at least 1."
        )


def test_a_pack_is_not_written_into_a_file_named_as_another_format(
    db: Path, tmp_path: Path
) -> None:
    """`-o pack.pdf` wrote Markdown into a file every reader then opened as a broken PDF."""
    for name, words in (("pack.pdf", "a PDF file (.pdf)"), ("pack.json", "a JSON file (.json)")):
        result = visitprep("--db", str(db), "export", "front", "-o", str(tmp_path / name))
        assert_refused(result, f"Cannot write {words}: the pack is written as Markdown (.md)")
        assert not (tmp_path / name).exists()
    assert "--json gives it as data" in result.stderr
    made = visitprep("--db", str(db), "export", "front", "--json", "-o", str(tmp_path / "p.json"))
    assert made.returncode == 0 and json.loads((tmp_path / "p.json").read_text())


def test_a_read_only_location_is_one_line(db: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes anywhere a permission bit allows; sysfs refuses it
        folder = Path("/sys")
        if not folder.is_dir():
            pytest.skip("needs /sys (Linux) when run as root")
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o500)
    try:
        result = visitprep("--db", str(db), "export", "front", "-o", str(folder / "pack.md"))
        assert_refused(result, f"Cannot write {folder / 'pack.md'}: Permission denied.")
        assert not (folder / "pack.md").exists()
        if folder != Path("/sys"):
            assert list(folder.iterdir()) == []
    finally:
        if folder != Path("/sys"):
            folder.chmod(0o700)


def test_export_with_a_mistyped_db_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "council.db"
    result = visitprep("--db", str(missing), "export", "front")
    assert_refused(result, f"There is no store at {missing}.")
    assert not missing.parent.exists()


# --- gaps -----------------------------------------------------------------------------------------


def test_gaps_is_a_readable_table_with_user_text_shown_literally(db: Path) -> None:
    result = visitprep("--db", str(db), "gaps")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out  # neither colour codes nor the title's own escape codes
    assert "Finding with no action (1)" in out and "Action with no evidence (1)" in out
    assert "Action overdue (1)" in out
    assert "R2" in out and "Return home interviews" in out
    assert out.rstrip().splitlines()[-1] == "3 gaps in the store."
    # Grouped in the lead's order: findings first, then actions.
    assert out.index("Finding with no action") < out.index("Action with no evidence")
    assert out.index("Action with no evidence") < out.index("Action overdue")
    assert all(len(line) <= 120 for line in out.splitlines())


def test_gaps_for_one_visit_and_as_json(db: Path) -> None:
    result = visitprep("--db", str(db), "gaps", "--visit", "front door", "--json")
    assert result.returncode == 0, result.stderr
    gaps = json.loads(result.stdout)
    assert [(g["kind"], g["ref"]) for g in gaps] == [("no_evidence", "1.2"), ("overdue", "1.1")]
    assert gaps[0]["kind_label"] == "Action with no evidence"
    # R2 is outside the visit's focus: in the store's gaps, not the visit's.
    everything = json.loads(visitprep("--db", str(db), "gaps", "--json").stdout)
    assert ("no_action", "R2") in [(g["kind"], g["ref"]) for g in everything]


def test_gaps_shows_a_hostile_title_literally(tmp_path: Path) -> None:
    path = tmp_path / "hostile.db"
    store = api.open_store(path, today=date.fromisoformat(TODAY))
    try:
        api.create_finding(store, ref="R9", title=HOSTILE)
    finally:
        store.close()
    # Wide enough that the title is not wrapped (COLUMNS is honoured when piped).
    result = visitprep("--db", str(path), "gaps", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) > 120
    assert "[bold]Thresholds[/] \u241b[31mnot\u241b[0m applied" in result.stdout  # ␛, shown
    assert "\x1b" not in result.stdout


def test_no_gaps_is_a_friendly_line(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    api.open_store(path).close()
    result = visitprep("--db", str(path), "gaps")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No gaps in the store:")
    assert json.loads(visitprep("--db", str(path), "gaps", "--json").stdout) == []


def test_visitprep_db_in_the_environment_is_used(db: Path) -> None:
    result = visitprep("gaps", "--json", env={"VISITPREP_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3


def test_gaps_with_a_mistyped_db_creates_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = visitprep("--db", str(blocker / "store.db"), "gaps")
    assert_refused(result, f"There is no store at {blocker / 'store.db'}.")
    assert blocker.read_text() == ""
    result = visitprep("--db", str(tmp_path / "typo.db"), "gaps")
    assert_refused(result, "There is no store at")
    assert not (tmp_path / "typo.db").exists()


def test_gaps_for_an_unknown_visit_is_one_line(db: Path) -> None:
    before = db.read_bytes()
    assert_refused(visitprep("--db", str(db), "gaps", "--visit", "JTAI"), "There is no visit")
    assert db.read_bytes() == before


# --- stores it must refuse, unchanged ---------------------------------------------------------------


def test_a_file_that_is_not_a_store_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    path.write_bytes(b"PK\x03\x04 not a database")
    result = visitprep("--db", str(path), "gaps")
    assert_refused(result, f"{path} is not a visitprep store (it is not a database file).")
    assert path.read_bytes() == b"PK\x03\x04 not a database"


def test_another_programs_database_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO cases (name) VALUES ('child A')")
    connection.close()
    before, before_rows = path.read_bytes(), rows(path)
    for command in (["gaps"], ["export", "1"]):
        result = visitprep("--db", str(path), *command)
        assert_refused(result, f"{path} is a database, but not a visitprep store")
        assert path.read_bytes() == before and rows(path) == before_rows


def test_a_store_from_a_newer_visitprep_is_refused_and_unchanged(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    before, before_rows = db.read_bytes(), rows(db)
    for command in (["gaps"], ["export", "1"]):
        result = visitprep("--db", str(db), *command)
        assert_refused(
            result, f"{db} was written by a newer visitprep (schema 9999_from_the_future)"
        )
        assert db.read_bytes() == before and rows(db) == before_rows


def test_a_wrong_visitprep_today_is_one_clear_line(tmp_path: Path, db: Path) -> None:
    before = db.read_bytes()
    for db_path in (tmp_path / "x.db", db):
        result = visitprep("--db", str(db_path), "gaps", env={"VISITPREP_TODAY": "20/13/2018"})
        assert_refused(
            result, "VISITPREP_TODAY='20/13/2018' is not a date; use a date like 2018-01-20."
        )
    assert not (tmp_path / "x.db").exists()
    assert db.read_bytes() == before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_output_that_cannot_be_written_is_one_line(db: Path) -> None:
    for command in (["export", "front"], ["gaps"]):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [str(BIN), "--db", str(db), *command],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "VISITPREP_TODAY": TODAY},
                timeout=60,
            )
        assert result.returncode == 1
        assert result.stderr.splitlines() == ["visitprep: No space left on device."]


def test_an_import_flag_for_another_kind_of_file_is_refused(db: Path, tmp_path: Path) -> None:
    """`import plan.csv --update` imported the plan as if --update (for reports) meant
    something to it; each such flag now names what it is for, and nothing is imported."""
    plan = tmp_path / "plan.csv"
    plan.write_text("Ref,Action,Owner\n9.1,Brand new action,Sam Patel\n")
    folder = tmp_path / "evidence"
    folder.mkdir()
    before = rows(db)
    for args, message in (
        ((str(plan), "--update"), "--update is for importing Ofsted reports (.pdf or .txt)."),
        ((str(plan), "--scorecard-wins"), "--scorecard-wins is for importing a scorecard."),
        (("--evidence", str(folder), "--update"), "--update is for importing Ofsted reports"),
        (
            ("--evidence", str(folder), "--plan-wins"),
            "--plan-wins is for importing an improvement plan (.csv or .xlsx).",
        ),
    ):
        assert_refused(visitprep("--db", str(db), "import", *args), message)
    assert rows(db) == before


@pytest.mark.parametrize("url", ["mysql://sam:secret@db.example/visitprep", "postgresq://sam@db/x"])
def test_a_store_url_of_another_database_says_what_a_store_can_be(db: Path, url: str) -> None:
    """`--db mysql://...` said "No module named 'MySQLdb'", a typo "Can't load plugin:
    sqlalchemy.dialects:postgresq": which module failed, not what a store can be."""
    shown = url.replace(":secret", "")
    said = (
        f"{shown} is neither a SQLite file nor a PostgreSQL database "
        "(postgresql://USER@SERVER/DBNAME): a store can be only one of those."
    )
    assert_refused(visitprep("--db", url, "gaps"), said)
    before = rows(db)
    assert_refused(visitprep("--db", str(db), "copy", "--to", url), said)
    assert rows(db) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("name", ["plan.csv", "scorecard.xlsx", "report.txt"])
def test_a_named_pipe_given_to_import_is_refused_not_waited_on(
    db: Path, tmp_path: Path, name: str
) -> None:
    """A FIFO (or a link to /dev/zero) named like a plan or a report was opened and read
    for ever: the import hung until killed. Now it is one line, read never started."""
    pipe = tmp_path / name
    os.mkfifo(pipe)
    before = rows(db)
    result = visitprep("--db", str(db), "import", str(pipe))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (
        f"visitprep: {name} is not a regular file (a pipe or a device), so not read.\n"
    )
    assert rows(db) == before


def test_a_demo_under_a_file_names_the_file_not_a_temporary_one(tmp_path: Path) -> None:
    """`--db notes.txt/demo.db demo` said "Not a directory (.../.demo.db.demo-4529.tmp)":
    a file the user never named. Now it names the file in the way, which is left alone."""
    in_the_way = tmp_path / "notes.txt"
    in_the_way.write_text("my notes\n")
    result = visitprep("--db", str(in_the_way / "demo.db"), "demo")
    assert_refused(
        result, f"Cannot create {in_the_way / 'demo.db'}: {in_the_way} is a file, not a folder."
    )
    assert in_the_way.read_text() == "my notes\n" and os.listdir(tmp_path) == ["notes.txt"]


def test_a_plan_field_mapped_twice_is_refused(db: Path, tmp_path: Path) -> None:
    """`--map owner=Owner --map owner=Lead` imported with the last one, in silence."""
    plan = tmp_path / "plan.csv"
    plan.write_text("Ref,Action,Owner,Lead\n9.1,Brand new action,Sam Patel,Jo Reid\n")
    before = rows(db)
    result = visitprep(
        "--db", str(db), "import", str(plan), "--map", "owner=Owner", "--map", "Owner=Lead"
    )
    assert_refused(result, "--map gives Owner twice ('Owner' and 'Lead'): give it once.")
    assert rows(db) == before
