"""What every part of `visitprep import` writes with: its console, the line for a refused
file, the progress bar, JSON, and the exit codes."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from tui.commands._output import write_utf8
from tui.terminal import cell

EXIT_OK, EXIT_REFUSED = 0, 1
PIPE_WIDTH = 120

safe = cell  # user text cannot drive the terminal


def make_console() -> Console:
    if isinstance(sys.stdout, io.TextIOWrapper):
        # A terminal that cannot show a character gets "?" rather than a traceback.
        sys.stdout.reconfigure(errors="replace")
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    return Console(markup=False, highlight=False, emoji=False, width=width)


def refuse(path: Path | str, message: str) -> None:
    """One line on stderr for a file that was not imported."""
    name = Path(path).name or str(path)
    text = message if message.startswith((name, str(path))) else f"{name}: {message}"
    sys.stderr.write(f"visitprep: {safe(text)}\n")


@contextlib.contextmanager
def progress_bar(what: str) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    console = Console(stderr=True, markup=False, highlight=False)
    columns = (
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[label]}", markup=False),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(what, total=None, label="")

        def update(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, label=safe(label)[:60])

        yield update


def write_json(data: object) -> None:
    write_utf8(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_newer_edits(
    console: Console, conflicts: Sequence[Any], *, sheet: str, flag: str, wins: bool
) -> None:
    """The newer edits a plan or scorecard re-import overwrites (``wins``) or would, one
    line each ("row 3: would overwrite ..."), under one heading for both importers.
    Each conflict has the sheet ``row`` and the ``reason`` naming the field."""
    if not conflicts:
        return
    heading = (
        f"Newer edits the {sheet} overwrites ({flag}):"
        if wins
        else f"Newer edits the {sheet} would overwrite (the import would be refused; "
        f"{flag} lets the {sheet} win):"
    )
    console.print(Text(heading, style="bold yellow" if wins else "bold red"))
    for conflict in conflicts:
        console.print(Text(f"  row {conflict.row}: {safe(conflict.reason)}"))
