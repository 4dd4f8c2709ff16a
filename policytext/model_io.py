"""Saving and loading classifiers as folders, without running code stored in them.

A :class:`~policytext.classify.PolicyClassifier` is saved as plain data: vocabularies (JSON), idf weights,
coefficients, intercepts and calibration parameters (``.npy``, read with ``allow_pickle=False``), its tokenizer as
its parameters (JSON), and a ``manifest.json`` (:mod:`policytext.persist`) with the label set, codebook version,
training-data checksum, versions, metrics and the sha256 of every other file. Loading verifies every checksum
and the format version first, then rebuilds the predict path from the arrays. A folder is written next to its
destination and renamed into place, so a failed save leaves nothing half-written.

Any other scikit-learn estimator can be saved with ``format="pickle"``; loading such a folder runs code from
the pickle, so :func:`load_model` refuses it unless you pass ``trusted=True``.

Example:
    >>> clf = load_model("governance-mode")  # doctest: +SKIP
    >>> clf.predict(["推进政务服务一网通办"])  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from policytext.persist import (
    MANIFEST,
    IncompatibleModelError,
    jsonable,
    load_array,
    read_json,
    read_manifest,
    save_array,
    write_json,
    write_manifest,
)

KIND = "policytext-classifier"
FORMAT_VERSION = "1.1"  # 1.1 added per-label thresholds and "hierarchical"; 1.0 folders still load
PICKLE_KIND = "policytext-pickled-estimator"
PICKLE_FORMAT_VERSION = "1.0"
BUNDLED_MODELS = ("governance-mode", "innovation-stage", "policy-tools")
_ARRAYS = ("word_idf", "char_idf", "coef", "intercept", "calibration")
_PARAMS = (
    "word_ngram_range", "word_min_df", "word_max_features", "char_ngram_range", "char_min_df",
    "char_max_features", "C", "class_weight", "calibration_folds", "multi_label", "threshold", "none_label",
    "hierarchical", "random_state",
)


class ModelIntegrityError(ValueError):
    """A model folder whose files do not match the checksums in its manifest."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_atomically(path: Path, overwrite: bool, fill: Any) -> Path:
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


def _file_checksums(folder: Path) -> dict[str, str]:
    return {p.name: _sha256(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name != MANIFEST}


def save_model(model: Any, path: str | os.PathLike[str], *, overwrite: bool = False, name: str | None = None,
               format: str = "arrays", extra: dict[str, Any] | None = None) -> Path:
    """Save a fitted classifier as a folder with ``manifest.json``; return the folder.

    ``format="arrays"`` (PolicyClassifier only) needs no unpickling to load; ``format="pickle"`` saves any
    estimator and must be loaded with ``trusted=True``. ``extra`` adds JSON fields to the manifest.

    Example:
        >>> save_model(clf, "my-model")  # doctest: +SKIP
        PosixPath('my-model')
    """
    from policytext.classify import PolicyClassifier

    path = Path(path)
    if format not in ("arrays", "pickle"):
        raise ValueError(f"format must be 'arrays' or 'pickle', not {format!r}")
    if format == "pickle":
        return _write_atomically(path, overwrite, lambda folder: _fill_pickle(model, folder, name, extra))
    if not isinstance(model, PolicyClassifier):
        raise TypeError(
            f"format='arrays' saves a PolicyClassifier, not {type(model).__name__}; use format='pickle' for other "
            "estimators (loading it will need trusted=True)"
        )
    if not hasattr(model, "coef_"):
        raise ValueError("the model is not fitted; call fit() or train_classifier() before save()")
    return _write_atomically(path, overwrite, lambda folder: _fill_arrays(model, folder, name or path.name, extra))


def _fill_arrays(model: Any, folder: Path, name: str, extra: dict[str, Any] | None) -> None:
    for array in (*_ARRAYS, "thresholds"):
        save_array(folder, array, getattr(model, f"{array}_"))
    write_json(folder, "word_vocabulary.json", list(model.word_vocabulary_))
    write_json(folder, "char_vocabulary.json", list(model.char_vocabulary_))
    write_json(folder, "tokenizer.json", jsonable(model.tokenizer_.get_params()))
    report = getattr(model, "cv_report_", None)
    write_manifest(
        folder,
        kind=KIND,
        format_version=FORMAT_VERSION,
        parameters={p: jsonable(getattr(model, p)) for p in _PARAMS},
        labels=list(model.labels_),
        data_checksum=getattr(model, "training_checksum_", None),
        seed=model.random_state,
        metrics={"cross_validation": report.to_dict()} if report is not None else {},
        dependencies=("scikit-learn", "scipy", "jieba", "rjieba"),
        extra={"name": name, "codebook": model.codebook_info_, "n_train": model.n_train_, **(extra or {}),
               "files": _file_checksums(folder)},
    )


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
               "files": _file_checksums(folder)},
    )


def resolve_model_dir(name_or_dir: str | os.PathLike[str]) -> Path:
    """The folder of a bundled model name or a model directory path.

    Example:
        >>> resolve_model_dir("governance-mode").name  # doctest: +SKIP
        'governance-mode'
    """
    path = Path(name_or_dir)
    if path.is_dir():
        return path
    if isinstance(name_or_dir, str) and name_or_dir in BUNDLED_MODELS:
        from policytext.resources import resource_dir

        bundled = resource_dir("models") / name_or_dir
        if (bundled / MANIFEST).is_file():
            return bundled
        raise FileNotFoundError(
            f"bundled model {name_or_dir!r} is not in this install ({bundled} has no {MANIFEST}); reinstall "
            "policytext, or rebuild it with `python models/train_shipped.py` in a source checkout"
        )
    raise FileNotFoundError(
        f"model {os.fspath(name_or_dir)!r} is neither a folder nor a bundled model; bundled models are "
        f"{list(BUNDLED_MODELS)}"
    )


def _verify_files(folder: Path, manifest: dict[str, Any]) -> None:
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise ModelIntegrityError(f"{folder}/{MANIFEST} lists no file checksums; the model folder is damaged")
    for file_name, expected in files.items():
        target = folder / file_name
        if Path(file_name).name != file_name:
            raise ModelIntegrityError(f"{folder}/{MANIFEST} names a file outside the folder: {file_name!r}")
        if not target.is_file():
            raise ModelIntegrityError(f"{target} is missing; the model folder {folder} is incomplete")
        if _sha256(target) != expected:
            raise ModelIntegrityError(
                f"{target} does not match the sha256 in {MANIFEST} (the file was changed or damaged); restore the "
                "folder from its source or retrain the model"
            )


def load_model(name_or_dir: str | os.PathLike[str], *, trusted: bool = False) -> Any:
    """Load a classifier by bundled name (``"governance-mode"``, ``"innovation-stage"``, ``"policy-tools"``)
    or from a folder saved by :func:`save_model`. Checksums and format version are verified first.

    A pickle-based folder runs code when loaded: it is refused unless ``trusted=True``.

    Example:
        >>> clf = load_model("governance-mode")  # doctest: +SKIP
        >>> clf.labels_  # doctest: +SKIP
        ['GM1', 'GM2', 'GM3', 'GM4', 'GM5', '0']
    """
    folder = resolve_model_dir(name_or_dir)
    try:
        raw_kind = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("kind")
    except (OSError, json.JSONDecodeError, AttributeError):
        raw_kind = None
    if raw_kind == PICKLE_KIND:
        manifest = read_manifest(folder, PICKLE_KIND, PICKLE_FORMAT_VERSION)
        _verify_files(folder, manifest)
        if not trusted:
            raise PermissionError(
                f"{folder} holds a pickled estimator; unpickling runs code stored in the file. Pass trusted=True "
                "only if you made this model or trust where it came from"
            )
        import pickle

        with (folder / "model.pkl").open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - the caller said trusted=True
    manifest = read_manifest(folder, KIND, FORMAT_VERSION)
    _verify_files(folder, manifest)
    return _rebuild(folder, manifest)


def _rebuild(folder: Path, manifest: dict[str, Any]) -> Any:
    from policytext.classify import PolicyClassifier
    from policytext.tokenize import Tokenizer

    params = dict(manifest["parameters"])
    for key in ("word_ngram_range", "char_ngram_range"):
        params[key] = tuple(params[key])
    tokenizer = Tokenizer(**read_json(folder, "tokenizer.json"))
    model = PolicyClassifier(tokenizer=tokenizer.get_params(), **params)
    model.tokenizer_ = tokenizer
    for array in _ARRAYS:
        setattr(model, f"{array}_", load_array(folder, array))
    model.word_vocabulary_ = read_json(folder, "word_vocabulary.json")
    model.char_vocabulary_ = read_json(folder, "char_vocabulary.json")
    model.labels_ = list(manifest["labels"])
    model.classes_ = np.asarray(model.labels_, dtype=object)
    # Format 1.0 kept one threshold in the parameters; 1.1 stores one per label.
    has_thresholds = "thresholds.npy" in manifest["files"]  # only checksummed files are read
    model.thresholds_ = (load_array(folder, "thresholds") if has_thresholds
                         else np.full(len(model.labels_), float(params.get("threshold", 0.5))))
    model.codebook_info_ = manifest.get("codebook")
    model.n_train_ = manifest.get("n_train")
    model.training_checksum_ = manifest.get("data_checksum")
    model.manifest_ = manifest
    k, f = model.coef_.shape
    n_features = len(model.word_vocabulary_) + len(model.char_vocabulary_)
    if k != len(model.labels_) or f != n_features:
        raise ModelIntegrityError(
            f"{folder}: coef has shape {(k, f)} but the manifest lists {len(model.labels_)} labels and the "
            f"vocabularies {n_features} features; the folder mixes files of different models"
        )
    return model


def list_models() -> list[str]:
    """Bundled model names present in this install.

    Example:
        >>> set(list_models()) <= set(BUNDLED_MODELS)
        True
    """
    from policytext.resources import resource_dir

    try:
        root = resource_dir("models")
    except FileNotFoundError:
        return []
    return [n for n in BUNDLED_MODELS if (root / n / MANIFEST).is_file()]


__all__ = ["IncompatibleModelError", "ModelIntegrityError", "list_models", "load_model", "save_model"]
