"""Who is making the changes: every write in the history is someone's.

The name is, in order: the one given to :func:`store.open_store` (``user=``), then
``VISITPREP_USER``, then the one chosen with ``visitprep config --name "Sam Patel"``
(kept as ``name`` in ``config.json`` in the user config folder, beside the app's own
choices), then the login name.
"""

from __future__ import annotations

import getpass
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from platformdirs import user_config_path

from store.errors import ValidationError
from store.wording import Option, phrase

APP_NAME = "visitprep"
NAME_KEY = "name"
MAX_NAME = 80


def config_path() -> Path:
    """``config.json`` in the user config folder (``$XDG_CONFIG_HOME/visitprep`` on Linux)."""
    return user_config_path(APP_NAME, appauthor=False) / "config.json"


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def configured_name(path: Path | None = None) -> str:
    """The name chosen with ``visitprep config --name``, or "" when none was."""
    value = _read(path or config_path()).get(NAME_KEY)
    return clean_name(value) if isinstance(value, str) else ""


def clean_name(value: object) -> str:
    """A person's name as history keeps it: one line, spaces collapsed, at most 80 chars.
    Control characters and escape codes are dropped (a name is data, never markup)."""
    text = "" if value is None else str(value)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:MAX_NAME]


def login_name() -> str:
    try:
        return clean_name(getpass.getuser())
    except (KeyError, OSError):  # no entry in the password database (a bare container)
        return ""


def current_user(explicit: str | None = None) -> str:
    """The name the history gives this program's writes (see the module's docstring)."""
    for candidate in (explicit, os.environ.get("VISITPREP_USER")):
        name = clean_name(candidate)
        if name:
            return name
    return configured_name() or login_name() or "unknown"


def set_configured_name(name: str, path: Path | None = None) -> str:
    """Keep ``name`` as this person's name for every store they open; returns it as kept.

    Other choices in the file (the app's theme, keys) are kept as they are. Raises
    :class:`ValidationError` for an empty name.
    """
    cleaned = clean_name(name)
    if not cleaned:
        raise ValidationError("name", phrase("Give a name, e.g. ", Option.NAME, ' "Sam Patel".'))
    given = len(" ".join(str(name).split()))
    if given > MAX_NAME:  # cut short in silence, it would sign the history as someone else
        raise ValidationError(
            "name", f"The name is too long ({given} characters; at most {MAX_NAME})."
        )
    path = path or config_path()
    data = _read(path)
    data[NAME_KEY] = cleaned
    write_config(path, data)
    return cleaned


def write_config(path: Path, data: dict[str, Any]) -> None:
    """Write the whole config file, whole or not at all (a temporary file beside it, then a
    rename): the one writer of ``config.json``, for the name here and the app's settings.
    Raises ``OSError`` if the folder cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True, ensure_ascii=False)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
