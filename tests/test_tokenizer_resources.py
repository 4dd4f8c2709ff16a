"""Saved models record the word lists their tokenizer resolved to, and say so when they load under other ones."""

from __future__ import annotations

import warnings

import pytest

import policytext as pt
from policytext.classify.estimator import PolicyClassifier
from policytext.text.lexicon import LEXICON_VERSION, lexicon_terms
from policytext.text.lexicon import resource_changes
from policytext.topics.model import TopicModel

TEXTS = ["推进一网通办和数据共享", "加强电子证照互认", "建设政务服务平台", "鼓励企业参与数据开放",
         "推进一网通办改革", "完善数据共享机制", "政务服务平台上线", "电子证照全面应用"] * 2
LABELS = ["GM1", "GM2"] * 8


def _lexicon(path, terms):
    path.write_text("term\n" + "".join(f"{t}\n" for t in terms), encoding="utf-8")
    return path


def test_resources_fingerprint_the_resolved_word_lists(tmp_path):
    default = pt.Tokenizer().resources()
    assert default["lexicon_version"] == LEXICON_VERSION
    assert default["words"] == len(lexicon_terms())
    same = pt.Tokenizer(n_jobs=1, min_length=2).resources()  # options that are not word lists do not count
    assert same == default
    own = pt.Tokenizer(lexicon=_lexicon(tmp_path / "lex.tsv", ["一网通办"])).resources()
    assert own["lexicon_version"] is None and own["words"] == 1
    assert own["words_sha256"] != default["words_sha256"]
    assert pt.Tokenizer(stopwords=["的"]).resources()["stopwords_sha256"] != default["stopwords_sha256"]


def test_resource_changes_names_what_changed():
    tok = pt.Tokenizer()
    recorded = tok.resources()
    assert resource_changes(recorded, tok) is None
    assert resource_changes(None, tok) is None  # folders saved before the fingerprint existed
    older = {**recorded, "lexicon_version": "2026.01", "words_sha256": "0" * 64}
    message = resource_changes(older, tok)
    assert "lexicon differs" in message and "2026.01 then" in message and LEXICON_VERSION in message
    both = {**older, "stopwords_sha256": "0" * 64}
    assert "lexicon and stopword list differ" in resource_changes(both, tok)
    assert "install the policytext version it was trained with" in message  # the bundled lexicon changed
    own = pt.Tokenizer(lexicon=["一网通办"])
    edited = {**own.resources(), "words_sha256": "0" * 64}  # a word list of one's own, edited since
    assert "restore the word list files it was trained with" in resource_changes(edited, own)


def test_classifier_warns_when_loaded_under_another_lexicon(tmp_path):
    lexicon = _lexicon(tmp_path / "lex.tsv", ["一网通办", "数据共享"])
    model = PolicyClassifier(tokenizer={"lexicon": str(lexicon), "n_jobs": 1}, calibration_folds=2,
                             char_min_df=1).fit(TEXTS, LABELS)
    folder = model.save(tmp_path / "model")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # unchanged word lists: silent
        PolicyClassifier.from_folder(folder)
    _lexicon(lexicon, ["一网通办", "数据共享", "电子证照"])
    with pytest.warns(UserWarning, match="lexicon differs from the one saved with it") as caught:
        reloaded = PolicyClassifier.from_folder(folder)
    assert caught[0].filename == __file__  # the warning points at the line that loaded the model
    assert reloaded.manifest_["tokenizer_resources"]["words"] == 2


def test_shipped_models_record_the_bundled_lexicon():
    for name in ("governance-mode", "innovation-stage", "policy-tools"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            model = pt.load_model(name)
        assert model.manifest_["tokenizer_resources"]["lexicon_version"] == LEXICON_VERSION


def test_topic_model_warns_when_loaded_under_another_lexicon(tmp_path):
    lexicon = _lexicon(tmp_path / "lex.tsv", ["一网通办"])
    model = TopicModel(k=2, min_df=1, max_df=1.0, passes=1,
                       tokenizer=pt.Tokenizer(lexicon=str(lexicon), n_jobs=1)).fit(TEXTS)
    folder = model.save(tmp_path / "topics")
    _lexicon(lexicon, ["一网通办", "政务服务"])
    with pytest.warns(UserWarning, match="lexicon differs"):
        TopicModel.load(folder)
