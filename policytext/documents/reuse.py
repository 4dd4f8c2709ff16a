"""Text reuse: the passages two documents share, found even where local adaptation edited the wording.

How a passage is found (:func:`text_reuse`):

1. Every document is reduced to its letters and digits (punctuation and white space dropped, offsets kept) and
   fingerprinted: character n-grams (``ngram``), winnowed to the minimum hash of each ``window`` consecutive
   n-grams (a local MinHash; see :mod:`policytext.documents.shingles`). An n-gram selected in more than
   ``max_df`` documents is a formula (法律责任 clauses, dates of entry into force) and seeds nothing.
2. Candidates: two documents that share fingerprints along one diagonal (offset in b minus offset in a, in
   buckets of :data:`DIAGONAL_BAND` characters, so small insertions such as 国务院 → 市政府 stay together), with no
   gap longer than ``min_length`` between neighbours, at least :data:`MIN_HITS` fingerprints and a span of at
   least 40 % of ``min_length``. The index is an inverted list of fingerprints; documents are processed in blocks,
   so memory is bounded by a block pair, and block pairs run in parallel (``n_jobs``) or on Dask
   (:func:`policytext.scale.reuse.text_reuse_dask`) with the same result.
3. Each candidate region, widened by ``min_length`` on each side, is aligned (edit-distance alignment, then the
   best-scoring local stretch: match +1, mismatch or gap −1). A chain whose middle hit sits in a verbatim run
   covering 90 % of the chain is extended from that run without gaps under the same scoring (most reuse is
   copied verbatim, and this is many times faster than aligning). A passage is reported when both its spans in the
   original texts are at least ``min_length`` characters long and the share of matching aligned characters
   (``score``) is at least ``threshold``. Overlapping passages of one pair keep the longest.

``doc_a`` is the earlier document where dates (or years) of both are known and differ, otherwise the one that
comes first in the input. Offsets are into each document's text exactly as the Corpus holds it.

Example:
    >>> src = "各地区各部门要加快推进全国一体化政务服务平台建设，推动政务服务事项全面实现网上办理，提升办事效率。"
    >>> later = "今年工作安排如下。本市要加快推进全市一体化政务服务平台建设，推动政务服务事项全面实现网上办理，提升办事效率。"
    >>> text_reuse([src, later], min_length=30, n_jobs=1)[["doc_a", "doc_b", "start_b"]].values.tolist()
    [['0', '1', 11]]
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from policytext.documents.citations import DocumentSource
from policytext.documents.shingles import Fingerprints, align, extend_exact, fingerprint

__all__ = ["BOILERPLATE_PATTERNS", "DIAGONAL_BAND", "MIN_HITS", "MIN_SPAN", "REUSE_COLUMNS", "ReuseSettings", "block_pairs",
           "block_task", "blocks", "document_frame", "formula_hashes", "group_codes", "hash_counts",
           "prepare_documents", "reuse_between", "reuse_frame", "text_reuse", "text_reuse_to_parquet"]

REUSE_COLUMNS = ("doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "score", "text_a", "text_b", "boilerplate")
DIAGONAL_BAND = 24
MIN_HITS = 3
# A chain must span this share of min_length (in letters, punctuation dropped) to be aligned. A passage of
# exactly min_length characters with one letter in ten edited leaves chains spanning ~70 % of it (tested on the
# planted set); shorter chains are set phrases (全面贯彻党的二十大精神) that could never reach min_length.
MIN_SPAN = 0.6
# Passages that every rule or regulation carries, flagged in the ``boilerplate`` column and dropped with
# drop_boilerplate=True: liability clauses, entry into force, interpretation, repeal of earlier texts.
BOILERPLATE_PATTERNS = (
    r"法律责任", r"依法(?:给予|追究)", r"构成犯罪的", r"自\S{0,20}起施行", r"同时废止", r"负责解释",
    r"由\S{0,20}(?:依法|按照职责)?\S{0,6}责令(?:改正|限期)",
)
_BOILERPLATE = re.compile("|".join(BOILERPLATE_PATTERNS))
_BLOCK_CHARS = 400_000  # characters per block: units of work small enough to balance over cores, and to keep one
# block pair's candidate table (shared fingerprints) in a few hundred MB even where documents share much text


class ReuseSettings(dict):
    """The options of one :func:`text_reuse` run, checked once (a dict, so it pickles to workers as is)."""

    def __init__(self, *, min_length: int, ngram: int, threshold: float, window: int, max_df: int, seed: int):
        for name, value, low in (("min_length", min_length, 1), ("ngram", ngram, 2), ("window", window, 1),
                                 ("max_df", max_df, 2)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < low:
                raise ValueError(f"{name}={value!r}: must be an integer ≥ {low}")
        if not 0 < float(threshold) <= 1:
            raise ValueError(f"threshold={threshold!r}: must be in (0, 1]; it is the share of matching aligned "
                             "characters (0.5 is permissive, 0.8 strict)")
        if ngram > min_length:
            raise ValueError(f"ngram={ngram} is longer than min_length={min_length}; use an ngram of 3–8 characters")
        super().__init__(min_length=int(min_length), ngram=int(ngram), threshold=float(threshold), window=int(window),
                         max_df=int(max_df), seed=int(seed))


def document_frame(source: Any, text_col: str = "text", between: str | None = None) -> pd.DataFrame:
    """The columns reuse needs (text, doc_id, date, year) from a Corpus, a DataFrame or a list of texts.

    Example:
        >>> document_frame(["甲", "乙"])["doc_id"].tolist()
        ['0', '1']
    """
    if isinstance(source, (str, bytes)):
        raise TypeError(f"source must be a Corpus, a DataFrame or a list of texts, not a single "
                        f"{type(source).__name__}; wrap one text in a list: text_reuse([text_a, text_b])")
    if isinstance(source, pd.DataFrame):
        frame = source
    elif callable(getattr(source, "to_frame", None)) and not isinstance(source, pd.Series):
        frame = source.to_frame()
    else:
        try:
            texts = list(source)
        except TypeError:
            raise TypeError(f"source must be a Corpus, a DataFrame or a list of texts, not "
                            f"{type(source).__name__}") from None
        bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
        if bad:
            raise TypeError(f"source[{bad[0]}] is a {type(texts[bad[0]]).__name__}, not a str; pass texts as str")
        frame = pd.DataFrame({"text": texts})
    if text_col not in frame.columns:
        raise KeyError(f"text_reuse: source has no text column {text_col!r}; columns are {list(frame.columns)}. "
                       "Pass text_col=... naming the column that holds the texts")
    out = pd.DataFrame({"text": frame[text_col].fillna("").astype(str).to_numpy()})
    out["doc_id"] = (frame["doc_id"].astype(str).to_numpy() if "doc_id" in frame.columns
                     else [str(i) for i in frame.index])
    if out["doc_id"].duplicated().any():
        dup = out.loc[out["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise ValueError(f"text_reuse: doc_id {dup!r} occurs more than once; doc_ids must be unique")
    for column in ("date", "year"):
        out[column] = frame[column].to_numpy() if column in frame.columns else pd.NA
    if between is not None:
        if between not in frame.columns:
            raise KeyError(f"text_reuse: between={between!r} is not a column of source; columns are "
                           f"{list(frame.columns)}. Pass a metadata column such as 'level', or None for all pairs")
        out["between"] = frame[between].to_numpy()
    return out


def _time_keys(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Days since the epoch and year of each document (NaN where unknown)."""
    dates = pd.to_datetime(frame["date"].astype("string"), errors="coerce", format="mixed")
    days = ((dates - pd.Timestamp("1970-01-01")).dt.days).to_numpy(dtype=float, na_value=np.nan)
    years = pd.to_numeric(frame["year"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    years = np.where(np.isnan(years), np.floor(days / 365.25) + 1970, years)
    return days, years


def prepare_documents(frame: pd.DataFrame, settings: ReuseSettings, stop: np.ndarray | None = None
                      ) -> list[Fingerprints]:
    """Fingerprints of every text of ``frame`` (columns doc_id, text), without the formula n-grams: those
    selected in more than ``max_df`` of its documents, or the hashes ``stop`` when given (computed over a whole
    collection by :func:`formula_hashes`, as the Dask path does).

    Example:
        >>> s = ReuseSettings(min_length=20, ngram=5, threshold=0.5, window=4, max_df=50, seed=0)
        >>> len(prepare_documents(pd.DataFrame({"doc_id": ["a"], "text": ["数字政府建设"]}), s))
        1
    """
    prints = [fingerprint(t, ngram=settings["ngram"], window=settings["window"], seed=settings["seed"])
              for t in frame["text"]]
    if stop is None:
        stop = formula_hashes([hash_counts(prints)], settings["max_df"])
    if len(stop) and prints:
        # One membership test over all documents, then split back: far cheaper than one per document.
        keep_all = ~np.isin(np.concatenate([p.hashes for p in prints]), stop)
        bounds = np.cumsum([len(p.hashes) for p in prints])[:-1]
        prints = [Fingerprints(p.text, p.offsets, p.hashes[keep], p.positions[keep])
                  for p, keep in zip(prints, np.split(keep_all, bounds))]
    return prints


def hash_counts(prints: list[Fingerprints]) -> tuple[np.ndarray, np.ndarray]:
    """Each selected n-gram hash and the number of documents of ``prints`` that have it."""
    per_doc = [np.unique(p.hashes) for p in prints]
    every = np.concatenate(per_doc) if per_doc else np.empty(0, dtype=np.uint64)
    return np.unique(every, return_counts=True)


def formula_hashes(counts: list[tuple[np.ndarray, np.ndarray]], max_df: int) -> np.ndarray:
    """The hashes found in more than ``max_df`` documents, summing the :func:`hash_counts` of several parts.

    Example:
        >>> formula_hashes([(np.array([1, 2], np.uint64), np.array([3, 1])), (np.array([2], np.uint64), np.array([4]))], 4)
        array([2], dtype=uint64)
    """
    if not counts:
        return np.empty(0, dtype=np.uint64)
    values = np.concatenate([v for v, _ in counts])
    totals = np.concatenate([c for _, c in counts])
    unique, inverse = np.unique(values, return_inverse=True)
    return unique[np.bincount(inverse, weights=totals) > max_df]


def _hits(prints: list[Fingerprints], left: Sequence[int], right: Sequence[int], same: bool,
          groups: np.ndarray | None = None) -> np.ndarray:
    """Shared fingerprints between documents of ``left`` and ``right``: rows (doc a, doc b, pos a, pos b)."""
    def table(ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        sizes = [len(prints[i].hashes) for i in ids]
        return (np.concatenate([prints[i].hashes for i in ids] or [np.empty(0, np.uint64)]),
                np.repeat(np.asarray(ids, dtype=np.int64), sizes),
                np.concatenate([prints[i].positions for i in ids] or [np.empty(0, np.int32)]).astype(np.int64))
    ha, da, pa = table(left)
    hb, db, pb = (ha, da, pa) if same else table(right)
    order = np.argsort(hb, kind="stable")
    hb, db, pb = hb[order], db[order], pb[order]
    lo, hi = np.searchsorted(hb, ha, "left"), np.searchsorted(hb, ha, "right")
    counts = hi - lo
    total = int(counts.sum())
    rows_a = np.repeat(np.arange(len(ha)), counts)
    rows_b = np.repeat(lo, counts) + (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts))
    a, b = da[rows_a], db[rows_b]
    keep = a < b if same else np.ones(total, dtype=bool)
    if groups is not None:  # only pairs from different groups (codes < 0: unknown, compared with all)
        ga, gb = groups[a], groups[b]
        keep &= (ga != gb) | (ga < 0) | (gb < 0)
    out = np.stack([a[keep], b[keep], pa[rows_a][keep], pb[rows_b][keep]], axis=1)
    swap = out[:, 0] > out[:, 1]  # a block pair may meet in either order; keep the lower index first
    out[swap] = out[swap][:, [1, 0, 3, 2]]
    return out


def _clusters(hits: np.ndarray, settings: ReuseSettings) -> list[list[int]]:
    """Chains of hits along one diagonal of one document pair:
    [a, b, pa_min, pa_max, pb_min, pb_max, count, seed_a, seed_b], the seed being the middle hit of the longest
    sub-chain (an exact n-gram match, from which a verbatim passage is extended)."""
    if not len(hits):
        return []
    gap = settings["min_length"]
    band = np.floor_divide(hits[:, 3] - hits[:, 2], DIAGONAL_BAND)
    order = np.lexsort((hits[:, 2], band, hits[:, 1], hits[:, 0]))
    h, band = hits[order], band[order]
    new = np.ones(len(h), dtype=bool)
    new[1:] = ((h[1:, 0] != h[:-1, 0]) | (h[1:, 1] != h[:-1, 1]) | (band[1:] != band[:-1])
               | (h[1:, 2] - h[:-1, 2] > gap))
    starts = np.flatnonzero(new)
    count = np.diff(np.append(starts, len(h)))
    middle = starts + count // 2
    stats = np.stack([h[starts, 0], h[starts, 1], np.minimum.reduceat(h[:, 2], starts),
                      np.maximum.reduceat(h[:, 2], starts), np.minimum.reduceat(h[:, 3], starts),
                      np.maximum.reduceat(h[:, 3], starts), count, h[middle, 2], h[middle, 3]], axis=1)
    stats = stats[stats[:, 6] >= 2]  # a lone shared n-gram is chance; a passage leaves several
    stats = stats[np.lexsort((stats[:, 2], stats[:, 1], stats[:, 0]))]
    if not len(stats):
        return []
    # Join chains that a diagonal-band boundary or a short insertion split: neighbours (in order of their start
    # in a) of one pair that lie within ``gap`` of each other in both documents.
    prev, cur = stats[:-1], stats[1:]
    joined = ((cur[:, 0] == prev[:, 0]) & (cur[:, 1] == prev[:, 1]) & (cur[:, 2] <= prev[:, 3] + gap)
              & (cur[:, 4] <= prev[:, 5] + gap) & (cur[:, 5] >= prev[:, 4] - gap))
    new = np.concatenate(([True], ~joined))
    starts = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    best = np.lexsort((-stats[:, 6], group))  # per group, the sub-chain with most hits first
    seed_rows = best[np.flatnonzero(np.concatenate(([True], group[best][1:] != group[best][:-1])))]
    merged = np.stack([stats[starts, 0], stats[starts, 1], np.minimum.reduceat(stats[:, 2], starts),
                       np.maximum.reduceat(stats[:, 3], starts), np.minimum.reduceat(stats[:, 4], starts),
                       np.maximum.reduceat(stats[:, 5], starts), np.add.reduceat(stats[:, 6], starts),
                       stats[seed_rows, 7], stats[seed_rows, 8]], axis=1)
    span = settings["min_length"] * MIN_SPAN
    keep = ((merged[:, 6] >= MIN_HITS) & (merged[:, 3] - merged[:, 2] + settings["ngram"] >= span)
            & (merged[:, 5] - merged[:, 4] + settings["ngram"] >= span))
    return merged[keep].tolist()


def _exact_run(a: str, b: str, ia: int, ib: int, limit: int) -> tuple[int, int]:
    """How far ``a`` and ``b`` agree character for character before (left) and from (right) ``ia`` / ``ib``."""
    def agree(x: str, y: str) -> int:
        xs = np.frombuffer(x.encode("utf-32-le"), dtype=np.uint32)
        ys = np.frombuffer(y.encode("utf-32-le"), dtype=np.uint32)
        m = min(len(xs), len(ys))
        differ = np.flatnonzero(xs[:m] != ys[:m])
        return int(differ[0]) if len(differ) else m
    right = agree(a[ia:ia + limit], b[ib:ib + limit])
    left = agree(a[max(0, ia - limit):ia][::-1], b[max(0, ib - limit):ib][::-1])
    return left, right


def reuse_between(prints: list[Fingerprints], left: Sequence[int], right: Sequence[int],
                  settings: ReuseSettings, groups: np.ndarray | None = None) -> list[tuple]:
    """Passages shared by a document of ``left`` and one of ``right`` (indices into ``prints``; the same list
    for pairs within one block): tuples (a, b, start_a, end_a, start_b, end_b, score), a < b.

    Example:
        >>> s = ReuseSettings(min_length=20, ngram=5, threshold=0.5, window=4, max_df=50, seed=0)
        >>> t = ["甲" + "推进政务服务标准化规范化便利化建设全面提升政务服务效能", "乙乙" + "推进政务服务标准化规范化便利化建设全面提升政务服务效能"]
        >>> reuse_between(prepare_documents(pd.DataFrame({"doc_id": ["a", "b"], "text": t}), s), [0, 1], [0, 1], s)
        [(0, 1, 1, 28, 2, 29, 1.0)]
    """
    same = list(left) == list(right)
    margin, n = settings["min_length"], settings["ngram"]
    found: list[tuple] = []
    for a, b, pa0, pa1, pb0, pb1, _, sa0, sb0 in _clusters(_hits(prints, left, right, same, groups), settings):
        fa, fb = prints[a], prints[b]
        a0, a1 = max(0, pa0 - margin), min(len(fa.text), pa1 + n + margin)
        b0, b1 = max(0, pb0 - margin), min(len(fb.text), pb1 + n + margin)
        span = pa1 + n - pa0
        run_left, run_right = _exact_run(fa.text, fb.text, sa0, sb0, span + margin)
        if run_left + run_right >= 0.9 * span:
            # A verbatim chain (most reuse): extend its exact run without gaps instead of aligning the region.
            r = extend_exact(fa.text, fb.text, sa0 - run_left, sb0 - run_left, run_left + run_right, margin)
            a0 = b0 = 0
        else:
            r = align(fa.text[a0:a1], fb.text[b0:b1])
        if r.columns == 0 or r.score < settings["threshold"]:
            continue
        sa, ea = int(fa.offsets[a0 + r.start_a]), int(fa.offsets[a0 + r.end_a - 1]) + 1
        sb, eb = int(fb.offsets[b0 + r.start_b]), int(fb.offsets[b0 + r.end_b - 1]) + 1
        if min(ea - sa, eb - sb) >= settings["min_length"]:
            found.append((a, b, sa, ea, sb, eb, round(r.score, 4)))
    return _drop_overlaps(found)


def _drop_overlaps(found: list[tuple]) -> list[tuple]:
    # Two chains of one pair can align to the same passage; keep the longest, then any that overlap it by
    # less than half of their own length on either side.
    kept: list[tuple] = []
    for row in sorted(found, key=lambda r: (r[0], r[1], -(r[3] - r[2]), r[2], r[4])):
        clash = False
        for k in reversed(kept):
            if (k[0], k[1]) != (row[0], row[1]):
                break
            over_a = min(k[3], row[3]) - max(k[2], row[2])
            over_b = min(k[5], row[5]) - max(k[4], row[4])
            if over_a > 0.5 * (row[3] - row[2]) or over_b > 0.5 * (row[5] - row[4]):
                clash = True
                break
        if not clash:
            kept.append(row)
    return kept


def blocks(prints: list[Fingerprints], block_chars: int | None = None) -> list[list[int]]:
    """Consecutive documents grouped into blocks of about ``block_chars`` kept characters (default 400,000).

    Example:
        >>> blocks([fingerprint("数字政府建设"), fingerprint("政务服务")], block_chars=5)
        [[0], [1]]
    """
    block_chars = block_chars or _BLOCK_CHARS
    out: list[list[int]] = [[]]
    size = 0
    for i, p in enumerate(prints):
        if out[-1] and size + len(p.text) > block_chars:
            out.append([])
            size = 0
        out[-1].append(i)
        size += len(p.text)
    return [blk for blk in out if blk]


def block_pairs(count: int) -> list[tuple[int, int]]:
    """Every pair of blocks (i ≤ j) once: the units of work of one run."""
    return list(itertools.combinations_with_replacement(range(count), 2))


def reuse_frame(rows: list[tuple], frame: pd.DataFrame) -> pd.DataFrame:
    """The result table from passage tuples: doc_a the earlier document, sorted, with the passage texts.

    Example:
        >>> reuse_frame([(0, 1, 0, 2, 1, 3, 1.0)], pd.DataFrame({"doc_id": ["a", "b"], "text": ["数字", "的数字"],
        ...                                                        "date": [None, None], "year": [2024, 2022]}))[["doc_a", "text_a"]].values.tolist()
        [['b', '数字']]
    """
    # Columns as arrays, not a list of records: the table of a large collection has millions of rows.
    grid = np.array([r[:6] for r in rows], dtype=np.int64).reshape(-1, 6)
    score = np.array([r[6] for r in rows], dtype=np.float64)
    days, years = _time_keys(frame)
    a, b = grid[:, 0], grid[:, 1]
    both_days = ~np.isnan(days[a]) & ~np.isnan(days[b])
    both_years = ~np.isnan(years[a]) & ~np.isnan(years[b])
    later_first = np.where(both_days, days[b] < days[a], both_years & (years[b] < years[a]))
    grid[later_first] = grid[later_first][:, [1, 0, 4, 5, 2, 3]]
    texts, ids = frame["text"].tolist(), np.asarray(frame["doc_id"].tolist(), dtype=object)
    text_a = [texts[i][s:e] for i, s, e in grid[:, [0, 2, 3]].tolist()]
    text_b = [texts[i][s:e] for i, s, e in grid[:, [1, 4, 5]].tolist()]
    flag = [bool(_BOILERPLATE.search(x) or _BOILERPLATE.search(y)) for x, y in zip(text_a, text_b)]
    out = pd.DataFrame({"doc_a": ids[grid[:, 0]], "doc_b": ids[grid[:, 1]], "start_a": grid[:, 2],
                        "end_a": grid[:, 3], "start_b": grid[:, 4], "end_b": grid[:, 5], "score": score,
                        "text_a": pd.Series(text_a, dtype=object), "text_b": pd.Series(text_b, dtype=object),
                        "boilerplate": np.asarray(flag, dtype=bool)})
    return out.sort_values(["doc_a", "doc_b", "start_a", "start_b", "end_a", "end_b"], ignore_index=True,
                           kind="stable")


def text_reuse(source: DocumentSource | pd.DataFrame | Sequence[str], *, min_length: int = 50, ngram: int = 5,
               threshold: float = 0.5, n_jobs: int = -1, window: int = 4, max_df: int = 100,
               drop_boilerplate: bool = False, text_col: str = "text", seed: int = 0, between: str | None = None
               ) -> pd.DataFrame:
    """Passages reused between documents: one row per passage (see the module docstring for the method).

    Columns: doc_a, doc_b, start_a, end_a, start_b, end_b (character offsets into each text as held), score
    (share of matching aligned characters, punctuation ignored), text_a, text_b, boilerplate (the passage looks
    like a formula clause, see :data:`BOILERPLATE_PATTERNS`; ``drop_boilerplate=True`` leaves these out).
    ``source`` is a Corpus, a DataFrame with a text column (and doc_id, date/year where known) or a list of
    texts (doc_ids "0", "1", ...). ``n_jobs`` processes run the block pairs (-1: all cores). ``between`` names a
    metadata column (e.g. "level"): only documents whose values differ are compared (missing values are compared
    with all), which is faster when only reuse across levels or regions matters. The attrs of the result record
    the settings.

    Example:
        >>> text_reuse(["国务院办公厅关于印发方案的通知", "无关"], n_jobs=1).empty
        True
    """
    settings = ReuseSettings(min_length=min_length, ngram=ngram, threshold=threshold, window=window, max_df=max_df,
                             seed=seed)
    frame = document_frame(source, text_col, between)
    rows = [row for part in _run(frame, settings, n_jobs) for row in part]
    result = reuse_frame(rows, frame)
    if drop_boilerplate:
        result = result[~result["boilerplate"]].reset_index(drop=True)
    result.attrs["settings"] = dict(settings, drop_boilerplate=drop_boilerplate, between=between)
    return result


def _run(frame: pd.DataFrame, settings: ReuseSettings, n_jobs: int) -> Iterator[list[tuple]]:
    """The passages of every block pair, one list per pair as each finishes (in order)."""
    codes = group_codes(frame)
    prints = prepare_documents(frame, settings)
    # Blocks of at least 400,000 characters, and no more than about 20 of them: enough units of work to balance
    # the cores, few enough that sending block pairs to workers stays cheap.
    total = sum(len(p.text) for p in prints)
    groups = blocks(prints, max(_BLOCK_CHARS, total // 20 + 1))
    tasks = block_pairs(len(groups))
    if n_jobs == 1 or len(tasks) == 1:
        for i, j in tasks:
            yield reuse_between(prints, groups[i], groups[j], settings, codes)
        return
    from joblib import Parallel, delayed

    units = [groups[i] if i == j else groups[i] + groups[j] for i, j in tasks]
    yield from Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(block_task)([prints[k] for k in ids], ids, len(groups[i]), settings,
                            None if codes is None else codes[ids]) for ids, (i, j) in zip(units, tasks))


def text_reuse_to_parquet(source: DocumentSource | pd.DataFrame | Sequence[str], path: str | Path, *,
                          min_length: int = 50, ngram: int = 5, threshold: float = 0.5, n_jobs: int = -1,
                          window: int = 4, max_df: int = 100, drop_boilerplate: bool = False, text_col: str = "text",
                          seed: int = 0, between: str | None = None) -> int:
    """:func:`text_reuse` written to a Parquet file block pair by block pair, for collections whose passage
    table does not fit in memory; returns the number of passages. Rows are sorted within each block pair, not
    across the file (sort when reading, e.g. with Dask or DuckDB). Written beside ``path`` and renamed into place.

    Example:
        >>> import tempfile
        >>> text_reuse_to_parquet(["数字政府", "政务服务"], Path(tempfile.mkdtemp()) / "reuse.parquet", n_jobs=1)
        0
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    settings = ReuseSettings(min_length=min_length, ngram=ngram, threshold=threshold, window=window, max_df=max_df,
                             seed=seed)
    frame = document_frame(source, text_col, between)
    target = Path(path)
    tmp = target.with_name(f".{target.name}.partial")
    kinds = {"doc_a": pa.string(), "doc_b": pa.string(), "score": pa.float64(), "text_a": pa.string(),
             "text_b": pa.string(), "boilerplate": pa.bool_()}
    schema = pa.schema([(c, kinds.get(c, pa.int64())) for c in REUSE_COLUMNS])
    written = 0
    try:
        with pq.ParquetWriter(tmp, schema) as writer:
            for part in _run(frame, settings, n_jobs):
                table = reuse_frame(part, frame)
                if drop_boilerplate:
                    table = table[~table["boilerplate"]]
                if len(table):
                    writer.write_table(pa.Table.from_pandas(table, schema=schema, preserve_index=False))
                    written += len(table)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return written


def group_codes(frame: pd.DataFrame) -> np.ndarray | None:
    """Integer codes of the ``between`` column of a :func:`document_frame` (-1 where missing), or None.

    Example:
        >>> group_codes(pd.DataFrame({"between": ["national", None, "national"]})).tolist()
        [0, -1, 0]
    """
    if "between" not in frame.columns:
        return None
    return pd.factorize(frame["between"], use_na_sentinel=True)[0].astype(np.int64)


def block_task(local: list[Fingerprints], ids: list[int], split: int, settings: ReuseSettings,
               groups: np.ndarray | None = None) -> list[tuple]:
    """One unit of work, run where it is sent: the passages between the documents ``local[:split]`` and
    ``local[split:]`` (or among ``local`` when ``split`` covers them all), with ``ids`` their indices in the
    whole input, to which the rows are mapped back.

    Example:
        >>> block_task([], [], 0, ReuseSettings(min_length=20, ngram=5, threshold=0.5, window=4, max_df=50, seed=0))
        []
    """
    left = list(range(split))
    right = left if split == len(local) else list(range(split, len(local)))
    rows = reuse_between(local, left, right, settings, groups)
    return [(ids[a], ids[b], *rest) for a, b, *rest in rows]
