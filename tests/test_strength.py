"""Policy strength on the Peng, Zhong & Sun (2008) scale: one test per rung, local mapping, missing with a reason."""

from __future__ import annotations

import pandas as pd
import pytest

import policytext as pt


def _doc(title, issuer="", doc_number="", level="national", doc_type=""):
    return pd.DataFrame({"doc_id": ["d"], "title": [title], "issuer": [issuer], "doc_number": [doc_number],
                         "level": [level], "doc_type": [doc_type], "text": [""]})


def _strength(*args, **kwargs):
    return pt.policy_strength(_doc(*args, **kwargs)).iloc[0]


def test_rung_5_laws_of_the_npc():
    row = _strength("中华人民共和国数据安全法", "第十三届全国人民代表大会常务委员会第二十九次会议通过", doc_type="law")
    assert (row.strength, row.genre) == (5, "法")


def test_rung_4_state_council_regulations_and_ministerial_orders():
    assert _strength("优化营商环境条例", "国务院第66次常务会议通过", "国务院令第722号",
                     doc_type="administrative_regulation").strength == 4
    assert _strength("专利代理条例", "国务院", "国令第706号").strength == 4
    assert _strength("网络数据安全管理规定", "国家互联网信息办公室", "国家互联网信息办公室令第20号",
                     doc_type="departmental_rule").strength == 4


def test_rung_3_provisional_regulations_ministerial_rules_and_state_council_opinions():
    assert _strength("国务院关于印发个人所得税专项附加扣除暂行办法的通知", "国务院", "国发〔2018〕41号").genre == "暂行办法"
    assert _strength("某某暂行条例", "国务院", "国令第1号").strength == 3
    assert _strength("互联网信息服务算法推荐管理规定", "国家互联网信息办公室室务会议审议通过",
                     doc_type="departmental_rule").strength == 3
    assert _strength("国务院关于加强数字政府建设的指导意见", "国务院", "国发〔2022〕14号").strength == 3


def test_rung_2_ministerial_opinions_and_measures():
    row = _strength("国家发展改革委等部门关于促进数据产业高质量发展的指导意见", "国家发展改革委等部门", "发改数据〔2024〕1836号")
    assert (row.strength, row.genre) == (2, "指导意见")


def test_rung_1_notices_announcements_and_plans():
    assert _strength("国务院办公厅关于2019年部分节假日安排的通知", "国务院办公厅").strength == 1
    assert _strength("国务院办公厅关于印发《政府网站集约化试点工作方案》的通知", "国务院办公厅").genre == "方案"
    assert _strength("数字经济促进共同富裕实施方案", "国家发展改革委、国家数据局").strength == 1


def test_local_documents_follow_the_same_logic():
    assert _strength("浙江省数字经济促进条例", "浙江省人民代表大会常务委员会", level="provincial").strength == 4
    assert _strength("济南市12345市民服务热线条例", "济南市人民代表大会常务委员会", level="municipal").strength == 3
    assert _strength("广东省公共数据管理办法", "广东省人民政府", "广东省人民政府令第290号", level="provincial",
                     doc_type="local_government_rule").strength == 3
    assert _strength("中山市政务数据管理办法", "中山市人民政府", "中山市人民政府令第1号", level="municipal",
                     doc_type="local_government_rule").strength == 2
    assert _strength("关于推进北京市数据专区建设的指导意见", "北京市经济和信息化局", level="provincial").strength == 2


def test_unknown_issuer_or_genre_is_missing_with_a_reason():
    report = _strength("2024年政府工作报告", "某市人民政府", level="municipal")
    assert pd.isna(report.strength) and "not on the scale" in report.reason and report.rule == ""
    assert "level unknown" in _strength("某某条例", "国务院", level=None).reason
    assert "title unknown" in pt.policy_strength(_doc(None)).iloc[0].reason


def test_the_mapping_is_data_you_can_edit(tmp_path):
    mapping = pt.load_strength_mapping()
    assert set(mapping["rung"]) == {1, 2, 3, 4, 5} and mapping["rule"].str.len().min() > 0
    edited = pd.concat([pd.DataFrame([{"rung": "2", "level": "municipal", "issuer": "", "genre": "^报告$",
                                       "doc_type": "", "rule": "work report (my choice)"}]),
                        mapping.astype(str)], ignore_index=True)
    path = tmp_path / "strength.csv"
    edited.to_csv(path, index=False)
    row = pt.policy_strength(_doc("2024年政府工作报告", "某市人民政府", level="municipal"), mapping=path).iloc[0]
    assert (row.strength, row.rule) == (2, "work report (my choice)")


def test_bad_mappings_and_inputs_are_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="strength mapping .*nope.csv does not exist"):
        pt.load_strength_mapping(tmp_path / "nope.csv")
    bad = pt.load_strength_mapping().astype(str)
    bad.loc[0, "rung"] = "6"
    with pytest.raises(ValueError, match="rung '6' .* is not one of 1–5"):
        pt.policy_strength(_doc("某法"), mapping=bad)
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['rule'\]"):
        pt.policy_strength(_doc("某法"), mapping=bad.drop(columns="rule"))
    bad.loc[0, "rung"], bad.loc[0, "genre"] = "5", "(("
    with pytest.raises(ValueError, match="genre pattern '\\(\\(' .* is not a valid regular expression"):
        pt.policy_strength(_doc("某法"), mapping=bad)
    with pytest.raises(TypeError, match="not a single str"):
        pt.policy_strength("国务院关于加强数字政府建设的指导意见")


@pytest.mark.shared
def test_every_national_law_regulation_and_state_council_document_is_scored(shared_corpora):
    frames = [pt.load_corpus(name).filter(level="national").to_frame() for name in ("policy-v2", "national-2023-2025")]
    docs = pd.concat(frames, ignore_index=True)
    scores = pt.policy_strength(docs).set_index("doc_id")
    is_sc = (docs["title"].fillna("").str.extract(r"^(.*?)关于", expand=False).fillna("").str.contains("国务院")
             | docs["issuer"].fillna("").str.contains("国务院"))
    core = docs[docs["doc_type"].isin(["law", "administrative_regulation", "departmental_rule"])
                | (is_sc & ~docs["doc_type"].str.contains("report", na=False))]
    assert len(core) >= 60
    missing = scores.loc[core["doc_id"]].query("strength.isna()", engine="python")
    assert missing.empty, missing[["title", "reason"]]
    laws = docs.loc[docs["doc_type"] == "law", "doc_id"]
    assert (scores.loc[laws, "strength"] == 5).all() and len(laws) >= 5
    regs = docs.loc[docs["doc_type"] == "administrative_regulation", "doc_id"]
    assert (scores.loc[regs, "strength"] == 4).all()
    assert scores.loc[docs.loc[docs["doc_number"] == "国发〔2022〕14号", "doc_id"], "strength"].tolist() == [3]
    # A Party plenum's proposal is not on the scale: missing, with the reason.
    proposal = scores[scores["genre"] == "建议"]
    assert len(proposal) and proposal["strength"].isna().all() and proposal["reason"].str.contains("建议").all()


def test_term_trends_weighted_by_strength():
    docs = pd.DataFrame({"doc_id": ["law", "notice", "report"], "year": [2021, 2021, 2022],
                         "title": ["中华人民共和国数据安全法", "国务院办公厅关于数据工作的通知", "政府工作报告"],
                         "issuer": ["全国人民代表大会常务委员会", "国务院办公厅", "国务院"], "level": ["national"] * 3,
                         "doc_type": ["law", "", ""], "text": ["数据，数据", "数据", "数据数据数据"]})
    plain = pt.term_trends(docs, ["数据"])
    weighted = pt.term_trends(docs, ["数据"], weight="strength")
    assert plain["数据"].tolist() == [3, 3]
    assert weighted["数据"].tolist() == [5 * 2 + 1 * 1]  # the report has no strength and is left out
    assert weighted.attrs["unweighted"] == ["report"]
    rate = pt.term_trends(docs, ["数据"], weight="strength", rate=True, per=1)
    assert rate["数据"].iloc[0] == pytest.approx(11 / (5 * 5 + 1 * 2))
    docs["w"] = [1, 0, 2]
    assert pt.term_trends(docs, ["数据"], weight="w")["数据"].tolist() == [2, 6]
    with pytest.raises(KeyError, match="weight='nope' is neither 'strength' nor a column"):
        pt.term_trends(docs, ["数据"], weight="nope")


def test_label_shares_weighted_by_strength():
    frame = pd.DataFrame({"year": [2020, 2020, 2020, 2021], "GM1": [1.0, 0.0, 0.0, 1.0], "strength": [5, 1, 4, None]})
    plain = pt.bootstrap_means(frame, ["GM1"], "year", n_boot=200)
    weighted = pt.bootstrap_means(frame, ["GM1"], "year", n_boot=200, weight="strength")
    assert plain["share"].tolist() == [pytest.approx(1 / 3), 1.0]
    assert weighted["share"].tolist() == [pytest.approx(5 / 10)] and weighted["n"].tolist() == [3]
    assert weighted["lower"].iloc[0] <= 0.5 <= weighted["upper"].iloc[0]
    with pytest.raises(KeyError, match="weight='w' is not a column"):
        pt.bootstrap_means(frame, ["GM1"], "year", weight="w")
    with pytest.raises(ValueError, match="has negative values"):
        pt.bootstrap_means(frame.assign(strength=-1), ["GM1"], "year", weight="strength")
