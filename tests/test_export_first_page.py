"""The Director reads the pack's first page before the visit, on paper as often as on screen.

The first page says where the pack stands (actions by BRAG, evidence ready, the gaps by kind)
and what needs the Director's decision, in every format; printed, every page of the web page
names the visit and its number, as the Word document's header and footer do, and a long
visit title in Word's running header stays small print, clear of the page's text. On a
phone, the web page's tables become one card per row, each cell under its column's name.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import docx
from docx.shared import Pt
from test_export_formats import _next_visit, docx_outline, html_outline

import store as api
from store import Store
from store.export import render_pack


def _before(lines: list[str], heading: str) -> list[str]:
    """The lines up to the first one holding ``heading``."""
    at = next(i for i, line in enumerate(lines) if heading in line)
    return lines[:at]


def test_the_first_page_says_what_needs_a_decision_in_every_format(demo_store: Store) -> None:
    visit = _next_visit(demo_store)
    markdown = render_pack(demo_store, visit, "md").decode("utf-8").splitlines()
    page = html_outline(render_pack(demo_store, visit, "html").decode("utf-8")).lines
    word = docx_outline(render_pack(demo_store, visit, "docx"))[0]
    for name, lines in (("md", markdown), ("html", page), ("docx", word)):
        # Before the tables: the summary a Director reads first.
        first = "\n".join(_before(lines, "Readiness by theme"))
        assert "Red (off track) 2" in first or "Red (off track): 2" in first, name
        assert "14 of 25" in first, name
        assert re.search(r"Action overdue:? 4", first), name
        assert "Needs a decision" in first, name
        # R16 has no action, so nobody leads it: first; then the two Red actions, each
        # with its owner, that it is overdue, and the latest update saying why.
        decisions = [line for line in first.splitlines() if re.search(r"(R16|3\.2|4\.2)\W", line)]
        assert [re.findall(r"R16|3\.2|4\.2", line)[0] for line in decisions] == [
            "R16",
            "3.2",
            "4.2",
        ], name
        assert "no action answers this finding yet, so nobody leads it" in decisions[0], name
        assert (
            "(Service Manager – Permanence): Red (off track), overdue: due 31 Dec 2018"
            in (decisions[1])
        ), name
        assert "Stalled at 38%; a business case for a dedicated life-story worker" in first, name
        # An Amber action, overdue or not, is chased, not put to the Director.
        assert "End the use of bed and breakfast" not in first, name


def test_a_chase_list_for_one_owner_has_no_summary(demo_store: Store) -> None:
    text = render_pack(demo_store, _next_visit(demo_store), "html", owner="care leavers")
    page = html_outline(text.decode("utf-8")).lines
    assert not any("Needs a decision" in line or line == "h2: Summary" for line in page)


def _css_string(text: str) -> str:
    """A CSS string's value as a browser reads it: a hex escape ends at a non-hex character
    or after six digits, and one white space after it is part of it."""
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\":
            digits = re.match(r"[0-9a-fA-F]{1,6}", text[i + 1 :])
            assert digits, text[i:]
            out.append(chr(int(digits[0], 16)))
            i += 1 + len(digits[0])
            if i < len(text) and text[i] in " \t\n":
                i += 1
        else:
            assert text[i] not in "\"'\n<>{};", text[i:]
            out.append(text[i])
            i += 1
    return "".join(out)


def test_the_printed_web_page_names_the_visit_and_numbers_each_page(store: Store) -> None:
    title = 'Visit 4: "care" } body { display: none } </style><script>x()</script> \\ end'
    visit = api.create_visit(store, title=title, start_date="1/3/2018")
    page = render_pack(store, visit.id, "html").decode("utf-8")
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    # The browser prints these in the page's margins (its own header and footer give way).
    head = re.search(r'@top-left \{ content: "([^"]*)";', style)
    foot = re.search(
        r'@bottom-left \{ content: "Page " counter\(page\) " of " counter\(pages\) "([^"]*)";',
        style,
    )
    assert head and foot, style[-400:]
    # The title is the running head's text, whatever it holds: it cannot end the style.
    assert _css_string(head[1]) == title
    assert _css_string(foot[1]) == " · generated 20 Jan 2018"
    assert page.count("</style>") == 1 and "<script>" not in page


def test_a_long_visit_title_in_words_running_header_is_small_print_clear_of_the_text(
    store: Store,
) -> None:
    title = (
        "Monitoring visit 3: children in care, care leavers, permanence, exploitation and "
        "missing, and the independent reviewing officer service (joint targeted area "
        "inspection follow-up)"
    )
    visit = api.create_visit(store, title=title, start_date="1/3/2018")
    data = render_pack(store, visit.id, "docx")
    document = docx.Document(io.BytesIO(data))
    header = document.sections[0].header.paragraphs[0]
    assert header.text == title  # whole, wrapped: never cut
    styles = document.styles
    assert styles["Header"].font.size == styles["Footer"].font.size == Pt(8)
    assert styles["Header"].paragraph_format.space_after >= Pt(6)  # a gap before the text
    # The title is whole on the first page too, in a size that leaves room for the summary.
    assert f"Title: Evidence pack: {title}" in docx_outline(data)[0]
    assert styles["Title"].font.size <= Pt(20)


class _Cells(HTMLParser):
    """Each table's column names, and each body cell's data-label beside its column's name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headers: list[str] = []
        self.cells: list[tuple[str | None, str]] = []  # (data-label, the column's name)
        self._in_th = False
        self._column = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.headers = []
        elif tag == "th":
            self._in_th = True
            self.headers.append("")
        elif tag == "tr":
            self._column = 0
        elif tag == "td":
            self.cells.append((dict(attrs).get("data-label"), self.headers[self._column]))
            self._column += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "th":
            self._in_th = False

    def handle_data(self, data: str) -> None:
        if self._in_th:
            self.headers[-1] += data


def test_on_a_phone_each_table_row_reads_as_a_card_of_named_cells(demo_store: Store) -> None:
    page = render_pack(demo_store, _next_visit(demo_store), "html").decode("utf-8")
    cells = _Cells()
    cells.feed(page)
    # Readiness (5 themes), the chase list (15 gaps) and the measures (6): every cell.
    assert len(cells.cells) == 5 * 5 + 15 * 5 + 6 * 6
    assert all(label == column for label, column in cells.cells), [
        pair for pair in cells.cells if pair[0] != pair[1]
    ][:3]
    assert page.count('class="fixed cards"') == 2 and page.count('<table class="cards">') == 4
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    narrow = style.split("@media screen and (max-width: 40rem)", 1)[1]
    assert "table.cards td::before { content: attr(data-label)" in narrow
    # Printed (A4) the tables stay tables: the cards are for a narrow screen only.
    assert "cards" not in style.split("@media print", 1)[1]


def test_a_wrapped_evidence_line_and_its_gaps_sit_under_its_title_not_its_tick(
    demo_store: Store,
) -> None:
    page = render_pack(demo_store, _next_visit(demo_store), "html").decode("utf-8")
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    # A hanging indent: the line's first row starts with the tick, the rows after (and the
    # list of its gaps inside it) under the title.
    rule = re.search(
        r"ul\.evidence > li \{ padding-left: ([\d.]+em); text-indent: -([\d.]+em);", style
    )
    assert rule and rule[1] == rule[2]
    assert "ul.evidence > li > * { text-indent: 0; }" in style  # the gaps' own lines
    assert '<ul class="evidence"><li><span class="tick"' in page.replace("\n", "")


def test_in_word_a_box_to_tick_is_its_lines_only_marker_and_wrapped_text_aligns(
    demo_store: Store,
) -> None:
    visit = _next_visit(demo_store)
    document = docx.Document(io.BytesIO(render_pack(demo_store, visit, "docx")))
    boxed = [p for p in document.paragraphs if p.text[:1] in ("☐", "☑")]
    # The checklist's items: each evidence line and each gap, as in the Markdown checklist.
    checklist = render_pack(demo_store, visit, "md").decode("utf-8").splitlines()
    assert len(boxed) == sum(re.match(r"\s*- \[[ x]\]", line) is not None for line in checklist)
    for paragraph in boxed:
        # No bullet before the box: a List style, not a List Bullet one, and no numbering.
        assert paragraph.style.name in ("List", "List 2", "List 3"), paragraph.text
        assert not paragraph.style.element.xpath(".//w:numPr")
        assert not paragraph._p.xpath("./w:pPr/w:numPr")
        # The box hangs in the indent; a tab takes the text to where its wrapped lines start.
        assert paragraph.text[1] == "\t", paragraph.text
        indent = paragraph.style.paragraph_format
        assert indent.first_line_indent is not None and indent.first_line_indent < 0


def test_in_word_each_trend_picture_fits_its_column_whole(demo_store: Store) -> None:
    # A picture wider than its cell is cut at the cell's edge: the trend's right end, the
    # latest values, went missing.
    document = docx.Document(io.BytesIO(render_pack(demo_store, _next_visit(demo_store), "docx")))
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    cell_margins = 2 * 73152  # Word's own cell margins: 0.08 inch each side, in EMU
    pictures = 0
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for extent in cell._tc.xpath(".//wp:extent"):
                    pictures += 1
                    [share] = cell._tc.xpath("./w:tcPr/w:tcW/@w:w")
                    room = text_width * int(share) / 5000 - cell_margins
                    assert int(extent.get("cx")) <= room, (cell.text, extent.get("cx"), room)
    assert pictures == 6  # each focus measure's trend


def test_printed_the_measures_heading_and_key_go_over_the_page_with_the_first_table(
    demo_store: Store,
) -> None:
    page = render_pack(demo_store, _next_visit(demo_store), "html").decode("utf-8")
    printed = page.split("@media print", 1)[1].split("</style>", 1)[0]
    assert "h2, h3, h4 { break-after: avoid; }" in printed
    # The key (a paragraph under the heading) neither splits nor stays behind alone.
    assert "section.measures > p { break-inside: avoid; break-after: avoid; }" in printed
    measures = page.split('<section class="measures">', 1)[1]
    assert re.match(r"\s*<h2>Performance measures</h2>\s*<p>BRAG against the target", measures)


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG) of a hex colour: 0 black, 1 white."""
    channels = []
    for i in (0, 2, 4):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def test_in_word_headings_print_dark_in_black_and_white(demo_store: Store) -> None:
    # Printed in black and white, Word's pale blue Heading 2 and 3 (the themes and each
    # finding's name) came out light grey, paler than the text under them.
    document = docx.Document(io.BytesIO(render_pack(demo_store, _next_visit(demo_store), "docx")))
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        colour = document.styles[name].font.color
        assert colour.theme_color is None, name  # a theme colour would win over the RGB
        assert colour.rgb is not None and _luminance(str(colour.rgb)) < 0.08, (name, colour.rgb)
