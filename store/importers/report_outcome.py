"""What importing one report file did (:class:`ReportOutcome`) or would do
(:class:`ReportPreview`), for a front end to say in its own words."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from store.importers.report_read import ParsedReport
from store.importers.report_whose import whose
from store.records import Source
from store.wording import Phrase

Status = Literal["imported", "unchanged", "updated", "changed", "refused"]


@dataclass(frozen=True)
class ReportOutcome:
    """What happened to one file of an import. ``ours``: stored as this council's own
    report (``False``: another council's, for search and learning); ``None`` when refused.

    ``said`` says what happened, naming the choices that would change it (``--ours``,
    ``--update`` on the command line) in a front end's words (:class:`store.wording.Phrase`);
    ``message`` is it in the store's words. ``stored_as``: how it was stored, as ``said``
    says it (:func:`whose`), and ``whose`` that in the store's words."""

    path: Path
    status: Status
    source_id: int | None
    findings: int
    said: str | Phrase
    ours: bool | None = None
    local_authority: str = ""
    stored_as: Phrase = field(default_factory=Phrase)

    @property
    def message(self) -> str:
        return str(self.said)

    @property
    def whose(self) -> str:
        return str(self.stored_as)


PreviewStatus = Literal["new", "unchanged", "changed", "refused"]


@dataclass(frozen=True)
class ReportPreview:
    """What importing one file would do (:func:`store.importers.reports.preview_reports`),
    for a front end to say in its own words.

    ``status``: "new" (would be stored, as ``ours`` says), "unchanged" (this very file is
    stored as ``stored``), "changed" (a different file of the inspection ``stored`` is;
    ``update=True`` replaces it), "refused" (``message`` says why). ``report`` is the
    parsed report (None when refused, and when unchanged unless asked to read it)."""

    path: Path
    status: PreviewStatus
    report: ParsedReport | None = None
    stored: Source | None = None
    ours: bool | None = None
    message: str = ""

    @property
    def whose(self) -> str:
        return str(whose(self.ours, hint=False)) if self.ours is not None else ""
