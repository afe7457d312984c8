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
_DASH = r"(?:to|[^\w\s/,.;:()])"
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
        single = _ONE_DATE.search(line)
        if single and _month(single.group(2)):
            day = _day(single.group(3), _month(single.group(2)), single.group(1))
            return day, day
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
        if line == "Judgement" and index + 1 < len(texts) and texts[index + 1] == "Grade":
            return _table(texts[index + 2 : index + 40])
        if (re.fullmatch(r"Judgement\s+Grade", line) and index < 80) or (
            line == "Record of main findings"
        ):
            return _table(texts[index + 1 : index + 40])
    return []


def _table(lines: list[str]) -> list[tuple[str, str]]:
    """Rows of a judgement table: area text, then its grade at a line end."""
    found: list[tuple[str, str]] = []
    area: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if _GRADE_REST.fullmatch(line):
            continue
        match = _TABLE_GRADE.match(line)
        following = lines[index] if index < len(lines) else ""
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
                r"(?:overall judgement is|children[’']s services in [^.]{1,80}?)\s+"
                rf"(?:that children[’']s services\s+)?(?:are\s+|is\s+)?{_FRONT_GRADE}",
                " ".join(texts[index : index + 3]),
                re.IGNORECASE,
            )
            if match:
                overall = _grade(match.group(1))
        block.append(line)
    text = " ".join(block)
    for _number, area, grade in re.findall(
        r"(?:^|\s)(\d\.\d?)\s+([A-Z][^.]*?)\s+"
        r"((?i:requires\s+improvement|outstanding|good|inadequate))\b",
        text,
    ):
        found.append((_area(area), _grade(grade)))
    if overall:
        found.insert(0, ("Overall effectiveness", overall))
    board = _board_judgement(texts)
    if board:
        found.append(board)
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
