"""Streaming sinks: tokens and tags written chunk by chunk to Parquet, and read back as re-iterable corpora.

Every function here consumes the chunks of :func:`policytext.scale.sources.iter_segments`; results are written with a
``pyarrow.parquet.ParquetWriter`` to a temporary name and renamed when complete, so a crash leaves no half file.

Example:
    >>> tokenize_to_parquet("corpus/", "tokens.parquet")  # doctest: +SKIP
    >>> for tokens in TokenStream("tokens.parquet"): ...  # doctest: +SKIP
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from policytext.corpus.metadata import META_COLUMNS
from policytext.persist import remove_stale_partials
from policytext.scale.sources import DEFAULT_CHUNK_SIZE, SEGMENT_COLUMNS, iter_segments


# tags ------------------------------------------------------------------------------------------------------
def tag_frame(model: Any, texts: Sequence[str], *, proba: bool = True) -> pd.DataFrame:
    """``label`` (from ``model.predict``) and, when ``proba`` and the model has ``predict_proba``, one
    ``proba_<class>`` column per class, for a list of texts.

    Example:
        >>> from policytext.classify.rules import RuleTagger
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
        if self.out.is_dir():
            raise IsADirectoryError(f"{self.out} is a folder; give a file name ending in .parquet")
        # The process id in the name lets a later write tell a dead writer's leftover from a live one's.
        self.tmp = self.out.with_name(f".{self.out.name}.{os.getpid()}-{uuid.uuid4().hex}.tmp")
        remove_stale_partials(self.out)
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
        >>> from policytext.classify.rules import RuleTagger
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
