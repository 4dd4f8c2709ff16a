"""term_trends, first_appearance, kwic and the document-term matrix."""

from __future__ import annotations

import pytest

from policytext import Corpus, Tokenizer, document_term_matrix, first_appearance, kwic, term_trends


@pytest.fixture
def corpus():
    return Corpus.from_texts(
        ["发展大数据产业。", "推进“互联网+政务服务”，互联网+行动计划。", "数据要素市场，大数据，大数据。", "无关文本"],
        year=[2014, 2016, 2020, None],
    )


def test_term_trends_counts_by_substring(corpus):
    trends = term_trends(corpus, ["大数据", "互联网+", "数据要素"])
    assert trends.index.tolist() == [2014, 2016, 2020]  # missing years form no group
    assert trends["大数据"].tolist() == [1, 0, 2]
    assert trends["互联网+"].tolist() == [0, 2, 0]
    assert trends.columns.tolist() == ["大数据", "互联网+", "数据要素"]
    sizes = term_trends(corpus, ["大数据"], totals=True)
    assert sizes["documents"].tolist() == [1, 1, 1] and sizes["characters"].tolist() == [8, 22, 15]
    rates = term_trends(corpus, ["大数据"], rate=True)
    assert rates.loc[2014, "大数据"] == pytest.approx(1 / 8 * 10_000)


def test_term_trends_errors(corpus):
    with pytest.raises(TypeError, match="wrap it in a list"):
        term_trends(corpus, "大数据")
    with pytest.raises(KeyError, match="no column 'issuer_level'"):
        term_trends(corpus, ["大数据"], by="issuer_level")
    with pytest.raises(ValueError, match="terms is empty"):
        term_trends(corpus, [])


def test_first_appearance(corpus):
    first = first_appearance(corpus, ["大数据", "数据要素", "区块链"])
    assert first["大数据"] == 2014 and first["数据要素"] == 2020 and first.isna()["区块链"]


def test_kwic(corpus):
    hits = kwic(corpus, "大数据", window=2)
    assert len(hits) == 3
    assert hits.iloc[0][["left", "keyword", "right"]].tolist() == ["发展", "大数据", "产业"]
    assert {"doc_id", "year", "start", "end"} <= set(hits.columns)
    segments = corpus.segments("sentence")
    assert "segment_id" in kwic(segments, "大数据").columns
    with pytest.raises(ValueError, match="window must be >= 0"):
        kwic(corpus, "大数据", window=-1)


def test_document_term_matrix(corpus):
    dtm = document_term_matrix(corpus, tokenizer=Tokenizer(), min_df=1)
    assert dtm.shape[0] == 4 and "大数据" in dtm.vocabulary
    assert dtm.doc_ids == corpus.doc_ids
    freq = dtm.term_frequencies().set_index("term")
    assert freq.loc["大数据", "count"] == 3 and freq.loc["大数据", "documents"] == 2
    with pytest.raises(ValueError, match="lower min_df"):
        document_term_matrix([["a"], ["b"]], min_df=2)
    assert dtm.to_frame().loc["2", "大数据"] == 2
