"""Text reuse: time and peak memory on the shared policy folder and on 10,000 generated documents, the same
table on a Dask LocalCluster, and the plain all-pairs alignment it replaces, measured on a sample.

    POLICYTEXT_DATA=../shared/corpora python benchmarks/reuse_benchmark.py                 # every part
    POLICYTEXT_DATA=../shared/corpora python benchmarks/reuse_benchmark.py --parts shared baseline

Parts:
- ``shared``: all pairs of the registered corpora policy-v2 + national-2023-2025 + city-gwr-2024 (the shared policy
  folder): its 203 files, then with its two collection files expanded to one document per report or document (351),
  ``text_reuse(n_jobs=--jobs)``.
- ``large``: ``--docs`` documents from ``benchmarks/make_large_corpus.py`` (paragraphs of the policy corpus
  resampled; each paragraph appears in about a dozen documents, so reuse is everywhere), joined per document, with
  ``text_reuse_to_parquet`` (the passages streamed to a Parquet file; peak memory includes reading back two of
  its columns to count them).
- ``dask``: ``text_reuse_dask`` on a LocalCluster of ``--jobs`` worker processes (one thread each) against
  ``text_reuse`` on the shared folder (``--dask-large`` also on the generated documents): equal or not.
- ``baseline``: a plain all-pairs alignment (every document pair aligned in full with edlib, the best local stretch
  kept: no candidates) on ``--sample`` documents of the shared folder, timed, extrapolated to all pairs, and
  compared with ``text_reuse`` on the same sample.

``cpu_s`` is the CPU time of this process and its workers: on a machine shared with other work the wall time
(``seconds``) stretches, and ``cpu_s`` divided by the cores used is what the run would take alone. Peak memory is
the largest sum of resident memory over this process and its children (worker processes), sampled
every 0.2 s. Figures are printed and appended as JSON lines to ``--json``, never asserted. Machines shared with
other work vary: repeat (``--repeat``) and read medians.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import edlib
import numpy as np
import pandas as pd
import psutil

import policytext as pt

SHARED = ("policy-v2", "national-2023-2025", "city-gwr-2024")


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its live children (worker processes), and of reaped ones."""
    me = psutil.Process()
    total = sum(me.cpu_times()[:4])  # user, system, children_user, children_system
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.Error:
            pass
    return total


class PeakMemory:
    """Largest summed RSS of this process and its children while the block runs (sampled)."""

    def __enter__(self) -> "PeakMemory":
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                total = me.memory_info().rss + sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                total = 0
            self.peak = max(self.peak, total)
            time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def shared_frame() -> pd.DataFrame:
    frame = pd.concat([pt.load_corpus(name).to_frame() for name in SHARED], ignore_index=True)
    return frame.drop_duplicates("doc_id").reset_index(drop=True)


def large_frame(docs: int) -> pd.DataFrame:
    out = Path(tempfile.gettempdir()) / "policytext-bench" / f"reuse-docs-{docs}.parquet"
    if not out.exists():
        # About 22.5 paragraphs per generated document: ask for enough segments, keep the first ``docs``.
        script = Path(__file__).with_name("make_large_corpus.py")
        subprocess.run([sys.executable, str(script), "--segments", str(int(docs * 23.5)), "--out", str(out)], check=True)
    segments = pd.read_parquet(out)
    frame = (segments.groupby("doc_id", sort=True)
             .agg(text=("text", "\n".join), year=("year", "first"), level=("level", "first")).reset_index())
    return frame.head(docs)


def timed(label: str, run, repeat: int) -> tuple[pd.DataFrame, dict]:
    seconds, cpu, peaks, result = [], [], [], None
    for _ in range(repeat):
        with PeakMemory() as memory:
            start, start_cpu = time.perf_counter(), cpu_seconds()
            result = run()
            seconds.append(time.perf_counter() - start)
            cpu.append(cpu_seconds() - start_cpu)
        peaks.append(memory.peak)
    figures = {"part": label, "seconds": [round(s, 1) for s in seconds], "median_s": round(statistics.median(seconds), 1),
               "cpu_s": [round(c, 1) for c in cpu], "load_average_after": os.getloadavg(),
               "peak_rss_mb": round(max(peaks) / 2**20), "passages": len(result),
               "pairs": int(result[["doc_a", "doc_b"]].drop_duplicates().shape[0])}
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    return result, figures


def best_stretch(a: str, b: str) -> tuple[int, int, int, int, int]:
    """Plain alignment of two whole texts: edlib global alignment, then its best-scoring stretch (+1/-1)."""
    symbols = {c: i % 250 for i, c in enumerate(dict.fromkeys(a + b))}  # edlib takes at most 256 symbols
    qa, qb = bytes(symbols[c] for c in a), bytes(symbols[c] for c in b)
    cigar = edlib.align(qa, qb, mode="NW", task="path")["cigar"] or ""
    i = j = score = best = 0
    start = best_span = (0, 0, 0, 0)
    low = (0, 0, 0)
    number = ""
    for ch in cigar:
        if ch.isdigit():
            number += ch
            continue
        for _ in range(int(number)):
            if ch in "=X":
                score += 1 if a[i] == b[j] else -1
                i, j = i + 1, j + 1
            elif ch == "I":
                score, i = score - 1, i + 1
            else:
                score, j = score - 1, j + 1
            if score < low[0]:
                low = (score, i, j)
            if score - low[0] > best:
                best, best_span = score - low[0], (low[1], i, low[2], j)
        number = ""
    return (*best_span, best)


def matching_text(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def baseline(frame: pd.DataFrame, sample: int, jobs: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    picked = frame.iloc[np.sort(rng.choice(len(frame), size=min(sample, len(frame)), replace=False))]
    texts = [matching_text(t) for t in picked["text"]]
    pairs = list(itertools.combinations(range(len(texts)), 2))
    start = time.perf_counter()
    stretches = [best_stretch(texts[i], texts[j]) for i, j in pairs]
    plain = time.perf_counter() - start
    start = time.perf_counter()
    ours = pt.text_reuse(picked, n_jobs=jobs)
    fast = time.perf_counter() - start
    n_all = len(frame) * (len(frame) - 1) // 2
    found_pairs = {tuple(p) for p in ours[["doc_a", "doc_b"]].itertuples(index=False)}
    ids = picked["doc_id"].tolist()
    plain_hits = {(ids[i], ids[j]) for (i, j), s in zip(pairs, stretches) if s[1] - s[0] >= 50 and s[4] >= 25}
    both = {p for p in plain_hits if p in found_pairs or p[::-1] in found_pairs}
    figures = {"part": "baseline", "sample_docs": len(picked), "sample_pairs": len(pairs),
               "all_pairs_alignment_s": round(plain, 1), "text_reuse_s": round(fast, 1),
               "speedup_on_sample": round(plain / max(fast, 1e-9), 1),
               "all_pairs_extrapolated_to_folder_s": round(plain / len(pairs) * n_all),
               "pairs_with_a_50_char_stretch_plain": len(plain_hits), "of_which_found_by_text_reuse": len(both),
               "pairs_found_by_text_reuse": len(found_pairs), "passages_text_reuse": len(ours)}
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    return figures


def dask_equal(frame: pd.DataFrame, expected: pd.DataFrame, jobs: int, label: str) -> dict:
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster):
        ddf = dd.from_pandas(frame[["doc_id", "text", "year"] + (["date"] if "date" in frame else [])],
                             npartitions=max(2, len(frame) // 40), sort=False)
        got, figures = timed(f"dask:{label}", lambda: pt.text_reuse_dask(ddf), 1)
    cols = ["doc_id", "text", "year"] + (["date"] if "date" in frame else [])
    reference = pt.text_reuse(frame[cols], n_jobs=jobs) if expected is None else expected
    figures = {"part": f"dask-equal:{label}", "equal": bool(got.equals(reference)), "partitions": ddf.npartitions,
               "rows": len(got)}
    print(json.dumps(figures), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", nargs="+", default=["shared", "large", "dask", "baseline"],
                        choices=["shared", "large", "dask", "baseline"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--dask-large", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    print(json.dumps({"cores": os.cpu_count(), "jobs": args.jobs, "policytext": pt.__version__,
                      "load_average": os.getloadavg()}), flush=True)
    results = []
    frame = shared_frame()
    print(json.dumps({"shared_documents": len(frame), "shared_chars": int(frame["text"].str.len().sum())}), flush=True)
    shared_result = None
    if "shared" in args.parts:
        # The folder's files (203 documents), then with its two collection files expanded (351 documents).
        files = frame[~frame["doc_type"].astype(str).str.endswith("collection")]
        print(json.dumps({"shared_files_documents": len(files), "chars": int(files["text"].str.len().sum())}))
        _, figures = timed("shared-files", lambda: pt.text_reuse(files, n_jobs=args.jobs), args.repeat)
        results.append(figures)
        shared_result, figures = timed("shared", lambda: pt.text_reuse(frame, n_jobs=args.jobs), args.repeat)
        results.append(figures)
    if "large" in args.parts:
        large = large_frame(args.docs)
        print(json.dumps({"large_documents": len(large), "large_chars": int(large["text"].str.len().sum())}), flush=True)
        # Streamed to Parquet block pair by block pair: the table of ~900,000 passages with their texts would not
        # fit in 2 GB (an in-memory run peaked at 6 GB), the fingerprints and one block pair's rows do.
        path = Path(tempfile.gettempdir()) / "policytext-bench" / "reuse-large-passages.parquet"

        def streamed() -> pd.DataFrame:
            pt.text_reuse_to_parquet(large, path, n_jobs=args.jobs)
            return pd.read_parquet(path, columns=["doc_a", "doc_b"])

        _, figures = timed("large", streamed, args.repeat)
        results.append(figures)
    if "dask" in args.parts:
        cols = ["doc_id", "text", "year", "date"]
        results.append(dask_equal(frame[cols], None if shared_result is None else shared_result, args.jobs, "shared"))
        if args.dask_large:
            results.append(dask_equal(large_frame(args.docs), None, args.jobs, "large"))
    if "baseline" in args.parts:
        results.append(baseline(frame, args.sample, args.jobs, seed=0))
    if args.json:
        with args.json.open("a", encoding="utf-8") as handle:
            for figures in results:
                handle.write(json.dumps(figures, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
