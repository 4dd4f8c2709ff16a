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
# # 02 · The 2014–2022 digital-government timeline
#
# Three views of the same nine years:
#
# 1. **Vocabulary** — term trajectories of the era's keywords in the Government Work Reports (GWR) and the
#    national/local policy set, with the year each term first appears.
# 2. **Topics** — an LDA topic model of the reports' paragraphs, topic shares by year with bootstrap intervals and
#    the headline national milestones of the package's timeline marked.
# 3. **Governance mode and innovation stage** — the shipped classifiers applied to paragraphs, shares by year and by
#    level (national vs local) with bootstrap intervals, next to the classifiers' figures with whole documents held
#    out and on a blind set of unseen documents.
#
# What the corpus cannot show: most State Council guidelines of the period (国发〔2015〕40号, 〔2015〕50号,
# 〔2016〕55号 ...) are not in the shared corpora; of the national digital-government guidelines only 国发〔2022〕14号
# (and the data-factor opinion 中发〔2022〕32号) are. National *policy documents* here are therefore mostly the work
# reports, laws, regulations and Party documents.

# %%
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import policytext as pt

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 40)
FONT = pt.use_chinese_font()  # matplotlib settings; used as `with matplotlib.rc_context(FONT):`
print("policytext", pt.__version__, "| Chinese font:", FONT.get("font.family", ["none found"])[0])
print("data home found:", (pt.data_home() / "metadata.csv").is_file())


# %%
# Resampling segments with replacement and counting labels is a multinomial draw with the observed shares, so
# the bootstrap is drawn directly from the multinomial: exact, and cheap for thousands of segments.
def bootstrap_shares(tags, by, labels, *, n_boot=2000, level=0.95, seed=0):
    """Share of segments with each label per value of `by`, with a percentile bootstrap interval over segments."""
    rng = np.random.default_rng(seed)
    rows = []
    for group, part in tags.groupby(by, sort=True):
        n = len(part)
        observed = np.array([(part["label"] == lab).mean() for lab in labels])
        boot = rng.multinomial(n, observed, size=n_boot) / n
        lower, upper = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2], axis=0)
        for j, lab in enumerate(labels):
            rows.append({by: group, "label": lab, "share": observed[j], "lower": lower[j], "upper": upper[j],
                         "n_segments": n})
    return pd.DataFrame(rows)


# %%
gwr = pt.load_corpus("gwr-2014-2022")
print(len(gwr.to_frame()), "work reports:", sorted(gwr.to_frame()["year"].tolist()))

# The 2014-2022 policy set: every single document of the "policy-v2" corpus dated 2014-2022. The collections (tables
# of many documents: the 1954-2025 work reports, Party congress reports, 60 State Council documents of 2018-19) are
# left out so that no report is counted twice and the 2018-19 table does not swamp those two years.
policy = pt.load_corpus("policy-v2")
frame = policy.to_frame()
keep = (~frame["doc_type"].str.endswith("_collection")) & frame["year"].between(2014, 2022).fillna(False)
policy_set = policy.filter(keep.to_numpy())
docs = policy_set.to_frame()
docs["scope"] = np.where(docs["level"] == "national", "national", "local")
print(docs.groupby(["year", "scope"]).size().unstack(fill_value=0).T)

# %% [markdown]
# ## 1. Vocabulary: term trajectories and first appearances
# Rates are occurrences per 10,000 characters. First appearance is given for the work reports and, separately, for
# national and local documents of the policy set; the bundled lexicon's year is the year the term is known to have
# entered policy use from outside sources.

# %%
TERMS = ["大数据", "互联网+", "云计算", "政务服务", "互联网+政务服务", "放管服", "一网通办", "最多跑一次",
         "数字经济", "数字中国", "数字政府", "数据要素", "跨省通办", "一网统管", "好差评", "人工智能"]
rates = pt.term_trends(gwr, TERMS, by="year", rate=True)
lexicon = pt.load_lexicon().drop_duplicates("term").set_index("term")["year"]
first = pd.DataFrame({
    "GWR": pt.first_appearance(gwr, TERMS),
    "national docs": pt.first_appearance(docs[docs["scope"] == "national"], TERMS),
    "local docs": pt.first_appearance(docs[docs["scope"] == "local"], TERMS),
    "lexicon year": lexicon.reindex(TERMS),
}).astype("Int64")
first

# %%
milestones = pt.load_milestones(tier=1)
with matplotlib.rc_context(FONT):
    fig, ax = plt.subplots(figsize=(11, 6))
    image = ax.imshow(rates.T.to_numpy(), aspect="auto", cmap="Blues")
    ax.set_xticks(range(len(rates.index)), rates.index)
    ax.set_yticks(range(len(TERMS)), TERMS)
    for i, term in enumerate(TERMS):  # mark each term's first year in the reports
        year = first.loc[term, "GWR"]
        if pd.notna(year):
            ax.text(list(rates.index).index(year), i, "●", ha="center", va="center", color="tab:red", fontsize=8)
    for _, m in milestones.iterrows():  # headline national documents, placed within their year
        x = m["when"].year - rates.index.min() + (m["when"].day_of_year - 1) / 365 - 0.5
        ax.axvline(x, color="grey", linestyle=":", linewidth=1)
        ax.text(x, -0.7, m["label_zh"], rotation=30, fontsize=7, ha="left", va="bottom", color="dimgrey")
    fig.colorbar(image, ax=ax, label="每万字出现次数 per 10,000 characters")
    ax.set_title("政府工作报告词汇轨迹（红点＝首次出现；虚线＝顶层文件）", pad=60)
    plt.show()

# %% [markdown]
# A few first mentions in context (the reports' own words, 12 characters either side):

# %%
rows = []
for term in ["大数据", "互联网+政务服务", "最多跑一次", "一网通办", "数据要素"]:
    hits = pt.kwic(gwr, term, window=12)
    hits = hits[hits["year"] == first.loc[term, "GWR"]].head(1)
    rows.append(hits[["year", "left", "keyword", "right"]])
pd.concat(rows, ignore_index=True)

# %%
# Which terms did the reports pick up first, and how many of the local/national terms appear locally first?
in_gwr = first["GWR"].dropna().sort_values()
local_first = [t for t in TERMS if pd.notna(first.loc[t, "local docs"]) and pd.notna(first.loc[t, "national docs"])
               and first.loc[t, "local docs"] < first.loc[t, "national docs"]]
print(f"{len(in_gwr)} of {len(TERMS)} terms appear in the 2014-2022 work reports; earliest: "
      f"{', '.join(f'{t} ({y})' for t, y in in_gwr.head(3).items())}; latest: "
      f"{', '.join(f'{t} ({y})' for t, y in in_gwr.tail(3).items())}.")
print(f"terms found in local documents before any national document of the set: {local_first or 'none'}")

# %% [markdown]
# ## 2. Topics over the years
# Paragraphs of at least 30 characters from the nine reports. K is chosen on a small grid (6, 8, 10 topics × two
# seeds) by coherence among the K whose topics are stable across seeds; tomotopy's Gibbs sampler keeps this fast and
# reproducible.

# %%
segments = gwr.segments("paragraph", min_chars=30)
tok = pt.Tokenizer(policy_stopwords=True)
print(len(segments), "paragraphs")
grid = pt.select_k(segments, ks=[6, 8, 10], seeds=[1, 2], backend="tomotopy", tokenizer=tok, min_df=3,
                   max_df=0.3, n_jobs=2)
print(grid.attrs["reason"])
fig = pt.plot_select_k(grid)
fig

# %%
K = int(grid.attrs["recommended_k"])
model = pt.TopicModel(k=K, seed=1, backend="tomotopy", tokenizer=tok, min_df=3, max_df=0.3).fit(segments)
top = model.top_terms(n=8, relevance=0.6)
top.groupby("topic")["term"].apply(" ".join).to_frame("top terms (relevance λ=0.6)")

# %%
shares = pt.topic_shares(model, segments, by="year", n_boot=1000)
fig = pt.plot_topic_shares(shares, milestones=milestones)
fig

# %%
wide = shares.pivot(index="topic", columns="year", values="share")
change = (wide[[2020, 2021, 2022]].mean(axis=1) - wide[[2014, 2015, 2016]].mean(axis=1)).sort_values()
labels = dict(zip(shares["topic"], shares["label"]))
print(f"largest rise 2014-16 -> 2020-22: {labels[change.index[-1]]} ({change.iloc[-1]:+.3f}); "
      f"largest fall: {labels[change.index[0]]} ({change.iloc[0]:+.3f})")

# %% [markdown]
# An interactive topic map (pyLDAvis) can be written next to the notebook; it is off by default because its HTML is
# large.

# %%
MAKE_LDAVIS = False
if MAKE_LDAVIS:
    model.export_ldavis(segments, "topics_gwr_2014_2022.html")

# %% [markdown]
# ## 3. Governance mode and innovation stage, with uncertainty
# The shipped classifiers were trained on the project's hand-coded paragraphs (codebook v0.2). How much to trust them
# is in their manifests, with whole documents held out of training: scope F1 (is a paragraph about a
# digital-government arrangement at all?), macro-F1 over the labels backed by at least five documents, and per-label
# F1 (none for a label from fewer than five documents); then the same model on a blind set of paragraphs from
# documents never used in training, against two independent coders.

# %%
MODELS = {"governance-mode": pt.load_model("governance-mode"), "innovation-stage": pt.load_model("innovation-stage")}
for name, clf in MODELS.items():
    g, blind = clf.manifest_["grouped_cross_validation"], clf.manifest_["blind_evaluation"]["plain"]
    per_label = {lab: (None if v["f1"] is None else round(v["f1"], 2)) for lab, v in g["per_label"].items()}
    print(f"{name}: documents held out ({g['folds']} folds, {len(g['split_seeds'])} splits, {clf.n_train_} segments): "
          f"scope F1 {g['scope_f1']:.2f}, in-scope macro-F1 {g['in_scope_macro_f1']:.2f}; per-label F1 {per_label}")
    print(f"  blind set ({blind['n']} paragraphs, {blind['n_docs']} unseen documents): "
          f"accuracy {blind['accuracy']:.2f} "
          f"vs the coders' agreement {blind['coder_agreement']:.2f}; scope F1 {blind['scope']['f1']:.2f}")

# %% [markdown]
# Every paragraph (≥ 30 characters) of the 2014–2022 policy set is tagged. First, how much of each kind of text the
# classifiers code at all (a label other than `0`, the not-applicable code). They were trained on digital-government
# paragraphs, so texts on other subjects may be coded rarely.

# %%
policy_segments = policy_set.segments("paragraph", min_chars=30)
policy_segments = policy_segments.merge(docs[["doc_id", "scope", "text"]].rename(columns={"text": "doc_text"}),
                                        on="doc_id")  # the models read each paragraph's document too
TAGS = {}
for name, clf in MODELS.items():
    tags = pt.tag_documents(clf, policy_segments, level="segment")
    TAGS[name] = tags.merge(policy_segments[["segment_id", "year", "scope", "doc_type"]], on="segment_id")
gm = TAGS["governance-mode"]
gm["group"] = np.where(gm["doc_type"] == "government_work_report", "work reports", "other documents")
coverage = gm.assign(coded=gm["label"] != "0").pivot_table(index="group", columns="year", values="coded",
                                                           aggfunc="mean")
print(coverage.round(2))
report_coded = int(((gm["group"] == "work reports") & (gm["label"] != "0")).sum())
print(f"work-report paragraphs coded: {report_coded} of {int((gm['group'] == 'work reports').sum())}; other "
      f"documents: {(gm.loc[gm['group'] == 'other documents', 'label'] != '0').mean():.0%} of their paragraphs")


# %% [markdown]
# So the by-year shares below pool every document of a year (work reports, laws, regulations, local reports), and
# the mix of documents changes from year to year — read them with the document counts in mind. Shares are among
# coded paragraphs, with 95% bootstrap intervals over paragraphs (paragraphs of one document are not independent, so
# the true uncertainty is wider). Years without coded paragraphs are left out.

# %%
def label_names(name):
    codebook = pt.load_codebook(name)
    return {lab: f"{lab} {codebook.label(lab).name_zh}" for lab in codebook.labels}

with matplotlib.rc_context(FONT):
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    for ax, name in zip(axes, MODELS):
        coded = TAGS[name][TAGS[name]["label"] != "0"]
        names = label_names(name)
        by_year = bootstrap_shares(coded, "year", list(names))
        for lab, part in by_year.groupby("label"):
            ax.plot(part["year"], part["share"], marker="o", markersize=3, label=names[lab])
            ax.fill_between(part["year"], part["lower"], part["upper"], alpha=0.15)
        counts = coded.groupby("year")["doc_id"].nunique()
        ax.set_xticks(counts.index, [f"{y}\n{n} docs" for y, n in counts.items()], fontsize=8)
        f1 = MODELS[name].manifest_["grouped_cross_validation"]["in_scope_macro_f1"]
        ax.set_title(f"{name}（2014–2022政策文本，macro-F1 {f1:.2f}，文档外推）", fontsize=10)
        ax.set_ylabel("share of coded paragraphs")
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    plt.show()

# %%
# Do the innovation-stage swings follow the mix of documents? Under codebook v0.1 regulations were coded IS5 almost
# by definition; v0.2 stages each innovation object (a regulation can codify one practice and create another), so
# the IS5 share need no longer track the share of regulations. The correlation below says how far it still does.
REGULATION = ["law", "administrative_regulation", "local_regulation", "departmental_rule"]
stage = TAGS["innovation-stage"]
per_year = stage[stage["label"] != "0"].groupby("year").agg(
    IS5=("label", lambda x: (x == "IS5").mean()), regulations=("doc_type", lambda x: x.isin(REGULATION).mean()))
r = per_year["IS5"].corr(per_year["regulations"])
print(per_year.round(2).T)
print(f"correlation across years between the IS5 share and the share of coded paragraphs from regulations: {r:.2f}")

# %%
with matplotlib.rc_context(FONT):
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    LEVEL_TABLES = {}
    for ax, name in zip(axes, MODELS):
        coded = TAGS[name][TAGS[name]["label"] != "0"]
        names = label_names(name)
        by_level = bootstrap_shares(coded, "scope", list(names))
        LEVEL_TABLES[name] = by_level
        width = 0.38
        for i, (scope, part) in enumerate(by_level.groupby("scope")):
            x = np.arange(len(part)) + (i - 0.5) * width
            ax.bar(x, part["share"], width, yerr=[part["share"] - part["lower"], part["upper"] - part["share"]],
                   capsize=2, label=f"{scope} (n={part['n_segments'].iloc[0]})")
        ax.set_xticks(np.arange(len(names)), list(names.values()), rotation=30, ha="right", fontsize=8)
        ax.set_title(f"{name}: national vs local", fontsize=10)
        ax.set_ylabel("share of coded paragraphs")
        ax.legend(fontsize=8)
    plt.show()

# %%
# Where national and local differ beyond the intervals (intervals that do not overlap).
for name, table in LEVEL_TABLES.items():
    wide = table.pivot(index="label", columns="scope", values=["share", "lower", "upper"])
    apart = wide[(wide[("lower", "local")] > wide[("upper", "national")])
                 | (wide[("lower", "national")] > wide[("upper", "local")])]
    parts = [f"{lab}: local {row[('share', 'local')]:.2f} vs national {row[('share', 'national')]:.2f}"
             for lab, row in apart.iterrows()]
    print(f"{name}: labels whose national and local 95% intervals do not overlap -> {'; '.join(parts) or 'none'}")

# %% [markdown]
# Reading these shares: a label with a low per-label F1 in its manifest (printed above) is often wrong, so its share
# says little; the intervals cover only the sampling of paragraphs, not classifier error.
