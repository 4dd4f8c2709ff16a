"""Term discovery, quoted coinages, terms kept whole against stopword removal, and the terms CLI round trip."""

from __future__ import annotations

import random

import pandas as pd
import pytest

import policytext as pt
from policytext.cli.main import main
from policytext.text.discover import DISCOVER_COLUMNS

# Planted coinages (none is in jieba's dictionary or the lexicon fixture below) and filler text: common characters
# of policy prose drawn at random, so that random n-grams recur too and must be ranked below the coinages.
PLANTED = ["码上办", "一屏统览", "智治中枢", "民呼速应", "数智驿站"]
HELD_OUT_LEXICON = ["掌上办事", "数据开放平台", "证明事项清单", "城市智能中枢", "政务服务驿站"]
FILLER = "推进建设发展加强完善工作服务管理群众企业改革创新实施提升能力水平体系机制市场经济社会城市"
FRAMES = ["全面推行{}，方便群众办事。", "依托{}开展工作", "{}上线运行", "各区建成{}并推广", "完善{}机制"]


def _synthetic(n_docs: int = 30, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(n_docs):
        parts = []
        for _ in range(12):
            parts.append("".join(rng.choice(FILLER) for _ in range(rng.randint(6, 14))) + "。")
            term = rng.choice(PLANTED + HELD_OUT_LEXICON)
            parts.append(rng.choice(FRAMES).format(term))
        docs.append("".join(parts))
    return docs


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return _synthetic()


def test_planted_coinages_rank_above_random_ngrams(corpus):
    table = pt.discover_terms(corpus, known=None)
    assert list(table.columns) == list(DISCOVER_COLUMNS)
    scores = table.set_index("term")["score"]
    assert set(PLANTED) <= set(scores.index)
    random_ngrams = scores[[set(t) <= set(FILLER) for t in scores.index]]
    assert len(random_ngrams) > 10  # the filler does produce recurring n-grams ...
    assert scores[PLANTED].min() > 1.5 * random_ngrams.max()  # ... and every coinage ranks well above them
    assert table["score"].is_monotonic_decreasing
    row = table.set_index("term").loc["智治中枢"]
    assert row["freq"] >= 5 and row["n_docs"] >= 2 and "智治中枢" in row["example"]
    # substrings of a coinage are dominated by it, and fragments have no free edge
    assert not {"治中枢", "智治中", "码上"} & set(table["term"])


def test_held_out_lexicon_terms_are_found_in_the_top_n(corpus):
    """The done-when of issue #12 on a fixture: terms held out of the lexicon come back in the top N (N = 15)."""
    lexicon = set(pt.load_lexicon()["term"])
    assert set(HELD_OUT_LEXICON) <= lexicon
    table = pt.discover_terms(corpus, known=sorted(lexicon - set(HELD_OUT_LEXICON)), seeds="lexicon")
    found = set(table["term"].head(15)) & set(HELD_OUT_LEXICON)
    assert len(found) / len(HELD_OUT_LEXICON) >= 0.8, table.head(15)
    assert "domain" in table.columns and table["domain"].between(0, 1).all()
    # with the full lexicon known, none of them is a candidate
    assert not set(pt.discover_terms(corpus)["term"]) & set(HELD_OUT_LEXICON)


def test_output_is_deterministic_and_streams(corpus):
    first = pt.discover_terms(corpus, known=None)
    again = pt.discover_terms(iter(corpus), known=None)  # a one-pass iterator works as well
    pd.testing.assert_frame_equal(first, again)
    assert len(pt.discover_terms(corpus, known=None, top=3)) == 3


def test_corpus_input():
    corpus = pt.Corpus.from_texts(_synthetic(8))
    assert "智治中枢" in set(pt.discover_terms(corpus, known=None, min_freq=3)["term"])


def test_tiny_input():
    assert pt.discover_terms(["数字政府"], known=None, min_freq=1, min_docs=1)["term"].tolist() == []


def test_empty_input_gives_an_empty_table():
    for texts in ([], ["", "123 abc", "。，"]):
        table = pt.discover_terms(texts)
        assert table.empty and list(table.columns) == list(DISCOVER_COLUMNS)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"texts": "数字政府"}, TypeError, "not a single str"),
        ({"texts": ["a"], "max_length": 1}, ValueError, "min_length and max_length"),
        ({"texts": ["a"], "dominance": 0}, ValueError, "dominance must be"),
        ({"texts": ["数字政府"], "known": "mine"}, ValueError, "known must be"),
        ({"texts": ["数字政府"], "seeds": "mine"}, ValueError, "seeds must be"),
        ({"texts": [1]}, TypeError, r"texts\[0\] is int"),
    ],
)
def test_discover_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        pt.discover_terms(**kwargs)


def test_quoted_coinages_stay_whole():
    tok = pt.Tokenizer(n_jobs=1)
    assert tok.tokenize("推行“民呼速应”") == ["推行", "民呼速应"]
    assert "群众满意" in tok.tokenize("打造「群众满意」品牌") and "码上办" in tok.tokenize('推广"码上办"')
    # a long quotation is segmented as usual; straight quotes pair up, so text between quotations is untouched
    assert "文字" in tok.tokenize("“这是一段很长的引用文字内容”")
    assert "以及" in pt.Tokenizer(n_jobs=1, stopwords=None).tokenize('"甲乙"以及"丙丁"')
    off = pt.Tokenizer(n_jobs=1, keep_quoted=False)
    assert "民呼速应" not in off.tokenize("推行“民呼速应”")
    tagged = pt.Tokenizer(n_jobs=1, pos=["nz"]).tokenize("推行“民呼速应”")
    assert tagged == ["民呼速应"]


def test_stopword_removal_leaves_no_fragment_of_a_term():
    """A neighbour word took a character of the term and the rest fell apart into stopwords (中小企业|上|云)."""
    tok = pt.Tokenizer(n_jobs=1)
    assert tok.tokenize("推进中小企业上云") == ["推进", "中小", "企业上云"]
    mine = pt.Tokenizer(n_jobs=1, user_words=["有诉必应"])
    assert mine.tokenize("群众有诉必应") == ["群众", "有诉必应"]
    assert "有诉必应" in pt.Tokenizer(n_jobs=1).tokenize("做到有诉必应")  # now in the bundled lexicon
    # ordinary words are not broken up to make room for a term (信创 in 诚信创新, 工单 in 施工单位)
    assert tok.tokenize("诚信创新") == ["诚信", "创新"]
    assert tok.tokenize("施工单位") == ["施工单位"]
    for backend in ("rjieba", "jieba"):
        assert "企业上云" in pt.Tokenizer(n_jobs=1, backend=backend, pos=["nz", "n"]).tokenize("推进中小企业上云")


def test_add_lexicon_terms(tmp_path):
    path = tmp_path / "mine.tsv"
    assert pt.add_lexicon_terms(path, ["码上办", "码上办"], category="service", note="mine") == ["码上办"]
    assert pt.add_lexicon_terms(path, ["码上办", "智治中枢"]) == ["智治中枢"]
    assert list(pt.load_lexicon(path)["term"]) == ["码上办", "智治中枢"]
    with pytest.raises(ValueError, match="not a lexicon category"):
        pt.add_lexicon_terms(path, ["x"], category="misc")
    with pytest.raises(TypeError, match="not a single str"):
        pt.add_lexicon_terms(path, "码上办")


def test_cli_round_trip(corpus, tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, text in enumerate(corpus):
        (folder / f"d{i:02d}.txt").write_text(text, encoding="utf-8")
    candidates = tmp_path / "candidates.csv"
    assert main(["terms-discover", str(folder), "--out", str(candidates), "--show", "5"]) == 0
    printed = capsys.readouterr().out
    assert "   1  " in printed and "lexicon-add" in printed
    table = pd.read_csv(candidates, dtype=str, keep_default_na=False)
    assert {"rank", "term", "keep"} <= set(table.columns)
    table.loc[table["term"] == "智治中枢", "keep"] = "y"
    table.to_csv(candidates, index=False)
    lexicon = tmp_path / "my_lexicon.tsv"
    assert main(["lexicon-add", str(candidates), "--lexicon", str(lexicon), "--category", "platform"]) == 0
    rank = int(table.loc[table["term"] == "码上办", "rank"].iloc[0])
    assert main(["lexicon-add", str(candidates), "--lexicon", str(lexicon), "--rows", str(rank)]) == 0
    assert "added 1 terms" in capsys.readouterr().out
    assert set(pt.load_lexicon(lexicon)["term"]) == {"智治中枢", "码上办"}
    sentence = "建成智治中枢"
    assert "智治中枢" not in pt.Tokenizer(n_jobs=1).tokenize(sentence)
    assert "智治中枢" in pt.Tokenizer(n_jobs=1, user_dict=lexicon).tokenize(sentence)
    tokens = tmp_path / "tokens.csv"
    assert main(["tokenize", str(folder), "--unit", "document", "--user-dict", str(lexicon), "--n-jobs", "1",
                 "--out", str(tokens)]) == 0
    assert "智治中枢" in pd.read_csv(tokens)["tokens"].str.split(" ").explode().tolist()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["lexicon-add", "c.csv", "--lexicon", "x.txt"], "give a .tsv file name"),
        (["lexicon-add", "c.csv", "--lexicon", "x.tsv", "--rows", "0"], "row numbers from 1"),
        (["lexicon-add", "c.csv", "--lexicon", "x.tsv", "--category", "misc"], "choose from"),
        (["terms-discover", "x", "--top", "0"], "give a positive number"),
        (["terms-discover", "x", "--out", "c.xlsx"], "use a .parquet"),
    ],
)
def test_cli_usage_errors_before_work(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_lexicon_add_errors_are_one_line(tmp_path, capsys):
    candidates = tmp_path / "c.csv"
    pd.DataFrame({"rank": [1], "term": ["码上办"], "keep": [""]}).to_csv(candidates, index=False)
    assert main(["lexicon-add", str(candidates), "--lexicon", str(tmp_path / "l.tsv")]) == 2
    assert main(["lexicon-add", str(candidates), "--lexicon", str(tmp_path / "l.tsv"), "--rows", "5"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "no terms chosen" in err[0] and "not in" in err[1]
    assert main(["lexicon-add", str(tmp_path / "none.csv"), "--lexicon", str(tmp_path / "l.tsv")]) == 2
