"""Document numbers (发文字号, 令号, 公告号) and cited titles (《…》): finding and parsing them in any text.

Chinese official documents carry a number made of an issuing-organ code, the year in brackets and a serial,
e.g. ``国发〔2015〕50号``; administrative regulations and laws are promulgated by order (``国务院令第716号``,
``主席令第八十四号``); local regulations often by announcement (``…常务委员会公告第55号``). This module reads
them and looks the organ code up in the bundled table ``policytext/data/issuers.csv``. The header of a notice
(title, addressees, attachments, signature, dates, genre) is read by :mod:`policytext.documents.header`.

In ``issuers.csv`` a code ending in ``*`` is a prefix: ``发改*`` covers 发改高技, 发改办高技, 发改农经 …
Every other code matches exactly, so 粤府 (the provincial government) never claims 粤府办 (its office).

Decisions worth knowing:
- A document number needs its organ code and a bracketed four-digit year: ``2015年50号文件`` and
  ``〔2015〕50号`` are not numbers (no issuer can be read from them), nor is ``国发2015年50号``.
- :func:`parse_doc_number` reads a whole string; words before the code (``根据国发〔2015〕50号``) give
  ``None``: use :func:`find_doc_numbers` on running text.
- Orders and announcements may use Chinese numerals (第七百一十六号); document serials may not.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Mapping, NamedTuple

from policytext.resources import package_data

__all__ = ["CitedTitle", "DocNumber", "find_cited_titles", "find_doc_numbers", "parse_doc_number"]

KINDS = ("document", "order", "announcement")
LEVELS = ("national", "provincial", "municipal")

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_OPEN = "〔\\[【（(［〖﹝「"
_CLOSE = "〕\\]】）)］〗﹞」"
_SPACES = frozenset(" \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_NUM = "〇○零一二两三四五六七八九十百千"
_SERIAL = rf"(?P<serial>[0-9]{{1,6}}|[{_CN_NUM}]{{1,12}})"

_DOC_RE = re.compile(rf"(?P<run>[{_CJK}]{{1,24}})[{_OPEN}](?P<year>[0-9]{{4}})[{_CLOSE}]第?(?P<serial>[0-9]{{1,6}})号")
_ORDER_RE = re.compile(
    rf"(?P<run>[{_CJK}]{{1,30}}?)令(?:第{_SERIAL}号|[（(]第(?P<serial2>[0-9]{{1,6}}|[{_CN_NUM}]{{1,12}})号[）)])"
)
_ORDER_INFORMAL_RE = re.compile(rf"(?P<run>[{_CJK}]{{1,30}}?)第{_SERIAL}号令")
_NOTICE_RE = re.compile(rf"(?P<run>[{_CJK}]{{1,30}}?)公告(?:(?P<year>[0-9]{{4}})年)?第{_SERIAL}号")

# Words and characters that end a lead-in ("根据", "的", "号") and never occur inside an organ code.
_CUES = ("根据", "依据", "按照", "依照", "参照", "遵照", "执行", "贯彻", "落实", "印发", "转发", "下发", "关于",
         "通知", "意见", "文件", "规定", "办法", "方案", "条例", "精神", "要求", "发布", "颁布", "公布")
_STOPS = set("的了及与或即以为在对于从把被将由按据是有给要见号这那该此其个我你他也都就并等且而年月日")
_DOC_STOPS = frozenset(_STOPS | set("和"))
# Before a document code, also the end of an organ's full name ("市公安局长公办〔2001〕93号") and a few verbs.
_DOC_CUES = _CUES + ("属", "作出", "答复", "报告", "提供", "所说", "公告", "通告", "办公室", "局", "人民政府")
_ORGAN_STOPS = frozenset(_STOPS)
# 和 ends a lead-in ("……和财政部令") except inside organ names: 中华人民共和国, 住房和城乡建设部, 工业和信息化部 ...
_HE_IN_NAMES = ("共和国", "和城乡", "和社会", "和信息", "和改革", "和计划", "和旅游")
# 据 ends a lead-in (根据, 依据) except in 数据, which data agencies' codes carry: 发改数据〔2024〕660号.
_ORGAN_ENDINGS = ("国务院", "主席", "政府", "部", "委", "委员会", "常委会", "局", "署", "办公室", "银行", "院", "厅", "会")
# Land and property certificates share the PREFIX（YYYY）第N号 shape but are not documents.
_CERTIFICATE_CODES = ("国用", "集用", "房权证", "不动产权")
_ORDER_ALIASES = MappingProxyType({"国令": "国务院令"})
_TYPE_CODES = ("办发明电", "发明电", "明电", "办发", "办函", "办字", "厅发", "发", "函", "字", "电", "阅", "规", "通", "文")
_PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区",
    "新疆维吾尔自治区",
)


@dataclass(frozen=True)
class DocNumber:
    """One parsed document number; equal numbers compare equal whatever brackets or spacing they were written in.

    Example:
        >>> n = parse_doc_number("国发〔2015〕50号")
        >>> (n.issuer, n.year, n.serial, n.normalized)
        ('国务院', 2015, 50, '国发〔2015〕50号')
    """

    issuer_code: str
    serial: int
    year: int | None = None
    normalized: str = ""
    organ_code: str = ""
    type_code: str | None = None
    issuer: str | None = None
    level: str | None = None
    province: str | None = None
    kind: str = "document"
    raw: str = field(default="", compare=False)
    start: int | None = field(default=None, compare=False)
    end: int | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.normalized


class CitedTitle(NamedTuple):
    """A title cited in 《》: ``text[start:end]`` is the whole 《…》 span; role is basis, forwarding or other."""

    title: str
    start: int
    end: int
    sentence: str
    role: str
    doc_number: str | None = None


@dataclass(frozen=True)
class _Issuer:
    code: str
    issuer: str
    level: str | None
    province: str | None
    kind: str
    prefix: bool


@lru_cache(maxsize=1)
def _issuer_table() -> tuple[Mapping[str, _Issuer], tuple[_Issuer, ...]]:
    """Exact codes and prefix codes (longest first) from issuers.csv, read once and frozen."""
    path = package_data("issuers.csv")
    exact: dict[str, _Issuer] = {}
    prefixes: list[_Issuer] = []
    with open(path, encoding="utf-8", newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            code, kind, level = row["code"].strip(), row["kind"].strip(), row["level"].strip() or None
            if not code or kind not in KINDS or (level is not None and level not in LEVELS):
                raise ValueError(
                    f"{path}, line {line_no}: bad row {row!r}; code must be non-empty, kind one of {KINDS}, level "
                    f"one of {LEVELS} or empty. Fix the row or reinstall policytext."
                )
            entry = _Issuer(code.rstrip("*"), row["issuer"].strip(), level, row["province"].strip() or None, kind,
                            code.endswith("*"))
            if entry.prefix:
                prefixes.append(entry)
            else:
                exact[entry.code] = entry
    prefixes.sort(key=lambda e: -len(e.code))
    return MappingProxyType(exact), tuple(prefixes)


def _lookup(code: str) -> _Issuer | None:
    exact, prefixes = _issuer_table()
    if code in exact:
        return exact[code]
    found = next((p for p in prefixes if code.startswith(p.code)), None)
    if found is not None or len(code) < 3:
        return found
    # A province's one-character abbreviation before a national ministry's code is that ministry's
    # provincial counterpart: 川发改数据规 is Sichuan's development and reform commission.
    province = _province_abbreviations().get(code[0])
    national = _lookup(code[1:]) if province else None
    if national is None or national.level != "national" or national.kind != "document":
        return None
    issuer = province + national.issuer.removeprefix("国家") if national.issuer.startswith("国家") else None
    return _Issuer(code, issuer, "provincial", province, "document", False)


@lru_cache(maxsize=1)
def _province_abbreviations() -> Mapping[str, str]:
    """One-character province abbreviations (京, 川, 粤 ...) read off the provincial codes of issuers.csv; a
    character that starts codes of two provinces is left out."""
    exact, _ = _issuer_table()
    seen: dict[str, set[str]] = {}
    for entry in exact.values():
        if entry.level == "provincial" and entry.province:
            seen.setdefault(entry.code[0], set()).add(entry.province)
    return MappingProxyType({char: next(iter(names)) for char, names in seen.items() if len(names) == 1})


def compact_text(text: str) -> tuple[str, list[int]]:
    """Text without spaces and with ASCII digits, plus the original offset of every kept character."""
    kept, where = [], []
    for i, ch in enumerate(text):
        if ch not in _SPACES:
            kept.append(ch)
            where.append(i)
    return "".join(kept).translate(_FULLWIDTH), where


_COMPACT = {ord(c): None for c in _SPACES} | _FULLWIDTH


def compact_only(text: str) -> str:
    """:func:`compact_text` without the offsets: one string the size of ``text``, not a list per character.

    Example:
        >>> compact_only("国发 〔２０１５〕 50号")
        '国发〔2015〕50号'
    """
    return text.translate(_COMPACT)


def chinese_int(s: str) -> int | None:
    """Arabic or Chinese numeral to int: '716', '七百一十六', '七一六', '十' -> 10; None when malformed."""
    if s.isascii() and s.isdigit():
        return int(s)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0, "两": 2}
    units = {"十": 10, "百": 100, "千": 1000}
    if s and all(c in digits for c in s):
        return int("".join(str(digits[c]) for c in s))
    total, current, last_unit = 0, 0, 10_000
    for ch in s:
        if ch in digits:
            current = digits[ch]
        elif ch in units and units[ch] < last_unit:
            total += (current or 1) * units[ch]
            current, last_unit = 0, units[ch]
        else:
            return None
    return total + current if s else None


def _cut_lead_in(run: str, stops: frozenset[str], cues: tuple[str, ...]) -> tuple[str, bool]:
    """Drop everything up to the last cue word or stop character; report whether anything was dropped."""
    cut = 0
    for cue in cues:
        at = run.rfind(cue)
        if at >= 0:
            cut = max(cut, at + len(cue))
    for i, ch in enumerate(run):
        if ch == "据" and run[i - 1: i + 1] == "数据":
            continue
        if ch in stops or (ch == "和" and run[i - 1: i + 2] not in _HE_IN_NAMES and run[i: i + 3] not in _HE_IN_NAMES):
            cut = max(cut, i + 1)
    return run[cut:], cut > 0


def _doc_code(run: str, strict: bool) -> str | None:
    code, trimmed = _cut_lead_in(run, _DOC_STOPS, _DOC_CUES)
    if not strict:
        exact, _ = _issuer_table()
        known = [k for k in exact if exact[k].kind == "document" and code.endswith(k)]
        code = max(known, key=len) if known else code
    elif trimmed:
        return None
    if code.endswith(_CERTIFICATE_CODES):
        return None
    shortest = 1 if strict or _lookup(code) is not None else 2  # in running text a lone 法〔2011〕 is too weak
    return code if shortest <= len(code) <= 12 else None


def _organ(run: str, strict: bool) -> tuple[str, int] | None:
    """The organ before 令/公告 without 中华人民共和国, and the length of the span it was read from."""
    span, trimmed = _cut_lead_in(run, _ORGAN_STOPS, _CUES)
    at = span.find("中华人民共和国")
    if strict and (trimmed or at > 0):
        return None
    span = span[max(at, 0):]
    organ = span.removeprefix("中华人民共和国")
    if organ == "国" or (1 <= len(organ) <= 30 and organ.endswith(_ORGAN_ENDINGS)):
        return organ, len(span)
    return None


def _level_of(organ: str) -> tuple[str | None, str | None]:
    """Level and province read off an organ's name, for orders and announcements missing from the table."""
    for province in _PROVINCES:
        if organ.startswith(province):
            return "provincial", province
    if "全国人民代表大会" in organ or organ.startswith(("国务院", "国家", "最高人民", "中共中央", "中国人民银行")):
        return "national", None
    if re.match(rf"^[{_CJK}]{{1,7}}?(省|自治区)", organ):
        return "provincial", None
    if re.match(rf"^[{_CJK}]{{1,7}}?市", organ) and not organ.startswith("市"):
        return "municipal", None
    return None, None


def _make(code: str, serial: int, year: int | None, kind: str, raw: str,
          start: int | None = None, end: int | None = None) -> DocNumber | None:
    if serial < 1 or (year is not None and not 1949 <= year <= 2100):
        return None
    if kind == "document":
        type_code = next((t for t in _TYPE_CODES if code.endswith(t) and len(code) > len(t)), None)
        organ = code[: len(code) - len(type_code)] if type_code else code
        normalized = f"{code}〔{year}〕{serial}号"
    else:
        suffix = "令" if kind == "order" else "公告"
        code = _ORDER_ALIASES.get(code, code)
        organ, type_code = code[: -len(suffix)], suffix
        normalized = f"{code}{year}年第{serial}号" if year else f"{code}第{serial}号"
    entry = _lookup(code)
    if entry is not None and entry.kind == kind:
        issuer, level, province = entry.issuer, entry.level, entry.province
    elif kind == "document":
        issuer, level, province = None, None, None
    else:
        issuer, (level, province) = organ, _level_of(organ)
    return DocNumber(issuer_code=code, serial=serial, year=year, normalized=normalized, organ_code=organ,
                     type_code=type_code, issuer=issuer, level=level, province=province, kind=kind, raw=raw,
                     start=start, end=end)


def _scan(compact: str, strict: bool) -> list[tuple[int, int, DocNumber]]:
    """All numbers in compacted text as (start, end, number), in compact offsets."""
    found = []
    for m in _DOC_RE.finditer(compact):
        code = _doc_code(m["run"], strict)
        if code is not None:
            number = _make(code, int(m["serial"]), int(m["year"]), "document", "")
            if number is not None:
                found.append((m.end("run") - len(code), m.end(), number))
    for regex, kind in ((_ORDER_RE, "order"), (_ORDER_INFORMAL_RE, "order"), (_NOTICE_RE, "announcement")):
        for m in regex.finditer(compact):
            read = _organ(m["run"], strict)
            serial = chinese_int(m["serial"] or m.groupdict().get("serial2") or "")
            if read is None or serial is None:
                continue
            organ, span = read
            year = int(m["year"]) if m.groupdict().get("year") else None
            code = organ + ("令" if kind == "order" else "公告")
            number = _make(code, serial, year, kind, "")
            if number is not None:
                found.append((m.end("run") - span, m.end(), number))
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[tuple[int, int, DocNumber]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


def require_str(value: Any, name: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__} ({value!r:.60}); pass one text, "
                        f"and call the function once per document for a list of them")


def parse_doc_number(s: str) -> DocNumber | None:
    """Parse a whole string as a document number, order number or announcement number; None if it is not one.

    Example:
        >>> parse_doc_number("国务院令第七百一十六号").serial
        716
        >>> parse_doc_number("2015年50号文件") is None
        True
    """
    require_str(s, "s")
    compact = compact_only(s.strip())  # offsets are not needed: the whole string is the number
    compact = re.sub(r"号(文件|文)$", "号", compact)
    if len(compact) > 2 and compact[0] in "（(" and compact[-1] in "）)":
        compact = compact[1:-1]
    found = _scan(compact, strict=True)
    if len(found) != 1 or found[0][0] != 0 or found[0][1] != len(compact):
        return None
    return replace(found[0][2], raw=s)


def find_doc_numbers(text: str) -> list[DocNumber]:
    """All document, order and announcement numbers in running text, with ``start``/``end`` offsets into it.

    Example:
        >>> [(n.normalized, n.start) for n in find_doc_numbers("根据国发〔2015〕50号和国办发[2018]45号")]
        [('国发〔2015〕50号', 2), ('国办发〔2018〕45号', 14)]
    """
    require_str(text, "text")
    compact, where = compact_text(text)
    result = []
    for start, end, number in _scan(compact, strict=False):
        s, e = where[start], where[end - 1] + 1
        result.append(replace(number, raw=text[s:e], start=s, end=e))
    return result


# ------------------------------------------------------------------------------------------- cited titles
_BASIS_CUES = ("依据", "根据", "按照", "贯彻", "落实", "依照", "遵照")
_FORWARD_CUES = ("转发", "印发")
_TITLE_MARKS = re.compile(r"[《》〈〉<>]")
# A number printed in brackets right after a title: 《…》（国发〔2015〕50号）.
BRACKET_AFTER = re.compile(r"\s*[（(]([^（）()]{3,60})[）)]")
# The sentence kept with a citation reaches at most this far either side of it: a text without punctuation
# would otherwise copy itself once per citation.
CONTEXT_CHARS = 1000
_CLAUSE_BREAKS = "，,；;。！？!?\n"
_SENTENCE_BREAKS = "。！？!?\n"


def find_cited_titles(text: str, *, min_chars: int = 4) -> list[CitedTitle]:
    """Titles cited in 《》 with the sentence around each, a role guess and the number printed after it.

    Nested marks are dropped from the title (《关于印发〈方案〉的通知》 -> 关于印发方案的通知); titles shorter
    than ``min_chars`` (《意见》, a back-reference to the document itself) are skipped. ``role`` is
    ``forwarding`` when 印发/转发 precedes it in its clause or follows it in its sentence, ``basis`` for
    依据/根据/按照/贯彻/落实/依照/遵照 before it in its clause, else ``other``.

    Example:
        >>> [(c.title, c.role, c.doc_number) for c in find_cited_titles("根据《促进大数据发展行动纲要》（国发〔2015〕50号），制定本方案。")]
        [('促进大数据发展行动纲要', 'basis', '国发〔2015〕50号')]
    """
    require_str(text, "text")
    if not isinstance(min_chars, int) or min_chars < 0:
        raise ValueError(f"min_chars must be a non-negative int, not {min_chars!r}; the default is 4")
    sentences, clauses = Breaks(text, _SENTENCE_BREAKS), Breaks(text, _CLAUSE_BREAKS)
    openings = Breaks(text, "《")
    cited, depth, start = [], 0, -1
    for i, ch in enumerate(text):
        if ch == "《":
            depth, start = depth + 1, (i if depth == 0 else start)
        elif ch == "》" and depth > 0:
            depth -= 1
            if depth == 0:
                title = _TITLE_MARKS.sub("", text[start + 1: i]).strip()
                if len(title) >= min_chars:
                    cited.append(_cited(text, title, start, i + 1, sentences, clauses, openings))
        elif ch == "\n" or (depth > 0 and i - start > 200):
            depth = 0  # an unclosed 《 does not swallow the rest of the text
    return cited


class Breaks:
    """Where the characters of ``chars`` occur in ``text``, to find the sentence or clause around any span in
    logarithmic time (``str.rfind`` per span made citation finding quadratic in the number of titles).

    Example:
        >>> b = Breaks("一。二。三", "。")
        >>> b.start_before(3), b.end_after(3)
        (2, 3)
    """

    def __init__(self, text: str, chars: str) -> None:
        self.positions = [i for i, ch in enumerate(text) if ch in chars]
        self.length = len(text)

    def start_before(self, at: int, *, limit: int = CONTEXT_CHARS) -> int:
        """Just after the last break before ``at``, no further back than ``limit`` characters."""
        k = bisect_left(self.positions, at)
        return max(self.positions[k - 1] + 1 if k else 0, at - limit)

    def end_after(self, at: int, *, limit: int = CONTEXT_CHARS) -> int:
        """The first break at or after ``at`` (the text's end if none), no further than ``limit`` characters."""
        k = bisect_left(self.positions, at)
        return min(self.positions[k] if k < len(self.positions) else self.length, at + limit)


def _cited(text: str, title: str, start: int, end: int, sentences: Breaks, clauses: Breaks,
           openings: Breaks) -> CitedTitle:
    s_from, s_to = sentences.start_before(start), sentences.end_after(end)
    c_from = clauses.start_before(start)
    # 印发/转发 may come clauses later: "《方案》已经国务院同意，现印发给你们" (up to the next cited title).
    next_title = openings.end_after(end, limit=len(text))
    before, after = text[c_from:start], text[end: min(s_to, next_title)]
    if any(cue in before or cue in after for cue in _FORWARD_CUES):
        role = "forwarding"
    elif any(cue in before for cue in _BASIS_CUES):
        role = "basis"
    else:
        role = "other"
    bracket = BRACKET_AFTER.match(text, end)
    numbers = find_doc_numbers(bracket.group(1)) if bracket else []
    return CitedTitle(title, start, end, text[s_from:s_to].strip(), role, numbers[0].normalized if numbers else None)
