"""A visit's evidence pack as a file to hand over: Markdown, Word (.docx) or a web page (.html).

One document model (:mod:`store.export.document`, built once from
:func:`store.pack.build_pack`) and one renderer per format beside it:

- :mod:`store.export.markdown`: GitHub task lists, deterministic, escaped;
- :mod:`store.export.word`: Word's own styles, real tables, A4, with python-docx;
- :mod:`store.export.webpage`: one self-contained HTML file with a print stylesheet.

The command line (``visitprep export``) and the app's pack screen both call
:func:`export_to_file` (or :func:`render_pack` for standard output), so the file a lead
shares is the same whichever way it was made, and it is written only through
:func:`store.files.write_output`.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from store.database import Store
from store.errors import ValidationError
from store.export.document import PackDocument, build_document
from store.export.markdown import code, gap_counts, inline, pack_as_dict, render_markdown
from store.files import output_path, write_output
from store.pack import build_pack
from store.records import Pack

__all__ = [
    "FORMATS",
    "PackDocument",
    "build_document",
    "code",
    "export_checklist",
    "export_to_file",
    "format_for",
    "gap_counts",
    "inline",
    "pack_as_dict",
    "render_checklist",
    "render_document",
    "render_pack",
]

# Format name -> what a person calls it (and the file suffix is ".<name>").
FORMATS = {
    "md": "Markdown checklist",
    "docx": "Word document",
    "html": "web page",
}
_SUFFIXES = {".md": "md", ".markdown": "md", ".docx": "docx", ".html": "html", ".htm": "html"}
# Suffixes of documents the pack is never written as: refused, not filled with Markdown.
_NOT_WRITTEN = {
    ".pdf": "PDF", ".doc": "old Word", ".odt": "OpenDocument", ".rtf": "RTF",
    ".xlsx": "Excel", ".xls": "Excel", ".csv": "CSV", ".pptx": "PowerPoint", ".json": "JSON",
}  # fmt: skip


def format_for(path: str | os.PathLike[str] | None, fmt: str | None = None) -> str:
    """The format to write: ``fmt`` if given, else the one the path's suffix names, else
    Markdown. Raises :class:`ValidationError` for a format that is not one of ours, or a
    suffix that says another format than ``fmt``."""
    suffix = Path(os.fspath(path)).suffix.lower() if path is not None else ""
    if suffix in _NOT_WRITTEN:
        # Markdown in a file named .pdf opens as a broken PDF (or not at all).
        raise ValidationError(
            "format",
            f"Cannot write a {_NOT_WRITTEN[suffix]} file ({suffix}): the pack is written as "
            "Markdown (.md), Word (.docx) or a web page (.html)"
            + (" (--json gives it as data)." if suffix == ".json" else "."),
        )
    if fmt is not None:
        fmt = fmt.strip().lower().lstrip(".")
        fmt = {"markdown": "md", "word": "docx", "htm": "html"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise ValidationError("format", f"There is no format '{fmt}': choose md, docx or html.")
        if suffix in _SUFFIXES and _SUFFIXES[suffix] != fmt:
            raise ValidationError(
                "format",
                f"The file name ends {suffix} but the format asked for is {fmt}: "
                "change one of them.",
            )
        return fmt
    return _SUFFIXES.get(suffix, "md")


def render_document(doc: PackDocument, fmt: str) -> bytes:
    """The document in ``fmt`` (``md``, ``docx`` or ``html``), as the bytes of the file."""
    if fmt == "md":
        return render_markdown(doc).encode("utf-8")
    if fmt == "html":
        from store.export.webpage import render_html

        return render_html(doc).encode("utf-8")
    if fmt == "docx":
        from store.export.word import render_docx

        return render_docx(doc)
    raise ValidationError("format", f"There is no format '{fmt}': choose md, docx or html.")


def render_pack(
    store: Store,
    visit_id: int,
    fmt: str = "md",
    *,
    owner: str | None = None,
    exported_by: str = "",
    generated_on: date | None = None,
    stale_days: int | None = None,
) -> bytes:
    """The visit's pack in ``fmt``, built from the store as of its today.

    ``owner``: that owner's part of the chase list only. Same store, same today and same
    arguments give byte-identical Markdown and HTML. Raises :class:`store.errors.NotFound`
    for an unknown visit.
    """
    from store.history_queries import ready_ticks
    from store.measures import focus_measures

    pack = build_pack(store, visit_id, stale_days=stale_days)
    ticks = {
        evidence_id: (entry.who, entry.at.date())
        for evidence_id, entry in ready_ticks(store, visit_id).items()
    }
    doc = build_document(
        pack,
        today=store.today,
        generated_on=generated_on,
        exported_by=exported_by,
        owner=owner,
        ticks=ticks,
        measures=focus_measures(store, visit_id)[2],
    )
    return render_document(doc, fmt)


def export_checklist(
    store: Store,
    visit_id: int,
    *,
    generated_on: date | None = None,
    stale_days: int | None = None,
) -> str:
    """The visit's evidence-pack checklist as GitHub-flavoured Markdown.

    ``generated_on`` defaults to ``store.today``, so the same store and the same today
    always give byte-identical text. Raises :class:`store.errors.NotFound` for an unknown
    visit.
    """
    data = render_pack(store, visit_id, "md", generated_on=generated_on, stale_days=stale_days)
    return data.decode("utf-8")


def render_checklist(pack: Pack, *, generated_on: date, today: date) -> str:
    """The Markdown for an already built pack (built with the same ``today``)."""
    return render_markdown(build_document(pack, today=today, generated_on=generated_on))


def export_to_file(
    store: Store,
    visit_id: int,
    path_text: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    owner: str | None = None,
    exported_by: str = "",
    base: Path | None = None,
) -> Path:
    """Write the visit's pack to the file ``path_text`` names; the path written.

    The format is ``fmt``, or follows from the file's suffix (Markdown otherwise). Through
    :func:`store.files.write_output`: never over the store or anything that is not a
    regular file, whole or not at all. Raises :class:`ValidationError` with one sentence.
    """
    chosen = format_for(path_text, fmt)
    # Checked before the pack is built: a path that can never be written costs nothing.
    output_path(path_text, store_path=store.path, base=base)
    data = render_pack(store, visit_id, chosen, owner=owner, exported_by=exported_by)
    return write_output(path_text, data, store_path=store.path, base=base)
