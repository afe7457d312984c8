"""mutmut, with this editable install's ``store`` pointed at mutants/store.

``python3 dev.py mutate`` runs this. mutmut puts mutants/ first on ``sys.path``, but the
editable install's finder answers ``import store`` whenever the path does not hold it (as in
the phases mutmut runs before it sets the path), and the tests then exercise the original
code: every mutant "has no tests". Pointing the finder's own mapping at mutants/ makes every
phase load the mutated copy.
"""

from __future__ import annotations

import sys
from pathlib import Path

MUTANTS = Path.cwd() / "mutants"

for finder in sys.meta_path:
    mapping = getattr(sys.modules.get(getattr(finder, "__module__", "")), "MAPPING", None)
    if isinstance(mapping, dict) and "store" in mapping:
        # store from mutants/, the rest (tui) from this checkout, whichever was installed.
        mapping.update({name: str(Path.cwd() / name) for name in mapping})
        mapping["store"] = str(MUTANTS / "store")

from mutmut.__main__ import cli  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = "mutmut"
    cli()
