"""Self-training on unlabelled paragraphs: confident pseudo-labels from the corpus added to the annotated set.

:func:`unlabelled_paragraphs` draws paragraphs of registered corpora (with the same context columns as
:func:`~policytext.annotation_frame`), leaving out documents that must stay unseen — the annotated documents and
the blind evaluation set. :func:`self_train` fits a classifier, labels the unlabelled rows it is confident
about, and refits on both. Pseudo-labels per label are capped at the number of gold examples of that label, so
the residual code ``"0"``, confidently predicted on most paragraphs, cannot swamp the labels.

Example:
    >>> pool = unlabelled_paragraphs(["city-gwr-2024"], max_rows=500)  # doctest: +SKIP
    >>> model = self_train(PolicyClassifier(hierarchical=True), frame, frame["label"], pool)  # doctest: +SKIP
    >>> model.pseudo_labels_  # doctest: +SKIP
    {'0': 310, 'GM1': 42}
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from policytext.corpus.corpus import load_corpus
from policytext.corpus.locations import data_home


def document_key(path: str | os.PathLike[str], doc_id: str, home: str | os.PathLike[str] | None = None) -> str:
    """One name for a document whatever the corpus calls it: its file relative to the data home, plus
    ``#<row>`` for a row of a table file.

    Example:
        >>> document_key("policy/collections/a.csv", "collections/a.csv#3")
        'policy/collections/a.csv#3'
    """
    path = Path(path)
    if path.is_absolute():
        root = Path(home) if home is not None else data_home()
        path = path.relative_to(root)
    row = str(doc_id).rsplit("#", 1)[1] if "#" in str(doc_id) else None
    return path.as_posix() + (f"#{row}" if row is not None else "")


def unlabelled_paragraphs(
    corpora: Iterable[str],
    *,
    exclude: Iterable[str] = (),
    max_rows: int | None = 2000,
    min_chars: int = 20,
    random_state: int = 0,
) -> pd.DataFrame:
    """Paragraphs of the registered ``corpora`` with columns doc_id, key, text, doc_type, level, title, doc_text.

    ``exclude`` holds :func:`document_key` values of documents to leave out (annotated and blind documents);
    a document in two corpora is taken once. ``max_rows`` draws a seeded sample to keep training fast;
    paragraphs shorter than ``min_chars`` characters (headings, numbering) are dropped.

    Example:
        >>> unlabelled_paragraphs(["city-gwr-2024"], max_rows=10).shape[0]  # doctest: +SKIP
        10
    """
    if isinstance(corpora, str):
        raise TypeError(f"corpora is a single str; pass a list, e.g. [{corpora!r}]")
    excluded, parts = set(exclude), []
    for name in corpora:
        corpus = load_corpus(name)
        docs = corpus.to_frame()
        docs["key"] = [document_key(p, d) for p, d in zip(docs["path"], docs["doc_id"])]
        docs = docs[~docs["key"].isin(excluded)]
        excluded |= set(docs["key"])  # the next corpus does not take these documents again
        segments = corpus.filter(doc_id=set(docs["doc_id"])).segments("paragraph", min_chars=min_chars)
        context = docs[["doc_id", "key", "text"]].rename(columns={"text": "doc_text"})
        segments = segments.merge(context, on="doc_id", how="left", validate="many_to_one")
        segments["doc_id"] = name + ":" + segments["doc_id"].astype(str)
        parts.append(segments)
    columns = ["doc_id", "key", "text", "doc_type", "level", "title", "doc_text"]
    pool = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    for column in ("doc_type", "level", "title"):
        pool[column] = pool[column].fillna("").astype(str) if column in pool.columns else ""
    pool = pool[columns]
    if max_rows is not None and len(pool) > max_rows:
        pool = pool.sample(n=max_rows, random_state=random_state).sort_index()
    return pool.reset_index(drop=True)


def self_train(estimator: Any, X: Any, y: Sequence[Any], unlabelled: Any, *, threshold: float = 0.9,
               max_per_label: float = 1.0) -> Any:
    """Fit a clone of ``estimator`` on (``X``, ``y``), add the ``unlabelled`` rows it labels with probability
    of at least ``threshold`` (at most ``max_per_label`` × the gold count of each label, most confident first),
    and return a clone fitted on both. ``pseudo_labels_`` on the result counts the pseudo-labels per label.

    ``X`` and ``unlabelled`` are both lists of texts or both DataFrames with the same context columns.

    Example:
        >>> model = self_train(PolicyClassifier(), texts, labels, corpus_paragraphs)  # doctest: +SKIP
    """
    if not 0.5 <= threshold < 1.0:
        raise ValueError(f"threshold must be in [0.5, 1), not {threshold!r}")
    y = list(y)
    first = clone(estimator).fit(X, y)
    if len(unlabelled) == 0:
        first.pseudo_labels_ = {}
        return first
    proba = first.predict_proba(unlabelled)
    predicted = first.predict(unlabelled)
    confidence = np.array([proba.iloc[i][label] for i, label in enumerate(predicted)])
    gold = Counter(y)
    chosen: list[int] = []
    for label in proba.columns:
        rows = [i for i, p in enumerate(predicted) if p == label and confidence[i] >= threshold]
        rows.sort(key=lambda i: (-confidence[i], i))
        chosen += rows[: int(max_per_label * gold[label])]
    chosen.sort()
    if isinstance(X, pd.DataFrame):
        extra = unlabelled.iloc[chosen].reset_index(drop=True)
        combined = pd.concat([X.reset_index(drop=True), extra[[c for c in X.columns if c in extra.columns]]],
                             ignore_index=True)
    else:
        combined = list(X) + [list(unlabelled)[i] for i in chosen]
    model = clone(estimator).fit(combined, y + [predicted[i] for i in chosen])
    model.pseudo_labels_ = dict(Counter(predicted[i] for i in chosen))
    return model
