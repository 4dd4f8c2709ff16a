"""Tests for policytext.documents.numbers: document numbers, dates, genres, header fields and cited titles."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest

from policytext.documents.header import GENRES, detect_genre, extract_metadata, parse_chinese_date
from policytext.documents.numbers import CitedTitle, DocNumber, find_cited_titles, find_doc_numbers, parse_doc_number

GOLD = Path(__file__).parent / "data" / "doc_numbers_gold.csv"
FIELDS = ("normalized", "issuer_code", "organ_code", "type_code", "issuer", "year", "serial", "level", "province",
          "kind")

# Strings that look like numbers but are not. Decisions: a number needs an organ code and a bracketed
# four-digit year (documents) or an organ before 令/公告 (orders, announcements); a bare year and serial
# ("2015年50号文件") names no issuer, so it is not parsed; running text must go through find_doc_numbers.
NEGATIVES = [
    "", "   ", "not a number", "2015年50号文件", "第50号", "国发", "国发〔2015〕", "〔2015〕50号", "2015〕50号",
    "国发2015年50号", "国发〔15〕50号", "国发〔1800〕5号", "国发〔2201〕5号", "国发〔2015〕0号", "国发〔2015〕第号",
    "国发〔2015〕50", "国发〔2015〕五十号", "国发〔2015〕1234567号", "根据国发〔2015〕50号", "关于印发方案的通知",
    "2018年7月31日", "2018-12-07", "010-12345678", "12345热线", "ISBN 978-7-01-012345-6", "GB/T 22239-2019",
    "粤ICP备12345678号", "京公网安备11010502030143号", "房间号：302号", "第3号台风", "国务院令", "令第716号",
    "第716号令", "责令第三号", "命令第1号", "国务院令第号", "国务院令第0号", "公告2018年第28号", "中央一号文件",
    "abc〔2015〕5号", "醴国用（2014）第0269号", "国发〔2015〕50号、国发〔2016〕51号",
]


def _gold_rows() -> list[dict[str, str]]:
    with open(GOLD, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _as_row(number: DocNumber) -> dict[str, str]:
    return {f: "" if getattr(number, f) is None else str(getattr(number, f)) for f in FIELDS}


# ------------------------------------------------------------------------------------------ gold table
def test_gold_table_is_large_and_varied():
    rows = _gold_rows()
    assert len(rows) >= 120
    assert len({r["raw"] for r in rows}) == len(rows)
    assert {r["kind"] for r in rows} == {"document", "order", "announcement"}
    assert sum(1 for r in rows if r["title"]) >= 80


def test_parse_precision_and_recall_on_gold_table():
    rows = _gold_rows()
    correct = predicted = 0
    wrong = []
    for row in rows:
        number = parse_doc_number(row["raw"])
        if number is None:
            continue
        predicted += 1
        if _as_row(number) == {f: row[f] for f in FIELDS}:
            correct += 1
        else:
            wrong.append((row["raw"], _as_row(number)))
    false_positives = [s for s in NEGATIVES if parse_doc_number(s) is not None]
    predicted += len(false_positives)
    precision = correct / predicted
    recall = correct / len(rows)
    assert not wrong and not false_positives, (wrong, false_positives)
    assert precision == 1.0 and recall >= 0.99, (precision, recall)


def test_find_recovers_every_gold_number_in_running_text():
    rows = _gold_rows()
    text = "。".join(f"根据{r['raw']}的规定" for r in rows)
    found = find_doc_numbers(text)
    assert [n.normalized for n in found] == [r["normalized"] for r in rows]
    for number, row in zip(found, rows):
        assert text[number.start:number.end] == number.raw
        assert row["raw"].endswith(number.raw) or number.raw.endswith(row["raw"]) or "中华人民共和国" in row["raw"]


@pytest.mark.parametrize("text", NEGATIVES)
def test_negatives_are_not_numbers(text):
    assert parse_doc_number(text) is None


# ------------------------------------------------------------------------------------------ parse_doc_number
def test_state_council_number_fields():
    n = parse_doc_number("国发〔2015〕50号")
    assert (n.issuer_code, n.issuer, n.year, n.serial, n.organ_code, n.type_code) == ("国发", "国务院", 2015, 50,
                                                                                       "国", "发")
    assert (n.level, n.province, n.kind, n.raw, n.normalized, str(n)) == (
        "national", None, "document", "国发〔2015〕50号", "国发〔2015〕50号", "国发〔2015〕50号")


@pytest.mark.parametrize("raw", ["国发[2015]50号", "国发【2015】50号", "国发（2015）50号", "国发(2015)50号",
                                 "国发［2015］50号", "国发〔 2015 〕 50 号", " 国发〔２０１５〕５０号 ",
                                 "国发〔2015〕第50号", "国 发〔2015〕50号", "（国发〔2015〕50号）", "国发〔2015〕50号文"])
def test_bracket_digit_and_space_variants_normalise(raw):
    n = parse_doc_number(raw)
    assert n == parse_doc_number("国发〔2015〕50号")
    assert n.normalized == "国发〔2015〕50号" and n.raw == raw


@pytest.mark.parametrize(("raw", "issuer", "level", "province", "type_code"), [
    ("国办发〔2018〕45号", "国务院办公厅", "national", None, "办发"),
    ("国办函〔2022〕102号", "国务院办公厅", "national", None, "办函"),
    ("国办发明电〔2018〕15号", "国务院办公厅", "national", None, "办发明电"),
    ("中发〔2018〕1号", "中共中央", "national", None, "发"),
    ("中办发〔2019〕3号", "中共中央办公厅", "national", None, "办发"),
    ("厅字〔2019〕20号", "中共中央办公厅", "national", None, "字"),
    ("发改高技〔2015〕1999号", "国家发展和改革委员会", "national", None, None),
    ("工信部信软〔2018〕7号", "工业和信息化部", "national", None, None),
    ("浙政发〔2017〕1号", "浙江省人民政府", "provincial", "浙江省", "发"),
    ("浙政办发〔2018〕9号", "浙江省人民政府办公厅", "provincial", "浙江省", "办发"),
    ("京政发〔2016〕3号", "北京市人民政府", "provincial", "北京市", "发"),
    ("沪府发〔2018〕2号", "上海市人民政府", "provincial", "上海市", "发"),
    ("沪府办发〔2018〕2号", "上海市人民政府办公厅", "provincial", "上海市", "办发"),
    ("粤府〔2021〕44号", "广东省人民政府", "provincial", "广东省", None),
    ("粤府办〔2018〕48号", "广东省人民政府办公厅", "provincial", "广东省", None),
    ("黔府发〔2016〕12号", "贵州省人民政府", "provincial", "贵州省", "发"),
    ("杭政办〔2019〕3号", "杭州市人民政府办公厅", "municipal", "浙江省", None),
])
def test_known_issuers(raw, issuer, level, province, type_code):
    n = parse_doc_number(raw)
    assert (n.issuer, n.level, n.province, n.type_code) == (issuer, level, province, type_code)


def test_unknown_prefix_still_parses():
    n = parse_doc_number("楚政办发〔2016〕12号")
    assert (n.issuer_code, n.issuer, n.level, n.year, n.serial) == ("楚政办发", None, None, 2016, 12)


@pytest.mark.parametrize(("raw", "code", "issuer", "serial"), [
    ("国务院令第716号", "国务院令", "国务院", 716),
    ("国务院令第七百一十六号", "国务院令", "国务院", 716),
    ("中华人民共和国国务院令第716号", "国务院令", "国务院", 716),
    ("国令第707号", "国务院令", "国务院", 707),
    ("国务院第716号令", "国务院令", "国务院", 716),
    ("国务院令（第716号）", "国务院令", "国务院", 716),
    ("中华人民共和国主席令第八十四号", "主席令", "中华人民共和国主席", 84),
    ("主席令第十号", "主席令", "中华人民共和国主席", 10),
    ("浙江省人民政府令第364号", "浙江省人民政府令", "浙江省人民政府", 364),
    ("财政部令第一百零二号", "财政部令", "财政部", 102),
])
def test_orders(raw, code, issuer, serial):
    n = parse_doc_number(raw)
    assert (n.issuer_code, n.issuer, n.serial, n.year, n.kind) == (code, issuer, serial, None, "order")


def test_order_levels_from_the_organ_name():
    assert parse_doc_number("浙江省人民政府令第364号").province == "浙江省"
    assert parse_doc_number("杭州市人民政府令第300号").level == "municipal"
    assert parse_doc_number("中华人民共和国主席令第八十四号").level == "national"


def test_announcements():
    n = parse_doc_number("深圳市人大常委会公告第十号")
    assert (n.kind, n.serial, n.issuer, n.level, n.normalized) == (
        "announcement", 10, "深圳市人大常委会", "municipal", "深圳市人大常委会公告第10号")
    n = parse_doc_number("国家税务总局公告2018年第28号")
    assert (n.year, n.serial, n.normalized) == (2018, 28, "国家税务总局公告2018年第28号")


def test_parse_rejects_non_strings():
    with pytest.raises(TypeError, match="s must be a str, not int"):
        parse_doc_number(123)


# ------------------------------------------------------------------------------------------ find_doc_numbers
def test_find_in_running_text_trims_lead_ins():
    text = "按照《方案》（国办发〔2018〕45号）要求，根据中华人民共和国国务院令第716号和财政部令第94号，落实长政发[2003]56号。"
    found = find_doc_numbers(text)
    assert [n.normalized for n in found] == ["国办发〔2018〕45号", "国务院令第716号", "财政部令第94号", "长政发〔2003〕56号"]
    assert [text[n.start:n.end] for n in found] == [n.raw for n in found]
    assert found[1].raw == "中华人民共和国国务院令第716号"


def test_find_skips_lookalikes():
    text = "请拨打12345热线或010-12345678，这个[2015]2号和醴国用(2014)第0269号都不是文号，责令第三号也不是。"
    assert find_doc_numbers(text) == []


def test_find_refuses_a_list():
    with pytest.raises(TypeError, match="call the function once per document"):
        find_doc_numbers(["国发〔2015〕50号"])


# ------------------------------------------------------------------------------------------ dates and genres
@pytest.mark.parametrize(("text", "expected"), [
    ("2022年6月23日", datetime.date(2022, 6, 23)),
    ("二〇二二年六月二十三日", datetime.date(2022, 6, 23)),
    ("二○一八年七月三十一日", datetime.date(2018, 7, 31)),
    ("2018-12-07", datetime.date(2018, 12, 7)),
    ("2018年12月07日", datetime.date(2018, 12, 7)),
    ("２０１８年１２月７日", datetime.date(2018, 12, 7)),
    ("2018 年 12 月 7 日", datetime.date(2018, 12, 7)),
    ("2018/12/7", datetime.date(2018, 12, 7)),
    ("2018年2月30日", None), ("1900年1月1日", None), ("2018年", None), ("二〇一八年", None), ("明天", None),
])
def test_parse_chinese_date(text, expected):
    assert parse_chinese_date(text) == expected


def test_parse_chinese_date_rejects_non_strings():
    with pytest.raises(TypeError, match="s must be a str"):
        parse_chinese_date(datetime.date(2018, 1, 1))


@pytest.mark.parametrize(("title", "genre"), [
    ("国务院关于加强数字政府建设的指导意见", "指导意见"),
    ("国务院办公厅关于印发《政府网站集约化试点工作方案》的通知", "通知"),
    ("促进大数据发展行动纲要", "纲要"),
    ("上海市城市运行“一网统管”建设三年行动计划（2020—2022年）", "行动计划"),
    ("政务信息资源共享管理暂行办法", "办法"),
    ("中华人民共和国数据安全法", "法"),
    ("全国一体化政务大数据体系建设指南", "指南"),
    ("国务院关于河北雄安新区总体规划（2018—2035年）的批复", "批复"),
    ("国务院办公厅关于黄金经济政策有关问题的复函", "复函"),
    ("政务新媒体", None),
])
def test_detect_genre(title, genre):
    assert detect_genre(title) == genre
    if genre:
        assert genre in GENRES


# ------------------------------------------------------------------------------------------ extract_metadata
NOTICE = """国务院关于开展政务数据共享

试点工作的通知

国发〔2018〕99号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

为推进政务数据共享，国务院决定开展试点。现将《政务数据共享试点方案》印发给你们，请认真贯彻执行。

本通知自印发之日起施行。

附件：1．政务数据共享试点方案
　　　2．试点地区名单

国务院

{date}

（此件公开发布）

附件1

政务数据共享试点方案

一、总体要求。试点地区要按期完成任务。
"""


@pytest.mark.parametrize("date", ["2018年7月31日", "二〇一八年七月三十一日"])
def test_extract_metadata_from_a_notice(date):
    meta = extract_metadata(NOTICE.format(date=date))
    assert meta["title"] == "国务院关于开展政务数据共享试点工作的通知"
    assert meta["doc_number"] == "国发〔2018〕99号"
    assert meta["genre"] == "通知"
    assert meta["issuers"] == ["国务院"]
    assert meta["addressees"] == ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]
    assert meta["attachments"] == ["政务数据共享试点方案", "试点地区名单"]
    assert meta["signature"] == f"国务院\n{date}"
    assert meta["dates"] == {"signed": "2018-07-31", "published": None, "effective": "2018-07-31"}
    assert meta["disclosure"] == "此件公开发布"
    assert meta["year"] == 2018
    prov = meta["provenance"]
    assert (prov["title"], prov["doc_number"], prov["addressees"], prov["attachments"]) == (
        "text:line 1", "text:line 5", "text:line 7", "text:line 13")
    assert (prov["signature"], prov["dates.signed"], prov["dates"]) == ("text:line 16", "text:line 18", "text:line 18")
    assert prov["genre"] == "rule:genre_from_title" and prov["dates.effective"] == "rule:effective_on_issue"


def test_extract_metadata_joint_signers_and_labelled_header():
    text = ("标　　题：中共中央 国务院关于构建数据基础制度的意见\n发文字号：中发〔2022〕32号\n发布日期：2022年12月19日\n"
            "\n各省、自治区、直辖市党委和人民政府：\n\n正文一段。\n\n中共中央  国务院\n2022年12月2日\n")
    meta = extract_metadata(text)
    assert meta["title"] == "中共中央 国务院关于构建数据基础制度的意见"
    assert meta["doc_number"] == "中发〔2022〕32号"
    assert meta["issuers"] == ["中共中央", "国务院"]
    assert meta["dates"]["signed"] == "2022-12-02" and meta["dates"]["published"] == "2022-12-19"
    assert meta["provenance"]["doc_number"] == "text:line 2"
    assert meta["provenance"]["dates.published"] == "text:line 3"


def test_extract_metadata_of_plain_text_finds_little():
    meta = extract_metadata("这是一段没有公文格式的文字。它只有正文。")
    assert meta["title"] is None and meta["doc_number"] is None and meta["issuers"] == []
    assert meta["provenance"] == {}


def test_extract_metadata_rejects_a_list():
    with pytest.raises(TypeError, match="text must be a str, not list"):
        extract_metadata(["国发〔2015〕50号"])


@pytest.mark.shared
def test_extract_metadata_on_real_general_office_opinion(shared_corpora):
    text = (shared_corpora / "policy" / "national" / "国办发_2018_123号.txt").read_text(encoding="utf-8")
    meta = extract_metadata(text)
    assert meta["title"] == "国务院办公厅关于推进政务新媒体健康有序发展的意见"
    assert meta["doc_number"] == "国办发〔2018〕123号"
    assert meta["genre"] == "意见"
    assert meta["issuers"] == ["国务院办公厅"]
    assert meta["dates"]["signed"] == "2018-12-07"
    assert meta["addressees"] == ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]
    assert meta["disclosure"] == "此件公开发布" and meta["year"] == 2018


@pytest.mark.shared
def test_extract_metadata_on_real_general_office_letter(shared_corpora):
    text = (shared_corpora / "policy" / "national" / "国办函_2018_71号.txt").read_text(encoding="utf-8")
    meta = extract_metadata(text)
    assert meta["title"] == "国务院办公厅关于印发《政府网站集约化试点工作方案》的通知"
    assert meta["doc_number"] == "国办函〔2018〕71号"
    assert meta["genre"] == "通知"
    assert meta["issuers"] == ["国务院办公厅"]
    assert meta["dates"]["signed"] == "2018-10-27"
    assert meta["provenance"]["doc_number"] == "text:line 5"
    cited = find_cited_titles(text)
    assert cited[0].title == "政府网站集约化试点工作方案" and cited[0].role == "forwarding"


@pytest.mark.shared
def test_extract_metadata_on_real_regulation(shared_corpora):
    path = shared_corpora / "policy" / "national" / "国务院关于在线政务服务的若干规定(2019-04-26).txt"
    meta = extract_metadata(path.read_text(encoding="utf-8"))
    assert meta["doc_number"] == "国务院令第716号"
    assert meta["dates"]["published"] == "2019-04-26"
    assert meta["genre"] == "规定" and meta["addressees"] == []


# ------------------------------------------------------------------------------------------ cited titles
def test_find_cited_titles_roles_numbers_and_offsets():
    text = ("为贯彻落实《国务院关于加快推进“互联网+政务服务”工作的指导意见》（国发〔2016〕55号），"
            "现将《关于印发〈数据共享方案〉的通知》转发给你们，另见《人民日报》和《意见》。")
    cited = find_cited_titles(text)
    assert [c.title for c in cited] == ["国务院关于加快推进“互联网+政务服务”工作的指导意见", "关于印发数据共享方案的通知",
                                        "人民日报"]
    assert [c.role for c in cited] == ["basis", "forwarding", "other"]
    assert cited[0].doc_number == "国发〔2016〕55号" and cited[1].doc_number is None
    assert all(text[c.start:c.end].startswith("《") and text[c.start:c.end].endswith("》") for c in cited)
    assert cited[0].sentence == text.rstrip("。")
    title, start, end = cited[0][:3]
    assert isinstance(cited[0], CitedTitle) and (start, end) == (cited[0].start, cited[0].end)
    assert [c.title for c in find_cited_titles(text, min_chars=0)][-1] == "意见"


def test_find_cited_titles_ignores_an_unclosed_mark():
    assert find_cited_titles("见《未闭合的标题\n下一行《完整的标题名》。")[0].title == "完整的标题名"


def test_find_cited_titles_checks_arguments():
    with pytest.raises(TypeError, match="text must be a str"):
        find_cited_titles(None)
    with pytest.raises(ValueError, match="min_chars must be a non-negative int"):
        find_cited_titles("《标题标题》", min_chars=-1)


def test_a_speech_salutation_is_neither_title_nor_addressee():
    report = "各位代表：\n\n现在，我代表国务院，向大会作政府工作报告，请予审议。\n\n一、2013年工作回顾"
    meta = extract_metadata(report)
    assert meta["title"] is None and meta["addressees"] == []
    titled = extract_metadata("2014年政府工作报告\n同志们：\n现在，我代表国务院作报告。")
    assert titled["addressees"] == []
    notice = extract_metadata("国务院关于加快推进政务服务的指导意见\n国发〔2016〕55号\n各省、自治区、直辖市人民政府：\n正文。")
    assert notice["addressees"] == ["各省、自治区、直辖市人民政府"]
