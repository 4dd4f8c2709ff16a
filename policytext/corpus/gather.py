"""Gather documents from folders, files, tables and DataFrames into one table, for :func:`read_corpus`.

Order of authority for each metadata field: a table row's own columns, then the side metadata table, then
what is inferred from the file name and text. Each filled value is recorded in the provenance table.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from policytext.corpus.metadata import META_COLUMNS, PATH_KEYS, find_column, infer_from_path, infer_from_text, standardize
from policytext.corpus.files import SUPPORTED_SUFFIXES, TABLE_SUFFIXES, ReadError, read_document, read_table

Skipped = list[tuple[str, str]]
# Side tables found automatically, nearest folder first; one is used only if it names files being read.
SIDE_TABLE_NAMES = ("metadata.csv", "manifest.csv")


class Gatherer:
    """Accumulates documents, skipped inputs and provenance while inputs are read (shared by :func:`collect`
    and the streaming reader in :mod:`policytext.scale.sources`)."""

    def __init__(self, *, text_col, id_col, cleaner, infer, errors) -> None:
        self.text_col, self.id_col, self.cleaner, self.infer, self.errors = text_col, id_col, cleaner, infer, errors
        self.records: list[dict[str, Any]] = []
        self.skipped: Skipped = []
        self.provenance: list[tuple[str, str, str]] = []
        self.side: dict[Path, dict[str, Any]] = {}
        self.side_name = ""
        self.side_path: Path | None = None

    def skip(self, where: str, reason: str, exc: Exception | None = None) -> None:
        if self.errors == "raise":
            raise exc if exc is not None else ReadError(where, reason)
        self.skipped.append((where, reason))

    def clean(self, text: str) -> str:
        return self.cleaner(text) if self.cleaner is not None else text

    def add(self, doc_id: str, text: str, fields: dict[str, Any], origins: dict[str, str], extra: dict) -> None:
        record = {"doc_id": doc_id, "text": text, **extra, **fields}
        self.records.append(record)
        self.provenance.extend((doc_id, f, o) for f, o in origins.items())

    def fill_inferred(self, fields: dict, origins: dict, text: str, title: str | None, path: Path | None) -> None:
        """Fill fields still empty with what the file name and the text say, recording each origin."""
        guessed: dict[str, tuple[Any, str]] = (
            {k: (v, "file name") for k, v in infer_from_path(path).items()} if path is not None else {}
        )
        for field, pair in infer_from_text(text, title).items():
            guessed.setdefault(field, pair)
        for field, (value, origin) in guessed.items():
            if field in META_COLUMNS and not _present(fields.get(field)) and _present(value):
                fields[field] = value
                origins[field] = origin

    # documents -------------------------------------------------------------------------------------------
    def document(self, path: Path, doc_id: str) -> None:
        try:
            doc = read_document(path)
        except ReadError as exc:
            self.skip(str(path), exc.reason, exc)
            return
        text = self.clean(doc.text)
        if not text.strip():
            self.skip(str(path), "no text left after cleaning (the file holds only boilerplate or markup)")
            return
        fields: dict[str, Any] = {}
        origins: dict[str, str] = {}
        side_row = self.side.get(path.resolve(), {})
        for field, value in side_row.items():
            if field in META_COLUMNS and _present(value):
                fields[field] = value
                origins[field] = f"metadata table {self.side_name}"
        extra = {k: v for k, v in side_row.items() if k not in META_COLUMNS and k not in PATH_KEYS}
        extra["path"] = str(path)
        if "source" not in fields:
            fields["source"] = str(path)
        if self.infer:
            self.fill_inferred(fields, origins, text, doc.title, path)
        self.add(doc_id, text, fields, origins, extra)

    # tables ----------------------------------------------------------------------------------------------
    def table(self, path: Path | None, frame: pd.DataFrame | None, prefix: str | None) -> None:
        where = str(path) if path is not None else "DataFrame"
        if frame is None:
            try:
                frame = read_table(path)
            except ReadError as exc:
                self.skip(where, exc.reason, exc)
                return
        text_col = self.text_col if self.text_col is not None else find_column(frame.columns, "text")
        if text_col is None or text_col not in frame.columns:
            wanted = repr(self.text_col) if self.text_col else "one of text, content, body, 正文, 内容, 全文"
            self.skip(where, f"no text column {wanted}; columns are {list(frame.columns)}; pass text_col=")
            return
        frame = frame.rename(columns={text_col: "text"})
        id_col = self.id_col if self.id_col is not None else find_column(frame.columns, "doc_id")
        if self.id_col is not None and id_col not in frame.columns:
            self.skip(where, f"no id column {self.id_col!r}; columns are {list(frame.columns)}")
            return
        ids = frame[id_col].astype(str) if id_col is not None else pd.Series(frame.index.astype(str))
        ids = ids.reset_index(drop=True)
        duplicated = ids[ids.duplicated()].unique().tolist()
        if duplicated and self.id_col is not None:
            self.skip(where, f"duplicate ids in column {id_col!r}: {duplicated[:10]}; pass a unique id_col=")
            return
        if duplicated:
            # A column that merely looks like an id (编号, id) but repeats is kept as data; rows are numbered.
            ids = pd.Series([str(i) for i in range(len(frame))])
            id_col = None
        frame = standardize(frame.drop(columns=[id_col]) if id_col is not None else frame, keep=("text", "doc_id"))
        frame = frame.reset_index(drop=True)
        side_row = self.side.get(path.resolve(), {}) if path is not None else {}
        for i, row in enumerate(frame.to_dict("records")):
            doc_id = f"{prefix}#{ids[i]}" if prefix else ids[i]
            text = row.pop("text")
            if not isinstance(text, str) or not text.strip():
                self.skip(f"{where}#{ids[i]}", "empty text")
                continue
            text = self.clean(text)
            if not text.strip():
                self.skip(f"{where}#{ids[i]}", "no text left after cleaning")
                continue
            origins = {f: ("table row" if path is None else f"table row in {path.name}")
                       for f, v in row.items() if f in META_COLUMNS and _present(v)}
            for field, value in side_row.items():
                if field in META_COLUMNS and not _present(row.get(field)) and _present(value):
                    row[field] = value
                    origins[field] = f"metadata table {self.side_name}"
            if self.infer:
                self.fill_inferred(row, origins, text, None, None)
            if path is not None:
                row.setdefault("path", str(path))
                if not _present(row.get("source")):
                    row["source"] = f"{path}#{ids[i]}"
            self.add(doc_id, text, {}, origins, row)


def _present(value: Any) -> bool:
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float) and pd.isna(value):
        return False
    return not (isinstance(value, str) and not value.strip())


def load_side_table(metadata: Any, root: Path | None, files: list[Path], g: Gatherer) -> None:
    """Index the side table by absolute file path; look for metadata.csv/manifest.csv upwards when none is given."""
    if metadata is False:
        return
    if metadata is None or metadata is True:
        if root is None:
            return
        start = root if root.is_dir() else root.parent
        candidates = [d / name for d in [start, *start.parents] for name in SIDE_TABLE_NAMES]
        for candidate in candidates:
            if candidate.is_file():
                index = _index_side(read_table(candidate), candidate.parent, candidate)
                if any(f.resolve() in index for f in files):
                    g.side, g.side_name, g.side_path = index, candidate.name, candidate.resolve()
                    return
        return
    if isinstance(metadata, pd.DataFrame):
        base = root if root is not None and root.is_dir() else (root.parent if root is not None else Path.cwd())
        g.side, g.side_name = _index_side(metadata, base, None), "DataFrame"
        return
    path = Path(metadata)
    if not path.is_file():
        raise FileNotFoundError(f"metadata table {path} does not exist")
    g.side, g.side_name, g.side_path = _index_side(read_table(path), path.parent, path), path.name, path.resolve()


def _index_side(frame: pd.DataFrame, base: Path, where: Path | None) -> dict[Path, dict[str, Any]]:
    key = next((c for c in PATH_KEYS if c in frame.columns), None)
    if key is None:
        raise ValueError(
            f"metadata table {where or 'DataFrame'} needs a column naming each file ({' or '.join(PATH_KEYS[:2])}), "
            f"relative to the table's folder; columns are {list(frame.columns)}"
        )
    frame = standardize(frame)
    index: dict[Path, dict[str, Any]] = {}
    for row in frame.to_dict("records"):
        if _present(row.get(key)):
            index[(base / str(row[key])).resolve()] = row
    return index


def list_files(folder: Path, recursive: bool, skipped: Skipped | None = None) -> list[Path]:
    """The files under ``folder`` (all levels when ``recursive``), sorted so every run reads them in one order.

    Nothing is dropped silently: a folder that cannot be listed, a broken link, a link loop, a link to a file
    or folder outside ``folder``, a link to a folder already read and anything that is not a regular file
    (a pipe would block the run) goes to ``skipped`` as ``(path, reason)``. Links to files inside ``folder``
    are read under the link's own name. Sub-folders are not entered when ``recursive`` is false.

    Example:
        >>> list_files(Path("corpora/policy"), recursive=True)[:1]  # doctest: +SKIP
        [PosixPath('corpora/policy/2014/gwr_2014.txt')]
    """
    skipped = skipped if skipped is not None else []
    root = Path(os.path.realpath(folder))
    files: list[Path] = []
    real_dirs: dict[str, Path] = {str(root): folder}
    links: list[Path] = []
    pending = [folder]
    while pending:  # a stack, not recursion: folder depth is up to the user
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            skipped.append((str(current), f"folder cannot be listed ({exc.strerror or exc}); check its "
                            "permissions, its documents were not read"))
            continue
        subfolders = []
        for entry in listed:
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    links.append(path)
                elif entry.is_dir(follow_symlinks=False):
                    if recursive:
                        subfolders.append(path)
                        real_dirs[os.path.realpath(path)] = path
                elif entry.is_file(follow_symlinks=False):
                    files.append(path)
                else:
                    skipped.append((str(path), "not a regular file (a pipe, socket or device); not read"))
            except OSError as exc:
                skipped.append((str(path), f"cannot be examined ({exc.strerror or exc})"))
        pending.extend(reversed(subfolders))
    for link in links:
        target = _link_target(link, root, real_dirs, recursive, skipped)
        if target == "file":
            files.append(link)
    return sorted(files)


def _link_target(link: Path, root: Path, real_dirs: dict[str, Path], recursive: bool, skipped: Skipped) -> str:
    """"file" for a link to read; otherwise records why the link is not followed and returns ""."""
    written = os.readlink(link)
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        skipped.append((str(link), f"broken symbolic link: its target {written} does not exist"))
        return ""
    except (RuntimeError, OSError) as exc:  # Python 3.11 raises RuntimeError on a loop, later versions OSError
        skipped.append((str(link), f"symbolic link loop ({written}); remove or fix the link ({exc})"))
        return ""
    if target != root and root not in target.parents:
        skipped.append((str(link), f"symbolic link to {target}, outside the folder being read; copy the file in "
                        "or pass it explicitly"))
        return ""
    if target.is_dir():
        if not recursive:
            return ""  # like any sub-folder when reading one level only
        if target == root or target in Path(os.path.realpath(link.parent)).parents or \
                target == Path(os.path.realpath(link.parent)):
            skipped.append((str(link), f"symbolic link loop: points to {target}, a folder that contains it; not "
                            "followed"))
        elif str(target) in real_dirs:
            skipped.append((str(link), f"symbolic link to a folder already read as {real_dirs[str(target)]}; not "
                            "followed, so its documents are not read twice"))
        else:
            skipped.append((str(link), f"symbolic link to a folder ({target}) that is not read; pass it explicitly"))
        return ""
    if not target.is_file():
        skipped.append((str(link), f"symbolic link to {target}, not a regular file; not read"))
        return ""
    return "file"


def relative_id(file: Path, base: Path) -> str:
    """The document id of ``file``: its path relative to ``base``, as written (links are not resolved).

    Example:
        >>> relative_id(Path("docs/2019/a.txt"), Path("docs"))
        '2019/a.txt'
    """
    return Path(os.path.relpath(os.path.abspath(file), os.path.abspath(base))).as_posix()


def collect(
    source: Any,
    metadata: Any,
    *,
    text_col: str | None,
    id_col: str | None,
    cleaner: Callable[[str], str] | None,
    infer: bool,
    recursive: bool,
    errors: str,
    progress: bool,
) -> tuple[pd.DataFrame, Skipped, pd.DataFrame]:
    """Read ``source`` into (document table, skipped inputs, provenance); see :func:`read_corpus`."""
    g = Gatherer(text_col=text_col, id_col=id_col, cleaner=cleaner, infer=infer, errors=errors)
    if isinstance(source, pd.DataFrame):
        if isinstance(metadata, (pd.DataFrame, str, os.PathLike)):
            raise ValueError("metadata= goes with files and folders; merge it into the DataFrame instead")
        g.table(None, source, None)
        return gathered_tables(g)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.exists():
            hint = (
                " (it looks like text, not a path: to build a corpus from texts use "
                "Corpus.from_texts([text, ...]) or pass a DataFrame with a 'text' column)"
                if isinstance(source, str) and (len(source) > 200 or "\n" in source or not any(
                    ch in source for ch in "/\\.")) else ""
            )
            raise FileNotFoundError(f"no such file or folder: {str(source)[:80]!r}{hint}")
        roots = [(path, list_files(path, recursive, g.skipped) if path.is_dir() else [path])]
        base = path if path.is_dir() else path.parent
    elif isinstance(source, Iterable):
        paths = [Path(p) for p in source]
        bad = [p for p in paths if not isinstance(p, Path)]
        if bad:
            raise TypeError("source list must hold paths")
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise FileNotFoundError(f"no such file(s): {missing[:5]}")
        files = []
        for p in paths:
            files.extend(list_files(p, recursive, g.skipped) if p.is_dir() else [p])
        base = Path(os.path.commonpath([os.path.abspath(p) for p in paths])) if paths else Path.cwd()
        base = base if base.is_dir() else base.parent
        roots = [(base, files)]
        path = base
    else:
        raise TypeError(
            f"source must be a folder, file, list of paths or DataFrame, not {type(source).__name__}"
        )
    all_files = [f for _, fs in roots for f in fs]
    load_side_table(metadata, path, all_files, g)
    iterator: Iterable[Path] = all_files
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(all_files, desc="reading", unit="file")
    for file in iterator:
        relative = relative_id(file, base)
        suffix = file.suffix.lower()
        if g.side_path is not None and file.resolve() == g.side_path:
            g.skipped.append((str(file), "the metadata table of this corpus, not a document"))
        elif any(part.startswith(".") for part in Path(relative).parts):
            g.skipped.append((str(file), "hidden file"))
        elif suffix in TABLE_SUFFIXES:
            as_prefix = relative if len(all_files) > 1 or path.is_dir() else None
            g.table(file, None, as_prefix)
        elif suffix in SUPPORTED_SUFFIXES:
            g.document(file, relative)
        else:
            supported = sorted(SUPPORTED_SUFFIXES | TABLE_SUFFIXES)
            g.skip(str(file), f"unsupported file type {suffix or '(no suffix)'!r}; supported: {supported}")
    return gathered_tables(g)


def gathered_tables(g: Gatherer) -> tuple[pd.DataFrame, Skipped, pd.DataFrame]:
    """What a Gatherer holds as (documents, skipped inputs, provenance table)."""
    frame = pd.DataFrame.from_records(g.records) if g.records else pd.DataFrame(columns=["doc_id", "text"])
    provenance = pd.DataFrame(g.provenance, columns=["doc_id", "field", "origin"])
    return frame, g.skipped, provenance
