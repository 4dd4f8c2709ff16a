"""Document context as features for :class:`~policytext.classify.estimator.PolicyClassifier`.

A paragraph's label often depends on its document: under innovation-stage coding a paragraph takes the stage of
its innovation object *in that document*, and a government work report speaks differently from a regulation.
With ``PolicyClassifier(context=...)`` the estimator takes a DataFrame with a ``text`` column and context
columns, and appends these blocks to its word and character TF-IDF:

=============  ==============  ===================================================================================
option         column          block
=============  ==============  ===================================================================================
``doc_type``   ``doc_type``    one-hot document type (types unseen in training: all zeros)
``level``      ``level``       one-hot administrative level
``title``      ``title``       character 1–3-gram TF-IDF of the document title (unit length)
``terms``      (``text``)      evidence per label of the codebook's indicator terms in the segment (the rule
                               tagger's counts, negation and hedging included), log(1 + count)
``doc_terms``  ``doc_text``    the same evidence over the whole document, as shares of the document's evidence
``vectors``    ``vectors``     a dense vector per row computed by the caller (e.g. mean word vectors), unit length
=============  ==============  ===================================================================================

Every block has a row length of at most 1, like each TF-IDF block, and is multiplied by ``context_weight``,
so no block dominates the SVM merely by its scale. The fitted state is plain data (category lists, a title
vocabulary, idf weights, the codebook as a dict), saved as JSON and one array.

Example:
    >>> frame = pd.DataFrame({"text": ["推进一网通办"], "doc_type": ["law"], "level": ["national"]})
    >>> blocks = ContextFeatures(("doc_type", "level"), 1.0).fit(frame, frame["text"].tolist())
    >>> blocks.transform(frame, frame["text"].tolist()).toarray().tolist()
    [[1.0, 1.0]]
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from policytext.classify.codebook import Codebook, load_codebook
from policytext.classify.features import check_texts, fit_vocabulary, normalize_text, tfidf
from policytext.classify.rules import RuleTagger

CONTEXT_OPTIONS = ("doc_type", "level", "title", "terms", "doc_terms", "vectors")
# The DataFrame column each option reads ("terms" reads the segment text itself).
CONTEXT_COLUMNS = {"doc_type": "doc_type", "level": "level", "title": "title", "doc_terms": "doc_text",
                   "vectors": "vectors"}
TITLE_NGRAMS = (1, 3)


def check_context(context: Any) -> tuple[str, ...]:
    """The context options as a tuple in canonical order; refuse a bare str and unknown options.

    Example:
        >>> check_context(["title", "doc_type"])
        ('doc_type', 'title')
    """
    if context is None:
        return ()
    if isinstance(context, str):
        raise TypeError(f"context must be a tuple of options, not the str {context!r}; write context=({context!r},)")
    options = tuple(context)
    unknown = [o for o in options if o not in CONTEXT_OPTIONS]
    if unknown:
        raise ValueError(f"context has unknown options {unknown}; choose from {list(CONTEXT_OPTIONS)}")
    return tuple(o for o in CONTEXT_OPTIONS if o in options)


def split_input(X: Any, argument: str, context: tuple[str, ...]) -> tuple[list[str], pd.Index, pd.DataFrame | None]:
    """Texts, their index and the context frame (rows aligned with the texts) of a list of texts or a DataFrame.

    A DataFrame needs a ``text`` column and, when ``context`` is used, the columns its options read.

    Example:
        >>> split_input(pd.DataFrame({"text": ["一网通办"]}), "X", ())[0]
        ['一网通办']
    """
    if not isinstance(X, pd.DataFrame):
        texts, index = check_texts(X, argument)
        if not context:
            return texts, index, None
        if "vectors" in context:
            raise TypeError(f"this classifier uses document context {list(context)} including caller-made vectors; "
                            f"pass {argument} as a DataFrame with a 'vectors' column")
        warnings.warn(
            f"this classifier uses document context {list(context)} but got texts only: each text is read as its "
            "own document, without genre, level or title, which is less accurate than the figures in its manifest; "
            "pass a DataFrame with text, doc_type, level, title and doc_text (policytext.tag_documents does this "
            "for a Corpus)", UserWarning, stacklevel=3)
        frame = pd.DataFrame({"text": texts, "doc_type": "", "level": "", "title": "", "doc_text": texts})
        return texts, index, frame
    if "text" not in X.columns:
        raise KeyError(f"{argument} is a DataFrame without a 'text' column (columns: {list(X.columns)}); "
                       "rename the column of segment texts to 'text'")
    if "doc_terms" in context and "doc_text" not in X.columns and "doc_id" in X.columns:
        # Segments of a corpus carry doc_id but not the document: their texts joined per document stand for it.
        warnings.warn(f"{argument} has no 'doc_text' column: each document's text is taken as its segments in "
                      f"{argument} joined together", UserWarning, stacklevel=3)
        joined = X.groupby("doc_id", sort=False)["text"].agg(lambda t: "\n".join(map(str, t)))
        X = X.assign(doc_text=X["doc_id"].map(joined))
    missing = [CONTEXT_COLUMNS[o] for o in context if o in CONTEXT_COLUMNS and CONTEXT_COLUMNS[o] not in X.columns]
    if missing:
        raise KeyError(f"{argument} lacks the context columns {missing} that context={list(context)} reads; add "
                       "them (empty strings for unknown values) or fit without those options")
    texts, _ = check_texts(X["text"].tolist(), f"{argument}['text']")
    return texts, X.index, X.reset_index(drop=True)


def _strings(frame: pd.DataFrame, column: str) -> list[str]:
    # Unknown metadata is common (a title-less file, a corpus without levels): it becomes "", not an error.
    return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip() for v in frame[column]]


def _cap(x: np.ndarray) -> np.ndarray:
    """Rows longer than 1 scaled to length 1; shorter rows keep their size (one match stays weaker than five)."""
    norms = np.sqrt((x * x).sum(axis=1))
    return x / np.maximum(norms, 1.0)[:, None]


class ContextFeatures:
    """The context blocks of one fitted classifier: ``fit`` learns categories and the title vocabulary,
    ``transform`` builds the weighted sparse block, ``state``/``from_state`` move it through JSON.

    ``options`` as checked by :func:`check_context`; ``weight`` multiplies every block; ``codebook`` (a name,
    path or Codebook) supplies the indicator terms for ``terms`` and ``doc_terms``.
    """

    def __init__(self, options: tuple[str, ...], weight: float, codebook: Any = None) -> None:
        self.options = check_context(options)
        self.weight = float(weight)
        self.codebook = None
        self.term_labels: list[str] = []
        if "terms" in self.options or "doc_terms" in self.options:
            if codebook is None:
                raise ValueError("context options 'terms' and 'doc_terms' count a codebook's indicator terms; pass "
                                 "codebook= (e.g. 'innovation-stage') to the classifier")
            self.codebook = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
            self.tagger = RuleTagger(self.codebook).fit()
            self.term_labels = list(self.tagger.classes_[:-1])
        self.doc_types: list[str] = []
        self.levels: list[str] = []
        self.title_vocabulary: list[str] = []
        self.title_idf = np.zeros(0)
        self.vector_size = 0

    def fit(self, frame: pd.DataFrame, texts: list[str]) -> ContextFeatures:
        """Learn the categories, the title vocabulary and the vector size from the training rows."""
        if frame is None:
            raise TypeError(f"context {list(self.options)} needs a DataFrame of texts and context columns, not a "
                            "list of texts; cross-validate such a model with policytext.grouped_cross_validate")
        if "doc_type" in self.options:
            self.doc_types = sorted(set(_strings(frame, "doc_type")) - {""})
        if "level" in self.options:
            self.levels = sorted(set(_strings(frame, "level")) - {""})
        if "title" in self.options:
            titles = [normalize_text(t) for t in _strings(frame, "title")]
            if any(titles):
                self.title_vocabulary, self.title_idf = fit_vocabulary(
                    CountVectorizer(analyzer="char", ngram_range=TITLE_NGRAMS, min_df=1), titles, "title")
        if "vectors" in self.options:
            self.vector_size = _vectors(frame).shape[1]
        return self

    @property
    def width(self) -> int:
        """Number of columns ``transform`` returns."""
        return (len(self.doc_types) + len(self.levels) + len(self.title_vocabulary)
                + len(self.term_labels) * (("terms" in self.options) + ("doc_terms" in self.options))
                + self.vector_size)

    def transform(self, frame: pd.DataFrame, texts: list[str]) -> sp.csr_matrix:
        """The weighted context block, one row per text."""
        n = len(texts)
        blocks: list[sp.spmatrix] = []
        for option, categories in (("doc_type", self.doc_types), ("level", self.levels)):
            if option in self.options:
                position = {c: i for i, c in enumerate(categories)}
                rows = [(r, position[v]) for r, v in enumerate(_strings(frame, option)) if v in position]
                data = np.ones(len(rows))
                blocks.append(sp.csr_matrix((data, ([r for r, _ in rows], [c for _, c in rows])),
                                            shape=(n, len(categories))))
        if self.title_vocabulary:
            vectorizer = CountVectorizer(analyzer="char", ngram_range=TITLE_NGRAMS,
                                         vocabulary={t: i for i, t in enumerate(self.title_vocabulary)})
            titles = [normalize_text(t) for t in _strings(frame, "title")]
            blocks.append(tfidf(vectorizer.transform(titles), self.title_idf))
        if "terms" in self.options:
            blocks.append(sp.csr_matrix(_cap(np.log1p(self._evidence(texts)))))
        if "doc_terms" in self.options:
            # A row without a document text stands for itself: its own evidence is its document's.
            docs = [d or t for d, t in zip(_strings(frame, "doc_text"), texts)]
            counts = self._evidence(docs)
            totals = counts.sum(axis=1, keepdims=True)
            blocks.append(sp.csr_matrix(counts / np.maximum(totals, 1.0)))
        if self.vector_size:
            vectors = _vectors(frame)
            if vectors.shape[1] != self.vector_size:
                raise ValueError(f"column 'vectors' holds vectors of length {vectors.shape[1]}, but the classifier was "
                                 f"fitted on length {self.vector_size}; compute them with the same embedding")
            norms = np.sqrt((vectors * vectors).sum(axis=1))
            blocks.append(sp.csr_matrix(vectors / np.where(norms > 0, norms, 1.0)[:, None]))
        if not blocks:
            return sp.csr_matrix((n, 0))
        return sp.csr_matrix(sp.hstack(blocks, format="csr") * self.weight)

    def _evidence(self, texts: list[str]) -> np.ndarray:
        """Evidence counts per label (columns ``term_labels``); each distinct text is matched once."""
        unique = list(dict.fromkeys(texts))
        scores = self.tagger.scores(unique).to_numpy(dtype=np.float64)
        row = {t: i for i, t in enumerate(unique)}
        return scores[[row[t] for t in texts]] if texts else np.zeros((0, len(self.term_labels)))

    def state(self) -> dict[str, Any]:
        """JSON-ready fitted state (the title idf weights are saved apart, as an array)."""
        return {"options": list(self.options), "weight": self.weight, "doc_types": self.doc_types,
                "levels": self.levels, "title_vocabulary": self.title_vocabulary, "vector_size": self.vector_size,
                "term_labels": self.term_labels,
                "codebook": self.codebook.to_dict() if self.codebook is not None else None}

    @classmethod
    def from_state(cls, state: dict[str, Any], title_idf: np.ndarray) -> ContextFeatures:
        """Rebuild fitted blocks from :meth:`state` and the title idf weights; refuse a changed codebook."""
        codebook = Codebook.from_dict(state["codebook"], source="context.json") if state["codebook"] else None
        blocks = cls(tuple(state["options"]), state["weight"], codebook)
        if blocks.term_labels != list(state["term_labels"]):
            raise ValueError(f"the saved codebook gives labels {blocks.term_labels}, not the saved {state['term_labels']}")
        blocks.doc_types, blocks.levels = list(state["doc_types"]), list(state["levels"])
        blocks.title_vocabulary, blocks.title_idf = list(state["title_vocabulary"]), np.asarray(title_idf)
        blocks.vector_size = int(state["vector_size"])
        return blocks


def _vectors(frame: pd.DataFrame) -> np.ndarray:
    try:
        vectors = np.asarray([np.asarray(v, dtype=np.float64) for v in frame["vectors"]], dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("column 'vectors' must hold one numeric vector of the same length per row") from None
    if vectors.ndim != 2 or not np.isfinite(vectors).all():
        raise ValueError("column 'vectors' must hold one finite numeric vector of the same length per row")
    return vectors
