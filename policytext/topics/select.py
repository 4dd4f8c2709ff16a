"""Choosing the number of topics: a grid of K × seeds fitted in parallel, scored by coherence, perplexity and
stability across seeds, with a recommended K and the reason.

Why it is fast: the documents are tokenized, the dictionary filtered and the bags of words built once; the fits
run in worker processes (as many as there are free cores) that inherit the prepared corpus (fork) and use one BLAS
thread each; coherence comes from one pass over the texts that counts windows and documents for the union of all
models' top terms (:mod:`policytext.topics.coherence`); stability compares the fits already made. The fitted models
can be kept (``return_models=True``), so the chosen K need not be fitted again.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

import numpy as np
import pandas as pd

from policytext.checks import progress_bar, resolve_jobs, show_progress
from policytext.topics.inputs import PreparedCorpus, require
from policytext.topics.coherence import MEASURES, coherence_scores
from policytext.topics.model import BACKENDS, TopicModel


def resolve_backend(backend: str) -> str:
    """``"auto"`` is tomotopy when it is installed (faster, at least as coherent on policy texts), else gensim.

    Example:
        >>> resolve_backend("gensim")
        'gensim'
    """
    if backend == "auto":
        try:
            require("tomotopy", "backend='tomotopy'")
            return "tomotopy"
        except ImportError:
            return "gensim"
    if backend not in BACKENDS:
        raise ValueError(f"backend must be 'auto' or one of {list(BACKENDS)}, not {backend!r}")
    return backend


def topic_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Mean cosine similarity of topic-word distributions after one-to-one best matching (Hungarian).

    Example:
        >>> topic_similarity(np.eye(3), np.eye(3)[::-1])
        1.0
    """
    from scipy.optimize import linear_sum_assignment

    an = a / np.linalg.norm(a, axis=1, keepdims=True)
    bn = b / np.linalg.norm(b, axis=1, keepdims=True)
    sim = an @ bn.T
    rows, cols = linear_sum_assignment(-sim)
    return float(sim[rows, cols].mean())


_SHARED: dict[str, Any] = {}


def _init_worker(data: PreparedCorpus, params: dict[str, Any]) -> None:
    _SHARED["data"], _SHARED["params"] = data, params


def _fit_one(job: tuple[int, int]) -> dict[str, Any]:
    from threadpoolctl import threadpool_limits

    k, seed = job
    data, params = _SHARED["data"], _SHARED["params"]
    with threadpool_limits(1):  # two models on two cores beat one model fighting over BLAS threads
        start = time.perf_counter()
        model = TopicModel(k=k, seed=seed, **params).fit_prepared(data, progress=False)
        fit_seconds = time.perf_counter() - start
        perplexity = model.perplexity_of_bows([b for b in data.bows if b])
    # The parent holds the dictionary and tokenizer already: send back only what this fit learned.
    model.dictionary_ = model.tokenizer_ = None
    return {"k": k, "seed": seed, "fit_seconds": fit_seconds, "perplexity": perplexity, "model": model}


def select_k(documents: Any, ks: Sequence[int] = (6, 8, 10, 12, 14, 16, 18, 20), seeds: Sequence[int] = (1, 2),
             *, backend: str = "auto", topn: int = 10, n_jobs: int = -1, stability_margin: float = 0.1,
             passes: int = 5, return_models: bool = False, progress: bool | None = None,
             **model_params: Any) -> pd.DataFrame | tuple[pd.DataFrame, dict[tuple[int, int], TopicModel]]:
    """Fit a grid of K × seeds in parallel and report coherence, perplexity and stability per K.

    ``documents`` is anything :class:`TopicModel` fits on; ``model_params`` go to every ``TopicModel`` (min_df,
    max_df, keep_n, phrases, tokenizer, train_iter ...). ``backend="auto"`` fits with tomotopy when it is installed
    (``pip install 'policytext[topics]'``): on the 2014–2022 work reports it is faster than gensim and its topics
    are at least as coherent (higher c_v, lower perplexity; see ``benchmarks/topics_benchmark.py``); otherwise, and
    with ``backend="gensim"``, with gensim's variational LDA. ``n_jobs=-1`` starts one process per free core (CPU
    affinity less the load average). Every model, whatever its backend, is scored the same way (gensim's coherence
    measures and perplexity). Columns: k, c_v, c_v_sd, u_mass, u_mass_sd, perplexity,
    stability (mean best-match cosine similarity of topics between seeds; needs two seeds), fit_seconds, runs,
    recommended. ``frame.attrs`` holds ``recommended_k`` and ``reason``: the K with the highest c_v among those
    whose stability is within ``stability_margin`` of the most stable K; ``backend`` (the one used), ``seeds`` and
    ``n_jobs`` (processes started). With ``return_models=True`` it returns ``(table, models)``, ``models`` mapping
    ``(k, seed)`` to the fitted :class:`TopicModel` (the same model ``TopicModel(k=k, seed=seed, ...).fit`` gives).
    ``progress`` draws a bar over the fits on stderr; ``None`` (default) draws it when stderr is a terminal.

    Example:
        >>> docs = [["数据", "共享", "开放"], ["政务", "服务", "办理"], ["数据", "要素", "市场"]] * 10
        >>> table = select_k(docs, ks=[2, 3], seeds=[1, 2], min_df=1, max_df=1.0, n_jobs=1)  # doctest: +SKIP
        >>> table.attrs["recommended_k"] in (2, 3)  # doctest: +SKIP
        True
    """
    ks = sorted({int(k) for k in _as_list(ks, "ks")})
    seeds = list(dict.fromkeys(int(s) for s in _as_list(seeds, "seeds")))
    if not ks or min(ks) < 1:
        raise ValueError(f"ks must hold positive numbers of topics, not {ks!r}")
    if not seeds:
        raise ValueError("seeds must hold at least one int; give two or more to measure stability")
    params = {"backend": resolve_backend(backend), "passes": passes, **model_params}
    for reserved in ("k", "seed"):
        if reserved in params:
            raise TypeError(f"select_k: pass {reserved} values through {'ks' if reserved == 'k' else 'seeds'}=")
    template = TopicModel(k=max(ks), seed=seeds[0], **params)
    data = template.prepare(documents)  # refuses a K above the vocabulary size, naming the filters
    jobs = [(k, s) for k in sorted(ks, reverse=True) for s in seeds]  # big models first balances the workers
    workers = min(len(jobs), resolve_jobs(n_jobs))
    runs = _run(jobs, data, params, workers, show_progress(progress))
    for r in runs:
        r["model"].dictionary_, r["model"].tokenizer_ = data.dictionary, data.tokenizer
        r["topic_word"] = r["model"].topic_word_
    topics = [_top_terms(r["topic_word"], data.dictionary, topn) for r in runs]
    scores = coherence_scores(topics, data.tokens, data.dictionary, MEASURES)
    frame = pd.DataFrame([{**{k: v for k, v in r.items() if k not in ("topic_word", "model")}, **s}
                          for r, s in zip(runs, scores)])
    table = frame.groupby("k").agg(c_v=("c_v", "mean"), c_v_sd=("c_v", "std"), u_mass=("u_mass", "mean"),
                                   u_mass_sd=("u_mass", "std"), perplexity=("perplexity", "mean"),
                                   fit_seconds=("fit_seconds", "mean"), runs=("seed", "size")).reset_index()
    by_k: dict[int, list[np.ndarray]] = {}
    for r in runs:
        by_k.setdefault(r["k"], []).append(r["topic_word"])
    table.insert(5, "stability", [_stability(by_k[k]) for k in table["k"]])
    best, reason = recommend(table, stability_margin)
    table["recommended"] = table["k"] == best
    table.attrs.update(recommended_k=int(best), reason=reason, seeds=seeds, backend=template.backend, n_jobs=workers)
    if return_models:
        return table, {(r["k"], r["seed"]): r["model"] for r in runs}
    return table


def recommend(table: pd.DataFrame, margin: float = 0.1) -> tuple[int, str]:
    """The recommended K of a :func:`select_k` table and the reason, in words."""
    stable = table["stability"].notna().any()
    if stable:
        threshold = table["stability"].max() - margin
        candidates = table[table["stability"] >= threshold]
    else:
        candidates = table
    row = candidates.sort_values(["c_v", "k"], ascending=[False, True]).iloc[0]
    k = int(row["k"])
    if stable:
        reason = (f"K={k} has the highest c_v coherence ({row['c_v']:.3f}) among the K whose topics are stable "
                  f"across seeds (stability >= {threshold:.2f}, i.e. within {margin} of the most stable K, "
                  f"{table['stability'].max():.2f})")
    else:
        reason = f"K={k} has the highest c_v coherence ({row['c_v']:.3f}); give two or more seeds to weigh stability"
    return k, reason


def _stability(matrices: list[np.ndarray]) -> float:
    pairs = [(i, j) for i in range(len(matrices)) for j in range(i + 1, len(matrices))]
    if not pairs:
        return float("nan")
    return float(np.mean([topic_similarity(matrices[i], matrices[j]) for i, j in pairs]))


def _top_terms(topic_word: np.ndarray, dictionary: Any, topn: int) -> list[list[str]]:
    return [[dictionary[int(j)] for j in np.argsort(-row, kind="stable")[:topn]] for row in topic_word]


def _run(jobs: list[tuple[int, int]], data: PreparedCorpus, params: dict[str, Any], workers: int,
         progress: bool = False) -> list[dict]:
    results = []
    with progress_bar(progress, total=len(jobs), desc=f"select_k: {len(jobs)} fits (K × seed)", unit="fit") as bar:
        if workers == 1:
            _init_worker(data, params)
            try:
                for job in jobs:
                    results.append(_fit_one(job))
                    bar.update(1)
            finally:
                _SHARED.clear()
        else:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                     initargs=(data, params)) as pool:
                for done in as_completed([pool.submit(_fit_one, job) for job in jobs]):
                    results.append(done.result())
                    bar.update(1)
    return sorted(results, key=lambda r: (r["k"], r["seed"]))


def _as_list(values: Any, argument: str) -> list[Any]:
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{argument} must be a list of ints, not a str; e.g. {argument}=[6, 8, 10]")
    if isinstance(values, (int, np.integer)):
        return [values]
    return list(values)
