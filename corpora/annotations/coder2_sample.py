"""Draw the second coder's subsample of annotation segments (reproducible).

Run from the repository root:  /work/venv/bin/python corpora/annotations/coder2_sample.py
Prints the 170 sampled segment ids, one per line, in sampled order.
"""
from pathlib import Path

import pandas as pd

SEGMENTS = Path(__file__).with_name("segments.csv")
N = 170
SEED = 20261124


def draw_sample(path: Path = SEGMENTS) -> pd.DataFrame:
    """Return the coder-2 subsample: sort by segment_id, then sample(n=170, random_state=20261124)."""
    segments = pd.read_csv(path, dtype=str)
    # Sorting first makes the draw independent of the row order in segments.csv.
    segments = segments.sort_values("segment_id").reset_index(drop=True)
    return segments.sample(n=N, random_state=SEED)


if __name__ == "__main__":
    for sid in draw_sample()["segment_id"]:
        print(sid)
