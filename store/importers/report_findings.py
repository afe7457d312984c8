"""The findings in an Ofsted report's text: the council's list of what must improve, the
safeguarding board's list when the report has one, and the body paragraphs marked
"(Recommendation)" or "(Area for improvement)".

The lists are found by their headings ("What needs to improve?", "Recommendations",
"Areas for improvement", "Priority and immediate action"); an item opens with a bullet or a
paragraph number and runs, across line and page breaks, until the next item, a sub-heading
inside the list ("Within three months:") or the heading that closes the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.importers.report_text import BULLETS, SUB_BULLETS

_BULLET = re.compile(rf"^[{re.escape(BULLETS)}]\s*(.*)$")
_SUB_BULLET = re.compile(rf"^[{re.escape(SUB_BULLETS)}]\s+(.*)$")
# "10. Ensure ...", and "10.Ensure ..." with the space lost (never "2.1 Adoption").
_NUMBER = re.compile(r"^(\d{1,3})\.(?:\s+(?=\S)|(?=[A-Z‘'“\"(]))(.*\S)\s*$")

# "What needs to improve?", and "... to improve in this local authority?" (with a footnote
# mark after it in 2025-26 reports).
_WHAT_NEEDS = re.compile(
    r"^What needs to improve(?:\s+in\s+[^?.]{3,60})?\s*\??\s*:?\s*\d?$", re.IGNORECASE
)
_LIST_HEADS = {
    "recommendations": "recommendation",
    "areas for improvement": "improvement area",
    "priority and immediate action": "priority action",
    "priority action": "priority action",
}
_LIST_HEAD = re.compile(
    r"^(recommendations|areas for improvement|priority and immediate action|priority action)"
    r"\s*:?$",
    re.IGNORECASE,
)
_BOARD_HEAD = re.compile(
    r"^(?:Section \d+:\s+The effectiveness of the Local Safeguarding"
    r"|The Local Safeguarding Children Board(?: \(LSCB\))?$"
    r"|What does the LSCB need to improve\??$"
    r"|Inspection of the effectiveness of the local safeguarding)",
    re.IGNORECASE,
)
# Headings that always close a list (the report moves on to something else).
_CLOSERS = re.compile(
    r"^(?:The local authority has the following strengths|The local authority[’']s strengths"
    r"|The LSCB[’']s strengths|Key strengths|Summary for children|Information about"
    r"|Inspection judgements? about|Inspection findings|What the (?:LSCB )?inspection judgements"
    r"|(?:The )?experiences and progress of|(?:The )?impact of leaders|Progress since"
    r"|Summary of (?:key )?findings|Executive summary|Contents\b"
    # "Section 1: The effectiveness of ..." (never a wrapped line: "Section 20 arrangement is")
    r"|Section \d{1,2}\s*(?::|$|[-–]|\s+(?=(?-i:[A-Z])))"
    r"|The Local Safeguarding Children Board|What does the|Record of main findings"
    r"|Inspection judgement|The graded judgement|About this inspection|Service information"
    r"|Inspection of )",  # (the title of a report bound in after this one)
    re.IGNORECASE,
)
# Headings that close a list unless an item follows them (then they are a sub-heading
# inside the list, as "Leadership, management and governance" is in some SIF reports).
_SOFT_CLOSERS = re.compile(
    r"^(?:Leadership, management and|Overall effectiveness|Outcomes for|Quality of provision"
    r"|Capacity to improve)",
    re.IGNORECASE,
)
_INTRO = re.compile(r"should take the following action|the following actions?[.:]?$", re.I)
# How an item ends: a full stop, or the national framework reference that 2025-26 reports add.
_ITEM_END = re.compile(r"(?:\.|\((?:outcome|principle|enabler)[^)]*\)|framework\))$", re.IGNORECASE)
# The mark ends the paragraph, before its full stop in some reports ("... in time
# (Recommendation).") and after it in most.
_MARK = re.compile(r"\s*\((Recommendation|Area for improvement)\)\s*(\.?)\s*$", re.IGNORECASE)

_SECTION_ENDINGS = (
    "help and protection",
    "achieving permanence",
    "care leavers",
    "children in care",
    "children and families",
)
_GRADE_TAIL = re.compile(
    r"\s*:?\s*(?:requires improvement(?: to be good)?|good|outstanding|inadequate)?\s*\.?$",
    re.IGNORECASE,
)


@dataclass
class RawFinding:
    """A finding as found in the text, before it gets a ref, title and theme."""

    kind: str
    text: str
    group: str  # "council", "board" or "paragraph"
    judgement_area: str = ""
    number: int | None = None


def find_findings(lines: list[str]) -> list[RawFinding]:
    """Every finding in the report, in the order a reader meets them."""
    found: list[RawFinding] = []
    found.extend(_lists(lines))
    found.extend(_marked_paragraphs(lines))
    return found


def _is_board_heading(lines: list[str], index: int) -> bool:
    """Whether the line opens the safeguarding board's part of the report, not the contents
    entry naming it: that ends with its page number, or (in a text copy made without the
    layout) has it on the next line or lost it, and then the heading itself follows later."""
    line = lines[index]
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return (
        bool(_BOARD_HEAD.match(line))
        and not re.search(r"\s\d{1,3}$", line)
        and not re.fullmatch(r"\d{1,3}", following)
        and line not in lines[index + 1 :]
    )


def _lists(lines: list[str]) -> list[RawFinding]:
    found: list[RawFinding] = []
    board = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if index > 20 and _is_board_heading(lines, index):
            board = True
        kind = None
        if _WHAT_NEEDS.match(line):
            kind = "improvement area"
        elif head := _LIST_HEAD.match(line):
            kind = _LIST_HEADS[head.group(1).lower()]
        if kind is None:
            index += 1
            continue
        source = _mark_unbulleted(lines, index + 1) if _WHAT_NEEDS.match(line) else lines
        items, index = _read_list(source, index + 1, kind)
        group = "board" if board else "council"
        area = "Local Safeguarding Children Board" if board else ""
        for item_kind, text, number in items:
            # A list printed again (an annex repeating the recommendations) adds nothing.
            if (group, _same(text)) not in {(f.group, _same(f.text)) for f in found}:
                found.append(RawFinding(item_kind, text, group, area, number))
    return found


def _same(text: str) -> str:
    """A finding's words for telling whether two are the same one."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _mark_unbulleted(lines: list[str], start: int) -> list[str]:
    """Some reports' "What needs to improve" bullets come out of the PDF as nothing at all.
    Then each item is a sentence (or phrase) of its own: one starts on a new line with a
    capital after a line that closed the one before, by its full stop or by stopping well
    short of the width of the report's lines (a line the text wraps from is nearly full:
    "Life-story work" / "Return home interviews" are two items). A line leading into the
    list ("The local authority should improve:") is no item."""
    end = start
    while end < len(lines) and not (_closes(lines[end]) or _WHAT_NEEDS.match(lines[end])):
        end += 1
    section = lines[start:end]
    if any(_BULLET.match(line) or _NUMBER.match(line) for line in section):
        return lines
    marked = list(lines)
    first = re.match(r"([^\w\s‘’'“”\"(\[])\s+\S", section[0]) if section else None
    if first:
        # Bullets of a glyph not met before ("➢", "✓", "-", "*"), the first opening the
        # list: each line opening with that glyph opens an item (another glyph under one
        # is a sub-item; a list whose bullets came out as nothing starts with words).
        bullet = re.compile(rf"^{re.escape(first.group(1))}\s+(?=\S)")
        for offset, line in enumerate(section):
            marked[start + offset] = bullet.sub(f"{BULLETS[0]} ", line)
        return marked
    lengths = sorted(len(line) for line in lines)
    width = lengths[len(lengths) * 9 // 10] if lengths else 0  # a full line's length
    previous = ""
    for offset, line in enumerate(section):
        if re.fullmatch(r"\d{1,2}", line):
            continue  # a footnote mark left on its own line
        ended = (
            not previous
            or bool(_ITEM_END.search(previous))
            or previous.endswith(":")
            or len(previous) < width - 25
        )
        lead_in = not previous and line.endswith(":")
        if ended and line[:1].isupper() and not lead_in:
            marked[start + offset] = f"{BULLETS[0]} {line}"
        previous = line
    return marked


def _read_list(
    lines: list[str], index: int, kind: str
) -> tuple[list[tuple[str, str, int | None]], int]:
    """The items of the list starting at ``index``; returns them and where the list ends."""
    items: list[tuple[str, list[str], int | None]] = []
    current: list[str] | None = None
    last_number: int | None = None
    bullets_seen = False
    lead: list[str] | None = None  # a numbered item whose bullets are its own sub-items
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        head = _LIST_HEAD.match(line)
        if head:
            # "Priority and immediate action" followed by "Areas for improvement": one list,
            # the kind changes.
            kind = _LIST_HEADS[head.group(1).lower()]
            current = None
            index += 1
            continue
        if _closes(line) or _WHAT_NEEDS.match(line):
            break
        if _closes(line, soft=True) and not _starts_item(following):
            break
        if re.fullmatch(r"\d{1,3}", line):
            index += 1  # a page number left in a text copy with no page breaks
            continue
        bullet = _BULLET.match(line)
        number = _NUMBER.match(line)
        sub = _SUB_BULLET.match(line) if current is not None else None
        if bullet and lead is not None:
            text = bullet.group(1).strip()
            if text:
                lead.append("\n– " + text)
                current = lead
        elif bullet:
            bullets_seen = True
            text = bullet.group(1).strip()
            under = (
                items[-1] if items and items[-1][2] is not None and current is not None else None
            )
            role = _numbered_role(under[1]) if under is not None else "item"
            if under is not None and role == "lead-in":
                # A bullet under a numbered item that leads into it ("Strengthen senior
                # managers' oversight of:") is part of that item, not a finding of its own.
                lead = under[1]
                if text:
                    lead.append("\n– " + text)
                current = lead
                index += 1
                continue
            if under is not None and role == "heading":
                items.pop()  # "1. Help and protection" over its bullets: a heading
            current = [text] if text else None
            if current is not None:
                items.append((kind, current, None))
        elif number and last_number is None and bullets_seen:
            break  # "1." after a list in bullets: the report's numbered paragraphs begin
        elif number and (last_number is None or int(number.group(1)) == last_number + 1):
            lead = None
            last_number = int(number.group(1))
            current = [number.group(2)]
            items.append((kind, current, last_number))
        elif (
            number
            and current is not None
            and _wrapped_number(lines[index - 1], number, last_number)
        ):
            current.append(line)  # "... from 66 to" / "44. ...": a number the line opens with
        elif number:
            break  # a paragraph number out of sequence: the list is over
        elif sub and current is not None:
            current.append("\n– " + sub.group(1))
        elif _is_subheading(line, following, current):
            current = None
        elif current is not None:
            if (
                _ends_sentence(current)
                and _looks_like_heading(line)
                and not _starts_item(following)
            ):
                break
            current.append(line)
        elif (items or bullets_seen) and _looks_like_heading(line) and not _starts_item(following):
            break
        index += 1
    out: list[tuple[str, str, int | None]] = []
    for item_kind, parts, item_number in items:
        text = _join(parts)
        if not text:
            continue
        out.append((item_kind, text, item_number))
    if any(n is not None for _, _, n in out) and any(n is None for _, _, n in out):
        # A numbered lead-in ("In order to improve ... the local authority should take the
        # following action.") above bullets is not itself a finding.
        out = [item for item in out if not (item[2] is not None and _INTRO.search(item[1]))]
    return out, index


def _wrapped_number(previous: str, match: re.Match[str], last: int | None) -> bool:
    """Whether a line opening with a number and a full stop ("16. However, ...") goes on
    with the sentence of the line before rather than opening a numbered paragraph: the line
    before ends mid-sentence ("... for 2015–", "... from 66 to") and the number is not the
    next one."""
    if last is not None and int(match.group(1)) == last + 1:
        return False
    return not re.search(r"[.:;!?)”’\"']$", previous.rstrip())


def _numbered_role(parts: list[str]) -> str:
    """What a numbered item with bullets under it is: a "heading" over them ("1. Help and
    protection"), the report's "intro" to its list ("... should take the following
    action."), or a "lead-in" whose bullets are its own parts."""
    text = _join(parts)
    if _INTRO.search(text):
        return "intro"
    if len(text) < 80 and not text.rstrip().endswith((".", ";", ":", ",")):
        return "heading"
    return "lead-in"


def _closes(line: str, *, soft: bool = False) -> bool:
    """Whether ``line`` is a heading that ends a list (a heading starts with a capital: a
    wrapped line such as "information about their entitlements" is not one)."""
    pattern = _SOFT_CLOSERS if soft else _CLOSERS
    return line[:1].isupper() and bool(pattern.match(line))


def _starts_item(line: str) -> bool:
    return bool(_BULLET.match(line) or _NUMBER.match(line) or _LIST_HEAD.match(line))


def _ends_sentence(parts: list[str]) -> bool:
    return bool(parts) and parts[-1].rstrip().endswith((".", ";", ":"))


def _looks_like_heading(line: str) -> bool:
    return (
        len(line) < 70
        and line[:1].isupper()
        and not line.rstrip().endswith((".", ",", ";"))
        and not _BULLET.match(line)
    )


def _is_subheading(line: str, following: str, current: list[str] | None) -> bool:
    """A heading inside a list ("The quality of social work plans", "Within three months:")."""
    if re.fullmatch(r"[A-Z][\w\s,]{2,40}:", line):
        return _starts_item(following)  # "Within three months:"
    if not _looks_like_heading(line):
        return False
    if current is not None and not _ends_sentence(current):
        return False
    return _starts_item(following)


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if part.startswith("\n"):
            text = text.rstrip() + part
        elif not text:
            text = part.strip()
        elif text.endswith("-") and not text.endswith(" -") and part[:1].islower():
            # A word broken over the line with a hyphen that is part of it ("decision-
            # making") keeps the hyphen: these reports do not hyphenate to fit.
            text += part.strip()
        elif re.search(r"\d[–-]$", text) and part[:1].isdigit():
            text += part.strip()  # a span of years or ages broken over the line ("2015–16")
        else:
            text += " " + part.strip()
    return text.strip()


def _section_heading(lines: list[str], index: int) -> str | None:
    """The judgement area a body heading starting at ``index`` opens, if it is one."""
    line = lines[index]
    low = line.lower()
    if low.startswith("the graded judgement for adoption performance"):
        return "Adoption performance"
    if low.startswith("the graded judgement about the experience"):
        return "The experiences and progress of care leavers"
    if index > 20 and _is_board_heading(lines, index):
        return "Local Safeguarding Children Board"
    if not low.startswith(("the experiences and progress of", "leadership, management and",
                           "the impact of leaders")):  # fmt: skip
        return None
    for span in (1, 2, 3):
        joined = " ".join(lines[index : index + span])
        if len(joined) > 140:
            break
        area = _GRADE_TAIL.sub("", joined).strip()
        if area.lower().endswith((*_SECTION_ENDINGS, "leadership, management and governance")):
            return area
    return None


def _marked_paragraphs(lines: list[str]) -> list[RawFinding]:
    found: list[RawFinding] = []
    area = ""
    start: int | None = None
    number: int | None = None
    board = False
    for index, line in enumerate(lines):
        heading = _section_heading(lines, index)
        if heading:
            area = heading
            board = heading.startswith("Local Safeguarding")
            start = None
            continue
        match = _NUMBER.match(line)
        if match and start is not None and _wrapped_number(lines[index - 1], match, number):
            match = None  # "... priorities for 2015–" / "16. However, ...": the same paragraph
        if match:
            start, number = index, int(match.group(1))
        elif _BULLET.match(line) or _closes(line) or _closes(line, soft=True):
            start = None
        mark = _MARK.search(line)
        if mark and start is not None:
            # (less page numbers left in a text copy with no page breaks)
            body = [part for part in lines[start:index] if not re.fullmatch(r"\d{1,3}", part)]
            parts = [*body, line[: mark.start()]]
            head = _NUMBER.match(parts[0])
            parts[0] = head.group(2) if head else ""
            text = _join(parts)
            if not text.strip():  # "12. (Recommendation)" with nothing to say
                start = None
                continue
            if mark.group(2) and not text.endswith((".", "?", "!")):
                text += "."  # the sentence's own full stop, printed after the mark
            kind = "recommendation" if mark.group(1).lower() == "recommendation" else (
                "improvement area"
            )  # fmt: skip
            found.append(
                RawFinding(kind, text, "paragraph",
                           area if not board else "Local Safeguarding Children Board", number)
            )  # fmt: skip
            start = None
    return found
