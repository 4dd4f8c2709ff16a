"""Topics over time: topic shares by year (or any metadata column) with bootstrap intervals, and a dynamic topic
model whose topics drift from one time slice to the next.

:func:`topic_shares` averages segment-level topic shares per group; the interval comes from resampling the
group's segments with replacement. :class:`DynamicTopicModel` fits tomotopy's ``DTModel`` (default) or gensim's
``LdaSeqModel`` behind one interface; tomotopy is used by default because it is orders of magnitude faster on the
same data (see ``benchmarks/topics_benchmark.py``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from policytext.corpus.corpus import Corpus
from policytext.persist import load_array, read_json, save_array, write_json, write_manifest
from policytext.text.tokenize import Tokenizer
from policytext.stats import bootstrap_means
from policytext.persist import data_checksum
from policytext.topics.inputs import as_documents, build_inference_model, require
from policytext.topics.model import TopicModel
from policytext.topics.saved import load_estimator, save_dictionary, tokenizer_params, tokenizer_record

DYNAMIC_KIND = "policytext.DynamicTopicModel"
DYNAMIC_FORMAT = "1.0"
DYNAMIC_BACKENDS = ("tomotopy", "gensim")


def topic_shares(model: TopicModel, data: Corpus | pd.DataFrame, by: str = "year", *, unit: str = "paragraph",
                 min_chars: int = 1, n_boot: int = 1000, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Mean topic share per value of ``by`` with bootstrap intervals over segments.

    ``data`` is a Corpus (split into ``unit`` segments of at least ``min_chars`` characters), a segments or
    documents DataFrame with a ``text`` column, or a table from ``model.document_topics`` (reused as is).
    Columns: ``by``, topic, label, share, lower, upper, n_segments, n_documents.

    Example:
        >>> shares = topic_shares(model, pt.load_corpus("gwr-2014-2022"), by="year")  # doctest: +SKIP
        >>> shares.query("topic == 3")[["year", "share", "lower", "upper"]]  # doctest: +SKIP
    """
    if isinstance(data, Corpus):
        frame = data.segments(unit, min_chars=min_chars)
    elif isinstance(data, pd.DataFrame):
        frame = data
    else:
        raise TypeError(f"topic_shares needs a Corpus or a DataFrame with metadata, not {type(data).__name__}; "
                        "build one with pt.read_corpus(...) or Corpus.from_texts(texts, year=[...])")
    if by not in frame.columns:
        raise KeyError(f"topic_shares: no column {by!r} to group by; columns are {list(frame.columns)}. "
                       "Pass by= one of them, or add the column to the corpus metadata")
    if frame[by].isna().all():
        raise ValueError(f"topic_shares: column {by!r} is empty (all values missing); fill it or choose another by=")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), not {level!r}")
    columns = [f"topic_{t}" for t in range(model.k)]
    table = frame if all(c in frame.columns for c in columns) else model.document_topics(frame)
    table = table.dropna(subset=columns + [by])
    boot = bootstrap_means(table, columns, by, n_boot=n_boot, level=level, seed=seed)
    topic = boot["column"].str.removeprefix("topic_").astype(int)
    labels = model.topic_labels
    docs = (table.groupby(by)["doc_id"].nunique() if "doc_id" in table.columns else table.groupby(by).size())
    out = pd.DataFrame({by: boot[by], "topic": topic, "label": [labels[t] for t in topic], "share": boot["share"],
                        "lower": boot["lower"], "upper": boot["upper"], "n_segments": boot["n"],
                        "n_documents": boot[by].map(docs).to_numpy()})
    out.attrs.update(level=level, n_boot=n_boot, seed=seed, by=by)
    return out


class DynamicTopicModel(BaseEstimator):
    """Topics that evolve across time slices (one slice per value of ``time``, in sorted order).

    Parameters: ``k``, ``time`` (metadata column naming the slice), ``backend`` (``"tomotopy"`` DTModel, fast;
    ``"gensim"`` LdaSeqModel, the reference), ``seed``, ``train_iter`` (tomotopy sweeps), ``em_iter`` and
    ``passes`` (gensim EM iterations and passes of its initial LDA), ``min_df``/``max_df``/``keep_n``, ``tokenizer``.

    Example:
        >>> docs = [["数据", "共享"], ["政务", "服务"]] * 4
        >>> m = DynamicTopicModel(k=2, min_df=1, max_df=1.0, train_iter=50).fit(docs, times=[2014] * 4 + [2022] * 4)
        >>> m.top_terms(n=1)["time"].unique().tolist()
        [2014, 2022]
    """

    def __init__(self, k: int = 10, *, time: str = "year", backend: str = "tomotopy", seed: int = 0,
                 train_iter: int = 500, em_iter: int = 20, passes: int = 10, min_df: int | float = 2,
                 max_df: int | float = 0.5, keep_n: int | None = None, tokenizer: Tokenizer | None = None) -> None:
        self.k = k
        self.time = time
        self.backend = backend
        self.seed = seed
        self.train_iter = train_iter
        self.em_iter = em_iter
        self.passes = passes
        self.min_df = min_df
        self.max_df = max_df
        self.keep_n = keep_n
        self.tokenizer = tokenizer

    def fit(self, X: Any, y: Any = None, *, times: Sequence[Any] | None = None) -> DynamicTopicModel:
        """Fit on a Corpus or segments DataFrame (slices from the ``time`` column) or on documents + ``times``."""
        if self.backend not in DYNAMIC_BACKENDS:
            raise ValueError(f"backend must be one of {list(DYNAMIC_BACKENDS)}, not {self.backend!r}")
        # Dictionary filtering and input checks are the static model's, so both read documents the same way.
        static = TopicModel(k=self.k, seed=self.seed, min_df=self.min_df, max_df=self.max_df, keep_n=self.keep_n,
                            tokenizer=self.tokenizer)
        data = static.prepare(X)
        slices = self._times(X, times, len(data.bows))
        order = sorted(set(slices))
        if len(order) < 2:
            raise ValueError(f"the dynamic model needs at least 2 time slices; {self.time!r} has only {order}. "
                             "Use TopicModel for a single period, or pass data covering several periods")
        keep = [i for i, b in enumerate(data.bows) if b]
        index = {t: i for i, t in enumerate(order)}
        slot = np.array([index[slices[i]] for i in keep])
        empty = [t for t in order if index[t] not in set(slot.tolist())]
        if empty:
            raise ValueError(f"time slices {empty} have no document with terms left after filtering; drop them or "
                             "lower min_df")
        bows = [data.bows[i] for i in keep]
        fit = self._fit_tomotopy if self.backend == "tomotopy" else self._fit_gensim
        self.topic_word_ = fit(bows, slot, len(order), data.dictionary)
        self.times_ = [_plain(t) for t in order]
        self.tokenizer_, self.dictionary_ = data.tokenizer, data.dictionary
        self.data_checksum_ = data_checksum(data.tokens)
        self._engines: dict[int, Any] = {}
        return self

    def _times(self, X: Any, times: Sequence[Any] | None, n: int) -> list[Any]:
        if times is None:
            frame = X.to_frame() if isinstance(X, Corpus) else X
            if not isinstance(frame, pd.DataFrame) or self.time not in frame.columns:
                found = list(frame.columns) if isinstance(frame, pd.DataFrame) else type(X).__name__
                raise KeyError(f"no time column {self.time!r} (found {found}); pass times=[...] or a Corpus whose "
                               f"metadata has {self.time!r}")
            times = frame[self.time].tolist()
        times = list(times)
        if len(times) != n:
            raise ValueError(f"times has {len(times)} values for {n} documents; give one per document")
        missing = [i for i, t in enumerate(times) if t is None or (isinstance(t, float) and np.isnan(t)) or t is pd.NA]
        if missing:
            raise ValueError(f"{len(missing)} documents have no {self.time!r} value (e.g. row {missing[0]}); "
                             "fill them or filter the corpus first")
        return [_plain(t) for t in times]

    def _fit_tomotopy(self, bows: list, slot: np.ndarray, n_slices: int, dictionary: Any) -> np.ndarray:
        tp = require("tomotopy", "DynamicTopicModel(backend='tomotopy')")
        mdl = tp.DTModel(k=int(self.k), t=n_slices, seed=int(self.seed))
        for bow, t in zip(bows, slot):
            mdl.add_doc([dictionary[i] for i, c in bow for _ in range(c)], timepoint=int(t))
        mdl.train(self.train_iter, workers=1)  # one worker: reproducible with the seed
        cols = np.array([dictionary.token2id[w] for w in mdl.used_vocabs])
        phi = np.full((n_slices, self.k, len(dictionary)), 1e-12)
        for t in range(n_slices):
            for k in range(self.k):
                phi[t, k, cols] = np.asarray(mdl.get_topic_word_dist(k, t))[: len(cols)]
        return phi / phi.sum(axis=2, keepdims=True)

    def _fit_gensim(self, bows: list, slot: np.ndarray, n_slices: int, dictionary: Any) -> np.ndarray:
        ldaseq = require("gensim.models.ldaseqmodel", "DynamicTopicModel(backend='gensim')")
        order = np.argsort(slot, kind="stable")  # LdaSeqModel wants documents grouped by slice, in slice order
        model = ldaseq.LdaSeqModel(corpus=[bows[i] for i in order], time_slice=np.bincount(slot).tolist(),
                                   id2word=dictionary, num_topics=int(self.k), passes=self.passes,
                                   random_state=int(self.seed), em_min_iter=min(6, self.em_iter),
                                   em_max_iter=self.em_iter)
        phi = np.stack([np.exp(chain.e_log_prob.T) for chain in model.topic_chains], axis=1)  # T × K × V
        return phi / phi.sum(axis=2, keepdims=True)

    def transform(self, X: Any, *, times: Sequence[Any] | None = None) -> np.ndarray:
        """Topic shares per document, inferred with the topics of each document's own time slice."""
        if not hasattr(self, "topic_word_"):
            raise RuntimeError("this DynamicTopicModel is not fitted yet; call .fit(documents) first")
        docs = as_documents(X, self.tokenizer_)
        slices = self._times(X, times, len(docs.table))
        unknown = sorted({t for t in slices if t not in self.times_}, key=str)
        if unknown:
            raise ValueError(f"time values {unknown} are not among the fitted slices {self.times_}; "
                             "filter the documents or refit with them")
        bows = [self.dictionary_.doc2bow(doc) for doc in docs.tokens]
        theta = np.full((len(bows), self.k), np.nan)
        for t, value in enumerate(self.times_):
            rows = [i for i, (b, s) in enumerate(zip(bows, slices)) if b and s == value]
            if rows:
                gamma, _ = self._engine(t).inference([bows[i] for i in rows])
                theta[rows] = gamma / gamma.sum(axis=1, keepdims=True)
        return theta

    def _engine(self, t: int) -> Any:
        if t not in self._engines:
            # A large pseudo-count makes the variational topic-word expectation equal the slice's distribution.
            v = self.topic_word_.shape[2]
            self._engines[t] = build_inference_model(self.topic_word_[t] * 1e6, np.full(self.k, 1.0 / self.k),
                                                     np.full(v, 1e-6), self.dictionary_)
        return self._engines[t]

    def top_terms(self, n: int = 10, *, time: Any = None) -> pd.DataFrame:
        """Top ``n`` terms per topic and time slice (or one slice): columns time, topic, rank, term, weight."""
        if not hasattr(self, "topic_word_"):
            raise RuntimeError("this DynamicTopicModel is not fitted yet; call .fit(documents) first")
        wanted = self.times_ if time is None else [_plain(time)]
        vocab, rows = [self.dictionary_[i] for i in range(len(self.dictionary_))], []
        for value in wanted:
            if value not in self.times_:
                raise ValueError(f"time={value!r} is not a fitted slice; slices are {self.times_}")
            phi = self.topic_word_[self.times_.index(value)]
            for k in range(self.k):
                order = np.argsort(-phi[k], kind="stable")[:n]
                rows += [(value, k, r + 1, vocab[j], float(phi[k, j])) for r, j in enumerate(order)]
        return pd.DataFrame(rows, columns=["time", "topic", "rank", "term", "weight"])

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Save to a folder: manifest.json, dictionary.json, times.json and topic_word.npy (no pickle)."""
        folder = Path(directory)
        params = self.get_params(deep=False)
        params["tokenizer"] = None if self.tokenizer is None else tokenizer_params(self.tokenizer)
        write_manifest(folder, kind=DYNAMIC_KIND, format_version=DYNAMIC_FORMAT, parameters=params,
                       data_checksum=self.data_checksum_, seed=int(self.seed),
                       metrics={"time_slices": len(self.times_), "vocabulary": len(self.dictionary_)},
                       dependencies=("gensim", "tomotopy"), extra=tokenizer_record(self.tokenizer_))
        save_dictionary(folder, self.dictionary_)
        write_json(folder, "times.json", self.times_)
        save_array(folder, "topic_word", self.topic_word_)
        return folder

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> DynamicTopicModel:
        """Load a model saved with :meth:`save`, refusing other kinds or incompatible formats."""
        folder = Path(directory)
        model, manifest = load_estimator(cls, folder, DYNAMIC_KIND, DYNAMIC_FORMAT)
        model.times_ = read_json(folder, "times.json")
        model.topic_word_ = load_array(folder, "topic_word")
        model.data_checksum_ = manifest.get("data_checksum")
        model._engines = {}
        return model

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state["_engines"] = {}
        return state


def _plain(value: Any) -> Any:
    """numpy/pandas scalars as Python values, so time labels survive JSON."""
    return value.item() if hasattr(value, "item") else value
