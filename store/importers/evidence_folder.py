"""Scan an evidence folder (a shared-drive export) into evidence records.

Each document becomes one evidence item: a title from its file name (without dates,
underscores, version marks like ``v2`` or ``FINAL``), a kind guessed from its name and type,
an as-of date from a date in the name (``2017-11 MASH audit.docx``) or else the file's
modification date, and its absolute path as the location. A file already recorded (same
location) is skipped, though its as-of date moves forward when the file was saved again.

A file recorded by an earlier scan that is no longer there is marked missing (a gap) from
the day of the scan; nothing is ever deleted, and the mark is cleared when the file comes
back. Hidden files and folders, Office lock files (``~$...``) and system clutter are skipped.

A file moved to another subfolder or renamed keeps its evidence item: the item's location
follows the file, and everything the lead did with it stays (its id, links to actions and
findings, "ready for the visit" ticks, title, kind and impact statement); a missing mark is
cleared, and the as-of date moves forward when the file's own date is later. The store
keeps nothing about a file but its path and dates, and the old file is gone when it is
missed, so there is nothing to compare its content with: a move is recognised by name. A
recorded item whose file has gone and a file new to the scan are the same document when
their names say the same thing:

* the same title once dates, version marks (``v2``, ``FINAL``, ``(2)``), ``Copy of``,
  separators, case and punctuation are set aside: the name the *file* had, not the item's
  title, which the lead may have edited;
* the same date written in the name, or none in either (``2018-11 MASH audit`` is not
  ``2018-12 MASH audit``: a monthly audit is a new document each month);
* the same type of file (``.docx`` saved as ``.pdf`` is a new file);

and nothing else in the folder could be it: exactly one item gone and one new file have
that name, and no other file in the folder has it. So ``2018-11 MASH audit v2.docx`` moved
to ``Audits/2018-11 MASH audit FINAL.docx`` is a move; so is ``MASH audit v2`` replaced
by ``MASH audit v3`` (a later version of the same document takes over its links).

When several files share a name (the same audit in dated subfolders, two copies of one
file), an item is paired only with the one file whose own date (as the scan reads it) is
the item's as-of date, and only when no other item has that date; a move keeps a file's
modification date, so a folder of monthly audits moved together still pairs. Whatever is
left unsure is never guessed: it stays missing + new, and the result lists it as not paired,
with why. A file renamed to something else entirely is missing + new too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from store.database import Store
from store.dates import parse_date
from store.errors import ImportFailed, ValidationError
from store.evidence import create_evidence, list_evidence, update_evidence
from store.importers.limits import MAX_EVIDENCE_FILES
from store.records import Evidence
from store.team import note_history

Progress = Callable[[int, int, str], None]

_JUNK_NAMES = {"thumbs.db", "desktop.ini", "icon\r", ".ds_store"}
_JUNK_SUFFIXES = {".tmp", ".lnk", ".crdownload", ".part", ".partial", ".bak", ".swp", ".url~"}
_JUNK_DIRS = {"__macosx", "$recycle.bin", "system volume information", "node_modules"}

# Kinds in the order they are tried: the first whose words appear in the name wins, so a
# "case audit tracker" is a tracker and a "KPI scorecard for the board" performance data.
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tracker", ("tracker", "tracking", "action log", "improvement plan", "action plan")),
    ("self-assessment", ("self assessment", "self evaluation", "sef", "annual conversation")),
    ("case sample", ("case sample", "dip sample", "sample", "case study", "case studies",
                     "case file", "chronology")),
    ("audit", ("audit", "audits", "case review", "qa review", "moderation", "thematic review")),
    ("performance data", ("kpi", "kpis", "dashboard", "scorecard", "performance", "data pack",
                          "datapack", "metrics", "statistics", "stats", "mi report",
                          "management information", "data report", "performance report")),
    ("policy", ("policy", "procedure", "procedures", "threshold", "thresholds",
                "practice standards", "practice standard", "guidance", "protocol",
                "strategy", "terms of reference", "toolkit", "practice framework",
                "practice model")),
    ("minutes", ("minutes", "board", "meeting notes", "notes of meeting", "agenda", "panel",
                 "committee", "scrutiny")),
    ("training", ("training", "course", "workshop", "briefing", "learning", "induction",
                  "attendance", "cpd", "e learning", "elearning", "masterclass")),
    ("feedback", ("feedback", "survey", "questionnaire", "consultation", "compliments",
                  "complaints", "you said we did", "voice", "views", "comments")),
)  # fmt: skip
_ACRONYMS = {
    w.lower(): w
    for w in (
        "MASH", "KPI", "KPIs", "CP", "CIN", "CLA", "CiC", "PLO", "IRO", "IROs", "RHI",
        "CSE", "LSCB", "QA", "EET", "NEET", "DCS", "LADO", "SEND", "CAMHS", "EHCP", "ASYE",
        "UASC", "SEF", "ILACS", "JTAI", "MACE", "DoLS", "LAC", "EH", "ICPC", "RCPC", "MARAC",
    )
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# Dates as people put them in file names, most specific first.
_NAME_DATES = (
    (re.compile(r"(?<!\d)((?:19|20)\d\d)[-_. ]?(0[1-9]|1[0-2])[-_. ]?([0-2]\d|3[01])(?!\d)"), "ymd"),
    (re.compile(r"(?<!\d)([0-2]?\d|3[01])[-_. ](0?[1-9]|1[0-2])[-_. ]((?:19|20)?\d\d)(?!\d)"), "dmy"),
    (re.compile(rf"(?<![a-z0-9])(\d{{1,2}})(?:st|nd|rd|th)?[-_ ]?({_MONTH})[-_ ']?((?:19|20)?\d\d)(?!\d)", re.I), "d mon y"),
    (re.compile(r"(?<!\d)((?:19|20)\d\d)[-_. ](0[1-9]|1[0-2])(?!\d)"), "ym"),
    (re.compile(rf"(?<![a-z])({_MONTH})[-_ ']?((?:19|20)?\d\d)(?!\d)", re.I), "mon y"),
)  # fmt: skip
_VERSION_MARKS = re.compile(
    r"(?:^|\s)(?:[(\[]?(?:v\s?\d+(?:\.\d+)*[a-z]?|ver\s?\d+|version\s?\d+(?:\.\d+)*|final"
    r"|updated|latest|amended|revised|clean|tracked|copy|signed off)[)\]]?|[(\[]\d+[)\]])$",
    re.IGNORECASE,
)
# A version mark straight after "DRAFT" says which draft ("DRAFT v2", "(DRAFT) v2.1"): part
# of the title as written, never a mark to take out (a v2 and a v3 draft are not one document).
_DRAFT_BEFORE = re.compile(r"\bdraft[)\]]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class FoundFile:
    """A document found by a scan, and the evidence item it becomes."""

    path: str
    title: str
    kind: str
    as_of: date | None
    # A case sample is about named children; the lead can clear the flag if it is not.
    personal_data: bool = False
    # Why it is taken to hold personal data ("a case sample, by its name"), shown in the
    # dry run for the lead to confirm or clear; "" when the lead said so, or it does not.
    personal_guess: str = ""


@dataclass(frozen=True)
class Moved:
    """A recorded item whose file has gone, found again under another name or folder."""

    item: Evidence  # as it was before the scan, with its old location
    path: str  # where the file is now
    as_of: date | None = None  # the later as-of date the file's own date gives, if any


@dataclass(frozen=True)
class NotPaired:
    """Gone items and new files that may be the same documents but cannot be told apart.

    They stay what they look like: the items missing, the files new.
    """

    gone: tuple[Evidence, ...]
    found: tuple[str, ...]  # paths of the new files
    reason: str  # why, e.g. "2 new files have this name"


@dataclass
class ScanResult:
    """What a scan found (or, for a dry run, would record)."""

    folder: Path
    dry_run: bool
    new: list[FoundFile] = field(default_factory=list)
    known: int = 0
    refreshed: list[Evidence] = field(default_factory=list)  # saved again since: as-of moved
    missing: list[Evidence] = field(default_factory=list)  # gone since the last scan
    still_missing: list[Evidence] = field(default_factory=list)
    returned: list[Evidence] = field(default_factory=list)  # missing before, back now
    moved: list[Moved] = field(default_factory=list)  # gone from one place, found in another
    not_paired: list[NotPaired] = field(default_factory=list)  # maybe moved: too unsure to say
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    # The new as-of date of each refreshed item, by evidence id, as read during the scan.
    refreshed_as_of: dict[int, date] = field(default_factory=dict)


def scan_evidence_folder(
    store: Store,
    folder: str | Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    personal_data: Mapping[str, bool] | None = None,
) -> ScanResult:
    """Record every document under ``folder`` as evidence and mark the ones that have gone.

    A new document is marked as holding personal data when its name says it is a case
    sample (the guess is on its ``FoundFile``, for the dry run to show), unless
    ``personal_data`` (path -> yes or no: the lead's answer to the dry run) says otherwise.

    One transaction: the scan lands whole or not at all. ``dry_run`` writes nothing.
    Raises :class:`ImportFailed` when the folder cannot be scanned at all.
    """
    answers = dict(personal_data or {})
    root = Path(os.path.abspath(os.path.expanduser(str(folder))))
    if not root.exists():
        raise ImportFailed(f"{folder}: there is no such folder.")
    if not root.is_dir():
        raise ImportFailed(f"{folder}: is a file, not a folder (give the folder to scan).")
    if not os.access(root, os.R_OK | os.X_OK):
        raise ImportFailed(f"{folder}: the folder cannot be read (permission denied).")
    result = ScanResult(folder=root, dry_run=dry_run)
    files = _walk(root, result)
    prefix = str(root).rstrip(os.sep) + os.sep
    recorded = {e.location: e for e in list_evidence(store, location_prefix=prefix)}
    today = store.today
    found_files: list[FoundFile] = []
    known_files: list[tuple[str, date]] = []  # (location, the file's own date)
    for done, path in enumerate(files, 1):
        if progress:
            progress(done, len(files), path.name)
        location = str(path)
        try:
            stat = path.stat()
        except OSError as error:
            result.skipped.append((location, f"cannot be read ({error.strerror})"))
            continue
        as_of = min(date_in_name(path.stem) or _modified(stat.st_mtime), today)
        known = recorded.pop(location, None)
        if known is None:
            kind = guess_kind(path.name)
            guess = "a case sample, by its name" if kind == "case sample" else ""
            personal = answers.get(location, bool(guess))
            found_files.append(
                FoundFile(
                    location,
                    title_from_name(path.name),
                    kind,
                    as_of,
                    personal,
                    guess if location not in answers else "",
                )
            )
            continue
        result.known += 1
        known_files.append((location, as_of))
        if known.missing_since is not None:
            result.returned.append(known)
        if known.as_of is not None and as_of > known.as_of:
            result.refreshed.append(known)
            result.refreshed_as_of[known.id] = as_of
    gone = [item for item in recorded.values() if not os.path.lexists(item.location)]
    result.moved, result.not_paired = _find_moves(gone, found_files, known_files)
    moved_ids = {move.item.id for move in result.moved}
    moved_paths = {move.path for move in result.moved}
    for item in gone:
        if item.id not in moved_ids:
            (result.still_missing if item.missing_since else result.missing).append(item)
    result.new = [found for found in found_files if found.path not in moved_paths]
    if not dry_run:
        _record(store, result, today, progress)
    return result


def _record(store: Store, result: ScanResult, today: date, progress: Progress | None) -> None:
    """Write what the scan found, all in one transaction.

    Only what changed is written: a known file is never touched unless it came back or was
    saved again since, and a missing file's record is marked, never deleted.
    """
    with store.batch():
        # One history entry names the scan; the records it makes have their own.
        note_history(store, "import", "evidence", detail=f"evidence folder {result.folder}")
        for done, found in enumerate(result.new, 1):
            create_evidence(
                store,
                title=found.title,
                kind=found.kind,
                as_of=found.as_of,
                location=found.path,
                personal_data=found.personal_data,
            )
            if progress:
                progress(done, len(result.new), f"recording {Path(found.path).name}")
        for move in result.moved:
            changes: dict[str, object] = {"location": move.path, "missing_since": None}
            if move.as_of is not None:
                changes["as_of"] = move.as_of
            update_evidence(store, move.item.id, **changes)
        for item in result.returned:
            update_evidence(store, item.id, missing_since=None)
        for item in result.refreshed:
            update_evidence(store, item.id, as_of=result.refreshed_as_of[item.id])
        for item in result.missing:
            update_evidence(store, item.id, missing_since=today)


_NameKey = tuple[str, date | None, str]


def _name_key(location: str) -> _NameKey:
    """What a file's name says it is: its cleaned title, the date in it and its type."""
    name = Path(location).name
    return _words(title_from_name(name)), date_in_name(Path(name).stem), Path(name).suffix.lower()


def _find_moves(
    gone: list[Evidence], new: list[FoundFile], others: list[tuple[str, date]]
) -> tuple[list[Moved], list[NotPaired]]:
    """Pair items whose files have gone with new files that are the same documents.

    ``others`` are the files in the folder already recorded where they are, with their own
    dates: a name one of them shares is not enough to tell documents apart. The rule is the
    module's (same name, same date in it, same type, nothing else that could be it); what
    cannot be paired for sure comes back as :class:`NotPaired`. The names of files already
    recorded are read only when a gone item and a new file share a name, so a scan with
    nothing gone costs nothing more.
    """
    if not gone or not new:
        return [], []
    groups: dict[_NameKey, tuple[list[Evidence], list[FoundFile], list[tuple[str, date]]]] = {}
    for item in gone:
        groups.setdefault(_name_key(item.location), ([], [], []))[0].append(item)
    for found in new:
        group = groups.get(_name_key(found.path))
        if group is not None:
            group[1].append(found)
    candidates = {key: group for key, group in groups.items() if group[1]}
    if not candidates:
        return [], []
    for location, as_of in others:
        group = candidates.get(_name_key(location))
        if group is not None:
            group[2].append((location, as_of))
    moved: list[Moved] = []
    not_paired: list[NotPaired] = []
    for items, files, present in candidates.values():
        if len(items) == 1 and len(files) == 1 and not present:
            pairs = [(items[0], files[0])]
        else:
            pairs = _pair_by_date(items, files, present)
        for item, found in pairs:
            later = item.as_of is not None and found.as_of is not None and found.as_of > item.as_of
            moved.append(Moved(item, found.path, found.as_of if later else None))
        paired_items = {item.id for item, _ in pairs}
        paired_files = {found.path for _, found in pairs}
        left_items = tuple(item for item in items if item.id not in paired_items)
        left_files = tuple(found.path for found in files if found.path not in paired_files)
        if left_items and left_files:
            not_paired.append(NotPaired(left_items, left_files, _why(items, files, present)))
    order = {found.path: number for number, found in enumerate(new)}
    moved.sort(key=lambda move: order[move.path])
    return moved, not_paired


def _pair_by_date(
    items: list[Evidence], files: list[FoundFile], present: list[tuple[str, date]]
) -> list[tuple[Evidence, FoundFile]]:
    """Among documents that share a name, each item with the one file whose own date is its
    as-of date, when no other file (new or recorded) and no other item has that date."""
    dates = [found.as_of for found in files] + [as_of for _, as_of in present]
    pairs = []
    for found in files:
        if found.as_of is None or dates.count(found.as_of) != 1:
            continue
        same = [item for item in items if item.as_of == found.as_of]
        if len(same) == 1:
            pairs.append((same[0], found))
    return pairs


def _why(items: list[Evidence], files: list[FoundFile], present: list[tuple[str, date]]) -> str:
    """Why documents that share a name could not be paired, in the lead's words."""
    reasons = []
    if len(files) > 1:
        reasons.append(f"{len(files)} new files have this name")
    if len(items) > 1:
        reasons.append(f"{len(items)} files that have gone had this name")
    if present:
        reasons.append(
            f"{len(present)} {'file' if len(present) == 1 else 'files'} already recorded "
            f"in the folder {'has' if len(present) == 1 else 'have'} this name too"
        )
    return "; ".join(reasons) or "more than one file could be it"


def _walk(root: Path, result: ScanResult) -> list[Path]:
    """Every document under ``root``, in a stable order, without hidden files or clutter."""
    found: list[Path] = []

    def unreadable(error: OSError) -> None:
        result.skipped.append((str(error.filename), f"cannot be read ({error.strerror})"))

    for directory, dirs, names in os.walk(root, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not _hidden(d) and d.lower() not in _JUNK_DIRS)
        for name in sorted(names):
            if _hidden(name) or _junk(name):
                continue
            path = Path(directory) / name
            if path.is_symlink() and not path.exists():
                result.skipped.append((str(path), "is a broken shortcut"))
                continue
            if not path.is_file():
                continue
            found.append(path)
            if len(found) > MAX_EVIDENCE_FILES:
                raise ImportFailed(
                    f"{root} holds more than {MAX_EVIDENCE_FILES:,} documents: scan the folder "
                    "of the plan's evidence, not a whole drive. Nothing was recorded."
                )
    return found


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def _junk(name: str) -> bool:
    low = name.lower()
    return (
        low in _JUNK_NAMES
        or Path(low).suffix in _JUNK_SUFFIXES
        or (low.startswith("~") and low.endswith(".tmp"))
    )


def _modified(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp).date()


def _words(name: str) -> str:
    """A file name as plain lower-case words: ``2017-11_MASH_Audit.v2`` -> ``2017 11 mash audit v2``."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())


def guess_kind(name: str) -> str:
    """The evidence kind a file name (or a line of an Evidence cell) suggests, else "other"."""
    words = f" {_words(name)} "
    for kind, phrases in _KIND_WORDS:
        if any(f" {phrase} " in words for phrase in phrases):
            return kind
    # Nothing in the name: slides in an evidence folder are almost always a briefing.
    if Path(name).suffix.lower() in (".pptx", ".ppt", ".key", ".odp"):
        return "training"
    return "other"


def location_in(text: str) -> str:
    """A file path or web address written in an Evidence cell, if it is only that."""
    candidate = text.strip().strip("<>\"'")
    if " " in candidate and not re.match(r"^([a-zA-Z]:\\|\\\\|/)", candidate):
        return ""
    if re.match(r"^(https?://|www\.)\S+$", candidate, re.IGNORECASE):
        return candidate
    if re.match(r"^([a-zA-Z]:\\|\\\\|/|~/)", candidate):
        return candidate
    return ""


def file_date(location: str) -> date | None:
    """The as-of date of a file a plan names by its path: the date in its name, else the
    day it was last modified (as a folder scan dates it); None for a link or a path that is
    not a file here."""
    if not location or "://" in location:
        return None
    path = Path(location).expanduser()
    dated = date_in_name(path.stem)
    if dated is not None:
        return dated
    try:
        return _modified(path.stat().st_mtime) if path.is_file() else None
    except OSError:
        return None


def date_in_name(name: str) -> date | None:
    """A date written in a file name (``2017-11-30``, ``30.11.17``, ``Nov 2017``, ``2017-11``)."""
    for pattern, shape in _NAME_DATES:
        for match in pattern.finditer(name):
            parts = match.groups()
            try:
                if shape == "ymd":
                    return date(int(parts[0]), int(parts[1]), int(parts[2]))
                if shape == "dmy":
                    year = int(parts[2]) + (2000 if len(parts[2]) == 2 else 0)
                    return date(year, int(parts[1]), int(parts[0]))
                if shape == "d mon y":
                    return parse_date(f"{parts[0]} {parts[1][:3]} {_full_year(parts[2])}")
                if shape == "ym":
                    return parse_date(f"{date(2000, int(parts[1]), 1):%b} {parts[0]}")
                return parse_date(f"{parts[0][:3]} {_full_year(parts[1])}")
            except (ValueError, ValidationError):
                continue
    return None


def _full_year(text: str) -> str:
    return text if len(text) == 4 else f"20{text}"


def _balanced(text: str) -> str:
    """``text`` with its brackets balanced: a "(" left open by a date or version taken out
    is closed ("(CiC v2)" -> "(CiC)"), a ")" with no "(" dropped; outer spaces gone."""
    out: list[str] = []
    open_brackets: list[str] = []
    for char in text:
        if char in "([":
            open_brackets.append(")" if char == "(" else "]")
        elif char in ")]":
            if not open_brackets or open_brackets[-1] != char:
                continue
            open_brackets.pop()
        out.append(char)
    closed = "".join(out).rstrip(" -,.")
    return (closed + "".join(reversed(open_brackets))).strip()


def title_from_name(name: str) -> str:
    """A readable title from a file name: no extension, dates, underscores or version marks
    ("v2", "FINAL", "Copy of"). "DRAFT" stays, so a draft is never passed off as final, with
    its version as written ("(DRAFT v2)": which draft it is), and brackets stay balanced."""
    stem = Path(name).stem if Path(name).suffix and len(Path(name).suffix) <= 6 else name
    text = stem
    for pattern, _ in _NAME_DATES:
        text = pattern.sub(" ", text)
    # Underscores always separate words; hyphens and dots only in names without spaces
    # ("MASH-audit-Nov-2017"), so "Self-assessment 2017" keeps its hyphen; never a dot
    # between digits ("DRAFT-v2.1" keeps its version as written).
    separators = r"_+|\s+-\s+" if " " in stem.strip() else r"[_\-]+|(?<!\d)\.|\.(?!\d)"
    text = re.sub(separators, " ", text)
    text = re.sub(r"^\s*copy of\s+", "", text, flags=re.IGNORECASE)
    text = " ".join(text.split())
    while True:
        mark = _VERSION_MARKS.search(text)
        if mark is None or _DRAFT_BEFORE.search(text, 0, mark.start()):
            break
        shorter = text[: mark.start()].strip(" -_,.()[]")
        if shorter == text or not shorter:
            break
        text = shorter
    text = _balanced(re.sub(r"[\s\-,.(\[]+$", "", re.sub(r"\(\s*\)|\[\s*\]", "", text)))
    if not text:
        text = " ".join(_words(stem).split()) or stem
    words = [_ACRONYMS.get(w.lower(), w) for w in text.split()]
    text = " ".join(words)
    if text[:1].islower():
        text = text[:1].upper() + text[1:]
    return text[:300]
