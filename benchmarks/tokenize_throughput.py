"""Tokenization throughput and agreement on the shared policy set.

    POLICYTEXT_DATA=../shared/corpora python benchmarks/tokenize_throughput.py [--repeat 2]

Reads every document of the registered ``policy`` corpus (files and collection rows), splits it into
paragraphs, and times, in this one run on the same text, in ``--rounds`` interleaved rounds (median ratios):
- plain ``jieba.lcut`` (jieba's default dictionary, HMM on, as most studies call it), one core;
- raw ``rjieba`` ``cut`` (no lexicon, no filtering): the segmenter's own speed, the floor for the Tokenizer;
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
import statistics
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
    parser.add_argument("--repeat", type=int, default=1, help="runs of the jieba-backend measurements")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the main comparison")
    args = parser.parse_args()

    corpus = pt.load_corpus("policy")
    paragraphs = corpus.segments("paragraph")["text"].tolist()
    n_bytes = sum(len(p.encode("utf-8")) for p in paragraphs)
    cores = os.cpu_count() or 1
    print(f"{len(corpus)} documents, {len(paragraphs)} paragraphs, {n_bytes / 1e6:.2f} MB UTF-8, {cores} cores, "
          f"load average {os.getloadavg()}")

    import jieba

    jieba.setLogLevel(60)  # a benchmark script may quiet jieba; the library never does this globally
    jieba.initialize()
    import rjieba

    fast = pt.Tokenizer()
    fast.fit()
    raw = rjieba.Jieba()
    # Interleaved rounds: every variant runs once per round, ratios are taken within a round (the machine may be
    # shared, so load drifts between rounds), and the median ratio is reported.
    variants = {
        "plain jieba.lcut (1 core)": lambda: [jieba.lcut(p) for p in paragraphs],
        "raw rjieba cut, no lexicon or filters (1 core)": lambda: [raw.cut(p, False) for p in paragraphs],
        "Tokenizer() rjieba, 1 process": lambda: fast.tokenize_many(paragraphs, n_jobs=1),
        f"Tokenizer() rjieba, {cores} processes": lambda: fast.tokenize_many(paragraphs, n_jobs=cores),
    }
    rates: dict[str, list[float]] = {name: [] for name in variants}
    results: dict[str, object] = {}
    for round_ in range(args.rounds):
        print(f"round {round_ + 1}: load average {os.getloadavg()[0]:.2f}", flush=True)
        for name, fn in variants.items():
            start = time.perf_counter()
            results[name] = fn()
            rates[name].append(n_bytes / (time.perf_counter() - start) / 1e6)
    base = rates["plain jieba.lcut (1 core)"]
    for name, values in rates.items():
        ratios = [v / b for v, b in zip(values, base)]
        print(f"{name:<48} {statistics.median(values):7.2f} MB/s  median {statistics.median(ratios):5.1f}x plain "
              f"jieba (rounds: {', '.join(f'{r:.1f}' for r in ratios)})", flush=True)
    plain = statistics.median(base)
    rj1 = statistics.median(rates["Tokenizer() rjieba, 1 process"])
    rjn = statistics.median(rates[f"Tokenizer() rjieba, {cores} processes"])
    fast_tokens = results["Tokenizer() rjieba, 1 process"]
    fast_tokens_n = results[f"Tokenizer() rjieba, {cores} processes"]

    ref = pt.Tokenizer(backend="jieba")
    ref.fit()
    j1, ref_tokens = timed("Tokenizer(backend='jieba'), 1 process",
                           lambda: ref.tokenize_many(paragraphs, n_jobs=1), n_bytes, args.repeat)
    jn, _ = timed(f"Tokenizer(backend='jieba'), {cores} processes",
                  lambda: ref.tokenize_many(paragraphs, n_jobs=-1), n_bytes, args.repeat)

    same = sum(a == b for a, b in zip(fast_tokens, ref_tokens))
    differing = [(p, a, b) for p, a, b in zip(paragraphs, fast_tokens, ref_tokens) if a != b]
    print()
    print(f"default Tokenizer vs plain jieba.lcut (medians of rates): {rj1 / plain:.1f}x (1 process), "
          f"{rjn / plain:.1f}x ({cores} processes)")
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
