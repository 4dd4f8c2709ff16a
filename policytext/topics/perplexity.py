"""Topic shares and perplexity of a fitted topic model, computed for all documents at once.

gensim's ``LdaModel.inference`` and ``LdaModel.log_perplexity`` infer each document's topic shares one document at a time and sums
``log Σ_k exp(E[log θ_dk] + E[log β_kw])`` word by word in Python, which costs as much as a pass of training. Here
the same fixed-point iteration runs for every document together on the sparse document-term counts: each document
starts from the same point (γ = 1, as :class:`~policytext.topics.model.TopicModel` infers), is updated until the
mean absolute change of γ falls below ``gamma_threshold`` or ``iterations`` updates are made, and then stops, as
in gensim. The perplexity bound adds the same terms as ``LdaModel.bound``. Shares and bound equal gensim's to
rounding (about 1e-12, tested).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import gammaln, psi

# Non-zero document-term counts × topics held in memory at once (float64): about 64 MB.
BLOCK = 8_000_000


def log_perplexity(topic_word_counts: np.ndarray, alpha: np.ndarray, eta: np.ndarray,
                   bows: Sequence[Sequence[tuple[int, int]]], iterations: int = 50,
                   gamma_threshold: float = 0.001) -> float:
    """Per-word variational bound of non-empty bags of words ``bows`` (perplexity is ``2 ** -bound``).

    ``topic_word_counts`` (K × V) are the variational topic-word statistics (λ − η), ``alpha`` (K) and ``eta``
    (V) the priors, as a :class:`~policytext.TopicModel` stores them.

    Example:
        >>> counts = np.array([[5.0, 1.0, 0.0], [0.0, 1.0, 5.0]])
        >>> bound = log_perplexity(counts, np.full(2, 0.5), np.full(3, 0.1), [[(0, 2), (1, 1)], [(2, 3)]])
        >>> bool(2 ** -bound > 1)
        True
    """
    lam = np.asarray(eta, dtype=np.float64) + np.asarray(topic_word_counts, dtype=np.float64)
    alpha = np.asarray(alpha, dtype=np.float64)
    elog_beta = psi(lam) - psi(lam.sum(axis=1))[:, None]
    exp_elog_beta = np.exp(elog_beta)
    k = lam.shape[0]
    score, words = 0.0, 0.0
    for block in _blocks(bows, k):
        rows, cols, counts, starts = _flatten(block)
        gamma = _infer(exp_elog_beta, alpha, rows, cols, counts, starts, len(block), iterations, gamma_threshold)
        elog_theta = psi(gamma) - psi(gamma.sum(axis=1))[:, None]
        x = elog_theta[rows] + elog_beta[:, cols].T  # (nnz, K)
        top = x.max(axis=1)
        score += float(np.sum(counts * (top + np.log(np.exp(x - top[:, None]).sum(axis=1)))))
        score += float(np.sum((alpha - gamma) * elog_theta))
        score += float(np.sum(gammaln(gamma) - gammaln(alpha)))
        score += float(np.sum(gammaln(alpha.sum()) - gammaln(gamma.sum(axis=1))))
        words += float(counts.sum())
    eta = np.asarray(eta, dtype=np.float64)
    score += float(np.sum((eta - lam) * elog_beta))
    score += float(np.sum(gammaln(lam) - gammaln(eta)))
    score += float(np.sum(gammaln(eta.sum()) - gammaln(lam.sum(axis=1))))
    return score / words


def infer_gamma(topic_word_counts: np.ndarray, alpha: np.ndarray, eta: np.ndarray,
                bows: Sequence[Sequence[tuple[int, int]]], iterations: int = 50,
                gamma_threshold: float = 0.001) -> np.ndarray:
    """Variational Dirichlet parameters γ (documents × K) of non-empty ``bows``: gensim's ``LdaModel.inference``
    from γ = 1 for every document, run for all documents together. Normalised rows are the topic shares.

    Example:
        >>> counts = np.array([[5.0, 1.0, 0.0], [0.0, 1.0, 5.0]])
        >>> gamma = infer_gamma(counts, np.full(2, 0.5), np.full(3, 0.1), [[(0, 3)], [(2, 3)]])
        >>> (gamma / gamma.sum(axis=1, keepdims=True)).round(1).tolist()
        [[0.8, 0.2], [0.2, 0.8]]
    """
    lam = np.asarray(eta, dtype=np.float64) + np.asarray(topic_word_counts, dtype=np.float64)
    exp_elog_beta = np.exp(psi(lam) - psi(lam.sum(axis=1))[:, None])
    alpha = np.asarray(alpha, dtype=np.float64)
    parts = []
    for block in _blocks(bows, lam.shape[0]):
        rows, cols, counts, starts = _flatten(block)
        parts.append(_infer(exp_elog_beta, alpha, rows, cols, counts, starts, len(block), iterations,
                            gamma_threshold))
    return np.concatenate(parts) if parts else np.zeros((0, lam.shape[0]))


def _infer(exp_elog_beta: np.ndarray, alpha: np.ndarray, rows: np.ndarray, cols: np.ndarray, counts: np.ndarray,
           starts: np.ndarray, n_docs: int, iterations: int, threshold: float) -> np.ndarray:
    """γ of every document after gensim's per-document fixed-point iteration, run for all documents together."""
    eps = np.finfo(np.float64).eps
    k = exp_elog_beta.shape[0]
    gamma = np.ones((n_docs, k))
    exp_elog_theta = np.exp(psi(gamma) - psi(gamma.sum(axis=1))[:, None])
    # The documents still iterating, with their words; compacted when half of them have converged, so finished
    # documents stop costing work without copying the arrays on every iteration.
    docs, beta, local_rows, weights = np.arange(n_docs), exp_elog_beta[:, cols].T, rows, counts
    local_starts = starts
    running = np.ones(n_docs, dtype=bool)
    for _ in range(iterations):
        theta = exp_elog_theta[docs]
        phinorm = np.einsum("nk,nk->n", theta[local_rows], beta) + eps
        new = alpha + theta * np.add.reduceat(beta * (weights / phinorm)[:, None], local_starts, axis=0)
        change = np.mean(np.abs(new - gamma[docs]), axis=1)
        update = running[docs]
        gamma[docs[update]] = new[update]
        exp_elog_theta[docs[update]] = np.exp(psi(new[update]) - psi(new[update].sum(axis=1))[:, None])
        running[docs[update & (change < threshold)]] = False
        still = running[docs]
        if not still.any():
            break
        if still.sum() * 2 < docs.size:
            keep = still[local_rows]
            docs = docs[still]
            beta, weights = beta[keep], weights[keep]
            lengths = np.bincount(local_rows[keep])
            lengths = lengths[lengths > 0]
            local_rows = np.repeat(np.arange(docs.size), lengths)
            local_starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return gamma


def _flatten(bows: Sequence[Sequence[tuple[int, int]]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    lengths = np.fromiter((len(b) for b in bows), dtype=np.int64, count=len(bows))
    if (lengths == 0).any():
        raise ValueError("log_perplexity needs non-empty bags of words; drop the empty documents first")
    cols = np.fromiter((i for b in bows for i, _ in b), dtype=np.int64, count=int(lengths.sum()))
    counts = np.fromiter((c for b in bows for _, c in b), dtype=np.float64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(bows)), lengths)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return rows, cols, counts, starts


def _blocks(bows: Sequence[Sequence[tuple[int, int]]], k: int) -> list[Sequence[Sequence[tuple[int, int]]]]:
    out, start, size = [], 0, 0
    for i, bow in enumerate(bows):
        size += len(bow) * k
        if size > BLOCK and i > start:
            out.append(bows[start:i])
            start, size = i, len(bow) * k
    out.append(bows[start:])
    return [b for b in out if len(b)]
