"""Where the SDG tagger's recall goes on realistic snippets: prints the figures behind the goal head.

Usage:  python tools/sdg_recall_diagnostics.py [FILE.csv] [--without-head]

For the texts of FILE (default: the realistic tuning part; never pass the held-out part while choosing
anything), it prints recall by the rank of the positive goal among the text's combined scores (0: the
goal the text is mostly about), recall on texts with one and with two positive goals, recall by text
length and by whether the transformer ran, and how many goals are suggested per text. ``--without-head``
shows the older calibrated decision, which found the top goal of every text but rarely a second one.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pux.sdg_tagging.engine import GOALS, SdgTagger, get_tagger  # noqa: E402
from pux.sdg_tagging.evaluation import EvaluationRow, read_evaluation_csv  # noqa: E402

DEFAULT_FILE = ROOT / "tests" / "data" / "sdg" / "realistic_tuning.csv"


def recall_by(
    rows: Sequence[EvaluationRow],
    found: Callable[[EvaluationRow], bool],
    key: Callable[[EvaluationRow], object],
) -> str:
    counts: dict[object, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row.label:
            counts[key(row)][0] += found(row)
            counts[key(row)][1] += 1
    return ", ".join(
        f"{group}: {hit}/{total} = {hit / total:.2f}"
        for group, (hit, total) in sorted(counts.items(), key=lambda item: str(item[0]))
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, nargs="?", default=DEFAULT_FILE)
    parser.add_argument("--without-head", action="store_true")
    arguments = parser.parse_args(argv)
    rows = read_evaluation_csv(arguments.file)
    shared = get_tagger()
    tagger = (
        SdgTagger(shared.data, shared.calibration, shared.embedder, None)
        if arguments.without_head
        else shared
    )
    texts = list(dict.fromkeys(row.text for row in rows))
    scores = dict(zip(texts, tagger.score_texts(texts), strict=True))
    suggested = {text: {s.goal for s in tagger.decide(scores[text], text)} for text in texts}
    rank = {}
    for text in texts:
        order = np.argsort(-tagger.combined_scores(scores[text]))
        rank[text] = {GOALS[goal]: position for position, goal in enumerate(order)}
    positives: dict[str, int] = defaultdict(int)
    for row in rows:
        positives[row.text] += row.label

    def found(row: EvaluationRow) -> bool:
        return row.sdg in suggested[row.text]

    def length(row: EvaluationRow) -> str:
        words = len(row.text.split())
        return "under 45 words" if words < 45 else "45 words or more"

    print(
        f"texts: {len(texts)}  suggested goals per text: {np.mean([len(g) for g in suggested.values()]):.2f}"
    )
    print(
        "recall by rank of the goal (0 = top):",
        recall_by(rows, found, lambda row: min(rank[row.text][row.sdg], 3)),
    )
    print("recall by positive goals of the text:", recall_by(rows, found, lambda row: positives[row.text]))
    print(
        "recall by length (spaced languages):", recall_by([r for r in rows if " " in r.text], found, length)
    )
    print(
        "recall by transformer used:",
        recall_by(rows, found, lambda row: scores[row.text].transformer_similarity is not None),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
