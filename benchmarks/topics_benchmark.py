"""Topic-model timings and memory on the shared corpora.

    POLICYTEXT_DATA=../shared/corpora python benchmarks/topics_benchmark.py [--parts fit,select,select8,dynamic]

Parts (all in this one run, on the same data):
- ``fit``: K=20 on the whole policy set split into paragraphs (>= 30 characters): gensim ``LdaModel`` on one core,
  gensim ``LdaMulticore`` on all cores, tomotopy on one worker. Each fit runs in a fresh process so its peak
  memory (RSS high-water mark) is its own; the RSS before fitting (interpreter, libraries, data) is shown beside.
- ``select``: the reference loop from the "Topic models" issue (gensim ``LdaModel`` passes=5 + c_v
  ``CoherenceModel`` for K = 6, 10, 14, 18, one core) against ``select_k`` on the same grid, same paragraphs
  (the 807 paragraphs >= 30 characters of the 2014–2022 Government Work Reports), for both backends, in
  ``--repeat`` interleaved rounds: each ratio is measured within one round, the median is printed.
- ``select8``: ``select_k`` over 8 values of K with two seeds on the same paragraphs.
- ``dynamic``: the dynamic model on the 9 yearly slices of those paragraphs: tomotopy ``DTModel`` against gensim
  ``LdaSeqModel``. gensim takes minutes per EM iteration, so it runs ``--gensim-em-iter`` iterations (default 1)
  and the ratio is a lower bound on the speed-up over its default run (6 to 20 EM iterations).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    """Peak RSS of this process (since the last reset_peak) and of its finished children, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            own = int(line.split()[1]) / 1024
            break
    else:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def reset_peak() -> None:
    """Start the RSS high-water mark afresh (Linux: write 5 to /proc/self/clear_refs), so a peak is the fit's own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def gwr_paragraphs():
    import policytext as pt

    seg = pt.load_corpus("gwr-2014-2022").segments("paragraph", min_chars=30)
    return seg.reset_index(drop=True)


# -- fit: one process per measurement --------------------------------------------------------------------------
def _fit_worker(path: str, how: str, k: int, queue) -> None:
    from policytext import TopicModel

    tokens = json.loads(Path(path).read_text(encoding="utf-8"))
    params = dict(k=k, seed=1, passes=5, min_df=5, max_df=0.5)
    if how == "gensim-multicore":
        params["workers"] = max(1, (os.cpu_count() or 2) - 1)  # gensim's advice: one core for the master
    if how == "tomotopy":
        params["backend"] = "tomotopy"
    model = TopicModel(**params)
    data = model.prepare(tokens)
    before = rss_mb()
    reset_peak()
    start = time.perf_counter()
    model.fit_prepared(data)
    seconds = time.perf_counter() - start
    queue.put({"how": how, "seconds": seconds, "rss_before_mb": before, "peak_mb": peak_mb(),
               "vocabulary": len(data.dictionary), "documents": len(tokens)})


def part_fit(k: int) -> None:
    import policytext as pt

    start = time.perf_counter()
    corpus = pt.load_corpus("policy")
    seg = corpus.segments("paragraph", min_chars=30)
    tokens = pt.Tokenizer().tokenize_many(seg["text"].tolist())
    print(f"\n== fit K={k} on the policy set: {len(corpus)} documents, {len(seg)} paragraphs >= 30 chars, "
          f"{sum(map(len, tokens))} tokens (read + tokenize {time.perf_counter() - start:.1f} s)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tokens.json"
        path.write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")
        context = multiprocessing.get_context("spawn")
        for how in ("gensim-single", "gensim-multicore", "tomotopy"):
            queue = context.Queue()
            proc = context.Process(target=_fit_worker, args=(str(path), how, k, queue))
            proc.start()
            result = queue.get()
            proc.join()
            print(f"{how:<18} {result['seconds']:7.1f} s   peak RSS during the fit {result['peak_mb']:6.0f} MB "
                  f"(RSS before: {result['rss_before_mb']:.0f} MB with data; vocabulary {result['vocabulary']})",
                  flush=True)


# -- select: reference loop against select_k --------------------------------------------------------------------
def reference_loop(tokens: list[list[str]], ks: list[int]) -> None:
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel, LdaModel

    dictionary = Dictionary(tokens)
    bows = [dictionary.doc2bow(t) for t in tokens]
    for k in ks:
        lda = LdaModel(bows, id2word=dictionary, num_topics=k, passes=5, random_state=1)
        CoherenceModel(model=lda, texts=tokens, dictionary=dictionary, coherence="c_v", processes=1).get_coherence()


def part_select(repeat: int) -> None:
    import statistics

    import policytext as pt
    from policytext import select_k

    seg = gwr_paragraphs()
    tokens = pt.Tokenizer().tokenize_many(seg["text"].tolist(), n_jobs=1)
    ks = [6, 10, 14, 18]
    print(f"\n== select K in {ks} on {len(tokens)} GWR paragraphs (one seed; {repeat} rounds, each running the "
          f"reference loop and every select_k variant back to back; ratios per round, median shown)", flush=True)
    # n_jobs=-1 sizes the pool to the free cores (fewer when the machine is shared); n_jobs=2 uses both cores.
    variants = [(backend, f"{label}, n_jobs={jobs}", filters, jobs) for backend in ("gensim", "tomotopy")
                for label, filters in (("same dictionary", dict(min_df=1, max_df=1.0)), ("default filters", {}))
                for jobs in (-1, 2)]
    loops, seconds = [], {v[:2]: [] for v in variants}
    ratios: dict = {v[:2]: [] for v in variants}
    tables, jobs = {}, {}
    for _ in range(repeat):
        print(f"   round start, load average {os.getloadavg()[0]:.2f}", flush=True)
        start = time.perf_counter()
        reference_loop(tokens, ks)
        loops.append(time.perf_counter() - start)
        for backend, label, filters, n_jobs in variants:
            start = time.perf_counter()
            tables[backend, label] = select_k(tokens, ks=ks, seeds=[1], backend=backend, passes=5, n_jobs=n_jobs,
                                              **filters)
            seconds[backend, label].append(time.perf_counter() - start)
            ratios[backend, label].append(loops[-1] / seconds[backend, label][-1])
            jobs[backend, label] = tables[backend, label].attrs["n_jobs"]
    print(f"reference loop (LdaModel passes=5 + c_v, one core)   {statistics.median(loops):7.1f} s (median)",
          flush=True)
    for (backend, label), values in seconds.items():
        table = tables[backend, label]
        print(f"select_k {backend:<8} {label:<28} {jobs[backend, label]} process(es)  {statistics.median(values):7.1f} s"
              f"  median ratio {statistics.median(ratios[backend, label]):4.1f}x (rounds: "
              f"{', '.join(f'{r:.1f}' for r in ratios[backend, label])}); c_v "
              f"{' '.join(f'{v:.3f}' for v in table['c_v'])}", flush=True)


def part_select8() -> None:
    import policytext as pt
    from policytext import select_k

    seg = gwr_paragraphs()
    tokens = pt.Tokenizer(policy_stopwords=True).tokenize_many(seg["text"].tolist(), n_jobs=1)
    ks = [6, 8, 10, 12, 14, 16, 18, 20]
    print(f"\n== select_k over {len(ks)} values of K x 2 seeds on {len(tokens)} GWR paragraphs", flush=True)
    for backend in ("gensim", "tomotopy"):
        start = time.perf_counter()
        table = select_k(tokens, ks=ks, seeds=[1, 2], backend=backend, passes=5)
        print(f"select_k {backend:<8} {time.perf_counter() - start:7.1f} s; {table.attrs['reason']}", flush=True)
        print(table.round(3).to_string(index=False), flush=True)


def part_dynamic(k: int, em_iter: int) -> None:
    import numpy as np

    import policytext as pt
    from policytext import DynamicTopicModel

    seg = gwr_paragraphs()
    seg["tokens"] = pt.Tokenizer(policy_stopwords=True).tokenize_many(seg["text"].tolist(), n_jobs=1)
    print(f"\n== dynamic model K={k} on {len(seg)} GWR paragraphs in {seg['year'].nunique()} yearly slices", flush=True)
    start = time.perf_counter()
    reset_peak()
    DynamicTopicModel(k=k, seed=1, backend="tomotopy").fit(seg)
    fast = time.perf_counter() - start
    print(f"tomotopy DTModel (500 sweeps, one worker)      {fast:8.1f} s   peak RSS {peak_mb():.0f} MB", flush=True)
    reset_peak()
    start = time.perf_counter()
    DynamicTopicModel(k=k, seed=1, backend="gensim", em_iter=em_iter, passes=10).fit(seg)
    slow = time.perf_counter() - start
    print(f"gensim LdaSeqModel ({em_iter} EM iteration(s))            {slow:8.1f} s   peak RSS {peak_mb():.0f} MB",
          flush=True)
    print(f"speed-up >= {slow / fast:.0f}x (gensim's default runs 6-20 EM iterations: about "
          f"{np.round(6 * slow / em_iter / fast):.0f}x-{np.round(20 * slow / em_iter / fast):.0f}x)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parts", default="fit,select,select8,dynamic")
    parser.add_argument("--k", type=int, default=20, help="topics for the fit part")
    parser.add_argument("--dynamic-k", type=int, default=10)
    parser.add_argument("--gensim-em-iter", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the select part; the median ratio is kept")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()}", flush=True)
    parts = args.parts.split(",")
    if "select" in parts:
        part_select(args.repeat)
    if "select8" in parts:
        part_select8()
    if "fit" in parts:
        part_fit(args.k)
    if "dynamic" in parts:
        part_dynamic(args.dynamic_k, args.gensim_em_iter)


if __name__ == "__main__":
    main()
