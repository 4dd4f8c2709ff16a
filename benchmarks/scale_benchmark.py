"""Per-stage time and peak memory: single-process streaming vs a Dask LocalCluster, on a generated segment table.

    python benchmarks/make_large_corpus.py --segments 100k
    python benchmarks/scale_benchmark.py /tmp/policytext-bench/segments-100000.parquet --modes stream dask
    python benchmarks/scale_benchmark.py /tmp/policytext-bench/segments-1000000.parquet --modes stream

Stages: read (Parquet row groups), clean (``clean_text``), tokenize (``Tokenizer``), tag (``--model``; default the
governance-mode :class:`~policytext.RuleTagger` as a stand-in for the trained classifiers; ``rules:NAME`` for
another codebook, ``module:attr`` for any object with ``predict(texts)`` or a factory returning one, ``none`` to
skip) and write (tokens and labels to Parquet). Each mode runs in a fresh process so its peak RSS is its own:
``stream`` reports the high-water mark of that process (plus tokenizer worker processes when ``--jobs`` > 1);
``dask`` the sum of the workers' high-water marks plus the client's (the scheduler runs in the client). The Dask
run persists each stage to time it, so it holds a whole stage in the workers' memory: use it on 100k, not 1M.
Figures are printed (and appended as JSON lines to ``--json``), never asserted.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

STAGES = ("read", "clean", "tokenize", "tag", "write")


def load_model(spec: str):
    if spec == "none":
        return None
    if spec.startswith("rules:"):
        from policytext import load_codebook, RuleTagger

        return RuleTagger(load_codebook(spec.split(":", 1)[1])).fit()
    module, _, attr = spec.partition(":")
    if not attr:
        raise SystemExit(f"--model must be 'rules:NAME', 'module:attr' or 'none', not {spec!r}")
    obj = getattr(importlib.import_module(module), attr)
    return obj() if callable(obj) and not hasattr(obj, "predict") else obj


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def run_stream(path: Path, out: Path, model, chunk_size: int, jobs: int) -> dict:
    from policytext import clean_text, iter_segments, tag_frame, Tokenizer

    tok = Tokenizer(n_jobs=jobs).fit()
    times = dict.fromkeys(STAGES, 0.0)
    rows = 0
    writer = None
    chunks = iter_segments(path, unit=None, chunk_size=chunk_size, clean=False)
    while True:
        t0 = time.perf_counter()
        chunk = next(chunks, None)
        t1 = time.perf_counter()
        times["read"] += t1 - t0
        if chunk is None:
            break
        texts = [clean_text(t) for t in chunk["text"]]
        t2 = time.perf_counter()
        tokens = tok.tokenize_many(texts)
        t3 = time.perf_counter()
        labels = tag_frame(model, texts, proba=False)["label"].tolist() if model is not None else None
        t4 = time.perf_counter()
        frame = pd.DataFrame({"segment_id": chunk["segment_id"], "tokens": tokens})
        if labels is not None:
            frame["label"] = labels
        table = pa.Table.from_pandas(frame, preserve_index=False)
        writer = writer or pq.ParquetWriter(out, table.schema)
        writer.write_table(table)
        t5 = time.perf_counter()
        times["clean"] += t2 - t1
        times["tokenize"] += t3 - t2
        times["tag"] += t4 - t3
        times["write"] += t5 - t4
        rows += len(chunk)
    if writer is not None:
        writer.close()
    peak = peak_mb() + (peak_mb(resource.RUSAGE_CHILDREN) if jobs > 1 else 0.0)
    return {"rows": rows, "times": times, "peak_rss_mb": peak, "detail": f"chunk_size={chunk_size}, n_jobs={jobs}"}


def run_dask(path: Path, out: Path, model, workers: int) -> dict:
    from dask.distributed import Client, LocalCluster, wait

    from policytext import clean_dask, read_parquet_dask, tag_dask, to_parquet_dask, tokenize_dask, Tokenizer

    times = {}
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="2GB") as cluster, Client(cluster) as client:
        client.run(lambda: None)  # workers are up before timing starts
        steps = [
            ("read", lambda _: read_parquet_dask(path, columns=["segment_id", "text"])),
            ("clean", clean_dask),
            ("tokenize", lambda d: tokenize_dask(d, Tokenizer())),
            ("tag", (lambda d: tag_dask(d, model, proba=False)) if model is not None else None),
        ]
        current = None
        for name, step in steps:
            if step is None:
                times[name] = 0.0
                continue
            start = time.perf_counter()
            following = step(current).persist()
            wait(following)
            times[name] = time.perf_counter() - start
            del current
            current = following
        start = time.perf_counter()
        keep = ["segment_id", "tokens"] + (["label"] if model is not None else [])
        to_parquet_dask(current[keep], out)
        times["write"] = time.perf_counter() - start
        rows = int(current.map_partitions(len).compute().sum())
        partitions = current.npartitions
        worker_peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    peak = sum(worker_peaks.values()) + peak_mb()
    return {"rows": rows, "times": times, "peak_rss_mb": peak,
            "detail": f"{workers} workers x 1 thread, {partitions} partitions, "
                      f"worker peaks {[round(v) for v in worker_peaks.values()]} MB"}


def child(args: argparse.Namespace) -> None:
    model = load_model(args.model)
    out = Path(tempfile.mkdtemp(prefix="policytext-bench-out-")) / "out.parquet"
    if args.child == "stream":
        result = run_stream(args.path, out, model, args.chunk_size, args.jobs)
    else:
        result = run_dask(args.path, out, model, args.workers)
    result.update(mode=args.child, path=str(args.path), model=args.model)
    print("RESULT " + json.dumps(result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="segment table from make_large_corpus.py")
    parser.add_argument("--modes", nargs="+", choices=["stream", "dask"], default=["stream", "dask"])
    parser.add_argument("--model", default="rules:governance-mode")
    parser.add_argument("--chunk-size", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=1, help="tokenizer processes in stream mode")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes")
    parser.add_argument("--json", type=Path, default=None, help="append results as JSON lines")
    parser.add_argument("--child", choices=["stream", "dask"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if not args.path.is_file():
        raise SystemExit(f"{args.path}: no such file; build it with benchmarks/make_large_corpus.py")
    rows = pq.ParquetFile(args.path).metadata.num_rows
    print(f"{args.path}: {rows} segments, {os.cpu_count()} cores, model {args.model}", flush=True)
    for mode in args.modes:
        command = [sys.executable, __file__, str(args.path), "--child", mode, "--model", args.model,
                   "--chunk-size", str(args.chunk_size), "--jobs", str(args.jobs), "--workers", str(args.workers)]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - start
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode or not lines:
            print(f"{mode}: failed\n{done.stderr[-3000:]}", flush=True)
            continue
        result = json.loads(lines[-1][len("RESULT "):])
        result["wall_s"] = wall
        stage_text = "  ".join(f"{s} {result['times'][s]:7.1f}s" for s in STAGES)
        total = sum(result["times"].values())
        print(f"{mode:<6} {result['rows']:>9} rows  {stage_text}  total {total:7.1f}s  "
              f"{result['rows'] / total:8.0f} seg/s  peak {result['peak_rss_mb']:7.0f} MB  ({result['detail']}; "
              f"process wall {wall:.1f}s)", flush=True)
        if args.json:
            with open(args.json, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
