"""Text reuse: planted passages are found with their source and spans; errors name the argument and the fix."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

import policytext as pt
from policytext.documents.shingles import align, fingerprint, matching_text



def _load_fixtures():
    # CI runs pytest with --import-mode=importlib, where tests/ is not on sys.path: load the module by path.
    spec = importlib.util.spec_from_file_location("reuse_fixtures", Path(__file__).with_name("reuse_fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fx = _load_fixtures()

SOURCE = ("为贯彻落实党中央、国务院决策部署，各地区各部门要加快推进全国一体化政务服务平台建设，推动政务服务事项全面实现"
          "网上办理、掌上办理，建立健全政务数据共享协调机制，加快推进身份认证、电子印章、电子证照等统一认证体系建设，"
          "提升政务服务标准化、规范化、便利化水平。")
ADAPTED = ("本市将认真落实上级部署。本市各部门要加快推进全市一体化政务服务平台建设，推动政务服务事项全面实现网上办理"
           "和掌上办理，建立健全政务数据共享协调机制，加快推进身份认证、电子印章、电子证照等统一认证体系建设；提升政务"
           "服务标准化规范化便利化水平。")
UNRELATED = ("小区门口的道路坑洼不平，雨天积水严重，居民出行十分不便，希望有关部门尽快派人修缮，并加强日常巡查和维护管理，"
             "同时请物业公司清理堆放在楼道里的杂物，消除消防安全隐患。")


def test_matching_text_drops_punctuation_and_keeps_offsets():
    text, offsets = matching_text("政务，服务 Ａ1")
    assert text == "政务服务a1"
    assert offsets.tolist() == [0, 1, 3, 4, 6, 7]


def test_fingerprints_are_stable_and_seeded():
    a, b = fingerprint(SOURCE), fingerprint(SOURCE)
    assert a.hashes.tolist() == b.hashes.tolist()
    assert fingerprint(SOURCE, seed=1).hashes.tolist() != a.hashes.tolist()
    # Winnowing keeps at least one n-gram of every window of four.
    gaps = a.positions[1:] - a.positions[:-1]
    assert gaps.max() <= 4


def test_align_trims_unrelated_flanks():
    core = "推进政务服务标准化规范化便利化"
    r = align("天气晴朗" + core + "甲乙丙", "物业费" + core.replace("规范", "规则") + "丁")
    assert ("天气晴朗" + core)[r.start_a:r.end_a] == core
    assert r.matches == len(core) - 1 and r.score == pytest.approx((len(core) - 1) / len(core))


def test_adapted_passage_is_found_with_offsets_into_the_original_texts():
    found = pt.text_reuse([SOURCE, ADAPTED, UNRELATED], min_length=40, n_jobs=1)
    assert found[["doc_a", "doc_b"]].values.tolist() == [["0", "1"]]
    row = found.iloc[0]
    assert row.text_a == SOURCE[row.start_a:row.end_a] and row.text_b == ADAPTED[row.start_b:row.end_b]
    assert "一体化政务服务平台建设" in row.text_a and row.text_b.endswith("便利化水平")
    assert row.end_a - row.start_a > 0.8 * len(SOURCE)
    assert 0.8 < row.score < 1
    assert list(found.columns[:9]) == ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "score", "text_a",
                                       "text_b"]


def test_passages_shorter_than_min_length_are_not_reported():
    short = SOURCE[20:60]
    assert pt.text_reuse([SOURCE, UNRELATED + short], min_length=50, n_jobs=1).empty
    assert len(pt.text_reuse([SOURCE, UNRELATED + short], min_length=30, n_jobs=1)) == 1


def test_documents_without_reuse_give_an_empty_table_with_the_columns():
    found = pt.text_reuse([SOURCE, UNRELATED, "数字政府"], n_jobs=1)
    assert found.empty and "doc_a" in found.columns and found.attrs["settings"]["min_length"] == 50


def test_doc_a_is_the_earlier_document_and_inputs_agree():
    frame = pd.DataFrame({"doc_id": ["late", "early"], "text": [ADAPTED, SOURCE], "date": ["2024-03-01", "2022-06-06"]})
    found = pt.text_reuse(frame, min_length=40, n_jobs=1)
    assert found[["doc_a", "doc_b"]].values.tolist() == [["early", "late"]]
    corpus = pt.Corpus.from_texts([ADAPTED, SOURCE], ids=["late", "early"], year=[2024, 2022])
    assert pt.text_reuse(corpus, min_length=40, n_jobs=1)[["doc_a", "doc_b"]].values.tolist() == [["early", "late"]]


def test_between_compares_only_documents_of_different_groups():
    frame = pd.DataFrame({"doc_id": ["nat", "city1", "city2"], "text": [SOURCE, ADAPTED, ADAPTED + UNRELATED],
                          "level": ["national", "municipal", "municipal"]})
    everything = pt.text_reuse(frame, min_length=40, n_jobs=1)
    across = pt.text_reuse(frame, min_length=40, n_jobs=1, between="level")
    assert ("city1", "city2") in set(zip(everything["doc_a"], everything["doc_b"]))
    assert set(zip(across["doc_a"], across["doc_b"])) == {("nat", "city1"), ("nat", "city2")}
    assert across.equals(everything[everything["doc_a"] == "nat"].reset_index(drop=True))
    unknown = pt.text_reuse(frame.assign(level=[None, "municipal", "municipal"]), min_length=40, n_jobs=1,
                            between="level")
    assert len(unknown) == 2  # a missing value is compared with everyone
    with pytest.raises(KeyError, match="between='region' is not a column of source"):
        pt.text_reuse(frame, between="region")


def test_parquet_output_holds_the_same_passages(tmp_path):
    texts = [SOURCE, ADAPTED, UNRELATED + SOURCE[:70], ADAPTED + UNRELATED]
    expected = pt.text_reuse(texts, min_length=40, n_jobs=1)
    path = tmp_path / "reuse.parquet"
    assert pt.text_reuse_to_parquet(texts, path, min_length=40, n_jobs=1) == len(expected) >= 4
    got = pd.read_parquet(path).sort_values(["doc_a", "doc_b", "start_a", "start_b", "end_a", "end_b"],
                                            ignore_index=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert [p.name for p in tmp_path.iterdir()] == ["reuse.parquet"]


def test_boilerplate_is_flagged_and_can_be_dropped():
    clause = "违反本条例规定，构成违反治安管理行为的，由公安机关依法给予治安管理处罚；构成犯罪的，依法追究刑事责任。"
    texts = [UNRELATED[:40] + clause, SOURCE[:30] + clause]
    found = pt.text_reuse(texts, min_length=30, n_jobs=1)
    assert found["boilerplate"].tolist() == [True]
    assert pt.text_reuse(texts, min_length=30, n_jobs=1, drop_boilerplate=True).empty


def test_bare_str_and_bad_options_are_refused():
    with pytest.raises(TypeError, match="not a single str; wrap one text in a list"):
        pt.text_reuse(SOURCE)
    with pytest.raises(TypeError, match=r"source\[1\] is a int"):
        pt.text_reuse([SOURCE, 3])
    with pytest.raises(TypeError, match="not int"):
        pt.text_reuse(5)
    with pytest.raises(KeyError, match="no text column 'body'"):
        pt.text_reuse(pd.DataFrame({"text": [SOURCE]}), text_col="body")
    with pytest.raises(ValueError, match="doc_id 'a' occurs more than once"):
        pt.text_reuse(pd.DataFrame({"doc_id": ["a", "a"], "text": [SOURCE, ADAPTED]}))
    with pytest.raises(ValueError, match=r"threshold=1.5: must be in \(0, 1\]"):
        pt.text_reuse([SOURCE], threshold=1.5)
    with pytest.raises(ValueError, match="min_length=0: must be an integer ≥ 1"):
        pt.text_reuse([SOURCE], min_length=0)
    with pytest.raises(ValueError, match="ngram=60 is longer than min_length=50"):
        pt.text_reuse([SOURCE], ngram=60)


@pytest.mark.shared
def test_planted_passages_are_recovered(shared_corpora, monkeypatch):
    sources = pt.load_corpus("policy-v2").filter(level="national").to_frame()
    sources = sources[sources["doc_type"].isin(["law", "administrative_regulation", "normative_document",
                                                "departmental_rule"])]
    hosts = fx.hosts_from_messages(shared_corpora, 80, seed=1)
    documents, truth = fx.plant(sources, hosts, seed=13)
    found = pt.text_reuse(documents, n_jobs=2)
    score = fx.score_planted(found, truth, hosts)
    assert score["planted"] >= 90 and score["short_planted"] >= 20 and score["plain_hosts"] >= 10
    assert score["recall"] >= 0.95, score
    assert score["precision"] >= 0.95, score
    assert score["short_reported"] == 0 and score["rows_in_plain_hosts"] == 0, score
    # Blocks of documents run as separate units of work, in worker processes: the same table.
    monkeypatch.setattr("policytext.documents.reuse._BLOCK_CHARS", 60_000)
    assert found.equals(pt.text_reuse(documents, n_jobs=2))
