"""Build a big, realistic visitprep store fast, for the TUI benchmark (and by hand).

    PYTHONPATH=. python bench/big_store.py 100000 /tmp/big.db

``records`` findings + actions + evidence (about a third each) are made from the text of
the real Ofsted reports (``bench/search_corpus.units()``): a finding carries a paragraph or
bullet verbatim, an action answers it (owner, due date, BRAG, success measure, a dated
update history for some), an evidence item shows progress (kind, as-of and review-by dates,
owner, location). They are linked the way a real plan is: most findings have one or two
actions, most actions have evidence, some evidence supports a finding directly; and there
are gaps: findings with no action, actions with no evidence, overdue actions, stale
evidence. Sources are the reports themselves (each repeated as a new edition when the
corpus runs out), with their judgements; two visits are planned, the next one focused on
two themes.

Speed: the store's own API validates and re-reads every record (minutes at 100,000); here
``open_store`` creates the schema and seeds the themes, then every table is filled with
bulk ``INSERT``s through SQLAlchemy core in one transaction (100,000 records in seconds).
Deterministic: a fixed seed and dates around a fixed today (20/01/2018 by default).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.search_corpus import theme_of, units  # noqa: E402
from store import Store, open_store  # noqa: E402
from store.models import (  # noqa: E402
    ActionEvidenceLink,
    ActionRow,
    ActionUpdateRow,
    EvidenceRow,
    FindingActionLink,
    FindingEvidenceLink,
    FindingRow,
    JudgementRow,
    SourceRow,
    ThemeRow,
    VisitRow,
    VisitThemeLink,
)
from store.refs import ref_key  # noqa: E402

TODAY = date(2018, 1, 20)
_SENTENCE = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")

_OWNERS = (
    "Head of Service", "Service Manager", "Assistant Director", "Team Manager",
    "Performance Lead", "Practice Lead", "Principal Social Worker",
)  # fmt: skip
_NAMES = (
    "A. Khan", "B. Okafor", "C. Murphy", "D. Patel", "E. Walsh", "F. Nowak", "G. Evans",
    "H. Ali", "J. Brennan", "K. Osei", "L. Fraser", "M. Singh",
)  # fmt: skip
_VERBS = ("Improve", "Strengthen", "Ensure", "Embed", "Review", "Develop", "Reduce", "Increase")
_EVIDENCE_KINDS = (
    ("audit", "Case audit"),
    ("tracker", "Tracker"),
    ("performance data", "Performance report"),
    ("policy", "Practice standard"),
    ("minutes", "Board minutes"),
    ("case sample", "Case sample"),
    ("self-assessment", "Self-assessment"),
    ("training", "Training record"),
    ("feedback", "Feedback from children and families"),
)
_MEASURES = (
    "Reported monthly to the improvement board; target met by {when}.",
    "Sustained for three consecutive months by {when}.",
    "Confirmed by the quarterly practice audit, {when}.",
    "At least 90% of cases in the monthly sample by {when}.",
)
_NOTES = (
    "Tracker reviewed at the improvement board; progress as planned.",
    "Audit sample showed improvement but not yet consistent across teams.",
    "Delayed by recruitment: two team manager posts still vacant.",
    "Performance data shows the target met for the second month running.",
    "Practice standard agreed; training for team managers booked.",
)
_JUDGEMENTS = (
    "Impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
    "Overall effectiveness",
)
_GRADES = ("inadequate", "requires improvement", "requires improvement", "good")
_BRAG = ("blue", "green", "green", "amber", "amber", "red")
_FINDING_KINDS = (
    "improvement area", "improvement area", "recommendation", "priority action", "weakness",
    "strength", "progress",
)  # fmt: skip
_STATUSES = ("open", "open", "open", "improving", "met")


def _short_title(text: str, rng: random.Random) -> str:
    words = _SENTENCE.split(text, maxsplit=1)[0].split()
    cut = rng.randint(7, 13)
    title = " ".join(words[:cut]).rstrip(",;:.")
    return title if len(words) <= cut else title + "…"


def _action_title(text: str, rng: random.Random) -> str:
    title = _short_title(text, rng)
    if title.split()[0] in _VERBS:
        return title
    return f"{rng.choice(_VERBS)} {title[0].lower()}{title[1:]}"


def _owner(rng: random.Random) -> str:
    return f"{rng.choice(_NAMES)}, {rng.choice(_OWNERS)}"


def build(path: Path, records: int, *, today: date = TODAY, seed: int = 2018) -> dict[str, int]:
    """Create the store at ``path`` (which must not exist) with ``records`` findings +
    actions + evidence; return how many rows went into each table."""
    if path.exists():
        raise FileExistsError(f"{path} exists; big stores are built fresh")
    store = open_store(path, today=today)
    try:
        return _fill(store, records, today, random.Random(seed))
    finally:
        store.close()


def _fill(store: Store, records: int, today: date, rng: random.Random) -> dict[str, int]:
    pool = units()
    n_findings = records // 3
    n_actions = records // 3
    n_evidence = records - n_findings - n_actions

    with store.engine.begin() as conn:
        themes = {name: ident for ident, name in conn.execute(select(ThemeRow.id, ThemeRow.name))}

        # Sources: each report, again as a new "edition" whenever its units run out, so every
        # finding keeps a source whose text it really came from.
        sources: list[dict] = []
        judgements: list[dict] = []
        findings: list[dict] = []
        order = list(range(len(pool)))
        rng.shuffle(order)
        source_of: dict[tuple[str, int], int] = {}
        used: dict[tuple[str, int], set[str]] = {}
        for n in range(n_findings):
            unit = pool[order[n % len(order)]]
            edition = n // len(order)
            key = (unit.report, edition)
            if key not in source_of:
                la, year = unit.report.rsplit(" ", 1)
                ident = len(sources) + 1
                source_of[key] = ident
                start = date(int(year), 1, 8) + timedelta(days=rng.randint(0, 300))
                sources.append({
                    "id": ident, "kind": "inspection", "framework": "ILACS",
                    "title": f"Inspection of {la} children's services {year}"
                    + (f" (copy {edition + 1})" if edition else ""),
                    "local_authority": la, "start_date": start,
                    "end_date": start + timedelta(days=11),
                    "published_date": start + timedelta(days=40),
                    "lead_inspector": rng.choice(_NAMES), "url": "", "file_path": "",
                })  # fmt: skip
                for area in _JUDGEMENTS:
                    judgements.append(
                        {"source_id": ident, "area": area, "grade": rng.choice(_GRADES)}
                    )
            refs = used.setdefault(key, set())
            letter = "R" if unit.bullet else "P"
            ref = f"{letter}{len(refs) + 1}"
            refs.add(ref)
            findings.append({
                "id": n + 1, "ref": ref, "ref_key": ref_key(ref), "source_id": source_of[key],
                "theme_id": themes[theme_of(unit.text)], "kind": rng.choice(_FINDING_KINDS),
                "judgement_area": rng.choice(_JUDGEMENTS), "text": unit.text,
                "title": _short_title(unit.text, rng), "status": rng.choice(_STATUSES),
                "parent_id": None,
            })  # fmt: skip

        # Actions answer findings: 85% of findings get one or two; the rest are the
        # "no action" gap. Each action takes its text from the finding it answers first.
        actions: list[dict] = []
        finding_action: set[tuple[int, int]] = set()
        updates: list[dict] = []
        for a in range(n_actions):
            ident = a + 1
            finding = findings[rng.randrange(n_findings)]
            text = finding["text"]
            # Due dates from eight months ago to a year ahead: about a third past today.
            due = today + timedelta(days=rng.randint(-240, 400))
            brag = rng.choice(_BRAG)
            opened = due - timedelta(days=rng.randint(90, 365))
            actions.append({
                "id": ident, "ref": f"A{ident}", "ref_key": ref_key(f"A{ident}"),
                "title": _action_title(text, rng),
                "description": text, "owner": _owner(rng), "due_date": due, "brag": brag,
                "success_measure": rng.choice(_MEASURES).format(when=due.strftime("%B %Y")),
                "opened_on": opened, "closed_on": due if brag == "blue" and due < today else None,
                "theme_id": finding["theme_id"],
            })  # fmt: skip
            if rng.random() < 0.85:
                finding_action.add((finding["id"], ident))
            if rng.random() < 0.3:
                finding_action.add((rng.randrange(n_findings) + 1, ident))
            # A dated history for one action in three: one to four updates.
            if ident % 3 == 0:
                on = opened
                for _ in range(rng.randint(1, 4)):
                    on = on + timedelta(days=rng.randint(20, 60))
                    if on > today:
                        break
                    updates.append({
                        "action_id": ident, "on_date": on, "brag": rng.choice(_BRAG),
                        "note": rng.choice(_NOTES), "author": rng.choice(_NAMES),
                    })  # fmt: skip

        # Evidence: dated over the last two years (so some is stale at the visit), most of
        # it shows an action's progress, some supports a finding directly.
        evidence: list[dict] = []
        action_evidence: set[tuple[int, int]] = set()
        finding_evidence: set[tuple[int, int]] = set()
        for e in range(n_evidence):
            ident = e + 1
            unit = pool[order[(n_findings + e) % len(order)]]
            kind, label = rng.choice(_EVIDENCE_KINDS)
            # Mostly recent; one item in four from long before (stale at any visit).
            recent = rng.random() < 0.75
            as_of = today - timedelta(days=rng.randint(0, 150) if recent else rng.randint(150, 720))
            review_by = as_of + timedelta(days=rng.choice((90, 180, 365))) if e % 2 else None
            evidence.append({
                "id": ident, "title": f"{label} – {_short_title(unit.text, rng)}", "kind": kind,
                "as_of": as_of, "owner": _owner(rng),
                # URLs, so no benchmark figure depends on a stat() of a made-up path.
                "location": f"https://council.sharepoint.example/improvement/{as_of.year}/"
                f"evidence-{ident:06d}.docx",
                "impact": unit.text, "review_by": review_by,
                "personal_data": kind in ("case sample", "audit"), "missing_since": None,
            })  # fmt: skip
            if rng.random() < 0.8:
                action_evidence.add((rng.randrange(n_actions) + 1, ident))
            if rng.random() < 0.25:
                finding_evidence.add((rng.randrange(n_findings) + 1, ident))

        visits = [
            {"id": 1, "title": "Monitoring visit 3", "kind": "monitoring visit",
             "start_date": today - timedelta(days=60), "end_date": today - timedelta(days=59),
             "notes": "Children in care."},
            {"id": 2, "title": "Monitoring visit 4", "kind": "monitoring visit",
             "start_date": today + timedelta(days=18), "end_date": today + timedelta(days=19),
             "notes": "Care leavers and exploitation."},
        ]  # fmt: skip
        visit_themes = [
            {"visit_id": 1, "theme_id": themes["Children in care"]},
            {"visit_id": 2, "theme_id": themes["Care leavers"]},
            {"visit_id": 2, "theme_id": themes["Exploitation and missing"]},
        ]

        tables = [
            (SourceRow, sources),
            (JudgementRow, judgements),
            (FindingRow, findings),
            (ActionRow, actions),
            (ActionUpdateRow, updates),
            (EvidenceRow, evidence),
            (FindingActionLink, [{"finding_id": f, "action_id": a} for f, a in finding_action]),
            (ActionEvidenceLink, [{"action_id": a, "evidence_id": e} for a, e in action_evidence]),
            (
                FindingEvidenceLink,
                [{"finding_id": f, "evidence_id": e} for f, e in finding_evidence],
            ),
            (VisitRow, visits),
            (VisitThemeLink, visit_themes),
        ]
        counts: dict[str, int] = {}
        for model, rows in tables:
            if rows:
                conn.execute(insert(model.__table__), rows)
            counts[model.__tablename__] = len(rows)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1].strip())
    parser.add_argument("records", type=int, help="findings + actions + evidence, e.g. 100000")
    parser.add_argument("path", type=Path, help="the new store file")
    args = parser.parse_args()
    start = time.perf_counter()
    counts = build(args.path, args.records)
    took = time.perf_counter() - start
    print(", ".join(f"{name} {n:,}" for name, n in counts.items()))
    print(f"built {args.path} in {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
