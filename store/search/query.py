"""Reading what the user typed: words to look for, and filters such as ``kind:action brag:red``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.vocab import Brag

KINDS = ("finding", "action", "evidence", "source", "measure")
BRAGS = (Brag.BLUE, Brag.RED, Brag.AMBER, Brag.GREEN)  # listed as the letters of "BRAG" read

# key:value, key:"quoted value" (the closing quote may not be typed yet), or a bare word.
_PART = re.compile(r'(?P<key>[A-Za-z]+):(?:"(?P<quoted>[^"]*)"?|(?P<value>\S*))|(?P<word>\S+)')
_KEYS = {
    "kind": "kind",
    "type": "kind",
    "is": "is",
    "theme": "theme",
    "brag": "brag",
    "rag": "brag",
    "source": "source",
    "src": "source",
    "from": "source",
}


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query. ``words`` keeps the user's spelling; filters are lists of values (OR)."""

    words: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    brags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    overdue: bool = False
    # True while the last word may still be being typed (no space after it): it also
    # matches as the start of longer words.
    last_word_partial: bool = True
    # "colour:red": a key that is no filter. Searched as words, and named by `problems`.
    unknown: tuple[str, ...] = ()

    @property
    def has_filters(self) -> bool:
        return bool(self.kinds or self.themes or self.brags or self.sources or self.overdue)


def _choices(value: str, vocabulary: tuple[str, ...]) -> list[str]:
    """Vocabulary entries a (possibly partly typed, possibly plural) value names."""
    out: list[str] = []
    for part in value.lower().split(","):
        part = part.strip()
        if not part:
            continue
        hits = [v for v in vocabulary if v.startswith(part) or part.rstrip("s") == v]
        # A value naming nothing must match nothing, not everything.
        out.extend(hits or [f"?{part}"])
    return out


def parse_query(text: str) -> Query:
    """Split a query into words and filters.

    Filters: ``kind:finding`` (also ``kind:action,evidence``), ``theme:mash``,
    ``brag:red``, ``source:haringey`` (quote values with spaces: ``theme:"care leavers"``)
    and ``overdue`` (or ``is:overdue``). An empty value (``kind:`` while typing) is ignored.
    Anything else is a word to look for.
    """
    words: list[str] = []
    kinds: list[str] = []
    themes: list[str] = []
    brags: list[str] = []
    sources: list[str] = []
    unknown: list[str] = []
    overdue = False
    for match in _PART.finditer(text):
        word = match.group("word")
        if word is not None:
            if word.lower() == "overdue":
                overdue = True
            else:
                words.append(word)
            continue
        key = _KEYS.get(match.group("key").lower())
        value = match.group("quoted")
        if value is None:
            value = match.group("value") or ""
        value = value.strip()
        if key is None:
            words.append(match.group(0))  # "re:" or "colour:red" is searched as text
            if value:
                unknown.append(match.group(0))
            continue
        if not value:
            continue
        if key == "kind":
            kinds.extend(_choices(value, KINDS))
        elif key == "brag":
            brags.extend(_choices(value, BRAGS))
        elif key == "is":
            if "overdue".startswith(value.lower()):
                overdue = True
            else:
                words.append(match.group(0))  # only is:overdue is known
                unknown.append(match.group(0))
        elif key == "theme":
            themes.append(value)
        elif key == "source":
            sources.append(value)
    partial = bool(text) and not text[-1].isspace() and not text.rstrip().endswith('"')
    return Query(
        words=tuple(words),
        kinds=tuple(dict.fromkeys(kinds)),
        themes=tuple(themes),
        brags=tuple(dict.fromkeys(brags)),
        sources=tuple(sources),
        overdue=overdue,
        last_word_partial=partial and bool(words) and text.rstrip().endswith(words[-1]),
        unknown=tuple(unknown),
    )


def problems(query: Query) -> list[str]:
    """What in a query names nothing: unknown filters, kinds and BRAG ratings, in words.

    The search itself forgives them (an unknown filter is searched as words, a kind that
    names nothing matches nothing); the command line refuses them, the Search screen
    says so under the box.
    """
    out = [
        f"'{part}' is not a filter: use kind:, theme:, brag:, source: or overdue."
        for part in query.unknown
    ]
    for kind in query.kinds:
        if kind.startswith("?"):
            out.append(f"'{kind[1:]}' is not a kind of record: use {_listed(KINDS)}.")
    for brag in query.brags:
        if brag.startswith("?"):
            out.append(f"'{brag[1:]}' is not a BRAG rating: use {_listed(BRAGS)}.")
    return out


def _listed(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + " or " + names[-1]
