"""The chase list of a pack: every gap once, whose it is, and why, in the council's words.

"To chase before the visit" in every format (and ``visitprep export --owner``'s part of
it) is built here: :func:`chase_items` sorts the pack's gaps by owner then date, each
said by :func:`gap_words`; :func:`resolve_owner` takes the name a lead types to one owner.
Plain text, as :mod:`store.export.document`: each renderer makes it safe for its format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from store.dates import format_date
from store.errors import ValidationError
from store.export.plain_text import plain
from store.records import Action, Evidence, Finding, Gap, Pack, PackEvidence
from store.vocab import GAP_KINDS
from store.wording import plural

__all__ = [
    "ChaseItem",
    "chase_items",
    "days",
    "gap_words",
    "owner_key",
    "pack_owners",
    "resolve_owner",
]


def days(n: int) -> str:
    return plural(n, "day")


@dataclass(frozen=True, slots=True)
class ChaseItem:
    """One row of "To chase before the visit": a gap, whose it is and why, in words."""

    owner: str  # "" when nobody is named
    kind: str  # a GAP_KINDS key
    label: str  # GAP_KINDS' words for it
    ref: str  # the record's own ref (a finding's or action's; "" for evidence)
    what: str  # the record missing something: a finding, action or evidence title
    record_kind: str  # finding | action | evidence
    serves: str  # what it is for: "R4", "1.2, 1.3" (refs of the findings / actions)
    when: date | None  # the date that matters: due, review-by, as-of, missing since
    when_text: str  # "due 31 Dec 2017", "dated 1 Jun 2017", ""
    why: str  # the gap in plain words
    location: str = ""  # evidence only: where it is


def gap_words(
    gap: Gap,
    *,
    judged: date,
    visit_start: date,
    stale_days: int,
    action: Action | None = None,
    evidence: Evidence | None = None,
    ticked: bool = False,
    today: date | None = None,
) -> str:
    """What is missing, in the council's words (UK dates); no markup of any format.

    ``ticked``: the evidence is ticked ready but still a gap, which is said first.
    """
    if gap.kind == "no_action":
        what = "no action answers this finding yet"
    elif gap.kind == "no_evidence":
        what = "no evidence for this action yet"
    elif gap.kind == "overdue" and action is not None and action.due_date is not None:
        late = (judged - action.due_date).days
        # A past visit is judged at its own date: "ago" would count from today.
        ago = "ago" if today is None or judged == today else "before the visit"
        what = (
            f"overdue: due {format_date(action.due_date)}, {days(late)} {ago}, "
            f"and not complete ({action.brag.title()})"
        )
    elif gap.kind == "stale" and evidence is not None:
        if evidence.review_by is not None and evidence.review_by < visit_start:
            what = f"out of date: its review was due by {format_date(evidence.review_by)}"
        else:
            what = (
                f"out of date: dated {format_date(evidence.as_of)}, more than "
                f"{days(stale_days)} old by the visit ({format_date(visit_start)})"
            )
    elif gap.kind == "missing" and evidence is not None:
        if evidence.missing_since is not None:
            what = (
                "file missing: not found by the folder scan of "
                f"{format_date(evidence.missing_since)}"
            )
        else:
            what = "file missing: nothing is at its location now"
    else:  # a gap kind added later still reads sensibly
        what = f"{GAP_KINDS.get(gap.kind, gap.kind).lower()}: {gap.detail}"
    if ticked:
        what = f"ticked ready, but {what}"
    return what


def pack_owners(pack: Pack) -> list[str]:
    """Everyone who owns an action or evidence item in the pack, A-Z."""
    names: dict[str, str] = {}
    for theme in pack.themes:
        for item in theme.findings:
            for pa in item.actions:
                names.setdefault(owner_key(pa.action.owner), " ".join(pa.action.owner.split()))
                for pe in pa.evidence:
                    names.setdefault(
                        owner_key(pe.evidence.owner), " ".join(pe.evidence.owner.split())
                    )
            for pe in item.evidence:
                names.setdefault(owner_key(pe.evidence.owner), " ".join(pe.evidence.owner.split()))
    names.pop("", None)
    return sorted(names.values(), key=str.casefold)


def resolve_owner(pack: Pack, name: str) -> str:
    """The pack's owner that ``name`` means: the same name (any case or spacing), or the
    only one whose name holds it ("care leavers"). A blank name means nobody named.
    Raises :class:`ValidationError` naming the owners when it means none or several."""
    wanted = owner_key(name)
    if not wanted:
        return ""
    owners = pack_owners(pack)
    exact = [o for o in owners if owner_key(o) == wanted]
    if exact:
        return exact[0]
    partial = [o for o in owners if wanted in owner_key(o)]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise ValidationError(
            "owner", f"'{plain(name)}' could be {_either(partial)}: give more of the name."
        )
    known = _either(owners) if owners else "nobody"
    raise ValidationError(
        "owner", f"Nobody called '{plain(name)}' owns anything in this pack (owners: {known})."
    )


def _either(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names[:6]) + (" ..." if len(names) > 6 else "")


def owner_key(owner: str) -> str:
    return " ".join(owner.casefold().split())


def chase_items(pack: Pack, judged: date, today: date) -> tuple[ChaseItem, ...]:
    """Every gap of the pack once, with whose it is and why, sorted by owner then date."""
    findings: dict[int, Finding] = {}
    actions: dict[int, Action] = {}
    evidence: dict[int, PackEvidence] = {}
    action_findings: dict[int, list[str]] = {}
    evidence_for: dict[int, list[str]] = {}  # refs of what an item is evidence for
    evidence_owners: dict[int, str] = {}  # the first owner of an action it serves
    for theme in pack.themes:
        for item in theme.findings:
            finding = item.finding
            findings[finding.id] = finding
            ref = finding.ref or finding.title
            for pa in item.actions:
                actions[pa.action.id] = pa.action
                refs = action_findings.setdefault(pa.action.id, [])
                if ref not in refs:
                    refs.append(ref)
                for pe in pa.evidence:
                    evidence.setdefault(pe.evidence.id, pe)
                    served = evidence_for.setdefault(pe.evidence.id, [])
                    name = f"action {pa.action.ref or pa.action.title}"
                    if name not in served:
                        served.append(name)
                    if pa.action.owner.strip():
                        evidence_owners.setdefault(pe.evidence.id, pa.action.owner)
            for pe in item.evidence:
                evidence.setdefault(pe.evidence.id, pe)
                served = evidence_for.setdefault(pe.evidence.id, [])
                if ref not in served:
                    served.append(ref)

    def words(
        gap: Gap,
        *,
        action: Action | None = None,
        evidence: Evidence | None = None,
        ticked: bool = False,
    ) -> str:
        return gap_words(
            gap,
            judged=judged,
            visit_start=pack.visit.start_date,
            stale_days=pack.stale_days,
            today=today,
            action=action,
            evidence=evidence,
            ticked=ticked,
        )

    rows = []
    for gap in pack.gaps:
        when: date | None = None
        when_text = ""
        location = ""
        if gap.record_kind == "finding" and gap.record_id in findings:
            finding = findings[gap.record_id]
            owner, what, serves, ref = "", finding.title, "", finding.ref
            why = words(gap)
        elif gap.record_kind == "action" and gap.record_id in actions:
            action = actions[gap.record_id]
            owner, what, ref = action.owner, action.title, action.ref
            serves = ", ".join(action_findings.get(action.id, ()))
            when = action.due_date
            when_text = f"due {format_date(when)}" if when else "no due date"
            why = words(gap, action=action)
        elif gap.record_kind == "evidence" and gap.record_id in evidence:
            pe = evidence[gap.record_id]
            ev = pe.evidence
            owner = ev.owner if ev.owner.strip() else evidence_owners.get(ev.id, "")
            what, ref, location = ev.title, "", ev.location
            serves = ", ".join(evidence_for.get(ev.id, ()))
            if gap.kind == "missing" and ev.missing_since is not None:
                when = ev.missing_since
                when_text = f"missing since {format_date(when)}"
            elif ev.review_by is not None:
                when, when_text = ev.review_by, f"review by {format_date(ev.review_by)}"
            elif ev.as_of is not None:
                when, when_text = ev.as_of, f"dated {format_date(ev.as_of)}"
            why = words(gap, evidence=ev, ticked=pe.ready)
        else:  # a gap on a record not in the tree: still listed, in its own words
            owner, what, serves, ref, why = "", gap.title, "", gap.ref, gap.detail
        rows.append(
            ChaseItem(
                owner=" ".join(owner.split()),
                kind=gap.kind,
                label=GAP_KINDS.get(gap.kind, gap.kind),
                ref=ref,
                what=what,
                record_kind=gap.record_kind,
                serves=serves,
                when=when,
                when_text=when_text,
                why=why,
                location=location,
            )
        )
    rows.sort(
        key=lambda r: (
            r.owner == "",
            owner_key(r.owner),
            r.when is None,
            r.when or date.min,
            list(GAP_KINDS).index(r.kind) if r.kind in GAP_KINDS else len(GAP_KINDS),
            r.what.casefold(),
        )
    )
    return tuple(rows)
