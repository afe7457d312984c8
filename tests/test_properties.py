"""Properties that must hold for any input (Hypothesis): user text never adds structure to
the checklist and never drives a terminal; dates and plan cells are read or refused in
words, never with a crash."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console
from rich.text import Text

from store.dates import format_date, parse_date
from store.errors import ValidationError
from store.export import code, inline
from store.importers import plan_cells
from tui.terminal import neutral

# Text as a hostile title might hold it: Markdown's own characters, controls, escapes,
# bidi overrides, zero-width characters and ordinary words.
MARKUP = "#*_`[]()<>|~$!-+=.:&;\\/\n\r\t 0123456789x"
DANGER = (
    "\x1b\x07\x9b\x9d\x00\x7f\u202e\u202d\u2066\u2069\u200b\u200d\u2060\ufeff\u00ad"
    "\u2028\u2029\U000e0041"
)
hostile = st.text(
    alphabet=st.sampled_from(MARKUP + DANGER) | st.characters(codec="utf-8"), max_size=60
) | st.sampled_from(
    ["- [x] done", "# R1", "1. first", "[link](http://x)", "| a | b |", "\x1b]52;c;aGk=\x07",
     "\u202eevil", "<b>x</b>", "&amp;", "x\u2028- [x] y", "```", "~~~", "> quote", "***"]
)  # fmt: skip

# Fixed examples (derandomize), no example database written into the tree.
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None)


def _blocks(markdown: str) -> tuple[list[str], list[str]]:
    """Block token types, and the inline children's types, as GitHub would parse it.

    A bare web address typed in a title is linked by GitHub as it is shown (the export
    allows that: the reader sees where it goes); such a link counts as its text. Any
    other link, or one whose target differs from what is shown, stays a link."""
    tokens = MarkdownIt("gfm-like").parse(markdown)
    children: list[str] = []
    for token in tokens:
        inner = token.children or []
        index = 0
        while index < len(inner):
            child = inner[index]
            if (
                child.type == "link_open"
                and index + 2 < len(inner)
                and inner[index + 1].type == "text"
                and inner[index + 2].type == "link_close"
                and _same_address(str(child.attrs.get("href", "")), inner[index + 1].content)
            ):
                children.append("text")
                index += 3
                continue
            children.append(child.type)
            index += 1
    return [token.type for token in tokens], children


def _same_address(href: str, shown: str) -> bool:
    from urllib.parse import unquote

    def bare(address: str) -> str:
        address = unquote(address).lower()
        return address.removeprefix("http://").removeprefix("https://").rstrip("/")

    return bare(href) == bare(shown)


def _visible_text(markdown: str) -> str:
    tokens = MarkdownIt("gfm-like").parse(markdown)
    return "".join(
        child.content
        for token in tokens
        for child in token.children or []
        if child.type in ("text", "code_inline")
    )


def _no_escape(text: str) -> bool:
    """No character that starts a terminal escape or reorders text (the Markdown file's
    promise; the terminal's, :func:`_no_danger`, also hides zero-width characters)."""
    bidi = {*range(0x202A, 0x202F), *range(0x2066, 0x206A)}
    return not any(
        (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0 or ord(c) in bidi for c in text
    )


def _no_danger(text: str, *, newlines: bool = False) -> bool:
    for char in text:
        if char == "\n" and newlines:
            continue
        code_point = ord(char)
        if code_point < 0x20 or 0x7F <= code_point < 0xA0:
            return False
        if unicodedata.category(char) in ("Cf", "Cs") or char in "\u2028\u2029":
            return False
    return True


# --------------------------------------------------------------------------- Markdown


@SETTINGS
@given(hostile)
@example("- [x] done")
@example("1) first")
def test_escaped_text_is_one_plain_list_item_whatever_it_holds(text: str) -> None:
    blocks, children = _blocks(f"- [ ] {inline(text)}\n")
    assert blocks == [
        "bullet_list_open", "list_item_open", "paragraph_open", "inline", "paragraph_close",
        "list_item_close", "bullet_list_close",
    ]  # fmt: skip
    assert set(children) <= {"text"}, children  # no link, emphasis, code, HTML or maths
    assert _no_escape(inline(text))


@SETTINGS
@given(hostile, hostile)
def test_escaped_text_in_a_table_row_stays_in_its_cell(first: str, second: str) -> None:
    markdown = f"| Ref | Title |\n| --- | --- |\n| {inline(first)} | {inline(second)} |\n"
    types, children = _blocks(markdown)
    assert types.count("td_open") == 2 and types.count("tr_open") == 2
    assert set(children) <= {"text"}, children


@SETTINGS
@given(hostile)
def test_escaped_text_reads_back_as_typed_with_only_controls_and_breaks_changed(
    text: str,
) -> None:
    seen = _visible_text(f"- {inline(text)}\n")
    for word in [w for w in re.split(r"\s+", text) if w and _no_danger(w)][:5]:
        assert word in seen, (word, seen)


@SETTINGS
@given(hostile)
def test_a_code_span_holds_the_whole_text_and_nothing_else(text: str) -> None:
    span = code(text)
    if not span:
        return
    blocks, children = _blocks(f"- {span}\n")
    assert blocks.count("inline") == 1
    assert children == ["code_inline"], children
    assert _no_escape(span)


# --------------------------------------------------------------------------- terminal


@SETTINGS
@given(hostile)
def test_neutral_text_cannot_control_a_terminal_and_keeps_its_length(text: str) -> None:
    for shown in (neutral(text), neutral(text, one_line=True)):
        assert _no_danger(shown)
        assert len(shown) == len(text)  # one for one: search highlights stay in place
        assert neutral(shown) == shown  # already safe stays the same
    kept = neutral(text, keep_lines=True)
    assert _no_danger(kept, newlines=True) and kept.count("\n") == text.count("\n")


@SETTINGS
@given(hostile)
def test_neutral_text_printed_by_rich_holds_no_escape_of_its_own(text: str) -> None:
    out = io.StringIO()
    Console(file=out, color_system=None, width=80, legacy_windows=False).print(
        Text(neutral(text, keep_lines=True))
    )
    assert "\x1b" not in out.getvalue() and "\x9b" not in out.getvalue()


@SETTINGS
@given(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp")),
        max_size=40,
    )
)
def test_ordinary_text_is_left_exactly_as_typed(text: str) -> None:
    if any(char in "\u034f\u115f\u1160\u3164\uffa0" for char in text):
        return
    assert neutral(text) == text


def test_every_format_character_of_this_unicode_is_neutralised() -> None:
    missed = [
        hex(code_point)
        for code_point in range(0x110000)
        if unicodedata.category(chr(code_point)) in ("Cf", "Cc", "Cs")
        and neutral(chr(code_point)) == chr(code_point)
    ]
    assert missed == []


# ------------------------------------------------------------------------------ dates


@SETTINGS
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_a_date_written_any_usual_way_reads_back_as_itself(day: date) -> None:
    for written in (
        day.strftime("%d/%m/%Y"), day.strftime("%-d/%-m/%Y"), day.isoformat(),
        format_date(day), day.strftime("%-d %B %Y"), day.strftime("%d.%m.%Y"),
        f" {day.strftime('%d-%m-%Y')} ",
    ):  # fmt: skip
        assert parse_date(written) == day, written


@SETTINGS
@given(st.integers(1990, 2099), st.integers(1, 12))
def test_a_month_alone_is_its_last_day_and_start_of_it_the_first(year: int, month: int) -> None:
    name = date(year, month, 1).strftime("%B")
    last = parse_date(f"end of {name} {year}")
    assert (
        last is not None and last.month == month and (last.replace(day=1) == date(year, month, 1))
    )
    assert parse_date(f"{name} {year}") == last
    assert parse_date(f"start of {name} {year}") == date(year, month, 1)


@SETTINGS
@given(hostile | st.text(alphabet="0123456789/.- janfebmrpyulgsoctvdeh", max_size=20))
def test_any_text_is_a_date_or_refused_in_words_naming_its_field(text: str) -> None:
    try:
        parse_date(text, "due")
    except ValidationError as error:
        assert error.field == "due" and "date" in error.message


# ------------------------------------------------------------------------- plan cells

cells = (
    hostile
    | st.none()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.dates()
    | st.text(alphabet="0123456789/ -QqendofMarchSpringTBCw/c", max_size=25)
)


@SETTINGS
@given(cells)
def test_any_cell_is_read_or_said_in_words_never_a_crash(value: object) -> None:
    due, message = plan_cells.read_due(value)
    assert due is None or isinstance(due, date)
    assert isinstance(message, str)
    brag, said = plan_cells.read_brag(value)
    assert brag in (None, "blue", "green", "amber", "red") and isinstance(said, str)
    for item in plan_cells.evidence_items(value):
        assert item.strip() == item and item
    text = plan_cells.cell_text(value)
    assert text == text.strip()


@SETTINGS
@given(hostile | st.text(min_size=150, max_size=400))
def test_a_title_is_one_short_line_made_of_the_cells_own_words(text: str) -> None:
    title, description = plan_cells.split_title(text)
    assert "\n" not in title
    assert len(title) <= plan_cells.SHORT_TITLE + 1
    assert title.rstrip("\u2026").split() == [] or title.rstrip("\u2026").split()[0] in text
    if description:  # the title is the start of the cell's own text, cut or not
        assert " ".join(title.rstrip("\u2026").split()) in " ".join(description.split())


@SETTINGS
@given(st.text(max_size=300), st.integers(5, 200))
def test_a_cut_text_fits_its_limit_and_says_it_was_cut(text: str, limit: int) -> None:
    short = plan_cells.cut(text, limit)
    assert len(short) <= limit + 1
    assert short == text or short.endswith("\u2026")
