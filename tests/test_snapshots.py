"""SVG snapshots of every main screen, at 120x36 and 80x24, on the demo store.

The screens, and the keys that reach each one, are the ones ``scripts/export_screenshots.py``
uses for screenshots/, so the README's pictures and these snapshots cannot drift apart.
Everything that could vary between runs is fixed: the demo's own "today", the default
theme with no remembered settings, no blinking cursor, a fixed terminal size.

After an intended change to a screen, look at the differences in the report pytest writes
(snapshot_report.html), then accept them::

    .venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_textual_snapshot
from conftest import demo_copy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import export_screenshots as pictures  # noqa: E402

SIZES = {"wide": (120, 36), "narrow": (80, 24)}


class _SnapshotsFolder(pytest_textual_snapshot.SVGImageExtension):
    """Keep the SVGs in tests/snapshots/<module>/ (syrupy's default: tests/__snapshots__/)."""

    @classmethod
    def dirname(cls, *, test_location: Any) -> str:
        # The module's name in the path lets syrupy tell which snapshots are no longer used.
        return str(Path(test_location.filepath).parent / "snapshots" / test_location.basename)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(pytest_textual_snapshot, "SVGImageExtension", _SnapshotsFolder)
    saved = pictures.freeze_cursors()
    yield
    pictures.thaw_cursors(saved)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store, built once per test process (the one the other tests copy, made as
    ``pictures.build_demo_store`` makes it); every test works on its own copy."""
    return demo_copy(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.mark.tui
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("shot", pictures.SHOTS, ids=[shot.name for shot in pictures.SHOTS])
def test_screen(
    shot: pictures.Shot, size: str, demo_db: Path, tmp_path: Path, snap_compare: Any
) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    (tmp_path / "config").mkdir()
    app = pictures.demo_app(db, tmp_path / "config")
    try:
        assert snap_compare(app, terminal_size=SIZES[size], run_before=shot.reach)
    finally:
        app.store.close()
