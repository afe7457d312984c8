"""How well a plan cell that quotes a recommendation finds it: the text-match threshold, measured.

A plan's "Ofsted recommendation" column often quotes the recommendation instead of giving
its ref. The plan importer links such a cell to the finding whose text it matches
(``store.importers.plan_refs.match_text``): a score of at least ``TEXT_MATCH`` and at least
``TEXT_MARGIN`` points above the next finding. This script measures that rule on the real
reports in ../shared/ofsted-reports/:

* quotes of each finding (whole, first sentence, first 60% of the words, first 12 words, and
  one word in five left out), scored against every finding of the same report: a quote must
  link to its own finding (found) and never to a neighbour (wrong);
* the same quotes against another council's report: any link there is wrong.

It prints the figures for a few thresholds, with the chosen one marked. Usage::

    .venv/bin/python bench/plan_text_match.py [REPORTS_FOLDER]

(Reading the ~45 PDFs takes a few minutes; their findings are cached in /tmp.)
"""

from __future__ import annotations

import pickle
import re
import sys
import tempfile
from pathlib import Path

from store.importers.plan_refs import TEXT_MARGIN, TEXT_MATCH, text_scores

ROOT = Path(__file__).resolve().parents[1]
FOLDER = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "ofsted-reports"


def _findings() -> list[tuple[str, list[tuple[str, str]]]]:
    cache = Path(tempfile.gettempdir()) / "visitprep-plan-text-match.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())  # our own cache file
    from store.importers.reports import read_report

    out = []
    for pdf in sorted(FOLDER.glob("*.pdf")):
        try:
            report = read_report(pdf)
        except Exception as error:  # a report the importer refuses is skipped
            print(f"skipped {pdf.name}: {error}")
            continue
        out.append((pdf.name, [(f.ref, f.text) for f in report.findings]))
    cache.write_bytes(pickle.dumps(out))
    return out


def _quotes(text: str) -> dict[str, str]:
    words = text.split()
    return {
        "whole": text,
        "first sentence": re.split(r"(?<=[a-z)])\.\s", text, maxsplit=1)[0],
        "60% of words": " ".join(words[: max(6, int(len(words) * 0.6))]),
        "first 12 words": " ".join(words[:12]),
        "1 word in 5 left out": " ".join(w for i, w in enumerate(words[:30]) if i % 5 != 4),
    }


def _decide(scores: list[float], threshold: float, margin: float) -> int | None:
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    if not ranked or scores[ranked[0]] < threshold:
        return None
    if len(ranked) > 1 and scores[ranked[0]] - scores[ranked[1]] < margin:
        return None
    return ranked[0]


def main() -> None:
    reports = [(name, [f for f in fs if len(f[1].split()) >= 8]) for name, fs in _findings()]
    reports = [(name, fs) for name, fs in reports if fs]
    own: list[tuple[int, list[float]]] = []  # (the quoted finding's index, scores)
    foreign: list[list[float]] = []
    for number, (_, findings) in enumerate(reports):
        texts = [text for _, text in findings]
        other = [text for _, text in reports[(number + 1) % len(reports)][1]]
        for index, text in enumerate(texts):
            for quote in _quotes(text).values():
                if len(quote.split()) < 6:
                    continue
                own.append((index, text_scores(quote, texts)))
                foreign.append(text_scores(quote, other))
    print(f"{len(reports)} reports, {len(own)} quotes of their findings")
    for threshold in (70, 75, 80, 85, 90):
        for margin in (0, TEXT_MARGIN):
            found = wrong = 0
            for index, scores in own:
                chosen = _decide(scores, threshold, margin)
                found += chosen == index
                wrong += chosen is not None and chosen != index
            stray = sum(_decide(s, threshold, margin) is not None for s in foreign)
            mark = "  <- chosen" if (threshold, margin) == (TEXT_MATCH, TEXT_MARGIN) else ""
            print(
                f"score >= {threshold}, margin {margin:>2}: found {found}/{len(own)} "
                f"({100 * found / len(own):.1f}%), wrong link {wrong}, "
                f"links to another council's report {stray}/{len(foreign)}{mark}"
            )


if __name__ == "__main__":
    main()
