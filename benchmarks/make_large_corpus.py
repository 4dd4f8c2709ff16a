"""Build a large segment table by resampling the paragraphs of the shared policy corpus.

    POLICYTEXT_DATA=../shared/corpora python benchmarks/make_large_corpus.py --segments 100k [--out FILE]

Each synthetic document takes one real document of the registered ``policy`` corpus as its model: it carries
that document's year and level and draws 5–40 of its paragraphs with replacement (in their reading order).
Documents are added until the table has exactly N segments. Output: one Parquet file (row groups of 10,000 rows)
with doc_id, segment_id, position, text, year, level and source_segment_id. The same seed gives the same file.
The texts come from the data home and the file is written outside the repository (default: the system's
temporary folder), because corpus text is never committed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import policytext as pt

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "1M": 1_000_000}
DTYPES = {"doc_id": "string", "segment_id": "string", "position": "int64", "text": "string", "year": "Int64",
          "level": "string", "source_segment_id": "string"}
COLUMNS = list(DTYPES)


def parse_size(value: str) -> int:
    if value in SIZES:
        return SIZES[value]
    try:
        n = int(value.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--segments must be one of {sorted(SIZES)} or an int, not {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"--segments must be positive, not {n}")
    return n


def build(n_segments: int, out: Path, *, seed: int = 0, row_group: int = 10_000) -> Path:
    """Write ``n_segments`` resampled paragraphs to ``out`` in bounded memory; returns ``out``."""
    pool = pt.load_corpus("policy").segments("paragraph")
    models = [(g["text"].tolist(), g["segment_id"].tolist(), g["year"].iloc[0], g["level"].iloc[0])
              for _, g in pool.groupby("doc_id", sort=True)]
    weights = np.array([len(m[0]) for m in models], dtype=float)
    weights /= weights.sum()
    rng = np.random.default_rng(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    written, doc = 0, 0
    rows: dict[str, list] = {name: [] for name in COLUMNS}
    writer = None
    try:
        while written < n_segments:
            texts, ids, year, level = models[rng.choice(len(models), p=weights)]
            k = min(int(rng.integers(5, 41)), n_segments - written)
            doc_id = f"syn{doc:07d}"
            for position, i in enumerate(np.sort(rng.integers(0, len(texts), size=k)).tolist()):
                rows["doc_id"].append(doc_id)
                rows["segment_id"].append(f"{doc_id}::p{position}")
                rows["position"].append(position)
                rows["text"].append(texts[i])
                rows["year"].append(year)
                rows["level"].append(level)
                rows["source_segment_id"].append(ids[i])
            written += k
            doc += 1
            while len(rows["doc_id"]) >= row_group or (written >= n_segments and rows["doc_id"]):
                # Whole row groups (the last may be shorter); through pandas, so the file records year as Int64.
                head = pd.DataFrame({k: v[:row_group] for k, v in rows.items()}).astype(DTYPES)
                rows = {k: v[row_group:] for k, v in rows.items()}
                table = pa.Table.from_pandas(head, preserve_index=False)
                writer = writer or pq.ParquetWriter(tmp, table.schema)
                writer.write_table(table, row_group_size=row_group)
    finally:
        if writer is not None:
            writer.close()
    tmp.replace(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=parse_size, default="10k", help="10k, 100k, 1M or a number")
    parser.add_argument("--out", type=Path, default=None, help="output .parquet (default: temp folder)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--row-group", type=int, default=10_000, help="rows per Parquet row group")
    args = parser.parse_args()
    out = args.out or Path(tempfile.gettempdir()) / "policytext-bench" / f"segments-{args.segments}.parquet"
    start = time.perf_counter()
    build(args.segments, out, seed=args.seed, row_group=args.row_group)
    meta = pq.ParquetFile(out).metadata
    print(f"{out}: {meta.num_rows} segments, {meta.num_row_groups} row groups, "
          f"{out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
