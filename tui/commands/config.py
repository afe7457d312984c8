"""`visitprep config`: your own settings, kept in your user config folder (not the store).

    visitprep config                       what is set
    visitprep config --name "Sam Patel"    the name your changes are recorded under

The name is used for every store you open. VISITPREP_USER, when set, wins over it; with
neither, your login name is used.
"""

from __future__ import annotations

import argparse
import json
import os

from store import set_user_name
from store.identity import config_path, configured_name, current_user
from tui.commands._output import write_utf8
from tui.terminal import neutral


def run(args: argparse.Namespace) -> int:
    if args.name is not None:
        set_user_name(args.name)
    name = current_user()
    kept = configured_name()
    if args.json:
        write_utf8(json.dumps({"name": name, "config_name": kept or None}, indent=2) + "\n")
        return 0
    if args.name is not None:
        write_utf8(f"Your changes are now recorded as {neutral(kept, one_line=True)}.\n")
    else:
        write_utf8(f"Your changes are recorded as {neutral(name, one_line=True)}.\n")
    if os.environ.get("VISITPREP_USER") and kept and name != kept:
        write_utf8(f"(VISITPREP_USER is set and wins over the name kept in {config_path()}.)\n")
    elif not kept:
        write_utf8('Choose the name with: visitprep config --name "Sam Patel"\n')
    return 0
