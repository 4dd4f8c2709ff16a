"""Helpers every command shares: reading a SOURCE, writing or printing a table, the --k grammar.

Command modules import these; none of them imports the entry point (:mod:`policytext.cli.main`), which imports
them. Library code is imported inside each command, so ``policytext --help`` loads none of it.
"""

from __future__ import annotations

import argparse
import math
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policytext.persist import replace_folder, staging_folder, write_file_aside

if TYPE_CHECKING:
    import pandas as pd


class UsageError(ValueError):
    """A command given arguments it cannot use; reported in one line with exit status 2, like argparse's own."""


_TABLE_SUFFIXES = (".parquet", ".csv", ".tsv", ".jsonl")


def out_file(value: str) -> str:
    """argparse type of a table output (--out FILE): checked before any work is done.

    Example:
        >>> out_file("tokens.parquet")
        'tokens.parquet'
    """
    path = Path(value)
    if path.suffix.lower() not in _TABLE_SUFFIXES:
        raise argparse.ArgumentTypeError(f"{value}: use a .parquet, .csv, .tsv or .jsonl file name")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a folder; give a file name (e.g. {path / 'table.parquet'})")
    if path.parent.exists() and not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: {path.parent} is a file, not a folder")
    return value


def out_folder(value: str) -> str:
    """argparse type of a folder output (--out DIR): refuses an existing file before any work is done.

    Example:
        >>> out_folder("report-2024")
        'report-2024'
    """
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a file; give a folder (a new name is created)")
    return value


def topic_numbers(value: str) -> str:
    """argparse type of --k: the spec is checked with :func:`parse_ks` and kept as written.

    Example:
        >>> topic_numbers("6..16:2")
        '6..16:2'
    """
    try:
        parse_ks(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(f"--k {value!r}: ")) from None
    return value


def n_jobs(value: str) -> int:
    """argparse type of --n-jobs: a positive number of processes, or -1 for all cores.

    Example:
        >>> n_jobs("-1"), n_jobs("2")
        (-1, 2)
    """
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number == 0 or number < -1:
        raise argparse.ArgumentTypeError(f"{number}: give a positive number of processes, or -1 for all cores")
    return number


def check_output_folder(out: str, marker: str) -> Path:
    """``out`` as a Path if it may be replaced by a command's output: new, empty, or holding ``marker`` (an
    earlier output of the same command); call it before any work.

    Example:
        >>> check_output_folder("new-folder", "graph.graphml").name
        'new-folder'
    """
    final = Path(out)
    if final.exists() and not final.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder")
    if final.is_dir() and any(final.iterdir()) and not (final / marker).exists():
        raise UsageError(f"--out {out} holds other files and no earlier output ({marker}); the output replaces "
                         "its folder as a whole, so give a new or empty folder")
    return final


def write_folder(out: str, marker: str, fill: Callable[[Path], Any]) -> Any:
    """Run ``fill(folder)`` on a staging folder beside ``out`` and swap it in when complete; return its result.

    ``out`` may be new, empty, or an earlier output of the same command (it holds ``marker``); a folder of
    other files is refused, since the new output replaces the folder as a whole. A failure or a kill leaves
    the earlier output untouched.

    Example:
        >>> import tempfile
        >>> write_folder(tempfile.mkdtemp() + "/cites", "graph.graphml", lambda folder: folder.name)[:7]
        '.cites.'
    """
    final = check_output_folder(out, marker)
    stage = staging_folder(final)
    try:
        result = fill(stage)
        replace_folder(stage, final)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return result


def show_progress(args: argparse.Namespace) -> bool:
    """Whether a command draws progress bars: not with --quiet, and only when stderr is a terminal (so logs and
    tests stay clean). Progress always goes to stderr; stdout carries only results.

    Example:
        >>> show_progress(argparse.Namespace(quiet=True))
        False
    """
    from policytext.checks import show_progress as terminal_progress

    return not getattr(args, "quiet", False) and terminal_progress(None)


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
            return load_corpus(source, clean=not getattr(args, "no_clean", False), progress=show_progress(args))
        raise FileNotFoundError(f"no such file or folder: {source!r}, and no registered corpus of that name "
                                f"(registered: {', '.join(registered_corpora())}; see `policytext info`)")
    corpus = read_corpus(
        source,
        metadata=getattr(args, "metadata", None),
        text_col=getattr(args, "text_col", None),
        clean=not getattr(args, "no_clean", False),
        progress=show_progress(args),
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
        raise UsageError(f"--out {out}: use a .parquet, .csv, .tsv or .jsonl file name")

    def write(tmp: Path) -> None:
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        elif suffix in (".csv", ".tsv"):
            frame.to_csv(tmp, index=False, sep="\t" if suffix == ".tsv" else ",", encoding="utf-8")
        else:
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)

    write_file_aside(path, write)
    print(f"wrote {len(frame)} rows to {path}")


def emit(table: pd.DataFrame, out: str | None, preview: int = 10) -> None:
    """Write ``table`` to ``out`` when given, else print its first rows, cut to the terminal's width."""
    if out:
        write_table(table, out)
    else:
        print(table_preview(table, rows=preview))


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters (East Asian wide) take two.

    Example:
        >>> display_width("数据ab")
        6
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, limit: int) -> str:
    if display_width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        used += display_width(ch)
        if used > limit - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def table_preview(table: pd.DataFrame, rows: int = 10, width: int | None = None, cell: int = 40) -> str:
    """The first ``rows`` rows of ``table`` as text that fits ``width`` columns (default: the terminal's):
    text cells cut to ``cell`` columns, the columns that fit from the left, and a last line that says how many
    rows and columns were left out and how to get them all (``--out FILE``).

    Example:
        >>> import pandas as pd
        >>> print(table_preview(pd.DataFrame({"n": range(12), "text": ["数据" * 30] * 12}), rows=1, cell=10))
         n      text
         0 数据数据…
        (1 of 12 rows, 2 of 2 columns shown; write them all with --out FILE.csv)
    """
    import pandas as pd

    width = width or shutil.get_terminal_size((120, 24)).columns
    shown = table.head(rows).copy()
    for column in shown.columns:
        if not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = [_cut(" ".join(v.split()), cell) if isinstance(v, str) else v for v in shown[column]]
    keep: list[Any] = []
    used = 0
    for column in shown.columns:
        need = max([display_width(str(column)), *(display_width(str(v)) for v in shown[column])]) + 2
        if keep and used + need > width:
            break
        keep.append(column)
        used += need
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 10_000,
                           "display.max_columns", None, "display.max_colwidth", None):
        text = shown[keep].to_string(index=False)
    left_columns = [c for c in table.columns if c not in keep]
    if len(shown) < len(table) or left_columns:
        names = ", ".join(map(str, left_columns[:6])) + (" …" if len(left_columns) > 6 else "")
        text += (f"\n({len(shown)} of {len(table)} rows, {len(keep)} of {len(table.columns)} columns shown"
                 + (f"; left out: {names}" if left_columns else "") + "; write them all with --out FILE.csv)")
    return text


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
            if step < 1:
                raise ValueError
            values = list(range(low, high + 1, step))
            return values if values[-1] == high else values + [high]
        values = [int(v) for v in spec.split(",") if v.strip()]
    except ValueError:
        raise ValueError(f"--k {spec!r}: give a number (12), a list (6,8,10) or a range (8..30 or 8..30:2)") from None
    if not values or min(values) < 1:
        raise ValueError(f"--k {spec!r}: numbers of topics must be positive")
    return values
