"""The app's remembered settings share config.json with `visitprep config --name`.

A lead leaves the app open all day; meanwhile, in another terminal, they run
`visitprep config --name "Sam Patel"`. When the app next saves something (a theme picked
from ctrl+p), it must write only that, over the file as it is then, and keep the name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from store import Store
from store.identity import configured_name
from tests._tui_harness import pilot_test, settle
from tui.app import VisitPrepApp
from tui.cli import main
from tui.config import Loaded, default_config_path, load_settings, save_settings
from tui.settings_file import EXPORT_FORMATS, check, model, plainly_good


@pilot_test
async def test_a_name_chosen_while_the_app_is_open_survives_its_next_theme_save(
    store: Store,
) -> None:
    path = default_config_path()
    app = VisitPrepApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
        assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "nord"}
        # Another terminal, the app still open.
        assert main(["config", "--name", "Sam Patel"]) == 0
        app.theme = "gruvbox"
        await pilot.pause()
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "name": "Sam Patel",
        "theme": "gruvbox",
    }
    assert configured_name() == "Sam Patel"


def test_a_save_writes_only_the_keys_it_is_given_over_the_file_as_it_is_now(
    tmp_path: Path,
) -> None:
    path = tmp_path / "visitprep" / "config.json"
    save_settings(path, {"theme": "nord", "export": {"format": "docx"}})
    # Edited by hand since: a keymap added, the theme changed.
    kept = {"theme": "dracula", "keymap": {"app.search": "ctrl+f"}, "name": "Sam Patel"}
    path.write_text(json.dumps(kept), encoding="utf-8")

    written = save_settings(path, {"export": {"format": "markdown"}})

    expected = {**kept, "export": {"format": "markdown"}}
    assert written == expected
    assert json.loads(path.read_text(encoding="utf-8")) == expected


def test_a_broken_file_is_replaced_by_the_keys_saved(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text("{not json", encoding="utf-8")
    assert save_settings(path, {"theme": "nord"}) == {"theme": "nord"}
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "nord"}
    assert [p.name for p in tmp_path.iterdir()] == ["config.json"]  # no temporary left


# ---------------------------------------------------------------- what the file may hold


def _load(tmp_path: Path, settings: object) -> Loaded:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(settings), encoding="utf-8")
    return load_settings(path)


def test_a_good_file_is_used_as_it_is_with_keys_this_version_does_not_know(
    tmp_path: Path,
) -> None:
    good = {
        "theme": "nord",
        "keymap": {"app.search": "ctrl+f", "dashboard.reload": "f5,ctrl+r"},
        "export": {"format": "docx", "folder": "/home/sam/Packs", "open": False},
        "name": "Sam Patel",
        "later": {"anything": [1, 2]},
    }
    loaded = _load(tmp_path, good)
    assert loaded.problems == []
    assert loaded.settings == good


def test_a_file_that_is_not_an_object_is_ignored_in_one_line(tmp_path: Path) -> None:
    loaded = _load(tmp_path, ["theme", "nord"])
    assert loaded.settings == {}
    assert loaded.problems == [
        f"The settings file {tmp_path / 'config.json'} does not hold settings; using the defaults."
    ]


@pytest.mark.parametrize(
    "keymap",
    [
        ["app.search", "ctrl+f"],  # not a map
        {"app.search": 6},  # keys that are not text
        {"app.search": "  "},  # no keys at all
        "ctrl+f",
    ],
)
def test_a_keymap_that_is_not_one_is_left_out_and_the_theme_still_counts(
    tmp_path: Path, keymap: object
) -> None:
    loaded = _load(tmp_path, {"theme": "nord", "keymap": keymap})
    assert loaded.settings == {"theme": "nord"}
    assert loaded.problems == [
        'The "keymap" in the settings file must map binding ids to keys, e.g. '
        '{"app.search": "ctrl+f"}; using the usual keys.'
    ]


def test_a_theme_that_is_not_a_name_is_left_out_and_the_keys_still_count(
    tmp_path: Path,
) -> None:
    loaded = _load(tmp_path, {"theme": ["nord"], "keymap": {"app.search": "ctrl+f"}})
    assert loaded.settings == {"keymap": {"app.search": "ctrl+f"}}
    assert loaded.problems == [
        "The remembered theme \"['nord']\" is not available; using the default."
    ]


@pytest.mark.parametrize(
    "export",
    [{"format": "pdf"}, {"folder": 7}, {"open": "yes"}, "docx"],
    ids=["unknown format", "folder not text", "open not true or false", "not a map"],
)
def test_export_choices_that_are_not_ones_are_left_out(tmp_path: Path, export: object) -> None:
    loaded = _load(tmp_path, {"theme": "nord", "export": export})
    assert loaded.settings == {"theme": "nord"}
    assert loaded.problems == [
        'The "export" choices in the settings file must be e.g. {"format": "docx", '
        '"folder": "/home/sam/Packs", "open": false}; the export prompt starts afresh.'
    ]


def test_two_bad_keys_get_a_line_each(tmp_path: Path) -> None:
    loaded = _load(tmp_path, {"theme": 3, "keymap": [], "name": "Sam Patel"})
    assert loaded.settings == {"name": "Sam Patel"}
    assert [line.split(" ")[1] for line in loaded.problems] == ['"keymap"', "remembered"]


def test_a_save_keeps_a_hand_written_keymap_even_when_it_is_wrong(tmp_path: Path) -> None:
    """The lead's own typing is theirs to fix: the app never deletes it to save a theme."""
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"keymap": {"app.search": ""}}), encoding="utf-8")
    save_settings(path, {"theme": "nord"})
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "keymap": {"app.search": ""},
        "theme": "nord",
    }


@pilot_test
async def test_a_wrong_keymap_is_reported_and_the_usual_keys_work(
    store: Store, tmp_path: Path
) -> None:
    path = default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"theme": "nord", "keymap": {"app.search": 5}}), encoding="utf-8")
    app = VisitPrepApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        notices = [n.message for n in app._notifications]
        assert any(m.startswith('The "keymap" in the settings file must map') for m in notices)
        assert app.theme == "nord"
        await pilot.press("slash")
        await pilot.pause()
        assert type(app.screen).__name__ == "SearchScreen"


# ------------------------------------------------- read at start without the model, same verdict

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
_TEXT = st.sampled_from(["nord", "ctrl+f", "", "  ", "\u2003", "md"]) | st.text(max_size=6)
_EXPORT = st.dictionaries(
    st.sampled_from(["format", "folder", "open", "later"]),
    st.sampled_from([*EXPORT_FORMATS, "pdf", "MD", None, True, False, 0, 1]) | _TEXT | _JSON,
    max_size=4,
)
_SETTINGS = st.dictionaries(
    st.sampled_from(["theme", "keymap", "export", "name", "later"]),
    _TEXT
    | _JSON
    | _EXPORT
    | st.dictionaries(st.text(max_size=5), _TEXT | _JSON, max_size=3),  # a keymap, good or not
    max_size=5,
)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(_SETTINGS)
@example({"theme": "nord", "export": {"format": "docx", "folder": "/home/sam", "open": False}})
@example({"keymap": {"app.search": " "}})
@example({"export": {"format": None}})
@example({"export": {"open": 1}})
def test_what_start_up_confirms_without_the_model_the_model_accepts(raw: dict) -> None:
    # The model is the judge: the quick look at start-up may only ever agree with it.
    if plainly_good(raw):
        model().model_validate(raw)  # raises if the quick look let a wrong file through
        assert check(raw) == (raw, [])
