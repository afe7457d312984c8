"""Heading rows in a plan: the theme a row names, or the recommendation (no store needed).

A row whose only content reads like a heading ("2. Governance", "Theme 1: Front door", a
bold row, a theme's own name) files the actions below it under that theme
(:func:`heading_theme`, :func:`clean_theme`); one naming a recommendation
("Recommendation 3: ...", :data:`RECOMMENDATION_ROW`) is what the actions below answer.
Used by :mod:`store.importers.plan_rows`.
"""

from __future__ import annotations

import re
from datetime import date

from store.importers.plan_cells import blank
from store.importers.plan_columns import norm
from store.vocab import DEFAULT_THEMES

_HEADING_PREFIX = re.compile(
    r"^\s*(?:(?:improvement\s+|key\s+)?(?:theme|priority|section|area|workstream|strand|part)"
    r"\s*\d*[a-z]?\s*[:.\-\u2013]?\s*"
    r"|\d+(?:\.\d+)?\s*[:.)\-\u2013]\s*)",
    re.IGNORECASE,
)
# A row naming a recommendation by its word: "Recommendation 3:", "Ofsted rec 2 -", "R4 \u2013",
# "Area for improvement 1". ("Priority 2: ..." is a theme; "Priority action 2" is not.)
RECOMMENDATION_ROW = re.compile(
    r"^\s*(?:ofsted\s+)?(?:recommendation|rec\.?|area\s+for\s+improvement|afi|priority\s+action"
    r"|r(?=\s?\d))\s*(?:no\.?\s*)?\d+(?:\.\d+)?\b",
    re.IGNORECASE,
)
_SECTION_NUMBER = re.compile(
    r"^\s*(?:(?:theme|priority|section|area|part)\s*)?\d+(?:\.\d+)?[.:]?\s*$", re.IGNORECASE
)


def heading_theme(
    values: list[object], fields: dict[int, str], first: int, bold: bool
) -> str | None:
    """The theme a heading row names, or ``None`` for any other row.

    A heading is the row's only content: one line of text in any column (or a section
    number and a name), that reads like a heading: a number or "Theme 2:", "Priority 3 -",
    "Improvement theme 4 -" before it, bold type across the row, or a theme's own name. In a
    column of notes (progress, evidence...) only the sheet's first column counts, so a lone
    note under an action still carries that action on.
    """
    filled = [(i, str(v).strip()) for i, v in enumerate(values) if not blank(v)]
    number = ""
    if len(filled) == 1:
        index, name = filled[0]
        field_name = fields.get(index)
        if field_name not in (None, "ref", "title", "theme", "findings") and index != first:
            return None
    elif len(filled) == 2 and _SECTION_NUMBER.match(filled[0][1]):
        index, name = filled[1]
        field_name, number = fields.get(index), filled[0][1]
    else:
        return None
    if not re.search(r"[A-Za-z]{3}", name) or "\n" in name or len(name) > 200:
        return None
    if isinstance(values[index], (int, float, date)):
        return None
    cleaned = _HEADING_PREFIX.sub("", name, count=1).strip(" :.-\u2013")
    reads_as_heading = (
        bold
        or cleaned != name
        or re.search(r"[A-Za-z]", number) is not None
        or norm(name) in _THEME_NAMES
        or field_name == "theme"
        or (field_name == "ref" and len(filled) == 1)
    )
    if not reads_as_heading:
        return None
    return cleaned or name


_THEME_NAMES = {norm(name) for name in DEFAULT_THEMES}


def clean_theme(name: str) -> str:
    """A theme's name without its "Theme 2:" or "3." in front."""
    if not name:
        return ""
    return _HEADING_PREFIX.sub("", name, count=1).strip(" :.-\u2013") or name
