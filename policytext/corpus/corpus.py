"""The Corpus: one table of documents with documented metadata columns, its segments, read_corpus and load_corpus.

A :class:`Corpus` wraps a DataFrame with one row per document and the documented columns

============  ===========================================================================================
doc_id        unique id: the file's path relative to the folder read (``#row`` added for table rows)
text          the cleaned text; segment offsets index this string
title         title from the side table, the file (HTML/DOCX/PDF properties) or the text's title line
year          Int64 year of the document
date          date as ISO ``YYYY-MM-DD`` where known (as given by the side table otherwise)
issuer        issuing organ(s)
doc_number    发文字号 / 令号, e.g. 国办发〔2018〕45号
level         national, provincial, municipal, county
region        province or city for local documents
doc_type      genre or collection type (government_work_report, law, normative_document ...)
source        where the text came from: the side table's ``source`` or the file path
============  ===========================================================================================

plus ``path`` (the file read) and any user columns. Inputs that could not be read are listed in
:attr:`Corpus.skipped` with the reason; nothing is dropped silently. :attr:`Corpus.provenance` records where each
inferred metadata value came from.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from policytext.corpus.metadata import DOC_COLUMNS, META_COLUMNS, standardize, to_iso_date, to_year
from policytext.corpus.segment import UNIT_CODES, UNITS, split_spans


class Corpus:
    """Documents and their metadata; build one with :func:`read_corpus` or :meth:`Corpus.from_texts`.

    Example:
        >>> c = Corpus.from_texts(["推进一网通办。", "建设数字政府。"], year=[2018, 2022])
        >>> c.to_frame()[["doc_id", "year"]].values.tolist()
        [['0', 2018], ['1', 2022]]
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        skipped: Iterable[tuple[str, str]] = (),
        provenance: pd.DataFrame | None = None,
    ) -> None:
        self._frame = _validate_frame(frame)
        self.skipped: list[tuple[str, str]] = list(skipped)
        self.provenance: pd.DataFrame = (
            provenance if provenance is not None else pd.DataFrame(columns=["doc_id", "field", "origin"])
        )

    # construction ----------------------------------------------------------------------------------------
    @classmethod
    def from_texts(cls, texts: Iterable[str], ids: Iterable[str] | None = None, **metadata: Any) -> Corpus:
        """A corpus from a list of texts, with optional ids and metadata columns of the same length.

        Example:
            >>> len(Corpus.from_texts(["数字政府"], title=["t"]))
            1
        """
        from policytext.checks import ensure_documents

        documents = ensure_documents(texts)
        frame = pd.DataFrame({"text": documents, **{k: list(v) for k, v in metadata.items()}})
        frame.insert(0, "doc_id", [str(i) for i in ids] if ids is not None else [str(i) for i in frame.index])
        return cls(frame)

    # access ----------------------------------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """A copy of the document table (one row per document, documented columns first)."""
        return self._frame.copy()

    @property
    def metadata(self) -> pd.DataFrame:
        """The document table without the text column."""
        return self._frame.drop(columns="text")

    @property
    def texts(self) -> list[str]:
        return self._frame["text"].tolist()

    @property
    def doc_ids(self) -> list[str]:
        return self._frame["doc_id"].tolist()

    def __len__(self) -> int:
        return len(self._frame)

    def __iter__(self) -> Iterator[str]:
        """Iterate over texts, so a corpus can go wherever a list of documents is expected."""
        return iter(self._frame["text"].tolist())

    def __getitem__(self, doc_id: str) -> pd.Series:
        rows = self._frame[self._frame["doc_id"] == doc_id]
        if rows.empty:
            raise KeyError(f"no document with doc_id {doc_id!r} in this corpus of {len(self)} documents")
        return rows.iloc[0]

    def __repr__(self) -> str:
        years = self._frame["year"].dropna()
        span = f", {years.min()}–{years.max()}" if len(years) else ""
        return f"<Corpus: {len(self)} documents{span}, {len(self.skipped)} skipped>"

    def checksum(self) -> str:
        """sha256 over doc ids and texts: identifies exactly which texts an analysis used."""
        digest = hashlib.sha256()
        for doc_id, text in zip(self._frame["doc_id"], self._frame["text"]):
            digest.update(doc_id.encode("utf-8") + b"\0" + text.encode("utf-8") + b"\0")
        return digest.hexdigest()

    # selection -------------------------------------------------------------------------------------------
    def filter(self, mask: Any = None, **conditions: Any) -> Corpus:
        """Documents matching all conditions: a value, a list of values, a ``range`` or a predicate.

        Example:
            >>> c = Corpus.from_texts(["a", "b", "c"], year=[2014, 2018, 2022], level=["national"] * 3)
            >>> c.filter(year=range(2015, 2023), level="national").doc_ids
            ['1', '2']
        """
        keep = pd.Series(True, index=self._frame.index)
        if mask is not None:
            keep &= pd.Series(mask, index=self._frame.index).astype(bool)
        for column, wanted in conditions.items():
            if column not in self._frame.columns:
                raise KeyError(f"filter: no column {column!r}; columns are {list(self._frame.columns)}")
            values = self._frame[column]
            if callable(wanted):
                keep &= values.map(wanted).fillna(False).astype(bool)
            elif isinstance(wanted, (list, tuple, set, frozenset, range)):
                keep &= values.isin(list(wanted)).fillna(False).astype(bool)
            else:
                keep &= (values == wanted).fillna(False).astype(bool)
        return self._subset(keep)

    def query(self, expr: str) -> Corpus:
        """Documents selected by a :meth:`pandas.DataFrame.query` expression, e.g. ``"year >= 2018"``."""
        selected = self._frame.query(expr, engine="python")
        return self._subset(self._frame.index.isin(selected.index))

    def groupby(self, by: str | list[str]) -> Iterator[tuple[Any, Corpus]]:
        """Yield ``(key, sub-corpus)`` per group of a metadata column (missing values form no group)."""
        columns = [by] if isinstance(by, str) else list(by)
        for column in columns:
            if column not in self._frame.columns:
                raise KeyError(f"groupby: no column {column!r}; columns are {list(self._frame.columns)}")
        for key, part in self._frame.groupby(by, sort=True, dropna=True):
            yield key, self._subset(self._frame.index.isin(part.index))

    def summary(self, by: Iterable[str] = ("year", "level", "doc_type")) -> pd.DataFrame:
        """Counts of documents and characters per value of each metadata column (long format)."""
        frames = []
        for column in by:
            counts = self._frame.groupby(self._frame[column].astype("string").fillna("(missing)")).agg(
                documents=("doc_id", "size"), characters=("text", lambda s: int(s.str.len().sum()))
            )
            frames.append(counts.reset_index(names="value").assign(column=column))
        if not frames:
            return pd.DataFrame(columns=["column", "value", "documents", "characters"])
        return pd.concat(frames, ignore_index=True)[["column", "value", "documents", "characters"]]

    def _subset(self, keep: Any) -> Corpus:
        frame = self._frame[keep].reset_index(drop=True)
        ids = set(frame["doc_id"])
        provenance = self.provenance[self.provenance["doc_id"].isin(ids)].reset_index(drop=True)
        return Corpus(frame, self.skipped, provenance)

    # segments --------------------------------------------------------------------------------------------
    def segments(self, unit: str = "paragraph", *, min_chars: int = 1) -> pd.DataFrame:
        """One row per segment: doc_id, segment_id, unit, position, start, end, marker, text + metadata.

        ``segment_id`` is ``"{doc_id}::p{position}"`` (``s`` for sentences, ``c`` for clauses), positions
        counting from 0 among the kept segments; ``text == document_text[start:end]``. Clauses are the numbered
        parts 第X条, 一、, （一）, 1. ... (``marker`` holds the number). Segments shorter than ``min_chars``
        characters are left out.

        Example:
            >>> c = Corpus.from_texts(["一、总体要求\\n（一）推进一网通办。"])
            >>> c.segments("clause")[["segment_id", "marker"]].values.tolist()
            [['0::c0', '一、'], ['0::c1', '（一）']]
        """
        if unit not in UNITS:
            raise ValueError(f"unit must be one of {list(UNITS)}, not {unit!r}")
        code = UNIT_CODES[unit]
        rows: list[tuple[Any, ...]] = []
        for doc_id, text in zip(self._frame["doc_id"], self._frame["text"]):
            position = 0
            for start, end, marker in split_spans(text, unit):
                if end - start < min_chars:
                    continue
                rows.append((doc_id, f"{doc_id}::{code}{position}", unit, position, start, end, marker,
                             text[start:end]))
                position += 1
        columns = ["doc_id", "segment_id", "unit", "position", "start", "end", "marker", "text"]
        segments = pd.DataFrame(rows, columns=columns)
        return segments.merge(self.metadata, on="doc_id", how="left", validate="many_to_one")


def _validate_frame(frame: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"Corpus needs a pandas DataFrame, not {type(frame).__name__}; use read_corpus()")
    if "text" not in frame.columns:
        raise ValueError(f"a corpus table needs a 'text' column; columns are {list(frame.columns)}")
    frame = frame.copy()
    if "doc_id" not in frame.columns:
        frame.insert(0, "doc_id", [str(i) for i in range(len(frame))])
    frame["doc_id"] = frame["doc_id"].astype(str)
    duplicated = frame["doc_id"][frame["doc_id"].duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(
            f"doc_id values must be unique; duplicated: {duplicated[:10]}. Pass id_col= naming a unique column, "
            "or leave ids to policytext"
        )
    not_text = [i for i, t in zip(frame["doc_id"], frame["text"]) if not isinstance(t, str)]
    if not_text:
        raise TypeError(f"text must be str for every document; not str for doc_id {not_text[:10]}")
    for column in META_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.NA
    # Dates in any common written form become ISO; a date that cannot be read is kept as given.
    frame["date"] = [to_iso_date(d) or d for d in frame["date"]]
    years = [to_year(y) for y in frame["year"]]
    frame["year"] = pd.array(
        [to_year(d) if y is pd.NA else y for y, d in zip(years, frame["date"])], dtype="Int64"
    )
    for column in ("title", "date", "issuer", "doc_number", "level", "region", "doc_type", "source"):
        frame[column] = frame[column].astype("string")
    ordered = list(DOC_COLUMNS) + [c for c in frame.columns if c not in DOC_COLUMNS]
    return frame[ordered].reset_index(drop=True)


# ------------------------------------------------------------------------------------------------------------
def read_corpus(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | pd.DataFrame,
    metadata: str | os.PathLike[str] | pd.DataFrame | bool | None = None,
    *,
    text_col: str | None = None,
    id_col: str | None = None,
    clean: bool | Callable[[str], str] = True,
    infer: bool = True,
    recursive: bool = True,
    errors: str = "skip",
    progress: bool = False,
) -> Corpus:
    """Read documents with their metadata into a :class:`Corpus`.

    ``source`` is a folder (read recursively), a document file (.txt .md .html .docx .pdf), a table
    (.csv .tsv .jsonl .json .parquet .xlsx; one row per document), a list of such paths, or a DataFrame.
    ``metadata`` is a side table keyed by a ``path`` (or ``file``) column relative to the table's own folder;
    by default a ``metadata.csv`` or ``manifest.csv`` in the folder read or one of its parents is used when it names files read,
    and ``metadata=False`` turns that off. Side-table values win over values inferred from the file
    (``infer=True``: title line, 发文字号, dates, year in the file name). ``clean`` is True for
    :func:`policytext.corpus.clean.clean_text`, False for raw text, or your own ``str -> str`` function.
    ``errors="skip"`` records unreadable inputs in ``corpus.skipped``; ``"raise"`` stops at the first.

    Example:
        >>> import pandas as pd
        >>> c = read_corpus(pd.DataFrame({"text": ["推进一网通办"], "year": [2018]}))
        >>> c.to_frame().loc[0, "year"]
        np.int64(2018)
    """
    from policytext.corpus.gather import collect

    if errors not in ("skip", "raise"):
        raise ValueError(f"errors must be 'skip' or 'raise', not {errors!r}")
    cleaner = resolve_cleaner(clean)
    frame, skipped, provenance = collect(
        source,
        metadata,
        text_col=text_col,
        id_col=id_col,
        cleaner=cleaner,
        infer=infer,
        recursive=recursive,
        errors=errors,
        progress=progress,
    )
    return Corpus(standardize(frame), skipped, provenance)


def resolve_cleaner(clean: bool | Callable[[str], str]) -> Callable[[str], str] | None:
    """The cleaner a ``clean=`` argument means: True the default :func:`~policytext.corpus.clean.clean_text`, False/None
    no cleaning, or the given function (shared by read_corpus and the streaming readers)."""
    if clean is True:
        from policytext.corpus.clean import clean_text

        return clean_text
    if clean is False or clean is None:
        return None
    if callable(clean):
        return clean
    raise TypeError(f"clean must be True, False or a function str -> str, not {type(clean).__name__}")


def load_corpus(name: str, *, verify: bool = True, **options: Any) -> Corpus:
    """A registered corpus read from the data home: exactly the files its manifest lists, with their metadata.

    When the data home holds none of the corpus's files and the package embeds them (the official documents:
    ``gwr-2014-2022``, ``policy``, ``policy-v2``, ``city-gwr-2024``, ``national-2023-2025``), the embedded copy
    is read instead (:mod:`policytext.corpus.embedded`); a data home that holds some of the files is never mixed
    with it. ``verify`` checks every file's sha256 against the manifest first and refuses changed or missing
    files (``policytext fetch NAME`` copies or downloads what it can). Other options go to :func:`read_corpus`.

    Example:
        >>> gwr = load_corpus("gwr-2014-2022")  # doctest: +SKIP
        >>> sorted(gwr.to_frame()["year"])[:2]  # doctest: +SKIP
        [2014, 2015]
    """
    from policytext.corpus.datahome import data_home, registered_corpus, verify_corpus
    from policytext.corpus.embedded import embedded_files, embedded_home

    entry = registered_corpus(name)
    home = data_home()
    paths = entry.manifest["path"].tolist()
    if not any((home / p).is_file() for p in paths) and set(paths) <= set(embedded_files()):
        home = embedded_home()
    if verify:
        report = verify_corpus(name, home)
        missing = report.loc[report["status"] == "missing", "path"].tolist()
        changed = report.loc[report["status"] == "checksum mismatch", "path"].tolist()
        if missing:
            raise FileNotFoundError(
                f"corpus {name!r}: {len(missing)} file(s) missing from the data home {home} (e.g. {missing[0]}); "
                f"set POLICYTEXT_DATA to the folder that holds them or run `policytext fetch {name}`"
            )
        if changed:
            raise ValueError(
                f"corpus {name!r}: {len(changed)} file(s) differ from the registered checksum (e.g. {changed[0]}); "
                "restore the original files or pass verify=False to read them anyway"
            )
    manifest = entry.manifest.copy()
    manifest["path"] = [str(home / p) for p in manifest["path"]]
    manifest = manifest.drop(columns=["bytes"], errors="ignore")
    read = {**entry.read_options, **options}
    files = read.pop("files", None)
    root = home / entry.root
    # Exactly the files the manifest lists: a data-home folder that grows does not change a registered corpus.
    # Document ids stay relative to the corpus root (the common folder of its files).
    source: Any = [root / f for f in files] if files else [Path(p) for p in manifest["path"]]
    return read_corpus(source, metadata=manifest, **read)
