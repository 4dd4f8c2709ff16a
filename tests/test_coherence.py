"""Coherence from shared counts equals gensim's CoherenceModel (the reference, used here only) to 1e-6."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import policytext as pt
from policytext.topics.coherence import ALL_MEASURES, coherence_scores, topic_coherences
from policytext.topics.cooccurrence import EncodedTexts, window_counts

TEXTS = [
    ["数据", "共享", "开放", "平台", "数据", "治理"],
    ["政务", "服务", "办理", "一网通办", "服务"],
    ["数据", "要素", "市场", "数据", "共享"],
    ["政务", "数据", "共享", "平台", "服务", "政务", "服务", "数据"],
    ["营商", "环境", "服务", "改革"],
    [],
    ["改革", "开放", "市场", "环境", "营商", "改革", "数据", "平台", "共享", "政务", "服务", "办理", "治理"],
]


def gensim_per_topic(topics, texts, measure, window_size=None, dictionary=None):
    """gensim's values: the reference implementation."""
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    dictionary = dictionary or Dictionary(texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cm = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence=measure,
                            window_size=window_size, topn=max(len(t) for t in topics), processes=1)
        return np.array(cm.get_coherence_per_topic(), dtype=float)


def assert_same(ours, reference):
    assert ours.shape == reference.shape
    assert np.array_equal(np.isnan(ours), np.isnan(reference))
    finite = ~np.isnan(reference)
    assert np.max(np.abs(ours[finite] - reference[finite]), initial=0.0) < 1e-6


@pytest.mark.parametrize(("measure", "window_size"), [("u_mass", None)] + [
    (m, w) for m in ("c_v", "c_npmi", "c_uci") for w in (None, 2, 3)])  # u_mass counts documents, not windows
def test_equals_gensim_on_small_texts(measure, window_size):
    topics = [["数据", "共享", "平台", "治理"], ["政务", "服务", "办理", "一网通办"], ["改革", "营商", "环境", "市场"]]
    ours = pt.coherence(topics, TEXTS, measure=measure, window_size=window_size)
    assert_same(ours, gensim_per_topic(topics, TEXTS, measure, window_size))


@pytest.mark.parametrize("measure", ALL_MEASURES)
def test_edge_cases_equal_gensim(measure):
    # A repeated term, a term absent from the texts (dropped from its topic, as gensim does with Dictionary(texts)),
    # and a window longer than some texts but shorter than others.
    topics = [["数据", "共享", "数据", "平台"], ["政务", "不存在的词", "服务", "办理"], ["改革", "改革", "改革", "环境"]]
    ours = pt.coherence(topics, TEXTS, measure=measure, window_size=None if measure == "u_mass" else 4)
    assert_same(ours, gensim_per_topic(topics, TEXTS, measure, None if measure == "u_mass" else 4))


@pytest.mark.parametrize("measure", ALL_MEASURES)
def test_one_document_corpus(measure):
    texts = [TEXTS[6]]
    topics = [["改革", "开放", "市场"], ["数据", "平台", "政务"]]
    assert_same(pt.coherence(topics, texts, measure=measure), gensim_per_topic(topics, texts, measure))


def test_word_that_leaves_the_window_while_it_recurs():
    # gensim unmarks a word when one occurrence leaves the window, even if it occurs again inside it.
    enc = EncodedTexts([["a", "x", "a", "x", "x", "x"]], ["a"])
    counts = window_counts(enc, 3)
    assert counts.n_windows == 4
    # "a" is in windows 0, 1 and 2, but gensim unmarks it when position 0 leaves: it counts window 0 only.
    assert counts.occurrences.tolist() == [1]
    topics = [["a", "x"]]
    texts = [["a", "x", "a", "x", "x", "x"], ["x", "a", "a", "x"]]
    for measure in ("c_v", "c_npmi", "c_uci"):
        assert_same(pt.coherence(topics, texts, measure=measure, window_size=3),
                    gensim_per_topic(topics, texts, measure, 3))


def test_dictionary_keeps_absent_terms_like_gensim():
    from gensim.corpora import Dictionary

    dictionary = Dictionary(TEXTS + [["只在词典里"]])
    topics = [["数据", "共享", "只在词典里"], ["政务", "服务", "办理"]]
    ours = topic_coherences([topics], TEXTS, ["c_v", "u_mass"], vocabulary=dictionary.token2id)[0]
    for measure in ("c_v", "u_mass"):
        assert_same(ours[measure], gensim_per_topic(topics, TEXTS, measure, dictionary=dictionary))
    assert np.isnan(ours["c_v"][0])  # a term never seen makes NPMI infinite: undefined, as in gensim


def test_several_models_share_one_count():
    models = [[["数据", "共享"], ["政务", "服务"]], [["数据", "共享", "平台"], ["改革", "环境", "营商"], ["服务", "办理"]]]
    together = topic_coherences(models, TEXTS, ALL_MEASURES)
    for model, scores in zip(models, together):
        for measure in ALL_MEASURES:
            alone = pt.coherence(model, TEXTS, measure=measure)
            np.testing.assert_allclose(scores[measure], alone, rtol=0, atol=1e-12)


def test_topic_model_and_coherence_scores():
    docs = [["数据", "共享", "平台"], ["政务", "服务", "平台"], ["数据", "要素", "市场"]] * 5
    model = pt.TopicModel(k=2, seed=3, min_df=1, max_df=1.0, passes=2).fit(docs)
    per_topic = pt.coherence(model, docs, topn=3)
    assert per_topic.shape == (2,)
    topics = model.top_terms(3).groupby("topic")["term"].apply(list).tolist()
    assert_same(per_topic, gensim_per_topic(topics, docs, "c_v"))
    means = model.coherence(docs, measures=["c_v", "u_mass"], topn=3)
    assert means["c_v"] == pytest.approx(float(np.mean(per_topic)), abs=1e-12)
    assert coherence_scores([topics], docs, model.dictionary_, ["c_v"])[0]["c_v"] == pytest.approx(means["c_v"])


def test_errors():
    with pytest.raises(ValueError, match="measure must be one of"):
        pt.coherence([["数据"]], TEXTS, measure="c_w2v")
    with pytest.raises(ValueError, match="topn must be a positive int"):
        pt.coherence([["数据"]], TEXTS, topn=0)
    with pytest.raises(TypeError, match="not a single str"):
        pt.coherence([["数据"]], "数据 共享")
    with pytest.raises(TypeError, match=r"texts\[0\] is a str"):
        pt.coherence([["数据"]], ["数据 共享"])
    with pytest.raises(TypeError, match=r"topics\[0\] is a str"):
        pt.coherence(["数据"], TEXTS)
    with pytest.raises(ValueError, match="topics is empty"):
        pt.coherence([], TEXTS)
    with pytest.raises(ValueError, match=r"topics\[1\] is empty"):
        pt.coherence([["数据"], []], TEXTS)
    with pytest.raises(ValueError, match="has no term that occurs in the texts"):
        pt.coherence([["数据"], ["没有", "出现"]], TEXTS)
    with pytest.raises(ValueError, match="window_size must be a positive"):
        pt.coherence([["数据", "共享"]], TEXTS, window_size=0)
    with pytest.raises(ValueError, match="unknown coherence measure"):
        topic_coherences([[["数据"]]], TEXTS, ["c_x"])


@pytest.fixture(scope="module")
def gwr_paragraph_tokens(shared_corpora):
    segments = pt.load_corpus("gwr-2014-2022").segments("paragraph", min_chars=30)
    return pt.Tokenizer().tokenize_many(segments["text"].tolist(), n_jobs=1)


@pytest.mark.shared
@pytest.mark.parametrize("k", [6, 14, 20])
def test_equals_gensim_on_work_report_paragraphs(gwr_paragraph_tokens, k):
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    tokens = gwr_paragraph_tokens
    assert len(tokens) == 807
    dictionary = Dictionary(tokens)
    lda = LdaModel([dictionary.doc2bow(t) for t in tokens], id2word=dictionary, num_topics=k, passes=1,
                   random_state=k)
    topics = [[dictionary[i] for i, _ in lda.get_topic_terms(t, 10)] for t in range(k)]
    ours = topic_coherences([topics], tokens, ALL_MEASURES)[0]
    for measure in ALL_MEASURES:
        assert_same(ours[measure], gensim_per_topic(topics, tokens, measure))


@pytest.mark.shared
def test_equals_gensim_on_whole_reports(shared_corpora):
    # Whole reports are far longer than the window: thousands of windows per text.
    corpus = pt.load_corpus("gwr-2014-2022")
    tokens = pt.Tokenizer(policy_stopwords=True).tokenize_many(corpus.to_frame()["text"].tolist(), n_jobs=1)
    topics = [["数据", "政务", "服务", "平台", "共享"], ["改革", "市场", "企业", "营商", "环境"],
              ["经济", "发展", "增长", "消费", "投资"]]
    ours = topic_coherences([topics], tokens, ALL_MEASURES)[0]
    for measure in ALL_MEASURES:
        assert_same(ours[measure], gensim_per_topic(topics, tokens, measure))
