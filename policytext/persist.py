"""Saved models as folders: native artefacts plus a ``manifest.json`` that is checked on load.

Any policytext model (topic model, classifier ...) saves itself as a directory. The manifest records what a
reader needs to trust the files: the model kind, the format version, the policytext and dependency versions that
wrote it, the parameters, the label set in order, a checksum of the training data, the seed and metrics.
:func:`read_manifest` refuses a folder of another kind or of a format this version cannot read, with a message
that says what to do. Arrays go next to the manifest as ``.npy`` files read with ``allow_pickle=False``, so
loading a model never runs code stored in it.

Every file a loader reads goes through :func:`load_array` or :func:`read_json`, which refuse a file the
manifest does not list under ``files`` or whose sha256 differs (:class:`ModelIntegrityError`), and turn a
damaged file into that same error; :func:`save_array` and :func:`write_json` add the files they write to an
existing manifest's listing. Folders written before manifests listed their files load unchecked.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import numpy as np
from packaging.version import InvalidVersion, Version

MANIFEST = "manifest.json"


class IncompatibleModelError(ValueError):
    """A saved model folder that this version of policytext cannot read."""


class ModelIntegrityError(ValueError):
    """A model folder whose files do not match its manifest: unlisted, changed, damaged or of the wrong shape."""


def sha256_file(path: Path) -> str:
    """The sha256 of a file, read in blocks.

    Example:
        >>> import tempfile; path = Path(tempfile.mkdtemp()) / "a"; _ = path.write_bytes(b"")
        >>> sha256_file(path)[:8]
        'e3b0c442'
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _listed_files(folder: Path) -> dict[str, str] | None:
    """The manifest's ``files`` listing, or None for a folder without manifest or listing (older formats)."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        files = json.loads(path.read_text(encoding="utf-8")).get("files")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as exc:
        raise ModelIntegrityError(f"{path} is not a valid manifest ({exc}); the model folder is damaged") from None
    if files is None:
        return None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise ModelIntegrityError(f"{path}: 'files' must map file names to sha256 strings; the folder is damaged")
    return files


def checked_file(directory: str | os.PathLike[str], file_name: str) -> Path:
    """``directory/file_name`` after checking it against the manifest's listing: listed, present, same sha256.

    Example:
        >>> import tempfile
        >>> folder = tempfile.mkdtemp(); _ = write_manifest(folder, kind="demo", format_version="1.0", parameters={})
        >>> checked_file(folder, save_array(folder, "w", np.eye(2)).name).name
        'w.npy'
    """
    folder = Path(directory)
    path = folder / file_name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; the model folder {folder} is incomplete")
    files = _listed_files(folder)
    if files is None:
        return path
    if file_name not in files:
        raise ModelIntegrityError(
            f"{path} is read when loading but {MANIFEST} does not list it, so it cannot be checked (added or "
            "replaced after saving?); restore the folder from its source or save the model again"
        )
    if sha256_file(path) != files[file_name]:
        raise ModelIntegrityError(
            f"{path} does not match the sha256 in {MANIFEST} (the file was changed or damaged); restore the "
            "folder from its source or retrain the model"
        )
    return path


def _list_file(folder: Path, path: Path) -> None:
    """Add ``path``'s sha256 to the folder's manifest, when a manifest exists (written first, files after)."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return  # the manifest comes last and lists the files itself
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest.setdefault("files", {})[path.name] = sha256_file(path)
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def dependency_versions(packages: Iterable[str] = ()) -> dict[str, str | None]:
    """Installed versions of policytext, numpy and ``packages`` (``None`` when not installed).

    Example:
        >>> "numpy" in dependency_versions(["scipy"])
        True
    """
    versions: dict[str, str | None] = {}
    for name in ("policytext", "numpy", *packages):
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def data_checksum(documents: Iterable[str | Iterable[str]]) -> str:
    """sha256 over documents given as texts or token lists: identifies exactly which data a model saw.

    Example:
        >>> data_checksum([["数字", "政府"]]) == data_checksum([["数字", "政府"]])
        True
    """
    digest = hashlib.sha256()
    for doc in documents:
        text = doc if isinstance(doc, str) else "\x1f".join(doc)
        digest.update(text.encode("utf-8") + b"\x1e")
    return digest.hexdigest()


def _created() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return when.isoformat(timespec="seconds")


def write_manifest(
    directory: str | os.PathLike[str],
    *,
    kind: str,
    format_version: str,
    parameters: Mapping[str, Any],
    labels: list[str] | None = None,
    data_checksum: str | None = None,
    seed: int | None = None,
    metrics: Mapping[str, Any] | None = None,
    dependencies: Iterable[str] = (),
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``directory/manifest.json`` (creating the folder) and return its path.

    ``parameters``, ``metrics`` and ``extra`` must be JSON-serialisable; ``dependencies`` names the packages whose
    versions are recorded beside policytext and numpy. ``created`` is now, or ``SOURCE_DATE_EPOCH`` when that is
    set (the reproducible-builds convention), so that two trainings can write byte-identical folders.

    Example:
        >>> import tempfile
        >>> path = write_manifest(tempfile.mkdtemp(), kind="demo", format_version="1.0", parameters={"k": 3})
        >>> path.name
        'manifest.json'
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {
        "kind": kind,
        "format_version": str(Version(format_version)),
        "created": _created(),
        "versions": dependency_versions(dependencies),
        "parameters": dict(parameters),
        "labels": labels,
        "data_checksum": data_checksum,
        "seed": seed,
        "metrics": dict(metrics or {}),
        **dict(extra or {}),
    }
    path = folder / MANIFEST
    try:
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False)
    except TypeError as exc:
        raise TypeError(f"manifest for {folder}: a value is not JSON-serialisable ({exc})") from None
    path.write_text(text + "\n", encoding="utf-8")
    return path


def read_manifest(directory: str | os.PathLike[str], kind: str, supported_format: str) -> dict[str, Any]:
    """Read and check ``directory/manifest.json``.

    Refuses (``IncompatibleModelError``) a folder saved as another ``kind``, with another major format version,
    or with a newer format than ``supported_format``: older minor versions of the same major are readable.

    Example:
        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> _ = write_manifest(folder, kind="demo", format_version="1.0", parameters={})
        >>> read_manifest(folder, "demo", "1.2")["format_version"]
        '1.0'
    """
    folder = Path(directory)
    path = folder / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(
            f"{folder} is not a saved policytext model: {MANIFEST} is missing. Pass the folder written by .save()"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise IncompatibleModelError(f"{path} is not valid JSON ({exc}); the model folder is damaged") from None
    found_kind = manifest.get("kind")
    if found_kind != kind:
        raise IncompatibleModelError(
            f"{folder} holds a {found_kind!r} model, not a {kind!r}; load it with the class that saved it"
        )
    try:
        saved = Version(str(manifest.get("format_version")))
    except InvalidVersion:
        raise IncompatibleModelError(
            f"{path}: format_version {manifest.get('format_version')!r} is not a version number; "
            "the model folder is damaged or was not written by policytext"
        ) from None
    supported = Version(supported_format)
    writer = (manifest.get("versions") or {}).get("policytext")
    if saved.major != supported.major or saved > supported:
        hint = "upgrade policytext" if saved > supported else f"re-fit the model or load it with policytext {writer}"
        raise IncompatibleModelError(
            f"{folder}: saved in {kind} format {saved} (by policytext {writer}), but this policytext reads format "
            f"{supported.major}.x up to {supported}; {hint}"
        )
    return manifest


def save_array(directory: str | os.PathLike[str], name: str, array: np.ndarray) -> Path:
    """Save a numeric array as ``directory/name.npy`` (never pickled).

    Example:
        >>> import tempfile
        >>> save_array(tempfile.mkdtemp(), "w", np.eye(2)).name
        'w.npy'
    """
    array = np.asarray(array)
    if array.dtype == object:
        raise TypeError(f"array {name!r} has dtype object and would need pickling; convert it to numbers first")
    path = Path(directory) / f"{name}.npy"
    np.save(path, array, allow_pickle=False)
    _list_file(Path(directory), path)
    return path


def load_array(directory: str | os.PathLike[str], name: str) -> np.ndarray:
    """Load ``directory/name.npy`` saved by :func:`save_array`, refusing pickled content.

    Example:
        >>> import tempfile
        >>> folder = tempfile.mkdtemp(); _ = save_array(folder, "w", np.eye(2))
        >>> load_array(folder, "w").shape
        (2, 2)
    """
    path = checked_file(directory, f"{name}.npy")
    try:
        # Memory-mapped first: a header that claims more data than the file holds fails here, instead of
        # allocating what it claims.
        return np.array(np.load(path, mmap_mode="r", allow_pickle=False))
    except (ValueError, OSError, EOFError, MemoryError) as exc:
        raise ModelIntegrityError(f"{path} is not a readable numeric array ({type(exc).__name__}: {exc}); the "
                                  "model folder is damaged") from None


def jsonable(value: Any) -> Any:
    """``value`` with sets as sorted lists, tuples as lists and paths as strings, so JSON can hold it.

    Example:
        >>> jsonable({"pos": {"v", "n"}, "user_dict": None})
        {'pos': ['n', 'v'], 'user_dict': None}
    """
    if isinstance(value, (set, frozenset)):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def write_json(directory: str | os.PathLike[str], name: str, value: Any) -> Path:
    """Write a JSON artefact ``directory/name`` beside the manifest (UTF-8, Chinese kept readable)."""
    path = Path(directory) / name
    path.write_text(json.dumps(value, ensure_ascii=False) + "\n", encoding="utf-8")
    _list_file(Path(directory), path)
    return path


def read_json(directory: str | os.PathLike[str], name: str) -> Any:
    """Read a JSON artefact written by :func:`write_json`."""
    path = checked_file(directory, name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelIntegrityError(f"{path} is not valid JSON ({exc}); the model folder is damaged") from None


# Outputs written aside and renamed in ------------------------------------------------------------------------
_STAGING = ".partial-"


def staging_folder(target: str | os.PathLike[str]) -> Path:
    """A new empty folder beside ``target`` to build an output in, named after it and this process.

    Folders left by runs that were killed (their process is gone) are removed first.

    Example:
        >>> import tempfile
        >>> staging_folder(Path(tempfile.mkdtemp()) / "report").name.startswith(".report.partial-")
        True
    """
    import tempfile

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(target)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}{_STAGING}{os.getpid()}-", dir=target.parent))
    umask = os.umask(0)  # mkdtemp makes a private (0700) folder; an output gets ordinary permissions
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder


def write_file_aside(target: str | os.PathLike[str], write: Callable[[Path], Any]) -> Path:
    """Write one file through ``write(path)`` to a file beside ``target``, then rename it into place.

    A process killed at any moment leaves the old ``target`` or the new one, never a part; its leftover
    (``.NAME.PID-*.tmp``) is removed by the next writer of ``target`` (:func:`remove_stale_partials`).

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp()) / "terms.tsv"
        >>> write_file_aside(out, lambda path: path.write_text("term\\n", encoding="utf-8")).read_text()
        'term\\n'
    """
    import uuid

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_stale_partials(target: str | os.PathLike[str]) -> list[Path]:
    """Remove what killed writers of ``target`` left beside it (``.NAME.partial-PID-*`` folders and
    ``.NAME.PID-*.tmp`` files whose process is gone); return what was removed.

    Example:
        >>> import tempfile
        >>> remove_stale_partials(Path(tempfile.mkdtemp()) / "out.parquet")
        []
    """
    import shutil

    target = Path(target)
    removed = []
    if not target.parent.is_dir():
        return removed
    for pattern in (f".{target.name}{_STAGING}*", f".{target.name}.*.tmp"):
        for leftover in target.parent.glob(pattern):
            tag = leftover.name[len(target.name) + 2:].removeprefix(_STAGING[1:])
            pid_text = tag.split("-", 1)[0]
            if pid_text.isdigit() and _process_alive(int(pid_text)):
                continue
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), ctypes.c_uint(rename_exchange))
    return result == 0


def replace_folder(staging: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """Put the complete folder ``staging`` in place of ``target``; the old ``target`` is removed.

    On Linux the two are exchanged in one step, so a process killed at any moment leaves either the old
    complete folder or the new one at ``target``. Elsewhere the old folder is moved aside first: a kill in
    between leaves it beside ``target`` as ``.NAME.partial-…``.

    Example:
        >>> import tempfile
        >>> base = Path(tempfile.mkdtemp()); new = staging_folder(base / "out")
        >>> replace_folder(new, base / "out").name
        'out'
    """
    import shutil

    staging, target = Path(staging), Path(target)
    if not target.exists():
        os.replace(staging, target)
        return target
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old folder
        return target
    old = staging.with_name(staging.name + "-old")
    os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    return target
