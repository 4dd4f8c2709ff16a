"""Streaming: read, segment, tokenize and tag corpora larger than memory, chunk by chunk.

Sources are read piece by piece: a folder one file at a time, a Parquet table one row group at a time (pyarrow),
CSV/TSV/JSONL tables in pandas chunks, or any iterable of DataFrame chunks you supply. Each chunk goes through
the same code as :func:`policytext.read_corpus` and :meth:`Corpus.segments`, so ids, metadata and text are the
same as on the in-memory path. Results go to Parquet with a ``pyarrow.parquet.ParquetWriter`` (written to a
temporary name and renamed when complete). :class:`TokenStream` reads a tokens file back as a re-iterable,
gensim-style corpus so topic models can stream it.

Example:
    >>> import pandas as pd, policytext as pt
    >>> docs = pd.DataFrame({"text": ["推进一网通办。\\n建设数字政府。"], "year": [2018]})
    >>> [len(c) for c in iter_segments(docs, chunk_size=1)]
    [1, 1]
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from policytext.corpus import Corpus, _cleaner
from policytext.metadata import META_COLUMNS, find_column, standardize
from policytext.reading import Gatherer, gathered_tables, list_files, load_side_table
from policytext.readers import SUPPORTED_SUFFIXES, TABLE_SUFFIXES, read_table
from policytext.segment import UNITS

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
    options = {"text_col": text_col, "id_col": id_col, "cleaner": _cleaner(clean), "infer": infer}
    if isinstance(source, Corpus):
        source = source.to_frame()
        options["cleaner"] = None  # a Corpus holds cleaned text already
    if isinstance(source, pd.DataFrame):
        return Plan([Piece(None, None, "frame", frame=source)], options)
    if isinstance(source, (str, os.PathLike)):
        root = Path(source)
        if not root.exists():
            raise FileNotFoundError(f"source: no such file or folder {str(source)[:80]!r}")
        files = list_files(root, recursive) if root.is_dir() else [root]
        base = root if root.is_dir() else root.parent
    elif isinstance(source, Iterable):
        paths = [Path(p) for p in source]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise FileNotFoundError(f"source: no such file(s) {missing[:5]}")
        files = [f for p in paths for f in (list_files(p, recursive) if p.is_dir() else [p])]
        base = Path(os.path.commonpath([str(p.resolve()) for p in paths])) if paths else Path.cwd()
        root = base = base if base.is_dir() else base.parent
    else:
        raise TypeError(f"source must be a folder, file, list of paths, DataFrame or Corpus, not {type(source).__name__}")
    g = Gatherer(text_col=text_col, id_col=id_col, cleaner=None, infer=infer, errors="skip")
    load_side_table(metadata, root, files, g)
    plan = Plan([], options, (g.side, g.side_name, g.side_path))
    for file in files:
        relative = file.resolve().relative_to(base.resolve()).as_posix()
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


# tags ------------------------------------------------------------------------------------------------------
def tag_frame(model: Any, texts: Sequence[str], *, proba: bool = True) -> pd.DataFrame:
    """``label`` (from ``model.predict``) and, when ``proba`` and the model has ``predict_proba``, one
    ``proba_<class>`` column per class, for a list of texts.

    Example:
        >>> from policytext.rules import RuleTagger
        >>> tag_frame(RuleTagger("governance-mode"), ["由市政府牵头。"], proba=False)["label"].tolist()
        ['GM1']
    """
    if not hasattr(model, "predict"):
        raise TypeError(f"model must have predict(texts) (a classifier or RuleTagger), not {type(model).__name__}")
    texts = list(texts)
    labels = model.predict(texts)
    out = pd.DataFrame({"label": list(labels)})
    if proba and hasattr(model, "predict_proba"):
        scores = model.predict_proba(texts)
        if isinstance(scores, pd.DataFrame):
            classes, values = list(scores.columns), scores.to_numpy(dtype=float)
        else:
            classes, values = list(getattr(model, "classes_", range(np.shape(scores)[1]))), np.asarray(scores, float)
        for j, label in enumerate(classes):
            out[f"proba_{label}"] = values[:, j]
    return out


# Parquet output ---------------------------------------------------------------------------------------------
class _ParquetSink:
    """Write frames to one Parquet file with the first frame's schema; the file appears only when complete."""

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)
        self.tmp = self.out.with_name(f".{self.out.name}.{uuid.uuid4().hex}.tmp")
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0

    def write(self, frame: pd.DataFrame) -> None:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self.writer is None:
            # An all-missing column in the first chunk would fix its type to null; strings are the safe guess.
            schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in table.schema],
                               metadata=table.schema.metadata)
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.tmp, schema)
        schema = self.writer.schema
        extra = [c for c in table.column_names if c not in schema.names]
        if extra:
            raise ValueError(f"{self.out}: columns {extra} appear after the first chunk; pass keep= to fix the columns")
        for name in schema.names:
            if name not in table.column_names:
                table = table.append_column(name, pa.nulls(len(table), schema.field(name).type))
        try:
            table = table.select(schema.names).cast(schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise ValueError(f"{self.out}: a chunk's column types differ from the first chunk's ({exc}); pass keep= "
                             "to write only columns of stable type") from None
        self.writer.write_table(table)
        self.rows += len(table)

    def close(self, ok: bool) -> None:
        if self.writer is not None:
            self.writer.close()
        if ok and self.writer is not None:
            os.replace(self.tmp, self.out)
        else:
            self.tmp.unlink(missing_ok=True)


def _write_stream(chunks: Iterable[pd.DataFrame], out: str | os.PathLike[str], transform: Any) -> Path:
    sink = _ParquetSink(out)
    ok = False
    try:
        for chunk in chunks:
            sink.write(transform(chunk))
        ok = sink.writer is not None
    finally:
        sink.close(ok)
    if not ok:
        raise ValueError(f"{out}: the source yielded no segments, nothing written")
    return sink.out


def _kept(chunk: pd.DataFrame, keep: Sequence[str] | None, unit: str | None) -> list[str]:
    if keep is None:
        if unit is None:
            return [c for c in chunk.columns if c != "text"]
        return [c for c in (*SEGMENT_COLUMNS, *META_COLUMNS) if c in chunk.columns]
    missing = [c for c in keep if c not in chunk.columns]
    if missing:
        raise ValueError(f"keep: no column(s) {missing}; columns are {list(chunk.columns)}")
    return list(keep)


def tokenize_to_parquet(
    source: Any,
    out: str | os.PathLike[str],
    tokenizer: Any,
    *,
    unit: str | None = "paragraph",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    keep: Sequence[str] | None = None,
    n_jobs: int | None = None,
    **read_options: Any,
) -> Path:
    """Stream ``source`` through segmentation and ``tokenizer`` into a Parquet file with ids, metadata and a
    ``tokens`` list column; memory stays bounded by ``chunk_size``. Returns ``out``.

    ``keep`` names the columns written beside ``tokens`` (default: segment ids and the documented metadata).

    Example:
        >>> import tempfile, policytext as pt
        >>> out = tokenize_to_parquet(pd.DataFrame({"text": ["建设数字政府"]}), tempfile.mkdtemp() + "/t.parquet",
        ...                           pt.Tokenizer(n_jobs=1))
        >>> pd.read_parquet(out)["tokens"].map(list).tolist()
        [['建设', '数字政府']]
    """
    def transform(chunk: pd.DataFrame) -> pd.DataFrame:
        frame = chunk[_kept(chunk, keep, unit)].copy()
        frame["tokens"] = tokenizer.tokenize_many(chunk["text"].tolist(), n_jobs=n_jobs)
        return frame

    return _write_stream(iter_segments(source, unit, chunk_size, **read_options), out, transform)


def tag_to_parquet(
    source: Any,
    out: str | os.PathLike[str],
    model: Any,
    *,
    unit: str | None = "paragraph",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    proba: bool = True,
    keep: Sequence[str] | None = None,
    **read_options: Any,
) -> Path:
    """Apply ``model`` (anything with ``predict(texts)``, optionally ``predict_proba``) chunk by chunk and write
    ids, metadata, ``label`` and ``proba_<class>`` columns to Parquet. Returns ``out``.

    Example:
        >>> import tempfile
        >>> from policytext.rules import RuleTagger
        >>> out = tag_to_parquet(pd.DataFrame({"text": ["由市政府牵头。"]}), tempfile.mkdtemp() + "/g.parquet",
        ...                      RuleTagger("governance-mode"), proba=False)
        >>> pd.read_parquet(out)["label"].tolist()
        ['GM1']
    """
    def transform(chunk: pd.DataFrame) -> pd.DataFrame:
        tags = tag_frame(model, chunk["text"].tolist(), proba=proba)
        return pd.concat([chunk[_kept(chunk, keep, unit)].reset_index(drop=True), tags], axis=1)

    return _write_stream(iter_segments(source, unit, chunk_size, **read_options), out, transform)


class TokenStream:
    """A re-iterable corpus over a tokens Parquet file: yields one token list per row, reading in batches.

    ``bow()`` gives the bag-of-words corpus gensim models take (needs gensim, the ``topics`` extra), with a
    dictionary built in one streamed pass unless one is given.

    Example:
        >>> import tempfile
        >>> path = tempfile.mkdtemp() + "/t.parquet"
        >>> pd.DataFrame({"segment_id": ["a"], "tokens": [["数字政府", "建设"]]}).to_parquet(path)
        >>> list(TokenStream(path)), len(TokenStream(path))
        ([['数字政府', '建设']], 1)
    """

    def __init__(self, path: str | os.PathLike[str], *, column: str = "tokens", batch_size: int = 10_000) -> None:
        self.path = path
        self.column = column
        self.batch_size = batch_size

    def _file(self) -> pq.ParquetFile:
        path = Path(self.path)
        if not path.is_file():
            raise FileNotFoundError(f"TokenStream: no tokens file {path}; write one with tokenize_to_parquet()")
        reader = pq.ParquetFile(path)
        if self.column not in reader.schema_arrow.names:
            raise ValueError(f"TokenStream: {path} has no column {self.column!r}; columns are "
                             f"{reader.schema_arrow.names}; pass column=")
        return reader

    def __len__(self) -> int:
        return self._file().metadata.num_rows

    def __iter__(self) -> Iterator[list[str]]:
        for batch in self._file().iter_batches(batch_size=self.batch_size, columns=[self.column]):
            yield from (tokens or [] for tokens in batch.column(0).to_pylist())

    def column_values(self, name: str) -> Iterator[Any]:
        """Stream another column (e.g. ``segment_id``) in the same row order as the token lists."""
        for batch in self._file().iter_batches(batch_size=self.batch_size, columns=[name]):
            yield from batch.column(0).to_pylist()

    def dictionary(self, **filter_extremes: Any) -> Any:
        """A gensim ``Dictionary`` built in one streamed pass; keyword arguments go to ``filter_extremes``."""
        try:
            from gensim.corpora import Dictionary
        except ImportError:
            raise ImportError("TokenStream.dictionary needs gensim: pip install 'policytext[topics]'") from None
        vocabulary = Dictionary(self)
        if filter_extremes:
            vocabulary.filter_extremes(**filter_extremes)
        return vocabulary

    def bow(self, dictionary: Any = None) -> BowStream:
        """A re-iterable bag-of-words corpus (lists of ``(id, count)``) for gensim models."""
        return BowStream(self, dictionary if dictionary is not None else self.dictionary())


class BowStream:
    """Bag-of-words view of a :class:`TokenStream` with a fixed gensim dictionary; re-iterable, streamed."""

    def __init__(self, tokens: TokenStream, dictionary: Any) -> None:
        self.tokens = tokens
        self.dictionary = dictionary

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self) -> Iterator[list[tuple[int, int]]]:
        for doc in self.tokens:
            yield self.dictionary.doc2bow(doc)
