"""`visitprep demo [--force] [--open]`: create the Northbridge demo store, then say what is in it.

A SQLite demo is built in a temporary file next to the target and moved into place in one
step, so a failure (or Ctrl+C) leaves whatever was there before untouched. A store that
already holds data is only replaced with ``--force``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
from pathlib import Path

from sqlalchemy.engine import make_url

from store import (
    Store,
    dashboard,
    delete_action,
    delete_evidence,
    delete_finding,
    delete_source,
    delete_visit,
    list_actions,
    list_evidence,
    list_findings,
    list_sources,
    list_visits,
    open_store,
)
from store.creating import remove_with_sidecars, temporary_beside
from store.database import resolve_url, sqlite_path
from store.dates import format_date
from store.demo import DEMO_TODAY, build_demo
from store.dialect import without_password
from store.errors import Conflict, StoreUnavailable, ValidationError
from store.pack import build_pack
from store.wording import countdown
from tui.terminal import neutral

# Sidecar files SQLite and the search index keep next to a store file.
_SIDECARS = ("-wal", "-shm", "-journal", ".search")


def run(args: argparse.Namespace) -> int:
    """Create the demo at ``--db`` (or the default store), print a summary, maybe open it."""
    # The demo is a snapshot of one week; the store records its date, and opens as at it
    # (here, in the app opened by --open, and in every command) unless VISITPREP_TODAY
    # says otherwise.
    url = resolve_url(args.db)
    try:
        parsed = make_url(url)
    except Exception:  # SQLAlchemy raises several kinds for a malformed URL
        raise StoreUnavailable(f"'{url}' is neither a file path nor a database URL.") from None
    path = sqlite_path(parsed.database) if parsed.get_backend_name() == "sqlite" else None
    if parsed.get_backend_name() == "sqlite" and path is None:
        raise ValidationError(
            "db", "The demo needs a store that lasts: give --db a file, not an in-memory database."
        )
    if path is not None:
        replaced = _create_sqlite(path, force=args.force)
        where = str(path)
    else:
        replaced = _create_on_server(url, force=args.force)
        where = parsed.render_as_string(hide_password=True)
    store = open_store(url)
    try:
        # Never a password in what is printed: the Next lines name the URL without it.
        summary = _summary(store, where, without_password(args.db), replaced)
        print(neutral(summary, keep_lines=True))  # a typed --db path is shown, never obeyed
    finally:
        store.close()
    if args.open:
        from tui.cli import _open_app

        return _open_app(args.db)
    return 0


def _holds_data(store: Store) -> bool:
    return bool(
        list_sources(store)
        or list_findings(store, limit=1)
        or list_actions(store, limit=1)
        or list_evidence(store, limit=1)
        or list_visits(store)
    )


def _refuse(where: object) -> Conflict:
    return Conflict(
        f"{where} already holds a visitprep store with data; add --force to replace it "
        "with the demo."
    )


def _create_sqlite(path: Path, *, force: bool) -> bool:
    """Build the demo beside ``path`` and move it into place (old store kept on failure).

    Returns whether a store with data was replaced.
    """
    replaced = False
    if path.is_file() and not os.access(path, os.W_OK):
        raise StoreUnavailable(
            f"{path} is read-only here: the demo will not replace it. Make the file writable "
            "first, or give --db another file."
        )
    if path.is_dir() or (path.exists() and path.stat().st_size > 0):
        # Opening refuses a file that is not a store (and a newer store) before we replace it.
        existing = open_store(path, today=DEMO_TODAY)
        try:
            replaced = _holds_data(existing)
            if replaced and not force:
                raise _refuse(path)
        finally:
            existing.close()
        if _sidecar(path, "-wal").exists():
            # Our own connection is closed, so a log left behind means another program
            # (the app, most likely) still has the store open.
            raise StoreUnavailable(
                f"{path} is open in another program (is visitprep running?); close it first."
            )
    if path.parent.exists() and not path.parent.is_dir():
        # Not "Not a directory (.../.x.db.demo-4529.tmp)", a file the user never named.
        raise StoreUnavailable(f"Cannot create {path}: {path.parent} is a file, not a folder.")
    temporary = temporary_beside(path, "demo")  # recognised and cleaned after a crash
    remove_with_sidecars(temporary)
    try:
        store = open_store(temporary, today=DEMO_TODAY)
        try:
            build_demo(store)
        finally:
            store.close()
        try:
            os.replace(temporary, path)
        except OSError as error:
            raise StoreUnavailable(f"Cannot write {path}: {error.strerror}.") from None
    except BaseException:
        remove_with_sidecars(temporary)
        raise
    # Whatever sat beside the old store (its search index, a stale journal) is not ours.
    for suffix in _SIDECARS:
        with contextlib.suppress(FileNotFoundError):
            _sidecar(path, suffix).unlink()
    return replaced


def _create_on_server(url: str, *, force: bool) -> bool:
    """A server database cannot be swapped as a file: clear it and build in one transaction.

    Returns whether a store with data was replaced.
    """
    store = open_store(url, today=DEMO_TODAY)
    try:
        replaced = _holds_data(store)
        if replaced and not force:
            raise _refuse(make_url(url).render_as_string(hide_password=True))
        with store.batch():
            _clear(store)
            build_demo(store)
    finally:
        store.close()
    return replaced


def _clear(store: Store) -> None:
    """Delete every visit, evidence item, action, source and finding (themes stay)."""
    for visit in list_visits(store):
        delete_visit(store, visit.id)
    for item in list_evidence(store):
        delete_evidence(store, item.id)
    for action in list_actions(store):
        delete_action(store, action.id)
    for source in list_sources(store):
        delete_source(store, source.id, cascade=True)
    for finding in list_findings(store):
        delete_finding(store, finding.id, cascade=True)


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _summary(store: Store, where: str, db: str | None, replaced: bool) -> str:
    """What was created, the visit coming up, and the commands to run next."""
    board = dashboard(store)
    brag = ", ".join(f"{n} {name}" for name, n in board.brag_counts.items())
    gaps = board.gap_counts
    lines = [
        f"{'Replaced' if replaced else 'Created'} the Northbridge demo store at {where}:",
        f"  {board.finding_count} findings from {len(list_sources(store))} sources "
        "(an inspection judged inadequate and two monitoring visits)",
        f"  {board.action_count} actions ({brag}); {board.overdue} overdue",
        f"  {board.evidence_count} evidence items",
        f"  gaps: {gaps['no_action']} findings with no action, {gaps['no_evidence']} actions "
        f"with no evidence, {gaps['stale']} evidence out of date, {gaps['missing']} files "
        "missing",
    ]
    visit = board.next_visit
    if visit is not None:
        pack = build_pack(store, visit.id)
        lines.append(
            f"Next visit: {visit.title}, {format_date(visit.start_date)} "
            f"({countdown(visit.days_to_go)}); "
            f"{pack.evidence_ready} of {pack.evidence_needed} evidence items ready, "
            f"{len(pack.gaps)} gaps in its pack."
        )
    db_option = f"--db {shlex.quote(db)} " if db else ""
    export_name = visit.title.split(":")[0] if visit else ""
    if store.today_is_demo:
        lines.append(
            f"The demo is set on {format_date(DEMO_TODAY)}: it opens as at that date, in the "
            "app and every command (VISITPREP_TODAY=YYYY-MM-DD chooses another)."
        )
    else:
        lines.append(
            f"The demo is set on {format_date(DEMO_TODAY)}; VISITPREP_TODAY makes it "
            f"{format_date(store.today)} here."
        )
    lines.append("Next:")
    lines.append(f"  visitprep {db_option}".rstrip())
    if visit is not None:
        lines.append(f"  visitprep {db_option}export {shlex.quote(export_name)}")
    return "\n".join(lines)
