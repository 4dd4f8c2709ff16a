"""Document context in PolicyClassifier, document-grouped scoring (scope apart from labels, documents per label)
and the keyword-masking check. Small fixtures written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from policytext.classify.context import ContextFeatures, check_context
from policytext.classify.estimator import PolicyClassifier
from policytext.classify.scoring import grouped_cross_validate, mask_indicators, score_scheme

FAST = {"calibration_folds": 2, "char_min_df": 1}
_TEXTS = {
    "GM1": ["市政府牵头统筹{x}工作", "由省级部门统一部署{x}", "政府主导推进{x}建设", "统筹协调各部门落实{x}"],
    "GM5": ["群众在网上办理{x}事项", "公众通过热线反映{x}诉求", "市民评价{x}服务质量", "听取群众对{x}的意见"],
    "0": ["本条例自公布之日起施行{x}", "加强组织领导{x}", "做好宣传工作{x}", "各地区结合实际{x}"],
}
_TOPICS = ["政务服务", "数据共享", "电子证照", "一网通办"]


def _frame() -> pd.DataFrame:
    rows = []
    for label, patterns in _TEXTS.items():
        for i, pattern in enumerate(patterns):
            doc = f"d{i % 4}{label}"
            rows.append({"text": pattern.format(x=_TOPICS[i]) + "。", "label": label, "doc_id": doc,
                         "doc_type": ["law", "government_work_report"][i % 2], "level": ["national", "provincial"][i % 2],
                         "title": f"关于{_TOPICS[i]}的意见", "doc_text": f"全文：{pattern.format(x=_TOPICS[i])}。由政府牵头。"})
    return pd.DataFrame(rows)


FRAME = _frame()
CONTEXT = ("doc_type", "level", "title", "terms", "doc_terms")


@pytest.fixture(scope="module")
def with_context() -> PolicyClassifier:
    return PolicyClassifier(**FAST, codebook="governance-mode", context=CONTEXT).fit(FRAME, FRAME["label"])


def test_context_round_trip_predicts_identically(with_context: PolicyClassifier, tmp_path: Path) -> None:
    folder = with_context.save(tmp_path / "m")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == "1.2" and "context.json" in manifest["files"]
    loaded = PolicyClassifier.from_folder(folder)
    assert loaded.context_.options == check_context(CONTEXT)
    np.testing.assert_array_equal(loaded.decision_function(FRAME), with_context.decision_function(FRAME))
    assert loaded.predict(FRAME) == with_context.predict(FRAME)
    pd.testing.assert_frame_equal(loaded.predict_proba(FRAME), with_context.predict_proba(FRAME))


def test_context_changes_features_and_widths(with_context: PolicyClassifier) -> None:
    blocks = with_context.context_
    assert blocks.doc_types == ["government_work_report", "law"] and blocks.levels == ["national", "provincial"]
    assert with_context.coef_.shape[1] == (len(with_context.word_vocabulary_) + len(with_context.char_vocabulary_)
                                          + blocks.width)
    # The document's 牵头 reaches every row through doc_terms, so every row has GM1 document evidence.
    x = blocks.transform(FRAME, FRAME["text"].tolist()).toarray()
    gm1 = len(blocks.doc_types) + len(blocks.levels) + len(blocks.title_vocabulary) + len(blocks.term_labels)
    assert (x[:, gm1 + blocks.term_labels.index("GM1")] > 0).all()
    assert np.sqrt((x[:, -len(blocks.term_labels):] ** 2).sum(axis=1)).max() <= 1.0 + 1e-9


def test_context_model_needs_a_frame_with_its_columns(with_context: PolicyClassifier) -> None:
    # Texts alone still work, with a warning that says what is lost, so that every text-only caller keeps working.
    with pytest.warns(UserWarning, match="got texts only: each text is read as its own document"):
        alone = with_context.predict(FRAME["text"].tolist())
    assert len(alone) == len(FRAME)
    # Segments with doc_id but no doc_text: the document is its segments joined, with a warning.
    with pytest.warns(UserWarning, match="no 'doc_text' column"):
        joined = with_context.predict(FRAME.drop(columns="doc_text").assign(doc_id="d1"))
    assert len(joined) == len(FRAME)
    with pytest.raises(KeyError, match=r"lacks the context columns \['title'\]"):
        with_context.predict(FRAME.drop(columns="title"))
    with pytest.raises(ValueError, match="pass codebook="):
        PolicyClassifier(**FAST, context=("terms",)).fit(FRAME, FRAME["label"])
    with pytest.raises(TypeError, match="not the str"):
        PolicyClassifier(**FAST, context="title").fit(FRAME, FRAME["label"])
    with pytest.raises(ValueError, match="unknown options"):
        PolicyClassifier(**FAST, context=("year",)).fit(FRAME, FRAME["label"])


def test_list_input_unchanged_and_frame_text_column_equivalent(tmp_path: Path) -> None:
    texts, labels = FRAME["text"].tolist(), FRAME["label"].tolist()
    plain = PolicyClassifier(**FAST).fit(texts, labels)
    framed = clone(plain).fit(FRAME, labels)
    np.testing.assert_array_equal(plain.decision_function(texts), framed.decision_function(FRAME))
    folder = plain.save(tmp_path / "plain")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == "1.1" and "context.json" not in manifest["files"]
    assert PolicyClassifier.from_folder(folder).predict(texts) == plain.predict(texts)


def test_vectors_block_and_unknown_categories() -> None:
    frame = FRAME.assign(vectors=[np.arange(3.0) + i for i in range(len(FRAME))])
    blocks = ContextFeatures(("doc_type", "vectors"), 0.5).fit(frame, frame["text"].tolist())
    other = frame.assign(doc_type="unseen")
    x = blocks.transform(other, other["text"].tolist()).toarray()
    assert x.shape == (len(frame), 2 + 3)
    assert (x[:, :2] == 0).all() and np.allclose(np.sqrt((x[:, 2:] ** 2).sum(axis=1)), 0.5)


# -- scoring ------------------------------------------------------------------------------------------------------
def test_score_scheme_scope_apart_from_in_scope_macro_f1() -> None:
    gold = ["A", "A", "A", "B", "B", "0", "0", "0"]
    pred = ["A", "0", "B", "B", "0", "A", "0", "0"]
    docs = ["d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"]
    s = score_scheme(gold, pred, groups=docs, min_docs=2)
    # Scope: gold in scope 5, predicted in scope 4, both 3 -> P 3/4, R 3/5.
    assert s.scope["precision"] == pytest.approx(0.75) and s.scope["recall"] == pytest.approx(0.6)
    assert s.scope["f1"] == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    # Labels over all rows: A P 1/2 R 1/3 -> 0.4; B P 1/2 R 1/2 -> 0.5.
    assert s.in_scope_macro_f1 == pytest.approx(0.45)
    assert s.per_label.loc["A", "n_docs"] == 3 and s.per_label.loc["B", "support"] == 2
    assert s.claimed_labels == ["A", "B"]


def test_labels_from_few_documents_get_no_f1() -> None:
    gold = ["A"] * 6 + ["B"] * 6 + ["0"] * 2
    docs = [f"a{i}" for i in range(6)] + ["b1", "b1", "b1", "b2", "b2", "b3"] + ["z1", "z2"]
    s = score_scheme(gold, gold, groups=docs)  # min_docs=5
    assert s.per_label.loc["B", "f1"] is None and bool(s.per_label.loc["B", "too_few_docs"])
    assert s.per_label.loc["B", "n_docs"] == 3 and s.per_label.loc["A", "f1"] == 1.0
    assert s.claimed_labels == ["A"] and s.in_scope_macro_f1 == 1.0
    d = s.to_dict()
    assert d["per_label"]["B"]["f1"] is None and d["per_label"]["B"]["too_few_docs"] is True
    json.dumps(d)


def test_mask_indicators_replaces_terms_in_text_and_context() -> None:
    assert mask_indicators(["由市政府牵头推进。", "无关段落。"], "governance-mode") == ["由市政府□推进。", "无关段落。"]
    masked = mask_indicators(FRAME, "governance-mode")
    assert "牵头" not in "".join(masked["doc_text"]) and "牵头" in "".join(FRAME["doc_text"])
    assert masked["label"].tolist() == FRAME["label"].tolist()
    with pytest.raises(TypeError, match="single str"):
        mask_indicators("牵头", "governance-mode")


def test_grouped_cross_validate_keeps_documents_whole_and_masks() -> None:
    clf = PolicyClassifier(**FAST, codebook="governance-mode", context=("doc_type", "terms"))
    result = grouped_cross_validate(clf, FRAME, FRAME["label"], groups=FRAME["doc_id"], folds=2,
                                    mask="governance-mode", min_docs=2)
    assert result.n == len(FRAME) and result.n_docs == FRAME["doc_id"].nunique() and result.folds == 2
    assert len(result.predictions) == len(FRAME) and None not in result.predictions
    assert result.masked is not None and set(result.masked_drop()) == {"scope_f1", "in_scope_macro_f1"}
    assert list(result.per_label.index) == ["GM1", "GM5"]


def test_train_classifier_with_context_is_grouped_and_reproducible(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from policytext.classify.train import train_classifier

    def train() -> PolicyClassifier:
        return train_classifier(FRAME, text="text", label="label", group="doc_id", codebook="governance-mode",
                                folds=2, random_state=3, context=("level", "title", "doc_terms"), **FAST)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the manifest's "created", as train_shipped documents
    first, second = train(), train()
    assert first.cv_report_.folds == 2 and first.cv_report_.masked is not None
    a, b = first.save(tmp_path / "a", name="m"), second.save(tmp_path / "b", name="m")
    for file in sorted(p.name for p in a.iterdir()):
        assert (a / file).read_bytes() == (b / file).read_bytes(), file
    with pytest.raises(ValueError, match="group='doc_id'"):
        train_classifier(FRAME, text="text", label="label", codebook="governance-mode", context=("title",), **FAST)


def test_tag_documents_gives_a_context_model_its_documents(with_context: PolicyClassifier) -> None:
    from policytext.classify.tagging import tag_documents
    from policytext.corpus.corpus import Corpus

    corpus = Corpus.from_texts(["市政府牵头统筹政务服务工作。\n群众在网上办理一网通办事项。"], ids=["d1"], title=["关于政务服务的意见"],
                               doc_type=["law"], level=["national"])
    tags = tag_documents(with_context, corpus, level="segment")
    assert len(tags) == 2 and set(tags["label"]) <= set(with_context.labels_)
