"""How often does a tokenizer keep a lexicon term whole where it occurs in a real sentence?

For every multi-character term of the bundled lexicon, up to ``--per-term`` sentences that contain it are drawn
(seeded) from the shared corpora. Each sentence is tokenized, and an occurrence counts as *kept whole* when no
token boundary falls inside the term's span (a longer token that contains the term, such as a longer lexicon
term, keeps it whole). Stop words are not removed (``stopwords=None``): the question is where the segmenter cuts.

Three tokenizers, on the same sentences: plain ``jieba.lcut`` (jieba's dictionary, HMM on), policytext's default
``Tokenizer`` with the lexicon, and the same with ``lexicon=None`` (the segmenter without the lexicon). Printed:
the share of occurrences kept whole, the share of terms kept whole in every sentence drawn for them, and the
terms most often cut. Figures are printed, never asserted.

    POLICYTEXT_DATA=../shared/corpora python benchmarks/terms_whole.py [--per-term 5] [--corpora city-gwr-2024 ...]
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import re
from collections import defaultdict

import policytext as pt

_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
_SPACE = re.compile(r"\s+")


def boundaries(tokens: list[str]) -> set[int]:
    """Character offsets at which one token ends and the next begins."""
    cuts, position = set(), 0
    for token in tokens:
        position += len(token)
        cuts.add(position)
    return cuts


def kept_whole(sentence: str, tokens: list[str], term: str) -> list[bool]:
    """For each occurrence of ``term``: True when no boundary falls strictly inside it."""
    if "".join(tokens) != sentence:
        raise ValueError("tokens must cover the sentence exactly (run without filtering)")
    cuts = boundaries(tokens)
    result, start = [], sentence.find(term)
    while start >= 0:
        result.append(not any(start < c < start + len(term) for c in cuts))
        start = sentence.find(term, start + 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", nargs="*", default=["city-gwr-2024", "national-2023-2025", "policy-v2"])
    parser.add_argument("--per-term", type=int, default=5)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    sentences: list[str] = []
    for name in args.corpora:
        for text in pt.load_corpus(name).texts:
            # Whitespace out: the tokenizer drops it, and the offsets of tokens must line up with the sentence.
            sentences += [s for s in (_SPACE.sub("", m) for m in _SENTENCE.findall(text)) if len(s) >= 6]
    sentences = sorted(set(sentences))
    terms = sorted({t for t in pt.load_lexicon()["term"] if len(t) > 1 and " " not in t})
    rng = random.Random(args.seed)
    # One string and str.find per term: 900 terms × 10^5 sentences would be too slow as Python `in` tests.
    joined = "\n".join(sentences)
    starts = list(itertools.accumulate((len(s) + 1 for s in sentences[:-1]), initial=0))
    found: dict[str, list[str]] = {}
    for term in terms:
        hits, position = set(), joined.find(term)
        while position >= 0:
            hits.add(bisect.bisect_right(starts, position) - 1)
            position = joined.find(term, position + 1)
        if hits:
            found[term] = [sentences[i] for i in sorted(hits)]
    drawn = {t: rng.sample(s, min(args.per_term, len(s))) for t, s in sorted(found.items())}
    pairs = [(t, s) for t, ss in drawn.items() for s in ss]
    unique = sorted({s for _, s in pairs})
    print(f"{len(sentences)} sentences from {', '.join(args.corpora)}; {len(drawn)} of {len(terms)} lexicon terms "
          f"occur; {len(pairs)} term-sentence pairs in {len(unique)} sentences")

    import jieba

    jieba.setLogLevel(60)  # a benchmark may quiet jieba; the library never changes jieba's defaults
    raw = {"stopwords": None, "drop_punctuation": False, "drop_numbers": False, "keep_quoted": True, "n_jobs": 1}

    def keep_all(tokenizer: pt.Tokenizer):
        # Punctuation, numbers and whitespace kept, so the tokens cover the sentence and offsets line up.
        return tokenizer.tokenize_many(unique)

    methods = {
        "plain jieba.lcut (HMM on)": [jieba.lcut(s) for s in unique],
        "Tokenizer(lexicon=None)": keep_all(pt.Tokenizer(lexicon=None, **raw)),
        "Tokenizer() (lexicon 2026.12)": keep_all(pt.Tokenizer(**raw)),
    }
    index = {s: i for i, s in enumerate(unique)}
    for name, tokens in methods.items():
        occurrences = whole = 0
        per_term: dict[str, list[bool]] = defaultdict(list)
        skipped = 0
        for term, sentence in pairs:
            toks = tokens[index[sentence]]
            if "".join(toks) != sentence:  # a filter removed characters: cannot line offsets up
                skipped += 1
                continue
            flags = kept_whole(sentence, toks, term)
            per_term[term] += flags
            occurrences += len(flags)
            whole += sum(flags)
        always = sum(all(f) for f in per_term.values())
        print(f"{name:<32} occurrences kept whole {whole}/{occurrences} = {whole / occurrences:.1%}; "
              f"terms always whole {always}/{len(per_term)} = {always / len(per_term):.1%}"
              + (f"; {skipped} pairs not comparable" if skipped else ""))
        if name.startswith("Tokenizer() "):
            cut = sorted(((sum(not x for x in f), t) for t, f in per_term.items() if not all(f)), reverse=True)
            print("  most often cut:", ", ".join(f"{t} ({n})" for n, t in cut[:25]))


if __name__ == "__main__":
    main()
