"""The details on the front of an Ofsted report: council, framework, dates, inspector, grades.

Three generations of report are recognised by their own wording, never by council:
- ILACS (2018 on): "Inspection of X local authority children's services", a "Judgement /
  Grade" table; after the April 2026 changes there is no overall effectiveness judgement.
- SIF (2013-2018): "Inspection of services for children in need of help and protection,
  children looked after and care leavers", numbered judgements ("2.1 Adoption performance").
- Older inspections (to 2013): "Inspection of looked after children services", graded
  "Grade 3 (Adequate)" with a "Record of main findings".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from store.councils import match_council

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december",
        ),
        start=1,
    )
}  # fmt: skip
# Short forms too ("18 Feb 2014", "Sept"): a month is named by its first three letters.
_MONTH_WORDS = {**_MONTHS, **{n[:3]: m for n, m in _MONTHS.items()}, "sept": 9}
# Reports print the dash between the dates as any dash there is (a box-drawing line or the
# minus sign in some 2016-17 reports), so any one mark that is not part of a date or a
# sentence separates them.
_DASH = r"(?:to|until|till|and|[^\w\s/,.;:()])"
# Numeric dates, "12/09/2016 to 06/10/2016" or "1/06/2015 – 25/06/2015".
_NUMERIC_RANGE = re.compile(
    rf"(\d{{1,2}})/(\d{{1,2}})/(\d{{4}})\s*{_DASH}\s*(\d{{1,2}})/(\d{{1,2}})/(\d{{4}})"
)
_NUMERIC_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_RANGE = re.compile(
    rf"(\d{{1,2}})(?:\s+([A-Za-z]+))?(?:\s+(\d{{4}}))?\s*{_DASH}\s*(\d{{1,2}})\s+([A-Za-z]+)\s+(\d{{4}})"
)
_ONE_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")

# The grade words as the judgement tables print them (capitalised), longest first.
_TABLE_GRADE = re.compile(
    r"^(?P<area>.*?)\s*\b(?P<grade>Requires\s+improvement(?:\s+to(?:\s+be(?:\s+good)?)?)?|"
    r"Requires|Outstanding|Good|Inadequate|Adequate)(?:\s+\(?Grade\s+\d\)?)?\s*$"
)
# The rest of a grade wrapped onto the next line ("Requires improvement to" / "be good").
_GRADE_REST = re.compile(
    r"(?:(?:improvement\s+)?to\s+)?be\s+good|improvement(?:\s+to(?:\s+be\s+good)?)?", re.I
)
_GRADE_REST_AT_END = re.compile(r"\s+(?:(?:improvement\s+)?to\s+)?be\s+good$", re.I)
_FRONT_GRADE = r"(requires? improvement|outstanding|good|inadequate|adequate)"

ILACS_2026_FROM = date(2026, 4, 1)

_LONG_NAMES = re.compile(
    r"^(?:the\s+)?(?:(?:royal|london|metropolitan)\s+borough\s+of|city\s+of|county\s+of|"
    r"borough\s+of)\s+|"
    r"(?<=\w)\s+(?:(?:metropolitan|borough|county|city|district)\s+)*council$|"
    r"(?<=\w)\s+city$|,\s*city\s+of$",
    re.IGNORECASE,
)


@dataclass
class ReportDetails:
    """What the front of a report says about the inspection."""

    local_authority: str = ""  # the council's name on the official list (store.councils)
    council_code: str = ""  # its ONS code; "" when the report names no council on the list
    council_named: list[str] = field(default_factory=list)  # as the report names it
    framework: str = "other"
    kind: str = "inspection"
    title: str = ""
    start_date: date | None = None
    end_date: date | None = None
    published_date: date | None = None
    lead_inspector: str | None = None
    # (area, grade); grades are the store's four, or "adequate" (the scale used to 2013).
    judgements: list[tuple[str, str]] = field(default_factory=list)


def is_childrens_services_report(texts: list[str]) -> bool:
    """Whether the opening of the text reads like an Ofsted report on a council's
    children's services (rather than a school, a provider or something else entirely)."""
    head = " ".join(texts[:40]).lower()
    inspection = "inspection of" in head or "inspection date" in head
    children = any(
        phrase in head
        for phrase in (
            "children’s services",
            "children's services",
            "children’s social care",
            "children's social care",
            "looked after children",
            "children in need of help and protection",
        )
    ) or bool(re.search(r"children(?:[’']s| and families) (?:services )?trust\b", head))
    council = any(
        word in head for word in ("local authority", "council", "borough", "county", "trust")
    )
    return inspection and children and (council or "inspection date" in head)


def read_details(texts: list[str]) -> ReportDetails:
    """Read the details from the report's lines (furniture already removed)."""
    details = ReportDetails()
    head = texts[:60]
    joined = " ".join(head)
    details.framework = _framework(joined)
    details.start_date, details.end_date = _dates(head)
    details.council_named = _council_names(head)
    for name in details.council_named:
        council = match_council(name, details.start_date)
        if council is not None:
            details.local_authority, details.council_code = council.name, council.code
            break
    else:
        named = details.council_named[0] if details.council_named else ""
        details.local_authority = short_name(named)
    details.published_date = _published(head)
    details.lead_inspector = _lead_inspector(texts)
    judgements = _judgements(texts, details.framework)
    details.judgements = judgements
    if details.framework == "ILACS":
        dropped_overall = not any(a.lower().startswith("overall") for a, _ in judgements)
        if (details.start_date and details.start_date >= ILACS_2026_FROM) or (
            judgements and dropped_overall
        ):
            details.framework = "ILACS 2026"
    details.title = _title(details)
    return details


def _framework(head: str) -> str:
    low = " ".join(head.lower().split())
    if "children in need of help and protection, children looked after and care leavers" in low:
        return "SIF"
    low = low.replace("’", "'")
    if re.search(
        r"inspection of .{2,80} children's services|children's social care services"
        r"|inspection of .{2,80}? trust\b",
        low,
    ):
        return "ILACS" if "judgement grade" in low else "other"
    return "other"


_TITLE_WORDS = re.compile(r"(?:re-?)?inspection (?:of|judgement|date)", re.IGNORECASE)


def _council_names(head: list[str]) -> list[str]:
    """The ways the front of a report names its council, most telling first: the words of an
    ILACS title ("Inspection of Barnet local authority children's services"), a trust's name
    ("Inspection of Bradford Children and Families Trust"), and the council's own line(s)
    above or below the report's title (a SIF cover, or an ILACS title that only says "local
    authority")."""
    text = " ".join(head[:8]).replace("’", "'")
    names: list[str] = []
    match = re.search(r"Inspection of (.+?) (?:local authority )?children's services", text)
    if match and match.group(1).strip().lower() not in ("local authority", "the local authority"):
        names.append(match.group(1))
    trust = re.search(r"Inspection of (.{3,80}?\btrust)\b", text, re.IGNORECASE)
    if trust:
        names.append(trust.group(1))
    lines: list[str] = []
    for line in head[:10]:
        # A title may follow the council's name on the same line ("Coventry City Council
        # Re-inspection of services for children in need of help and").
        title = _TITLE_WORDS.search(line)
        before = line[: title.start()] if title else line
        low = line.lower()
        if re.fullmatch(r"\d+", line):
            continue
        if low.startswith(("inspection date", "report published", "reporting inspector")):
            break
        if title:
            if before.strip():
                lines.append(before.strip())
            if lines:
                break
            continue
        if lines and low.startswith(("services", "protection", "and", "review", "board")):
            break
        if low != "services":  # the end of a two-line report title
            lines.append(line)
    if lines:
        names.append(" ".join(lines))
        names.extend(lines)
    return names


def short_name(name: str) -> str:
    """The council's everyday name: 'Metropolitan Borough of Barnsley Council' -> 'Barnsley'."""
    name = " ".join(name.replace("’", "'").split()).strip(" ,")
    previous = None
    while previous != name:
        previous = name
        name = _LONG_NAMES.sub("", name).strip(" ,")
    return name


def _month(name: str | None) -> int | None:
    return _MONTH_WORDS.get((name or "").lower().rstrip("."))


def _dates(head: list[str]) -> tuple[date | None, date | None]:
    for index, line in enumerate(head):
        if not re.match(r"inspection dates?\b", line, re.IGNORECASE):
            continue
        if re.fullmatch(r"inspection dates?:?", line, re.IGNORECASE):
            # A cover laid out in columns puts the dates on a later line.
            line = next(
                (
                    text
                    for text in head[index + 1 : index + 5]
                    if _ONE_DATE.search(text) or _NUMERIC_DATE.search(text)
                ),
                "",
            )
        # "Monday 7 January to Friday 18 January", "1st to 12th July": the dates alone.
        line = re.sub(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b,?", "", line, flags=re.I)
        line = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", line)
        numeric = _NUMERIC_RANGE.search(line)
        if numeric:
            n = [int(part) for part in numeric.groups()]
            return _day(n[2], n[1], n[0]), _day(n[5], n[4], n[3])
        match = _RANGE.search(line)
        if match:
            d1, m1, y1, d2, m2, y2 = match.groups()
            end_month, end_year = _month(m2), int(y2)
            if end_month is None:
                return None, None
            start_month = _month(m1) or end_month
            start_year = int(y1) if y1 else end_year
            if start_month > end_month and not y1:
                start_year -= 1
            return _day(start_year, start_month, d1), _day(end_year, end_month, d2)
        days = [
            _day(found.group(3), _month(found.group(2)), found.group(1))
            for found in _ONE_DATE.finditer(line)
            if _month(found.group(2))
        ]
        if days:
            # One day, or the first and last of dates joined some other way.
            return days[0], days[-1]
        one_numeric = _NUMERIC_DATE.search(line)
        if one_numeric:
            d, m, y = (int(part) for part in one_numeric.groups())
            return _day(y, m, d), _day(y, m, d)
    return None, None


def _day(year: object, month: int | None, day: object) -> date | None:
    """A date from its parts, or None if they do not make one (a misprinted 31 June)."""
    try:
        return date(int(str(year)), month or 0, int(str(day)))
    except ValueError:
        return None


def _published(head: list[str]) -> date | None:
    for index, line in enumerate(head):
        match = re.match(r"(?:report )?published:?\s*(.*)", line, re.IGNORECASE)
        if match:
            # The date may sit on a later line when the cover is laid out in columns.
            after = " ".join([match.group(1), *head[index + 1 : index + 4]])
            found = _ONE_DATE.search(after)
            if found and _month(found.group(2)):
                return _day(found.group(3), _month(found.group(2)), found.group(1))
            numeric = _NUMERIC_DATE.search(after)
            if numeric:
                d, m, y = (int(part) for part in numeric.groups())
                return _day(y, m, d)
    return None


def _lead_inspector(texts: list[str]) -> str | None:
    for line in texts:
        # "Lead inspector: Jo Bloggs" or "Lead inspector Jo Bloggs HMI"; never a sentence
        # that happens to start with the words ("lead inspector attended by ...").
        match = re.match(r"(?i:lead|reporting) (?i:inspectors?)(?::\s*|\s+(?=[A-Z]))(.+)", line)
        if match:
            name = match.group(1)
            name = re.split(r",|;|\s+and\s+|\s+HMI\b|\s+(?:His|Her) Majesty", name)[0]
            name = name.strip(" .")
            if name:
                return name
    return None


def _grade(word: str) -> str:
    word = " ".join(word.lower().split())
    if word.startswith("requir"):
        return "requires improvement"
    return word


def _judgements(texts: list[str], framework: str) -> list[tuple[str, str]]:
    if framework == "SIF":
        return _sif_judgements(texts)
    for index, line in enumerate(texts):
        rows: list[tuple[str, str]] = []
        if index + 1 < len(texts) and re.fullmatch(r"\d{1,3}", texts[index + 1]):
            continue  # a contents entry, its page number on the next line (a text copy)
        if line == "Judgement" and index + 1 < len(texts) and texts[index + 1] == "Grade":
            rows = _table(texts[index + 2 : index + 40])
        elif (re.fullmatch(r"Judgement\s+Grade", line) and index < 80) or (
            line == "Record of main findings"
        ):
            rows = _table(texts[index + 1 : index + 40])
        if rows:  # else the heading's entry in the contents: the table is further on
            return rows
    return []


def _table(lines: list[str]) -> list[tuple[str, str]]:
    """Rows of a judgement table: area text, then its grade at a line end."""
    found: list[tuple[str, str]] = []
    area: list[str] = []
    # A grade alone on its line before its area's (a copy laid out in columns centres the
    # grade beside an area that wraps: "   Requires improvement" / "Overall effectiveness").
    ahead: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if _GRADE_REST.fullmatch(line):
            continue
        following = lines[index] if index < len(lines) else ""
        if ahead is not None and not area and not _TABLE_GRADE.match(line):
            if len(line) > 100 or line.endswith((".", ",")):
                break  # no area came for it: the table is over
            if not _TABLE_GRADE.match(following) or _GRADE_REST.fullmatch(following):
                found.append((_area(line), ahead))
                ahead = None
                continue
            ahead = None
        if found and not area and line[:1].islower():
            # The rest of the area above, wrapped under it beside its grade in a copy laid
            # out in columns ("The experiences and progress of   Good" / "care leavers"),
            # with the rest of a wrapped grade after it ("and families   to be good").
            rest = _GRADE_REST_AT_END.sub("", line)
            above, grade = found[-1]
            found[-1] = (_area(f"{above} {rest}"), grade)
            continue
        match = _TABLE_GRADE.match(line)
        # "Requires" at a line's end is a grade only when the rest of it follows.
        if (
            match
            and match.group("grade") == "Requires"
            and not re.match(r"improvement\b", following, re.IGNORECASE)
        ):
            match = None
        if match:
            words = " ".join([*area, match.group("area")]).strip()
            if words:
                found.append((_area(words), _grade(match.group("grade"))))
            elif found:
                ahead = _grade(match.group("grade"))
            area = []
            continue
        # A sentence ends the table, unless it is an area whose grade is on the next line
        # ("The impact of leaders on social work practice with children and families.").
        if (line.endswith(".") and not _TABLE_GRADE.fullmatch(following)) or len(
            " ".join([*area, line])
        ) > 160:
            break
        if line in ("Services for looked after children",):
            continue
        area.append(line)
    return found


def _area(words: str) -> str:
    return " ".join(words.split()).strip(" :.")


def _sif_judgements(texts: list[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    block: list[str] = []
    overall: str | None = None
    for index, line in enumerate(texts[:60]):
        low = line.lower()
        if low.startswith(("contents", "executive summary", "section 1")):
            break
        if overall is None:
            match = re.search(
                r"(?:overall judgement is|overall effectiveness(?:\s*:|\s+is)?"
                r"|children[’']s services in [^.]{1,80}?)\s+"
                rf"(?:that children[’']s services\s+)?(?:are\s+|is\s+)?{_FRONT_GRADE}",
                " ".join(texts[index : index + 3]),
                re.IGNORECASE,
            )
            if match:
                overall = _grade(match.group(1))
        block.append(line)
    found.extend(_numbered_grades(" ".join(block)))
    if overall:
        found.insert(0, ("Overall effectiveness", overall))
    board = _board_judgement(texts)
    if board:
        found.append(board)
    return found


# A SIF cover's judgements, word by word: an area's number, the pieces of a grade, the
# end of a sentence, and the words between.
_SIF_TOKEN = re.compile(
    r"(?P<area>(?:^|(?<=\s))\d\.\d?\s+(?=[A-Z]))"
    r"|(?P<requires>\b(?i:requires?)\b)|(?P<improvement>\b(?i:improvement)\b)"
    r"|(?P<be>\b(?i:to|be)\b)|(?P<grade>\b(?i:outstanding|good|inadequate)\b)"
    r"|(?P<stop>[.!?](?=\s|$))|(?P<word>\S+)"
)


def _numbered_grades(text: str) -> list[tuple[str, str]]:
    """The numbered judgements of a SIF cover ("2.1 Adoption performance Good"): each area
    takes the first grade completed after it that no earlier area took.

    A text copy of the two-column table may put the pieces of a grade around its area
    ("Requires" / "1. Help and protection improvement to be" / "good"), or all the areas
    before all their grades: the grades are still completed in the areas' order. Where
    that order cannot be trusted (a grade completed with no area waiting for it, and then
    another area) no numbered judgement is given rather than wrong ones; an area whose
    grade does not come before a sentence does is left out."""
    found: list[tuple[str, str]] = []
    waiting: list[list[str]] = []  # the words of each area waiting for its grade
    words: list[str] | None = None  # the area being named
    # Words after a grade, before the next area: the end of the area just graded when they
    # go on in lower case ("2. Children looked after and achieving  Good" / "permanence").
    tail: list[str] | None = None
    seen_area = orphan = improvement = to_be = False
    for token in _SIF_TOKEN.finditer(text):
        kind, value = token.lastgroup, token.group(0)
        grade = None
        if kind == "area":
            if orphan:
                return []  # a grade came before this area: which is whose is not certain
            if tail and tail[0][:1].islower() and found:
                found[-1] = (_area(f"{found[-1][0]} {' '.join(tail)}"), found[-1][1])
            tail = None
            words = []
            waiting.append(words)
            seen_area, improvement, to_be = True, False, False
            continue
        if kind == "stop":
            waiting.clear()  # a sentence: the table is over
            words = tail = None
            continue
        if kind == "word" or (kind == "be" and not improvement):  # ("Capacity to improve")
            if re.fullmatch(r"\d{1,3}", value):
                continue  # a page number printed between an area and its grade
            if words is not None:
                words.append(value)
            elif tail is not None:
                tail.append(value)
            continue
        words = None  # the area's name ends where its grade begins
        if kind == "improvement":
            grade, improvement = "requires improvement", True
        elif kind == "be" and improvement:
            to_be = True
        elif kind == "grade" and to_be and value.lower() == "good":
            to_be = improvement = False  # "... to be good": the end of the grade before
        elif kind == "grade":
            grade = _grade(value)
        if grade is None:
            continue
        if waiting:
            found.append((_area(" ".join(waiting.pop(0))), grade))
            tail = [] if not waiting else None
        elif seen_area:
            orphan = True  # no area waits for it (harmless after the table's last)
    return found


def _board_judgement(texts: list[str]) -> tuple[str, str] | None:
    """The safeguarding board's judgement, worded as the report first states it."""
    for index, line in enumerate(texts):
        if "local safeguarding children board" not in line.lower():
            continue
        match = re.match(
            r"(The (?:effectiveness of the )?Local Safeguarding Children Board(?: \(LSCB\))?)"
            rf"\s+(?:is\s+)?{_FRONT_GRADE}\b",
            " ".join(texts[index : index + 2]),
            re.IGNORECASE,
        )
        if match:
            return _area(match.group(1)), _grade(match.group(2))
    return None


def _title(details: ReportDetails) -> str:
    name = details.local_authority or "Unknown council"
    when = details.start_date.strftime("%B %Y") if details.start_date else ""
    framework = {"SIF": "SIF inspection", "ILACS": "ILACS inspection"}.get(
        details.framework,
        "ILACS inspection (2026 framework)" if details.framework == "ILACS 2026" else "Inspection",
    )
    return " ".join(part for part in (name, framework, when) if part)
