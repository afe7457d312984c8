#!/usr/bin/env python3
"""Everyday commands, with nothing but Python 3.11 and pip needed beforehand.

    python3 dev.py demo         set up, build the demo store, open the app on it
    python3 dev.py test [ARGS]  set up, run the whole test suite on 4 workers (ARGS go to pytest)
    python3 dev.py lint         ruff check + ruff format --check + mypy (store/, tui/) + import contracts
    python3 dev.py screenshots  regenerate screenshots/ from the demo store
    python3 dev.py bench        run the benchmarks in bench/
    python3 dev.py mutate [NAMES]  mutation testing of store/ with mutmut (by hand, not in CI;
                                NAMES like "store.overdue*" choose the mutants to run)

Setup creates .venv/ and installs visitprep with the exact versions in constraints.txt;
it is skipped when nothing it depends on has changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".visitprep-setup"
DEMO_DB = ROOT / ".visitprep" / "demo.db"


def _run(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> int:
    return subprocess.call([os.fspath(a) for a in args], cwd=ROOT, env=env)


def setup() -> None:
    """Create .venv and install visitprep with its test and dev tools, pinned."""
    wanted = hashlib.sha256(
        b"".join((ROOT / name).read_bytes() for name in ("pyproject.toml", "constraints.txt"))
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("Setting up .venv (first run only)...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    code = _run(
        PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "-c", "constraints.txt", "-e", ".[dev]",
    )  # fmt: skip
    if code != 0:
        sys.exit(f"dev.py: installing the dependencies failed (pip exit {code}).")
    STAMP.write_text(wanted)


def demo(_args: list[str]) -> int:
    # The demo store knows its own date and opens as at it (VISITPREP_TODAY, if set,
    # still wins). One built before stores knew it is built again: it is only the demo.
    from_env = dict(os.environ)
    visitprep = BIN / "visitprep"
    if not DEMO_DB.exists() or not _knows_its_date(DEMO_DB):
        code = _run(visitprep, "--db", DEMO_DB, "demo", "--force", env=from_env)
        if code != 0:
            return code
    return _run(visitprep, "--db", DEMO_DB, env=from_env)


def _knows_its_date(db: Path) -> bool:
    import sqlite3

    try:
        connection = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT 1 FROM setting WHERE key = 'demo_date'").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return row is not None


def test(args: list[str]) -> int:
    """pytest over tests/ on four workers (pytest-xdist), unless ARGS choose (-n 0: one).

    Four, on a 2-core machine: the app's tests spend much of their time waiting on the
    pilot (a key's effects, a worker's answer), so more workers than cores fill the waits.
    The whole suite on this 2-core machine, quiet, 1,238 tests: -n 2 6:02, -n 3 5:25,
    -n 4 4:59 (issue 17).

    Bytecode is cached even where PYTHONDONTWRITEBYTECODE is set (it is in some shells and
    containers): without it each worker compiles visitprep and re-rewrites every test module
    from source (~10 CPU s a worker), and so does every CLI run the tests start (~0.1 s each).
    """
    workers = [] if any(a.startswith(("-n", "--numprocesses")) for a in args) else ["-n", "4"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return _run(PYTHON, "-m", "pytest", *workers, *args, env=env)


def lint(_args: list[str]) -> int:
    """ruff (lint and format) over everything; mypy over store/ and tui/ ([tool.mypy])."""
    return (
        _run(PYTHON, "-m", "ruff", "check", ".")
        or _run(PYTHON, "-m", "ruff", "format", "--check", ".")
        or _run(PYTHON, "-m", "mypy")
        or _run(BIN / "lint-imports")  # [tool.importlinter]: store, CLI and cycle contracts
    )


def screenshots(_args: list[str]) -> int:
    return _run(PYTHON, "scripts/export_screenshots.py")


def bench(_args: list[str]) -> int:
    return _run(PYTHON, "bench/search_bench.py") or _run(PYTHON, "bench/tui_bench.py")


def mutate(args: list[str]) -> int:
    """mutmut over store/ ([tool.mutmut] in pyproject.toml), then its results (survivors)."""
    mutmut = (PYTHON, ROOT / "scripts" / "mutmut_run.py")  # loads mutants/store, not store/
    # The console script the CLI tests run must load the mutant too: mutants/ first.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "mutants"), str(ROOT)])}
    return _run(*mutmut, "run", *args, env=env) or _run(*mutmut, "results", env=env)


COMMANDS = {
    "demo": demo,
    "test": test,
    "lint": lint,
    "screenshots": screenshots,
    "bench": bench,
    "mutate": mutate,
}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    setup()
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    raise SystemExit(main())
