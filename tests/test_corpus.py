"""Corpus reading on small fixtures: formats, encodings, metadata precedence, segments, errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import policytext as pt
from policytext import Corpus, read_corpus

NOTICE = (
    "国务院办公厅关于推进政务服务一网通办的指导意见\n"
    "国办发〔2018〕45号\n"
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
    "一、总体要求\n"
    "（一）指导思想。推进政务服务一网通办，提升群众办事体验。\n"
    "（二）基本原则。坚持问题导向。\n"
    "二、重点任务\n"
    "国务院办公厅\n"
    "2018年7月31日\n"
)
LAW = "某省数据条例\n第一条 为了促进数据依法有序流动，制定本条例。\n第二条 本条例适用于本省行政区域。\n"


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "docs"
    (root / "national").mkdir(parents=True)
    (root / "local").mkdir()
    (root / "national" / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (root / "local" / "数据条例(2021-11-25).txt").write_bytes(LAW.encode("gb18030"))
    (root / "local" / "empty.txt").write_bytes(b"")
    (root / "local" / "image.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / "local" / "page.html").write_text(
        "<html><head><meta charset='utf-8'><title>政务公开</title></head><body><nav>首页 | 网站地图</nav>"
        "<article><h1>政务公开</h1><p>本市全面推进政务公开标准化规范化，推动政务服务一网通办。</p>"
        "<p>各部门应当按照要求及时公开政府信息，接受社会监督。</p></article><footer>版权所有</footer></body></html>",
        encoding="utf-8",
    )
    pd.DataFrame(
        {"path": ["docs/national/notice.txt", "docs/local/数据条例(2021-11-25).txt"],
         "year": [2019, None], "level": ["national", "provincial"], "region": [None, "某省"]}
    ).to_csv(tmp_path / "metadata.csv", index=False)
    return root


def test_folder_reads_every_file_or_reports_it(folder):
    corpus = read_corpus(folder)
    ids = set(corpus.doc_ids)
    assert ids == {"national/notice.txt", "local/数据条例(2021-11-25).txt", "local/page.html"}
    reasons = dict((p.split("/")[-1], r) for p, r in corpus.skipped)
    assert set(reasons) == {"empty.txt", "image.bin"}
    assert "empty" in reasons["empty.txt"]
    assert "unsupported file type '.bin'" in reasons["image.bin"]


def test_side_table_wins_over_inference_and_year_is_integer(folder):
    frame = read_corpus(folder).to_frame().set_index("doc_id")
    notice = frame.loc["national/notice.txt"]
    assert notice["year"] == 2019  # the table says 2019 although the text is dated 2018
    assert notice["doc_number"] == "国办发〔2018〕45号"  # inferred: the table leaves it empty
    assert notice["title"] == "国务院办公厅关于推进政务服务一网通办的指导意见"
    law = frame.loc["local/数据条例(2021-11-25).txt"]
    assert law["year"] == 2021 and law["date"] == "2021-11-25"  # from the file name
    assert law["region"] == "某省" and law["level"] == "provincial"
    assert str(frame["year"].dtype) == "Int64"
    assert "政务公开" in frame.loc["local/page.html", "title"]
    assert "网站地图" not in frame.loc["local/page.html", "text"]


def test_provenance_records_origins(folder):
    corpus = read_corpus(folder)
    prov = corpus.provenance.set_index(["doc_id", "field"])["origin"]
    assert "metadata table" in prov[("national/notice.txt", "year")]
    assert prov[("local/数据条例(2021-11-25).txt", "date")] == "file name"


def test_gb18030_file_decodes_like_utf8(folder, tmp_path):
    corpus = read_corpus(folder, metadata=False)
    assert LAW.strip().splitlines()[1] in corpus["local/数据条例(2021-11-25).txt"]["text"]


def test_metadata_false_and_infer_false(folder):
    frame = read_corpus(folder, metadata=False, infer=False).to_frame().set_index("doc_id")
    assert frame["year"].isna().all()
    assert frame["doc_number"].isna().all()


def test_tables_and_dataframes(tmp_path):
    rows = [{"id": "a", "标题": "关于推进一网通办的通知", "正文": "推进一网通办。", "年份": 2018},
            {"id": "b", "标题": "关于数据要素的意见", "正文": "培育数据要素市场。", "年份": 2020}]
    (tmp_path / "docs.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    corpus = read_corpus(tmp_path / "docs.jsonl")
    frame = corpus.to_frame()
    assert frame["doc_id"].tolist() == ["a", "b"]
    assert frame["year"].tolist() == [2018, 2020]
    assert frame["title"].tolist()[0] == "关于推进一网通办的通知"
    pd.DataFrame(rows).to_csv(tmp_path / "docs.csv", index=False, encoding="gb18030")
    assert read_corpus(tmp_path / "docs.csv").texts == corpus.texts
    from_frame = read_corpus(pd.DataFrame(rows))
    assert from_frame.texts == corpus.texts


def test_table_errors(tmp_path):
    pd.DataFrame({"标题": ["x"], "摘要": ["y"]}).to_csv(tmp_path / "no_text.csv", index=False)
    with pytest.raises(pt.ReadError, match="no text column"):
        read_corpus(tmp_path / "no_text.csv", errors="raise")
    corpus = read_corpus(tmp_path / "no_text.csv")
    assert len(corpus) == 0 and "no text column" in corpus.skipped[0][1]
    pd.DataFrame({"id": [1, 1], "text": ["a", "b"]}).to_csv(tmp_path / "dup.csv", index=False)
    assert "duplicate ids" in read_corpus(tmp_path / "dup.csv", id_col="id").skipped[0][1]
    with pytest.raises(pt.ReadError, match="duplicate ids in column 'id'"):
        read_corpus(tmp_path / "dup.csv", id_col="id", errors="raise")
    numbered = read_corpus(tmp_path / "dup.csv")  # an id-like column that repeats is kept as data
    assert numbered.doc_ids == ["0", "1"] and numbered.to_frame()["id"].tolist() == [1, 1]
    with pytest.raises(ValueError, match="doc_id values must be unique"):
        Corpus(pd.DataFrame({"doc_id": ["x", "x"], "text": ["a", "b"]}))
    assert "empty text" in read_corpus(pd.DataFrame({"text": ["有内容", ""]})).skipped[0][1]


def test_bad_sources(tmp_path):
    with pytest.raises(FileNotFoundError, match="looks like text, not a path"):
        read_corpus("推进政务服务一网通办，提升群众办事体验。")
    with pytest.raises(TypeError, match="wrap it in a list"):
        Corpus.from_texts("数字政府")
    with pytest.raises(TypeError, match="source must be"):
        read_corpus(42)
    with pytest.raises(ValueError, match="errors must be"):
        read_corpus(tmp_path, errors="ignore")
    with pytest.raises(FileNotFoundError, match="metadata table"):
        read_corpus(tmp_path, metadata=tmp_path / "nope.csv")


def test_segments_offsets_and_ids():
    corpus = Corpus.from_texts([NOTICE, LAW], ids=["n", "l"], year=[2018, 2021])
    for unit in ("paragraph", "sentence", "clause"):
        segments = corpus.segments(unit)
        texts = dict(zip(corpus.doc_ids, corpus.texts))
        assert all(texts[d][s:e] == t for d, s, e, t in segments[["doc_id", "start", "end", "text"]].values)
        assert segments["segment_id"].is_unique
        assert (segments["year"].notna()).all()  # metadata joined onto every segment
    clauses = corpus.segments("clause")
    assert clauses[clauses["doc_id"] == "l"]["marker"].tolist() == ["", "第一条", "第二条"]
    assert clauses[clauses["doc_id"] == "n"]["marker"].tolist()[:4] == ["", "一、", "（一）", "（二）"]
    sentences = corpus.segments("sentence")
    assert "推进政务服务一网通办，提升群众办事体验。" in sentences["text"].tolist()
    assert corpus.segments("paragraph", min_chars=12)["text"].str.len().min() >= 12
    with pytest.raises(ValueError, match="unit must be one of"):
        corpus.segments("page")


def test_filter_query_groupby_summary():
    corpus = Corpus.from_texts(["a", "b", "c"], year=[2014, 2018, 2022], level=["national", "local", "national"])
    assert corpus.filter(level="national").doc_ids == ["0", "2"]
    assert corpus.filter(year=lambda y: y > 2015).doc_ids == ["1", "2"]
    assert corpus.query("year >= 2018").doc_ids == ["1", "2"]
    groups = {k: c.doc_ids for k, c in corpus.groupby("level")}
    assert groups == {"local": ["1"], "national": ["0", "2"]}
    with pytest.raises(KeyError, match="no column 'issuer_code'"):
        corpus.filter(issuer_code="国发")
    summary = corpus.summary(["level"])
    assert summary.set_index("value")["documents"].to_dict() == {"local": 1, "national": 2}
    assert len(corpus.checksum()) == 64
    with pytest.raises(KeyError, match="no document with doc_id"):
        corpus["zz"]


def test_metadata_rows_stay_aligned_after_every_operation():
    corpus = Corpus.from_texts(["甲文本", "乙文本", "丙文本"], ids=["a", "b", "c"], year=[2014, 2018, 2022])
    for derived in (corpus.filter(year=[2018, 2022]), corpus.query("year < 2020"), *[c for _, c in corpus.groupby("year")]):
        frame = derived.to_frame()
        expected = {"a": (2014, "甲文本"), "b": (2018, "乙文本"), "c": (2022, "丙文本")}
        assert all(expected[d] == (y, t) for d, y, t in frame[["doc_id", "year", "text"]].values)
