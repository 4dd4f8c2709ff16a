"""Whether texts a classifier is scored on are texts it was trained on.

Scores on a model's own training data are near perfect and mean nothing about new texts; :func:`training_overlap`
counts such rows so that :func:`~policytext.classify.evaluate.evaluate` can say so. Texts are compared by sha256,
never kept: a model folder may hold ``training_hashes.json`` (written by ``PolicyClassifier.save`` when the model
was trained with :func:`~policytext.train_classifier`, and checksummed in the manifest like every other file). A
folder without it whose manifest names an annotation file as its ``training_data`` (the shipped models:
``corpora/annotations/labels_final.csv``) is compared with the ``text_sha256`` that ``segments.csv`` records for
each labelled segment, so no text needs re-reading and no data home is needed.

Example:
    >>> training_overlap(load_model("governance-mode"), texts)  # doctest: +SKIP
    (2277, 2277)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from policytext.classify.features import normalize_text

HASHES_FILE = "training_hashes.json"
_ANNOTATIONS = "corpora/annotations/"


def text_hashes(texts: Iterable[str]) -> list[str]:
    """sha256 of each text with its whitespace normalised (runs of spaces, tabs and newlines count as one space),
    so a text read back from a CSV or spreadsheet still matches.

    Example:
        >>> text_hashes(["数字 政府"]) == text_hashes([" 数字\\n政府 "])
        True
    """
    return [hashlib.sha256(normalize_text(t).encode("utf-8")).hexdigest() for t in texts]


def training_overlap(model: Any, texts: Iterable[str]) -> tuple[int, int] | None:
    """``(rows found in the model's training data, rows)``, or None when the model does not say what it saw.

    Example:
        >>> training_overlap(load_model("governance-mode"), ["一段新的文字"])  # doctest: +SKIP
        (0, 1)
    """
    texts = list(texts)
    stored = getattr(model, "training_hashes_", None)
    if stored is not None:
        known = set(stored)
        return sum(h in known for h in text_hashes(texts)), len(texts)
    raw = annotation_hashes(getattr(model, "manifest_", None) or {})
    if raw is None:
        return None
    # segments.csv records the sha256 of each segment's raw text, so the raw texts are compared exactly.
    return sum(hashlib.sha256(t.encode("utf-8")).hexdigest() in raw for t in texts), len(texts)


def annotation_hashes(manifest: dict[str, Any]) -> set[str] | None:
    """The ``text_sha256`` of the segments a manifest's ``training_data`` (an annotation label file) labels, or
    None when the manifest names no such file or it is not in this install."""
    from policytext.classify.annotations import annotations_dir

    source = manifest.get("training_data")
    if not isinstance(source, str) or not source.startswith(_ANNOTATIONS):
        return None
    name = source.removeprefix(_ANNOTATIONS)
    try:
        folder = annotations_dir()
    except FileNotFoundError:
        return None
    labels, segments = folder / name, folder / ("blind_segments.csv" if name.startswith("blind_") else "segments.csv")
    if Path(name).name != name or not labels.is_file() or not segments.is_file():
        return None
    ids = set(pd.read_csv(labels, usecols=["segment_id"], dtype=str)["segment_id"])
    table = pd.read_csv(segments, usecols=["segment_id", "text_sha256"], dtype=str)
    return set(table.loc[table["segment_id"].isin(ids), "text_sha256"])


def overlap_message(found: int, total: int) -> str:
    """The warning :func:`~policytext.classify.evaluate.evaluate` gives when texts were in the training data.

    Example:
        >>> overlap_message(3, 4)[:44]
        '3 of 4 rows (75%) are texts the model was tr'
    """
    return (f"{found} of {total} rows ({found / total:.0%}) are texts the model was trained on; scores on them are "
            "optimistic. Evaluate on held-out texts (e.g. corpora/annotations/blind_labels_final.csv for the "
            "shipped models), or read the model's cross-validated figures")
