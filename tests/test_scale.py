"""Dask path on a two-process LocalCluster: every stage gives what the single-machine path gives, dtypes included."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

import policytext as pt


def _load_fixtures():
    # CI runs pytest with --import-mode=importlib, where tests/ is not on sys.path: load the module by path.
    spec = importlib.util.spec_from_file_location("corpus_fixtures", Path(__file__).with_name("corpus_fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fx = _load_fixtures()

distributed = pytest.importorskip("dask.distributed")
dd = pytest.importorskip("dask.dataframe")

from policytext.scale.partitions import (  # noqa: E402  (needs dask, checked above)
    clean_dask,
    read_corpus_dask,
    read_parquet_dask,
    segments_dask,
    tag_dask,
    tokenize_dask,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       memory_limit="1GB")
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return fx.write_folder(tmp_path_factory.mktemp("scale"))


def same(dask_frame, expected):
    pd.testing.assert_frame_equal(dask_frame.compute().reset_index(drop=True), expected.reset_index(drop=True))


def test_folder_documents_and_segments_match(client, folder):
    corpus = pt.read_corpus(folder)
    docs = read_corpus_dask(folder, npartitions=3)
    assert docs.npartitions == 3
    assert docs.dtypes.to_dict() == corpus.to_frame().dtypes.to_dict()
    same(docs, corpus.to_frame())
    same(segments_dask(docs, "clause"), corpus.segments("clause"))


def test_parquet_row_groups_and_frames_match(client, tmp_path):
    path = fx.write_table(tmp_path / "rows.parquet", row_group_size=2)
    same(read_corpus_dask(path), pt.read_corpus(path).to_frame())
    frame = fx.table_frame()
    docs = read_corpus_dask(frame, npartitions=3, text_col="content")
    assert docs.npartitions == 3
    same(docs, pt.read_corpus(frame, text_col="content").to_frame())


def test_tokenize_and_tag_match(client, folder):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    segments = pt.read_corpus(folder).segments()
    tok = pt.Tokenizer()
    tokens = tokenize_dask(segments_dask(read_corpus_dask(folder, npartitions=2)), tok).compute()
    assert tokens["tokens"].tolist() == tok.tokenize_many(segments["text"], n_jobs=1)
    assert tokens["segment_id"].tolist() == segments["segment_id"].tolist()

    texts, labels = fx.labelled_texts()
    model = make_pipeline(TfidfVectorizer(analyzer="char"), LogisticRegression()).fit(texts, labels)
    ddf = dd.from_pandas(segments, npartitions=2)
    tagged = tag_dask(ddf, model).compute()
    assert tagged["label"].tolist() == list(model.predict(segments["text"]))
    assert tagged["proba_data"].round(12).tolist() == model.predict_proba(segments["text"])[:, 0].round(12).tolist()
    rules = pt.RuleTagger("governance-mode")
    assert tag_dask(ddf, rules, proba=False).compute()["label"].tolist() == rules.predict(segments["text"].tolist())


def test_clean_and_parquet_round_trip(client, tmp_path):
    frame = pd.DataFrame({"segment_id": ["a", "b"], "text": ["ＡＩ赋能\u3000政务", "推进  一网通办"]})
    frame.to_parquet(tmp_path / "s.parquet", row_group_size=1)
    table = read_parquet_dask(tmp_path / "s.parquet")
    assert table.npartitions == 2
    same(table, pd.read_parquet(tmp_path / "s.parquet"))
    cleaned = clean_dask(table).compute()
    assert cleaned["text"].tolist() == [pt.clean_text(t) for t in frame["text"]]
    assert cleaned["text"].dtype == frame["text"].dtype


def test_documented_errors(folder):
    with pytest.raises(TypeError, match="expected a dask DataFrame"):
        segments_dask(pd.DataFrame({"text": ["x"]}))
    docs = read_corpus_dask(folder)
    with pytest.raises(ValueError, match="unit must be one of"):
        segments_dask(docs, "page")
    with pytest.raises(ValueError, match="no 'body' column"):
        tokenize_dask(docs, pt.Tokenizer(), text_col="body")
    with pytest.raises(TypeError, match="tokenizer must have tokenize_many"):
        tokenize_dask(docs, object())
    with pytest.raises(TypeError, match=r"model must have predict\(texts\)"):
        tag_dask(docs, object())
    with pytest.raises(ValueError, match="npartitions must be a positive int"):
        read_corpus_dask(folder, npartitions=0)
    with pytest.raises(TypeError, match="cleaner must be a function"):
        clean_dask(docs, cleaner="nfkc")
    with pytest.raises(FileNotFoundError, match="no Parquet file at"):
        read_parquet_dask(folder / "local")
