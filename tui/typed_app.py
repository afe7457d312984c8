"""The app, typed: what screens and widgets reach through ``self.app``.

Textual types ``self.app`` as ``App[Any]``, which knows nothing of the store or of the
app's own methods (``open_record``, ``show_error``...). ``app_of(self)`` is the same object,
typed as ``VisitPrepApp`` (as Posting does with ``cast("Posting", self.app)``), so that mypy
checks every call a screen makes on the app. The import is for the type checker only: the
app imports the screens, so a screen importing the app would be a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from textual.app import App

    from tui.app import VisitPrepApp


class _OfTheApp(Protocol):
    """A screen, a widget or a command-palette provider: anything with an ``app``."""

    @property
    def app(self) -> App[Any]: ...


def app_of(node: _OfTheApp) -> VisitPrepApp:
    """The running visitprep app that ``node`` (a screen, widget or provider) belongs to."""
    return cast("VisitPrepApp", node.app)
