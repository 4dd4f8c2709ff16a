"""Tokenizer: contract tests shared by both backends, options, errors, pickling and parallel runs."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import jieba
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import CountVectorizer

from policytext import Tokenizer
from policytext.text.lexicon import lexicon_terms, load_stopwords

DATA = Path(__file__).parent / "data"
SENTENCE = "推进“互联网+政务服务”，实现一网通办，12345热线在COVID-19期间借助5G网络回应群众诉求。"


@pytest.fixture(params=["rjieba", "jieba"], scope="module")
def tok(request):
    return Tokenizer(backend=request.param)


def test_policy_terms_stay_whole(tok):
    tokens = tok.tokenize(SENTENCE)
    for term in ["互联网+政务服务", "一网通办", "12345热线", "COVID-19", "5G"]:
        assert term in tokens
    assert "，" not in tokens and "的" not in tokens


def test_tokenize_many_matches_tokenize_and_keeps_order(tok):
    texts = [SENTENCE, "加快数字政府建设。", "", "数据要素市场化配置改革"]
    assert tok.tokenize_many(texts, n_jobs=1) == [tok.tokenize(t) for t in texts]


def test_parallel_equals_serial(tok, monkeypatch):
    import policytext.text.tokenize as module

    monkeypatch.setattr(module, "_PARALLEL_MIN_CHARS", 0)
    texts = [SENTENCE * (i % 3 + 1) for i in range(40)]
    assert tok.tokenize_many(texts, n_jobs=2) == tok.tokenize_many(texts, n_jobs=1)


def test_bare_string_is_refused(tok):
    with pytest.raises(TypeError, match="wrap it in a list"):
        tok.tokenize_many("数字政府")
    with pytest.raises(TypeError, match="wrap it in a list"):
        tok.transform("数字政府")
    with pytest.raises(TypeError, match=r"texts\[1\] is a int"):
        tok.tokenize_many(["数字政府", 3])
    with pytest.raises(TypeError, match="use tokenize_many"):
        tok.tokenize(["数字政府"])


def test_sklearn_contract(tok):
    copy = clone(tok)
    assert copy.get_params() == tok.get_params()
    assert tok.fit(["数字政府"]) is tok
    assert tok.fit_transform(["一网通办"]) == [["一网通办"]]
    vectorizer = CountVectorizer(tokenizer=tok, lowercase=False, token_pattern=None)
    vectorizer.fit(["推进一网通办", "一网通办改革"])
    assert "一网通办" in vectorizer.vocabulary_


def test_pickle_round_trip(tok):
    restored = pickle.loads(pickle.dumps(tok))
    assert restored.tokenize(SENTENCE) == tok.tokenize(SENTENCE)


def test_jieba_global_state_untouched():
    before = jieba.lcut("数据要素市场化配置改革", HMM=False)
    Tokenizer(backend="jieba", user_words=["市场化配置改革"]).tokenize("数据要素市场化配置改革")
    assert jieba.lcut("数据要素市场化配置改革", HMM=False) == before


def test_backends_agree_on_policy_text():
    a = Tokenizer(backend="rjieba").tokenize_many([SENTENCE, "深化“放管服”改革，优化营商环境。"], n_jobs=1)
    b = Tokenizer(backend="jieba").tokenize_many([SENTENCE, "深化“放管服”改革，优化营商环境。"], n_jobs=1)
    assert a == b


def test_user_words_and_user_dict(tmp_path):
    text = "坪山区民生诉求系统上线"
    assert "民生诉求系统" not in Tokenizer().tokenize(text)
    assert "民生诉求系统" in Tokenizer(user_words=["民生诉求系统"]).tokenize(text)
    assert "民生诉求系统" in Tokenizer(user_words=[("民生诉求系统", 50)]).tokenize(text)
    user_dict = tmp_path / "dict.txt"
    user_dict.write_text("民生诉求系统 20 nz\n# a comment\n坪山区\n", encoding="utf-8")
    assert "民生诉求系统" in Tokenizer(user_dict=user_dict).tokenize(text)
    bad = tmp_path / "bad.txt"
    bad.write_text("民生诉求系统 many\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.txt, line 1: expected 'word \[freq\] \[tag\]'"):
        Tokenizer(user_dict=bad).tokenize(text)
    with pytest.raises(FileNotFoundError, match="user_dict"):
        Tokenizer(user_dict=tmp_path / "missing.txt").tokenize(text)
    with pytest.raises(ValueError, match="contains whitespace"):
        Tokenizer(user_words=["民生 诉求"]).tokenize(text)


def test_stopword_options():
    text = "各地区各部门要进一步加快推进数字政府建设"
    default = Tokenizer().tokenize(text)
    policy = Tokenizer(policy_stopwords=True).tokenize(text)
    assert "进一步" in default and "进一步" not in policy
    assert "数字政府" in policy
    assert Tokenizer(stopwords=None).tokenize("的") == ["的"]
    assert Tokenizer(stopwords=["建设"]).tokenize("数字政府建设") == ["数字政府"]


def test_number_punctuation_length_and_case_options():
    text = "2023年增长5.2%，Big Data与App"
    assert "5.2%" not in Tokenizer().tokenize(text)
    kept = Tokenizer(drop_numbers=False, drop_punctuation=False).tokenize(text)
    assert "5.2" in kept and "，" in kept
    assert all(len(t) >= 2 for t in Tokenizer(min_length=2).tokenize(SENTENCE))
    assert "5G" in Tokenizer(min_length=3).tokenize(SENTENCE)  # lexicon terms are exempt
    assert "big" in Tokenizer(lowercase=True, stopwords=None).tokenize(text)


def test_pos_filter(tok):
    pos_tok = clone(tok).set_params(pos=["n", "nz"])
    tokens = pos_tok.tokenize("加快建设数字政府")
    assert "数字政府" in tokens and "加快" not in tokens


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"backend": "pkuseg"}, "backend must be one of"),
        ({"min_length": 0}, "min_length must be a positive int"),
    ],
)
def test_bad_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        Tokenizer(**params).tokenize("数字政府")


def test_bad_n_jobs():
    with pytest.raises(ValueError, match="n_jobs must be a non-zero int"):
        Tokenizer().tokenize_many(["数字政府"], n_jobs=0)


def test_domain_terms_come_out_whole():
    """At least 150 domain terms, each in a sentence, come out as one token; plain jieba is the comparison."""
    rows = list(csv.DictReader(open(DATA / "domain_terms.tsv", encoding="utf-8"), delimiter="\t"))
    assert len(rows) >= 150
    tok = Tokenizer(stopwords=None)
    results = tok.tokenize_many([r["sentence"] for r in rows], n_jobs=1)
    failures = [r["term"] for r, tokens in zip(rows, results) if r["term"] not in tokens]
    assert failures == []
    plain = sum(r["term"] in jieba.lcut(r["sentence"]) for r in rows) / len(rows)
    print(f"plain jieba.lcut keeps {plain:.1%} of {len(rows)} domain terms whole; policytext 100%")
    assert plain < 1.0


def test_lexicon_and_stopwords_do_not_overlap():
    stop = load_stopwords(("zh", "en", "policy"))
    assert not stop & set(lexicon_terms())
