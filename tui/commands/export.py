"""`visitprep export VISIT`: a visit's evidence pack as Markdown, Word (.docx) or a web page
(HTML), or the pack as JSON; ``--owner NAME`` gives one owner's part of the chase list.

Written to standard output, or with ``-o FILE`` through :func:`store.files.write_output`, the
one writer that refuses the store and anything that is not a regular file and writes whole or
not at all. The format is ``--format``, or follows from the ``-o`` file's suffix.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from store import build_pack, find_visit, open_store
from store.errors import ValidationError
from store.export import format_for, pack_as_dict, render_pack
from store.files import output_path, write_output
from tui.commands._output import write_utf8
from tui.terminal import cell

# What the confirmation line calls each file (the Markdown one is the checklist it always was).
_WHAT = {"md": "Checklist", "docx": "Word document", "html": "Web page"}


def run(args: argparse.Namespace) -> int:
    """Write the pack for ``args.visit`` to stdout or ``args.output``."""
    fmt = _format(args)
    if args.output is None and fmt == "docx" and sys.stdout.isatty():
        raise ValidationError(
            "output", "A Word document is not for the terminal: give a file with -o FILE.docx."
        )
    by = args.by if args.by is not None else os.environ.get("VISITPREP_USER", "")
    # create=False: a mistyped --db must not leave an empty store behind.
    store = open_store(args.db, create=False, upgrade=False)
    try:
        if args.output is not None:
            # Refused before any work: a path that can never be written.
            output_path(args.output, store_path=store.path)
        visit = find_visit(store, args.visit)
        if args.json:
            data = json.dumps(
                pack_as_dict(build_pack(store, visit.id)), indent=2, ensure_ascii=False
            )
            payload = (data + "\n").encode("utf-8")
        else:
            payload = render_pack(store, visit.id, fmt, owner=args.owner, exported_by=by)
        store_path = store.path
    finally:
        store.close()
    if args.output is None:
        if fmt == "docx":
            sys.stdout.flush()
            sys.stdout.buffer.write(payload)
            sys.stdout.buffer.flush()
        else:
            write_utf8(payload.decode("utf-8"))
        return 0
    target = write_output(args.output, payload, store_path=store_path)
    what = "Pack (JSON)" if args.json else _WHAT[fmt]
    if args.owner is not None and not args.json:
        what = f"Chase list ({_WHAT[fmt].lower()})"
    sys.stderr.write(cell(f"{what} for '{visit.title}' written to {target}") + "\n")
    return 0


def _format(args: argparse.Namespace) -> str:
    if args.json:
        if args.format is not None or args.owner is not None:
            raise ValidationError(
                "format", "--json gives the whole pack as data: leave out --format and --owner."
            )
        return "json"
    return format_for(args.output, args.format)
