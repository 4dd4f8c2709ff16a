"""Classifier options added for the rare-label schemes: hierarchical fitting, per-label thresholds and
document-grouped cross-validation (with their errors, persistence and CLI flags)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from policytext.classify.estimator import PolicyClassifier
from policytext.classify.features import best_threshold
from policytext.classify.train import train_classifier
from policytext.classify.evaluate import cross_validate
from policytext.cli.classify import register_cli
from policytext.classify.models import load_model

# Sentences written for these tests: a residual "0" class and three stage-like labels, each with its own verbs.
_PATTERNS = {
    "0": ["今年粮食产量保持稳定{x}", "全年居民收入继续增长{x}", "各地加强安全生产检查{x}", "春耕备耕工作有序开展{x}",
          "城乡就业形势总体平稳{x}", "生态环境质量持续改善{x}", "文化事业繁荣发展{x}", "交通运输保障有力{x}"],
    "IS2": ["制定实施方案推进{x}", "明确牵头单位负责{x}", "印发工作方案部署{x}", "确定目标任务落实{x}"],
    "IS3": ["选择部分城市开展{x}试点", "建设{x}示范区先行先试", "在试验区率先试行{x}", "启动{x}试点工作"],
    "IS4": ["在全国复制推广{x}经验", "全面推行{x}做法", "将{x}经验推广到各地", "扩大{x}覆盖范围实现全覆盖"],
}
_TOPICS = ["一网通办", "数据共享", "电子证照", "政务服务"]


def _data() -> tuple[list[str], list[str], list[str]]:
    texts, labels, docs = [], [], []
    for label, patterns in _PATTERNS.items():
        for i, pattern in enumerate(patterns):
            for j, topic in enumerate(_TOPICS[:2]):
                texts.append(pattern.format(x=topic if label != "0" else "") + "。")
                labels.append(label)
                docs.append(f"doc{(i + j) % 6}")
    return texts, labels, docs


TEXTS, LABELS, DOCS = _data()
FAST = {"calibration_folds": 2, "char_min_df": 1}


# -- hierarchical ------------------------------------------------------------------------------------------------
def test_hierarchical_gives_a_distribution_and_predicts_none_only_when_likely() -> None:
    clf = PolicyClassifier(hierarchical=True, **FAST).fit(TEXTS, LABELS)
    proba = clf.predict_proba(TEXTS)
    assert list(proba.columns) == clf.labels_
    assert np.allclose(proba.sum(axis=1), 1.0)
    predicted = clf.predict(TEXTS)
    for label, (_, row) in zip(predicted, proba.iterrows()):
        if row["0"] >= 0.5:
            assert label == "0"
        else:
            assert label == row.drop("0").idxmax()
    assert np.mean([p == y for p, y in zip(predicted, LABELS)]) > 0.9


def test_hierarchical_round_trip(tmp_path: Path) -> None:
    clf = PolicyClassifier(hierarchical=True, **FAST).fit(TEXTS, LABELS)
    loaded = load_model(clf.save(tmp_path / "h"))
    assert loaded.hierarchical is True
    assert np.array_equal(loaded.predict_proba(TEXTS).to_numpy(), clf.predict_proba(TEXTS).to_numpy())


def test_hierarchical_is_refused_for_multi_label() -> None:
    with pytest.raises(ValueError, match="hierarchical=True is for single-label"):
        PolicyClassifier(hierarchical=True, multi_label=True).fit(TEXTS, [[y] for y in LABELS])


def test_hierarchical_without_a_none_label_is_a_plain_model() -> None:
    keep = [i for i, y in enumerate(LABELS) if y != "0"]
    texts, labels = [TEXTS[i] for i in keep], [LABELS[i] for i in keep]
    plain = PolicyClassifier(**FAST).fit(texts, labels)
    hier = PolicyClassifier(hierarchical=True, **FAST).fit(texts, labels)
    assert np.array_equal(plain.predict_proba(texts).to_numpy(), hier.predict_proba(texts).to_numpy())


# -- per-label thresholds ----------------------------------------------------------------------------------------
def test_best_threshold_picks_the_cut_with_the_best_f1() -> None:
    proba = np.array([0.9, 0.35, 0.3, 0.2, 0.1])
    target = np.array([True, True, True, False, False])
    # 0.25 and 0.30 both keep the three positives and no negative; the tie goes to the cut nearer 0.5
    assert best_threshold(proba, target) == pytest.approx(0.30)
    assert best_threshold(np.full(4, 0.5), np.zeros(4, dtype=bool)) == pytest.approx(0.5)  # ties -> 0.5


def test_auto_thresholds_are_per_label_and_survive_save_and_load(tmp_path: Path) -> None:
    rows = [[y] if y != "0" else ["0"] for y in LABELS]
    clf = PolicyClassifier(multi_label=True, threshold="auto", **FAST).fit(TEXTS, rows)
    assert clf.thresholds_.shape == (len(clf.labels_),)
    assert ((clf.thresholds_ >= 0.1) & (clf.thresholds_ <= 0.9)).all()
    loaded = load_model(clf.save(tmp_path / "t"))
    assert np.array_equal(loaded.thresholds_, clf.thresholds_)
    assert loaded.predict(TEXTS) == clf.predict(TEXTS)
    fixed = PolicyClassifier(multi_label=True, threshold=0.4, **FAST).fit(TEXTS, rows)
    assert (fixed.thresholds_ == 0.4).all()


@pytest.mark.parametrize("bad", [0.0, 1.0, "best", None])
def test_bad_thresholds_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="threshold must be a number between 0 and 1 or 'auto'"):
        PolicyClassifier(threshold=bad).fit(TEXTS, LABELS)


def test_format_1_0_folders_still_load(tmp_path: Path) -> None:
    """Folders saved before per-label thresholds (format 1.0) get the single threshold of their parameters."""
    clf = PolicyClassifier(**FAST).fit(TEXTS, LABELS)
    folder = clf.save(tmp_path / "old")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = "1.0"
    del manifest["files"]["thresholds.npy"]
    del manifest["parameters"]["hierarchical"]
    (folder / "thresholds.npy").unlink()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    loaded = load_model(folder)
    assert (loaded.thresholds_ == 0.5).all() and loaded.hierarchical is False
    assert loaded.predict(TEXTS) == clf.predict(TEXTS)


# -- document-grouped cross-validation -----------------------------------------------------------------------------
def test_grouped_folds_keep_documents_together() -> None:
    report = cross_validate(PolicyClassifier(**FAST), TEXTS, LABELS, folds=3, groups=DOCS)
    assert report.grouped and report.n == len(TEXTS)
    assert "3-fold stratified, grouped cross-validation" in str(report)
    assert report.to_dict()["grouped"] is True
    plain = cross_validate(PolicyClassifier(**FAST), TEXTS, LABELS, folds=3)
    assert not plain.grouped and "3-fold stratified cross-validation" in str(plain)


@pytest.mark.parametrize(("groups", "message"), [
    ("doc", "groups is a single str"),
    (["a"] * 3, "groups has 3 values but there are"),
    ([None] * len(TEXTS), "groups has missing values"),
    (["a", "b"] * (len(TEXTS) // 2), "groups has 2 distinct values, fewer than folds=3"),
])
def test_bad_groups_are_refused(groups: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        cross_validate(PolicyClassifier(**FAST), TEXTS, LABELS, folds=3, groups=groups)


def test_a_label_left_with_one_training_example_in_a_fold_is_skipped_there() -> None:
    # "IS9" has two examples in doc-x and one in doc-y: the fold that holds out doc-x trains on one IS9
    # example, which cannot be calibrated; that fold must leave IS9 out instead of failing.
    texts = [*TEXTS, "新的标签示例一。", "新的标签示例二。", "新的标签示例三。"]
    labels = [*LABELS, "IS9", "IS9", "IS9"]
    docs = [*DOCS, "doc-x", "doc-x", "doc-y"]
    report = cross_validate(PolicyClassifier(**FAST), texts, labels, folds=3, groups=docs)
    assert "IS9" in report.per_label.index


def test_train_classifier_with_a_group_column() -> None:
    frame = pd.DataFrame({"text": TEXTS, "label": LABELS, "doc": DOCS})
    model = train_classifier(frame, group="doc", folds=3, **FAST)
    assert model.cv_report_.grouped
    with pytest.raises(KeyError, match="group='document' is not a column"):
        train_classifier(frame, group="document", folds=3, **FAST)


def test_cli_train_group_col_and_hierarchical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "labels.csv"
    pd.DataFrame({"text": TEXTS, "label": LABELS, "doc_id": DOCS}).to_csv(table, index=False)
    parser = argparse.ArgumentParser()
    register_cli(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["train", str(table), "--group-col", "doc_id", "--hierarchical", "--folds", "3",
                              "--out", str(tmp_path / "m")])
    assert args.func(args) == 0
    assert "stratified, grouped cross-validation" in capsys.readouterr().out
    assert load_model(tmp_path / "m").hierarchical is True


def test_training_reports_its_progress_only_when_asked(capsys: pytest.CaptureFixture) -> None:
    import pandas as pd

    from policytext.classify.train import train_classifier

    frame = pd.DataFrame({"text": TEXTS, "label": LABELS})
    train_classifier(frame, folds=3, calibration_folds=2)
    assert "cross-validating" not in capsys.readouterr().err
    train_classifier(frame, folds=3, calibration_folds=2, progress=True)
    err = capsys.readouterr().err
    assert "cross-validating" in err and f"fitting on all {len(TEXTS)} texts" in err
