"""The pieces :class:`~policytext.classify.estimator.PolicyClassifier` is built from: input checks, TF-IDF
blocks computed from stored vocabularies and idf weights, Platt calibration and per-label probability cuts.

They are plain functions of arrays, so a model rebuilt from its saved arrays computes exactly what it computed
when it was trained.

Example:
    >>> word_ngrams(["数字", "政府", "建设"], (1, 2))
    ['数字', '政府', '建设', '数字 政府', '政府 建设']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression


def check_texts(texts: Any, argument: str = "texts") -> tuple[list[str], pd.Index]:
    """The texts as a list of str and their index (a Series keeps its own); refuse a bare str, non-str items
    and empty texts, naming the positions.

    Example:
        >>> check_texts(["数字政府"])[0]
        ['数字政府']
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError(f"{argument} must be a list of texts, not a single {type(texts).__name__}; wrap it: [text]")
    if isinstance(texts, pd.DataFrame):
        raise TypeError(f"{argument} is a DataFrame; pass one column of texts, e.g. frame['text']")
    if isinstance(texts, pd.Series):
        values, index = texts.tolist(), texts.index
    else:
        try:
            values = list(texts)
        except TypeError:
            raise TypeError(f"{argument} must be an iterable of str, not {type(texts).__name__}") from None
        index = pd.RangeIndex(len(values))
    bad = [i for i, v in enumerate(values) if not isinstance(v, str)]
    if bad:
        raise TypeError(
            f"{argument}[{bad[0]}] is {type(values[bad[0]]).__name__}, not str ({len(bad)} such items); "
            "drop rows without text first, e.g. frame.dropna(subset=[text_column])"
        )
    empty = [i for i, v in enumerate(values) if not v.strip()]
    if empty:
        raise ValueError(
            f"{argument} has {len(empty)} empty text(s) at positions {empty[:10]}; drop them before training or "
            "predicting, e.g. frame[frame[text_column].str.strip() != '']"
        )
    return values, index


def normalize_text(text: str) -> str:
    """One line with single spaces: how every text is seen for features."""
    # Exported tables are full of tabs and runs of newlines; as features they only add noise.
    return " ".join(text.split())


def identity(tokens: list[str]) -> list[str]:
    """The analyzer of a CountVectorizer over texts that are already tokens."""
    return tokens


def word_ngrams(tokens: list[str], ngram_range: tuple[int, int]) -> list[str]:
    """The tokens and their n-grams (joined by a space) for n in ``ngram_range``."""
    low, high = ngram_range
    if (low, high) == (1, 1):
        return tokens
    out: list[str] = []
    for n in range(low, high + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


def tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf × idf, rows scaled to unit length (what TfidfVectorizer(sublinear_tf=True) computes)."""
    x = counts.astype(np.float64).tocsr()
    np.log(x.data, out=x.data)
    x.data += 1.0
    x = x @ sp.diags(idf)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)


def fit_vocabulary(vectorizer: CountVectorizer, docs: list[Any], what: str) -> tuple[list[str], np.ndarray]:
    """The vocabulary (in column order) and smoothed idf weights that ``vectorizer`` learns from ``docs``."""
    try:
        counts = vectorizer.fit_transform(docs)
    except ValueError as err:
        raise ValueError(
            f"no {what} features remain ({err}); the training texts are too few or too short: lower "
            f"{what}_min_df or add texts"
        ) from None
    terms = [""] * len(vectorizer.vocabulary_)
    for term, column in vectorizer.vocabulary_.items():
        terms[column] = term
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    n = counts.shape[0]
    return terms, np.log((1.0 + n) / (1.0 + df)) + 1.0


def platt(decision: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """Sigmoid p = 1 / (1 + exp(-(a·f + b))) fitted to out-of-fold decision values (Platt scaling)."""
    if target.min() == target.max():
        return 0.0, 10.0 if target[0] else -10.0
    lr = LogisticRegression(C=1e4, max_iter=1000).fit(decision.reshape(-1, 1), target)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def sigmoid(decision: np.ndarray, a: Any, b: Any) -> np.ndarray:
    """Platt-calibrated probability of SVM decision values (``a``, ``b`` per label or scalars)."""
    return 1.0 / (1.0 + np.exp(-(decision * a + b)))


def best_threshold(proba: np.ndarray, target: np.ndarray) -> float:
    """The probability cut (0.10, 0.15, ..., 0.90) with the best F1 for one label; ties go to the cut nearest 0.5."""
    grid = np.round(np.arange(0.10, 0.901, 0.05), 2)
    positives = target.sum()
    scores = []
    for cut in grid:
        predicted = proba >= cut
        tp = float((predicted & target).sum())
        scores.append(2 * tp / (predicted.sum() + positives) if positives else 0.0)
    scores = np.asarray(scores)
    best = np.flatnonzero(scores >= scores.max() - 1e-12)
    return float(grid[best[np.argmin(np.abs(grid[best] - 0.5))]])


def check_params(model: Any) -> None:
    """Refuse bad parameters of a PolicyClassifier at fit time, naming the parameter and the valid values."""
    for name in ("word_ngram_range", "char_ngram_range"):
        value = tuple(getattr(model, name))
        if len(value) != 2 or not all(isinstance(v, int) for v in value) or not 1 <= value[0] <= value[1]:
            raise ValueError(f"{name} must be a pair (low, high) with 1 <= low <= high, not {value!r}")
    if not isinstance(model.C, (int, float)) or model.C <= 0:
        raise ValueError(f"C must be a positive number, not {model.C!r}")
    if not isinstance(model.calibration_folds, int) or model.calibration_folds < 2:
        raise ValueError(f"calibration_folds must be an int >= 2, not {model.calibration_folds!r}")
    if model.class_weight not in (None, "balanced"):
        raise ValueError(f"class_weight must be 'balanced' or None, not {model.class_weight!r}")
    if model.threshold != "auto" and not (
            isinstance(model.threshold, (int, float)) and 0.0 < model.threshold < 1.0):
        raise ValueError(f"threshold must be a number between 0 and 1 or 'auto', not {model.threshold!r}")
    weight = model.context_weight
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not weight > 0:
        raise ValueError(f"context_weight must be a positive number, not {weight!r}")
    if model.hierarchical and model.multi_label:
        raise ValueError("hierarchical=True is for single-label schemes; multi-label models already decide "
                         "each label (and so 'none') separately")


def label_list(value: Any, none_label: str) -> list[Any]:
    """A multi-label cell as a list of labels without the not-applicable code."""
    if isinstance(value, (list, tuple, set)):
        values = list(value)
    elif value is None or (isinstance(value, float) and np.isnan(value)):
        raise ValueError("a multi-label row has a missing label; use the none_label (e.g. '0') for no tool")
    else:
        values = [value]
    return [v for v in values if v != none_label]
