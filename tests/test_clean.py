"""Tests for policytext.corpus.clean: each cleaner on strings written here, plus the shared case papers and policy texts."""

from __future__ import annotations

import functools
import pickle
import re

import pytest

from policytext.corpus.clean import (
    DEFAULT_STEPS,
    Cleaner,
    clean_text,
    fix_line_breaks,
    make_cleaner,
    normalize_unicode,
    normalize_whitespace,
    remove_boilerplate,
    split_bilingual,
    to_simplified,
)

CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕—…·「」"


# ------------------------------------------------------------------------------------------- type checks
@pytest.mark.parametrize("function", [normalize_unicode, normalize_whitespace, fix_line_breaks, remove_boilerplate,
                                      to_simplified, split_bilingual, clean_text, make_cleaner(normalize_unicode)])
@pytest.mark.parametrize("bad", [None, b"bytes", ["文本"], 3])
def test_non_str_input_raises_type_error(function, bad):
    with pytest.raises(TypeError, match=r"text must be a str, got \w+; clean one document at a time"):
        function(bad)


# ------------------------------------------------------------------------------------------- normalize_unicode
def test_normalize_unicode_folds_fullwidth_but_keeps_cjk_punctuation():
    text = "２０２２年，ＡＩ＋政务：“一网通办”（试点）！数据％\u3000共享…《意见》【通知】"
    assert normalize_unicode(text) == "2022年，AI+政务：“一网通办”（试点）！数据% 共享…《意见》【通知】"
    assert normalize_unicode(CJK_PUNCT) == CJK_PUNCT
    assert normalize_unicode("①ﬁ") == "1fi"  # other compatibility characters fold too


def test_normalize_unicode_options():
    assert normalize_unicode("政务，服务：（Ａ）", keep_cjk_punctuation=False) == "政务,服务:(A)"
    assert normalize_unicode("ＡＢ，", form="NFC") == "ＡＢ，"
    with pytest.raises(ValueError, match=r"form='NFX' is not a Unicode normalization form; choose one of NFC"):
        normalize_unicode("文本", form="NFX")


# ------------------------------------------------------------------------------------------- normalize_whitespace
def test_normalize_whitespace():
    text = "  数字\u3000\u3000政府\t\t建设\u00a0 \n\n\n\n\n第二段\u200b内容 \r\n第三行  "
    assert normalize_whitespace(text) == "数字 政府 建设\n\n第二段内容\n第三行"
    assert normalize_whitespace("一段\n\n二段") == "一段\n\n二段"
    assert normalize_whitespace("") == ""


# ------------------------------------------------------------------------------------------- fix_line_breaks
def test_fix_line_breaks_rejoins_chinese_broken_mid_sentence():
    # Hard-wrapped text (as extracted from PDFs): every full-width line runs on, wherever the break falls.
    paragraph = ("本会议认真审议了今年的政府工作报告，报告提出了新的要求，各地区各部门要抓紧落实好各项任务，推进政务服务一网通办改革，"
                 "持续优化营商环境，让企业和群众办事更加便利，确保全年目标任务顺利完成。")
    lines = [paragraph[i:i + 16] for i in range(0, len(paragraph), 16)]
    assert lines[0].endswith("政府工作报")  # the break falls inside 政府工作报告
    assert fix_line_breaks("\n".join(lines)) == paragraph
    assert fix_line_breaks("审议了政府工作报\n告") == "审议了政府工作报告"  # a fragment of <= 3 characters
    assert fix_line_breaks("加快推进政务服务一网通\n办，实现数据共享。") == "加快推进政务服务一网通办，实现数据共享。"
    assert fix_line_breaks("一、总体要求\n同时，加强统筹。") == "一、总体要求\n同时，加强统筹。"
    assert fix_line_breaks("积极推动加入\n区域经济伙伴协定\n，扩大开放。") == "积极推动加入区域经济伙伴协定，扩大开放。"


@pytest.mark.parametrize("text", [
    "全年目标已经完成。\n新的一年继续努力。",  # sentence end
    "一、过去一年工作回顾\n过去一年形势复杂。",  # numbered heading
    "第一章 总则\n第一条 为了规范管理，制定本条例。",
    "（二）深化放管服改革\n持续优化营商环境。",
    "2021年政府工作报告\n李克强",  # title line ending in a genre word
    "某某大学学报\n某某大学公共管理学院",  # journal byline
    "• 学位\n博士",  # bullet label
    "核心期刊\n影响因子:3",  # "label: value" field line
    "第一段结束\n\n第二段开始",  # blank line = paragraph break
    "政务公开\n本市全面推进政务公开标准化规范化。",  # an HTML heading before its paragraph
    "国办发〔2018〕45号\n各省、自治区、直辖市人民政府：",  # document number line
    "国务院办公厅\n2018年7月31日",  # signature and date
])
def test_fix_line_breaks_keeps_real_breaks(text):
    assert fix_line_breaks(text) == text


@pytest.mark.parametrize(("broken", "fixed"), [
    ("recruitment mobiliza-\ntion", "recruitment mobilization"),
    ("vertical promotion and hor-izontal application", "vertical promotion and horizontal application"),
    ("mobilize par-ticipating actors", "mobilize participating actors"),
    ("for dif-ferent types", "for different types"),
    ("sustained inno-vation.", "sustained innovation."),
    ("govern-\nment reform", "government reform"),
    ("e-govern-\nment services", "e-government services"),
    ("soft\u00adhyphen", "softhyphen"),
])
def test_fix_line_breaks_joins_pdf_hyphenation(broken, fixed):
    assert fix_line_breaks(broken) == fixed


COMPOUNDS = ("government-citizen e-government authority-responsibility government-enterprise inter-governmental "
             "multi-agent self-driven co-creation co-production in-depth decision-making value-added urban-rural "
             "people-centered polycentric-collaborative web-based technology-organization government-initiated "
             "self-consistency non-governmental cross-border well-being e-commerce full-cycle real-life "
             "Government-citizen Multi-center")


def test_fix_line_breaks_never_joins_genuine_compounds():
    assert fix_line_breaks(COMPOUNDS) == COMPOUNDS
    assert fix_line_breaks("government-\nled platforms") == "government-led platforms"
    assert fix_line_breaks("inter-\ngovernmental ties") == "inter-governmental ties"


def test_fix_line_breaks_short_first_part_needs_evidence_in_the_text():
    # "in-" starts compounds (in-depth, in-house), so it is joined only when the whole word occurs elsewhere.
    assert fix_line_breaks("driving in-novation") == "driving in-novation"
    assert fix_line_breaks("driving in-novation; innovation matters") == "driving innovation; innovation matters"


# ------------------------------------------------------------------------------------------- remove_boilerplate
BOILERPLATE = [
    "下载PDF", "导出", "相关文献", "  • 相关文献", "内容加载中请稍等...", "扫码查看", "引用本文复制引用",
    "分享到：微信 微博 QQ空间", "微信 微博", "【打印本页】【关闭窗口】", "打印本页 关闭窗口", "浏览量12", "浏览次数：305",
    "段落导航", "相关论文", "段落导航相关论文", "期刊文献+", "折叠", "上一篇：关于某项工作的通知", "下一篇",
    "版权所有：某市人民政府办公厅", "网站标识码：1234567890", "京ICP备12345678号", "主办单位：某市人民政府办公厅",
    "联系我们", "网站地图 | 联系我们", "当前位置：首页 > 政务公开 > 政策文件", "首页 > 政策", "共引文献1233",
    "二级引证文献38", "使用帮助 返回顶部", "第 3 页 共 10 页", "- 12 -", "登录 EN", "Related News", "See more>", ";",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_remove_boilerplate_drops_line(line):
    assert remove_boilerplate(f"正文第一句。\n{line}\n正文第二句。") == "正文第一句。\n正文第二句。"


@pytest.mark.parametrize("sentence", [
    "用户可以在平台下载PDF格式的政策原文。",
    "版权所有人依法享有著作权。",
    "主办单位应当制定活动安全工作方案。",
    "浏览量不是评价政务新媒体的唯一指标。",
    "上一篇文章讨论了数据共享的难点。",
    "相关文献表明，数字治理提升了回应性。",
    "各部门应当及时导出并备份业务数据。",
    "当前位置信息服务应当遵守个人信息保护规定。",
    "联系我们的方式包括热线和网站留言。",
])
def test_remove_boilerplate_keeps_real_sentences(sentence):
    assert remove_boilerplate(sentence) == sentence


def test_remove_boilerplate_inline_tokens_and_repeated_block():
    assert remove_boilerplate("数字政府的价值创造 被引量:24") == "数字政府的价值创造"
    assert remove_boilerplate("发布日期：2022-06-23 【字体：大 中 小】") == "发布日期：2022-06-23"
    page = "某学报2024年第4期\n\n数字治理何以持续\n\nHow digital governance lasts\n作者甲 作者乙\n" \
           "某学报2024年第4期\n\n数字治理何以持续\n\nHow digital governance lasts\n作者甲1 作者乙2\n摘要"
    cleaned = remove_boilerplate(page)
    assert cleaned.count("数字治理何以持续") == 1 and cleaned.count("How digital governance lasts") == 1
    assert "作者甲1 作者乙2" in cleaned and cleaned.endswith("摘要")
    # a repeated single short line is not a repeated block
    assert remove_boilerplate("是\n否\n是\n否") == "是\n否\n是\n否"


def test_remove_boilerplate_extra_patterns():
    text = "正文。\n责任编辑：张三\n正文二。"
    assert remove_boilerplate(text, extra_patterns=[r"责任编辑[:：].*"]) == "正文。\n正文二。"
    assert remove_boilerplate(text, extra_patterns=[re.compile(r"责任编辑[:：].*")]) == "正文。\n正文二。"
    assert remove_boilerplate(text, extra_patterns=[r"责任编辑"]) == text  # whole-line match only
    with pytest.raises(TypeError, match=r"not a single one; write extra_patterns=\[pattern\]"):
        remove_boilerplate(text, extra_patterns=r"责任编辑.*")
    with pytest.raises(TypeError, match="items must be str or re.Pattern, got int"):
        remove_boilerplate(text, extra_patterns=[3])
    with pytest.raises(ValueError, match=r"invalid regular expression '\('"):
        remove_boilerplate(text, extra_patterns=["("])


# ------------------------------------------------------------------------------------------- script & language
def test_to_simplified():
    assert to_simplified("數位政府與電子治理，開放資料。") == "数位政府与电子治理，开放资料。"
    assert to_simplified("") == ""


def test_split_bilingual_lines_and_mixed_line():
    text = ("摘要 数字政府以技术创新推动治理变革。 Digital government uses innovation to drive reform.\n"
            "Key words: digital government; public value\n"
            "关键词 数字政府 公共价值 digital government public value\n"
            "2024\n"
            "本文研究5G与AI在政务服务中的应用。\n"
            "Hangzhou (杭州) is one of the cases studied in this paper.\n"
            "Abstract in English first. 然后是中文摘要的内容。")
    parts = split_bilingual(text)
    assert parts["zh"].split("\n") == [
        "摘要 数字政府以技术创新推动治理变革。", "关键词 数字政府 公共价值", "本文研究5G与AI在政务服务中的应用。",
        "然后是中文摘要的内容。"]
    assert parts["en"].split("\n") == [
        "Digital government uses innovation to drive reform.", "Key words: digital government; public value",
        "digital government public value", "2024", "Hangzhou (杭州) is one of the cases studied in this paper.",
        "Abstract in English first."]
    assert split_bilingual("") == {"zh": "", "en": ""}


# ------------------------------------------------------------------------------------------- pipelines
def test_clean_text_default_pipeline():
    raw = "ＡＩ赋能政务服务，提升治理效\n能。\n下载PDF\n\n\n\n第二段\u3000\u3000内容。  "
    assert clean_text(raw) == "AI赋能政务服务，提升治理效能。\n\n第二段 内容。"
    assert DEFAULT_STEPS == (normalize_unicode, remove_boilerplate, fix_line_breaks, normalize_whitespace)
    assert clean_text("數位　政府", steps=["to_simplified", normalize_whitespace]) == "数位 政府"


def test_make_cleaner_composes_and_pickles():
    cleaner = make_cleaner(normalize_unicode, "to_simplified",
                           functools.partial(remove_boilerplate, extra_patterns=("责任编辑.*",)))
    assert isinstance(cleaner, Cleaner)
    text = "數位政府，ＡＩ\n责任编辑：某人"
    assert cleaner(text) == "数位政府，AI"
    restored = pickle.loads(pickle.dumps(cleaner))
    assert restored(text) == cleaner(text)
    assert restored.steps[:2] == cleaner.steps[:2] == (normalize_unicode, to_simplified)
    assert make_cleaner(normalize_unicode) == make_cleaner("normalize_unicode")
    assert "to_simplified" in repr(cleaner)


def test_make_cleaner_and_clean_text_errors():
    with pytest.raises(ValueError, match="needs at least one step"):
        make_cleaner()
    with pytest.raises(ValueError, match=r"unknown cleaning step 'lowercase'; choose one of fix_line_breaks"):
        make_cleaner("lowercase")
    with pytest.raises(TypeError, match="a cleaning step must be a function str -> str or a step name, got int"):
        make_cleaner(3)
    with pytest.raises(TypeError, match=r"not one name; write steps=\[name\]"):
        clean_text("文本", steps="to_simplified")


# ------------------------------------------------------------------------------------------- shared corpora
CASE_BOILERPLATE = ("下载PDF", "导出", "扫码查看", "内容加载中请稍等", "相关文献", "引用本文复制引用", "浏览量")


@pytest.mark.shared
def test_case_papers_lose_boilerplate_and_keep_abstracts(shared_corpora):
    papers = sorted((shared_corpora / "case-papers").glob("*.txt"))
    assert len(papers) == 5
    for paper in papers:
        raw = paper.read_text(encoding="utf-8")
        cleaned = clean_text(raw)
        lines = [line.strip() for line in cleaned.split("\n")]
        for token in CASE_BOILERPLATE:
            assert not any(line.lstrip("• ").startswith(token) for line in lines), (paper.name, token)
        # every repeated block of 2+ lines (the doubled title block) now occurs once
        content = [line for line in lines if line]
        pairs = list(zip(content, content[1:]))
        assert len(pairs) == len(set(pairs)), paper.name
        # the abstracts survive: the long lines of the raw page are still there, nearly whole
        long_raw = [line for line in raw.split("\n") if len(line) >= 300]
        long_clean = [line for line in lines if len(line) >= 300]
        assert long_raw and len(long_clean) == len(long_raw), paper.name
        assert sum(map(len, long_clean)) >= 0.98 * sum(map(len, long_raw)), paper.name
    paper_002 = next(p for p in papers if p.name.startswith("002_"))
    cleaned = clean_text(paper_002.read_text(encoding="utf-8"))
    assert "-\n" not in cleaned and "mobiliza-" not in cleaned and "in-novation" not in cleaned
    assert "government-citizen" in cleaned and "authority-responsibility" in cleaned


@pytest.mark.shared
def test_clean_text_does_not_eat_policy_text(shared_corpora):
    shrink = {}
    files = sorted((shared_corpora / "policy").rglob("*.txt"))
    assert files
    for path in files:
        raw = path.read_text(encoding="utf-8")
        shrink[path.name] = 1 - len(clean_text(raw)) / len(raw)
    worst = max(shrink, key=shrink.get)
    assert shrink[worst] <= 0.02, (worst, shrink[worst])
