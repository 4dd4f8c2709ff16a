"""Perplexity computed for all documents at once equals gensim's LdaModel.log_perplexity (the reference)."""

from __future__ import annotations

import numpy as np
import pytest

import policytext as pt
from policytext.topics.inputs import build_inference_model
from policytext.topics.perplexity import log_perplexity

DOCS = [["数据", "共享", "平台", "数据"], ["政务", "服务", "平台"], ["数据", "要素", "市场"], ["政务", "服务", "办理"],
        ["营商", "环境", "改革", "服务"], ["数据"]] * 4


def gensim_bound(model, bows):
    engine = build_inference_model(model.topic_word_counts_, model.alpha_, model.eta_, model.dictionary_,
                                   model.iterations)
    return engine.log_perplexity(bows)


@pytest.mark.parametrize("backend", ["gensim", "tomotopy"])
@pytest.mark.parametrize("iterations", [1, 3, 50])
def test_equals_gensim(backend, iterations):
    model = pt.TopicModel(k=3, seed=2, min_df=1, max_df=1.0, passes=3, train_iter=50, backend=backend,
                          iterations=iterations).fit(DOCS)
    bows = [model.dictionary_.doc2bow(d) for d in DOCS]
    ours = log_perplexity(model.topic_word_counts_, model.alpha_, model.eta_, bows, iterations)
    assert ours == pytest.approx(gensim_bound(model, bows), rel=1e-10)
    assert model.perplexity(DOCS) == pytest.approx(2 ** -gensim_bound(model, bows), rel=1e-9)


def test_many_blocks_give_the_same_bound(monkeypatch):
    from policytext.topics import perplexity

    model = pt.TopicModel(k=3, seed=2, min_df=1, max_df=1.0, passes=2).fit(DOCS)
    bows = [model.dictionary_.doc2bow(d) for d in DOCS]
    whole = log_perplexity(model.topic_word_counts_, model.alpha_, model.eta_, bows)
    monkeypatch.setattr(perplexity, "BLOCK", 10)
    assert log_perplexity(model.topic_word_counts_, model.alpha_, model.eta_, bows) == pytest.approx(whole, rel=1e-12)


def test_refuses_empty_documents():
    with pytest.raises(ValueError, match="needs non-empty bags of words"):
        log_perplexity(np.ones((2, 3)), np.full(2, 0.5), np.full(3, 0.1), [[(0, 1)], []])


@pytest.mark.shared
def test_equals_gensim_on_work_report_paragraphs(shared_corpora):
    segments = pt.load_corpus("gwr-2014-2022").segments("paragraph", min_chars=30)
    model = pt.TopicModel(k=12, seed=1, passes=2).fit(segments)
    tokens = model.tokenizer_.tokenize_many(segments["text"].tolist())
    bows = [b for b in (model.dictionary_.doc2bow(t) for t in tokens) if b]
    ours = log_perplexity(model.topic_word_counts_, model.alpha_, model.eta_, bows, model.iterations)
    assert ours == pytest.approx(gensim_bound(model, bows), rel=1e-10)


@pytest.mark.parametrize("backend", ["gensim", "tomotopy"])
def test_topic_shares_equal_gensim_inference(backend):
    model = pt.TopicModel(k=3, seed=4, min_df=1, max_df=1.0, passes=3, train_iter=50, backend=backend).fit(DOCS)
    engine = build_inference_model(model.topic_word_counts_, model.alpha_, model.eta_, model.dictionary_,
                                   model.iterations)
    gamma, _ = engine.inference([model.dictionary_.doc2bow(d) for d in DOCS])
    np.testing.assert_allclose(model.transform(DOCS), gamma / gamma.sum(axis=1, keepdims=True), rtol=0, atol=1e-10)
