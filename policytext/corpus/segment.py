"""Split a document into paragraphs, sentences or numbered clauses, keeping character offsets.

Offsets index the document's ``text`` exactly as the :class:`~policytext.corpus.corpus.Corpus` holds it
(``text[start:end] == segment``), so annotations can refer to segments by document checksum and offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

UNITS = ("paragraph", "sentence", "clause")
UNIT_CODES = {"paragraph": "p", "sentence": "s", "clause": "c"}

_PARAGRAPH = re.compile(r"[^\n]+")
# A sentence ends at 。！？；!? or …… and takes closing quotes/brackets with it; a line end also ends it.
_SENTENCE = re.compile(r"[^\n。！？!?；;…]*(?:[。！？!?；;]+|…+|$)[”’」』）)]*", re.MULTILINE)
_CN_NUM = "一二三四五六七八九十百千零〇两"
# Markers that open a numbered clause at the start of a line: 第X条 / 第X章 / 一、 / （一） / 1. / 1、 / （1）
CLAUSE_MARKER = re.compile(
    rf"^[ \t\u3000]*(?P<marker>第[{_CN_NUM}\d]+[条章节款]|[{_CN_NUM}]+、|[（(][{_CN_NUM}]+[）)]|"
    rf"\d{{1,3}}[、.．](?!\d)|[（(]\d{{1,3}}[）)])",
    re.MULTILINE,
)


def split_spans(text: str, unit: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, marker)`` spans of ``unit`` segments in ``text``; blank spans are skipped.

    ``marker`` is the clause number (``第五条``, ``（三）``) for clauses and ``""`` otherwise. Surrounding
    whitespace is trimmed from each span.

    Example:
        >>> text = "第一条 为了规范。\\n第二条 本条例适用。"
        >>> [(s, e, m) for s, e, m in split_spans(text, "clause")]
        [(0, 9, '第一条'), (10, 20, '第二条')]
    """
    if unit == "paragraph":
        spans = ((m.start(), m.end(), "") for m in _PARAGRAPH.finditer(text))
    elif unit == "sentence":
        spans = ((m.start(), m.end(), "") for m in _SENTENCE.finditer(text) if m.end() > m.start())
    elif unit == "clause":
        spans = _clause_spans(text)
    else:
        raise ValueError(f"unit must be one of {list(UNITS)}, not {unit!r}")
    for start, end, marker in spans:
        start, end = _trim(text, start, end)
        if end > start:
            yield start, end, marker


def _clause_spans(text: str) -> Iterator[tuple[int, int, str]]:
    # A clause runs from its marker to the next marker; text before the first marker (title, preamble) is a
    # clause of its own with an empty marker, so no text is lost.
    matches = list(CLAUSE_MARKER.finditer(text))
    if not matches or matches[0].start() > 0:
        end = matches[0].start() if matches else len(text)
        yield 0, end, ""
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        yield match.start(), end, match.group("marker").strip()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
