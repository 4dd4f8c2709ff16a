"""What topic models read: documents normalised to tokens or a DTM with their keys, phrase merging, gensim
dictionaries and bags of words, and the shared variational inference engine.

:class:`~policytext.topics.model.TopicModel`, :mod:`policytext.topics.select` and :mod:`policytext.topics.dynamic` all
prepare their input here, so a text, a segments table, a Corpus or a DTM means the same thing to each of them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from policytext.corpus.corpus import Corpus
from policytext.text.counts import DocumentTermMatrix
from policytext.checks import ensure_documents
from policytext.text.tokenize import Tokenizer

PHRASE_JOINER = "_"


def require(package: str, purpose: str) -> Any:
    """Import an optional dependency, or say which extra installs it."""
    import importlib

    try:
        with warnings.catch_warnings():
            # tomotopy's compiled types trigger a DeprecationWarning at import under Python 3.11+.
            warnings.filterwarnings("ignore", message="builtin type .* has no __module__", category=DeprecationWarning)
            return importlib.import_module(package)
    except ImportError:
        raise ImportError(f"{purpose} needs {package}: pip install 'policytext[topics]'") from None


# -- input documents ---------------------------------------------------------------------------------------------
class Documents:
    """Documents normalised for a topic model: tokens (or a DTM) and a key table (doc_id/segment_id + metadata)."""

    def __init__(self, table: pd.DataFrame, tokens: list[list[str]] | None = None,
                 texts: list[str] | None = None, dtm: DocumentTermMatrix | None = None) -> None:
        self.table, self.tokens, self.texts, self.dtm = table, tokens, texts, dtm

    @property
    def key(self) -> str:
        return "segment_id" if "segment_id" in self.table.columns else "doc_id"


def as_documents(X: Any, tokenizer: Tokenizer, argument: str = "X") -> Documents:
    """Normalise a Corpus, a segments/documents DataFrame, a DocumentTermMatrix, texts or token lists."""
    if isinstance(X, DocumentTermMatrix):
        return Documents(pd.DataFrame({"doc_id": list(X.doc_ids)}), dtm=X)
    if isinstance(X, Corpus):
        X = X.to_frame()
    if isinstance(X, pd.DataFrame):
        frame = X.reset_index(drop=True)
        if "doc_id" not in frame.columns:
            frame.insert(0, "doc_id", [str(i) for i in range(len(frame))])
        if "tokens" in frame.columns:
            tokens = [list(ensure_documents(t, f"{argument}['tokens'][{i}]")) for i, t in enumerate(frame["tokens"])]
            return Documents(frame.drop(columns=["tokens", "text"], errors="ignore"), tokens, _texts(frame))
        if "text" not in frame.columns:
            raise ValueError(
                f"{argument}: a DataFrame needs a 'text' or 'tokens' column; columns are {list(frame.columns)}"
            )
        texts = ensure_documents(frame["text"].tolist(), f"{argument}['text']")
        return Documents(frame.drop(columns="text"), tokenizer.tokenize_many(texts), texts)
    if isinstance(X, (str, bytes)):
        raise TypeError(f"{argument} must be a list of documents (texts or token lists), not a single str; "
                        f"wrap it in a list: [{argument}]")
    items = list(X)
    table = pd.DataFrame({"doc_id": [str(i) for i in range(len(items))]})
    if all(isinstance(item, str) for item in items):
        return Documents(table, tokenizer.tokenize_many(items), items)
    tokens = [list(ensure_documents(item, f"{argument}[{i}]")) for i, item in enumerate(items)]
    return Documents(table, tokens)


def _texts(frame: pd.DataFrame) -> list[str] | None:
    return frame["text"].tolist() if "text" in frame.columns else None


def merge_phrases(tokens: list[list[str]], pairs: set[tuple[str, str]]) -> list[list[str]]:
    """Join adjacent token pairs found in ``pairs`` left to right, as gensim's frozen ``Phrases`` does.

    Example:
        >>> merge_phrases([["数据", "共享", "平台"]], {("数据", "共享")})
        [['数据_共享', '平台']]
    """
    if not pairs:
        return tokens
    out = []
    for doc in tokens:
        merged, i = [], 0
        while i < len(doc):
            if i + 1 < len(doc) and (doc[i], doc[i + 1]) in pairs:
                merged.append(doc[i] + PHRASE_JOINER + doc[i + 1])
                i += 2
            else:
                merged.append(doc[i])
                i += 1
        out.append(merged)
    return out


class PreparedCorpus:
    """Tokens, dictionary and bag-of-words corpus shared by several fits (see :meth:`TopicModel.prepare`)."""

    def __init__(self, tokenizer: Tokenizer, tokens: list[list[str]], dictionary: Any, bows: list,
                 phrase_pairs: list[tuple[str, str]], checksum: str) -> None:
        self.tokenizer, self.tokens, self.dictionary, self.bows = tokenizer, tokens, dictionary, bows
        self.phrase_pairs, self.checksum = phrase_pairs, checksum


def dtm_bows(dtm: DocumentTermMatrix, dictionary: Any) -> list[list[tuple[int, int]]]:
    """Rows of a document-term matrix as gensim bags of words over ``dictionary`` (unknown terms dropped)."""
    ids = np.array([dictionary.token2id.get(t, -1) for t in dtm.vocabulary], dtype=np.int64)
    m = dtm.matrix.tocsr()
    bows = []
    for i in range(m.shape[0]):
        cols, vals = m.indices[m.indptr[i]:m.indptr[i + 1]], m.data[m.indptr[i]:m.indptr[i + 1]]
        keep = ids[cols] >= 0
        bows.append(sorted(zip(ids[cols][keep].tolist(), vals[keep].astype(int).tolist())))
    return bows


def make_dictionary(terms: Sequence[str], dfs: Sequence[int], cfs: Sequence[int], num_docs: int) -> Any:
    """A gensim ``Dictionary`` with ids in the order of ``terms`` and the given frequencies."""
    corpora = require("gensim.corpora", "topic models")
    dictionary = corpora.Dictionary()
    dictionary.token2id = {t: i for i, t in enumerate(terms)}
    dictionary.id2token = dict(enumerate(terms))
    dictionary.dfs = {i: int(n) for i, n in enumerate(dfs)}
    dictionary.cfs = {i: int(n) for i, n in enumerate(cfs)}
    dictionary.num_docs = int(num_docs)
    dictionary.num_pos = int(sum(dictionary.cfs.values()))
    return dictionary


class _UniformStart:
    """Stands in for gensim's random state in inference: every document starts from the same gamma, so its
    topic shares do not depend on the seed or on the other documents of the batch."""

    def gamma(self, shape: float, scale: float, size: tuple[int, int]) -> np.ndarray:
        return np.ones(size)


def build_inference_model(topic_word: np.ndarray, alpha: np.ndarray, eta: np.ndarray, dictionary: Any,
                          iterations: int = 100) -> Any:
    """A gensim ``LdaModel`` whose variational state is ``topic_word`` (λ − η): the shared inference engine."""
    gensim_models = require("gensim.models", "topic models")
    k, _ = topic_word.shape
    lda = gensim_models.LdaModel(id2word=dictionary, num_topics=k, alpha=np.asarray(alpha, dtype=np.float64),
                                 eta=np.asarray(eta, dtype=np.float64), iterations=iterations, random_state=0,
                                 dtype=np.float64)
    lda.state.sstats = np.asarray(topic_word, dtype=np.float64).copy()
    lda.sync_state()
    lda.random_state = _UniformStart()
    return lda


def pass_counter(bar: Any) -> Any:
    """A gensim LDA callback that advances ``bar`` once per pass; it measures nothing and reads no model state."""
    from gensim.models.callbacks import Metric

    class PassCounter(Metric):
        logger, title, viz_env = "none", "pass", None

        def get_value(self, **kwargs: Any) -> float:
            bar.update(1)
            return 0.0

    return PassCounter()
