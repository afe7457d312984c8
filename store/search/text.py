"""Words as the search engine sees them: folded, lightly stemmed, abbreviations made one term.

The same functions turn a record's text and a user's query into terms, so that
"Children's", "children" and "child" meet, and "return home interviews", "RHIs" and
"RHI" all become the term ``rhi``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# A word is a run of letters or digits in any script; apostrophes and hyphens split words
# ("children's" -> children + s, "multi-agency" -> multi + agency).
WORD = re.compile(r"[^\W_]+")

_STOP = """
    b c d e f g h i j k l m n o p q r t u v w x y z
    a an and are as at be been but by do does for from had has have if in into is it its
    of on or s so than that the their them there these they this those to was were which
    while who will with within
"""
STOPWORDS = frozenset(_STOP.split())

# Irregular plurals the suffix rules cannot see.
_IRREGULAR = {"children": "child", "people": "person", "women": "woman", "men": "man"}

# Abbreviations a lead types, and the phrases reports spell out. Every phrase occurrence
# in a record is indexed as its abbreviation too, so either form finds both.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "cin": ("child in need",),
    "cp": ("child protection",),
    "cla": ("child looked after", "looked after child", "child in care"),
    "plo": ("public law outline",),
    "rhi": ("return home interview",),
    "mash": ("multi agency safeguarding hub",),
    "iro": ("independent reviewing officer",),
    "cse": ("child sexual exploitation", "sexual exploitation"),
    "cce": ("child criminal exploitation", "criminal exploitation"),
    "neet": ("not in education employment or training",),
    "eet": ("in education employment or training",),
    "lado": ("local authority designated officer",),
    "pep": ("personal education plan",),
    "lscb": ("local safeguarding child board",),
    "scr": ("serious case review",),
    "jtai": ("joint targeted area inspection",),
    "ehcp": ("education health and care plan",),
    "sgo": ("special guardianship order",),
    "uasc": ("unaccompanied asylum seeking child",),
    "qa": ("quality assurance",),
    "kpi": ("key performance indicator",),
    "dcs": ("director of child service",),
}
# Other spellings of the same abbreviation.
ALIASES = {"cic": "cla", "lac": "cla", "lscp": "lscb"}


def fold(word: str) -> str:
    """Lower case with accents removed ("Café" -> "cafe")."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """A light plural stemmer for folded words: families -> family, leavers -> leaver."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in ALIASES:
        return ALIASES[word]
    n = len(word)
    if n <= 3 or not word.endswith("s") or word.isdigit():
        return word
    if word.endswith("ies") and n > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith(("xes", "ches", "shes", "zes")):
        return word[:-2]
    stemmed = word[:-1]
    return ALIASES.get(stemmed, stemmed)


@lru_cache(maxsize=200_000)
def term(raw: str) -> str:
    """The index term for one word as written."""
    return stem(fold(raw))


def _phrase_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    canonical: dict[str, str] = {}
    for abbreviation, phrases in ABBREVIATIONS.items():
        for phrase in phrases:
            canonical[" ".join(term(w) for w in phrase.split())] = abbreviation
    # Grouped by first word: the regex engine then rejects most positions at once.
    by_first: dict[str, list[str]] = {}
    for phrase in canonical:
        first, _, rest = phrase.partition(" ")
        by_first.setdefault(first, []).append(rest)
    alternatives = [
        re.escape(first)
        + " (?:"
        + "|".join(map(re.escape, sorted(rests, key=len, reverse=True)))
        + ")"
        for first, rests in sorted(by_first.items())
    ]
    pattern = re.compile(r"(?:^| )(" + "|".join(alternatives) + r")(?= |$)")
    return pattern, canonical


PHRASES, PHRASE_TERM = _phrase_pattern()

# Words too common to tell whether a record might hold a phrase.
_COMMON_WORDS = "child in care of and or not plan service safeguarding local authority education"
_COMMON = frozenset(_COMMON_WORDS.split())
# (phrase as terms, abbreviation, the phrase's least common word) for the indexer.
PHRASE_LIST: tuple[tuple[tuple[str, ...], str, str], ...] = tuple(
    (
        tuple(phrase.split()),
        abbreviation,
        max((w for w in phrase.split() if w not in _COMMON), key=len, default=phrase.split()[-1]),
    )
    for phrase, abbreviation in PHRASE_TERM.items()
)


def tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, term) for each word of ``text``, offsets into ``text`` itself."""
    for match in WORD.finditer(text):
        yield match.start(), match.end(), term(match.group(0))


def phrase_spans(words: list[tuple[int, int, str]]) -> Iterator[tuple[int, int, str]]:
    """(start, end, abbreviation) for each abbreviation phrase among tokenised words."""
    joined = ""
    starts: list[int] = []
    for _, _, word in words:
        starts.append(len(joined))
        joined += word + " "
    index_at = {offset: i for i, offset in enumerate(starts)}
    for m in PHRASES.finditer(joined.rstrip()):
        first = index_at.get(m.start(1))
        if first is None:
            continue
        last = first + m.group(1).count(" ")
        yield words[first][0], words[last][1], PHRASE_TERM[m.group(1)]
