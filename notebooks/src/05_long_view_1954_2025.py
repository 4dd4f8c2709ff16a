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
# # 05 · The long view: Government Work Reports 1954–2025
#
# Where does the 2014–2022 digital turn sit in seven decades of work reports? The collection in the data home has
# every report from Wikisource (2020 is missing there and is taken from the 2014–2022 set; NPC resolutions that
# accompany some reports are left out).

# %%
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

import policytext as pt

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 40)
FONT = pt.use_chinese_font()  # matplotlib settings; used as `with matplotlib.rc_context(FONT):`
print("policytext", pt.__version__, "| Chinese font:", FONT.get("font.family", ["none found"])[0])
print("data home found:", (pt.data_home() / "metadata.csv").is_file())

# %%
policy = pt.load_corpus("policy")
frame = policy.to_frame()
collection = frame[(frame["doc_type"] == "government_work_report_collection") & frame["year"].notna()]
collection = collection[~collection["title"].str.contains("决议", na=False)]
gwr = pt.load_corpus("gwr-2014-2022").to_frame()
reports = pd.concat([collection, gwr[~gwr["year"].isin(collection["year"])]], ignore_index=True)
reports = reports.drop_duplicates("year").sort_values("year").reset_index(drop=True)
reports["year"] = reports["year"].astype(int)
missing = sorted(set(range(reports["year"].min(), reports["year"].max() + 1)) - set(reports["year"]))
print(f"{len(reports)} reports, {reports['year'].min()}-{reports['year'].max()}; years without a report: {missing}")

# %% [markdown]
# ## 1. Vocabulary of the eras
# A few markers of each period, per 10,000 characters, and the first report that uses each.

# %%
ERAS = {
    "planned economy": ["计划经济", "阶级斗争", "人民公社"],
    "reform": ["改革开放", "四个现代化", "市场经济"],
    "informatization": ["信息化", "电子政务", "互联网", "信息技术"],
    "digital turn": ["大数据", "互联网+", "政务服务", "云计算", "人工智能", "数字经济", "数字政府", "数据要素"],
}
TERMS = [t for terms in ERAS.values() for t in terms]
rates = pt.term_trends(reports, TERMS, by="year", rate=True)
first = pt.first_appearance(reports, TERMS)
first.astype("Int64").to_frame("first report")

# %%
decades = rates.groupby((rates.index // 10) * 10).mean()
# Each term scaled to its own peak decade, so that rare and common terms show their timing alike.
scaled = decades / decades.max()
with matplotlib.rc_context(FONT):
    fig, ax = plt.subplots(figsize=(11, 6))
    image = ax.imshow(scaled.T.to_numpy(), aspect="auto", cmap="Purples", vmin=0, vmax=1)
    ax.set_xticks(range(len(decades.index)), [f"{d}s" for d in decades.index])
    ax.set_yticks(range(len(TERMS)), [f"{t}（峰值 {decades[t].max():.1f}）" for t in TERMS])
    fig.colorbar(image, ax=ax, label="decade-mean rate / the term's peak decade")
    ax.set_title("七十年政府工作报告的时代词汇（各词按自身峰值归一；括号内为峰值，每万字）")
    plt.show()

# %% [markdown]
# ## 2. A digital-vocabulary index
# The summed rate of the informatization and digital-turn terms, year by year, with 2014–2022 shaded and the
# headline milestones of the package timeline marked.

# %%
DIGITAL = ERAS["informatization"] + ERAS["digital turn"]
index = rates[DIGITAL].sum(axis=1)
milestones = pt.load_milestones(tier=1)
with matplotlib.rc_context(FONT):
    fig, ax = plt.subplots(figsize=(11, 4))
    ax.plot(index.index, index.values, color="tab:blue")
    ax.axvspan(2014, 2022, color="tab:orange", alpha=0.15, label="2014–2022")
    for _, m in milestones.iterrows():
        ax.axvline(m["when"].year + (m["when"].day_of_year - 1) / 365, color="grey", linestyle=":", linewidth=0.8)
    ax.set_xlabel("年份 year")
    ax.set_ylabel("数字词汇 per 10,000 characters")
    ax.set_title("政府工作报告中的数字词汇指数 1954–2025")
    ax.legend()
    ax.grid(alpha=0.3)
    plt.show()

# %%
era = index.loc[2014:2022]
before = index.loc[:2013]
after = index.loc[2023:]
rank = index.rank(ascending=False)
top10 = index.sort_values(ascending=False).head(10)
print(f"mean digital index: before 2014 {before.mean():.2f}, 2014-2022 {era.mean():.2f}, 2023-2025 {after.mean():.2f}")
print(f"{int(top10.index.isin(range(2014, 2023)).sum())} of the 10 highest years fall in 2014-2022; "
      f"highest year overall: {int(index.idxmax())} ({index.max():.2f})")
new_terms = first[first.between(2014, 2022)].sort_values()
print(f"terms whose first report is in 2014-2022: {', '.join(f'{t} ({int(y)})' for t, y in new_terms.items())}")
