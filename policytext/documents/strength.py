"""Policy strength (政策力度): each document on the 1–5 scale of Peng, Zhong & Sun (2008), from issuer and genre.

The scale (彭纪生、仲为国、孙文祥 2008, 《政策测量、政策协同演变与经济绩效》, 管理世界 第9期): laws of the National
People's Congress and its Standing Committee 5; State Council regulations and ministerial orders 4; State Council
provisional regulations and ministerial rules 3; ministerial opinions, measures and provisional rules 2; notices,
announcements and plans 1. Where the paper is silent, the bundled mapping (``policytext/data/strength.csv``) decides
by the same logic and says so in its ``rule`` column: State Council (and Party-centre) opinions and decisions 3,
one rung above the same genre from a ministry; provincial people's congress regulations 4 and municipal ones 3;
provincial government rules (政府令) 3 and municipal ones 2; local opinions and measures 2; local notices and plans 1.

Rules are tried in file order and the first that matches wins. A rule matches when its ``level`` equals the
document's level, its ``issuer`` pattern is found in the issuer, the document number or the title's issuer part
(before 关于), its ``genre`` pattern matches the genre (the title's 文种; for 关于印发《X》的通知 the genre of X;
暂行 marks provisional forms) and its ``doc_type`` pattern matches the doc_type column. Empty patterns match
anything. A document no rule matches gets a missing strength and a ``reason``, never a guess. Pass your own
table (same columns) as ``mapping=`` to change the scale.

Example:
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a"], "title": ["国务院关于加强数字政府建设的指导意见"], "issuer": ["国务院"],
    ...                      "doc_number": ["国发〔2022〕14号"], "level": ["national"], "text": [""]})
    >>> policy_strength(docs)[["doc_id", "strength", "genre"]].values.tolist()
    [['a', 3, '指导意见']]
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from policytext.documents.citations import DocumentSource, document_table
from policytext.documents.header import detect_genre
from policytext.resources import package_data

__all__ = ["STRENGTH_COLUMNS", "document_genre", "load_strength_mapping", "policy_strength"]

STRENGTH_COLUMNS = ("doc_id", "title", "level", "issuer", "genre", "strength", "rule", "reason")
_MAPPING_COLUMNS = ("rung", "level", "issuer", "genre", "doc_type", "rule")
_ISSUED = re.compile(r"关于(?:印发|转发|发布|颁布)(.+?)的(?:通知|函)$")
_BRACKETS = re.compile(r"[《》“”\"]")


def load_strength_mapping(path: str | Path | None = None) -> pd.DataFrame:
    """The strength rules: the bundled ``policytext/data/strength.csv``, or your own table with the same columns.

    Example:
        >>> int(load_strength_mapping()["rung"].max())
        5
    """
    source = Path(path) if path is not None else package_data("strength.csv")
    if not source.is_file():
        raise FileNotFoundError(f"strength mapping {source} does not exist; pass the path of a CSV with columns "
                                f"{list(_MAPPING_COLUMNS)} or None for the bundled one")
    table = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8")
    return _checked(table, str(source))


def _checked(table: pd.DataFrame, where: str) -> pd.DataFrame:
    missing = [c for c in _MAPPING_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"strength mapping {where} lacks column(s) {missing}; it needs {list(_MAPPING_COLUMNS)}")
    table = table.fillna("").astype(str).copy()
    bad = table.loc[~table["rung"].isin(["1", "2", "3", "4", "5"]), "rung"]
    if len(bad):
        raise ValueError(f"strength mapping {where}: rung {bad.iloc[0]!r} (row {bad.index[0] + 2}) is not one of "
                         "1–5, the rungs of the Peng et al. (2008) scale")
    for column in ("issuer", "genre", "doc_type"):
        for i, pattern in table[column].items():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"strength mapping {where}: {column} pattern {pattern!r} (row {i + 2}) is not a "
                                 f"valid regular expression ({exc})") from None
    table["rung"] = table["rung"].astype(int)
    return table


def document_genre(title: str) -> str | None:
    """The genre a strength rule looks at: the title's 文种, the issued document's for 关于印发《X》的通知, with
    暂行 for provisional forms (暂行条例, 暂行办法, 暂行规定).

    Example:
        >>> document_genre("国务院关于印发个人所得税专项附加扣除暂行办法的通知")
        '暂行办法'
        >>> document_genre("中华人民共和国数据安全法")
        '法'
    """
    title = _BRACKETS.sub("", title.strip())
    issued = _ISSUED.search(title)
    inner = issued.group(1) if issued else title
    genre = detect_genre(inner) or (detect_genre(title) if issued else None)
    if genre in ("条例", "办法", "规定") and f"暂行{genre}" in inner:
        genre = f"暂行{genre}"
    return genre


def _issuer_parts(row: pd.Series) -> list[str]:
    parts = [str(row[c]) for c in ("issuer", "doc_number") if pd.notna(row[c]) and str(row[c]).strip()]
    title = str(row["title"]) if pd.notna(row["title"]) else ""
    if "关于" in title:
        parts.append(title.split("关于", 1)[0].strip())
    return parts


def policy_strength(corpus: DocumentSource | pd.DataFrame, *, mapping: str | Path | pd.DataFrame | None = None
                    ) -> pd.DataFrame:
    """One row per document: its genre, strength (1–5, or missing), the rule that decided it, or why none did.

    Uses the columns title, issuer, doc_number, level and doc_type (missing ones count as unknown).

    Example:
        >>> import pandas as pd
        >>> docs = pd.DataFrame({"doc_id": ["x"], "title": ["某某工作总结"], "level": ["national"], "text": [""]})
        >>> "is not on the scale" in policy_strength(docs)["reason"].iloc[0]
        True
    """
    frame = document_table(corpus)
    rules = (_checked(mapping, "(DataFrame)") if isinstance(mapping, pd.DataFrame)
             else load_strength_mapping(mapping))
    compiled = [(r.rung, r.level, re.compile(r.issuer), re.compile(r.genre), re.compile(r.doc_type), r.rule)
                for r in rules.itertuples()]
    rows = []
    for _, doc in frame.iterrows():
        title = str(doc["title"]) if pd.notna(doc["title"]) else ""
        genre = document_genre(title) if title else None
        level = str(doc["level"]) if pd.notna(doc["level"]) else ""
        doc_type = str(doc["doc_type"]) if pd.notna(doc["doc_type"]) else ""
        issuers = _issuer_parts(doc)
        strength, rule, reason = pd.NA, "", ""
        for rung, r_level, r_issuer, r_genre, r_type, text in compiled:
            if r_level and r_level != level:
                continue
            if r_issuer.pattern and not any(r_issuer.search(p) for p in issuers):
                continue
            if r_genre.pattern and not (genre and r_genre.search(genre)):
                continue
            if r_type.pattern and not r_type.search(doc_type):
                continue
            strength, rule = rung, text
            break
        else:
            if not level:
                reason = "level unknown (national, provincial or municipal); fill the level column"
            elif not title:
                reason = "title unknown, so the genre is unknown; fill the title column"
            else:
                reason = (f"genre {genre} of {title!r} is not on the scale for a {level} document issued by "
                          f"{' / '.join(issuers) or 'an unknown issuer'}; add a rule to strength.csv if it belongs")
        rows.append((doc["doc_id"], title or pd.NA, level or pd.NA, doc["issuer"], genre, strength, rule, reason))
    out = pd.DataFrame.from_records(rows, columns=list(STRENGTH_COLUMNS))
    out["strength"] = out["strength"].astype("Int64")
    return out
