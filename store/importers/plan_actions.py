"""One action as a plan sheet describes it: :class:`PlanRow`, read from a draft's cells.

:func:`finish` reads every cell of an action (UK dates and seasons, BRAG words, letters or
the cell's colour, finding refs, lengths) and says what the lead should check; a row it
cannot read keeps its problems on the draft. No store needed. Used by
:mod:`store.importers.plan_rows`, which re-exports :class:`PlanRow`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from store.errors import ValidationError
from store.importers.plan_cells import (
    TITLE_LIMIT,
    blank,
    cell_text,
    cut,
    evidence_items,
    latest_note_date,
    one_line,
    read_brag,
    read_date,
    read_deadline,
    serial_hint,
    split_title,
)
from store.importers.plan_columns import FIELD_LABELS, norm
from store.importers.plan_drafts import AS_ABOVE, Draft
from store.importers.plan_headings import clean_theme
from store.importers.plan_periods import header_period_end
from store.importers.plan_refs import only_references, quoted_text, references


@dataclass(frozen=True)
class PlanRow:
    """One action as the sheet describes it, checked but not yet matched to the store."""

    row: int
    title: str
    ref: str = ""
    description: str = ""
    owner: str = ""
    due_date: date | None = None
    brag: str | None = None
    success_measure: str = ""
    theme: str = ""
    progress: str = ""
    progress_date: date | None = None
    finding_refs: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    evidence_link: str = ""  # the hyperlink behind the Evidence cell, if any
    # How the plan wrote each of finding_refs ("Rec 3"), in the same order.
    refs_said: tuple[str, ...] = ()
    # The other review each is said to be of ("JTAI" for "JTAI rec 3"), or "".
    refs_review: tuple[str, ...] = ()
    # The Findings cell's words other than refs: a quoted recommendation, matched by text.
    finding_quote: str = ""
    # Why the Findings cell holds what it does when it was blank on this row: "merged cells,
    # rows 5-7" or "same as row 5 above (same ref prefix 1.)"; "" when it was filled.
    findings_rule: str = ""
    due_note: str = ""  # how a deadline that is not a plain date was read
    warnings: tuple[str, ...] = ()  # what the lead should check; the row is still imported
    # What dates the progress note: "the Updated column", "the note", "the column header"
    # (a period in it, "Progress Update (Nov-Dec 2017)"), or "" when the sheet does not.
    progress_dated_by: str = ""


def finish(draft: Draft, bare: bool, progress_header: str) -> PlanRow | None:
    """The action a draft describes, or ``None`` (its problems noted on the draft).

    ``bare``: bare numbers in the Findings column are refs (it holds nothing else).
    """
    cells, problems = draft.values, draft.problems
    warnings: list[str] = []
    if cells.get("_looks"):  # the row is imported: what it means is for the lead to say
        warnings.append(
            f"the row is {cells['_looks']} in the sheet: imported all the same (delete the "
            "row if the action was dropped)"
        )
    for name in cells.get("_unsaved") or ():  # type: ignore[attr-defined]
        what = {"due_date": "date", "update_date": "date", "brag": "BRAG"}.get(name, "value")
        problems.append(
            f"{FIELD_LABELS[name]} in row {draft.row} is a formula with no saved value: open "
            f"and save the file in Excel, or type the {what}"
        )
    ref = one_line(cells.get("ref"))
    if len(ref) > 40:
        problems.append(f"ref '{ref[:40]}...' is longer than 40 characters")
    raw_title = cell_text(cells.get("title"))
    if not raw_title:
        problems.append(f"has ref '{ref}' but no action text (the Action column is empty)")
    elif norm(raw_title) in AS_ABOVE:
        # Not an action called "As above", nor a guess at which part of the one above.
        problems.append(
            f"the Action cell says '{cut(raw_title, 20)}': write the action out (or merge "
            "the cells if it is the action above)"
        )
    title, rest = split_title(raw_title)
    description = "\n\n".join(p for p in (rest, cell_text(cells.get("description"))) if p)
    owner = one_line(cells.get("owner"), ", ")
    if len(owner) > 200:
        problems.append("owner is longer than 200 characters")
    deadline = read_deadline(cells.get("due_date"))
    if deadline.error:
        problems.append(deadline.error)
    if deadline.warning:
        warnings.append(deadline.warning)
    brag, error = read_brag(cells.get("brag"))
    if error:
        problems.append(error)
    progress = cell_text(cells.get("progress"))
    progress_date, dated_by = None, ""
    if not blank(cells.get("update_date")):
        try:
            progress_date, dated_by = (
                read_date(cells.get("update_date"), "updated"),
                "the Updated column",
            )
        except ValidationError:
            updated = cells.get("update_date")
            problems.append(
                f"update date '{cell_text(updated)}' is not a date{serial_hint(updated)}"
            )
    elif progress:
        progress_date, dated_by = latest_note_date(progress), "the note"
        if progress_date is None:
            progress_date, dated_by = header_period_end(progress_header), "the column header"
    if progress_date is None:
        dated_by = ""
    theme = clean_theme(one_line(cells.get("theme")) or str(cells.get("_theme") or ""))
    if problems:
        return None
    findings = cell_text(cells.get("findings"))
    # An explicit ref in brackets in the action text counts too: "... assessment (Rec 3)".
    in_title = [
        replace(r, review="")  # "Audit of assessments (Rec 3)": the inspection's Rec 3
        for r in references(raw_title)
        if f"({r.said})" in raw_title
    ]
    said = references(findings, bare=bare) + in_title
    refs = list(dict.fromkeys(r.ref for r in said))
    quote = quoted_text(findings) if not only_references(findings) else ""
    return PlanRow(
        row=draft.row,
        title=title,
        ref=ref,
        description=description,
        owner=owner,
        due_date=deadline.due,
        brag=brag,
        success_measure=cell_text(cells.get("success_measure")),
        theme=theme[:TITLE_LIMIT],
        progress=progress,
        progress_date=progress_date,
        finding_refs=tuple(refs),
        evidence=evidence_items(cells.get("evidence")),
        evidence_link=str(cells.get("_evidence_link") or ""),
        refs_said=tuple(next(r.said for r in said if r.ref == ref) for ref in refs),
        refs_review=tuple(next(r.review for r in said if r.ref == ref) for ref in refs),
        finding_quote=quote,
        findings_rule=draft.findings_rule,
        due_note=deadline.note,
        warnings=tuple(warnings),
        progress_dated_by=dated_by,
    )
