"""Every file visitprep writes goes through one writer that can never harm what is there.

A lead types a path; whatever it names — the store itself, /dev/null, a named pipe, a
folder, a link — is either written whole as a regular file or refused in one sentence and
left exactly as it was.
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest
from test_cli import assert_refused, council_db, db, visitprep  # noqa: F401  (fixtures)

from store.errors import ValidationError
from store.files import write_output

# --- the writer -----------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["", "-wal", "-shm", "-journal"])
def test_the_store_and_its_side_files_are_never_written(tmp_path: Path, side: str) -> None:
    store_file = tmp_path / "council.db"
    target = tmp_path / f"council.db{side}"
    target.write_bytes(b"SQLite format 3\x00")
    with pytest.raises(ValidationError, match="is the store's own file"):
        write_output(target, "# Evidence pack checklist\n", store_path=store_file)
    assert target.read_bytes() == b"SQLite format 3\x00"


def test_a_relative_path_to_the_store_is_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "council.db").write_bytes(b"db")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationError, match="is the store's own file"):
        write_output("./sub/../council.db", "x", store_path=tmp_path / "council.db")


def test_a_fifo_is_left_as_it_was(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # Opening a FIFO to write would block until a reader came: refusing must not open it.
    with pytest.raises(ValidationError, match=r"is a pipe \(FIFO\), not a file"):
        write_output(fifo, "x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_is_left_as_it_was() -> None:
    before = os.stat("/dev/null")
    with pytest.raises(ValidationError, match="/dev/null is a device, not a file"):
        write_output("/dev/null", "x")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_socket_is_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(ValidationError, match="is a socket, not a file"):
            write_output(path, "x")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def test_a_folder_is_refused_and_keeps_what_is_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "old.md").write_text("kept")
    with pytest.raises(ValidationError, match="is a folder: give a file name inside it"):
        write_output(folder, "x")
    assert [p.name for p in folder.iterdir()] == ["old.md"]


def test_a_symlink_is_followed_its_target_replaced_and_the_link_kept(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "pack.md"
    real.parent.mkdir()
    real.write_text("last month\n")
    real.chmod(0o640)
    link = tmp_path / "pack.md"
    link.symlink_to(real)
    assert write_output(link, "this month\n") == real
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "this month\n" and real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["pack.md"]  # no temp left


def test_a_symlink_to_the_store_or_a_device_is_refused(tmp_path: Path) -> None:
    store_file = tmp_path / "council.db"
    store_file.write_bytes(b"db")
    to_store = tmp_path / "pack.md"
    to_store.symlink_to(store_file)
    with pytest.raises(ValidationError, match=f"{to_store} is the store's own file"):
        write_output(to_store, "x", store_path=store_file)
    to_null = tmp_path / "null.md"
    to_null.symlink_to("/dev/null")
    with pytest.raises(ValidationError, match="is a device"):
        write_output(to_null, "x")
    assert store_file.read_bytes() == b"db"
    assert to_store.is_symlink() and to_null.is_symlink()


def test_never_overwrite_keeps_an_existing_file(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("our own work\n")
    with pytest.raises(ValidationError, match="already exists; choose another name"):
        write_output(plan, "Ref,Theme\n", overwrite=False)
    assert plan.read_text() == "our own work\n"
    fresh = tmp_path / "new.csv"
    assert write_output(fresh, b"Ref\n", overwrite=False) == fresh
    assert fresh.read_bytes() == b"Ref\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.csv", "plan.csv"]


# --- the command line -----------------------------------------------------------------------------


def test_export_onto_a_fifo_refuses_and_leaves_it(db: Path, tmp_path: Path) -> None:  # noqa: F811
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    result = visitprep("--db", str(db), "export", "front", "-o", str(fifo))
    assert_refused(result, f"{fifo} is a pipe (FIFO), not a file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_onto_a_device_refuses(db: Path) -> None:  # noqa: F811
    result = visitprep("--db", str(db), "export", "front", "-o", "/dev/null")
    assert_refused(result, "/dev/null is a device, not a file")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_through_a_symlink_writes_its_target(db: Path, tmp_path: Path) -> None:  # noqa: F811
    real = tmp_path / "real.md"
    real.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = visitprep("--db", str(db), "export", "front", "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith(f"written to {real}\n")
    assert link.is_symlink() and real.read_text().startswith("# Evidence pack checklist")


def test_export_onto_the_stores_wal_refuses(db: Path) -> None:  # noqa: F811
    wal = db.with_name(db.name + "-wal")
    result = visitprep("--db", str(db), "export", "front", "-o", str(wal))
    assert_refused(result, f"{wal} is the store's own file")


def test_template_onto_a_fifo_or_the_store_refuses(db: Path, tmp_path: Path) -> None:  # noqa: F811
    fifo = tmp_path / "plan.csv"
    os.mkfifo(fifo)
    assert_refused(visitprep("template", str(fifo)), f"{fifo} is a pipe (FIFO)")
    csv_store = tmp_path / "store.csv"
    made = visitprep("--db", str(csv_store), "demo")
    assert made.returncode == 0, made.stderr
    before = csv_store.read_bytes()
    result = visitprep("--db", str(csv_store), "template", str(csv_store))
    assert_refused(result, f"{csv_store} is the store's own file")
    assert csv_store.read_bytes() == before
