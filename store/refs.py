"""Refs (R3, MV2-4, 1.10, Para 41) in the order a lead reads them, and the next one of a plan."""

from __future__ import annotations

import re

# Wide enough for any number a ref holds (a ref is at most 40 characters; a run of more
# digits than this still sorts, only not in number order against shorter runs).
REF_DIGITS = 10

_DIGITS = re.compile(r"[0-9]+")
_LAST_DIGITS = re.compile(r"[0-9]+(?=[^0-9]*$)")


def ref_key(ref: str) -> str:
    """A ref's natural sort key, so that plain text order is the order a lead reads refs in.

    The ref is lowercased and every run of digits zero-padded to :data:`REF_DIGITS`: R1,
    R2 ... R10 and 1.9, 1.10, 2.1, 10.1. In front goes the length of the words before its
    first number, so that refs of one kind stay together and short codes come before
    paragraph citations: 1.1 ... 10.1, then R1 ... R16, MV1-1 ..., then Para 41 (as a
    report lists its recommendations before the paragraphs it also cites). Finding and
    action rows keep the key beside the ref (``ref_key``), so that long lists are sorted
    and paged by the database, on an index. No ref, no key: those sort first.
    """
    if not ref:
        return ""
    words = _DIGITS.search(ref)
    lead = len(ref) if words is None else words.start()
    natural = _DIGITS.sub(lambda m: m[0].lstrip("0").rjust(REF_DIGITS, "0"), ref.lower())
    return f"{lead:02d} {natural}"


def following_ref(ref: str) -> str | None:
    """The ref after this one in its numbering: its last run of digits plus one, zeros kept
    (``7.3`` -> ``7.4``, ``MASH-12`` -> ``MASH-13``, ``A09`` -> ``A10``); None without digits."""
    match = _LAST_DIGITS.search(ref)
    if match is None:
        return None
    digits = match[0]
    return f"{ref[: match.start()]}{int(digits) + 1:0{len(digits)}d}{ref[match.end() :]}"
