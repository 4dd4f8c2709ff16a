"""Uncertainty for shares: bootstrap intervals over segments."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def bootstrap_means(
    frame: pd.DataFrame,
    columns: Sequence[str],
    by: str,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    weight: str | None = None,
) -> pd.DataFrame:
    """Mean of each column per group of ``by``, with a percentile bootstrap interval over rows.

    Rows are the resampled units (segments), so the interval reflects how much a group's share rests on few
    segments. Returns long format: ``by``, column, share, lower, upper, n (rows in the group). Rows with a
    missing ``by`` are left out.

    ``weight`` names a column of non-negative row weights, e.g. policy strength for strength-weighted label shares
    (merge ``policytext.policy_strength(corpus)[["doc_id", "strength"]]`` into the segment table on doc_id): each
    share is then Σ weight × value / Σ weight, resampled the same way; rows without a weight are left out and n
    counts the rows used.

    Example:
        >>> f = pd.DataFrame({"year": [2014, 2014, 2015], "GM1": [1.0, 0.0, 1.0]})
        >>> bootstrap_means(f, ["GM1"], "year", n_boot=200)[["year", "share", "n"]].values.tolist()
        [[2014, 0.5, 2], [2015, 1.0, 1]]
    """
    if by not in frame.columns:
        raise KeyError(f"no column {by!r} to group by; columns are {list(frame.columns)}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"columns {missing} are not in the table; columns are {list(frame.columns)}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), not {level!r}")
    if weight is not None:
        if weight not in frame.columns:
            raise KeyError(f"weight={weight!r} is not a column; columns are {list(frame.columns)}")
        frame = frame.assign(**{weight: pd.to_numeric(frame[weight], errors="coerce")}).dropna(subset=[weight])
        if (frame[weight] < 0).any():
            raise ValueError(f"weight column {weight!r} has negative values; weights must be ≥ 0")
    rng = np.random.default_rng(seed)
    tail = (1 - level) / 2
    rows = []
    for value, group in frame.dropna(subset=[by]).groupby(by, sort=True):
        values = group[list(columns)].to_numpy(dtype=float)
        w = group[weight].to_numpy(dtype=float) if weight is not None else np.ones(len(values))
        n = len(values)
        # Resampling as multinomial weights: n_boot × n counts instead of n_boot copies of the rows.
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot) * w
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = (counts @ values) / counts.sum(axis=1, keepdims=True)
            means = (w @ values) / w.sum()
        lower, upper = np.nanquantile(boot, [tail, 1 - tail], axis=0)
        rows += [(value, c, means[i], lower[i], upper[i], n) for i, c in enumerate(columns)]
    out = pd.DataFrame(rows, columns=[by, "column", "share", "lower", "upper", "n"])
    out.attrs.update(level=level, n_boot=n_boot, seed=seed)
    return out
