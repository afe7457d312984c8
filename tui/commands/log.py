"""`visitprep log`: the store's history, who changed what and when.

    visitprep log                          every entry, oldest first
    visitprep log --since 2018-07-01       from that day on
    visitprep log --who "Sam Patel"        one person's changes
    visitprep log --record A1.2            one record (a ref, or kind:id as evidence:12)
    visitprep log --json                   as JSON, for scripts

Times are shown in this machine's local time (``--json`` gives them in UTC). Reading the
log never changes the store.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import date, datetime

from store import (
    HistoryEntry,
    describe,
    entry_as_json,
    list_history,
    open_store,
    parse_date,
    records_named,
)
from store.dates import format_date
from store.errors import ValidationError
from tui.commands._output import write_utf8
from tui.terminal import neutral

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def run(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise ValidationError("limit", "--limit must be at least 1.")
    since = parse_date(args.since, "since") if args.since else None
    # Reading only: an empty or older database is refused with what to run, never changed.
    store = open_store(args.db, create=False, upgrade=False)
    try:
        record = None
        if args.record:
            record = records_named(store, args.record)
            if not record:
                raise ValidationError(
                    "record",
                    f"No record has the ref '{neutral(args.record, one_line=True)}'. Give a "
                    "ref (A1.2, R3) or kind:id (evidence:12, visit:3).",
                )
        entries = list_history(
            store, since=since, who=args.who, record=record, limit=args.limit or None
        )
    finally:
        store.close()
    if args.json:
        write_utf8(json.dumps([entry_as_json(e) for e in entries], indent=2) + "\n")
        return 0
    if not entries:
        write_utf8("No history entries match.\n" if _filtered(args) else "The history is empty.\n")
        return 0
    write_utf8("".join(_line(entry) + "\n" for entry in entries))
    return 0


def _filtered(args: argparse.Namespace) -> bool:
    return bool(args.since or args.who or args.record)


def _value(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a measure's 92, not 92.0
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            pass
    if value == "":
        return "blank"
    shown = neutral(value, one_line=True)
    return f"'{shown[:57]}...'" if len(shown) > 60 else f"'{shown}'"


def _line(entry: HistoryEntry) -> str:
    at: datetime = entry.at.astimezone()
    when = f"{format_date(at.date())} {at:%H:%M}"
    text = neutral(describe(entry, fields=False), one_line=True)
    if entry.op == "edit" and entry.changes:
        parts = [
            f"{c.field.replace('_', ' ')} {_value(c.old)} → {_value(c.new)}" for c in entry.changes
        ]
        text += ": " + "; ".join(parts)
    if entry.detail and entry.op != "import" and not entry.detail.startswith("measure value"):
        text += f" ({neutral(entry.detail, one_line=True)})"
    return f"{when}  {text}"
