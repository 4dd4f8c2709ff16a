"""Keeping terms whole after segmentation: lexicon terms split in context, and short quoted coinages.

The :class:`~policytext.text.tokenize.Tokenizer` adds its lexicon to jieba with jieba's suggested frequency,
which is just enough for a term to beat its own split when it stands alone. In context a neighbouring word can
take the term's first or last character (中小企业|上|云 in 中小企业上云 for 企业上云, 大|数据赋能 for 大数据), and
the characters left over come out one by one; most are stopwords (上, 有, 必, 应), so stopword removal leaves a
fragment (云, 诉) or nothing of the term. :func:`repair_split_terms` puts such terms back together: where the part
of a term not shared with a neighbour came out as single characters only, the term is cut out whole and the
neighbour's remainder is segmented again, provided that remainder does not fall apart into single characters in
turn. A term overlapped by real words (信用|信息系统 for 信用信息, 诚信|创新 for 信创) is left alone, so ordinary
words are never broken up to make room for a lexicon entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from itertools import accumulate

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# A short quoted coinage: 2–8 Chinese characters between matching quotes. Quotes are consumed, so straight
# quotes pair up left to right and the text between two quotations is never mistaken for one.
QUOTED = re.compile(f"“([{_CJK}]{{2,8}})”|「([{_CJK}]{{2,8}})」|‘([{_CJK}]{{2,8}})’|\"([{_CJK}]{{2,8}})\"")


def term_pattern(terms: Collection[str]) -> re.Pattern | None:
    """One regex matching any of ``terms``, longest first, built as a character trie so that it runs fast.

    A flat alternation of a thousand words tries each at every position; the trie tries one branch per character.

    Example:
        >>> term_pattern(["一网通办", "一网统管", "数据"]).findall("推进一网通办和数据共享")
        ['一网通办', '数据']
    """
    trie: dict = {}
    for term in terms:
        if term:
            node = trie
            for char in term:
                node = node.setdefault(char, {})
            node[""] = True
    return re.compile(_trie_regex(trie)) if trie else None


def _trie_regex(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Longest match first: try the longer branches, then stop here if a term ends at this node.
    return f"(?:{body})?" if ends else body


def repair_split_terms(text: str, words: list, pattern: re.Pattern, cut: Callable[[str], list]) -> list:
    """``words`` (tokens, or ``(token, tag)`` pairs) of ``text`` with split terms put back together.

    ``pattern`` matches the terms to keep whole; ``cut`` segments a piece of text the way ``words`` was made.
    Only occurrences whose inner part came out as single characters are repaired (see the module docstring).

    Example:
        >>> import re
        >>> repair_split_terms("中小企业上云", ["中小企业", "上", "云"], re.compile("企业上云"), lambda s: [s])
        ['中小', '企业上云']
    """
    pairs = bool(words) and isinstance(words[0], tuple)
    tokens = [w[0] for w in words] if pairs else words
    present = set(tokens)
    matches = [m for m in pattern.finditer(text) if m.group() not in present]
    if not matches:
        return words
    ends = list(accumulate(map(len, tokens)))
    if not ends or ends[-1] != len(text):
        return words  # the segmenter dropped or changed characters (whitespace): positions cannot be trusted
    starts = [e - len(t) for e, t in zip(ends, tokens)]
    out: list = []
    done = 0  # tokens before this index are settled
    for m in matches:
        first = _index_at(ends, m.start())
        last = _index_at(ends, m.end() - 1)
        if first < done or first == last:
            continue
        inside = [tokens[i] for i in range(first, last + 1) if starts[i] >= m.start() and ends[i] <= m.end()]
        if not inside or any(len(t) > 1 for t in inside):
            continue  # no debris, or a real word lies inside the term: leave the segmenter's reading
        head = cut(text[starts[first]: m.start()]) if starts[first] < m.start() else []
        tail = cut(text[m.end(): ends[last]]) if m.end() < ends[last] else []
        if any(len(w[0] if pairs else w) < 2 for w in head + tail):
            continue  # the neighbour would fall apart instead (大|数据赋能 stays: 数据赋能 is a term too)
        out.extend(words[done:first])
        out.extend(head)
        out.append((m.group(), "nz") if pairs else m.group())
        out.extend(tail)
        done = last + 1
    if not done:
        return words
    out.extend(words[done:])
    return out


def _index_at(ends: list[int], position: int) -> int:
    """Index of the token holding character ``position``."""
    from bisect import bisect_right

    return bisect_right(ends, position)


def split_quoted(text: str) -> list[tuple[str, bool]]:
    """``text`` as pieces ``(piece, is_quoted_coinage)``; quote marks stay in the surrounding pieces.

    Example:
        >>> split_quoted("推行“民意速办”改革")
        [('推行“', False), ('民意速办', True), ('”改革', False)]
    """
    pieces: list[tuple[str, bool]] = []
    at = 0
    for m in QUOTED.finditer(text):
        group = next(i for i in range(1, 5) if m.group(i) is not None)
        start, end = m.span(group)
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((m.group(group), True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
