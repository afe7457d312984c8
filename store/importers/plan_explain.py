"""The plan import's dry run in words: what the lead checks before importing.

One wording for both front ends (``visitprep import --dry-run`` and the app's preview):
which column each field is read from, what each heading row does, for every action the
links it will make and why, and how its cells were read when that is not plain.
"""

from __future__ import annotations

from store.importers.plan import PlannedAction, PlanResult
from store.importers.plan_columns import FIELD_LABELS
from store.importers.plan_notes import notes_said
from store.vocab import BRAG_NOT_GIVEN
from store.wording import plural


def columns_read(result: PlanResult) -> str:
    """``Action <- 'What we will do', Owner <- 'Lead Officer', ...``"""
    return ", ".join(f"{FIELD_LABELS[f]} <- '{h}'" for f, h in result.preview.columns.items())


def heading_lines(result: PlanResult) -> list[tuple[int, str]]:
    """Each heading row and the theme it files the actions below it under."""
    out = []
    for row, written, theme, rule in result.headings:
        if rule == "no actions":
            out.append((row, f"heading '{written}': no actions below it"))
            continue
        how = {
            "new theme": f"a new theme '{theme}'",
            "nearest seeded theme": f"'{theme}' (the nearest seeded theme)",
        }.get(rule, f"'{theme}'")
        out.append((row, f"heading '{written}': the actions below go under {how}"))
    return out


def theme_lines(result: PlanResult) -> list[str]:
    """Theme cells (not headings, said above) read as another theme, or added."""
    headed = {name for _, _, name, _ in result.headings}
    headed |= {name for _, _, name in result.preview.heading_rows}
    out: dict[str, str] = {}
    for planned in result.plan:
        written, theme = planned.row.theme, planned.theme
        if not written or written in headed or written in out:
            continue
        if planned.theme_rule == "nearest seeded theme":
            out[written] = f"theme '{written}' read as '{theme}' (the nearest seeded theme)"
        elif planned.theme_rule == "new theme":
            out[written] = f"theme '{written}' is added as a new theme"
    return list(out.values())


def link_lines(planned: PlannedAction) -> list[str]:
    """``R3: by reference 'Rec 3'``, ``R9: matched by text (92%)``, or why there is none."""
    lines = [f"{link.ref or 'finding'}: {link.why}" for link in planned.links]
    lines += planned.not_relinked
    row = planned.row
    if not lines and row.finding_quote and not row.finding_refs:
        lines.append("no link: the Findings cell quotes no finding clearly (link it by hand)")
    elif not lines and not row.finding_refs:
        lines.append("no link: no finding named")
    return lines


def note_lines(planned: PlannedAction) -> list[str]:
    """How cells that are not plain were read: deadlines in words, what dates the progress
    note (or that nothing does: "date not given")."""
    row = planned.row
    notes = [f"due {row.due_note}"] if row.due_note else []
    notes += notes_said(planned.notes, planned.notes_held)
    unrated = sum(brag == BRAG_NOT_GIVEN for _, brag, _ in planned.updates)
    if unrated:
        # The sheet's one BRAG cell is its newest note's: an older one's is not known.
        notes.append(
            f"{plural(unrated, 'older note')} kept with {BRAG_NOT_GIVEN} (the row's "
            "BRAG is its newest note's)"
        )
    return notes
