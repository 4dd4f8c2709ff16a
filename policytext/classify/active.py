"""Active learning: which unlabelled segments a researcher should label next.

:func:`suggest` ranks texts by how unsure a trained classifier is about them. Labelling the texts the model
finds hardest teaches it more per label than labelling a random sample, which in policy corpora is dominated by
easy, repetitive boilerplate.

Example:
    >>> suggest(load_model("governance-mode"), segments, n=20)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

STRATEGIES = ("margin", "entropy", "least_confident")


def uncertainty(proba: np.ndarray, strategy: str = "margin", *, multi_label: bool = False,
                threshold: float = 0.5) -> np.ndarray:
    """Uncertainty per row of a probability matrix, between 0 (sure) and 1 (no idea).

    ``margin``: 1 − (best − second best); ``entropy``: entropy divided by its maximum; ``least_confident``:
    1 − best, rescaled to [0, 1]. Multi-label: each label is a yes/no decision at ``threshold`` and a row is as
    uncertain as its least certain label.

    Example:
        >>> uncertainty(np.array([[0.9, 0.1], [0.5, 0.5]])).round(2).tolist()
        [0.2, 1.0]
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {list(STRATEGIES)}, not {strategy!r}")
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2 or proba.shape[1] < 1:
        raise ValueError(f"proba must be a 2-D matrix (texts × labels), not shape {proba.shape}")
    if multi_label:
        # Distance from the decision threshold, scaled so that p == threshold gives 1 and p in {0, 1} gives 0.
        scale = np.where(proba >= threshold, 1.0 - threshold, threshold)
        return (1.0 - np.abs(proba - threshold) / scale).max(axis=1)
    k = proba.shape[1]
    if k == 1:
        return np.zeros(len(proba))
    ordered = -np.sort(-proba, axis=1)
    if strategy == "margin":
        return 1.0 - (ordered[:, 0] - ordered[:, 1])
    if strategy == "least_confident":
        return (1.0 - ordered[:, 0]) * k / (k - 1)
    clipped = np.clip(proba, 1e-12, 1.0)
    return -(clipped * np.log(clipped)).sum(axis=1) / np.log(k)


def suggest(
    model: Any,
    data: pd.DataFrame | Iterable[str],
    *,
    n: int = 20,
    text: str = "text",
    strategy: str = "margin",
    exclude: Iterable[Any] | None = None,
    id_col: str = "segment_id",
) -> pd.DataFrame:
    """The ``n`` texts the model is least sure about, most uncertain first.

    ``data`` is a DataFrame with a ``text`` column (other columns such as ``segment_id`` are kept) or a list of
    texts. ``exclude`` lists ids (values of ``id_col``) already labelled. Each row gets ``rank``,
    ``uncertainty``, ``predicted`` and ``confidence`` (probability of the predicted label; multi-label: of the
    least certain label's side), plus ``p_<label>`` columns.

    Example:
        >>> suggest(clf, ["推进一网通办", "建设数据共享平台"], n=1)[["rank", "predicted"]]  # doctest: +SKIP
    """
    from policytext.classify.features import check_texts

    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, not {n!r}")
    if isinstance(data, pd.DataFrame):
        if text not in data.columns:
            raise KeyError(f"text={text!r} is not a column of data; columns are {list(data.columns)}")
        frame = data.reset_index(drop=True)
    else:
        texts, _ = check_texts(data, "data")
        frame = pd.DataFrame({text: texts})
    if exclude is not None:
        if id_col not in frame.columns:
            raise KeyError(f"exclude needs an id column {id_col!r} in data; columns are {list(frame.columns)}")
        frame = frame[~frame[id_col].isin(set(exclude))].reset_index(drop=True)
    frame = frame[frame[text].fillna("").astype(str).str.strip() != ""].reset_index(drop=True)
    if frame.empty:
        return frame.assign(rank=[], uncertainty=[], predicted=[], confidence=[])
    proba = model.predict_proba(frame[text].reset_index(drop=True))
    values = proba.to_numpy()
    multi = bool(getattr(model, "multi_label", False))
    threshold = float(getattr(model, "threshold", 0.5))
    scores = uncertainty(values, strategy, multi_label=multi, threshold=threshold)
    out = frame.copy()
    out["uncertainty"] = scores
    if hasattr(model, "_labels_from_proba"):
        out["predicted"] = model._labels_from_proba(values)
    else:
        out["predicted"] = [proba.columns[i] for i in values.argmax(axis=1)]
    if multi:
        hardest = np.abs(values - threshold).min(axis=1)
        out["confidence"] = threshold + hardest
    else:
        out["confidence"] = values.max(axis=1)
    out = pd.concat([out, proba.add_prefix("p_").reset_index(drop=True)], axis=1)
    # Stable sort: equally uncertain texts keep their input order, so the ranking is reproducible.
    out = out.sort_values("uncertainty", ascending=False, kind="stable").head(n).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out
