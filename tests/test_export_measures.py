"""The exported pack carries the focus themes' measures: figures, BRAG, direction and the
trend, in Markdown (block characters), the web page (a drawn line against the target) and
Word; user text stays text in each."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

import store as api
from store import Store
from store.export import render_pack
from store.export.measures import png_chart

HOSTILE = "<script>alert(1)</script> | **CLA** [x](y)"


@pytest.fixture
def visit_id(store: Store) -> int:
    visit = api.create_visit(
        store, title="Monitoring visit 3", start_date="2018-02-20", focus_themes=["Care leavers"]
    )
    leavers = api.create_measure(
        store, ref="CL3", name="Care leavers in EET", theme="Care leavers", target=60,
        frequency="quarterly",
        tolerance=5,
    )  # fmt: skip
    for period, value in (("Q2 17/18", 54), ("Q3 17/18", 51), ("Q4 17/18", 47)):
        api.set_measure_value(store, leavers.id, period, value)
    hostile = api.create_measure(
        store, ref="CL9", name=HOSTILE, theme="Care leavers", frequency="quarterly", target=90
    )
    api.set_measure_value(store, hostile.id, "Q3 17/18", 91)
    # Not a focus theme: not in this pack.
    other = api.create_measure(store, ref="A1", name="Assessments", theme="Assessment")
    api.set_measure_value(store, other.id, "Dec-17", 80)
    return visit.id


def _measures_section(markdown: str) -> str:
    start = markdown.index("## Performance measures")
    end = markdown.find("\n## ", start + 5)
    return markdown[start : end if end > 0 else None]


def test_the_markdown_checklist_shows_each_focus_measure_with_its_trend(
    store: Store, visit_id: int
) -> None:
    section = _measures_section(render_pack(store, visit_id, "md").decode())
    assert "### Care leavers" in section
    row = next(line for line in section.splitlines() if "CL3" in line)
    assert row == (
        "| **CL3** Care leavers in EET | 47% (Q4 2017/18) | 60% | Red (off target) "
        "| ▼ worse | `█▅▁` |"
    )
    assert "Assessments" not in section
    hostile = next(line for line in section.splitlines() if "CL9" in line)
    assert "<script>" not in hostile and "\\|" in hostile and "\\*\\*CLA" in hostile


def test_the_web_page_draws_each_trend_against_the_target(store: Store, visit_id: int) -> None:
    page = render_pack(store, visit_id, "html").decode()
    section = page[page.index('<section class="measures">') :]
    section = section[: section.index("</section>")]
    assert section.count("<svg") == 2 and section.count("<polyline") == 2
    assert 'stroke-dasharray="3,2"' in section  # the target line
    assert "<script>" not in section and "&lt;script&gt;" in section
    points = re.search(r'<polyline points="([^"]+)"', section)
    assert points is not None and len(points.group(1).split()) == 3


def test_the_word_document_has_the_measures_table(store: Store, visit_id: int) -> None:
    word = Document(io.BytesIO(render_pack(store, visit_id, "docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Performance measures" in headings
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "CL3 Care leavers in EET" in cells and "▼ worse" in cells
    # Each trend is a drawn picture: a PNG of the line against the target.
    pictures = word.inline_shapes
    assert len(pictures) == 2
    blip = pictures[0]._inline.graphic.graphicData.pic.blipFill.blip
    image = word.part.related_parts[blip.embed].blob
    assert image.startswith(b"\x89PNG") and image == png_chart(
        api.list_measures(store, theme="Care leavers")[0]
    )


def test_a_visit_whose_themes_have_no_measures_has_no_measures_section(store: Store) -> None:
    visit = api.create_visit(
        store, title="Focused visit", start_date="2018-02-20", focus_themes=["Assessment"]
    )
    assert "Performance measures" not in render_pack(store, visit.id, "md").decode()
