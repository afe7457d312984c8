"""What every scripting command writes to standard output, written one way."""

from __future__ import annotations

import sys

from tui.terminal import neutral


def write_utf8(text: str) -> None:
    """Write ``text`` to stdout as UTF-8 bytes, whatever the locale says (Markdown and JSON
    must come out the same on every machine).

    On a terminal the text is first :func:`~tui.terminal.neutral` (newlines kept): a title
    holding an escape sequence is shown, never obeyed. Piped or redirected, it is written
    exactly as the store holds it.
    """
    isatty = getattr(sys.stdout, "isatty", None)
    if isatty is not None and isatty():
        text = neutral(text, keep_lines=True)
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
