"""The pack document as GitHub-flavoured Markdown (task lists), and the pack as JSON-ready data.

Renders :class:`store.export.document.PackDocument`; user text is escaped so it can never
change the structure, and no unticked line ever holds ``[x]`` or ``[X]`` (GitHub ticks a
line that holds one anywhere, even in a code span): titles are escaped, file paths are
shown escaped rather than as code spans, and brackets in a link's address are
percent-encoded.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date
from typing import Any

from store.dates import format_date
from store.export import measures
from store.export.document import (
    SOURCE_DASH,
    PackDocument,
    brag_order,
    cover_facts,
    evidence_facts,
    gap_counts,
    plain,
    short_location,
    source_words,
)
from store.export.plain_text import CLEAN as _CLEAN
from store.export.plain_text import NEEDS_CLEAN
from store.records import Finding, Gap, Pack, PackEvidence, PackFinding
from store.vocab import BRAG_MEANING, GAP_KINDS
from store.wording import EMPTY_THEME

GAP_ITEM = "- [ ] **Gap:**"  # a gap, as an unticked item of the checklist

__all__ = [
    "code",
    "gap_counts",
    "inline",
    "pack_as_dict",
    "render_markdown",
]

# --- escaping -------------------------------------------------------------------------------

# Line breaks would start a new Markdown block (a fake "- [x]" item, a heading): they fold
# to spaces, and control characters and bidi overrides show as "�" (document.plain).

# Every character that can open inline structure anywhere in a line (emphasis, code, links,
# HTML, tables, strikethrough, GitHub maths, heading closers), and the escape itself.
_ALWAYS = re.compile(r"([\\`*_\[\]<>|~#$])")
# An entity reference (&lt;) would be rendered as the character it names.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# At the start of a block "-", "+", "=" and ">" would make a list, a quote or a heading,
# and "1." a numbered list.
_LEADING_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_URL = re.compile(r"^https?://[^\s<>\\`\"'\ufffd]+$", re.IGNORECASE)


def _clean(text: object) -> str:
    """One line of plain text: controls shown as "�", line breaks and runs of space folded."""
    return plain(text)


def inline(text: object) -> str:
    """User text made safe inside a Markdown line: it renders literally and stays in its item."""
    out = _ALWAYS.sub(_escaped, plain(text))
    if "&" in out:
        out = _ENTITY.sub(r"\\&", out)
    first = out[:1]
    if first in ("-", "+", "=", ">"):
        return "\\" + out
    if first.isdigit():
        return _LEADING_NUMBER.sub(r"\1\\\2", out)
    return out


def _escaped(match: re.Match[str]) -> str:
    return "\\" + match.group(1)


def code(text: object) -> str:
    """User text as a code span (paths, refs kept exactly), fenced past any backticks inside."""
    # Spaces inside a path matter, so only line breaks and controls are changed here.
    value = str(text or "")
    clean = (value.translate(_CLEAN) if NEEDS_CLEAN.search(value) else value).strip()
    if not clean:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", clean)), default=0)
    fence = "`" * (longest + 1)
    # A span that starts or ends with a backtick needs a space, which Markdown then removes.
    pad = " " if clean.startswith("`") or clean.endswith("`") else ""
    return f"{fence}{pad}{clean}{pad}{fence}"


# --- the checklist ----------------------------------------------------------------------------


def render_markdown(doc: PackDocument) -> str:
    """The checklist: cover, summary, readiness by theme, the chase list, then the pack in
    detail (or, for one owner, their part of the chase list only)."""
    pack = doc.pack
    visit = pack.visit
    if doc.owner is not None:
        who = inline(doc.owner) or "nobody named"
        lines = [f"# To chase before the visit: {who}", ""]
    else:
        lines = [f"# Evidence pack checklist: {inline(visit.title)}", ""]
    lines += _cover(doc)
    if doc.owner is not None:
        lines += ["", *_chase(doc)]
        return "\n".join(lines).rstrip("\n") + "\n"
    summary_at = len(lines) + 1
    lines += ["", *_summary(pack), *_decisions(doc), ""]
    if not pack.themes:
        lines += [
            "No findings are in this pack yet: choose the visit's focus themes or add "
            "findings by hand.",
            "",
        ]
    else:
        lines += [*_readiness(doc), "", *_chase(doc), ""]
    lines += measures.markdown(doc, inline)
    detail_at = len(lines)
    for theme in pack.themes:
        lines += [f"## {inline(theme.theme)}", ""]
        if not theme.findings:
            lines += [f"{EMPTY_THEME}.", ""]
        for item in theme.findings:
            lines += _finding(item, doc)
    if pack.dropped:
        lines += ["## Dropped from this pack by hand", ""]
        lines += [f"- {_finding_name(finding)}{_source(finding)}" for finding in pack.dropped]
        lines.append("")
    # Evidence for two actions is listed, gap and all, under each: say why the "Gap" items
    # outnumber the gaps, so the count does not read as a sum gone wrong.
    listed = sum(line.lstrip().startswith(GAP_ITEM) for line in lines[detail_at:])
    if listed > len(pack.gaps):
        at = lines.index(f"- **Gaps:** {len(pack.gaps)}", summary_at)
        lines[at] += (
            f" ({listed} gap items below: an evidence item listed in more than one place "
            "shows its gap in each)"
        )
    return "\n".join(lines).rstrip("\n") + "\n"


def _cover(doc: PackDocument) -> list[str]:
    return [f"- **{label}:** {inline(value)}" for label, value in cover_facts(doc)]


def _summary(pack: Pack) -> list[str]:
    actions = sum(pack.brag_counts.values())
    by_brag = " · ".join(
        inline(b.title())
        + (f" ({BRAG_MEANING[b]})" if b in BRAG_MEANING else "")
        + f": {pack.brag_counts[b]}"
        for b in brag_order(pack.brag_counts)
    )
    lines = ["## Summary", ""]
    lines.append(f"- **Actions:** {actions}" + (f" — {by_brag}" if actions else ""))
    lines.append(f"- **Evidence ready:** {pack.evidence_ready} of {pack.evidence_needed}")
    if not pack.gaps:
        lines.append("- **Gaps:** none")
        return lines
    lines.append(f"- **Gaps:** {len(pack.gaps)}")
    counts = gap_counts(pack)
    lines += [f"  - {label}: {counts[kind]}" for kind, label in GAP_KINDS.items()]
    lines += [f"  - {inline(kind)}: {n}" for kind, n in counts.items() if kind not in GAP_KINDS]
    return lines


def _decisions(doc: PackDocument) -> list[str]:
    """ "Needs a decision": findings nobody leads, actions off track (none: no line)."""
    if not doc.decisions:
        return []
    lines = [f"- **Needs a decision:** {len(doc.decisions)}"]
    for item in doc.decisions:
        name = f"{inline(item.ref)} · {inline(item.what)}" if plain(item.ref) else inline(item.what)
        owner = f" ({inline(item.owner)})" if item.owner else ""
        latest = f"; latest update {inline(item.latest)}" if item.latest else ""
        lines.append(f"  - {name}{owner}: {inline(item.why)}{latest}")
    return lines


def _readiness(doc: PackDocument) -> list[str]:
    lines = [
        "## Readiness by theme",
        "",
        "| Theme | Findings | Actions by BRAG | Evidence ready | Gaps |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    for row in doc.readiness:
        brags = " · ".join(
            f"{inline(b.title())} {row.brag_counts[b]}" for b in brag_order(row.brag_counts)
        )
        lines.append(
            f"| {inline(row.theme)} | {row.findings} | {brags or 'none'} "
            f"| {row.evidence_ready} of {row.evidence_needed} | {row.gaps} |"
        )
    return lines


def _chase(doc: PackDocument) -> list[str]:
    lines = ["## To chase before the visit", ""]
    if not doc.chase:
        lines.append("Nothing to chase: no gaps.")
        return lines
    lines += [
        "| Owner | Missing | For | Date | Why |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in doc.chase:
        what = inline(row.what)
        if _clean(row.ref):
            what = f"{inline(row.ref)} · {what}"
        lines.append(
            f"| {inline(row.owner) or 'no owner'} | {what} | {inline(row.serves)} "
            f"| {row.when_text} | {inline(row.why)} |"
        )
    return lines


def _finding_name(finding: Finding) -> str:
    title = inline(finding.title)
    return f"{inline(finding.ref)} · {title}" if _clean(finding.ref) else title


def _source(finding: Finding) -> str:
    cited = source_words(finding.source_title)
    return f"{SOURCE_DASH}{inline(cited)}" if cited else ""


def _gap_line(gap: Gap, doc: PackDocument, **record: Any) -> str:
    """An unticked item saying what is missing, in the council's words (UK dates)."""
    return f"{GAP_ITEM} {inline(doc.gap_words(gap, **record))}"


def _finding(item: PackFinding, doc: PackDocument) -> list[str]:
    finding = item.finding
    lines = [f"### {_finding_name(finding)}", ""]
    text = _clean(finding.text)
    if text and text != _clean(finding.title):
        lines += [f"> {inline(text)}", ""]
    if item.details:  # the report's own detail behind it: context, not more to do
        lines.append("Context in the report:")
        lines += [f"- {inline(d.ref)}: {inline(d.text)}" for d in item.details]
        lines.append("")
    about = [
        f"**Source:** {inline(finding.source_title) or 'none recorded'}",
        f"**Kind:** {inline(finding.kind)}",
        f"**Status:** {inline(finding.status)}",
    ]
    if item.added_by_hand:
        about.append("added to this pack by hand")
    lines.append("- " + " · ".join(about))
    lines += [_gap_line(gap, doc) for gap in item.gaps]
    for pack_action in item.actions:
        action = pack_action.action
        if not doc.shown_in_full(action.id, finding.id):
            # Shown in full, gaps and evidence, under the first finding it answers.
            lines.append(
                f"- **Action {inline(action.ref)}:** {inline(action.title)}, "
                f"see {inline(doc.full_under(action.id))}"
            )
            continue
        owner = inline(action.owner) or "no owner"
        due = format_date(action.due_date) or "no due date"
        lines.append(
            f"- **Action {inline(action.ref)}:** {inline(action.title)} · **Owner:** {owner}"
            f" · **Due:** {due} · {_brag(action.brag)}"
        )
        update = pack_action.latest_update
        if update is not None:
            by = f" — {inline(update.author)}" if _clean(update.author) else ""
            lines.append(
                f"  - **Latest update** ({inline(update.date_and_brag)}): {inline(update.note)}{by}"
            )
        lines += ["  " + _gap_line(gap, doc, action=action) for gap in pack_action.gaps]
        for pack_evidence in pack_action.evidence:
            lines += _evidence(pack_evidence, "  ", doc)
    own = item.own_evidence  # the pack screen lists the same: PackFinding.own_evidence
    if own:
        lines.append("- **Evidence for the finding itself:**")
        for pack_evidence in own:
            lines += _evidence(pack_evidence, "  ", doc)
    lines.append("")
    return lines


def _brag(brag: str) -> str:
    meaning = BRAG_MEANING.get(brag)
    name = f"**{inline(brag.title())}**"
    return f"{name} ({meaning})" if meaning else name


def _evidence(item: PackEvidence, indent: str, doc: PackDocument) -> list[str]:
    evidence = item.evidence
    tick = "x" if item.ready else " "
    title, where = _titled_location(evidence.title, evidence.location)
    parts = [title]
    parts += [
        "**contains personal data**" if fact == "contains personal data" else inline(fact)
        for fact in evidence_facts(evidence)
    ]
    if where:
        parts.append(where)
    if item.ready:
        parts.append(inline(doc.ready_words(evidence.id)))
    lines = [f"{indent}- [{tick}] " + " · ".join(parts)]
    # Nested under the item: its text starts after "- [x] "'s "- ", two columns in.
    lines += [
        f"{indent}  " + _gap_line(gap, doc, evidence=evidence, ticked=item.ready)
        for gap in item.gaps
    ]
    return lines


def _titled_location(title: str, location: str) -> tuple[str, str]:
    """The evidence's title (the link text when its location is a web address), and where
    it is when that is not a link: a file path in a short form (printed whole, locations
    made lines of 200 characters)."""
    name = inline(title) or "untitled"
    clean = _clean(location)
    if not clean:
        return name, "no location recorded"
    if _URL.match(clean):
        # Brackets percent-encoded: "[x]" must never appear on an unticked line.
        href = clean.replace("[", "%5B").replace("]", "%5D")
        return f"[{name}](<{href}>)", ""
    return name, f"file {inline(short_location(clean))}"


# --- JSON ---------------------------------------------------------------------------------------


def pack_as_dict(pack: Pack) -> dict[str, Any]:
    """The pack as plain JSON-ready data: dates as ISO strings, tuples as lists."""
    data = _jsonable(asdict(pack))
    data["gap_counts"] = gap_counts(pack)
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
