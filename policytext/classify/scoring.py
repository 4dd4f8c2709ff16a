"""Scores a reviewer accepts for single-label schemes with a residual code: scope apart from labels, documents
behind every label, document-grouped folds, and a keyword-masking check.

A single-label scheme such as governance-mode codes most paragraphs ``"0"`` (no operative digital arrangement).
One macro-F1 over all labels mixes two questions, so :func:`score_scheme` reports them apart:

* **scope**: ``"0"`` against in scope (any other label) — precision, recall and F1 of *in scope*;
* **in-scope macro-F1**: ``f1_score(gold, predicted, labels=L, average="macro")`` over **all** rows, where
  ``L`` are the in-scope labels backed by at least ``min_docs`` distinct documents. A scope error therefore
  costs the label too (a missed GM1 paragraph is a GM1 false negative);
* **per label**: precision, recall, F1, support and ``n_docs``, the number of distinct documents (groups)
  behind the label's gold rows. Paragraphs of one document are not independent evidence, so a label from fewer
  than ``min_docs`` documents gets ``f1=None`` and ``too_few_docs=True``: no F1 is claimed for it, and it is
  left out of the in-scope macro-F1 (``in_scope_macro_f1_all`` keeps it, for reference).

:func:`grouped_cross_validate` produces out-of-fold predictions with StratifiedGroupKFold (every document in
one fold) and scores them; the same :func:`score_scheme` scores a held-out (blind) set. With ``mask=codebook``
each test fold is predicted a second time with every indicator term of the codebook replaced by a placeholder
(:func:`mask_indicators`) in the segment, the title and the document text: the drop shows how much the model
leans on the codebook's own keywords rather than on the arrangement a paragraph describes.

Example:
    >>> s = score_scheme(["GM1", "0", "GM1", "0"], ["GM1", "GM1", "0", "0"], groups=["a", "b", "c", "d"],
    ...                  min_docs=1)
    >>> round(s.scope["f1"], 3), round(s.in_scope_macro_f1, 3)
    (0.5, 0.5)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold

from policytext.classify.codebook import GAP, Codebook, load_codebook
from policytext.classify.rules import RuleTagger

MIN_DOCS = 5
PLACEHOLDER = "□"
MASKED_COLUMNS = ("text", "title", "doc_text")


@dataclass
class SchemeScore:
    """Scope, in-scope macro-F1 and per-label figures with documents per label (see the module docstring).

    ``per_label`` has precision, recall, f1 (None when ``too_few_docs``), support, n_docs, too_few_docs;
    ``claimed_labels`` are the labels in ``in_scope_macro_f1``; ``masked`` holds the same figures for the
    keyword-masked texts, when computed; ``predictions`` the scored predictions in input order.
    """

    n: int
    n_docs: int
    none_label: str
    scope: dict[str, float]
    in_scope_macro_f1: float | None
    in_scope_macro_f1_all: float | None
    claimed_labels: list[str]
    accuracy: float
    per_label: pd.DataFrame
    min_docs: int = MIN_DOCS
    folds: int | None = None
    masked: SchemeScore | None = None
    predictions: list[Any] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (for manifest.json and models/comparison.json).

        Example:
            >>> score_scheme(["A", "0"], ["A", "0"], groups=["d1", "d2"]).to_dict()["per_label"]["A"]["f1"] is None
            True
        """
        def num(v: Any) -> Any:
            return None if v is None or (isinstance(v, float) and np.isnan(v)) else round(float(v), 4)

        out: dict[str, Any] = {
            "n": self.n, "n_docs": self.n_docs, "folds": self.folds, "min_docs": self.min_docs,
            "scope": {k: (int(v) if k.startswith("n_") else num(v)) for k, v in self.scope.items()},
            "in_scope_macro_f1": num(self.in_scope_macro_f1),
            "in_scope_macro_f1_all": num(self.in_scope_macro_f1_all),
            "claimed_labels": list(self.claimed_labels), "accuracy": num(self.accuracy),
            "per_label": {str(label): {"precision": num(row.precision), "recall": num(row.recall),
                                       "f1": num(row.f1), "support": int(row.support), "n_docs": int(row.n_docs),
                                       "too_few_docs": bool(row.too_few_docs)}
                          for label, row in self.per_label.iterrows()},
        }
        if self.masked is not None:
            out["masked"] = {k: v for k, v in self.masked.to_dict().items() if k != "masked"}
            out["masked_drop"] = self.masked_drop()
        return out

    def masked_drop(self) -> dict[str, float | None]:
        """How much scope F1 and in-scope macro-F1 fall when indicator terms are masked (positive = a drop)."""
        if self.masked is None:
            return {}
        drop = {"scope_f1": self.scope["f1"] - self.masked.scope["f1"]}
        if self.in_scope_macro_f1 is not None and self.masked.in_scope_macro_f1 is not None:
            drop["in_scope_macro_f1"] = self.in_scope_macro_f1 - self.masked.in_scope_macro_f1
        return {k: round(float(v), 4) for k, v in drop.items()}

    def __str__(self) -> str:
        how = f"{self.folds}-fold document-grouped cross-validation" if self.folds else "evaluation"
        macro = "n/a" if self.in_scope_macro_f1 is None else f"{self.in_scope_macro_f1:.3f}"
        lines = [
            f"{how} on {self.n} segments from {self.n_docs} documents",
            f"scope ('{self.none_label}' vs in scope): precision {self.scope['precision']:.3f}, recall "
            f"{self.scope['recall']:.3f}, F1 {self.scope['f1']:.3f}",
            f"in-scope macro-F1 {macro} over {self.claimed_labels} (labels from >= {self.min_docs} documents)",
            "", self.per_label.round(3).to_string(),
        ]
        if self.masked is not None:
            lines += ["", f"indicator terms masked: drop {self.masked_drop()}"]
        return "\n".join(lines)


def score_scheme(gold: Sequence[Any], predicted: Sequence[Any], *, groups: Sequence[Any],
                 labels: Sequence[Any] | None = None, none_label: str = "0", min_docs: int = MIN_DOCS) -> SchemeScore:
    """Score single-label predictions: scope, in-scope macro-F1, per label with the documents behind it.

    ``groups`` gives each row's document (``doc_id``); ``labels`` the label order (default: the gold and
    predicted labels, sorted); labels from fewer than ``min_docs`` documents get no F1 (see module docstring).

    Example:
        >>> s = score_scheme(["A", "A", "B", "0"], ["A", "B", "B", "0"], groups=[1, 2, 3, 4], min_docs=2)
        >>> s.per_label[["f1", "n_docs", "too_few_docs"]].values.tolist()
        [[0.6666666666666666, 2, False], [None, 1, True]]
    """
    gold, predicted, groups = [str(v) for v in gold], [str(v) for v in predicted], list(groups)
    if not len(gold) == len(predicted) == len(groups):
        raise ValueError(f"gold ({len(gold)}), predicted ({len(predicted)}) and groups ({len(groups)}) must have "
                         "one value per segment")
    if not gold:
        raise ValueError("nothing to score: gold is empty")
    order = [str(v) for v in labels] if labels is not None else sorted(set(gold) | set(predicted))
    in_scope = [v for v in order if v != none_label]
    docs = {label: len({g for g, y in zip(groups, gold) if y == label}) for label in in_scope}
    claimed = [v for v in in_scope if docs[v] >= min_docs]
    g_in = np.array([v != none_label for v in gold])
    p_in = np.array([v != none_label for v in predicted])
    tp = float((g_in & p_in).sum())
    precision = tp / float(p_in.sum()) if p_in.sum() else 0.0
    recall = tp / float(g_in.sum()) if g_in.sum() else 0.0
    scope = {"precision": precision, "recall": recall,
             "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
             "n_in_scope": int(g_in.sum()), "n_predicted_in_scope": int(p_in.sum())}
    prec, rec, f1, support = (precision_recall_fscore_support(gold, predicted, labels=in_scope, zero_division=0)
                              if in_scope else ([], [], [], []))
    few = [docs[v] < min_docs for v in in_scope]
    per_label = pd.DataFrame({"precision": prec, "recall": rec,
                              "f1": np.array([None if x else float(v) for v, x in zip(f1, few)], dtype=object),
                              "support": np.asarray(support, dtype=int), "n_docs": [docs[v] for v in in_scope],
                              "too_few_docs": few}, index=in_scope)

    def macro(chosen: list[str]) -> float | None:
        return float(f1_score(gold, predicted, labels=chosen, average="macro", zero_division=0)) if chosen else None

    present = [v for v in in_scope if docs[v] > 0]
    return SchemeScore(
        n=len(gold), n_docs=len(set(groups)), none_label=none_label, scope=scope, in_scope_macro_f1=macro(claimed),
        in_scope_macro_f1_all=macro(present), claimed_labels=claimed,
        accuracy=float(np.mean([a == b for a, b in zip(gold, predicted)])), per_label=per_label, min_docs=min_docs,
        predictions=list(predicted))


# -- keyword masking --------------------------------------------------------------------------------------------
def mask_indicators(X: Any, codebook: str | Codebook, *, placeholder: str = PLACEHOLDER,
                    columns: Sequence[str] = MASKED_COLUMNS) -> Any:
    """Replace every indicator term of ``codebook`` by ``placeholder`` (one per character group matched).

    ``X`` is a list of texts (a list comes back) or a DataFrame (a copy comes back with ``columns`` masked where
    present: by default the segment ``text``, the ``title`` and the ``doc_text``). Occurrences are found as the
    rule tagger finds them, negated ones included; a gap term (``A……B``) loses its literal parts, not the text
    between them; a ``re:`` term loses its whole match.

    Example:
        >>> mask_indicators(["由市政府牵头，推进一网通办。"], "governance-mode")
        ['由市政府□，推进一网通办。']
    """
    if isinstance(X, str):
        raise TypeError("X is a single str; pass a list of texts, e.g. [text], or a DataFrame")
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    tagger = RuleTagger(book).fit()
    if isinstance(X, pd.DataFrame):
        out = X.copy()
        for column in columns:
            if column in out.columns:
                values = out[column].tolist()
                todo = [v for v in values if isinstance(v, str) and v]
                masked = dict(zip(todo, _mask(todo, tagger, placeholder)))
                out[column] = [masked.get(v, v) if isinstance(v, str) else v for v in values]
        return out
    return _mask(list(X), tagger, placeholder)


def _mask(texts: list[str], tagger: RuleTagger, placeholder: str) -> list[str]:
    unique = list(dict.fromkeys(texts))
    found = tagger.explain(unique)
    spans: dict[int, set[tuple[int, int]]] = {}
    for i, term, start, end in found[["text_index", "term", "start", "end"]].itertuples(index=False):
        text = unique[i]
        if GAP in term:
            # Only the literal pieces of a gap term are the codebook's words; the gap is the paragraph's own.
            at = start
            for piece in term.split(GAP):
                hit = text.lower().find(piece.lower(), at, end)
                if hit >= 0 and piece:
                    spans.setdefault(i, set()).add((hit, hit + len(piece)))
                    at = hit + len(piece)
        else:
            spans.setdefault(i, set()).add((int(start), int(end)))
    masked = {}
    for i, text in enumerate(unique):
        parts, last = [], 0
        for start, end in sorted(spans.get(i, ())):
            if start < last:
                continue  # overlapping pieces of two gap terms: the first one already masked it
            parts += [text[last:start], placeholder]
            last = end
        masked[text] = "".join(parts) + text[last:]
    return [masked[t] for t in texts]


# -- document-grouped cross-validation ------------------------------------------------------------------------
def _rows(X: Any, index: np.ndarray) -> Any:
    return X.iloc[index].reset_index(drop=True) if isinstance(X, pd.DataFrame) else [X[i] for i in index]


def grouped_cross_validate(
    estimator: Any,
    X: Any,
    y: Sequence[Any],
    *,
    groups: Sequence[Any],
    folds: int = 5,
    random_state: int = 0,
    mask: str | Codebook | None = None,
    fit: Callable[[Any, Any, list[Any]], Any] | None = None,
    min_docs: int = MIN_DOCS,
) -> SchemeScore:
    """Document-grouped ``folds``-fold cross-validation of a single-label classifier, scored by
    :func:`score_scheme`.

    ``X`` is a list of texts or a DataFrame (``text`` + context columns); ``groups`` the document of each row
    (StratifiedGroupKFold keeps every document in one fold). Each fold fits a clone of ``estimator`` on its
    training rows, leaving out rows of labels seen there fewer than twice (they cannot be calibrated; their
    test rows count as misses). ``fit(estimator, X_train, y_train)`` replaces the plain ``estimator.fit``
    (e.g. for self-training) and returns the fitted model. ``mask`` (a codebook) also scores every test fold
    with its indicator terms masked (``result.masked``).

    Example:
        >>> result = grouped_cross_validate(PolicyClassifier(), frame, frame["label"], groups=frame["doc_id"],
        ...                                 mask="governance-mode")  # doctest: +SKIP
        >>> result.scope["f1"], result.in_scope_macro_f1, result.masked_drop()  # doctest: +SKIP
    """
    if isinstance(X, str):
        raise TypeError("X is a single str; pass a list of texts or a DataFrame with a 'text' column")
    X = X.reset_index(drop=True) if isinstance(X, pd.DataFrame) else list(X)
    y, groups = [str(v) for v in y], list(groups)
    if not len(X) == len(y) == len(groups):
        raise ValueError(f"X ({len(X)}), y ({len(y)}) and groups ({len(groups)}) must have one value per segment")
    if len(set(groups)) < folds:
        raise ValueError(f"only {len(set(groups))} distinct groups for {folds} folds; lower folds")
    predicted: list[Any] = [None] * len(y)
    masked: list[Any] = [None] * len(y)
    masked_X = mask_indicators(X, mask) if mask is not None else None
    split = StratifiedGroupKFold(folds, shuffle=True, random_state=random_state)
    for train, test in split.split(np.zeros(len(y)), y, groups):
        counts = Counter(y[i] for i in train)
        train = np.asarray([i for i in train if counts[y[i]] >= 2], dtype=int)
        model = clone(estimator)
        model = fit(model, _rows(X, train), [y[i] for i in train]) if fit else model.fit(_rows(X, train),
                                                                                          [y[i] for i in train])
        for i, p in zip(test, model.predict(_rows(X, test))):
            predicted[i] = p
        if masked_X is not None:
            for i, p in zip(test, model.predict(_rows(masked_X, test))):
                masked[i] = p
    labels = _label_order(estimator, y)
    none = getattr(estimator, "none_label", "0")
    result = score_scheme(y, predicted, groups=groups, labels=labels, none_label=none, min_docs=min_docs)
    result.folds = folds
    if masked_X is not None:
        result.masked = score_scheme(y, masked, groups=groups, labels=labels, none_label=none, min_docs=min_docs)
        result.masked.folds = folds
    return result


def _label_order(estimator: Any, y: list[str]) -> list[str]:
    """The codebook's label order when the estimator names a codebook, else sorted."""
    book = getattr(estimator, "codebook", None)
    if book is not None:
        book = book if isinstance(book, Codebook) else load_codebook(book)
        order = [*book.labels, book.not_applicable]
        return [v for v in order if v in set(y)]
    return sorted(set(y))
