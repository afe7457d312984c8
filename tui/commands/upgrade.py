"""`visitprep upgrade`: bring a store written by an older visitprep up to date.

Commands that only read (search, gaps, export, log...) never change a store; on an older
one they say to run this. A SQLite store is copied beside itself first; the upgrade is
one transaction (on PostgreSQL too), so it lands whole or not at all.
"""

from __future__ import annotations

import argparse

from store import open_store
from tui.commands._output import write_utf8


def run(args: argparse.Namespace) -> int:
    from store.migrations import head_revision

    store = open_store(args.db, create=False)
    store.close()
    write_utf8(f"The store is up to date (schema {head_revision()}).\n")
    return 0
