"""Highlights and snippets: where the matched words are in a text, and one line of a body
around them."""

from __future__ import annotations

from store.search.postings import Span
from store.search.text import (
    ABBREVIATIONS,
    phrase_spans,
    tokens,
)

_SNIPPET_WIDTH = 160


# ---------------------------------------------------------------------- highlighting


def spans(text: str, terms: frozenset[str]) -> list[Span]:
    """Where the matched terms occur in ``text`` (whole words; phrases for abbreviations)."""
    if not terms or not text:
        return []
    words = list(tokens(text))
    found = [(start, end) for start, end, word in words if word in terms]
    if any(a in terms for a in ABBREVIATIONS):
        found += [(start, end) for start, end, a in phrase_spans(words) if a in terms]
    return _merge(found)


def _merge(found: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _after_title(body: str, title: str) -> str:
    """The body less the title it starts with ("…" and the rest), so a finding whose title
    is its first sentence does not show that sentence twice; ``""`` if nothing is left."""
    flat = " ".join(body.split())
    head = title.removesuffix("…").rstrip()
    if len(head) < 12 or flat[: len(head)].casefold() != head.casefold():
        return body
    rest = flat[len(head) :]
    if not rest.strip(" .;:,"):
        return ""
    if title.endswith("…") or not rest.startswith((". ", "; ", ": ")):
        return "…" + (rest.lstrip() if rest[0].isspace() else rest.split(" ", 1)[-1])
    return rest[2:]


def make_snippet(
    body: str, terms: frozenset[str], width: int = _SNIPPET_WIDTH
) -> tuple[str, list[Span]]:
    """One line of ``body`` around its best cluster of matches, with their spans."""
    flat = " ".join(body.split())
    found = spans(flat, terms)
    if len(flat) <= width:
        return flat, found
    start = 0
    if found:
        # The window holding the most matched words; the earliest such.
        best = max(
            range(len(found)),
            key=lambda i: (
                len(
                    {
                        flat[s:e].lower()
                        for s, e in found
                        if found[i][0] <= s and e <= found[i][0] + width - 20
                    }
                ),
                -i,
            ),
        )
        start = max(0, found[best][0] - 30)
        if start:
            space = flat.find(" ", start)
            start = space + 1 if 0 <= space < found[best][0] else found[best][0]
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        if space > start:
            end = space
    prefix = "…" if start else ""
    suffix = "…" if end < len(flat) else ""
    text = prefix + flat[start:end] + suffix
    shift = len(prefix) - start
    kept = [(s + shift, e + shift) for s, e in found if s >= start and e <= end]
    return text, kept
