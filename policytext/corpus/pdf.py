"""PDF pages → paragraphs: rejoin the wrapped lines of a printed document from where each line sits on the page.

pypdf's plain ``extract_text()`` gives one line per printed line, so a paragraph wrapped over five lines, or
continued on the next page, comes out in pieces. Here each page's text is read with its positions
(`page_layout`), running headers, footers and page numbers are dropped (`drop_running_lines`), and lines are
joined into paragraphs by the rules Chinese official documents are printed with (`rebuild_paragraphs`): a
paragraph starts where a line is indented (the two-character first-line indent, a centred heading), where the
line before ends clearly short of the right margin, where the lines are spaced wider than usual, or where a
line opens with a clause marker (第X条, 一、, （一）, 1.) after a finished sentence. Everything else is one
paragraph, across page breaks too. Margins are estimated from the lines themselves, page by page.

A page whose layout cannot be trusted (rotated text, text the positions do not account for) keeps pypdf's
plain text, so no text is ever lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from policytext.corpus.segment import CLAUSE_MARKER

__all__ = ["PageText", "TextLine", "drop_running_lines", "page_layout", "rebuild_paragraphs", "unify_radicals"]


@dataclass(frozen=True)
class TextLine:
    """One printed line: its text, left and (estimated) right edge, baseline and font size, in points."""

    text: str
    x0: float
    x1: float
    y: float
    size: float


@dataclass(frozen=True)
class PageText:
    """One page: pypdf's plain text, and its lines with positions (None when the layout cannot be used)."""

    plain: str
    lines: list[TextLine] | None


# ------------------------------------------------------------------------------------------- reading a page
# pypdf reports where a piece of text starts, not where it ends, so a line's right edge is estimated from its
# characters: a CJK character is one em wide, a Latin letter or digit about half (STSong and Noto digits are
# 0.46–0.6 em), a space a quarter. Characters of ambiguous width (“ ” — … ·) are full width in Chinese fonts.
# Justified lines gain a little inter-character spacing the estimate misses; the margin estimate below comes from
# the same estimates, so the two err together.
@lru_cache(maxsize=4096)
def _advance(char: str) -> float:
    if char.isspace():
        return 0.25
    return 1.0 if unicodedata.east_asian_width(char) in "WFA" else 0.5


def _width(text: str) -> float:
    return sum(_advance(c) for c in text)


def page_layout(page) -> PageText:
    """Read one pypdf page into its plain text and its lines with positions.

    >>> from pypdf import PdfReader  # doctest: +SKIP
    >>> page_layout(PdfReader("report.pdf").pages[0]).lines[0].text  # doctest: +SKIP
    '关于加强数字政府建设的指导意见'
    """
    chunks: list[tuple[str, float, float, float]] = []  # (text, x, y, em) in stream order
    skewed = False

    def visit(text: str, cm, tm, font, font_size) -> None:
        nonlocal skewed
        if not text or (text.isspace() and "\n" in text):
            return  # a space inside a line is kept (some writers print it as its own piece); line breaks are not
        a, b, c, d = (tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3],
                      tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        if abs(b) > 0.01 * abs(a) or abs(c) > 0.01 * abs(d) or a <= 0 or d <= 0:
            skewed = True  # rotated or mirrored text: line positions mean nothing here
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        chunks.append((text, x, y, abs(float(font_size or 0)) * abs(d) or 1.0))

    plain = "\n".join(map(_close_spread, (page.extract_text(visitor_text=visit) or "").split("\n")))
    lines = None if skewed else _group_lines(chunks)
    if lines is not None and _ink(line.text for line in lines) != _ink([plain]):
        lines = None  # the positioned pieces do not add up to the page's text: keep the plain text
    return PageText(plain=plain, lines=lines)


def _ink(texts) -> str:
    return "".join("".join(t.split()) for t in texts)


def _group_lines(chunks: list[tuple[str, float, float, float]]) -> list[TextLine] | None:
    """Consecutive pieces on one baseline form a line; a piece holding a line break inside cannot be placed."""
    lines: list[TextLine] = []
    for text, x, y, em in chunks:
        last = lines[-1] if lines else None
        same_line = last is not None and abs(y - last.y) < 0.5 * min(em, last.size)
        if text.isspace():
            if same_line and not last.text.endswith(" "):  # a space printed as its own piece (第一条 为了)
                lines[-1] = TextLine(last.text + " ", last.x0, last.x1, last.y, last.size)
            continue
        inner = text.strip("\n")
        if "\n" in inner.strip():
            return None  # two lines reported at one position: where the second sits is unknown
        inner = inner.replace("\n", " ")
        if same_line:
            # pypdf reports the position of the last text move, not where the previous piece ended: a line
            # split by a font change (subset fonts switch every 256 glyphs) reports its start again.
            gap = " " if x > last.x1 + em or text.startswith("\n") else ""
            lines[-1] = TextLine(last.text + gap + inner, min(last.x0, x),
                                 max(last.x1, x) + _width(inner) * em, last.y, max(last.size, em))
        else:
            lines.append(TextLine(inner, x, x + _width(inner) * em, y, em))
    stripped = []
    for line in lines:
        text = line.text.strip()
        if text:
            lead = len(line.text) - len(line.text.lstrip())
            x0 = line.x0 + _width(line.text[:lead]) * line.size
            stripped.append(TextLine(_close_spread(" ".join(text.split())), x0, line.x1, line.y, line.size))
    return stripped


# Justified lines: where a writer stretches a line, pypdf turns the wider gaps into spaces, often between every
# character (扎 实 推 进 。), which would cut every word for a tokenizer. A line with three or more spaces between
# Chinese characters is such a line, and its spaces next to a Chinese character go; spaces between Latin words
# stay, and so does a single space between Chinese characters in a line that is not stretched (第一条 为了).
_CJK = "\u2014\u2018-\u201f\u2026\u2e80-\u2fff\u3001-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPREAD_PAIR = re.compile(f"[{_CJK}] (?=[{_CJK}])")
_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) | (?=[{_CJK}])")


def _close_spread(text: str) -> str:
    if len(_SPREAD_PAIR.findall(text)) < 3:
        return text
    return _CJK_SPACE.sub("", text)


# ----------------------------------------------------------------------------------- radicals
# Some PDF writers give a glyph that an ideograph shares with a radical the radical's code point (人⺠ for 人民,
# 部⻔ for 部门), so the text looks right on screen and fails every search. Kangxi radicals (U+2F00–U+2FD5) fold to
# their ideographs under NFKC; the CJK Radicals Supplement does not, and its equivalents below are those of
# Unicode's EquivalentUnifiedIdeograph.txt (U+2E81–U+2EF3; U+2E80 and U+2E9A have none).
_SUPPLEMENT = """
2E81:5382 2E82:4E5B 2E83:4E5A 2E84:4E59 2E85:4EBB 2E86:5182 2E87:20628 2E88:5200 2E89:5202 2E8A:535C
2E8B:353E 2E8C:5C0F 2E8D:5C0F 2E8E:5140 2E8F:5C23 2E90:5C22 2E91:21BC2 2E92:5DF3 2E93:5E7A 2E94:5F51
2E95:2B739 2E96:5FC4 2E97:5FC3 2E98:624C 2E99:6535 2E9B:65E1 2E9C:65E5 2E9D:6708 2E9E:6B7A 2E9F:6BCD
2EA0:6C11 2EA1:6C35 2EA2:6C3A 2EA3:706C 2EA4:722B 2EA5:722B 2EA6:4E2C 2EA7:725B 2EA8:72AD 2EA9:738B
2EAA:24D14 2EAB:76EE 2EAC:793A 2EAD:793B 2EAE:25AD7 2EAF:7CF9 2EB0:7E9F 2EB1:7F53 2EB2:7F52 2EB3:34C1
2EB4:5197 2EB5:2626B 2EB6:7F8A 2EB7:2634C 2EB8:2634B 2EB9:8002 2EBA:8080 2EBB:807F 2EBC:8089 2EBD:26951
2EBE:8279 2EBF:8279 2EC0:8279 2EC1:864E 2EC2:8864 2EC3:8980 2EC4:897F 2EC5:89C1 2EC6:89D2 2EC7:278B2
2EC8:8BA0 2EC9:8D1D 2ECA:27FB7 2ECB:8F66 2ECC:8FB6 2ECD:8FB6 2ECE:8FB6 2ECF:9091 2ED0:9485 2ED1:9577
2ED2:9578 2ED3:957F 2ED4:95E8 2ED5:28E0F 2ED6:961D 2ED7:96E8 2ED8:9752 2ED9:97E6 2EDA:9875 2EDB:98CE
2EDC:98DE 2EDD:98DF 2EDE:2967F 2EDF:98E0 2EE0:9963 2EE1:29810 2EE2:9A6C 2EE3:9AA8 2EE4:9B3C 2EE5:9C7C
2EE6:9E1F 2EE7:5364 2EE8:9EA6 2EE9:9EC4 2EEA:9EFE 2EEB:6589 2EEC:9F50 2EED:6B6F 2EEE:9F7F 2EEF:7ADC
2EF0:9F99 2EF1:9F9C 2EF2:4E80 2EF3:9F9F
"""
_RADICALS = {int(a, 16): chr(int(b, 16)) for a, b in (pair.split(":") for pair in _SUPPLEMENT.split())}
_RADICALS.update({cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)})


def unify_radicals(text: str) -> str:
    """Replace radical code points with the ideographs they stand for in a PDF's text layer.

    >>> unify_radicals("市人⺠政府办公厅、发展改革部⻔、⾏政服务中⼼")
    '市人民政府办公厅、发展改革部门、行政服务中心'
    """
    return text.translate(_RADICALS)


# ----------------------------------------------------------------------------------- headers and footers
_PAGE_NUMBER = re.compile(
    r"[-—–－~·\s]*\d{1,4}[-—–－~·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?",
    re.IGNORECASE,
)
_EDGE_LINES = 2  # headers and footers are looked for among the two lines nearest each page edge


def _edges(lines: list[TextLine]) -> list[int]:
    """Indexes of the lines nearest the top and the bottom of the page (by baseline, not by stream order)."""
    by_height = sorted(range(len(lines)), key=lambda i: lines[i].y)
    return sorted(set(by_height[:_EDGE_LINES] + by_height[-_EDGE_LINES:]))


def drop_running_lines(pages: list[list[TextLine]]) -> list[list[TextLine]]:
    """Drop page numbers at a page's top or bottom, and header/footer lines repeated on at least half the pages.

    A repeated line is recognised with its digits masked ("第 3 页 共 9 页" and "第 4 页 共 9 页" are one
    footer). Only the two lines nearest each edge are candidates, and only when they are shorter than the text
    block, so body text is not dropped.

    >>> line = lambda text, y: TextLine(text, 100.0, 100.0 + 12 * len(text), y, 12.0)
    >>> body = "正文的一行" * 5
    >>> pages = [[line("汇编", 800), line(body, 700), line("— 1 —", 40)], [line("汇编", 800), line(body, 700)]]
    >>> [[l.text for l in page] for page in drop_running_lines(pages)]
    [['正文的一行正文的一行正文的一行正文的一行正文的一行'], ['正文的一行正文的一行正文的一行正文的一行正文的一行']]
    """
    keys: Counter[str] = Counter()
    for lines in pages:
        keys.update({re.sub(r"\d+", "#", lines[i].text) for i in _edges(lines)})
    repeated = max(2, (len(pages) + 1) // 2)
    out = []
    for lines in pages:
        drop = set()
        top_down = sorted(range(len(lines)), key=lambda i: -lines[i].y)
        # A running header is shorter than the text block: a full line of body text that happens to repeat
        # (a paragraph printed twice) is not one.
        block = max((line.x1 for line in lines), default=0.0) - min((line.x0 for line in lines), default=0.0)
        for order in (top_down, top_down[::-1]):  # from each edge inwards, stopping at the first body line
            for i in order[:_EDGE_LINES]:
                text = lines[i].text
                running = keys[re.sub(r"\d+", "#", text)] >= repeated and lines[i].x1 - lines[i].x0 < 0.8 * block
                if _PAGE_NUMBER.fullmatch(text) or running:
                    drop.add(i)
                else:
                    break
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


# ------------------------------------------------------------------------------------------- paragraphs
@dataclass(frozen=True)
class _Frame:
    """A page's text block: left and right margins, usual line spacing and type size, from its lines."""

    left: float
    right: float
    spacing: float | None
    size: float


def _frame(lines: list[TextLine], fallback: _Frame | None) -> _Frame | None:
    # The margins are the fifth-smallest left edge and fifth-largest right edge of every five lines: a few
    # short, centred or overlong lines do not move them, and full lines of wrapped text set them.
    if len(lines) < 4:
        return fallback
    k = len(lines) // 5
    left = sorted(line.x0 for line in lines)[k]
    right = sorted((line.x1 for line in lines), reverse=True)[k]
    steps = [round(a.y - b.y, 1) for a, b in pairwise(lines) if 0 < a.y - b.y < 4 * a.size]
    spacing = Counter(steps).most_common(1)[0][0] if len(steps) >= 3 else (fallback.spacing if fallback else None)
    size = Counter(round(line.size, 1) for line in lines).most_common(1)[0][0]
    return _Frame(left, right, spacing, size)


_SENTENCE_END = re.compile(r"[。；：！？.;:!?][”’」』）)]*$")
_CHAPTER = re.compile(r"第[一二三四五六七八九十百千零〇两\d]+[条章节编款]\s")
_FIRST_UNIT = re.compile(r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|\S")


def _centred(line: TextLine, frame: _Frame) -> bool:
    # Centred, and not merely indented: the two-character first-line indent of a full line is not centring.
    before, after = line.x0 - frame.left, frame.right - line.x1
    return before > 0.5 * line.size and after > 0.5 * line.size and abs(before - after) < line.size


def _starts_paragraph(prev: TextLine, pf: _Frame, line: TextLine, lf: _Frame, same_page: bool) -> bool:
    """Whether ``line`` opens a new paragraph after ``prev`` (``pf``/``lf``: their pages' frames)."""
    em = line.size
    if abs(prev.size - line.size) < 0.05 * line.size and line.size > 1.1 * lf.size and _centred(line, lf):
        return False  # a title wrapped onto a second centred line (titles are set larger than the text)
    if line.x0 > lf.left + 0.8 * em:
        return True  # first-line indent, centred heading, right-aligned signature or date
    gap = pf.right - prev.x1
    first = _FIRST_UNIT.match(line.text)
    if gap > 1.5 * prev.size and gap > _width(first.group() if first else "") * em + 0.5 * em:
        return True  # the line before stopped short though the next word would have fitted
    if same_page and pf.spacing and prev.y - line.y > 1.4 * pf.spacing:
        return True  # a blank line, or paragraph spacing, between the two lines
    if abs(prev.size - line.size) > 0.15 * max(prev.size, line.size):
        return True  # a change of type size: a heading and its text
    marker = CLAUSE_MARKER.match(line.text)
    # A clause marker opens a paragraph only after a finished sentence, or as 第X条 followed by a space:
    # "依照本条例\n第十条规定" is a cross-reference that happens to start a line.
    return marker is not None and (_SENTENCE_END.search(prev.text) is not None or _CHAPTER.match(line.text) is not None)


def _join(left: str, right: str) -> str:
    # Between two CJK characters a line break is no space; between two Latin words it is one.
    if left and right and not _wide(left[-1]) and not _wide(right[0]) and not left.endswith("-"):
        return left + " " + right
    return left + right


def _wide(char: str) -> bool:
    return _advance(char) == 1.0


def rebuild_paragraphs(pages: list[PageText]) -> str:
    """Join the lines of ``pages`` into paragraphs, one a line; pages without a layout keep their plain text.

    >>> line = lambda text, x0, x1, y: TextLine(text, x0, x1, y, 12.0)
    >>> page = PageText("", [line("第一条 为了规范数字政府", 124, 400, 700), line("建设，制定本条例。", 100, 208, 680),
    ...                      line("第二条 本条例适用于数字政府", 124, 400, 660), line("建设。", 100, 136, 640)])
    >>> print(rebuild_paragraphs([page]))
    第一条 为了规范数字政府建设，制定本条例。
    第二条 本条例适用于数字政府建设。
    """
    laid_out = drop_running_lines([page.lines for page in pages if page.lines is not None])
    paragraphs: list[str] = []
    prev: tuple[TextLine, _Frame] | None = None
    frame: _Frame | None = None
    at = 0
    for page in pages:
        if page.lines is None:
            paragraphs.extend(line for line in page.plain.split("\n") if line.strip())
            prev = None  # text from a page without positions neither continues nor is continued
            continue
        lines = laid_out[at]
        at += 1
        frame = _frame(lines, frame)
        for i, line in enumerate(lines):
            if prev is None or frame is None or _starts_paragraph(prev[0], prev[1], line, frame, i > 0):
                paragraphs.append(line.text)
            else:
                paragraphs[-1] = _join(paragraphs[-1], line.text)
            prev = (line, frame) if frame is not None else None
    return "\n".join(paragraphs)
