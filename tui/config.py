"""The app's small remembered settings, as JSON in the user config folder.

    {"theme": "nord", "keymap": {"app.search": "ctrl+f", "dashboard.reload": "f5"}}

``theme`` is saved whenever the user picks one; ``keymap`` (binding id → keys, the ids
listed by ? in the app) is theirs to write by hand. The same file keeps the name chosen
with ``visitprep config --name`` (store.identity), so a save writes only the keys the app
changed, over the file as it is then.

A missing file is the first run; a broken one is reported once and ignored (the app
still opens, with defaults), and the next save replaces it with a good one. What each key
may hold is checked by the typed model in :mod:`tui.settings_file`: a key that is not
what it should be is reported and left out, and the others still count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_config_path

from store.files import os_reason
from store.identity import write_config

APP_NAME = "visitprep"


def default_config_path() -> Path:
    """``config.json`` in the user config folder (``$XDG_CONFIG_HOME/visitprep`` on Linux)."""
    return user_config_path(APP_NAME, appauthor=False) / "config.json"


@dataclass
class Loaded:
    """The settings that can be used, the file as it is, and a line for each thing wrong."""

    settings: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    file: dict[str, Any] = field(default_factory=dict)  # as read: a save keeps what it holds


def load_settings(path: Path) -> Loaded:
    """Read the settings at ``path``; never raises (a problem is described instead)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Loaded()
    except (OSError, UnicodeDecodeError) as error:
        return Loaded(problems=[f"Could not read the settings file {path}: {os_reason(error)}."])
    try:
        settings = json.loads(raw)
    except json.JSONDecodeError as error:
        return Loaded(
            problems=[
                f"The settings file {path} is not valid JSON (line {error.lineno}); "
                "using the defaults."
            ]
        )
    if not isinstance(settings, dict):
        return Loaded(
            problems=[f"The settings file {path} does not hold settings; using the defaults."]
        )
    if not settings:
        return Loaded()
    from tui.settings_file import check  # pydantic: only for a file it cannot confirm plainly

    usable, problems = check(settings)
    return Loaded(settings=usable, problems=problems, file=settings)


def save_settings(path: Path, changed: dict[str, Any]) -> dict[str, Any]:
    """Write the keys in ``changed`` over what ``path`` holds now, whole or not at all (a
    temporary file, then a rename); returns the settings as written.

    Only those keys: the file is read again first, so whatever another program wrote
    since the app read it (``visitprep config --name "Sam Patel"``, a hand-edited keymap)
    is kept. A file that cannot be used is replaced by a good one. Raises ``OSError`` if
    the folder cannot be written.
    """
    settings = {**load_settings(path).file, **changed}
    write_config(path, settings)
    return settings
