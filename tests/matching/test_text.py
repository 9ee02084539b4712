"""The fit's text similarity reads meaning across languages, with the tagger's multilingual vectors."""

from __future__ import annotations

import numpy as np

from pux.matching.text import VectorCache, shipped_embedder
from pux.sdg_tagging.embedder import Embedder, FloatArray

PROGRAMME = "Grants for radiotherapy equipment and training of medical physicists in cancer hospitals"
SAME_IN_FRENCH = (
    "Équipement de radiothérapie pour soigner le cancer et former des physiciens médicaux à l'hôpital"
)
OTHER_IN_FRENCH = "Irrigation des cultures de riz et gestion des eaux souterraines dans les zones arides"


def test_a_french_need_is_closer_to_the_english_programme_on_the_same_subject() -> None:
    embedder = shipped_embedder()
    programme, same, other = embedder.embed_passages([PROGRAMME, SAME_IN_FRENCH, OTHER_IN_FRENCH])
    assert float(programme @ same) > float(programme @ other) + 0.1


class CountingEmbedder:
    """Wraps an embedder and counts the texts it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.texts = 0

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_queries(self, texts: list[str]) -> FloatArray:
        return self.embed_passages(texts)

    def embed_passages(self, texts: list[str]) -> FloatArray:
        self.texts += len(texts)
        return self.inner.embed_passages(texts)


def test_a_record_is_embedded_again_only_when_its_version_changes() -> None:
    counting = CountingEmbedder(shipped_embedder())
    cache = VectorCache()
    first = cache.vectors(counting, "need", [(1, 1, PROGRAMME), (2, 1, OTHER_IN_FRENCH)])
    again = cache.vectors(counting, "need", [(1, 1, PROGRAMME), (2, 1, OTHER_IN_FRENCH)])
    assert counting.texts == 2 and np.array_equal(first, again)
    edited = cache.vectors(counting, "need", [(1, 2, SAME_IN_FRENCH), (2, 1, OTHER_IN_FRENCH)])
    assert counting.texts == 3
    assert not np.allclose(edited[0], first[0]) and np.array_equal(edited[1], first[1])
