"""Findings outside a visit's focus themes that its focus names by text.

A pack takes the findings filed under the visit's focus themes. A finding filed under
another theme can still be about the focus: "oversight of practice by all operational
directors, heads of service, team managers" filed under IROs and CP chairs is about
management oversight. A visit focused on oversight should not leave it out unseen, so the
visit builder offers such findings: "3 more findings mention management oversight: add?".

The words are the themes' own telling keywords (store.importers.report_themes), not its
hints (a passing "managers" or "data" names no practice).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import col, select

from store.database import Store


@dataclass(frozen=True, slots=True)
class FocusMention:
    """One finding, not in the pack, that names one of the visit's focus themes."""

    finding_id: int
    ref: str
    title: str
    theme: str  # the theme it is filed under ("" for none)
    focus_theme: str  # the focus theme its words name
    phrase: str  # the words it names it by, as a lead says them ("management oversight")


def _telling(theme: str) -> list[tuple[str, re.Pattern[str]]]:
    from store.importers.report_themes import THEME_KEYWORDS, _pattern

    return [
        (keyword.lstrip("!@").rstrip("*"), _pattern(keyword))
        for keyword in THEME_KEYWORDS.get(theme, ())
        if not keyword.startswith("~")
    ]


def focus_mentions(
    store: Store, visit_id: int, focus_themes: Iterable[str] | None = None
) -> list[FocusMention]:
    """This council's findings outside the visit's pack whose title or text names one of
    its focus themes (``focus_themes``, default the visit's own), in ref order.

    Left out: findings in the pack already (filed under a focus theme or added by hand),
    findings the lead dropped from it by hand, other councils' findings, and findings met.
    """
    from store.findings import list_findings
    from store.models import VisitFindingRow
    from store.visits import get_visit

    visit = get_visit(store, visit_id)
    focus = tuple(visit.focus_themes if focus_themes is None else focus_themes)
    keywords = [(theme, phrase, p) for theme in focus for phrase, p in _telling(theme)]
    if not keywords:
        return []
    with store.reading() as session:
        decided = set(
            session.exec(
                select(col(VisitFindingRow.finding_id)).where(
                    col(VisitFindingRow.visit_id) == int(visit_id)
                )
            )
        )
    out: list[FocusMention] = []
    for finding in list_findings(store, ours=True):
        if finding.id in decided or finding.theme in focus or finding.status == "met":
            continue
        words = f"{finding.title}\n{finding.text}".lower()
        for theme, phrase, pattern in keywords:
            if pattern.search(words):
                out.append(
                    FocusMention(
                        finding.id, finding.ref, finding.title, finding.theme or "", theme, phrase
                    )
                )
                break
    return out


def describe_mentions(mentions: list[FocusMention]) -> str:
    """One line for the offer: ``3 more findings mention management oversight: R4, R7,
    R9``, naming the words they mention, the most shared first (three at most)."""
    if not mentions:
        return ""
    counts: dict[str, int] = {}
    for mention in mentions:
        counts[mention.phrase] = counts.get(mention.phrase, 0) + 1
    phrases = sorted(counts, key=lambda phrase: -counts[phrase])
    named = " or ".join(phrases[:3]) + (" and the like" if len(phrases) > 3 else "")
    refs = ", ".join(m.ref or str(m.finding_id) for m in mentions[:8])
    more = "…" if len(mentions) > 8 else ""
    noun = "finding mentions" if len(mentions) == 1 else "findings mention"
    return f"{len(mentions)} more {noun} {named}: {refs}{more}"
