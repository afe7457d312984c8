"""The pack document as one self-contained web page (no fonts, scripts or images fetched),
readable on screen, with a print stylesheet so Print → PDF gives a clean A4 document.

Every piece of user text is escaped; a link is made only to ``http``, ``https``, ``file``
or a relative address (never ``javascript:`` or ``data:``), and the whole location is the
link's hover text, never printed in full.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote, urlsplit

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
from store.records import Gap, PackEvidence, PackFinding
from store.vocab import BRAG_MEANING
from store.wording import EMPTY_THEME

__all__ = ["css_string", "render_html", "safe_href"]

_STYLE = """
:root { --ink: #1b1b1b; --muted: #555; --rule: #c8c8c8; --gap: #a4000f; --head: #0b3d6b; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 "Segoe UI", Arial, Helvetica, sans-serif; color: var(--ink);
       max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7em; color: var(--head); margin: 0 0 .6em; }
h2 { font-size: 1.3em; color: var(--head); border-bottom: 2px solid var(--head);
     padding-bottom: .15em; margin: 1.6em 0 .6em; }
h3 { font-size: 1.15em; color: var(--head); margin: 1.4em 0 .4em; }
/* The pack in detail: a theme (h3, ruled under), its findings (h4), as Word's levels. */
section.theme > h3 { border-bottom: 1px solid var(--rule); padding-bottom: .1em; }
h4 { font-size: 1.05em; margin: 1.1em 0 .3em; }
dl.cover { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1.2em; margin: 0; }
dl.cover dt { font-weight: 600; color: var(--muted); }
dl.cover dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; font-size: .95em; }
th, td { border: 1px solid var(--rule); padding: .25em .5em; text-align: left;
         vertical-align: top; }
th { background: #eef2f6; }
td.n, th.n { text-align: right; }
td.n { white-space: nowrap; }
td { overflow-wrap: anywhere; }
table.fixed { table-layout: fixed; }
/* On a phone a table of five columns leaves each a few letters wide: each row becomes a
   card, each cell on its own line under its column's name (data-label). */
@media screen and (max-width: 40rem) {
  body { padding: 0 .8rem; margin: 1rem auto; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: auto; }
  table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
                      clip: rect(0 0 0 0); }
  table.cards tr { border: 1px solid var(--rule); margin: 0 0 .6em; padding: .2em 0; }
  table.cards td { border: none; padding: .1em .5em; text-align: left; white-space: normal; }
  table.cards td:empty { display: none; }
  table.cards td::before { content: attr(data-label) ": "; font-weight: 600;
                           color: var(--muted); }
}
blockquote { margin: .3em 0 .5em; padding-left: .8em; border-left: 3px solid var(--rule);
             color: var(--muted); }
ul { margin: .2em 0 .4em; padding-left: 1.4em; }
ul.evidence, ul.gaps { list-style: none; padding-left: .2em; }
/* An evidence line that wraps starts again under its title, not under its tick, and its
   gaps sit under the title too: whose gap it is reads at a glance. */
ul.evidence > li { padding-left: 1.75em; text-indent: -1.75em; }
ul.evidence > li > * { text-indent: 0; }
li { margin: .15em 0; }
.about { color: var(--muted); font-size: .93em; }
.latest { display: block; }
.tick { font-size: 1.1em; display: inline-block; width: 1.3em; text-indent: 0; }
.gap { color: var(--gap); }
.brag { font-weight: 600; padding: 0 .35em; border-radius: .2em; }
.brag-blue { background: #d6e4f5; } .brag-green { background: #d8f0d8; }
.brag-amber { background: #fde7c1; } .brag-red { background: #f8d3d3; }
.action { margin-top: .5em; }
.ref { font-weight: 600; }
a { color: #0b57a4; }
section.theme, article.finding { break-inside: auto; }
@page { size: A4; margin: 18mm 16mm 20mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; }
  section.measures > p { break-inside: avoid; break-after: avoid; }
  tr, li { break-inside: avoid; }
  thead { display: table-header-group; }
  section.detail { break-before: page; }
}
"""

_SCHEMES = ("http", "https", "file")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def safe_href(location: str) -> str | None:
    """A link for ``location``, or ``None`` when it must not be one.

    Web and ``file:`` addresses are kept (characters that could break out of the attribute
    are percent-encoded); an absolute path becomes a ``file:`` address; a relative path
    stays relative. Anything with another scheme (``javascript:``, ``data:``) gets no link.
    """
    text = plain(location)
    if not text or "\ufffd" in text:
        return None
    if _WINDOWS_DRIVE.match(text):
        try:
            return PureWindowsPath(text).as_uri()
        except ValueError:
            return None
    scheme = urlsplit(text).scheme.lower() if ":" in text else ""
    if scheme:
        if scheme not in _SCHEMES:
            return None
        return quote(text, safe=":/?#[]@!$&'()*+,;=%~-._")
    if text.startswith("\\\\"):
        try:  # a Windows share, \\server\share\file: file://server/share/file
            return PureWindowsPath(text).as_uri()
        except ValueError:
            return None
    if text.startswith("//"):
        return None  # protocol-relative: it would go to another site, not a relative file
    if text.startswith("/"):
        return PurePosixPath(text).as_uri()
    return quote(text.replace("\\", "/"), safe="/~-._%")


def _e(text: object) -> str:
    return escape(plain(text), quote=True)


def css_string(text: object) -> str:
    """Text as a quoted CSS string: every character but a letter, digit or space is written
    as its code and a space, which ends the code and is not shown (so nothing in the text
    can end the string, the rule or the style). User text is made :func:`plain` first."""
    return (
        '"'
        + "".join(
            c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):x} " for c in str(text)
        )
        + '"'
    )


def _page_style(doc: PackDocument) -> str:
    """Printed, each page names the council and the visit at its head and says "Page N of M"
    at its foot, as the Word document does."""
    head = " · ".join(part for part in (plain(doc.council), plain(doc.pack.visit.title)) if part)
    foot = css_string(f" · generated {format_date(doc.generated_on)}")
    return (
        "@page { @top-left { content: " + css_string(head) + "; font: 8pt Arial, sans-serif; "
        "color: #555; }\n"
        '  @bottom-left { content: "Page " counter(page) " of " counter(pages) ' + foot + "; "
        "font: 8pt Arial, sans-serif; color: #555; } }\n"
    )


def render_html(doc: PackDocument) -> str:
    """The whole page, deterministic for the same document."""
    pack = doc.pack
    visit = pack.visit
    title = (
        f"To chase before the visit: {doc.owner or 'nobody named'}"
        if doc.owner is not None
        else f"Evidence pack: {visit.title}"
    )
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_STYLE}{_page_style(doc)}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        '<section class="cover"><dl class="cover">',
    ]
    for label, value in cover_facts(doc):
        out.append(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    out.append("</dl></section>")
    if doc.owner is None:
        out += _summary(doc)
        out += _readiness(doc)
    out += _chase(doc)
    if doc.owner is None:
        out += measures.html(doc)
        out += _detail(doc)
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _summary(doc: PackDocument) -> list[str]:
    """The pack in three lines, then what needs the Director's decision."""
    out = ['<section class="summary">', "<h2>Summary</h2>", "<ul>"]
    for label, value in summary_facts(doc):
        out.append(f"<li><strong>{_e(label)}:</strong> {_e(value)}</li>")
    if doc.decisions:
        count = len(doc.decisions)
        out.append(
            f"<li><strong>Needs a decision:</strong> {count} item{'' if count == 1 else 's'}"
            '<ul class="decisions">'
        )
        for item in doc.decisions:
            name = f'<span class="ref">{_e(item.ref)}</span> ' if plain(item.ref) else ""
            owner = f" ({_e(item.owner)})" if item.owner else ""
            latest = (
                f' <span class="about latest">Latest update {_e(item.latest)}</span>'
                if item.latest
                else ""
            )
            out.append(f"<li>{name}{_e(item.what)}{owner}: {_e(item.why)}{latest}</li>")
        out.append("</ul></li>")
    out += ["</ul>", "</section>"]
    return out


def _readiness(doc: PackDocument) -> list[str]:
    out = ['<section class="readiness">', "<h2>Readiness by theme</h2>"]
    if not doc.readiness:
        out.append(
            "<p>No findings are in this pack yet: choose the visit's focus themes or add "
            "findings by hand.</p>"
        )
        out.append("</section>")
        return out
    out += [
        '<table class="fixed cards"><colgroup><col style="width:30%"><col style="width:12%">'
        '<col style="width:30%"><col style="width:16%"><col style="width:12%"></colgroup>'
        '<thead><tr><th>Theme</th><th class="n">Findings</th>'
        '<th>Actions by BRAG</th><th class="n">Evidence ready</th>'
        '<th class="n">Gaps</th></tr></thead><tbody>'
    ]
    for row in doc.readiness:
        brags = " ".join(
            f'<span class="brag brag-{_e(b)}">{_e(b.title())} {row.brag_counts[b]}</span>'
            for b in brag_order(row.brag_counts)
        )
        out.append(
            f'<tr><td data-label="Theme">{_e(row.theme)}</td>'
            f'<td class="n" data-label="Findings">{row.findings}</td>'
            f'<td data-label="Actions by BRAG">{brags or "none"}</td>'
            f'<td class="n" data-label="Evidence ready">'
            f"{row.evidence_ready} of {row.evidence_needed}</td>"
            f'<td class="n" data-label="Gaps">{row.gaps}</td></tr>'
        )
    out += ["</tbody></table>", "</section>"]
    return out


def _chase(doc: PackDocument) -> list[str]:
    out = ['<section class="chase">', "<h2>To chase before the visit</h2>"]
    if not doc.chase:
        out += ["<p>Nothing to chase: no gaps.</p>", "</section>"]
        return out
    out.append(
        '<table class="fixed cards"><colgroup><col style="width:17%"><col style="width:27%">'
        '<col style="width:12%"><col style="width:13%"><col style="width:31%"></colgroup>'
        "<thead><tr><th>Owner</th><th>Missing</th><th>For</th><th>Date</th>"
        "<th>Why</th></tr></thead><tbody>"
    )
    for row in doc.chase:
        what = _link(row.what, row.location) if row.location else _e(row.what)
        if plain(row.ref):
            what = f'<span class="ref">{_e(row.ref)}</span> {what}'
        out.append(
            f'<tr><td data-label="Owner">{_e(row.owner) or "no owner"}</td>'
            f'<td data-label="Missing">{what}</td>'
            f'<td data-label="For">{_e(row.serves)}</td>'
            f'<td class="date" data-label="Date">{_e(row.when_text)}</td>'
            f'<td data-label="Why">{_e(row.why)}</td></tr>'
        )
    out += ["</tbody></table>", "</section>"]
    return out


def _detail(doc: PackDocument) -> list[str]:
    pack = doc.pack
    if not pack.themes and not pack.dropped:
        return []
    out = ['<section class="detail">', "<h2>The pack in detail</h2>"]
    for theme in pack.themes:
        out.append(f'<section class="theme"><h3>{_e(theme.theme)}</h3>')
        if not theme.findings:
            out.append(f'<p class="about">{EMPTY_THEME}.</p>')
        for item in theme.findings:
            out += _finding(item, doc)
        out.append("</section>")
    if pack.dropped:
        out.append('<section class="theme"><h3>Dropped from this pack by hand</h3><ul>')
        for finding in pack.dropped:
            cited = source_words(finding.source_title)
            source = f"{SOURCE_DASH}{_e(cited)}" if cited else ""
            out.append(f"<li>{_name(finding.ref, finding.title)}{source}</li>")
        out.append("</ul></section>")
    out.append("</section>")
    return out


def _name(ref: str, title: str) -> str:
    if plain(ref):
        return f'<span class="ref">{_e(ref)}</span> · {_e(title)}'
    return _e(title)


def _gap(gap: Gap, doc: PackDocument, **record: Any) -> str:
    words = doc.gap_words(gap, **record)
    return f'<li class="gap"><strong>Gap:</strong> {_e(words)}</li>'


def _finding(item: PackFinding, doc: PackDocument) -> list[str]:
    finding = item.finding
    out = ['<article class="finding">', f"<h4>{_name(finding.ref, finding.title)}</h4>"]
    text = plain(finding.text)
    if text and text != plain(finding.title):
        out.append(f"<blockquote>{_e(text)}</blockquote>")
    if item.details:  # the report's own detail behind it: context, not more to do
        out.append('<p class="context">Context in the report:</p><ul class="context">')
        out += [f"<li>{_e(d.ref)}: {_e(d.text)}</li>" for d in item.details]
        out.append("</ul>")
    about = [
        f"Source: {_e(finding.source_title) or 'none recorded'}",
        f"Kind: {_e(finding.kind)}",
        f"Status: {_e(finding.status)}",
    ]
    if item.added_by_hand:
        about.append("added to this pack by hand")
    out.append(f'<p class="about">{" · ".join(about)}</p>')
    if item.gaps:
        out.append('<ul class="gaps">')
        out += [_gap(gap, doc) for gap in item.gaps]
        out.append("</ul>")
    for pack_action in item.actions:
        action = pack_action.action
        name = f'Action <span class="ref">{_e(action.ref)}</span>: {_e(action.title)}'
        if not doc.shown_in_full(action.id, finding.id):
            out.append(f'<p class="action">{name}, see {_e(doc.full_under(action.id))}</p>')
            continue
        facts = []
        for label, value in action_facts(action):
            if label == "BRAG":
                meaning = BRAG_MEANING.get(action.brag)
                badge = (
                    f'<span class="brag brag-{_e(action.brag)}">{_e(action.brag.title())}</span>'
                )
                facts.append(f"{badge} ({_e(meaning)})" if meaning else badge)
            else:
                facts.append(f"{label}: {_e(value)}")
        out.append(f'<p class="action"><strong>{name}</strong> · {" · ".join(facts)}</p>')
        out.append("<ul>")
        update = pack_action.latest_update
        if update is not None:
            by = f" — {_e(update.author)}" if plain(update.author) else ""
            out.append(
                f"<li>Latest update ({_e(update.date_and_brag)}): {_e(update.note)}{by}</li>"
            )
        out.append("</ul>")
        if pack_action.gaps:
            out.append('<ul class="gaps">')
            out += [_gap(gap, doc, action=action) for gap in pack_action.gaps]
            out.append("</ul>")
        out += _evidence_list(pack_action.evidence, doc)
    own = item.own_evidence
    if own:
        out.append('<p class="action"><strong>Evidence for the finding itself</strong></p>')
        out += _evidence_list(own, doc)
    out.append("</article>")
    return out


def _evidence_list(items: tuple[PackEvidence, ...], doc: PackDocument) -> list[str]:
    if not items:
        return []
    out = ['<ul class="evidence">']
    for item in items:
        evidence = item.evidence
        tick = "☑" if item.ready else "☐"
        said = "ready" if item.ready else "not ready"
        facts = " · ".join(_e(fact) for fact in evidence_facts(evidence))
        if item.ready:
            facts += f" · {_e(doc.ready_words(evidence.id))}"
        where = _link(evidence.title or "untitled", evidence.location)
        line = (
            f'<li><span class="tick" role="img" aria-label="{said}">{tick}</span> {where} · {facts}'
        )
        if item.gaps:
            gaps = "".join(
                _gap(gap, doc, evidence=evidence, ticked=item.ready) for gap in item.gaps
            )
            line += f'<ul class="gaps">{gaps}</ul>'
        out.append(line + "</li>")
    out.append("</ul>")
    return out


def _link(title: str, location: str) -> str:
    """The title as a link to the location (hover shows where); the short form printed
    when the location cannot be a link."""
    name = _e(title) or "untitled"
    where = plain(location)
    if not where:
        return f"{name} (no location recorded)"
    href = safe_href(where)
    if href is None:
        return f'{name} (<span title="{_e(where)}">{_e(short_location(where))}</span>)'
    return f'<a href="{escape(href, quote=True)}" title="{_e(where)}">{name}</a>'
