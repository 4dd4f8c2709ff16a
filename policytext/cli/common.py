"""Helpers every command shares: reading a SOURCE, writing or printing a table, the --k grammar.

Command modules import these; none of them imports the entry point (:mod:`policytext.cli.main`), which imports
them. Library code is imported inside each command, so ``policytext --help`` loads none of it.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
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
    if not Path(source).exists():
        if source in registered_corpora():
            return load_corpus(source, clean=not getattr(args, "no_clean", False), progress=True)
        raise FileNotFoundError(f"no such file or folder: {source!r}, and no registered corpus of that name "
                                f"(registered: {', '.join(registered_corpora())}; see `policytext info`)")
    corpus = read_corpus(
        source,
        metadata=getattr(args, "metadata", None),
        text_col=getattr(args, "text_col", None),
        clean=not getattr(args, "no_clean", False),
        progress=True,
    )
    if len(corpus) == 0:
        reasons = "; ".join(f"{Path(path).name}: {why}" for path, why in corpus.skipped[:3])
        raise ValueError(f"no documents could be read from {source}"
                         + (f" ({len(corpus.skipped)} inputs skipped, e.g. {reasons})" if reasons else
                            " (it holds no supported files: .txt .md .html .docx .pdf or tables)"))
    return corpus


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
