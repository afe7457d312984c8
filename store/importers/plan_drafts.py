"""An action being read from a plan, and what the rows around it add (no store needed).

A row with no ref and no action carries on the action above (:func:`continues`), as does a
row repeating it in cells merged over both (:func:`repeats`); a blank Findings cell is
"same as above" only when the rows belong together, and "As above" means the action
above's (:func:`same_as_above`). Used by :mod:`store.importers.plan_rows`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.importers.plan_cells import Fill, blank, cell_text, one_line
from store.importers.plan_columns import norm


@dataclass
class Draft:
    """An action being read; continuation rows may still add to it."""

    row: int
    values: dict[str, object]
    problems: list[str]
    section: int = 0  # how many heading rows are above it: rows under different ones differ
    findings_rule: str = ""


def only_findings(cells: dict[str, object], columns: dict[str, int]) -> bool:
    """A row whose only content (of the columns read) is its Findings cell."""
    return not blank(cells.get("findings")) and all(
        blank(cells.get(f)) or isinstance(cells.get(f), Fill) for f in columns if f != "findings"
    )


def _ref_prefix(draft: Draft) -> str:
    """ "1" for the ref "1.2" (or "1a", "A1.3" for "A1.3.2"); "" for a ref with no parts."""
    ref = one_line(draft.values.get("ref"))
    match = re.match(r"^(.*\d)[.\-]\w+$", ref) or re.match(r"^(\d+)[a-z]$", ref, re.IGNORECASE)
    return match.group(1) if match else ""


AS_ABOVE = {"as above", "see above", "same as above", "as per above", "ditto", "as previous"}


def same_as_above(drafts: list[Draft], *, by_prefix: bool) -> None:
    """A blank Findings cell under a filled one means "same as above" only when the two rows
    belong together: cells merged over both (a workbook's merge, already filled in), or, in
    a CSV (which has lost its merges), refs with the same prefix under the same heading
    ("1.1" then "1.2"). Otherwise it is no link. A cell saying "As above" means the same
    as the action above, whatever their refs."""
    above: Draft | None = None
    before: Draft | None = None  # the action on the row above, whatever its cell
    for draft in drafts:
        rule = str(draft.values.get("_findings_rule") or "")
        said = norm(cell_text(draft.values.get("findings")))
        if rule:
            draft.findings_rule = rule
        elif said in AS_ABOVE and before is not None and before.section == draft.section:
            # "As above", "Ditto": the findings of the action above (under the same heading;
            # else the words stay, matched as a quote, and the dry run says no link).
            written = cell_text(draft.values.get("findings"))
            draft.values["findings"] = before.values.get("findings")
            draft.findings_rule = f"'{written}': same as row {before.row} above"
        elif blank(draft.values.get("findings")) and above is not None and by_prefix:
            prefix = _ref_prefix(draft)
            if prefix and prefix == _ref_prefix(above) and draft.section == above.section:
                draft.values["findings"] = above.values.get("findings")
                draft.findings_rule = f"same as row {above.row} above (same ref prefix {prefix}.)"
        if not blank(draft.values.get("findings")):
            above = draft
        elif not draft.findings_rule:
            above = None if _ref_prefix(draft) == "" else above
        before = draft


def continues(draft: Draft, cells: dict[str, object]) -> bool:
    """Add a row with no ref and no action to the action above (its notes carry on)."""
    if any(not blank(cells.get(f)) for f in ("owner", "due_date", "brag", "theme")):
        return False
    added = False
    for fld in ("description", "progress", "success_measure", "evidence", "findings"):
        value = cells.get(fld)
        if blank(value):
            continue
        before = draft.values.get(fld)
        draft.values[fld] = f"{before}\n{value}" if not blank(before) else value
        added = True
    return added


def repeats(draft: Draft, cells: dict[str, object]) -> bool:
    """A row repeating the action above (its Ref and Action cells merged over both rows)
    adds its notes to that action, as long as owner, due date and BRAG agree."""
    same = ("ref", "title")
    if any(cell_text(cells.get(f)) != cell_text(draft.values.get(f)) for f in same):
        return False
    for fld in ("owner", "due_date", "brag"):
        value = cells.get(fld)
        if not blank(value) and cell_text(value) != cell_text(draft.values.get(fld)):
            return False
    for fld in ("description", "progress", "success_measure", "evidence", "findings"):
        value, before = cells.get(fld), draft.values.get(fld)
        if blank(value) or cell_text(value) == cell_text(before):
            continue
        draft.values[fld] = f"{before}\n{value}" if not blank(before) else value
    return True
