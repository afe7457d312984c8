"""Messages say what is true: a read-only folder or file, a missing or empty store.

Permissions mean nothing to root, so as root the commands run as ``nobody`` (setpriv).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import store as api
from store.opening import open_store

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534


def _as_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tried")
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]


def visitprep(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HOME": str(db.parent),
        "VISITPREP_TODAY": "2018-01-20",
    }
    env.pop("VISITPREP_DB", None)
    command = _as_user([sys.executable, "-m", "tui.cli", "--db", str(db), *args])
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder others may enter (pytest's own are the owner's alone)."""
    made = Path(tempfile.mkdtemp(prefix="visitprep-perm-"))
    made.chmod(0o755)
    yield made
    made.chmod(0o755)
    shutil.rmtree(made, ignore_errors=True)


def _store_owned_by_the_user(folder: Path) -> Path:
    path = folder / "visitprep.db"
    opened = open_store(path)
    api.create_finding(opened, ref="R1", title="Thresholds are not applied consistently")
    opened.close()
    if os.geteuid() == 0:
        for item in (folder, *folder.iterdir()):
            os.chown(item, NOBODY, NOBODY)
    return path


def test_a_store_in_a_read_only_folder_is_read_and_a_write_is_refused_as_read_only(
    folder: Path,
) -> None:
    path = _store_owned_by_the_user(folder)
    folder.chmod(0o555)
    result = visitprep(path, "gaps")
    assert result.returncode == 0, result.stderr
    assert "R1" in result.stdout
    result = visitprep(path, "settings", "--stale-after", "90")
    assert result.returncode == 1
    assert "read-only" in result.stderr and "not a readable database" not in result.stderr
    result = visitprep(path, "backup", str(folder / "copy.db"))
    assert result.stderr == (
        f"visitprep: The folder {folder} is read-only here: writing the backup needs to "
        "write in it.\n"
    )


def test_a_store_open_in_another_program_in_a_read_only_folder_is_read_with_its_log(
    folder: Path,
) -> None:
    import sqlite3

    path = _store_owned_by_the_user(folder)
    holder = sqlite3.connect(path)  # the app, with a change still only in its log
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("UPDATE finding SET title = 'Changed in the app' WHERE ref = 'R1'")
    holder.commit()
    assert (folder / "visitprep.db-wal").stat().st_size > 0
    folder.chmod(0o555)
    try:
        result = visitprep(path, "gaps")
    finally:
        folder.chmod(0o755)
        holder.close()
    assert result.returncode == 0, result.stderr
    assert "Changed in the app" in result.stdout


def test_a_store_whose_log_cannot_be_read_from_a_read_only_folder_says_so(
    folder: Path,
) -> None:
    import sqlite3

    path = _store_owned_by_the_user(folder)
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("UPDATE finding SET title = 'Changed in the app' WHERE ref = 'R1'")
    holder.commit()
    copied = folder / "copied"  # the store and its log copied without the -shm
    copied.mkdir()
    for name in ("visitprep.db", "visitprep.db-wal"):
        shutil.copyfile(folder / name, copied / name)
    holder.close()
    if os.geteuid() == 0:
        for item in (copied, *copied.iterdir()):
            os.chown(item, NOBODY, NOBODY)
    copied.chmod(0o555)
    try:
        result = visitprep(copied / "visitprep.db", "gaps")
    finally:
        copied.chmod(0o755)
    assert result.returncode == 1
    assert result.stderr == (
        f"visitprep: {copied / 'visitprep.db'} is in a folder that is read-only here "
        f"({copied}), and it was left open for writing: its latest changes are in the log "
        "files beside it, which cannot be read from here. Open it once where the folder can "
        "be written, or copy the folder somewhere you can write to.\n"
    )


def test_demo_force_on_a_read_only_store_says_read_only_and_keeps_it(folder: Path) -> None:
    path = _store_owned_by_the_user(folder)
    path.chmod(0o444)
    before = path.read_bytes()
    result = visitprep(path, "demo", "--force")
    assert result.returncode == 1
    assert result.stderr == (
        f"visitprep: {path} is read-only here: the demo will not replace it. Make the file "
        "writable first, or give --db another file.\n"
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "command", [["gaps"], ["search", "thresholds"], ["settings"], ["backup", "x.db"]]
)
def test_a_command_that_only_reads_never_makes_a_store_of_an_empty_or_missing_file(
    tmp_path: Path, command: list[str]
) -> None:
    empty = tmp_path / "visitprep.db"
    empty.touch()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for db in (empty, tmp_path / "missing.db"):
        result = subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(db), *command],
                                env=env, capture_output=True, text=True, check=False)  # fmt: skip
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1
        assert (
            "empty file, not a visitprep store" in result.stderr
            or "There is no store" in result.stderr
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["visitprep.db"]
    assert empty.stat().st_size == 0


def test_backup_command_writes_a_dated_copy_into_a_folder_and_says_where(tmp_path: Path) -> None:
    path = tmp_path / "visitprep.db"
    opened = open_store(path)
    api.create_evidence(opened, title="MASH audit")
    opened.close()
    backups = tmp_path / "backups"
    backups.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VISITPREP_TODAY": "2018-01-20"}
    run = [sys.executable, "-m", "tui.cli", "--db", str(path), "backup", str(backups)]
    result = subprocess.run(run, env=env, capture_output=True, text=True, check=False)
    copy = backups / "visitprep-2018-01-20.db"
    assert (result.returncode, result.stdout) == (0, f"Backed up the store to {copy}.\n")
    copied = open_store(copy, create=False)
    assert [e.title for e in api.list_evidence(copied)] == ["MASH audit"]
    copied.close()
    again = subprocess.run(run, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 1
    assert again.stderr == (
        f"visitprep: {copy} already exists: choose another name, or add --replace.\n"
    )
