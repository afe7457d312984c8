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
_DASH = r"(?:to|–|—|-|‒)"
_RANGE = re.compile(
    rf"(\d{{1,2}})(?:\s+([A-Za-z]+))?(?:\s+(\d{{4}}))?\s*{_DASH}\s*(\d{{1,2}})\s+([A-Za-z]+)\s+(\d{{4}})"
)
_ONE_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")

# The grade words as the judgement tables print them (capitalised), longest first.
_TABLE_GRADE = re.compile(
    r"^(?P<area>.*?)\s*\b(?P<grade>Requires\s+improvement(?:\s+to\s+be\s+good)?|Requires|"
    r"Outstanding|Good|Inadequate|Adequate)(?:\s+\(?Grade\s+\d\)?)?\s*$"
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

    local_authority: str = ""
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
    )
    council = any(word in head for word in ("local authority", "council", "borough", "county"))
    return inspection and children and (council or "inspection date" in head)


def read_details(texts: list[str]) -> ReportDetails:
    """Read the details from the report's lines (furniture already removed)."""
    details = ReportDetails()
    head = texts[:60]
    joined = " ".join(head)
    details.framework = _framework(joined)
    details.local_authority = _local_authority(head, details.framework)
    details.start_date, details.end_date = _dates(head)
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
    if re.search(r"inspection of .{2,80} children's services|children's social care services", low):
        return "ILACS" if "judgement grade" in low else "other"
    return "other"


def _local_authority(head: list[str], framework: str) -> str:
    text = " ".join(head[:8])
    match = re.search(r"Inspection of (.+?) (?:local authority )?children[’']s services", text)
    if match and framework.startswith("ILACS"):
        return short_name(match.group(1))
    # Otherwise the council is named on its own line(s) above or below the report title.
    names: list[str] = []
    for line in head[:10]:
        low = line.lower()
        if re.fullmatch(r"\d+", line):
            continue
        if low.startswith(("inspection date", "report published", "reporting inspector")):
            break
        if low.startswith(("inspection of", "inspection judgement")) or (
            names and (low.startswith(("services", "protection", "and", "review", "board")))
        ):
            if names:
                break
            continue
        if low != "services":  # the end of a two-line report title
            names.append(line)
    return short_name(" ".join(names)) if names else ""


def short_name(name: str) -> str:
    """The council's everyday name: 'Metropolitan Borough of Barnsley Council' -> 'Barnsley'."""
    name = " ".join(name.replace("’", "'").split()).strip(" ,")
    previous = None
    while previous != name:
        previous = name
        name = _LONG_NAMES.sub("", name).strip(" ,")
    return name


def _month(name: str | None) -> int | None:
    return _MONTHS.get((name or "").lower())


def _dates(head: list[str]) -> tuple[date | None, date | None]:
    for index, line in enumerate(head):
        if not re.match(r"inspection dates?\b", line, re.IGNORECASE):
            continue
        if re.fullmatch(r"inspection dates?:?", line, re.IGNORECASE):
            # A cover laid out in columns puts the dates on a later line.
            line = next(
                (text for text in head[index + 1 : index + 5] if _ONE_DATE.search(text)), ""
            )
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
            found = _ONE_DATE.search(" ".join([match.group(1), *head[index + 1 : index + 4]]))
            if found and _month(found.group(2)):
                return _day(found.group(3), _month(found.group(2)), found.group(1))
    return None


def _lead_inspector(texts: list[str]) -> str | None:
    for line in texts:
        match = re.match(r"(?:lead|reporting) inspector:?\s+(.+)", line, re.IGNORECASE)
        if match:
            name = match.group(1)
            name = re.split(r",|\s+HMI\b|\s+(?:His|Her) Majesty", name)[0]
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
        if re.fullmatch(r"(?:improvement\s+)?to be good|improvement(?: to be good)?", line):
            continue
        match = _TABLE_GRADE.match(line)
        if match and match.group("grade") == "Requires":
            match = None
        if match:
            words = " ".join([*area, match.group("area")]).strip()
            if words:
                found.append((_area(words), _grade(match.group("grade"))))
            area = []
            continue
        if line.endswith(".") or len(" ".join([*area, line])) > 160:
            break
        if line in ("Services for looked after children",):
            continue
        area.append(line)
    return found


def _area(words: str) -> str:
    return " ".join(words.split()).strip(" :")


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
        r"(?:^|\s)(\d\.\d?)\s+([A-Z][^.]*?)\s+(Requires\s+improvement|Outstanding|Good|Inadequate)\b",
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
