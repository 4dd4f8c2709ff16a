"""The one-command report: every stage runs, files are written, a re-run comes from the cache."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import policytext as pt
from policytext.cli.main import main
from policytext.cli.common import parse_ks
from policytext.report.build import ReportConfig, build_report

TEXTS = {
    2014: "发展大数据产业，推动云计算和物联网应用。加快建设宽带网络，促进信息消费。",
    2015: "制定“互联网+”行动计划，推动移动互联网、云计算、大数据与现代制造业结合。",
    2016: "大力推行“互联网+政务服务”，实现部门间数据共享，让居民和企业少跑腿。",
    2018: "深化“放管服”改革，推进政务服务一网通办，企业和群众办事力争只进一扇门、最多跑一次。",
    2020: "培育数据要素市场，推进政务数据开放共享，发展数字经济。",
    2022: "加强数字政府建设，推进政务数据共享，提升一网通办水平。",
}


@pytest.fixture(scope="module")
def corpus():
    texts, years = [], []
    for year, text in TEXTS.items():
        for i in range(6):  # several paragraphs per year so bootstrap intervals have something to resample
            texts.append("\n".join([text] * 3) + f"\n第{i + 1}项任务按照要求推进落实，加强统筹协调。")
            years.append(year)
    return pt.Corpus.from_texts(texts, year=years, level=["national", "provincial"] * (len(texts) // 2))


def test_report_runs_every_stage_and_writes_files(corpus, tmp_path, monkeypatch):
    config = ReportConfig(ks=[2, 3], seeds=[1, 2], topic_params={"min_df": 1, "max_df": 1.0, "passes": 2},
                          n_boot=50, min_chars=10)
    result = build_report(corpus, tmp_path / "out", config=config, cache=tmp_path / "cache", progress=False)
    out = tmp_path / "out"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Recommended K" in html and "data:image/png;base64," in html and "http" not in html.split("<pre>")[0]
    for name in ("documents", "term_rates", "select_k", "topic_terms", "topic_shares", "governance_mode_shares_by_year",
                 "innovation_stage_shares_by_level", "citations"):
        assert (out / "tables" / f"{name}.csv").is_file() and (out / "tables" / f"{name}.parquet").is_file()
    methods = json.loads((out / "methods.json").read_text(encoding="utf-8"))
    assert methods["corpus"]["checksum_sha256"] == corpus.checksum()
    assert methods["topics"]["k"] in (2, 3) and methods["config"]["seeds"] == [1, 2]
    assert set(methods["models"]) == {"governance-mode", "innovation-stage", "policy-tools"}
    assert set(result["seconds"]) >= {"corpus", "tokenize", "terms", "topics", "classifiers", "write"}

    # An unchanged re-run reads tokens, the K grid, the model and predictions from the cache.
    from policytext.topics import model as topic_model
    from policytext.topics import select as topic_select

    def refuse(*args, **kwargs):
        raise AssertionError("refitted although nothing changed")

    monkeypatch.setattr(topic_select, "select_k", refuse)
    monkeypatch.setattr(topic_model.TopicModel, "fit", refuse)
    again = build_report(corpus, tmp_path / "again", config=config, cache=tmp_path / "cache", progress=False)
    assert again["methods"]["topics"]["k"] == methods["topics"]["k"]


def test_report_refuses_a_corpus_without_the_by_column(tmp_path):
    corpus = pt.Corpus.from_texts(["推进一网通办。"])
    with pytest.raises(ValueError, match="no values in column 'year'"):
        build_report(corpus, tmp_path, progress=False, cache=False)


def test_parse_ks():
    # One parser serves `topics` and `report`: a bare range gives about seven values, ends included.
    assert parse_ks("8..14") == [8, 9, 10, 11, 12, 13, 14]
    assert parse_ks("6..16") == [6, 8, 10, 12, 14, 16]
    assert parse_ks("8..16:4") == [8, 12, 16]
    assert parse_ks("6,8,10") == [6, 8, 10]
    with pytest.raises(ValueError, match="give a number"):
        parse_ks("eight")


def test_cli_report_on_the_government_work_reports(shared_corpora, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYTEXT_CACHE", str(tmp_path / "cache"))
    assert main(["report", "gwr-2014-2022", "--out", str(tmp_path / "gwr"), "--k", "6,8"]) == 0
    rates = (tmp_path / "gwr" / "tables" / "term_first_appearance.csv").read_text(encoding="utf-8")
    assert "大数据,2014" in rates
    # 17 terms: a heat map of terms × years beside the small multiples
    assert (tmp_path / "gwr" / "figures" / "term_rates_heatmap.png").is_file()
    assert "All terms, every year" in (tmp_path / "gwr" / "report.html").read_text(encoding="utf-8")


def test_topics_focus_on_the_digital_government_sentences():
    from policytext.report.build import FOCUS_MIN_CHARS, MIN_FOCUS_SEGMENTS, _focus_segments

    digital = ["推进政务服务一网通办，加强数据共享。"] * MIN_FOCUS_SEGMENTS
    texts = ["稳定粮食生产，加强农田水利建设。" + d + "扩大有效投资，促进消费升级。" for d in digital]
    corpus = pt.Corpus.from_texts(texts, year=[2018] * len(texts))
    paragraphs = corpus.segments("paragraph")
    chosen, focus = _focus_segments(corpus, paragraphs, ReportConfig())
    assert len(chosen) == MIN_FOCUS_SEGMENTS and set(chosen["text"]) == {"推进政务服务一网通办，加强数据共享。"}
    n_sentences = len(corpus.segments("sentence", min_chars=FOCUS_MIN_CHARS))
    assert f"the {MIN_FOCUS_SEGMENTS} sentences (of {n_sentences})" in focus
    assert chosen["year"].eq(2018).all()  # sentences keep their document's metadata
    everything, said = _focus_segments(corpus, paragraphs, ReportConfig(focus="all"))
    assert everything is paragraphs and said == "all paragraphs"
    few_corpus = pt.Corpus.from_texts(texts[:5], year=[2018] * 5)
    few, why = _focus_segments(few_corpus, few_corpus.segments("paragraph"), ReportConfig())
    assert len(few) == 5 and "only 5 sentences name a digital-government term" in why
    with pytest.raises(ValueError, match="focus must be 'digital' or 'all'"):
        _focus_segments(corpus, paragraphs, ReportConfig(focus="digtal"))


def _outputs(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in ("report.html", "methods.json")}


def test_unchanged_rerun_reads_the_finished_report(corpus, tmp_path):
    import subprocess
    import sys

    config = ReportConfig(ks=[2, 3], seeds=[3, 4], topic_params={"min_df": 1, "max_df": 1.0, "passes": 2},
                          n_boot=40, min_chars=10)
    first = build_report(corpus, tmp_path / "first", config=config, cache=tmp_path / "cache", progress=False)
    assert "topics" in first["seconds"] and first["methods"]["topics"]["seed"] == 3  # the grid's fit with seeds[0]
    # A fresh process, as a re-run from the shell is: the finished report comes back from the cache, and none of
    # the modelling or plotting libraries is imported.
    script = (
        "import pickle, sys, policytext as pt\n"
        "from policytext.report.build import ReportConfig, build_report\n"
        f"corpus, config = pickle.loads({pickle_dumps((corpus, config))!r})\n"
        f"r = build_report(corpus, {str(tmp_path / 'second')!r}, config=config, cache={str(tmp_path / 'cache')!r},"
        " progress=False)\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'gensim', 'tomotopy', 'matplotlib',"
        " 'jieba', 'rjieba', 'networkx'})\n"
        "print(sorted(r['seconds']), heavy)\n"
    )
    # Run outside the checkout: with ``-c`` the working directory comes first on sys.path, and a source tree there
    # would be imported instead of the package this test session uses.
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert run.stdout.strip() == "['cached report', 'corpus', 'write'] []"
    assert _outputs(tmp_path / "first") == _outputs(tmp_path / "second")
    first_methods = json.loads((tmp_path / "first" / "methods.json").read_text(encoding="utf-8"))
    second_methods = json.loads((tmp_path / "second" / "methods.json").read_text(encoding="utf-8"))
    assert {**first_methods, "seconds": None} == {**second_methods, "seconds": None}
    # A changed setting is a different report: it is computed (from the cached tokens, grid and model).
    changed = ReportConfig(**{**config.__dict__, "n_boot": 41})
    third = build_report(corpus, tmp_path / "third", config=changed, cache=tmp_path / "cache", progress=False)
    assert "topics" in third["seconds"]


def pickle_dumps(value):
    import pickle

    return pickle.dumps(value)


def test_stored_report_refuses_a_table_parquet_would_change(tmp_path):
    import pandas as pd

    from policytext.report.stored import read_report, store_report
    from policytext.scale.cache import Cache, cache_key

    store, key = Cache(tmp_path / "cache"), cache_key("report-test")
    figure = tmp_path / "f.png"
    figure.write_bytes(b"\x89PNG")
    mixed = pd.DataFrame({"first_year": pd.Series([2014, pd.NA], dtype=object)})  # comes back as floats
    with pytest.warns(RuntimeWarning, match="could not be cached"):
        assert store_report(store, key, {"t": mixed}, {"f": figure}, {"k": 1}) is None
    assert read_report(store, key, tmp_path) is None
    fine = pd.DataFrame({"term": pd.Series(["数据", None], dtype=object), "n": [1, 2]})
    assert store_report(store, key, {"t": fine}, {"f": figure}, {"k": 1}) is not None
    tables, figures, methods = read_report(store, key, tmp_path / "out")
    pd.testing.assert_frame_equal(tables["t"], fine)
    assert figures["f"].read_bytes() == b"\x89PNG" and methods == {"k": 1}
