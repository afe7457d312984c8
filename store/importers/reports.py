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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypedDict

from sqlalchemy import select
from sqlmodel import Session, col

from store.database import Store
from store.dialect import claim_writes
from store.errors import ImportFailed, StoreError
from store.findings import add_findings, delete_finding, list_findings, update_finding
from store.importers.report_batch import PARALLEL_FROM, Progress, read_all
from store.importers.report_read import (
    REPORT_SUFFIXES,
    ParsedFinding,
    ParsedReport,
    read_report,
    short_title,
)
from store.models import SourceRow
from store.records import Finding, Source
from store.sources import create_source, get_source, update_source
from store.team import note_history
from store.themes import list_themes
from store.vocab import ASKED, BOARD, DEFAULT_THEMES, DETAIL, GRADES
from store.wording import Option, Phrase, phrase
from store.wording import plural as _plural

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
    """What importing one file would do (:func:`preview_reports`), for a front end to say
    in its own words.

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


# --- whose report ---------------------------------------------------------------------------


def council_key(name: str) -> str:
    """A local authority's name as :func:`own_councils` holds it (any case or spacing)."""
    return " ".join(name.split()).lower()


def _key_of(code: str, name: str) -> str:
    """A council as this council's own are held: its ONS code, or for a source with none
    (made by hand) its name."""
    return code or council_key(name)


def own_councils(store: Store, session: Session | None = None) -> set[str]:
    """The councils of this council's own sources (ONS codes; a source with no code by its
    lowercased name), for :func:`is_ours`."""

    def read(s: Session) -> set[str]:
        rows = s.execute(
            select(col(SourceRow.council_code), col(SourceRow.local_authority))
            .where(col(SourceRow.ours).is_(True))
            .distinct()
        )
        return {_key_of(code, name) for code, name in rows if code or name.strip()}

    if session is not None:
        return read(session)
    with store.reading() as s:
        return read(s)


def is_ours(council: str, own: set[str]) -> bool:
    """Whether a report of ``council`` (its ONS code, or a name) is this council's own: one
    of our own sources is that council's, or no own source names a council yet (the first
    report is the council's own). Otherwise it is another council's, imported to learn from."""
    return not own or council in own or council_key(council) in own


def whose(ours: bool, *, hint: bool = True) -> Phrase:
    """How a report is stored, said plainly ("as another council's report, for search and
    learning: not in packs or gaps"), with how to change it when ``hint`` (the choice each
    front end names: ``--ours`` and ``--other`` on the command line)."""
    if ours:
        return phrase(
            "as this council's own report",
            phrase(" (use ", Option.OTHER, " if it is another council's)") if hint else "",
        )
    return phrase(
        "as another council's report, for search and learning: not in packs or gaps",
        phrase(" (use ", Option.OURS, " if it is yours)") if hint else "",
    )


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to import: each file as given, each folder's .pdf and .txt files sorted by name."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out.extend(
                sorted(
                    (p for p in path.iterdir() if p.suffix.lower() in REPORT_SUFFIXES),
                    key=lambda p: p.name.lower(),
                )
            )
        else:
            out.append(path)
    return out


# --- the same inspection --------------------------------------------------------------------


def _same_inspection(session: Session, report: ParsedReport) -> SourceRow | None:
    """The stored report of the same inspection: the same council (by its ONS code, never
    its name) and the same inspection dates. One indexed look-up."""
    if not report.council_code or report.start_date is None:
        return None
    query = select(SourceRow).where(
        col(SourceRow.council_code) == report.council_code,
        col(SourceRow.start_date) == report.start_date,
    )
    if report.end_date is not None:
        query = query.where(col(SourceRow.end_date) == report.end_date)
    return session.scalars(query.order_by(col(SourceRow.id)).limit(1)).first()


def _inspection_key(report: ParsedReport) -> tuple[str, date | None, date | None]:
    return report.council_code, report.start_date, report.end_date


# --- preview --------------------------------------------------------------------------------


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
            earlier = _same_inspection(session, report)
        if earlier is not None:
            source = get_source(store, earlier.id or 0)
            mine = source.ours if ours is None else ours
            out.append(ReportPreview(read.path, "changed", report, source, mine))
            continue
        if _inspection_key(report) in seen:
            out.append(
                ReportPreview(
                    read.path, "changed", report, None, None,
                    f"the same inspection as {seen[_inspection_key(report)].name}, earlier "
                    "in this import",
                )
            )  # fmt: skip
            continue
        seen[_inspection_key(report)] = read.path
        mine = ours if ours is not None else is_ours(report.council_code, own)
        if mine:
            own.add(report.council_code)
        out.append(ReportPreview(read.path, "new", report, None, mine))
    return out


# --- import ---------------------------------------------------------------------------------


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
    themes = _store_themes(store)
    for read, stored_id in read_all(store, files, progress):
        try:
            if read.content_hash is None or (read.report is None and stored_id is None):
                raise ImportFailed(read.error)
            if stored_id is not None:
                outcomes.append(_known(store, read.path, stored_id, ours))
            else:
                assert read.report is not None
                outcomes.append(
                    _store_report(store, read.report, update=update, ours=ours, themes=themes)
                )
        except StoreError as error:
            outcomes.append(ReportOutcome(read.path, "refused", None, 0, error.phrase))
    return outcomes


def _known(store: Store, path: Path, source_id: int, ours: bool | None) -> ReportOutcome:
    same = get_source(store, source_id)
    council = same.local_authority
    if ours is not None and ours != same.ours:
        update_source(store, same.id, ours=ours)
        return ReportOutcome(
            path, "updated", same.id, same.finding_count,
            f"{path.name}: already imported as '{same.title}'; now marked "
            + whose(ours, hint=False) + ".",
            ours, council,
        )  # fmt: skip
    return ReportOutcome(
        path, "unchanged", same.id, same.finding_count,
        f"{path.name}: already imported as '{same.title}'; nothing changed."
        + phrase(
            "" if same.ours else phrase(
                " It is another council's report (", Option.OURS, " makes it yours)."
            )
        ),
        same.ours, council,
    )  # fmt: skip


class _Changed(Exception):
    """The same inspection is stored from another file (and no update was asked for)."""

    def __init__(self, earlier: SourceRow) -> None:
        self.id, self.title, self.ours = earlier.id or 0, earlier.title, earlier.ours


def _store_report(
    store: Store,
    report: ParsedReport,
    *,
    update: bool,
    ours: bool | None = None,
    themes: dict[str, str] | None = None,
) -> ReportOutcome:
    name = report.path.name
    count = len(report.findings)
    council = report.local_authority
    themes = _store_themes(store) if themes is None else themes
    try:
        with store.batch() as session:
            # Take the write lock first: what is read below (the same inspection, whose
            # report it is) cannot change under this import until it commits.
            claim_writes(session)
            earlier = _same_inspection(session, report)
            if earlier is not None and not update:
                raise _Changed(earlier)
            if earlier is not None:
                return _update_report(store, report, get_source(store, earlier.id or 0),
                                      ours=ours, themes=themes)  # fmt: skip
            mine = ours if ours is not None else is_ours(
                report.council_code, own_councils(store, session)
            )  # fmt: skip
            source = create_source(store, kind=report.kind, title=report.title, ours=mine,
                                   **_source_fields(report))  # fmt: skip
            _add_findings(store, report.findings, source.id, themes)
            # One history entry names the file; the records it made have their own.
            note_history(store, "import", "source", source.id, detail=f"report {name}")
    except _Changed as changed:
        return ReportOutcome(
            report.path, "changed", changed.id, _count(store, changed.id),
            phrase(
                f"{name}: '{changed.title}' was imported before from a different file. "
                "Repeat with ", Option.UPDATE, " to replace its details and findings.",
            ),
            changed.ours, council,
        )  # fmt: skip
    stored_as = whose(mine, hint=ours is None)
    asked = sum(1 for f in report.findings if f.role == ASKED)
    return ReportOutcome(
        report.path, "imported", source.id, count,
        phrase(f"{name}: imported '{report.title}' with {_plural(count, 'finding')} ",
               stored_as, ".")
        + _structure_note(report, asked)
        + _unkept_grades(report)
        + (
            ""
            if count
            else " No list of findings was found in it: check the report and add any by hand."
        ),
        mine, council, stored_as,
    )  # fmt: skip


def _count(store: Store, source_id: int) -> int:
    return get_source(store, source_id).finding_count if source_id else 0


def _structure_note(report: ParsedReport, asked: int) -> str:
    """What of the findings is not a thing asked of the council (said only when some are)."""
    details = [f for f in report.findings if f.role == DETAIL]
    board = [f for f in report.findings if f.role == BOARD]
    if not details and not board:
        return ""
    parts = [f"{_plural(asked, 'recommendation')} for the council"]
    if details:
        loose = sum(1 for f in details if f.detail_of is None)
        parts.append(
            f"{_plural(len(details), 'marked paragraph')} as their detail"
            + (f" ({loose} not matched to one, kept on the report)" if loose else "")
        )
    if board:
        parts.append(
            f"{_plural(len(board), 'safeguarding board recommendation')} (the board's: "
            "adopt one to count it)"
        )
    return " That is " + "; ".join(parts) + "."


def _source_fields(report: ParsedReport) -> dict[str, object]:
    return {
        "local_authority": report.local_authority,
        "council_code": report.council_code,
        "framework": report.framework,
        "start_date": report.start_date,
        "end_date": report.end_date,
        "published_date": report.published_date,
        "lead_inspector": report.lead_inspector or "",
        "file_path": str(report.path.resolve()),
        "content_hash": report.content_hash,
        "judgements": [(area, grade) for area, grade in report.judgements if grade in GRADES],
    }


class _FindingFields(TypedDict):
    """The keyword arguments of ``create_finding`` for a finding read from a report."""

    title: str
    text: str
    ref: str
    kind: str
    judgement_area: str
    theme: str | None
    source_id: int
    role: str


def _finding_fields(
    finding: ParsedFinding, source_id: int, themes: dict[str, str]
) -> _FindingFields:
    return {
        "title": finding.title,
        "text": finding.text,
        "ref": finding.ref,
        "kind": finding.kind,
        "judgement_area": finding.judgement_area,
        "theme": themes.get(finding.theme or ""),
        "source_id": source_id,
        "role": finding.role,
    }


def _add_findings(
    store: Store, findings: list[ParsedFinding], source_id: int, themes: dict[str, str]
) -> dict[str, int]:
    """Store a report's findings: the recommendations and the board's first, then each
    detail paragraph attached to its recommendation. Returns each ref's id."""
    heads = [f for f in findings if f.role != DETAIL]
    ids = dict(
        zip(
            (f.ref for f in heads),
            add_findings(store, [dict(_finding_fields(f, source_id, themes)) for f in heads]),
            strict=True,
        )
    )
    details = [f for f in findings if f.role == DETAIL]
    rows: list[dict[str, Any]] = [
        {**_finding_fields(f, source_id, themes), "detail_of": ids.get(f.detail_of or "")}
        for f in details
    ]
    ids.update(zip((f.ref for f in details), add_findings(store, rows), strict=True))
    return ids


def _store_themes(store: Store) -> dict[str, str]:
    """Each suggestable theme's name in this store. A seeded theme the council has renamed
    keeps its place in the list, so a suggestion follows it to its new name; one that is
    nowhere to be found is left for the user to choose."""
    themes = list_themes(store)
    by_name = {theme.name.lower(): theme.name for theme in themes}
    by_position = {theme.position: theme.name for theme in themes}
    out: dict[str, str] = {}
    for position, name in enumerate(DEFAULT_THEMES):
        found = by_name.get(name.lower())
        if found is None and by_position.get(position, "").lower() not in {
            n.lower() for n in DEFAULT_THEMES
        }:
            found = by_position.get(position)
        if found:
            out[name] = found
    return out


def _update_report(
    store: Store,
    report: ParsedReport,
    earlier: Source,
    *,
    ours: bool | None = None,
    themes: dict[str, str],
) -> ReportOutcome:
    """Bring a stored report up to date with a changed copy of it (in the caller's
    transaction).

    A stored finding is kept (with its links, theme, status and, for the board's, the
    lead's adoption) when the new copy has the same words (its ref follows the new
    numbering) or the same ref with corrected words (the text and title are updated);
    stored findings with neither are removed, with their links. Detail paragraphs are
    attached again by the import's rule."""
    stored = list_findings(store, source_id=earlier.id)
    by_text = {_words(f.text): f for f in stored}
    by_ref = {f.ref: f for f in stored}
    matches: list[tuple[ParsedFinding, Finding | None]] = []
    used: set[int] = set()
    for finding in report.findings:
        same = by_text.get(_words(finding.text))
        if same is not None and same.id not in used:
            used.add(same.id)
            matches.append((finding, same))
        else:
            matches.append((finding, None))
    for index, (finding, same) in enumerate(matches):
        candidate = by_ref.get(finding.ref)
        if same is None and candidate is not None and candidate.id not in used:
            used.add(candidate.id)
            matches[index] = (finding, candidate)
    gone = [f for f in stored if f.id not in used]
    kept = sum(1 for f, old in matches if old is not None and _words(old.text) == _words(f.text))
    reworded = sum(1 for f, old in matches if old is not None) - kept
    added = sum(1 for _, old in matches if old is None)
    lost_links = sum(f.action_count + f.evidence_count for f in gone)
    note_history(
        store, "import", "source", earlier.id, detail=f"report {report.path.name} (updated)"
    )
    moved = {} if ours is None else {"ours": ours}
    update_source(store, earlier.id, title=report.title, **moved, **_source_fields(report))
    for finding_gone in gone:
        delete_finding(store, finding_gone.id, cascade=True)
    # Refs are unique within a source: park the kept ones first, so that renumbering
    # (R4 becoming R3) never collides on the way.
    for _, old in matches:
        if old is not None:
            update_finding(store, old.id, ref=f"~{old.id}")
    ids: dict[str, int] = {}
    new = [finding for finding, old in matches if old is None]
    for finding, old in matches:
        if old is None:
            continue
        ids[finding.ref] = old.id
        if _words(old.text) == _words(finding.text):
            update_finding(store, old.id, ref=finding.ref, kind=finding.kind, role=finding.role)
        else:
            update_finding(
                store, old.id, ref=finding.ref, kind=finding.kind, text=finding.text,
                title=finding.title, judgement_area=finding.judgement_area, role=finding.role,
            )  # fmt: skip
    rows = [dict(_finding_fields(f, earlier.id, themes)) for f in new]
    ids.update(zip((f.ref for f in new), add_findings(store, rows), strict=True))
    for finding in report.findings:
        if finding.role == DETAIL:
            update_finding(store, ids[finding.ref], detail_of=ids.get(finding.detail_of or ""))
    parts = [f"kept {_plural(kept, 'finding')} as they were, with their links"]
    if reworded:
        parts.append(f"updated the words of {reworded} (links kept)")
    if added:
        parts.append(f"added {added}")
    if gone:
        dropped = f" and their {_plural(lost_links, 'link')}" if lost_links else ""
        parts.append(f"removed {len(gone)} no longer in the report{dropped}")
    mine = earlier.ours if ours is None else ours
    if ours is not None and ours != earlier.ours:
        parts.append("marked " + str(whose(ours, hint=False)))
    return ReportOutcome(
        report.path, "updated", earlier.id, len(report.findings),
        f"{report.path.name}: updated '{report.title}': " + "; ".join(parts) + ".",
        mine, report.local_authority,
    )  # fmt: skip


def _words(text: str) -> str:
    return " ".join(text.split())


def _unkept_grades(report: ParsedReport) -> str:
    """A note on judgements graded on the scale used before 2013 ("adequate"), which the
    store's four grades cannot hold."""
    old = [f"{area} ({grade})" for area, grade in report.judgements if grade not in GRADES]
    if not old:
        return ""
    return " Not kept, as the grade is not on today's scale: " + "; ".join(old) + "."
