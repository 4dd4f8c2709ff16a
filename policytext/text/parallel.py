"""Tokenizing on several processes: documents sent to workers in chunks, tokens sent back packed in strings.

Used by :meth:`~policytext.text.tokenize.Tokenizer.tokenize_many`; a worker tokenizes its chunk exactly as the
parent would (``tokenizer._tokenize_batch``), so results are identical to a serial run.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

_WORKER_TOKENIZER: Any = None


def _init_worker(tokenizer: Any) -> None:
    # Runs once in each worker process; with the fork start method the parent's built segmenter is inherited
    # and nothing is reloaded.
    global _WORKER_TOKENIZER
    tokenizer._build()
    _WORKER_TOKENIZER = tokenizer


# Tokens travel back from workers as one string per chunk: pickling a list of many small strings costs more
# than the segmentation itself, while joining and splitting on control characters is nearly free.
_TOKENSEP, _DOCSEP = "\x1f", "\x1e"


def _tokenize_chunk(chunk: list[str]) -> str:
    tok = _WORKER_TOKENIZER
    assert tok is not None
    return _DOCSEP.join(map(_TOKENSEP.join, tok._tokenize_batch(chunk)))


def _unpack(packed: str, n_docs: int) -> list[list[str]]:
    docs = packed.split(_DOCSEP)
    if len(docs) != n_docs:
        raise RuntimeError("a token contained a control separator; tokenize with n_jobs=1")
    return [d.split(_TOKENSEP) if d else [] for d in docs]


def tokenize_parallel(tok: Any, documents: list[str], jobs: int, progress: bool) -> list[list[str]]:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # Chunks of similar size in characters keep both cores busy when document lengths vary widely.
    target = max(1, sum(len(d) for d in documents) // (jobs * 8))
    chunks: list[list[str]] = [[]]
    size = 0
    for doc in documents:
        if size >= target:
            chunks.append([])
            size = 0
        chunks[-1].append(doc)
        size += len(doc)
    results: list[list[str]] = []
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(tok,)) as pool:
        parts = pool.map(_tokenize_chunk, chunks)
        if progress:
            from tqdm.auto import tqdm

            parts = tqdm(parts, total=len(chunks), desc="tokenizing", unit="chunk")
        for chunk, part in zip(chunks, parts):
            results.extend(_unpack(part, len(chunk)))
    return results
