"""Coherence: policytext's shared counts against gensim's CoherenceModel, on the same model and texts.

    POLICYTEXT_DATA=../shared/corpora python benchmarks/coherence_benchmark.py [--repeat 5] [--k 20]

The texts are the 807 paragraphs (>= 30 characters) of the 2014–2022 Government Work Reports, tokenized with the
default Tokenizer; the model is gensim's ``LdaModel`` (K topics, passes=5, seed 1) on the full dictionary of those
paragraphs; topics are its 10 most probable terms. Each round times gensim ``CoherenceModel(model=lda, texts=...,
coherence=measure, processes=1)`` then ``pt.coherence`` on the same top terms, back to back; the ratio is computed
per round and the median over rounds is printed, with the load average, because the machine may be shared. The
largest absolute difference between the two per-topic values is printed for every measure. Figures are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the median ratio is reported")
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--measures", default="c_v,c_npmi,c_uci,u_mass")
    args = parser.parse_args()

    import policytext as pt
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel, LdaModel

    seg = pt.load_corpus("gwr-2014-2022").segments("paragraph", min_chars=30)
    tokens = pt.Tokenizer().tokenize_many(seg["text"].tolist(), n_jobs=1)
    dictionary = Dictionary(tokens)
    lda = LdaModel([dictionary.doc2bow(t) for t in tokens], id2word=dictionary, num_topics=args.k, passes=5,
                   random_state=1)
    topics = [[dictionary[i] for i, _ in lda.get_topic_terms(t, 10)] for t in range(args.k)]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()}; "
          f"{len(tokens)} paragraphs, {sum(map(len, tokens))} tokens, K={args.k}, top 10 terms", flush=True)
    for measure in args.measures.split(","):
        ratios, slow_times, fast_times = [], [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            cm = CoherenceModel(model=lda, texts=tokens, dictionary=dictionary, coherence=measure, topn=10,
                                processes=1)
            reference = np.array(cm.get_coherence_per_topic())
            slow = time.perf_counter() - start
            start = time.perf_counter()
            ours = pt.coherence(topics, tokens, measure=measure, topn=10)
            fast = time.perf_counter() - start
            ratios.append(slow / fast)
            slow_times.append(slow)
            fast_times.append(fast)
        diff = float(np.max(np.abs(reference - ours)))
        print(f"{measure:<7} gensim CoherenceModel {statistics.median(slow_times):7.3f} s   pt.coherence "
              f"{statistics.median(fast_times):7.3f} s   median ratio {statistics.median(ratios):6.1f}x "
              f"(min {min(ratios):.1f}x, max {max(ratios):.1f}x)   max |difference| {diff:.1e}", flush=True)
    print(f"load average after: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
