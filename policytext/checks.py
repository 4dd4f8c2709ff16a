"""Checks shared by every stage: the input a function is given is the kind of input it can use.

Example:
    >>> ensure_documents(["数字政府"])
    ['数字政府']
"""

from __future__ import annotations

from typing import Any


def ensure_documents(texts: Any, argument: str = "texts") -> list[str]:
    """Return ``texts`` as a list of strings, refusing a bare string.

    A bare ``str`` iterates into single characters, which for Chinese looks like a plausible result and hides
    the mistake, so it is an error.

    Example:
        >>> ensure_documents(["数字政府"])
        ['数字政府']
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError(
            f"{argument} must be a list of documents, not a single {type(texts).__name__}; "
            f"wrap it in a list: [{argument}]"
        )
    try:
        documents = list(texts)
    except TypeError:
        raise TypeError(f"{argument} must be an iterable of str, not {type(texts).__name__}") from None
    for i, doc in enumerate(documents):
        if not isinstance(doc, str):
            raise TypeError(f"{argument}[{i}] is a {type(doc).__name__}, not a str")
    return documents


def ensure_text(text: object, name: str = "text") -> str:
    """Return ``text`` if it is one ``str``; otherwise raise a TypeError that says to clean one text at a time.

    Example:
        >>> ensure_text("数字政府")
        '数字政府'
    """
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {type(text).__name__}; clean one document at a time "
                        "(e.g. [clean_text(t) for t in texts])")
    return text


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity) that other work is not already keeping busy.

    Two readings of "busy", and the smaller counts: the 1-minute load average (runnable processes, this one
    included, so one unit of load is ours), and on Linux the share of CPU time the whole machine spent working
    over the last 0.1 s (while this process sleeps). The load average lags by a minute, so right after a parallel
    run of our own it still shows our workers; the short sample sees they are gone. A sizing hint for a pool,
    not a measurement.

    Example:
        >>> usable_cores() >= 1
        True
    """
    import os

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    try:
        busy = max(0.0, os.getloadavg()[0] - 1.0)
    except (AttributeError, OSError):
        busy = 0.0
    now = _busy_now()
    if now is not None:
        busy = min(busy, now)
    return max(1, min(cores, int(round(cores - busy))))


def _busy_now(window: float = 0.1) -> float | None:
    """Cores' worth of CPU time the machine spent working over ``window`` seconds (Linux /proc/stat), or None."""
    import os
    import time

    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return sum(fields[:8]), idle  # guest time is already counted in user time

    try:
        total0, idle0 = sample()
        time.sleep(window)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    if total1 <= total0:
        return None
    return (os.cpu_count() or 1) * (1.0 - (idle1 - idle0) / (total1 - total0))


def resolve_jobs(n_jobs: object, argument: str = "n_jobs") -> int:
    """Processes to start for ``n_jobs``: a positive count as given, ``-1`` the usable cores, ``-2`` one fewer ...

    Example:
        >>> resolve_jobs(3)
        3
    """
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0:
        raise ValueError(f"{argument} must be a non-zero int (-1 = every free core), not {n_jobs!r}")
    return n_jobs if n_jobs > 0 else max(1, usable_cores() + 1 + n_jobs)


def check_topic_numbers(ks: Any, n_segments: int, n_terms: int) -> list[int]:
    """Return ``ks`` as a list of ints if every K can be fitted on ``n_segments`` segments with ``n_terms``
    distinct terms; raise ``ValueError`` before any fitting otherwise.

    More topics than segments or than terms leaves topics with nothing to describe, and the cost of fitting
    grows with K times the vocabulary (``--k 2000`` on nine documents took 6 GB), so both bound K.

    Example:
        >>> check_topic_numbers([6, 8], n_segments=50, n_terms=400)
        [6, 8]
    """
    values = [int(k) for k in ks]
    if not values or min(values) < 1:
        raise ValueError(f"numbers of topics must be positive integers, got {list(ks)!r}")
    limit = min(n_segments, n_terms)
    too_many = [k for k in values if k > limit]
    if too_many:
        raise ValueError(
            f"K={too_many[0]} is more topics than the corpus can hold: it has {n_segments} segments and {n_terms} "
            f"distinct terms, so K may be at most {limit}; choose fewer topics (e.g. --k 2..{max(2, min(limit, 30))})"
        )
    return values


def show_progress(progress: bool | None) -> bool:
    """Whether a long step draws a progress bar: ``None`` means when stderr is a terminal (not in logs or tests).

    Example:
        >>> show_progress(False), show_progress(True)
        (False, True)
    """
    if progress is None:
        import sys

        stream = sys.stderr
        return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())
    return bool(progress)


def progress_bar(enabled: bool, *, total: int, desc: str, unit: str) -> Any:
    """A tqdm bar on stderr (never stdout), or a stand-in that ignores ``update`` and ``close`` when disabled.

    Example:
        >>> bar = progress_bar(False, total=3, desc="fits", unit="fit")
        >>> bar.update(1); bar.close()
    """
    if not enabled:
        return _NoBar()
    import sys

    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True)


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        pass
