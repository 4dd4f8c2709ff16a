"""Occurrence and co-occurrence counts of a set of terms, over sliding windows or whole documents.

The counts are the probability estimates behind topic coherence: one pass turns the texts into term codes, and
each window size is then counted with vectorised numpy/scipy as a sparse ``terms × terms`` matrix (only the terms
asked for: the union of the candidate models' top terms, never the vocabulary).

The sliding window reproduces gensim's boolean sliding window (``WordOccurrenceAccumulator``) exactly, including
two of its habits that change the numbers:

- a text no longer than the window is one window; an empty text still counts as one (empty) window;
- the window's set of words is updated incrementally: when a token leaves the window its word is unmarked even if
  the word occurs again further on in the window, and it is marked again only when a later occurrence enters at
  the right edge. Reading gensim 4.4 ``_slide_window``: windows ``t`` of a text, occurrence ``p`` of word ``v``
  marks it from window ``max(0, p - w + 1)`` up to the first window after which an occurrence of ``v`` at or after
  that start has left.

So for each occurrence the marked windows form one interval, and a word's windows are the union of its intervals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np
from scipy import sparse

# Window rows expanded at once; bounds the memory of one block (int32 rows + cols, about 8 bytes an entry).
BLOCK_ENTRIES = 4_000_000


@dataclass
class Counts:
    """How many windows (or documents) hold each term, and each pair of terms, out of ``n_windows``.

    ``occurrences[i]`` is the count of ``terms[i]``; ``pairs`` is a sparse symmetric matrix whose diagonal equals
    ``occurrences`` (as gensim's accumulator returns for a term paired with itself).
    """

    terms: list[str]
    occurrences: np.ndarray
    pairs: sparse.csr_matrix
    n_windows: int

    def pair_counts(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Co-occurrence counts of the term pairs ``(rows[i], cols[i])`` (indices into ``terms``)."""
        if rows.size == 0:
            return np.zeros(0)
        return np.asarray(self.pairs[rows.ravel(), cols.ravel()]).ravel().reshape(rows.shape)


class EncodedTexts:
    """Texts as one array of term codes (-1 for tokens outside ``terms``) with the text lengths.

    Example:
        >>> enc = EncodedTexts([["数据", "共享", "数据"], []], ["数据"])
        >>> enc.codes.tolist(), enc.lengths.tolist()
        ([0, -1, 0], [3, 0])
    """

    def __init__(self, texts: Sequence[Sequence[str]], terms: Sequence[str]) -> None:
        self.terms = list(terms)
        self.lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        index = {t: i for i, t in enumerate(self.terms)}
        # The one pass over the texts: a dict lookup per token, run by map in C.
        self.codes = np.fromiter(map(index.get, chain.from_iterable(texts), repeat(-1)), dtype=np.int64,
                                 count=int(self.lengths.sum()))
        starts = np.concatenate([[0], np.cumsum(self.lengths)[:-1]]) if len(texts) else np.zeros(0, np.int64)
        where = np.flatnonzero(self.codes >= 0)
        self.doc = np.repeat(np.arange(len(texts)), self.lengths)[where]
        self.word = self.codes[where]
        self.position = where - starts[self.doc]
        # Occurrences sorted by text, then term, then position: each (text, term) group is contiguous.
        order = np.lexsort((self.position, self.word, self.doc))
        self.doc, self.word, self.position = self.doc[order], self.word[order], self.position[order]


def document_counts(encoded: EncodedTexts) -> Counts:
    """Counts over whole texts: in how many texts each term, and each pair of terms, occurs (u_mass).

    Example:
        >>> c = document_counts(EncodedTexts([["a", "b"], ["a"], []], ["a", "b"]))
        >>> c.occurrences.tolist(), c.pair_counts(np.array([0]), np.array([1])).tolist(), c.n_windows
        ([2, 1], [1], 3)
    """
    n_terms, n_docs = len(encoded.terms), len(encoded.lengths)
    presence = sparse.csr_matrix((np.ones(len(encoded.doc), dtype=np.int64), (encoded.doc, encoded.word)),
                                 shape=(n_docs, n_terms))
    presence.sum_duplicates()
    presence.data[:] = 1
    return _from_rows([presence], encoded.terms, n_docs)


def window_counts(encoded: EncodedTexts, window: int) -> Counts:
    """Counts over gensim's boolean sliding windows of ``window`` tokens (see the module docstring).

    Example:
        >>> c = window_counts(EncodedTexts([["a", "x", "b", "x"]], ["a", "b"]), 2)
        >>> c.occurrences.tolist(), c.pair_counts(np.array([0]), np.array([1])).tolist(), c.n_windows
        ([1, 2], [0], 3)
    """
    if int(window) < 1:
        raise ValueError(f"window_size must be a positive number of tokens, not {window!r}")
    w, n_terms = int(window), len(encoded.terms)
    per_doc = np.maximum(1, encoded.lengths - w + 1)  # a short (or empty) text is one window
    offsets = np.concatenate([[0], np.cumsum(per_doc)[:-1]]) if len(per_doc) else np.zeros(0, np.int64)
    doc, word, pos = encoded.doc, encoded.word, encoded.position
    start = np.maximum(0, pos - w + 1)
    # The first occurrence of the same term in the same text at or after `start`: its leaving unmarks the term.
    group = np.concatenate([[0], np.cumsum((doc[1:] != doc[:-1]) | (word[1:] != word[:-1]))]) if doc.size else doc
    span = int(encoded.lengths.max()) + 1 if encoded.lengths.size else 1
    key = group * span + pos
    first = np.searchsorted(key, group * span + start)
    end = np.minimum(pos[first], per_doc[doc] - 1)
    # Within a group starts and ends both increase, so clipping each start past the previous end leaves disjoint
    # intervals whose union is the term's marked windows.
    if doc.size:
        previous_end = np.concatenate([[-1], end[:-1]])
        same = np.concatenate([[False], group[1:] == group[:-1]])
        start = np.where(same, np.maximum(start, previous_end + 1), start)
    keep = start <= end
    doc, word, start, end = doc[keep], word[keep], start[keep], end[keep]
    rows = [_expand(doc[a:b], word[a:b], start[a:b] + offsets[doc[a:b]], end[a:b] + offsets[doc[a:b]], n_terms)
            for a, b in _blocks(doc, end - start + 1)]
    return _from_rows(rows, encoded.terms, int(per_doc.sum()))


def _blocks(doc: np.ndarray, lengths: np.ndarray) -> Iterable[tuple[int, int]]:
    """Slices of the (text-sorted) intervals, cut only between texts, each expanding to about BLOCK_ENTRIES."""
    if doc.size == 0:
        return [(0, 0)]
    total = np.cumsum(lengths)
    bounds, a = [], 0
    while a < doc.size:
        b = int(np.searchsorted(total, (total[a - 1] if a else 0) + BLOCK_ENTRIES, side="right"))
        b = max(b, a + 1)
        if b < doc.size:  # a text's windows must stay in one block, or the pairs within a window are split
            b = int(np.searchsorted(doc, doc[b - 1], side="right"))
        bounds.append((a, b))
        a = b
    return bounds


def _expand(doc: np.ndarray, word: np.ndarray, first: np.ndarray, last: np.ndarray, n_terms: int) -> sparse.csr_matrix:
    """A window × term 0/1 matrix from disjoint intervals [first, last] of global window numbers."""
    lengths = last - first + 1
    n = int(lengths.sum())
    if n == 0:
        return sparse.csr_matrix((0, n_terms), dtype=np.int64)
    base = np.repeat(first - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    rows = base + np.arange(n)
    low = int(rows.min())
    cols = np.repeat(word, lengths)
    return sparse.csr_matrix((np.ones(n, dtype=np.int64), (rows - low, cols)), shape=(int(rows.max()) - low + 1,
                                                                                      n_terms))


def _from_rows(blocks: list[sparse.csr_matrix], terms: list[str], n_windows: int) -> Counts:
    n_terms = len(terms)
    pairs = sparse.csr_matrix((n_terms, n_terms), dtype=np.int64)
    occurrences = np.zeros(n_terms, dtype=np.int64)
    for m in blocks:
        if m.shape[0]:
            pairs = pairs + (m.T @ m).tocsr()
            occurrences += np.asarray(m.sum(axis=0)).ravel()
    return Counts(list(terms), occurrences, pairs.tocsr(), n_windows)
