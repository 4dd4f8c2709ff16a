"""Saved models as folders: native artefacts plus a ``manifest.json`` that is checked on load.

Any policytext model (topic model, classifier ...) saves itself as a directory. The manifest records what a
reader needs to trust the files: the model kind, the format version, the policytext and dependency versions that
wrote it, the parameters, the label set in order, a checksum of the training data, the seed and metrics.
:func:`read_manifest` refuses a folder of another kind or of a format this version cannot read, with a message
that says what to do. Arrays go next to the manifest as ``.npy`` files read with ``allow_pickle=False``, so
loading a model never runs code stored in it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import numpy as np
from packaging.version import InvalidVersion, Version

MANIFEST = "manifest.json"


class IncompatibleModelError(ValueError):
    """A saved model folder that this version of policytext cannot read."""


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
    versions are recorded beside policytext and numpy.

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
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
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
    return path


def load_array(directory: str | os.PathLike[str], name: str) -> np.ndarray:
    """Load ``directory/name.npy`` saved by :func:`save_array`, refusing pickled content.

    Example:
        >>> import tempfile
        >>> folder = tempfile.mkdtemp(); _ = save_array(folder, "w", np.eye(2))
        >>> load_array(folder, "w").shape
        (2, 2)
    """
    path = Path(directory) / f"{name}.npy"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; the model folder {directory} is incomplete")
    return np.load(path, allow_pickle=False)


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
    return path


def read_json(directory: str | os.PathLike[str], name: str) -> Any:
    """Read a JSON artefact written by :func:`write_json`."""
    path = Path(directory) / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; the model folder {directory} is incomplete")
    return json.loads(path.read_text(encoding="utf-8"))
