"""Stratified cross-validation of policy classifiers, with baselines, and evaluation reports.

:func:`cross_validate` tokenizes the texts once, then for each fold fits a fresh copy of the classifier on the
training part (features included, so no vocabulary leaks from the test part) and predicts the held-out part.
The report pools the out-of-fold predictions: macro-F1, accuracy, per-label precision/recall/F1 and a confusion
matrix (per-label 2×2 counts for multi-label data), plus the same figures for a majority baseline and any other
baseline such as the rule tagger.

Example:
    >>> report = cross_validate(PolicyClassifier(), texts, labels, folds=5)  # doctest: +SKIP
    >>> print(report)  # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import confusion_matrix, f1_score, multilabel_confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from policytext.classify.estimator import PolicyClassifier
from policytext.classify.features import check_texts, label_list, normalize_text
from policytext.classify.overlap import overlap_message, training_overlap


@dataclass
class EvaluationReport:
    """Scores of one set of predictions against gold labels, and of baselines on the same texts.

    ``macro_f1`` is the unweighted mean F1 over ``labels`` (every label counts the same, however rare);
    ``per_label`` has precision, recall, f1, support; ``confusion`` is gold (rows) × predicted (columns), or for
    multi-label data one row per label with tn, fp, fn, tp. ``baselines`` maps a name to its macro_f1/accuracy.
    """

    labels: list[Any]
    multi_label: bool
    n: int
    macro_f1: float
    accuracy: float
    per_label: pd.DataFrame
    confusion: pd.DataFrame
    baselines: dict[str, dict[str, float]] = field(default_factory=dict)
    folds: int | None = None
    fold_macro_f1: list[float] = field(default_factory=list)
    grouped: bool = False

    def summary(self) -> pd.DataFrame:
        """Model and baselines side by side (macro_f1, accuracy).

        Example:
            >>> report.summary()  # doctest: +SKIP
        """
        rows = {"model": {"macro_f1": self.macro_f1, "accuracy": self.accuracy}, **self.baselines}
        return pd.DataFrame(rows).T[["macro_f1", "accuracy"]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (for manifest.json)."""
        return {
            "n": self.n, "folds": self.folds, "grouped": self.grouped, "multi_label": self.multi_label,
            "labels": list(self.labels),
            "macro_f1": round(self.macro_f1, 4), "accuracy": round(self.accuracy, 4),
            "fold_macro_f1": [round(v, 4) for v in self.fold_macro_f1],
            "per_label": {str(k): {c: (round(float(v), 4) if c != "support" else int(v)) for c, v in row.items()}
                          for k, row in self.per_label.iterrows()},
            "confusion": {"index": [str(i) for i in self.confusion.index],
                          "columns": [str(c) for c in self.confusion.columns],
                          "data": self.confusion.to_numpy().astype(int).tolist()},
            "baselines": {k: {m: round(v, 4) for m, v in d.items()} for k, d in self.baselines.items()},
        }

    def __str__(self) -> str:
        kind = "stratified, grouped" if self.grouped else "stratified"
        how = f"{self.folds}-fold {kind} cross-validation" if self.folds else "evaluation"
        spread = ""
        if self.fold_macro_f1:
            spread = f" (folds: mean {np.mean(self.fold_macro_f1):.3f} ± {np.std(self.fold_macro_f1):.3f})"
        lines = [
            f"{how} on {self.n} texts, {len(self.labels)} labels{' (multi-label)' if self.multi_label else ''}",
            f"macro-F1 {self.macro_f1:.3f}{spread}, accuracy {self.accuracy:.3f}",
            "", self.summary().round(3).to_string(), "",
            "per label:", self.per_label.round(3).to_string(), "",
            "confusion (rows gold, columns predicted):" if not self.multi_label else "per-label counts:",
            self.confusion.to_string(),
        ]
        return "\n".join(lines)


def score_predictions(gold: Sequence[Any], predicted: Sequence[Any], labels: Sequence[Any], *,
                      multi_label: bool = False, none_label: str = "0") -> EvaluationReport:
    """Macro-F1, accuracy (exact match for multi-label), per-label scores and confusion of predictions.

    Example:
        >>> score_predictions(["A", "B"], ["A", "A"], ["A", "B"]).macro_f1
        0.3333333333333333
    """
    labels = list(labels)
    if multi_label:
        g = _binarize(gold, labels, none_label)
        p = _binarize(predicted, labels, none_label)
        macro = f1_score(g, p, average="macro", zero_division=0)
        accuracy = float(np.mean(np.all(g == p, axis=1)))
        prec, rec, f1, support = precision_recall_fscore_support(g, p, zero_division=0)
        mcm = multilabel_confusion_matrix(g, p)
        confusion = pd.DataFrame(mcm.reshape(len(labels), 4), index=labels, columns=["tn", "fp", "fn", "tp"])
    else:
        gold, predicted = list(gold), list(predicted)
        macro = f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)
        accuracy = float(np.mean([a == b for a, b in zip(gold, predicted)]))
        prec, rec, f1, support = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
        shown = labels + sorted({p for p in predicted if p not in labels}, key=str)
        confusion = pd.DataFrame(confusion_matrix(gold, predicted, labels=shown), index=shown, columns=shown)
        confusion = confusion.loc[labels]
    per_label = pd.DataFrame({"precision": prec, "recall": rec, "f1": f1, "support": support}, index=labels)
    return EvaluationReport(labels, multi_label, len(gold), float(macro), accuracy, per_label, confusion)


def _binarize(rows: Sequence[Any], labels: list[Any], none_label: str) -> np.ndarray:
    position = {label: i for i, label in enumerate(labels)}
    out = np.zeros((len(rows), len(labels)), dtype=int)
    for r, row in enumerate(rows):
        for label in label_list(row, none_label):
            if label in position:
                out[r, position[label]] = 1
    return out


def _stratify_key(y: list[Any], multi_label: bool, folds: int) -> list[Any]:
    # Multi-label rows are stratified on their first (primary) label: exact label sets are too many and rare.
    # Primary labels too rare to spread over the folds share one stratum.
    if not multi_label:
        return y
    keys = [row[0] if row else "(none)" for row in y]
    counts = Counter(keys)
    return [k if counts[k] >= folds else "(rare)" for k in keys]


def check_folds(y: list[Any], folds: int, multi_label: bool = False) -> None:
    """Refuse ``folds`` that a label's examples cannot fill, naming the label and the remedies.

    Example:
        >>> check_folds(["A"] * 5 + ["B"] * 2, 3)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: cannot run 3-fold cross-validation: label 'B' has only 2 example(s) ...
    """
    if not isinstance(folds, int) or folds < 2:
        raise ValueError(f"folds must be an int >= 2, not {folds!r}")
    if multi_label:
        counts = Counter(v for row in y for v in row)
    else:
        counts = Counter(y)
    few = {k: c for k, c in counts.items() if c < folds}
    if few:
        k, c = min(few.items(), key=lambda kv: kv[1])
        raise ValueError(
            f"cannot run {folds}-fold cross-validation: label {k!r} has only {c} example(s) (labels with too "
            f"few: {few}); label more examples, merge or drop these labels, or lower folds (folds={max(2, c)})"
        )


def _learnable(train: np.ndarray, y: list[Any], multi_label: bool) -> np.ndarray:
    """A fold's training rows without the rows of labels seen there fewer than twice (single-label).

    Grouped folds can leave a label with a single training example, which cannot be calibrated; that fold
    then does not learn the label and its test examples count as misses. Multi-label rows are kept: the fit
    only refuses labels that no row or every row has, which stratification on the primary label prevents.
    """
    if multi_label:
        return train
    counts = Counter(y[i] for i in train)
    return np.asarray([i for i in train if counts[y[i]] >= 2], dtype=int)


def _check_groups(groups: Sequence[Any], n: int, folds: int) -> list[Any]:
    if isinstance(groups, str):
        raise TypeError("groups is a single str; pass one group per text, e.g. frame['doc_id']")
    groups = list(groups)
    if len(groups) != n:
        raise ValueError(f"groups has {len(groups)} values but there are {n} texts; give one group per text")
    if any(g is None or (isinstance(g, float) and np.isnan(g)) for g in groups):
        raise ValueError("groups has missing values; give every text a group (e.g. its doc_id)")
    if len(set(groups)) < folds:
        raise ValueError(f"groups has {len(set(groups))} distinct values, fewer than folds={folds}; "
                         "lower folds or cross-validate without groups")
    return groups


def cross_validate(
    estimator: PolicyClassifier,
    texts: Sequence[str],
    labels: Sequence[Any],
    *,
    folds: int = 5,
    random_state: int = 0,
    baselines: dict[str, Callable[[list[str]], list[Any]]] | None = None,
    groups: Sequence[Any] | None = None,
    progress: bool = False,
) -> EvaluationReport:
    """Stratified ``folds``-fold cross-validation of ``estimator``, compared with a majority baseline (the
    training part's most frequent label, or label set) and any ``baselines`` (functions texts -> predictions,
    e.g. ``RuleTagger(codebook).predict``; rules are not trained, so they are scored on every held-out part).

    ``groups`` (one value per text, e.g. the ``doc_id`` of each segment) keeps every group inside one fold
    (scikit-learn's StratifiedGroupKFold). Segments of one document share wording, so plain folds let a model
    see a test segment's siblings in training; grouped folds estimate how it does on documents it never saw.
    ``progress`` shows a bar over the folds (stderr).

    Example:
        >>> report = cross_validate(PolicyClassifier(), texts, labels, folds=5)  # doctest: +SKIP
        >>> report.macro_f1, report.baselines["majority"]["macro_f1"]  # doctest: +SKIP
    """
    raw, _ = check_texts(texts, "texts")
    multi = bool(estimator.multi_label)
    model = clone(estimator)
    y = model._check_y(labels, len(raw))  # same checks (and label order) as fit
    label_order = list(model.labels_)
    check_folds(y, folds, multi)
    normalized = [normalize_text(t) for t in raw]
    tokenizer = model._make_tokenizer()
    tokens = tokenizer.tokenize_many(normalized)
    strata = _stratify_key(y, multi, folds)
    if groups is None:
        splits = StratifiedKFold(folds, shuffle=True, random_state=random_state).split(np.zeros(len(y)), strata)
    else:
        groups = _check_groups(groups, len(raw), folds)
        splits = StratifiedGroupKFold(folds, shuffle=True, random_state=random_state).split(
            np.zeros(len(y)), strata, groups)
    predicted: list[Any] = [None] * len(raw)
    majority: list[Any] = [None] * len(raw)
    fold_scores = []
    if progress:
        from tqdm.auto import tqdm

        splits = tqdm(splits, total=folds, desc="cross-validating", unit="fold")
    for train, test in splits:
        fold = clone(estimator)
        train = _learnable(train, y, multi)
        fold._fit_prepared([normalized[i] for i in train], [tokens[i] for i in train], [y[i] for i in train],
                           tokenizer)
        proba = fold._proba_prepared([normalized[i] for i in test], [tokens[i] for i in test])
        fold_pred = fold._labels_from_proba(proba)
        most = Counter(tuple(y[i]) if multi else y[i] for i in train).most_common(1)[0][0]
        for i, p in zip(test, fold_pred):
            predicted[i] = p
            majority[i] = (list(most) or [estimator.none_label]) if multi else most
        fold_scores.append(score_predictions([y[i] for i in test], fold_pred, label_order, multi_label=multi,
                                             none_label=estimator.none_label).macro_f1)
    gold = [row or [estimator.none_label] for row in y] if multi else y
    report = score_predictions(gold, predicted, label_order, multi_label=multi, none_label=estimator.none_label)
    report.folds = folds
    report.fold_macro_f1 = fold_scores
    report.grouped = groups is not None
    compare = {"majority": majority}
    for name, predict in (baselines or {}).items():
        compare[name] = list(predict(list(raw)))
    for name, preds in compare.items():
        scored = score_predictions(gold, preds, label_order, multi_label=multi, none_label=estimator.none_label)
        report.baselines[name] = {"macro_f1": scored.macro_f1, "accuracy": scored.accuracy}
    return report


def evaluate(model: Any, texts: Sequence[str], labels: Sequence[Any], *,
             baselines: dict[str, Callable[[list[str]], list[Any]]] | None = None) -> EvaluationReport:
    """Score a trained model on labelled texts it was not trained on (``policytext evaluate``).

    Warns (UserWarning) with the number and share of rows that are among the model's training texts, when the
    model says what it was trained on (:func:`~policytext.classify.overlap.training_overlap`): the shipped models
    and every model saved by :func:`~policytext.train_classifier`.

    Example:
        >>> print(evaluate(load_model("governance-mode"), texts, labels))  # doctest: +SKIP
    """
    raw, _ = check_texts(texts, "texts")
    labels = list(labels)
    if len(labels) != len(raw):
        raise ValueError(f"{len(raw)} texts but {len(labels)} labels; give one label per text")
    multi = bool(model.multi_label)
    gold = [label_list(v, model.none_label) or [model.none_label] for v in labels] if multi else labels
    unknown = sorted({str(v) for row in gold for v in (row if multi else [row])
                      if v not in model.labels_ and v != model.none_label})
    if unknown:
        raise ValueError(
            f"labels {unknown} are not in the model's label set {list(model.labels_)}; evaluate on data coded "
            "with the same scheme, or retrain with `policytext train`"
        )
    overlap = training_overlap(model, raw)
    if overlap is not None and overlap[0]:
        import warnings

        warnings.warn(overlap_message(*overlap), UserWarning, stacklevel=2)
    report = score_predictions(gold, model.predict(raw), list(model.labels_), multi_label=multi,
                               none_label=model.none_label)
    for name, predict in (baselines or {}).items():
        scored = score_predictions(gold, list(predict(list(raw))), list(model.labels_), multi_label=multi,
                                   none_label=model.none_label)
        report.baselines[name] = {"macro_f1": scored.macro_f1, "accuracy": scored.accuracy}
    return report
