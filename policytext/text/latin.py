"""Rejoining Latin letters and digits that the segmenter cut apart (COVID-19, Wi-Fi, 3.5, Apple, 4GB).

Example:
    >>> join_alnum(["应对", "COVID", "-", "19", "疫情"])
    ['应对', 'COVID-19', '疫情']
"""

from __future__ import annotations

import re

_ASCII_ALNUM = re.compile(r"^[A-Za-z0-9]+$")
_JOINERS = frozenset("-.")
# Where adjacent tokens (joined by NUL) may be rejoined by _join_alnum: alnum + alnum, or alnum + '-'/'.' + alnum,
# found as lookaheads so that overlapping places are all seen. A whole token matches "^[A-Za-z0-9]+$" also with a
# trailing newline, hence the "\n?".
_JOIN_START = re.compile(r"(?=[A-Za-z0-9]\n?\x00[A-Za-z0-9]|[A-Za-z0-9]\x00[-.]\x00[A-Za-z0-9])")


def join_alnum(tokens: list[str], tags: list[str] | None = None) -> list:
    """Rejoin Latin/digit runs that jieba cuts: at '-' or '.' (COVID-19, Wi-Fi, 3.5), and where a dictionary
    word starts a longer Latin word (App + le -> Apple, 4G + B -> 4GB), so a term matches only a whole run.

    Returns ``tokens`` itself when nothing is joined and no tags are given."""
    joined = "\x00".join(tokens)
    if joined.count("\x00") != max(0, len(tokens) - 1):
        return join_loop(tokens, tags)
    # One regex over the joined tokens finds, in C, every token that could start a join (and some that will
    # not, never fewer); the tokens in between are copied as they are.
    out: list[str] = []
    out_tags: list[str] = []
    i = 0  # tokens before i are settled
    counted_to = counted = 0  # separators in joined[:counted_to]
    for m in _JOIN_START.finditer(joined):
        k = counted + joined.count("\x00", counted_to, m.start())
        counted_to, counted = m.start(), k
        if k < i:
            continue
        token, tag, last = _join_at(tokens, tags, k)
        if last == k:
            continue
        out.extend(tokens[i:k])
        out.append(token)
        if tags is not None:
            out_tags.extend(tags[i:k])
            out_tags.append(tag)
        i = last + 1
    if not i:
        return list(zip(tokens, tags)) if tags is not None else tokens
    out.extend(tokens[i:])
    if tags is None:
        return out
    out_tags.extend(tags[i:])
    return list(zip(out, out_tags))


def join_loop(tokens: list[str], tags: list[str] | None = None) -> list:
    """:func:`join_alnum` the plain way, token by token: the reference the shortcut is tested against."""
    out: list[str] = []
    out_tags: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token, tag, i = _join_at(tokens, tags, i)
        out.append(token)
        out_tags.append(tag)
        i += 1
    return list(zip(out, out_tags)) if tags is not None else out


def _join_at(tokens: list[str], tags: list[str] | None, i: int) -> tuple[str, str, int]:
    """The token starting at index ``i`` with what joins onto it, its tag, and the index of its last part."""
    n = len(tokens)
    token = tokens[i]
    tag = tags[i] if tags is not None else ""
    while _ASCII_ALNUM.match(token[-1:] or "-"):
        if i + 2 < n and tokens[i + 1] in _JOINERS and _ASCII_ALNUM.match(tokens[i + 2]):
            token = token + tokens[i + 1] + tokens[i + 2]
            i += 2
        elif i + 1 < n and _ASCII_ALNUM.match(tokens[i + 1]) and _ASCII_ALNUM.match(token):
            token = token + tokens[i + 1]
            i += 1
        else:
            break
        tag = "eng" if tags is not None else ""
    return token, tag, i
