"""Print texts to PDF the way Chinese official documents are printed, for the PDF reader's tests and benchmark.

``write_policy_pdf(path, text, layout)`` lays a plain text out like a printed document: a centred title in a
larger type, 第X章 / 第X节 headings centred, every other paragraph with a first-line indent of two characters (or,
in a block layout, no indent and a gap between paragraphs) and justified or ragged lines, Latin words kept
whole, a closing date right-aligned, a running header and a page number in the footer ("— 3 —", "- 3 -",
"第 3 页 共 9 页" or a bare "3"). Nothing is stored: the PDFs are built in the test.

Two fonts, read by pypdf in two different ways. reportlab cannot embed the bundled NotoSansSC OTF (CFF outlines:
"postscript outlines are not supported"), so (1) reportlab's built-in CID font STSong-Light (Adobe-GB1, not
embedded, decoded through the UniGB-UCS2-H CMap), and (2) the bundled Noto Sans SC converted to TrueType outlines
with fontTools (`noto_truetype`, about 5 s, once per session), which reportlab embeds as a subset with a
ToUnicode map. Noto's Latin letters and digits are proportional, STSong's nearly half-width.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

STSONG = "STSong-Light"
NOTO = "NotoSansSC-TT"
NOTO_OTF = Path(__file__).resolve().parents[1] / "policytext" / "data" / "fonts" / "NotoSansSC-Regular-GB2312.otf"
_CENTRED = re.compile(r"^第[一二三四五六七八九十百零〇\d]+[章节编]\s")
_CLOSING_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$|^[〇一二三四五六七八九十]{4}年.{1,3}月.{1,3}日$")
_UNIT = re.compile(r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u2014\u2018-\u201d\u2026]+|\S|\s+")


@dataclass(frozen=True)
class Layout:
    """A page size, font and size, leading factor, margins (points), footer style and paragraph style."""

    name: str
    pagesize: tuple[float, float]
    font_size: float
    font: str = STSONG
    leading: float = 1.6
    margins: tuple[float, float, float, float] = (79.0, 74.0, 100.0, 80.0)  # left, right, top, bottom
    footer: str = "— {n} —"  # {n}: this page, {of}: pages in all
    header: str | None = None
    justify: bool = True
    indent: bool = True  # False: block paragraphs, no indent, half a line between paragraphs


A4 = (595.28, 841.89)
B5 = (498.9, 708.66)
LETTER = (612.0, 792.0)
LAYOUTS = (
    Layout("A4-16pt-STSong", A4, 16.0),
    Layout("B5-12pt-Noto", B5, 12.0, font=NOTO, leading=1.5, margins=(60.0, 55.0, 70.0, 60.0),
           footer="第 {n} 页 共 {of} 页", header="政策文件汇编"),
    Layout("Letter-14pt-STSong-ragged", LETTER, 14.0, leading=1.75, margins=(72.0, 72.0, 80.0, 72.0),
           footer="- {n} -", justify=False),
    Layout("A4-11pt-Noto-block", A4, 11.0, font=NOTO, leading=1.5, margins=(70.0, 70.0, 72.0, 72.0),
           footer="{n}", indent=False),
)


def noto_truetype(folder: Path) -> Path:
    """The bundled Noto Sans SC with its CFF outlines turned into TrueType ones, written into ``folder``."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    out = folder / "NotoSansSC-TT.ttf"
    if out.exists():
        return out
    font = TTFont(NOTO_OTF)
    glyphs, order = font.getGlyphSet(), font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    del font["CFF "], font["VORG"]
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(out)
    return out


def register_fonts(folder: Path) -> None:
    """Make both fonts known to reportlab (the Noto conversion is written into ``folder`` once)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if STSONG not in registered:
        pdfmetrics.registerFont(UnicodeCIDFont(STSONG))
    if NOTO not in registered:
        pdfmetrics.registerFont(TTFont(NOTO, str(noto_truetype(folder))))


def _runs(text: str, font: str) -> list[tuple[str, str]]:
    """``text`` cut into (font, run) pieces: characters the bundled Noto subset (GB 2312) lacks, such as 勠,
    are set in STSong, as a typesetter's fallback font would."""
    from reportlab.pdfbase import pdfmetrics

    if font == STSONG:
        return [(font, text)]
    covered = pdfmetrics.getFont(font).face.charToGlyph
    runs: list[tuple[str, str]] = []
    for char in text:
        use = font if ord(char) in covered or char.isspace() else STSONG
        if runs and runs[-1][0] == use:
            runs[-1] = (use, runs[-1][1] + char)
        else:
            runs.append((use, char))
    return runs


def _measure(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(run, used, size) for used, run in _runs(text, font))


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _wrap(text: str, first: float, width: float, font: str, size: float) -> list[str]:
    """Break ``text`` into lines: after any CJK character or at a space; Latin words and numbers stay whole."""
    lines, line, used, limit = [], "", 0.0, first
    for unit in _UNIT.findall(text):
        if unit.isspace():
            unit = " "
            if not line:
                continue
        w = _measure(unit, font, size)
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


def write_policy_pdf(path: Path, text: str, layout: Layout, *, fonts: Path, title: str | None = None) -> Path:
    """Print ``text`` (one paragraph a line; the first line is the title) to ``path`` in ``layout``.

    ``fonts`` is a folder for the converted Noto font (see `register_fonts`); ``title`` goes into the metadata.
    """
    from reportlab.pdfgen import canvas

    register_fonts(fonts)
    font, size = layout.font, layout.font_size
    page_w, page_h = layout.pagesize
    left, right, top, bottom = layout.margins
    width = page_w - left - right
    first = width - 2 * size if layout.indent else width
    blocks: list[tuple[str, float, list[str]]] = []  # (alignment, font size, lines)
    for i, para in enumerate(_paragraphs(text)):
        if i == 0 and len(para) <= 60:
            blocks.append(("centre", size * 1.4, _wrap(para, width, width, font, size * 1.4)))
        elif _CENTRED.match(para) and len(para) <= 30:
            blocks.append(("centre", size, _wrap(para, width, width, font, size)))
        elif _CLOSING_DATE.match(para):
            blocks.append(("right", size, [para]))
        else:
            blocks.append(("text", size, _wrap(para, first, width, font, size)))
    pages: list[list[tuple[str, float, float, float, float]]] = [[]]  # (line, x, y, size, char space)
    y = page_h - top
    for align, fsize, lines in blocks:
        if not layout.indent and pages[-1]:
            y -= 0.5 * size * layout.leading  # block paragraphs: half a line between them
        for j, line in enumerate(lines):
            step = fsize * layout.leading
            if y - step < bottom:
                pages.append([])
                y = page_h - top
            y -= step
            natural = _measure(line, font, fsize)
            space = 0.0
            if align == "centre":
                x = left + (width - natural) / 2
            elif align == "right":
                x = left + width - natural - 2 * size
            else:
                x = left + (width - first if j == 0 else 0.0)
                room = left + width - x - natural
                if layout.justify and j < len(lines) - 1 and len(line) > 1:
                    space = room / (len(line) - 1)
            pages[-1].append((line, x, y, fsize, space))
    pdf = canvas.Canvas(str(path), pagesize=layout.pagesize, pageCompression=1, invariant=1)
    if title:
        pdf.setTitle(title)
    for number, lines in enumerate(pages, 1):
        pdf.setFont(font, size * 0.75)
        if layout.header:
            pdf.drawCentredString(page_w / 2, page_h - top / 2, layout.header)
        pdf.drawCentredString(page_w / 2, bottom / 2, layout.footer.format(n=number, of=len(pages)))
        for line, x, y, fsize, space in lines:
            obj = pdf.beginText(x, y)
            obj.setCharSpace(space)
            for used, run in _runs(line, font):
                obj.setFont(used, fsize)
                obj.textOut(run)
            pdf.drawText(obj)
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
