"""The one rule for text that reaches a terminal: nothing in it can control the terminal.

Everything visitprep prints (the app's screens, every command's tables, confirmations,
progress lines and error lines) passes user text through :func:`neutral`. Stored data is
never changed: only what is shown.

- C0 controls (ESC included, so no CSI/OSC sequence such as OSC 52's clipboard write can
  start) become their Unicode control picture: ``\\x1b`` shows as ``␛``; DEL as ``␡``.
- C1 controls (a one-byte CSI ``\\x9b`` or OSC ``\\x9d``), bidirectional overrides and
  isolates (U+202E "Trojan source"), zero-width and other invisible format characters
  (U+200B, U+2060, U+FEFF, tag characters...), line/paragraph separators, Hangul fillers
  and lone surrogates become ``�`` (U+FFFD).

Each character becomes exactly one character, so offsets into the text (search
highlights) stay right. This module imports nothing: the command line's error path uses
it without loading Rich or Textual.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

# Unicode's "Cf" (format) characters: invisible, yet they reorder, join or hide text.
_FORMAT_RANGES = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD),
    (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
    (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)  # fmt: skip
# Other characters that show nothing: line/paragraph separators, the combining grapheme
# joiner, Hangul fillers; and lone surrogates (which no terminal encoding can carry).
_INVISIBLE_RANGES = (
    (0x2028, 0x2029), (0x034F, 0x034F), (0x115F, 0x1160), (0x3164, 0x3164),
    (0xFFA0, 0xFFA0), (0xD800, 0xDFFF),
)  # fmt: skip

_TABLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟
_TABLE[0x7F] = "\u2421"  # ␡
_TABLE.update({code: REPLACEMENT for code in range(0x80, 0xA0)})
for _first, _last in (*_FORMAT_RANGES, *_INVISIBLE_RANGES):
    _TABLE.update({code: REPLACEMENT for code in range(_first, _last + 1)})

_KEEP_LINES = {**_TABLE, 0x0A: "\n", 0x09: " "}  # newlines kept, a tab a space
_ONE_LINE = {**_TABLE, 0x0A: " ", 0x09: " ", 0x0D: " "}  # a table cell or a one-line message


def _pattern(table: dict[int, str]) -> re.Pattern[str]:
    codes = sorted(code for code, shown in table.items() if shown != chr(code))
    ranges: list[str] = []
    start = previous = codes[0]
    for code in [*codes[1:], -1]:
        if code == previous + 1:
            previous = code
            continue
        ranges.append(f"\\U{start:08x}" + (f"-\\U{previous:08x}" if previous > start else ""))
        start = previous = code
    return re.compile(f"[{''.join(ranges)}]")


_NEEDS = {id(table): _pattern(table) for table in (_TABLE, _KEEP_LINES, _ONE_LINE)}


def neutral(value: object, *, keep_lines: bool = False, one_line: bool = False) -> str:
    """``value`` as text that cannot control a terminal (see the module's rule).

    ``keep_lines`` keeps newlines (a tab becomes a space) for multi-line text such as a
    finding's wording or a whole message; ``one_line`` turns newlines and tabs into
    spaces (a table cell). Otherwise every control character is shown as a picture.
    """
    text = "" if value is None else str(value)
    table = _ONE_LINE if one_line else _KEEP_LINES if keep_lines else _TABLE
    if _NEEDS[id(table)].search(text) is None:
        return text
    return text.translate(table)


def cell(value: object) -> str:
    """:func:`neutral` for one line of a table or message: newlines and tabs as spaces."""
    return neutral(value, one_line=True)
