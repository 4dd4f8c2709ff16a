"""The header of a Chinese official document: title, 发文字号, issuers, genre (文种), addressees (主送),
attachments (附件), signature and dates, read by :func:`extract_metadata` with the provenance of every field.

Dates are read in Arabic or Chinese numerals (``二〇一九年四月二十六日``); the genre is the longest ending of the
title in :data:`GENRES`. Document numbers come from :mod:`policytext.documents.numbers`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from policytext.documents.numbers import (
    DocNumber,
    chinese_int,
    compact_only,
    find_doc_numbers,
    parse_doc_number,
    require_str,
)

__all__ = ["GENRES", "detect_genre", "extract_metadata", "parse_chinese_date", "strip_title_ending"]

# Genres (文种) a title can end with; detect_genre picks the longest that matches.
GENRES: tuple[str, ...] = (
    "意见", "指导意见", "实施意见", "通知", "通报", "方案", "规定", "条例", "办法", "细则", "实施细则",
    "决定", "决议", "纲要", "规划", "计划", "行动计划", "报告", "法", "批复", "函", "复函", "通告", "公告",
    "指南", "规则", "纪要", "请示", "公报", "建议", "答复",
)


# The longest stretch of one line the header reader looks at (a title, a number or a date line is far shorter).
MAX_LINE_CHARS = 1000

# --------------------------------------------------------------------------------------------- dates, genres
_YMD = (r"(?P<y>[0-9]{4}|[〇○零一二三四五六七八九]{4})年(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,2})月"
        r"(?P<d>[0-9]{1,2}|[一二三四五六七八九十]{1,3})日")
_DATE_RES = (re.compile(_YMD), re.compile(r"(?P<y>[0-9]{4})[-./](?P<m>[0-9]{1,2})[-./](?P<d>[0-9]{1,2})"))


def _date_of(m: re.Match[str]) -> _dt.date | None:
    y, mo, d = (chinese_int(m[g]) for g in ("y", "m", "d"))
    if y is None or mo is None or d is None or not 1949 <= y <= 2100:
        return None
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        return None


def parse_chinese_date(s: str) -> _dt.date | None:
    """A whole string as a date: 2022年6月23日, 二〇二二年六月二十三日, 2018-12-07, 2018年12月07日.

    Example:
        >>> parse_chinese_date("二〇一八年七月三十一日")
        datetime.date(2018, 7, 31)
    """
    require_str(s, "s")
    compact = compact_only(s.strip())  # no per-character offsets: they are not needed here
    for regex in _DATE_RES:
        m = regex.fullmatch(compact)
        if m:
            return _date_of(m)
    return None


_BRACKETS = frozenset("（）()")


def strip_title_ending(title: str, closing: str) -> str:
    """``title`` without what trails its last word: bracketed groups such as （试行） and the characters of
    ``closing`` (closing quotes or marks), and whitespace, in any order.

    Read from the end in one pass: the regex ``([（(][^（）()]*[）)]|[》\\s])+$`` it replaces took time quadratic in
    the length of a run of spaces, and a title line can be any length.

    Example:
        >>> strip_title_ending("《数据安全管理办法（试行）》 ", "》")
        '《数据安全管理办法'
    """
    end = len(title)
    while end:
        char = title[end - 1]
        if char in closing or char.isspace():
            end -= 1
            continue
        if char in "）)":
            start = end - 2
            while start >= 0 and title[start] not in _BRACKETS:
                start -= 1
            if start >= 0 and title[start] in "（(":
                end = start
                continue
        break
    return title[:end]


def detect_genre(title: str) -> str | None:
    """The genre (文种) a title ends with, longest match first, ignoring a closing bracket such as （试行）.

    Example:
        >>> detect_genre("国务院关于加强数字政府建设的指导意见")
        '指导意见'
    """
    require_str(title, "title")
    core = strip_title_ending(title.strip(), "》”」\"'")
    matches = [g for g in GENRES if core.endswith(g)]
    return max(matches, key=len) if matches else None


# ------------------------------------------------------------------------------------------- header reading
_LABEL_RE = re.compile(r"^(?P<label>标\s*题|发\s*文\s*字\s*号|文\s*号|发\s*文\s*机\s*关|成\s*文\s*日\s*期|发\s*布\s*日\s*期"
                       r"|施\s*行\s*日\s*期|生\s*效\s*日\s*期|主\s*送(?:\s*机\s*关)?)\s*[：:]\s*(?P<value>.*)$")
_EFFECTIVE_RE = re.compile(rf"自(?:{_YMD}|(?P<issue>发布|印发|公布)之日)起(?:施行|执行|实施|生效)")
_PROMULGATION_RE = re.compile(rf"^{_YMD}.{{0,40}}?(?:令|公告)第.{{1,12}}号(?:公布|发布)")
_ATTACHMENT_RE = re.compile(r"^附\s*件\s*(?P<n>[0-9０-９]*)\s*[：:．.、]?\s*(?P<rest>.*)$")
_LIST_ITEM_RE = re.compile(r"^[0-9０-９]{1,2}\s*[．.、]\s*(?P<name>.+)$")
_DISCLOSURE_RE = re.compile(r"^[（(](?P<what>此件[^（）()]{1,20})[）)]$")
_SIGNER_ENDINGS = ("院", "厅", "政府", "中央", "委", "委员会", "办", "办公室", "部", "局", "署", "会", "行", "室")


def _labelled(items: list[tuple[int, str]]) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for line_no, line in items[:40]:
        m = _LABEL_RE.match(line)
        if m and m["value"].strip():
            label = re.sub(r"\s", "", m["label"])
            found.setdefault({"标题": "title", "发文字号": "doc_number", "文号": "doc_number", "发文机关": "issuers",
                              "成文日期": "signed", "发布日期": "published", "施行日期": "effective",
                              "生效日期": "effective"}.get(label, "addressees"), (m["value"].strip(), line_no))
    return found


def _is_signer(line: str) -> bool:
    return (len(line) <= 60 and not re.search(r"[。，,；;：:！？]", line) and not line.startswith("附")
            and not re.match(r"^[0-9０-９（(一二三四五六七八九十]", line) and not line.endswith("号")
            and all(part.endswith(_SIGNER_ENDINGS) for part in re.split(r"[\s、]+", line) if part))


def _signature(items: list[tuple[int, str]], after: int) -> tuple[list[tuple[int, str]], int, _dt.date] | None:
    """First block of signer lines followed by a date line, after item index ``after``."""
    for k in range(max(after, 1), len(items)):
        date = parse_chinese_date(items[k][1])
        if date is None:
            continue
        j = k
        while j > after and k - j < 4 and _is_signer(items[j - 1][1]):
            j -= 1
        if j < k:
            return items[j:k], k, date
    return None


def _attachments(items: list[tuple[int, str]], stop: int) -> tuple[list[str], int | None]:
    """Attachment names from a 附件：1．… list before ``stop``, else from bare 附件N headings."""
    for k, (line_no, line) in enumerate(items[:stop]):
        m = _ATTACHMENT_RE.match(line)
        if not m or not m["rest"] or m["rest"].endswith("。"):
            continue
        first = _LIST_ITEM_RE.match(m["rest"])
        names = [first["name"] if first else m["rest"]]
        for _, nxt in items[k + 1: stop]:
            item = _LIST_ITEM_RE.match(nxt) or (_ATTACHMENT_RE.match(nxt) if nxt.startswith("附") else None)
            if item is None:
                break
            names.append(item.groupdict().get("name") or item["rest"])
        return [n.strip() for n in names if n.strip()], line_no
    names, first_line = [], None
    for k, (line_no, line) in enumerate(items[:-1]):
        m = _ATTACHMENT_RE.match(line)
        if m and not m["rest"] and len(line) <= 6:
            names.append(items[k + 1][1])
            first_line = first_line or line_no
    return names, first_line


# A speech opens by greeting its audience (各位代表：, 同志们：); that line is neither a title nor an addressee.
_SALUTATION_RE = re.compile(r"^(?:各位(?:代表|委员|来宾|同志)|同志们|女士们|先生们|朋友们)")


def extract_metadata(text: str) -> dict[str, Any]:
    """Title, number, issuers, genre, dates, addressees, attachments and signature read off a document's text.

    ``provenance`` maps each field found to ``"text:line N"`` (1-based) or ``"rule:<name>"`` when inferred;
    ``dates.signed`` / ``dates.published`` / ``dates.effective`` each get an entry, and ``dates`` the first one.

    Example:
        >>> meta = extract_metadata("国务院关于加快推进政务服务的指导意见\\n国发〔2016〕55号\\n正文。")
        >>> meta["doc_number"], meta["genre"], meta["provenance"]["doc_number"]
        ('国发〔2016〕55号', '指导意见', 'text:line 2')
    """
    require_str(text, "text")
    # Header and signature lines are short; a line is looked at only up to MAX_LINE_CHARS, so a file that is
    # one 50 MB line costs no more than its first characters (each parser below copies what it reads).
    items = [(i + 1, line.strip()[:MAX_LINE_CHARS]) for i, line in enumerate(text.splitlines()) if line.strip()]
    meta: dict[str, Any] = {"title": None, "doc_number": None, "issuers": [], "genre": None,
                            "dates": {"signed": None, "published": None, "effective": None}, "addressees": [],
                            "attachments": [], "signature": None, "disclosure": None, "year": None}
    prov: dict[str, str] = {}
    labels = _labelled(items)
    number: DocNumber | None = None

    # The number: a labelled 发文字号, a line that is only a number, or an order's promulgation line.
    number_at = None
    if "doc_number" in labels:
        number = parse_doc_number(labels["doc_number"][0])
        prov["doc_number"] = f"text:line {labels['doc_number'][1]}"
    for k, (line_no, line) in enumerate(items[:12]):
        if number is not None:
            break
        promulgation = _PROMULGATION_RE.match(compact_only(line))
        if parse_doc_number(line) is not None:
            number, number_at = parse_doc_number(line), k
        elif promulgation and find_doc_numbers(line):
            number, number_at = find_doc_numbers(line)[0], k
            meta["dates"]["published"] = _iso(_date_of(promulgation))
            prov["dates.published"] = f"text:line {line_no}"
        elif k + 1 < len(items) and re.fullmatch(r"第\s*\S{1,10}\s*号", items[k + 1][1]) and line.endswith("令"):
            number, number_at = parse_doc_number(line + items[k + 1][1]), k
        if number is not None:
            prov["doc_number"] = f"text:line {line_no}"
    if number is not None:
        meta["doc_number"] = number.normalized

    # Addressees: a short line ending in a colon near the top.
    addressee_at = None
    if "addressees" in labels:
        meta["addressees"] = _split_addressees(labels["addressees"][0])
        prov["addressees"] = f"text:line {labels['addressees'][1]}"
    else:
        # Addressees stand right under the number (or the title): body lines ending in a colon come later.
        limit = number_at + 3 if number_at is not None else 6
        for k, (line_no, line) in enumerate(items[:limit]):
            if (k > 0 and line.endswith(("：", ":")) and len(line) <= 150 and "。" not in line
                    and not _SALUTATION_RE.match(line) and re.search(r"各|政府|部门|单位|机构|委|局|厅|办", line)
                    and not line.startswith("附") and not _LABEL_RE.match(line)):
                addressee_at = k
                meta["addressees"] = _split_addressees(line[:-1])
                prov["addressees"] = f"text:line {line_no}"
                break

    # Title: labelled, else the lines above the number (or below it, under a red header), else the first line.
    if "title" in labels:
        meta["title"], prov["title"] = labels["title"][0], f"text:line {labels['title'][1]}"
    else:
        block: list[tuple[int, str]] = []
        if number_at is not None:
            block = [it for it in items[:number_at] if not it[1].endswith("文件")]
            if not block:
                end = addressee_at if addressee_at is not None and addressee_at > number_at else number_at + 3
                block = items[number_at + 1: end]
        elif addressee_at is not None:
            block = items[:addressee_at]
        elif items and len(items[0][1]) <= 80 and "。" not in items[0][1] and not items[0][1].endswith(("：", ":")):
            block = items[:1]
        block = [it for it in block if not _LABEL_RE.match(it[1]) and parse_chinese_date(it[1]) is None]
        if 0 < len(block) <= 4 and all("。" not in line for _, line in block):
            meta["title"] = "".join(line for _, line in block)
            prov["title"] = f"text:line {block[0][0]}"
    if meta["title"]:
        meta["genre"] = detect_genre(meta["title"])
        if meta["genre"]:
            prov["genre"] = "rule:genre_from_title"

    # Signature (落款): signer lines and a date line after the header.
    start = max(k for k in (number_at, addressee_at, 0) if k is not None) + 1
    signature = _signature(items, start)
    stop = len(items)
    if signature is not None:
        signers, date_at, date = signature
        stop = date_at
        meta["signature"] = "\n".join(line for _, line in signers + [items[date_at]])
        prov["signature"] = f"text:line {signers[0][0]}"
        meta["issuers"] = [p for _, line in signers for p in re.split(r"[\s、]+", line) if p]
        prov["issuers"] = prov["signature"]
        meta["dates"]["signed"] = date.isoformat()
        prov["dates.signed"] = f"text:line {items[date_at][0]}"
        for line_no, line in items[date_at + 1: date_at + 3]:
            m = _DISCLOSURE_RE.match(compact_only(line))
            if m:
                meta["disclosure"], prov["disclosure"] = m["what"], f"text:line {line_no}"
                break
    _fill_from_labels_and_rules(meta, prov, labels, number, text)
    meta["attachments"], attachment_line = _attachments(items, stop)
    if attachment_line is not None:
        prov["attachments"] = f"text:line {attachment_line}"
    for key in ("signed", "published", "effective"):
        if meta["dates"][key] and "dates" not in prov:
            prov["dates"] = prov[f"dates.{key}"]
    meta["provenance"] = prov
    return meta


def _iso(date: _dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _split_addressees(line: str) -> list[str]:
    return [part.strip() for part in re.split(r"[，,；;]", line) if part.strip()]


def _fill_from_labels_and_rules(meta: dict[str, Any], prov: dict[str, str], labels: dict[str, tuple[str, int]],
                                number: DocNumber | None, text: str) -> None:
    """Issuers, dates and year that the signature did not give: labels first, then rules."""
    dates = meta["dates"]
    for key in ("signed", "published", "effective"):
        if not dates[key] and key in labels:
            date = parse_chinese_date(labels[key][0])
            if date:
                dates[key], prov[f"dates.{key}"] = date.isoformat(), f"text:line {labels[key][1]}"
    if not meta["issuers"] and "issuers" in labels:
        meta["issuers"] = [p for p in re.split(r"[\s、，,]+", labels["issuers"][0]) if p]
        prov["issuers"] = f"text:line {labels['issuers'][1]}"
    if not meta["issuers"] and meta["title"] and "关于" in meta["title"]:
        head = meta["title"].split("关于")[0]
        parts = [p for p in re.split(r"[\s、]+", head) if p]
        if parts and all(p.endswith(_SIGNER_ENDINGS) for p in parts):
            meta["issuers"], prov["issuers"] = parts, "rule:issuer_from_title"
    if not meta["issuers"] and number is not None and number.issuer:
        meta["issuers"], prov["issuers"] = [number.issuer], "rule:issuer_from_doc_number"
    if not dates["effective"]:
        matches = list(_EFFECTIVE_RE.finditer(compact_only(text)))
        if matches:
            last = matches[-1]
            if last["issue"]:
                issued = dates["published"] or dates["signed"]
                if issued:
                    dates["effective"], prov["dates.effective"] = issued, "rule:effective_on_issue"
            else:
                dates["effective"], prov["dates.effective"] = _iso(_date_of(last)), "rule:effective_clause"
            if dates["effective"] is None:
                prov.pop("dates.effective", None)
    dated = next((key for key in ("signed", "published") if dates[key]), None)
    if dated is not None:
        meta["year"], prov["year"] = int(dates[dated][:4]), f"rule:year_from_{dated}_date"
    elif number is not None and number.year:
        meta["year"], prov["year"] = number.year, "rule:year_from_doc_number"
