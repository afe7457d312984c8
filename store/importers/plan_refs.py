"""Which findings a plan row answers: recommendation refs as people write them, and quotes.

A plan names the recommendation an action answers in many ways. :func:`references` reads
them from a cell:

* a ref with its word: "R3", "Rec 3", "(Rec 3)", "Recommendation 3:", "Recs 4 & 7",
  "Recommendations 2, 5 and 9", a range ("Recs 2-4", "R1-R3", "Recs 6 to 8": each ref in it), "AFI 2", "Area for improvement 2", "Priority action 1",
  "PA1", "MV2 finding 3", "MV2-4";
* a bare number ("3.", "1, 4") only when ``bare`` is allowed: the importer allows it only
  when the whole column holds nothing but references (:func:`only_references`). A number
  anywhere else (a heading's "2.", "45 working days", a quoted "1. Ensure that...") is
  never a reference.

A cell that quotes a recommendation's words instead of its ref is matched by text
(:func:`match_text`): a fuzzy partial match (rapidfuzz) scoring at least ``TEXT_MATCH``,
and ``TEXT_MARGIN`` points clear of the next finding, or no link at all. The threshold is
measured by ``bench/plan_text_match.py`` on the findings of the 42 shared real reports
that have findings (2,824 quotes: whole, first sentence, 60% of the words, first 12 words,
one word in five left out). At 80 with a margin of 10, 97.0% of quotes found their own
finding and none linked to another finding of the same report; 7 (0.25%) would have linked
into another council's report, where Ofsted's standard wording repeats (the importer only
matches within the report the plan answers). At 75 the found rate is 99.6% but stray links
double; at 85 it falls to 88%.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, utils

TEXT_MATCH = 80  # a quote's partial-match score (0-100) needed to link by text
TEXT_MARGIN = 10  # ... and its lead over the next finding's score
TEXT_MIN_WORDS = 6  # shorter cells say too little to be matched by text

# A range of refs: "2-4", "2\u20134" (no spaces: "Rec 3 - 12 months" is no range) or "6 to 8".
_RANGE = r"(?:[-\u2013\u2014]|\s+to\s+)"
_ONE = rf"\d+(?:\.\d+)?(?:{_RANGE}\d+(?:\.\d+)?)?"
_NUMBERS = rf"{_ONE}(?:\s*(?:,|&|\+|/|\band\b|\bor\b)\s*{_ONE})*"
_MAX_RANGE = 30  # a wider "range" is not one ("Rec 2-2023"): its two ends are read
_WORDED = re.compile(
    r"\b(?P<word>recommendations?|recs?|afis?|areas?\s+for\s+improvement"
    r"|priority\s+actions?|improvement\s+areas?)\.?\s*(?:no\.?\s*|number\s*)?"
    rf"(?P<numbers>{_NUMBERS})\b",
    re.IGNORECASE,
)
_VISIT = re.compile(
    r"\bMV\s*(?P<visit>\d+)\s*(?:[-.]|\s*(?:finding|rec(?:ommendation)?)s?\s*)(?P<number>\d+)\b",
    re.IGNORECASE,
)
_LETTERED = re.compile(
    r"\b(?P<letters>R|AFI|PA)\s?(?P<number>\d+)"
    # "R1-R3", "R1-3", "R1 to R3", "R1 \u2013 R3": a range.
    r"(?:(?:[-\u2013\u2014](?:(?P=letters)\s?)?|\s*(?:[-\u2013\u2014]|to)\s*(?P=letters)\s?)"
    r"(?P<last>\d+))?\b(?![.]\d)",
    re.IGNORECASE,
)
_BARE_RANGE = re.compile(r"(?<![\w.])(\d+)[-\u2013\u2014](\d+)(?![\w%.])")
_BARE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w%])")
_JOINERS = re.compile(r"(?:[\s,;&+/.:()\-\u2013\u2022*]|\band\b|\bor\b|\bsee\b)+", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """A finding ref read from a plan cell: ``ref`` as stored ("R3", "AFI2", "MV2-3") and
    ``said`` as the plan wrote it ("Rec 3")."""

    ref: str
    said: str
    # The other review the cell says the ref is of ("JTAI rec 3", "Peer review R2"): its
    # R3 is not the inspection report's R3.
    review: str = ""


def _prefix(word: str) -> str:
    low = " ".join(word.lower().split())
    if low.startswith(("afi", "area", "improvement area")):
        return "AFI"
    if low.startswith("priority"):
        return "PA"
    return "R"


def _span(first: str, last: str | None) -> list[str]:
    """The numbers a range names: "2", "4" -> 2, 3, 4; "1.2", "1.4" -> 1.2, 1.3, 1.4.

    Ends that make no short range ("5-2", "2-2023") are read as the two refs they are."""
    if last is None:
        return [first]
    head, _, low = first.rpartition(".")
    head_last, _, high = last.rpartition(".")
    short = low.isdigit() and high.isdigit() and int(low) < int(high) <= int(low) + _MAX_RANGE
    if head == head_last and short:
        lead = f"{head}." if head else ""
        return [f"{lead}{n}" for n in range(int(low), int(high) + 1)]
    return [first, last]


def references(text: str, *, bare: bool = False) -> list[Reference]:
    """The finding refs a cell names, in order, each once (see the module docstring)."""
    found: list[tuple[int, Reference]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for match in _VISIT.finditer(text):
        ref = f"MV{match.group('visit')}-{match.group('number')}"
        found.append((match.start(), Reference(ref, match.group(0).strip())))
        taken.append(match.span())
    for match in _WORDED.finditer(text):
        if not free(*match.span()):
            continue
        prefix = _prefix(match.group("word"))
        for one in re.finditer(rf"(\d+(?:\.\d+)?)(?:{_RANGE}(\d+(?:\.\d+)?))?", match["numbers"]):
            said = match.group(0).strip() if "," not in match.group(0) else one.group(0)
            for number in _span(one.group(1), one.group(2)):
                found.append((match.start(), Reference(f"{prefix}{number}", said)))
        taken.append(match.span())
    for match in _LETTERED.finditer(text):
        if not free(*match.span()):
            continue
        letters = match.group("letters").upper()
        for number in _span(match.group("number"), match.group("last")):
            found.append((match.start(), Reference(f"{letters}{number}", match.group(0).strip())))
        taken.append(match.span())
    if bare:
        for match in _BARE_RANGE.finditer(text):
            if free(*match.span()):
                for number in _span(match.group(1), match.group(2)):
                    found.append((match.start(), Reference(number, match.group(0))))
                taken.append(match.span())
        for match in _BARE.finditer(text):
            if free(*match.span()):
                found.append((match.start(), Reference(match.group(1), match.group(1))))
    out: dict[str, Reference] = {}
    for start, reference in sorted(found, key=lambda pair: pair[0]):
        review = _review_before(text[:start])
        out.setdefault(reference.ref, replace(reference, review=review) if review else reference)
    return list(out.values())


# Reviews other than an Ofsted inspection of children's services, whose recommendations
# are numbered too (normalised words, as a cell might put them before a ref).
_OTHER_REVIEWS = {
    "jtai": "JTAI", "joint targeted area inspection": "JTAI", "focused visit": "focused visit",
    "fv": "focused visit", "peer review": "peer review", "peer challenge": "peer review",
    "lga": "LGA peer review", "send inspection": "SEND inspection", "wsoa": "SEND inspection",
    "area send": "SEND inspection", "internal audit": "internal audit", "dfe": "DfE", "commissioner": "commissioner", "cspr": "safeguarding practice review",
    "lcspr": "safeguarding practice review", "scr": "serious case review",
    "serious case review": "serious case review", "self assessment": "self-assessment",
    "sef": "self-assessment", "cqc": "CQC", "hmip": "HMIP", "yjs": "youth justice",
}  # fmt: skip
_REVIEW_WORDS = re.compile(
    r"\b("
    + "|".join(sorted((re.escape(k) for k in _OTHER_REVIEWS), key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


def _review_before(text: str) -> str:
    """The other review named just before a ref, in the same part of the cell, or ""."""
    part = re.split(r"[,;\n&+]|\band\b", text)[-1]
    found = _REVIEW_WORDS.findall(" ".join(part.lower().replace("-", " ").split()))
    return _OTHER_REVIEWS[found[-1].lower()] if found else ""


def only_references(text: str) -> bool:
    """Whether a cell holds refs and nothing else ("3.", "R1, 4", "Recs 2 & 5")."""
    rest = text
    for pattern in (_VISIT, _WORDED, _LETTERED, _BARE):
        rest = pattern.sub(" ", rest)
    return not _JOINERS.sub("", rest)


def quoted_text(text: str) -> str:
    """A cell's words with its refs taken out, as compared with the findings' texts."""
    rest = text
    for pattern in (_VISIT, _WORDED, _LETTERED):
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"^\s*\(?\d+(?:\.\d+)?[.):\-\u2013]\s+", "", rest)  # "3. Ensure that..."
    rest = re.sub(r"\(\s*\)", " ", rest)
    return " ".join(rest.replace("\u2019", "'").replace("\u2018", "'").split())


def _comparable(text: str) -> str:
    return utils.default_process(text.replace("\u2019", "'").replace("\u2018", "'"))


def text_scores(quote: str, texts: Sequence[str]) -> list[float]:
    """How well ``quote`` matches each text (0-100): the best-aligned part of the longer."""
    mine = _comparable(quote_or_self(quote))
    return [float(fuzz.partial_ratio(mine, _comparable(text))) for text in texts]


def quote_or_self(text: str) -> str:
    return quoted_text(text) or text


def match_text(quote: str, texts: Sequence[str]) -> tuple[int | None, float]:
    """The index of the one text ``quote`` clearly quotes, with its score, or ``None``.

    Clearly: a score of ``TEXT_MATCH`` or more, ``TEXT_MARGIN`` ahead of every other text
    (two near-identical findings are left for the lead to choose between).
    """
    if len(quoted_text(quote).split()) < TEXT_MIN_WORDS or not texts:
        return None, 0.0
    scores = text_scores(quote, texts)
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    best = ranked[0]
    if scores[best] < TEXT_MATCH:
        return None, scores[best]
    if len(ranked) > 1 and scores[best] - scores[ranked[1]] < TEXT_MARGIN:
        return None, scores[best]
    return best, scores[best]
