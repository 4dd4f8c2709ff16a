"""Supervised classifiers for policy segments: word and character TF-IDF, a linear SVM, calibrated probabilities.

:class:`PolicyClassifier` follows scikit-learn's estimator contract. Its fitted state is plain data only —
vocabularies, idf weights, coefficients, intercepts and Platt calibration parameters — and its predict path
reads nothing else, so a model saved as arrays + JSON (:mod:`policytext.classify.models`) predicts exactly like the
model that was trained. :func:`~policytext.classify.train.train_classifier` trains one from a table and
attaches a cross-validation report (:mod:`policytext.classify.evaluate`); :func:`tag_documents` turns segment
predictions into document tags with the share of segments per label.

Example:
    >>> clf = PolicyClassifier().fit(texts, labels)  # doctest: +SKIP
    >>> clf.predict(["推进政务服务一网通办"])  # doctest: +SKIP
    ['GM5']
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from policytext.classify.features import (
    best_threshold,
    check_params,
    fit_vocabulary,
    identity,
    label_list,
    normalize_text,
    platt,
    sigmoid,
    tfidf,
    word_ngrams,
)
from policytext.classify.context import ContextFeatures, check_context, split_input
from policytext.classify.folder import ModelIntegrityError, file_checksums, verify_files, write_atomically
from policytext.classify.overlap import HASHES_FILE
from policytext.persist import (
    IncompatibleModelError,
    jsonable,
    load_array,
    read_json,
    read_manifest,
    save_array,
    write_json,
    write_manifest,
)
from policytext.text.lexicon import warn_resource_changes
from policytext.text.tokenize import Tokenizer, saved_tokenizer

NONE_LABEL = "0"
KIND = "policytext-classifier"
FORMAT_VERSION = "1.2"  # 1.1 added per-label thresholds and "hierarchical", 1.2 context; older folders load
NO_CONTEXT_FORMAT = "1.1"  # a model without context is still written as 1.1, so 1.1 readers load it
_ARRAYS = ("word_idf", "char_idf", "coef", "intercept", "calibration")
_PARAMS = (
    "word_ngram_range", "word_min_df", "word_max_features", "char_ngram_range", "char_min_df",
    "char_max_features", "C", "class_weight", "calibration_folds", "multi_label", "threshold", "none_label",
    "hierarchical", "context", "context_weight", "random_state",
)


# ---------------------------------------------------------------------------------------------- the estimator
class PolicyClassifier(ClassifierMixin, BaseEstimator):
    """Word + character TF-IDF → linear SVM → Platt-calibrated probabilities, single- or multi-label.

    Parameters (keyword-only): ``tokenizer`` (a :class:`~policytext.Tokenizer`, a dict of its parameters, or
    None for the default); ``word_ngram_range``, ``word_min_df``, ``word_max_features`` and ``char_ngram_range``,
    ``char_min_df``, ``char_max_features`` for the two TF-IDF blocks (``char_max_features=0`` turns characters
    off); ``C`` and ``class_weight`` of the SVM; ``calibration_folds`` (folds of out-of-fold decision values for
    calibration); ``multi_label`` (``y`` holds lists of labels; one SVM per label); ``threshold`` (multi-label:
    probability needed to assign a label, or ``"auto"``: one threshold per label, the one that maximises that
    label's F1 on the out-of-fold probabilities the calibration already computes, so no test text is used);
    ``none_label`` (the not-applicable code: multi-label rows without labels); ``hierarchical`` (single-label:
    first one SVM decides ``none_label`` against everything else on all texts, then the other labels are learnt
    among the texts that have one; ``predict`` returns ``none_label`` when its probability is at least 0.5 and
    otherwise the most probable label. This suits codebooks whose residual code dominates, where the scope
    decision and the label decision depend on different words);
    ``codebook`` (a bundled name, path or Codebook: labels are checked against it and ordered by it);
    ``context`` (document context features, off by default: a tuple of ``"doc_type"``, ``"level"``, ``"title"``,
    ``"terms"``, ``"doc_terms"``, ``"vectors"``, see :mod:`policytext.classify.context`; X is then a DataFrame
    with a ``text`` column and the columns the options read) and ``context_weight`` (scale of those blocks
    against the unit-length TF-IDF blocks); ``random_state``. Without context, X is a list of texts (or a
    DataFrame whose ``text`` column is used).

    Fitted: ``labels_`` (ordered label set), ``classes_``, ``tokenizer_``, ``word_vocabulary_``, ``word_idf_``,
    ``char_vocabulary_``, ``char_idf_``, ``coef_``, ``intercept_``, ``calibration_`` (a, b per label),
    ``thresholds_`` (multi-label cut per label), ``codebook_info_``, ``context_`` (fitted context blocks or None),
    ``n_train_``.

    Example:
        >>> clf = PolicyClassifier(calibration_folds=2).fit(
        ...     ["建设数据共享平台", "推进一网通办", "建设政务云平台", "推进跨省通办"], ["A", "B", "A", "B"])
        >>> clf.predict(["建设平台"])
        ['A']
    """

    def __init__(
        self,
        *,
        tokenizer: Tokenizer | dict[str, Any] | None = None,
        word_ngram_range: tuple[int, int] = (1, 1),
        word_min_df: int = 1,
        word_max_features: int | None = 20000,
        char_ngram_range: tuple[int, int] = (1, 3),
        char_min_df: int = 2,
        char_max_features: int | None = 20000,
        C: float = 0.3,
        class_weight: str | None = "balanced",
        calibration_folds: int = 3,
        multi_label: bool = False,
        threshold: float | str = 0.5,
        none_label: str = NONE_LABEL,
        hierarchical: bool = False,
        codebook: Any = None,
        context: tuple[str, ...] | None = None,
        context_weight: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.tokenizer = tokenizer
        self.word_ngram_range = word_ngram_range
        self.word_min_df = word_min_df
        self.word_max_features = word_max_features
        self.char_ngram_range = char_ngram_range
        self.char_min_df = char_min_df
        self.char_max_features = char_max_features
        self.C = C
        self.class_weight = class_weight
        self.calibration_folds = calibration_folds
        self.multi_label = multi_label
        self.threshold = threshold
        self.none_label = none_label
        self.hierarchical = hierarchical
        self.codebook = codebook
        self.context = context
        self.context_weight = context_weight
        self.random_state = random_state

    # fitting ----------------------------------------------------------------------------------------------
    def fit(self, X: Iterable[str] | pd.DataFrame, y: Iterable[Any]) -> PolicyClassifier:
        """Check the texts (and context), labels and parameters; learn features, SVMs and calibration; return self."""
        texts, _, frame = split_input(X, "X", check_context(self.context))
        texts = [normalize_text(t) for t in texts]
        tokenizer = self._make_tokenizer()
        return self._fit_prepared(texts, tokenizer.tokenize_many(texts), y, tokenizer, frame)

    def _make_tokenizer(self) -> Tokenizer:
        tok = self.tokenizer
        if tok is None:
            return Tokenizer()
        if isinstance(tok, dict):
            return Tokenizer(**tok)
        if isinstance(tok, Tokenizer):
            return Tokenizer(**tok.get_params())
        raise TypeError(f"tokenizer must be a policytext Tokenizer, a dict of its parameters or None, not {tok!r}")

    def _fit_prepared(
        self, texts: list[str], tokens: list[list[str]], y: Iterable[Any], tokenizer: Tokenizer,
        frame: pd.DataFrame | None = None,
    ) -> PolicyClassifier:
        """Fit on normalized texts whose tokens are already known (cross-validation tokenizes once); ``frame``
        holds the context columns, rows aligned with ``texts``."""
        check_params(self)
        y = self._check_y(y, len(texts))
        self.tokenizer_ = tokenizer
        options = check_context(self.context)
        self.context_ = (ContextFeatures(options, self.context_weight, self.codebook).fit(frame, texts)
                         if options else None)
        self.word_vocabulary_, self.word_idf_ = fit_vocabulary(
            CountVectorizer(analyzer=identity, min_df=self.word_min_df, max_features=self.word_max_features),
            [word_ngrams(t, tuple(self.word_ngram_range)) for t in tokens], "word",
        )
        if self.char_max_features == 0:
            self.char_vocabulary_, self.char_idf_ = [], np.zeros(0)
        else:
            self.char_vocabulary_, self.char_idf_ = fit_vocabulary(
                CountVectorizer(analyzer="char", ngram_range=tuple(self.char_ngram_range), lowercase=True,
                                min_df=self.char_min_df, max_features=self.char_max_features),
                texts, "char",
            )
        features = self._features(texts, tokens, frame)
        targets = self._targets(y)
        # Hierarchical: the none_label row is learnt on all texts, every other row only among labelled texts.
        labelled = ~targets[self._none_index()] if self._is_hierarchical() else np.ones(len(texts), dtype=bool)
        coef, intercept, calibration, thresholds = [], [], [], []
        for k, target in enumerate(targets):
            rows = np.ones(len(texts), dtype=bool) if self.labels_[k] == self.none_label else labelled
            part, target = features[rows], target[rows]
            w, b = self._svm(part, target)
            coef.append(w)
            intercept.append(b)
            oof = self._oof_decision(part, target, k)
            a, b0 = platt(oof, target)
            if a <= 0:
                # Out-of-fold scores carried no signal (tiny data): a falling sigmoid would invert the SVM, so
                # calibrate on the final SVM's own (over-confident but correctly ordered) scores instead.
                a, b0 = platt(part @ w.astype(np.float32) + b, target)
                a, b0 = (a, b0) if a > 0 else (1.0, 0.0)
            calibration.append((a, b0))
            if self.threshold == "auto":
                thresholds.append(best_threshold(sigmoid(oof, a, b0), target))
            else:
                thresholds.append(float(self.threshold))
        # float32 halves the shipped size; the live model uses the same rounded weights, so a saved and
        # reloaded model predicts exactly the same.
        self.coef_ = np.vstack(coef).astype(np.float32)
        self.intercept_ = np.asarray(intercept, dtype=np.float64)
        self.calibration_ = np.asarray(calibration, dtype=np.float64)
        self.thresholds_ = np.asarray(thresholds, dtype=np.float64)
        self.n_train_ = len(texts)
        return self

    def _is_hierarchical(self) -> bool:
        """Hierarchical fitting applies when asked for and y has the none_label and at least two others."""
        return (bool(self.hierarchical) and not self.multi_label and self.none_label in self.labels_
                and len(self.labels_) > 2)

    def _none_index(self) -> int:
        return self.labels_.index(self.none_label)

    def _check_y(self, y: Iterable[Any], n: int) -> list[Any]:
        if isinstance(y, str):
            raise TypeError("y is a single str; pass one label per text, e.g. frame['label']")
        y = list(y)
        if len(y) != n:
            raise ValueError(f"X has {n} texts but y has {len(y)} labels; give one label per text")
        if self.multi_label:
            y = [label_list(v, self.none_label) for v in y]
            flat = [v for row in y for v in row]
        else:
            if any(isinstance(v, (list, tuple, set)) for v in y):
                raise ValueError("y holds lists of labels; pass multi_label=True for multi-label data")
            bad = [i for i, v in enumerate(y) if v is None or (isinstance(v, float) and np.isnan(v))]
            if bad:
                raise ValueError(f"y has missing labels at positions {bad[:10]}; drop or label those rows")
            flat = y
        self.codebook_info_ = None
        order = None
        if self.codebook is not None:
            from policytext.classify.codebook import Codebook, load_codebook

            cb = self.codebook if isinstance(self.codebook, Codebook) else load_codebook(self.codebook)
            cb.validate_labels(flat)
            self.codebook_info_ = {"name": cb.name, "version": cb.version}
            order = [*cb.labels, cb.not_applicable]
        counts = Counter(flat)
        self.labels_ = [v for v in order if v in counts] if order else sorted(counts, key=str)
        self.classes_ = np.asarray(self.labels_, dtype=object)
        if not self.multi_label and len(self.labels_) < 2:
            raise ValueError(f"y has only one label {self.labels_}; a classifier needs at least two")
        if self.multi_label and not self.labels_:
            raise ValueError(f"y has no labels other than {self.none_label!r}; nothing to learn")
        few = {k: c for k, c in counts.items() if c < 2 or (self.multi_label and n - c < 2)}
        if few:
            raise ValueError(
                f"labels {few} have fewer than 2 examples (or, multi-label, fewer than 2 texts without them); "
                "calibration needs at least 2 of each: label more texts or drop/merge these labels"
            )
        return y

    def _targets(self, y: list[Any]) -> list[np.ndarray]:
        if self.multi_label:
            return [np.array([label in row for row in y]) for label in self.labels_]
        arr = np.asarray(y, dtype=object)
        return [arr == label for label in self.labels_]

    def _svm(self, features: sp.csr_matrix, target: np.ndarray) -> tuple[np.ndarray, float]:
        svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.random_state)
        svm.fit(features, target)
        return svm.coef_[0], float(svm.intercept_[0])

    def _oof_decision(self, features: sp.csr_matrix, target: np.ndarray, k: int) -> np.ndarray:
        folds = min(self.calibration_folds, int(target.sum()), int((~target).sum()))
        out = np.zeros(len(target))
        split = StratifiedKFold(max(folds, 2), shuffle=True, random_state=self.random_state + k)
        for train, test in split.split(np.zeros(len(target)), target):
            if target[train].min() == target[train].max():
                continue  # a fold without positives: leave its decision values at 0
            w, b = self._svm(features[train], target[train])
            out[test] = features[test] @ w.astype(np.float32) + b
        return out

    # predicting -------------------------------------------------------------------------------------------
    def _features(self, texts: list[str], tokens: list[list[str]], frame: pd.DataFrame | None = None
                  ) -> sp.csr_matrix:
        blocks = []
        word = CountVectorizer(analyzer=identity, vocabulary={t: i for i, t in enumerate(self.word_vocabulary_)})
        blocks.append(tfidf(word.transform([word_ngrams(t, tuple(self.word_ngram_range)) for t in tokens]),
                             self.word_idf_))
        if self.char_vocabulary_:
            char = CountVectorizer(analyzer="char", ngram_range=tuple(self.char_ngram_range), lowercase=True,
                                   vocabulary={t: i for i, t in enumerate(self.char_vocabulary_)})
            blocks.append(tfidf(char.transform(texts), self.char_idf_))
        if getattr(self, "context_", None) is not None:
            blocks.append(self.context_.transform(frame, texts))
        return sp.hstack(blocks, format="csr")

    def _prepare(self, X: Any) -> tuple[list[str], list[list[str]], pd.Index, pd.DataFrame | None]:
        if not hasattr(self, "coef_"):
            raise AttributeError("this PolicyClassifier is not fitted yet; call fit(texts, labels) or load_model()")
        options = self.context_.options if getattr(self, "context_", None) is not None else ()
        texts, index, frame = split_input(X, "texts", options)
        texts = [normalize_text(t) for t in texts]
        return texts, self.tokenizer_.tokenize_many(texts), index, frame

    def _proba_prepared(self, texts: list[str], tokens: list[list[str]], frame: pd.DataFrame | None = None
                        ) -> np.ndarray:
        decision = self._features(texts, tokens, frame) @ self.coef_.T + self.intercept_
        proba = sigmoid(decision, self.calibration_[:, 0], self.calibration_[:, 1])
        if self._is_hierarchical():
            none = self._none_index()
            p_none = proba[:, none].copy()
            proba[:, none] = 0.0
            proba *= ((1.0 - p_none) / proba.sum(axis=1))[:, None]
            proba[:, none] = p_none
        elif not self.multi_label:
            proba /= proba.sum(axis=1, keepdims=True)
        return proba

    def _labels_from_proba(self, proba: np.ndarray) -> list[Any]:
        if self._is_hierarchical():
            none = self._none_index()
            others = proba.copy()
            others[:, none] = -1.0
            return [self.none_label if row[none] >= 0.5 else self.labels_[int(best)]
                    for row, best in zip(proba, others.argmax(axis=1))]
        if not self.multi_label:
            return [self.labels_[i] for i in proba.argmax(axis=1)]
        out = []
        for row in proba:
            order = [i for i in np.argsort(-row, kind="stable") if row[i] >= self.thresholds_[i]]
            out.append([self.labels_[i] for i in order] or [self.none_label])
        return out

    def decision_function(self, texts: Iterable[str] | pd.DataFrame) -> np.ndarray:
        """Raw SVM scores, one column per label in ``labels_``."""
        prepared, tokens, _, frame = self._prepare(texts)
        return np.asarray(self._features(prepared, tokens, frame) @ self.coef_.T + self.intercept_)

    def predict_proba(self, texts: Iterable[str] | pd.DataFrame) -> pd.DataFrame:
        """Calibrated probabilities: one column per label in ``labels_`` (rows sum to 1 unless multi-label).

        Example:
            >>> clf.predict_proba(["推进一网通办"]).round(2)  # doctest: +SKIP
        """
        prepared, tokens, index, frame = self._prepare(texts)
        return pd.DataFrame(self._proba_prepared(prepared, tokens, frame), index=index, columns=list(self.labels_))

    def predict(self, texts: Iterable[str] | pd.DataFrame) -> list[Any]:
        """One label per text; multi-label: the labels at or above ``threshold``, most probable (primary) first,
        or ``[none_label]``.

        Example:
            >>> clf.predict(["推进一网通办"])  # doctest: +SKIP
            ['GM5']
        """
        prepared, tokens, _, frame = self._prepare(texts)
        return self._labels_from_proba(self._proba_prepared(prepared, tokens, frame))

    # saving and loading --------------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str], *, overwrite: bool = False, name: str | None = None,
             extra: dict[str, Any] | None = None) -> Path:
        """Write the model as a directory of arrays + JSON with a checksummed ``manifest.json``; return it.

        Nothing in the folder is pickled, so loading it runs no stored code. ``extra`` adds JSON fields to the
        manifest. The folder is written aside and renamed into place.

        Example:
            >>> clf.save("models/my-model")  # doctest: +SKIP
            PosixPath('models/my-model')
        """
        if not hasattr(self, "coef_"):
            raise ValueError("the model is not fitted; call fit() or train_classifier() before save()")
        path = Path(path)
        return write_atomically(path, overwrite, lambda folder: self._write_arrays(folder, name or path.name, extra))

    def _write_arrays(self, folder: Path, name: str, extra: dict[str, Any] | None) -> None:
        for array in (*_ARRAYS, "thresholds"):
            save_array(folder, array, getattr(self, f"{array}_"))
        write_json(folder, "word_vocabulary.json", list(self.word_vocabulary_))
        write_json(folder, "char_vocabulary.json", list(self.char_vocabulary_))
        write_json(folder, "tokenizer.json", jsonable(self.tokenizer_.get_params()))
        context = getattr(self, "context_", None)
        if context is not None:
            write_json(folder, "context.json", jsonable(context.state()))
            save_array(folder, "title_idf", context.title_idf)
        hashes = getattr(self, "training_hashes_", None)
        if hashes is not None:  # sorted: which texts, not in what order (evaluate warns on overlap)
            write_json(folder, HASHES_FILE, sorted(set(hashes)))
        report = getattr(self, "cv_report_", None)
        write_manifest(
            folder,
            kind=KIND,
            format_version=FORMAT_VERSION if context is not None else NO_CONTEXT_FORMAT,
            parameters={p: jsonable(getattr(self, p)) for p in _PARAMS},
            labels=list(self.labels_),
            data_checksum=getattr(self, "training_checksum_", None),
            seed=self.random_state,
            metrics={"cross_validation": report.to_dict()} if report is not None else {},
            dependencies=("scikit-learn", "scipy", "jieba", "rjieba"),
            extra={"name": name, "codebook": self.codebook_info_, "n_train": self.n_train_,
                   "tokenizer_resources": self.tokenizer_.resources(), **(extra or {}),
                   "files": file_checksums(folder)},
        )

    @classmethod
    def _rebuild(cls, folder: Path, manifest: dict[str, Any]) -> PolicyClassifier:
        """The model from a verified folder; every file is read through the checksummed persist readers."""
        params = dict(manifest["parameters"])
        for key in ("word_ngram_range", "char_ngram_range"):
            params[key] = tuple(params[key])
        if params.get("context") is not None:
            params["context"] = tuple(params["context"])
        tokenizer = saved_tokenizer(read_json(folder, "tokenizer.json"))
        model = cls(tokenizer=tokenizer.get_params(), **params)
        model.tokenizer_ = tokenizer
        for array in _ARRAYS:
            setattr(model, f"{array}_", load_array(folder, array))
        model.word_vocabulary_ = read_json(folder, "word_vocabulary.json")
        model.char_vocabulary_ = read_json(folder, "char_vocabulary.json")
        model.labels_ = list(manifest["labels"])
        model.classes_ = np.asarray(model.labels_, dtype=object)
        # Format 1.0 kept one threshold in the parameters; 1.1 stores one per label.
        has_thresholds = "thresholds.npy" in manifest["files"]  # only checksummed files are read
        model.thresholds_ = (load_array(folder, "thresholds") if has_thresholds
                             else np.full(len(model.labels_), float(params.get("threshold", 0.5))))
        model.context_ = (ContextFeatures.from_state(read_json(folder, "context.json"), load_array(folder, "title_idf"))
                          if "context.json" in manifest["files"] else None)
        model.codebook_info_ = manifest.get("codebook")
        model.n_train_ = manifest.get("n_train")
        model.training_checksum_ = manifest.get("data_checksum")
        # Folders saved before training hashes existed (the shipped models) have none: see classify.overlap.
        model.training_hashes_ = read_json(folder, HASHES_FILE) if HASHES_FILE in manifest["files"] else None
        model.manifest_ = manifest
        warn_resource_changes(folder, manifest.get("tokenizer_resources"), tokenizer)
        return model

    @classmethod
    def from_folder(cls, folder: str | os.PathLike[str]) -> PolicyClassifier:
        """Rebuild a model saved by :meth:`save`, after checking its format version and every checksum.

        Use :func:`policytext.load_model` to load bundled models by name.

        Example:
            >>> PolicyClassifier.from_folder("models/my-model").labels_  # doctest: +SKIP
        """
        folder = Path(folder)
        manifest = read_manifest(folder, KIND, FORMAT_VERSION)
        verify_files(folder, manifest)
        try:
            model = cls._rebuild(folder, manifest)
        except (ModelIntegrityError, IncompatibleModelError):
            raise
        except (TypeError, KeyError, ValueError, AttributeError, MemoryError) as exc:
            # A manifest or JSON file with the wrong structure: one error type for every damaged folder.
            raise ModelIntegrityError(f"{folder}: the saved files do not form a {KIND} ({type(exc).__name__}: "
                                      f"{exc}); the folder is damaged or mixes models. Restore it or retrain") from None
        _check_shapes(folder, model)
        return model


def _check_shapes(folder: Path, model: PolicyClassifier) -> None:
    """Refuse at load, not at the first predict, arrays whose shapes do not fit the labels and vocabularies."""
    k, n_word, n_char = len(model.labels_), len(model.word_vocabulary_), len(model.char_vocabulary_)
    n_context = model.context_.width if model.context_ is not None else 0
    expected = {"coef": (k, n_word + n_char + n_context), "intercept": (k,), "calibration": (k, 2), "thresholds": (k,),
                "word_idf": (n_word,), "char_idf": (n_char,)}
    for name, shape in expected.items():
        found = getattr(model, f"{name}_").shape
        if found != shape:
            raise ModelIntegrityError(
                f"{folder}: {name} has shape {found} but {k} labels and vocabularies of {n_word} words and {n_char} "
                f"character n-grams need {shape}; the folder mixes files of different models. Restore it or retrain"
            )
