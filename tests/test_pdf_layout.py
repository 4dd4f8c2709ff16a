"""The PDF reader rebuilds paragraphs: wrapped lines rejoined, page breaks bridged, headers and page numbers gone.

PDFs are printed in the tests (tests/pdf_fixtures.py, reportlab) in four layouts: A4/B5/Letter, STSong and Noto
Sans SC, justified, ragged and block paragraphs. The texts below were written for these tests; the last tests
print real documents from the shared corpora and ask for at least 95 % of their paragraphs verbatim.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

import policytext as pt
from policytext.corpus import files as files_module
from policytext.corpus.pdf import (
    unify_radicals,
    PageText,
    TextLine,
    drop_running_lines,
    page_layout,
    rebuild_paragraphs,
)


def _load_fixtures():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("pdf_fixtures", Path(__file__).with_name("pdf_fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["pdf_fixtures"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


fx = _load_fixtures()
LAYOUTS, paragraphs_of, plain_page_text, verbatim, write_policy_pdf = (
    fx.LAYOUTS, fx.paragraphs_of, fx.plain_page_text, fx.verbatim, fx.write_policy_pdf)

# Written for these tests: a regulation with chapters, clauses, an enumerated list, a cross-reference, Latin words,
# long paragraphs that wrap and cross page breaks, and a closing date.
REGULATION = "\n".join([
    "某市公共数据管理办法",
    "第一章 总则",
    ("第一条 为了规范公共数据的汇聚、共享、开放和利用，提升政府治理能力和公共服务水平，促进数字经济发展，"
     "根据有关法律、法规，结合本市实际，制定本办法。"),
    ("第二条 本市行政区域内公共数据的管理活动，适用本办法。依照本办法第十条规定开放的数据，"
     "应当遵守 open data license 的约定，并保障数据安全。"),
    "本办法所称公共数据，是指各级行政机关以及履行公共管理和服务职能的事业单位在依法履职过程中采集和产生的各类数据资源。",
    "第二章 共享与开放",
    "第三条 公共数据以共享为原则、不共享为例外。各部门应当按照下列要求开展工作：",
    "（一）编制公共数据目录，明确数据的共享属性、开放属性和更新频率；",
    "（二）通过统一的数据共享交换平台提供数据，不得另建平台；",
    "（三）对共享获得的数据，仅用于本部门履行职责需要，不得用于其他目的。",
    "第四条 " + "市大数据主管部门应当会同有关部门建立公共数据质量管理制度，开展数据质量评估和整改工作，" * 6
    + "确保数据准确、完整、及时。",
    "第五条 本办法自2025年1月1日起施行。",
    "2024年12月1日",
])


@pytest.fixture(scope="session")
def font_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdf-fonts")


@pytest.fixture(params=LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def layout(request):
    return request.param


def test_every_paragraph_comes_back_verbatim(tmp_path, font_dir, layout):
    pdf = write_policy_pdf(tmp_path / "reg.pdf", REGULATION, layout, fonts=font_dir)
    text = pt.read_document(pdf).text
    assert verbatim(REGULATION, text) == (len(paragraphs_of(REGULATION)),) * 2
    # the plain page text, as the reader gave it before, loses most paragraphs to line wraps
    assert verbatim(REGULATION, plain_page_text(pdf))[0] < len(paragraphs_of(REGULATION))


def test_page_breaks_are_bridged_and_page_furniture_dropped(tmp_path, font_dir, layout):
    text = REGULATION + "\n" + "\n".join(REGULATION.split("\n")[2:-1])  # long enough for several pages
    pdf = write_policy_pdf(tmp_path / "long.pdf", text, layout, fonts=font_dir)
    out = pt.read_document(pdf).text
    assert len(PdfReader(pdf).pages) >= 2
    found, total = verbatim(text, out)
    assert found == total
    assert "政策文件汇编" not in out and "— 2 —" not in out and "- 2 -" not in out and "第 2 页" not in out
    assert not any(line.strip().isdigit() for line in out.split("\n"))


def test_latin_words_keep_their_space_and_cjk_lines_join_without_one(tmp_path, font_dir):
    pdf = write_policy_pdf(tmp_path / "reg.pdf", REGULATION, LAYOUTS[0], fonts=font_dir)
    text = pt.read_document(pdf).text
    assert "遵守 open data license 的约定" in text
    assert "提升政府治理能力和公共服务水平，促进数字经济发展，根据有关法律" in text


def test_read_document_and_read_corpus_keep_format_title_and_paragraph_segments(tmp_path, font_dir):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    write_policy_pdf(folder / "reg.pdf", REGULATION, LAYOUTS[0], fonts=font_dir, title="某市公共数据管理办法")
    doc = pt.read_document(folder / "reg.pdf")
    assert (doc.format, doc.encoding, doc.title) == ("pdf", None, "某市公共数据管理办法")
    corpus = pt.read_corpus(folder, infer=True)
    row = corpus.to_frame().iloc[0]
    assert row["title"] == "某市公共数据管理办法" and row["doc_id"] == "reg.pdf"
    segments = corpus.segments("paragraph")
    assert [fx.comparable(t) for t in segments["text"]] == paragraphs_of(REGULATION)
    assert segments["marker"].eq("").all()


def test_a_failure_of_the_layout_rules_keeps_the_text_and_says_so(tmp_path, font_dir, monkeypatch):
    pdf = write_policy_pdf(tmp_path / "reg.pdf", REGULATION, LAYOUTS[0], fonts=font_dir)

    def broken(pages):
        raise IndexError("a layout nobody foresaw")

    monkeypatch.setattr(files_module, "rebuild_paragraphs", broken)
    with pytest.warns(UserWarning, match=r"reg\.pdf: paragraphs could not be rebuilt .*IndexError"):
        text = pt.read_document(pdf).text
    assert "规范公共数据的汇聚、共享、开放和利用，提\n升政府治理能力" in text  # pypdf's lines, as before


# ----------------------------------------------------------------------------------- the rules, line by line
def _line(text: str, x0: float, x1: float, y: float, size: float = 12.0) -> TextLine:
    return TextLine(text, x0, x1, y, size)


def _page(*lines: TextLine) -> PageText:
    return PageText("\n".join(line.text for line in lines), list(lines))


# A text block from x=100 to x=400 (25 characters of 12 pt), indent 24 pt.
FULL = 400.0


def test_indent_short_line_and_clause_marker_start_paragraphs():
    page = _page(
        _line("为了规范数据管理工作，提升治理能力和服务水平，促进", 124, FULL, 700),
        _line("发展，制定本办法。", 100, 208, 682),  # short: the paragraph ends here
        _line("各部门应当按照下列要求开展工作，确保数据准确完整及时：", 100, FULL, 664),  # not indented
        _line("（一）编制公共数据目录，明确数据的共享属性和开放属性；", 100, FULL, 646),  # marker after ：
        _line("（二）通过统一平台提供数据。", 100, 268, 628),
        _line("依照本办法执行，依照本办法执行，依照本办法执行，依照本办", 124, FULL, 610),
        _line("第十条规定的数据不得用于其他目的，违者依照有关规定处理。", 100, FULL, 592),  # a cross-reference
    )
    assert rebuild_paragraphs([page]).split("\n") == [
        "为了规范数据管理工作，提升治理能力和服务水平，促进发展，制定本办法。",
        "各部门应当按照下列要求开展工作，确保数据准确完整及时：",
        "（一）编制公共数据目录，明确数据的共享属性和开放属性；",
        "（二）通过统一平台提供数据。",
        "依照本办法执行，依照本办法执行，依照本办法执行，依照本办第十条规定的数据不得用于其他目的，违者依照有关规定处理。",
    ]


def test_a_paragraph_continues_on_the_next_page():
    body = [_line(f"第{i}行文字内容延续到页面右侧边缘为止的正文内容", 100, FULL, 700 - 18 * i) for i in range(5)]
    first = _page(*body, _line("— 1 —", 240, 260, 40))
    second = _page(_line("续完。", 100, 136, 700), _line("新的一段从这里开始，内容较短。", 124, 300, 682),
                   _line("— 2 —", 240, 260, 40))
    out = rebuild_paragraphs([first, second]).split("\n")
    assert out[0].endswith("为止的正文内容续完。") and out[1] == "新的一段从这里开始，内容较短。" and len(out) == 2


def test_page_numbers_and_repeated_headers_go_real_text_stays():
    pages = [[_line("某市人民政府公报", 200, 300, 800), _line("正文第一页", 100, 160, 700), _line("3", 245, 255, 40)],
             [_line("某市人民政府公报", 200, 300, 800), _line("正文第二页", 100, 160, 700),
              _line("第 4 页 共 9 页", 220, 280, 40)],
             [_line("某市人民政府公报", 200, 300, 800), _line("二〇二四年一月", 100, 190, 60)]]
    kept = [[line.text for line in page] for page in drop_running_lines(pages)]
    assert kept == [["正文第一页"], ["正文第二页"], ["二〇二四年一月"]]  # a last line that is not a number stays


def test_a_page_without_layout_keeps_its_plain_text():
    laid_out = _page(_line("有位置的一段文字。", 124, 232, 700))
    plain = PageText("没有位置信息的第一行\n第二行", None)
    assert rebuild_paragraphs([laid_out, plain]) == "有位置的一段文字。\n没有位置信息的第一行\n第二行"


class _FakePage:
    """A page whose text pypdf would report in ``pieces``: (text, text matrix)."""

    def __init__(self, pieces: list[tuple[str, list[float]]]) -> None:
        self.pieces = pieces

    def extract_text(self, visitor_text) -> str:
        for text, tm in self.pieces:
            visitor_text(text, [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], tm, None, 12.0)
        return "".join(text for text, _ in self.pieces)


def test_rotated_or_unplaceable_text_keeps_the_plain_text():
    upright = page_layout(_FakePage([("第一行\n", [1, 0, 0, 1, 100, 700]), ("第二行", [1, 0, 0, 1, 100, 680])]))
    assert [line.text for line in upright.lines] == ["第一行", "第二行"]
    rotated = page_layout(_FakePage([("竖排文字", [0, 1, -1, 0, 100, 700])]))
    assert rotated.lines is None and rotated.plain == "竖排文字"
    two_in_one = page_layout(_FakePage([("一行\n又一行", [1, 0, 0, 1, 100, 700])]))
    assert two_in_one.lines is None
    assert rebuild_paragraphs([two_in_one]) == "一行\n又一行"


def test_stretched_lines_are_closed_up_and_printed_spaces_kept():
    # What a browser's PDF gives pypdf: one piece per glyph or two, a space printed as its own piece after 第一条,
    # and in a stretched line a space pypdf guessed before almost every piece.
    real_space = page_layout(_FakePage([("第一条", [1, 0, 0, 1, 100, 700]), (" ", [1, 0, 0, 1, 136, 700]),
                                        ("为了规范", [1, 0, 0, 1, 139, 700])]))
    assert [line.text for line in real_space.lines] == ["第一条 为了规范"]
    pieces = [("接待", 100), (" 进", 124), (" 泰", 142), (" 山", 160), (" 游", 178), (" 客", 196), (" 862", 214),
              (" 万 人", 240), (" 次", 280), ("，遵守", 298), (" open", 334), (" data", 360)]
    stretched = page_layout(_FakePage([(text, [1, 0, 0, 1, x, 680]) for text, x in pieces]))
    # spaces beside a Chinese character go (the gap to "open" cannot be told from a stretch), between words stay
    assert [line.text for line in stretched.lines] == ["接待进泰山游客862万人次，遵守open data"]


def test_radicals_in_the_text_layer_become_ideographs():
    text = "市人⺠政府、发展改革部⻔、⾏政服务中⼼、⻩河"
    assert unify_radicals(text) == "市人民政府、发展改革部门、行政服务中心、黄河"
    assert unify_radicals("数字政府 open data") == "数字政府 open data"


# ---------------------------------------------------------------------------------------- shared documents
SAMPLE = [
    "policy/national/政府信息公开条例(2019-04-03).txt",
    "policy/local/上海市数据条例(2021-11-25).txt",
    "policy/national/国务院关于加强数字政府建设的指导意见(2022-06-06).txt",
    "policy/local/关于推进北京市数据专区建设的指导意见(2022-11-21).txt",
    "policy/city-gwr-2024/city_gwr_2024_南京.txt",
    "policy/city-gwr-2024/city_gwr_2024_宜昌.txt",
]


@pytest.mark.shared
@pytest.mark.slow
def test_shared_documents_keep_95_percent_of_paragraphs(shared_corpora, tmp_path, font_dir):
    rows = []
    for name in SAMPLE:
        text = (shared_corpora / name).read_text(encoding="utf-8")
        for layout in LAYOUTS:
            pdf = write_policy_pdf(tmp_path / "doc.pdf", text, layout, fonts=font_dir)
            found, total = verbatim(text, pt.read_document(pdf).text)
            rows.append((name, layout.name, found, total))
    table = pd.DataFrame(rows, columns=["doc", "layout", "found", "total"])
    share = table["found"].sum() / table["total"].sum()
    assert share >= 0.95, table.to_string()
    assert (table["found"] / table["total"]).min() >= 0.9, table.to_string()  # no document left far behind
