"""`visitprep measures` (the scorecard as a table or JSON) and `visitprep measure REF`
(one measure with its values; ``--add PERIOD VALUE`` enters a value)."""

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

from store import (
    get_measure_by_ref,
    link_measure_by_ref,
    list_measure_values,
    list_measures,
    measure_links,
    neighbours_label,
    open_store,
    set_measure_value,
)
from store.errors import ValidationError
from store.measure_rules import Measure, MeasureValue, format_number, sparkline
from store.periods import iso_period
from store.wording import plural
from tui.commands._output import write_utf8
from tui.commands.gaps import PIPE_WIDTH, _safe

BRAG_STYLE = {"green": "green", "amber": "yellow", "red": "red"}
ARROW = {"better": "▲ better", "worse": "▼ worse", "same": "= same"}


def run(args: argparse.Namespace) -> int:
    if args.command == "measure":
        return _one(args)
    store = open_store(args.db, create=False)
    try:
        measures = list_measures(store, theme=args.theme, off_target=args.off_target)
    finally:
        store.close()
    if args.json:
        write_utf8(
            json.dumps([measure_json(m) for m in measures], indent=2, ensure_ascii=False) + "\n"
        )
        return 0
    console = _console()
    if not measures:
        what = "off target " if args.off_target else ""
        where = f" in the theme '{_safe(args.theme)}'" if args.theme else ""
        console.print(Text(f"No measures {what}{where}.".replace("  ", " ").replace(" .", ".")))
        return 0
    table = Table(expand=True)
    table.add_column("Ref", no_wrap=True)
    table.add_column("Measure", ratio=3)
    table.add_column("Latest", justify="right", no_wrap=True)
    table.add_column("Target", justify="right", no_wrap=True)
    table.add_column("BRAG", no_wrap=True)
    table.add_column("Since last", no_wrap=True)
    table.add_column("Last 12", no_wrap=True)
    theme = None
    for measure in measures:
        if measure.theme != theme:
            if theme is not None:
                table.add_section()
            theme = measure.theme
            table.add_row("", Text(theme or "No theme", style="bold"))
        latest = measure.latest
        table.add_row(
            Text(_safe(measure.ref)),
            Text(_safe(measure.name)),
            Text(
                f"{format_number(latest.value, measure.unit)} ({latest.label})" if latest else "—"
            ),
            Text(format_number(measure.target, measure.unit) or "—"),
            Text(measure.brag.capitalize() or "—", style=BRAG_STYLE.get(measure.brag, "")),
            Text(ARROW.get(measure.direction, "—")),
            Text(sparkline(measure.recent)),
        )
    console.print(table)
    off = sum(1 for m in measures if m.off_target)
    console.print(Text(f"{plural(len(measures), 'measure')}, "
                       f"{off} off target."), style="dim")  # fmt: skip
    return 0


def _one(args: argparse.Namespace) -> int:
    if args.note is not None and not args.add:
        # Not dropped in silence: a note belongs to the value it is entered with.
        raise ValidationError("note", "--note goes with --add PERIOD VALUE: nothing was changed.")
    store = open_store(args.db, create=False)
    try:
        measure = get_measure_by_ref(store, args.ref)
        if getattr(args, "link", None):
            kind, ref, title, new = link_measure_by_ref(store, measure.id, args.link)
            if not args.json:
                said = "linked to" if new else "was already linked to"
                sys.stdout.write(f"{measure.ref} {said} the {kind} {_safe(ref)} {_safe(title)}.\n")
        if args.add:
            period, value = args.add
            saved = set_measure_value(store, measure.id, period, value, note=args.note or "")
            measure = get_measure_by_ref(store, args.ref)
            if not args.json:
                said = (
                    f"{measure.ref}: {saved.label} = {format_number(saved.value, measure.unit)}"
                    f" entered by {saved.entered_by}."
                )
                sys.stdout.write(_safe(said) + "\n")
        values = list_measure_values(store, measure.id)
        links = measure_links(store, measure.id)
        neighbours = neighbours_label(store) if measure.neighbours is not None else ""
    finally:
        store.close()
    if args.json:
        data = measure_json(measure)
        data["values"] = [value_json(v, measure.frequency) for v in values]
        data["findings"] = [{"ref": r, "title": t} for _i, r, t in links["finding"]]
        data["actions"] = [{"ref": r, "title": t} for _i, r, t in links["action"]]
        write_utf8(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    if args.add or getattr(args, "link", None):
        return 0
    console = _console()
    console.print(Text(f"{_safe(measure.ref)} {_safe(measure.name)}", style="bold"))
    facts = [
        ("Theme", measure.theme or "No theme"),
        ("Target", f"{format_number(measure.target, measure.unit) or 'none'} "
                   f"({measure.polarity} is better"
                   + (f"; Amber within {format_number(measure.tolerance)})"
                      if measure.tolerance else "; no amber tolerance)")),
        ("Latest", f"{format_number(measure.latest.value, measure.unit)} in "
                   f"{measure.latest.label}: {measure.brag.capitalize() or 'no BRAG'}, "
                   f"{measure.direction or 'no earlier value'}" if measure.latest else "no value yet"),
        ("Comparators", _comparators(measure, neighbours)),
        ("Owner", measure.owner or "—"),
        ("Frequency", measure.frequency),
    ]  # fmt: skip
    for label, text in facts:
        console.print(Text.assemble((f"{label}: ", "dim"), _safe(text)))
    for kind, label in (("finding", "Findings"), ("action", "Actions")):
        if links[kind]:
            joined = "; ".join(f"{r} {t}" for _i, r, t in links[kind])
            console.print(Text.assemble((f"{label}: ", "dim"), _safe(joined)))
    table = Table(expand=False)
    table.add_column("Period", no_wrap=True)
    table.add_column("Value", justify="right")
    table.add_column("Note")
    table.add_column("Entered by")
    for value in values:
        table.add_row(
            value.label, format_number(value.value, measure.unit), Text(_safe(value.note)),
            Text(_safe(value.entered_by)),
        )  # fmt: skip
    console.print(table)
    return 0


def _comparators(measure: Measure, neighbours: str = "statistical neighbours") -> str:
    """England's and the statistical neighbours' figures, ``neighbours`` naming whose
    (:func:`store.neighbours_label`)."""
    parts = []
    if measure.england is not None:
        parts.append(f"England {format_number(measure.england, measure.unit)}")
    if measure.neighbours is not None:
        parts.append(f"{neighbours} {format_number(measure.neighbours, measure.unit)}")
    if not parts:
        return "none"
    return ", ".join(parts) + (f" ({measure.comparator_year})" if measure.comparator_year else "")


def _console() -> Console:
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    return Console(markup=False, highlight=False, emoji=False, width=width)


def value_json(value: MeasureValue, frequency: str) -> dict[str, Any]:
    return {
        "period": iso_period(value.period, frequency),
        "label": value.label,
        "value": value.value,
        "note": value.note,
        "entered_by": value.entered_by,
        "entered_at": value.entered_at.isoformat() if value.entered_at else None,
    }


def measure_json(measure: Measure) -> dict[str, Any]:
    latest = measure.latest
    return {
        "ref": measure.ref,
        "name": measure.name,
        "theme": measure.theme,
        "unit": measure.unit,
        "polarity": measure.polarity,
        "target": measure.target,
        "tolerance": measure.tolerance,
        "england": measure.england,
        "neighbours": measure.neighbours,
        "comparator_year": measure.comparator_year,
        "owner": measure.owner,
        "frequency": measure.frequency,
        "latest": value_json(latest, measure.frequency) if latest else None,
        "brag": measure.brag or None,
        "direction": measure.direction or None,
        "recent": list(measure.recent),
    }
