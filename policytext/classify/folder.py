"""Model folders on disk, whatever estimator they hold: written aside and renamed in, every file checksummed.

A model folder holds its files and a ``manifest.json`` (:mod:`policytext.persist`) that lists the sha256 of
each of them; :func:`verify_files` checks them all before anything is read. The array format of
:class:`~policytext.classify.estimator.PolicyClassifier` is its own business (``PolicyClassifier.save`` and
``PolicyClassifier.from_folder``); this module also keeps the pickle format for other estimators, which loads
only when the caller trusts the folder.

Example:
    >>> resolve_model_dir("governance-mode").name  # doctest: +SKIP
    'governance-mode'
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

from policytext.persist import MANIFEST, ModelIntegrityError, jsonable, read_manifest, sha256_file, write_manifest
from policytext.resources import resource_dir

PICKLE_KIND = "policytext-pickled-estimator"
PICKLE_FORMAT_VERSION = "1.0"
BUNDLED_MODELS = ("governance-mode", "innovation-stage", "policy-tools")


def write_atomically(path: Path, overwrite: bool, fill: Callable[[Path], None]) -> Path:
    """Fill a temporary folder beside ``path`` with ``fill(folder)``, then rename it into place."""
    if path.exists():
        if not overwrite:
            raise FileExistsError(f"{path} already exists; choose another folder or pass overwrite=True")
        if not (path / MANIFEST).is_file():
            raise FileExistsError(f"{path} exists and is not a saved model (no {MANIFEST}); refusing to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.partial-", dir=path.parent))
    try:
        # mkdtemp makes a private (0700) folder; a saved model gets ordinary folder permissions.
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)
        fill(tmp)
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
            os.replace(path, old / path.name)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return path


def file_checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file in ``folder`` but the manifest, by file name."""
    return {p.name: sha256_file(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name != MANIFEST}


def verify_files(folder: Path, manifest: dict[str, Any]) -> None:
    """Check every file the manifest lists against its sha256; raise ModelIntegrityError naming the first bad one."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise ModelIntegrityError(f"{folder}/{MANIFEST} lists no file checksums; the model folder is damaged")
    for file_name, expected in files.items():
        target = folder / file_name
        if Path(file_name).name != file_name:
            raise ModelIntegrityError(f"{folder}/{MANIFEST} names a file outside the folder: {file_name!r}")
        if not target.is_file():
            raise ModelIntegrityError(f"{target} is missing; the model folder {folder} is incomplete")
        if sha256_file(target) != expected:
            raise ModelIntegrityError(
                f"{target} does not match the sha256 in {MANIFEST} (the file was changed or damaged); restore the "
                "folder from its source or retrain the model"
            )


def resolve_model_dir(name_or_dir: str | os.PathLike[str]) -> Path:
    """The folder of a bundled model name or a model directory path; a bundled name wins over a folder of
    the same name in the working directory (write ``./name`` to mean the folder).

    Example:
        >>> resolve_model_dir("governance-mode").name  # doctest: +SKIP
        'governance-mode'
    """
    # A bundled name always means the bundled model: a folder of that name in the working directory must
    # not replace it unnoticed. Such a folder is loaded by writing it as a path ("./governance-mode").
    if isinstance(name_or_dir, str) and name_or_dir in BUNDLED_MODELS:
        bundled = resource_dir("models") / name_or_dir
        if (bundled / MANIFEST).is_file():
            return bundled
        raise FileNotFoundError(
            f"bundled model {name_or_dir!r} is not in this install ({bundled} has no {MANIFEST}); reinstall "
            "policytext, or rebuild it with `python models/train_shipped.py` in a source checkout"
        )
    path = Path(name_or_dir)
    if path.is_dir():
        return path
    raise FileNotFoundError(
        f"model {os.fspath(name_or_dir)!r} is neither a folder nor a bundled model; bundled models are "
        f"{list(BUNDLED_MODELS)}"
    )


def list_models() -> list[str]:
    """Bundled model names present in this install.

    Example:
        >>> set(list_models()) <= set(BUNDLED_MODELS)
        True
    """
    try:
        root = resource_dir("models")
    except FileNotFoundError:
        return []
    return [n for n in BUNDLED_MODELS if (root / n / MANIFEST).is_file()]


def save_pickled(model: Any, path: Path, *, overwrite: bool, name: str | None, extra: dict[str, Any] | None) -> Path:
    """Save any estimator as ``model.pkl`` with a manifest; loading it will need ``trusted=True``."""
    return write_atomically(path, overwrite, lambda folder: _fill_pickle(model, folder, name, extra))


def _fill_pickle(model: Any, folder: Path, name: str | None, extra: dict[str, Any] | None) -> None:
    import pickle

    with (folder / "model.pkl").open("wb") as handle:
        pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
    labels = getattr(model, "labels_", getattr(model, "classes_", None))
    write_manifest(
        folder, kind=PICKLE_KIND, format_version=PICKLE_FORMAT_VERSION,
        parameters={k: repr(v) for k, v in model.get_params(deep=False).items()} if hasattr(model, "get_params") else {},
        labels=[jsonable(v) for v in labels] if labels is not None else None,
        dependencies=("scikit-learn", "scipy"),
        extra={"name": name or folder.name, "estimator": type(model).__qualname__, **(extra or {}),
               "files": file_checksums(folder)},
    )


def load_pickled(folder: Path, *, trusted: bool) -> Any:
    """Unpickle a folder written by :func:`save_pickled`, after its checksums, if the caller trusts it."""
    manifest = read_manifest(folder, PICKLE_KIND, PICKLE_FORMAT_VERSION)
    verify_files(folder, manifest)
    if not trusted:
        raise PermissionError(
            f"{folder} holds a pickled estimator; unpickling runs code stored in the file. Pass trusted=True "
            "only if you made this model or trust where it came from"
        )
    import pickle

    with (folder / "model.pkl").open("rb") as handle:
        return pickle.load(handle)  # noqa: S301 - the caller said trusted=True
