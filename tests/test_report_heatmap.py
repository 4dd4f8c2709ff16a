"""The long view of many terms as one heat map (issue #11), and report progress on stderr."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from policytext.report.plots import plot_term_heatmap  # noqa: E402

TERMS = ["信息化", "电子政务", "政务服务", "云计算", "大数据", "互联网+", "放管服", "数字政府"]


def _rates() -> pd.DataFrame:
    years = [y for y in range(1980, 2024) if y not in (1990, 1991)]  # two years without documents
    starts = dict(zip(TERMS, [1984, 1992, 1999, 2009, 2012, 2015, 2016, 2017]))
    frame = pd.DataFrame({t: [0.0 if y < starts[t] else 0.1 + (y - starts[t]) / 5 for y in years] for t in TERMS},
                         index=pd.Index(years, name="year"))
    return frame[TERMS[::-1]]  # columns in another order than first appearance


def test_heatmap_rows_follow_first_appearance_with_a_colour_bar(tmp_path):
    fig = plot_term_heatmap(_rates(), milestones=None, path=tmp_path / "heat.png")
    ax, bar = fig.axes[0], fig.axes[1]
    assert [t.get_text() for t in ax.get_yticklabels()] == TERMS
    assert "log scale" in bar.get_ylabel()
    assert ax.get_xlim() == (1979.5, 2023.5)  # every year has its cell, the gap years too (grey)
    mesh = ax.collections[-1]
    assert np.ma.count_masked(mesh.get_array()) > 0  # zeros and missing years are not coloured
    assert (tmp_path / "heat.png").stat().st_size > 10_000


def test_heatmap_window_and_milestones(tmp_path):
    fig = plot_term_heatmap(_rates(), window=(2010, 2023))
    assert fig.axes[0].get_xlim() == (2009.5, 2023.5)
    assert fig.get_supxlabel()  # the milestone key under the figure


def test_heatmap_refuses_a_table_not_indexed_by_years():
    with pytest.raises(ValueError, match="indexed by years"):
        plot_term_heatmap(_rates().set_axis([f"x{i}" for i in range(len(_rates()))]))
    with pytest.raises(ValueError, match="not columns"):
        plot_term_heatmap(_rates(), terms=["区块链"])
