"""A plan's columns that repeat a column a period (no store needed).

A header repeated under group headers ("December 2025 update" over "RAG | Commentary")
is named with its group (:func:`with_groups`); a BRAG, progress or Updated header over a
row of period labels ("RAG rating" over "Dec 25 | Jan 26 | Feb 26") is read from the latest
period's column (:func:`latest_under_group`); :func:`header_period_end` reads the period a
header names, which also dates a progress note. Used by :mod:`store.importers.plan_rows`.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from store.dates import parse_date
from store.errors import ValidationError
from store.importers.plan_cells import blank
from store.importers.plan_columns import norm
from store.importers.spreadsheet import Sheet


def with_groups(values: list[object], above: list[object]) -> list[object]:
    """A header whose name repeats under group headers ("December 2025 update" over
    "RAG | Commentary", "March 2026 update" over another "RAG | Commentary") names each
    repeat with its group: "RAG March 2026 update", so the latest period is read, and the
    note dated by it. A group's text is in its first column (merged across the rest)."""
    names = [norm(v) for v in values]
    counts = Counter(n for n in names if n)
    if not any(count > 1 for count in counts.values()):
        return values
    carried, group = [], ""
    for index in range(len(values)):
        if index < len(above) and not blank(above[index]):
            cell = above[index]
            group = f"{cell:%d %B %Y}" if isinstance(cell, date) else " ".join(str(cell).split())
        carried.append(group)
    repeats: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        if counts.get(name, 0) > 1:
            repeats.setdefault(name, []).append(index)
    out = list(values)
    for columns in repeats.values():
        groups = [carried[i] for i in columns]
        if all(groups) and len(set(groups)) == len(groups):
            for i in columns:
                out[i] = f"{' '.join(str(values[i]).split())} {carried[i]}"
    return out


def _label(value: object) -> str:
    """A sub-header's label as text: "Mar 26", or a date cell as "Mar 2026"."""
    return f"{value:%b %Y}" if isinstance(value, date) else " ".join(str(value).split())


def sub_header(values: list[object], header: list[object], columns: dict[str, int]) -> bool:
    """The row under the header holding short labels under a group header ("Dec 25 |
    Jan 26 | Feb 26" under "RAG rating", merged across them), its other cells the header's
    own (merged down over both rows) or blank: never an action's (its Action and Ref cells
    are blank or the header's)."""
    for fld in ("title", "ref"):
        index = columns.get(fld)
        if index is None or index >= len(values) or blank(values[index]):
            continue
        if index >= len(header) or norm(values[index]) != norm(header[index]):
            return False
    labels = 0
    for index, value in enumerate(values):
        if blank(value):
            continue
        above = header[index] if index < len(header) else ""
        if not blank(above) and norm(above) == norm(value):
            continue  # a header cell merged down over both rows
        short = isinstance(value, date) or (
            isinstance(value, str) and len(value) <= 30 and "\n" not in value
        )
        # Under a group: a header cell with blank ones after it (merged across them).
        grouped = blank(above) or (index + 1 < len(header) and blank(header[index + 1]))
        if not (short and grouped):
            return False
        labels += 1
    return labels >= 2


def latest_under_group(
    sheet: Sheet,
    header_row: int,
    columns: dict[str, int],
    header: list[object],
    ignored: list[str],
) -> dict[str, int]:
    """A BRAG, progress or Updated header over several period columns ("RAG rating"
    merged over "Dec 25 | Jan 26 | Feb 26 | Mar 26" below it) is read from the latest
    period's column (else the rightmost), not the first; its header then names the period
    ("RAG rating Mar 26"), which also dates the progress note, and the others are listed
    as not imported."""
    below = dict(sheet.rows).get(header_row + 1)
    if below is None or not sub_header(below, header, columns):
        return columns
    chosen = dict(columns)
    for fld in ("brag", "progress", "update_date"):
        if fld not in columns:
            continue
        start = columns[fld]
        end = next((i for i in range(start + 1, len(header)) if not blank(header[i])), len(header))
        span = [i for i in range(start, min(end, len(below))) if not blank(below[i])]
        if len(span) < 2 or any(norm(below[i]) == norm(header[i]) for i in span):
            continue
        periods = {i: header_period_end(_label(below[i])) for i in span}
        latest = all(periods.values())
        pick = max(span, key=lambda i: (periods[i], i)) if latest else span[-1]
        group = " ".join(str(header[start]).split())
        header[pick] = f"{group} {_label(below[pick])}"
        ignored.extend(f"{group} {_label(below[i])}" for i in span if i != pick)
        chosen[fld] = pick
    return chosen


def header_period_end(header: str) -> date | None:
    """The last day of a period a column's header names ("Progress Update (Nov-Dec 2017)",
    "Update January 2018", "Progress at 31/12/17"), or ``None``."""
    text = " ".join(header.replace("\u2013", "-").split())
    match = re.search(
        r"(?:[A-Za-z]{3,9}\.?\s*(?:\d{2,4})?\s*[-/]\s*)?([A-Za-z]{3,9})\.?\s*'?(\d{4}|\d{2})\b",
        text,
    )
    candidates = []
    if match:
        candidates.append(f"end of {match.group(1)} {match.group(2)}")
    candidates += re.findall(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", text)
    for candidate in reversed(candidates):
        try:
            found = parse_date(candidate)
        except ValidationError:
            continue
        if found is not None:
            return found
    return None
