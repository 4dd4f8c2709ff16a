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


def test_text_reuse_dask_matches_the_single_machine_table(client):
    from policytext.scale.reuse import text_reuse_dask

    base = ("各地区各部门要加快推进全国一体化政务服务平台建设，推动政务服务事项全面实现网上办理、掌上办理，建立健全政务数据"
            "共享协调机制，加快推进身份认证、电子印章、电子证照等统一认证体系建设，提升政务服务标准化规范化便利化水平。")
    filler = ["小区道路坑洼不平，雨天积水严重，居民出行十分不便。", "公交线路调整后换乘不便，希望恢复原线路。",
              "楼道堆放杂物，存在消防安全隐患，请物业清理。"]
    texts = [base]
    for i in range(11):
        edited = base.replace("各地区", "本市").replace("全国", "全市")[: 60 + 8 * i]
        texts.append(filler[i % 3] * (i % 4 + 1) + edited + filler[(i + 1) % 3])
    frame = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(12)], "text": texts,
                          "year": [2022] + [2023 + i % 3 for i in range(11)]})
    expected = pt.text_reuse(frame, min_length=40, n_jobs=1)
    assert len(expected) >= 50
    got = text_reuse_dask(dd.from_pandas(frame, npartitions=4, sort=False), min_length=40)
    pd.testing.assert_frame_equal(got, expected)
    frame["group"] = ["n"] + ["a", "b"] * 5 + ["a"]
    got = text_reuse_dask(dd.from_pandas(frame, npartitions=3, sort=False), min_length=40, between="group")
    pd.testing.assert_frame_equal(got, pt.text_reuse(frame, min_length=40, n_jobs=1, between="group"))
    with pytest.raises(TypeError, match="ddf must be a dask.dataframe.DataFrame"):
        text_reuse_dask(frame)
    with pytest.raises(KeyError, match="no text column 'body'"):
        text_reuse_dask(dd.from_pandas(frame, npartitions=2), text_col="body")
