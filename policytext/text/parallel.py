"""Tokenizing on several processes: the calling process and ``jobs - 1`` workers take chunks of documents from one
shared counter until none are left; a worker's tokens come back packed in one string per chunk.

Used by :meth:`~policytext.text.tokenize.Tokenizer.tokenize_many`; every process tokenizes a chunk exactly as a
serial run would (``tokenizer._tokenize_batch``), so results are identical to a serial run.

Why it is built this way (measured on the 6.8 MB policy set on 2 cores, issue #15):
- The calling process tokenizes too, instead of idling while workers work: on 2 cores one worker is forked, not
  two, and the parent's share needs neither transfer nor unpacking.
- Workers are forked per call and inherit the documents, the chunk bounds and the built segmenter, so nothing is
  sent to them. The parent holds the GIL while it segments, so anything that needs the parent's attention to move
  (a pipe it must drain, an executor's helper threads) would stall, and the worker with it.
- Chunks are claimed from a shared counter, so a process that gets less CPU (a busy machine) simply takes fewer
  chunks, and a worker that starts late (the spawn start method re-imports everything) finds fewer or none.
- A worker writes each finished chunk to a file of its own and sends only the chunk's number, a message too small
  to ever block it; between its own chunks the parent reads and unpacks what is ready, so little is left to
  unpack once the counter runs out.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import traceback
from collections.abc import Iterator
from itertools import chain
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from policytext.checks import progress_bar
from policytext.persist import staging_folder

# Tokens travel back from workers as one string per chunk: pickling a list of many small strings costs more
# than the segmentation itself, while joining and splitting on control characters is nearly free.
_TOKENSEP, _DOCSEP = "\x1f", "\x1e"
# Chunks per process: more balance the processes' finishing times better, fewer cost less per chunk; chunks
# are also kept below _CHUNK_CHARS so that a chunk's tokens, waiting in a file, stay small.
_CHUNKS_PER_PROCESS = 12
_CHUNK_CHARS = 400_000
# Files of packed tokens hold the strings exactly: no newline translation, and lone surrogates (text decoded with
# errors="surrogateescape") pass, as they would through pickle.
_TEXT_FILE: dict[str, Any] = {"encoding": "utf-8", "errors": "surrogatepass", "newline": ""}


def chunk_bounds(documents: list[str], pieces: int) -> list[int]:
    """Indices cutting ``documents`` into about ``pieces`` consecutive runs of similar size in characters,
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


def _work(tok: Any, documents: list[str], bounds: list[int], counter: Any, folder: str, conn: Any) -> None:
    """A worker process: for each claimed chunk write its packed tokens to ``folder/<index>`` and send the index;
    send None when no chunk is left, or ``(exception, traceback text)`` on an error."""
    try:
        tok._build()  # already built when forked; rebuilt from the parameters under the spawn start method
        for i in _claim(counter, len(bounds) - 1):
            packed = _pack(tok._tokenize_batch(documents[bounds[i]: bounds[i + 1]]))
            with open(os.path.join(folder, str(i)), "w", **_TEXT_FILE) as file:
                file.write(packed)
            conn.send(i)
        conn.send(None)
    except BaseException as exc:  # noqa: BLE001 (reported to the parent, which raises it)
        text = traceback.format_exc()
        try:
            conn.send((exc, text))
        except Exception:  # the exception itself does not pickle
            conn.send((RuntimeError(text), text))
    finally:
        conn.close()


def tokenize_parallel(tok: Any, documents: list[str], jobs: int, progress: bool) -> list[list[str]]:
    """Token lists of ``documents`` (in order) computed by this process and ``jobs - 1`` worker processes."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pieces = max(jobs * _CHUNKS_PER_PROCESS, sum(map(len, documents)) // _CHUNK_CHARS)
    bounds = chunk_bounds(documents, pieces)
    n = len(bounds) - 1
    counter = context.Value("q", 0)
    parts: list[Any] = [None] * n
    workers: dict[Any, Any] = {}  # receiving end -> process
    bar = progress_bar(progress, total=n, desc="tokenizing", unit="chunk")
    shown = 0  # chunks the bar shows as done
    # Named after this process, so that a later run removes it if this one is killed; private, as it holds tokens
    # of the caller's texts.
    folder = str(staging_folder(Path(tempfile.gettempdir()) / "policytext-tokens"))
    os.chmod(folder, 0o700)
    finished = False

    def collect(block: bool) -> None:
        """Unpack the chunks workers have finished; with ``block``, wait until every worker is done."""
        while workers:
            for receive in wait(list(workers), timeout=None if block else 0):
                try:
                    message = receive.recv()
                except EOFError:
                    process = workers[receive]
                    process.join()
                    raise RuntimeError(f"a tokenizing worker process died (exit code {process.exitcode}); "
                                       "try again with n_jobs=1") from None
                if message is None:
                    workers.pop(receive).join()
                elif isinstance(message, int):
                    path = os.path.join(folder, str(message))
                    with open(path, **_TEXT_FILE) as file:
                        parts[message] = _unpack(file.read(), bounds[message + 1] - bounds[message])
                    os.remove(path)
                else:
                    raise message[0] from RuntimeError(f"in a tokenizing worker process:\n{message[1]}")
            if not block:
                return

    try:
        for _ in range(jobs - 1):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(tok, documents, bounds, counter, folder, send),
                                      daemon=True)
            process.start()
            send.close()  # the worker holds the only sending end, so its death is seen as EOF
            workers[receive] = process
        for i in _claim(counter, n):
            parts[i] = tok._tokenize_batch(documents[bounds[i]: bounds[i + 1]])
            collect(block=False)
            claimed = min(counter.value, n)
            bar.update(claimed - shown)
            shown = claimed
        collect(block=True)
        finished = True
    finally:
        if finished:
            bar.update(n - shown)
        bar.close()
        for receive, process in workers.items():  # left only when something failed
            receive.close()
            process.terminate()
            process.join()
        shutil.rmtree(folder, ignore_errors=True)
    return list(chain.from_iterable(parts))
