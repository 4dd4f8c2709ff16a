"""The faster tokenizer gives exactly the tokens it gave before.

``tests/data/token_digests.json`` holds sha256 digests of the tokens of every paragraph of three shared corpora,
recorded with the main branch's tokenizer before it was made faster (``tests/data/token_digests.py``), and
recorded again for lexicon 2026.12 (issue #12): short quoted coinages kept whole (``keep_quoted``), the 63 new
lexicon terms, and lexicon terms repaired where a neighbour left single-character debris. Every changed split was
reviewed on city-gwr-2024 before the digests were re-recorded; text outside quotes is cut as before.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import policytext as pt
from policytext.text import tokenize as tokenize_module

DATA = Path(__file__).parent / "data"


def _digests():
    import importlib.util

    spec = importlib.util.spec_from_file_location("token_digests", DATA / "token_digests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.shared
@pytest.mark.parametrize(("key", "n_jobs"), [("policy/default", 1), ("policy/default", 2), ("policy/report", 2),
                                             ("policy/pos_lowercase", 1), ("gwr-2014-2022/jieba_backend", 1),
                                             ("city-gwr-2024/default", 2)])
def test_tokens_identical_to_the_recorded_ones(shared_corpora, key, n_jobs):
    module = _digests()
    expected = json.loads((DATA / "token_digests.json").read_text(encoding="utf-8"))[key]
    corpus, setting = key.split("/")
    texts = module.paragraphs(corpus)
    tokens = pt.Tokenizer(n_jobs=n_jobs, **module.SETTINGS[setting]).tokenize_many(texts)
    assert len(texts) == expected["paragraphs"]
    assert sum(map(len, tokens)) == expected["tokens"]
    assert module.digest(tokens) == expected["sha256"]


def test_join_precheck_never_skips_a_join():
    # The regex shortcut must return exactly what the token loop returns, on sequences built to trip it.
    pieces = ["a", "B", "1", "22", "-", ".", "数据", "A1", "\n", "x\n", "App", "le", " ", "-1", "1.", "共享", "+"]
    rng = random.Random(7)
    for _ in range(5000):
        tokens = [rng.choice(pieces) for _ in range(rng.randint(0, 8))]
        assert tokenize_module._join_alnum(tokens) == tokenize_module._join_loop(tokens), tokens
        tags = [rng.choice(["n", "v", "x"]) for _ in tokens]
        assert tokenize_module._join_alnum(tokens, tags) == tokenize_module._join_loop(tokens, tags), tokens


def test_latin_runs_and_memo_reset(monkeypatch):
    tok = pt.Tokenizer(n_jobs=1)
    assert tok.tokenize("应对COVID-19疫情，推广Wi-Fi和4GB套餐，增长3.5%") == tok.tokenize(
        "应对COVID-19疫情，推广Wi-Fi和4GB套餐，增长3.5%")
    assert "COVID-19" in tok.tokenize("应对COVID-19疫情") and "Wi-Fi" in tok.tokenize("推广Wi-Fi")
    # A full memo is emptied, never allowed to change a result.
    monkeypatch.setattr(tokenize_module, "_MEMO_LIMIT", 3)
    small = pt.Tokenizer(n_jobs=1)
    texts = ["推进政务服务一网通办", "加快数字政府建设，推进数据共享", "推进政务服务一网通办"]
    assert small.tokenize_many(texts) == pt.Tokenizer(n_jobs=1).tokenize_many(texts)
