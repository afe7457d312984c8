"""A visit's evidence-pack checklist as GitHub-flavoured Markdown, and the pack as JSON-ready data.

One export used by the command line (``visitprep export``) and the app's pack screen, so the
file a lead shares is the same whichever way it was made. Built only from
:func:`store.pack.build_pack`; user text is escaped so it can never change the structure.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from store.database import Store
from store.dates import format_date
from store.files import output_path, write_output
from store.gaps import GAP_KINDS
from store.pack import build_pack
from store.records import Action, Evidence, Finding, Gap, Pack, PackEvidence, PackFinding
from store.vocab import BRAG, BRAG_MEANING

GAP_ITEM = "- [ ] **Gap:**"  # a gap, as an unticked item of the checklist

__all__ = [
    "code",
    "export_checklist",
    "export_to_file",
    "inline",
    "pack_as_dict",
    "render_checklist",
]

# --- escaping -------------------------------------------------------------------------------

# Line breaks would start a new Markdown block (a fake "- [x]" item, a heading): fold them
# to spaces. Other control characters would drive a terminal showing the file (escape
# codes) and bidi overrides would reorder what a reader sees: show each as "�".
_FOLD = {ord(c): " " for c in "\t\n\v\f\r\x85\u2028\u2029"}
_REPLACE = {
    c: "\ufffd"
    for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F))
    if c not in _FOLD
}
_REPLACE.update({c: "\ufffd" for c in range(0x2066, 0x206A)})
_CLEAN = {**_REPLACE, **_FOLD}

# Every character that can open inline structure anywhere in a line (emphasis, code, links,
# HTML, tables, strikethrough, GitHub maths, heading closers), and the escape itself.
_ALWAYS = re.compile(r"([\\`*_\[\]<>|~#$])")
# An entity reference (&lt;) would be rendered as the character it names.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# At the start of a block these would make a list, a quote or a heading.
_LEADING_MARK = re.compile(r"^([-+=>])")
_LEADING_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_URL = re.compile(r"^https?://[^\s<>\\`\"'\ufffd]+$", re.IGNORECASE)


def _clean(text: object) -> str:
    """One line of plain text: controls shown as "�", line breaks and runs of space folded."""
    return " ".join(str(text or "").translate(_CLEAN).split())


def inline(text: object) -> str:
    """User text made safe inside a Markdown line: it renders literally and stays in its item."""
    out = _ALWAYS.sub(r"\\\1", _clean(text))
    out = _ENTITY.sub(r"\\&", out)
    out = _LEADING_MARK.sub(r"\\\1", out)
    return _LEADING_NUMBER.sub(r"\1\\\2", out)


def code(text: object) -> str:
    """User text as a code span (paths, refs kept exactly), fenced past any backticks inside."""
    # Spaces inside a path matter, so only line breaks and controls are changed here.
    clean = str(text or "").translate(_CLEAN).strip()
    if not clean:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", clean)), default=0)
    fence = "`" * (longest + 1)
    # A span that starts or ends with a backtick needs a space, which Markdown then removes.
    pad = " " if clean.startswith("`") or clean.endswith("`") else ""
    return f"{fence}{pad}{clean}{pad}{fence}"


def _location(location: str) -> str:
    clean = _clean(location)
    if not clean:
        return "no location recorded"
    if _URL.match(clean):
        return f"<{clean}>"
    return code(location)


# --- wording ----------------------------------------------------------------------------------


def _brag(brag: str) -> str:
    meaning = BRAG_MEANING.get(brag)
    name = f"**{inline(brag.title())}**"
    return f"{name} ({meaning})" if meaning else name


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _countdown(start: date, on: date) -> str:
    days = (start - on).days
    if days == 0:
        return "starts today"
    if days > 0:
        return f"in {_days(days)}"
    return f"started {_days(-days)} ago"


def _visit_dates(start: date, end: date | None) -> str:
    if end is None or end == start:
        return format_date(start)
    return f"{format_date(start)} to {format_date(end)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _gap_line(gap: Gap, *, today: date, judged_on: date, stale_days: int, **record: Any) -> str:
    """An unticked item saying what is missing, in the council's words (UK dates)."""
    action: Action | None = record.get("action")
    evidence: Evidence | None = record.get("evidence")
    if gap.kind == "no_action":
        what = "no action answers this finding yet"
    elif gap.kind == "no_evidence":
        what = "no evidence for this action yet"
    elif gap.kind == "overdue" and action is not None and action.due_date is not None:
        late = (today - action.due_date).days
        what = (
            f"overdue: due {format_date(action.due_date)}, {_days(late)} ago, "
            f"and not complete ({inline(action.brag.title())})"
        )
    elif gap.kind == "stale" and evidence is not None:
        if evidence.review_by is not None and evidence.review_by < judged_on:
            what = f"out of date: its review was due by {format_date(evidence.review_by)}"
        else:
            what = (
                f"out of date: dated {format_date(evidence.as_of)}, more than "
                f"{_days(stale_days)} old by the visit ({format_date(judged_on)})"
            )
    elif gap.kind == "missing" and evidence is not None:
        if evidence.missing_since is not None:
            what = (
                "file missing: not found by the folder scan of "
                f"{format_date(evidence.missing_since)}"
            )
        else:
            what = "file missing: nothing is at its location now"
    else:  # a gap kind added later still reads sensibly
        what = f"{inline(GAP_KINDS.get(gap.kind, gap.kind)).lower()}: {inline(gap.detail)}"
    return f"{GAP_ITEM} {what}"


# --- the checklist ----------------------------------------------------------------------------


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
    pack = build_pack(store, visit_id, stale_days=stale_days)
    return render_checklist(pack, generated_on=generated_on or store.today, today=store.today)


def render_checklist(pack: Pack, *, generated_on: date, today: date) -> str:
    """The Markdown for an already built pack (``today`` is the date overdue was judged at)."""
    visit = pack.visit
    lines: list[str] = [f"# Evidence pack checklist: {inline(visit.title)}", ""]
    lines.append(
        f"- **Visit:** {inline(visit.kind)}, {_visit_dates(visit.start_date, visit.end_date)}"
        f" ({_countdown(visit.start_date, generated_on)})"
    )
    focus = ", ".join(inline(theme) for theme in visit.focus_themes)
    lines.append(f"- **Focus themes:** {focus or 'none chosen'}")
    if _clean(visit.notes):
        lines.append(f"- **Notes:** {inline(visit.notes)}")
    lines.append(f"- **Generated:** {format_date(generated_on)}")
    summary_at = len(lines) + 1
    lines += ["", *_summary(pack), ""]

    if not pack.themes:
        lines += [
            "No findings are in this pack yet: choose the visit's focus themes or add "
            "findings by hand.",
            "",
        ]
    context = {"today": today, "judged_on": visit.start_date, "stale_days": pack.stale_days}
    for theme in pack.themes:
        lines += [f"## {inline(theme.theme)}", ""]
        for item in theme.findings:
            lines += _finding(item, context)
    if pack.dropped:
        lines += ["## Dropped from this pack by hand", ""]
        lines += [f"- {_finding_name(finding)}{_source(finding)}" for finding in pack.dropped]
        lines.append("")
    # An action answering two findings (or evidence for two actions) is listed, gap and
    # all, under each: say why the "Gap" items outnumber the gaps, so the count does not
    # read as a sum gone wrong.
    listed = sum(line.lstrip().startswith(GAP_ITEM) for line in lines)
    if listed > len(pack.gaps):
        at = lines.index(f"- **Gaps:** {len(pack.gaps)}", summary_at)
        lines[at] += (
            f" ({listed} gap items below: an action or evidence item listed in more than "
            "one place shows its gap in each)"
        )
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary(pack: Pack) -> list[str]:
    actions = sum(pack.brag_counts.values())
    brags = [b for b in BRAG if b in pack.brag_counts] + sorted(
        b for b in pack.brag_counts if b not in BRAG
    )
    by_brag = " · ".join(
        inline(b.title())
        + (f" ({BRAG_MEANING[b]})" if b in BRAG_MEANING else "")
        + f": {pack.brag_counts[b]}"
        for b in brags
    )
    lines = ["## Summary", ""]
    lines.append(f"- **Actions:** {actions}" + (f" — {by_brag}" if actions else ""))
    lines.append(f"- **Evidence ready:** {pack.evidence_ready} of {pack.evidence_needed}")
    if not pack.gaps:
        lines.append("- **Gaps:** none")
        return lines
    lines.append(f"- **Gaps:** {len(pack.gaps)}")
    counts = _gap_counts(pack)
    lines += [f"  - {label}: {counts[kind]}" for kind, label in GAP_KINDS.items()]
    lines += [f"  - {inline(kind)}: {n}" for kind, n in counts.items() if kind not in GAP_KINDS]
    return lines


def _gap_counts(pack: Pack) -> dict[str, int]:
    counts = dict.fromkeys(GAP_KINDS, 0)
    for gap in pack.gaps:
        counts[gap.kind] = counts.get(gap.kind, 0) + 1
    return counts


def _finding_name(finding: Finding) -> str:
    title = inline(finding.title)
    return f"{inline(finding.ref)} · {title}" if _clean(finding.ref) else title


def _source(finding: Finding) -> str:
    return f" ({inline(finding.source_title)})" if _clean(finding.source_title) else ""


def _finding(item: PackFinding, context: dict[str, Any]) -> list[str]:
    finding = item.finding
    lines = [f"### {_finding_name(finding)}", ""]
    text = _clean(finding.text)
    if text and text != _clean(finding.title):
        lines += [f"> {inline(text)}", ""]
    about = [
        f"**Source:** {inline(finding.source_title) or 'none recorded'}",
        f"**Kind:** {inline(finding.kind)}",
        f"**Status:** {inline(finding.status)}",
    ]
    if item.added_by_hand:
        about.append("added to this pack by hand")
    lines.append("- " + " · ".join(about))
    lines += [_gap_line(gap, **context) for gap in item.gaps]
    for pack_action in item.actions:
        action = pack_action.action
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
                f"  - **Latest update** ({format_date(update.on_date)}, "
                f"{inline(update.brag.title())}): {inline(update.note)}{by}"
            )
        lines += ["  " + _gap_line(gap, action=action, **context) for gap in pack_action.gaps]
        for pack_evidence in pack_action.evidence:
            lines += _evidence(pack_evidence, "  ", context)
    own = item.own_evidence  # the pack screen lists the same: PackFinding.own_evidence
    if own:
        lines.append("- **Evidence for the finding itself:**")
        for pack_evidence in own:
            lines += _evidence(pack_evidence, "  ", context)
    lines.append("")
    return lines


def _evidence(item: PackEvidence, indent: str, context: dict[str, Any]) -> list[str]:
    evidence = item.evidence
    tick = "x" if item.ready else " "
    parts = [inline(evidence.title), inline(evidence.kind)]
    parts.append(f"as of {format_date(evidence.as_of)}" if evidence.as_of else "undated")
    if _clean(evidence.owner):
        parts.append(f"owner {inline(evidence.owner)}")
    if evidence.review_by:
        parts.append(f"review by {format_date(evidence.review_by)}")
    if evidence.personal_data:
        parts.append("**contains personal data**")
    parts.append(_location(evidence.location))
    lines = [f"{indent}- [{tick}] " + " · ".join(parts)]
    # Nested under the item: its text starts after "- [x] "'s "- ", two columns in.
    lines += [f"{indent}  " + _gap_line(gap, evidence=evidence, **context) for gap in item.gaps]
    return lines


# --- JSON ---------------------------------------------------------------------------------------


def pack_as_dict(pack: Pack) -> dict[str, Any]:
    """The pack as plain JSON-ready data: dates as ISO strings, tuples as lists."""
    data = _jsonable(asdict(pack))
    data["gap_counts"] = _gap_counts(pack)
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


# --- writing ------------------------------------------------------------------------------------


def export_to_file(
    store: Store, visit_id: int, path_text: str | os.PathLike[str], *, base: Path | None = None
) -> Path:
    """Write the visit's checklist to the file ``path_text`` names; the path written.

    Through :func:`store.files.write_output`: never over the store or anything that is not a
    regular file, whole or not at all. Raises :class:`ValidationError` with one sentence.
    """
    # Checked before the pack is built: a path that can never be written costs nothing.
    output_path(path_text, store_path=store.path, base=base)
    text = export_checklist(store, visit_id)
    return write_output(path_text, text, store_path=store.path, base=base)
