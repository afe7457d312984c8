"""`visitprep export VISIT`: a visit's evidence-pack checklist (Markdown, or the pack as JSON).

Written to standard output, or with ``-o FILE`` to a file that appears whole or not at all.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from store import build_pack, find_visit, open_store
from store.errors import ValidationError
from store.export import export_checklist, pack_as_dict, write_file
from tui.commands._output import write_utf8

# Control characters in a visit title would drive the terminal on the confirmation line.
_CONTROLS = {c: "\ufffd" for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))}


def run(args: argparse.Namespace) -> int:
    """Write the checklist for ``args.visit`` to stdout or ``args.output``."""
    target = _output_path(args.output) if args.output is not None else None
    # create=False: a mistyped --db must not leave an empty store behind.
    store = open_store(args.db, create=False)
    try:
        if target is not None and store.path is not None and _same_file(target, store.path):
            raise ValidationError("output", f"{target} is the store itself: choose another file.")
        visit = find_visit(store, args.visit)
        if args.json:
            data = pack_as_dict(build_pack(store, visit.id))
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        else:
            text = export_checklist(store, visit.id)
    finally:
        store.close()
    if target is None:
        write_utf8(text)
        return 0
    write_file(target, text)
    what = "Pack (JSON)" if args.json else "Checklist"
    title = visit.title.translate(_CONTROLS)
    sys.stderr.write(f"{what} for '{title}' written to {target}\n")
    return 0


def _output_path(raw: str) -> Path:
    """The absolute output path, refused early if it cannot be a file we can write."""
    if not raw.strip():
        raise ValidationError("output", "Give a file name after -o.")
    path = Path(raw).expanduser()
    path = Path(os.path.abspath(path))
    if path.is_dir():
        raise ValidationError("output", f"{path} is a folder: give a file name inside it.")
    if not path.parent.is_dir():
        raise ValidationError(
            "output", f"Cannot write {path}: the folder {path.parent} does not exist."
        )
    return path


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
