"""The store is a plain library: importing every part of it never loads Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import store

ROOT = Path(__file__).resolve().parents[1]


def test_importing_every_store_module_never_loads_textual() -> None:
    modules = sorted(
        name
        for _, name, _ in pkgutil.walk_packages(store.__path__, "store.")
        if ".migrations" not in name
    )
    assert "store.pack" in modules and "store.findings" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'tui')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_no_store_source_file_imports_textual_or_the_tui() -> None:
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "store").rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith(("import textual", "from textual", "import tui", "from tui"))
    ]
    assert offenders == []
