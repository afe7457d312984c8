"""`visitprep import`: Ofsted reports, an improvement-plan spreadsheet, or an evidence folder.

* ``--evidence FOLDER`` scans a folder of evidence documents;
* a ``.csv``/``.xlsx`` path imports an improvement plan, all or nothing;
* anything else (``.pdf``/``.txt`` reports, or folders of them) imports Ofsted reports.

Each file that cannot be imported gets one line ``visitprep: <file>: <why>`` on stderr and
the exit code is 1; the others are imported. ``--dry-run`` reads everything and writes
nothing. A progress bar shows on stderr (only when it is a terminal) for anything long.

This module decides what each path is and opens the store; each kind is written out by its
own module (importing_plan, importing_evidence, importing_reports), with the console, the
refusal line and the progress bar of _importing_output.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from store import open_store
from store.database import Store, resolve_url
from store.errors import ImportFailed, ValidationError
from store.importers.plan import read_plan
from store.importers.scorecard_rows import spreadsheet_kind
from store.importers.spreadsheet import SPREADSHEET_SUFFIXES
from tui.commands import importing_evidence, importing_plan, importing_reports
from tui.commands._importing_output import EXIT_OK, make_console, write_json
from tui.commands.scorecard import import_scorecard_file

_PLAN_LIKE = (*SPREADSHEET_SUFFIXES, ".xls", ".ods", ".numbers")
_REPORT_SUFFIXES = (".pdf", ".txt")


# What a lead may type before the file, as other tools' "import plan FILE" would read.
_KIND_WORDS = {
    "plan": "an improvement plan: visitprep import PLAN.xlsx (or .csv)",
    "plans": "an improvement plan: visitprep import PLAN.xlsx (or .csv)",
    "report": "Ofsted reports: visitprep import REPORT.pdf (or a folder of them)",
    "reports": "Ofsted reports: visitprep import REPORT.pdf (or a folder of them)",
    "evidence": "an evidence folder: visitprep import --evidence FOLDER",
    "scorecard": "a performance scorecard: visitprep import SCORECARD.xlsx",
    "measures": "a performance scorecard: visitprep import SCORECARD.xlsx",
}


def _refuse_a_kind_named_as_a_path(path: Path) -> None:
    """``visitprep import plan x.csv``: 'plan' is no file here, and the kind is found from
    each file; say how to import it rather than "plan does not exist"."""
    how = _KIND_WORDS.get(str(path).lower())
    if how is not None and not path.exists():
        raise ValidationError(
            "paths",
            f"'{path}' is not a file: visitprep import tells what each file is by itself, "
            f"so give just the file. To import {how}.",
        )


def _parse_map(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise ValidationError(
                "map", f"--map '{pair}' should be FIELD=HEADER, e.g. --map owner='Lead officer'."
            )
        same = next((f for f in mapping if f.lower() == field.strip().lower()), None)
        if same is not None and mapping[same] != header.strip():
            # Not the last one given winning in silence: which column did the lead mean?
            raise ValidationError(
                "map",
                f"--map gives {field.strip()} twice ('{mapping[same]}' and '{header.strip()}'):"
                " give it once.",
            )
        mapping[field.strip()] = header.strip()
    return mapping


def run(args: argparse.Namespace) -> int:
    """Import what the arguments name; 0 when everything was imported, 1 when anything was refused."""
    paths = [Path(p) for p in args.paths]
    if args.evidence and paths:
        raise ValidationError(
            "paths", "Give either --evidence FOLDER or files to import, not both at once."
        )
    if not args.evidence and not paths:
        raise ValidationError(
            "paths",
            "Nothing to import: give report files (.pdf/.txt) or folders, a plan (.csv/.xlsx), "
            "or --evidence FOLDER.",
        )
    plans = [p for p in paths if p.suffix.lower() in _PLAN_LIKE]
    reports = [p for p in paths if p not in plans]
    # A spreadsheet of measures down and periods across is a performance scorecard, unless
    # the lead says which it is; one that could be either is refused, naming both flags.
    scorecards: list[Path] = []
    unclear: dict[Path, ImportFailed] = {}
    for path in plans:
        if getattr(args, "measures", False):
            scorecards.append(path)
        elif not getattr(args, "plan", False):
            try:
                if spreadsheet_kind(path) == "scorecard":
                    scorecards.append(path)
            except ImportFailed as error:
                unclear[path] = error
    plans = [p for p in plans if p not in scorecards and p not in unclear]
    if args.map and not (plans or unclear):
        raise ValidationError("map", "--map is for importing a plan spreadsheet (.csv or .xlsx).")
    ours = getattr(args, "ours", None)
    if ours is not None and (args.evidence or not reports):
        flag = "--ours" if ours else "--other"
        raise ValidationError("ours", f"{flag} is for importing Ofsted reports (.pdf or .txt).")
    # A flag for another kind of file than those given is refused, not silently ignored
    # (`import plan.csv --update` imported the plan as if --update meant something to it).
    for flag, given, kinds, what in (
        ("--update", args.update, reports, "Ofsted reports (.pdf or .txt)"),
        ("--plan-wins", args.plan_wins, plans or unclear, "an improvement plan (.csv or .xlsx)"),
        ("--scorecard-wins", args.scorecard_wins, scorecards or unclear, "a scorecard"),
    ):
        if given and (args.evidence or not kinds):
            raise ValidationError(flag.strip("-"), f"{flag} is for importing {what}.")
    mapping = _parse_map(args.map)
    for path in reports:
        _refuse_a_kind_named_as_a_path(path)
        # Neither a plan nor a report: say so before anything is opened or written.
        if path.suffix and path.suffix.lower() not in _REPORT_SUFFIXES and not path.is_dir():
            raise ImportFailed(
                f"{path.name}: is neither an Ofsted report (.pdf or .txt) nor an improvement "
                "plan (.csv or .xlsx), so nothing was imported."
            )
    if args.evidence:
        folder = Path(args.evidence)
        if not folder.is_dir():  # before the store is opened (or created)
            what = "is a file, not a folder" if folder.exists() else "there is no such folder"
            raise ImportFailed(f"{args.evidence}: {what}.")
    status = EXIT_OK
    output: list[Any] = []
    for path, why in unclear.items():
        status = importing_plan.refuse_plan(path, why, args, output)
    # A plan that cannot be read is refused before the store is opened (or created).
    readable = []
    for plan in plans:
        try:
            read_plan(plan, mapping)
            readable.append(plan)
        except ImportFailed as error:
            status = importing_plan.refuse_plan(plan, error, args, output)
    if not (args.evidence or readable or reports or scorecards):
        if args.json:
            write_json(output[0] if len(output) == 1 else output)
        return status
    store = _open(args)
    try:
        if args.evidence:
            return importing_evidence.scan(store, Path(args.evidence), args)
        # Reports first, so a plan's finding refs can link to findings imported with it.
        if reports:
            status = max(status, importing_reports.reports(store, reports, args, output))
        for plan in readable:
            status = max(status, importing_plan.plan(store, plan, mapping, args, output))
        for card in scorecards:
            status = max(status, import_scorecard_file(store, card, args, output, make_console()))
        if args.json:
            write_json(output[0] if len(output) == 1 else output)
        return status
    finally:
        store.close()


def _open(args: argparse.Namespace) -> Store:
    """The store to import into; a dry run with no store yet reads an empty one in memory
    rather than creating the file."""
    if args.dry_run:
        url = make_url(resolve_url(args.db))
        database = url.database or ""
        is_file = url.get_backend_name() == "sqlite" and database not in ("", ":memory:")
        if is_file and not database.startswith("file:") and not Path(database).exists():
            return open_store("sqlite://")
    return open_store(args.db)
