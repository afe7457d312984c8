"""What every scripting command writes to standard output, written one way."""

from __future__ import annotations

import sys


def write_utf8(text: str) -> None:
    """Write ``text`` to stdout as UTF-8 bytes, whatever the locale says (Markdown and JSON
    must come out the same on every machine)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
