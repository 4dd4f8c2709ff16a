"""Diffusion pairs and the reuse graph from a passage table; the reuse command's folder and HTML page."""

from __future__ import annotations

import pandas as pd
import pytest

import policytext as pt
from policytext.cli.main import main
from policytext.report.reuse_page import diff_markup

NATIONAL = ("各地区各部门要加快推进全国一体化政务服务平台建设，推动政务服务事项全面实现网上办理、掌上办理，建立健全政务数据"
            "共享协调机制，加快推进身份认证、电子印章、电子证照等统一认证体系建设，提升政务服务标准化规范化便利化水平。")
CITY = ("今年我们将重点做好以下工作。本市各部门要加快推进全市一体化政务服务平台建设，推动政务服务事项全面实现网上办理、"
        "掌上办理，建立健全政务数据共享协调机制，加快推进身份认证、电子印章、电子证照等统一认证体系建设。")
DOCS = pd.DataFrame({"doc_id": ["nat", "city", "other"], "text": [NATIONAL, CITY, "小区道路坑洼不平，雨天积水严重。" * 5],
                     "title": ["国务院关于加强数字政府建设的指导意见", "某市政府工作报告", "留言"],
                     "date": ["2022-06-06", "2024-01-10", None], "year": [2022, 2024, 2020],
                     "level": ["national", "municipal", "municipal"], "region": [None, "浙江杭州", "湖南长沙"]})


def test_pairs_measure_characters_share_and_lag():
    reuse = pt.text_reuse(DOCS, min_length=40, n_jobs=1)
    pairs = pt.reuse_pairs(reuse, DOCS)
    assert pairs[["source", "reuser", "direction", "dated"]].values.tolist() == [
        ["nat", "city", "national → municipal", True]]
    row = pairs.iloc[0]
    assert row.chars == sum(reuse["end_b"] - reuse["start_b"]) and row.share == pytest.approx(row.chars / len(CITY))
    assert row.lag_days == (pd.Timestamp("2024-01-10") - pd.Timestamp("2022-06-06")).days
    summary = pt.diffusion_summary(pairs, by=["level_source", "level_reuser"])
    assert summary[["level_source", "level_reuser", "pairs", "chars"]].values.tolist() == [
        ["national", "municipal", 1, row.chars]]


def test_overlapping_passages_are_counted_once():
    reuse = pd.DataFrame({"doc_a": ["nat", "nat"], "doc_b": ["city", "city"], "start_a": [0, 20], "end_a": [50, 70],
                          "start_b": [0, 30], "end_b": [60, 80], "score": [1.0, 0.8]})
    row = pt.reuse_pairs(reuse, DOCS).iloc[0]
    assert (row.passages, row.chars, row.source_chars) == (2, 80, 70)


def test_graph_has_every_document_and_one_edge_per_pair(tmp_path):
    import networkx as nx

    graph = pt.reuse_graph(pt.text_reuse(DOCS, min_length=40, n_jobs=1), DOCS)
    assert set(graph.nodes) == {"nat", "city", "other"} and list(graph.edges) == [("nat", "city")]
    assert graph.nodes["city"]["region"] == "浙江杭州" and graph.edges["nat", "city"]["passages"] == 1
    nx.write_graphml(graph, tmp_path / "g.graphml")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_edges() == 1


def test_diffusion_errors_name_the_fix():
    with pytest.raises(TypeError, match="reuse must be the DataFrame returned by policytext.text_reuse"):
        pt.reuse_pairs([1], DOCS)
    with pytest.raises(ValueError, match=r"reuse lacks column\(s\) \['score'\]"):
        pt.reuse_pairs(pd.DataFrame(columns=["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b"]), DOCS)
    bad = pd.DataFrame({"doc_a": ["x"], "doc_b": ["city"], "start_a": [0], "end_a": [1], "start_b": [0],
                        "end_b": [1], "score": [1.0]})
    with pytest.raises(KeyError, match=r"not in corpus: \['x'\]"):
        pt.reuse_pairs(bad, DOCS)
    with pytest.raises(KeyError, match="by='nope' is not a column of pairs"):
        pt.diffusion_summary(pt.reuse_pairs(bad.assign(doc_a="nat"), DOCS), by="nope")
    with pytest.raises(ValueError, match="pairs must be the table returned by policytext.reuse_pairs"):
        pt.diffusion_summary(pd.DataFrame({"a": [1]}))


def test_diff_markup_marks_local_edits():
    assert diff_markup("国务院各部门要<推进>", "市政府各部门要<推进>") == (
        "<del>国务院</del>各部门要&lt;推进&gt;", "<ins>市政府</ins>各部门要&lt;推进&gt;")


def test_reuse_command_writes_a_folder_and_replaces_it_whole(tmp_path):
    table = tmp_path / "docs.csv"
    DOCS.to_csv(table, index=False)
    out = tmp_path / "reuse"
    assert main(["reuse", str(table), "--out", str(out), "--min-length", "40", "--jobs", "1"]) == 0
    names = {p.name for p in out.iterdir()}
    assert names == {"passages.csv", "pairs.csv", "diffusion.csv", "strength.csv", "reuse.graphml", "reuse.html",
                     "settings.json"}
    assert len(pd.read_csv(out / "passages.csv")) == 1
    page = (out / "reuse.html").read_text(encoding="utf-8")
    assert "<del>" in page and "<ins>" in page and "国务院关于加强数字政府建设的指导意见" in page
    (out / "stale.txt").write_text("old run")
    assert main(["reuse", str(table), "--out", str(out), "--min-length", "40", "--jobs", "1"]) == 0
    assert not (out / "stale.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".reuse.")]
    with pytest.raises(SystemExit) as refused:  # a file is not a folder: argparse stops before any work
        main(["reuse", str(table), "--out", str(table)])
    assert refused.value.code == 2
