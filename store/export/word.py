"""The pack document as a Word (.docx) file, with python-docx.

Word's own styles (Title, Heading 1-3, List Bullet, Table Grid), real tables whose header
row repeats on each page, evidence titles as hyperlinks (the whole location is never
printed), ☐ and ☑ for ticks, the council and visit in the page header, "Page N of M" in
the footer, A4.

All text is literal: it goes into ``w:t`` elements escaped as XML, never interpreted.
The body is written as WordprocessingML and parsed once (a 10,000-item pack in well under
a second; python-docx's one-call-per-paragraph API takes several).
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.shared import Mm, Pt, RGBColor

from store.dates import format_date
from store.export import measures
from store.export.document import (
    SOURCE_DASH,
    PackDocument,
    action_facts,
    brag_order,
    cover_facts,
    evidence_facts,
    plain,
    short_location,
    source_words,
    summary_facts,
)
from store.export.webpage import safe_href
from store.export.wordml import para, run, table, w_text
from store.records import Gap, PackEvidence, PackFinding
from store.wording import EMPTY_THEME, plural

__all__ = ["render_docx"]

_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_PLACEHOLDER = "visitprep-pack-body"  # where the body's XML goes in the saved package
_GAP_COLOUR = "A4000F"
_LINK_COLOUR = "0B57A4"
_HEADING_COLOUR = RGBColor(0x0B, 0x3D, 0x6B)

# Runs every gap, action and evidence line starts with, made once (thousands in a big pack).
# A box is the line's own marker (in a List style, not a bulleted one: a bullet before a box
# is two markers), a tab after it, so that a line that wraps starts again under its text.
_TAB = "<w:r><w:tab/></w:r>"
_GAP_START = (
    run("☐", tick=True, colour=_GAP_COLOUR) + _TAB + run("Gap: ", bold=True, colour=_GAP_COLOUR)
)
_ACTION = run("Action ", bold=True)
_COLON = run(": ", bold=True)
_TICKED = run("☑", tick=True) + _TAB
_UNTICKED = run("☐", tick=True) + _TAB
_BREAK = "<w:r><w:br/></w:r>"  # a new line within the paragraph


class _Body:
    """The body's XML and the hyperlinks it needs, collected as the document is walked."""

    def __init__(self) -> None:
        self.xml: list[str] = []
        self.links: dict[str, str] = {}  # href -> relationship id
        # location -> its link, worked out once (the chase list and the detail both name it)
        self.hrefs: dict[str, str | None] = {}

    def add(self, *parts: str) -> None:
        self.xml.extend(parts)

    def link(self, title: str, location: str) -> str:
        """The title as a hyperlink to the location, or plain text with a short form."""
        name = plain(title) or "untitled"
        where = plain(location)
        if not where:
            return run(name) + run(" (no location recorded)")
        if where in self.hrefs:
            href = self.hrefs[where]
        else:
            href = self.hrefs[where] = safe_href(where)
        if href is None:
            return run(name) + run(f" ({short_location(where)})")
        rid = self.links.setdefault(href, f"rIdPack{len(self.links) + 1}")
        linked = (
            f'<w:r><w:rPr><w:color w:val="{_LINK_COLOUR}"/><w:u w:val="single"/></w:rPr>'
            f"{w_text(name)}</w:r>"
        )
        return f'<w:hyperlink r:id="{rid}" w:history="1">{linked}</w:hyperlink>'


def render_docx(doc: PackDocument) -> bytes:
    """The .docx file's bytes."""
    pack = doc.pack
    visit = pack.visit
    word = Document()
    _page_setup(word, doc)
    body = _Body()
    title = (
        f"To chase before the visit: {doc.owner or 'nobody named'}"
        if doc.owner is not None
        else f"Evidence pack: {visit.title}"
    )
    body.add(para(run(title), style="Title"))
    for label, value in cover_facts(doc):
        body.add(para(run(f"{label}: ", bold=True), run(value), tight=True))
    if doc.owner is None:
        _summary(body, doc)
        _readiness(body, doc)
    _chase(body, doc)
    if doc.owner is None:
        measures.word(body, doc, word)
        _detail(body, doc)

    rels = word.part.rels
    for href, rid in body.links.items():
        rels.add_relationship(RELATIONSHIP_TYPE.HYPERLINK, href, rid, is_external=True)
    word.add_paragraph(_PLACEHOLDER)
    out = io.BytesIO()
    word.save(out)
    return _with_body(out.getvalue(), "".join(body.xml), doc)


def _with_body(package: bytes, body_xml: str, doc: PackDocument) -> bytes:
    """The saved package with the placeholder paragraph replaced by the body's XML.

    Written into the package as text: parsing it into python-docx's tree and moving it into
    the document took seconds for a big pack (lxml fixes up every node it moves). The XML
    is ours, every piece of user text escaped. Each member gets the generation date, so the
    same pack gives the same bytes.
    """
    stamp = (doc.generated_on.year, doc.generated_on.month, doc.generated_on.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        # Fast compression: a big pack's XML is most of the time at the default level.
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                at = text.index(_PLACEHOLDER)
                start = max(text.rfind("<w:p>", 0, at), text.rfind("<w:p ", 0, at))
                end = text.index("</w:p>", at) + len("</w:p>")
                data = (text[:start] + body_xml + text[end:]).encode("utf-8")
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            target.writestr(member, data, zipfile.ZIP_DEFLATED, 1)
    return out.getvalue()


def _page_setup(word: object, doc: PackDocument) -> None:
    from docx.document import Document as WordDocument

    assert isinstance(word, WordDocument)
    # The file's own date, fixed by the pack's (the same pack gives the same properties).
    props = word.core_properties
    props.title = plain(doc.pack.visit.title)
    props.author = plain(doc.exported_by) or "visitprep"
    props.last_modified_by = props.author
    props.revision = 1
    from datetime import datetime

    stamp = datetime(
        doc.generated_on.year, doc.generated_on.month, doc.generated_on.day, tzinfo=UTC
    )
    props.created = stamp
    props.modified = stamp
    normal = word.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    # A long visit title is the whole title, wrapped: at Word's 26 pt it took a third of the
    # first page. The running header and footer are small print, so that a title of two
    # lines there stays clear of the page's text.
    word.styles["Title"].font.size = Pt(20)
    # Word's pale blue headings (4F81BD) print light grey in black and white, paler than
    # the text under them: the web page's dark blue instead.
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        word.styles[name].font.color.rgb = _HEADING_COLOUR
    for name in ("Header", "Footer"):
        small = word.styles[name].font
        small.size = Pt(8)
        small.color.rgb = RGBColor(0x59, 0x59, 0x59)
    word.styles["Header"].paragraph_format.space_after = Pt(8)
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(20), Mm(18)
    header_text = " · ".join(
        part for part in (plain(doc.council), plain(doc.pack.visit.title)) if part
    )
    header = section.header.paragraphs[0]
    header.text = header_text
    footer = section.footer.paragraphs[0]
    footer._p.append(parse_xml(f"<w:r {_NS}>{w_text('Page ')}</w:r>"))
    footer._p.append(
        parse_xml(f'<w:fldSimple {_NS} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )
    footer._p.append(parse_xml(f"<w:r {_NS}>{w_text(' of ')}</w:r>"))
    footer._p.append(
        parse_xml(f'<w:fldSimple {_NS} w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )
    footer._p.append(
        parse_xml(f"<w:r {_NS}>{w_text(f' · generated {format_date(doc.generated_on)}')}</w:r>")
    )


def _summary(body: _Body, doc: PackDocument) -> None:
    """The pack in three lines, then what needs the Director's decision."""
    body.add(para(run("Summary"), style="Heading1", keep_next=True))
    for label, value in summary_facts(doc):
        body.add(para(run(f"{label}: ", bold=True), run(value), style="ListBullet"))
    if not doc.decisions:
        return
    body.add(
        para(
            run("Needs a decision: ", bold=True),
            run(plural(len(doc.decisions), "item")),
            style="ListBullet",
            keep_next=True,
        )
    )
    for item in doc.decisions:
        name = [run(f"{item.ref} ", bold=True)] if plain(item.ref) else []
        owner = run(f" ({item.owner})") if item.owner else ""
        latest = (_BREAK + run(f"Latest update {item.latest}")) if item.latest else ""
        body.add(
            para(
                *name,
                run(item.what),
                owner,
                run(f": {plain(item.why)}"),
                latest,
                style="ListBullet2",
            )
        )


def _readiness(body: _Body, doc: PackDocument) -> None:
    body.add(para(run("Readiness by theme"), style="Heading1", keep_next=True))
    if not doc.readiness:
        body.add(
            para(
                run(
                    "No findings are in this pack yet: choose the visit's focus themes or add "
                    "findings by hand."
                )
            )
        )
        return
    rows = []
    for row in doc.readiness:
        brags = ", ".join(f"{b.title()} {row.brag_counts[b]}" for b in brag_order(row.brag_counts))
        rows.append(
            [
                run(row.theme),
                run(str(row.findings)),
                run(brags or "none"),
                run(f"{row.evidence_ready} of {row.evidence_needed}"),
                run(str(row.gaps)),
            ]
        )
    body.add(
        table(
            ["Theme", "Findings", "Actions by BRAG", "Evidence ready", "Gaps"],
            rows,
            [30, 14, 28, 16, 12],
        )
    )


def _chase(body: _Body, doc: PackDocument) -> None:
    body.add(para(run("To chase before the visit"), style="Heading1", keep_next=True))
    if not doc.chase:
        body.add(para(run("Nothing to chase: no gaps.")))
        return
    rows = []
    for row in doc.chase:
        what = body.link(row.what, row.location) if row.location else run(row.what)
        if plain(row.ref):
            what = run(f"{row.ref} ", bold=True) + what
        rows.append(
            [
                run(row.owner or "no owner"),
                what,
                run(row.serves),
                run(row.when_text),
                run(row.why),
            ]
        )
    body.add(table(["Owner", "Missing", "For", "Date", "Why"], rows, [17, 27, 12, 13, 31]))


def _detail(body: _Body, doc: PackDocument) -> None:
    pack = doc.pack
    if not pack.themes and not pack.dropped:
        return
    body.add(
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
        para(run("The pack in detail"), style="Heading1"),
    )
    for theme in pack.themes:
        body.add(para(run(theme.theme), style="Heading2", keep_next=True))
        if not theme.findings:
            body.add(para(run(f"{EMPTY_THEME}.")))
        for item in theme.findings:
            _finding(body, item, doc)
    if pack.dropped:
        body.add(para(run("Dropped from this pack by hand"), style="Heading2"))
        for finding in pack.dropped:
            cited = source_words(finding.source_title)
            source = f"{SOURCE_DASH}{cited}" if cited else ""
            body.add(para(*_name(finding.ref, finding.title), run(source), style="ListBullet"))


def _name(ref: str, title: str) -> list[str]:
    if plain(ref):
        return [run(ref, bold=True), run(f" · {plain(title)}")]
    return [run(title)]


def _gap(gap: Gap, doc: PackDocument, style: str, **record: Any) -> str:
    words = doc.gap_words(gap, **record)
    return para(
        _GAP_START,
        run(words, colour=_GAP_COLOUR),
        style=style,
    )


def _finding(body: _Body, item: PackFinding, doc: PackDocument) -> None:
    finding = item.finding
    body.add(para(*_name(finding.ref, finding.title), style="Heading3", keep_next=True))
    text = plain(finding.text)
    if text and text != plain(finding.title):
        body.add(para(run(text), style="Quote"))
    if item.details:  # the report's own detail behind it: context, not more to do
        body.add(para(run("Context in the report:"), keep_next=True))
        body.add(*(para(run(f"{d.ref}: {d.text}"), style="ListBullet") for d in item.details))
    about = [
        f"Source: {plain(finding.source_title) or 'none recorded'}",
        f"Kind: {plain(finding.kind)}",
        f"Status: {plain(finding.status)}",
    ]
    if item.added_by_hand:
        about.append("added to this pack by hand")
    body.add(para(run(" · ".join(about))))
    body.add(*(_gap(gap, doc, "List") for gap in item.gaps))
    for pack_action in item.actions:
        action = pack_action.action
        name = [_ACTION, run(action.ref, bold=True), _COLON]
        if not doc.shown_in_full(action.id, finding.id):
            body.add(
                para(
                    *name,
                    run(f"{plain(action.title)}, see {plain(doc.full_under(action.id))}"),
                    style="ListBullet",
                )
            )
            continue
        facts = " · ".join(
            value if label == "BRAG" else f"{label}: {value}"
            for label, value in action_facts(action)
        )
        body.add(para(*name, run(action.title), run(f" · {facts}"), style="ListBullet"))
        update = pack_action.latest_update
        if update is not None:
            by = f" — {plain(update.author)}" if plain(update.author) else ""
            body.add(
                para(
                    run(
                        f"Latest update ({plain(update.date_and_brag)}): ",
                        bold=True,
                    ),
                    run(f"{plain(update.note)}{by}"),
                    style="ListBullet2",
                )
            )
        body.add(*(_gap(gap, doc, "List2", action=action) for gap in pack_action.gaps))
        _evidence(body, pack_action.evidence, doc, "List2")
    own = item.own_evidence
    if own:
        body.add(para(run("Evidence for the finding itself", bold=True), style="ListBullet"))
        _evidence(body, own, doc, "List2")


def _evidence(body: _Body, items: tuple[PackEvidence, ...], doc: PackDocument, style: str) -> None:
    deeper = "List3"
    for item in items:
        evidence = item.evidence
        facts = " · ".join(plain(fact) for fact in evidence_facts(evidence))
        if item.ready:
            facts += f" · {doc.ready_words(evidence.id)}"
        body.add(
            para(
                _TICKED if item.ready else _UNTICKED,
                body.link(evidence.title, evidence.location),
                run(f" · {facts}"),
                style=style,
            )
        )
        body.add(
            *(_gap(gap, doc, deeper, evidence=evidence, ticked=item.ready) for gap in item.gaps)
        )
