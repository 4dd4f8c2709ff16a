"""Text reuse on Dask: fingerprints per partition, formula n-grams counted over all of them, passages per pair
of partitions.

:func:`text_reuse_dask` runs :func:`policytext.text_reuse` partition-wise and gives the same table:

1. each partition is fingerprinted where it lives, and reports how many of its documents have each n-gram;
2. the counts are summed into the set of formula n-grams (found in more than ``max_df`` documents of the whole
   collection), the one value every partition needs from the others;
3. every pair of partitions (i ≤ j) is one task: the passages between their documents, as table rows with the
   passage texts. Only the two partitions a task compares are in its memory, so the collection never has to fit
   one machine; the result (usually far smaller than the texts) is gathered on the client.

Documents are ordered as the partitions are (partition by partition), which is the order a tie in dates falls
back to, exactly as in the single-machine function. Needs the ``scale`` extra.

Example:
    >>> import dask.dataframe as dd  # doctest: +SKIP
    >>> ddf = dd.from_pandas(corpus.to_frame(), npartitions=8)  # doctest: +SKIP
    >>> text_reuse_dask(ddf).equals(pt.text_reuse(corpus))  # doctest: +SKIP
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from policytext.documents.reuse import (
    ReuseSettings,
    block_task,
    document_frame,
    formula_hashes,
    group_codes,
    hash_counts,
    prepare_documents,
    reuse_frame,
)
from policytext.documents.shingles import fingerprint

try:
    import dask
    import dask.dataframe as dd
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("policytext.scale.reuse needs dask: pip install 'policytext[scale]'") from exc

__all__ = ["text_reuse_dask"]


def _partition_counts(part: pd.DataFrame, settings: ReuseSettings, text_col: str) -> tuple[np.ndarray, np.ndarray]:
    prints = [fingerprint(t, ngram=settings["ngram"], window=settings["window"], seed=settings["seed"])
              for t in document_frame(part, text_col)["text"]]
    return hash_counts(prints)


def _pair_task(left: pd.DataFrame, right: pd.DataFrame | None, stop: np.ndarray, settings: ReuseSettings,
               text_col: str, between: str | None) -> pd.DataFrame:
    frames = [document_frame(left, text_col, between)]
    frames += [document_frame(right, text_col, between)] if right is not None else []
    frame = pd.concat(frames, ignore_index=True)
    prints = prepare_documents(frame, settings, stop=stop)
    rows = block_task(prints, list(range(len(frame))), len(frames[0]), settings, group_codes(frame))
    return reuse_frame(rows, frame)


def text_reuse_dask(ddf: Any, *, min_length: int = 50, ngram: int = 5, threshold: float = 0.5, window: int = 4,
                    max_df: int = 100, drop_boilerplate: bool = False, text_col: str = "text", seed: int = 0,
                    between: str | None = None) -> pd.DataFrame:
    """:func:`policytext.text_reuse` on a ``dask.dataframe`` (doc_id, text and date/year where known), computed on
    the current Dask client, or the local scheduler without one; the same table as the single-machine function.

    Example:
        >>> text_reuse_dask(dd.from_pandas(pd.DataFrame({"doc_id": ["a"], "text": ["数字政府"]}), npartitions=1)).empty
        True
    """
    if not isinstance(ddf, dd.DataFrame):
        raise TypeError(f"ddf must be a dask.dataframe.DataFrame, not {type(ddf).__name__}; for a Corpus, a pandas "
                        "DataFrame or a list of texts use policytext.text_reuse, or wrap a table with "
                        "dask.dataframe.from_pandas(frame, npartitions=...)")
    if text_col not in ddf.columns:
        raise KeyError(f"text_reuse_dask: no text column {text_col!r}; columns are {list(ddf.columns)}")
    settings = ReuseSettings(min_length=min_length, ngram=ngram, threshold=threshold, window=window, max_df=max_df,
                             seed=seed)
    parts = ddf.to_delayed()
    counts = [dask.delayed(_partition_counts)(part, settings, text_col) for part in parts]
    stop = dask.delayed(formula_hashes)(counts, max_df)
    if between is not None and between not in ddf.columns:
        raise KeyError(f"text_reuse_dask: between={between!r} is not a column; columns are {list(ddf.columns)}")
    tasks = [dask.delayed(_pair_task)(parts[i], parts[j] if j != i else None, stop, settings, text_col, between)
             for i in range(len(parts)) for j in range(i, len(parts))]
    tables = [t for t in dask.compute(*tasks) if len(t)]
    if tables:
        result = pd.concat(tables, ignore_index=True)
        result = result.sort_values(["doc_a", "doc_b", "start_a", "start_b", "end_a", "end_b"], ignore_index=True,
                                    kind="stable")
    else:
        result = reuse_frame([], document_frame(pd.DataFrame({"text": []})))
    if drop_boilerplate:
        result = result[~result["boilerplate"]].reset_index(drop=True)
    result.attrs["settings"] = dict(settings, drop_boilerplate=drop_boilerplate, between=between)
    return result
