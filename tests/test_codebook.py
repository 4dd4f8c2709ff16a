"""Codebooks as data (load, round trip, schema errors) and the rule tagger built on them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml
from sklearn.base import clone

from policytext.classify.codebook import Codebook, Label, list_codebooks, load_codebook
from policytext.classify.rules import RuleTagger

# Two sentences per label, written for these tests (not taken from any corpus).
GM_SENTENCES = {
    "GM1": ["全省成立工作专班，由省长任组长并负总责。", "各市要统一建设政务云，考核结果定期通报。"],
    "GM2": ["市里与通信运营商合资组建公司，平台实行管运分离。", "引入龙头企业长期购买服务，签订框架协议。"],
    "GM3": ["这一应用由腾讯开发并运行在其小程序上。", "互联网企业依靠自己的商业模式提供整体解决方案。"],
    "GM4": ["社会组织、行业协会和科研院所组成合作网络。", "坚持多元共治，多方参与并协商一致。"],
    "GM5": ["市民热线收到的民生诉求由街道限时回应。", "设立网上留言板，推进政民互动和议事协商。"],
}
IS_SENTENCES = {
    "IS1": ["调查表明审批环节仍有不少痛点和堵点。", "大会提出建设智慧城市的构想。"],
    "IS2": ["省政府审议通过工作方案，列明任务分工。", "指导意见明确了保障措施和经费保障。"],
    "IS3": ["新系统已在两个区启用并部署到窗口。", "本市率先设立综合试验区，项目已落地。"],
    "IS4": ["推动政务服务跨省通办和证照互通互认。", "各地要学习借鉴先进地区的经验做法。"],
    "IS5": ["这项改革实现常态化和制度化。", "新版平台为第四版，已纳入绩效考核。"],
}
PT_SENTENCES = {
    "supply.talent": ["开展面向公务员的培训。", "注重复合型人才培养。"],
    "supply.funding": ["中央预算内投资给予倾斜。", "保证项目所需经费。"],
    "supply.technology": ["推动技术研发。", "各部门运用人工智能。"],
    "supply.infrastructure": ["加快新型基础设施建设。", "扩充算力。"],
    "supply.data": ["建成人口基础库和法人主题库。", "推进部门间数据共享。"],
    "supply.services": ["公布办事指南。", "增设自助终端。"],
    "environment.planning": ["提出总体要求。", "到期实现既定目标。"],
    "environment.regulation": ["修改实施办法。", "强化事中事后监管。"],
    "environment.standards": ["制定统一的数据标准。", "完善接口规范。"],
    "environment.finance": ["扩大普惠贷款。", "发展科技保险。"],
    "environment.tax": ["研发费用可以抵扣。", "延续各项税收优惠。"],
    "environment.strategic": ["支持民营企业发展。", "做好示范评价。"],
    "environment.organisation": ["明确责任分工。", "开展专项督查。"],
    "demand.procurement": ["纳入政府采购目录。", "以购买服务的方式实施。"],
    "demand.outsourcing": ["运维工作实行服务外包。", "探索授权运营。"],
    "demand.scenarios": ["推出一批应用场景。", "开展示范应用。"],
    "demand.user": ["坚持群众需求导向。", "持续改善用户体验。"],
    "demand.international": ["拓展数字领域国际合作。", "开展对外交流。"],
}


def _cases(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(label, text) for label, texts in table.items() for text in texts]


@pytest.fixture
def tiny_codebook() -> dict:
    return {
        "name": "tiny",
        "version": "1.0",
        "multi_label": False,
        "negation_cues": ["不得"],
        "labels": [
            {"id": "A", "name_en": "Apples", "indicators": ["苹果"]},
            {"id": "B", "name_en": "Pears", "indicators": ["梨"], "examples": ["一个梨"]},
        ],
    }


# --- codebooks as data ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["governance-mode", "innovation-stage", "policy-tools"])
def test_bundled_codebooks_load(name):
    cb = load_codebook(name)
    assert name in list_codebooks()
    assert cb.name == name and cb.version == "0.2" and cb.not_applicable == "0"
    assert all(cb.label(i).definition and cb.label(i).name_zh for i in cb.labels)
    assert all(cb.indicators[i] for i in cb.leaf_labels)
    frame = cb.to_frame()
    assert list(frame.index) == cb.labels and "indicators" in frame.columns


def test_label_sets_follow_the_codebook():
    assert load_codebook("governance-mode").labels == ["GM1", "GM2", "GM3", "GM4", "GM5"]
    assert load_codebook("innovation-stage").labels == ["IS1", "IS2", "IS3", "IS4", "IS5"]
    tools = load_codebook("policy-tools")
    assert tools.multi_label is True
    assert {tools.label(i).parent for i in tools.leaf_labels} == {"supply", "environment", "demand"}
    assert tools.label("demand.procurement").parent == "demand" and len(tools.leaf_labels) == 19
    assert tools.label("environment.self_regulation").parent == "environment"  # new in v0.2


def test_v02_rules_are_data():
    """v0.2 states an order of precedence and at least two counter-examples for every label, and v0.1 stays loadable."""
    for name in ("governance-mode", "innovation-stage", "policy-tools"):
        cb = load_codebook(name)
        assert cb.precedence and cb.precedence[0].startswith("P1")
        assert all(len(label.counter_examples) >= 2 for label in cb.entries), name
        old = load_codebook(f"{name}@0.1")
        assert old.version == "0.1" and not old.precedence
    attributes = {a["name"] for a in load_codebook("governance-mode").attributes}
    assert {"driver", "orientation", "public_value", "iteration", "object"} <= attributes
    with pytest.raises(ValueError, match="no version '0.9'.*bundled versions are"):
        load_codebook("governance-mode@0.9")


@pytest.mark.parametrize("name", ["governance-mode", "innovation-stage", "policy-tools"])
def test_yaml_round_trip(name, tmp_path):
    cb = load_codebook(name)
    again = load_codebook(cb.to_yaml(tmp_path / f"{name}.yaml"))
    assert again == cb


def test_json_user_codebook(tiny_codebook, tmp_path):
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny_codebook, ensure_ascii=False), encoding="utf-8")
    cb = load_codebook(path)
    assert cb.labels == ["A", "B"] and cb.source == str(path)
    assert RuleTagger(cb).predict(["买了苹果", "不得吃苹果", "没有水果"]) == ["A", "0", "0"]


def test_user_yaml_codebook(tiny_codebook, tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_codebook, allow_unicode=True), encoding="utf-8")
    assert RuleTagger(str(path)).predict(["一个梨"]) == ["B"]


def test_validate_labels():
    cb = load_codebook("governance-mode")
    assert cb.validate_labels(["GM1", "0"]) == ["GM1", "0"]
    with pytest.raises(ValueError, match=r"labels 'GM9', 'IS1' are not in codebook 'governance-mode'.*'GM5', '0'"):
        cb.validate_labels(["GM1", "GM9", "IS1"])
    with pytest.raises(TypeError, match=r"pass a list of labels"):
        cb.validate_labels("GM1")
    tools = load_codebook("policy-tools")
    tools.validate_labels([["supply.funding", "demand"], ["0"]])
    with pytest.raises(ValueError, match=r"'supply\.money'"):
        tools.validate_labels([["supply.money"]])


def test_unknown_name_lists_bundled():
    with pytest.raises(ValueError, match=r"unknown codebook 'governance'.*governance-mode.*policy-tools"):
        load_codebook("governance")
    with pytest.raises(FileNotFoundError, match=r"codebook file .*missing\.yaml does not exist"):
        load_codebook("missing.yaml")


def test_schema_errors_name_file_and_field(tiny_codebook, tmp_path):
    def write(data) -> Path:
        path = tmp_path / "bad.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path

    with pytest.raises(ValueError, match=r"bad\.yaml: required field 'labels' is missing"):
        load_codebook(write({**tiny_codebook, "labels": []}))
    dup = {**tiny_codebook, "labels": tiny_codebook["labels"] + [{"id": "A"}]}
    with pytest.raises(ValueError, match=r"bad\.yaml: field 'labels' has duplicate ids \['A'\]"):
        load_codebook(write(dup))
    with pytest.raises(ValueError, match=r"bad\.yaml: field 'version' must be a string"):
        load_codebook(write({**tiny_codebook, "version": 1.0}))
    with pytest.raises(ValueError, match=r"bad\.yaml: unknown fields \['lables'\]"):
        load_codebook(write({**tiny_codebook, "lables": []}))
    bad_label = {**tiny_codebook, "labels": [{"id": "A", "indicator": ["x"]}]}
    with pytest.raises(ValueError, match=r"bad\.yaml: labels\[0\]: unknown fields \['indicator'\]"):
        load_codebook(write(bad_label))
    bad_parent = {**tiny_codebook, "labels": [{"id": "A", "parent": "Z"}]}
    with pytest.raises(ValueError, match=r"bad\.yaml: label 'A' field 'parent' is 'Z'"):
        load_codebook(write(bad_parent))
    with pytest.raises(ValueError, match=r"field 'tie_break' names unknown labels \['C'\]"):
        Codebook.from_dict({**tiny_codebook, "tie_break": ["C", "A"]})
    with pytest.raises(ValueError, match=r"labels\[0\]: field 'indicators' has empty or non-string"):
        Codebook.from_dict({**tiny_codebook, "labels": [{"id": "A", "indicators": [12345]}]})
    with pytest.raises(ValueError, match=r"not a valid regular expression"):
        Codebook.from_dict({**tiny_codebook, "labels": [{"id": "A", "indicators": ["re:(unclosed"]}]})
    (tmp_path / "broken.yaml").write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.yaml is not valid YAML"):
        load_codebook(tmp_path / "broken.yaml")


def test_extend_and_with_label():
    cb = load_codebook("governance-mode")
    more = cb.extend(indicators={"GM5": ["民意速办"]}, negation_cues=["不宜"])
    assert "民意速办" in more.indicators["GM5"] and "民意速办" not in cb.indicators["GM5"]
    assert more.version == "0.2+local" and "不宜" in more.negation_cues
    assert RuleTagger(more).predict(["推行民意速办。"]) == ["GM5"]
    six = cb.with_label(Label(id="GM6", name_en="Test mode", indicators=("测试模式",)))
    assert six.labels[-1] == "GM6" and RuleTagger(six).predict(["采用测试模式"]) == ["GM6"]
    with pytest.raises(ValueError, match=r"label 'GM1' is already in codebook"):
        cb.with_label(id="GM1")
    with pytest.raises(KeyError, match=r"indicators names label 'GM7'"):
        cb.extend(indicators={"GM7": ["x"]})
    with pytest.raises(KeyError, match=r"label 'GM8' is not in codebook"):
        cb.label("GM8")


# --- the rule tagger -----------------------------------------------------------------------------------


@pytest.mark.parametrize("expected, text", _cases(GM_SENTENCES))
def test_governance_mode_sentences(expected, text):
    assert RuleTagger("governance-mode").predict([text]) == [expected]


@pytest.mark.parametrize("expected, text", _cases(IS_SENTENCES))
def test_innovation_stage_sentences(expected, text):
    assert RuleTagger("innovation-stage").predict([text]) == [expected]


@pytest.mark.parametrize("expected, text", _cases(PT_SENTENCES))
def test_policy_tool_sentences(expected, text):
    assert RuleTagger("policy-tools").predict([text]) == [[expected]]
    assert RuleTagger("policy-tools", multi_label=False).predict([text]) == [expected]


@pytest.mark.parametrize("name", ["governance-mode", "innovation-stage", "policy-tools"])
def test_codebook_examples_get_their_own_label(name):
    tagger = RuleTagger(name, multi_label=False).fit()
    for entry in tagger.codebook_.entries:
        if entry.examples:
            assert tagger.predict(list(entry.examples)) == [entry.id] * len(entry.examples), entry.id


def test_negation_voids_evidence_within_the_clause():
    gm = RuleTagger("governance-mode")
    assert gm.predict(["不得以委托运营方式转交数据。", "严禁由平台企业掌握数据。"]) == ["0", "0"]
    stage = RuleTagger("innovation-stage")
    assert stage.predict(["不再新建试点。", "不得延误，全国推广。"]) == ["0", "IS4"]
    row = stage.explain(["不再新建试点。"]).iloc[0]
    assert row["negated"] and row["evidence_for"] is None
    # A wider window reaches further back.
    far = "禁止在各个城市和地区试点"
    assert RuleTagger("innovation-stage", negation_window=2).predict([far]) == ["IS3"]
    assert RuleTagger("innovation-stage", negation_window=20).predict([far]) == ["0"]


def test_hedged_statements_point_to_the_agenda():
    text = ["鼓励探索建立长效机制。", "适时推广。"]
    assert RuleTagger("innovation-stage").predict(text) == ["IS1", "IS1"]
    assert RuleTagger("innovation-stage", hedge="count").predict(text) == ["IS5", "IS4"]
    assert RuleTagger("innovation-stage", hedge="drop").predict(text) == ["IS1", "0"]
    explained = RuleTagger("innovation-stage").explain(text[:1]).set_index("term")
    assert explained.loc["长效机制", "hedged"] and explained.loc["长效机制", "evidence_for"] == "IS1"
    # Hedging does not change the governance mode or the policy tool.
    assert RuleTagger("governance-mode").predict(["逐步实行管运分离。"]) == ["GM2"]


def test_boundary_rules_and_tie_breaks():
    gm, stage = RuleTagger("governance-mode"), RuleTagger("innovation-stage")
    # A brand named only as an access channel is not enterprise-led.
    assert gm.predict(["群众可通过微信、支付宝办理社保。"]) == ["0"]
    # An operating contractor moves the clause out of GM1; ties follow the decision procedure.
    assert gm.predict(["由大数据局牵头，实行委托运营。"]) == ["GM2"]
    assert gm.predict(["由办公厅牵头，行业协会参与。"]) == ["GM1"]
    # A later batch is diffusion, not a first pilot; S3 prefers the most advanced stage on a tie.
    assert stage.predict(["公布第二批试点城市。", "试点成果已固化。"]) == ["IS4", "IS5"]
    assert RuleTagger("innovation-stage", selection="precedence").predict(["提出构想并设想试点，制定条例。"]) == ["IS5"]


def test_predict_proba_and_tag_shapes():
    texts = pd.Series(["制定实施方案，开展试点。", "没有相关内容。", "总结经验做法，全面推广。"], index=["a", "b", "c"])
    tagger = RuleTagger("innovation-stage")
    proba = tagger.predict_proba(texts)
    assert list(proba.columns) == tagger.classes_ == ["IS1", "IS2", "IS3", "IS4", "IS5", "0"]
    assert list(proba.index) == ["a", "b", "c"]
    assert proba.sum(axis=1).round(9).eq(1).all() and proba.loc["b", "0"] == 1.0
    assert proba.loc["a", "IS2"] == proba.loc["a", "IS3"] == 0.5
    tagged = tagger.tag(texts)
    assert set(tagged["text_index"]) == {"a", "c"} and tagged["evidence_for"].notna().all()
    assert list(tagger.explain(texts).columns[:6]) == ["text_index", "label", "term", "match", "start", "end"]
    tools = RuleTagger("policy-tools")
    assert tools.predict(["安排专项资金，制定接口标准。", "无关"]) == [["supply.funding", "environment.standards"], ["0"]]
    assert "supply" not in tools.classes_ and tools.classes_[-1] == "0"
    assert tools.predict_proba(["安排专项资金，制定接口标准。"]).sum(axis=1).round(9).eq(1).all()


def test_refuses_bare_str_and_bad_items():
    tagger = RuleTagger("governance-mode")
    for method in (tagger.predict, tagger.predict_proba, tagger.explain, tagger.tag, tagger.fit):
        with pytest.raises(TypeError, match=r"pass a list of texts, e\.g\. \[text\]"):
            method("由政府牵头")
    with pytest.raises(TypeError, match=r"texts\[1\] is NoneType, not str"):
        tagger.predict(["由政府牵头", None])


def test_sklearn_contract():
    tagger = RuleTagger("innovation-stage", negation_window=3)
    assert tagger.get_params()["negation_window"] == 3 and not hasattr(tagger, "matcher_")
    twin = clone(tagger)
    assert twin.get_params() == tagger.get_params() and twin is not tagger
    assert twin.fit() is twin and twin.classes_[-1] == "0"
    assert clone(twin).set_params(hedge="drop").fit(["试点"], ["IS3"]).hedge == "drop"
    with pytest.raises(ValueError, match=r"labels 'IS9' are not in codebook 'innovation-stage'"):
        RuleTagger("innovation-stage").fit(["试点"], ["IS9"])
    with pytest.raises(ValueError, match=r"hedge must be one of \['codebook', 'count', 'drop'\], not 'maybe'"):
        RuleTagger("innovation-stage", hedge="maybe").fit()
    with pytest.raises(ValueError, match=r"negation_window must be a non-negative int"):
        RuleTagger("innovation-stage", negation_window=-1).fit()
    with pytest.raises(TypeError, match=r"codebook must be a bundled name"):
        RuleTagger(42).fit()


# --- on real texts -------------------------------------------------------------------------------------


@pytest.mark.shared
def test_rule_tagger_on_the_2016_government_work_report(shared_corpora):
    text = (shared_corpora / "policy" / "gwr-national" / "gwr_2016.txt").read_text(encoding="utf-8")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    assert len(paragraphs) > 50
    for name in list_codebooks():
        predicted = RuleTagger(name).predict(paragraphs)
        assert len(predicted) == len(paragraphs)
        flat = Counter(label for p in predicted for label in (p if isinstance(p, list) else [p]))
        assert sum(n for label, n in flat.items() if label != "0") >= 10, (name, flat)
        assert flat["0"] > 0, (name, flat)
