"""The app's remembered settings share config.json with `visitprep config --name`.

A lead leaves the app open all day; meanwhile, in another terminal, they run
`visitprep config --name "Sam Patel"`. When the app next saves something (a theme picked
from ctrl+p), it must write only that, over the file as it is then, and keep the name.
"""

from __future__ import annotations

import json
from pathlib import Path

from store import Store
from store.identity import configured_name
from tests._tui_harness import pilot_test, settle
from tui.app import VisitPrepApp
from tui.cli import main
from tui.config import default_config_path, save_settings


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
