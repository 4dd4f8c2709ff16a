"""Tokenizing on several processes: identical results, errors raised in the caller, no process left behind."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from policytext import Tokenizer
from policytext.text.parallel import chunk_bounds, tokenize_parallel

TEXTS = ["推进“互联网+政务服务”，实现一网通办。" * (i % 7 + 1) for i in range(60)] + ["", "COVID-19期间借助5G网络"]


def test_chunk_bounds_cover_every_document_once():
    docs = ["a" * n for n in (5, 1, 1, 1, 9, 0, 2)]
    for pieces in (1, 2, 3, 7, 50):
        bounds = chunk_bounds(docs, pieces)
        assert bounds[0] == 0 and bounds[-1] == len(docs)
        assert bounds == sorted(set(bounds))
    assert chunk_bounds([], 4) == [0, 0]


@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_equals_serial_and_leaves_no_process(jobs):
    tok = Tokenizer(n_jobs=1).fit()
    expected = tok.tokenize_many(TEXTS)
    assert tokenize_parallel(tok, TEXTS, jobs, progress=False) == expected
    assert multiprocessing.active_children() == []


class _FailsInWorker(Tokenizer):
    """Raises (or dies) when a worker process tokenizes; the calling process works normally."""

    def _tokenize_batch(self, documents):
        if os.getpid() != self._parent_pid:
            if self._how == "exit":
                os._exit(3)
            raise ValueError("broken in the worker")
        return super()._tokenize_batch(documents)


@pytest.mark.parametrize(("how", "error", "message"), [
    ("raise", ValueError, "broken in the worker"),
    ("exit", RuntimeError, "worker process died"),
])
def test_worker_failure_is_raised_and_cleaned_up(monkeypatch, how, error, message):
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the failing tokenizer is handed to workers by fork")
    tok = _FailsInWorker(n_jobs=1).fit()
    tok._parent_pid, tok._how = os.getpid(), how
    # Many small chunks and slow work in the parent, so the worker surely takes one.
    monkeypatch.setattr("policytext.text.parallel._CHUNKS_PER_PROCESS", 30)
    with pytest.raises(error, match=message):
        tokenize_parallel(tok, TEXTS * 20, 2, progress=False)
    assert multiprocessing.active_children() == []


def test_failure_in_the_calling_process_stops_the_workers(monkeypatch):
    tok = Tokenizer(n_jobs=1).fit()
    parent, calls = os.getpid(), []

    def fails_on_second_call(documents):
        calls.append(1)
        if os.getpid() == parent and len(calls) == 2:
            raise KeyboardInterrupt
        return Tokenizer._tokenize_batch(tok, documents)

    monkeypatch.setattr(tok, "_tokenize_batch", fails_on_second_call)
    monkeypatch.setattr("policytext.text.parallel._CHUNKS_PER_PROCESS", 30)
    with pytest.raises(KeyboardInterrupt):
        tokenize_parallel(tok, TEXTS * 20, 2, progress=False)
    assert multiprocessing.active_children() == []


def test_lone_surrogates_and_carriage_returns_come_back_exactly():
    tok = Tokenizer(backend="jieba", lexicon=None, drop_punctuation=False, stopwords=None, n_jobs=1).fit()
    texts = [f"数字政府\udc80建设\r\n一网通办 {i}" for i in range(200)]
    assert tokenize_parallel(tok, texts, 2, progress=False) == tok.tokenize_many(texts)


def test_folders_of_killed_runs_are_removed_and_live_ones_kept(tmp_path, monkeypatch):
    import stat
    import subprocess
    import sys
    import tempfile

    from policytext.text import parallel

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".policytext-tokens.partial-{int(dead.stdout)}-abc"  # its process has exited
    stale.mkdir()
    (stale / "3").write_text("packed tokens", encoding="utf-8")
    live = tmp_path / f".policytext-tokens.partial-{os.getpid()}-xyz"
    live.mkdir()
    other = tmp_path / "policytext-tokens-notours"
    other.mkdir()
    modes = []
    real_process = parallel.multiprocessing.get_context("fork").Process

    def watching(*args, **kwargs):  # note the chunk folder's permissions when a worker starts
        modes.append(stat.S_IMODE(os.stat(kwargs["args"][4]).st_mode))
        return real_process(*args, **kwargs)

    monkeypatch.setattr(parallel.multiprocessing.context.ForkContext, "Process", staticmethod(watching))
    tok = Tokenizer(n_jobs=1).fit()
    assert tokenize_parallel(tok, TEXTS, 2, progress=False) == tok.tokenize_many(TEXTS)
    assert not stale.exists() and live.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])  # its own folder is gone
    assert modes == [0o700]  # the folder holding tokens of the caller's texts is private
