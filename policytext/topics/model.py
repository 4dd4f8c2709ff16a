"""LDA topic models over gensim (or tomotopy), fitted on tokens, texts, segments, a Corpus or a document-term matrix.

A :class:`TopicModel` keeps the tokenizer it was fitted with, so it reads raw texts, a segments DataFrame or a
:class:`~policytext.corpus.corpus.Corpus` as readily as token lists. Every result is a DataFrame keyed by ``doc_id``
(and ``segment_id`` for segments) with the metadata joined.

Reproducibility: the default path (``backend="gensim"``, ``workers=1``) runs gensim's ``LdaModel`` in one process
with ``random_state=seed``: the same seed and data give identical topics. ``workers > 1`` switches to
``LdaMulticore``, faster on large corpora but not reproducible run to run. ``backend="tomotopy"`` (Gibbs sampling,
one worker, seeded) is reproducible too. Topic shares of documents are always inferred by one deterministic
variational step that starts from the same point for every document, so ``transform`` does not depend on the
batch a document comes in, nor on the seed.

A saved model is a folder (``manifest.json`` + ``.npy`` arrays + JSON): nothing is unpickled on load.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from policytext.text.counts import DocumentTermMatrix
from policytext.persist import (
    data_checksum,
    load_array,
    read_json,
    save_array,
    write_json,
    write_manifest,
)
from policytext.checks import ensure_documents, progress_bar, show_progress
from policytext.text.tokenize import Tokenizer
from policytext.topics.perplexity import infer_gamma, log_perplexity
from policytext.topics.saved import load_estimator, save_dictionary, tokenizer_params, tokenizer_record
from policytext.topics.inputs import (
    Documents,
    pass_counter,
    PreparedCorpus,
    as_documents,
    dtm_bows,
    make_dictionary,
    merge_phrases,
    require,
)

KIND = "policytext.TopicModel"
FORMAT_VERSION = "1.0"
BACKENDS = ("gensim", "tomotopy")
PHRASE_DEFAULTS = {"min_count": 5, "threshold": 10.0}


# -- the model ---------------------------------------------------------------------------------------------------
class TopicModel(BaseEstimator):
    """Latent Dirichlet allocation with dictionary filtering, optional phrase merging and seeded fitting.

    Parameters:
        k: number of topics.
        seed: random seed, recorded in the saved model.
        backend: ``"gensim"`` (variational Bayes, default) or ``"tomotopy"`` (collapsed Gibbs sampling, faster).
        passes, iterations: gensim passes over the corpus and inference iterations per document.
        train_iter: Gibbs sweeps for the tomotopy backend.
        alpha, eta: document-topic and topic-word priors (gensim names; ``"symmetric"``, ``"auto"`` or numbers).
        min_df: drop terms in fewer documents (int) or a smaller share of documents (float).
        max_df: drop terms in more documents (int) or a larger share (float).
        keep_n: keep at most this many most frequent terms.
        phrases: merge frequent word pairs with gensim ``Phrases`` (``True`` or a dict of its options).
        tokenizer: the :class:`Tokenizer` for raw texts (default ``Tokenizer()``), saved with the model.
        workers: ``> 1`` fits with gensim ``LdaMulticore``, which is not reproducible.

    Example:
        >>> docs = [["数据", "共享", "平台"], ["政务", "服务", "平台"], ["数据", "要素", "市场"]] * 5
        >>> model = TopicModel(k=2, seed=7, min_df=1, max_df=1.0, passes=2).fit(docs)
        >>> model.transform(docs[:1]).shape
        (1, 2)
    """

    def __init__(self, k: int = 10, *, seed: int = 0, backend: str = "gensim", passes: int = 10,
                 iterations: int = 50, train_iter: int = 300, alpha: Any = "symmetric", eta: Any = None,
                 min_df: int | float = 2, max_df: int | float = 0.5, keep_n: int | None = None,
                 phrases: bool | Mapping[str, Any] = False, tokenizer: Tokenizer | None = None,
                 workers: int = 1) -> None:
        self.k = k
        self.seed = seed
        self.backend = backend
        self.passes = passes
        self.iterations = iterations
        self.train_iter = train_iter
        self.alpha = alpha
        self.eta = eta
        self.min_df = min_df
        self.max_df = max_df
        self.keep_n = keep_n
        self.phrases = phrases
        self.tokenizer = tokenizer
        self.workers = workers

    # fitting ---------------------------------------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None, *, progress: bool | None = None) -> TopicModel:
        """Learn topics from token lists, texts, a segments DataFrame, a Corpus or a DocumentTermMatrix.

        ``progress`` draws a bar over the passes (gensim) or sweeps (tomotopy) on stderr; ``None`` (default) draws
        it when stderr is a terminal. It changes nothing in the result.

        Example:
            >>> TopicModel(k=2, min_df=1, max_df=1.0, passes=1).fit([["数据", "共享"], ["政务", "服务"]]).k
            2
        """
        return self.fit_prepared(self.prepare(X), progress=progress)

    def prepare(self, X: Any) -> PreparedCorpus:
        """Tokenize, merge phrases and filter the dictionary once, for fitting several models on the same data."""
        self._check_params()
        tokenizer = self.tokenizer if self.tokenizer is not None else Tokenizer()
        docs = as_documents(X, tokenizer)
        corpora = require("gensim.corpora", "TopicModel")
        pairs: list[tuple[str, str]] = []
        if docs.dtm is not None:
            if self.phrases:
                raise ValueError("phrases=True needs token lists or texts, not a DocumentTermMatrix; "
                                 "merge phrases before counting or pass the tokens")
            m = docs.dtm.matrix
            dictionary = make_dictionary(docs.dtm.vocabulary, np.asarray((m > 0).sum(0)).ravel(),
                                         np.asarray(m.sum(0)).ravel(), m.shape[0])
            bows = dtm_bows(docs.dtm, dictionary)
            tokens = [[dictionary[i] for i, c in bow for _ in range(c)] for bow in bows]
        else:
            tokens = docs.tokens
            if self.phrases:
                pairs = self._learn_phrases(tokens)
                tokens = merge_phrases(tokens, set(pairs))
            dictionary = corpora.Dictionary(tokens)
            n = len(tokens)
            no_below = self.min_df if isinstance(self.min_df, int) else int(np.ceil(self.min_df * n))
            no_above = self.max_df if isinstance(self.max_df, float) else self.max_df / max(n, 1)
            dictionary.filter_extremes(no_below=no_below, no_above=no_above, keep_n=self.keep_n)
            bows = [dictionary.doc2bow(doc) for doc in tokens]
        self._check_data(bows, dictionary)
        return PreparedCorpus(tokenizer, tokens, dictionary, bows, pairs, data_checksum(tokens))

    def fit_prepared(self, data: PreparedCorpus, *, progress: bool | None = None) -> TopicModel:
        """Fit on data from :meth:`prepare` (possibly prepared by another model with the same filters)."""
        self._check_params()
        if len(data.dictionary) < self.k:
            self._check_data(data.bows, data.dictionary)
        nonempty = [b for b in data.bows if b]
        self.tokenizer_ = data.tokenizer
        self.phrase_pairs_ = list(data.phrase_pairs)
        self.dictionary_ = data.dictionary
        self.n_documents_ = len(data.bows)
        self.n_empty_ = len(data.bows) - len(nonempty)
        self.data_checksum_ = data.checksum
        fit = self._fit_tomotopy if self.backend == "tomotopy" else self._fit_gensim
        sstats, alpha, eta = fit(nonempty, data.dictionary, show_progress(progress))
        self.topic_word_counts_, self.alpha_, self.eta_ = sstats, alpha, eta
        self.labels_: list[str] | None = None
        return self

    def _check_params(self) -> None:
        if not isinstance(self.k, (int, np.integer)) or self.k < 1:
            raise ValueError(f"k must be a positive int (number of topics), not {self.k!r}")
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {list(BACKENDS)}, not {self.backend!r}")
        if not isinstance(self.seed, (int, np.integer)):
            raise TypeError(f"seed must be an int so the fit can be repeated, not {self.seed!r}")
        if not isinstance(self.workers, int) or self.workers < 1:
            raise ValueError(f"workers must be an int >= 1 (1 = reproducible single process), not {self.workers!r}")

    def _check_data(self, bows: list[list[tuple[int, int]]], dictionary: Any) -> None:
        filters = f"min_df={self.min_df!r}, max_df={self.max_df!r}, keep_n={self.keep_n!r}"
        nonempty = sum(1 for b in bows if b)
        if nonempty == 0:
            raise ValueError(
                f"all {len(bows)} documents are empty after stopword removal and dictionary filtering ({filters}); "
                "pass longer texts, a tokenizer with fewer stopwords, a lower min_df or a higher max_df"
            )
        if len(dictionary) < self.k:
            raise ValueError(
                f"k={self.k} topics but only {len(dictionary)} terms remain after filtering ({filters}); "
                f"lower k to at most {len(dictionary)} or relax the filters (lower min_df, raise max_df)"
            )
        if nonempty < len(bows):
            warnings.warn(f"{len(bows) - nonempty} of {len(bows)} documents have no terms after filtering; they "
                          "are left out of training and get NaN topic shares", UserWarning, stacklevel=3)

    def _learn_phrases(self, tokens: list[list[str]]) -> list[tuple[str, str]]:
        phrases_mod = require("gensim.models.phrases", "phrases=True")
        options = {**PHRASE_DEFAULTS, **(self.phrases if isinstance(self.phrases, Mapping) else {})}
        frozen = phrases_mod.Phrases(tokens, delimiter="\x1f", **options).freeze()
        pairs = {tuple(key.split("\x1f")) for key in frozen.phrasegrams}
        return sorted(p for p in pairs if len(p) == 2)

    def _fit_gensim(self, bows: list, dictionary: Any, progress: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        gensim_models = require("gensim.models", "TopicModel")
        options = dict(corpus=bows, id2word=dictionary, num_topics=int(self.k), passes=self.passes,
                       iterations=self.iterations, alpha=self.alpha, eta=self.eta, random_state=int(self.seed),
                       eval_every=None, dtype=np.float64)
        if self.workers > 1 and self.alpha == "auto":
            raise ValueError("alpha='auto' is not available with workers > 1 (LdaMulticore); use workers=1")
        with progress_bar(progress, total=int(self.passes), desc=f"LDA K={self.k} (gensim)", unit="pass") as bar:
            if progress:  # gensim calls its callbacks once per pass; the bar reads nothing from the model
                options["callbacks"] = [pass_counter(bar)]
            if self.workers > 1:
                lda = gensim_models.LdaMulticore(workers=self.workers, **options)
            else:
                lda = gensim_models.LdaModel(**options)
        return lda.state.sstats.copy(), np.asarray(lda.alpha, dtype=np.float64), np.asarray(lda.eta, dtype=np.float64)

    def _fit_tomotopy(self, bows: list, dictionary: Any, progress: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        tp = require("tomotopy", "backend='tomotopy'")
        alpha = 1.0 / self.k if not isinstance(self.alpha, (int, float)) else float(self.alpha)
        eta = 0.01 if self.eta is None or isinstance(self.eta, str) else float(self.eta)
        mdl = tp.LDAModel(k=int(self.k), alpha=alpha, eta=eta, seed=int(self.seed))
        for bow in bows:
            mdl.add_doc([dictionary[i] for i, c in bow for _ in range(c)])
        # One worker: tomotopy's parallel samplers interleave updates in a timing-dependent order. Sweeps run in
        # steps of 10 for the bar: tomotopy keeps its step count across calls, so the result is the same.
        sweeps = int(self.train_iter)
        step = 10 if progress else max(sweeps, 1)
        with progress_bar(progress, total=sweeps, desc=f"LDA K={self.k} (tomotopy)", unit="sweep") as bar:
            for done in range(0, max(sweeps, 1), step):
                mdl.train(min(step, sweeps - done), workers=1)
                bar.update(min(step, sweeps - done))
        counts = np.zeros((self.k, len(dictionary)))
        cols = np.array([dictionary.token2id[w] for w in mdl.used_vocabs])
        for t in range(self.k):
            counts[t, cols] = np.asarray(mdl.get_topic_word_dist(t, normalize=False))[: len(cols)]
        return counts, np.asarray(mdl.alpha, dtype=np.float64), np.full(len(dictionary), mdl.eta)

    # inference ---------------------------------------------------------------------------------------------------
    def _bows(self, docs: Documents) -> list[list[tuple[int, int]]]:
        if docs.dtm is not None:
            return dtm_bows(docs.dtm, self.dictionary_)
        tokens = merge_phrases(docs.tokens, set(map(tuple, self.phrase_pairs_)))
        return [self.dictionary_.doc2bow(doc) for doc in tokens]

    def _theta(self, docs: Documents) -> np.ndarray:
        bows = self._bows(docs)
        theta = np.full((len(bows), self.k), np.nan)
        rows = [i for i, b in enumerate(bows) if b]
        if rows:
            gamma = infer_gamma(self.topic_word_counts_, self.alpha_, self.eta_, [bows[i] for i in rows],
                                self.iterations)
            theta[rows] = gamma / gamma.sum(axis=1, keepdims=True)
        return theta

    def transform(self, X: Any) -> np.ndarray:
        """Topic shares per document (rows sum to 1; NaN for documents with no known terms).

        Example:
            >>> docs = [["数据", "共享"], ["政务", "服务"]] * 3
            >>> TopicModel(k=2, min_df=1, max_df=1.0, passes=1).fit(docs).transform(docs).sum(axis=1).round(6).tolist()
            [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
        """
        self._check_fitted()
        return self._theta(as_documents(X, self.tokenizer_))

    def document_topics(self, X: Any) -> pd.DataFrame:
        """Topic shares as a table keyed by ``doc_id`` (and ``segment_id``) with all metadata joined.

        Columns: the key and metadata columns, ``n_terms``, ``topic_0`` … ``topic_{k-1}``, ``dominant_topic``.
        """
        self._check_fitted()
        docs = as_documents(X, self.tokenizer_)
        theta = self._theta(docs)
        table = docs.table.copy()
        table["n_terms"] = [sum(c for _, c in b) for b in self._bows(docs)]
        shares = pd.DataFrame(theta, columns=[f"topic_{t}" for t in range(self.k)])
        out = pd.concat([table.reset_index(drop=True), shares], axis=1)
        out["dominant_topic"] = pd.array(
            [int(np.argmax(r)) if np.isfinite(r).all() else pd.NA for r in theta], dtype="Int64")
        return out

    # reading ------------------------------------------------------------------------------------------------------
    @property
    def topic_word_(self) -> np.ndarray:
        """Topic-word probabilities, ``k × vocabulary``."""
        lam = self.topic_word_counts_ + self.eta_
        return lam / lam.sum(axis=1, keepdims=True)

    @property
    def vocabulary_(self) -> list[str]:
        return [self.dictionary_[i] for i in range(len(self.dictionary_))]

    def term_frequency(self) -> np.ndarray:
        """Occurrences of each vocabulary term in the training data."""
        return np.array([self.dictionary_.cfs.get(i, 0) for i in range(len(self.dictionary_))], dtype=float)

    def top_terms(self, n: int = 10, *, relevance: float = 1.0) -> pd.DataFrame:
        """Top ``n`` terms per topic, ranked by relevance with weight λ = ``relevance`` (as in LDAvis).

        λ = 1 ranks by probability p(w|k); smaller λ favours terms specific to the topic:
        ``λ·log p(w|k) + (1−λ)·log(p(w|k)/p(w))``. Columns: topic, label, rank, term, weight (p(w|k)), relevance.

        Example:
            >>> docs = [["数据", "共享"], ["政务", "服务"]] * 3
            >>> TopicModel(k=2, min_df=1, max_df=1.0, passes=1).fit(docs).top_terms(n=1).columns.tolist()
            ['topic', 'label', 'rank', 'term', 'weight', 'relevance']
        """
        self._check_fitted()
        if not 0.0 <= relevance <= 1.0:
            raise ValueError(f"relevance (LDAvis λ) must be between 0 and 1, not {relevance!r}")
        phi = self.topic_word_
        freq = self.term_frequency() + 1e-12
        score = relevance * np.log(phi) + (1 - relevance) * np.log(phi / (freq / freq.sum()))
        vocab, labels, rows = self.vocabulary_, self.topic_labels, []
        for t in range(self.k):
            order = np.lexsort((np.arange(len(vocab)), -score[t]))[:n]
            rows += [(t, labels[t], r + 1, vocab[j], float(phi[t, j]), float(score[t, j])) for r, j in enumerate(order)]
        return pd.DataFrame(rows, columns=["topic", "label", "rank", "term", "weight", "relevance"])

    @property
    def topic_labels(self) -> list[str]:
        """Labels set with :meth:`set_labels`, else ``"T3 数据·共享·开放"`` from the three most probable terms."""
        self._check_fitted()
        if getattr(self, "labels_", None):
            return list(self.labels_)
        vocab, phi = self.vocabulary_, self.topic_word_
        return [f"T{t} " + "·".join(vocab[j] for j in np.argsort(-phi[t], kind="stable")[:3]) for t in range(self.k)]

    def set_labels(self, labels: Sequence[str] | Mapping[int, str]) -> TopicModel:
        """Name topics: a list of ``k`` labels or ``{topic: label}`` for some of them (saved with the model).

        Example:
            >>> docs = [["数据", "共享"], ["政务", "服务"]] * 3
            >>> m = TopicModel(k=2, min_df=1, max_df=1.0, passes=1).fit(docs).set_labels({0: "数据"})
            >>> m.topic_labels[0]
            '数据'
        """
        current = self.topic_labels
        if isinstance(labels, Mapping):
            bad = [t for t in labels if not 0 <= int(t) < self.k]
            if bad:
                raise ValueError(f"set_labels: topics {bad} do not exist; topics are 0..{self.k - 1}")
            for t, label in labels.items():
                current[int(t)] = str(label)
        else:
            labels = ensure_documents(labels, "labels")
            if len(labels) != self.k:
                raise ValueError(f"set_labels: got {len(labels)} labels for {self.k} topics; give exactly {self.k} "
                                 "or a dict {topic: label}")
            current = labels
        self.labels_ = current
        return self

    def representative(self, X: Any, n: int = 5) -> pd.DataFrame:
        """The ``n`` documents or segments with the highest share of each topic, with key, share and text."""
        table = self.document_topics(X)
        docs_text = as_documents(X, self.tokenizer_).texts if not isinstance(X, DocumentTermMatrix) else None
        if docs_text is not None:
            table["text"] = docs_text
        rows = []
        for t in range(self.k):
            top = table.dropna(subset=[f"topic_{t}"]).sort_values(f"topic_{t}", ascending=False, kind="stable")
            top = top.head(n).assign(topic=t, label=self.topic_labels[t], rank=range(1, min(n, len(top)) + 1))
            rows.append(top.rename(columns={f"topic_{t}": "share"}))
        out = pd.concat(rows, ignore_index=True)
        front = ["topic", "label", "rank", "share"]
        return out[front + [c for c in out.columns if c not in front and not c.startswith("topic_")]]

    def coherence(self, X: Any, measures: Sequence[str] = ("c_v", "u_mass"), topn: int = 10) -> dict[str, float]:
        """Mean topic coherence on documents ``X`` (c_v, u_mass, c_npmi, c_uci; gensim ``CoherenceModel``'s values).

        Per-topic values: :func:`policytext.coherence`.
        """
        from policytext.topics.coherence import coherence_scores

        self._check_fitted()
        docs = as_documents(X, self.tokenizer_)
        tokens = merge_phrases(docs.tokens, set(map(tuple, self.phrase_pairs_)))
        topics = self.top_terms(topn).groupby("topic")["term"].apply(list).tolist()
        return coherence_scores([topics], tokens, self.dictionary_, measures)[0]

    def perplexity(self, X: Any) -> float:
        """Perplexity ``2 ** -bound`` per word (gensim's variational bound) on documents ``X``; lower is better."""
        self._check_fitted()
        return self.perplexity_of_bows([b for b in self._bows(as_documents(X, self.tokenizer_)) if b])

    def perplexity_of_bows(self, bows: Sequence[Sequence[tuple[int, int]]]) -> float:
        """Perplexity on non-empty bags of words over ``dictionary_`` (all documents inferred at once).

        Example:
            >>> docs = [["数据", "共享"], ["政务", "服务"]] * 3
            >>> model = TopicModel(k=2, min_df=1, max_df=1.0, passes=1).fit(docs)
            >>> model.perplexity_of_bows([model.dictionary_.doc2bow(d) for d in docs]) > 1
            True
        """
        self._check_fitted()
        return float(2 ** (-log_perplexity(self.topic_word_counts_, self.alpha_, self.eta_, bows, self.iterations)))

    def export_ldavis(self, X: Any, path: str | os.PathLike[str]) -> Path:
        """Write an interactive pyLDAvis page to ``path`` (its scripts copied beside it, so it works offline)."""
        pyldavis = require("pyLDAvis", "export_ldavis")
        self._check_fitted()
        docs = as_documents(X, self.tokenizer_)
        theta = self._theta(docs)
        lengths = np.array([sum(c for _, c in b) for b in self._bows(docs)])
        keep = np.isfinite(theta).all(axis=1) & (lengths > 0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            vis = pyldavis.prepare(self.topic_word_, theta[keep], lengths[keep], self.vocabulary_,
                                   self.term_frequency(), sort_topics=False, n_jobs=1, start_index=0)
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        js = Path(pyldavis.__file__).parent / "js"
        for name in ("d3.v5.min.js", "ldavis.v3.0.0.js", "ldavis.v1.0.0.css"):
            shutil.copyfile(js / name, target.parent / name)
        html = pyldavis.prepared_data_to_html(vis, d3_url="d3.v5.min.js", ldavis_url="ldavis.v3.0.0.js",
                                              ldavis_css_url="ldavis.v1.0.0.css", visid="ldavis")
        target.write_text(html, encoding="utf-8")
        return target

    # persistence -----------------------------------------------------------------------------------------------
    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Save to a folder: manifest.json, dictionary.json and the model arrays as .npy (no pickle).

        Example:
            >>> import tempfile
            >>> docs = [["数据", "共享"], ["政务", "服务"]] * 3
            >>> folder = TopicModel(k=2, min_df=1, max_df=1.0, passes=1).fit(docs).save(tempfile.mkdtemp())
            >>> TopicModel.load(folder).k
            2
        """
        self._check_fitted()
        folder = Path(directory)
        params = self.get_params(deep=False)
        params["tokenizer"] = None if self.tokenizer is None else tokenizer_params(self.tokenizer)
        write_manifest(folder, kind=KIND, format_version=FORMAT_VERSION, parameters=params,
                       labels=self.topic_labels if getattr(self, "labels_", None) else None,
                       data_checksum=self.data_checksum_, seed=int(self.seed),
                       metrics={"n_documents": self.n_documents_, "n_empty": self.n_empty_,
                                "vocabulary": len(self.dictionary_)},
                       dependencies=("gensim", "tomotopy", "scikit-learn"),
                       extra=tokenizer_record(self.tokenizer_))
        save_dictionary(folder, self.dictionary_)
        write_json(folder, "phrases.json", [list(p) for p in self.phrase_pairs_])
        save_array(folder, "topic_word_counts", self.topic_word_counts_)
        save_array(folder, "alpha", self.alpha_)
        save_array(folder, "eta", self.eta_)
        return folder

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> TopicModel:
        """Load a model saved with :meth:`save`, refusing other kinds or incompatible formats."""
        folder = Path(directory)
        model, manifest = load_estimator(cls, folder, KIND, FORMAT_VERSION)
        model.phrase_pairs_ = [tuple(p) for p in read_json(folder, "phrases.json")]
        model.topic_word_counts_ = load_array(folder, "topic_word_counts")
        model.alpha_, model.eta_ = load_array(folder, "alpha"), load_array(folder, "eta")
        model.labels_ = manifest.get("labels")
        model.data_checksum_ = manifest.get("data_checksum")
        model.n_documents_ = manifest["metrics"].get("n_documents")
        model.n_empty_ = manifest["metrics"].get("n_empty")
        return model

    def _check_fitted(self) -> None:
        if not hasattr(self, "topic_word_counts_"):
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet; call .fit(documents) first")
