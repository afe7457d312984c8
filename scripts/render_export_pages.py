"""Render page 1 of the demo's next-visit pack, as Word and as a web page, to PNG.

What a person would check by eye: the .docx through LibreOffice (headless) and the .html
through Chromium's print to PDF (its print stylesheet, A4), then page 1 of each PDF to a
PNG with pdftoppm. Writes screenshots/export-docx-page1.png and
screenshots/export-html-page1.png.

Needs: apt-get install libreoffice-writer-nogui chromium poppler-utils
Run:   .venv/bin/python scripts/render_export_pages.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots"
DEMO_TODAY = "2019-01-21"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the exported files and PDFs here")
    args = parser.parse_args()
    for tool in ("soffice", "chromium", "pdftoppm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed (see this script's docstring)")
    work = args.keep or Path(tempfile.mkdtemp(prefix="visitprep-render-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "VISITPREP_TODAY": DEMO_TODAY}
    visitprep = [sys.executable, "-m", "tui.cli"]
    db = work / "demo.db"
    for stale in work.glob("demo.db*"):
        stale.unlink()
    run([*visitprep, "--db", str(db), "demo"], env)
    visit = "Monitoring visit 3"  # the demo's next visit
    docx, html = work / "pack.docx", work / "pack.html"
    run([*visitprep, "--db", str(db), "export", visit, "-o", str(docx)], env)
    run([*visitprep, "--db", str(db), "export", visit, "-o", str(html)], env)
    run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(docx)], env)
    html_pdf = work / "pack-html.pdf"
    run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--no-pdf-header-footer", f"--print-to-pdf={html_pdf}", html.as_uri(),
        ],
        env,
    )  # fmt: skip
    SHOTS.mkdir(exist_ok=True)
    for pdf, name in ((work / "pack.pdf", "export-docx-page1"), (html_pdf, "export-html-page1")):
        run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(SHOTS / name)], env)  # fmt: skip
        print(f"{SHOTS / name}.png  (from {pdf})")
    return 0


def run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")


if __name__ == "__main__":
    raise SystemExit(main())
