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

from policytext.checks import ensure_text
from policytext.corpus.boilerplate import remove_boilerplate

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
    ensure_text(text)
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
    ensure_text(text)
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
    ensure_text(text)
    text = text.replace("\u00ad\n", "").replace("\u00ad", "")
    # Words standing alone elsewhere; a fragment after "-\n" is not one.
    vocabulary = frozenset(w.lower() for w in _STANDALONE_WORD.findall(_HYPHEN_BREAK.sub("-", text)))

    def repair(match: re.Match) -> str:
        first, second = match.group(1), match.group(3)
        return first + ("" if _drop_hyphen(first, second, vocabulary) else "-") + second

    return _join_chinese_lines(_HYPHENATED.sub(repair, text))


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
    ensure_text(text)
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
    ensure_text(text)
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
        ensure_text(text)
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
    ensure_text(text)
    if isinstance(steps, str):
        raise TypeError("steps must be a sequence of steps, not one name; write steps=[name]")
    return Cleaner(steps)(text)
