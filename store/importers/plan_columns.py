"""The columns of an improvement plan: what councils call each one, and the template's set.

A header is compared in a normalised form (lower case, '&' as 'and', no punctuation or
bracketed asides), so "Lead Officer(s)", "By when?" and "RAG status (B/R/A/G)" are known.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from store.errors import ValidationError
from store.wording import Option, phrase

# Each field, with the header names councils give it (normalised: lower case, no punctuation,
# no bracketed asides). Earlier names win when two columns could be the same field, so
# "RAG" beats "Status" and "Progress update" beats "Comments".
FIELDS: dict[str, tuple[str, ...]] = {
    "ref": (
        "ref", "action ref", "reference", "action reference", "ref no", "action no",
        "action number", "action id", "no", "number", "id", "#", "item",
    ),
    "title": (
        "action", "actions", "action required", "what we will do", "what will we do",
        "action title", "actions required", "action to be taken", "actions to be taken",
        "key action", "key actions", "title", "task", "activity", "what", "sub action",
        "sub actions", "milestone", "milestones", "key milestones",
    ),
    "description": (
        "description", "action description", "detail", "details", "action detail",
        "how we will do it", "how will we do it", "how", "further detail", "tasks",
    ),
    "owner": (
        "owner", "lead officer", "lead", "responsible", "responsible officer", "action owner",
        "lead manager", "responsible manager", "accountable officer", "responsible person",
        "lead person", "lead officers", "who", "by whom", "officer",
        "responsibility", "responsibilities", "accountable", "action lead", "action leads",
        "senior responsible officer", "sro", "accountable lead", "strategic lead",
        "operational lead",
    ),
    "due_date": (
        "due", "due date", "deadline", "by when", "timescale", "timescales", "target date",
        "completion date", "target completion date", "date due", "revised deadline",
        "revised due date", "when", "by", "end date", "planned end date",
        "planned completion date", "expected completion date", "completion by",
        "date to be completed by", "date for completion", "timeframe", "timeframes",
        "time frame", "completion deadline",
    ),
    "brag": (
        "brag", "rag", "brag status", "rag status", "brag rating", "rag rating", "current brag",
        "current rag", "rating", "status", "progress rating", "current status", "overall rag",
        "overall brag", "overall status", "overall rating",
    ),
    "success_measure": (
        "success measure", "success measures", "measure of success", "measures of success",
        "success criteria", "how will we know", "how we will know",
        "how will we know it is working", "outcome", "outcomes", "intended outcome",
        "expected outcome", "impact measure", "what difference will it make", "target", "measure",
        "measures", "kpi", "how will we measure success", "how will we measure impact",
        "how will we measure it", "what will success look like", "what does good look like",
        "what will be different", "intended impact", "expected impact", "desired outcome",
        "impact on children", "intended outcome for children",
    ),
    "theme": (
        "theme", "improvement theme", "priority", "priority area", "workstream", "work stream",
        "strand", "area", "area of practice", "themes",
    ),
    "progress": (
        "progress", "progress update", "progress notes", "progress note", "progress to date",
        "update", "latest update", "update on progress", "progress commentary", "commentary",
        "comments", "notes", "progress and impact", "current position", "latest position",
        "position statement", "position at", "position as at",
    ),
    "update_date": (
        "update date", "date of update", "last updated", "date updated", "updated", "as at",
        "as of", "progress date",
    ),
    "findings": (
        "finding", "findings", "finding ref", "finding refs", "recommendation", "recommendations",
        "recommendation ref", "ofsted recommendation", "ofsted recommendations", "ofsted finding",
        "ofsted findings", "ofsted ref", "rec", "rec no", "area for improvement",
        "areas for improvement", "priority action", "priority actions", "links to recommendation",
        "inspection finding", "what ofsted said", "afi", "afis", "recs", "area for development",
        "areas for development", "what needs to improve",
    ),
    "evidence": (
        "evidence", "evidence of impact", "evidence of progress", "evidence impact",
        "evidence and impact", "impact evidence", "supporting evidence", "evidence source",
        "evidence sources", "where is the evidence",
    ),
}  # fmt: skip

# What people type after --map, for each field.
FIELD_NAMES: dict[str, str] = {
    "ref": "ref", "reference": "ref",
    "title": "title", "action": "title",
    "description": "description", "detail": "description",
    "owner": "owner", "lead": "owner",
    "due": "due_date", "due_date": "due_date", "deadline": "due_date",
    "brag": "brag", "rag": "brag", "status": "brag",
    "success": "success_measure", "success_measure": "success_measure", "measure": "success_measure",
    "theme": "theme",
    "progress": "progress", "notes": "progress", "update": "progress",
    "updated": "update_date", "update_date": "update_date",
    "finding": "findings", "findings": "findings", "recommendation": "findings",
    "evidence": "evidence",
    # Not a column: the sheet of a workbook to read, when several hold a plan table.
    "sheet": "sheet",
}  # fmt: skip
FIELD_LABELS = {
    "ref": "Ref", "title": "Action", "description": "Description", "owner": "Owner",
    "due_date": "Due", "brag": "BRAG", "success_measure": "Success measure", "theme": "Theme",
    "progress": "Progress", "update_date": "Updated", "findings": "Findings",
    "evidence": "Evidence",
}  # fmt: skip

# The columns of a new plan (`visitprep template`): header, field, what goes in it, width.
TEMPLATE_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    (
        "Ref",
        "ref",
        "The action's number, e.g. 1.1 or A12. Re-importing the plan updates the "
        "action with the same ref instead of adding it again.",
        8,
    ),
    (
        "Theme",
        "theme",
        "The improvement theme, e.g. Front door and MASH. Leave blank to use "
        "the theme of the heading row above (a row holding only a theme name).",
        22,
    ),
    (
        "Findings",
        "findings",
        "The refs of the Ofsted findings the action answers, e.g. R1, R3 or Rec 2 and 4.",
        12,
    ),
    (
        "Action",
        "title",
        "What we will do (required). A long text is kept whole as the "
        "description; its first line becomes the title.",
        45,
    ),
    ("Description", "description", "More detail on how it will be done.", 35),
    ("Lead officer", "owner", "Who is responsible, e.g. Head of Service, MASH.", 20),
    (
        "Due",
        "due_date",
        "The deadline: 31/01/2018, Jan 2018 (the end of that month), end of "
        "March 2018, Q4 2017/18, Spring 2018 (the end of May), or Ongoing (no date).",
        14,
    ),
    (
        "BRAG",
        "brag",
        "Blue = complete, Green = on track, Amber = at risk, Red = off track "
        "(B/G/A/R, RAG words and 'Complete', 'On track'... are understood).",
        9,
    ),
    (
        "Progress update",
        "progress",
        "The latest progress note; it is added to the action's history with the BRAG, once. "
        "A dated line a month (Jan 2018: ..., 12/02/2018 - ...) is an update each, on its date.",
        45,
    ),
    (
        "Updated",
        "update_date",
        "The date of the progress note. Blank: the date the note starts with, or a period "
        "in the progress column's header (Progress update (Nov-Dec 2017)); with none, the "
        "note is kept as 'date not given', never dated the day of the import.",
        12,
    ),
    (
        "Success measure",
        "success_measure",
        "How we will know it has worked, e.g. 90% of assessments within 45 working days.",
        30,
    ),
    (
        "Evidence",
        "evidence",
        "Evidence of progress or impact, one item per line (a title, "
        "or a file path or web address).",
        35,
    ),
)


def norm(text: object) -> str:
    """A header or name as compared: lower case, '&' as 'and', no punctuation or asides."""
    raw = str(text).lower().replace("&", " and ")
    raw = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", raw)
    raw = re.sub(r"[^a-z0-9# ]+", " ", raw)
    return " ".join(raw.split())


_LATEST_WINS = ("brag", "progress", "update_date")
_NUMBER_WORDS = {"id", "no", "number", "ref", "reference", "#", "num"}
_FINDING_WORDS = {"recommendation", "recommendations", "finding", "findings", "afi", "afis"}
_DATE_WORDS = {"date", "deadline", "timescale", "timescales", "month", "quarter", "when"}


def field_for_header(header: object) -> tuple[str, int] | None:
    """The field a header names and how strongly (lower is stronger), or ``None``."""
    name = norm(header)
    if not name:
        return None
    for fld, names in FIELDS.items():
        if name in names:
            return fld, names.index(name)
    # "Progress update January 2018", "Status at 31/12/17": the longest known name it starts
    # with. Not "Task ID" or "Action no": a name followed by a number word is a reference.
    # "Recommendation No.", "Ofsted rec number": the number of the finding answered.
    words = name.split()
    if words[-1] in _NUMBER_WORDS:
        if words[0] in ("action", "task", "item") or " ".join(words[:-1]) in FIELDS["ref"]:
            return "ref", 200  # "Task ID", "Reference number"
        return ("findings", 200) if " ".join(words[:-1]) in FIELDS["findings"] else None
    best: tuple[int, str, int] | None = None
    for fld, names in FIELDS.items():
        for rank, known in enumerate(names):
            longer = best is None or len(known) > best[0]
            if len(known) >= 3 and name.startswith(known + " ") and longer:
                best = (len(known), fld, 100 + rank)
    if best is None and (
        _FINDING_WORDS & set(words) or "for improvement" in name or words[0] == "ofsted"
    ):
        # "Link to Ofsted recommendation", "Which finding?", "Ofsted area for improvement"
        return "findings", 300
    if best is not None and best[1] == "success_measure" and _DATE_WORDS & set(words[1:]):
        return "due_date", 150  # "Target end date", "Target timescale": a deadline
    return (best[1], best[2]) if best else None


def map_columns(
    values: list[object],
    mapping: dict[str, str],
    period: Callable[[str], date | None] = lambda header: None,
) -> tuple[dict[str, int], list[str]]:
    """Columns of a header row by field, and the headers of columns not imported.

    ``mapping`` (field -> header text) wins over the usual names. ``period`` reads the
    period a header names ("RAG Mar 26"): of two monthly columns the later period wins.
    """
    taken: dict[str, tuple[int, int]] = {}
    forced = {norm(header): fld for fld, header in mapping.items()}
    for index, value in enumerate(values):
        name = norm(value)
        if name and name in forced:
            taken[forced[name]] = (-1, index)
    for index, value in enumerate(values):
        if norm(value) in forced:
            continue
        match = field_for_header(value)
        if match is None:
            continue
        fld, rank = match
        # Trackers add a column a month ("RAG Dec 17", "RAG Jan 18"): the latest is the
        # rightmost of the same name, so it wins a tie; otherwise the leftmost does.
        monthly = rank >= 100 and fld in _LATEST_WINS
        if fld not in taken or rank < taken[fld][0]:
            taken[fld] = (rank, index)
        elif monthly and rank == taken[fld][0]:
            # Both dated: the later period wins, wherever it is (some add a month on the left).
            mine, theirs = period(str(value)), period(str(values[taken[fld][1]]))
            if mine is None or theirs is None or mine >= theirs:
                taken[fld] = (rank, index)
    columns = {fld: index for fld, (_, index) in taken.items()}
    used = set(columns.values())
    ignored = [
        " ".join(str(v).split()) for i, v in enumerate(values) if i not in used and str(v).strip()
    ]
    return columns, ignored


def clean_mapping(mapping: dict[str, str] | None) -> dict[str, str]:
    clean: dict[str, str] = {}
    for name, header in (mapping or {}).items():
        fld = FIELD_NAMES.get(name.strip().lower().replace("-", "_").replace(" ", "_"))
        if fld is None:
            known = ", ".join(sorted({k for k in FIELD_NAMES if "_" not in k}))
            raise ValidationError(
                "map", phrase(Option.COLUMNS, f": '{name}' is not a plan field. Fields: {known}.")
            )
        if not norm(header):
            raise ValidationError(
                "map", phrase(Option.COLUMNS, f" {name}=...: give the column's header.")
            )
        clean[fld] = header
    return clean
