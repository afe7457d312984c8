"""A title with dollars in it is not maths on GitHub.

GitHub renders ``$x$`` and ``$$x$$`` as maths, which the CommonMark parser the other
export tests use does not read. Here the checklist's inline text is parsed with
markdown-it-py and its dollarmath plugin (set up as GitHub reads dollars), so a title
like "Budget $5k to $10k" must come out as the words typed, not as a formula.
"""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

from store.export import inline


def github_with_maths() -> MarkdownIt:
    # GitHub: $...$ inline (no digit or space rule), $$...$$ inline or as a block.
    return MarkdownIt("gfm-like").use(
        dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True
    )


def tokens(markdown: str) -> list[Token]:
    flat: list[Token] = []
    for token in github_with_maths().parse(markdown):
        flat.append(token)
        flat.extend(token.children or [])
    return flat


DOLLARS = [
    "$x$",
    "$$x$$",
    "Budget $5k to $10k",
    "a $b$ c",
    "$ spaced $",
    "Cost: $$ per $$",
    "$\\frac{1}{2}$",
]


def test_the_maths_parser_really_reads_dollars_as_maths() -> None:
    # Without this, the test below could pass with a parser that ignores dollars.
    for raw in DOLLARS:
        kinds = {t.type for t in tokens(f"- {raw}\n")}
        assert kinds & {"math_inline", "math_inline_double", "math_block"}, raw


@pytest.mark.parametrize("typed", DOLLARS)
def test_a_title_with_dollars_shows_its_dollars_and_is_never_maths(typed: str) -> None:
    found = tokens(f"- {inline(typed)}\n")
    assert not {t.type for t in found} & {"math_inline", "math_inline_double", "math_block"}
    (line,) = [t for t in found if t.type == "inline"]
    assert "".join(c.content for c in line.children or [] if c.type == "text") == typed
