"""Progress of the long topic steps: on stderr only, off when asked, off by default when stderr is no terminal."""

from __future__ import annotations

import numpy as np
import pytest

from policytext.checks import show_progress
from policytext.cli.main import build_parser, main
from policytext.topics.model import TopicModel
from policytext.topics.select import select_k

DOCS = [["数据", "共享", "开放", "平台"], ["政务", "服务", "办理", "窗口"], ["数据", "要素", "市场", "交易"]] * 12


def test_default_follows_whether_stderr_is_a_terminal(monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert show_progress(None) is False
    assert show_progress(True) is True and show_progress(False) is False


@pytest.mark.parametrize("backend", ["gensim", "tomotopy"])
def test_fit_progress_goes_to_stderr_and_changes_nothing(backend, capsys):
    if backend == "tomotopy":
        pytest.importorskip("tomotopy")
    params = dict(k=2, seed=3, backend=backend, min_df=1, max_df=1.0, passes=3, train_iter=25)
    quiet = TopicModel(**params).fit(DOCS, progress=False)
    assert capsys.readouterr().err == ""
    shown = TopicModel(**params).fit(DOCS, progress=True)
    captured = capsys.readouterr()
    assert "LDA K=2" in captured.err and captured.out == ""
    np.testing.assert_array_equal(quiet.topic_word_counts_, shown.topic_word_counts_)
    TopicModel(**params).fit(DOCS)  # default: stderr is captured, not a terminal, so no bar
    assert capsys.readouterr().err == ""


def test_select_k_progress_counts_the_fits(capsys):
    table = select_k(DOCS, ks=[2, 3], seeds=[1], backend="gensim", min_df=1, max_df=1.0, passes=1, n_jobs=1,
                     progress=True)
    captured = capsys.readouterr()
    assert "select_k: 2 fits" in captured.err and captured.out == ""
    select_k(DOCS, ks=[2, 3], seeds=[1], backend="gensim", min_df=1, max_df=1.0, passes=1, n_jobs=1)
    assert capsys.readouterr().err == ""
    assert list(table["k"]) == [2, 3]


def test_quiet_is_accepted_anywhere_on_the_line():
    assert "--quiet" in build_parser().format_help()
    assert main(["--quiet", "info"]) == 0
    assert main(["info", "--quiet"]) == 0
    assert main(["info", "-q"]) == 0
