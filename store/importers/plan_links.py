"""What a plan's rows point at in the store: their themes, and the findings they answer.

:class:`ThemeNames` files a heading or Theme cell under the store's theme of that name, or
the nearest seeded theme when the match is clear ("Governance Leadership and Partnership"
is "Leadership, governance and partnerships"), or a new theme.

:class:`FindingIndex` turns a row's refs and quoted recommendation into the findings it
answers, each with why (:class:`PlannedLink`), for the dry run to show: "by reference
'Rec 3'", "matched by text (92%)", and the rule that filled a blank cell ("same as row 5
above (same ref prefix 1.)", "merged cells, rows 5-7").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from store.importers.plan_cells import TITLE_LIMIT
from store.importers.plan_columns import norm
from store.importers.plan_refs import match_text
from store.importers.plan_rows import PlanPreview, PlanRow
from store.records import Finding, Source
from store.vocab import DEFAULT_THEMES

_SMALL_WORDS = {"and", "the", "of", "for", "to", "in", "a", "an", "with", "our", "on"}
_NEAR_THEME = 90  # token_sort_ratio of the words, for "nearest seeded theme"
_NEAR_MARGIN = 10


@dataclass(frozen=True)
class PlannedLink:
    """A finding a row will be linked to, and why (as the dry run says it)."""

    finding_id: int
    ref: str  # the finding's ref in the store ("R3")
    why: str


def _words(name: str) -> list[str]:
    out = []
    for word in norm(name.replace("/", " and ")).split():
        if word in _SMALL_WORDS:
            continue
        out.append(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return out


class ThemeNames:
    """The store's themes, matched the forgiving way a heading row names them."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(names)
        self.new: list[str] = []

    @staticmethod
    def _loose(name: str) -> str:
        return norm(name.replace("/", " and "))

    def resolve(self, wanted: str) -> tuple[str, str]:
        """The theme's name in the store and how it was found: "" (it is that theme),
        "nearest seeded theme" (a clear near match), or "new theme" (the import adds it)."""
        loose = self._loose(wanted)
        for name in [*self.names, *self.new]:
            if self._loose(name) == loose:
                return name, ""
        starts = [n for n in self.names if self._loose(n).startswith(loose + " ")]
        if len(starts) == 1:
            return starts[0], "nearest seeded theme"
        near = self._nearest_seeded(wanted)
        if near:
            return near, "nearest seeded theme"
        name = " ".join(wanted.split())[:TITLE_LIMIT]
        self.new.append(name)
        return name, "new theme"

    def _nearest_seeded(self, wanted: str) -> str | None:
        """A seeded theme holding every word of ``wanted`` (and no other does), or the one
        whose words are nearly the same ("Governance Leadership and Partnership"), clearly
        ahead of the next."""
        mine = _words(wanted)
        if not mine:
            return None
        seeded = [n for n in self.names if n in DEFAULT_THEMES]
        holding = [n for n in seeded if set(mine) <= set(_words(n))]
        if len(holding) == 1:
            return holding[0]
        scores = sorted(
            ((fuzz.token_sort_ratio(" ".join(mine), " ".join(_words(n))), n) for n in seeded),
            reverse=True,
        )
        clear = len(scores) == 1 or scores[0][0] - scores[1][0] >= _NEAR_MARGIN
        if scores and scores[0][0] >= _NEAR_THEME and clear:
            return scores[0][1]
        return None


def ref_key(ref: str) -> str:
    return re.sub(r"[\s.]+$", "", ref.upper().replace(" ", ""))


class FindingIndex:
    """Finding refs and quotes as the plan writes them, matched to findings in the store.

    Refs repeat across sources (every report has an R1), so a ref is looked up first in
    the source the plan answers: among the sources of the council the plan's title rows or
    file name mention (if any), the one holding most of the plan's refs (then the latest).
    Without such a clue, only a source holding clearly more of the refs than any other.
    A quoted recommendation is matched by text against that source's findings, or, when no
    source is known, against this council's own findings.
    """

    def __init__(
        self, findings: list[Finding], sources: list[Source], preview: PlanPreview
    ) -> None:
        self.findings = findings
        self.by_ref: dict[str, list[Finding]] = {}
        for finding in findings:
            if finding.ref:
                self.by_ref.setdefault(ref_key(finding.ref), []).append(finding)
        votes: dict[int, int] = {}
        for row in preview.actions:
            reviews = dict(zip(row.finding_refs, row.refs_review, strict=False))
            for ref in row.finding_refs:
                if reviews.get(ref):
                    continue  # another review's ref says nothing of which report it is
                for source_id in {f.source_id for f in self._candidates(ref)}:
                    if source_id is not None:
                        votes[source_id] = votes.get(source_id, 0) + 1
        words = f" {norm(preview.preamble)} "
        named = {
            s.id for s in sources if s.local_authority and f" {norm(s.local_authority)} " in words
        }
        starts = {s.id: s.start_date or date.min for s in sources}
        self.main_source: int | None = None
        if named:
            self.main_source = max(named, key=lambda s: (votes.get(s, 0), starts[s]))
        elif votes:
            ranked = sorted(votes.values(), reverse=True)
            if len(ranked) == 1 or ranked[0] > ranked[1]:
                self.main_source = max(votes, key=votes.__getitem__)
        self.main_title = next((s.title for s in sources if s.id == self.main_source), "")
        if self.main_source is not None:
            self.quotable = [f for f in findings if f.source_id == self.main_source]
        else:
            self.quotable = [f for f in findings if f.ours]

    def _candidates(self, ref: str) -> list[Finding]:
        key = ref_key(ref)
        found = list(self.by_ref.get(key, []))
        if not found and key.startswith("R") and key[1:].isdigit():
            found = list(self.by_ref.get(key[1:], []))  # the plan says R3, the report 3
        elif not found and key.isdigit():
            found = list(self.by_ref.get("R" + key, []))
        elif not found and key.startswith(("AFI", "PA")) and key.lstrip("AFIP").isdigit():
            # A report stores its areas for improvement (or priority actions) as R1, R2...
            kind = "improvement area" if key.startswith("AFI") else "priority action"
            number = key.lstrip("AFIP")
            found = [f for f in self.by_ref.get("R" + number, []) if f.kind == kind]
        return found

    def find(self, ref: str) -> tuple[Finding | None, str]:
        """The finding a ref names, or ``None`` and why not."""
        found = self._candidates(ref)
        if not found:
            return None, f"no finding {ref} in the store, so the action is not linked to it"
        if len(found) > 1:
            found = [f for f in found if f.source_id == self.main_source] or found
        if len(found) > 1:
            sources = ", ".join(sorted({f.source_title or "no source" for f in found})[:3])
            return None, f"finding {ref} is in more than one source ({sources}); link it by hand"
        return found[0], ""

    def links(self, row: PlanRow) -> tuple[list[PlannedLink], list[str]]:
        """The findings a row answers, each with why, and warnings for refs not found."""
        links: list[PlannedLink] = []
        warnings: list[str] = []
        rule = f"; {row.findings_rule}" if row.findings_rule else ""
        said = dict(zip(row.finding_refs, row.refs_said, strict=False))
        reviews = dict(zip(row.finding_refs, row.refs_review, strict=False))
        for ref in row.finding_refs:
            review = reviews.get(ref, "")
            if review and norm(review) not in norm(self.main_title):
                warnings.append(
                    f"'{review} {said.get(ref, ref)}' is from a {review}, not from "
                    f"{self.main_title or 'an inspection report'}: not linked (link it by hand)"
                )
                continue
            finding, warning = self.find(ref)
            if finding is None:
                warnings.append(warning)
            elif all(link.finding_id != finding.id for link in links):
                why = f"by reference '{said.get(ref, ref)}'{rule}"
                links.append(PlannedLink(finding.id, finding.ref, why))
        if row.finding_quote and not row.finding_refs:
            texts = [f.text or f.title for f in self.quotable]
            index, score = match_text(row.finding_quote, texts)
            if index is not None:
                finding = self.quotable[index]
                why = f"matched by text ({score:.0f}%){rule}"
                links.append(PlannedLink(finding.id, finding.ref, why))
        return links, warnings
