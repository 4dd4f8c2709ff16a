"""Streaming sources: documents and segments of corpora larger than memory, read chunk by chunk.

Sources are read piece by piece: a folder one file at a time, a Parquet table one row group at a time (pyarrow),
CSV/TSV/JSONL tables in pandas chunks, or any iterable of DataFrame chunks you supply. Each chunk goes through
the same code as :func:`policytext.read_corpus` and :meth:`Corpus.segments`, so ids, metadata and text are the
same as on the in-memory path. Writing tokens and tags to Parquet, and reading tokens back as a gensim-style
corpus, is :mod:`policytext.scale.sinks`.

Example:
    >>> import pandas as pd, policytext as pt
    >>> docs = pd.DataFrame({"text": ["推进一网通办。\\n建设数字政府。"], "year": [2018]})
    >>> [len(c) for c in iter_segments(docs, chunk_size=1)]
    [1, 1]
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from policytext.corpus.corpus import Corpus, resolve_cleaner
from policytext.corpus.metadata import find_column, standardize
from policytext.corpus.gather import Gatherer, gathered_tables, list_files, load_side_table, relative_id
from policytext.corpus.files import SUPPORTED_SUFFIXES, TABLE_SUFFIXES, read_table
from policytext.corpus.segment import UNITS

DEFAULT_CHUNK_SIZE = 20_000
SEGMENT_COLUMNS = ("doc_id", "segment_id", "unit", "position", "start", "end", "marker")
# CSV/TSV/JSONL files above this size are read in pandas chunks as UTF-8; smaller ones go through read_table,
# which also detects GBK/Big5 encodings.
_CHUNKED_TEXT_BYTES = 64 << 20
_STREAM_TEXT = {".csv": ",", ".tsv": "\t", ".jsonl": None}


# reading plan ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """One unit of reading work: a document file, a whole table, or some row groups of a Parquet table."""

    path: Path | None
    prefix: str | None  # doc_id prefix for table rows (the table's path relative to the folder read)
    kind: str  # "document", "table" or "frame"
    row_groups: tuple[int, ...] | None = None
    offset: int = 0  # row number of the first row, so generated ids match a whole-table read
    frame: pd.DataFrame | None = field(default=None, compare=False, repr=False)


@dataclass
class Plan:
    """What to read and how: the pieces in order, the side table, and the read options."""

    pieces: list[Piece]
    options: dict[str, Any]
    side: tuple[dict, str, Path | None] = field(default_factory=lambda: ({}, "", None))
    skipped: list[tuple[str, str]] = field(default_factory=list)


def plan_source(
    source: Any,
    *,
    metadata: Any = None,
    text_col: str | None = None,
    id_col: str | None = None,
    clean: Any = True,
    infer: bool = True,
    recursive: bool = True,
    split_row_groups: bool = True,
) -> Plan:
    """Plan the reading of ``source`` (as :func:`read_corpus` accepts, except iterables of chunks) into pieces."""
    options = {"text_col": text_col, "id_col": id_col, "cleaner": resolve_cleaner(clean), "infer": infer}
    if isinstance(source, Corpus):
        source = source.to_frame()
        options["cleaner"] = None  # a Corpus holds cleaned text already
    if isinstance(source, pd.DataFrame):
        return Plan([Piece(None, None, "frame", frame=source)], options)
    walk_skipped: list[tuple[str, str]] = []  # unreadable folders, broken links ...: recorded, never dropped
    if isinstance(source, (str, os.PathLike)):
        root = Path(source)
        if not root.exists():
            raise FileNotFoundError(f"source: no such file or folder {str(source)[:80]!r}")
        files = list_files(root, recursive, walk_skipped) if root.is_dir() else [root]
        base = root if root.is_dir() else root.parent
    elif isinstance(source, Iterable):
        paths = [Path(p) for p in source]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise FileNotFoundError(f"source: no such file(s) {missing[:5]}")
        files = [f for p in paths for f in (list_files(p, recursive, walk_skipped) if p.is_dir() else [p])]
        base = Path(os.path.commonpath([os.path.abspath(p) for p in paths])) if paths else Path.cwd()
        root = base = base if base.is_dir() else base.parent
    else:
        raise TypeError(f"source must be a folder, file, list of paths, DataFrame or Corpus, not {type(source).__name__}")
    g = Gatherer(text_col=text_col, id_col=id_col, cleaner=None, infer=infer, errors="skip")
    load_side_table(metadata, root, files, g)
    plan = Plan([], options, (g.side, g.side_name, g.side_path))
    plan.skipped.extend(walk_skipped)
    for file in files:
        relative = relative_id(file, base)
        suffix = file.suffix.lower()
        if g.side_path is not None and file.resolve() == g.side_path:
            plan.skipped.append((str(file), "the metadata table of this corpus, not a document"))
        elif any(part.startswith(".") for part in Path(relative).parts):
            plan.skipped.append((str(file), "hidden file"))
        elif suffix in TABLE_SUFFIXES:
            prefix = relative if len(files) > 1 or root.is_dir() else None
            plan.pieces.extend(_table_pieces(file, prefix, split_row_groups))
        elif suffix in SUPPORTED_SUFFIXES:
            plan.pieces.append(Piece(file, relative, "document"))
        else:
            supported = sorted(SUPPORTED_SUFFIXES | TABLE_SUFFIXES)
            plan.skipped.append((str(file), f"unsupported file type {suffix or '(no suffix)'!r}; supported: {supported}"))
    return plan


def _table_pieces(file: Path, prefix: str | None, split: bool) -> list[Piece]:
    if file.suffix.lower() != ".parquet" or not split:
        return [Piece(file, prefix, "table")]
    meta = pq.ParquetFile(file).metadata
    pieces, offset = [], 0
    for group in range(meta.num_row_groups):
        pieces.append(Piece(file, prefix, "table", (group,), offset))
        offset += meta.row_group(group).num_rows
    return pieces or [Piece(file, prefix, "table")]


def _raw_batches(piece: Piece, chunk_size: int) -> Iterator[tuple[pd.DataFrame, int]]:
    """Raw rows of a table piece in batches, with the row number of each batch's first row."""
    if piece.kind == "frame":
        frame = piece.frame
        for start in range(0, len(frame), chunk_size):
            yield frame.iloc[start:start + chunk_size], piece.offset + start
        return
    path = piece.path
    suffix = path.suffix.lower()
    offset = piece.offset
    if suffix == ".parquet":
        reader = pq.ParquetFile(path)
        for batch in reader.iter_batches(batch_size=chunk_size, row_groups=piece.row_groups):
            frame = batch.to_pandas()
            yield frame, offset
            offset += len(frame)
    elif suffix in _STREAM_TEXT and path.stat().st_size > _CHUNKED_TEXT_BYTES:
        if suffix == ".jsonl":
            chunks = pd.read_json(path, lines=True, chunksize=chunk_size, encoding="utf-8")
        else:
            chunks = pd.read_csv(path, sep=_STREAM_TEXT[suffix], chunksize=chunk_size, encoding="utf-8")
        with chunks:
            for frame in chunks:
                yield frame, offset
                offset += len(frame)
    else:
        frame = read_table(path)
        for start in range(0, len(frame), chunk_size):
            yield frame.iloc[start:start + chunk_size], start


def read_piece(piece: Piece, plan: Plan, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[pd.DataFrame]:
    """Document tables (as :meth:`Corpus.to_frame`) for one piece, at most ``chunk_size`` rows each; unreadable
    inputs go to ``plan.skipped``."""
    g = Gatherer(errors="skip", **plan.options)
    g.side, g.side_name, g.side_path = plan.side
    if piece.kind == "document":
        g.document(piece.path, piece.prefix)
        batches: Iterable[Any] = [None]
    else:
        batches = _raw_batches(piece, chunk_size)
    for batch in batches:
        if batch is not None:
            frame, offset = batch
            frame = frame.set_axis(pd.RangeIndex(offset, offset + len(frame)))
            g.table(piece.path, frame, piece.prefix)
        documents, skipped, _ = gathered_tables(g)
        plan.skipped.extend(skipped)
        g.records, g.skipped, g.provenance = [], [], []
        if len(documents):
            yield Corpus(standardize(documents)).to_frame()


def _raw_segments(piece: Piece, plan: Plan, chunk_size: int) -> Iterator[pd.DataFrame]:
    """``unit=None``: rows pass through as segments (a table of segments), with the text column cleaned."""
    if piece.kind == "document":
        yield from read_piece(piece, plan, chunk_size)
        return
    cleaner = plan.options["cleaner"]
    for frame, _ in _raw_batches(piece, chunk_size):
        text_col = plan.options["text_col"] or find_column(frame.columns, "text")
        if text_col is None or text_col not in frame.columns:
            raise ValueError(f"{piece.path or 'table'}: no text column; columns are {list(frame.columns)}; "
                             "pass text_col=")
        frame = frame.rename(columns={text_col: "text"}).reset_index(drop=True)
        if cleaner is not None:
            frame["text"] = [cleaner(t) if isinstance(t, str) else t for t in frame["text"]]
        yield frame


# public streaming functions -------------------------------------------------------------------------------------
def iter_documents(
    source: Any,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    *,
    skipped: list[tuple[str, str]] | None = None,
    **read_options: Any,
) -> Iterator[pd.DataFrame]:
    """Document tables of at most ``chunk_size`` rows (columns as :meth:`Corpus.to_frame`), one piece at a time.

    Example:
        >>> frame = pd.DataFrame({"text": ["一", "二", "三"]})
        >>> [c["doc_id"].tolist() for c in iter_documents(frame, chunk_size=2)]
        [['0', '1'], ['2']]
    """
    _check_chunk_size(chunk_size)
    plan = _plan(source, read_options)
    yield from _rechunk((d for p in plan.pieces for d in read_piece(p, plan, chunk_size)), chunk_size)
    _report_skipped(plan.skipped, skipped)


def iter_segments(
    source: Any,
    unit: str | None = "paragraph",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    *,
    min_chars: int = 1,
    skipped: list[tuple[str, str]] | None = None,
    **read_options: Any,
) -> Iterator[pd.DataFrame]:
    """Segment tables of ``chunk_size`` rows (the last may be shorter), as :meth:`Corpus.segments` returns them.

    ``source`` is a folder, file, list of paths, DataFrame or Corpus (as :func:`read_corpus` takes), or an
    iterable of raw DataFrame chunks. ``unit=None`` passes table rows through as segments (for a table that
    already holds segments, such as ``benchmarks/make_large_corpus.py`` writes), cleaning their text. At most
    one input batch (``chunk_size`` rows or one file) and ``chunk_size`` output rows are held at a time.
    Unreadable inputs are appended to ``skipped`` when given, else reported in one warning at the end.
    ``read_options`` go to the readers: ``text_col``, ``id_col``, ``clean``, ``infer``, ``metadata``, ``recursive``.

    Example:
        >>> docs = pd.DataFrame({"text": ["一、总则\\n二、附则"]})
        >>> next(iter_segments(docs, "paragraph"))["segment_id"].tolist()
        ['0::p0', '0::p1']
    """
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unit must be one of {list(UNITS)} or None (rows are segments), not {unit!r}")
    _check_chunk_size(chunk_size)
    plan = _plan(source, read_options)
    if unit is None:
        parts: Iterable[pd.DataFrame] = (f for p in plan.pieces for f in _raw_segments(p, plan, chunk_size))
    else:
        parts = (Corpus(docs).segments(unit, min_chars=min_chars)
                 for p in plan.pieces for docs in read_piece(p, plan, chunk_size))
    yield from _rechunk(parts, chunk_size)
    _report_skipped(plan.skipped, skipped)


def _plan(source: Any, read_options: dict[str, Any]) -> Plan:
    if _is_chunk_iterable(source):
        plan = plan_source(pd.DataFrame({"text": []}), **read_options)
        plan.pieces = _ChunkPieces(source)  # type: ignore[assignment]
        return plan
    return plan_source(source, **read_options)


def _is_chunk_iterable(source: Any) -> bool:
    if isinstance(source, (list, tuple)):
        return bool(source) and all(isinstance(s, pd.DataFrame) for s in source)
    return isinstance(source, Iterable) and not isinstance(source, (str, bytes, os.PathLike, pd.DataFrame, Corpus))


class _ChunkPieces:
    """Pieces made lazily from an iterable of raw DataFrame chunks, pulled one at a time."""

    def __init__(self, chunks: Iterable[pd.DataFrame]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[Piece]:
        offset = 0
        for i, chunk in enumerate(self.chunks):
            if not isinstance(chunk, pd.DataFrame):
                raise TypeError(f"source chunk {i} is a {type(chunk).__name__}, not a pandas DataFrame")
            yield Piece(None, None, "frame", offset=offset, frame=chunk.set_axis(
                pd.RangeIndex(offset, offset + len(chunk))))
            offset += len(chunk)


def _rechunk(parts: Iterable[pd.DataFrame], chunk_size: int) -> Iterator[pd.DataFrame]:
    buffer: list[pd.DataFrame] = []
    held = 0
    for part in parts:
        if not len(part):
            continue
        buffer.append(part)
        held += len(part)
        while held >= chunk_size:
            merged = pd.concat(buffer, ignore_index=True) if len(buffer) > 1 else buffer[0].reset_index(drop=True)
            yield merged.iloc[:chunk_size].reset_index(drop=True)
            rest = merged.iloc[chunk_size:]
            buffer, held = ([rest], len(rest)) if len(rest) else ([], 0)
    if held:
        yield pd.concat(buffer, ignore_index=True) if len(buffer) > 1 else buffer[0].reset_index(drop=True)


def _check_chunk_size(chunk_size: int) -> None:
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int (rows per chunk), not {chunk_size!r}")


def _report_skipped(found: list[tuple[str, str]], sink: list[tuple[str, str]] | None) -> None:
    if sink is not None:
        sink.extend(found)
    elif found:
        where, reason = found[0]
        warnings.warn(f"{len(found)} input(s) skipped, e.g. {where}: {reason}; pass skipped=[] to collect them",
                      UserWarning, stacklevel=3)
