"""Print texts to PDF the way Chinese official documents are printed, for the PDF reader's tests and benchmark.

``write_policy_pdf(path, text, layout)`` lays a plain text out like a printed document: a centred title, 第X章 /
第X节 headings centred, every other paragraph with a first-line indent of two characters and justified lines
(inter-character spacing, as Chinese typesetting does), Latin words kept whole, a running header and a page
number in the footer ("— 3 —" or "第 3 页 共 9 页"). Nothing is stored: the PDFs are built in the test.

Fonts: reportlab cannot embed the bundled NotoSansSC OTF (CFF outlines: "postscript outlines are not
supported"), so the CJK font is reportlab's built-in CID font STSong-Light (Adobe-GB1, not embedded, decoded by
pypdf through its UniGB-UCS2-H CMap), in two sizes and with two leadings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FONT = "STSong-Light"
_CENTRED = re.compile(r"^第[一二三四五六七八九十百零〇\d]+[章节编]\s")
_UNIT = re.compile(r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u2014\u2018-\u201d\u2026]+|\S|\s+")


@dataclass(frozen=True)
class Layout:
    """A page size (points), font size, leading factor and margins (points), and the page-number style."""

    name: str
    pagesize: tuple[float, float]
    font_size: float
    leading: float = 1.6
    margins: tuple[float, float, float, float] = (79.0, 74.0, 100.0, 80.0)  # left, right, top, bottom
    footer: str = "dash"  # "dash": — 3 —, "page": 第 3 页 共 9 页
    header: str | None = None
    justify: bool = True


A4 = (595.28, 841.89)
B5 = (498.9, 708.66)
LETTER = (612.0, 792.0)
LAYOUTS = (
    Layout("A4-16pt", A4, 16.0, footer="dash"),
    Layout("B5-12pt", B5, 12.0, leading=1.5, margins=(60.0, 55.0, 70.0, 60.0), footer="page",
           header="政策文件汇编"),
    Layout("Letter-14pt", LETTER, 14.0, leading=1.75, margins=(72.0, 72.0, 80.0, 72.0), footer="dash",
           justify=False),
)


def _register() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _wrap(text: str, first: float, width: float, size: float) -> list[str]:
    """Break ``text`` into lines: after any CJK character or at a space; Latin words and numbers stay whole."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line, used, limit = [], "", 0.0, first
    for unit in _UNIT.findall(text):
        if unit.isspace():
            unit = " "
            if not line:
                continue
        w = stringWidth(unit, FONT, size)
        if line and used + w > limit + 0.01 and not unit.isspace():
            lines.append(line.rstrip())
            line, used, limit = "", 0.0, width
        line += unit
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n") if p.strip()]


def write_policy_pdf(path: Path, text: str, layout: Layout, *, title: str | None = None) -> Path:
    """Print ``text`` (one paragraph a line; the first line is the title) to ``path`` in ``layout``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    _register()
    page_w, page_h = layout.pagesize
    left, right, top, bottom = layout.margins
    width = page_w - left - right
    size = layout.font_size
    blocks: list[tuple[str, float, list[str]]] = []  # (alignment, font size, lines)
    for i, para in enumerate(_paragraphs(text)):
        if i == 0 and len(para) <= 60:
            blocks.append(("centre", size * 1.3, _wrap(para, width, width, size * 1.3)))
        elif _CENTRED.match(para) and len(para) <= 30:
            blocks.append(("centre", size, _wrap(para, width, width, size)))
        else:
            blocks.append(("indent", size, _wrap(para, width - 2 * size, width, size)))
    pages: list[list[tuple[str, float, float, float, float]]] = [[]]  # (line, x, y, size, char space)
    y = page_h - top
    for align, fsize, lines in blocks:
        for j, line in enumerate(lines):
            step = fsize * layout.leading
            if y - step < bottom:
                pages.append([])
                y = page_h - top
            y -= step
            natural = stringWidth(line, FONT, fsize)
            if align == "centre":
                x, space = left + (width - natural) / 2, 0.0
            else:
                x = left + (2 * size if j == 0 else 0.0)
                last = j == len(lines) - 1
                room = left + width - x - natural
                space = room / (len(line) - 1) if layout.justify and not last and len(line) > 1 else 0.0
            pages[-1].append((line, x, y, fsize, space))
    pdf = canvas.Canvas(str(path), pagesize=layout.pagesize, pageCompression=1, invariant=1)
    if title:
        pdf.setTitle(title)
    for number, lines in enumerate(pages, 1):
        if layout.header:
            pdf.setFont(FONT, size * 0.75)
            pdf.drawCentredString(page_w / 2, page_h - top / 2, layout.header)
        for line, x, y, fsize, space in lines:
            obj = pdf.beginText(x, y)
            obj.setFont(FONT, fsize)
            obj.setCharSpace(space)
            obj.textOut(line)
            pdf.drawText(obj)
        footer = f"— {number} —" if layout.footer == "dash" else f"第 {number} 页 共 {len(pages)} 页"
        pdf.setFont(FONT, size * 0.75)
        pdf.drawCentredString(page_w / 2, bottom / 2, footer)
        pdf.showPage()
    pdf.save()
    return path


# ------------------------------------------------------------------------------------------- fidelity
_SPACE_BY_CJK = re.compile(r"\s*([\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u2014\u2018-\u201d\u2026])\s*")


def comparable(paragraph: str) -> str:
    """A paragraph whitespace-normalised: runs of spaces as one, and no space beside a CJK character (a line
    break between two Chinese characters, or a space a typesetter put there, is layout, not text)."""
    return _SPACE_BY_CJK.sub(r"\1", " ".join(paragraph.split()))


def paragraphs_of(text: str) -> list[str]:
    """The paragraphs of ``text`` after the reader's normal cleaning (`clean_text`), comparable."""
    from policytext import clean_text

    return [p for p in (comparable(line) for line in clean_text(text).split("\n")) if p]


def verbatim(source: str, output: str) -> tuple[int, int]:
    """(paragraphs of ``source`` found as exactly one paragraph of ``output``, paragraphs of ``source``).

    Repeated paragraphs count once per occurrence on both sides.
    """
    from collections import Counter

    wanted, found = Counter(paragraphs_of(source)), Counter(paragraphs_of(output))
    return sum(min(n, found[p]) for p, n in wanted.items()), sum(wanted.values())


def plain_page_text(path: Path) -> str:
    """The PDF's text as the reader gave it before paragraphs were rebuilt: pypdf's text, page after page."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
