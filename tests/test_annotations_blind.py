"""The blind evaluation set stays blind: no training row comes from one of its documents, and it is what it claims."""

from __future__ import annotations

import pandas as pd
import pytest

from policytext import load_codebook, split_tools
from policytext.classify.annotations import annotations_dir, segment_texts

BLIND_FILES = ("blind_docs.csv", "blind_segments.csv")
LABEL_FILES = ("blind_labels_coder1.csv", "blind_labels_coder2.csv", "blind_labels_final.csv")


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(annotations_dir() / name, dtype=str, keep_default_na=False)


def _training_rows() -> pd.DataFrame:
    """Every segment that a label file used for training refers to (segments.csv joined to labels_final.csv)."""
    segments = _read("segments.csv")
    labelled = set(_read("labels_final.csv")["segment_id"])
    return segments[segments["segment_id"].isin(labelled)]


def test_no_training_row_comes_from_a_blind_document():
    docs = _read("blind_docs.csv")
    training = _training_rows()
    by_id = set(training["doc_id"]) & set(docs["doc_id"])
    by_file = set(training["doc_sha256"]) & set(docs["doc_sha256"])
    assert not by_id, f"training rows from blind documents: {sorted(by_id)[:5]}"
    assert not by_file, "a training row comes from a file that is a blind document under another id"
    assert not set(training["segment_id"]) & set(_read("blind_segments.csv")["segment_id"])


def test_blind_set_is_large_and_drawn_from_its_documents():
    docs, segments = _read("blind_docs.csv"), _read("blind_segments.csv")
    assert len(segments) >= 300 and segments["doc_id"].nunique() >= 40
    assert set(segments["doc_id"]) <= set(docs["doc_id"])
    assert segments["segment_id"].is_unique
    # Drawn by document only: at most eight paragraphs from any document, so no document dominates.
    assert segments.groupby("doc_id").size().max() <= 8


def test_blind_labels_double_coded_and_valid():
    segments = set(_read("blind_segments.csv")["segment_id"])
    for name in LABEL_FILES:
        labels = _read(name)
        assert set(labels["segment_id"]) == segments and labels["segment_id"].is_unique, name
        load_codebook("governance-mode").validate_labels(labels["governance_mode"])
        load_codebook("innovation-stage").validate_labels(labels["innovation_stage"])
        load_codebook("policy-tools").validate_labels(split_tools(labels["policy_tools"]))
        assert ((labels["governance_mode"] == "0") == (labels["innovation_stage"] == "0")).all(), name


def test_blind_texts_resolve_on_shared_corpus(shared_corpora):
    segments = _read("blind_segments.csv")
    texts = segment_texts(segments, shared_corpora)  # verifies file and segment checksums
    assert len(texts) == len(segments) and all(len(t) >= 30 for t in texts)


@pytest.mark.parametrize("name", BLIND_FILES)
def test_blind_files_have_segment_columns(name):
    frame = _read(name)
    assert {"doc_id", "doc_sha256"} <= set(frame.columns)
