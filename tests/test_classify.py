"""Classifiers: the estimator contract, cross-validation, safe save/load, document tags, active learning, CLI."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from policytext.classify.active import suggest, uncertainty
from policytext.classify.estimator import PolicyClassifier
from policytext.classify.tagging import tag_documents
from policytext.classify.train import read_labelled, train_classifier
from policytext.classify.evaluate import check_folds, cross_validate, evaluate, score_predictions
from policytext.cli.classify import register_cli
from policytext.classify.models import ModelIntegrityError, list_models, load_model, save_model
from policytext.persist import IncompatibleModelError

# Small texts written for these tests: three themes with their own vocabulary, six variants each.
_THEMES = {
    "GM1": ["市政府牵头统筹{x}工作", "由省级部门统一部署{x}", "上级机关集中管理{x}事项", "政府主导推进{x}建设",
            "牵头单位负责{x}的统一规划", "统筹协调各部门落实{x}"],
    "GM3": ["引入企业参与{x}运营", "与社会资本合作开展{x}", "委托第三方机构承担{x}", "鼓励市场主体提供{x}服务",
            "通过购买服务方式推进{x}", "企业和社会组织共同参与{x}"],
    "GM5": ["群众在网上办理{x}事项", "公众通过热线反映{x}诉求", "市民评价{x}服务质量", "畅通群众参与{x}的渠道",
            "听取企业和群众对{x}的意见", "公众留言反馈{x}问题"],
}
_TOPICS = ["政务服务", "数据共享", "电子证照", "一网通办", "政务公开", "营商环境"]


def _fixture() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, patterns in _THEMES.items():
        for i, pattern in enumerate(patterns):
            texts.append(pattern.format(x=_TOPICS[i]) + "。")
            labels.append(label)
    return texts, labels


TEXTS, LABELS = _fixture()
FAST = {"calibration_folds": 2, "char_min_df": 1}


@pytest.fixture(scope="module")
def fitted() -> PolicyClassifier:
    return PolicyClassifier(**FAST).fit(TEXTS, LABELS)


# -- estimator contract -----------------------------------------------------------------------------------------
def test_init_only_stores_parameters_and_clone_works() -> None:
    clf = PolicyClassifier(C=2.0, multi_label=False)
    assert clf.get_params()["C"] == 2.0
    assert not [k for k in vars(clf) if k.endswith("_")]
    assert clone(clf).get_params() == clf.get_params()


def test_fit_predict_and_proba(fitted: PolicyClassifier) -> None:
    assert fitted.labels_ == ["GM1", "GM3", "GM5"]
    assert fitted.predict(TEXTS) == LABELS
    proba = fitted.predict_proba(pd.Series(TEXTS[:2], index=[10, 11]))
    assert list(proba.columns) == fitted.labels_ and list(proba.index) == [10, 11]
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert fitted.decision_function(TEXTS[:1]).shape == (1, 3)


def test_codebook_orders_labels_and_not_applicable_last() -> None:
    clf = PolicyClassifier(codebook="governance-mode", **FAST).fit(TEXTS + ["本条例自公布之日起施行。"] * 2,
                                                                   LABELS + ["0", "0"])
    assert clf.labels_ == ["GM1", "GM3", "GM5", "0"]
    assert clf.codebook_info_ == {"name": "governance-mode", "version": "0.2"}


@pytest.mark.parametrize("method", ["fit", "predict"])
def test_refuses_a_bare_string(fitted: PolicyClassifier, method: str) -> None:
    with pytest.raises(TypeError, match="not a single str"):
        if method == "fit":
            PolicyClassifier().fit("推进一网通办", ["GM1"])
        else:
            fitted.predict("推进一网通办")


def test_empty_texts_are_refused(fitted: PolicyClassifier) -> None:
    with pytest.raises(ValueError, match=r"empty text\(s\) at positions \[1\]"):
        PolicyClassifier().fit(["推进一网通办", "  "], ["GM1", "GM3"])
    with pytest.raises(ValueError, match="empty"):
        fitted.predict_proba([""])
    with pytest.raises(ValueError, match="column 'text' is empty or missing in 1 row"):
        read_labelled(pd.DataFrame({"text": ["推进", None], "label": ["A", "B"]}), text="text", label="label")


def test_labels_not_in_codebook_are_refused() -> None:
    with pytest.raises(ValueError, match="labels 'GM9' are not in codebook 'governance-mode'"):
        PolicyClassifier(codebook="governance-mode").fit(TEXTS, LABELS[:-1] + ["GM9"])


def test_too_few_examples() -> None:
    with pytest.raises(ValueError, match="fewer than 2 examples"):
        PolicyClassifier().fit(TEXTS, LABELS[:-1] + ["GM2"])
    with pytest.raises(ValueError, match="label 'GM2' has only 1 example"):
        check_folds(LABELS[:-1] + ["GM2"], 5)
    with pytest.raises(ValueError, match="cannot run 7-fold cross-validation: label 'GM1' has only 6"):
        cross_validate(PolicyClassifier(**FAST), TEXTS, LABELS, folds=7)
    with pytest.raises(ValueError, match="only one label"):
        PolicyClassifier().fit(TEXTS[:3], ["GM1"] * 3)
    with pytest.raises(ValueError, match="X has 18 texts but y has 2 labels"):
        PolicyClassifier().fit(TEXTS, ["GM1", "GM3"])


def test_unfitted_model_says_what_to_do() -> None:
    with pytest.raises(AttributeError, match="not fitted yet"):
        PolicyClassifier().predict(["推进一网通办"])


def test_multi_label_predicts_lists() -> None:
    labels = [[label] if i % 2 else [label, "GM5"] for i, label in enumerate(LABELS)]
    labels = [["0"] if row == ["GM5"] else row for row in labels]
    clf = PolicyClassifier(multi_label=True, **FAST).fit(TEXTS, labels)
    assert clf.labels_ == ["GM1", "GM3", "GM5"]
    predicted = clf.predict(TEXTS)
    assert all(isinstance(p, list) and p for p in predicted)
    proba = clf.predict_proba(TEXTS)
    assert ((proba >= 0) & (proba <= 1)).all().all()
    with pytest.raises(ValueError, match="multi_label=True"):
        PolicyClassifier().fit(TEXTS, labels)


# -- cross-validation -------------------------------------------------------------------------------------------
def test_cross_validation_report() -> None:
    rule = lambda texts: ["GM1"] * len(texts)  # noqa: E731 - a stand-in rule baseline
    report = cross_validate(PolicyClassifier(**FAST), TEXTS, LABELS, folds=3, baselines={"rules": rule})
    assert report.n == 18 and report.folds == 3 and len(report.fold_macro_f1) == 3
    assert 0.0 <= report.macro_f1 <= 1.0
    assert set(report.baselines) == {"majority", "rules"}
    assert report.baselines["rules"]["accuracy"] == pytest.approx(1 / 3)
    assert list(report.per_label.index) == ["GM1", "GM3", "GM5"]
    assert report.confusion.to_numpy().sum() == 18
    json.dumps(report.to_dict())
    assert "macro-F1" in str(report)
    same = cross_validate(PolicyClassifier(**FAST), TEXTS, LABELS, folds=3)
    assert same.macro_f1 == report.macro_f1  # seeded: same inputs, same figures


def test_score_predictions_multi_label() -> None:
    report = score_predictions([["A", "B"], ["0"]], [["A"], ["0"]], ["A", "B"], multi_label=True)
    assert report.macro_f1 == pytest.approx(0.5)
    assert list(report.confusion.columns) == ["tn", "fp", "fn", "tp"]


def test_train_classifier_attaches_report_and_checksum() -> None:
    frame = pd.DataFrame({"text": TEXTS, "label": LABELS})
    model = train_classifier(frame, folds=3, codebook="governance-mode", **FAST)
    assert "rule tagger" in model.cv_report_.baselines
    assert len(model.training_checksum_) == 64
    with pytest.raises(KeyError, match="text='body' is not a column"):
        train_classifier(frame, text="body")
    with pytest.warns(UserWarning, match=r"18 of 18 rows \(100%\) are texts the model was trained on"):
        report = evaluate(model, TEXTS, LABELS)
    assert report.accuracy == 1.0
    with pytest.raises(ValueError, match=r"labels \['GM2'\] are not in the model's label set"):
        evaluate(model, TEXTS[:1], ["GM2"])


# -- save and load ----------------------------------------------------------------------------------------------
def test_round_trip_gives_identical_predictions(fitted: PolicyClassifier, tmp_path: Path) -> None:
    folder = fitted.save(tmp_path / "gm")
    loaded = load_model(folder)
    assert loaded.labels_ == fitted.labels_
    assert np.array_equal(loaded.predict_proba(TEXTS).to_numpy(), fitted.predict_proba(TEXTS).to_numpy())
    assert loaded.predict(TEXTS) == fitted.predict(TEXTS)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["labels"] == fitted.labels_ and manifest["kind"] == "policytext-classifier"
    assert set(manifest["files"]) >= {"coef.npy", "word_vocabulary.json", "tokenizer.json"}
    assert not list(folder.glob("*.pkl"))


def test_tampered_file_is_refused(fitted: PolicyClassifier, tmp_path: Path) -> None:
    folder = fitted.save(tmp_path / "gm")
    coef = np.load(folder / "coef.npy")
    np.save(folder / "coef.npy", coef * 2)
    with pytest.raises(ModelIntegrityError, match="coef.npy does not match the sha256"):
        load_model(folder)


def test_incompatible_format_is_refused(fitted: PolicyClassifier, tmp_path: Path) -> None:
    folder = fitted.save(tmp_path / "gm")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = "2.0"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IncompatibleModelError, match="format 2.0.*upgrade policytext"):
        load_model(folder)


def test_save_never_leaves_half_written_folders(fitted: PolicyClassifier, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "gm"
    fitted.save(target)
    with pytest.raises(FileExistsError, match="already exists"):
        fitted.save(target)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("policytext.classify.estimator.write_manifest", broken)
    with pytest.raises(OSError, match="disk full"):
        fitted.save(tmp_path / "other")
    with pytest.raises(OSError, match="disk full"):
        fitted.save(target, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gm"]
    monkeypatch.undo()
    assert load_model(target).labels_ == fitted.labels_  # the old model survived the failed overwrite


def test_pickled_models_need_trust(fitted: PolicyClassifier, tmp_path: Path) -> None:
    folder = save_model(fitted, tmp_path / "pickled", format="pickle")
    with pytest.raises(PermissionError, match="trusted=True"):
        load_model(folder)
    assert load_model(folder, trusted=True).predict(TEXTS[:2]) == fitted.predict(TEXTS[:2])
    with pytest.raises(FileNotFoundError, match="neither a folder nor a bundled model"):
        load_model(tmp_path / "missing")


# -- document tags and active learning --------------------------------------------------------------------------
def test_tag_documents_aggregates_segments(fitted: PolicyClassifier) -> None:
    segments = pd.DataFrame({"doc_id": ["d1", "d1", "d1", "d2"], "text": [TEXTS[0], TEXTS[1], TEXTS[7], TEXTS[13]]})
    docs = tag_documents(fitted, segments)
    assert docs["doc_id"].tolist() == ["d1", "d2"]
    assert docs.loc[0, "label"] == "GM1" and docs.loc[0, "share_GM1"] == pytest.approx(2 / 3)
    shares = docs[[c for c in docs.columns if c.startswith("share_")]]
    assert np.allclose(shares.sum(axis=1), 1.0)
    rows = tag_documents(fitted, segments, level="segment")
    assert len(rows) == 4 and "p_GM1" in rows.columns
    with pytest.raises(ValueError, match="level must be"):
        tag_documents(fitted, segments, level="corpus")


def test_uncertainty_and_suggest(fitted: PolicyClassifier) -> None:
    assert uncertainty(np.array([[1.0, 0.0], [0.5, 0.5]]), "entropy").round(3).tolist() == [0.0, 1.0]
    assert uncertainty(np.array([[0.5, 0.9]]), multi_label=True).tolist() == [1.0]
    with pytest.raises(ValueError, match="strategy must be one of"):
        uncertainty(np.eye(2), "random")
    pool = pd.DataFrame({"segment_id": [f"s{i}" for i in range(5)],
                         "text": [TEXTS[0], "牵头引入企业听取群众意见", TEXTS[6], TEXTS[12], "数据"]})
    ranked = suggest(fitted, pool, n=3, exclude=["s0"])
    assert ranked["rank"].tolist() == [1, 2, 3] and "s0" not in ranked["segment_id"].tolist()
    assert ranked["uncertainty"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="n must be a positive int"):
        suggest(fitted, pool, n=0)


# -- command line -----------------------------------------------------------------------------------------------
def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="policytext")
    register_cli(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_train_evaluate_tag_suggest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labels = tmp_path / "labels.csv"
    pd.DataFrame({"body": TEXTS, "code": LABELS}).to_csv(labels, index=False)
    assert _run(["train", str(labels), "--text-col", "body", "--label-col", "code", "--folds", "3",
                 "--out", str(tmp_path / "model")]) == 0
    out = capsys.readouterr().out
    assert "3-fold stratified cross-validation on 18 texts" in out and "majority" in out
    assert _run(["evaluate", str(tmp_path / "model"), str(labels), "--text-col", "body", "--label-col", "code"]) == 0
    assert "macro-F1 1.000" in capsys.readouterr().out
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("\n\n".join(TEXTS[:3]), encoding="utf-8")
    (docs / "b.txt").write_text("\n\n".join(TEXTS[12:14]), encoding="utf-8")
    assert _run(["tag", str(docs), "--model", str(tmp_path / "model"), "--out", str(tmp_path / "tags.csv")]) == 0
    tags = pd.read_csv(tmp_path / "tags.csv")
    assert len(tags) == 2 and {"doc_id", "label", "share_GM1"} <= set(tags.columns)
    assert _run(["suggest", str(docs), "--model", str(tmp_path / "model"), "--n", "2"]) == 0
    assert "uncertainty" in capsys.readouterr().out


# -- shipped models and real data -------------------------------------------------------------------------------
def test_shipped_models_load_by_name_in_a_fresh_process() -> None:
    shipped = list_models()
    if not shipped:
        pytest.skip("no shipped models under models/ (they need corpora/annotations/labels_final.csv)")
    code = (
        "import policytext.classify.models as m\n"
        f"for name in {shipped!r}:\n"
        "    clf = m.load_model(name)\n"
        "    p = clf.predict_proba(['推进政务服务一网通办，建设全国一体化政务服务平台。'])\n"
        "    assert list(p.columns) == list(clf.labels_), name\n"
        "    print(name, clf.predict(['推进政务服务一网通办。'])[0])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONWARNINGS": "error::UserWarning"})
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(shipped)


@pytest.mark.shared
@pytest.mark.slow
def test_teddy_cup_retraining(shared_corpora: Path) -> None:
    frame = pd.read_csv(shared_corpora / "labelled" / "teddy-cup-2020" / "messages_labelled.csv")
    frame["text"] = frame["留言主题"] + "。" + frame["留言详情"]
    model = train_classifier(frame, text="text", label="一级分类", folds=5)
    report = model.cv_report_
    assert len(model.labels_) == 7 and report.n == 395
    assert report.macro_f1 >= 0.78, str(report)
    assert report.macro_f1 > report.baselines["majority"]["macro_f1"] + 0.5
