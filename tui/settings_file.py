"""What the settings file may hold, as a typed model: the one place its shape is checked.

    {"theme": "nord", "keymap": {"app.search": "ctrl+f"}, "export": {"format": "docx"}}

Every key is optional, and a key this version does not know (``name``, which
``visitprep config --name`` keeps here for :mod:`store.identity`) is kept as it is. A key
that is not what it should be is left out, with one line saying which and what it should
be; the others still count, so a mistyped keymap does not cost the lead their theme.

pydantic (about 70 ms of CPU to import and build the model, on the way to the first
screen) is imported only here, and only for a file :func:`plainly_good` cannot confirm: the
model (:func:`model`) judges every other file, and it alone says what is wrong. A file as
the app writes it (a theme picked, the last export's choices, a name, a keymap) is
confirmed without it. :func:`tui.config.load_settings` imports this module only when there
is a file to check.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from tui.text import safe

if TYPE_CHECKING:
    from pydantic import BaseModel

EXPORT_FORMATS = ("md", "docx", "html")


def _not_blank(keys: str) -> str:
    if not keys.strip():
        raise ValueError("no keys given")
    return keys


@cache
def model() -> type[BaseModel]:
    """The settings file's model (pydantic is imported here, the first time it is asked for).

    ``SettingsFile``: the theme picked, keys moved by binding id, the last export's choices
    (``ExportChoice``: the export prompt writes them and offers them next time).
    """
    from typing import Annotated, Literal

    from pydantic import AfterValidator, BaseModel, ConfigDict, StrictBool, StrictStr

    keys = Annotated[StrictStr, AfterValidator(_not_blank)]

    class ExportChoice(BaseModel):
        model_config = ConfigDict(extra="allow")

        format: Literal[EXPORT_FORMATS] = EXPORT_FORMATS[0]  # type: ignore[valid-type]
        folder: StrictStr | None = None
        open: StrictBool = False

    class SettingsFile(BaseModel):
        model_config = ConfigDict(extra="allow")

        theme: StrictStr | None = None
        keymap: dict[StrictStr, keys] | None = None
        export: ExportChoice | None = None

    return SettingsFile


def plainly_good(raw: dict[str, Any]) -> bool:
    """True when ``raw`` is plainly what :func:`model` accepts (plain JSON text, true/false
    and maps, as the app writes them); False says only "ask the model", never "wrong"."""
    theme = raw.get("theme")
    if theme is not None and type(theme) is not str:
        return False
    keymap = raw.get("keymap")
    if keymap is not None and not (
        type(keymap) is dict
        and all(
            type(binding) is str and type(keys) is str and keys.strip()
            for binding, keys in keymap.items()
        )
    ):
        return False
    export = raw.get("export")
    if export is None:
        return True
    return (
        type(export) is dict
        and type(export.get("format", "")) is str
        and export.get("format", EXPORT_FORMATS[0]) in EXPORT_FORMATS
        and (export.get("folder") is None or type(export["folder"]) is str)
        and ("open" not in export or type(export["open"]) is bool)
    )


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
    if plainly_good(kept):
        return kept, problems
    from pydantic import ValidationError

    try:
        model().model_validate(kept)
    except ValidationError as error:
        bad = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
        for field in sorted(bad):
            problems.append(_problem(field, kept.pop(field)))
    return kept, problems
