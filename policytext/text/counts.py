"""Counting terms: trends of terms over metadata groups, keyword in context, document-term matrices."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from policytext.checks import ensure_documents
from policytext.corpus.corpus import Corpus
from policytext.text.tokenize import Tokenizer


def _as_frame(corpus: Corpus | pd.DataFrame) -> pd.DataFrame:
    if isinstance(corpus, Corpus):
        return corpus.to_frame()
    if isinstance(corpus, pd.DataFrame) and "text" in corpus.columns:
        return corpus
    raise TypeError(
        f"expected a Corpus or a DataFrame with a 'text' column (e.g. corpus.segments()), not {type(corpus).__name__}"
    )


def term_trends(
    corpus: Corpus | pd.DataFrame,
    terms: Iterable[str],
    by: str = "year",
    *,
    rate: bool = False,
    per: int = 10_000,
    totals: bool = False,
    weight: str | None = None,
) -> pd.DataFrame:
    """Occurrences of each term per group: index = values of ``by``, one column per term.

    Counting is by substring, so a term is counted wherever it is written, even where a tokenizer would cut it
    differently; overlapping occurrences are not double-counted. With ``rate=True`` the counts are divided by
    the group's characters and multiplied by ``per`` (occurrences per 10,000 characters by default). Groups with
    a missing ``by`` value are left out. With ``totals=True`` two more columns, ``documents`` and
    ``characters``, give each group's size.

    ``weight="strength"`` weights each document by its policy strength (:func:`policytext.policy_strength`, 1–5):
    a group's value is the sum over documents of strength × occurrences (with ``rate=True``, divided by the
    group's strength-weighted characters). ``weight`` may also name a numeric column of your own. Documents
    without a weight are left out; their doc_ids are in ``result.attrs["unweighted"]``.

    Example:
        >>> c = Corpus.from_texts(["大数据", "大数据，大数据和云计算"], year=[2014, 2015])
        >>> term_trends(c, ["大数据", "云计算"])[["大数据", "云计算"]].values.tolist()
        [[1, 0], [2, 1]]
    """
    term_list = ensure_documents(terms, "terms")
    if not term_list:
        raise ValueError("terms is empty; pass at least one term, e.g. ['大数据']")
    frame = _as_frame(corpus)
    if by not in frame.columns:
        raise KeyError(f"term_trends: no column {by!r} to group by; columns are {list(frame.columns)}")
    weights, unweighted = _document_weights(frame, weight)
    if weights is not None:
        frame = frame[weights.notna()]
        weights = weights[weights.notna()].astype(float)
    counts = pd.DataFrame({t: frame["text"].str.count(re.escape(t)) for t in dict.fromkeys(term_list)})
    counts["documents"] = 1
    counts["characters"] = frame["text"].str.len()
    if weights is not None:
        weighted = [c for c in counts.columns if c != "documents"]
        counts[weighted] = counts[weighted].mul(weights.to_numpy(), axis=0)
    grouped = counts.groupby(frame[by], sort=True, dropna=True).sum()
    grouped.index.name = by
    terms_only = list(dict.fromkeys(term_list))
    if rate:
        grouped[terms_only] = grouped[terms_only].div(grouped["characters"].replace(0, np.nan), axis=0) * per
    result = grouped if totals else grouped[terms_only]
    if weight is not None:
        result.attrs["weight"], result.attrs["unweighted"] = weight, unweighted
    return result


def _document_weights(frame: pd.DataFrame, weight: str | None) -> tuple[pd.Series | None, list[str]]:
    """Each document's weight (or None without weighting) and the doc_ids that have none."""
    if weight is None:
        return None, []
    if weight == "strength" and "strength" not in frame.columns:
        from policytext.documents.strength import policy_strength

        if "doc_id" not in frame.columns:
            raise KeyError("term_trends(weight='strength') needs a doc_id column to score each document; pass a "
                           "Corpus or its to_frame()")
        values = policy_strength(frame)["strength"].to_numpy()
    elif weight in frame.columns:
        values = pd.to_numeric(frame[weight], errors="coerce").to_numpy()
    else:
        raise KeyError(f"term_trends: weight={weight!r} is neither 'strength' nor a column; columns are "
                       f"{list(frame.columns)}")
    weights = pd.Series(values, index=frame.index, dtype="Float64")
    ids = frame["doc_id"] if "doc_id" in frame.columns else pd.Series(frame.index.astype(str), index=frame.index)
    return weights, ids[weights.isna()].astype(str).tolist()


def first_appearance(corpus: Corpus | pd.DataFrame, terms: Iterable[str], by: str = "year") -> pd.Series:
    """The first value of ``by`` (e.g. year) in which each term occurs; NA for terms never found.

    Example:
        >>> c = Corpus.from_texts(["大数据", "云计算"], year=[2014, 2016])
        >>> first_appearance(c, ["云计算"]).tolist()
        [2016]
    """
    trends = term_trends(corpus, terms, by=by)
    result = {}
    for term in dict.fromkeys(ensure_documents(terms, "terms")):
        hits = trends.index[trends[term] > 0]
        result[term] = hits.min() if len(hits) else pd.NA
    return pd.Series(result, name=f"first_{by}")


def kwic(corpus: Corpus | pd.DataFrame, term: str, window: int = 20, *, max_hits: int | None = None) -> pd.DataFrame:
    """Keyword in context: one row per occurrence with ``window`` characters either side.

    Columns: doc_id (and segment_id when given segments), start, end, left, keyword, right, and the document
    metadata that is present (year, title, level ...).

    Example:
        >>> c = Corpus.from_texts(["各地要推进一网通办改革"])
        >>> kwic(c, "一网通办", window=3)[["left", "keyword", "right"]].values.tolist()
        [['要推进', '一网通办', '改革']]
    """
    if not isinstance(term, str) or not term:
        raise TypeError("term must be a non-empty str")
    if window < 0:
        raise ValueError(f"window must be >= 0, not {window}")
    frame = _as_frame(corpus)
    keep = [c for c in ("doc_id", "segment_id", "year", "title", "level", "region", "doc_type") if c in frame]
    rows: list[dict[str, Any]] = []
    pattern = re.compile(re.escape(term))
    for record in frame[keep + ["text"]].to_dict("records"):
        text = record.pop("text")
        for match in pattern.finditer(text):
            s, e = match.span()
            rows.append({**record, "start": s, "end": e, "left": text[max(0, s - window):s], "keyword": term,
                         "right": text[e:e + window]})
            if max_hits is not None and len(rows) >= max_hits:
                return pd.DataFrame(rows)
    columns = keep + ["start", "end", "left", "keyword", "right"]
    return pd.DataFrame(rows, columns=columns)


class DocumentTermMatrix:
    """A sparse document-term count matrix with its vocabulary and the row ids.

    Attributes: ``matrix`` (scipy CSR, documents × terms), ``vocabulary`` (list of terms), ``doc_ids``.
    """

    def __init__(self, matrix: sparse.csr_matrix, vocabulary: list[str], doc_ids: list[str]) -> None:
        self.matrix, self.vocabulary, self.doc_ids = matrix, vocabulary, doc_ids

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    def to_frame(self) -> pd.DataFrame:
        """A sparse DataFrame indexed by doc_id with one column per term."""
        return pd.DataFrame.sparse.from_spmatrix(self.matrix, index=self.doc_ids, columns=self.vocabulary)

    def term_frequencies(self) -> pd.DataFrame:
        """Per term: total count and number of documents it occurs in, most frequent first."""
        counts = np.asarray(self.matrix.sum(axis=0)).ravel()
        docs = np.asarray((self.matrix > 0).sum(axis=0)).ravel()
        out = pd.DataFrame({"term": self.vocabulary, "count": counts, "documents": docs})
        return out.sort_values(["count", "term"], ascending=[False, True], ignore_index=True)


def document_term_matrix(
    documents: Corpus | pd.DataFrame | Iterable[list[str]],
    *,
    tokenizer: Tokenizer | None = None,
    min_df: float = 1,
    max_df: float = 1.0,
    max_features: int | None = None,
    id_col: str = "doc_id",
) -> DocumentTermMatrix:
    """Count tokens per document with frequency filters (scikit-learn ``CountVectorizer`` semantics).

    ``documents`` is a Corpus, a DataFrame with ``text`` (tokenized with ``tokenizer``, default
    :class:`Tokenizer`) or already tokenized documents (a list of token lists).

    Example:
        >>> dtm = document_term_matrix([["数字政府", "建设"], ["数字政府"]])
        >>> dtm.vocabulary, dtm.matrix.toarray().tolist()
        (['建设', '数字政府'], [[1, 1], [0, 1]])
    """
    from sklearn.feature_extraction.text import CountVectorizer

    if isinstance(documents, (Corpus, pd.DataFrame)):
        frame = _as_frame(documents)
        tok = tokenizer or Tokenizer()
        tokens = tok.tokenize_many(frame["text"].tolist())
        ids = frame[id_col].astype(str).tolist() if id_col in frame.columns else [str(i) for i in frame.index]
    else:
        if isinstance(documents, str):
            raise TypeError("documents must be a Corpus, a DataFrame or a list of token lists, not a str")
        tokens = [list(ensure_documents(t, "documents[i]")) for t in documents]
        ids = [str(i) for i in range(len(tokens))]
    vectorizer = CountVectorizer(
        analyzer=_identity, min_df=min_df, max_df=max_df, max_features=max_features, lowercase=False
    )
    try:
        matrix = vectorizer.fit_transform(tokens)
    except ValueError as exc:
        raise ValueError(
            f"no terms remain ({exc}); lower min_df (now {min_df}) or raise max_df (now {max_df})"
        ) from None
    return DocumentTermMatrix(matrix.tocsr(), vectorizer.get_feature_names_out().tolist(), ids)


def _identity(tokens: list[str]) -> list[str]:
    return tokens
