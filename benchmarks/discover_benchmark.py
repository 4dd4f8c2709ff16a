"""How many real digital-government terms does ``discover_terms`` find when the lexicon does not know them?

Held out: every term of ``corpora/lexicon_review.csv`` accepted into the lexicon, plus a seeded sample of 40
older lexicon terms, in both cases only terms that a frequency-based method can see at all: made of Chinese
characters, 2–8 long, outside jieba's dictionary, and occurring at least ``MIN_FREQ`` times in at least two
documents of the corpus. ``discover_terms`` then runs with the lexicon minus the held-out terms as the known
words; the recall is the share of held-out terms among the top N candidates.

Run: ``POLICYTEXT_DATA=... python benchmarks/discover_benchmark.py [--top 1000]``.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import time
from pathlib import Path

import jieba

import policytext as pt

CORPORA = ("city-gwr-2024", "national-2023-2025", "policy-v2")
MIN_FREQ = 5
REVIEW = Path(__file__).resolve().parents[1] / "corpora" / "lexicon_review.csv"


def jieba_words() -> set[str]:
    with open(jieba.get_dict_file().name, encoding="utf-8") as handle:
        return {line.split(" ", 1)[0] for line in handle if line.strip()}


def held_out_terms(texts: list[str], seed: int = 12) -> tuple[list[str], list[str]]:
    """(accepted terms of the review, sampled older terms) that the corpus shows often enough."""
    with open(REVIEW, encoding="utf-8") as handle:
        added = [row["term"] for row in csv.DictReader(handle) if row["decision"] == "accept"]
    known_to_jieba = jieba_words()

    def visible(term: str) -> bool:
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,8}", term) or term in known_to_jieba:
            return False
        counts = [text.count(term) for text in texts]
        return sum(counts) >= MIN_FREQ and sum(c > 0 for c in counts) >= 2

    new = [t for t in added if visible(t)]
    older = sorted(t for t in set(pt.load_lexicon()["term"]) - set(added) if visible(t))
    return new, sorted(random.Random(seed).sample(older, min(40, len(older))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=1000, help="N of the top-N recall (default 1000)")
    args = parser.parse_args()
    texts: list[str] = []
    for name in CORPORA:
        texts += list(pt.load_corpus(name).texts)
    new, older = held_out_terms(texts)
    held = new + older
    known = sorted(set(pt.load_lexicon()["term"]) - set(held))
    start = time.perf_counter()
    table = pt.discover_terms(texts, min_freq=MIN_FREQ, known=known, seeds="lexicon")
    seconds = time.perf_counter() - start
    rank = {term: i + 1 for i, term in enumerate(table["term"])}
    print(f"corpus: {', '.join(CORPORA)}: {len(texts)} documents, {sum(map(len, texts)):,} characters")
    print(f"discover_terms: {seconds:.1f} s, {len(table):,} candidates")
    for n in (200, 500, args.top, 2000):
        found = [t for t in held if rank.get(t, 10**9) <= n]
        print(f"top {n:>5}: {len(found)}/{len(held)} held-out terms found ({len(found) / len(held):.0%}); "
              f"new {sum(t in found for t in new)}/{len(new)}, older {sum(t in found for t in older)}/{len(older)}")
    missed = [(t, rank.get(t)) for t in held if rank.get(t, 10**9) > args.top]
    print("missed at top", args.top, "(term, rank or None when filtered out):", missed)


if __name__ == "__main__":
    main()
