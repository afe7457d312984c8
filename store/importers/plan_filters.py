"""Plan rows that are no action, and rows read with a word (no store needed).

The header repeated below it (:func:`header_again`) and a key to the RAG letters
(:func:`brag_key`) are skipped; a hidden or struck-through row is imported all the same,
and the dry run says what it looks like (:func:`row_looks`). Used by
:mod:`store.importers.plan_rows`.
"""

from __future__ import annotations

import re

from store.importers.plan_cells import blank, read_brag
from store.importers.plan_columns import norm
from store.importers.spreadsheet import Sheet


def header_again(values: list[object], header: list[object], title: int) -> bool:
    """The header repeated below it (two tables pasted one under the other, or a printed
    sheet's header on each page): every filled cell is the header's own, Action among them."""
    filled = [i for i, v in enumerate(values) if not blank(v)]
    return (
        len(filled) >= 2
        and title in filled
        and all(i < len(header) and norm(values[i]) == norm(header[i]) for i in filled)
    )


_KEY_LABELS = {"key", "legend", "rag key", "brag key", "status key", "rag", "brag"}
_KEY_PAIR = re.compile(
    r"^(?:b|r|a|g|blue|red|amber|green)\s*(?:=|:|-|\u2013)\s*(?P<meaning>.+)$", re.IGNORECASE
)


def brag_key(filled: list[object]) -> bool:
    """A key to the BRAG colours ("Key: | B = Complete | G = On track | A = At risk"), in
    cells or in one: what the letters mean, not an action."""
    pairs = 0
    for value in filled:
        if not isinstance(value, str):
            return False
        for piece in re.split(r"[,;|\n]", value):
            label, colon, rest = piece.partition(":")
            if colon and norm(label) in _KEY_LABELS:
                piece = rest
            pair = _KEY_PAIR.match(piece.strip())
            if pair and read_brag(pair["meaning"])[0]:
                pairs += 1  # "G = On track": a letter and the status it stands for
            elif norm(piece) and norm(piece) not in _KEY_LABELS:
                return False
    return pairs >= 2


def row_looks(sheet: Sheet, number: int) -> str:
    """How a row looks in the sheet that may mean it was dropped: "hidden", "struck
    through", both, or ""."""
    looks = [
        said
        for rows, said in ((sheet.hidden_rows, "hidden"), (sheet.struck_rows, "struck through"))
        if number in rows
    ]
    return " and ".join(looks)
