"""Labelled snippets the tagger compares a text with: which goals its nearest labelled neighbours address.

Why: on snippets written by other people than those who tuned the tagger, the static similarities to goal
descriptions missed many goals a text addresses through a target-level topic (remittance costs for goal 10,
glacier melt feeding a city's water for goal 13). PUX's own labelled snippets (the tuning texts of the
realistic set and the development set, never the held-out parts) cover those topics in the register users
paste from. Two neighbourhoods are read:

- **words** (every text): the topical words of the text (lexicon entries rarer than the content threshold),
  weighted tf-idf, against those of each snippet: what the text literally shares with labelled examples;
- **meaning** (texts that go through the transformer): the text's transformer vector against the snippets'.

Per goal, the vote is the similarity-weighted share of the ``NEIGHBOURS`` nearest snippets that address the
goal. The snippet behind a vote is shown as evidence. Built by ``tools/train_sdg_goal_head.py`` into
``data/snippets.npz``; plain numpy and scipy, no web or database.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float32]
SNIPPETS_FILE = "snippets.npz"
SNIPPET_EXCERPTS_FILE = "snippets.json"
NEIGHBOURS = 10
# How sharply the nearest neighbours outweigh the others (a softmax temperature on cosine similarity).
WORD_TEMPERATURE = 0.05
MEANING_TEMPERATURE = 0.02
# A snippet this close is the text itself (scoring a labelled file the memory was built from): skipped, so
# that a text never votes for itself.
SAME_TEXT = 0.999
EXCERPT_WORDS = 12


@dataclass(frozen=True)
class NeighbourVotes:
    """Per goal, the weighted share of the nearest snippets that address it, and for each goal the nearest
    snippet that addresses it (-1 when none of the neighbours does)."""

    votes: FloatArray
    example: npt.NDArray[np.intp]


class SnippetMemory:
    """The labelled snippets: tf-idf word vectors, transformer vectors and the goals each addresses."""

    def __init__(
        self,
        idf: FloatArray,
        word_matrix: sparse.csr_matrix,
        meaning_vectors: FloatArray | None,
        labels: npt.NDArray[np.bool_],
        excerpts: Sequence[str],
    ) -> None:
        self.idf = idf
        self.word_matrix = word_matrix
        self.meaning_vectors = meaning_vectors
        self.labels = labels.astype(np.float32)
        self.excerpts = list(excerpts)

    # ------------------------------------------------------------------ building and loading
    @classmethod
    def build(
        cls,
        entries_per_text: Sequence[Sequence[int]],
        vocabulary_size: int,
        labels: npt.NDArray[np.bool_],
        meaning_vectors: FloatArray | None,
        texts: Sequence[str],
    ) -> SnippetMemory:
        """The memory of ``texts`` (their topical lexicon entries and goal labels, one row per text)."""
        idf = inverse_document_frequency(entries_per_text, vocabulary_size)
        rows = [tf_idf_row(entries, idf) for entries in entries_per_text]
        word_matrix = sparse.vstack(rows, format="csr", dtype=np.float32)
        return cls(idf, word_matrix, meaning_vectors, labels, [excerpt(text) for text in texts])

    def save(self, data_dir: Path) -> None:
        matrix = self.word_matrix
        arrays: dict[str, npt.NDArray[np.generic]] = {
            "idf": self.idf.astype(np.float16),
            "word_data": matrix.data.astype(np.float16),
            "word_indices": matrix.indices.astype(np.int32),
            "word_indptr": matrix.indptr.astype(np.int32),
            "word_shape": np.array(matrix.shape, dtype=np.int64),
            "labels": self.labels.astype(bool),
        }
        if self.meaning_vectors is not None:
            arrays["meaning_vectors"] = self.meaning_vectors.astype(np.float16)
        np.savez_compressed(data_dir / SNIPPETS_FILE, **arrays)  # type: ignore[arg-type]
        (data_dir / SNIPPET_EXCERPTS_FILE).write_text(
            json.dumps(self.excerpts, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, data_dir: Path) -> SnippetMemory | None:
        path = data_dir / SNIPPETS_FILE
        if not path.exists():
            return None
        with np.load(path) as arrays:
            matrix = sparse.csr_matrix(
                (arrays["word_data"].astype(np.float32), arrays["word_indices"], arrays["word_indptr"]),
                shape=tuple(int(value) for value in arrays["word_shape"]),
            )
            meaning = (
                arrays["meaning_vectors"].astype(np.float32) if "meaning_vectors" in arrays.files else None
            )
            labels = arrays["labels"]
            idf = arrays["idf"].astype(np.float32)
        excerpts = json.loads((data_dir / SNIPPET_EXCERPTS_FILE).read_text(encoding="utf-8"))
        return cls(idf, matrix, meaning, labels, excerpts)

    # ------------------------------------------------------------------ votes
    def word_votes(self, entries: Sequence[int]) -> NeighbourVotes:
        # The text's row dense: a sparse matrix times a dense vector is a sixth of the cost of sparse times
        # sparse (scipy sizes and builds a sparse result first).
        columns, weights = tf_idf_weights(entries, self.idf)
        row = np.zeros(self.word_matrix.shape[1], dtype=np.float32)
        row[columns] = weights
        similarities = np.asarray(self.word_matrix @ row, np.float32)
        return self._votes(similarities, WORD_TEMPERATURE)

    def meaning_votes(self, vector: FloatArray) -> NeighbourVotes | None:
        if self.meaning_vectors is None:
            return None
        return self._votes(self.meaning_vectors @ vector, MEANING_TEMPERATURE)

    def _votes(self, similarities: FloatArray, temperature: float) -> NeighbourVotes:
        similarities = np.where(similarities >= SAME_TEXT, -np.inf, similarities)
        count = min(NEIGHBOURS, len(similarities))
        nearest = np.argpartition(-similarities, count - 1)[:count]
        nearest = nearest[np.argsort(-similarities[nearest])]
        if not np.isfinite(similarities[nearest[0]]) or similarities[nearest[0]] <= 0:
            goals = self.labels.shape[1]
            return NeighbourVotes(np.zeros(goals, np.float32), np.full(goals, -1, np.intp))
        # A skipped snippet (-inf) among the nearest weighs exp(-inf) = 0.
        weights = np.exp((similarities[nearest] - similarities[nearest[0]]) / temperature)
        weights /= weights.sum()
        neighbour_labels = self.labels[nearest]
        votes = np.asarray(weights @ neighbour_labels, np.float32)
        # The nearest neighbour that addresses each goal (its row), for the evidence.
        first = np.where(neighbour_labels.any(axis=0), neighbour_labels.argmax(axis=0), -1)
        example = np.where(first >= 0, nearest[np.maximum(first, 0)], -1).astype(np.intp)
        return NeighbourVotes(votes, example)


def inverse_document_frequency(entries_per_text: Sequence[Sequence[int]], vocabulary_size: int) -> FloatArray:
    """Per lexicon entry, the smoothed log inverse of the share of texts that hold it."""
    document_frequency = np.zeros(vocabulary_size, dtype=np.float64)
    for entries in entries_per_text:
        document_frequency[list(set(entries))] += 1
    return np.asarray(np.log((1 + len(entries_per_text)) / (1 + document_frequency)) + 1.0, np.float32)


def tf_idf_row(entries: Sequence[int], idf: FloatArray) -> sparse.csr_matrix:
    """The unit-length tf-idf row of a text's topical lexicon entries (log-scaled counts)."""
    columns, weights = tf_idf_weights(entries, idf)
    return sparse.csr_matrix(
        (weights, (np.zeros(len(columns), dtype=np.int64), columns)), shape=(1, len(idf))
    )


def tf_idf_weights(entries: Sequence[int], idf: FloatArray) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """The same row as its distinct entries (sorted) and their weights: a sparse row without scipy's cost
    of building one, for a product with a few rows of a dense matrix."""
    if not entries:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    columns, counts = np.unique(np.asarray(entries, dtype=np.int64), return_counts=True)
    weights = (1.0 + np.log(counts)) * idf[columns]
    weights /= max(float(np.linalg.norm(weights)), 1e-12)
    return columns, weights.astype(np.float32)


def excerpt(text: str) -> str:
    """The first words of a snippet, enough to recognise it in the evidence."""
    words = text.split()
    if len(words) <= 1:  # Chinese: no spaces
        return text[: EXCERPT_WORDS * 2] + ("…" if len(text) > EXCERPT_WORDS * 2 else "")
    return " ".join(words[:EXCERPT_WORDS]) + ("…" if len(words) > EXCERPT_WORDS else "")
