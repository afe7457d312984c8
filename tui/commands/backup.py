"""`visitprep backup FILE`: a whole copy of the store, safe to take while the app is open.

    visitprep backup visitprep-copy.db        a copy of the store in that file
    visitprep backup ~/OneDrive/backups/      a dated copy (visitprep-2018-01-20.db) in that folder

SQLite's online backup API copies a consistent store even while another program is
writing to it. A store on a PostgreSQL server is backed up with ``pg_dump``; this says so.
"""

from __future__ import annotations

import argparse

from store import backup_store, open_store
from tui.commands._output import write_utf8
from tui.terminal import neutral


def run(args: argparse.Namespace) -> int:
    # create=False: backing up a mistyped --db must not make an empty store to copy.
    store = open_store(args.db, create=False)
    try:
        written = backup_store(store, args.path, replace=args.replace)
    finally:
        store.close()
    write_utf8(neutral(f"Backed up the store to {written}.\n", keep_lines=True))
    return 0
