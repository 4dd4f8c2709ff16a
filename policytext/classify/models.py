"""Saving and loading classifiers by name or folder, without running code stored in them.

A :class:`~policytext.classify.estimator.PolicyClassifier` is saved as plain data: vocabularies (JSON), idf
weights, coefficients, intercepts and calibration parameters (``.npy``, read with ``allow_pickle=False``), its
tokenizer as its parameters (JSON), and a ``manifest.json`` (:mod:`policytext.persist`) with the label set,
codebook version, training-data checksum, versions, metrics and the sha256 of every other file. Loading
verifies every checksum and the format version first, then rebuilds the predict path from the arrays. A folder
is written next to its destination and renamed into place, so a failed save leaves nothing half-written.

Any other scikit-learn estimator can be saved with ``format="pickle"``; loading such a folder runs code from
the pickle, so :func:`load_model` refuses it unless you pass ``trusted=True``.

Example:
    >>> clf = load_model("governance-mode")  # doctest: +SKIP
    >>> clf.predict(["推进政务服务一网通办"])  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from policytext.classify.estimator import PolicyClassifier
from policytext.classify.folder import (
    BUNDLED_MODELS,
    PICKLE_KIND,
    ModelIntegrityError,
    list_models,
    load_pickled,
    resolve_model_dir,
    save_pickled,
)
from policytext.persist import MANIFEST, IncompatibleModelError


def save_model(model: Any, path: str | os.PathLike[str], *, overwrite: bool = False, name: str | None = None,
               format: str = "arrays", extra: dict[str, Any] | None = None) -> Path:
    """Save a fitted classifier as a folder with ``manifest.json``; return the folder.

    ``format="arrays"`` (PolicyClassifier only) needs no unpickling to load; ``format="pickle"`` saves any
    estimator and must be loaded with ``trusted=True``. ``extra`` adds JSON fields to the manifest.

    Example:
        >>> save_model(clf, "my-model")  # doctest: +SKIP
        PosixPath('my-model')
    """
    path = Path(path)
    if format not in ("arrays", "pickle"):
        raise ValueError(f"format must be 'arrays' or 'pickle', not {format!r}")
    if format == "pickle":
        return save_pickled(model, path, overwrite=overwrite, name=name, extra=extra)
    if not isinstance(model, PolicyClassifier):
        raise TypeError(
            f"format='arrays' saves a PolicyClassifier, not {type(model).__name__}; use format='pickle' for other "
            "estimators (loading it will need trusted=True)"
        )
    return model.save(path, overwrite=overwrite, name=name, extra=extra)


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
        return load_pickled(folder, trusted=trusted)
    return PolicyClassifier.from_folder(folder)


__all__ = ["BUNDLED_MODELS", "IncompatibleModelError", "ModelIntegrityError", "list_models", "load_model",
           "save_model"]
