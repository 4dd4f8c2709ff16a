"""Citations: extraction, resolution, the graph and its summaries, the meta/cites commands, the shared corpus."""

from __future__ import annotations

import argparse
import os
import warnings
from pathlib import Path

import pandas as pd
import pytest

from policytext.documents.network import adoption_lag, citation_graph, most_cited, plot_citation_graph
from policytext.documents.citations import FUZZY_THRESHOLD, _title_score, extract_citations, normalize_title
from policytext.cli.documents import metadata_table, register_cli
from policytext.corpus.corpus import Corpus

DATA = Path(__file__).parent / "data"

# Texts written for these tests: a national notice, a provincial document implementing it (by title and by
# number), a document naming itself, and a forwarding notice.
NATIONAL = (
    "国务院关于推进数字政务服务的指导意见\n国发〔2016〕99号\n各省、自治区、直辖市人民政府：\n"
    "为推进数字政务服务，现提出以下意见。一、加快平台建设。\n国务院\n2016年9月25日"
)
LOCAL = (
    "某省人民政府关于推进数字政务服务的实施意见\n某政发〔2017〕3号\n各市人民政府：\n"
    "为贯彻落实《国务院关于推进数字政务服务的指导意见》（国发〔2016〕99号），结合本省实际，提出如下实施意见。"
    "各地要按照国发〔2016〕99号文件要求建设平台。平台建设应当符合《中华人民共和国网络安全法》的规定。"
)
SELF = (
    "某省数据条例\n第一条 为了规范数据处理，根据《中华人民共和国数据安全法》，制定本条例。\n"
    "第二条 《某省数据条例》所称数据，是指任何以电子方式记录的信息。本条例自2018年1月1日起施行。"
)
FORWARD = (
    "某省人民政府办公厅转发省数据局关于数据共享工作意见的通知\n某政办发〔2018〕7号\n各市人民政府：\n"
    "省数据局《关于数据共享工作的意见》已经省人民政府同意，现转发给你们，请认真贯彻执行。"
)


@pytest.fixture
def docs() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["nat", "loc", "self", "fwd"],
        "title": ["国务院关于推进数字政务服务的指导意见", "某省人民政府关于推进数字政务服务的实施意见", "某省数据条例",
                  "某省人民政府办公厅转发省数据局关于数据共享工作意见的通知"],
        "doc_number": ["国发〔2016〕99号", "某政发〔2017〕3号", None, "某政办发〔2018〕7号"],
        "year": [2016, 2017, 2018, 2018],
        "date": ["2016-09-25", "2017-03-01", "2018-01-01", None],
        "level": ["national", "provincial", "provincial", "provincial"],
        "region": [None, "浙江", "浙江", "浙江"],
        "text": [NATIONAL, LOCAL, SELF, FORWARD],
    })


@pytest.fixture
def citations(docs) -> pd.DataFrame:
    return extract_citations(docs)


def test_title_and_number_citations_resolve_and_merge(citations):
    local = citations[citations["citing_doc_id"] == "loc"].reset_index(drop=True)
    # The number printed after the title is merged into the title's row; the bare number is its own row.
    assert local[["cited_title", "cited_number", "target_doc_id", "match_method", "role"]].values.tolist() == [
        ["国务院关于推进数字政务服务的指导意见", "国发〔2016〕99号", "nat", "number", "basis"],
        [None, "国发〔2016〕99号", "nat", "number", "basis"],
        ["网络安全法", None, None, None, "other"],
    ]
    row = local.iloc[0]
    assert LOCAL[row["start"]:row["end"]] == "《国务院关于推进数字政务服务的指导意见》"
    assert "贯彻落实" in row["sentence"] and local["citing_year"].tolist() == [2017] * 3


def test_a_document_does_not_cite_itself(citations):
    # Neither the header numbers nor 《某省数据条例》 inside the regulation itself are citations.
    assert citations[citations["citing_doc_id"] == "self"]["cited_title"].tolist() == ["数据安全法"]
    assert citations[citations["citing_doc_id"] == "nat"].empty
    assert not (citations["cited_number"] == "某政发〔2017〕3号").any()


def test_forwarding_role(citations):
    forwarded = citations[citations["citing_doc_id"] == "fwd"]
    assert forwarded[["cited_title", "role"]].values.tolist() == [["关于数据共享工作的意见", "forwarding"]]


def test_short_names_and_issued_documents():
    text = ("国务院办公厅关于印发《城市数据试点方案》的通知\n国办发〔2019〕9号\n各省人民政府：\n"
            "《城市数据试点方案》（以下简称《方案》）已经国务院同意，现印发给你们。各地要按照《方案》要求推进。")
    other = "为落实《城市数据试点方案》，制定本办法。"
    frame = pd.DataFrame({"doc_id": ["notice", "other"], "text": [text, other],
                          "title": ["国务院办公厅关于印发《城市数据试点方案》的通知", "某办法"]})
    table = extract_citations(frame)
    notice = table[table["citing_doc_id"] == "notice"]
    # the header title is not a citation; the body issues the plan; 《方案》 stands for the full title
    assert notice[["cited_title", "role", "target_doc_id"]].values.tolist() == [
        ["城市数据试点方案", "forwarding", None], ["城市数据试点方案", "basis", None]]
    assert table[table["citing_doc_id"] == "other"]["target_doc_id"].tolist() == ["notice"]


def test_books_are_not_documents_unless_asked():
    frame = pd.DataFrame({"doc_id": ["a"], "text": ["学习《列宁全集》和《关于加强学习的决定》。"]})
    assert extract_citations(frame)["cited_title"].tolist() == ["关于加强学习的决定"]
    assert len(extract_citations(frame, only_documents=False)) == 2


def test_fuzzy_title_match_and_corpus_input():
    corpus = Corpus.from_texts(["正文。", "根据《关于推进政务新媒体健康发展的意见》，制定本办法。"], ids=["a", "b"],
                               title=["国务院办公厅关于推进政务新媒体健康有序发展的意见", "某办法"])
    row = extract_citations(corpus).iloc[0]
    assert (row["target_doc_id"], row["match_method"]) == ("a", "fuzzy")
    assert FUZZY_THRESHOLD <= row["match_score"] < 1


def test_normalize_title():
    assert normalize_title("《中华人民共和国 网络安全法》") == "网络安全法"
    assert normalize_title("法治政府建设实施纲要（2015—2020年）") == "法治政府建设实施纲要"
    assert normalize_title("国务院关于加快推进“互联网+政务服务”工作的指导意见") == "国务院关于加快推进互联网+政务服务工作的指导意见"
    with pytest.raises(TypeError, match="title must be a str"):
        normalize_title(None)


def test_fuzzy_threshold_separates_judged_pairs():
    """The threshold and guards classify every hand-judged pair in tests/data/title_pairs.csv correctly."""
    from policytext.documents.citations import _ISSUED

    pairs = pd.read_csv(DATA / "title_pairs.csv")
    wrong = []
    for cited, candidate, same in zip(pairs["cited"], pairs["candidate"], pairs["same"]):
        issued = _ISSUED.search(candidate)
        score = _title_score(normalize_title(cited), normalize_title(issued.group(1) if issued else candidate))
        if (score >= FUZZY_THRESHOLD) != bool(same):
            wrong.append((cited, candidate, score))
    assert not wrong and len(pairs) >= 30


def test_input_errors(docs):
    with pytest.raises(TypeError, match="not a single str"):
        extract_citations("根据《网络安全法》")
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['text'\]"):
        extract_citations(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(TypeError, match="Corpus or a pandas DataFrame"):
        extract_citations(["根据《网络安全法》"])
    with pytest.raises(ValueError, match="fuzzy_threshold must be in"):
        extract_citations(docs, fuzzy_threshold=1.5)


def test_graph_nodes_edges_and_attributes(docs, citations):
    graph = citation_graph(citations, corpus=docs)
    assert set(docs["doc_id"]) <= set(graph.nodes)
    assert graph.nodes["nat"]["level"] == "national" and graph.nodes["nat"]["doc_number"] == "国发〔2016〕99号"
    assert graph.nodes["loc"]["year"] == 2017 and graph.nodes["nat"]["external"] is False
    assert graph.nodes["ext:网络安全法"]["external"] is True
    edge = graph.edges["loc", "nat"]
    assert edge["count"] == 2 and edge["roles"] == "basis" and "贯彻落实" in edge["sentence"]
    assert sorted(graph.edges) == sorted([("loc", "nat"), ("loc", "ext:网络安全法"), ("self", "ext:数据安全法"),
                                          ("fwd", "ext:关于数据共享工作的意见")])
    assert sorted(citation_graph(docs).edges) == sorted(graph.edges)  # from the documents directly


def test_most_cited(docs, citations):
    table = most_cited(citation_graph(citations, corpus=docs), n=2)
    assert table.loc[0, ["node", "in_degree", "citations"]].tolist() == ["nat", 1, 2]
    assert len(table) == 2 and list(table.columns) == ["node", "title", "doc_number", "external", "in_degree",
                                                       "citations"]
    with pytest.raises(ValueError, match="n must be a positive int"):
        most_cited(citations, n=0)


def test_adoption_lag(docs, citations):
    lags = adoption_lag(docs, citations)
    assert lags[["cited_node", "citing_doc_id", "province", "mentions", "lag_days", "lag_unit"]].values.tolist() == [
        ["nat", "loc", "浙江", 2, 157, "days"]]
    summary = adoption_lag(docs, citations, by_province=True)
    assert summary.loc[0, ["province", "citing_docs", "pairs", "median_lag_days"]].tolist() == ["浙江", 1, 1, 157]
    # Only years known: the lag is counted in years.
    yearly = adoption_lag(docs.assign(date=None))
    assert yearly.loc[0, ["lag_years", "lag_unit"]].tolist() == [1.0, "years"]
    with pytest.raises(TypeError, match="citations must be the table extract_citations"):
        adoption_lag(docs, citations=[1, 2])


def test_plot(docs):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    graph = citation_graph(docs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing CJK glyphs: fonts are configured elsewhere
        ax = plot_citation_graph(graph)
    assert ax.figure is not None
    with pytest.raises(ValueError, match="layout must be one of"):
        plot_citation_graph(graph, layout="radial")
    with pytest.raises(TypeError, match="graph must be the networkx.DiGraph"):
        plot_citation_graph(docs)


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="policytext")
    register_cli(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_meta_and_cites(docs, tmp_path, capsys):
    table = tmp_path / "docs.csv"
    docs.to_csv(table, index=False)
    out = tmp_path / "meta.csv"
    assert _run(["meta", str(table), "--out", str(out)]) == 0
    meta = pd.read_csv(out)
    assert meta.loc[meta["doc_id"] == "nat", "genre"].item() == "指导意见"
    assert meta.loc[meta["doc_id"] == "nat", "date_signed"].item() == "2016-09-25"
    assert meta["doc_number_origin"].notna().any()
    assert _run(["cites", str(table), "--out", str(tmp_path / "cites")]) == 0
    printed = capsys.readouterr().out
    assert "citations" in printed and "most cited" in printed
    written = {p.name for p in (tmp_path / "cites").iterdir()}
    assert written == {"citations.csv", "nodes.csv", "edges.csv", "most_cited.csv", "adoption_lag.csv",
                       "graph.graphml"}
    assert pd.read_csv(tmp_path / "cites" / "adoption_lag.csv")["lag_days"].tolist() == [157]


def test_metadata_table_origins():
    corpus = Corpus.from_texts(["国务院关于推进政务服务的意见\n国发〔2016〕55号\n正文。"], title=["t"])
    row = metadata_table(corpus).iloc[0]
    assert (row["title_origin"], row["year_origin"], row["genre"]) == ("input", "", "意见")


# ------------------------------------------------------------------------------------------- shared corpus
@pytest.fixture(scope="module")
def shared(request):
    home = request.getfixturevalue("shared_corpora")
    import policytext as pt

    assert (home / "metadata.csv").is_file()
    corpus = pt.load_corpus("policy")  # the registered, frozen set: its manifest, not whatever the folder holds
    return corpus, extract_citations(corpus)


@pytest.mark.shared
def test_shared_corpus_citations(shared):
    corpus, table = shared
    ids = set(corpus.doc_ids)
    assert len(table) >= 330  # 368 measured
    assert set(table["target_doc_id"].dropna()) <= ids
    assert (table["citing_doc_id"] != table["target_doc_id"]).all()
    # Known facts: three national texts cite the Cyber Security Law; four provincial regulations implement the
    # State Council's business-environment regulation (国务院令第722号).
    cyber = table[table["target_doc_id"] == "national/网络安全法(2016-11-07).txt"]["citing_doc_id"]
    assert {"national/数据安全法(2021-06-10).txt", "national/电子商务法(2018-08-31).txt"} <= set(cyber)
    lags = adoption_lag(corpus, table)
    business = lags[lags["cited_node"] == "national/优化营商环境条例(2019-10-22).txt"]
    assert set(business["province"]) == {"北京", "上海", "重庆", "广东"}
    assert business.set_index("province").loc["北京", "lag_days"] == 157


@pytest.mark.shared
def test_hand_checked_sample_still_holds(shared):
    """Precision recomputed from the hand-judged sample; every row judged correct is still extracted.

    Rows are matched on (citing document, cited title, cited number) rather than offsets, so a change in text
    cleaning does not invalidate the judgements.
    """
    from collections import Counter

    _, table = shared
    sample = pd.read_csv(DATA / "citation_sample_check.csv", keep_default_na=False, dtype=str)
    assert len(sample) >= 100
    documents = sample[sample["is_document_citation"] == "1"]
    targets = sample[sample["target_doc_id"] != ""]
    # 107 of 107 are document citations (the 11 first judged in Wikisource licence notices left the sample when
    # cleaning began to remove those notices); 10 of 10 resolved targets right; 106 of 107 roles right.
    assert len(documents) / len(sample) >= 1.0
    assert (targets["target_correct"] == "1").mean() >= 1.0
    assert (documents["role_correct"] == "1").mean() >= 106 / 107
    key = ["citing_doc_id", "cited_title", "cited_number", "target_doc_id"]
    produced = Counter(map(tuple, table[key].fillna("").astype(str).values.tolist()))
    correct = documents[(documents["target_correct"] != "0") & (documents["role_correct"] == "1")]
    wanted = Counter(map(tuple, correct[key].values.tolist()))
    missing = {k: n for k, n in wanted.items() if produced[k] < n}
    assert not missing, f"no longer extracted: {list(missing)[:5]}"


def test_no_data_is_copied_into_the_sample_file():
    sample = pd.read_csv(DATA / "citation_sample_check.csv", keep_default_na=False, dtype=str)
    assert list(sample.columns) == ["citing_doc_id", "start", "end", "cited_title", "cited_number", "target_doc_id",
                                    "is_document_citation", "target_correct", "role_correct", "note"]
    assert os.path.getsize(DATA / "citation_sample_check.csv") < 40_000
