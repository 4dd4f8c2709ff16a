"""Word vectors trained on a corpus's tokens (gensim Word2Vec), and mean vectors of token lists.

A dense block for classifiers: the mean vector of a paragraph's tokens carries what its words have in common
with the corpus's other words, which the sparse TF-IDF blocks cannot. Training is seeded and single-threaded,
so the same tokens give the same vectors.

Example:
    >>> kv = train_word_vectors([["数字", "政府"], ["数字", "经济"]] * 20, vector_size=8, min_count=1)
    >>> mean_vectors([["数字", "政府"], ["未知词"]], kv).shape
    (2, 8)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np


def train_word_vectors(token_lists: Iterable[Sequence[str]], *, vector_size: int = 100, window: int = 5,
                       min_count: int = 3, epochs: int = 5, seed: int = 0) -> Any:
    """gensim ``KeyedVectors`` of a Word2Vec (skip-gram) model trained on ``token_lists``, seeded and
    single-threaded (``workers=1``) so runs are reproducible.

    Example:
        >>> train_word_vectors([["数字", "政府"]] * 10, vector_size=4, min_count=1).vector_size
        4
    """
    from gensim.models import Word2Vec

    if isinstance(token_lists, str):
        raise TypeError("token_lists is a single str; pass token lists, e.g. Tokenizer().tokenize_many(texts)")
    sentences = [list(tokens) for tokens in token_lists]
    if not any(sentences):
        raise ValueError("token_lists has no tokens; pass tokenized texts (Tokenizer().tokenize_many(texts))")
    model = Word2Vec(sentences, vector_size=vector_size, window=window, min_count=min_count, epochs=epochs,
                     sg=1, workers=1, seed=seed)
    return model.wv


def mean_vectors(token_lists: Iterable[Sequence[str]], vectors: Any) -> np.ndarray:
    """The mean vector of each token list's known tokens (zeros when none is known); one row per list."""
    if isinstance(token_lists, str):
        raise TypeError("token_lists is a single str; pass token lists, e.g. Tokenizer().tokenize_many(texts)")
    rows = []
    for tokens in token_lists:
        known = [t for t in tokens if t in vectors.key_to_index]
        rows.append(np.mean([vectors[t] for t in known], axis=0) if known else np.zeros(vectors.vector_size))
    return np.asarray(rows, dtype=np.float64).reshape(-1, vectors.vector_size)
