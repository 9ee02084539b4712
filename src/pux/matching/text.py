"""Text vectors for the fit's text-similarity component, behind a small Embedder interface.

The default is a deterministic hashing embedder (words and word pairs hashed into a fixed-size
vector): fast enough for 20,000 needs, no model to load. A multilingual model can plug in through
the same interface.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np

WORD = re.compile(r"\w+", re.UNICODE)
STOP_WORDS = frozenset(
    "the of and for in to a an with on by at from de la le les des et pour en el los".split()
)


class Embedder(Protocol):
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dimension) unit vectors."""


class HashingEmbedder:
    """Bag of words and word pairs, hashed; cosine similarity approximates shared vocabulary."""

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension

    def _bucket(self, token: str) -> int:
        return (
            int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "little") % self.dimension
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) > 2]
            for token in words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]:
                vectors[row, self._bucket(token)] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        normalised: np.ndarray = vectors / np.maximum(norms, 1e-9)
        return normalised
