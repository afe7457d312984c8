"""Open an evidence item's file or link with the system's own handler (``o``).

No Textual here: the screens say what :func:`open_location` answers. Where there is no
display to open anything on (an ssh session, a server), it says so, and what to do
instead: ``c`` copies the location, to open on the lead's own computer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

NO_DISPLAY = (
    "There is no display here to open it on (an ssh session or a server). "
    "Press c to copy the location, and open it on your own computer."
)


def _start(command: Sequence[str]) -> None:
    """Start the handler and let it run on its own: visitprep neither waits nor shows
    its output (it would draw over the screen)."""
    subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def open_and_say(node: Any, location: str) -> None:
    """``o`` on a screen: open ``location`` and say what happened (or why not, and c)."""
    opened, said = open_location(location)
    node.notify(said, severity="information" if opened else "warning", markup=False)


def is_link(location: str) -> bool:
    return "://" in location or location.lower().startswith(("www.", "mailto:"))


def open_location(
    location: str,
    *,
    platform: str | None = None,
    environ: dict[str, str] | None = None,
    start: Callable[[Sequence[str]], None] = _start,
) -> tuple[bool, str]:
    """Open ``location`` (a file path or a URL); ``(opened, what to tell the user)``."""
    platform = platform or sys.platform
    environ = dict(os.environ) if environ is None else environ
    location = location.strip()
    if not location:
        return False, "This item has no location to open. e adds one."
    target = location
    if location.lower().startswith("www."):
        target = "https://" + location
    elif not is_link(location):
        path = Path(os.path.expanduser(location))
        if not path.exists():
            return False, f"The file is not there: {location}. Was it moved or renamed?"
        target = str(path)
    try:
        if platform.startswith("win"):
            os.startfile(target)  # type: ignore[attr-defined]
        elif platform == "darwin":
            start(["open", target])
        else:
            if not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
                return False, NO_DISPLAY
            opener = shutil.which("xdg-open", path=environ.get("PATH"))
            if opener is None:
                return False, (
                    "xdg-open is not installed, so visitprep cannot ask the system to open "
                    "it. Press c to copy the location instead."
                )
            start([opener, target])
    except OSError as error:
        return False, f"Could not open it: {error.strerror or error}."
    return True, f"Opening {location}"
