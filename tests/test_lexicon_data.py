"""The bundled lexicon, stopword lists and domain-term sentences, checked as data (no Tokenizer involved)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from policytext.resources import package_data

DATA = Path(__file__).parent / "data"
LEXICON = package_data("lexicon", "digital_government.tsv")
STOPWORD_FILES = ["zh.txt", "en.txt", "policy.txt"]
CATEGORIES = {"platform", "reform", "slogan", "agency", "data_governance", "technology", "concept", "service",
              "law", "other"}


def _tsv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    # QUOTE_NONE: a stray quote in a note must not swallow the following lines.
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return list(reader.fieldnames or []), list(reader)


def _word_list(name: str) -> list[str]:
    lines = package_data("stopwords", name).read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]


@pytest.fixture(scope="module")
def lexicon() -> list[dict[str, str]]:
    header, rows = _tsv_rows(LEXICON)
    assert header == ["term", "year", "category", "note"]
    return rows


@pytest.fixture(scope="module")
def terms(lexicon) -> set[str]:
    return {row["term"] for row in lexicon}


def test_lexicon_has_enough_unique_terms(lexicon, terms):
    assert len(terms) >= 450
    assert len(terms) == len(lexicon), "duplicate terms in the lexicon"


def test_every_row_has_four_fields(lexicon):
    assert all(None not in row and all(v is not None for v in row.values()) for row in lexicon)


def test_terms_are_single_tokens(lexicon):
    bad = [row["term"] for row in lexicon if len(row["term"]) < 2 or re.search(r"\s", row["term"])]
    assert bad == []


def test_categories_are_valid(lexicon):
    assert {row["category"] for row in lexicon} <= CATEGORIES


def test_years_are_empty_or_plausible(lexicon):
    bad = [(row["term"], row["year"]) for row in lexicon
           if row["year"] and not (row["year"].isdigit() and 1990 <= int(row["year"]) <= 2025)]
    assert bad == []


def test_every_term_has_an_english_note(lexicon):
    assert [row["term"] for row in lexicon if not row["note"].strip()] == []


def test_requested_core_terms_are_present(terms):
    core = {"一网通办", "最多跑一次", "互联网+政务服务", "数据要素", "跨省通办", "12345热线", "5G", "COVID-19",
            "放管服", "数字政府", "健康码", "浙里办", "国家数据局"}
    assert core <= terms


@pytest.mark.parametrize("name", STOPWORD_FILES)
def test_stopword_file_is_non_empty_without_duplicates(name):
    words = _word_list(name)
    assert len(words) >= 100
    duplicates = sorted({w for w in words if words.count(w) > 1})
    assert duplicates == []


@pytest.mark.parametrize("name", STOPWORD_FILES)
def test_no_lexicon_term_is_a_stopword(name, terms):
    assert sorted(set(_word_list(name)) & terms) == []


def test_domain_sentences_embed_their_term_once(terms):
    header, rows = _tsv_rows(DATA / "domain_terms.tsv")
    assert header == ["term", "sentence"]
    assert len(rows) >= 200
    assert len({row["term"] for row in rows}) == len(rows), "each row must test a different term"
    assert [row["term"] for row in rows if row["term"] not in terms] == []
    assert [row["term"] for row in rows if row["sentence"].count(row["term"]) != 1] == []
    assert [row["term"] for row in rows if not 10 <= len(row["sentence"]) <= 40] == []


def test_count_lexicon_terms_counts_the_longest_match_once():
    from policytext.text.lexicon import count_lexicon_terms

    assert count_lexicon_terms(["推进一网通办和数据共享", "加强农业生产"]) == [2, 0]
    assert count_lexicon_terms(["推行互联网+政务服务"], ["互联网+", "政务服务", "互联网+政务服务"]) == [1]
    assert count_lexicon_terms(["任何文字"], []) == [0]
    with pytest.raises(TypeError, match="not a single str"):
        count_lexicon_terms("推进一网通办")


def test_digital_terms_leave_out_the_wider_policy_setting():
    from policytext.text.lexicon import digital_terms

    terms = set(digital_terms())
    assert {"一网通办", "互联网+政务服务", "大数据", "数据要素", "浙里办", "12345热线"} <= terms
    assert not {"营商环境", "放管服", "十四五", "疫情防控"} & terms
