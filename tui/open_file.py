"""Open a file with the system's own handler (Word for a .docx, the browser for a page).

Where there is no display to open it on (an ssh session, a server), nothing is started and
the caller is told what to do instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def open_file(path: Path) -> str | None:
    """Start the system's handler for ``path``; ``None`` when started, else why not."""
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]
            return None
        if sys.platform == "darwin":
            command = ["open", str(path)]
        else:
            if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
                return (
                    f"No display to open it on here (an ssh session?). The file is at {path}: "
                    "copy it to your own computer to open it."
                )
            opener = shutil.which("xdg-open")
            if opener is None:
                return f"Nothing here opens files (no xdg-open). The file is at {path}."
            command = [opener, str(path)]
        subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    except OSError as error:
        return f"Could not open {path}: {error.strerror or error}."
    return None
