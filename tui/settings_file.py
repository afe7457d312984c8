"""What the settings file may hold, as a typed model: the one place its shape is checked.

    {"theme": "nord", "keymap": {"app.search": "ctrl+f"}, "export": {"format": "docx"}}

Every key is optional, and a key this version does not know (``name``, which
``visitprep config --name`` keeps here for :mod:`store.identity`) is kept as it is. A key
that is not what it should be is left out, with one line saying which and what it should
be; the others still count, so a mistyped keymap does not cost the lead their theme.

pydantic is imported only here, and :func:`tui.config.load_settings` imports this module
only when there is a file to check (a first run, and the tests' fresh configs, have none).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StrictBool, StrictStr, ValidationError

from tui.text import safe


def _not_blank(keys: str) -> str:
    if not keys.strip():
        raise ValueError("no keys given")
    return keys


Keys = Annotated[StrictStr, AfterValidator(_not_blank)]


class ExportChoice(BaseModel):
    """The last export's choices (the export prompt writes them; it offers them next time)."""

    model_config = ConfigDict(extra="allow")

    format: Literal["md", "docx", "html"] = "md"
    folder: StrictStr | None = None
    open: StrictBool = False


class SettingsFile(BaseModel):
    """The settings file: the theme picked, keys moved by binding id, the last export's choices."""

    model_config = ConfigDict(extra="allow")

    theme: StrictStr | None = None
    keymap: dict[StrictStr, Keys] | None = None
    export: ExportChoice | None = None


def _problem(field: str, value: Any) -> str:
    """One line for a key that is not what it should be (the file's own text, made safe)."""
    if field == "theme":
        return f"The remembered theme {safe(value)!r} is not available; using the default."
    if field == "keymap":
        return (
            'The "keymap" in the settings file must map binding ids to keys, e.g. '
            '{"app.search": "ctrl+f"}; using the usual keys.'
        )
    return (
        'The "export" choices in the settings file must be e.g. {"format": "docx", '
        '"folder": "/home/sam/Packs", "open": false}; the export prompt starts afresh.'
    )


def check(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The settings that can be used (unknown keys kept), and a line for each left out."""
    kept = dict(raw)
    problems: list[str] = []
    try:
        SettingsFile.model_validate(kept)
    except ValidationError as error:
        bad = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
        for field in sorted(bad):
            problems.append(_problem(field, kept.pop(field)))
    return kept, problems
