"""The `visitprep` command line: opens the app, or runs one scripted command on the store.

Every error the store raises on purpose becomes one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from store.errors import StoreError
from tui.commands._words import in_cli_words
from tui.terminal import cell

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def _version() -> str:
    try:
        return version("visitprep")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one clear line (plus where to get help), and a flag
    is taken only as written: argparse would read ``--scorecard`` as ``--scorecard-wins``
    (a prefix of one flag), and write a sheet over newer hand edits the lead never meant
    to overwrite."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        # A value left empty ('' from a variable that was not set, a stray pair of quotes)
        # is refused, never read as "not given": `copy --to ''` copied to the default
        # store's place, `backup ''` into the working folder, `log --since ''` showed all.
        if kwargs.get("action", "store") in ("store", "append") and "type" not in kwargs:
            kwargs["type"] = _not_blank
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"visitprep: {cell(message)} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_USAGE)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("it is empty; give a value")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="visitprep",
        description="Findings, actions and evidence for an Ofsted visit, in one local store.",
    )
    parser.add_argument(
        "--db",
        help="store file path or SQLAlchemy URL (default: $VISITPREP_DB, then the user data folder)",
    )
    parser.add_argument("--version", action="version", version=f"visitprep {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser("demo", help="create a demo store from the seed material")
    demo.add_argument(
        "--force", action="store_true", help="replace an existing store at that location"
    )
    demo.add_argument("--open", action="store_true", help="open the app on it afterwards")

    search = commands.add_parser(
        "search", help="fuzzy search across findings, actions, evidence and sources"
    )
    search.add_argument(
        "query",
        nargs="+",
        type=str,  # an empty query is search's own to explain ("Nothing to search for: ...")
        help="words to look for (typos are fine); filters like kind:finding brag:red",
    )
    search.add_argument(
        "--kind",
        choices=["finding", "action", "evidence", "source", "measure"],
        help="only this kind of record",
    )
    search.add_argument("--limit", type=int, default=20, help="how many results (default 20)")
    search.add_argument("--json", action="store_true", help="machine-readable output")

    gaps = commands.add_parser(
        "gaps", help="list what is missing: findings with no action, actions with no evidence, ..."
    )
    gaps.add_argument("--visit", help="only the gaps in this visit's pack (id or title)")
    gaps.add_argument("--json", action="store_true", help="machine-readable output")

    export = commands.add_parser(
        "export", help="write a visit's evidence pack as Markdown, Word (.docx) or a web page"
    )
    export.add_argument("visit", help="visit id or title (a unique part of it is enough)")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    export.add_argument("--json", action="store_true", help="the pack as JSON instead of Markdown")
    export.add_argument(
        "--format",
        choices=("md", "docx", "html"),
        help="md (GitHub task lists), docx (Word) or html (default: from the -o suffix, else md)",
    )
    export.add_argument(
        "--owner", metavar="NAME", help="only this owner's part of the chase list, to send to them"
    )
    export.add_argument(
        "--by", metavar="NAME", help="who exported it, said on the cover (default: $VISITPREP_USER)"
    )

    imp = commands.add_parser(
        "import",
        help=(
            "import Ofsted reports (PDF/TXT or a folder), an improvement plan or a performance "
            "scorecard (CSV/XLSX), or an evidence folder"
        ),
    )
    imp.add_argument(
        "paths", nargs="*", help="report files or folders, or one plan or scorecard spreadsheet"
    )
    imp.add_argument("--evidence", metavar="FOLDER", help="scan a folder of evidence documents")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="plan import: take FIELD from the column HEADER",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="show what would be created and change nothing"
    )
    imp.add_argument(
        "--update",
        action="store_true",
        help="reports: replace a report imported before whose file has changed",
    )
    imp.add_argument(
        "--plan-wins",
        action="store_true",
        help="plan import: write the plan's values over fields edited by hand since it was "
        "last imported (without it such an import is refused)",
    )
    imp.add_argument(
        "--scorecard-wins",
        action="store_true",
        help="scorecard import: write the scorecard's values over measure fields and values "
        "edited by hand since it was last imported (without it such an import is refused)",
    )
    whose = imp.add_mutually_exclusive_group()
    whose.add_argument(
        "--ours",
        action="store_const",
        const=True,
        dest="ours",
        help="reports: this council's own (its findings go into packs and gaps)",
    )
    whose.add_argument(
        "--other",
        action="store_const",
        const=False,
        dest="ours",
        help="reports: another council's, for search and learning (never in packs or gaps); "
        "without either, a report is ours when its council is that of our own reports",
    )
    sheet_kind = imp.add_mutually_exclusive_group()
    sheet_kind.add_argument(
        "--measures",
        action="store_true",
        help="the spreadsheet is a performance scorecard (found by its period columns anyway)",
    )
    sheet_kind.add_argument(
        "--plan",
        action="store_true",
        help="the spreadsheet is an improvement plan, even with a column per month that "
        "makes it look like a scorecard",
    )
    imp.add_argument("--json", action="store_true", help="machine-readable output")

    measures = commands.add_parser(
        "measures", help="the performance measures: latest value, target, BRAG and trend"
    )
    measures.add_argument("--theme", help="only this theme's measures (a unique start is enough)")
    measures.add_argument(
        "--off-target", action="store_true", help="only measures missing their target"
    )
    measures.add_argument("--json", action="store_true", help="machine-readable output")

    measure = commands.add_parser("measure", help="one measure and its values; --add enters one")
    measure.add_argument("ref", help="the measure's ref")
    measure.add_argument(
        "--add",
        nargs=2,
        metavar=("PERIOD", "VALUE"),
        help="enter (or correct) a value: a month (Apr-18, 2018-04) or quarter (Q1 2018/19)",
    )
    measure.add_argument("--note", help="with --add: a note on the value")
    measure.add_argument(
        "--link",
        metavar="REF",
        help="link it to the action (or finding) it shows the impact of, by ref: 1.6, R3",
    )
    measure.add_argument("--json", action="store_true", help="machine-readable output")

    settings = commands.add_parser(
        "settings", help="show or change the store's choices (how old evidence may be)"
    )
    settings.add_argument(
        "--stale-after",
        metavar="AGE",
        help="evidence with no review-by date is out of date once older than this: "
        "days (183), or weeks, months or years (12 weeks, 6 months)",
    )
    settings.add_argument("--json", action="store_true", help="machine-readable output")

    backup = commands.add_parser(
        "backup", help="copy the whole store to a file (safe while the app is open)"
    )
    backup.add_argument("path", help="file to write, or a folder to put a dated copy in")
    backup.add_argument("--replace", action="store_true", help="overwrite an existing file")

    log = commands.add_parser("log", help="the store's history: who changed what, and when")
    log.add_argument("--since", metavar="DATE", help="only entries from this day on")
    log.add_argument("--who", metavar="NAME", help="only this person's changes")
    log.add_argument("--record", metavar="REF", help="only this record: a ref (A1.2) or kind:id")
    log.add_argument("--limit", type=int, metavar="N", help="only the newest N entries")
    log.add_argument("--json", action="store_true", help="machine-readable output")

    config = commands.add_parser(
        "config", help="your own settings: the name your changes are recorded under"
    )
    config.add_argument("--name", help='your name in the history, e.g. --name "Sam Patel"')
    config.add_argument("--json", action="store_true", help="machine-readable output")

    copy = commands.add_parser(
        "copy", help="copy the whole store, history included, to another database"
    )
    copy.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="an empty PostgreSQL database (postgresql://user@host/db) or a new SQLite file",
    )

    commands.add_parser(
        "upgrade", help="bring an older store up to this version's schema (a copy is kept)"
    )

    template = commands.add_parser(
        "template", help="write an empty improvement-plan spreadsheet with the expected columns"
    )
    template.add_argument("path", help="file to write (.xlsx or .csv)")
    template.add_argument(
        "--measures",
        action="store_true",
        help="write an empty performance scorecard (measures down, months across) instead",
    )
    return parser


# Subcommand name -> module in tui.commands exposing run(args, store, out) -> int.
_COMMANDS = {
    "demo": "demo",
    "search": "search",
    "gaps": "gaps",
    "export": "export",
    "import": "importing",
    "settings": "settings",
    "template": "template",
    "backup": "backup",
    "log": "log",
    "config": "config",
    "copy": "copy",
    "upgrade": "upgrade",
    "measures": "measures",
    "measure": "measures",
}


# Commands that never open a store (no warning about where it is).
_NO_STORE = {"config", "template"}


def _warn_if_on_a_network_drive(db: str | None) -> None:
    """One line on stderr when the SQLite store sits on a network share (NFS, SMB/CIFS),
    where two people opening it is how SQLite files get corrupted."""
    from store.database import plain_sqlite_path, resolve_url
    from store.dialect import network_filesystem

    path = plain_sqlite_path(resolve_url(db))
    kind = network_filesystem(path) if path is not None else None
    if kind:
        sys.stderr.write(
            f"visitprep: warning: {cell(str(path))} is on a network drive ({kind}); a SQLite "
            "store shared there can be corrupted. A shared store belongs on PostgreSQL: "
            "visitprep copy --to postgresql://USER@SERVER/visitprep\n"
        )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return _open_app(args.db)
        module = import_module(f"tui.commands.{_COMMANDS[args.command]}")
        if args.command not in _NO_STORE:
            _warn_if_on_a_network_drive(args.db)
        return int(module.run(args) or EXIT_OK)
    except StoreError as error:
        sys.stderr.write(f"visitprep: {cell(in_cli_words(error))}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("visitprep: interrupted; nothing half-written was kept.\n")
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        # Output that cannot be written (disk full, device gone): one line, not a traceback,
        # and nothing left buffered for Python to fail on again at exit.
        where = f" ({error.filename})" if error.filename else ""
        sys.stderr.write(f"visitprep: {cell(error.strerror or error)}{cell(where)}.\n")
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except UnicodeEncodeError:
        sys.stderr.write(
            "visitprep: this terminal cannot show some of the text; set PYTHONIOENCODING=utf-8.\n"
        )
        return EXIT_ERROR


def _open_app(db: str | None) -> int:
    from tui import first_numbers

    # The store is opened, and its first numbers read, while Textual loads.
    opening = first_numbers.open_in_background(db)
    from tui.app import VisitPrepApp  # Textual is imported only when the app opens

    store = opening.store.result()  # raises here what opening it raised
    try:
        VisitPrepApp(store, first_numbers=opening.numbers).run()
    finally:
        store.close()  # the .db file alone then holds the session's work (a copy is whole)
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
