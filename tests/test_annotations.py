"""The annotated set (segments.csv + label files) and the agreement measures."""

from __future__ import annotations

import importlib.util
import math
import shutil
import sys

import pandas as pd
import pytest

from policytext.classify.annotations import (
    agreement,
    agreement_table,
    annotation_segments,
    annotations_dir,
    krippendorff_alpha_nominal,
    load_annotations,
    primary_labels,
    split_tools,
)
from policytext.classify.codebook import load_codebook

ROUND2 = annotations_dir() / "sample_round2.py"


def _label_file(name: str) -> pd.DataFrame:
    """A file of corpora/annotations as strings, empty cells kept empty."""
    return pd.read_csv(annotations_dir() / name, dtype=str, keep_default_na=False)

# -- agreement on small fixtures with values worked out by hand -------------------------------------------------
A = ["GM1", "GM1", "GM5", "0"]
B = ["GM1", "GM5", "GM5", "0"]


def test_agreement_known_values():
    # p_o = 3/4; p_e = .5*.25 + .25*.5 + .25*.25 = .3125; kappa = (.75-.3125)/.6875
    # alpha: 8 values, one disagreeing unit -> 1 - (n-1)*2 / (n^2 - sum n_c^2) = 1 - 7*2/42
    result = agreement(A, B, "governance-mode")
    assert result["n"] == 4
    assert result["percent"] == 75.0
    assert result["kappa"] == pytest.approx(0.4375 / 0.6875)
    assert result["alpha"] == pytest.approx(1 - 14 / 42)


def test_agreement_perfect_and_column_name():
    result = agreement(["IS1", "IS5", "0"], ["IS1", "IS5", "0"], "innovation_stage")
    assert result["percent"] == 100.0
    assert result["kappa"] == pytest.approx(1.0)
    assert result["alpha"] == pytest.approx(1.0)


def test_agreement_without_variation_is_nan():
    result = agreement(["0", "0"], ["0", "0"], "governance-mode")
    assert result["percent"] == 100.0
    assert math.isnan(result["kappa"]) and math.isnan(result["alpha"])


def test_policy_tools_compare_primary_tool():
    a = ["supply.data;environment.standards", "0", "environment.regulation"]
    b = ["supply.data", "0", "environment.organisation;environment.regulation"]
    assert primary_labels(a, "policy-tools") == ["supply.data", "0", "environment.regulation"]
    assert agreement(a, b, "policy-tools")["percent"] == pytest.approx(200 / 3)


def test_alpha_skips_unpairable_units():
    # The unit coded by one coder only carries no pairable value.
    assert krippendorff_alpha_nominal([["a", "a"], ["b", "b"], ["a", None]]) == pytest.approx(1.0)
    assert krippendorff_alpha_nominal([["a", "b"], ["b", "a"]]) == pytest.approx(-0.5)


def test_agreement_table_per_scheme():
    first = pd.DataFrame({"segment_id": ["s1", "s2", "s3"], "governance_mode": ["GM1", "GM5", "0"],
                          "innovation_stage": ["IS2", "IS5", "0"], "policy_tools": ["supply.data", "demand.user", "0"]})
    second = first.assign(governance_mode=["GM1", "GM1", "0"])
    table = agreement_table(first, second)
    assert table["scheme"].tolist() == ["governance-mode", "innovation-stage", "policy-tools"]
    assert table["percent"].round(1).tolist() == [66.7, 100.0, 100.0]


def test_split_tools():
    assert split_tools(["supply.data; environment.standards", "", "0"]) == [
        ["supply.data", "environment.standards"], ["0"], ["0"]]
    with pytest.raises(TypeError, match="single str"):
        split_tools("supply.data")


@pytest.mark.parametrize(
    ("a", "b", "scheme", "error", "match"),
    [
        (["GM1"], ["GM1", "GM2"], "governance-mode", ValueError, "same units"),
        (["GM9"], ["GM1"], "governance-mode", ValueError, "not in codebook"),
        ("GM1", ["GM1"], "governance-mode", TypeError, "single str"),
        (["GM1"], ["GM1"], "modes", ValueError, "scheme must be one of"),
        ([], [], "governance-mode", ValueError, "no units"),
    ],
)
def test_agreement_errors(a, b, scheme, error, match):
    with pytest.raises(error, match=match):
        agreement(a, b, scheme)


def test_missing_label_file_names_the_coder(tmp_path):
    shutil.copy(annotations_dir() / "segments.csv", tmp_path / "segments.csv")
    with pytest.raises(FileNotFoundError, match="coder 'coder2'"):
        load_annotations("coder2", folder=tmp_path)
    with pytest.raises(ValueError, match="coder must be one of"):
        load_annotations("coder3", folder=tmp_path)


def test_invalid_labels_are_refused(tmp_path):
    shutil.copy(annotations_dir() / "segments.csv", tmp_path / "segments.csv")
    seg = annotation_segments(tmp_path)["segment_id"].iloc[0]
    pd.DataFrame({"segment_id": [seg], "governance_mode": ["GM7"], "innovation_stage": ["IS1"],
                  "policy_tools": ["0"], "rationale": ["x"]}).to_csv(tmp_path / "labels_coder1.csv", index=False)
    with pytest.raises(ValueError, match="column governance_mode"):
        load_annotations("coder1", with_text=False, folder=tmp_path)


# -- the real annotated set on the shared corpus ------------------------------------------------------------------
@pytest.mark.shared
def test_annotated_set_resolves_on_shared_corpus(shared_corpora):
    frame = load_annotations("final", home=shared_corpora)  # re-reads and verifies every segment
    # rounds 1-2 (paragraphs of 2014-2022), 3 (paragraphs just outside it), 4 (sentences), all recoded under
    # codebook v0.2; rounds 5-6 (paragraphs of the documents added in 2026, coded under v0.2).
    rounds = frame["stratum"].str.extract(r"^(round\d)-", expand=False).fillna("round1")
    assert rounds.value_counts().to_dict() == {"round1": 850, "round2": 374, "round3": 265, "round4": 228,
                                               "round5": 400, "round6": 160}
    assert frame.loc[rounds.isin(["round1", "round2"]), "year"].between(2014, 2022).all()
    paragraphs = frame[rounds != "round4"]
    assert paragraphs["text"].str.len().between(30, 1500).all()
    assert paragraphs["segment_id"].str.contains("::p").all()
    sentences = frame[rounds == "round4"]
    assert sentences["segment_id"].str.contains("::s").all()
    assert sentences["text"].str.strip().str.len().between(12, 250).all()
    assert frame["segment_id"].is_unique
    assert set(frame["segment_id"]) == set(annotation_segments()["segment_id"])  # every sampled row is labelled
    load_codebook("governance-mode").validate_labels(frame["governance_mode"])
    load_codebook("innovation-stage").validate_labels(frame["innovation_stage"])
    load_codebook("policy-tools").validate_labels(split_tools(frame["policy_tools"]))
    assert not frame["governance_mode"].str.contains(";").any()
    assert ((frame["governance_mode"] == "0") == (frame["innovation_stage"] == "0")).all()


def test_v02_attributes_on_every_in_scope_row():
    labels = _label_file("labels_final.csv")
    values = {a["name"]: set(a["values"]) for a in load_codebook("governance-mode").attributes if a["values"]}
    in_scope = labels["governance_mode"] != "0"
    for name in ("driver", "orientation", "public_value", "iteration"):
        assert labels.loc[in_scope, name].isin(values[name]).all(), name
        assert (labels.loc[~in_scope, name] == "").all(), name
    assert (labels.loc[in_scope, "object"].str.len() > 0).all()


def test_labels_final_is_reproducible_from_the_deliveries():
    """labels_final.csv is what assemble_v02.py builds from the coders' files (recoding, rounds, adjudication)."""
    path = annotations_dir() / "assemble_v02.py"
    spec = importlib.util.spec_from_file_location("assemble_v02", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.assemble()
    current = _label_file("labels_final.csv")
    pd.testing.assert_frame_equal(built.astype(str), current)


@pytest.mark.shared
def test_changed_checksums_are_detected(shared_corpora, tmp_path):
    segments = annotation_segments().head(3)
    labels = pd.read_csv(annotations_dir() / "labels_coder1.csv", dtype=str).head(3)
    labels.to_csv(tmp_path / "labels_coder1.csv", index=False)
    segments.assign(text_sha256="0" * 64).to_csv(tmp_path / "segments.csv", index=False)
    with pytest.raises(ValueError, match="segmentation or the reader changed"):
        load_annotations("coder1", folder=tmp_path, home=shared_corpora)
    segments.assign(doc_sha256="f" * 64).to_csv(tmp_path / "segments.csv", index=False)
    with pytest.raises(ValueError, match="differs from doc_sha256"):
        load_annotations("coder1", folder=tmp_path, home=shared_corpora)


def test_reliability_in_the_codebooks_is_recomputed_from_the_label_files():
    """The figures printed in each codebook's reliability section come from the two blind-set coders' files."""
    first, second = _label_file("blind_labels_coder1.csv"), _label_file("blind_labels_coder2.csv")
    table = agreement_table(first, second).set_index("scheme")
    for name in ("governance-mode", "innovation-stage", "policy-tools"):
        recorded = load_codebook(name).reliability
        row = table.loc[name]
        assert recorded["n"] == row["n"]
        assert recorded["percent_agreement"] == pytest.approx(row["percent"], abs=0.05)
        assert recorded["cohen_kappa"] == pytest.approx(row["kappa"], abs=0.0005)
        assert recorded["krippendorff_alpha"] == pytest.approx(row["alpha"], abs=0.0005)


def _round2_module():
    spec = importlib.util.spec_from_file_location("sample_round2", ROUND2)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROUND2.parent))  # the script imports its sibling sample_segments.py
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROUND2.parent))
    return module


def test_round2_append_keeps_rows_and_is_idempotent(tmp_path):
    module = _round2_module()
    out = tmp_path / "segments.csv"
    out.write_bytes(b"segment_id,stratum\na::p1,dg:2019|gwr\n")
    before = out.read_bytes()
    rows = pd.DataFrame({"segment_id": ["a::p1", "b::p2"], "stratum": ["round2-GM2:2020|gwr"] * 2})
    assert module.append_rows(rows, out) == 1
    assert out.read_bytes().startswith(before)  # existing rows stay byte-identical
    assert module.append_rows(rows, out) == 0  # a rerun appends nothing
    assert pd.read_csv(out)["segment_id"].tolist() == ["a::p1", "b::p2"]


def test_every_rare_label_row_is_double_coded():
    """Issue #16: every GM2-GM5, IS1, IS3 and IS4 row of the training labels was coded by a second coder too."""
    final, second = _label_file("labels_final.csv"), _label_file("labels_coder2_v0.2.csv")
    rare = {"GM2", "GM3", "GM4", "GM5", "IS1", "IS3", "IS4"}
    rows = final[final["governance_mode"].isin(rare) | final["innovation_stage"].isin(rare)]
    assert len(rows) > 100 and set(rows["segment_id"]) <= set(second["segment_id"])
