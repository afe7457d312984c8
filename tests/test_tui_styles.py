"""Every screen's layout is in a stylesheet beside it, and an installed copy ships it.

A screen names its sheet in ``CSS_PATH`` (``tui/screens/dashboard.tcss``); Textual reads it
when the screen is first shown, so a sheet that is missing, misspelt or left out of the
package would only show up as a screen without its layout. These checks need no terminal.
"""

from __future__ import annotations

import fnmatch
import importlib
import inspect
import pkgutil
import tomllib
from pathlib import Path

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

import tui
import tui.screens

ROOT = Path(__file__).resolve().parents[1]
TUI = Path(tui.__file__).parent


def _screens() -> list[type[Screen]]:
    """Every Screen class defined in tui/screens."""
    found = []
    for info in pkgutil.iter_modules(tui.screens.__path__, "tui.screens."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def _sheets(cls: type[Screen]) -> list[Path]:
    """The files a screen's CSS_PATH names, resolved as Textual does (beside the class)."""
    paths = cls.CSS_PATH
    if paths is None:
        return []
    if isinstance(paths, str | Path):
        paths = [paths]
    here = Path(inspect.getfile(cls)).parent
    return [(here / path).resolve() for path in paths]


SCREENS = _screens()


def test_the_screens_are_found() -> None:
    names = {cls.__name__ for cls in SCREENS}
    assert {"DashboardScreen", "RecordForm", "ImportScreen", "ValuePrompt", "RefPrompt"} <= names


@pytest.mark.parametrize("cls", SCREENS, ids=lambda cls: cls.__name__)
def test_a_screen_keeps_its_layout_in_its_stylesheet(cls: type[Screen]) -> None:
    """Screens name an existing sheet; DEFAULT_CSS is for reusable widgets (tui/widgets)."""
    assert "DEFAULT_CSS" not in vars(cls), f"{cls.__name__}: move its layout to a .tcss file"
    for path in _sheets(cls):
        assert path.is_file(), f"{cls.__name__}: no stylesheet {path}"


def test_every_stylesheet_parses_and_styles_only_its_own_screens() -> None:
    """A rule that did not start with a screen of its module would style the whole app."""
    used: dict[Path, set[str]] = {}
    for cls in SCREENS:
        for path in _sheets(cls):
            used.setdefault(path, set()).update(
                c.__name__ for c in cls.__mro__ if c.__module__.startswith("tui.")
            )
    sheets = sorted((TUI / "screens").glob("*.tcss"))
    assert sheets
    variables = App().get_css_variables()  # the theme's $primary, $error and so on
    for path in sheets:
        assert path in used, f"{path.name} is not any screen's CSS_PATH"
        stylesheet = Stylesheet(variables=variables)
        stylesheet.read(path)
        stylesheet.parse()  # raises StylesheetParseError, naming the line, on a bad rule
        for rule in stylesheet.rules:
            for selectors in rule.selector_set:
                first = selectors.selectors[0].name
                assert first in used[path], f"{path.name}: a rule starts with {first!r}"


def test_an_installed_copy_ships_every_stylesheet() -> None:
    """pyproject's package-data covers each .tcss, so a wheel (not only a checkout) has them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["tui"]
    sheets = sorted(TUI.rglob("*.tcss"))
    assert len(sheets) > 1
    for path in sheets:
        relative = path.relative_to(TUI).as_posix()
        assert any(
            fnmatch.fnmatch(relative, pattern) and relative.count("/") == pattern.count("/")
            for pattern in patterns
        ), relative


def test_the_app_loads_the_sheet_of_the_screen_it_opens_on() -> None:
    """Textual reads a pushed screen's CSS_PATH, but not that of get_default_screen()'s."""
    from tui.app import VisitPrepApp
    from tui.screens.dashboard import DashboardScreen

    app_sheets = {(TUI / path).resolve() for path in VisitPrepApp.CSS_PATH or []}
    assert set(_sheets(DashboardScreen)) <= app_sheets
    assert all(path.is_file() for path in app_sheets)
