"""A per-goal linear model over the words of a text: which words, learnt from PUX's labelled snippets,
speak for or against each goal.

Why (issue 15): the tagger's other word evidence is either averaged away (the static text vector, where
"remittance" weighs no more than any other word of a 90-word snippet) or borrowed from the ten nearest
labelled snippets (the word neighbours, which vote only when a whole snippet is close). A logistic model
per goal on the text's tf-idf word counts learns from every labelled snippet at once that "haemorrhage"
speaks for goal 3 and "tariff" for goal 17, and that "women" alone does not make goal 5. Its logits for
the whole text and for its best sentence are two more pieces of evidence for the head
(``engine.GoalHead``), which weighs them against the others; stacked, that is the head learns from logits
the model gave texts it was not fitted on (``stacked_folds``).

Measured (issue 15, ``pux sdg eval``), trained on the first three waves of realistic snippets: their held-out
part 0.888 -> 0.892, and the whole fourth wave (six writers the tagger never saw) 0.869 -> 0.879; the fourth
wave's tuning share then trained in too: the held-out part of all four waves 0.892 (the first three waves'
share of it 0.898); with the best sentence's logit too, 0.894 (0.899); fitted also on the SDG goal, target,
indicator and topic descriptions of the six languages (``LabelledWords`` passed to every fold as
``always``, a description weighing a quarter of a snippet: tools/train_sdg_goal_head.py), 0.896, and
five-fold on the tuning texts 0.883 -> 0.889: a word few snippets use is learnt from the targets that
name it ("remittance" alone: goal 10's logit +0.24 -> +1.50). The words of any language count
(every lexicon entry the text hits, frequent ones too: "not", "without" and "despite" help to tell a hard
negative); pairs of words added nothing measurable. Plain numpy and scipy, no web or database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import minimize

from pux.sdg_tagging.neighbours import inverse_document_frequency, tf_idf_row, tf_idf_weights

FloatArray = npt.NDArray[np.float32]
WORD_MODEL_FILE = "word_model.npz"
# The L2 penalty on the word weights, chosen by five-fold cross-validation on the tuning texts (1e-3 and
# 3e-4 did worse on texts by other writers, 3e-5 no better).
L2 = 1e-4
STACKING_FOLDS = 5


@dataclass(frozen=True)
class WordModel:
    """``logit[g] = tf_idf(text) . weights[:, g] + intercepts[g]`` over lexicon entries."""

    idf: FloatArray  # per lexicon entry
    weights: FloatArray  # lexicon entries x goals
    intercepts: FloatArray  # per goal

    def logits(self, entries: Sequence[int]) -> FloatArray:
        """One logit per goal for a text given as the lexicon entries of its words (repeats count)."""
        columns, values = tf_idf_weights(entries, self.idf)
        return np.asarray(values @ self.weights[columns], np.float32) + self.intercepts

    def text_and_best_sentence_logits(
        self, entries: Sequence[int], sentences: Sequence[Sequence[int]]
    ) -> tuple[FloatArray, FloatArray]:
        """The logits of the whole text and, per goal, the highest of any one of its ``sentences`` (each
        given as lexicon entries; the whole text's again when it has fewer than two). A snippet's second
        topic often has a sentence of its own, and the whole text's words dilute it."""
        whole = self.logits(entries)
        if len(sentences) < 2:
            return whole, whole
        best = np.max([self.logits(sentence) for sentence in sentences], axis=0)
        return whole, np.asarray(best, np.float32)

    def strongest_words(self, entries: Sequence[int], goal_position: int, count: int) -> list[int]:
        """The entries of the text that add most to the goal's logit (those that add something)."""
        columns, values = tf_idf_weights(entries, self.idf)
        contributions = values * self.weights[columns, goal_position]
        order = np.argsort(-contributions)[:count]
        return [int(columns[i]) for i in order if contributions[i] > 0]

    # ------------------------------------------------------------------ fitting
    @classmethod
    def fit(
        cls,
        entries_per_text: Sequence[Sequence[int]],
        vocabulary_size: int,
        labels: npt.NDArray[np.floating],
        weights: npt.NDArray[np.floating],
        l2: float = L2,
    ) -> WordModel:
        """Fitted on texts (rows) with per-goal labels (0/1, texts x goals) and row weights (texts x
        goals: a goal nobody annotated for a text weighs less than a labelled one)."""
        idf = inverse_document_frequency(entries_per_text, vocabulary_size)
        matrix = sparse.vstack(
            [tf_idf_row(entries, idf) for entries in entries_per_text], format="csr", dtype=np.float64
        )
        columns = [
            _fit_goal(matrix, labels[:, goal], weights[:, goal], l2) for goal in range(labels.shape[1])
        ]
        stacked = np.stack(columns, axis=1)
        return cls(idf, stacked[:-1].astype(np.float32), stacked[-1].astype(np.float32))

    # ------------------------------------------------------------------ shipping
    def save(self, data_dir: Path) -> None:
        # Only the entries some training text had carry a weight (the L2 penalty leaves the others at 0).
        used = np.flatnonzero(np.abs(self.weights).sum(axis=1) > 0)
        np.savez_compressed(
            data_dir / WORD_MODEL_FILE,
            idf=self.idf.astype(np.float16),
            used=used.astype(np.int32),
            weights=self.weights[used].astype(np.float16),
            intercepts=self.intercepts.astype(np.float32),
        )

    @classmethod
    def load(cls, data_dir: Path) -> WordModel | None:
        path = data_dir / WORD_MODEL_FILE
        if not path.exists():
            return None
        with np.load(path) as arrays:
            idf = arrays["idf"].astype(np.float32)
            weights = np.zeros((len(idf), arrays["weights"].shape[1]), np.float32)
            weights[arrays["used"]] = arrays["weights"].astype(np.float32)
            return cls(idf, weights, arrays["intercepts"].astype(np.float32))


@dataclass(frozen=True)
class LabelledWords:
    """Documents for fitting: each one's lexicon entries, its per-goal labels (0/1, documents x goals) and
    their weights (documents x goals)."""

    entries: Sequence[Sequence[int]]
    labels: npt.NDArray[np.floating]
    weights: npt.NDArray[np.floating]

    def rows(self, positions: npt.NDArray[np.intp]) -> LabelledWords:
        return LabelledWords(
            [self.entries[i] for i in positions], self.labels[positions], self.weights[positions]
        )

    def __add__(self, other: LabelledWords) -> LabelledWords:
        return LabelledWords(
            [*self.entries, *other.entries],
            np.vstack([self.labels, other.labels]),
            np.vstack([self.weights, other.weights]),
        )

    def fit(self, vocabulary_size: int) -> WordModel:
        return WordModel.fit(self.entries, vocabulary_size, self.labels, self.weights)


def stacked_folds(
    texts: LabelledWords, vocabulary_size: int, always: LabelledWords | None = None, seed: int = 5
) -> Iterator[tuple[WordModel, npt.NDArray[np.intp]]]:
    """For each of ``STACKING_FOLDS`` folds, a model fitted without the fold's texts (but with ``always``,
    documents that are never stacked) and the fold's positions: the head must learn from logits for texts
    the model never saw, since a model's logits for its own training texts are far surer than for a new
    text."""
    for kept_positions, held in stacking_fold_positions(len(texts.entries), seed):
        kept = texts.rows(kept_positions)
        yield (kept + always if always is not None else kept).fit(vocabulary_size), held


def stacking_fold_positions(
    count: int, seed: int
) -> Iterator[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """For each of ``STACKING_FOLDS`` folds over ``count`` items in a seeded random order: the positions
    a model is fitted on and the positions it is then asked about (each item held out exactly once)."""
    order = np.random.default_rng(seed).permutation(count)
    for fold in range(STACKING_FOLDS):
        held = order[fold::STACKING_FOLDS]
        yield np.setdiff1d(order, held), held


def _fit_goal(
    matrix: sparse.csr_matrix,
    labels: npt.NDArray[np.floating],
    weights: npt.NDArray[np.floating],
    l2: float,
) -> npt.NDArray[np.float64]:
    """Weighted logistic regression, L2 on the word weights only; the intercept is the last value."""
    size = matrix.shape[1]
    total = float(weights.sum())
    labels = np.asarray(labels, np.float64)

    def loss(parameters: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        logits = matrix @ parameters[:size] + parameters[size]
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(logits, -40.0, 40.0)))
        log_loss = np.logaddexp(0.0, logits) - labels * logits
        residual = weights * (probabilities - labels) / total
        value = float((weights * log_loss).sum() / total + 0.5 * l2 * (parameters[:size] ** 2).sum())
        gradient = np.r_[matrix.T @ residual + l2 * parameters[:size], residual.sum()]
        return value, gradient

    return np.asarray(minimize(loss, np.zeros(size + 1), jac=True, method="L-BFGS-B").x)
