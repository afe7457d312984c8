"""What a plan's cells mean: UK deadlines, BRAG words and colours, finding refs, evidence lines.

Each reader returns the value and, when the cell cannot be read, a reason written for the
person who typed it (it becomes a problem row in the dry run).
"""

from __future__ import annotations

import colorsys
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from store.dates import format_date, parse_date
from store.errors import ValidationError
from store.importers.plan_columns import norm
from store.titles import short_title
from store.vocab import BRAG_WORDS

TITLE_LIMIT = 300
SHORT_TITLE = 160

_BRAG_WORDS = BRAG_WORDS
_BRAG_RANK = {"blue": 0, "green": 1, "amber": 2, "red": 3}
# Words that turn a status into another, unsaid: "Not complete", "Partially complete".
_QUALIFIERS = {"not", "no", "partially", "partly", "part", "nearly", "almost", "never", "un"}
# A BRAG cell saying there is none yet ("N/A" is not the "A" of Amber).
_NO_BRAG = {"n a", "na", "not applicable", "not rated", "not yet rated"}
_BRAG_SYMBOLS = {
    "\U0001f7e2": "green", "\U0001f7e9": "green", "\U0001f49a": "green",  # circle, square, heart
    "\U0001f7e1": "amber", "\U0001f7e8": "amber", "\U0001f7e0": "amber", "\U0001f7e7": "amber",
    "\U0001f49b": "amber", "\U0001f9e1": "amber",
    "\U0001f534": "red", "\U0001f7e5": "red", "\u2764": "red",
    "\U0001f535": "blue", "\U0001f7e6": "blue", "\U0001f499": "blue", "\u2705": "blue",
}  # fmt: skip
# Words in a due-date cell that mean "no fixed deadline" rather than a mistake.
_NO_DATE = {"ongoing", "on going", "n a", "na", "tbc", "tba", "tbd", "none", "", "continuous"}
_MONTH_DASH = re.compile(r"^([a-z]{3,9})[-' ](\d{2}|\d{4})$")
# Excel's own date display, as a CSV saved from it keeps it: "31-Mar-26", "31-Mar-2026".
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[- ]([a-z]{3,9})\.?[- ](\d{2}|\d{4})$")
_SEASON = re.compile(
    r"^(?:(?:by|end of|the end of|late|in)\s+)?(spring|summer|autumn|fall|winter)\s+'?(\d{4}|\d{2})"
    r"(?:\s*[/-]\s*'?(?:\d{2}|\d{4}))?$"
)
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}
_QUARTER = re.compile(r"^q([1-4])\s*(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?$")
# "Q3 25/26", "Q4 FY25/26", "Q1 fy 2026/27": a quarter of a financial year, the year in two
# digits (read only with the next year after it: "Q3 25/27" is no year).
_FY_QUARTER = re.compile(r"^q([1-4])\s*(?:fy\s*)?(\d{2}|\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_DATE_IN_TEXT = re.compile(
    r"\b(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?\s+\d{4}"
    r"|(?:end\s+(?:of\s+)?)?[a-z]{3,9}\.?\s+\d{4})\b"
)
_NOTE_DATE = re.compile(
    r"^\s*(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{2,4}"
    r"|\d{1,2}-[A-Za-z]{3,9}-\d{2,4}"
    r"|[A-Za-z]{3,9}\.?\s+\d{2,4})(?:\s+update)?\s*[:\-\u2013]",  # "Jan 26 update: ..."
    re.IGNORECASE,
)
BULLETS = "\u2022\u25aa\u25fc\u25a0\u2013\u2014-*\uf06e\u00b7"


class Fill(str):
    """A BRAG given only as the colour of the cell."""


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def one_line(value: object, joiner: str = " ") -> str:
    return joiner.join(line.strip() for line in cell_text(value).splitlines() if line.strip())


def split_title(text: str) -> tuple[str, str]:
    """A one-line title for a long action cell; the full text then becomes the description."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return "", ""
    whole = " ".join(lines)
    bulleted = any(line[0] in BULLETS for line in lines[1:])
    if len(whole) <= SHORT_TITLE and not bulleted:
        return whole, ""  # a short action wrapped over lines by hand
    first = lines[0].lstrip(BULLETS + " ")
    if len(first) > SHORT_TITLE:
        first = short_title(first, SHORT_TITLE)  # one rule with a report's findings
    return first.rstrip(" :;,"), "\n".join(lines)


def cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "\u2026"


@dataclass(frozen=True)
class Deadline:
    """A Due cell as read: the date (or none), and what the dry run says about it.

    ``error``: the cell cannot be read (the row is refused). ``warning``: no date was given
    in words ("TBC", "Ongoing", "n/a"), so the action gets none. ``note``: how a deadline
    that is not a plain date was read ("'Spring 2018' read as 31 May 2018").
    """

    due: date | None = None
    error: str = ""
    warning: str = ""
    note: str = ""


def read_deadline(value: object) -> Deadline:
    """A deadline as plans write it: dates, months, quarters, seasons, "w/c 12 March"."""
    if isinstance(value, date):
        return Deadline(parse_date(value))
    if isinstance(value, (int, float)):
        return Deadline(
            error=f"due '{cell_text(value)}' is a number, not a date{serial_hint(value)}"
        )
    text = " ".join(cell_text(value).split())
    low = norm(text)
    if not low:
        return Deadline()
    if low in _NO_DATE or low.startswith(("ongoing", "on going")):
        return Deadline(warning=f"due '{cut(text, 40)}' gives no date, so the action has none")
    for attempt in _date_spellings(text):
        try:
            due = parse_date(attempt, "due")
        except ValidationError:
            continue
        plain = attempt == " ".join(text.lower().replace(",", " ").split()) and (
            re.match(r"^[\d/.\-]+$", text) is not None
        )
        return Deadline(due, note="" if plain else f"'{cut(text, 40)}' read as {format_date(due)}")
    # "31/12/2017 revised to 31/03/2018": the last date given is the deadline now.
    inside = _DATE_IN_TEXT.findall(text.lower())
    for candidate in reversed(inside):
        for attempt in _date_spellings(candidate):
            try:
                due = parse_date(attempt, "due")
            except ValidationError:
                continue
            return Deadline(due, note=f"'{cut(text, 40)}' read as {format_date(due)}")
    if hint := serial_hint(text):
        return Deadline(error=f"due '{cut(text, 40)}' is a number, not a date{hint}")
    return Deadline(
        error=f"due '{cut(text, 40)}' is not a date "
        "(write 31/01/2018, Jan 2018, end of March 2018 or Spring 2018)"
    )


def read_date(value: object, label: str) -> date | None:
    """A plain date as plans write it ("31/03/2026", "31-Mar-26", "31 March 2026");
    raises ValidationError (naming ``label``) for anything else."""
    if isinstance(value, date) or not isinstance(value, str):
        return parse_date(value, label)
    spellings = _date_spellings(" ".join(value.split()))
    for attempt in spellings[1:]:
        if re.match(r"^\d", attempt):  # only day-month-year spellings, not "Mar 26"
            try:
                return parse_date(attempt, label)
            except ValidationError:
                continue
    return parse_date(value, label)


def serial_hint(value: object) -> str:
    """For a number that Excel would show as a date ("46112" is 31/03/2026 stored as a
    number): what it would be, and how to make it one. Not read as that date: it may be
    a count or a typing slip."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return ""
    if not isinstance(value, (int, float)) or not 20_000 <= value <= 80_000:
        return ""
    shown = date(1899, 12, 30) + timedelta(days=int(value))
    return (
        f" (Excel shows {shown:%d/%m/%Y} this way when the cell is not formatted as a date: "
        "format it as a date, or type the date)"
    )


def read_due(value: object) -> tuple[date | None, str]:
    """A deadline's date and, when the cell cannot be read, why (see :func:`read_deadline`)."""
    deadline = read_deadline(value)
    return deadline.due, deadline.error


def _date_spellings(text: str) -> list[str]:
    low = " ".join(text.lower().replace(",", " ").split())
    out = [low]
    if match := _MONTH_DASH.match(low):  # "Mar-18", "Mar '18"
        out.append(f"{match.group(1)} {match.group(2)}")
    if match := _DAY_MONTH_YEAR.match(low):  # "31-Mar-26"
        day, month, year = match.groups()
        out.append(f"{day} {month} {'20' + year if len(year) == 2 else year}")
    if match := _QUARTER.match(low):  # "Q4 2017/18" (financial year) or "Q1 2018"
        quarter, year = int(match.group(1)), int(match.group(2))
        if match.group(3):  # financial year: Q1 is April to June
            month = 3 * quarter + 3
            if month > 12:
                month, year = month - 12, year + 1
        else:
            month = 3 * quarter
        out.append(f"end of {date(2000, month, 1):%B} {year}")
    if (match := _FY_QUARTER.match(low)) and not _QUARTER.match(low):
        first, second = (int(g) % 100 for g in match.group(2, 3))
        if second == (first + 1) % 100:
            out += _date_spellings(f"q{match.group(1)} {2000 + first}/{second:02d}")
    if match := _SEASON.match(low):  # "Spring 2018", "Winter 2018/19": the season's end
        month, year = _SEASON_END[match.group(1)], int(match.group(2))
        year += 2000 if year < 100 else 0
        if month == 2:  # winter runs into the next year: its end is in February
            year += 1
        out.append(f"end of {date(2000, month, 1):%B} {year}")
    if low.startswith("by "):
        out += _date_spellings(low[3:])[:3]
    return out


def read_brag(value: object) -> tuple[str | None, str]:
    """Blue, green, amber or red from a word, letter, colour fill or pair ("Amber/Green")."""
    if isinstance(value, Fill):
        colour = _colour_brag(str(value))
        if colour:
            return colour, ""
        return None, ""
    raw = " ".join(cell_text(value).split())
    if raw and all(ch in _BRAG_SYMBOLS or ch in " /,-\ufe0f" for ch in raw):
        # "🟢", "🔴/🟠": a list in SharePoint or Teams shows its status as a coloured mark.
        marks = [_BRAG_SYMBOLS[ch] for ch in raw if ch in _BRAG_SYMBOLS]
        if marks:
            return max(marks, key=_BRAG_RANK.__getitem__), ""
    text = norm(raw)
    if not text and any(unicodedata.category(ch) == "So" for ch in raw):
        # "\u26ab", "\u2b50": a mark of some status, but not one we know ("-" is blank).
        return None, f"BRAG '{cut(raw, 30)}' is not Blue, Green, Amber or Red"
    if not text or text in _NO_BRAG:
        return None, ""
    if text in _BRAG_WORDS:
        return _BRAG_WORDS[text], ""
    # "Amber/Green", "A/G", "Green - on track": a pair takes the worse; a word and a note the word.
    words = [w for w in re.split(r"[\s/]+", text) if w]
    if words[0] in _QUALIFIERS:
        # "Not complete", "Partially complete", "Not green": not that status, and which one
        # it is the lead must say ("Not on track", "Partially met"... are known).
        for phrase, brag in _BRAG_WORDS.items():
            if text.startswith(phrase + " "):  # "Not on track - see note"
                return brag, ""
        shown = cut(raw, 30)
        return None, (
            f"BRAG '{shown}' says what the action is not, or only partly: write Blue, Green, "
            "Amber or Red"
        )
    # A lone letter counts only in a short cell ("A/G"), not as the "a" of a sentence.
    colours = [
        _BRAG_WORDS[w] for w in words[:2] if w in _BRAG_WORDS and (len(w) > 1 or len(words) <= 2)
    ]
    if colours:
        return max(colours, key=_BRAG_RANK.__getitem__), ""
    for phrase, brag in _BRAG_WORDS.items():
        if len(phrase) > 2 and text.startswith(phrase + " "):
            return brag, ""
    shown = cut(" ".join(cell_text(value).split()), 30)
    return None, f"BRAG '{shown}' is not Blue, Green, Amber or Red (or complete, on track...)"


def _colour_brag(rgb: str) -> str | None:
    """The status a fill colour shows, by its hue, so that a palette's pale "Green, lighter
    40%" or "Red, lighter 60%" reads as well as pure green and red. Grey, white, black,
    purple and pink show none."""
    try:
        red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    hue, light, _ = colorsys.rgb_to_hls(red, green, blue)
    if max(red, green, blue) - min(red, green, blue) < 0.15 or not 0.1 < light < 0.95:
        return None  # grey, white or black: no status
    degrees = hue * 360
    if degrees < 15 or degrees >= 340:
        return "red"
    if degrees < 65:
        return "amber"  # orange to yellow
    if degrees < 170:
        return "green"
    if degrees < 260:
        return "blue"
    return None


def note_date(line: str) -> date | None:
    """The date a line of a progress note starts with ("12/01/18 - ...", "Dec 17: ...",
    "Jan 18 update: ...", after any bullet), or ``None``.

    A month alone means its first day here: a note headed "Jan 18" was written during
    January, perhaps before today, and must not be dated after it.
    """
    # "\u2022 14 Feb 2026 - first panel": a bulleted note is dated as well.
    match = _NOTE_DATE.match(line.lstrip(BULLETS + " "))
    if not match:
        return None
    written = match.group(1)
    if not re.match(r"^\d", written.strip()):
        written = f"start of {written}"
    for attempt in _date_spellings(written):
        try:
            return parse_date(attempt)
        except ValidationError:
            continue
    return None


def latest_note_date(note: str) -> date | None:
    """The latest date a line of a progress note starts with (see :func:`note_date`)."""
    return max(filter(None, map(note_date, note.splitlines())), default=None)


def split_notes(text: str) -> list[tuple[str, date | None]]:
    """A progress cell as the dated notes it holds, in the cell's order: each line that
    starts with a date (:func:`note_date`) begins a note, and the lines under it carry it
    on. Lines above the first dated one are a note of their own, dated ``None``."""
    notes: list[tuple[list[str], date | None]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        when = note_date(line)
        if when is not None or not notes:
            notes.append(([], when))
        notes[-1][0].append(line.strip())
    return [("\n".join(lines), when) for lines, when in notes]


def evidence_items(value: object) -> tuple[str, ...]:
    """Each item of an Evidence cell, one a line (or ``;``). A title followed on the next
    line by its link or path is one item, kept as "title\nlocation" (see
    :func:`evidence_parts`)."""
    from store.importers.evidence_folder import location_in

    text = cell_text(value)
    items: list[str] = []
    for line in re.split(r"\n|;", text):
        line = line.strip().lstrip(BULLETS + " ").strip()
        if not line or norm(line) in ("n a", "na", "none", "tbc", "see above"):
            continue
        before = items[-1] if items else ""
        if location_in(line) and before and "\n" not in before and not location_in(before):
            items[-1] = f"{before}\n{location_in(line)}"
            continue
        items.append(line)
    return tuple(dict.fromkeys(items))


def evidence_parts(item: str) -> tuple[str, str]:
    """An evidence item's text and its location: ("MASH audit", "https://...") for a title
    with its link on the next line, else the text and any location it is."""
    from store.importers.evidence_folder import location_in

    text, _, location = item.partition("\n")
    return text, location or location_in(text)
