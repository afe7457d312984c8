"""Go to a ref in the pack: type R15 (or 3.3) and enter puts the cursor on it.

As it is typed, the line under the box says which finding or action it will go to.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any, ClassVar

from rich.text import Text

from tui.screens.prompt import ValuePrompt


class RefPrompt(ValuePrompt[str]):
    """Dismisses with the ref typed; the pack puts the cursor on its line."""

    # The base prompt's sheet first: on equal specificity the later rule wins.
    CSS_PATH: ClassVar[list[str | PurePath]] = ["prompt.tcss", "ref_prompt.tcss"]

    label = "Go to the finding or action with the ref:"
    verb = "Go"

    def __init__(
        self,
        find: Callable[[str], tuple[Any, ...] | None],
        name: Callable[[tuple[Any, ...]], str],
    ) -> None:
        super().__init__("")
        self.find = find
        self.name_of = name

    def note(self, text: str) -> Text:
        if not text.strip():
            return Text("Type a ref: R15, 3.3, MV2-4 (the start of one is enough).", style="dim")
        key = self.find(text)
        if key is None:
            return Text("No finding or action with that ref here.", style="dim")
        return Text.assemble(("Goes to ", "dim"), (self.name_of(key), "bold"))

    def run(self, text: str) -> str:
        return text.strip()
