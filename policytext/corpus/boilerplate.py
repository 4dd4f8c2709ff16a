"""Web boilerplate removal: the lines that journal databases and government sites wrap around a text.

A line goes only when a pattern matches all of it, so a sentence that merely mentions 下载 or 版权所有 stays.
:func:`remove_boilerplate` is one of the cleaning steps of :mod:`policytext.corpus.clean`.

Example:
    >>> remove_boilerplate("数字政府建设\n下载PDF\n分享到：微信")
    '数字政府建设'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from policytext.checks import ensure_text

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
)
# The trailing "Public domain / false / true" lines are cut by _cut_licence_tail: as a regex
# ((?:\n\s*(?:Public domain|false|true)\s*)+$) they took time quadratic in a run of blank lines.
_LICENCE_TAIL = frozenset({"Public domain", "false", "true"})
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


def _cut_licence_tail(text: str) -> str:
    """Cut trailing lines that hold only Public domain/false/true (and blank lines among and before them)."""
    end, cut = len(text), None
    while True:
        at = text.rfind("\n", 0, end)
        if at < 0:
            break
        line = text[at + 1: end].strip()
        if line in _LICENCE_TAIL or (not line and cut is not None):
            cut = at
        elif line:
            break
        end = at
    return text if cut is None else text[:cut]


_BULLET = re.compile(r"^[\s•·●▪■◆\-*]*")
_FONT_SIZE_BAR = re.compile(r"[【\[]\s*字[体號号]\s*[:：]?\s*[大中小\s]+[】\]]|字[体号]\s*[:：]\s*大\s*中\s*小")
# No leading \s*: tried at every position of a run of spaces it made the search quadratic; the line is
# right-stripped after the cut anyway.
_CITED_SUFFIX = re.compile(r"被引量\s*[:：]\s*\d+\s*$")
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
    ensure_text(text)
    line_regex = _compile_patterns(extra_patterns)
    text = _cut_licence_tail(_LICENCE_BLOCKS.sub("", _cut_wikisource_footer(text)))
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
