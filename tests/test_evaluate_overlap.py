"""``evaluate`` says when the texts it scores are texts the model was trained on (issue #11)."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from policytext.classify.estimator import PolicyClassifier
from policytext.classify.evaluate import evaluate
from policytext.classify.models import load_model
from policytext.classify.overlap import HASHES_FILE, annotation_hashes, text_hashes, training_overlap
from policytext.classify.train import train_classifier
from policytext.cli.main import main

TEXTS = [f"{who}{verb}{what}工作。" for who in ("市政府", "企业", "群众") for verb in ("推进", "参与")
         for what in ("政务服务", "数据共享", "电子证照")]
LABELS = [label for label in ("GM1", "GM3", "GM5") for _ in range(6)]
NEW = ["省政府统一部署营商环境改革。", "社会资本合作建设一网通办。", "公众留言反馈热线问题。"]
FAST = {"calibration_folds": 2, "char_min_df": 1}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    model = train_classifier(pd.DataFrame({"text": TEXTS, "label": LABELS}), cv=False, **FAST)
    return model.save(tmp_path_factory.mktemp("m") / "model")


def test_hashes_ignore_whitespace_only():
    assert text_hashes(["数字 政府"]) == text_hashes(["  数字\n\t政府"])
    assert text_hashes(["数字政府"]) != text_hashes(["数字 政府"])


def test_saved_model_keeps_checked_training_hashes(saved):
    manifest = json.loads((saved / "manifest.json").read_text(encoding="utf-8"))
    assert HASHES_FILE in manifest["files"]  # verified on load like every other file
    stored = json.loads((saved / HASHES_FILE).read_text(encoding="utf-8"))
    assert stored == sorted(set(text_hashes(TEXTS)))  # hashes only, no text
    assert not any("政府" in h for h in stored)
    model = load_model(saved)
    assert training_overlap(model, TEXTS[:4] + NEW) == (4, 7)


def test_evaluate_warns_with_count_and_share(saved):
    model = load_model(saved)
    with pytest.warns(UserWarning, match=r"6 of 9 rows \(67%\) are texts the model was trained on"):
        evaluate(model, TEXTS[:6] + NEW, LABELS[:6] + ["GM1", "GM3", "GM5"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        evaluate(model, NEW, ["GM1", "GM3", "GM5"])  # held-out texts: no warning


def test_model_without_hashes_still_loads_and_stays_silent(tmp_path):
    folder = PolicyClassifier(**FAST).fit(TEXTS, LABELS).save(tmp_path / "plain")  # fit alone records no hashes
    assert not (folder / HASHES_FILE).exists()
    model = load_model(folder)
    assert model.training_hashes_ is None and training_overlap(model, TEXTS) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        evaluate(model, TEXTS, LABELS)


def test_tampered_hashes_are_refused(saved, tmp_path):
    import shutil

    from policytext.classify.models import ModelIntegrityError

    copy = shutil.copytree(saved, tmp_path / "copy")
    (copy / HASHES_FILE).write_text("[]", encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match=HASHES_FILE):
        load_model(copy)


def test_shipped_models_compare_with_the_annotated_segments():
    model = load_model("governance-mode")
    # The shipped folders carry their own hashes since the v0.2 retraining; the annotated segments are the fallback
    # for a folder without them, and both cover the training texts.
    assert model.training_hashes_ is not None and model.n_train_ - 5 < len(model.training_hashes_) <= model.n_train_
    known = annotation_hashes(model.manifest_)
    # one hash per distinct text: two labelled segments share a text, so 2,276 hashes for 2,277 rows
    assert known is not None and model.n_train_ - 5 < len(known) <= model.n_train_
    assert training_overlap(model, NEW) == (0, 3)
    assert annotation_hashes({"training_data": "my_labels.csv"}) is None


def test_cli_evaluate_warns_in_one_line(saved, tmp_path, capsys):
    table = tmp_path / "labels.csv"
    pd.DataFrame({"text": TEXTS, "label": LABELS}).to_csv(table, index=False)
    assert main(["evaluate", str(saved), str(table), "--no-rules"]) == 0
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line]
    assert lines == ["policytext evaluate: warning: 18 of 18 rows (100%) are texts the model was trained on; scores "
                     "on them are optimistic. Evaluate on held-out texts (e.g. corpora/annotations/"
                     "blind_labels_final.csv for the shipped models), or read the model's cross-validated figures"]
    assert "macro-F1" in captured.out and "warning" not in captured.out
