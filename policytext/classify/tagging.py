"""Document tags from segment predictions: each segment's label, and each document's share of segments per label.

Example:
    >>> tag_documents(load_model("governance-mode"), pt.load_corpus("gwr-2014-2022"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from policytext.classify.estimator import PolicyClassifier


def tag_documents(model: PolicyClassifier, corpus: Any, *, level: str = "document", unit: str = "paragraph",
                  min_share: float = 0.0) -> pd.DataFrame:
    """Tag segments of a corpus, or documents by aggregating their segments' predictions.

    ``corpus`` is a :class:`~policytext.Corpus` (split into ``unit`` segments) or a DataFrame of segments with
    ``doc_id`` and ``text`` (and optionally ``segment_id``; for a model with document context also the columns
    its context reads, which a Corpus supplies itself). ``level="segment"``: one row per segment with its
    label and probabilities. ``level="document"``: one row per document with ``n_segments``, ``share_<label>``
    (share of its segments predicted with each label) and ``label`` — the most frequent label other than the
    not-applicable code (``"0"`` if no segment has one); multi-label: ``labels``, the labels whose share is
    above ``min_share``, most frequent first.

    Example:
        >>> tag_documents(load_model("governance-mode"), pt.load_corpus("gwr-2014-2022"))  # doctest: +SKIP
    """
    if level not in ("segment", "document"):
        raise ValueError(f"level must be 'segment' or 'document', not {level!r}")
    if isinstance(corpus, pd.DataFrame):
        missing = [c for c in ("doc_id", "text") if c not in corpus.columns]
        if missing:
            raise ValueError(f"segments table lacks columns {missing}; it needs doc_id and text")
        segments = corpus.reset_index(drop=True)
    elif hasattr(corpus, "segments"):
        segments = corpus.segments(unit)
        if getattr(model, "context_", None) is not None and "doc_text" not in segments.columns:
            # A model with document context reads each segment's document; the corpus has it.
            documents = corpus.to_frame()[["doc_id", "text"]].rename(columns={"text": "doc_text"})
            segments = segments.merge(documents, on="doc_id", how="left", validate="many_to_one")
    else:
        raise TypeError(f"corpus must be a Corpus or a DataFrame of segments, not {type(corpus).__name__}")
    keep = segments["text"].fillna("").str.strip() != ""
    segments = segments[keep].reset_index(drop=True)
    # The whole frame, so that a model with document context finds its columns (doc_type, level, title, doc_text).
    proba = model.predict_proba(segments)
    labels = model._labels_from_proba(proba.to_numpy())
    id_cols = [c for c in ("doc_id", "segment_id", "start", "end") if c in segments.columns]
    table = segments[id_cols].copy()
    table["label"] = labels
    if level == "segment":
        return pd.concat([table, proba.add_prefix("p_")], axis=1)
    none = model.none_label
    rows = []
    for doc_id, group in table.groupby("doc_id", sort=False):
        counts: Counter = Counter()
        for value in group["label"]:
            counts.update(value if isinstance(value, list) else [value])
        n = len(group)
        shares = {f"share_{k}": counts.get(k, 0) / n for k in model.labels_}
        ranked = [k for k, _ in sorted(counts.items(), key=lambda kv: -kv[1]) if k != none]
        if model.multi_label:
            tag: Any = [k for k in ranked if counts[k] / n > min_share] or [none]
            rows.append({"doc_id": doc_id, "n_segments": n, "labels": tag, **shares})
        else:
            rows.append({"doc_id": doc_id, "n_segments": n, "label": ranked[0] if ranked else none, **shares})
    return pd.DataFrame(rows)
