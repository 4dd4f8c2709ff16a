"""Scale-out on Dask: reading, cleaning, segmenting, tokenizing and tagging as partition-wise operations.

Each function builds a ``dask.dataframe`` whose partitions run the same code as the single-machine path
(:func:`policytext.read_corpus`, :meth:`Corpus.segments`, :meth:`Tokenizer.tokenize_many`, a model's
``predict``), so ``.compute()`` gives the same rows, columns and dtypes. Needs the ``scale`` extra:
``pip install 'policytext[scale]'`` (dask[dataframe] and distributed).

Example:
    >>> from dask.distributed import Client, LocalCluster  # doctest: +SKIP
    >>> client = Client(LocalCluster(n_workers=2, threads_per_worker=1))  # doctest: +SKIP
    >>> docs = read_corpus_dask("corpus/", npartitions=8)  # doctest: +SKIP
    >>> tokens = tokenize_dask(segments_dask(docs, "paragraph"), Tokenizer())  # doctest: +SKIP
    >>> tokens.to_parquet("tokens/")  # doctest: +SKIP

Running on a multi-machine cluster
----------------------------------
1. Install the same versions of Python, policytext (``pip install 'policytext[scale]'``) and its dependencies on
   the machine running your script and on every worker machine; a mismatch shows up as unpickling errors.
2. Start a scheduler on one machine, ``dask-scheduler`` (it listens on ``tcp://<host>:8786``), and on every
   worker machine ``dask-worker tcp://<host>:8786 --nworkers 2 --nthreads 1 --memory-limit 3GB``. One thread per
   worker process suits jieba/rjieba, which hold the GIL. Any deployment works as well (dask-jobqueue on SLURM/PBS,
   dask-kubernetes, ``dask ssh host1 host2``).
3. In your script connect before building anything: ``Client("tcp://<host>:8786")``; every ``.compute()``,
   ``.persist()`` or ``.to_parquet()`` then runs on the cluster.
4. Data must be readable under the same path from every worker: a shared file system (NFS, Lustre) or an object
   store (``s3://``, ``gs://`` with s3fs/gcsfs installed, for Parquet written with ``to_parquet``). Files on one
   machine's local disk cannot be read by the others; the folders given to :func:`read_corpus_dask` are listed
   on the client, so the client needs the same view of them.
5. Tokenizers and models travel to workers by pickling: a :class:`~policytext.Tokenizer` ships only its
   parameters and rebuilds its segmenter once per worker; user dictionaries and word lists it names by path must
   exist on the workers too (or pass the words as lists).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from policytext.corpus.corpus import Corpus
from policytext.corpus.segment import UNITS
from policytext.scale.sources import Piece, Plan, plan_source, read_piece
from policytext.scale.sinks import tag_frame

try:
    import dask
    import dask.dataframe as dd
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("policytext.scale.partitions needs dask: pip install 'policytext[scale]'") from exc

# Dask would turn str columns into pyarrow strings with another NA value; the point of this module is that results
# equal the single-machine path, dtypes included.
_NO_STRING_CONVERSION = {"dataframe.convert-string": False}
_MAX_DEFAULT_PARTITIONS = 64
_READ_BATCH = 100_000


def read_corpus_dask(
    source: Any,
    npartitions: int | None = None,
    *,
    columns: Sequence[str] | None = None,
    **read_options: Any,
) -> dd.DataFrame:
    """A Dask DataFrame of documents with the columns and dtypes of ``read_corpus(source).to_frame()``.

    ``source`` is a folder, a file (Parquet tables are split by row group), a list of paths, or a pandas
    DataFrame of rows. Files are grouped into ``npartitions`` contiguous partitions (default one per Parquet row
    group or file, at most 64). Columns are those of the first rows read; a partition that lacks a column gets it
    empty, and columns only some later files have are dropped unless listed in ``columns``.
    ``read_options`` are those of :func:`read_corpus` (``text_col``, ``id_col``, ``clean``, ``infer``,
    ``metadata``, ``recursive``).

    Example:
        >>> ddf = read_corpus_dask(pd.DataFrame({"text": ["一网通办", "数字政府"]}), npartitions=2)
        >>> ddf.npartitions, ddf.compute()["doc_id"].tolist()
        (2, ['0', '1'])
    """
    if npartitions is not None and (not isinstance(npartitions, int) or isinstance(npartitions, bool)
                                    or npartitions < 1):
        raise ValueError(f"npartitions must be a positive int or None (one per file or row group), not {npartitions!r}")
    plan = plan_source(source, **read_options)
    pieces = _split_frames(plan.pieces, npartitions)
    if not pieces:
        raise ValueError(f"read_corpus_dask: nothing to read in {str(source)[:80]!r}; skipped: {plan.skipped[:3]}")
    count = min(npartitions or _MAX_DEFAULT_PARTITIONS, len(pieces))
    groups = [pieces[i * len(pieces) // count:(i + 1) * len(pieces) // count] for i in range(count)]
    groups = [g for g in groups if g]
    # Workers get the read options and side table only: the pieces travel in their own partition's task.
    shared = Plan([], plan.options, plan.side)
    meta = _sample(shared, groups[0][0], columns)
    with dask.config.set(_NO_STRING_CONVERSION):
        return dd.from_map(_read_partition, groups, plan=shared, like=meta, meta=meta, enforce_metadata=False)


def _split_frames(pieces: list[Piece], npartitions: int | None) -> list[Piece]:
    # An in-memory DataFrame is one piece; cut it into row ranges so it spreads over the partitions.
    out: list[Piece] = []
    for piece in pieces:
        if piece.kind != "frame":
            out.append(piece)
            continue
        frame = piece.frame
        parts = max(1, min(npartitions or 1, len(frame)))
        for i in range(parts):
            start, stop = i * len(frame) // parts, (i + 1) * len(frame) // parts
            out.append(Piece(None, None, "frame", offset=start, frame=frame.iloc[start:stop].set_axis(
                pd.RangeIndex(start, stop))))
    return out


def _sample(plan: Plan, piece: Piece, columns: Sequence[str] | None) -> pd.DataFrame:
    first = next(read_piece(piece, Plan([], plan.options, plan.side), chunk_size=8), None)
    if first is None:
        first = Corpus(pd.DataFrame({"doc_id": ["x"], "text": ["x"]})).to_frame()
    meta = first.iloc[:0]
    for name in columns or ():
        if name not in meta.columns:
            meta[name] = pd.Series(dtype="string")
    return meta


def _read_partition(pieces: list[Piece], plan: Plan, like: pd.DataFrame) -> pd.DataFrame:
    plan = Plan([], plan.options, plan.side)
    frames = [f for piece in pieces for f in read_piece(piece, plan, chunk_size=_READ_BATCH)]
    if plan.skipped:
        # Reported in the worker's log; read_corpus() or iter_documents(skipped=[]) list them on the client.
        where, reason = plan.skipped[0]
        warnings.warn(f"{len(plan.skipped)} input(s) skipped, e.g. {where}: {reason}", UserWarning, stacklevel=2)
    return _conform(pd.concat(frames, ignore_index=True) if frames else like, like)


def _conform(frame: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with exactly the columns and dtypes of ``meta`` (missing columns empty)."""
    out = frame.reindex(columns=meta.columns)
    mismatched = {c: t for c, t in meta.dtypes.items() if out[c].dtype != t}
    return out.astype(mismatched) if mismatched else out


def _typed_meta(ddf: dd.DataFrame, apply: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
    """Output columns and dtypes of ``apply``, learnt on a two-row stand-in for a partition."""
    sample = ddf._meta_nonempty.copy()
    if "doc_id" in sample.columns:
        sample["doc_id"] = [f"d{i}" for i in range(len(sample))]
    if "text" in sample.columns:
        sample["text"] = ["推进一网通办。\n建设数字政府。"] * len(sample)
    return apply(sample).iloc[:0]


def _check(ddf: Any, text_col: str | None = "text") -> None:
    if not isinstance(ddf, dd.DataFrame):
        raise TypeError(f"expected a dask DataFrame, not {type(ddf).__name__}; build one with read_corpus_dask() or "
                        "dask.dataframe.from_pandas()")
    if text_col is not None and text_col not in ddf.columns:
        raise ValueError(f"no {text_col!r} column; columns are {list(ddf.columns)}; pass text_col=")


def segments_dask(ddf: dd.DataFrame, unit: str = "paragraph", *, min_chars: int = 1) -> dd.DataFrame:
    """Segments of every document, partition by partition, as :meth:`Corpus.segments` gives them.

    Example:
        >>> docs = read_corpus_dask(pd.DataFrame({"text": ["一、总则\\n二、附则"]}))
        >>> segments_dask(docs, "clause").compute()["marker"].tolist()
        ['一、', '二、']
    """
    _check(ddf)
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {list(UNITS)}, not {unit!r}")
    meta = _typed_meta(ddf, lambda part: _segments_partition(part, unit, min_chars, None))
    with dask.config.set(_NO_STRING_CONVERSION):
        return ddf.map_partitions(_segments_partition, unit, min_chars, meta, meta=meta, enforce_metadata=False)


def _segments_partition(part: pd.DataFrame, unit: str, min_chars: int, meta: pd.DataFrame | None) -> pd.DataFrame:
    segments = Corpus(part).segments(unit, min_chars=min_chars)
    return segments if meta is None else _conform(segments, meta)


def clean_dask(ddf: dd.DataFrame, cleaner: Callable[[str], str] | None = None, *, text_col: str = "text") -> dd.DataFrame:
    """Apply a ``str -> str`` cleaner (default :func:`policytext.clean_text`) to the text column.

    Example:
        >>> frame = dd.from_pandas(pd.DataFrame({"text": ["ＡＩ赋能"]}), npartitions=1)
        >>> clean_dask(frame).compute()["text"].tolist()
        ['AI赋能']
    """
    _check(ddf, text_col)
    if cleaner is None:
        from policytext.corpus.clean import clean_text as cleaner
    if not callable(cleaner):
        raise TypeError(f"cleaner must be a function str -> str, not {type(cleaner).__name__}")
    with dask.config.set(_NO_STRING_CONVERSION):
        return ddf.map_partitions(_clean_partition, cleaner, text_col, meta=ddf._meta)


def _clean_partition(part: pd.DataFrame, cleaner: Callable[[str], str], text_col: str) -> pd.DataFrame:
    part = part.copy()
    part[text_col] = pd.array([cleaner(t) for t in part[text_col]], dtype=part[text_col].dtype)
    return part


def tokenize_dask(
    ddf: dd.DataFrame, tokenizer: Any, *, text_col: str = "text", column: str = "tokens", drop_text: bool = False
) -> dd.DataFrame:
    """Add a ``tokens`` column (token lists) computed on the workers.

    The tokenizer is pickled once per worker (a :class:`~policytext.Tokenizer` pickles only its parameters) and
    rebuilds its segmenter there on first use; each worker tokenizes in its own process (``n_jobs=1``).

    Example:
        >>> import policytext as pt
        >>> frame = dd.from_pandas(pd.DataFrame({"text": ["建设数字政府"]}), npartitions=1)
        >>> tokenize_dask(frame, pt.Tokenizer()).compute()["tokens"].tolist()
        [['建设', '数字政府']]
    """
    _check(ddf, text_col)
    if not hasattr(tokenizer, "tokenize_many"):
        raise TypeError(f"tokenizer must have tokenize_many(texts) (a policytext.Tokenizer), not "
                        f"{type(tokenizer).__name__}")
    meta = ddf._meta.assign(**{column: pd.Series(dtype=object)})
    if drop_text:
        meta = meta.drop(columns=text_col)
    # A delayed object becomes one task whose result each worker keeps: the tokenizer is sent and built once per
    # worker instead of once per partition.
    shipped = dask.delayed(tokenizer, pure=True)
    with dask.config.set(_NO_STRING_CONVERSION):
        return ddf.map_partitions(_tokenize_partition, shipped, text_col, column, drop_text, meta=meta)


def _tokenize_partition(part: pd.DataFrame, tokenizer: Any, text_col: str, column: str, drop: bool) -> pd.DataFrame:
    part = part.copy()
    part[column] = pd.Series(tokenizer.tokenize_many(part[text_col].tolist(), n_jobs=1), index=part.index,
                             dtype=object)
    return part.drop(columns=text_col) if drop else part


def tag_dask(ddf: dd.DataFrame, model: Any, *, text_col: str = "text", proba: bool = True) -> dd.DataFrame:
    """Add ``label`` and ``proba_<class>`` columns from ``model`` (anything with ``predict(texts)``), as
    :func:`policytext.scale.sinks.tag_to_parquet` writes them.

    Example:
        >>> from policytext.classify.rules import RuleTagger
        >>> frame = dd.from_pandas(pd.DataFrame({"text": ["由市政府牵头。"]}), npartitions=1)
        >>> tag_dask(frame, RuleTagger("governance-mode"), proba=False).compute()["label"].tolist()
        ['GM1']
    """
    _check(ddf, text_col)
    if not hasattr(model, "predict"):
        raise TypeError(f"model must have predict(texts) (a classifier or RuleTagger), not {type(model).__name__}")
    meta = _typed_meta(ddf, lambda part: _tag_partition(part, model, text_col, proba))
    shipped = dask.delayed(model, pure=True)
    with dask.config.set(_NO_STRING_CONVERSION):
        return ddf.map_partitions(_tag_partition, shipped, text_col, proba, meta=meta)


def _tag_partition(part: pd.DataFrame, model: Any, text_col: str, proba: bool) -> pd.DataFrame:
    tags = tag_frame(model, part[text_col].tolist(), proba=proba).set_axis(part.index)
    return pd.concat([part, tags], axis=1)


def to_parquet_dask(ddf: dd.DataFrame, path: str | os.PathLike[str], **options: Any) -> None:
    """Write ``ddf`` to a Parquet folder, with the Arrow schema taken from its first partition.

    Token lists and multi-label lists sit in object columns whose type Dask cannot infer from its metadata; the
    first partition shows it (it is computed once more for that).

    Example:
        >>> to_parquet_dask(tokenize_dask(segments, Tokenizer()), "tokens/")  # doctest: +SKIP
    """
    _check(ddf, None)
    import pyarrow as pa

    first = ddf.get_partition(0).compute()
    schema = pa.Schema.from_pandas(first, preserve_index=False)
    ddf.to_parquet(path, schema=schema, write_index=False, **options)


def read_parquet_dask(
    path: str | os.PathLike[str], *, columns: Sequence[str] | None = None
) -> dd.DataFrame:
    """A Parquet file, or a folder of ``*.parquet`` files, as a Dask DataFrame with one partition per row group,
    read with pyarrow as pandas reads it (same dtypes), e.g. a segment table from the benchmark generator.

    ``dask.dataframe.read_parquet`` would merge a small file's row groups into one partition (leaving all but one
    worker idle), and with dask 2026.8 a persisted multi-partition ``read_parquet`` result loses its data when a
    further step is persisted ("lost dependencies"); ``from_map`` over row groups has neither problem.

    Example:
        >>> read_parquet_dask("segments.parquet").npartitions  # doctest: +SKIP
        100
    """
    import pyarrow.parquet as pq

    root = os.fspath(path)
    files = sorted(os.path.join(root, f) for f in os.listdir(root) if f.endswith(".parquet")) \
        if os.path.isdir(root) else [root]
    if not files or not all(os.path.isfile(f) for f in files):
        raise FileNotFoundError(f"read_parquet_dask: no Parquet file at {root!r}")
    pieces = [(f, group) for f in files for group in range(pq.ParquetFile(f).metadata.num_row_groups)]
    wanted = list(columns) if columns is not None else None
    meta = pq.ParquetFile(files[0]).schema_arrow.empty_table().to_pandas()
    meta = meta[wanted] if wanted is not None else meta
    with dask.config.set(_NO_STRING_CONVERSION):
        return dd.from_map(_read_row_group, pieces, columns=wanted, meta=meta, enforce_metadata=False)


def _read_row_group(piece: tuple[str, int], columns: list[str] | None) -> pd.DataFrame:
    import pyarrow.parquet as pq

    file, group = piece
    return pq.ParquetFile(file).read_row_group(group, columns=columns).to_pandas()
