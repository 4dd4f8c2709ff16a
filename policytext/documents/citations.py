"""Citations in running text: the documents a text cites, each resolved to a document of the corpus.

A citation is a title in 《》 (``根据《优化营商环境条例》``) or a bare document number in running text
(``国办发〔2018〕45号``); a number printed in brackets right after a title is merged into that title's row.
Each is resolved to a document of the corpus by number first, then by normalised title, exactly and then
fuzzily (:data:`FUZZY_THRESHOLD`). :func:`citation_graph` turns the rows into a ``networkx.DiGraph``;
:func:`most_cited` and :func:`adoption_lag` summarise it.

Decisions worth knowing:
- Not citations: a document's own title or number (its header, its promulgation record ``…令第722号公布``),
  the 《X》 inside the header title ``关于印发《X》的通知``, the definition of a short name ``（以下简称《方案》）``
  (later uses of 《方案》 count as citations of the full title), ``本条例``/``本办法``, and 《》 titles that do not
  look like documents (books, journals, poems: 《列宁全集》) unless a number or a corpus match vouches for them.
- ``现将《X》印发给你们`` in the body of the notice that issues X is kept, as a ``forwarding`` citation of X with no
  target: resolution never points a document at itself. Elsewhere, a citation of X resolves to the notice.
- ``role`` is ``forwarding`` when this document transmits the cited one (``《X》已经国务院同意，现转发给你们``;
  印发/转发/批转 followed by 给, or 现印发/予以转发), not when a sentence only reports that X was issued;
  ``basis`` for 依据/根据/按照/依照/遵照/贯彻/落实 before it in its clause (or ``《X》的落实`` after it), else ``other``; words inside other
  titles of the clause are ignored.
- Fuzzy matching never crosses a different place prefix, different numerals (2018 vs 2019, 十三五 vs 十四五)
  or a different genre (意见 vs 通知).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Any, Protocol

import pandas as pd

from policytext.documents.header import GENRES, detect_genre, strip_title_ending
from policytext.documents.numbers import Breaks, DocNumber, find_cited_titles, find_doc_numbers, parse_doc_number

__all__ = ["CITATION_COLUMNS", "FUZZY_THRESHOLD", "ROLES", "extract_citations", "normalize_title"]

CITATION_COLUMNS = ("citing_doc_id", "citing_year", "cited_title", "cited_number", "target_doc_id", "match_method",
                    "match_score", "sentence", "start", "end", "role")
ROLES = ("basis", "forwarding", "other")
# Validated on hand-judged title pairs (tests/test_citations.py::test_fuzzy_threshold_separates_judged_pairs).
FUZZY_THRESHOLD = 0.8

_BASIS_CUES = ("依据", "根据", "按照", "依照", "遵照", "贯彻", "落实")
_FORWARD_AFTER = re.compile(r"(印发|转发|批转)给|现予?(印发|转发|批转)|予以(印发|转发|批转)")
PROVINCE_NAMES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
                   "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南",
                   "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾")
_CLAUSE_BREAKS, _SENTENCE_BREAKS = "，,；;。！？!?\n", "。！？!?\n"
# Title endings that make a 《》 string a document rather than a book or a poem: the genres plus normative kinds.
_DOC_ENDINGS = tuple(GENRES) + ("协定", "协议", "公约", "条约", "章程", "准则", "通则", "总则", "目录", "预案", "标准",
                                 "规范", "规程", "清单", "草案", "安排", "声明", "汇报", "提案", "报告书", "修正案")
_QUOTES = re.compile(r"[《》〈〉<>“”\"'‘’「」『』、·\s\u3000]")
# A bracketed group is matched first and tested for a version marker after: one pattern for both, with two
# unbounded runs around the marker, backtracked quadratically over a long unclosed bracket.
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")
_VERSION_MARK = re.compile(r"[0-9]{4}|[〇一二三四五六七八九]{4}|版|修订|修正")
_VERSION_WORDS = ("草案", "试行", "暂行", "实施", "细则", "修正", "修订")
_ORGANS = ("国务院", "院", "厅", "部", "委", "局", "署", "政府", "中央", "办公室", "委员会", "常委会", "银行")
_NUMERALS = re.compile(r"[0-9〇零一二两三四五六七八九十百千]+")
_ISSUED = re.compile(r"关于印发(.+?)的(?:通知|函)$")
_HEADER_NUMBER_AFTER = re.compile(r"\s*(公布|发布|修订|修正|施行|通过)")
_MAYBE_NUMBER = re.compile(r"[〔\[【（(［〖﹝「][0-9０-９]{4}|令|公告")
_SHORT_NAME = re.compile(r"以下(?:简称|称)\s*$")
_BRACKET = re.compile(r"\s*[（(][^（）()]{1,80}[）)]")
_SPACE_OR_OPENING = re.compile(r"[ （(\u3000]*")


def normalize_title(title: str) -> str:
    """A title reduced for matching: no 《》, quotes, 、 or spaces, no 中华人民共和国, no bracketed years/versions.

    Example:
        >>> normalize_title("《中华人民共和国 网络安全法》")
        '网络安全法'
        >>> normalize_title("法治政府建设实施纲要（2015—2020年）")
        '法治政府建设实施纲要'
    """
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, not {type(title).__name__} ({title!r:.60})")
    text = _QUOTES.sub("", title).replace("(", "（").replace(")", "）")
    text = _BRACKETED.sub(lambda m: "" if _VERSION_MARK.search(m[0]) else m[0], text)
    return text.replace("中华人民共和国", "")  # also inside: 国务院关于修改〈中华人民共和国…条例〉的决定


def _core(title: str) -> str:
    """The part from 关于 on, so 'X办公厅关于…的意见' and '关于…的意见' compare equal."""
    at = title.find("关于")
    return title[at:] if at > 0 else title


def _title_score(a: str, b: str) -> float:
    """Similarity of two normalised titles in [0, 1]; 0 when a guard says they cannot be the same document.

    Only words left out may differ (an issuer, 的, 若干 ...): any substitution (广州/苏州, 黄金/白银, 2018/2019),
    a different issuer, province, numeral or genre, a left-out version word (草案, 实施) or a left-out
    qualifier at the start (小企业会计准则 vs 企业会计准则) rules the pair out.
    """
    if not a or not b:
        return 0.0
    issuer_a, issuer_b = a[: len(a) - len(_core(a))], b[: len(b) - len(_core(b))]
    if issuer_a and issuer_b and issuer_a != issuer_b:  # 中共中央关于… is not 中共上海市委关于…
        return 0.0
    if bool(issuer_a) != bool(issuer_b):  # one names its issuer, the other does not: compare from 关于 on
        a, b = _core(a), _core(b)
    if ({p for p in PROVINCE_NAMES if p in a} != {p for p in PROVINCE_NAMES if p in b}
            or sorted(_NUMERALS.findall(a)) != sorted(_NUMERALS.findall(b)) or detect_genre(a) != detect_genre(b)):
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        gap = a[i1:i2] or b[j1:j2]
        if tag == "replace" or (tag != "equal" and (
                any(word in gap for word in _VERSION_WORDS) or (i1 == 0 and j1 == 0 and not gap.endswith(_ORGANS)))):
            return 0.0
    return matcher.ratio()


def _looks_like_document(title: str) -> bool:
    core = strip_title_ending(title, "”」\"'")
    if core.endswith("方法"):  # 《党委会的工作方法》 is an essay; 办法 is a genre
        return False
    return core.endswith(_DOC_ENDINGS) or bool(re.search(r"(19|20)[0-9]{2}$", core))


def _number_key(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    parsed = parse_doc_number(value)
    return parsed.normalized if parsed is not None else value.strip()


class DocumentSource(Protocol):
    """Anything that gives a document table, such as :class:`policytext.Corpus`.

    This stage sits below ``policytext.corpus`` (the corpus uses its parsers to infer metadata), so it takes
    a Corpus by what it offers rather than by its class.
    """

    def to_frame(self) -> pd.DataFrame: ...


def document_table(corpus: DocumentSource | pd.DataFrame) -> pd.DataFrame:
    """The document table of a Corpus or DataFrame, with the optional metadata columns present.

    Example:
        >>> document_table(pd.DataFrame({"doc_id": ["a"], "text": ["正文"]})).columns[:3].tolist()
        ['doc_id', 'text', 'title']
    """
    if isinstance(corpus, (str, bytes)):
        raise TypeError("corpus must be a Corpus or a DataFrame with doc_id and text columns, not a single "
                        f"{type(corpus).__name__}; build one with policytext.read_corpus(...) or Corpus.from_texts([...])")
    if isinstance(corpus, pd.DataFrame):
        frame = corpus
    elif callable(getattr(corpus, "to_frame", None)) and not isinstance(corpus, pd.Series):
        frame = corpus.to_frame()
    else:
        raise TypeError(f"corpus must be a Corpus or a pandas DataFrame, not {type(corpus).__name__}; "
                        "use policytext.read_corpus(...) to build one")
    missing = [c for c in ("doc_id", "text") if c not in frame.columns]
    if missing:
        raise ValueError(f"corpus table lacks column(s) {missing}; columns are {list(frame.columns)}. Pass a "
                         "table with doc_id and text (and optionally title, doc_number, year) or a Corpus")
    frame = frame.copy()
    frame["doc_id"] = frame["doc_id"].astype(str)
    for column in ("title", "doc_number", "year", "date", "level", "region", "issuer", "doc_type"):
        if column not in frame.columns:
            frame[column] = pd.NA
    return frame


class _Index:
    """Corpus documents by number, exact normalised title and title (for fuzzy matching)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.by_number: dict[str, list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        self.own_titles: dict[str, set[str]] = {}
        self._cache: dict[tuple[str, float], list[tuple[float, str]]] = {}
        for doc_id, title, number in zip(frame["doc_id"], frame["title"], frame["doc_number"]):
            key = _number_key(number)
            if key:
                self.by_number.setdefault(key, []).append(doc_id)
            names = set()
            if isinstance(title, str) and title.strip():
                names.add(normalize_title(title))
                issued = _ISSUED.search(_QUOTES.sub("", title))
                if issued:  # citing X elsewhere cites the notice that issues X
                    names.add(normalize_title(issued.group(1)))
            for name in names:
                self.by_title.setdefault(name, []).append(doc_id)
            self.own_titles[doc_id] = names
        # A document read twice (a table row and a file) must not cite its copy: same number or same title.
        self.copies: dict[str, set[str]] = {}
        for doc_id, title, number in zip(frame["doc_id"], frame["title"], frame["doc_number"]):
            key = _number_key(number)
            same = set(self.by_number.get(key, [])) if key else set()
            if isinstance(title, str) and title.strip():
                same |= set(self.by_title.get(normalize_title(title), []))
            self.copies[doc_id] = same | {doc_id}

    def _fuzzy(self, title: str, threshold: float) -> list[tuple[float, str]]:
        """Documents whose title scores at least ``threshold`` against ``title``, best first (cached per title)."""
        key = (title, threshold)
        if key not in self._cache:
            ranked = []
            for name, doc_ids in self.by_title.items():
                quick = SequenceMatcher(None, _core(title), _core(name))  # cheap upper bounds first
                if quick.real_quick_ratio() >= threshold * 0.9 and quick.quick_ratio() >= threshold * 0.9:
                    score = _title_score(title, name)
                    ranked += [(score, doc_id) for doc_id in doc_ids if score >= threshold]
            self._cache[key] = sorted(ranked, key=lambda pair: -pair[0])
        return self._cache[key]

    def resolve(self, title: str | None, number: str | None, citing: str,
                threshold: float) -> tuple[str | None, str | None, float | None]:
        """(target doc_id, method, score) among documents other than the citing one and its copies."""
        copies = self.copies.get(citing, {citing})
        if number:
            hits = [d for d in self.by_number.get(number, []) if d not in copies]
            if hits:
                return hits[0], "number", 1.0
        if title:
            hits = [d for d in self.by_title.get(title, []) if d not in copies]
            if hits:
                return hits[0], "title", 1.0
            for score, doc_id in self._fuzzy(title, threshold):
                if doc_id not in copies:
                    return doc_id, "fuzzy", round(score, 4)
        return None, None, None


def _mask_titles(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with every 《…》 span blanked, so cue words inside other titles do not count."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "□" * (end - start)
    return "".join(chars)


def _context(masked: str, start: int, end: int, clauses: Breaks, sentences: Breaks) -> tuple[str, str, str]:
    """(clause before, rest of the sentence after, whole sentence span) around text[start:end]."""
    c_from = clauses.start_before(start)
    s_from, s_to = sentences.start_before(start), sentences.end_after(end)
    return masked[c_from:start], masked[end:s_to], f"{s_from}:{s_to}"


def _role(before: str, after: str) -> str:
    if _FORWARD_AFTER.search(after):
        return "forwarding"
    clause_after = re.split(r"[，,；;]", after, maxsplit=1)[0]
    if any(cue in before for cue in _BASIS_CUES) or re.search(r"的(贯彻|落实)", clause_after):
        return "basis"  # 根据《X》… or 做好《X》的落实工作
    return "other"


def _numbers_in(text: str) -> list[DocNumber]:
    """find_doc_numbers, run only on the lines that can hold a number (numbers never span lines): 4x faster."""
    found, offset = [], 0
    for line in text.split("\n"):
        if "号" in line and _MAYBE_NUMBER.search(line):
            found += [replace(n, start=n.start + offset, end=n.end + offset) for n in find_doc_numbers(line)]
        offset += len(line) + 1
    return found


def _own_numbers(text: str, own: str | None, numbers: list[DocNumber]) -> set[str]:
    """The document's own numbers: its doc_number, a number alone on a header line, promulgation records."""
    own_set = {own} if own else set()
    head = (line.strip() for line in text[:3000].splitlines() if line.strip())
    for line in itertools.islice(head, 12):
        parsed = parse_doc_number(line)
        if parsed is not None:
            own_set.add(parsed.normalized)
    for number in numbers:
        # "2019年10月22日 中华人民共和国国务院令第722号公布": the order that enacted this very text.
        if _HEADER_NUMBER_AFTER.match(text, number.end) and re.search(r"日\s*$", text[max(0, number.start - 4):number.start]):
            own_set.add(number.normalized)
    return own_set


def _follows(text: str, title_end: int, bracket_end: int, at: int) -> bool:
    """Whether a number at ``at`` belongs to the title ending at ``title_end``: in its bracket or right after it."""
    return title_end <= at and (at < bracket_end or _SPACE_OR_OPENING.match(text, title_end, at).end() == at)


def _merged_into(text: str, bracket_ends: list[tuple[int, int, int]], title_ends: list[int], reach: int,
                 at: int) -> int | None:
    """The row of the first title a number at ``at`` follows (see :func:`_follows`), or None.

    Only titles ending within ``reach`` (the longest title-to-bracket-end distance) before ``at``, and the last
    title before it, can qualify; looking at those alone keeps this linear in the number of citations.
    """
    k = bisect_right(title_ends, at)
    found, j = None, k - 1
    while j >= 0 and (j == k - 1 or title_ends[j] >= at - reach):
        if _follows(text, bracket_ends[j][0], bracket_ends[j][1], at):
            found = j  # walking backwards: the last one found is the first title, as before
        j -= 1
    return bracket_ends[found][2] if found is not None else None


def _doc_citations(doc: pd.Series, index: _Index, threshold: float, only_documents: bool) -> list[dict[str, Any]]:
    text, citing = doc["text"], doc["doc_id"]
    # Some sources break lines inside 《…》 ("《\n中共中央关于…》"); a space keeps every offset in place.
    titles = find_cited_titles(re.sub(r"(?<=《)\n|\n(?=》)", " ", text), min_chars=2)
    masked = _mask_titles(text, [(t.start, t.end) for t in titles])
    clauses, sentences = Breaks(masked, _CLAUSE_BREAKS), Breaks(masked, _SENTENCE_BREAKS)
    numbers = _numbers_in(text)
    own_numbers = _own_numbers(text, _number_key(doc["doc_number"]), numbers)
    own_titles = index.own_titles.get(citing, set())
    own_title = normalize_title(doc["title"]) if isinstance(doc["title"], str) else None
    rows: list[dict[str, Any]] = []
    aliases: dict[str, tuple[str, str | None]] = {}
    bracket_ends: list[tuple[int, int, int]] = []  # (title end, bracket end, row position) for merging numbers
    previous: dict[str, Any] | None = None
    for cited in titles:
        title, number = normalize_title(cited.title), cited.doc_number
        if _SHORT_NAME.search(text[max(0, cited.start - 12):cited.start]) and previous is not None:
            aliases[title] = (previous["cited_title"], previous["cited_number"])
            continue  # "（以下简称《方案》）" names the previous title; it cites nothing new
        if title in aliases:
            title, number = aliases[title]
        elif len(cited.title) < 4 or title.startswith("本"):  # 《意见》 refers back; 《宪法》 is short after normalising
            continue
        bracket = _BRACKET.match(text, cited.end)
        bracket_end = bracket.end() if bracket else cited.end
        in_header = cited.start < 300 and not re.search(r"[。：:]", text[:cited.start])  # above the addressees
        if (title in own_titles and (in_header or title == own_title)) or (number and number in own_numbers):
            bracket_ends.append((cited.end, bracket_end, -1))
            continue
        target, method, score = index.resolve(title, number, citing, threshold)
        if only_documents and not (number or target or _looks_like_document(title)):
            continue
        before, after, sentence = _context(masked, cited.start, cited.end, clauses, sentences)
        s_from, s_to = map(int, sentence.split(":"))
        previous = {"citing_doc_id": citing, "cited_title": title, "cited_number": number, "target_doc_id": target,
                    "match_method": method, "match_score": score, "sentence": text[s_from:s_to].strip(),
                    "start": cited.start, "end": cited.end, "role": _role(before, after)}
        bracket_ends.append((cited.end, bracket_end, len(rows)))
        rows.append(previous)
    title_ends = [t_end for t_end, _, _ in bracket_ends]
    reach = max((b_end - t_end for t_end, b_end, _ in bracket_ends), default=0)
    for number in numbers:
        merged = _merged_into(text, bracket_ends, title_ends, reach, number.start)
        if merged is not None or number.normalized in own_numbers:
            if merged is not None and merged >= 0 and rows[merged]["cited_number"] is None:
                rows[merged]["cited_number"] = number.normalized
            continue
        target, method, score = index.resolve(None, number.normalized, citing, threshold)
        before, after, sentence = _context(masked, number.start, number.end, clauses, sentences)
        s_from, s_to = map(int, sentence.split(":"))
        rows.append({"citing_doc_id": citing, "cited_title": None, "cited_number": number.normalized,
                     "target_doc_id": target, "match_method": method, "match_score": score,
                     "sentence": text[s_from:s_to].strip(), "start": number.start, "end": number.end,
                     "role": _role(before, after)})
    for row in rows:  # a number merged after resolution may now point at a corpus document
        if row["target_doc_id"] is None and row["cited_number"]:
            row["target_doc_id"], row["match_method"], row["match_score"] = index.resolve(
                row["cited_title"], row["cited_number"], citing, threshold)
    return sorted(rows, key=lambda r: r["start"])


def extract_citations(corpus: DocumentSource | pd.DataFrame, *, fuzzy_threshold: float = FUZZY_THRESHOLD,
                      only_documents: bool = True) -> pd.DataFrame:
    """One row per citation of a document in the corpus' texts, resolved to a corpus document where possible.

    Columns are :data:`CITATION_COLUMNS`: ``cited_title`` is normalised (:func:`normalize_title`), ``cited_number``
    the normalised 发文字号, ``target_doc_id`` the cited document when it is in the corpus, ``match_method`` one of
    number, title, fuzzy or None. ``only_documents=False`` keeps 《》 titles that do not look like documents.

    Example:
        >>> import pandas as pd
        >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "title": ["网络安全法", "某省条例"],
        ...                      "text": ["网络安全法。", "第一条 根据《中华人民共和国网络安全法》，制定本条例。"]})
        >>> extract_citations(docs)[["citing_doc_id", "target_doc_id", "match_method", "role"]].values.tolist()
        [['b', 'a', 'title', 'basis']]
    """
    if not 0.0 < fuzzy_threshold <= 1.0:
        raise ValueError(f"fuzzy_threshold must be in (0, 1], not {fuzzy_threshold!r}; the default "
                         f"{FUZZY_THRESHOLD} was validated on judged title pairs")
    frame = document_table(corpus)
    index = _Index(frame)
    rows = []
    for _, doc in frame.iterrows():
        for row in _doc_citations(doc, index, fuzzy_threshold, only_documents):
            row["citing_year"] = doc["year"]
            rows.append(row)
    table = pd.DataFrame(rows, columns=list(CITATION_COLUMNS))
    table["citing_year"] = pd.array(table["citing_year"].tolist(), dtype="Int64")
    table["match_score"] = table["match_score"].astype("float64")
    for column in ("cited_title", "cited_number", "target_doc_id", "match_method"):  # missing is None, not NaN
        table[column] = table[column].astype(object).where(table[column].notna(), None)
    for column in ("start", "end"):
        table[column] = table[column].astype("int64")
    return table

