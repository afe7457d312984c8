"""`visitprep gaps`: what is missing (a table grouped by kind, or JSON), for the store or a visit."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from store import find_gaps, find_visit, open_store
from store.gaps import GAP_KINDS
from store.records import Gap
from store.wording import plural
from tui.commands._output import write_utf8
from tui.terminal import cell as _safe  # user text cannot drive the terminal

# Wide enough that titles and details wrap in their own columns when piped to a file.
PIPE_WIDTH = 120


def _as_json(gap: Gap) -> dict[str, Any]:
    return {
        "kind": gap.kind,
        "kind_label": GAP_KINDS.get(gap.kind, gap.kind),
        "record_kind": gap.record_kind,
        "record_id": gap.record_id,
        "ref": gap.ref,
        "title": gap.title,
        "detail": gap.detail,
    }


def _table(gaps: list[Gap]) -> Table:
    table = Table(expand=True)
    table.add_column("Gap", no_wrap=True, style="bold")
    table.add_column("Ref", no_wrap=True)
    table.add_column("Title", ratio=2)
    table.add_column("What is missing", ratio=3)
    order = list(GAP_KINDS)
    # Stable sort: within a kind the store's own order (by ref) is kept.
    ordered = sorted(gaps, key=lambda g: order.index(g.kind) if g.kind in order else len(order))
    counts: dict[str, int] = {}
    for gap in ordered:
        counts[gap.kind] = counts.get(gap.kind, 0) + 1
    previous = None
    for gap in ordered:
        first = gap.kind != previous
        if first and previous is not None:
            table.add_section()
        previous = gap.kind
        label = f"{GAP_KINDS.get(gap.kind, gap.kind)} ({counts[gap.kind]})" if first else ""
        ref = gap.ref or f"{gap.record_kind} {gap.record_id}"
        table.add_row(
            Text(label), Text(_safe(ref)), Text(_safe(gap.title)), Text(_safe(gap.detail))
        )
    return table


def run(args: argparse.Namespace) -> int:
    """List the gaps in the store, or in one visit's pack (judged at the visit's date)."""
    # create=False: a mistyped --db is refused, not answered with an empty store's "no gaps".
    store = open_store(args.db, create=False, upgrade=False)
    try:
        visit = find_visit(store, args.visit) if args.visit else None
        gaps = find_gaps(store, visit_id=visit.id if visit else None)
    finally:
        store.close()
    if args.json:
        text = json.dumps([_as_json(gap) for gap in gaps], indent=2, ensure_ascii=False) + "\n"
        write_utf8(text)
        return 0
    if isinstance(sys.stdout, io.TextIOWrapper):
        # A terminal that cannot show a character gets "?" rather than a traceback.
        sys.stdout.reconfigure(errors="replace")
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    console = Console(markup=False, highlight=False, emoji=False, width=width)
    scope = f"in the pack for '{_safe(visit.title)}'" if visit else "in the store"
    if not gaps:
        console.print(Text(f"No gaps {scope}: every finding has an action, every action has "
                           "evidence, nothing is overdue, out of date or missing."))  # fmt: skip
        return 0
    console.print(_table(gaps))
    console.print(Text(f"{plural(len(gaps), 'gap')} {scope}."), style="dim")
    return 0
