"""Plots for choosing K and for topic shares over time, with the policy milestones marked.

Chinese labels need a CJK font. :func:`use_chinese_font` finds one (Noto Sans CJK, WenQuanYi, Source Han, SimHei
...) or falls back to the subset of Noto Sans CJK SC bundled with policytext, and returns matplotlib settings;
every plotting function applies them in an ``rc_context`` and never changes matplotlib's global settings. Figures are built without pyplot, so nothing accumulates in pyplot's registry.
"""

from __future__ import annotations

import os
import re
import textwrap
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from policytext.resources import package_data

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "Hiragino Sans GB",
             "Arial Unicode MS", "Droid Sans Fallback", "AR PL UMing CN", "Noto Sans CJK JP")
BUNDLED_FONT = package_data("fonts", "NotoSansSC-Regular-GB2312.otf")
_CJK_FILE = re.compile(r"wqy|noto.*cjk|notosans.*(sc|cjk)|sourcehan|droidsansfallback|simhei|msyh|pingfang|uming",
                       re.IGNORECASE)


def use_chinese_font() -> dict[str, Any]:
    """matplotlib settings that render Chinese text: use as ``with matplotlib.rc_context(use_chinese_font()):``.

    A CJK font installed on the system is preferred (fonts installed after matplotlib built its font cache are
    registered on the first call); without one, the subset of Noto Sans CJK SC bundled with policytext
    (``policytext/data/fonts``, the GB 2312 characters and more) is used, so figures render Chinese on a bare
    machine. Only if that file is missing too are ``{}`` returned, with one warning per process.

    Example:
        >>> import matplotlib
        >>> with matplotlib.rc_context(use_chinese_font()):  # doctest: +SKIP
        ...     pass
    """
    from matplotlib import font_manager

    def available() -> list[str]:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return [name for name in CJK_FONTS if name in names]

    found = available()
    if not found:
        for path in font_manager.findSystemFonts():
            if _CJK_FILE.search(Path(path).name):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = available()
    if not found and BUNDLED_FONT.is_file():
        font_manager.fontManager.addfont(str(BUNDLED_FONT))
        found = available()
    if not found:
        _warn_once("no Chinese (CJK) font found for matplotlib and the bundled one is missing; Chinese labels will "
                   "show as boxes. Reinstall policytext, or install a font, e.g. `apt-get install fonts-wqy-microhei`")
        return {}
    # Concrete family names rather than "sans-serif": text keeps its font when drawn outside this context.
    return {"font.family": [found[0], "DejaVu Sans"], "axes.unicode_minus": False}


@lru_cache(maxsize=None)
def _warn_once(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=3)


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _finish(fig: Any, path: str | os.PathLike[str] | None) -> Any:
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=150)
    return fig


def plot_select_k(table: pd.DataFrame, *, path: str | os.PathLike[str] | None = None) -> Any:
    """Coherence (c_v, u_mass), stability and perplexity against K from :func:`select_k`, the recommended K marked.

    Example:
        >>> fig = plot_select_k(pt.select_k(tokens, ks=[6, 8, 10]))  # doctest: +SKIP
    """
    import matplotlib

    missing = [c for c in ("k", "c_v", "u_mass", "stability", "perplexity") if c not in table.columns]
    if missing:
        raise ValueError(f"plot_select_k needs a table from select_k(); columns {missing} are missing")
    best = table.attrs.get("recommended_k")
    with matplotlib.rc_context(use_chinese_font()):
        fig = _figure(9, 6)
        axes = fig.subplots(2, 2, sharex=True).ravel()
        panels = [("c_v", "c_v coherence (higher is better)"), ("u_mass", "u_mass coherence (higher is better)"),
                  ("stability", "stability across seeds (higher is better)"), ("perplexity", "perplexity (lower is better)")]
        for ax, (column, title) in zip(axes, panels):
            sd = table.get(f"{column}_sd")
            if sd is not None and sd.notna().any():
                ax.errorbar(table["k"], table[column], yerr=sd.fillna(0), marker="o", capsize=3)
            else:
                ax.plot(table["k"], table[column], marker="o")
            if best is not None:
                ax.axvline(best, color="tab:red", linestyle="--", linewidth=1)
            ax.set_title(title, fontsize=10)
            ax.grid(alpha=0.3)
        for ax in axes[2:]:
            ax.set_xlabel("number of topics K")
            ax.set_xticks(table["k"].tolist())
        reason = table.attrs.get("reason")
        if reason:
            fig.suptitle("\n".join(textwrap.wrap(f"Recommended: {reason}", 110)), fontsize=9)
        return _finish(fig, path)


def plot_topic_shares(shares: pd.DataFrame, *, topics: list[int] | None = None, milestones: Any = "default",
                      language: str = "zh", ncols: int = 3, path: str | os.PathLike[str] | None = None) -> Any:
    """Topic shares with their intervals from :func:`topic_shares`, one panel per topic.

    For a numeric ``by`` (years) the panels are lines with shaded intervals and vertical lines at the milestones
    (``"default"``: the headline national documents of :func:`load_milestones`; a DataFrame of your own with
    ``when`` and a label column; ``None`` for none), numbered with a key below. For a categorical ``by`` (level,
    doc_type) they are bars with error bars. ``language`` picks the milestone labels (``"zh"`` or ``"en"``).

    Example:
        >>> fig = plot_topic_shares(pt.topic_shares(model, gwr, by="year"))  # doctest: +SKIP
    """
    import matplotlib

    by = shares.attrs.get("by") or shares.columns[0]
    needed = [by, "topic", "label", "share", "lower", "upper"]
    missing = [c for c in needed if c not in shares.columns]
    if missing:
        raise ValueError(f"plot_topic_shares needs a table from topic_shares(); columns {missing} are missing")
    if language not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', not {language!r}")
    chosen = sorted(shares["topic"].unique()) if topics is None else list(topics)
    unknown = sorted(set(chosen) - set(shares["topic"]))
    if unknown:
        raise ValueError(f"topics {unknown} are not in the table; topics are {sorted(shares['topic'].unique())}")
    numeric = pd.api.types.is_numeric_dtype(shares[by])
    marks = _milestones(milestones, shares[by] if numeric else None)
    ncols = max(1, min(ncols, len(chosen)))
    nrows = int(np.ceil(len(chosen) / ncols))
    with matplotlib.rc_context(use_chinese_font()):
        fig = _figure(4.2 * ncols, 2.8 * nrows + (0.22 * len(marks) + 0.4 if len(marks) else 0))
        axes = _grid(fig, len(chosen), ncols, sharey=True)
        for ax, topic in zip(axes, chosen):
            part = shares[shares["topic"] == topic].sort_values(by)
            if numeric:
                x = part[by].astype(float).to_numpy()
                ax.fill_between(x, part["lower"], part["upper"], alpha=0.25)
                ax.plot(x, part["share"], marker="o", markersize=3)
                _mark(ax, marks)
            else:
                pos = np.arange(len(part))
                err = [part["share"] - part["lower"], part["upper"] - part["share"]]
                ax.bar(pos, part["share"], yerr=err, capsize=2)
                ax.set_xticks(pos, part[by].astype(str), rotation=45, ha="right", fontsize=7)
            ax.set_title(str(part["label"].iloc[0]) if len(part) else f"topic {topic}", fontsize=9)
            ax.grid(alpha=0.3)
        level = shares.attrs.get("level")
        fig.supylabel(f"mean topic share ({int(level * 100)}% bootstrap interval)" if level else "mean topic share",
                      fontsize=9)
        _milestone_key(fig, marks, language)
        return _finish(fig, path)


def _milestones(milestones: Any, x: pd.Series | None) -> pd.DataFrame:
    if milestones is None or x is None:
        return pd.DataFrame(columns=["when", "x"])
    if isinstance(milestones, str):
        if milestones != "default":
            raise ValueError(f"milestones must be 'default', None or a DataFrame, not {milestones!r}")
        from policytext.report.milestones import load_milestones

        frame = load_milestones(tier=1)
    elif isinstance(milestones, pd.DataFrame):
        if "when" not in milestones.columns:
            raise ValueError("a milestones DataFrame needs a 'when' column of dates (see load_milestones())")
        frame = milestones.copy()
        frame["when"] = pd.to_datetime(frame["when"])
    else:
        raise TypeError(f"milestones must be 'default', None or a DataFrame, not {type(milestones).__name__}")
    when = frame["when"]
    # A year axis puts 1 March 2016 at 2016.16, so a milestone sits inside the year it belongs to.
    frame["x"] = when.dt.year + (when.dt.day_of_year - 1) / 365.0
    lo, hi = float(x.min()) - 0.5, float(x.max()) + 1.0
    return frame[(frame["x"] >= lo) & (frame["x"] <= hi)].reset_index(drop=True)


def _mark(ax: Any, marks: pd.DataFrame, fontsize: int = 6) -> None:
    """Dotted vertical lines at the milestones, numbered along the top of the panel."""
    for number, (_, m) in enumerate(marks.iterrows(), 1):
        ax.axvline(m["x"], color="grey", linestyle=":", linewidth=0.8)
        ax.text(m["x"], 1.0, str(number), transform=ax.get_xaxis_transform(), fontsize=fontsize, ha="center",
                va="bottom", color="grey")


def _milestone_key(fig: Any, marks: pd.DataFrame, language: str = "zh") -> None:
    if len(marks):
        column = "label_zh" if language == "zh" else "label_en"
        key = [f"{n} {m['when']:%Y-%m} {m.get(column, m.get('label', ''))}" for n, (_, m) in
               enumerate(marks.iterrows(), 1)]
        fig.supxlabel("   ".join(key), fontsize=7, wrap=True)


def _grid(fig: Any, n: int, ncols: int, *, sharey: bool) -> np.ndarray:
    ncols = max(1, min(ncols, n))
    axes = np.atleast_1d(fig.subplots(int(np.ceil(n / ncols)), ncols, sharex=True, sharey=sharey,
                                      squeeze=False)).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    for ax in axes[max(0, n - ncols):n]:  # the last panel of each column carries the x labels
        ax.xaxis.set_tick_params(labelbottom=True)
    return axes


def _in_window(values: pd.Series, window: tuple[int, int] | None) -> pd.Series:
    if window is None:
        return pd.Series(True, index=values.index)
    if len(window) != 2 or window[0] > window[1]:
        raise ValueError(f"window must be (first, last) with first <= last, e.g. (2014, 2022); got {window!r}")
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.between(window[0], window[1])


def plot_term_trends(trends: pd.DataFrame, *, terms: list[str] | None = None, milestones: Any = "default",
                     ylabel: str = "occurrences per 10,000 characters", max_lines: int = 6,
                     window: tuple[int, int] | None = None, ncols: int = 4,
                     path: str | os.PathLike[str] | None = None) -> Any:
    """Term counts or rates from :func:`~policytext.term_trends` (index = years), milestones marked.

    Up to ``max_lines`` terms share one panel (legend beside it); more get one panel each (small multiples, each
    with its own y scale, so a rare term's rise is as visible as a common one's). ``window=(2014, 2022)`` keeps
    only those years.

    Example:
        >>> fig = plot_term_trends(pt.term_trends(gwr, ["大数据", "数据要素"], rate=True))  # doctest: +SKIP
    """
    import matplotlib

    chosen = list(trends.columns if terms is None else terms)
    missing = [t for t in chosen if t not in trends.columns]
    if missing:
        raise ValueError(f"terms {missing} are not columns of the table; columns are {list(trends.columns)}")
    if not chosen:
        raise ValueError("no terms to plot: give terms=[...] or a table with at least one term column")
    trends = trends[_in_window(pd.Series(trends.index, index=trends.index), window).to_numpy()]
    if trends.empty:
        raise ValueError(f"no rows of the table fall in the window {window}")
    x = pd.Series(trends.index, dtype=float)
    marks = _milestones(milestones, x)
    with matplotlib.rc_context(use_chinese_font()):
        if len(chosen) <= max_lines:
            fig = _figure(10, 4.5 + 0.2 * len(marks))
            ax = fig.subplots()
            for term in chosen:
                ax.plot(x, trends[term].to_numpy(dtype=float), marker="o", markersize=3, label=term)
            _mark(ax, marks, fontsize=7)
            ax.set_ylabel(ylabel)
            ax.set_xlabel(str(trends.index.name or ""))
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        else:
            nrows = int(np.ceil(len(chosen) / max(1, min(ncols, len(chosen)))))
            fig = _figure(3.2 * min(ncols, len(chosen)), 2.2 * nrows + 0.6 + 0.2 * len(marks))
            axes = _grid(fig, len(chosen), ncols, sharey=False)
            for ax, term in zip(axes, chosen):
                ax.plot(x, trends[term].to_numpy(dtype=float), marker="o", markersize=2.5)
                _mark(ax, marks)
                ax.set_title(term, fontsize=9)
                ax.set_ylim(bottom=0)
                ax.grid(alpha=0.3)
            fig.supylabel(f"{ylabel} (each panel its own scale)", fontsize=9)
        _milestone_key(fig, marks)
        return _finish(fig, path)


def plot_term_heatmap(trends: pd.DataFrame, *, terms: list[str] | None = None, milestones: Any = "default",
                      label: str = "occurrences per 10,000 characters", window: tuple[int, int] | None = None,
                      path: str | os.PathLike[str] | None = None) -> Any:
    """Terms × years as one heat map (the long view of many terms): one row per term, in order of first
    appearance, one column per year, the colour bar in the table's units on a log scale so rare and common terms
    both show. A term's zero years are white; years with no documents (or rows missing from the table) are grey.

    Example:
        >>> fig = plot_term_heatmap(pt.term_trends(policy, DEFAULT_TERMS, rate=True))  # doctest: +SKIP
    """
    import matplotlib
    from matplotlib.colors import ListedColormap, LogNorm
    from matplotlib.ticker import LogLocator

    chosen = list(trends.columns if terms is None else terms)
    missing = [t for t in chosen if t not in trends.columns]
    if missing or not chosen:
        raise ValueError(f"terms {missing or chosen} are not columns of the table; columns are {list(trends.columns)}")
    trends = trends[_in_window(pd.Series(trends.index, index=trends.index), window).to_numpy()]
    years = pd.to_numeric(pd.Series(trends.index), errors="coerce")
    if years.isna().any() or trends.empty:
        raise ValueError("plot_term_heatmap needs a table indexed by years (e.g. term_trends(..., by='year'))")
    full = np.arange(int(years.min()), int(years.max()) + 1)
    values = trends[chosen].set_axis(years.astype(int).to_numpy()).reindex(full).astype(float)
    first = {t: (values.index[values[t] > 0].min() if (values[t] > 0).any() else np.inf) for t in chosen}
    order = sorted(chosen, key=lambda t: (first[t], chosen.index(t)))
    grid = values[order].to_numpy().T
    positive = grid[np.isfinite(grid) & (grid > 0)]
    marks = _milestones(milestones, pd.Series(full, dtype=float))
    # Year Y is the cell from Y - 0.5 to Y + 0.5: a milestone of March 2016 sits a fifth of the way into it.
    marks = marks.assign(x=marks["x"] - 0.5)
    marks = marks[(marks["x"] >= full[0] - 0.5) & (marks["x"] <= full[-1] + 0.5)].reset_index(drop=True)
    with matplotlib.rc_context(use_chinese_font()):
        fig = _figure(min(16.0, max(9.0, 4.0 + 0.16 * len(full))), 1.6 + 0.3 * len(order) + 0.2 * len(marks))
        ax = fig.subplots()
        ax.set_facecolor("#d9d9d9")  # no documents that year
        zeros = np.where(np.isfinite(grid) & (grid == 0), 0.0, np.nan)
        edges_x, edges_y = np.append(full, full[-1] + 1) - 0.5, np.arange(len(order) + 1) - 0.5
        ax.pcolormesh(edges_x, edges_y, np.ma.masked_invalid(zeros), cmap=ListedColormap(["white"]))
        if len(positive):
            mesh = ax.pcolormesh(edges_x, edges_y, np.ma.masked_where(~(grid > 0), grid), cmap="viridis_r",
                                 norm=LogNorm(vmin=positive.min(), vmax=positive.max()))
            bar = fig.colorbar(mesh, ax=ax, label=f"{label} (log scale)", fraction=0.04, pad=0.01,
                               ticks=LogLocator(subs=(1.0, 2.0, 5.0)), format="%g")
            bar.ax.minorticks_off()
        ax.set_yticks(range(len(order)), order, fontsize=9)
        ax.set_ylim(len(order) - 0.5, -0.5)
        step = 1 if len(full) <= 15 else 5 if len(full) <= 60 else 10
        ax.set_xticks([y for y in full if y % step == 0] or list(full))
        ax.set_xlim(edges_x[0], edges_x[-1])
        ax.set_xlabel(str(trends.index.name or "year"))
        _mark(ax, marks)
        _milestone_key(fig, marks)
        return _finish(fig, path)


def plot_label_shares(shares: pd.DataFrame, *, by: str = "year", title: str = "", skip: tuple[str, ...] = ("0",),
                      max_lines: int = 6, window: tuple[int, int] | None = None, ncols: int = 4,
                      path: str | os.PathLike[str] | None = None) -> Any:
    """Shares of classifier labels per group with intervals, from :func:`policytext.stats.bootstrap_means`.

    The not-applicable label ``"0"`` is left out by default so the substantive labels are readable. Up to
    ``max_lines`` labels share one panel; more get one panel each (small multiples on a shared scale, so shares
    compare across panels). ``window=(2014, 2022)`` keeps only those values of a numeric ``by``.

    Example:
        >>> fig = plot_label_shares(bootstrap_means(tags, ["GM1", "GM5"], "year"))  # doctest: +SKIP
    """
    import matplotlib

    needed = [by, "column", "share", "lower", "upper"]
    missing = [c for c in needed if c not in shares.columns]
    if missing:
        raise ValueError(f"plot_label_shares needs a table from bootstrap_means(); columns {missing} are missing")
    numeric = pd.api.types.is_numeric_dtype(shares[by])
    if numeric:
        shares = shares[_in_window(shares[by], window)]
    labels = [c for c in dict.fromkeys(shares["column"]) if c not in skip]
    if not labels:
        raise ValueError(f"no labels to plot (all rows are {list(skip)} or outside the window {window})")

    def draw(ax: Any, label: str, **style: Any) -> None:
        part = shares[shares["column"] == label].sort_values(by)
        x = part[by].astype(float).to_numpy() if numeric else np.arange(len(part))
        ax.fill_between(x, part["lower"], part["upper"], alpha=0.15, **style)
        ax.plot(x, part["share"], marker="o", markersize=3, label=label, **style)
        if not numeric:
            ax.set_xticks(x, part[by].astype(str), rotation=45, ha="right", fontsize=7)

    with matplotlib.rc_context(use_chinese_font()):
        if len(labels) <= max_lines:
            fig = _figure(10, 4.2)
            ax = fig.subplots()
            for label in labels:
                draw(ax, label)
            ax.set_ylabel("share of segments (95% bootstrap interval)")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        else:
            nrows = int(np.ceil(len(labels) / max(1, min(ncols, len(labels)))))
            fig = _figure(3.2 * min(ncols, len(labels)), 2.2 * nrows + 0.6)
            for ax, label in zip(_grid(fig, len(labels), ncols, sharey=True), labels):
                draw(ax, label, color="tab:blue")
                ax.set_title(label, fontsize=9)
                ax.grid(alpha=0.3)
            fig.supylabel("share of segments (95% bootstrap interval)", fontsize=9)
        fig.suptitle(title)
        return _finish(fig, path)
