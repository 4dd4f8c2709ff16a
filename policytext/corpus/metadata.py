"""Document metadata: the documented columns, their aliases in users' tables, and inference from files.

A side table's values always win over what is inferred from a file; :func:`infer_metadata` only fills what
the table left empty, and every filled field is recorded with its origin.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

# The documented columns of a corpus table, in order.
DOC_COLUMNS = (
    "doc_id", "text", "title", "year", "date", "issuer", "doc_number", "level", "region", "doc_type", "source",
)
META_COLUMNS = DOC_COLUMNS[2:]
LEVELS = ("national", "provincial", "municipal", "county")

# Column names researchers' tables use for the documented columns (first match wins).
ALIASES: dict[str, tuple[str, ...]] = {
    "doc_id": ("doc_id", "id", "编号", "序号", "留言编号"),
    "text": ("text", "content", "body", "fulltext", "full_text", "正文", "内容", "全文", "文本", "留言详情"),
    "title": ("title", "标题", "题目", "名称", "文件名称", "留言主题"),
    "year": ("year", "doc_year", "年份", "年度"),
    "date": ("date", "written_date", "pub_date", "publish_date", "发文日期", "成文日期", "发布日期", "日期", "发布时间",
             "时间", "留言时间"),
    "issuer": ("issuer", "发文机关", "发文单位", "发布机构", "颁布机关"),
    "doc_number": ("doc_number", "doc_no", "发文字号", "文号"),
    "level": ("level", "层级", "级别"),
    "region": ("region", "地区", "省份"),
    "doc_type": ("doc_type", "文件类型", "文种"),
    "source": ("source", "来源"),
}
PATH_KEYS = ("path", "file", "filename", "file_name", "文件")

_YEAR_IN_NAME = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)[-_.](\d{1,2})[-_.](\d{1,2})(?!\d)")


def find_column(columns: Any, field: str) -> str | None:
    """The first column of ``columns`` that is an alias of ``field``, or None.

    Example:
        >>> find_column(["标题", "正文"], "text")
        '正文'
    """
    present = {str(c): c for c in columns}
    lowered = {str(c).lower(): c for c in columns}
    for alias in ALIASES[field]:
        if alias in present:
            return present[alias]
        if alias in lowered:
            return lowered[alias]
    return None


def standardize(frame: pd.DataFrame, *, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rename aliased columns to the documented names; other columns are kept as user columns.

    Example:
        >>> standardize(pd.DataFrame({"doc_no": ["国发〔2015〕50号"]})).columns.tolist()
        ['doc_number']
    """
    renames: dict[Any, str] = {}
    for field in DOC_COLUMNS:
        if field in keep:
            continue
        column = find_column(frame.columns, field)
        if column is not None and column != field and field not in frame.columns:
            renames[column] = field
    return frame.rename(columns=renames)


def to_year(value: Any) -> Any:
    """An int year from a year, date or 4-digit string, or ``pd.NA`` when there is none (ranges give NA).

    Example:
        >>> to_year("2018-12-07"), to_year(2014.0), to_year("2019-2020")
        (2018, 2014, <NA>)
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return pd.NA
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        year = int(value)
        return year if 1000 <= year <= 2100 and year == value else pd.NA
    text = str(value).strip()
    if re.fullmatch(r"\d{4}年?", text):
        return int(text[:4])
    # A full date gives its year; a range such as "2019-2020" is not one year.
    iso = to_iso_date(text)
    return int(iso[:4]) if iso else pd.NA


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")


def to_iso_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` for dates written 2018-12-07, 2018/12/7 or 2018年12月07日 (time of day ignored), else None.

    Example:
        >>> to_iso_date("2018年12月07日"), to_iso_date("2019-2020")
        ('2018-12-07', None)
    """
    if not isinstance(value, str):
        return None
    match = _DATE.fullmatch(value.strip())
    if not match:
        return None
    y, m, d = (int(g) for g in match.groups())
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def infer_from_path(path: Path) -> dict[str, Any]:
    """Date or year written in a file name, such as ``条例(2019-04-26).txt`` or ``gwr_2014.txt``.

    Example:
        >>> infer_from_path(Path("优化营商环境条例(2019-10-22).txt"))
        {'date': '2019-10-22', 'year': 2019}
    """
    stem = path.stem
    date = _ISO_DATE.search(stem)
    if date:
        y, m, d = (int(g) for g in date.groups())
        if 1 <= m <= 12 and 1 <= d <= 31:
            return {"date": f"{y:04d}-{m:02d}-{d:02d}", "year": y}
    years = _YEAR_IN_NAME.findall(stem)
    if len(set(years)) == 1:
        return {"year": int(years[0])}
    return {}


def infer_from_text(text: str, title_hint: str | None = None) -> dict[str, tuple[Any, str]]:
    """Title, document number, issuer, dates and year read off a document's text, each with its origin.

    Uses :func:`policytext.documents.header.extract_metadata`; only non-empty fields are returned.

    Example:
        >>> meta = infer_from_text("国务院关于加快推进政务服务的指导意见\\n国发〔2016〕55号\\n正文。")
        >>> meta["doc_number"][0]
        '国发〔2016〕55号'
    """
    from policytext.documents.header import extract_metadata
    from policytext.documents.numbers import parse_doc_number

    found: dict[str, tuple[Any, str]] = {}
    meta = extract_metadata(text)
    provenance = meta.get("provenance", {}) or {}

    def origin(field: str) -> str:
        return f"text ({provenance[field]})" if field in provenance else "text"

    if title_hint:
        found["title"] = (title_hint, "file properties")
    elif meta.get("title"):
        found["title"] = (meta["title"], origin("title"))
    if meta.get("doc_number"):
        found["doc_number"] = (str(meta["doc_number"]), origin("doc_number"))
    issuers = meta.get("issuers") or []
    if issuers:
        found["issuer"] = ("、".join(issuers), origin("issuers"))
    dates = meta.get("dates") or {}
    date = next((dates[k] for k in ("signed", "published", "effective") if dates.get(k)), None)
    if date:
        found["date"] = (str(date), origin("dates"))
    if meta.get("genre"):
        found["genre"] = (meta["genre"], origin("genre"))
    number = parse_doc_number(found["doc_number"][0]) if "doc_number" in found else None
    if number is not None and getattr(number, "level", None):
        found["level"] = (number.level, "document number")
    if number is not None and getattr(number, "province", None):
        found["region"] = (number.province, "document number")
    if date:
        found["year"] = (to_year(date), found["date"][1])
    elif number is not None and getattr(number, "year", None):
        found["year"] = (int(number.year), "document number")
    return found
