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
    return repair_term_matches(text, words, [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)], cut)


def repair_term_matches(text: str, words: list, found: list[tuple[int, int, str]], cut: Callable[[str], list]) -> list:
    """:func:`repair_split_terms` with the term occurrences already found: ``found`` holds ``(start, end, term)``
    of every non-overlapping match of the term pattern in ``text``, in order (as :meth:`TermFinder.find` gives).

    Example:
        >>> repair_term_matches("中小企业上云", ["中小企业", "上", "云"], [(2, 6, "企业上云")], lambda s: [s])
        ['中小', '企业上云']
    """
    pairs = bool(words) and isinstance(words[0], tuple)
    tokens = [w[0] for w in words] if pairs else words
    present = set(tokens)
    matches = [m for m in found if m[2] not in present]
    if not matches:
        return words
    ends = list(accumulate(map(len, tokens)))
    if not ends or ends[-1] != len(text):
        return words  # the segmenter dropped or changed characters (whitespace): positions cannot be trusted
    starts = [e - len(t) for e, t in zip(ends, tokens)]
    out: list = []
    done = 0  # tokens before this index are settled
    for m_start, m_end, term in matches:
        first = _index_at(ends, m_start)
        last = _index_at(ends, m_end - 1)
        if first < done or first == last:
            continue
        inside = [tokens[i] for i in range(first, last + 1) if starts[i] >= m_start and ends[i] <= m_end]
        if not inside or any(len(t) > 1 for t in inside):
            continue  # no debris, or a real word lies inside the term: leave the segmenter's reading
        head = cut(text[starts[first]: m_start]) if starts[first] < m_start else []
        tail = cut(text[m_end: ends[last]]) if m_end < ends[last] else []
        if any(len(w[0] if pairs else w) < 2 for w in head + tail):
            continue  # the neighbour would fall apart instead (大|数据赋能 stays: 数据赋能 is a term too)
        out.extend(words[done:first])
        out.extend(head)
        out.append((term, "nz") if pairs else term)
        out.extend(tail)
        done = last + 1
    if not done:
        return words
    out.extend(words[done:])
    return out


class TermFinder:
    """Finds the occurrences of many terms in a long text, as ``term_pattern(terms).finditer`` would, but fast.

    Scanning with the trie regex costs a fresh match attempt at every character that can start a term (a third of
    Chinese policy text), while real occurrences are rare. Here numpy walks the trie for all positions at once on
    the text's code points, and the regex is tried only where some term really starts; taken left to right and
    skipping positions inside the previous match, that gives exactly the matches of ``finditer``.

    Example:
        >>> TermFinder(["一网通办", "一网统管", "数据"]).find("推进一网通办和数据共享")
        [(2, 6, '一网通办'), (7, 9, '数据')]
    """

    def __init__(self, terms: Collection[str]) -> None:
        import numpy as np

        terms = sorted({t for t in terms if len(t) > 1})
        if not terms:
            raise ValueError("TermFinder needs terms of two or more characters")
        self.pattern = term_pattern(terms)
        chars = sorted({c for t in terms for c in t})
        ids = {c: i + 1 for i, c in enumerate(chars)}  # 0: a character found in no term
        self._width = width = len(chars) + 1
        self._ids = np.zeros(0x110000, dtype=np.uint16 if width < 2**16 else np.uint32)
        self._ids[[ord(c) for c in chars]] = np.arange(1, width)
        # Trie nodes: the first two characters index a dense table; deeper steps are sorted (node, char) keys.
        nodes: dict[str, int] = {}
        for term in terms:
            for depth in range(2, len(term) + 1):
                nodes.setdefault(term[:depth], len(nodes))
        self._terminal = np.zeros(len(nodes), dtype=bool)
        self._terminal[[nodes[t] for t in terms]] = True
        self._pairs = np.full(width * width, -1, dtype=np.int32)
        steps = {}
        for prefix, node in nodes.items():
            if len(prefix) == 2:
                self._pairs[ids[prefix[0]] * width + ids[prefix[1]]] = node
            else:
                steps[nodes[prefix[:-1]] * width + ids[prefix[-1]]] = node
        keys = sorted(steps)
        self._keys = np.array(keys, dtype=np.int64)
        self._children = np.array([steps[k] for k in keys], dtype=np.int32)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, term)`` of each match of :attr:`pattern` in ``text``, as ``pattern.finditer`` gives."""
        import numpy as np

        ids = self._ids[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)]
        if len(ids) < 2:
            return []
        width = self._width
        key = ids[:-1].astype(np.int32)
        key *= width
        key += ids[1:]
        node = self._pairs[key]
        pos = np.flatnonzero(node >= 0)
        node = node[pos]
        starts = []
        depth = 2
        while pos.size:
            ends_here = self._terminal[node]
            starts.append(pos[ends_here])
            pos, node = pos[~ends_here], node[~ends_here]
            pos, node = pos[pos + depth < len(ids)], node[pos + depth < len(ids)]
            if not pos.size or not self._keys.size:
                break
            key = node.astype(np.int64) * width + ids[pos + depth]
            at = np.minimum(np.searchsorted(self._keys, key), len(self._keys) - 1)
            known = self._keys[at] == key
            pos, node = pos[known], self._children[at[known]]
            depth += 1
        found: list[tuple[int, int, str]] = []
        if not starts:
            return found
        match = self.pattern.match
        last = 0
        for start in np.unique(np.concatenate(starts)).tolist():
            if start >= last:
                m = match(text, start)
                found.append((start, m.end(), m.group()))
                last = m.end()
        return found


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
