"""Draw coder 2's round-2 subsample (80 segments) reproducibly and print the texts for coding.

The ``stratum`` column is used only to select round-2 rows; it is never printed, because it hints at
target labels and the second coder must stay independent of them.

Usage: python corpora/annotations/coder2_round2_sample.py [batch]   (batch 1..4 of 20; all when omitted)
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd

os.environ.setdefault("POLICYTEXT_DATA", "/work/shared/corpora")

import policytext as pt  # noqa: E402  (the data home must be set first)

HERE = Path(__file__).resolve().parent
SEED = 20261125
N = 80
BATCH = 20


def draw_sample() -> pd.DataFrame:
    """The 80 round-2 segments for coder 2, in sample order (columns without ``stratum``)."""
    segments = pd.read_csv(HERE / "segments.csv", dtype=str, keep_default_na=False)
    round2 = segments[segments["stratum"].str.startswith("round2")].sort_values("segment_id")
    sample = round2.sample(n=N, random_state=SEED)
    return sample.drop(columns=["stratum"]).reset_index(drop=True)


def main(argv: list[str]) -> None:
    sample = draw_sample()
    seg = pt.load_corpus("policy", clean=False).segments("paragraph").set_index("segment_id")
    batches = [int(argv[1])] if len(argv) > 1 else range(1, N // BATCH + 1)
    for b in batches:
        part = sample.iloc[(b - 1) * BATCH : b * BATCH]
        print(f"===== batch {b} =====")
        for i, row in part.iterrows():
            text = seg.loc[row["segment_id"], "text"]
            print(f"--- [{i + 1}] {row['segment_id']} | doc={row['doc_id']} | year={row['year']} | "
                  f"doc_type={row['doc_type']}")
            print(text)
            print()


if __name__ == "__main__":
    main(sys.argv)
