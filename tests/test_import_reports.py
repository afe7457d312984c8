"""Importing published Ofsted reports: a lead points visitprep at a report (or a folder of
them) and gets the inspection's details, grades and every finding, verbatim, once."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from store import (
    Store,
    count_findings,
    get_source,
    list_findings,
    list_sources,
    list_themes,
    open_store,
    rename_theme,
)
from store.actions import create_action
from store.errors import ImportFailed
from store.findings import update_finding
from store.importers.report_themes import suggest_theme
from store.importers.reports import import_reports, read_report, short_title
from store.links import link
from store.vocab import DEFAULT_THEMES, FINDING_KINDS
from tui.commands._words import in_cli_words

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "ofsted-reports"
EXPECTED_FILE = Path(__file__).parent / "data" / "reports_expected.json"
EXPECTED: dict[str, dict] = (
    json.loads(EXPECTED_FILE.read_text(encoding="utf-8")) if EXPECTED_FILE.exists() else {}
)

PDFS = sorted(p.name for p in REPORTS.glob("*.pdf")) if REPORTS.exists() else []
SIMPLE_PDF = REPORTS / "haringey_2018-12-14.pdf"
FIXTURES = Path(__file__).parent / "data" / "reports"

needs_reports = pytest.mark.skipif(not PDFS, reason="the Ofsted report files are not here")


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def _starts(text: str, words: str) -> bool:
    return _norm(text).startswith(_norm(words).rstrip(".,"))


def _groups(report) -> tuple[list, list, list]:
    council = [f for f in report.findings if re.fullmatch(r"R\d+", f.ref)]
    board = [f for f in report.findings if re.fullmatch(r"B\d+", f.ref)]
    marked = [f for f in report.findings if f.ref.startswith("P")]
    return council, board, marked


def _snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table: what "the store did not change" means."""
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute("select name from sqlite_master where type='table'")
            if not row[0].startswith("sqlite_")
        ]
        return {t: sorted(map(repr, db.execute(f'select * from "{t}"'))) for t in tables}


# -- every report file, against a person's reading of it ------------------------------------


@pytest.mark.slow
@needs_reports
@pytest.mark.parametrize("name", PDFS)
def test_report_reads_as_a_person_read_it(name: str) -> None:
    expected = EXPECTED.get(name)
    if expected is None:
        pytest.skip(f"{name} has no hand-checked entry yet")
    path = REPORTS / name
    if expected["refuse"]:
        with pytest.raises(ImportFailed) as refused:
            read_report(path)
        assert name in refused.value.message
        return
    report = read_report(path)
    assert _norm(report.local_authority) == _norm(expected["local_authority"])
    assert report.framework == expected["framework"]
    assert report.kind == expected["kind"]
    assert str(report.start_date) == expected["start_date"]
    assert str(report.end_date) == expected["end_date"]
    published = str(report.published_date) if report.published_date else None
    assert published == expected["published_date"]
    assert report.lead_inspector == expected["lead_inspector"]
    assert [(_norm(a), g) for a, g in report.judgements] == [
        (_norm(a), g) for a, g in expected["judgements"]
    ]
    council, board, marked = _groups(report)
    assert len(council) == expected["findings"]
    assert len(board) == expected["board_findings"]
    assert len(marked) == expected["marked_paragraphs"]
    if council:
        assert _starts(council[0].text, expected["first_finding_starts"]), council[0].text
        assert _starts(council[-1].text, expected["last_finding_starts"]), council[-1].text
    for finding in board:
        assert finding.kind in ("recommendation", "improvement area", "priority action")
        assert "Safeguarding Children Board" in finding.judgement_area
    for finding in marked:
        assert finding.kind in ("recommendation", "improvement area")
        assert finding.judgement_area, f"{finding.ref} has no judgement section"


# -- what a finding looks like -----------------------------------------------------------------

_FURNITURE = (
    re.compile(r"inspection of .{0,80}children['’]s (services|social care)", re.I),
    re.compile(r"inspection of the effectiveness of the local safeguarding", re.I),
    re.compile(r"\b(www\.gov\.uk/ofsted|ofsted\.gov\.uk|© crown copyright)", re.I),
    re.compile(r"\bpage \d+ of \d+\b", re.I),
    # a lone page number left between two sentences, or dangling at the end
    re.compile(r"[.;]\s+\d{1,2}\s+[A-Z]|\s\d{1,2}$"),
    re.compile(r"\b\d{1,2} (?:to|–) \d{1,2} \w+ 20\d\d \d{1,2}\b"),  # ILACS running footer
)


@pytest.mark.slow
@needs_reports
def test_no_page_furniture_ever_leaks_into_a_finding() -> None:
    checked = 0
    for name in PDFS:
        if EXPECTED.get(name, {}).get("refuse"):
            continue
        try:
            report = read_report(REPORTS / name)
        except ImportFailed:
            continue  # refusals are checked against the expectations above
        for finding in report.findings:
            checked += 1
            for pattern in _FURNITURE:
                assert not pattern.search(finding.text), (name, finding.ref, finding.text)
            assert finding.text == finding.text.strip()
            assert "\ufffe" not in finding.text and "\uf06e" not in finding.text
            assert finding.kind in FINDING_KINDS
            assert 0 < len(finding.title) <= 81, finding.title
            assert finding.theme is None or finding.theme in DEFAULT_THEMES
    assert checked > 400


@needs_reports
def test_haringey_findings_are_whole_sentences_joined_across_lines_and_pages() -> None:
    report = read_report(SIMPLE_PDF)
    council, board, marked = _groups(report)
    assert [f.ref for f in council] == [f"R{n}" for n in range(1, 10)]
    assert not board and not marked
    assert council[0].text == (
        "Assessment of children’s needs when their circumstances change, in order to inform plans."
    )
    # the last bullet is on a new page after the running footer
    assert council[-1].text == "Pathways to private fostering."
    assert council[7].text == (
        "The offer and take-up of return home interviews and the subsequent use of "
        "intelligence to inform individual children’s plans and wider partnership activity."
    )
    assert council[7].theme == "Exploitation and missing"
    assert all(f.kind == "improvement area" for f in council)


@needs_reports
def test_a_nested_list_stays_inside_its_finding() -> None:
    report = read_report(REPORTS / "cornwall_2019-11-05.pdf")
    first = report.findings[0]
    assert first.text.startswith("The provision of suitable accommodation for 16- and 17-year")
    assert "\n– sufficiency of accommodation" in first.text
    assert first.text.endswith("management oversight of the use of any unregulated provision.")
    assert len(report.findings) == 3


@needs_reports
def test_sif_lists_priority_actions_then_areas_for_improvement_and_the_boards_own() -> None:
    report = read_report(REPORTS / "kingston-upon-hull_2015-02-10.pdf")
    council, board, _ = _groups(report)
    assert [f.kind for f in council[:5]] == ["priority action"] * 5
    assert {f.kind for f in council[5:]} == {"improvement area"}
    # sub-headings between items ("The quality of social work plans") are not findings
    assert not any(f.text.startswith("The quality of social work") for f in council)
    assert council[4].text.endswith("using the conflict resolution process.")
    assert len(board) == 7
    assert board[-1].text.endswith("lead to improvements in safeguarding services.")


@needs_reports
def test_marked_paragraphs_keep_their_judgement_section() -> None:
    report = read_report(REPORTS / "greenwich_2016-08-05.pdf")
    marked = [f for f in report.findings if f.ref.startswith("P")]
    areas = {f.judgement_area for f in marked}
    assert "The experiences and progress of children who need help and protection" in areas
    assert sum("Safeguarding Children Board" in f.judgement_area for f in marked) == 2
    p44 = next(f for f in marked if f.ref == "P44")
    assert p44.kind == "recommendation"
    assert p44.text.startswith("Children and young people looked after have access to advocacy")
    assert p44.text.endswith("However, a waiting list is in operation.")


def test_short_titles_end_on_a_whole_word() -> None:
    assert short_title("Pathways to private fostering.") == "Pathways to private fostering"
    long = (
        "ensure that children’s care and pathway plans are outcome focused, routinely reviewed "
        "by managers and shared with every child in a form they understand"
    )
    title = short_title(long)
    assert title.startswith("Ensure that children’s care and pathway plans are outcome focused")
    assert len(title) <= 81 and long.lower().startswith(title.rstrip("…").lower())


def test_themes_are_suggested_from_the_words_of_a_finding() -> None:
    assert suggest_theme("Decision-making in the MASH consistently adheres to thresholds.") == (
        "Front door and MASH"
    )
    assert suggest_theme("The quality of pathway plans for care leavers.") == "Care leavers"
    assert suggest_theme("Timely escalation to the public law outline (PLO).") == (
        "PLO and pre-proceedings"
    )
    assert suggest_theme("The take-up of return home interviews after children go missing.") == (
        "Exploitation and missing"
    )
    assert suggest_theme("The weather on the day.") is None


def test_a_report_from_a_council_never_seen_before_reads_the_same_way() -> None:
    """A made-up 2025 report as text, for a council no shared report is from: no rule in the
    importer knows its name."""
    report = read_report(FIXTURES / "ashbourne-vale_2025-03-20.txt")
    assert (report.local_authority, report.framework) == ("Rutland", "ILACS")
    assert (str(report.start_date), str(report.end_date)) == ("2025-02-03", "2025-02-14")
    assert report.lead_inspector == "Priya Natarajan"
    assert report.judgements[1] == (
        "The experiences and progress of children who need help and protection",
        "inadequate",
    )
    assert report.judgements[-1] == ("Overall effectiveness", "inadequate")
    assert [(f.ref, f.theme) for f in report.findings] == [
        ("R1", "Children in need and child protection"),
        ("R2", "Exploitation and missing"),
        ("R3", "Supervision and management oversight"),
        ("R4", "Placement sufficiency"),
    ]
    # the third bullet ends where the footnote starts; the fourth is over the page
    assert report.findings[2].text == (
        "Management oversight and supervision of social workers in the assessment teams."
    )
    assert report.findings[3].text == (
        "Sufficiency of local homes for children in care, including for brothers and sisters "
        "who need to live together."
    )
    assert (
        report.findings[1].title
        == "The quality of return home interviews for children who go missing"
    )


def test_a_sif_report_in_another_tools_layout_keeps_its_lists_apart() -> None:
    """Numbers on lines of their own, a sub-heading inside the list, a marked paragraph over a
    page break and the safeguarding board's own bullets."""
    report = read_report(FIXTURES / "eastmere_2016-05-20.txt")
    assert (report.local_authority, report.framework) == ("Thurrock", "SIF")
    assert str(report.published_date) == "2016-05-20" and report.lead_inspector is None
    assert report.judgements[0] == ("Overall effectiveness", "requires improvement")
    assert report.judgements[-1] == (
        "The effectiveness of the Local Safeguarding Children Board (LSCB)",
        "good",
    )
    refs = [f.ref for f in report.findings]
    assert refs == ["R1", "R2", "R3", "R4", "B1", "B2", "P12"]
    by_ref = {f.ref: f for f in report.findings}
    assert by_ref["R3"].text == (
        "Ensure that pathway plans are written with care leavers and say who will help them "
        "with what."
    )
    assert by_ref["R4"].text.endswith("as often as their plans say.")
    assert by_ref["B2"].judgement_area == "Local Safeguarding Children Board"
    assert by_ref["P12"].text.endswith("Managers do not always check that plans are reviewed.")
    assert by_ref["P12"].judgement_area == (
        "The experiences and progress of children who need help and protection"
    )


def test_a_marked_paragraph_with_nothing_to_say_is_passed_over(tmp_path: Path) -> None:
    """A paragraph number and its mark with no words between them (a layout slip) is no
    finding; the rest of the report still imports."""
    text = (FIXTURES / "eastmere_2016-05-20.txt").read_text(encoding="utf-8")
    slip = tmp_path / "eastmere_2016-05-20.txt"
    slip.write_text(
        text.replace("always check that plans are reviewed. (Recommendation)",
                     "always check that plans are reviewed. (Recommendation)\n13. (Recommendation)"),
        encoding="utf-8",
    )  # fmt: skip
    refs = [f.ref for f in read_report(slip).findings]
    assert refs == ["R1", "R2", "R3", "R4", "B1", "B2", "P12"]


# -- storing -----------------------------------------------------------------------------------


@needs_reports
def test_importing_a_report_stores_the_source_its_grades_and_findings(store: Store) -> None:
    [outcome] = import_reports(store, [SIMPLE_PDF])
    assert outcome.status == "imported" and outcome.findings == 9
    [source] = list_sources(store)
    assert source.id == outcome.source_id
    assert (source.local_authority, source.framework) == ("Haringey", "ILACS")
    assert source.lead_inspector == "Anne Waterman"
    assert source.content_hash and source.file_path.endswith("haringey_2018-12-14.pdf")
    assert ("Overall effectiveness", "requires improvement") in {
        (j.area, j.grade) for j in source.judgements
    }
    findings = list_findings(store, source_id=source.id)
    assert [f.ref for f in findings] == [f"R{n}" for n in range(1, 10)]
    assert findings[3].theme == "Placement sufficiency"


@needs_reports
def test_a_2013_report_keeps_its_adequate_grades(store: Store) -> None:
    """Before 2013 Ofsted graded on outstanding/good/adequate/inadequate: the store keeps
    what the report says rather than dropping those judgements."""
    [outcome] = import_reports(store, [REPORTS / "kent_2013-08-23.pdf"])
    assert outcome.status == "imported"
    source = get_source(store, outcome.source_id)
    expected = json.loads((Path(__file__).parent / "data" / "reports_expected.json").read_text())
    wanted = expected["kent_2013-08-23.pdf"]["judgements"]
    assert "adequate" in {grade for _, grade in wanted}
    assert [(j.area, j.grade) for j in source.judgements] == [tuple(pair) for pair in wanted]


@needs_reports
def test_suggested_themes_follow_a_theme_the_council_renamed(store: Store) -> None:
    exploitation = next(t for t in list_themes(store) if t.name == "Exploitation and missing")
    rename_theme(store, exploitation.id, "Vulnerable adolescents")
    import_reports(store, [SIMPLE_PDF])
    r8 = next(f for f in list_findings(store) if f.ref == "R8")
    assert r8.text.startswith("The offer and take-up of return home interviews")
    assert r8.theme == "Vulnerable adolescents"


@needs_reports
def test_importing_the_same_report_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    import_reports(store, [SIMPLE_PDF])
    before = _snapshot(tmp_path / "visitprep.db")
    [again] = import_reports(store, [SIMPLE_PDF])
    assert again.status == "unchanged"
    assert "already imported" in again.message
    assert _snapshot(tmp_path / "visitprep.db") == before


@needs_reports
def test_a_text_copy_of_a_report_gives_the_same_findings(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    for name in ("haringey_2018-12-14.pdf", "barnsley_2014-08-08.pdf", "kent_2013-08-23.pdf",
                 "north-northamptonshire_2026-07-07.pdf", "greenwich_2016-08-05.pdf"):  # fmt: skip
        document = pdfium.PdfDocument(REPORTS / name)
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
        copy = tmp_path / name.replace(".pdf", ".txt")
        copy.write_text("\f".join(pages), encoding="utf-8")
        from_pdf, from_text = read_report(REPORTS / name), read_report(copy)
        assert [(f.ref, f.kind, f.text) for f in from_text.findings] == [
            (f.ref, f.kind, f.text) for f in from_pdf.findings
        ], name
        assert from_text.judgements == from_pdf.judgements
        assert from_text.local_authority == from_pdf.local_authority


@needs_reports
@pytest.mark.parametrize(
    "name",
    [
        "haringey_2018-12-14.pdf",
        "camden_2025-04-15.pdf",
        "herefordshire_2026-01-12.pdf",
        "warwickshire_2025-10-14.pdf",
        "luton_2026-03-10.pdf",
        "bradford_2023-01-31.pdf",
    ],
)
def test_bullets_that_come_out_as_nothing_still_separate_the_findings(
    name: str, tmp_path: Path
) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(REPORTS / name)
    text = "\f".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    bare = tmp_path / name.replace(".pdf", ".txt")
    bare.write_text(re.sub("[\uf06e◼] ?", "", text), encoding="utf-8")
    expected = [f.text for f in read_report(REPORTS / name).findings]
    assert [f.text for f in read_report(bare).findings] == expected


@needs_reports
def test_a_changed_copy_is_only_replaced_when_asked(store: Store, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(SIMPLE_PDF)
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    first = tmp_path / "haringey.txt"
    first.write_text("\f".join(pages), encoding="utf-8")
    [imported] = import_reports(store, [first])
    r1 = list_findings(store, source_id=imported.source_id)[0]
    action = create_action(store, title="Assessment refresh training", ref="A1")
    link(store, "finding", r1.id, "action", action.id)
    update_finding(store, r1.id, theme="Assessment")

    changed = "\f".join(pages).replace("Pathways to private fostering.", "Private fostering.")
    second = tmp_path / "haringey-corrected.txt"
    second.write_text(changed, encoding="utf-8")
    [asked] = import_reports(store, [second])
    assert asked.status == "changed" and "--update" in in_cli_words(asked.said)
    assert list_findings(store, source_id=imported.source_id)[-1].text.startswith("Pathways")

    [updated] = import_reports(store, [second], update=True)
    assert updated.status == "updated" and updated.source_id == imported.source_id
    assert "kept 8 findings as they were" in updated.message
    assert "updated the words of 1" in updated.message
    findings = list_findings(store, source_id=imported.source_id)
    assert findings[-1].text == "Private fostering."
    kept = findings[0]
    assert (kept.id, kept.action_count, kept.theme) == (r1.id, 1, "Assessment")
    assert len(list_sources(store)) == 1


@needs_reports
def test_an_update_follows_renumbered_findings_and_says_what_it_removed(
    store: Store, tmp_path: Path
) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(SIMPLE_PDF)
    text = "\f".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    first = tmp_path / "haringey.txt"
    first.write_text(text, encoding="utf-8")
    [imported] = import_reports(store, [first])
    stored = list_findings(store, source_id=imported.source_id)
    r1, r3 = stored[0], stored[2]
    link(store, "finding", r1.id, "action", create_action(store, title="Audit", ref="A1").id)
    link(store, "finding", r3.id, "action", create_action(store, title="Panel", ref="A2").id)

    # The corrected copy drops the first bullet: every other finding moves up one number.
    start = text.index("\uf06e Assessment of children")
    end = text.index("\uf06e Child-focused plans")
    second = tmp_path / "haringey-v2.txt"
    second.write_text(text[:start] + text[end:], encoding="utf-8")
    [updated] = import_reports(store, [second], update=True)
    assert updated.message.endswith(
        "kept 8 findings as they were, with their links; "
        "removed 1 no longer in the report and their 1 link."
    )
    findings = list_findings(store, source_id=imported.source_id)
    assert [f.ref for f in findings] == [f"R{n}" for n in range(1, 9)]
    moved = next(f for f in findings if f.id == r3.id)
    assert (moved.ref, moved.action_count) == ("R2", 1)
    assert r1.id not in {f.id for f in findings}


# -- bad input ------------------------------------------------------------------------------


def _text_pdf(path: Path, lines: list[str]) -> Path:
    """A real one-page PDF holding ``lines`` as text (made with PDFium)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument.new()
    page = document.new_page(595, 842)
    font = pdfium_c.FPDFText_LoadStandardFont(document, b"Helvetica")
    for number, line in enumerate(lines):
        text = pdfium_c.FPDFPageObj_CreateTextObj(document, font, 12.0)
        encoded = (line + "\0").encode("utf-16-le")
        buffer = ctypes.create_string_buffer(encoded, len(encoded))
        pdfium_c.FPDFText_SetText(text, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        pdfium_c.FPDFPageObj_Transform(text, 1, 0, 0, 1, 50, 800 - 16 * number)
        pdfium_c.FPDFPage_InsertObject(page, text)
    pdfium_c.FPDFPage_GenerateContent(page)
    document.save(path)
    return path


def _encrypted_pdf(path: Path) -> Path:
    """A PDF protected by a password (standard security handler), as a council might save."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"41" * 32 + b"> /U <" + b"42" * 32
        + b"> /P -4 >>",
    ]  # fmt: skip
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff>"
        b" <00112233445566778899aabbccddeeff>] >>\nstartxref\n%d\n%%%%EOF\n"
    ) % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    import pypdfium2 as pdfium

    html = tmp_path / "report.pdf"
    html.write_text(
        "<!DOCTYPE html>\n<html><head><title>Report not found</title></head><body></body></html>"
    )
    noise = tmp_path / "noise.pdf"
    noise.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    scanned = tmp_path / "scanned.pdf"
    blank = pdfium.PdfDocument.new()
    blank.new_page(595, 842)
    blank.save(scanned)
    minutes = _text_pdf(
        tmp_path / "minutes.pdf",
        ["Minutes of the parish council meeting held on 3 March 2024."] * 6
        + ["Present: the chair, the clerk and six councillors. Apologies were received."] * 6,
    )
    letter = tmp_path / "visit.txt"
    letter.write_text(
        "Monitoring visit to Thurrock children’s services\n"
        "Dear Ms Patel\nThis letter summarises the findings of the monitoring visit to "
        "Thurrock children’s services on 4 and 5 June 2024.\n" * 5
    )
    return {
        "monitoring visit": (letter, "is the letter from an Ofsted monitoring visit"),
        "web page": (html, "is not a PDF (it looks like a web page: 'Report not found')"),
        "random bytes": (noise, "is not a PDF"),
        "empty file": (empty, "is empty"),
        "scanned": (scanned, "no text"),
        "encrypted": (_encrypted_pdf(tmp_path / "locked.pdf"), "encrypted"),
        "not an Ofsted report": (minutes, "is not an Ofsted report"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "web page",
        "random bytes",
        "empty file",
        "scanned",
        "encrypted",
        "not an Ofsted report",
        "monitoring visit",
    ],
)
def test_bad_files_are_refused_with_a_clear_reason_and_nothing_stored(
    case: str, store: Store, tmp_path: Path
) -> None:
    path, reason = _bad_files(tmp_path)[case]
    with pytest.raises(ImportFailed) as refused:
        read_report(path)
    assert reason in refused.value.message
    assert path.name in refused.value.message
    before = _snapshot(tmp_path / "visitprep.db")
    [outcome] = import_reports(store, [path])
    assert (outcome.status, outcome.source_id, outcome.findings) == ("refused", None, 0)
    assert reason in outcome.message
    assert _snapshot(tmp_path / "visitprep.db") == before


@needs_reports
def test_the_saved_web_pages_among_the_real_files_are_refused() -> None:
    with pytest.raises(ImportFailed) as refused:
        read_report(REPORTS / "rotherham_2012-08-10.pdf")
    assert refused.value.message == (
        "rotherham_2012-08-10.pdf is not a PDF (it looks like a web page: 'Report not found - "
        "Find an Inspection Report - Ofsted'). Download the report again from Ofsted."
    )


@needs_reports
def test_a_folder_imports_report_by_report_and_a_bad_file_stops_nothing(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("salford_2018-11-12.pdf", "wolverhampton_2022-05-18.pdf"):
        (folder / name).write_bytes((REPORTS / name).read_bytes())
    (folder / "bromley_2012-08-17.pdf").write_bytes(
        (REPORTS / "bromley_2012-08-17.pdf").read_bytes()
    )
    (folder / "notes.docx").write_bytes(b"ignored: not a report type")
    seen: list[tuple[int, int, str]] = []
    outcomes = import_reports(
        store, [folder], progress=lambda i, n, name: seen.append((i, n, name))
    )
    assert [(o.path.name, o.status) for o in outcomes] == [
        ("bromley_2012-08-17.pdf", "refused"),
        ("salford_2018-11-12.pdf", "imported"),
        ("wolverhampton_2022-05-18.pdf", "imported"),
    ]
    assert [s[:2] for s in seen] == [(1, 3), (2, 3), (3, 3)]
    assert {s.local_authority for s in list_sources(store)} == {"Salford", "Wolverhampton"}
    assert count_findings(store) == 4 + 5


@needs_reports
def test_a_failure_while_storing_one_report_leaves_the_others_whole(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.importers.report_store as report_store  # where a new report is stored

    real = report_store.add_findings
    calls = {"n": 0}

    def failing(store_: Store, items: list[dict]):  # the disk fills up on report 2's findings
        calls["n"] += 1
        if calls["n"] == 3:  # report 1 adds its recommendations, then its (no) paragraphs
            raise ImportFailed("The store could not be written (disk full).")
        return real(store_, items)

    monkeypatch.setattr(report_store, "add_findings", failing)
    outcomes = import_reports(
        store,
        [REPORTS / "salford_2018-11-12.pdf", REPORTS / "wolverhampton_2022-05-18.pdf",
         REPORTS / "knowsley_2021-12-03.pdf"],
    )  # fmt: skip
    assert [o.status for o in outcomes] == ["imported", "refused", "imported"]
    assert "disk full" in outcomes[1].message
    assert {s.local_authority for s in list_sources(store)} == {"Salford", "Knowsley"}
    assert count_findings(store) == 4 + 5


def test_a_layout_the_importer_trips_over_is_refused_not_a_crash(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.importers.report_read as report_read

    def trips(lines: list[str]) -> list:
        raise IndexError("list index out of range")

    monkeypatch.setattr(report_read, "find_findings", trips)
    [outcome] = import_reports(store, [FIXTURES / "ashbourne-vale_2025-03-20.txt"])
    assert outcome.status == "refused"
    assert outcome.message == (
        "ashbourne-vale_2025-03-20.txt could not be read as an Ofsted report: its layout is "
        "not one this version understands (IndexError). Nothing was imported."
    )
    assert list_sources(store) == []


def test_a_text_file_that_is_not_a_report_is_refused(store: Store, tmp_path: Path) -> None:
    note = tmp_path / "shopping.txt"
    note.write_text("Milk\nBread\n" * 100)
    [outcome] = import_reports(store, [note])
    assert outcome.status == "refused"
    assert "is not an Ofsted report" in outcome.message
    assert list_sources(store) == []


def test_a_store_opened_again_sees_the_import(tmp_path: Path) -> None:
    if not PDFS:
        pytest.skip("the Ofsted report files are not here")
    db = tmp_path / "again.db"
    first = open_store(db)
    import_reports(first, [SIMPLE_PDF])
    first.close()
    second = open_store(db)
    try:
        [outcome] = import_reports(second, [SIMPLE_PDF])
        assert outcome.status == "unchanged"
    finally:
        second.close()
