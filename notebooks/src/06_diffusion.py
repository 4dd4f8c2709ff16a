# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 06 · Diffusion: which wording travels between national and local texts
#
# Policy diffusion leaves traces in wording: a city report that copies a passage of a State Council guideline, a
# national text that takes up a phrase a province coined. `pt.text_reuse` finds passages two documents share even
# after local adaptation (各地区 → 本市, punctuation changed, about one character in ten edited), `pt.reuse_pairs`
# and `pt.diffusion_summary` say who reuses whom, how much and how soon, and `pt.policy_strength` scores each
# document on the 1–5 scale of Peng, Zhong & Sun (2008).
#
# The texts: the policy files of `policy-v2` (national laws, regulations, State Council and Party documents
# including 国发〔2022〕14号, the national Government Work Reports 2014–2022, provincial and municipal regulations and
# reports), the seven national texts of `national-2023-2025`, and the 2024 Government Work Reports of 127 cities
# (`city-gwr-2024`). The two collection files of `policy-v2` (all Government Work Reports since 1954 and 60 State
# Council documents of 2018–2019) are left out: they repeat the national reports and would count each twice.
#
# Each claim is stated, tested by a computation, and given a verdict built from the numbers with the rule written in
# the code: **supported**, **partly supported**, **contradicted**, or **not testable with these texts**.

# %%
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from scipy import stats

import policytext as pt

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 60)
FONT = pt.use_chinese_font()
print("policytext", pt.__version__, "| Chinese font:", FONT.get("font.family", ["none found"])[0])
VERDICTS = []


def record(claim, verdict, evidence):
    VERDICTS.append({"claim": claim, "verdict": verdict, "evidence": evidence})
    print(f"VERDICT [{claim}]: {verdict}\n  evidence: {evidence}")


# %% [markdown]
# ## The documents

# %%
frames = [pt.load_corpus(name).to_frame() for name in ("policy-v2", "national-2023-2025", "city-gwr-2024")]
docs = pd.concat(frames, ignore_index=True).drop_duplicates("doc_id")
docs = docs[~docs["doc_type"].astype(str).str.endswith("collection")].reset_index(drop=True)
PROVINCES = ("黑龙江", "内蒙古", "北京", "天津", "河北", "山西", "辽宁", "吉林", "上海", "江苏", "浙江", "安徽", "福建", "江西",
             "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃",
             "青海", "宁夏", "新疆")
docs["province"] = docs["region"].map(
    lambda r: next((p for p in PROVINCES if isinstance(r, str) and r.startswith(p)), pd.NA))
city_reports = docs[docs["doc_id"].str.startswith("city_gwr_2024")]
print(f"{len(docs)} documents, {docs['text'].str.len().sum():,} characters; {len(city_reports)} city reports of 2024")
display(docs.groupby(["level", "doc_type"]).size().rename("documents").to_frame())

# %% [markdown]
# ## Reused passages
# Default settings: passages of at least 50 characters, 5-character shingles, at least half of the aligned
# characters matching. Only documents of different levels are compared (`between="level"`): the questions here are
# about national ↔ local reuse, and the 127 city reports of one year share much wording with each other, which
# would triple the work. Formula clauses (法律责任, 自…起施行) are flagged in the `boilerplate` column and left out of
# the diffusion measures below.

# %%
reuse_all = pt.text_reuse(docs, between="level")
reuse = reuse_all[~reuse_all["boilerplate"]].reset_index(drop=True)
# Political formulae (the guiding-ideology sentence every document opens with) are reuse too, but they say nothing
# about a policy travelling; they are marked here and set aside where a claim is about policy content.
FORMULA = "习近平新时代中国特色社会主义思想|党的二十大|党的十九大|党中央、国务院决策部署"
reuse["formula"] = reuse["text_a"].str.contains(FORMULA)
pairs = pt.reuse_pairs(reuse, docs)
print(f"{len(reuse_all)} passages ({reuse_all['boilerplate'].sum()} formula clauses set aside) in {len(pairs)} "
      f"document pairs; median passage {int((reuse['end_b'] - reuse['start_b']).median())} characters, "
      f"median score {reuse['score'].median():.2f}")
display(pt.diffusion_summary(pairs, by="direction"))

# %% [markdown]
# ## National → local: which cities echo national language
# For each 2024 city report: the share of its characters covered by passages it shares with an earlier national
# text (overlapping passages counted once; sources dated 2024 or later are left out, since a city report of early
# 2024 cannot copy them).

# %%
national = docs.loc[docs["level"] == "national", ["doc_id", "title", "year", "doc_number"]]
earlier = national[pd.to_numeric(national["year"], errors="coerce") < 2024]
to_cities = reuse[reuse["doc_a"].isin(earlier["doc_id"]) & reuse["doc_b"].isin(city_reports["doc_id"])]
echo = pt.reuse_pairs(to_cities.assign(doc_a="national texts"),
                      pd.concat([docs, pd.DataFrame({"doc_id": ["national texts"], "text": [""]})]))
echo = (city_reports[["doc_id", "region", "province"]].merge(echo[["reuser", "chars", "share", "passages"]],
                                                              left_on="doc_id", right_on="reuser", how="left")
        .fillna({"chars": 0, "share": 0.0, "passages": 0}).drop(columns="reuser"))
echo["city"] = echo["region"].fillna(echo["doc_id"])
top = echo.sort_values("share", ascending=False).head(15)
display(top[["city", "passages", "chars", "share"]])

with matplotlib.rc_context(FONT):
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.barh(top["city"][::-1], top["share"][::-1] * 100, color="#4477aa")
    ax.set_xlabel("城市政府工作报告中与国家文件重合的字符比例（%）")
    ax.set_title("2024年城市政府工作报告对国家文件文字的复用（前15位）")
    fig.tight_layout()
    plt.show()

share_with_reuse = (echo["passages"] > 0).mean()
substantive = to_cities.loc[~to_cities["formula"], "doc_b"].nunique() / len(city_reports)
verdict = "supported" if share_with_reuse > 0.5 else ("partly supported" if share_with_reuse > 0.2 else "contradicted")
record("most 2024 city reports reuse passages of earlier national texts", verdict,
       f"{(echo['passages'] > 0).sum()} of {len(echo)} city reports ({share_with_reuse:.0%}) share at least one "
       f"passage of ≥50 characters with a national text ({substantive:.0%} counting only passages that are not "
       f"political formulae); median share of a report {echo['share'].median():.2%}, highest {top['city'].iloc[0]} "
       f"{top['share'].iloc[0]:.1%}: cities adapt national language rather than copy it (rule: supported above "
       "50 %, partly above 20 %)")

# %% [markdown]
# ## Which national texts and which passages travel

# %%
sources = (to_cities.groupby("doc_a").agg(cities=("doc_b", "nunique"), passages=("doc_b", "size"))
           .join(national.set_index("doc_id")[["title", "doc_number"]]).sort_values("cities", ascending=False))
display(sources.head(10))

guideline = national.loc[national["doc_number"] == "国发〔2022〕14号", "doc_id"]
from_guideline = to_cities[to_cities["doc_a"].isin(guideline)]
content = from_guideline[~from_guideline["formula"]]
# A passage "travels" when several cities reuse the same stretch of the source: group passages by the source
# characters they cover, in steps of 100 characters.
travelling = (from_guideline.assign(stretch=from_guideline["start_a"] // 100 * 100)
              .groupby("stretch").agg(cities=("doc_b", "nunique"), formula=("formula", "all"),
                                      example=("text_a", "first"))
              .sort_values("cities", ascending=False))
display(travelling.head(8))
n_guideline, n_content = from_guideline["doc_b"].nunique(), content["doc_b"].nunique()
verdict = ("supported" if n_content >= 0.1 * len(city_reports) else
           "partly supported: only its political formula travels" if n_guideline and not n_content else
           "partly supported" if n_content > 0 else "contradicted")
record("the State Council digital-government guideline (国发〔2022〕14号) travels into city reports", verdict,
       f"{n_guideline} of {len(city_reports)} city reports reuse {len(from_guideline)} passages of it, "
       f"{n_content} of them a passage that is not a political formula; the national text reused by most cities is "
       f"{sources['title'].iloc[0]} ({sources['cities'].iloc[0]} cities) (rule: supported if at least 10 % of the "
       "cities reuse its policy content, partly if any)")

# %% [markdown]
# ## Region and level
# Does echoing national language differ between provinces (cities grouped by province, provinces with at least
# three cities), and between provincial and municipal documents?

# %%
by_province = echo.dropna(subset=["province"]).groupby("province")["share"]
groups = {p: g.to_numpy() for p, g in by_province if len(g) >= 3}
h, p_value = stats.kruskal(*groups.values())
province_table = (pd.DataFrame({"cities": by_province.size(), "median_share": by_province.median()})
                  .loc[list(groups)].sort_values("median_share", ascending=False))
display(province_table)
verdict = "supported" if p_value < 0.05 else "contradicted (no difference detectable)"
record("how much cities echo national language differs by province", verdict,
       f"Kruskal–Wallis over {len(groups)} provinces with ≥3 cities: H = {h:.1f}, p = {p_value:.3f}; median shares "
       f"from {province_table['median_share'].min():.2%} to {province_table['median_share'].max():.2%} "
       "(rule: supported if p < 0.05)")

levels = pt.diffusion_summary(pairs[pairs["level_source"] == "national"], by="level_reuser")
display(levels)
provincial_shares = pairs.loc[(pairs["level_source"] == "national") & (pairs["level_reuser"] == "provincial"), "share"]
municipal_shares = pairs.loc[(pairs["level_source"] == "national") & (pairs["level_reuser"] == "municipal"), "share"]
u, p_level = stats.mannwhitneyu(provincial_shares, municipal_shares, alternative="greater")
verdict = "supported" if p_level < 0.05 else "not decided: no significant difference"
record("provincial documents take more of a national text than municipal ones", verdict,
       f"median share of the reusing document {provincial_shares.median():.2%} (provincial, {len(provincial_shares)} "
       f"pairs) vs {municipal_shares.median():.2%} (municipal, {len(municipal_shares)} pairs); one-sided "
       f"Mann–Whitney p = {p_level:.3f} (rule: supported if p < 0.05)")
with matplotlib.rc_context(FONT):
    fig, ax = plt.subplots(figsize=(6, 3.5))
    order = [lv for lv in ("provincial", "municipal") if lv in set(pairs["level_reuser"])]
    data = [pairs.loc[(pairs["level_source"] == "national") & (pairs["level_reuser"] == lv), "share"] * 100
            for lv in order]
    ax.boxplot(data, tick_labels=["省级文件" if lv == "provincial" else "市级文件" for lv in order])
    ax.set_yscale("log")
    ax.set_ylabel("与某一国家文件重合的字符比例（%，对数）")
    ax.set_title("国家 → 地方：按层级")
    fig.tight_layout()
    plt.show()

# %% [markdown]
# ## Local → national: do national texts take up local wording?
# The local innovations 最多跑一次 (Zhejiang 2016–2018), 一网通办 (Shanghai 2018) and the 12345 hotline (Jinan and
# others) are said to have been taken up nationally. Two tests: passages that a later national text shares with an
# earlier local one, and the year each term first appears in local and in national texts.

# %%
TERMS = ["最多跑一次", "一网通办", "12345"]
up = pairs[(pairs["level_source"].isin(["provincial", "municipal"])) & (pairs["level_reuser"] == "national")
           & pairs["dated"] & (pairs["lag_days"] > 0)]
up_passages = reuse.merge(up[["source", "reuser"]], left_on=["doc_a", "doc_b"], right_on=["source", "reuser"])
with_terms = up_passages[up_passages["text_b"].str.contains("|".join(TERMS))]
display(up.merge(docs[["doc_id", "title"]], left_on="reuser", right_on="doc_id")
        [["source", "title", "passages", "chars", "lag_years"]].head(10))
print(f"{len(up)} dated local → national pairs, {len(up_passages)} passages, {len(with_terms)} containing "
      f"{' / '.join(TERMS)}")

local_docs = docs[docs["level"].isin(["provincial", "municipal"])]
national_docs = docs[docs["level"] == "national"]
first = pd.DataFrame({"local": pt.first_appearance(local_docs, TERMS), "national": pt.first_appearance(national_docs, TERMS)})
display(first)
local_first = [t for t in TERMS if pd.notna(first.at[t, "local"]) and pd.notna(first.at[t, "national"])
               and first.at[t, "local"] < first.at[t, "national"]]
if len(with_terms):
    verdict = "supported: national texts reuse local passages with these terms"
elif local_first:
    verdict = ("partly supported: the terms appear locally first and are taken up nationally, but as terms, not as "
               "reused passages")
else:
    verdict = ("not supported by these texts (the local originals of 2016–2018, where these terms were coined, are "
               "mostly not in the corpus)")
record("national texts take up local wording (最多跑一次, 一网通办, 12345)", verdict,
       f"{len(with_terms)} reused passages local → national contain the terms; local first for {local_first or 'none'} "
       f"(first years local/national: "
       + "; ".join(f"{t} {first.at[t, 'local']}/{first.at[t, 'national']}" for t in TERMS) + ")")

# %% [markdown]
# ## Policy strength: do stronger national instruments travel further?
# Strength on the 1–5 scale from issuer and genre (laws 5, State Council regulations 4, State Council opinions and
# ministerial rules 3, ministerial opinions 2, notices and plans 1; reports are not on the scale). For the national
# texts with a strength: the number of later local documents that reuse them.

# %%
strength = pt.policy_strength(docs)
display(strength.groupby(["level", "strength"], dropna=False).size().unstack(fill_value=0))
reach = pairs[pairs["dated"] & (pairs["lag_days"] > 0)].groupby("source")["reuser"].nunique()
scored = strength[(strength["level"] == "national") & strength["strength"].notna()].set_index("doc_id")
scored = scored.assign(reusers=reach.reindex(scored.index).fillna(0))
display(scored[["title", "genre", "strength", "reusers"]].sort_values("reusers", ascending=False).head(10))
rho, p_rho = stats.spearmanr(scored["strength"].astype(float), scored["reusers"])
verdict = ("supported" if rho > 0 and p_rho < 0.05 else "contradicted" if rho < 0 and p_rho < 0.05
           else "not decided: no significant association")
record("stronger national instruments are reused by more later local documents", verdict,
       f"Spearman ρ = {rho:.2f} (p = {p_rho:.3f}) over {len(scored)} national texts with a strength "
       "(rule: supported if ρ > 0 with p < 0.05)")

trend = pt.term_trends(docs[docs["level"] == "national"], ["数据", "政务服务", "数字政府"], by="year", rate=True,
                       weight="strength")
print("strength-weighted uses per 10,000 strength-weighted characters, national texts with a strength:")
display(trend.round(1))

# %% [markdown]
# ## Verdicts

# %%
display(pd.DataFrame(VERDICTS))
