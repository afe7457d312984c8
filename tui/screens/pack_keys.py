"""The pack screen's keys: each with its id (keymaps), its footer label and its tooltip.

Kept apart from :mod:`tui.screens.pack` as data: which keys there are, in the footer's
order, is a decision of its own (see the note below), and the screen only acts on them.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

__all__ = ["PACK_BINDINGS"]

# In the footer's order, which a narrow footer keeps from the first: export and gaps act
# on the whole pack and are said nowhere else; the line under the tree names the keys
# for the highlighted line (n, l, u, a, d), so those give way first.
PACK_BINDINGS: list[BindingType] = [
    Binding(
        "x",
        "export",
        "Export",
        id="pack.export",
        tooltip="Write the pack as Markdown, Word or a web page",
    ),
    Binding("g", "gaps", "Gaps", id="pack.gaps", tooltip="Show only what has gaps (or all)"),
    Binding(
        "n",
        "new",
        "New",
        id="pack.new",
        tooltip="On a finding: a new action for it; on an action: new evidence for it",
    ),
    Binding("l", "link", "Link", id="pack.link", tooltip="Link actions or evidence"),
    Binding("u", "update", "Update", id="pack.update", tooltip="Add an update to the action"),
    Binding("a", "add", "Add", id="pack.add", tooltip="Add (or restore) a finding"),
    Binding("d", "drop", "Drop", id="pack.drop", tooltip="Drop the selected finding"),
    Binding(
        "e",
        "next_to_tick",
        "Next to tick",
        show=False,
        id="pack.next_to_tick",
        tooltip="The next evidence item not yet ticked ready",
    ),
    Binding(
        "plus",
        "offered",
        "Offered",
        show=False,
        id="pack.offered",
        tooltip="Review and add the findings outside the focus that mention it",
    ),
    Binding(
        "f",
        "go_to",
        "Go to ref",
        show=False,
        id="pack.go_to",
        tooltip="Go to a finding or action by its ref (type R15 or 3.3)",
    ),
    Binding(
        "right_square_bracket",
        "next('finding', 1)",
        "Next finding",
        show=False,
        id="pack.next_finding",
        tooltip="The next finding",
    ),
    Binding(
        "left_square_bracket",
        "next('finding', -1)",
        "Previous finding",
        show=False,
        id="pack.previous_finding",
        tooltip="The previous finding",
    ),
    Binding(
        "right_curly_bracket",
        "next('theme', 1)",
        "Next theme",
        show=False,
        id="pack.next_theme",
        tooltip="The next theme",
    ),
    Binding(
        "left_curly_bracket",
        "next('theme', -1)",
        "Previous theme",
        show=False,
        id="pack.previous_theme",
        tooltip="The previous theme",
    ),
    Binding(
        "escape",
        "back",
        "Back",
        show=False,
        id="pack.back",
        tooltip="Leave the pack for the screen it was opened from",
    ),
    Binding(
        "m",
        "measures",
        "Measures",
        show=False,
        id="pack.measures",
        tooltip="The focus themes' performance measures, in the Measures list",
    ),
]
