"""Figures stay readable: one panel for a few series, small multiples for many, and a window on the years."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from policytext.report.plots import plot_label_shares, plot_term_trends  # noqa: E402

YEARS = range(2010, 2024)


def trends(n_terms: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.uniform(0, 2, (len(YEARS), n_terms)), index=pd.Index(YEARS, name="year"),
                         columns=[f"术语{i}" for i in range(n_terms)])
    return frame


def shares(n_labels: int) -> pd.DataFrame:
    rows = [{"year": y, "column": f"L{i}", "share": 0.1, "lower": 0.05, "upper": 0.15}
            for i in range(n_labels) for y in YEARS]
    return pd.DataFrame(rows + [{"year": y, "column": "0", "share": 0.8, "lower": 0.7, "upper": 0.9} for y in YEARS])


def visible_axes(fig) -> list:
    return [ax for ax in fig.axes if ax.get_visible()]


def test_a_few_terms_share_one_panel_and_many_get_one_each():
    assert len(visible_axes(plot_term_trends(trends(4), milestones=None))) == 1
    many = plot_term_trends(trends(17), milestones=None)
    panels = visible_axes(many)
    assert len(panels) == 17 and [ax.get_title() for ax in panels][:2] == ["术语0", "术语1"]
    # Each panel has its own scale, and the last panel of every column labels the years.
    assert len({ax.get_ylim() for ax in panels}) > 1
    assert all(ax.xaxis.get_tick_params()["labelbottom"] for ax in panels[-4:])


def test_window_keeps_only_the_focus_years():
    fig = plot_term_trends(trends(2), window=(2014, 2022), milestones=None)
    x = fig.axes[0].lines[0].get_xdata()
    assert (min(x), max(x)) == (2014, 2022)
    with pytest.raises(ValueError, match="first <= last"):
        plot_term_trends(trends(2), window=(2022, 2014))
    with pytest.raises(ValueError, match="no rows of the table fall in the window"):
        plot_term_trends(trends(2), window=(1990, 1995))
    with pytest.raises(ValueError, match="no terms to plot"):
        plot_term_trends(trends(2), terms=[])


def test_label_shares_use_small_multiples_for_many_labels():
    assert len(visible_axes(plot_label_shares(shares(3)))) == 1
    fig = plot_label_shares(shares(15), window=(2014, 2022))
    panels = visible_axes(fig)
    assert len(panels) == 15 and "0" not in [ax.get_title() for ax in panels]
    assert len({ax.get_ylim() for ax in panels}) == 1  # shares compare across panels
    assert min(panels[0].lines[0].get_xdata()) == 2014
    with pytest.raises(ValueError, match="no labels to plot"):
        plot_label_shares(shares(0))
