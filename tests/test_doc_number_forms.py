"""Every document-number form printed in the shared corpora is parsed, and nothing else is read as a number.

The forms are collected from all files of ../shared/corpora (texts, tables, README): each span of up to 12
Chinese characters, a bracketed year and ``N号``. The spans that are not document numbers are listed below
with the reason, so a new corpus form that fails to parse shows up as a test failure, not as a silent miss.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policytext.corpus.files import decode_bytes, read_document
from policytext.documents.numbers import find_doc_numbers, parse_doc_number

CANDIDATE = re.compile(r"[\u4e00-\u9fff]{0,12}[〔\[【（(［〖﹝][0-9]{4}[〕\]】）)］〗﹞]第?[0-9]{1,6}号")
TEXT_SUFFIXES = (".csv", ".tsv", ".jsonl", ".json", ".md", ".txt", ".html", ".htm")

# Spans that look like numbers but are not 发文字号 with an organ code, and why (all from the citizen-message
# tables, except 民航总局, from a State Council table).
NOT_NUMBERS = {
    "关于您所说（2017）11号": "no organ code",
    "兵安置应该按照国务院下发（1987）106号": "no organ code (国务院下发 is a phrase)",
    "其中涉及非转农的主要是[2013]568号": "no organ code",
    "区人民政府作出了[2015]第025号": "no organ code",
    "区分局作出了[2016]第026号": "no organ code",
    "市公安局出台了[2008]230号": "no organ code",
    "省厅给予了【2011】7号": "no organ code",
    "这个[2015]2号": "no organ code",
    "责【2019】001号": "one character is too weak a code in running text",
    "文国的请求竟被口头答复法【2011】159号": "one character is too weak a code in running text",
    "市公安局[2001]93号": "an organ's name, not its code",
    "市局[2008]230号": "an organ's name, not its code",
    "民航总局〔2006〕80号": "an organ's name, not its code (the code is 民航发)",
    "土地证号为醴国用(2014)第0269号": "a land-use certificate (国用), not a document",
    "楚宁国用[2010]第000247号": "a land-use certificate (国用), not a document",
    "证号为靖国用（2012）第275号": "a land-use certificate (国用), not a document",
    "长国用（2006）第010937号": "a land-use certificate (国用), not a document",
    "和潭政办法【2017】16号": "办法 ends a lead-in (a misprint of 潭政办发?); ambiguous, left unread",
    "年先后下达了潭政办法[2016]23号": "办法 ends a lead-in (a misprint of 潭政办发?); ambiguous, left unread",
    "长办法【2015】25号": "办法 ends a lead-in; ambiguous, left unread",
    "长工商通知〔2018〕41号": "通知 ends a lead-in; ambiguous, left unread",
}


@pytest.fixture(scope="module")
def forms(shared_corpora) -> dict[str, str]:
    """Each candidate span found in the shared corpora, with the name of one file it came from."""
    found: dict[str, str] = {}
    for path in sorted(p for p in shared_corpora.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix in TEXT_SUFFIXES:
            text = decode_bytes(path.read_bytes(), path=path)[0]
        elif suffix in (".docx", ".pdf"):
            text = read_document(path).text
        else:
            continue
        for match in CANDIDATE.finditer(text):
            found.setdefault(match[0], path.name)
    return found


def _number_at_end(span: str):
    return next((n for n in find_doc_numbers(span) if n.end == len(span)), None)


def test_every_document_number_form_in_the_corpora_parses(forms):
    bare = {s for s in forms if s[0] in "〔[【（(［〖﹝"}  # a year and serial with no code at all
    numbers = {s: _number_at_end(s) for s in forms if s not in bare and s not in NOT_NUMBERS}
    unparsed = sorted(f"{s} ({forms[s]})" for s, n in numbers.items() if n is None)
    assert not unparsed, f"document numbers the parser misses: {unparsed}"
    assert len(numbers) > 450, "the shared corpora hold several hundred numbered references"
    print(f"{len(forms)} candidate spans: {len(numbers)} numbers parsed, {len(NOT_NUMBERS)} listed non-numbers, "
          f"{len(bare)} bare year-and-serial spans")


def test_nothing_is_invented_from_spans_that_are_not_numbers(forms):
    listed_but_absent = sorted(set(NOT_NUMBERS) - set(forms))
    assert not listed_but_absent, f"listed non-numbers no longer in the corpora: {listed_but_absent}"
    invented = {s: _number_at_end(s).normalized for s in forms
                if (s in NOT_NUMBERS or s[0] in "〔[【（(［〖﹝") and _number_at_end(s) is not None}
    assert not invented, f"numbers read where there is none: {invented}"


@pytest.mark.parametrize("text, normalized, issuer, level, province", [
    ("发改数据〔2024〕660号", "发改数据〔2024〕660号", "国家发展和改革委员会", "national", None),
    ("发改数据规〔2025〕27号", "发改数据规〔2025〕27号", "国家发展和改革委员会", "national", None),
    ("川发改数据规〔2025〕510号", "川发改数据规〔2025〕510号", "四川省发展和改革委员会", "provincial", "四川省"),
    ("粤发改〔2023〕12号", "粤发改〔2023〕12号", "广东省发展和改革委员会", "provincial", "广东省"),
])
def test_normative_marker_and_province_prefixed_agency_codes(text, normalized, issuer, level, province):
    number = parse_doc_number(text)
    assert number is not None
    assert (number.normalized, number.issuer, number.level, number.province) == (normalized, issuer, level, province)
    in_text = find_doc_numbers(f"根据{text}文件要求")
    assert [n.normalized for n in in_text] == [normalized]


def test_data_is_not_a_lead_in_but_according_to_still_is():
    assert parse_doc_number("根据数据〔2020〕1号") is None
    assert [n.normalized for n in find_doc_numbers("根据国发〔2015〕50号")] == ["国发〔2015〕50号"]
