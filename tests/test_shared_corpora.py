"""Integration tests on the real texts in the data home (POLICYTEXT_DATA; CI: ../shared/corpora)."""

from __future__ import annotations

import csv

import pytest

import policytext as pt


@pytest.fixture(scope="module")
def policy(shared_corpora):
    return pt.read_corpus(shared_corpora / "policy")


def test_every_policy_file_loads(policy, shared_corpora):
    assert policy.skipped == []
    files = {p.relative_to(shared_corpora / "policy").as_posix() for p in (shared_corpora / "policy").rglob("*")
             if p.is_file()}
    read_files = {d.split("#")[0] for d in policy.doc_ids}
    assert read_files == files
    assert policy.to_frame()["text"].str.len().min() > 0


def test_years_match_the_metadata_table(policy, shared_corpora):
    rows = list(csv.DictReader(open(shared_corpora / "metadata.csv", encoding="utf-8")))
    expected = {r["path"].removeprefix("policy/"): int(r["year"]) for r in rows
                if r["path"].startswith("policy/") and r["year"].isdigit()}
    frame = policy.to_frame().set_index("doc_id")
    assert str(frame["year"].dtype) == "Int64"
    for doc_id, year in expected.items():
        assert frame.loc[doc_id, "year"] == year, doc_id
    # Table rows carry their own years (collections span decades); the NPC resolutions in the collection give
    # no year and no date, so theirs stays missing rather than guessed.
    gwr_rows = frame[frame.index.str.startswith("collections/government_work_reports")]
    reports = gwr_rows[~gwr_rows["title"].str.contains("决议")]
    assert reports["year"].notna().all() and reports["year"].min() == 1954 and len(reports) == 52


def test_gwr_collection_and_doc_numbers(policy):
    frame = policy.to_frame()
    state_council = frame[frame["doc_id"].str.startswith("collections/gov_cn_state_council")]
    assert len(state_council) == 60
    assert state_council["doc_number"].notna().all()
    assert state_council["date"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()


def test_case_paper_boilerplate_is_gone(shared_corpora):
    papers = pt.read_corpus(shared_corpora / "case-papers")
    assert len(papers) == 5
    assert [s for s in papers.skipped if not s[0].endswith("manifest.csv")] == []
    boilerplate = ("下载PDF", "扫码查看", "内容加载中请稍等", "引用本文复制引用", "相关文献", "段落导航")
    for text in papers.texts:
        lines = [line.strip() for line in text.splitlines()]
        assert not any(line in boilerplate for line in lines)
        assert max(len(line) for line in lines) > 150  # the abstracts survive
    # The manifest is used as metadata (years from its year column).
    assert sorted(papers.to_frame()["year"].tolist()) == [2021, 2022, 2024, 2024, 2024]


def test_other_encodings_give_identical_text(shared_corpora, tmp_path):
    source = shared_corpora / "policy" / "gwr-national" / "gwr_2016.txt"
    original = pt.read_corpus(source, metadata=False).texts[0]
    text = source.read_text(encoding="utf-8")
    (tmp_path / "gb18030.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "bom.txt").write_bytes(text.encode("utf-8-sig"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    for name in ("gb18030.txt", "bom.txt", "utf16.txt"):
        assert pt.read_corpus(tmp_path / name, metadata=False).texts[0] == original, name
    # Big5 holds traditional characters: convert, keep the lines Big5 can encode, compare with UTF-8.
    traditional = "\n".join(
        line for line in _to_traditional(text).splitlines() if _encodable(line, "big5")
    )
    (tmp_path / "trad-utf8.txt").write_bytes(traditional.encode("utf-8"))
    (tmp_path / "trad-big5.txt").write_bytes(traditional.encode("big5"))
    big5 = pt.read_corpus(tmp_path / "trad-big5.txt", metadata=False).texts[0]
    assert len(big5) > 5000
    assert big5 == pt.read_corpus(tmp_path / "trad-utf8.txt", metadata=False).texts[0]


def _to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def _encodable(line: str, encoding: str) -> bool:
    try:
        line.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_tokenizer_on_the_gwr(shared_corpora):
    gwr = pt.read_corpus(shared_corpora / "policy" / "gwr-national")
    tokens = pt.Tokenizer().tokenize_many(gwr, n_jobs=2)
    vocabulary = {t for doc in tokens for t in doc}
    assert {"大数据", "互联网+", "放管服", "一网通办", "数字政府"} <= vocabulary
    trends = pt.term_trends(gwr, ["大数据", "互联网+", "数据要素"], by="year")
    assert trends.index.tolist() == list(range(2014, 2023))
    first = pt.first_appearance(gwr, ["大数据", "互联网+"])
    assert first["大数据"] == 2014 and first["互联网+"] == 2015
