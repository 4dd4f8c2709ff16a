"""Text cleaners: small ``str -> str`` functions with keyword-only options, composed with `make_cleaner`.

Each cleaner does one thing and can be used alone or in `clean_text`'s pipeline::

    >>> clean_text("数字政府建设。\\n下载PDF\\n政府工作报\\n告。")
    '数字政府建设。\\n政府工作报告。'

Order matters: `normalize_unicode` first (so patterns see one form of each character), then
`remove_boilerplate` (line based, so before lines are joined), `fix_line_breaks`, and `normalize_whitespace`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

__all__ = [
    "DEFAULT_STEPS",
    "Cleaner",
    "clean_text",
    "fix_line_breaks",
    "make_cleaner",
    "normalize_unicode",
    "normalize_whitespace",
    "remove_boilerplate",
    "split_bilingual",
    "to_simplified",
]


def _check_text(text: object, name: str = "text") -> str:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {type(text).__name__}; clean one document at a time "
                        "(e.g. [clean_text(t) for t in texts])")
    return text


# --------------------------------------------------------------------------------------------------- unicode
CJK_PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉【】〔〕—…·「」"
_KEEP_SPLIT = re.compile(f"([{re.escape(CJK_PUNCTUATION)}]+)")
_FORMS = ("NFC", "NFKC", "NFD", "NFKD")


def normalize_unicode(text: str, *, form: str = "NFKC", keep_cjk_punctuation: bool = True) -> str:
    """Apply Unicode normalization `form`, by default folding full-width letters, digits and spaces to ASCII.

    With `keep_cjk_punctuation` (default) the Chinese full-width punctuation researchers rely on
    (``，。、；：？！“”‘’（）《》〈〉【】〔〕—…·「」``) is left as it is, where NFKC would make ``，：（）`` ASCII.

    >>> normalize_unicode("２０２２年，数字政府（ＡＩ）")
    '2022年，数字政府（AI）'
    """
    _check_text(text)
    if form not in _FORMS:
        raise ValueError(f"form={form!r} is not a Unicode normalization form; choose one of {', '.join(_FORMS)}")
    if not keep_cjk_punctuation:
        return unicodedata.normalize(form, text)
    # The split keeps the protected characters as their own pieces (odd indexes), untouched.
    parts = _KEEP_SPLIT.split(text)
    return "".join(part if i % 2 else unicodedata.normalize(form, part) for i, part in enumerate(parts))


# ------------------------------------------------------------------------------------------------ whitespace
_HSPACE = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def normalize_whitespace(text: str) -> str:
    """Collapse runs of spaces, tabs, NBSP and ideographic spaces to one space and strip every line.

    Line breaks are kept; three or more newlines become two, so paragraphs stay separated by one blank line.
    Zero-width spaces are removed.

    >>> normalize_whitespace("数字\\u3000\\u3000政府  \\n\\n\\n\\n建设 ")
    '数字 政府\\n\\n建设'
    """
    _check_text(text)
    text = _ZERO_WIDTH.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_HSPACE.sub(" ", line).strip() for line in text.split("\n"))
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip("\n")


# ------------------------------------------------------------------------------------------------ line breaks
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ENDS_HAN = re.compile(f"[{_HAN}]$")
_STARTS_HAN = re.compile(f"^[{_HAN}]")
_OPENS_WITH_CLOSER = re.compile("^[、，。；：！？）》」』”]")
# A line opening with one character and then punctuation ("办，实现…") is the tail of a word broken off the line
# before; a real paragraph does not start with a one-character clause.
_LONE_CHAR_CLAUSE = re.compile(f"^[{_HAN}][、，。；：！？]")
# Numbered headings (第一章, 一、, （一）, 1. , ①), bullet items, and short title or byline lines ending in a
# document-genre or institution word keep their line break even though they end in a Chinese character; so does
# a line followed by a "label：value" field line (scraped metadata).
_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百千零〇\d]+[编章节条款部分篇]|[一二三四五六七八九十百]+[、．.]"
    r"|[（(][一二三四五六七八九十百\d]+[）)]|\d+(?:\.\d+)*[、．.\s]|[①-⑳]|附件|附录|[•·●▪■◆])"
)
_TITLE_END = re.compile(
    r"(?:报告|条例|规定|办法|意见|通知|决定|决议|纲要|方案|规划|公告|通告|批复|细则|目录|说明|计划|公报|回顾|部署|摘要|前言|总则|附则"
    r"|学报|杂志|学院|大学|研究院|研究所|中心|委员会|人民政府|国务院|办公厅|办公室)$"
)
_MAX_TITLE_CHARS = 40
# Header and signature lines of official documents end in a Chinese character but never run on: a document
# number (国办发〔2018〕45号, 国务院令第716号) or a date (2018年7月31日, 二〇一八年七月三十一日).
_CN_DIGITS = "〇零一二三四五六七八九十百千"
_RECORD_LINE = re.compile(
    rf"(?:[〔\[［【(（]\s*\d{{4}}\s*[〕\]］】)）]\s*\d+\s*号|令\s*第\s*[\d{_CN_DIGITS}]+\s*号"
    rf"|[\d{_CN_DIGITS}]{{4}}\s*年\s*[\d{_CN_DIGITS}]{{1,3}}\s*月\s*[\d{_CN_DIGITS}]{{1,3}}\s*日)\s*$"
)
_FIELD_LINE = re.compile(f"^[{_HAN}]{{1,8}}\\s*[:：]")

# English hyphenation left by PDF typesetting. A hyphen is dropped ("in-novation" -> "innovation") only when
#   1. the second part is lowercase, and the first part is not a compound prefix (co-, e-, self-, multi- ...);
#   2. and either the joined word occurs elsewhere in the same text without a hyphen (direct evidence),
#   3. or: the second part is not a word standing alone elsewhere in the text, the first part (3+ letters) does not
#      end like a complete English word (authority-, government-, decision-, urban-), and the second part looks like
#      the tail of a word (-tion, -ment, -ity, -ing, -ent, -al ...): "mobiliza-tion", "hor-izontal", "dif-ferent".
# Everything else keeps its hyphen ("government-citizen", "e-government", "authority-responsibility", "in-depth").
# At a line end ("mobiliza-\ntion") the same rule decides whether the hyphen stays; the line break always goes.
_COMPOUND_PREFIXES = frozenset(
    "co e i m self multi inter intra non pre post anti pro sub super semi cross over under well ex bi tri mid de "
    "un re cyber quasi socio top high low long short full half all one two three first big small meta micro macro "
    "trans counter extra ultra mega mini neo pan para poly".split()
)
_WORD_END = re.compile(
    r"(?:ment|tion|sion|ity|ness|ship|ism|ist|ic|al|ive|ous|ful|less|able|ible|ed|ing|er|tor|sor|ry|gy|ty|cy|ly|ny"
    r"|an|en|on|wn|ce|se|ge|te|de|ve|re|ze|ne|le|me|ke|st|ct|rt|nt|ld|nd|rd|ck|sh|ch|th|ss|ll|y)$"
)
_SUFFIX_FRAGMENT = re.compile(
    r"[a-z]{0,8}?(?:tions?|sions?|ments?|ness|ity|ities|ings?|ances?|ences?|ency|ancy|ents?|ants?|al|ally|ive|ives"
    r"|ous|ize[sd]?|ise[sd]?|ated|ating|able|ible|ism|ists?|ics?|ical|ures?|ogy|ular)"
)
_HYPHENATED = re.compile(r"(?<![A-Za-z])([A-Za-z]+)-(\n[ \t]*)?([a-z]+)(?![A-Za-z-])")
_HYPHEN_BREAK = re.compile(r"-\n[ \t]*")
_STANDALONE_WORD = re.compile(r"(?<![A-Za-z-])[A-Za-z]+(?![A-Za-z-])")


def _drop_hyphen(first: str, second: str, vocabulary: frozenset[str]) -> bool:
    first = first.lower()
    if first in _COMPOUND_PREFIXES or len(first) == 1:
        return False
    if first + second in vocabulary:
        return True
    if len(first) <= 2 or second in vocabulary or _WORD_END.search(first):
        return False
    return _SUFFIX_FRAGMENT.fullmatch(second) is not None


def _join_chinese_lines(text: str) -> str:
    """Join a line to the one before where the break cannot be real; keep every other break.

    A break goes when (a) the next line starts with punctuation that never opens a line (，。、；）》”),
    (b) the next line is a fragment of at most three characters or is itself followed by such punctuation
    (web pages that put linked words on lines of their own: "所作的\n政府工作报告\n。"), or (c) the text is
    hard-wrapped (several lines of one width) and the line before has that full width. Headings, short titles,
    document numbers and dates keep their breaks; so do HTML paragraphs and headings, which are not wrapped.
    """
    lines = text.split("\n")
    width = _wrap_width(lines)
    out = [lines[0]]
    for i, line in enumerate(lines[1:], 1):
        previous = out[-1]
        stripped = line.strip()
        following = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
        ends_han = bool(previous) and _ENDS_HAN.search(previous) is not None
        protected = (_HEADING.match(previous) or _RECORD_LINE.search(previous) or _FIELD_LINE.match(stripped)
                     or (len(previous.strip()) <= _MAX_TITLE_CHARS and _TITLE_END.search(previous)))
        if stripped and _OPENS_WITH_CLOSER.match(stripped) and previous.strip():
            join = True
        elif not stripped or protected:
            join = False
        elif width is not None and len(previous.rstrip()) >= width:
            join = True  # a full-width line of wrapped text runs on, whatever its last character
        elif not ends_han or not _STARTS_HAN.match(stripped):
            join = False
        else:
            join = (len(stripped) <= 3 or bool(following and _OPENS_WITH_CLOSER.match(following))
                    or _LONE_CHAR_CLAUSE.match(stripped) is not None)
        if join:
            out[-1] = previous.rstrip() + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def _wrap_width(lines: list[str]) -> int | None:
    """The width of a hard-wrapped text: a line length shared by at least 5 lines and 30% of long lines."""
    lengths = [len(line.rstrip()) for line in lines if len(line.rstrip()) >= 15]
    if len(lengths) < 5:
        return None
    from collections import Counter

    width, count = Counter(lengths).most_common(1)[0]
    return width if count >= 5 and count >= 0.3 * len(lengths) else None


def fix_line_breaks(text: str) -> str:
    """Rejoin words broken across lines: Chinese text broken mid-sentence and English hyphenation.

    A line break between two Chinese characters goes unless the line before is a heading (``一、``, ``第三条``,
    a short title ending in 报告/条例/意见 ...). For the English hyphenation rule see the comment above
    `_drop_hyphen`: genuine compounds such as "e-government" keep their hyphen. Soft hyphens are removed.

    >>> fix_line_breaks("政府工作报\\n告。in-novation drives innovation; e-govern-\\nment, mobiliza-\\ntion")
    '政府工作报告。innovation drives innovation; e-government, mobilization'
    """
    _check_text(text)
    text = text.replace("\u00ad\n", "").replace("\u00ad", "")
    # Words standing alone elsewhere; a fragment after "-\n" is not one.
    vocabulary = frozenset(w.lower() for w in _STANDALONE_WORD.findall(_HYPHEN_BREAK.sub("-", text)))

    def repair(match: re.Match) -> str:
        first, second = match.group(1), match.group(3)
        return first + ("" if _drop_hyphen(first, second, vocabulary) else "-") + second

    return _join_chinese_lines(_HYPHENATED.sub(repair, text))


# ------------------------------------------------------------------------------------------------ boilerplate
# Each pattern must match a whole line (after stripping spaces and list bullets), so a sentence that merely
# mentions 下载 or 版权所有 is kept. Built from Chinese journal-database, thesis-catalogue and government pages.
_BOILERPLATE_LINES = [
    r"(?:下载PDF|PDF下载|下载全文|全文下载|在线阅读|导出|导出引用|收藏|分享|打印|关闭|折叠|展开|收起|更多|查看更多)",
    r"期刊文献\+?|图书\+|报纸\+",
    r"(?:相关文献|相关作者|相关机构|相关主题|相关论文|相关推荐|浏览历史|段落导航|作者相关文章|相关链接)+",
    r"(?:共引文献|同被引文献|引证文献|二级引证文献|参考文献|二级参考文献|相似文献)\s*[:：]?\s*\d+",
    r"(?:内容)?(?:正在)?加载中[,，]?(?:请稍[等候])?\.*…*",
    r"扫码查看|扫码阅读|扫一扫|扫描二维码.{0,20}|手机扫一扫.{0,20}|手机阅读",
    r"引用本文复制引用|引用本文|复制引用|复制本文链接",
    r"分享到\s*[:：]?.{0,40}",
    r"(?:(?:微信|微博|新浪微博|腾讯微博|QQ空间|QQ|朋友圈|豆瓣|人人网|复制链接)[\s|/、]*)+",
    r"(?:[【\[]?(?:打印本页|关闭窗口|打印|关闭|返回顶部|返回|收藏|纠错|我要纠错|保存|分享)[】\]]?[\s|/]*){1,6}",
    r"(?:使用帮助|返回顶部|意见反馈|网站声明|隐私声明|网站地图|联系我们|关于我们|帮助中心)(?:[\s|/]+"
    r"(?:使用帮助|返回顶部|意见反馈|网站声明|隐私声明|网站地图|联系我们|关于我们|帮助中心))*",
    r"(?:浏览量|浏览次数|阅读量|阅读次数|访问量|访问次数|点击量|点击数|浏览)\s*[:：]?\s*\d+\s*次?",
    r"(?:上一篇|下一篇)(?:[:：\s].*)?",
    r"(?:Copyright\s*)?(?:©\s*)?(?:\d{4}(?:-\d{4})?\s*)?版权所有(?:[\s:：©].*)?",
    r"(?:主办单位|承办单位|运行维护单位|技术支持|网站标识码)\s*[:：].*",
    r".{0,80}(?:ICP备\s*\d+号|公网安备\s*\d+号|网站标识码\s*[:：]?\s*[A-Za-z]*\d+).{0,80}",
    r"(?:您(?:现在)?的位置|当前位置|您当前的位置|当前所在位置)\s*[:：].*",
    r"首页\s*[>＞»/].*",
    r"登录(?:\s*EN)?|注册|登录\s*/\s*注册|添加临时用户",
    r"第\s*\d+\s*页\s*[/,，]?\s*共\s*\d+\s*页|共\s*\d+\s*页\s*第\s*\d+\s*页|[-—–]\s*\d+\s*[-—–]|Page\s+\d+(?:\s+of\s+\d+)?",
    r"Your current location\s*:?.*|Related (?:News|Articles)|Partners|See more\s*>?|Back to top",
    r"[;；|>·•*]+",
]
# Licence notices that Wikisource appends to every page; multi-line, so removed as blocks before the line pass.
_LICENCE_BLOCKS = re.compile(
    r"本作品是中华人民共和国的[\s\S]{0,300}?属于\s*公有领域\s*。?"
    r"|注\s*[:：]\s*中文维基文库社群认为[\s\S]{0,150}?性质的文件\s*。?"
    r"|(?:\n\s*(?:Public domain|false|true)\s*)+$"
)
_WIKISOURCE_FOOTER = re.compile(r"\n[ \t]*本作品(?:来自|是)")


def _cut_wikisource_footer(text: str) -> str:
    """Cut a Wikisource licence footer (本作品来自/本作品是 … 公有领域 … footnotes … Public domain) at the end."""
    matches = list(_WIKISOURCE_FOOTER.finditer(text))
    if not matches:
        return text
    tail = text[matches[0].start():]
    if "公有领域" in tail and len(tail) < 4000 and re.search(r"(?:Public domain|版权失效模板|公有领域)", tail[-400:]):
        return text[:matches[0].start()]
    return text


_BULLET = re.compile(r"^[\s•·●▪■◆\-*]*")
_FONT_SIZE_BAR = re.compile(r"[【\[]\s*字[体號号]\s*[:：]?\s*[大中小\s]+[】\]]|字[体号]\s*[:：]\s*大\s*中\s*小")
_CITED_SUFFIX = re.compile(r"\s*被引量\s*[:：]\s*\d+\s*$")
_MIN_REPEAT_LINES = 2
_MIN_REPEAT_CHARS = 20


def _compile_patterns(extra_patterns: Iterable[str | re.Pattern]) -> re.Pattern:
    if isinstance(extra_patterns, (str, bytes, re.Pattern)):
        raise TypeError("extra_patterns must be a list of regular expressions, not a single one; "
                        "write extra_patterns=[pattern]")
    extra = []
    for pattern in extra_patterns:
        if isinstance(pattern, re.Pattern):
            pattern = pattern.pattern
        if not isinstance(pattern, str):
            raise TypeError(f"extra_patterns items must be str or re.Pattern, got {type(pattern).__name__}")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"extra_patterns: invalid regular expression {pattern!r} ({exc})") from None
        extra.append(pattern)
    return _line_regex(tuple(extra))


@lru_cache(maxsize=32)
def _line_regex(extra: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in (*_BOILERPLATE_LINES, *extra)))


def _drop_repeated_blocks(lines: list[str]) -> list[str]:
    """Remove a later exact copy of a block of 2+ non-blank lines (scraped pages repeat title + journal line)."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    keys = [lines[i].strip() for i in content]
    first_seen: dict[tuple[str, str], int] = {}
    drop: set[int] = set()
    k = 0
    while k < len(keys) - 1:
        pair = (keys[k], keys[k + 1])
        j = first_seen.get(pair)
        if j is not None:
            length = 0
            while k + length < len(keys) and j + length < k and keys[j + length] == keys[k + length]:
                length += 1
            if length >= _MIN_REPEAT_LINES and sum(map(len, keys[k:k + length])) >= _MIN_REPEAT_CHARS:
                drop.update(content[k:k + length])
                k += length
                continue
        first_seen.setdefault(pair, k)
        k += 1
    return [line for i, line in enumerate(lines) if i not in drop]


def remove_boilerplate(text: str, *, extra_patterns: Iterable[str | re.Pattern] = ()) -> str:
    """Drop web boilerplate lines (下载PDF, 导出, 扫码查看, share bars, 浏览量N, footers, breadcrumbs ...).

    A line goes only when a pattern matches the whole line, so sentences containing these words stay.
    `extra_patterns` adds regular expressions, also matched against whole stripped lines. The suffix
    ``被引量:N`` is cut from title lines, ``【字体：大 中 小】`` from any line, and a repeated block of lines
    (a page that prints its title block twice) is kept once.

    >>> remove_boilerplate("数字政府 被引量:24\\n下载PDF\\n导出\\n摘要 本文研究政务服务。")
    '数字政府\\n摘要 本文研究政务服务。'
    """
    _check_text(text)
    line_regex = _compile_patterns(extra_patterns)
    text = _LICENCE_BLOCKS.sub("", _cut_wikisource_footer(text))
    kept = []
    for line in text.split("\n"):
        line, font_bars = _FONT_SIZE_BAR.subn("", line)
        line, cited = _CITED_SUFFIX.subn("", line)
        if font_bars or cited:
            line = line.rstrip()
        body = _BULLET.sub("", line).strip()
        if body and (line_regex.fullmatch(body) or line_regex.fullmatch(line.strip())):
            continue
        if not body and line.strip():  # a bullet with nothing after it
            continue
        kept.append(line)
    return "\n".join(_drop_repeated_blocks(kept))


# -------------------------------------------------------------------------------------------- script & language
@lru_cache(maxsize=1)
def _t2s_converter():
    # A pure cache: building the converter loads its dictionaries once per process; no user-visible state.
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified ones (OpenCC ``t2s``).

    >>> to_simplified("數位政府與電子治理")
    '数位政府与电子治理'
    """
    _check_text(text)
    return _t2s_converter().convert(text) if text else text


_LATIN_WEIGHT = 0.5  # a Latin letter carries about half as much text as a Chinese character
_MIN_SIDE_WEIGHT = 4.0
_SPLIT_PURITY = 0.95


def _char_class(char: str) -> int:
    """1 for Chinese characters, 2 for Latin letters, 0 for digits, punctuation and spaces."""
    code = ord(char)
    if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF:
        return 1
    if ("a" <= char <= "z") or ("A" <= char <= "Z") or (0xC0 <= code <= 0x24F and char.isalpha()):
        return 2
    return 0


def _split_line(line: str) -> list[tuple[str, str]]:
    """Split one line into (language, text) pieces: whole, or at the single best zh|en (or en|zh) boundary."""
    classes = [_char_class(c) for c in line]
    han = [0.0]
    latin = [0.0]
    for cls in classes:
        han.append(han[-1] + (cls == 1))
        latin.append(latin[-1] + _LATIN_WEIGHT * (cls == 2))
    total_han, total_latin = han[-1], latin[-1]
    total = total_han + total_latin
    if total == 0:
        return [("", line)]
    best = (max(total_han, total_latin), 0, "zh" if total_han >= total_latin else "en", None)
    for i in range(1, len(line)):
        # zh then en, and en then zh; ">=" keeps the rightmost split, so trailing punctuation stays left.
        zh_en = han[i] + (total_latin - latin[i])
        en_zh = latin[i] + (total_han - han[i])
        for score, order in ((zh_en, ("zh", "en")), (en_zh, ("en", "zh"))):
            if score >= best[0] and score > max(total_han, total_latin):
                best = (score, i, None, order)
    score, i, whole, order = best
    if order is not None and score >= _SPLIT_PURITY * total:
        left = han[i] if order[0] == "zh" else latin[i]
        right = (total_latin - latin[i]) if order[1] == "en" else (total_han - han[i])
        if left >= _MIN_SIDE_WEIGHT and right >= _MIN_SIDE_WEIGHT:
            return [(order[0], line[:i].strip()), (order[1], line[i:].strip())]
    return [("zh" if total_han >= total_latin else "en", line)]


def split_bilingual(text: str) -> dict[str, str]:
    """Separate the Chinese and English parts of a bilingual text (e.g. an abstract in both languages).

    Each line goes to the language most of its letters belong to; a line holding a Chinese passage followed
    by an English one (or the reverse) is split where the language changes. Lines without letters (numbers,
    punctuation) follow the line before them.

    >>> split_bilingual("数字政府建设。 Digital government building.\\n关键词 数字政府")
    {'zh': '数字政府建设。\\n关键词 数字政府', 'en': 'Digital government building.'}
    """
    _check_text(text)
    parts: dict[str, list[str]] = {"zh": [], "en": []}
    language = "zh"
    for line in text.split("\n"):
        if not line.strip():
            continue
        for piece_language, piece in _split_line(line.strip()):
            language = piece_language or language
            if piece:
                parts[language].append(piece)
    return {key: "\n".join(lines) for key, lines in parts.items()}


# ------------------------------------------------------------------------------------------------ pipelines
class Cleaner:
    """Apply cleaning steps in order; picklable when its steps are (module-level functions, functools.partial).

    >>> Cleaner((normalize_unicode, normalize_whitespace))("ＡＩ\\u3000 政务")
    'AI 政务'
    """

    def __init__(self, steps: Iterable[Callable[[str], str] | str]) -> None:
        self.steps = tuple(_resolve_step(step) for step in steps)

    def __call__(self, text: str) -> str:
        _check_text(text)
        for step in self.steps:
            text = step(text)
        return text

    def __repr__(self) -> str:
        names = ", ".join(getattr(s, "__name__", repr(s)) for s in self.steps)
        return f"Cleaner(({names}))"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cleaner) and self.steps == other.steps

    __hash__ = None  # type: ignore[assignment]


def _resolve_step(step: Callable[[str], str] | str) -> Callable[[str], str]:
    if isinstance(step, str):
        if step not in STEP_NAMES:
            raise ValueError(f"unknown cleaning step {step!r}; choose one of {', '.join(sorted(STEP_NAMES))} "
                             "or pass a function str -> str")
        return STEP_NAMES[step]
    if not callable(step):
        raise TypeError(f"a cleaning step must be a function str -> str or a step name, got {type(step).__name__}")
    return step


def make_cleaner(*steps: Callable[[str], str] | str) -> Cleaner:
    """Compose cleaning steps (functions or their names) into one picklable callable.

    >>> cleaner = make_cleaner("normalize_unicode", to_simplified)
    >>> cleaner("數位政府，ＡＩ")
    '数位政府，AI'
    """
    if not steps:
        raise ValueError("make_cleaner needs at least one step, e.g. make_cleaner(normalize_unicode)")
    return Cleaner(steps)


STEP_NAMES: dict[str, Callable[[str], str]] = {
    f.__name__: f
    for f in (normalize_unicode, normalize_whitespace, fix_line_breaks, remove_boilerplate, to_simplified)
}
DEFAULT_STEPS = (normalize_unicode, remove_boilerplate, fix_line_breaks, normalize_whitespace)


def clean_text(text: str, *, steps: Iterable[Callable[[str], str] | str] = DEFAULT_STEPS) -> str:
    """Clean one text by applying `steps` in order (default: `DEFAULT_STEPS`).

    >>> clean_text("ＡＩ赋能\\u3000政务\\n\\n\\n\\n服务")
    'AI赋能 政务\\n\\n服务'
    """
    _check_text(text)
    if isinstance(steps, str):
        raise TypeError("steps must be a sequence of steps, not one name; write steps=[name]")
    return Cleaner(steps)(text)
