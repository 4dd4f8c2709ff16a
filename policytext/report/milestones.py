"""Dated milestones of China's digital-government policy 2014–2022, bundled as data.

``policytext/data/timeline.csv`` holds one row per milestone: date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as
precisely as known), year, level (national, provincial, municipal, district, regional), issuer, Chinese title,
document number (发文字号) where there is one, kind of event, a theme, a tier (1: the headline national
documents drawn on plots by default, 2: other national events, 3: local ones), short English and Chinese labels,
and how far the date and facts were verified (verified, partial, unverified).

Themes trace the story read from the documents: big-data → internet-plus / online-services / data-sharing →
data-factor / digital-government, with digital-china, local-reform, hotline and city-platform beside them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from policytext.resources import package_data

LEVELS = ("national", "regional", "provincial", "municipal", "district")
THEMES = ("big-data", "internet-plus", "online-services", "data-sharing", "data-factor", "digital-government",
          "digital-china", "local-reform", "hotline", "city-platform")


def load_milestones(*, level: str | Iterable[str] | None = None, tier: int | None = None,
                    theme: str | Iterable[str] | None = None, since: int | None = None,
                    until: int | None = None) -> pd.DataFrame:
    """Milestones as a DataFrame, oldest first, optionally filtered.

    ``tier=1`` keeps the headline documents, ``tier=2`` those and the other national events. ``when`` is the date
    as a timestamp (first day of the month or year where the day or month is unknown) for plotting.

    Example:
        >>> m = load_milestones(tier=1)
        >>> m.loc[m["doc_number"] == "国发〔2022〕14号", "year"].item()
        2022
    """
    frame = pd.read_csv(package_data("timeline.csv"), dtype={"doc_number": "string", "date": "string"},
                        keep_default_na=False, na_values={"doc_number": [""]})
    frame["when"] = pd.to_datetime(frame["date"].map(_full_date), format="%Y-%m-%d")
    if level is not None:
        wanted = _choices([level] if isinstance(level, str) else list(level), LEVELS, "level")
        frame = frame[frame["level"].isin(wanted)]
    if theme is not None:
        wanted = _choices([theme] if isinstance(theme, str) else list(theme), THEMES, "theme")
        frame = frame[frame["theme"].isin(wanted)]
    if tier is not None:
        if tier not in (1, 2, 3):
            raise ValueError(f"tier must be 1 (headline), 2 (national) or 3 (all), not {tier!r}")
        frame = frame[frame["tier"] <= tier]
    if since is not None:
        frame = frame[frame["year"] >= since]
    if until is not None:
        frame = frame[frame["year"] <= until]
    return frame.sort_values("when", kind="stable").reset_index(drop=True)


def _full_date(date: str) -> str:
    parts = date.split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def _choices(values: list[str], valid: tuple[str, ...], argument: str) -> list[str]:
    bad = [v for v in values if v not in valid]
    if bad:
        raise ValueError(f"{argument} {bad} not known; choose from {list(valid)}")
    return values
