"""Plain text for the pack's documents: one line, controls shown as "�", space folded.

Every renderer (Markdown, Word, HTML) starts from :func:`plain` and then escapes for its
own format; the patterns here let the common case (nothing to change) cost one scan.
"""

from __future__ import annotations

import re

__all__ = ["CLEAN", "NEEDS_CLEAN", "NEEDS_WORK", "plain"]


# Line breaks and runs of space fold to one space; other control characters (escape codes,
# which XML cannot even hold) and bidi overrides show as "�".
_FOLD = {ord(c): " " for c in "\t\n\v\f\r\x85\u2028\u2029"}
_REPLACE = {
    c: "\ufffd"
    for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F))
    if c not in _FOLD
}
_REPLACE.update({c: "\ufffd" for c in range(0x2066, 0x206A)})
_REPLACE.update({c: "\ufffd" for c in (0xFFFE, 0xFFFF)})
CLEAN = {**_REPLACE, **_FOLD}


# Any character CLEAN changes: most text has none, and translating every character of every
# paragraph through a dict is most of an export's time on a big pack.
NEEDS_CLEAN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


# Any character plain() would change: a control, or white space other than a space (the
# characters str.isspace() and str.split() take as space, listed: one character class scans
# several times faster than a pattern with alternatives, on every run of every export).
_WHITE = "\t\n\v\f\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NEEDS_WORK = re.compile(NEEDS_CLEAN.pattern[:-1] + _WHITE + "]")


def plain(text: object) -> str:
    """One line of plain text: controls shown as "�", line breaks and runs of space folded."""
    value = str(text or "")
    if not (NEEDS_WORK.search(value) or "  " in value or value[:1] == " " or value[-1:] == " "):
        return value  # most text: one scan, nothing to change
    if NEEDS_CLEAN.search(value):
        value = value.translate(CLEAN)
    return " ".join(value.split())
