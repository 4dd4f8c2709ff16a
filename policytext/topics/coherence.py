"""Topic coherence: how often a topic's top terms occur together in the texts (c_v, c_npmi, c_uci, u_mass).

One pass over the texts counts windows and documents for the union of every candidate model's top terms
(:mod:`policytext.topics.cooccurrence`); every topic of every model is then scored from those counts with
vectorised numpy, so scoring a grid of models costs about as much as scoring one.

The values are gensim's ``CoherenceModel`` values (to 1e-6, tested against gensim 4.4): the same sliding windows
(c_v 110 tokens, c_npmi and c_uci 10), the same segmentations (c_v ``s_one_set``, c_npmi and c_uci ``s_one_one``,
u_mass ``s_one_pre``), the same ε = 1e-12, the indirect cosine confirmation of c_v over NPMI context vectors, and
the arithmetic mean over segments and over topics.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from policytext.topics.cooccurrence import Counts, EncodedTexts, document_counts, window_counts

MEASURES = ("c_v", "u_mass")
WINDOWS = {"c_v": 110, "c_npmi": 10, "c_uci": 10}
ALL_MEASURES = ("c_v", "c_npmi", "c_uci", "u_mass")
EPSILON = 1e-12  # gensim's (and Röder et al.'s) smoothing of co-occurrence probabilities


def coherence(topics: Any, texts: Sequence[Sequence[str]], measure: str = "c_v", topn: int = 10, *,
              window_size: int | None = None) -> np.ndarray:
    """Coherence of each topic, as gensim's ``CoherenceModel`` computes it, from one pass over ``texts``.

    ``topics`` is a fitted :class:`~policytext.TopicModel` (its ``topn`` most probable terms; ``texts`` get its
    phrases merged) or a list of term lists (each cut to its first ``topn`` terms). ``texts`` are token lists.
    ``measure`` is ``"c_v"``, ``"c_npmi"``, ``"c_uci"`` or ``"u_mass"``; ``window_size`` overrides the sliding
    window (c_v 110, c_npmi and c_uci 10). Terms that never occur in ``texts`` are left out of their topic, as
    gensim does with a dictionary built from ``texts``. Returns one value per topic; their mean is the model's.

    Example:
        >>> texts = [["数据", "共享", "开放"], ["政务", "服务", "办理"], ["数据", "共享", "平台"], ["政务", "数据", "服务"]]
        >>> coherence([["数据", "共享"], ["政务", "服务"]], texts, measure="c_npmi").round(3).tolist()
        [0.415, 1.0]
    """
    if measure not in ALL_MEASURES:
        raise ValueError(f"measure must be one of {ALL_MEASURES}, not {measure!r}")
    if not isinstance(topn, (int, np.integer)) or isinstance(topn, bool) or topn < 1:
        raise ValueError(f"topn must be a positive int, not {topn!r}")
    texts = _check_texts(texts)
    if hasattr(topics, "top_terms") and hasattr(topics, "phrase_pairs_"):
        from policytext.topics.inputs import merge_phrases

        table = topics.top_terms(int(topn))
        term_lists = table.groupby("topic", sort=True)["term"].apply(list).tolist()
        texts = merge_phrases(texts, set(map(tuple, topics.phrase_pairs_)))
    else:
        term_lists = [list(t)[: int(topn)] for t in _check_topics(topics)]
    return topic_coherences([term_lists], texts, [measure], window_size=window_size)[0][measure]


def coherence_scores(models_topics: Sequence[Sequence[Sequence[str]]], texts: Sequence[Sequence[str]],
                     dictionary: Any, measures: Iterable[str] = MEASURES) -> list[dict[str, float]]:
    """Mean coherence of each model's topics (lists of top terms), co-occurrences counted once for all models.

    ``dictionary`` (a gensim ``Dictionary``) plays the part it plays in gensim: top terms outside it are left out;
    terms in it that never occur in ``texts`` count zero times (which makes c_v undefined for their topic).

    Example:
        >>> from gensim.corpora import Dictionary
        >>> texts = [["数据", "共享"], ["政务", "服务"], ["数据", "共享", "开放"]]
        >>> coherence_scores([[["数据", "共享"], ["政务", "服务"]]], texts, Dictionary(texts), ["u_mass"])[0].keys()
        dict_keys(['u_mass'])
    """
    measures = list(measures)
    per_topic = topic_coherences(models_topics, texts, measures, vocabulary=dictionary.token2id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return [{m: float(np.mean(scores[m])) for m in measures} for scores in per_topic]


def topic_coherences(models_topics: Sequence[Sequence[Sequence[str]]], texts: Sequence[Sequence[str]],
                     measures: Iterable[str], *, vocabulary: Any = None,
                     window_size: int | None = None) -> list[dict[str, np.ndarray]]:
    """Per-topic coherence of several models (lists of topics, each a list of terms) from one set of counts.

    ``vocabulary`` (a container of terms, e.g. a dictionary's ``token2id``) decides which terms a topic keeps; by
    default, the terms that occur in ``texts``. Returns, per model, ``{measure: array of one value per topic}``.

    Example:
        >>> texts = [["a", "b"], ["a", "c"], ["b", "c"]]
        >>> topic_coherences([[["a", "b"]], [["a", "c"], ["b", "c"]]], texts, ["u_mass"])[1]["u_mass"].shape
        (2,)
    """
    measures = list(dict.fromkeys(measures))
    bad = [m for m in measures if m not in ALL_MEASURES]
    if bad:
        raise ValueError(f"unknown coherence measure(s) {bad}; choose from {ALL_MEASURES}")
    terms = list(dict.fromkeys(t for topics in models_topics for topic in topics for t in topic))
    encoded = EncodedTexts(texts, terms)
    if vocabulary is None:
        present = np.bincount(encoded.word, minlength=len(terms)) > 0
        known = {t for t, p in zip(terms, present) if p}
    else:
        known = {t for t in terms if t in vocabulary}
    index = {t: i for i, t in enumerate(terms)}
    coded = [[_codes(topic, known, index, m, t) for t, topic in enumerate(topics)]
             for m, topics in enumerate(models_topics)]
    counts: dict[Any, Counts] = {}
    for m in measures:
        size = "documents" if m == "u_mass" else int(WINDOWS[m] if window_size is None else window_size)
        if size not in counts:
            counts[size] = document_counts(encoded) if size == "documents" else window_counts(encoded, size)
    out: list[dict[str, np.ndarray]] = [{} for _ in models_topics]
    flat = [topic for topics in coded for topic in topics]
    owner = np.repeat(np.arange(len(coded)), [len(t) for t in coded])
    for m in measures:
        size = "documents" if m == "u_mass" else int(WINDOWS[m] if window_size is None else window_size)
        values = _score(flat, counts[size], m)
        for i in range(len(coded)):
            out[i][m] = values[owner == i]
    return out


def _score(topics: list[np.ndarray], counts: Counts, measure: str) -> np.ndarray:
    """One measure for every topic; topics of equal length are scored together as one array."""
    values = np.full(len(topics), np.nan)
    by_length: dict[int, list[int]] = {}
    for i, topic in enumerate(topics):
        by_length.setdefault(len(topic), []).append(i)
    scorer = {"c_v": _c_v, "c_npmi": _c_npmi, "c_uci": _c_uci, "u_mass": _u_mass}[measure]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # Terms never seen (kept by a dictionary) give inf/nan, as in gensim; a one-term topic has no pairs.
        warnings.simplefilter("ignore", RuntimeWarning)
        for members in by_length.values():
            values[members] = scorer(np.stack([topics[i] for i in members]), counts)
    return values


def _pairs(idx: np.ndarray, counts: Counts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts of every ordered pair of positions of each topic: co (T, n, n), first term (T, n, 1), second (T, 1, n)."""
    rows = np.broadcast_to(idx[:, :, None], idx.shape + idx.shape[1:])
    cols = np.broadcast_to(idx[:, None, :], rows.shape)
    co = counts.pair_counts(np.ascontiguousarray(rows), np.ascontiguousarray(cols)).astype(np.float64)
    occ = counts.occurrences.astype(np.float64)
    return co, occ[idx][:, :, None], occ[idx][:, None, :]


def _log_ratio(co: np.ndarray, first: np.ndarray, second: np.ndarray, n: float) -> np.ndarray:
    # Written in gensim's order of operations, so the floating-point results agree.
    return np.log(((co / n) + EPSILON) / ((first / n) * (second / n)))


def _npmi(co: np.ndarray, first: np.ndarray, second: np.ndarray, n: float) -> np.ndarray:
    return _log_ratio(co, first, second, n) / (-np.log(co / n + EPSILON))


def _off_diagonal_mean(values: np.ndarray) -> np.ndarray:
    n = values.shape[1]
    mask = ~np.eye(n, dtype=bool)
    return values[:, mask].mean(axis=1) if n > 1 else np.full(values.shape[0], np.nan)


def _c_uci(idx: np.ndarray, counts: Counts) -> np.ndarray:
    co, first, second = _pairs(idx, counts)
    return _off_diagonal_mean(_log_ratio(co, first, second, float(counts.n_windows)))


def _c_npmi(idx: np.ndarray, counts: Counts) -> np.ndarray:
    co, first, second = _pairs(idx, counts)
    return _off_diagonal_mean(_npmi(co, first, second, float(counts.n_windows)))


def _u_mass(idx: np.ndarray, counts: Counts) -> np.ndarray:
    """s_one_pre: each term against every term ranked above it, log((P(w', w*) + ε) / P(w*))."""
    co, _, second = _pairs(idx, counts)
    n_docs = float(counts.n_windows)
    second = np.broadcast_to(second, co.shape)
    # gensim catches the ZeroDivisionError of a term with no documents and scores the pair 0.
    m = np.where(second > 0, np.log(((co / n_docs) + EPSILON) / (second / n_docs)), 0.0)
    n = idx.shape[1]
    below = np.tril(np.ones((n, n), dtype=bool), k=-1)
    return m[:, below].mean(axis=1) if n > 1 else np.full(idx.shape[0], np.nan)


def _c_v(idx: np.ndarray, counts: Counts) -> np.ndarray:
    """s_one_set with the indirect cosine measure: each term's NPMI context vector against the topic's.

    Context vectors have one coordinate per distinct term of the topic; a repeated term adds its NPMI once per
    repetition (gensim adds into the same coordinate), so positions are folded onto their first occurrence.
    """
    co, first, second = _pairs(idx, counts)
    npmi = _npmi(co, first, second, float(counts.n_windows))
    same = idx[:, :, None] == idx[:, None, :]
    fold = (np.argmax(same, axis=2)[:, :, None] == np.arange(idx.shape[1])[None, None, :]).astype(np.float64)
    single = npmi @ fold  # (T, n, n): context vector of each term, over distinct terms
    whole = npmi.sum(axis=1, keepdims=True) @ fold  # (T, 1, n): context vector of the whole topic
    dot = (single * whole).sum(axis=2)
    cos = dot / (np.sqrt((single ** 2).sum(axis=2)) * np.sqrt((whole ** 2).sum(axis=2)))
    return cos.mean(axis=1)


def _codes(topic: Sequence[str], known: set[str], index: dict[str, int], model: int, number: int) -> np.ndarray:
    codes = [index[t] for t in topic if t in known]
    if not codes:
        raise ValueError(f"topic {number} of model {model} ({list(topic)[:5]}) has no term that occurs in the texts "
                         "(or the dictionary); score it on texts that contain its terms or drop it")
    return np.asarray(codes, dtype=np.int64)


def _check_texts(texts: Any) -> list[Sequence[str]]:
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be a list of token lists, not a single str; tokenize first, e.g. "
                        "Tokenizer().tokenize_many(texts)")
    texts = list(texts)
    for i, text in enumerate(texts):
        if isinstance(text, (str, bytes)):
            raise TypeError(f"texts[{i}] is a str, but coherence needs token lists; tokenize first, e.g. "
                            "Tokenizer().tokenize_many(texts)")
    return texts


def _check_topics(topics: Any) -> list[list[str]]:
    if isinstance(topics, (str, bytes)) or not isinstance(topics, Iterable):
        raise TypeError("topics must be a fitted TopicModel or a list of term lists, e.g. [['数据', '共享'], ...]")
    topics = [t for t in topics]
    if not topics:
        raise ValueError("topics is empty; give a fitted TopicModel or at least one list of terms")
    for i, topic in enumerate(topics):
        if isinstance(topic, (str, bytes)):
            raise TypeError(f"topics[{i}] is a str; each topic must be a list of terms, e.g. ['数据', '共享']")
        if len(list(topic)) == 0:
            raise ValueError(f"topics[{i}] is empty; each topic needs at least one term")
    return [list(t) for t in topics]
