"""`visitprep import` of Ofsted reports as a lead reads it: a summary that counts new,
unchanged, updated and refused reports with one line under it for each refused one, and a
dry run that says what the import itself would do (the store's one preview)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import _cli

FIXTURES = Path(__file__).parent / "data" / "reports"
RUTLAND = FIXTURES / "ashbourne-vale_2025-03-20.txt"  # a made-up ILACS report for Rutland
THURROCK = FIXTURES / "eastmere_2016-05-20.txt"  # a made-up SIF report for Thurrock
BIN = Path(sys.executable).parent / "visitprep"


def visitprep(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VISITPREP_TODAY": "2025-06-01", "COLUMNS": "120"}
    return _cli.run(  # the console script in a process of its own (see tests/_cli.py)
        [str(BIN), "--db", str(db), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )  # fmt: skip


def test_the_summary_counts_each_outcome_and_lists_each_refused_report(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(RUTLAND, folder / "a-rutland.txt")
    (folder / "b-notes.txt").write_text("Milk\nBread\n" * 100, encoding="utf-8")
    nowhere = RUTLAND.read_text(encoding="utf-8").replace("Rutland", "Ashbourne Vale")
    (folder / "c-nowhere.txt").write_text(nowhere, encoding="utf-8")
    db = tmp_path / "store.db"
    assert visitprep(db, "import", str(RUTLAND)).returncode == 0

    shutil.copy(THURROCK, folder / "d-thurrock.txt")
    result = visitprep(db, "import", str(folder))

    assert result.returncode == 1
    said = " ".join(result.stdout.split())
    assert "4 reports: 1 new, 1 unchanged, 0 updated, 2 refused." in said
    refused = result.stderr.splitlines()
    assert len(refused) == 2
    assert refused[0].startswith("visitprep: b-notes.txt")
    assert refused[1].startswith("visitprep: c-nowhere.txt names 'Ashbourne Vale'")
    assert "official list" in refused[1]


def test_the_dry_run_says_what_the_import_would_do_with_each_file(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert visitprep(db, "import", str(RUTLAND)).returncode == 0
    dry = visitprep(db, "import", "--dry-run", "--json", str(RUTLAND), str(THURROCK))
    known, new = json.loads(dry.stdout)
    assert known["would"].startswith("already imported as 'Rutland ILACS inspection")
    assert (new["local_authority"], new["council_code"], new["ours"]) == (
        "Thurrock", "E06000034", False,
    )  # fmt: skip
    roles = {f["ref"]: f["role"] for f in new["findings"]}
    assert roles["R1"] == "" and roles["B1"] == "board" and roles["P12"] == "detail"
    assert new["would"].startswith("would import 7 findings as another council's report")
    plain = " ".join(visitprep(db, "import", "--dry-run", str(THURROCK)).stdout.split())
    assert "Dry run: nothing was changed." in plain
