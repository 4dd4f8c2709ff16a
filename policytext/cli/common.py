"""Helpers every command shares: reading a SOURCE, writing or printing a table, the --k grammar.

Command modules import these; none of them imports the entry point (:mod:`policytext.cli.main`), which imports
them. Library code is imported inside each command, so ``policytext --help`` loads none of it.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def add_source_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments every command that reads a SOURCE shares (read through :func:`read_source`)."""
    p.add_argument("source", help="folder, file, table, or registered corpus name")
    p.add_argument("--metadata", help="side table (CSV/...) keyed by a 'path' column")
    p.add_argument("--text-col", help="text column of a table source")
    p.add_argument("--no-clean", action="store_true", help="keep the raw text (no boilerplate removal)")


def read_source(args: argparse.Namespace) -> Any:
    """The Corpus a command's SOURCE names: a registered corpus, or a folder, file or table read with the
    command's --metadata, --text-col and --no-clean."""
    from policytext.corpus.corpus import load_corpus, read_corpus
    from policytext.corpus.datahome import registered_corpora

    source = args.source
    if not Path(source).exists() and source in registered_corpora():
        return load_corpus(source, clean=not getattr(args, "no_clean", False), progress=True)
    return read_corpus(
        source,
        metadata=getattr(args, "metadata", None),
        text_col=getattr(args, "text_col", None),
        clean=not getattr(args, "no_clean", False),
        progress=True,
    )


def write_table(frame: pd.DataFrame, out: str) -> None:
    """Write ``frame`` to a .parquet, .csv, .tsv or .jsonl file, aside first and then renamed into place."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".parquet", ".csv", ".tsv", ".jsonl"):
        raise SystemExit(f"--out {out}: use a .parquet, .csv, .tsv or .jsonl file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        elif suffix in (".csv", ".tsv"):
            frame.to_csv(tmp, index=False, sep="\t" if suffix == ".tsv" else ",", encoding="utf-8")
        else:
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"wrote {len(frame)} rows to {path}")


@contextlib.contextmanager
def replace_folder(out: str | os.PathLike[str]) -> Iterator[Path]:
    """A fresh folder beside ``out`` to write into; when the block ends without error it takes ``out``'s place.

    A run killed while writing leaves ``out`` as it was (and a hidden ``.NAME.partial-*`` folder beside it); the
    swap itself is two renames, between which the old result sits in ``.NAME.old-*``.
    """
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise FileExistsError(f"--out {out} is a file; give a folder name")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.partial-", dir=path.parent))
    try:
        yield tmp
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
            os.replace(path, old / path.name)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def emit(table: pd.DataFrame, out: str | None, preview: int = 10) -> None:
    """Write ``table`` to ``out`` when given, else print its first rows."""
    if out:
        write_table(table, out)
    else:
        print(table.head(preview).to_string())


def parse_ks(spec: str) -> list[int]:
    """``"12"`` → [12]; ``"6,8,10"`` → [6, 8, 10]; ``"8..30"`` → about eight values from 8 to 30;
    ``"8..30:2"`` → every second value.

    Example:
        >>> parse_ks("8..30")
        [8, 12, 16, 20, 24, 28, 30]
    """
    try:
        if ".." in spec:
            bounds, _, step_text = spec.partition(":")
            low, high = (int(v) for v in bounds.split(".."))
            if low > high:
                raise ValueError
            step = int(step_text) if step_text else max(1, math.ceil((high - low) / 6))
            values = list(range(low, high + 1, step))
            return values if values[-1] == high else values + [high]
        values = [int(v) for v in spec.split(",") if v.strip()]
    except ValueError:
        raise ValueError(f"--k {spec!r}: give a number (12), a list (6,8,10) or a range (8..30 or 8..30:2)") from None
    if not values or min(values) < 1:
        raise ValueError(f"--k {spec!r}: numbers of topics must be positive")
    return values
