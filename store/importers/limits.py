"""The largest inputs visitprep reads, so a wrong or hostile file is refused in one line
instead of taking minutes and gigabytes (documented in the README, "Limits").

Ofsted's reports are 1-3 MB and 20-60 pages; a council's evidence folder for one plan
holds hundreds to a few thousand documents. Spreadsheet limits (rows, cells) live with the
spreadsheet reader.
"""

from __future__ import annotations

MAX_REPORT_BYTES = 50 * 1024 * 1024  # a report file (PDF or text)
MAX_REPORT_PAGES = 400  # pages of a report PDF
MAX_EVIDENCE_FILES = 20_000  # documents under one evidence folder


def megabytes(size: int) -> str:
    """``1.3 MB``, ``50 MB``."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
