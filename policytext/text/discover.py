"""New-word discovery: find the coinages and compounds of a corpus that no dictionary knows yet.

The method is the usual one of Chinese NLP (frequency, cohesion, freedom): every run of 2–8 Chinese characters
inside a clause is a candidate; a candidate is a word when it recurs (``freq``), when its parts stick together
more than chance would have them (pointwise mutual information, the minimum over every split point: 一网|通办,
一网通|办 ...), and when it is free at both edges (the entropy of the characters seen just left and just right of
it: a fragment such as 一网通 is always followed by 办 and has right entropy 0). Candidates already in the
lexicon or in jieba's dictionary, candidates that begin or end with a function word, and substrings that almost
always occur inside one longer candidate are left out.

Counting is done with numpy on integer codes: each n-gram is a 64-bit rolling hash of its characters, and
``np.unique`` counts all of them at once for each length, so no per-character Python loop runs; memory grows with
the text, not with the number of distinct n-grams.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from policytext.text.lexicon import lexicon_terms, load_stopwords

DISCOVER_COLUMNS = ("term", "freq", "pmi", "left_entropy", "right_entropy", "score", "n_docs", "example")
# Runs of Chinese characters (CJK unified ideographs and extension A); everything else ends a clause.
_CLAUSE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Function characters that do not begin (_START) or end (_END) a term. Deliberately short: 一, 不, 无, 最, 新, 个
# begin real terms (一网通办, 不见面审批, 无感申办, 最多跑一次, 个人信息) although the stopword list has them, and
# 等, 地, 所 begin or end some (等级保护, 基地, 派出所).
_START = frozenset("的了和与及在对为是将把被以于并或也都又就而其之这那些各每该从向由按让使给已还再更很")
_END = frozenset("的了和与及等在对为是将把被以于并或也都又就而其之这那个些每该从向由按着过得要让使给已还再更很中上下里")
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: n-gram keys are a rolling hash
_EXAMPLE_WIDTH = 12


def discover_terms(
    texts: Iterable[str] | Any,
    *,
    min_length: int = 2,
    max_length: int = 8,
    min_freq: int = 5,
    min_docs: int = 2,
    min_pmi: float = 1.0,
    min_entropy: float = 0.5,
    known: str | Collection[str] | None = "default",
    exclude_jieba: bool = True,
    dominance: float = 0.8,
    seeds: str | Collection[str] | None = None,
    window: int = 30,
    top: int | None = None,
) -> pd.DataFrame:
    """Candidate new terms of a corpus, best first.

    Parameters:
        texts: an iterable of texts (read once, streamed) or a ``Corpus``; a bare ``str`` is refused.
        min_length, max_length: candidate lengths in Chinese characters (2 and 8 by default).
        min_freq, min_docs: least number of occurrences, and of documents containing the candidate.
        min_pmi: least cohesion (natural log): ``min over splits of log p(w) / (p(left) p(right))``.
        min_entropy: least left and right boundary entropy (nats).
        known: words that are not new: ``"default"`` (the bundled lexicon), ``None``, or a collection of terms
            (to hold some lexicon terms out, pass the lexicon without them).
        exclude_jieba: also leave out words of jieba's dictionary.
        dominance: drop a candidate when a longer candidate containing it has at least this share of its
            occurrences (通办 inside 一网通办); 1 keeps every substring.
        seeds: terms of the domain to rank by (``"lexicon"``: the ``known`` terms, or a collection). A corpus
            of work reports coins words on every subject; with seeds, a candidate's score is multiplied by its
            ``domain`` relevance: half the share of its occurrences within ``window`` characters of a seed
            term, half the share of its character pairs that recur in seed terms (数据, 平台, 通办 ...).
        window: characters either side of an occurrence searched for a seed term.
        top: keep only the ``top`` best rows.

    Returns a DataFrame with columns term, freq, pmi, left_entropy, right_entropy, score, n_docs and example (the
    first occurrence with a few characters of context), sorted by score and then by term, so the same texts
    always give the same table (nothing is random). ``score = min(pmi, 10) * min(left_entropy, right_entropy)``
    (times ``domain`` with seeds; the column is then added). Empty input, or input without Chinese text, gives an empty table with these columns.

    Example:
        >>> texts = [f"{a}码上办{b}" for a, b in zip("东南西北中外", "春夏秋冬晨暮")]
        >>> discover_terms(texts, min_freq=3, known=None)[["term", "freq", "n_docs"]].values.tolist()
        [['码上办', 6, 6]]
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be an iterable of documents, not a single str; wrap it in a list: [text]")
    if not (isinstance(min_length, int) and isinstance(max_length, int) and 2 <= min_length <= max_length <= 16):
        raise ValueError(f"min_length and max_length must be ints with 2 <= min_length <= max_length <= 16, not "
                         f"{min_length!r} and {max_length!r}")
    if not 0 < dominance <= 1:
        raise ValueError(f"dominance must be in (0, 1], not {dominance!r}")
    known_words = _known_words(known, exclude_jieba)
    if seeds is not None:
        _seed_terms(known, seeds)  # checked before any work
    documents = texts.texts if hasattr(texts, "texts") and hasattr(texts, "metadata") else texts
    joined, doc_of = _encode(documents)
    if len(joined) <= 1:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("freq", "n_docs") else
                                          "float64" if c not in ("term", "example") else "object")
                             for c in DISCOVER_COLUMNS})
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    near = _near_seeds(joined, known, seeds, window)
    grams = _count_grams(joined, codes, doc_of, max_length, min_freq, near)
    total = float(np.count_nonzero(codes))
    rows = []
    for n in range(min_length, max_length + 1):
        for term, (freq, n_docs, left, right, pos, context) in grams[n].items():
            if n_docs < min_docs or min(left, right) < min_entropy or term in known_words or _edged(term):
                continue
            pmi = min(
                math.log(freq * total / (grams[k][term[:k]][0] * grams[n - k][term[k:]][0])) for k in range(1, n)
            )
            if pmi < min_pmi:
                continue
            example = joined[max(0, pos - _EXAMPLE_WIDTH): pos + n + _EXAMPLE_WIDTH].strip("\n").split("\n")
            rows.append((term, freq, pmi, left, right, n_docs, max(example, key=lambda e: term in e), context))
    frame = pd.DataFrame(rows, columns=["term", "freq", "pmi", "left_entropy", "right_entropy", "n_docs", "example",
                                        "context"])
    frame = _drop_dominated(frame, dominance)
    # No separate frequency factor: an entropy is at most log(freq), so rare candidates cannot score high anyway.
    frame["score"] = frame["pmi"].clip(upper=10.0) * frame[["left_entropy", "right_entropy"]].min(axis=1)
    columns = list(DISCOVER_COLUMNS)
    if near is not None:
        pairs = _seed_pairs(_seed_terms(known, seeds))
        morph = [sum(t[i: i + 2] in pairs for i in range(len(t) - 1)) / (len(t) - 1) for t in frame["term"]]
        frame["domain"] = 0.5 * frame["context"] + 0.5 * np.array(morph, dtype=float)
        frame["score"] *= frame["domain"]
        columns.insert(6, "domain")
    frame = frame.sort_values(["score", "term"], ascending=[False, True], kind="mergesort")
    frame = frame[columns].reset_index(drop=True)
    return frame.head(top).copy() if top is not None else frame


def _encode(documents: Iterable[str]) -> tuple[str, np.ndarray]:
    """All clauses of all documents in one string, each clause framed by '\\n', and each character's document."""
    parts: list[str] = ["\n"]
    sizes: list[int] = [1]
    for i, text in enumerate(documents):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] is {type(text).__name__}, not str")
        clauses = _CLAUSE.findall(text)
        chunk = "\n".join(clauses) + "\n" if clauses else ""
        parts.append(chunk)
        sizes.append(len(chunk))
    doc_of = np.repeat(np.arange(-1, len(sizes) - 1, dtype=np.int64), sizes)
    return "".join(parts), doc_of


def _count_grams(joined: str, codes: np.ndarray, doc_of: np.ndarray, max_length: int, min_freq: int,
                 near: np.ndarray | None) -> dict[int, dict[str, tuple[int, int, float, float, int, float]]]:
    """For each length 1..max_length, the frequent n-grams: term -> (freq, n_docs, left H, right H, first pos,
    share of occurrences near a seed term).

    Substrings of a frequent n-gram are frequent too, so every PMI split of a candidate finds its parts here.
    """
    size = len(codes)
    is_sep = codes == ord("\n")
    seps_before = np.concatenate([[0], np.cumsum(is_sep)])  # separators in codes[:i]
    key = np.zeros(size, dtype=np.uint64)
    out: dict[int, dict[str, tuple[int, int, float, float, int, float]]] = {}
    for n in range(1, max_length + 1):
        if size - n < 2:  # text too short for grams of this length (and a neighbour on each side)
            out[n] = {}
            continue
        with np.errstate(over="ignore"):
            key[: size - n + 1] = key[: size - n + 1] * _MULTIPLIER + codes[n - 1:]
        starts = np.arange(1, size - n)  # position 0 is a separator; the gram must be followed by a character
        starts = starts[seps_before[starts + n] == seps_before[starts]]
        keys = key[starts]
        _, first, inverse, counts = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
        keep = counts >= min_freq
        if not keep.any():
            out[n] = {}
            continue
        sel = np.flatnonzero(keep[inverse])  # occurrences of frequent grams
        group = np.searchsorted(np.flatnonzero(keep), inverse[sel])
        n_groups = int(keep.sum())
        n_docs = _distinct_per_group(group, doc_of[starts[sel]], n_groups)
        left = _entropy(group, codes[starts[sel] - 1], n_groups)
        right = _entropy(group, codes[starts[sel] + n], n_groups)
        positions = starts[first[keep]]
        context = (np.bincount(group, weights=near[starts[sel]], minlength=n_groups) / counts[keep]
                   if near is not None else np.zeros(n_groups))
        out[n] = {joined[p: p + n]: (int(c), int(d), float(le), float(r), int(p), float(x))
                  for p, c, d, le, r, x in zip(positions, counts[keep], n_docs, left, right, context)}
    return out


def _seed_terms(known: str | Collection[str] | None, seeds: str | Collection[str] | None) -> list[str]:
    if isinstance(seeds, str):
        if seeds != "lexicon":
            raise ValueError(f"seeds must be 'lexicon', None or a collection of terms, not {seeds!r}")
        return sorted(_known_words(known, exclude_jieba=False))
    return sorted(set(seeds or ()))


def _seed_pairs(seeds: list[str]) -> frozenset[str]:
    """Character pairs found in at least two seed terms: the domain's morphemes (数据, 平台, 政务, 通办 ...)."""
    counts: dict[str, int] = {}
    for term in seeds:
        for pair in {term[i: i + 2] for i in range(len(term) - 1)}:
            counts[pair] = counts.get(pair, 0) + 1
    return frozenset(p for p, c in counts.items() if c >= 2)


def _near_seeds(joined: str, known: str | Collection[str] | None, seeds: str | Collection[str] | None,
                window: int) -> np.ndarray | None:
    """1.0 at each position of ``joined`` within ``window`` characters of a seed term's occurrence, else 0.0."""
    if seeds is None:
        return None
    from policytext.text.protect import term_pattern

    pattern = term_pattern([t for t in _seed_terms(known, seeds) if len(t) > 1])
    marks = np.zeros(len(joined) + 1, dtype=np.int64)
    if pattern is not None:
        spans = np.array([m.span() for m in pattern.finditer(joined)], dtype=np.int64).reshape(-1, 2)
        np.add.at(marks, np.clip(spans[:, 0] - window, 0, len(joined)), 1)
        np.add.at(marks, np.clip(spans[:, 1] + window, 0, len(joined)), -1)
    return (np.cumsum(marks)[:-1] > 0).astype(float)


def _distinct_per_group(group: np.ndarray, value: np.ndarray, n_groups: int) -> np.ndarray:
    pairs = np.unique(group.astype(np.int64) * (int(value.max()) + 2) + value + 1)
    return np.bincount(pairs // (int(value.max()) + 2), minlength=n_groups)


def _entropy(group: np.ndarray, neighbour: np.ndarray, n_groups: int) -> np.ndarray:
    """Entropy of the neighbouring characters of each group; each clause edge counts as a character of its own."""
    total = np.bincount(group, minlength=n_groups).astype(float)
    edge = neighbour == ord("\n")
    edges = np.bincount(group[edge], minlength=n_groups).astype(float)
    pairs, counts = np.unique(group[~edge].astype(np.uint64) * np.uint64(1 << 32) + neighbour[~edge],
                              return_counts=True)
    owner = (pairs >> np.uint64(32)).astype(np.int64)
    p = counts / total[owner]
    h = np.bincount(owner, weights=-p * np.log(p), minlength=n_groups).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        h += np.where(edges > 0, edges / total * np.log(total), 0.0)
    return h


def _edged(term: str) -> bool:
    if term[0] in _START or term[-1] in _END:
        return True
    starts, ends = _edge_words()
    return any(term[:k] in starts or term[-k:] in ends for k in range(2, min(4, len(term) - 1) + 1))


@lru_cache(maxsize=1)
def _edge_words() -> tuple[frozenset[str], frozenset[str]]:
    # Multi-character function words and policy boilerplate (推进, 加快, 进一步): a candidate that begins with one,
    # or ends with boilerplate, is a phrase around a term. Function words may end a term (最多跑一次).
    policy = {w for w in load_stopwords("policy") if len(w) > 1}
    return frozenset(policy | {w for w in load_stopwords("zh") if len(w) > 1}), frozenset(policy)


def _known_words(known: str | Collection[str] | None, exclude_jieba: bool) -> frozenset[str]:
    if isinstance(known, str):
        if known != "default":
            raise ValueError(f"known must be 'default', None or a collection of terms, not {known!r}")
        words = set(lexicon_terms())
    elif known is None:
        words = set()
    else:
        words = set(known)
    return frozenset(words | _jieba_words()) if exclude_jieba else frozenset(words)


@lru_cache(maxsize=1)
def _jieba_words() -> frozenset[str]:
    import jieba

    path = Path(jieba.get_dict_file().name)
    with open(path, encoding="utf-8") as handle:
        return frozenset(line.split(" ", 1)[0] for line in handle if line.strip())


def _drop_dominated(frame: pd.DataFrame, dominance: float) -> pd.DataFrame:
    """Drop candidates that occur mostly inside one longer candidate (通办 within 一网通办)."""
    if dominance >= 1 or frame.empty:
        return frame
    freq = dict(zip(frame["term"], frame["freq"]))
    best: dict[str, int] = {}
    for term, count in freq.items():
        n = len(term)
        for k in range(2, n):
            for i in range(n - k + 1):
                part = term[i: i + k]
                if part in freq and count > best.get(part, 0):
                    best[part] = count
    dominated = {t for t, c in best.items() if c >= dominance * freq[t]}
    return frame[~frame["term"].isin(dominated)]
