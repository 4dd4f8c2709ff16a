"""Policy diffusion through text reuse: who reuses whose wording, how much of it, how soon, across which levels.

:func:`reuse_pairs` turns the passage table of :func:`policytext.text_reuse` into one row per (source, reuser):
how many passages, how many characters of the later document they cover (overlapping passages counted once) and
what share of it, and the lag between the two. :func:`reuse_graph` makes the same pairs a ``networkx.DiGraph``
(source → reuser) with the documents' metadata on the nodes, ready for GraphML. :func:`diffusion_summary` groups
the pairs by level (national → provincial → municipal), region or any pair column.

The direction of an edge is that of the passage table: ``doc_a`` is the earlier document where both dates (or
years) are known. Where they are not, ``lag_days`` is missing and ``dated`` is False, and the edge says only that
the two documents share wording.

Example:
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["n", "c"], "text": ["甲" * 100, "乙" * 200], "year": [2022, 2024],
    ...                      "level": ["national", "municipal"], "region": [None, "杭州"]})
    >>> reuse = pd.DataFrame({"doc_a": ["n"], "doc_b": ["c"], "start_a": [0], "end_a": [60], "start_b": [10],
    ...                       "end_b": [70], "score": [0.9]})
    >>> reuse_pairs(reuse, docs)[["source", "reuser", "chars", "share", "lag_years"]].values.tolist()
    [['n', 'c', 60, 0.3, 2.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from policytext.documents.citations import DocumentSource, document_table

__all__ = ["PAIR_COLUMNS", "LEVEL_ORDER", "diffusion_summary", "reuse_graph", "reuse_pairs"]

PAIR_COLUMNS = ("source", "reuser", "passages", "chars", "share", "source_chars", "source_share", "mean_score",
                "lag_days", "lag_years", "dated", "level_source", "level_reuser", "region_source", "region_reuser",
                "direction")
LEVEL_ORDER = ("national", "provincial", "municipal")
_NEEDED = ("doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "score")
_NODE_ATTRIBUTES = ("title", "year", "date", "level", "region", "issuer", "doc_number", "doc_type")


def _covered(spans: np.ndarray) -> int:
    """Characters covered by a set of half-open spans, overlaps counted once."""
    spans = spans[np.argsort(spans[:, 0], kind="stable")]
    total, end = 0, -1
    for start, stop in spans.tolist():
        if stop <= end:
            continue
        total += stop - max(start, end)
        end = stop
    return total


def _checked_reuse(reuse: Any) -> pd.DataFrame:
    if not isinstance(reuse, pd.DataFrame):
        raise TypeError(f"reuse must be the DataFrame returned by policytext.text_reuse, not {type(reuse).__name__}")
    missing = [c for c in _NEEDED if c not in reuse.columns]
    if missing:
        raise ValueError(f"reuse lacks column(s) {missing}; pass the table returned by policytext.text_reuse")
    return reuse


def _when(frame: pd.DataFrame) -> pd.Series:
    # A full date where one is given, else 1 July of the year: lags in days stay comparable at year precision.
    dates = pd.to_datetime(frame["date"].astype("string"), errors="coerce", format="mixed")
    years = pd.to_numeric(frame["year"], errors="coerce")
    mid_year = pd.to_datetime(years.astype("Int64").astype("string") + "-07-01", errors="coerce")
    return dates.where(dates.notna() & frame["date"].astype("string").str.len().ge(8), mid_year)


def reuse_pairs(reuse: pd.DataFrame, corpus: DocumentSource | pd.DataFrame) -> pd.DataFrame:
    """One row per (source, reuser) document pair: passages, characters and share of each document covered,
    mean passage score, lag, and both documents' level and region (see the module docstring).

    Example:
        >>> reuse_pairs(pd.DataFrame(columns=list(_NEEDED)), pd.DataFrame({"doc_id": [], "text": []})).empty
        True
    """
    reuse = _checked_reuse(reuse)
    docs = document_table(corpus).set_index("doc_id")
    unknown = sorted((set(reuse["doc_a"]) | set(reuse["doc_b"])) - set(docs.index))
    if unknown:
        raise KeyError(f"reuse names documents that are not in corpus: {unknown[:5]}; pass the corpus the reuse "
                       "table was computed on")
    length = docs["text"].astype(str).str.len()
    when = _when(docs)
    rows = []
    for (a, b), group in reuse.groupby(["doc_a", "doc_b"], sort=True):
        chars_b = _covered(group[["start_b", "end_b"]].to_numpy())
        chars_a = _covered(group[["start_a", "end_a"]].to_numpy())
        lag = when[b] - when[a] if pd.notna(when[a]) and pd.notna(when[b]) else pd.NaT
        lag_days = lag.days if pd.notna(lag) else np.nan
        level_a, level_b = docs.at[a, "level"], docs.at[b, "level"]
        rows.append((a, b, len(group), chars_b, chars_b / max(1, length[b]), chars_a, chars_a / max(1, length[a]),
                     float(group["score"].mean()), lag_days, lag_days / 365.25 if pd.notna(lag_days) else np.nan,
                     pd.notna(lag), level_a, level_b, docs.at[a, "region"], docs.at[b, "region"],
                     f"{level_a} → {level_b}" if pd.notna(level_a) and pd.notna(level_b) else pd.NA))
    out = pd.DataFrame.from_records(rows, columns=list(PAIR_COLUMNS))
    out["lag_years"] = out["lag_years"].round(2)
    return out


def reuse_graph(reuse: pd.DataFrame, corpus: DocumentSource | pd.DataFrame) -> Any:
    """A ``networkx.DiGraph`` source → reuser; nodes carry the corpus metadata, edges the pair columns.

    Every document of ``corpus`` is a node, reused or not, so in- and out-degrees count over the whole corpus.
    Missing values are left off (GraphML has no NA), so ``networkx.write_graphml`` writes it as is.

    Example:
        >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"]})
        >>> g = reuse_graph(pd.DataFrame(columns=list(_NEEDED)), docs)
        >>> (g.number_of_nodes(), g.number_of_edges())
        (2, 0)
    """
    import networkx as nx

    docs = document_table(corpus)
    pairs = reuse_pairs(reuse, docs)
    graph = nx.DiGraph()
    for doc in docs.to_dict("records"):
        attributes = {k: _plain(doc.get(k)) for k in _NODE_ATTRIBUTES}
        graph.add_node(doc["doc_id"], chars=len(doc["text"]), **{k: v for k, v in attributes.items() if v is not None})
    for pair in pairs.to_dict("records"):
        attributes = {k: _plain(v) for k, v in pair.items() if k not in ("source", "reuser")}
        graph.add_edge(pair["source"], pair["reuser"], **{k: v for k, v in attributes.items() if v is not None})
    return graph


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    value = value.item() if hasattr(value, "item") else value
    return value if isinstance(value, (bool, int, float, str)) else str(value)


def diffusion_summary(pairs: pd.DataFrame, by: str | Sequence[str] = "direction") -> pd.DataFrame:
    """The pairs of :func:`reuse_pairs` grouped by ``by`` (e.g. "direction", "source", "region_reuser",
    ["level_source", "level_reuser"]): pairs, distinct sources and reusers, characters reused, median share of
    the reuser and median lag in years (dated pairs only).

    Example:
        >>> pairs = pd.DataFrame({"source": ["n"], "reuser": ["c"], "chars": [60], "share": [0.3],
        ...                       "lag_years": [2.0], "direction": ["national → municipal"]})
        >>> diffusion_summary(pairs)["median_share"].tolist()
        [0.3]
    """
    if not isinstance(pairs, pd.DataFrame) or not {"source", "reuser", "chars", "share"} <= set(pairs.columns):
        raise ValueError("pairs must be the table returned by policytext.reuse_pairs (columns source, reuser, chars, "
                         "share, ...)")
    keys = [by] if isinstance(by, str) else list(by)
    missing = [k for k in keys if k not in pairs.columns]
    if missing:
        raise KeyError(f"diffusion_summary: by={missing[0]!r} is not a column of pairs; choose from "
                       f"{list(pairs.columns)}")
    grouped = pairs.groupby(keys, sort=True, dropna=False)
    out = grouped.agg(pairs=("reuser", "size"), sources=("source", "nunique"), reusers=("reuser", "nunique"),
                      chars=("chars", "sum"), median_share=("share", "median"),
                      median_lag_years=("lag_years", "median"))
    return out.sort_values("chars", ascending=False).reset_index()
