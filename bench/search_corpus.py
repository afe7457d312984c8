"""A realistic 100,000-record corpus for the search benchmark, from the real Ofsted reports.

Every paragraph and finding of the 42 real report PDFs in ``../shared/ofsted-reports/``
becomes a *unit* with a stable key, ``<file>#<n>`` (the n-th unit of that report, in
reading order). Records are made from units: each finding, action and evidence record
carries one unit's whole text (real words, real lengths), with its own title, ref, owner,
dates, BRAG and theme varied around it; sources are the reports themselves. Units are
reused (about twenty times each) to reach 100,000 records, as a store holding many
councils' reports and plans would repeat the same language.

A record is about what its unit is about: ``search_queries.json`` names the units that
answer each query, so the relevant records of a query are those made from those units.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from store.search import SearchDoc
from store.search.documents import doc_from_fields

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "ofsted-reports"

_BULLET = re.compile(r"^\s*(?:[\u25fc\u25aa\u2022\uf06e\uf0a7\uf0b7]|\d{1,3}\.\s)")
_SENTENCE = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class Unit:
    key: str
    text: str
    report: str  # local authority and year, e.g. "Haringey 2018"
    bullet: bool


def _report_text(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        lines: list[str] = []
        for page in pdf:
            text = page.get_textpage().get_text_range()
            lines.extend(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        return lines
    finally:
        pdf.close()


def _units_of(path: Path) -> list[Unit]:
    lines = _report_text(path)
    stripped = [line.strip() for line in lines]
    counts: dict[str, int] = {}
    for line in stripped:
        counts[line] = counts.get(line, 0) + 1
    name, year = path.stem.rsplit("_", 1)
    report = f"{name.replace('-', ' ').title()} {year[:4]}"
    paragraphs: list[tuple[str, bool]] = []
    current: list[str] = []
    bullet = False

    def close() -> None:
        if current:
            paragraphs.append((" ".join(current), bullet))
            current.clear()

    for raw, line in zip(lines, stripped, strict=True):
        # Page headers and footers repeat; page numbers are bare digits.
        if not line or line.isdigit() or (counts[line] >= 3 and len(line) < 90):
            continue
        if _BULLET.match(line):
            close()
            bullet = True
            line = _BULLET.sub("", line).strip()
        elif not current:
            bullet = False
        current.append(line)
        # A paragraph ends on a line ending a sentence with no space after it.
        if re.search(r"[.:?]$", raw) and len(line) < 88:
            close()
    close()
    units: list[Unit] = []
    for text, is_bullet in paragraphs:
        text = re.sub(r"\s+", " ", text.replace("\ufffe", "-").replace("\u00ad", "-")).strip()
        text = re.sub(r"(\w)- (\w)", r"\1-\2", text)
        if len(text.split()) < 8 or not re.search(r"[a-z]{3}", text):
            continue
        units.append(Unit(f"{path.name}#{len(units) + 1}", text, report, is_bullet))
    return units


@cache
def units() -> tuple[Unit, ...]:
    """Every unit of every real report, in file and reading order."""
    out: list[Unit] = []
    for path in sorted(REPORTS.glob("*.pdf")):
        with path.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                continue  # the three saved "Report not found" pages
        out.extend(_units_of(path))
    return tuple(out)


_THEMES = (
    (
        r"\bMASH\b|front door|multi-agency safeguarding hub|threshold|referral",
        "Front door and MASH",
    ),
    (r"care leavers?|leaving care|pathway plan|personal adviser", "Care leavers"),
    (r"missing|exploitation|return home interview", "Exploitation and missing"),
    (r"\bPLO\b|public law outline|pre-proceedings|court", "PLO and pre-proceedings"),
    (r"permanence|adoption|special guardianship", "Permanence"),
    (r"independent reviewing officer|\bIROs?\b|child protection chair", "IROs and CP chairs"),
    (r"private fostering|kinship", "Private fostering and kinship care"),
    (r"disabled children|disabilit", "Disabled children"),
    (r"homeless", "16-17 year olds who are homeless"),
    (r"children in care|looked after|foster|placement", "Children in care"),
    (
        r"child protection|children in need|strategy (?:discussion|meeting)|section 47",
        "Children in need and child protection",
    ),
    (r"supervision|management oversight", "Supervision and management oversight"),
    (r"caseload|workforce|recruit|agency (?:staff|social workers)", "Workforce and caseloads"),
    (r"audit|performance|quality assurance", "Quality assurance and performance"),
    (r"assessment", "Assessment"),
    (r"wishes and feelings|views of children|voice", "Voice of the child"),
)
_OWNERS = (
    "Head of Service", "Service Manager", "Assistant Director", "Team Manager",
    "Performance Lead", "Practice Lead", "Director",
)  # fmt: skip
_NAMES = (
    "A. Khan",
    "B. Okafor",
    "C. Murphy",
    "D. Patel",
    "E. Walsh",
    "F. Nowak",
    "G. Evans",
    "H. Ali",
)
_VERBS = ("Improve", "Strengthen", "Ensure", "Embed", "Review", "Develop")
_EVIDENCE = (
    "Audit",
    "Tracker",
    "Performance report",
    "Policy",
    "Minutes",
    "Case sample",
    "Training record",
    "Feedback",
)
_MEASURES = (
    "Reported monthly; target met by {when}.",
    "Sustained for three months by {when}.",
    "Confirmed at the quarterly review, {when}.",
)


def _action_title(text: str, rng: random.Random) -> str:
    title = _short_title(text, rng)
    if title.split()[0] in _VERBS:
        return title
    return f"{rng.choice(_VERBS)} {title[0].lower()}{title[1:]}"


def _next_ref(refs: dict[tuple[str, str], int], report: str, letter: str) -> str:
    number = refs[(report, letter)] = refs.get((report, letter), 0) + 1
    return f"{letter}{number}"


def theme_of(text: str) -> str:
    for pattern, theme in _THEMES:
        if re.search(pattern, text, flags=re.IGNORECASE):
            return theme
    return "Leadership, governance and partnerships"


def _short_title(text: str, rng: random.Random) -> str:
    first = _SENTENCE.split(text, maxsplit=1)[0]
    words = first.split()
    cut = rng.randint(7, 14)
    title = " ".join(words[:cut]).rstrip(",;:.")
    return title if len(words) <= cut else title + "…"


@dataclass(frozen=True, slots=True)
class CorpusRecord:
    """A record to store or index, and the unit it was made from ("" for sources)."""

    kind: str
    id: int
    unit: str
    fields: dict[str, object]


def records(count: int = 100_000, seed: int = 2018) -> list[CorpusRecord]:
    """``count`` records: about 40% findings, 30% actions, 28% evidence and 2% sources."""
    rng = random.Random(seed)
    pool = units()
    reports = sorted({u.report for u in pool})
    out: list[CorpusRecord] = []
    n_sources = max(1, count // 50)
    for i in range(n_sources):
        report = reports[i % len(reports)]
        la, year = report.rsplit(" ", 1)
        edition = i // len(reports)
        title = f"Inspection of {la} children's services {year}" + (
            f" ({edition + 1})" if edition else ""
        )
        out.append(CorpusRecord("source", i + 1, "", {"title": title, "local_authority": la}))
    remaining = count - n_sources
    order = list(range(len(pool))) * (remaining // len(pool) + 1)
    rng.shuffle(order)
    counters = {"finding": 0, "action": 0, "evidence": 0}
    refs: dict[tuple[str, str], int] = {}  # (report, letter) -> last number: refs unique per source
    for n in range(remaining):
        unit = pool[order[n]]
        roll = rng.random()
        kind = "finding" if roll < 0.41 else "action" if roll < 0.72 else "evidence"
        counters[kind] += 1
        ident = counters[kind]
        theme = theme_of(unit.text)
        owner = f"{rng.choice(_NAMES)}, {rng.choice(_OWNERS)}"
        due = date(2017, 1, 1) + timedelta(days=rng.randint(0, 900))
        if kind == "finding":
            fields: dict[str, object] = {
                "title": _short_title(unit.text, rng),
                "text": unit.text,
                "ref": _next_ref(refs, unit.report, "R" if unit.bullet else "P"),
                "theme": theme,
                "source": unit.report,
                "source_id": reports.index(unit.report) + 1,
            }
        elif kind == "action":
            fields = {
                "title": _action_title(unit.text, rng),
                "ref": f"A{ident}",
                "description": unit.text,
                "owner": owner,
                "success_measure": rng.choice(_MEASURES).format(when=due.strftime("%B %Y")),
                "theme": theme,
                "brag": rng.choice(("blue", "green", "green", "amber", "amber", "red")),
                "due_date": due,
            }
        else:
            stem = _short_title(unit.text, rng)
            fields = {
                "title": f"{rng.choice(_EVIDENCE)} – {stem}",
                "impact": unit.text,
                "owner": owner,
                "location": f"S:/Improvement/Evidence/{due.year}/item-{ident:05d}.docx",
            }
        out.append(CorpusRecord(kind, ident, unit.key, fields))
    return out


def search_docs(corpus: list[CorpusRecord]) -> list[SearchDoc]:
    """The corpus as search documents, shaped exactly as the store-backed index shapes them."""
    return [doc_from_fields(r.kind, r.id, r.fields) for r in corpus]
