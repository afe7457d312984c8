"""`visitprep copy --to URL`: the whole store, history included, into another database.

    visitprep copy --to postgresql://sam@db.council.local/visitprep    move to a team store
    visitprep --db postgresql://... copy --to ~/visitprep-copy.db      or back to a file

The target must be an empty PostgreSQL database or a SQLite file that does not exist yet.
The copy lands whole or not at all, and the row counts of every table are checked
against the source before it is kept. The source is only read.
"""

from __future__ import annotations

import argparse
import sys

from store import open_store
from store.copy import copy_store
from store.dialect import without_password
from tui.commands._output import write_utf8
from tui.terminal import neutral


def run(args: argparse.Namespace) -> int:
    # The source is only read: an empty or older one is refused with what to run.
    source = open_store(args.db, create=False, upgrade=False)
    try:
        shown = neutral(_shown(source.url), one_line=True)

        def progress(table: str, rows: int) -> None:
            if sys.stderr.isatty():
                sys.stderr.write(f"\rcopying {table}: {rows:,} rows\x1b[K")
                sys.stderr.flush()

        result = copy_store(source, args.to, progress=progress)
    finally:
        if sys.stderr.isatty():
            sys.stderr.write("\r\x1b[K")
        source.close()
    tables = ", ".join(f"{name} {count:,}" for name, count in result.rows.items() if count)
    write_utf8(
        f"Copied {result.total:,} rows in {len(result.rows)} tables from {shown} to "
        f"{neutral(result.target, one_line=True)}; every table's row count matches.\n"
        f"  {tables}\n"
        f"Next: visitprep --db {neutral(without_password(args.to) or '', one_line=True)}\n"
    )
    return 0


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
