"""How a report's findings hang together: which are the things it asks the council to do.

A SIF report asks for what its numbered "Recommendations" list; the body paragraphs it marks
"(Recommendation)" or "(Area for improvement)" are the evidence behind them, so each is
*detail* attached to the recommendation it supports. The safeguarding board's list is the
*board's*, not the council's: it counts as the council's only once the lead adopts one.

The matching rule, used at import and by the upgrade of a store imported before (migration
0009), never by council:

1. a recommendation that names the paragraph ("(paragraph 45)", "see paragraphs 12 and
   13") takes it;
2. otherwise the recommendation whose words the paragraph shares most (the share of the
   recommendation's own content words found in the paragraph), with a small lift for one in
   the same judgement section, if the share is at least :data:`MIN_SHARE`, or at least
   :data:`MIN_SHARE_SAME_THEME` and the two suggest the same theme; otherwise it matches
   none and stays on its source as unattached detail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MIN_SHARE = 0.3
# A paragraph sharing fewer words still supports a recommendation on the same theme (the
# theme its words suggest, store.importers.report_themes) when it shares this many.
MIN_SHARE_SAME_THEME = 0.2

_STOP = frozenset(
    [
        "the",
        "and",
        "that",
        "this",
        "with",
        "from",
        "have",
        "been",
        "their",
        "there",
        "which",
        "when",
        "what",
        "where",
        "will",
        "would",
        "should",
        "could",
        "for",
        "are",
        "was",
        "were",
        "not",
        "all",
        "any",
        "its",
        "into",
        "than",
        "then",
        "them",
        "they",
        "these",
        "those",
        "ensure",
        "make",
        "sure",
        "improve",
        "improved",
        "improving",
        "including",
        "include",
        "local",
        "authority",
        "council",
        "children",
        "child",
        "young",
        "people",
        "services",
        "service",
        "social",
        "work",
        "workers",
        "worker",
        "more",
        "most",
        "such",
        "also",
        "very",
        "well",
        "through",
        "about",
        "across",
        "within",
        "where",
        "both",
        "each",
        "other",
        "able",
    ]
)


def is_board_area(area: str) -> bool:
    return "safeguarding children board" in area.lower()


@dataclass(frozen=True)
class Piece:
    """A finding as the matching sees it."""

    ref: str
    text: str
    area: str = ""
    number: int | None = None  # a marked paragraph's number


def _stem(word: str) -> str:
    for ending in ("ies", "ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _words(text: str) -> set[str]:
    return {
        _stem(w)
        for w in re.findall(r"[a-z][a-z’'-]+", text.lower().replace("’", "'"))
        if len(w) > 3 and w not in _STOP
    }


def _cited(text: str) -> set[int]:
    """Paragraph numbers a recommendation cites ("paragraphs 12, 13 and 15")."""
    out: set[int] = set()
    for match in re.finditer(r"\bparagraphs?\s+((?:\d{1,3}(?:\s*(?:,|and|&|–|-|to)\s*)?)+)", text):
        numbers = [int(n) for n in re.findall(r"\d{1,3}", match.group(1))]
        if re.search(r"\d\s*(?:–|-|to)\s*\d", match.group(1)) and len(numbers) == 2:
            out.update(range(numbers[0], numbers[1] + 1))
        else:
            out.update(numbers)
    return out


def attach(
    headlines: Sequence[Piece], details: Sequence[Piece], board: Sequence[Piece] = ()
) -> dict[str, str | None]:
    """For each detail paragraph's ref, the ref of the headline it supports, or None. A
    paragraph in the safeguarding board's section (its ``area`` says so) supports one of
    the ``board``'s recommendations, any other one of the council's ``headlines``."""
    cited = {h.ref: _cited(h.text) for h in (*headlines, *board)}
    words = {h.ref: _words(h.text) for h in (*headlines, *board)}
    out: dict[str, str | None] = {}
    for detail in details:
        candidates = board if is_board_area(detail.area) else headlines
        by_citation = [h.ref for h in candidates if detail.number in cited[h.ref]]
        if by_citation:
            out[detail.ref] = by_citation[0]
            continue
        said = _words(detail.text)
        best: tuple[float, str] | None = None
        for headline in candidates:
            own = words[headline.ref]
            if not own:
                continue
            share = len(own & said) / len(own)
            if detail.area and headline.area and detail.area.lower() == headline.area.lower():
                share += 0.05
            if best is None or share > best[0]:
                best = (share, headline.ref)
        if best is not None and MIN_SHARE_SAME_THEME <= best[0] < MIN_SHARE:
            headline = next(h for h in candidates if h.ref == best[1])
            theme = _theme(detail)
            if theme is None or theme != _theme(headline):
                best = None
        out[detail.ref] = best[1] if best is not None and best[0] >= MIN_SHARE_SAME_THEME else None
    return out


def _theme(piece: Piece) -> str | None:
    from store.importers.report_themes import suggest_theme

    return suggest_theme(piece.text, judgement_area=piece.area)
