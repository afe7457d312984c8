"""`visitprep export VISIT`: a visit's evidence-pack checklist (Markdown, or the pack as JSON).

Written to standard output, or with ``-o FILE`` through :func:`store.files.write_output`, the
one writer that refuses the store and anything that is not a regular file and writes whole or
not at all.
"""

from __future__ import annotations

import argparse
import json
import sys

from store import build_pack, find_visit, open_store
from store.export import export_checklist, pack_as_dict
from store.files import output_path, write_output
from tui.commands._output import write_utf8
from tui.terminal import cell


def run(args: argparse.Namespace) -> int:
    """Write the checklist for ``args.visit`` to stdout or ``args.output``."""
    # create=False: a mistyped --db must not leave an empty store behind.
    store = open_store(args.db, create=False)
    try:
        if args.output is not None:
            # Refused before any work: a path that can never be written.
            output_path(args.output, store_path=store.path)
        visit = find_visit(store, args.visit)
        if args.json:
            data = pack_as_dict(build_pack(store, visit.id))
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        else:
            text = export_checklist(store, visit.id)
        store_path = store.path
    finally:
        store.close()
    if args.output is None:
        write_utf8(text)
        return 0
    target = write_output(args.output, text, store_path=store_path)
    what = "Pack (JSON)" if args.json else "Checklist"
    sys.stderr.write(cell(f"{what} for '{visit.title}' written to {target}") + "\n")
    return 0
