"""Hostile titles leave no raw control character on a terminal in any command: tables,
confirmations, error lines (an ambiguous visit lists the stored titles) and Markdown
printed to a terminal. Stored data is never changed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import _cli
import pytest

import store as api
from tui.commands import _output

ROOT = Path(__file__).resolve().parents[1]
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # writes to the clipboard of whoever runs the command
TITLES = [
    f"Front door {OSC52}audit",
    "MASH \u202etxt.exe\u202c review",  # right-to-left override
    "Thresh\u200bolds\u2060 not applied \x9b31m",  # zero-width, a one-byte CSI
]
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u200b", "\u2060")


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.db"
    store = api.open_store(path, today=date(2018, 1, 20))
    try:
        for n, title in enumerate(TITLES, 1):
            finding = api.create_finding(store, ref=f"R{n}", title=title)
            api.create_visit(store, title=f"Visit {title}", start_date=date(2018, 2, n))
            api.create_evidence(store, title=title)
            del finding
    finally:
        store.close()
    return path


def _run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line on ``db``: the console script, in a process of its own forked after
    the imports (tests/_cli.py); it finds the package installed, as ``-m`` did on ROOT."""
    env = {**os.environ, "VISITPREP_TODAY": "2018-01-20"}
    return _cli.run([str(_cli.BIN), "--db", str(db), *args], env=env,
                    capture_output=True, text=True, check=False)  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [["gaps"], ["search", "thresholds"], ["search", "front"], ["export", "Visit"],
     ["export", "no such visit"], ["gaps", "--visit", "Visit"], ["search", "\x1b[2J"]],
)  # fmt: skip
def test_no_command_writes_a_stored_control_character_raw(
    hostile_db: Path, command: list[str]
) -> None:
    result = _run(hostile_db, *command)
    shown = result.stdout + result.stderr
    assert not [c for c in RAW if c in shown], (command, shown[:400])
    assert shown.strip()  # it did say something
    if result.returncode:
        assert result.stderr.count("\n") == 1  # one line, whatever the titles hold


def test_an_ambiguous_visit_lists_the_titles_with_their_controls_shown(hostile_db: Path) -> None:
    result = _run(hostile_db, "export", "Visit")
    assert result.returncode == 1
    assert "\u241b]52;c;cm0gLXJmIH4=\u2407" in result.stderr  # ␛ … ␇: seen, not obeyed
    store = api.open_store(hostile_db)
    assert sorted(v.title for v in api.list_visits(store)) == sorted(f"Visit {t}" for t in TITLES)
    store.close()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_markdown_and_json_are_exact_when_piped_and_shown_safely_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = f"# Pack\n- [ ] {TITLES[0]}\n"
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stdout", piped)
    _output.write_utf8(text)
    assert piped.getvalue() == text
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    _output.write_utf8(text)
    assert terminal.getvalue() == "# Pack\n- [ ] Front door \u241b]52;c;cm0gLXJmIH4=\u2407audit\n"
