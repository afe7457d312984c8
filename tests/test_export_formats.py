"""A lead sends the pack to the Director as Word or a web page, and a chase list to one owner.

Each format is read back the way a reader's software reads it (python-docx for Word,
``html.parser`` for the web page) and its outline and text compared with golden files, on
the demo's next visit and on a store full of hostile text. Regenerate the goldens after a
deliberate change with ``UPDATE_GOLDEN=1`` and read the diff before committing.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pytest
from test_cli import visitprep
from test_export import (
    ESCAPE_CODES,
    HTML,
    LINK,
    NEWLINE_TICK,
    PIPE,
    RICH_MARKUP,
    _prepare,
    without_tick_dates,
)

import store as api
from store import Store
from store.errors import ValidationError
from store.export import export_to_file, format_for, render_pack
from store.export.webpage import safe_href

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(text: str, name: str) -> None:
    text = without_tick_dates(text)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs: run with UPDATE_GOLDEN=1 and read the diff"


# --- reading the files back ---------------------------------------------------------------------


class _Outline(HTMLParser):
    """The page as a reader meets it: headings, paragraphs, table rows, list items, links."""

    BLOCKS = ("h1", "h2", "h3", "h4", "p", "li", "tr", "dt", "dd", "blockquote", "title")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self._stack: list[tuple[str, list[str]]] = []
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in self.BLOCKS:
            self._stack.append((tag, []))
        if tag in ("td", "th") and self._stack:
            self._stack[-1][1].append(" | ")
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._link_text)))
            self._href = None
        if tag in self.BLOCKS and self._stack and self._stack[-1][0] == tag:
            kind, parts = self._stack.pop()
            text = " ".join("".join(parts).split())
            if text and kind != "title":
                self.lines.append(f"{kind}: {text}")

    def handle_data(self, data: str) -> None:
        if self._stack:
            self._stack[-1][1].append(data)
        if self._href is not None:
            self._link_text.append(data)


def html_outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    parser.close()
    return parser


def _cell_text(cell: Any) -> str:
    """A table cell as a reader sees it: its text, and "[picture]" for each drawn image."""
    pictures = cell._element.xpath(".//pic:pic")
    return cell.text + " [picture]" * len(pictures)


def docx_outline(data: bytes) -> tuple[list[str], list[str]]:
    """Every paragraph (style: text) and table row (cells joined) in body order, and the
    addresses of the document's hyperlinks."""
    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                lines.append("row: " + " | ".join(_cell_text(cell) for cell in row.cells))
        elif block.text.strip():
            lines.append(f"{block.style.name}: {block.text}")
    section = document.sections[0]
    lines.insert(0, f"header: {section.header.paragraphs[0].text}")
    links = [
        rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")
    ]
    return lines, links


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def plan(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.chdir(tmp_path)
    return _prepare(store, tmp_path)


def _next_visit(store: Store) -> int:
    visit = api.find_visit(store, "Monitoring visit 3")
    return visit.id


# --- the demo, as the Director gets it ----------------------------------------------------------


def test_the_demo_pack_as_a_web_page_opens_with_cover_readiness_and_chase_list(
    demo_store: Store,
) -> None:
    page = render_pack(demo_store, _next_visit(demo_store), "html").decode("utf-8")
    outline = html_outline(page)
    headings = [line for line in outline.lines if line.startswith("h2: ")]
    assert headings[:5] == [
        "h2: Summary",  # actions by BRAG, evidence ready, gaps by kind, needs a decision
        "h2: Readiness by theme",
        "h2: To chase before the visit",
        "h2: Performance measures",  # the focus themes' measures (store/export/measures.py)
        "h2: The pack in detail",
    ]
    # Self-contained: nothing fetched, nothing run.
    assert not outline.tags & {"script", "link", "img", "iframe", "object"}
    assert "@media print" in page and "@page { size: A4" in page
    assert_golden("\n".join(outline.lines) + "\n", "demo_pack.html.txt")


def test_the_demo_pack_in_word_has_real_headings_tables_links_and_page_header(
    demo_store: Store,
) -> None:
    data = render_pack(demo_store, _next_visit(demo_store), "docx")
    lines, links = docx_outline(data)
    assert lines[0] == "header: Northbridge · Monitoring visit 3: children in care and care leavers"
    assert "Title: Evidence pack: Monitoring visit 3: children in care and care leavers" in lines
    heading1 = [line for line in lines if line.startswith("Heading 1: ")]
    assert heading1 == [
        "Heading 1: Summary",
        "Heading 1: Readiness by theme",
        "Heading 1: To chase before the visit",
        "Heading 1: Performance measures",
        "Heading 1: The pack in detail",
    ]
    assert "row: Owner | Missing | For | Date | Why" in lines
    # Evidence is its title, linked: no SharePoint address is printed.
    assert links and all(link.startswith(("https://", "file://")) for link in links)
    assert not any("sharepoint.com" in line for line in lines)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        footer = package.read("word/footer1.xml").decode("utf-8")
        settings = package.read("word/document.xml").decode("utf-8")
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert 'w:w="11906"' in settings and 'w:h="16838"' in settings  # A4 in twentieths of a point
    assert_golden("\n".join(lines) + "\n", "demo_pack.docx.txt")


def test_the_demo_chase_list_is_sorted_by_owner_then_date(demo_store: Store) -> None:
    text = render_pack(demo_store, _next_visit(demo_store), "md").decode("utf-8")
    chase = text.split("## To chase before the visit")[1].split("\n## ")[0]
    rows = [row.split(" | ") for row in chase.splitlines() if row.startswith("| ")][2:]
    owners = [row[0].lstrip("| ") for row in rows]
    named = [o for o in owners if o != "no owner"]
    assert named == sorted(named, key=str.casefold)
    assert owners == [*named, "no owner"]  # nobody named: last
    assert len(rows) == 15  # every gap of the pack, once
    # Within one owner, the earliest date first.
    permanence = [row[3] for row in rows if row[0].endswith("Permanence")]
    assert permanence == ["dated 8 Jun 2018", "due 31 Dec 2018", "review by 14 Jan 2019"]


# --- a hostile store, in every format -------------------------------------------------------------


def test_hostile_text_is_literal_in_the_web_page(store: Store, plan: dict[str, int]) -> None:
    page = render_pack(store, plan["visit"], "html").decode("utf-8")
    outline = html_outline(page)
    assert "script" not in outline.tags  # "<script>" in a title stayed text
    text = "\n".join(outline.lines)
    for typed in (RICH_MARKUP, HTML, LINK, PIPE):
        assert typed in text, typed
    assert "\x1b" not in page and "\x07" not in page
    assert "\ufffd[31mRed\ufffd[0m alert \ufffd bell" in text  # escape codes shown, not run
    assert NEWLINE_TICK.replace("\n", " ") in text
    assert all(href.split(":")[0] in ("https", "file", "evidence/mash%20audit.docx",
               "evidence/consultation%20notes.docx", "evidence/strategy%20sample.xlsx")
               for href, _ in outline.links), outline.links  # fmt: skip
    assert_golden("\n".join(outline.lines) + "\n", "hostile_pack.html.txt")


def test_hostile_text_is_literal_in_word(store: Store, plan: dict[str, int]) -> None:
    lines, _links = docx_outline(render_pack(store, plan["visit"], "docx"))
    text = "\n".join(lines)
    for typed in (RICH_MARKUP, HTML, LINK, PIPE):
        assert typed in text, typed
    assert "\ufffd[31mRed\ufffd[0m alert \ufffd bell" in text
    assert ESCAPE_CODES not in text
    assert_golden(text + "\n", "hostile_pack.docx.txt")


@pytest.mark.parametrize(
    ("location", "href"),
    [
        ("https://sp.example/a b.docx", "https://sp.example/a%20b.docx"),
        ('https://sp.example/"><script>', "https://sp.example/%22%3E%3Cscript%3E"),
        ("file:///srv/evidence/audit.docx", "file:///srv/evidence/audit.docx"),
        ("/srv/evidence/audit 1.docx", "file:///srv/evidence/audit%201.docx"),
        ("C:\\Evidence\\audit.docx", "file:///C:/Evidence/audit.docx"),
        ("evidence/audit.docx", "evidence/audit.docx"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("\\\\server\\share\\x 1.docx", "file://server/share/x%201.docx"),
        ("//evil.example/x", None),
        ("java\x00script:alert(1)", None),
    ],
)
def test_only_web_file_and_relative_links_are_made(location: str, href: str | None) -> None:
    assert safe_href(location) == href


def test_a_javascript_location_is_shown_as_text_never_linked(store: Store) -> None:
    finding = api.create_finding(store, ref="R1", title="Thresholds", theme="Assessment")
    action = api.create_action(store, ref="1.1", title="Audit", finding_ids=[finding.id])
    api.create_evidence(
        store, title="Click me", kind="audit", location="javascript:alert(1)",
        action_ids=[action.id],
    )  # fmt: skip
    visit = api.create_visit(store, title="MV", start_date="1/2/2018", focus_themes=["Assessment"])
    page = render_pack(store, visit.id, "html").decode("utf-8")
    assert "javascript:" not in html_outline(page).links.__repr__()
    assert 'href="javascript' not in page.lower()
    _lines, links = docx_outline(render_pack(store, visit.id, "docx"))
    assert links == []


# --- an unready item can never show as ticked -----------------------------------------------------


def test_no_unticked_markdown_line_holds_a_tick_whatever_the_names(store: Store) -> None:
    finding = api.create_finding(store, ref="R1", title="Done [x] [X]", theme="Assessment")
    action = api.create_action(store, ref="1.1", title="[x] tracker", finding_ids=[finding.id])
    for title, location in (
        ("Tracker [x] final", "/shares/[x] done/tracker [X].xlsx"),
        ("Audit", "https://sp.example/sites/[x]/audit[X].docx"),
        ("[X] Board minutes", "minutes [x].docx"),
    ):
        api.create_evidence(
            store, title=title, kind="audit", location=location, action_ids=[action.id]
        )
    visit = api.create_visit(
        store, title="MV [x]", start_date="1/2/2018", focus_themes=["Assessment"]
    )
    text = render_pack(store, visit.id, "md").decode("utf-8")
    unticked = [line for line in text.splitlines() if not line.lstrip().startswith("- [x]")]
    assert not [line for line in unticked if "[x]" in line or "[X]" in line]
    assert text.count("- [ ] ") >= 3 and "- [x]" not in text
    # Word and the page show ☐ for each of them, never ☑.
    lines, _ = docx_outline(render_pack(store, visit.id, "docx"))
    assert not any("☑" in line for line in lines)
    assert "☑" not in render_pack(store, visit.id, "html").decode("utf-8")


# --- a past visit is judged at its own date -------------------------------------------------------


def test_a_past_visit_is_judged_at_its_own_date(store: Store) -> None:
    finding = api.create_finding(store, ref="R1", title="Thresholds", theme="Assessment")
    api.create_action(
        store, ref="1.1", title="Before the visit", due_date="1/9/2017", brag="amber",
        finding_ids=[finding.id],
    )  # fmt: skip
    api.create_action(
        store, ref="1.2", title="After the visit", due_date="30/11/2017", brag="amber",
        finding_ids=[finding.id],
    )  # fmt: skip
    # Today is 20 Jan 2018; the visit was on 8 Oct 2017, 104 days before.
    visit = api.create_visit(
        store, title="MV 1", start_date="8/10/2017", focus_themes=["Assessment"]
    )
    text = render_pack(store, visit.id, "md").decode("utf-8")
    assert (
        "- **Judged at:** 8 Oct 2017, the visit's start: overdue and out of date mean as at "
        "the visit, not today"
    ) in text
    overdue = [line for line in text.splitlines() if "overdue" in line and "Gap" in line]
    assert overdue == [
        "  - [ ] **Gap:** overdue: due 1 Sep 2017, 37 days before the visit, and not "
        "complete (Amber)"
    ]
    assert "due 30 Nov 2017" not in "\n".join(overdue)
    # A visit to come is judged as of today.
    later = api.create_visit(
        store, title="MV 2", start_date="1/2/2018", focus_themes=["Assessment"]
    )
    assert "- **Judged at:** 20 Jan 2018 (today)" in render_pack(store, later.id, "md").decode()


# --- formats, files and owners --------------------------------------------------------------------


def test_the_format_follows_the_file_name_unless_given() -> None:
    assert format_for("pack.docx") == "docx"
    assert format_for("pack.HTML") == "html"
    assert format_for("pack.md") == "md" and format_for("pack.txt") == "md"
    assert format_for(None, "word") == "docx"
    with pytest.raises(ValidationError, match=r"ends \.md but the format asked for is docx"):
        format_for("pack.md", "docx")
    with pytest.raises(ValidationError, match="There is no format 'pdf'"):
        format_for(None, "pdf")


def test_export_to_file_writes_each_format(
    store: Store, plan: dict[str, int], tmp_path: Path
) -> None:
    for name in ("pack.md", "pack.html", "pack.docx"):
        written = export_to_file(store, plan["visit"], tmp_path / name)
        assert written == tmp_path / name
    assert (tmp_path / "pack.md").read_text(encoding="utf-8").startswith("# Evidence pack")
    assert (tmp_path / "pack.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert zipfile.is_zipfile(tmp_path / "pack.docx")


def test_cli_exports_word_and_a_chase_list_for_one_owner(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    env = {"VISITPREP_TODAY": "2019-01-21"}
    assert visitprep("--db", str(db), "demo", env=env).returncode == 0
    out = tmp_path / "pack.docx"
    result = visitprep("--db", str(db), "export", "Monitoring visit 3", "-o", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"Word document for 'Monitoring visit 3: children in care and care leavers' written "
        f"to {out}\n"
    )
    assert docx_outline(out.read_bytes())[0][0].startswith("header: Northbridge")
    chase = visitprep(
        "--db", str(db), "export", "Monitoring visit 3", "--owner", "care leavers",
        "--by", "Sam Patel", env=env,
    )  # fmt: skip
    assert chase.returncode == 0, chase.stderr
    rows = [line for line in chase.stdout.splitlines() if line.startswith("| Service")]
    assert len(rows) == 3 and all("Service Manager – Care Leavers" in r for r in rows)
    assert "- **Exported by:** Sam Patel" in chase.stdout
    assert "## Children in care" not in chase.stdout  # the chase list only
    unknown = visitprep("--db", str(db), "export", "Monitoring visit 3", "--owner", "zed", env=env)
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("visitprep: Nobody called 'zed' owns anything in this pack")


def test_each_ready_item_says_who_ticked_it_and_when(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    monkeypatch.setenv("VISITPREP_USER", "Sam Patel")
    day = datetime.now(UTC).date()
    store = api.open_store(tmp_path / "today.db", today=day)
    try:
        finding = api.create_finding(store, ref="R1", title="Thresholds", theme="Assessment")
        action = api.create_action(store, ref="1.1", title="Audit", finding_ids=[finding.id])
        audit = api.create_evidence(
            store, title="Case audit", kind="audit", location="https://sp.example/audit.docx",
            action_ids=[action.id],
        )  # fmt: skip
        api.create_evidence(store, title="Tracker", kind="tracker", action_ids=[action.id])
        visit = api.create_visit(
            store, title="MV", start_date=day + timedelta(days=30), focus_themes=["Assessment"]
        )
        api.set_evidence_ready(store, visit.id, audit.id, True)
        said = f"ready (Sam Patel, {day.day} {day:%b %Y})"
        text = render_pack(store, visit.id, "md").decode("utf-8")
        [ticked] = [line for line in text.splitlines() if line.lstrip().startswith("- [x]")]
        assert ticked.endswith(f" · {said}")
        assert said in render_pack(store, visit.id, "html").decode("utf-8")
        lines, _ = docx_outline(render_pack(store, visit.id, "docx"))
        assert any(line.startswith("List 2: ☑\tCase audit") and said in line for line in lines)
        assert not any("Tracker" in line and "ready (" in line for line in lines)  # not ticked
    finally:
        store.close()
    # Judged at a day before the tick (a demo, a fixed today): who, but no day from the future.
    past = api.open_store(tmp_path / "today.db", today=day - timedelta(days=400))
    try:
        text = render_pack(past, visit.id, "md").decode("utf-8")
        assert " · ready (Sam Patel)" in text
    finally:
        past.close()


# --- a focus theme with nothing in it yet -------------------------------------------------------


def test_a_focus_theme_with_no_findings_yet_is_named_and_said_empty_in_every_format(
    store: Store,
) -> None:
    # The visit looks at the front door and at care leavers; nothing about the front door
    # is recorded yet. The Director must see that theme, and that it is empty, not miss it.
    source = api.create_source(store, kind="inspection", title="Northbridge ILACS 2018")
    api.create_finding(store, title="Pathway plans are not written with young people",
                       ref="R1", source_id=source.id, theme="Care leavers")  # fmt: skip
    visit = api.create_visit(store, title="Monitoring visit 4", start_date="1/3/2018",
                             focus_themes=["Care leavers", "Front door and MASH"])  # fmt: skip
    pack = api.build_pack(store, visit.id)
    assert [(t.theme, len(t.findings)) for t in pack.themes] == [
        ("Front door and MASH", 0),  # in the theme list's order, empty or not
        ("Care leavers", 1),
    ]

    markdown = render_pack(store, visit.id, "md").decode("utf-8").splitlines()
    assert "| Front door and MASH | 0 | none | 0 of 0 | 0 |" in markdown  # readiness by theme
    at = markdown.index("## Front door and MASH")
    assert markdown[at + 1 : at + 5] == [
        "",
        "No findings in this theme yet.",
        "",
        "## Care leavers",
    ]

    page = html_outline(render_pack(store, visit.id, "html").decode("utf-8")).lines
    at = page.index("h3: Front door and MASH")
    assert page[at + 1] == "p: No findings in this theme yet."

    word, _ = docx_outline(render_pack(store, visit.id, "docx"))
    at = word.index("Heading 2: Front door and MASH")
    assert word[at + 1] == "Normal: No findings in this theme yet."
