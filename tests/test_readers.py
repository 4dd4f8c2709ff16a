"""Tests for policytext.corpus.files: encodings, HTML, DOCX, PDF, tables, and every documented ReadError."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pandas as pd
import pytest

from policytext.corpus.files import (
    SUPPORTED_SUFFIXES,
    TABLE_SUFFIXES,
    Document,
    ReadError,
    decode_bytes,
    read_document,
    read_table,
)

# Written for these tests (not taken from any corpus).
SIMPLIFIED = "各地推进政务服务一网通办，企业和群众办事只需登录一次平台，少跑腿、快办事。"
SIMPLIFIED_SHORT = "数据共享促进协同治理"
TRADITIONAL = "各地推進政務服務一網通辦，企業和群眾辦事只需登錄一次平臺，少跑腿、快辦事。"
TRADITIONAL_SHORT = "數據共享促進協同治理"
MIXED = "2022年数字政府建设（Digital Government）指导意见：推进5G与AI应用。"


# ------------------------------------------------------------------------------------------- fixtures
def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def make_pdf(path: Path, lines: list[str] | None, title: str | None = None) -> Path:
    """A one-page PDF; with `lines`, a Helvetica text layer (ASCII), without, a blank page like a bad scan."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    if lines:
        font = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        })
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)}),
        })
        ops = "".join(f"BT /F1 12 Tf 72 {760 - 20 * i} Td ({line}) Tj ET\n" for i, line in enumerate(lines))
        stream = DecodedStreamObject()
        stream.set_data(ops.encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if title:
        writer.add_metadata({"/Title": title})
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


# ------------------------------------------------------------------------------------------- decode_bytes
ENCODING_CASES = [
    (SIMPLIFIED, "gb18030", "gb18030"),
    (SIMPLIFIED, "gbk", "gb18030"),
    (SIMPLIFIED, "gb2312", "gb18030"),
    (SIMPLIFIED_SHORT, "gb18030", "gb18030"),
    (MIXED, "gbk", "gb18030"),
    (TRADITIONAL, "big5", "big5"),
    (TRADITIONAL_SHORT, "big5", "big5"),
    (TRADITIONAL, "gb18030", "gb18030"),  # traditional characters stored in GB18030
    (SIMPLIFIED, "utf-8", "utf-8"),
    (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
    (SIMPLIFIED, "utf-16", "utf-16"),
    (TRADITIONAL, "utf-16", "utf-16"),
    (SIMPLIFIED, "utf-32", "utf-32"),
]


@pytest.mark.parametrize(("text", "codec", "expected"), ENCODING_CASES)
def test_decode_bytes_detects_encoding(text, codec, expected):
    decoded, encoding = decode_bytes(text.encode(codec))
    assert decoded == text
    assert encoding == expected


def test_decode_bytes_utf16_be_bom_and_bomless_ascii_utf16():
    assert decode_bytes(b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be")) == (SIMPLIFIED, "utf-16")
    assert decode_bytes("plain ASCII notes".encode("utf-16-le")) == ("plain ASCII notes", "utf-16-le")


def test_decode_bytes_strips_bom_and_normalises_newlines():
    data = "\ufeff第一行\r\n第二行\r第三行\n".encode("utf-8")
    assert decode_bytes(data) == ("第一行\n第二行\n第三行\n", "utf-8-sig")
    gbk = "第一行\r\n第二行".encode("gbk")
    assert decode_bytes(gbk)[0] == "第一行\n第二行"


def test_decode_bytes_gb_vs_big5_short_texts_all_correct():
    # Bytes that decode under both codecs: the plausible (common-character) reading must win.
    samples = ["政府", "数据开放", "营商环境优化", "互联网加政务服务", "放管服改革持续深化"]
    for sample in samples:
        assert decode_bytes(sample.encode("gb18030")) == (sample, "gb18030")
    for sample in ["政府", "資料開放", "營商環境優化", "網路加政務服務", "放管服改革持續深化"]:
        assert decode_bytes(sample.encode("big5")) == (sample, "big5")


def test_decode_bytes_western_fallback():
    assert decode_bytes("café résumé naïve".encode("cp1252")) == ("café résumé naïve", "cp1252")


def test_decode_bytes_errors():
    with pytest.raises(TypeError, match="expects bytes, got str"):
        decode_bytes("文本")
    with pytest.raises(ReadError, match=r"^<bytes>: empty file$"):
        decode_bytes(b"")
    with pytest.raises(ReadError, match="binary file, not text"):
        decode_bytes(b"PK\x03\x04\x00\x00binary\x00zip")
    with pytest.raises(ReadError, match="binary file, not text"):
        decode_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 20 + b"text")
    with pytest.raises(ReadError, match=r"^memo\.txt: undecodable bytes.*re-save the file as UTF-8"):
        decode_bytes(b"abc\x81\xff\x81\xff", path="memo.txt")


def test_read_error_fields_and_pickle():
    error = ReadError("a/b.txt", "empty file")
    assert (error.path, error.reason, str(error)) == ("a/b.txt", "empty file", "a/b.txt: empty file")
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.reason) == ("a/b.txt", "empty file")


# ------------------------------------------------------------------------------------------- read_document
def test_read_text_and_markdown(tmp_path):
    doc = read_document(write(tmp_path, "notice.txt", SIMPLIFIED.encode("gbk")))
    assert doc == Document(text=SIMPLIFIED, encoding="gb18030", format="txt", title=None)
    md = read_document(write(tmp_path, "notes.md", "# 标题\r\n\r\n正文".encode("utf-8")))
    assert (md.text, md.format, md.encoding) == ("# 标题\n\n正文", "md", "utf-8")
    assert read_document(str(tmp_path / "notes.md")).text == md.text


HTML_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于推进政务数据共享的通知</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zc">政策文件</a> <a href="/hd">互动交流</a></div>
<nav><a href="/">网站导航链接</a></nav>
<header>某市人民政府门户网站</header>
<h1>关于推进政务数据共享的通知</h1>
<div class="article">
<p>各区人民政府，市政府各部门：</p>
<p>为打破信息孤岛，提升跨部门协同办事效率，现就推进政务数据共享有关事项通知如下。</p>
<p>一、各部门应当按照目录向共享平台提供数据，并确保数据准确、完整、及时更新。</p>
<table><tr><td>事项</td><td>完成时限</td></tr><tr><td>编制共享目录</td><td>年底前</td></tr></table>
<p>二、数据使用部门应当按照授权范围使用共享数据，不得用于其他用途。</p>
</div>
<footer>版权所有：某市人民政府办公厅 网站标识码1234567890</footer>
<script>var tracker = "页面统计脚本";</script>
</body></html>"""


def test_read_html_gb2312_meta_main_text_and_title(tmp_path):
    doc = read_document(write(tmp_path, "page.html", HTML_PAGE.encode("gbk")))
    assert doc.format == "html" and doc.encoding == "gb18030"
    assert doc.title == "关于推进政务数据共享的通知"
    assert "为打破信息孤岛，提升跨部门协同办事效率" in doc.text
    assert "编制共享目录" in doc.text  # table text kept
    assert "\n" in doc.text  # paragraph breaks survive
    for noise in ("网站导航链接", "页面统计脚本", "网站标识码", "互动交流"):
        assert noise not in doc.text


def test_read_html_utf8_bytes_win_over_a_wrong_gb2312_declaration(tmp_path):
    doc = read_document(write(tmp_path, "page.html", HTML_PAGE.encode("utf-8")))
    assert doc.encoding == "utf-8" and doc.title == "关于推进政务数据共享的通知"
    assert "为打破信息孤岛" in doc.text


def test_read_html_fallback_when_trafilatura_finds_nothing(tmp_path, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    page = "<html><body><nav>导航栏</nav><h1>标题一</h1><p>第一段。</p><div>第二段。</div><script>x()</script>" \
           "<footer>页脚</footer></body></html>"
    doc = read_document(write(tmp_path, "page.htm", page.encode("utf-8")))
    assert doc.text == "标题一\n第一段。\n第二段。"
    assert doc.title == "标题一"  # no <title>: the <h1>


def test_read_docx_paragraphs_tables_and_title(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("数字政府建设实施方案")
    document.add_paragraph("第一条 为提升政务服务效能，制定本方案。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "任务", "牵头单位"
    table.cell(1, 0).text, table.cell(1, 1).text = "建设共享平台", "大数据局"
    document.add_paragraph("第二条 本方案自印发之日起施行。")
    document.core_properties.title = "实施方案（试行）"
    path = tmp_path / "plan.docx"
    document.save(path)
    doc = read_document(path)
    assert doc.format == "docx" and doc.encoding is None and doc.title == "实施方案（试行）"
    assert doc.text.split("\n") == [
        "数字政府建设实施方案",
        "第一条 为提升政务服务效能，制定本方案。",
        "任务\t牵头单位",
        "建设共享平台\t大数据局",
        "第二条 本方案自印发之日起施行。",
    ]


def test_read_pdf_text_layer_and_metadata_title(tmp_path):
    path = make_pdf(tmp_path / "report.pdf", ["Digital government report", "Second line of text"],
                    title="Annual Report")
    doc = read_document(path)
    assert doc.format == "pdf" and doc.encoding is None and doc.title == "Annual Report"
    assert "Digital government report" in doc.text and "Second line of text" in doc.text


def test_read_document_errors(tmp_path):
    with pytest.raises(ReadError, match=r"no text layer \(scanned PDF\?\) — run OCR first"):
        read_document(make_pdf(tmp_path / "scan.pdf", None))
    with pytest.raises(ReadError, match=r"old Word \.doc.*convert it to \.docx"):
        read_document(write(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0"))
    with pytest.raises(ReadError, match=r"unsupported suffix '\.rtf'.*supported: \.docx, \.htm, \.html, \.md"):
        read_document(write(tmp_path, "memo.rtf", b"{\\rtf1}"))
    with pytest.raises(ReadError, match=r"unsupported suffix '\.csv' \(a table of documents: use read_table\)"):
        read_document(write(tmp_path, "rows.csv", b"a,b\n1,2\n"))
    with pytest.raises(ReadError, match=r"empty\.txt: empty file$"):
        read_document(write(tmp_path, "empty.txt", b""))
    with pytest.raises(ReadError, match="no text found"):
        read_document(write(tmp_path, "blank.txt", b" \r\n\t\n"))
    with pytest.raises(ReadError, match=r"image\.txt: binary file, not text"):
        read_document(write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    with pytest.raises(ReadError, match="undecodable bytes"):
        read_document(write(tmp_path, "odd.txt", b"abc\x81\xff\x81\xff"))
    with pytest.raises(ReadError, match=r"not a valid \.docx file"):
        read_document(write(tmp_path, "broken.docx", b"not a zip archive"))
    with pytest.raises(ReadError, match="not a readable PDF"):
        read_document(write(tmp_path, "broken.pdf", b"%PDF-1.4 garbage"))
    with pytest.raises(ReadError, match="not a file"):
        read_document(tmp_path)
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(TypeError, match="path must be a str or pathlib.Path, got bytes"):
        read_document(b"file.txt")


def test_suffix_sets():
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}
    assert {".csv", ".tsv", ".jsonl", ".json", ".parquet", ".xlsx"} <= TABLE_SUFFIXES


# ------------------------------------------------------------------------------------------- read_table
ROWS = [{"title": "关于推进政务服务的意见", "text": "推进政务服务标准化。", "year": 2016},
        {"title": "数据条例", "text": "促进数据依法有序流动。", "year": 2021}]


def test_read_table_formats(tmp_path):
    frame = pd.DataFrame(ROWS)
    frame.to_csv(tmp_path / "a.csv", index=False, encoding="gbk")
    frame.to_csv(tmp_path / "a.tsv", index=False, sep="\t", encoding="utf-8-sig")
    frame.to_json(tmp_path / "a.jsonl", orient="records", lines=True, force_ascii=False)
    (tmp_path / "a.json").write_text(json.dumps(ROWS, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "cols.json").write_text(json.dumps({k: [r[k] for r in ROWS] for k in ROWS[0]}), encoding="utf-8")
    frame.to_parquet(tmp_path / "a.parquet")
    frame.to_excel(tmp_path / "a.xlsx", index=False)
    for name in ("a.csv", "a.tsv", "a.jsonl", "a.json", "cols.json", "a.parquet", "a.xlsx"):
        got = read_table(tmp_path / name, text_col="text")
        assert list(got.columns) == ["title", "text", "year"], name
        assert got["text"].tolist() == frame["text"].tolist(), name
        assert got["year"].tolist() == [2016, 2021], name


def test_read_table_errors(tmp_path):
    pd.DataFrame(ROWS).to_csv(tmp_path / "a.csv", index=False)
    with pytest.raises(ReadError, match=r"no column '正文'; columns present: \['title', 'text', 'year'\]"):
        read_table(tmp_path / "a.csv", text_col="正文")
    with pytest.raises(ReadError, match=r"unsupported table suffix '\.txt' \(a single document: use read_document\)"):
        read_table(write(tmp_path, "a.txt", "正文".encode()))
    with pytest.raises(ReadError, match="empty file"):
        read_table(write(tmp_path, "e.csv", b""))
    with pytest.raises(ReadError, match="expected a JSON list of records"):
        read_table(write(tmp_path, "s.json", b'"just a string"'))
    with pytest.raises(ReadError, match=r"invalid JSON.*\.jsonl"):
        read_table(write(tmp_path, "l.json", b'{"a": 1}\n{"a": 2}\n'))
    with pytest.raises(ReadError, match=r"cannot be read as \.parquet"):
        read_table(write(tmp_path, "bad.parquet", b"not parquet"))


# ------------------------------------------------------------------------------------------- shared corpora
@pytest.mark.shared
def test_policy_files_round_trip_through_encodings(shared_corpora, tmp_path):
    import opencc

    files = sorted((shared_corpora / "policy" / "gwr-national").glob("gwr_20*.txt"))[:2]
    files += sorted((shared_corpora / "policy" / "local").glob("*.txt"))[:1]
    assert len(files) == 3
    results = []
    for source in files:
        original = source.read_text(encoding="utf-8")
        for codec in ("gb18030", "utf-8-sig", "utf-16"):
            copy = write(tmp_path, f"{codec}_{source.name}", original.encode(codec))
            doc = read_document(copy)
            results.append(doc.text == original and doc.encoding == codec)
        # Big5 holds traditional characters only: convert, and keep the characters Big5 can encode.
        traditional = opencc.OpenCC("s2t").convert(original[:3000])
        traditional = "".join(c for c in traditional if c.encode("big5", errors="ignore") or c == "")
        doc = read_document(write(tmp_path, f"big5_{source.name}", traditional.encode("big5")))
        results.append(doc.text == traditional and doc.encoding == "big5")
    assert all(results), results
