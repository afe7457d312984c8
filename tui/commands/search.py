"""`visitprep search QUERY`: the search engine on the command line (a table, or JSON)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from store import open_store
from store.errors import ValidationError
from store.search import SearchHit, index_for, parse_query
from store.search.query import problems
from tui.terminal import cell
from tui.widgets.badges import brag_badge

# User text cannot drive the terminal; one character for one keeps highlight offsets right.
_safe = cell


def _highlighted(text: str, spans: tuple[tuple[int, int], ...], style: str = "") -> Text:
    out = Text(_safe(text), style=style)
    for start, end in spans:
        out.stylize("bold reverse", start, end)
    return out


def _as_json(hit: SearchHit) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "id": hit.id,
        "ref": hit.ref,
        "title": hit.title,
        "snippet": hit.snippet,
        "score": hit.score,
        "title_spans": [list(span) for span in hit.title_spans],
        "snippet_spans": [list(span) for span in hit.snippet_spans],
        "theme": hit.theme,
        "brag": hit.brag,
        "source": hit.source,
        "due_date": hit.due_date.isoformat() if hit.due_date else None,
        "overdue": hit.overdue,
        "ours": hit.ours,
    }


def _whose(hit: SearchHit) -> Text:
    """The theme (or source); another council's finding names its report first."""
    if hit.ours:
        return Text(_safe(hit.theme or hit.source))
    text = Text(_safe(hit.source), style="italic")
    text.append(" (another council's)", style="dim")
    if hit.kind == "finding" and hit.theme:
        text.append("\n" + _safe(hit.theme))
    return text


def _table(hits: list[SearchHit]) -> Table:
    table = Table(show_lines=False, expand=True, pad_edge=False)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Ref", no_wrap=True)
    table.add_column("Match", ratio=1)
    table.add_column("Theme / source", max_width=28)
    table.add_column("BRAG", no_wrap=True)
    for hit in hits:
        match = _highlighted(hit.title, hit.title_spans, "bold")
        if hit.snippet:
            match.append("\n")
            match.append_text(_highlighted(hit.snippet, hit.snippet_spans, "dim"))
        brag = Text()
        if hit.brag:
            brag = brag_badge(hit.brag)  # the app's shapes: ◆ Blue, ● Green, ▲ Amber, ■ Red
            if hit.overdue:
                brag.append(" overdue", style="bold red")
        table.add_row(
            hit.kind,
            Text(_safe(hit.ref) or str(hit.id)),
            match,
            _whose(hit),
            brag,
        )
    return table


def run(args: argparse.Namespace) -> int:
    """Print the records matching ``args.query`` (words, typos and filters), best first."""
    if args.limit is not None and args.limit < 1:
        raise ValidationError("limit", "--limit must be at least 1.")
    query = " ".join(args.query)
    parsed = parse_query(query)
    mistakes = problems(parsed)
    if mistakes:
        raise ValidationError("query", mistakes[0])
    if not parsed.words and not parsed.has_filters:
        raise ValidationError(
            "query", "Nothing to search for: give some words, or a filter such as kind:action."
        )
    # create=False: searching only reads; a mistyped --db is refused, not made a store.
    store = open_store(args.db, create=False, upgrade=False)
    try:
        index = index_for(store)
        mistakes = index.index().unmatched(parsed)
        if mistakes:
            raise ValidationError("query", mistakes[0])
        hits = index.search(query, limit=args.limit or 20, kinds=[args.kind] if args.kind else None)
    finally:
        store.close()
    if args.json:
        json.dump([_as_json(hit) for hit in hits], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    console = Console()
    if not hits:
        console.print(Text(f"No matches for '{_safe(query)}'."))
        return 0
    console.print(_table(hits))
    shown = Text(f"{len(hits)} best match{'es' if len(hits) != 1 else ''} for '{_safe(query)}'")
    console.print(shown, style="dim")
    return 0
