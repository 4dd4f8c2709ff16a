"""Tokenizing on several processes: the calling process and ``jobs - 1`` workers take chunks of documents from one
shared counter until none are left; workers send their tokens back at the end, packed in strings.

Used by :meth:`~policytext.text.tokenize.Tokenizer.tokenize_many`; every process tokenizes a chunk exactly as a
serial run would (``tokenizer._tokenize_batch``), so results are identical to a serial run.

Why it is built this way (timings on the 6.8 MB policy set, 2 cores, in the commit that introduced it):
- The calling process tokenizes too, instead of idling while workers work: on 2 cores one worker is forked, not
  two, and the parent's share needs neither transfer nor unpacking.
- Workers are forked per call and inherit the documents, the chunk bounds and the built segmenter, so nothing is
  sent to them. The parent holds the GIL while it segments; anything sent through a pipe (or handled by an
  executor's helper threads) would wait for it, and the worker with it.
- Chunks are claimed from a shared counter, so a process that gets less CPU (a busy machine) simply takes fewer
  chunks, and a worker that starts late (the spawn start method re-imports everything) finds fewer or none.
- A worker sends all its chunks in one message when the counter runs out, when the parent is about to wait.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Iterator
from itertools import chain
from typing import Any

# Tokens travel back from workers as one string per chunk: pickling a list of many small strings costs more
# than the segmentation itself, while joining and splitting on control characters is nearly free.
_TOKENSEP, _DOCSEP = "\x1f", "\x1e"
# Chunks per process: more balance the processes' finishing times better, fewer cost less per chunk.
_CHUNKS_PER_PROCESS = 12


def chunk_bounds(documents: list[str], pieces: int) -> list[int]:
    """Indices cutting ``documents`` into at most ``pieces`` consecutive runs of similar size in characters,
    from 0 to ``len(documents)``.

    Example:
        >>> chunk_bounds(["aa", "b", "c", "dd"], 2)
        [0, 2, 4]
    """
    target = max(1, sum(map(len, documents)) // max(1, pieces))
    bounds = [0]
    size = 0
    for i, doc in enumerate(documents):
        if size >= target:
            bounds.append(i)
            size = 0
        size += len(doc)
    bounds.append(len(documents))
    return bounds


def _claim(counter: Any, n: int) -> Iterator[int]:
    """Chunk indices taken one at a time from the counter shared by all processes, until ``n`` are taken."""
    while True:
        with counter.get_lock():
            i = counter.value
            if i < n:
                counter.value = i + 1
        if i >= n:
            return
        yield i


def _pack(token_lists: list[list[str]]) -> str:
    return _DOCSEP.join(map(_TOKENSEP.join, token_lists))


def _unpack(packed: str, n_docs: int) -> list[list[str]]:
    docs = packed.split(_DOCSEP)
    if len(docs) != n_docs:
        raise RuntimeError("a token contained a control separator; tokenize with n_jobs=1")
    return [d.split(_TOKENSEP) if d else [] for d in docs]


def _work(tok: Any, documents: list[str], bounds: list[int], counter: Any, conn: Any) -> None:
    """A worker process: tokenize claimed chunks, then send ``(True, [(index, packed), ...])`` or, on an error,
    ``(False, exception, traceback text)``."""
    try:
        tok._build()  # already built when forked; rebuilt from the parameters under the spawn start method
        done = [(i, _pack(tok._tokenize_batch(documents[bounds[i]: bounds[i + 1]])))
                for i in _claim(counter, len(bounds) - 1)]
        conn.send((True, done))
    except BaseException as exc:  # noqa: BLE001 (reported to the parent, which raises it)
        text = traceback.format_exc()
        try:
            conn.send((False, exc, text))
        except Exception:  # the exception itself does not pickle
            conn.send((False, RuntimeError(text), text))
    finally:
        conn.close()


def tokenize_parallel(tok: Any, documents: list[str], jobs: int, progress: bool) -> list[list[str]]:
    """Token lists of ``documents`` (in order) computed by this process and ``jobs - 1`` worker processes."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    bounds = chunk_bounds(documents, jobs * _CHUNKS_PER_PROCESS)
    n = len(bounds) - 1
    counter = context.Value("q", 0)
    parts: list[Any] = [None] * n
    workers: list[tuple[Any, Any]] = []
    bar = _bar(n) if progress else None
    finished = False
    try:
        for _ in range(jobs - 1):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(tok, documents, bounds, counter, send), daemon=True)
            process.start()
            send.close()  # the worker holds the only sending end, so its death is seen as EOF
            workers.append((process, receive))
        for i in _claim(counter, n):
            parts[i] = tok._tokenize_batch(documents[bounds[i]: bounds[i + 1]])
            if bar is not None:
                bar.update(min(counter.value, n) - bar.n)
        for process, receive in workers:
            try:
                message = receive.recv()
            except EOFError:
                process.join()
                raise RuntimeError(f"a tokenizing worker process died (exit code {process.exitcode}); "
                                   "try again with n_jobs=1") from None
            if not message[0]:
                raise message[1] from RuntimeError(f"in a tokenizing worker process:\n{message[2]}")
            for i, packed in message[1]:
                parts[i] = _unpack(packed, bounds[i + 1] - bounds[i])
        finished = True
    finally:
        if bar is not None:
            if finished:
                bar.update(n - bar.n)
            bar.close()
        if not finished:
            with counter.get_lock():
                counter.value = n  # workers still running claim nothing more
        for process, receive in workers:
            receive.close()
            if not finished:
                process.terminate()
            process.join()
    return list(chain.from_iterable(parts))


def _bar(total: int) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="tokenizing", unit="chunk")
