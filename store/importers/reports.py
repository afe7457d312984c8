"""Import published Ofsted reports of a council's children's services (PDF or text).

``read_report`` (:mod:`store.importers.report_read`) parses one file, storing nothing;
:func:`preview_reports` says what an import would do, file by file, writing nothing (the
command line's dry run and the app's preview both show it); :func:`import_reports` stores
files and folders of them, one transaction per report, so a bad file never stops the
others and never leaves half of itself behind.

How a folder goes, and why it is quick:

1. every file is hashed first; a file whose content is stored already is "unchanged" and
   is never parsed;
2. the new files are parsed in worker processes (both cores) when there are several;
3. each is stored in its own transaction. Whether it is the same inspection as a stored
   report is one indexed look-up (the council's ONS code and the inspection dates, never
   a name), and whether it is this council's own is decided inside that transaction, after
   it has taken the store's write lock: two imports at once never both decide "ours".

Where each part lives (every public name is importable from here):

* ``report_batch``: the files of a folder, hashed, and the new ones parsed;
* ``report_whose``: whose a report is, and which stored report is the same inspection;
* ``report_outcome``: what importing a file did (:class:`ReportOutcome`) or would do
  (:class:`ReportPreview`);
* ``report_store``: one report stored in its transaction; ``report_replace``: a stored
  report replaced by a changed copy; ``report_fields``: what both store for a report.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from store.database import Store
from store.errors import ImportFailed, StoreError
from store.importers.report_batch import PARALLEL_FROM, Progress, expand_paths, read_all
from store.importers.report_fields import store_themes
from store.importers.report_outcome import ReportOutcome, ReportPreview
from store.importers.report_read import (
    REPORT_SUFFIXES,
    ParsedFinding,
    ParsedReport,
    read_report,
    short_title,
)
from store.importers.report_store import known_report, store_report
from store.importers.report_whose import (
    inspection_key,
    is_ours,
    own_councils,
    same_inspection,
    whose,
)
from store.sources import get_source

__all__ = [
    "PARALLEL_FROM",
    "REPORT_SUFFIXES",
    "ParsedFinding",
    "ParsedReport",
    "ReportOutcome",
    "ReportPreview",
    "expand_paths",
    "import_reports",
    "is_ours",
    "own_councils",
    "preview_reports",
    "read_report",
    "short_title",
    "whose",
]


def preview_reports(
    store: Store,
    paths: Iterable[Path],
    *,
    ours: bool | None = None,
    progress: Progress | None = None,
    read_known: bool = False,
) -> list[ReportPreview]:
    """What :func:`import_reports` would do with each file, writing nothing: the one rule
    of the import, for the command line's dry run and the app's preview alike.

    Reports earlier in the list count as stored (the first of an empty store is this
    council's own; a second file of an inspection earlier in the list is "changed")."""
    files = expand_paths(paths)
    own = own_councils(store)
    seen: dict[tuple[str, date | None, date | None], Path] = {}
    hashes: set[str] = set()
    out: list[ReportPreview] = []
    for read, stored_id in read_all(store, files, progress, read_known=read_known):
        if read.content_hash is None or (read.report is None and stored_id is None):
            out.append(ReportPreview(read.path, "refused", message=read.error))
            continue
        if stored_id is not None or read.content_hash in hashes:
            stored = get_source(store, stored_id) if stored_id is not None else None
            out.append(
                ReportPreview(
                    read.path, "unchanged", read.report, stored, stored.ours if stored else None
                )
            )
            continue
        hashes.add(read.content_hash)
        report = read.report
        assert report is not None
        with store.reading() as session:
            earlier = same_inspection(session, report)
        if earlier is not None:
            source = get_source(store, earlier.id or 0)
            mine = source.ours if ours is None else ours
            out.append(ReportPreview(read.path, "changed", report, source, mine))
            continue
        if inspection_key(report) in seen:
            out.append(
                ReportPreview(
                    read.path, "changed", report, None, None,
                    f"the same inspection as {seen[inspection_key(report)].name}, earlier "
                    "in this import",
                )
            )  # fmt: skip
            continue
        seen[inspection_key(report)] = read.path
        mine = ours if ours is not None else is_ours(report.council_code, own)
        if mine:
            own.add(report.council_code)
        out.append(ReportPreview(read.path, "new", report, None, mine))
    return out


def import_reports(
    store: Store,
    paths: Iterable[Path],
    *,
    update: bool = False,
    ours: bool | None = None,
    progress: Progress | None = None,
) -> list[ReportOutcome]:
    """Import reports (files or folders). Each report is one transaction: a file that cannot
    be read is refused with its reason and the others carry on. A file imported before (same
    content) is left alone; a changed copy of a report already stored (the same council and
    inspection dates) is only replaced with ``update=True``.

    Each new report is stored as this council's own or another council's by :func:`is_ours`
    (say which in the outcome's message), unless ``ours`` says so for all of them. Given
    for a report stored before, ``ours`` moves it across."""
    files = expand_paths(paths)
    outcomes: list[ReportOutcome] = []
    themes = store_themes(store)
    for read, stored_id in read_all(store, files, progress):
        try:
            if read.content_hash is None or (read.report is None and stored_id is None):
                raise ImportFailed(read.error)
            if stored_id is not None:
                outcomes.append(known_report(store, read.path, stored_id, ours))
            else:
                assert read.report is not None
                outcomes.append(
                    store_report(store, read.report, update=update, ours=ours, themes=themes)
                )
        except StoreError as error:
            outcomes.append(ReportOutcome(read.path, "refused", None, 0, error.phrase))
    return outcomes
