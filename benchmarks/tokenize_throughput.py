"""Tokenization throughput and agreement on the shared policy set.

    POLICYTEXT_DATA=../shared/corpora python benchmarks/tokenize_throughput.py [--repeat 2]

Reads every document of the registered ``policy`` corpus (files and collection rows), splits it into
paragraphs, and times, in this one run on the same text:
- plain ``jieba.lcut`` (jieba's default dictionary, HMM on, as most studies call it), one core;
- policytext's default Tokenizer (rjieba backend) on one process and on all cores;
- policytext's Tokenizer with the pure-jieba backend on one process and on all cores.
It reports MB/s of UTF-8 text, speed-up ratios, peak memory (RSS high-water mark of this process and of the
worker processes), and the share of paragraphs whose tokens are identical between the rjieba backend and the
jieba reference with the same lexicon and options. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import policytext as pt


def timed(label: str, fn, n_bytes: int, repeat: int) -> tuple[float, object]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    rate = n_bytes / best / 1e6
    print(f"{label:<46} {best:8.2f} s  {rate:7.2f} MB/s", flush=True)
    return rate, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the best is kept")
    args = parser.parse_args()

    corpus = pt.load_corpus("policy")
    paragraphs = corpus.segments("paragraph")["text"].tolist()
    n_bytes = sum(len(p.encode("utf-8")) for p in paragraphs)
    cores = os.cpu_count() or 1
    print(f"{len(corpus)} documents, {len(paragraphs)} paragraphs, {n_bytes / 1e6:.2f} MB UTF-8, {cores} cores")

    import jieba

    jieba.setLogLevel(60)  # a benchmark script may quiet jieba; the library never does this globally
    jieba.initialize()
    plain, _ = timed("plain jieba.lcut (1 core)", lambda: [jieba.lcut(p) for p in paragraphs], n_bytes, args.repeat)

    fast = pt.Tokenizer()
    fast.fit()
    rj1, fast_tokens = timed("Tokenizer() rjieba, 1 process", lambda: fast.tokenize_many(paragraphs, n_jobs=1),
                             n_bytes, args.repeat)
    rjn, fast_tokens_n = timed(f"Tokenizer() rjieba, {cores} processes",
                               lambda: fast.tokenize_many(paragraphs, n_jobs=-1), n_bytes, args.repeat)

    ref = pt.Tokenizer(backend="jieba")
    ref.fit()
    j1, ref_tokens = timed("Tokenizer(backend='jieba'), 1 process",
                           lambda: ref.tokenize_many(paragraphs, n_jobs=1), n_bytes, args.repeat)
    jn, _ = timed(f"Tokenizer(backend='jieba'), {cores} processes",
                  lambda: ref.tokenize_many(paragraphs, n_jobs=-1), n_bytes, args.repeat)

    same = sum(a == b for a, b in zip(fast_tokens, ref_tokens))
    differing = [(p, a, b) for p, a, b in zip(paragraphs, fast_tokens, ref_tokens) if a != b]
    print()
    print(f"default Tokenizer vs plain jieba.lcut: {rj1 / plain:.1f}x (1 process), {rjn / plain:.1f}x ({cores})")
    print(f"jieba backend, {cores} processes vs 1: {jn / j1:.2f}x")
    print(f"parallel result identical to serial: {fast_tokens == fast_tokens_n}")
    print(f"rjieba vs jieba reference (same lexicon, HMM off): {same}/{len(paragraphs)} paragraphs identical "
          f"= {same / len(paragraphs):.3%}")
    for p, a, b in differing[:5]:
        diff = [(x, y) for x, y in zip(a, b) if x != y][:3]
        print(f"  differs: {p[:40]!r} … first differences {diff}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: this process {own:.0f} MB, largest worker {children:.0f} MB")
    print(f"python {sys.version.split()[0]}, policytext {pt.__version__}")


if __name__ == "__main__":
    main()
