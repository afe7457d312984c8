"""Short titles from long texts: one rule for a report's findings and a plan's actions.

A title is the text's first sentence when that fits. Otherwise it ends at a clause boundary
that keeps the sense: a semicolon, colon or dash, a bracket, or a comma that starts a new
clause ("..., ensuring that", "..., which"). A comma inside a list ("directors, heads of
service, team managers") or before the end of a phrase ("leads to clear, timely plans") is
never one. With no such boundary, the sentence is shortened at a word with "…", so it is
plain that there is more.
"""

from __future__ import annotations

import re

# Words that start a new clause after a comma: the part before it is a whole statement.
_CLAUSE_STARTS = re.compile(
    r"^(?:ensuring|including|so that|so|which|who|whose|where|when|while|whilst|because|"
    r"in order|in particular|particularly|for example|such as|as well as|and (?:that|ensure|"
    r"make sure|improve|to|how|where|when|why|what|whether)|to ensure|to make sure"
    r"|with (?:a|an|the) focus)\b",
    re.IGNORECASE,
)
# A title never ends on a word that needs the next one.
_DANGLING = {
    "a", "an", "the", "of", "to", "and", "or", "by", "for", "with", "in", "on", "at",
    "from", "that", "all", "their", "its", "is", "are", "be", "as", "into", "clear",
    "timely", "effective", "good", "including", "such", "between", "across", "within",
}  # fmt: skip
# Before "…", only these go: "the…" says nothing, "clear…" still does.
_LINKING = {"a", "an", "the", "of", "to", "and", "or", "by", "for", "with", "in", "on", "at"}
_MIN_TITLE = 40  # a clause shorter than this says too little to stand for the whole


def _complete(text: str) -> bool:
    words = text.rstrip(" ,;:(").split()
    return bool(words) and words[-1].lower().strip(".,;:()") not in _DANGLING


def short_title(text: str, limit: int = 80) -> str:
    """A title of at most ``limit`` characters (plus "…") for ``text`` (see the module)."""
    flat = " ".join(text.replace("\n–", ";").split())
    sentence = re.split(r"(?<=[a-z)])\.\s", flat, maxsplit=1)[0].rstrip(".;: ")
    if len(sentence) <= limit:
        title = sentence
    else:
        title = ""
        window = sentence[: limit + 1]
        for match in reversed(list(re.finditer(r"[,;:(]| – | - ", window))):
            start = match.start()
            before, after = window[:start], sentence[match.end() :].lstrip()
            if start < _MIN_TITLE or not _complete(before):
                continue
            if match.group() == "," and not _CLAUSE_STARTS.match(after):
                continue  # a list's comma, or one inside a phrase
            title = before.rstrip(" ,;:(")
            break
        if not title:
            words = window.rsplit(" ", 1)[0].rstrip(" ,;:(").split()
            while len(words) > 3 and words[-1].lower().strip(",;:()") in _LINKING:
                words.pop()
            title = " ".join(words).rstrip(" ,;:(") + "…"
    title = title or flat[:limit]
    return title[:1].upper() + title[1:]
