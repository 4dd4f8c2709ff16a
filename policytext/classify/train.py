"""Train a :class:`~policytext.classify.estimator.PolicyClassifier` from a labelled table, cross-validating it first.

Reading and checking the table (:func:`read_labelled`), the training-data checksum recorded in manifests
(:func:`training_checksum`) and :func:`train_classifier`, which the ``policytext train`` command wraps.

Example:
    >>> m = train_classifier("labels.csv", text="留言详情", label="一级分类")  # doctest: +SKIP
    >>> print(m.cv_report_)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from policytext.classify.estimator import PolicyClassifier
from policytext.classify.overlap import text_hashes


def read_labelled(data: pd.DataFrame | str | os.PathLike[str], *, text: str, label: str,
                  multi_label: bool = False, sep: str = ";") -> tuple[list[str], list[Any]]:
    """Texts and labels from a DataFrame or a table file, checked: named columns present, no empty texts,
    no missing labels. Multi-label cells are split at ``sep``.

    Example:
        >>> read_labelled(pd.DataFrame({"t": ["一网通办"], "y": ["A;B"]}), text="t", label="y", multi_label=True)
        (['一网通办'], [['A', 'B']])
    """
    if isinstance(data, (str, os.PathLike)):
        from policytext.corpus.files import read_table

        frame = read_table(data)
        where = f"table {data}"
    elif isinstance(data, pd.DataFrame):
        frame, where = data, "the DataFrame"
    else:
        raise TypeError(f"data must be a DataFrame or a path to a table, not {type(data).__name__}")
    for argument, column in (("text", text), ("label", label)):
        if column not in frame.columns:
            raise KeyError(f"{argument}={column!r} is not a column of {where}; columns are {list(frame.columns)}")
    texts = frame[text].tolist()
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str) or not t.strip()]
    if bad:
        raise ValueError(
            f"{where}: column {text!r} is empty or missing in {len(bad)} row(s) (positions {bad[:10]}); drop those "
            f"rows first, e.g. frame[frame[{text!r}].fillna('').str.strip() != '']"
        )
    labels = frame[label].tolist()
    missing = [i for i, v in enumerate(labels) if v is None or (isinstance(v, float) and np.isnan(v)) or v == ""]
    if missing:
        raise ValueError(f"{where}: column {label!r} is missing in rows {missing[:10]}; label or drop them")
    if multi_label:
        labels = [[p.strip() for p in str(v).split(sep) if p.strip()] for v in labels]
    else:
        labels = [v.strip() if isinstance(v, str) else v for v in labels]
    return texts, labels


def training_checksum(texts: Sequence[str], labels: Sequence[Any]) -> str:
    """sha256 of the training texts and labels in order: the training-data checksum recorded in manifests.

    Example:
        >>> training_checksum(["一网通办"], ["GM5"]) == training_checksum(["一网通办"], ["GM5"])
        True
    """
    from policytext.persist import data_checksum

    return data_checksum(f"{t}\x1d{json.dumps(y, ensure_ascii=False)}" for t, y in zip(texts, labels))


def train_classifier(
    data: pd.DataFrame | str | os.PathLike[str],
    *,
    text: str = "text",
    label: str = "label",
    group: str | None = None,
    multi_label: bool | None = None,
    sep: str = ";",
    codebook: Any = None,
    folds: int = 5,
    cv: bool = True,
    random_state: int = 0,
    baselines: dict[str, Any] | None = None,
    progress: bool = False,
    **params: Any,
) -> PolicyClassifier:
    """Train a :class:`PolicyClassifier` on a labelled table; with ``cv``, first cross-validate it (stratified,
    ``folds`` folds) against a majority baseline and, given a codebook, the rule tagger (``m.cv_report_``).

    ``group`` names a column (e.g. ``doc_id``) whose values stay together in one fold: use it when several
    rows come from one document, to estimate accuracy on unseen documents. ``multi_label`` defaults to the
    codebook's setting (policy tools) or False. ``baselines`` adds ``name -> function(texts) -> predictions``
    comparisons. ``progress`` reports the folds and the final fit on stderr. Other keyword arguments go to
    PolicyClassifier. With ``context=...`` (document context, see :mod:`policytext.classify.context`) the table
    must hold the context columns; such a model is cross-validated by document (``group`` is required) with
    :func:`~policytext.grouped_cross_validate`, so ``cv_report_`` is a :class:`~policytext.SchemeScore`.

    Example:
        >>> m = train_classifier("labels.csv", text="留言详情", label="一级分类")  # doctest: +SKIP
        >>> print(m.cv_report_)  # doctest: +SKIP
    """
    if multi_label is None:
        multi_label = False
        if codebook is not None:
            from policytext.classify.codebook import Codebook, load_codebook

            cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
            multi_label = cb.multi_label
    if isinstance(data, (str, os.PathLike)):
        from policytext.corpus.files import read_table

        data = read_table(data)
    texts, labels = read_labelled(data, text=text, label=label, multi_label=multi_label, sep=sep)
    groups = None
    if group is not None:
        if group not in data.columns:
            raise KeyError(f"group={group!r} is not a column of the table; columns are {list(data.columns)}")
        groups = data[group].tolist()
    model = PolicyClassifier(multi_label=multi_label, codebook=codebook, random_state=random_state, **params)
    if params.get("context"):
        return _train_with_context(model, data.rename(columns={text: "text"}), labels, groups, cv=cv, folds=folds,
                                   random_state=random_state)
    report = None
    if cv:
        from policytext.classify.evaluate import cross_validate

        extra = dict(baselines or {})
        if codebook is not None and "rule tagger" not in extra:
            from policytext.classify.rules import RuleTagger

            extra["rule tagger"] = RuleTagger(codebook).predict
        report = cross_validate(model, texts, labels, folds=folds, random_state=random_state, baselines=extra,
                                groups=groups, progress=progress)
    if progress:
        print(f"fitting on all {len(texts)} texts ...", file=sys.stderr, flush=True)
    model.fit(texts, labels)
    model.cv_report_ = report
    model.training_checksum_ = training_checksum(texts, labels)
    model.training_hashes_ = text_hashes(texts)  # saved as training_hashes.json: evaluate warns on overlap
    return model


def _train_with_context(model: PolicyClassifier, frame: pd.DataFrame, labels: list[Any], groups: list[Any] | None, *,
                        cv: bool, folds: int, random_state: int) -> PolicyClassifier:
    """Fit a classifier that reads document context; cross-validate it by document first."""
    report = None
    if cv:
        if groups is None or model.multi_label:
            raise ValueError("a single-label model with context is cross-validated by document: pass group='doc_id' "
                             "(multi-label models with context: pass cv=False)")
        from policytext.classify.scoring import grouped_cross_validate

        report = grouped_cross_validate(model, frame, labels, groups=groups, folds=folds, random_state=random_state,
                                        mask=model.codebook)
    model.fit(frame, labels)
    model.cv_report_ = report
    # The context is training data too: a changed title or document changes the checksum.
    columns = [c for c in ("doc_type", "level", "title", "doc_text") if c in frame.columns]
    rows = ["\x1e".join([t, *(str(frame[c].iloc[i]) for c in columns)]) for i, t in enumerate(frame["text"])]
    model.training_checksum_ = training_checksum(rows, labels)
    model.training_hashes_ = text_hashes(frame["text"])
    return model
