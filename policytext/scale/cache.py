"""A content-addressed cache of token tables, fitted models and finished reports, so an unchanged re-run skips the
work.

Entries live in ``data_home()/cache/`` (or ``$POLICYTEXT_CACHE``, or a ``cache_dir`` argument), one folder per
entry: ``<kind>/<key>/`` with the artefacts and an ``entry.json`` that records each file's sha256. The key is a
sha256 over a canonical JSON of everything the result depends on: the data checksum, the full configuration, and
the versions of policytext and the libraries that compute it. Change one setting and only results that depend
on it get a new key; the rest are still found.

Writes are atomic: an entry is built in ``tmp/`` and renamed into place, so a crash mid-write leaves no entry
(only a stray folder under ``tmp/`` that :func:`clear_cache` removes). A read checks the checksums; a corrupted
entry is removed and reported as a miss, so the caller recomputes it.

Example:
    >>> import tempfile, policytext as pt
    >>> from policytext.scale.cache import cached_tokens
    >>> folder = tempfile.mkdtemp()
    >>> cached_tokens(["推进一网通办"], pt.Tokenizer(n_jobs=1), cache_dir=folder)["tokens"].tolist()
    [['推进', '一网通办']]
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from policytext.corpus.locations import CACHE_ENV_VAR as ENV_VAR
from policytext.corpus.locations import default_cache_dir, sha256_file
from policytext.persist import data_checksum, dependency_versions
from policytext.resources import package_data

FORMAT_VERSION = 1
KINDS = ("tables", "models", "reports")
ENTRY = "entry.json"
TABLE_FILE = "table.parquet"
# Parameters that change how a tokenizer is run, never which tokens it returns: left out of the key.
_RUNTIME_PARAMS = frozenset({"n_jobs", "progress", "verbose"})
# Tokenizer parameters that may name a file: the key holds the file's checksum, so editing the file invalidates.
_FILE_PARAMS = frozenset({"lexicon", "user_dict", "stopwords"})
_TOKENIZER_DEPENDENCIES = ("rjieba", "jieba", "pandas", "pyarrow")


def cache_key(*parts: Any, dependencies: Iterable[str] = ()) -> str:
    """sha256 hex key over the canonical JSON of ``parts`` plus policytext's, numpy's and ``dependencies``' versions.

    Parts may be str, numbers, bools, None, lists, tuples, sets (order ignored), mappings (key order ignored),
    paths (files enter by their sha256) and estimators (class name and ``get_params()``).

    Example:
        >>> cache_key("tokens", {"hmm": False}) == cache_key("tokens", {"hmm": False})
        True
        >>> cache_key("tokens", {"hmm": False}) == cache_key("tokens", {"hmm": True})
        False
    """
    payload = {
        "format": FORMAT_VERSION,
        "versions": dependency_versions(sorted(set(dependencies))),
        "parts": [_canonical(p) for p in parts],
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [_canonical(v) for v in value]
        return {"set": sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, os.PathLike):
        path = Path(value)
        return {"file_sha256": sha256_file(path)} if path.is_file() else {"path": str(path.resolve())}
    if hasattr(value, "get_params"):
        cls = type(value)
        return {"class": f"{cls.__module__}.{cls.__qualname__}", "params": _canonical(value.get_params(deep=False))}
    raise TypeError(
        f"cache_key: cannot key a value of type {type(value).__name__} ({value!r:.60}); pass a str, number, list, "
        "dict, path or estimator, or a checksum of the object"
    )


def tokenizer_fingerprint(tokenizer: Any) -> dict[str, Any]:
    """What a tokenizer's output depends on: class, parameters (not ``n_jobs``), word-list file checksums and the
    checksum of policytext's bundled lexicon and stopwords.

    Example:
        >>> import policytext as pt
        >>> tokenizer_fingerprint(pt.Tokenizer(n_jobs=1)) == tokenizer_fingerprint(pt.Tokenizer(n_jobs=2))
        True
    """
    if not hasattr(tokenizer, "get_params"):
        raise TypeError(f"tokenizer must have get_params() (a policytext.Tokenizer), not {type(tokenizer).__name__}")
    params = {k: v for k, v in tokenizer.get_params(deep=False).items() if k not in _RUNTIME_PARAMS}
    for name in _FILE_PARAMS & params.keys():
        value = params[name]
        if isinstance(value, (str, os.PathLike)) and value != "default":
            path = Path(value)
            if not path.is_file():
                raise FileNotFoundError(f"tokenizer parameter {name}={str(value)!r}: no such file")
            params[name] = {"file_sha256": sha256_file(path)}
    cls = type(tokenizer)
    return {"class": f"{cls.__module__}.{cls.__qualname__}", "params": _canonical(params),
            "bundled_word_lists": _bundled_checksum()}


def _bundled_checksum() -> str:
    # The bundled lists can change without a version bump in a source checkout; their bytes enter the key.
    digest = hashlib.sha256()
    for folder in ("lexicon", "stopwords"):
        for path in sorted(package_data(folder).glob("*")):
            digest.update(path.name.encode() + b"\0" + sha256_file(path).encode())
    return digest.hexdigest()


class Cache:
    """A cache folder holding Parquet tables and model directories under content keys.

    Example:
        >>> import tempfile
        >>> c = Cache(tempfile.mkdtemp())
        >>> key = cache_key("demo")
        >>> c.get_table(key) is None
        True
        >>> _ = c.put_table(key, pd.DataFrame({"a": [1]}))
        >>> c.get_table(key)["a"].tolist()
        [1]
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory).expanduser() if directory is not None else default_cache_dir()

    def __repr__(self) -> str:
        return f"Cache({str(self.directory)!r})"

    # tables ----------------------------------------------------------------------------------------------
    def get_table(self, key: str) -> pd.DataFrame | None:
        """The table stored under ``key``, or None when absent or corrupted (a corrupted entry is removed)."""
        folder = self._verified(self._entry("tables", key))
        if folder is None:
            return None
        try:
            return pd.read_parquet(folder / TABLE_FILE)
        except Exception as exc:  # a file that matches its checksum but does not parse: still a miss
            self._discard(folder, f"unreadable Parquet ({type(exc).__name__}: {exc})")
            return None

    def put_table(self, key: str, frame: pd.DataFrame, *, meta: Mapping[str, Any] | None = None) -> Path:
        """Store ``frame`` under ``key`` atomically; returns the entry folder."""
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"put_table needs a pandas DataFrame, not {type(frame).__name__}")
        return self._commit("tables", key, lambda d: frame.to_parquet(d / TABLE_FILE, index=False), meta)

    # models ----------------------------------------------------------------------------------------------
    def get_model(self, key: str) -> Path | None:
        """The model folder stored under ``key`` (load it with the model's own ``load``), or None."""
        return self._verified(self._entry("models", key))

    def put_model(
        self, key: str, write: Callable[[Path], Any] | str | os.PathLike[str], *, meta: Mapping[str, Any] | None = None
    ) -> Path:
        """Store a model folder under ``key`` atomically: ``write`` is a function that saves the model into the
        folder it is given (e.g. ``lambda d: model.save(d)``), or an existing folder to copy. Returns the entry."""
        if callable(write):
            return self._commit("models", key, write, meta)
        source = Path(write)
        if not source.is_dir():
            raise FileNotFoundError(f"put_model: {source} is not a folder; pass a saved model folder or a function")
        return self._commit("models", key, lambda d: shutil.copytree(source, d, dirs_exist_ok=True), meta)

    # reports -------------------------------------------------------------------------------------------
    def get_report(self, key: str) -> Path | None:
        """The folder of a finished report's tables, figures and methods stored under ``key``, or None."""
        return self._verified(self._entry("reports", key))

    def put_report(self, key: str, write: Callable[[Path], Any], *, meta: Mapping[str, Any] | None = None) -> Path:
        """Store a finished report atomically: ``write`` fills the folder it is given. Returns the entry."""
        return self._commit("reports", key, write, meta)

    # housekeeping ----------------------------------------------------------------------------------------
    def info(self) -> pd.DataFrame:
        """One row per entry: kind, key, files, bytes, created (UTC ISO); unfinished writes appear as kind
        ``incomplete``."""
        rows = []
        for kind in (*KINDS, "tmp"):
            base = self.directory / kind
            for folder in sorted(base.iterdir()) if base.is_dir() else ():
                files = [p for p in folder.rglob("*") if p.is_file()]
                created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(folder.stat().st_mtime))
                rows.append((kind if kind != "tmp" else "incomplete", folder.name, len(files),
                             sum(p.stat().st_size for p in files), created))
        return pd.DataFrame(rows, columns=["kind", "key", "files", "bytes", "created"])

    def size(self) -> int:
        """Total bytes held by the cache."""
        return int(self.info()["bytes"].sum())

    def clear(self, kind: str | None = None) -> int:
        """Remove all entries (or those of one ``kind``) and unfinished writes; returns the bytes freed."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {list(KINDS)} or None, not {kind!r}")
        info = self.info()
        kinds = [kind] if kind is not None else [*KINDS, "tmp"]
        labels = [("incomplete" if k == "tmp" else k) for k in kinds]
        freed = int(info.loc[info["kind"].isin(labels), "bytes"].sum())
        for name in kinds:
            shutil.rmtree(self.directory / name, ignore_errors=True)
        return freed

    # internals -------------------------------------------------------------------------------------------
    def _entry(self, kind: str, key: str) -> Path:
        if not (isinstance(key, str) and len(key) == 64 and all(c in "0123456789abcdef" for c in key)):
            raise ValueError(f"cache key must be a sha256 hex string from cache_key(), not {key!r}")
        return self.directory / kind / key

    def _commit(self, kind: str, key: str, write: Callable[[Path], Any], meta: Mapping[str, Any] | None) -> Path:
        final = self._entry(kind, key)
        tmp = self.directory / "tmp" / f"{kind}-{key[:16]}-{uuid.uuid4().hex}"
        tmp.mkdir(parents=True)
        try:
            write(tmp)
            files = {p.relative_to(tmp).as_posix(): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
            record = {"format": FORMAT_VERSION, "kind": kind, "key": key, "files": files, "meta": dict(meta or {}),
                      "created": time.time()}
            # entry.json is written last: a folder without it was never finished.
            (tmp / ENTRY).write_text(json.dumps(record, ensure_ascii=False, default=str), encoding="utf-8")
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(tmp, final)  # atomic on one file system; fails if another writer got there first
            except OSError:
                if self._verified(final) is None:
                    raise
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return final

    def _verified(self, folder: Path) -> Path | None:
        if not folder.is_dir():
            return None
        try:
            record = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
            files = record["files"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self._discard(folder, f"missing or unreadable {ENTRY} ({exc})")
            return None
        for name, digest in files.items():
            path = folder / name
            if not path.is_file() or sha256_file(path) != digest:
                self._discard(folder, f"{name} is missing or its checksum changed")
                return None
        return folder

    def _discard(self, folder: Path, reason: str) -> None:
        warnings.warn(f"cache entry {folder} is corrupted ({reason}); removed, the result will be recomputed",
                      RuntimeWarning, stacklevel=3)
        # Rename first so no reader ever sees a half-deleted entry.
        trash = self.directory / "tmp" / f"trash-{uuid.uuid4().hex}"
        trash.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(folder, trash)
        except OSError:
            return
        shutil.rmtree(trash, ignore_errors=True)


def resolve_cache(cache: Any = True, cache_dir: str | os.PathLike[str] | None = None) -> Cache | None:
    """The :class:`Cache` a function should use: None when ``cache`` is False, else one at ``cache_dir``, the
    folder ``cache`` names, a given ``Cache``, or the default folder.

    Example:
        >>> resolve_cache(False) is None
        True
    """
    if cache is False or cache is None:
        return None
    if isinstance(cache, Cache):
        return cache
    if cache is True:
        return Cache(cache_dir)
    if isinstance(cache, (str, os.PathLike)):
        return Cache(cache)
    raise TypeError(f"cache must be True, False, a folder or a Cache, not {type(cache).__name__}")


def cached_tokens(
    segments: pd.DataFrame | Iterable[str],
    tokenizer: Any,
    *,
    text_col: str = "text",
    cache: Any = True,
    cache_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """``segments`` with a ``tokens`` column, read from the cache when the same texts were tokenized with the
    same tokenizer settings before, computed (and stored) otherwise.

    The key is the checksum of the texts in order plus :func:`tokenizer_fingerprint`; ids and metadata do not
    enter it, so renaming documents still hits. ``segments`` is a DataFrame with a ``text_col`` column or a list
    of texts (then the result has only ``tokens``).

    Example:
        >>> import tempfile, policytext as pt
        >>> frame = pd.DataFrame({"segment_id": ["a::p0"], "text": ["建设数字政府"]})
        >>> cached_tokens(frame, pt.Tokenizer(n_jobs=1), cache_dir=tempfile.mkdtemp())["tokens"].tolist()
        [['建设', '数字政府']]
    """
    from policytext.checks import ensure_documents

    if isinstance(segments, pd.DataFrame):
        if text_col not in segments.columns:
            raise ValueError(f"segments has no {text_col!r} column; columns are {list(segments.columns)}; "
                             "pass text_col=")
        out = segments.copy()
        texts = ensure_documents(out[text_col], f"segments[{text_col!r}]")
    else:
        texts = ensure_documents(segments, "segments")
        out = pd.DataFrame(index=pd.RangeIndex(len(texts)))
    store = resolve_cache(cache, cache_dir)
    key = cache_key("tokens", data_checksum(texts), tokenizer_fingerprint(tokenizer),
                    dependencies=_TOKENIZER_DEPENDENCIES)
    hit = store.get_table(key) if store is not None else None
    if hit is not None and len(hit) == len(texts):
        out["tokens"] = [list(t) for t in hit["tokens"]]
        return out
    tokens = tokenizer.tokenize_many(texts)
    if store is not None:
        store.put_table(key, pd.DataFrame({"tokens": tokens}), meta={"what": "tokens", "rows": len(texts)})
    out["tokens"] = tokens
    return out


def cached_model(
    key: str,
    build: Callable[[], Any],
    *,
    save: Callable[[Any, Path], Any],
    load: Callable[[Path], Any],
    cache: Any = True,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Any:
    """The model stored under ``key`` (``load(folder)``), or ``build()`` saved with ``save(model, folder)``.

    Make the key with :func:`cache_key` from everything the fit depends on, e.g. the token table's key, the
    estimator (its parameters) and the seed, so a changed setting refits only that model.

    Example:
        >>> import tempfile
        >>> key = cache_key("demo-model", {"k": 3})
        >>> save = lambda m, d: (d / "k.txt").write_text(str(m))
        >>> load = lambda d: int((d / "k.txt").read_text())
        >>> cached_model(key, lambda: 3, save=save, load=load, cache_dir=tempfile.mkdtemp())
        3
    """
    store = resolve_cache(cache, cache_dir)
    if store is not None:
        folder = store.get_model(key)
        if folder is not None:
            return load(folder)
    model = build()
    if store is not None:
        store.put_model(key, lambda folder: save(model, folder))
    return model


def clear_cache(cache_dir: str | os.PathLike[str] | None = None, *, kind: str | None = None) -> int:
    """Remove cached entries (all, or ``kind`` ``"tables"``/``"models"``/``"reports"``); returns the bytes freed.

    Example:
        >>> import tempfile
        >>> clear_cache(tempfile.mkdtemp())
        0
    """
    return Cache(cache_dir).clear(kind)


def cache_info(cache_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Size report: one row per entry with kind, key, files, bytes and creation time.

    Example:
        >>> import tempfile
        >>> len(cache_info(tempfile.mkdtemp()))
        0
    """
    return Cache(cache_dir).info()
