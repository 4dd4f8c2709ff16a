"""Segmenting many documents in one call: the batch, its separators, and the pieces between them.

:meth:`~policytext.text.tokenize.Tokenizer.tokenize_many` joins documents with :data:`SEP` and cuts them at once;
quoted coinages are set aside the same way. These helpers find the pieces again in the segmenter's token stream
and turn them into each document's output tokens, with the keep/drop decisions memoised in :class:`Decisions`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any

# The segmenter cuts around any character that is neither Chinese, Latin, digit nor space as a token of its own,
# so the cut of documents joined by it is the cuts of the documents with a separator token between them.
SEP = "\x00"


class Decisions(dict):
    """Token (or ``(token, tag)``) -> the token as output, or '' to drop it; decided the first time it is seen.

    A dict, so that looking up every token of a text runs in C; only a new token calls back into Python. It is
    bounded: forgetting decisions only costs time, never changes a result.
    """

    def __init__(self, decide: Callable[[str, str | None], str], limit: int) -> None:
        super().__init__()
        self._decide = decide
        self._limit = limit

    def __missing__(self, item: Any) -> str:
        if len(self) >= self._limit:
            self.clear()
        value = self._decide(*item) if isinstance(item, tuple) else self._decide(item, None)
        self[item] = value
        return value


def batches(documents: list[str], size: int) -> list[list[str]]:
    """``documents`` in consecutive runs of about ``size`` characters."""
    batches: list[list[str]] = [[]]
    chars = 0
    for doc in documents:
        if chars >= size:
            batches.append([])
            chars = 0
        batches[-1].append(doc)
        chars += len(doc)
    return batches


def set_aside(m: re.Match, coinages: list[tuple[int, str]]) -> str:
    """Replace a quoted coinage by the separator, keeping its quote marks; note where it was and what it said."""
    whole = m.group()
    coinages.append((m.start(), whole[1:-1]))
    return whole[0] + SEP + whole[-1]


def separators(stream: list, count: int) -> list[int] | None:
    """Indices of the ``count`` separator tokens in ``stream``, with -1 before and ``len(stream)`` after them, or
    None if the stream does not hold that many."""
    index = stream.index
    bounds = [-1]
    try:
        for _ in range(count):
            bounds.append(index(SEP, bounds[-1] + 1))
    except ValueError:
        return None
    bounds.append(len(stream))
    return bounds


def by_piece(found: list[tuple[int, int, str]], starts: list[int]) -> Iterable[tuple[int, list]]:
    """Term matches of the joined text grouped by the piece they lie in (``starts``: where each next piece starts)."""
    groups: dict[int, list] = {}
    for match in found:
        groups.setdefault(bisect_right(starts, match[0]), []).append(match)
    return groups.items()


def holds(stream: list[str], token: str, lo: int, hi: int) -> bool:
    """Whether ``token`` is among ``stream[lo:hi]`` (searched in place, without copying the slice)."""
    try:
        stream.index(token, lo, hi)
    except ValueError:
        return False
    return True


def with_coinages(stream: list[str], bounds: list[int], fixed: dict[int, list[str]],
                   coinages: list[tuple[int, str]], documents: list[str], get: Callable[[Any], str]) -> list[list[str]]:
    """Output tokens per document when quoted coinages were set aside: the tokens of each piece of a document
    (``stream`` sliced at ``bounds``, or ``fixed``) with its coinages between them, decided by ``get``."""
    starts = list(accumulate(len(d) + 1 for d in documents))
    per_doc = [0] * len(documents)
    for position, _ in coinages:
        per_doc[bisect_right(starts, position)] += 1
    out: list[list[str]] = []
    k = c = 0
    for n in per_doc:
        tokens = fixed[k] if k in fixed else stream[bounds[k] + 1: bounds[k + 1]]
        k += 1
        if n:
            tokens = list(tokens)
            for _ in range(n):
                tokens.append(coinages[c][1])
                tokens.extend(fixed[k] if k in fixed else stream[bounds[k] + 1: bounds[k + 1]])
                c += 1
                k += 1
        out.append(list(filter(None, map(get, tokens))))
    return out
