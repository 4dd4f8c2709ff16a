"""Streaming: chunked reading equals the in-memory path, memory stays bounded, Parquet out, re-iterable corpora."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import policytext as pt
from policytext.classify.rules import RuleTagger
from policytext.scale.sources import iter_documents, iter_segments
from policytext.scale.sinks import TokenStream, tag_frame, tag_to_parquet, tokenize_to_parquet


def _load_fixtures():
    # CI runs pytest with --import-mode=importlib, where tests/ is not on sys.path: load the module by path.
    spec = importlib.util.spec_from_file_location("corpus_fixtures", Path(__file__).with_name("corpus_fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fx = _load_fixtures()


@pytest.fixture
def folder(tmp_path):
    return fx.write_folder(tmp_path)


@pytest.fixture(scope="module")
def classifier():
    texts, labels = fx.labelled_texts()
    return make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 2)), LogisticRegression()).fit(texts, labels)


def concat(chunks):
    return pd.concat(list(chunks), ignore_index=True)


@pytest.mark.parametrize("chunk_size", [1, 3, 1000])
def test_folder_stream_equals_read_corpus(folder, chunk_size):
    corpus = pt.read_corpus(folder)
    skipped: list = []
    pd.testing.assert_frame_equal(concat(iter_documents(folder, chunk_size, skipped=skipped)), corpus.to_frame())
    assert skipped == corpus.skipped and any("scan.bin" in where for where, _ in skipped)
    chunks = list(iter_segments(folder, "sentence", chunk_size, skipped=[]))
    assert all(len(c) == chunk_size for c in chunks[:-1]) and 0 < len(chunks[-1]) <= chunk_size
    pd.testing.assert_frame_equal(concat(chunks), corpus.segments("sentence"))


def test_parquet_row_groups_keep_row_ids(tmp_path):
    path = fx.write_table(tmp_path / "rows.parquet", row_group_size=2)
    assert pq.ParquetFile(path).metadata.num_row_groups == 4
    expected = pt.read_corpus(path).to_frame()
    streamed = concat(iter_documents(path, chunk_size=3))
    pd.testing.assert_frame_equal(streamed, expected)
    assert streamed["doc_id"].tolist() == [str(i) for i in range(7)]
    pd.testing.assert_frame_equal(concat(iter_segments(path, "clause", 2)), pt.read_corpus(path).segments("clause"))


def test_dataframe_and_corpus_sources(tmp_path):
    frame = fx.table_frame()
    expected = pt.read_corpus(frame, text_col="content")
    pd.testing.assert_frame_equal(concat(iter_segments(frame, chunk_size=2, text_col="content")), expected.segments())
    pd.testing.assert_frame_equal(concat(iter_segments(expected, chunk_size=4)), expected.segments())


def test_chunk_source_is_pulled_lazily_and_rows_stay_bounded():
    pulled = []

    def source():
        rows = pd.concat([fx.table_frame()] * 10)  # 70 rows, handed out in 14 chunks of 5
        for start in range(0, 70, 5):
            pulled.append(start)
            yield rows.iloc[start:start + 5]

    chunk_size = 4
    seen = 0
    for chunk in iter_segments(source(), unit=None, chunk_size=chunk_size, text_col="content"):
        seen += len(chunk)
        assert len(chunk) <= chunk_size
        # Never more than one input chunk ahead of what has been handed out.
        assert len(pulled) * 5 - seen < 5 + chunk_size
    assert seen == 70 and len(pulled) == 14
    ids = concat(iter_documents(source(), chunk_size=6, text_col="content"))["doc_id"]
    assert ids.tolist() == [str(i) for i in range(70)]  # row numbers run on across chunks


def test_rows_pass_through_as_segments(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "a", "b"], "segment_id": ["a::p0", "a::p1", "b::p0"],
                          "text": ["ＡＩ赋能政务", "推进 一网通办", "数字政府"], "year": [2019, 2019, 2020]})
    path = tmp_path / "segments.parquet"
    frame.to_parquet(path, row_group_size=2)
    out = concat(iter_segments(path, unit=None, chunk_size=2))
    assert out["segment_id"].tolist() == ["a::p0", "a::p1", "b::p0"]
    assert out["text"].tolist() == [pt.clean_text(t) for t in frame["text"]]
    raw = concat(iter_segments(path, unit=None, clean=False))
    assert raw["text"].tolist() == frame["text"].tolist()


def test_tokenize_to_parquet_matches_tokenize_many(folder, tmp_path):
    tok = pt.Tokenizer(n_jobs=1)
    out = tokenize_to_parquet(folder, tmp_path / "out" / "tokens.parquet", tok, chunk_size=3, skipped=[])
    written = pd.read_parquet(out)
    segments = pt.read_corpus(folder).segments()
    assert written["segment_id"].tolist() == segments["segment_id"].tolist()
    assert written["tokens"].map(list).tolist() == tok.tokenize_many(segments["text"])
    assert "text" not in written.columns and written["year"].dtype == "Int64"
    assert [p.name for p in out.parent.iterdir()] == ["tokens.parquet"]  # no temporary file left behind
    with pytest.raises(ValueError, match=r"keep: no column\(s\) \['nope'\]"):
        tokenize_to_parquet(folder, tmp_path / "x.parquet", tok, keep=["nope"], skipped=[])
    assert not (tmp_path / "x.parquet").exists()
    with pytest.raises(ValueError, match="yielded no segments, nothing written"):
        tokenize_to_parquet(iter([]), tmp_path / "empty.parquet", tok)


def test_token_stream_is_reiterable_and_feeds_gensim(folder, tmp_path):
    tok = pt.Tokenizer(n_jobs=1)
    out = tokenize_to_parquet(folder, tmp_path / "tokens.parquet", tok, skipped=[])
    stream = TokenStream(out, batch_size=2)
    first, second = list(stream), list(stream)
    assert first == second and len(stream) == len(first)
    assert first == pd.read_parquet(out)["tokens"].map(list).tolist()
    assert list(stream.column_values("segment_id"))[0] == "local/report_2020.txt::p0"
    pytest.importorskip("gensim")
    bow = stream.bow()
    assert len(list(bow)) == len(stream) and list(bow) == list(bow)
    assert "一网通办" in bow.dictionary.token2id
    with pytest.raises(FileNotFoundError, match="no tokens file"):
        list(TokenStream(tmp_path / "missing.parquet"))
    with pytest.raises(ValueError, match="has no column 'words'"):
        len(TokenStream(out, column="words"))


def test_tag_to_parquet_with_a_classifier_and_rules(tmp_path, classifier):
    frame = fx.table_frame()
    out = tag_to_parquet(frame, tmp_path / "tags.parquet", classifier, chunk_size=3, text_col="content")
    tags = pd.read_parquet(out)
    texts = pt.read_corpus(frame, text_col="content").segments()["text"].tolist()
    assert tags["label"].tolist() == list(classifier.predict(texts))
    assert tags[["proba_data", "proba_service"]].to_numpy().round(12).tolist() == \
        classifier.predict_proba(texts).round(12).tolist()
    rules = RuleTagger("policy-tools")
    out = tag_to_parquet(frame, tmp_path / "tools.parquet", rules, proba=False, text_col="content", chunk_size=2)
    assert pd.read_parquet(out)["label"].map(list).tolist() == rules.predict(texts)
    with pytest.raises(TypeError, match=r"model must have predict\(texts\)"):
        tag_frame(object(), ["数字政府"])


def test_documented_errors(folder, tmp_path):
    with pytest.raises(ValueError, match="unit must be one of .* or None"):
        next(iter_segments(folder, "page"))
    with pytest.raises(ValueError, match="chunk_size must be a positive int"):
        next(iter_segments(folder, chunk_size=0))
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        next(iter_segments(tmp_path / "absent"))
    with pytest.raises(TypeError, match="source must be a folder, file, list of paths, DataFrame or Corpus"):
        next(iter_segments(42))
    with pytest.raises(TypeError, match="source chunk 1 is a list, not a pandas DataFrame"):
        list(iter_segments(iter([fx.table_frame(), ["x"]]), text_col="content"))
    with pytest.raises(ValueError, match="no text column"):
        next(iter_segments(iter([pd.DataFrame({"a": [1]})]), unit=None))
    with pytest.warns(UserWarning, match=r"2 input\(s\) skipped, e.g. .*scan.bin"):
        list(iter_segments(folder))


@pytest.mark.shared
def test_shared_reports_stream_like_read_corpus(shared_corpora, tmp_path):
    folder = shared_corpora / "policy" / "gwr-national"
    corpus = pt.read_corpus(folder)
    streamed = pd.concat(list(iter_segments(folder, chunk_size=500, skipped=[])), ignore_index=True)
    pd.testing.assert_frame_equal(streamed, corpus.segments())
    tok = pt.Tokenizer(n_jobs=1)
    out = tokenize_to_parquet(folder, tmp_path / "gwr.parquet", tok, chunk_size=500, skipped=[])
    assert list(TokenStream(out))[:50] == tok.tokenize_many(corpus.segments()["text"][:50])
