"""A finished report kept in the cache: its tables (Parquet), figures (PNG) and methods (JSON).

The key covers everything a report depends on: the corpus texts and metadata, the configuration, the shipped
models' manifests, the bytes of policytext's own modules and data files (so an edited checkout never reads a stale
report), and the versions of the libraries that compute it. Reading the entry back needs pandas and pyarrow
only, so an unchanged re-run costs little more than starting Python and writing the outputs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from policytext.resources import resource_dir
from policytext.scale.cache import Cache, cache_key

DEPENDENCIES = ("jieba", "rjieba", "gensim", "tomotopy", "scikit-learn", "scipy", "pandas", "pyarrow", "networkx",
                "matplotlib")
_INDEX = "report.json"


def report_key(corpus: Any, config: Mapping[str, Any], models: Sequence[str]) -> str:
    """Cache key of a report on ``corpus`` (a Corpus) with ``config`` (the ReportConfig as a dict).

    Example:
        >>> import policytext as pt
        >>> corpus = pt.Corpus.from_texts(["推进一网通办。"], year=[2020])
        >>> report_key(corpus, {"ks": [6, 8]}, []) == report_key(corpus, {"ks": [6, 8]}, [])
        True
    """
    manifests = [resource_dir("models") / name / "manifest.json" for name in models]
    return cache_key("report", corpus.checksum(), corpus.metadata.astype(str).to_csv(index=False),
                     {k: list(v) if isinstance(v, tuple) else v for k, v in config.items()},
                     [Path(m) for m in manifests], package_digest(), dependencies=DEPENDENCIES)


def package_digest() -> str:
    """sha256 over the names and bytes of policytext's source and data files."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def store_report(store: Cache, key: str, tables: Mapping[str, pd.DataFrame], figures: Mapping[str, Path],
                 methods: Mapping[str, Any]) -> Path | None:
    """Keep a finished report; returns the entry, or None when a table does not survive Parquet unchanged (then
    the report is not cached: a re-run must give the same files, so a lossy entry is worse than none)."""

    def write(folder: Path) -> None:
        (folder / "tables").mkdir()
        (folder / "figures").mkdir()
        for name, table in tables.items():
            path = folder / "tables" / f"{name}.parquet"
            table.to_parquet(path, index=False)
            if not _same(table.reset_index(drop=True), _restore(pd.read_parquet(path), _dtypes(table))):
                raise ValueError(f"table {name!r} does not come back from Parquet unchanged (column types)")
        for name, path in figures.items():
            shutil.copyfile(path, folder / "figures" / f"{name}.png")
        (folder / "methods.json").write_text(json.dumps(methods, ensure_ascii=False, default=str), "utf-8")
        index = {"tables": list(tables), "figures": list(figures),
                 "dtypes": {name: _dtypes(table) for name, table in tables.items()}}
        (folder / _INDEX).write_text(json.dumps(index, ensure_ascii=False), "utf-8")

    try:
        return store.put_report(key, write, meta={"what": "report"})
    except (TypeError, ValueError, ImportError) as exc:  # pyarrow refuses some mixed-type object columns
        import warnings

        warnings.warn(f"the report could not be cached ({type(exc).__name__}: {exc}); a re-run recomputes it",
                      RuntimeWarning, stacklevel=2)
        return None


def _dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {str(c): str(t) for c, t in frame.dtypes.items()}


def _restore(frame: pd.DataFrame, dtypes: Mapping[str, str]) -> pd.DataFrame:
    """Text columns that were plain Python objects come back from Parquet as pandas strings: make them objects."""
    for column, dtype in dtypes.items():
        if dtype == "object" and column in frame.columns and frame[column].dtype != object:
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None)  # missing text is None, as pandas writes it
    return frame


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(a, b, check_dtype=True, check_exact=True)
    except (AssertionError, TypeError, ValueError):
        return False
    return True


def read_report(store: Cache, key: str, figures_dir: Path
                ) -> tuple[dict[str, pd.DataFrame], dict[str, Path], dict[str, Any]] | None:
    """Tables, figures (copied into ``figures_dir``) and methods of the report under ``key``, or None."""
    folder = store.get_report(key)
    if folder is None:
        return None
    index = json.loads((folder / _INDEX).read_text(encoding="utf-8"))
    tables = {name: _restore(pd.read_parquet(folder / "tables" / f"{name}.parquet"), index["dtypes"][name])
              for name in index["tables"]}
    figures = {}
    figures_dir.mkdir(parents=True, exist_ok=True)
    for name in index["figures"]:
        figures[name] = figures_dir / f"{name}.png"
        shutil.copyfile(folder / "figures" / f"{name}.png", figures[name])
    methods = json.loads((folder / "methods.json").read_text(encoding="utf-8"))
    return tables, figures, methods
