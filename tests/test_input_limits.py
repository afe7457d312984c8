"""Bounded inputs: an oversized report or evidence folder is refused in one line, with
nothing stored (the spreadsheet limits are tested with the plan importer)."""

from __future__ import annotations

from pathlib import Path

import pytest

import store as api
from store.errors import ImportFailed
from store.importers import evidence_folder, report_text
from tui import cli

REPORT = Path(__file__).parent / "data" / "reports" / "eastmere_2016-05-20.txt"


def _pdf(pages: int) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    from io import BytesIO

    buffer = BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def test_a_report_pdf_with_too_many_pages_is_refused_before_its_pages_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_text, "MAX_REPORT_PAGES", 3)
    path = tmp_path / "huge.pdf"
    data = _pdf(5)
    with pytest.raises(ImportFailed) as refused:
        report_text.read_lines(path, data)
    assert refused.value.message == (
        "huge.pdf has 5 pages, over the 3 a report may have: it is not an Ofsted report."
    )


def test_an_oversized_report_file_is_one_line_on_the_command_line_and_nothing_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(report_text, "MAX_REPORT_BYTES", 1024 * 1024)
    big = tmp_path / "eastmere_2016-05-20.txt"
    text = REPORT.read_text(encoding="utf-8")
    big.write_text(text + "\n" + "Padding line of the report body.\n" * 40_000, encoding="utf-8")
    db = tmp_path / "visitprep.db"
    status = cli.main(["--db", str(db), "import", str(big)])
    output = capsys.readouterr()
    assert status == 1
    assert output.err == (
        f"visitprep: {big.name} is 1.3 MB, over the 1 MB a report may be: it is not an Ofsted "
        "report (they are a few MB).\n"
    )
    opened = api.open_store(db)
    assert api.list_sources(opened) == []
    opened.close()


def test_an_evidence_folder_with_too_many_documents_is_refused_and_nothing_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: api.Store
) -> None:
    monkeypatch.setattr(evidence_folder, "MAX_EVIDENCE_FILES", 5)
    folder = tmp_path / "shared drive"
    folder.mkdir()
    for n in range(8):
        (folder / f"Audit {n}.docx").write_bytes(b"x")
    with pytest.raises(ImportFailed) as refused:
        evidence_folder.scan_evidence_folder(store, folder)
    assert refused.value.message == (
        f"{folder} holds more than 5 documents: scan the folder of the plan's evidence, "
        "not a whole drive. Nothing was recorded."
    )
    assert api.list_evidence(store) == []
    (folder / "Audit 7.docx").unlink()
    (folder / "Audit 6.docx").unlink()
    (folder / "Audit 5.docx").unlink()
    assert len(evidence_folder.scan_evidence_folder(store, folder).new) == 5
