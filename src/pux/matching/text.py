"""Text vectors for the fit's text-similarity component.

The fit compares a need and a programme by meaning, across languages, with the multilingual static word
vectors the SDG tagger ships (distilled from multilingual-e5-small: a French need and an English programme
about the same thing come out close). They go through the one ``Embedder`` interface of
``pux.sdg_tagging.embedder``. A record's vector is computed once per version of the record and kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from pux.sdg_tagging.embedder import Embedder, FloatArray
from pux.sdg_tagging.lexicon import WordLexicon

# Enough for every need and programme at the mission's scale, several versions over.
MAX_CACHED_VECTORS = 60_000


class LexiconEmbedder:
    """The Embedder of the SDG tagger's static multilingual word vectors (about half a millisecond a
    text, no model call)."""

    def __init__(self, lexicon: WordLexicon) -> None:
        self._lexicon = lexicon

    @property
    def dim(self) -> int:
        return self._lexicon.dim

    def embed_queries(self, texts: Sequence[str]) -> FloatArray:
        return self._lexicon.text_vectors(texts)

    def embed_passages(self, texts: Sequence[str]) -> FloatArray:
        return self._lexicon.text_vectors(texts)


def shipped_embedder() -> Embedder:
    """The multilingual embedder the SDG tagger ships (loaded once per process, with the tagger)."""
    from pux.sdg_tagging.engine import get_tagger

    return LexiconEmbedder(get_tagger().data.lexicon)


class VectorCache:
    """Vectors of records by (kind, id, version): a record's text is embedded again only when it
    changed. Safe to share between threads; the oldest entries go first when it is full."""

    def __init__(self, capacity: int = MAX_CACHED_VECTORS) -> None:
        self._capacity = capacity
        self._vectors: OrderedDict[tuple[str, int, int], FloatArray] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, embedder: Embedder, kind: str, records: Sequence[tuple[int, int, str]]) -> FloatArray:
        """Unit vectors of ``records`` given as (id, version, text), in their order."""
        keys = [(kind, record_id, version) for record_id, version, _text in records]
        with self._lock:
            missing = [i for i, key in enumerate(keys) if key not in self._vectors]
        if missing:
            fresh = embedder.embed_passages([records[i][2] for i in missing])
            with self._lock:
                for row, i in enumerate(missing):
                    self._vectors[keys[i]] = fresh[row]
                while len(self._vectors) > self._capacity:
                    self._vectors.popitem(last=False)
        with self._lock:
            found = [self._vectors.get(key) for key in keys]
        if any(vector is None for vector in found):  # evicted meanwhile: embed those again
            return embedder.embed_passages([text for _id, _version, text in records])
        if not found:
            return np.zeros((0, embedder.dim), dtype=np.float32)
        return np.stack([vector for vector in found if vector is not None])


VECTORS = VectorCache()
