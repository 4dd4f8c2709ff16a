"""Topic models: contract tests shared by every model class, choosing K, shares over time, plots, milestones, CLI.

The tiny corpus below is written for these tests: three themes (big-data industry, online government services,
data as a factor) that shift across the years as the 2014–2022 story does.
"""

from __future__ import annotations

import importlib.util
import json
import os
import warnings

import numpy as np
import pandas as pd
import pytest

for _package in ("gensim", "tomotopy", "pyLDAvis", "matplotlib"):
    if importlib.util.find_spec(_package) is None:
        _message = f"{_package} is not installed: pip install 'policytext[topics,plot]'"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            raise ImportError(_message)  # CI must test the topic models, not skip them
        pytest.skip(_message, allow_module_level=True)

import policytext as pt  # noqa: E402
from policytext.persist import IncompatibleModelError  # noqa: E402
from policytext.topics.select import select_k, topic_similarity  # noqa: E402
from policytext.topics.dynamic import DynamicTopicModel, topic_shares  # noqa: E402
from policytext.topics.inputs import merge_phrases  # noqa: E402
from policytext.topics.model import TopicModel  # noqa: E402

BIG_DATA = ["发展大数据产业，建设云计算数据中心，培育大数据企业。", "大数据产业和云计算企业集聚，数据中心加快建设。",
            "培育大数据企业，云计算产业和数据中心规模扩大。"]
SERVICES = ["政务服务网上办理，群众办事网上办，政务服务平台上线。", "推进政务服务网上办理，政务服务平台方便群众办事。",
            "优化政务服务，群众办事少跑腿，网上办理更多事项。"]
FACTOR = ["培育数据要素市场，数据交易和数据确权稳步推进。", "数据要素市场建设，完善数据交易规则和数据确权制度。",
          "发展数据要素市场，数据交易所开展数据交易。"]


def _corpus() -> pt.Corpus:
    texts, years, levels = [], [], []
    for year in range(2014, 2023):
        theme = BIG_DATA if year < 2017 else SERVICES if year < 2020 else FACTOR
        other = SERVICES if year < 2017 else FACTOR if year < 2020 else BIG_DATA
        texts.append("\n".join(theme + theme[:2] + other[:1]))
        years.append(year)
        levels.append("national" if year % 2 else "provincial")
    return pt.Corpus.from_texts(texts, year=years, level=levels)


@pytest.fixture(scope="module")
def corpus() -> pt.Corpus:
    return _corpus()


@pytest.fixture(scope="module")
def segments(corpus) -> pd.DataFrame:
    return corpus.segments("paragraph")


@pytest.fixture(scope="module")
def tokens(segments) -> list[list[str]]:
    return pt.Tokenizer().tokenize_many(segments["text"].tolist(), n_jobs=1)


@pytest.fixture(scope="module")
def fitted(segments) -> TopicModel:
    return TopicModel(k=3, seed=1, passes=20, min_df=2, max_df=0.6).fit(segments)


# -- contract tests shared by every topic model class ------------------------------------------------------------
FACTORIES = {
    "gensim": lambda seed: TopicModel(k=3, seed=seed, passes=5, min_df=1, max_df=1.0),
    "tomotopy": lambda seed: TopicModel(k=3, seed=seed, backend="tomotopy", train_iter=100, min_df=1, max_df=1.0),
    "dynamic-tomotopy": lambda seed: DynamicTopicModel(k=3, seed=seed, train_iter=50, min_df=1, max_df=1.0),
    "dynamic-gensim": lambda seed: DynamicTopicModel(k=2, seed=seed, backend="gensim", em_iter=1, passes=1,
                                                     min_df=3, max_df=1.0),
}


@pytest.fixture(scope="module", params=sorted(FACTORIES))
def contract(request, segments):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = segments if request.param != "dynamic-gensim" else segments[segments["year"].isin([2014, 2022])]
        model = FACTORIES[request.param](11).fit(data)
    return request.param, model, data


def test_contract_fit_returns_fitted_model(contract):
    _, model, _ = contract
    terms = model.top_terms(n=3)
    assert {"topic", "rank", "term", "weight"} <= set(terms.columns)
    assert set(terms["topic"]) == set(range(model.k))


def test_contract_transform_gives_shares(contract):
    _, model, data = contract
    theta = model.transform(data)
    assert theta.shape == (len(data), model.k)
    finite = np.isfinite(theta).all(axis=1)
    assert finite.sum() >= len(data) // 2
    assert np.allclose(theta[finite].sum(axis=1), 1.0)


def test_contract_save_load_round_trip(contract, tmp_path):
    name, model, data = contract
    folder = model.save(tmp_path / name)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 11 and manifest["data_checksum"] and manifest["tokenizer"]["backend"] == "rjieba"
    assert not list(folder.glob("*.pkl")) and not list(folder.glob("*.pickle"))
    loaded = type(model).load(folder)
    assert np.allclose(loaded.transform(data), model.transform(data), equal_nan=True)
    pd.testing.assert_frame_equal(loaded.top_terms(n=5), model.top_terms(n=5))


def test_contract_same_seed_same_topics(contract):
    name, model, data = contract
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = FACTORIES[name](11).fit(data)
    pd.testing.assert_frame_equal(again.top_terms(n=5), model.top_terms(n=5))


def test_contract_refuses_bare_string(contract):
    _, model, _ = contract
    with pytest.raises(TypeError, match="not a single str"):
        model.transform("推进政务服务")


def test_contract_load_refuses_other_format(contract, tmp_path):
    name, model, _ = contract
    folder = model.save(tmp_path / name)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = "9.0"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IncompatibleModelError, match="upgrade policytext"):
        type(model).load(folder)


# -- TopicModel ---------------------------------------------------------------------------------------------------
def test_topics_separate_the_themes(fitted, segments):
    table = fitted.document_topics(segments)
    assert {"doc_id", "segment_id", "year", "level", "n_terms", "topic_0", "dominant_topic"} <= set(table.columns)
    dominant = {text: topic for text, topic in zip(segments["text"], table["dominant_topic"])}
    majorities = []
    for theme in (BIG_DATA, SERVICES, FACTOR):
        topics = pd.Series([dominant[t] for t in theme])
        majorities.append(topics.mode()[0])
        assert (topics == majorities[-1]).sum() >= 2  # most of a theme's sentences share one topic
    assert len(set(majorities)) == 3  # and each theme has its own


def test_inputs_give_the_same_shares(fitted, segments, tokens, corpus):
    from_segments = fitted.transform(segments)
    assert np.allclose(fitted.transform(segments["text"].tolist()), from_segments)
    assert np.allclose(fitted.transform(tokens), from_segments)
    assert fitted.transform(corpus).shape == (len(corpus), 3)
    # a document's shares do not depend on the batch it comes in
    assert np.allclose(fitted.transform(tokens[:1]), from_segments[:1])


def test_fit_on_document_term_matrix(tokens):
    dtm = pt.document_term_matrix(tokens, min_df=2)
    model = TopicModel(k=3, seed=1, passes=5).fit(dtm)
    assert model.vocabulary_ == dtm.vocabulary
    assert model.transform(dtm).shape == (len(tokens), 3)
    with pytest.raises(ValueError, match="phrases=True needs token lists"):
        TopicModel(k=3, phrases=True).fit(dtm)


def test_top_terms_relevance_and_labels(fitted):
    by_probability = fitted.top_terms(n=5)
    by_relevance = fitted.top_terms(n=5, relevance=0.3)
    assert (by_probability.groupby("topic")["weight"].apply(lambda w: w.is_monotonic_decreasing)).all()
    assert (by_relevance.groupby("topic")["relevance"].apply(lambda w: w.is_monotonic_decreasing)).all()
    with pytest.raises(ValueError, match="between 0 and 1"):
        fitted.top_terms(relevance=2)
    model = TopicModel(k=3, seed=1, passes=2, min_df=2, max_df=0.6).fit([["数据", "要素"], ["政务", "服务"]] * 3)
    model.set_labels({1: "政务服务"})
    assert model.topic_labels[1] == "政务服务" and model.topic_labels[0].startswith("T0 ")
    model.set_labels(["甲", "乙", "丙"])
    assert model.top_terms(n=1)["label"].tolist() == ["甲", "乙", "丙"]
    with pytest.raises(ValueError, match="got 2 labels for 3 topics"):
        model.set_labels(["甲", "乙"])
    with pytest.raises(ValueError, match=r"topics \[5\] do not exist"):
        model.set_labels({5: "x"})


def test_labels_saved(tmp_path):
    model = TopicModel(k=2, seed=1, passes=2, min_df=1, max_df=1.0).fit([["数据", "要素"], ["政务", "服务"]] * 3)
    model.set_labels(["数据要素", "政务服务"])
    assert TopicModel.load(model.save(tmp_path)).topic_labels == ["数据要素", "政务服务"]


def test_tokenizer_travels_with_the_model(tmp_path, segments):
    tok = pt.Tokenizer(user_words=["一窗受理"], stopwords=["群众"])
    model = TopicModel(k=3, seed=1, passes=2, tokenizer=tok).fit(segments)
    loaded = TopicModel.load(model.save(tmp_path))
    assert loaded.tokenizer_.tokenize("推行一窗受理，群众") == ["推行", "一窗受理"]
    assert np.allclose(loaded.transform(segments["text"].tolist()), model.transform(segments["text"].tolist()))


def test_phrases_are_merged_and_saved(tmp_path):
    docs = [["数据", "共享", "平台"], ["数据", "共享", "交换"], ["政务", "服务", "网上"]] * 6
    model = TopicModel(k=2, seed=1, passes=2, min_df=1, max_df=1.0,
                       phrases={"min_count": 2, "threshold": 0.1}).fit(docs)
    assert "数据_共享" in model.vocabulary_
    assert TopicModel.load(model.save(tmp_path)).phrase_pairs_ == model.phrase_pairs_
    assert merge_phrases([["数据", "共享", "数据"]], {("数据", "共享")}) == [["数据_共享", "数据"]]


def test_quality_measures(fitted, segments):
    scores = fitted.coherence(segments)
    assert set(scores) == {"c_v", "u_mass"} and 0 < scores["c_v"] <= 1
    assert fitted.perplexity(segments) > 1


def test_representative_segments(fitted, segments):
    table = fitted.representative(segments, n=2)
    assert len(table) == 6 and {"topic", "label", "rank", "share", "segment_id", "text", "year"} <= set(table.columns)


def test_ldavis_export(fitted, segments, tmp_path):
    page = fitted.export_ldavis(segments, tmp_path / "vis" / "index.html")
    html = page.read_text(encoding="utf-8")
    assert "ldavis.v3.0.0.js" in html and (tmp_path / "vis" / "d3.v5.min.js").is_file()
    assert "https://" not in html.split("<body")[0] if "<body" in html else True


def test_empty_documents_after_stopwords():
    with pytest.raises(ValueError, match="all 2 documents are empty after stopword removal"):
        TopicModel(k=2, min_df=1).fit(["的了和", "，。！"])
    with pytest.warns(UserWarning, match="1 of 7 documents have no terms"):
        model = TopicModel(k=2, passes=1, min_df=1, max_df=1.0).fit([["数据"], ["政务"]] * 3 + [[]])
    assert np.isnan(model.transform([[]])).all()


def test_k_larger_than_vocabulary():
    with pytest.raises(ValueError, match=r"k=5 topics but only 2 terms remain after filtering.*lower k"):
        TopicModel(k=5, min_df=1, max_df=1.0).fit([["数据", "政务"]] * 3)


def test_bad_parameters():
    with pytest.raises(ValueError, match="backend must be one of"):
        TopicModel(backend="mallet").fit([["a"]])
    with pytest.raises(ValueError, match="k must be a positive int"):
        TopicModel(k=0).fit([["a"]])
    with pytest.raises(TypeError, match="seed must be an int"):
        TopicModel(seed=None).fit([["a"]])
    with pytest.raises(RuntimeError, match="not fitted yet"):
        TopicModel().transform([["a"]])
    with pytest.raises(ValueError, match="needs a 'text' or 'tokens' column"):
        TopicModel(k=1).fit(pd.DataFrame({"body": ["数据"]}))


def test_sklearn_conventions():
    from sklearn.base import clone

    model = TopicModel(k=4, seed=3, min_df=1)
    assert clone(model).get_params() == model.get_params()


# -- choosing K ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["tomotopy", "gensim"])
def test_select_k(segments, backend):
    table = select_k(segments, ks=[2, 3, 4], seeds=[1, 2], backend=backend, passes=5, train_iter=100, n_jobs=2)
    assert table["k"].tolist() == [2, 3, 4]
    assert {"c_v", "u_mass", "perplexity", "stability", "recommended", "fit_seconds"} <= set(table.columns)
    assert table["stability"].between(0, 1.0001).all()
    assert table["recommended"].sum() == 1 and table.attrs["recommended_k"] in (2, 3, 4)
    assert "highest c_v" in table.attrs["reason"]
    assert table.attrs["backend"] == backend
    serial = select_k(segments, ks=[2, 3, 4], seeds=[1, 2], backend=backend, passes=5, train_iter=100, n_jobs=1)
    pd.testing.assert_frame_equal(serial.drop(columns="fit_seconds"), table.drop(columns="fit_seconds"))


def test_select_k_errors(tokens):
    with pytest.raises(TypeError, match="ks must be a list of ints"):
        select_k(tokens, ks="6,8")
    with pytest.raises(ValueError, match="seeds must hold at least one int"):
        select_k(tokens, ks=[2], seeds=[])
    with pytest.raises(TypeError, match="pass k values through ks="):
        select_k(tokens, ks=[2], k=3)
    with pytest.raises(ValueError, match="terms remain after filtering"):
        select_k(tokens, ks=[2, 500], seeds=[1])


def test_topic_similarity():
    a = np.array([[0.9, 0.1, 0.0], [0.0, 0.1, 0.9]])
    assert topic_similarity(a, a[::-1]) == pytest.approx(1.0)
    assert topic_similarity(a, np.array([[1 / 3] * 3] * 2)) < 0.8


# -- shares over time ---------------------------------------------------------------------------------------------
def test_topic_shares_by_year(fitted, corpus):
    shares = topic_shares(fitted, corpus, by="year", n_boot=200)
    assert sorted(shares["year"].unique()) == list(range(2014, 2023))
    assert (shares["lower"] <= shares["share"] + 1e-12).all() and (shares["share"] <= shares["upper"] + 1e-12).all()
    assert np.allclose(shares.groupby("year")["share"].sum(), 1.0)
    topic = fitted.document_topics(corpus.segments())["dominant_topic"].iloc[0]  # a 2014 big-data paragraph
    series = shares[shares["topic"] == topic].set_index("year")["share"]
    assert series[2014] > series[2022]  # the big-data topic recedes, as the corpus was written
    again = topic_shares(fitted, corpus, by="year", n_boot=200)
    pd.testing.assert_frame_equal(again, shares)


def test_topic_shares_other_columns_and_errors(fitted, corpus, segments):
    by_level = topic_shares(fitted, segments, by="level", n_boot=50)
    assert set(by_level["level"]) == {"national", "provincial"}
    with pytest.raises(KeyError, match="no column 'ministry' to group by"):
        topic_shares(fitted, segments, by="ministry")
    with pytest.raises(ValueError, match="column 'issuer' is empty"):
        topic_shares(fitted, corpus, by="issuer")
    with pytest.raises(TypeError, match="needs a Corpus or a DataFrame"):
        topic_shares(fitted, ["数据"], by="year")


def test_dynamic_model_needs_two_slices(segments, tokens):
    with pytest.raises(ValueError, match="at least 2 time slices.*only \\[2014\\]"):
        DynamicTopicModel(k=2, min_df=1).fit(segments[segments["year"] == 2014])
    with pytest.raises(KeyError, match="no time column 'period'"):
        DynamicTopicModel(k=2, time="period", min_df=1).fit(segments)
    model = DynamicTopicModel(k=2, min_df=1, train_iter=20).fit(tokens, times=segments["year"].tolist())
    with pytest.raises(ValueError, match="not among the fitted slices"):
        model.transform(tokens[:1], times=[2030])
    with pytest.raises(ValueError, match="times has 1 values for 2 documents"):
        model.transform(tokens[:2], times=[2014])


# -- plots, milestones, CLI ----------------------------------------------------------------------------------------
def test_plots(fitted, corpus, tmp_path):
    from policytext.report.plots import plot_select_k, plot_topic_shares, use_chinese_font

    shares = topic_shares(fitted, corpus, by="year", n_boot=50)
    fig = plot_topic_shares(shares, path=tmp_path / "shares.png")
    assert (tmp_path / "shares.png").stat().st_size > 1000 and len(fig.axes) >= 3
    plot_topic_shares(topic_shares(fitted, corpus, by="level", n_boot=20), milestones=None)
    with pytest.raises(ValueError, match=r"topics \[7\] are not in the table"):
        plot_topic_shares(shares, topics=[7])
    table = pd.DataFrame({"k": [2, 3], "c_v": [0.4, 0.5], "u_mass": [-2, -1], "stability": [0.9, 0.8],
                          "perplexity": [50, 40]})
    table.attrs.update(recommended_k=3, reason="K=3 has the highest c_v")
    plot_select_k(table, path=tmp_path / "k.png")
    with pytest.raises(ValueError, match="columns \\['stability'"):
        plot_select_k(table.drop(columns=["stability"]))
    import matplotlib

    before = dict(matplotlib.rcParams)
    settings = use_chinese_font()
    assert dict(matplotlib.rcParams) == before  # never changes the global settings
    assert settings == {} or settings["font.family"][0]


def test_milestones():
    from policytext.report.milestones import load_milestones

    headline = load_milestones(tier=1)
    assert {"国发〔2015〕40号", "国发〔2015〕50号", "国发〔2016〕55号", "国发〔2022〕14号"} <= set(
        headline["doc_number"].dropna())
    everything = load_milestones()
    assert len(everything) > len(headline) and everything["when"].is_monotonic_increasing
    assert set(load_milestones(level="national")["level"]) == {"national"}
    assert load_milestones(theme="data-factor", since=2020)["year"].min() >= 2020
    with pytest.raises(ValueError, match="level \\['county'\\] not known"):
        load_milestones(level="county")
    with pytest.raises(ValueError, match="tier must be 1"):
        load_milestones(tier=4)


def test_cli_k_ranges():
    from policytext.cli.common import parse_ks

    assert parse_ks("12") == [12] and parse_ks("6,8,10") == [6, 8, 10]
    assert parse_ks("8..30") == [8, 12, 16, 20, 24, 28, 30] and parse_ks("8..12:2") == [8, 10, 12]
    with pytest.raises(ValueError, match="give a number"):
        parse_ks("eight")


# -- real data ---------------------------------------------------------------------------------------------------
@pytest.mark.shared
def test_government_work_reports(shared_corpora, tmp_path):
    gwr = pt.load_corpus("gwr-2014-2022")
    paragraphs = gwr.segments("paragraph", min_chars=30)
    model = TopicModel(k=12, seed=1, backend="tomotopy", train_iter=300,
                       tokenizer=pt.Tokenizer(policy_stopwords=True)).fit(paragraphs)
    shares = topic_shares(model, paragraphs, by="year", n_boot=200)
    assert sorted(shares["year"].unique()) == list(range(2014, 2023))
    table = model.document_topics(paragraphs)
    assert len(table) == len(paragraphs) and table["segment_id"].tolist() == paragraphs["segment_id"].tolist()
    assert model.coherence(paragraphs, measures=["u_mass"])["u_mass"] < 0
    loaded = TopicModel.load(model.save(tmp_path / "gwr"))
    assert np.allclose(loaded.transform(paragraphs.head(20)), model.transform(paragraphs.head(20)))


@pytest.mark.shared
def test_cli_on_government_work_reports(shared_corpora, tmp_path):
    import argparse

    from policytext.cli.topics import register_cli

    parser = argparse.ArgumentParser()
    register_cli(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["topics", "gwr-2014-2022", "--k", "6", "--backend", "tomotopy", "--out",
                              str(tmp_path), "--seeds", "1"])
    assert args.func(args) == 0
    for name in ("top_terms.csv", "segment_topics.csv", "topic_shares.csv", "topic_shares.png",
                 "representative.csv", "ldavis/index.html", "model/manifest.json"):
        assert (tmp_path / name).is_file(), name
