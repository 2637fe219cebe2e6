"""Sentence embedders: the shipped USE model and the dependency-free fallback."""

from __future__ import annotations

import numpy as np

from lantern.assistant._embed import HashingEmbedder, UseEmbedder


def test_use_is_multilingual() -> None:
    """USE puts a request and its translations closer than an unrelated sentence."""
    vectors = UseEmbedder().encode(
        ["help me order a milk tea", "帮我点一杯奶茶", "what is the weather like"]
    )
    assert vectors.shape == (3, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_hashing_fallback_is_stable_and_normalised() -> None:
    """The fallback gives the same unit vector for the same text, near ones for near texts."""
    embedder = HashingEmbedder(dim=512)
    a, b, c = embedder.encode(["order a coffee", "order a coffe", "wie ist das Wetter"])
    assert np.allclose(embedder.encode(["order a coffee"])[0], a)
    assert abs(float(a @ a) - 1.0) < 1e-5
    assert a @ b > a @ c
