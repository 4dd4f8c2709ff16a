"""select_k keeps its fits (the same models a refit gives), sizes its pool to the free cores and says its backend."""

from __future__ import annotations

import numpy as np
import pytest

import policytext as pt
from policytext.checks import resolve_jobs, usable_cores
from policytext.topics.select import resolve_backend, select_k

THEMES = [["大数据", "云计算", "数据中心", "产业"], ["政务服务", "网上办理", "群众", "办事"],
          ["数据要素", "市场", "数据交易", "确权"]]
DOCS = [THEMES[i % 3] + THEMES[(i + 1) % 3][:1] for i in range(30)]


@pytest.mark.parametrize("backend", ["gensim", "tomotopy"])
def test_returned_models_equal_a_refit(backend):
    table, models = select_k(DOCS, ks=[2, 3], seeds=[5, 6], backend=backend, passes=3, train_iter=60, min_df=1,
                             max_df=1.0, n_jobs=2, return_models=True)
    assert set(models) == {(2, 5), (2, 6), (3, 5), (3, 6)}
    assert table.attrs["backend"] == backend and table.attrs["n_jobs"] == 2
    for (k, seed), model in models.items():
        refit = pt.TopicModel(k=k, seed=seed, backend=backend, passes=3, train_iter=60, min_df=1,
                              max_df=1.0).fit(DOCS)
        np.testing.assert_array_equal(model.topic_word_counts_, refit.topic_word_counts_)
        np.testing.assert_array_equal(model.transform(DOCS), refit.transform(DOCS))
        assert model.dictionary_.token2id == refit.dictionary_.token2id
        assert model.top_terms(3).equals(refit.top_terms(3))
    # The table's coherence and perplexity are those of the returned models.
    row = table.set_index("k").loc[3]
    expected = np.mean([models[3, s].coherence(DOCS, measures=["c_v"])["c_v"] for s in (5, 6)])
    assert row["c_v"] == pytest.approx(expected, abs=1e-12)
    assert row["perplexity"] == pytest.approx(np.mean([models[3, s].perplexity(DOCS) for s in (5, 6)]), rel=1e-9)


def test_auto_backend_is_tomotopy_when_installed():
    assert resolve_backend("auto") == "tomotopy"  # tomotopy is installed with the test extra
    table = select_k(DOCS, ks=[2], seeds=[1], train_iter=30, min_df=1, max_df=1.0, n_jobs=1)
    assert table.attrs["backend"] == "tomotopy"
    with pytest.raises(ValueError, match="backend must be 'auto' or one of"):
        resolve_backend("mallet")


def test_free_cores_and_jobs(monkeypatch):
    import os

    from policytext import checks

    cores = len(os.sched_getaffinity(0))
    assert 1 <= usable_cores() <= (os.cpu_count() or 1)
    monkeypatch.setattr(os, "getloadavg", lambda: (50.0, 50.0, 50.0))
    monkeypatch.setattr(checks, "_busy_now", lambda: None)  # no /proc/stat: the load average alone decides
    assert usable_cores() == 1 and resolve_jobs(-1) == 1
    monkeypatch.setattr(checks, "_busy_now", lambda: float(cores))  # the machine is busy now too
    assert usable_cores() == 1
    # Our own parallel run a moment ago still weighs on the 1-minute load average; the machine is idle now.
    monkeypatch.setattr(os, "getloadavg", lambda: (1.0 + cores, 1.0, 1.0))
    monkeypatch.setattr(checks, "_busy_now", lambda: 0.0)
    assert usable_cores() == cores == resolve_jobs(-1)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    monkeypatch.setattr(checks, "_busy_now", lambda: None)
    assert usable_cores() == cores == resolve_jobs(-1)
    monkeypatch.undo()
    busy = checks._busy_now(0.05)  # a real sample: within the machine's cores
    assert busy is None or 0.0 <= busy <= (os.cpu_count() or 1) + 1e-9
    assert resolve_jobs(3) == 3
    with pytest.raises(ValueError, match="n_jobs must be a non-zero int"):
        resolve_jobs(0)
    with pytest.raises(ValueError, match="n_jobs must be a non-zero int"):
        select_k(DOCS, ks=[2], seeds=[1], n_jobs=0, min_df=1, max_df=1.0)
