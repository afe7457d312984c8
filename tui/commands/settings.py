"""`visitprep settings`: the store's own choices, shown or changed.

    visitprep settings                       what is chosen now
    visitprep settings --stale-after 90      evidence with no review-by date is out of date
                                             once older than 90 days (or 12 weeks, 6 months)

The choice is kept in the store, so the app and every command count the same gaps.
"""

from __future__ import annotations

import argparse
import json

from store import open_store, set_stale_days, stale_days
from store.vocab import DEFAULT_STALE_DAYS
from tui.commands._output import write_utf8
from tui.text import describe_age


def run(args: argparse.Namespace) -> int:
    # create=False: a mistyped --db is refused, not given a new store with the setting in it.
    store = open_store(args.db, create=False, upgrade=args.stale_after is not None)
    try:
        changed = args.stale_after is not None
        days = set_stale_days(store, args.stale_after) if changed else stale_days(store)
    finally:
        store.close()
    if args.json:
        write_utf8(json.dumps({"stale_days": days}, indent=2) + "\n")
        return 0
    said = "now goes" if changed else "goes"
    default = ", the default," if days == DEFAULT_STALE_DAYS else ""
    write_utf8(
        f"Evidence with no review-by date {said} out of date once older than "
        f"{describe_age(days)}{default} at the visit (or today, outside a pack).\n"
        "Evidence with a review-by date goes out of date once that date has passed.\n"
    )
    if not changed:
        write_utf8("Change it with: visitprep settings --stale-after 90 (or 12 weeks, 6 months)\n")
    return 0
