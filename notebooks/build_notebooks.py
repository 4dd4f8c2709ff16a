"""Write the policytext notebooks from the cells below and run them, saving their outputs.

The notebooks are generated so that they stay reviewable: every cell is a Python string in this file, and the
.ipynb files are rebuilt from it. Run from anywhere (the kernel starts in this folder)::

    POLICYTEXT_DATA=../shared/corpora python notebooks/build_notebooks.py            # build and execute all
    python notebooks/build_notebooks.py --only 01_quickstart --no-execute              # just write one

Needs nbformat, nbclient and ipykernel (the ``notebooks`` extra); the kernel is ``python3`` from ipykernel, i.e.
the Python running this script. Notebooks find texts only through the data home (``POLICYTEXT_DATA``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KERNEL = "python3"
CELL_TIMEOUT = 600

# --------------------------------------------------------------------------------------------------------------
# Cells shared by several notebooks
# --------------------------------------------------------------------------------------------------------------

SETUP = r'''
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import policytext as pt
import policytext.plots  # the one place the Chinese font is configured: pt.plots.use_chinese_font()

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 40)
FONT = pt.plots.use_chinese_font()  # matplotlib settings; used as `with matplotlib.rc_context(FONT):`
print("policytext", pt.__version__, "| Chinese font:", FONT.get("font.family", ["none found"])[0])
print("data home found:", (pt.data_home() / "metadata.csv").is_file())
'''

# Resampling segments with replacement and counting labels is a multinomial draw with the observed shares, so
# the bootstrap is drawn directly from the multinomial: exact, and cheap for thousands of segments.
BOOTSTRAP = r'''
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


def bootstrap_difference(early, late, labels, *, cluster=None, n_boot=2000, level=0.95, seed=0):
    """Late minus early share of segments whose label is in `labels`, with a bootstrap interval.

    cluster=None resamples segments; cluster="doc_id" resamples whole documents, which is the honest choice when
    paragraphs of one document are not independent of each other (and gives wider intervals).
    """
    rng = np.random.default_rng(seed)

    def draws(part):
        hit = part["label"].isin(labels)
        if cluster is None:
            return rng.binomial(len(part), hit.mean(), n_boot) / len(part)
        per_doc = hit.groupby(part[cluster]).agg(["sum", "size"]).to_numpy()
        totals = per_doc[rng.integers(0, len(per_doc), (n_boot, len(per_doc)))].sum(axis=1)
        return totals[:, 0] / totals[:, 1]

    p_early, p_late = early["label"].isin(labels).mean(), late["label"].isin(labels).mean()
    lower, upper = np.quantile(draws(late) - draws(early), [(1 - level) / 2, (1 + level) / 2])
    return {"early": p_early, "late": p_late, "difference": p_late - p_early, "lower": lower, "upper": upper,
            "n_early": len(early), "n_late": len(late),
            "docs_early": early["doc_id"].nunique(), "docs_late": late["doc_id"].nunique()}
'''

POLICY_SET = r'''
# The 2014-2022 policy set: every single document of the "policy" corpus dated 2014-2022. The collections (tables
# of many documents: the 1954-2025 work reports, Party congress reports, 60 State Council documents of 2018-19) are
# left out so that no report is counted twice and the 2018-19 table does not swamp those two years.
policy = pt.load_corpus("policy")
frame = policy.to_frame()
keep = (~frame["doc_type"].str.endswith("_collection")) & frame["year"].between(2014, 2022).fillna(False)
policy_set = policy.filter(keep.to_numpy())
docs = policy_set.to_frame()
docs["scope"] = np.where(docs["level"] == "national", "national", "local")
print(docs.groupby(["year", "scope"]).size().unstack(fill_value=0).T)
'''

# --------------------------------------------------------------------------------------------------------------
# 01 quickstart
# --------------------------------------------------------------------------------------------------------------

def quickstart() -> list[tuple[str, str]]:
    return [
        ("md", r'''
# 01 · Quickstart: from a folder of policy texts to a figure

The shortest path through policytext: check the install, read a folder of documents with their metadata, clean,
tokenize, count terms by year, look at a term in context, draw one figure. The folder is the State Council
Government Work Reports 2014–2022 in the data home (`POLICYTEXT_DATA`); any folder of `.txt`, `.html`, `.docx` or
`.pdf` files with an optional `metadata.csv` works the same way.
'''),
        ("code", SETUP),
        ("md", "## 1. Install check\nThe registered corpora and whether their files in the data home match the "
               "checksums of their manifests."),
        ("code", r'''
print(pt.registered_corpora())
check = pt.verify_corpus("gwr-2014-2022")
print(check["status"].value_counts().to_dict())
'''),
        ("md", "## 2. Read a folder\n`read_corpus` takes a folder, file, table, list of paths or DataFrame. "
               "Metadata comes from a `metadata.csv` beside or above the files; what it leaves empty is inferred "
               "from file names and texts. Nothing is dropped silently: unreadable inputs are listed in `skipped`."),
        ("code", r'''
folder = pt.data_home() / "policy" / "gwr-national"
corpus = pt.read_corpus(folder)
table = corpus.to_frame()
print(len(table), "documents; skipped:", corpus.skipped)
table[["doc_id", "year", "title", "level", "doc_type"]]
'''),
        ("md", "## 3. Clean\nCleaning is on by default (`clean=True`): Unicode normalisation that keeps Chinese "
               "punctuation, web boilerplate lines removed, words broken across lines rejoined. Each step is a "
               "small `str -> str` function; here on a made-up snippet, then what it changed in the corpus."),
        ("code", r'''
snippet = "ＡＩ赋能政务服务 被引量:3\n下载PDF\n各地要推进政务服务一网通\n办。"
print(repr(pt.clean_text(snippet)))

raw = pt.read_corpus(folder, clean=False).to_frame().set_index("doc_id")["text"].str.len()
cleaned = table.set_index("doc_id")["text"].str.len()
print("characters removed by cleaning, per report:", (raw - cleaned).to_dict())
'''),
        ("md", "## 4. Tokenize\nEach `Tokenizer` owns its segmenter and keeps the digital-government lexicon "
               "whole (互联网+政务服务, 一网通办 ...). `policy_stopwords=True` also drops policy boilerplate words."),
        ("code", r'''
tok = pt.Tokenizer(policy_stopwords=True)
print(tok.tokenize("深化“放管服”改革，推进“互联网+政务服务”，实现政务服务一网通办"))

dtm = pt.document_term_matrix(corpus, tokenizer=tok, min_df=2)
print("document-term matrix:", dtm.shape)
dtm.term_frequencies().head(12)
'''),
        ("md", "## 5. Term trends\nOccurrences per 10,000 characters by year (substring counts, so a term is "
               "found however a tokenizer would cut it), and the first year each term appears."),
        ("code", r'''
terms = ["大数据", "互联网+", "政务服务", "放管服", "一网通办", "数字经济", "数字政府", "数据要素"]
trends = pt.term_trends(corpus, terms, by="year", rate=True)
first = pt.first_appearance(corpus, terms)
print(trends.round(2))
print("first appearance:", first.to_dict())
'''),
        ("md", "## 6. Keyword in context"),
        ("code", r'''
pt.kwic(corpus, "一网通办", window=12)[["year", "left", "keyword", "right"]].head(5)
'''),
        ("md", "## 7. One figure\nThe font settings come from `pt.plots.use_chinese_font()`, applied in an "
               "`rc_context` so matplotlib's global settings stay untouched."),
        ("code", r'''
with matplotlib.rc_context(FONT):
    fig, ax = plt.subplots(figsize=(8, 4))
    for term in ["大数据", "互联网+", "政务服务", "数字经济"]:
        ax.plot(trends.index, trends[term], marker="o", label=term)
    ax.set_xlabel("年份 year")
    ax.set_ylabel("每万字出现次数 per 10,000 characters")
    ax.set_title("政府工作报告中的数字政府词汇 2014–2022")
    ax.legend()
    ax.grid(alpha=0.3)
    plt.show()

peak = {term: int(trends[term].idxmax()) for term in ["大数据", "互联网+", "政务服务", "数字经济"]}
print("year of the highest rate per term:", peak)
'''),
    ]


# --------------------------------------------------------------------------------------------------------------
# 02 policy timeline 2014-2022
# --------------------------------------------------------------------------------------------------------------

def timeline() -> list[tuple[str, str]]:
    return [
        ("md", r'''
# 02 · The 2014–2022 digital-government timeline

Three views of the same nine years:

1. **Vocabulary** — term trajectories of the era's keywords in the Government Work Reports (GWR) and the
   national/local policy set, with the year each term first appears.
2. **Topics** — an LDA topic model of the reports' paragraphs, topic shares by year with bootstrap intervals and
   the headline national milestones of the package's timeline marked.
3. **Governance mode and innovation stage** — the shipped classifiers applied to paragraphs, shares by year and by
   level (national vs local) with bootstrap intervals, next to the classifiers' cross-validated scores.

What the corpus cannot show: the State Council guidelines of the period (国发〔2015〕40号, 〔2015〕50号,
〔2016〕55号, 〔2022〕14号 ...) are not in the shared corpora, so national *policy documents* here are mostly the
work reports, laws, regulations and Party documents.
'''),
        ("code", SETUP),
        ("code", BOOTSTRAP),
        ("code", r'''
gwr = pt.load_corpus("gwr-2014-2022")
print(len(gwr.to_frame()), "work reports:", sorted(gwr.to_frame()["year"].tolist()))
''' + POLICY_SET),
        ("md", "## 1. Vocabulary: term trajectories and first appearances\nRates are occurrences per 10,000 "
               "characters. First appearance is given for the work reports and, separately, for national and "
               "local documents of the policy set; the bundled lexicon's year is the year the term is known to "
               "have entered policy use from outside sources."),
        ("code", r'''
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
'''),
        ("code", r'''
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
'''),
        ("md", "A few first mentions in context (the reports' own words, 12 characters either side):"),
        ("code", r'''
rows = []
for term in ["大数据", "互联网+政务服务", "最多跑一次", "一网通办", "数据要素"]:
    hits = pt.kwic(gwr, term, window=12)
    hits = hits[hits["year"] == first.loc[term, "GWR"]].head(1)
    rows.append(hits[["year", "left", "keyword", "right"]])
pd.concat(rows, ignore_index=True)
'''),
        ("code", r'''
# Which terms did the reports pick up first, and how many of the local/national terms appear locally first?
in_gwr = first["GWR"].dropna().sort_values()
local_first = [t for t in TERMS if pd.notna(first.loc[t, "local docs"]) and pd.notna(first.loc[t, "national docs"])
               and first.loc[t, "local docs"] < first.loc[t, "national docs"]]
print(f"{len(in_gwr)} of {len(TERMS)} terms appear in the 2014-2022 work reports; earliest: "
      f"{', '.join(f'{t} ({y})' for t, y in in_gwr.head(3).items())}; latest: "
      f"{', '.join(f'{t} ({y})' for t, y in in_gwr.tail(3).items())}.")
print(f"terms found in local documents before any national document of the set: {local_first or 'none'}")
'''),
        ("md", "## 2. Topics over the years\nParagraphs of at least 30 characters from the nine reports. K is "
               "chosen on a small grid (6, 8, 10 topics × two seeds) by coherence among the K whose topics are "
               "stable across seeds; tomotopy's Gibbs sampler keeps this fast and reproducible."),
        ("code", r'''
segments = gwr.segments("paragraph", min_chars=30)
tok = pt.Tokenizer(policy_stopwords=True)
print(len(segments), "paragraphs")
grid = pt.select_k(segments, ks=[6, 8, 10], seeds=[1, 2], backend="tomotopy", tokenizer=tok, min_df=3,
                   max_df=0.3, n_jobs=2)
print(grid.attrs["reason"])
fig = pt.plots.plot_select_k(grid)
fig
'''),
        ("code", r'''
K = int(grid.attrs["recommended_k"])
model = pt.TopicModel(k=K, seed=1, backend="tomotopy", tokenizer=tok, min_df=3, max_df=0.3).fit(segments)
top = model.top_terms(n=8, relevance=0.6)
top.groupby("topic")["term"].apply(" ".join).to_frame("top terms (relevance λ=0.6)")
'''),
        ("code", r'''
shares = pt.topic_shares(model, segments, by="year", n_boot=1000)
fig = pt.plots.plot_topic_shares(shares, milestones=milestones)
fig
'''),
        ("code", r'''
wide = shares.pivot(index="topic", columns="year", values="share")
change = (wide[[2020, 2021, 2022]].mean(axis=1) - wide[[2014, 2015, 2016]].mean(axis=1)).sort_values()
labels = dict(zip(shares["topic"], shares["label"]))
print(f"largest rise 2014-16 -> 2020-22: {labels[change.index[-1]]} ({change.iloc[-1]:+.3f}); "
      f"largest fall: {labels[change.index[0]]} ({change.iloc[0]:+.3f})")
'''),
        ("md", "An interactive topic map (pyLDAvis) can be written next to the notebook; it is off by default "
               "because its HTML is large."),
        ("code", r'''
MAKE_LDAVIS = False
if MAKE_LDAVIS:
    model.export_ldavis(segments, "topics_gwr_2014_2022.html")
'''),
        ("md", "## 3. Governance mode and innovation stage, with uncertainty\nThe shipped classifiers were "
               "trained on the project's hand-coded paragraphs. How much to trust them is in their manifests: "
               "the cross-validated macro-F1 and the per-label F1. The second figure holds whole documents out "
               "of training, which is closer to tagging documents the model has never seen."),
        ("code", r'''
MODELS = {"governance-mode": pt.load_model("governance-mode"), "innovation-stage": pt.load_model("innovation-stage")}
for name, clf in MODELS.items():
    cv = clf.manifest_["metrics"]["cross_validation"]
    per_label = {lab: round(v["f1"], 2) for lab, v in cv["per_label"].items()}
    grouped = clf.manifest_.get("grouped_cross_validation", {}).get("macro_f1", float("nan"))
    print(f"{name}: {cv['folds']}-fold CV on {cv['n']} segments, macro-F1 {cv['macro_f1']:.2f} "
          f"(documents held out: {grouped:.2f}; majority baseline {cv['baselines']['majority']['macro_f1']:.2f}); "
          f"per-label F1 {per_label}")
'''),
        ("md", "Every paragraph (≥ 30 characters) of the 2014–2022 policy set is tagged. First, how much of each "
               "kind of text the classifiers code at all (a label other than `0`, the not-applicable code). They "
               "were trained on digital-government paragraphs, so texts on other subjects may be coded rarely."),
        ("code", r'''
policy_segments = policy_set.segments("paragraph", min_chars=30)
policy_segments = policy_segments.merge(docs[["doc_id", "scope"]], on="doc_id")
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
'''),
        ("md", "So the by-year shares below pool every document of a year (work reports, laws, regulations, "
               "local reports), and the mix of documents changes from year to year — read them with the document "
               "counts in mind. Shares are among coded paragraphs, with 95% bootstrap intervals over paragraphs "
               "(paragraphs of one document are not independent, so the true uncertainty is wider). Years without "
               "coded paragraphs are left out."),
        ("code", r'''
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
        f1 = MODELS[name].manifest_["metrics"]["cross_validation"]["macro_f1"]
        ax.set_title(f"{name}（2014–2022政策文本，CV macro-F1 {f1:.2f}）", fontsize=10)
        ax.set_ylabel("share of coded paragraphs")
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    plt.show()
'''),
        ("code", r'''
# The innovation-stage swings follow the mix of documents: regulations are coded IS5 (institutionalisation).
REGULATION = ["law", "administrative_regulation", "local_regulation", "departmental_rule"]
stage = TAGS["innovation-stage"]
per_year = stage[stage["label"] != "0"].groupby("year").agg(
    IS5=("label", lambda x: (x == "IS5").mean()), regulations=("doc_type", lambda x: x.isin(REGULATION).mean()))
r = per_year["IS5"].corr(per_year["regulations"])
print(per_year.round(2).T)
print(f"correlation across years between the IS5 share and the share of coded paragraphs from regulations: {r:.2f}")
'''),
        ("code", r'''
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
'''),
        ("code", r'''
# Where national and local differ beyond the intervals (intervals that do not overlap).
for name, table in LEVEL_TABLES.items():
    wide = table.pivot(index="label", columns="scope", values=["share", "lower", "upper"])
    apart = wide[(wide[("lower", "local")] > wide[("upper", "national")])
                 | (wide[("lower", "national")] > wide[("upper", "local")])]
    parts = [f"{lab}: local {row[('share', 'local')]:.2f} vs national {row[('share', 'national')]:.2f}"
             for lab, row in apart.iterrows()]
    print(f"{name}: labels whose national and local 95% intervals do not overlap -> {'; '.join(parts) or 'none'}")
'''),
        ("md", "Reading these shares: a label with a low per-label F1 in its manifest (printed above) is often "
               "wrong, so its share says little; the intervals cover only the sampling of paragraphs, not "
               "classifier error."),
    ]


# --------------------------------------------------------------------------------------------------------------
# 03 case findings
# --------------------------------------------------------------------------------------------------------------

def case_findings() -> list[tuple[str, str]]:
    return [
        ("md", r'''
# 03 · The case papers' claims against the corpus

The five seed papers in `case-papers` (see its manifest) make claims about China's digital government that can
be set against the texts. Each claim below is stated in our own words with the paper it comes from, then a cell
computes the evidence and prints a verdict built from the numbers, with the rule for the verdict written in the
code: **supported**, **partly supported**, **contradicted**, or **not testable with these texts**.

Two limits apply throughout. The national guidelines of the period are not in the corpus (see the corpora
README), so "national" mostly means the Government Work Reports (GWR), laws, regulations and Party documents. The
classifiers are imperfect (their cross-validated macro-F1 is printed where they are used).
'''),
        ("code", SETUP),
        ("code", BOOTSTRAP),
        ("md", "## The case papers as a corpus\nThe papers are scraped web pages: site boilerplate, repeated "
               "title blocks, hyphenated line breaks, Chinese and English abstracts side by side. Cleaning and "
               "`split_bilingual` turn them into usable text."),
        ("code", r'''
papers_raw = pt.load_corpus("case-papers", clean=False).to_frame().set_index("doc_id")
papers = pt.load_corpus("case-papers").to_frame().set_index("doc_id")
parts = papers["text"].map(pt.split_bilingual)
overview = pd.DataFrame({
    "year": papers["year"],
    "authors": papers["issuer"].str.slice(0, 24),
    "raw chars": papers_raw["text"].str.len(),
    "clean chars": papers["text"].str.len(),
    "zh chars": parts.map(lambda p: len(p["zh"])),
    "en chars": parts.map(lambda p: len(p["en"])),
})


def cite(prefix):
    """Authors (year), title of a seed paper, from the corpus metadata (the case-papers manifest)."""
    row = papers.loc[[i for i in papers.index if i.startswith(prefix)][0]]
    return f"{row['issuer']} ({row['year']}), {row['title'].split(' / ')[0]}"


overview
'''),
        ("code", r'''
# What the papers themselves say, in short context windows of their cleaned text.
zh_papers = pd.DataFrame({"doc_id": parts.index, "text": parts.map(lambda p: p["zh"]).values})
en_papers = pd.DataFrame({"doc_id": parts.index, "text": parts.map(lambda p: p["en"]).values})
hits = pd.concat([
    pt.kwic(zh_papers, "2014", window=14).head(1),
    pt.kwic(zh_papers, "生产要素", window=14).head(1),
    pt.kwic(en_papers, "command-oriented", window=30).head(1),
    pt.kwic(zh_papers, "政民互动", window=14).head(1),
    pt.kwic(zh_papers, "网络式平台", window=14).head(1),
], ignore_index=True)
hits[["doc_id", "left", "keyword", "right"]]
'''),
        ("md", "## Shared material for the tests\nThe 2014–2022 work reports, the 1954–2025 report collection "
               "(for what came before and after), the 2014–2022 policy set, and the classifiers' paragraph tags."),
        ("code", r'''
gwr = pt.load_corpus("gwr-2014-2022")
gwr_docs = gwr.to_frame()
''' + POLICY_SET + r'''
collection = frame[frame["doc_type"] == "government_work_report_collection"]
collection = collection[collection["year"].notna() & ~collection["title"].str.contains("决议", na=False)]
long_gwr = pd.concat([collection, gwr_docs[~gwr_docs["year"].isin(collection["year"])]], ignore_index=True)
print("work reports 1954-2025:", len(long_gwr), "years", int(long_gwr["year"].min()), "-", int(long_gwr["year"].max()))

REGULATION = ["law", "administrative_regulation", "local_regulation", "departmental_rule"]
VERDICTS = []


def record(claim, paper, verdict, evidence):
    VERDICTS.append({"claim": claim, "paper": paper, "verdict": verdict, "evidence": evidence})
    print(f"VERDICT [{claim}]: {verdict}\n  evidence: {evidence}")
'''),
        ("code", r'''
MODELS = {"governance-mode": pt.load_model("governance-mode"), "innovation-stage": pt.load_model("innovation-stage")}
segments = policy_set.segments("paragraph", min_chars=30).merge(docs[["doc_id", "scope"]], on="doc_id")
TAGS = {}
for name, clf in MODELS.items():
    cv = clf.manifest_["metrics"]["cross_validation"]
    tags = pt.tag_documents(clf, segments, level="segment")
    TAGS[name] = tags.merge(segments[["segment_id", "year", "scope", "doc_type"]], on="segment_id")
    f1 = {lab: round(v["f1"], 2) for lab, v in cv["per_label"].items()}
    print(f"{name}: CV macro-F1 {cv['macro_f1']:.2f}; per-label F1 {f1}")
EARLY, LATE = range(2014, 2018), range(2018, 2023)
gm = TAGS["governance-mode"]
gm_coded = gm[gm["label"] != "0"]


def early_late(coded, labels):
    """Late (2018-22) minus early (2014-17) share, intervals over paragraphs and over whole documents."""
    early, late = coded[coded["year"].isin(EARLY)], coded[coded["year"].isin(LATE)]
    return (bootstrap_difference(early, late, labels),
            bootstrap_difference(early, late, labels, cluster="doc_id"))


def describe(name, seg, doc):
    return (f"{name} share of coded paragraphs {seg['early']:.3f} (2014-17, {seg['docs_early']} docs) -> "
            f"{seg['late']:.3f} (2018-22, {seg['docs_late']} docs); 95% CI of the difference over paragraphs "
            f"[{seg['lower']:+.3f}, {seg['upper']:+.3f}], over documents [{doc['lower']:+.3f}, {doc['upper']:+.3f}]")


def direction(doc):
    """Rule shared by claims 3, 5, 6, 7: the document-level interval decides, since paragraphs cluster in documents."""
    return "up" if doc["lower"] > 0 else "down" if doc["upper"] < 0 else "undecided"
'''),
        # ---- claim 1
        ("md", "## Claim 1 — big data entered the central agenda in 2014\nZhang Yangyang's thesis on "
               "government–enterprise platforms (manifest 003) dates the start to 2014, when big data was first "
               "written into the Government Work Report. Test: the first report that mentions 大数据, over the "
               "whole 1954–2025 collection."),
        ("code", r'''
first_gwr = pt.first_appearance(long_gwr, ["大数据"])["大数据"]
before = long_gwr[(long_gwr["year"] < 2014) & long_gwr["text"].str.contains("大数据")]
context = pt.kwic(gwr, "大数据", window=12)
context = context[context["year"] == first_gwr].head(1)[["year", "left", "keyword", "right"]]
print(cite("003"))
print(context.to_string(index=False))
# Rule: supported if the earliest report naming 大数据 is 2014 and no earlier report names it.
verdict = "supported" if first_gwr == 2014 and before.empty else "contradicted"
record("big data enters the central agenda in 2014", "003", verdict,
       f"大数据 first appears in the {first_gwr} work report; reports before 2014 naming it: {len(before)}")
'''),
        # ---- claim 2
        ("md", "## Claim 2 — data became a factor of production in 2019–2020\nThe same thesis (003) marks the "
               "Fourth Plenum of the 19th Central Committee (2019) as the point where data joined the factors of "
               "production. Test: the earliest texts that put data among the factors (数据要素, or 数据 in the same "
               "sentence as 生产要素), national and local. The plenum decision itself and the 2020 factor-market "
               "opinions are not in the corpus."),
        ("code", r'''
def sentences(table):
    rows = []
    for _, doc in table.iterrows():
        for sentence in pd.Series(doc["text"]).str.split(r"[。；！？\n]").iloc[0]:
            rows.append({"doc_id": doc["doc_id"], "year": doc["year"], "scope": doc.get("scope", "national"),
                         "sentence": sentence})
    return pd.DataFrame(rows)

pool = pd.concat([docs, long_gwr[long_gwr["year"] > 2022].assign(scope="national")], ignore_index=True)
sent = sentences(pool)
factor = sent[sent["sentence"].str.contains("数据要素") |
              (sent["sentence"].str.contains("生产要素") & sent["sentence"].str.contains("数据"))]
earliest = factor.groupby("scope")["year"].min()
first_doc = factor.sort_values("year").groupby("scope").head(1)[["scope", "year", "doc_id"]]
print(cite("003"))
print(first_doc.to_string(index=False))
national, local = earliest.get("national"), earliest.get("local")
# Rule: supported if the earliest national text putting data among the factors is from 2019-2020; partly
# supported if it is later (the 2019-2020 central documents are missing here) or a local text did so earlier.
if national in (2019, 2020):
    verdict = "supported"
elif national is not None and national > 2020:
    verdict = "partly supported: the corpus's first national text is later than 2019-2020, and the 2019 plenum and 2020 factor-market documents are missing"
else:
    verdict = "contradicted"
if local is not None and national is not None and local < national:
    verdict += f"; a local regulation already did so in {local}"
record("data becomes a factor of production in 2019-2020", "003", verdict,
       f"earliest national text: {national}; earliest local text: {local}; sentences found: {len(factor)}")
'''),
        # ---- claim 3
        ("md", "## Claim 3 — service orientation replaced command orientation\nThe extended abstract on "
               "alternative service delivery (manifest 004, author unknown) argues that digitalisation moves "
               "Chinese administration from a command-oriented to a service-oriented model. Test, in the work "
               "reports (one genre, every year): the rate of service vocabulary against command vocabulary; "
               "beside it, in the whole policy set, the share of coded paragraphs the governance-mode classifier "
               "assigns to GM1 (government-led hierarchy). "
               "The word lists are this notebook's operationalisation; substring counts do not see negation "
               "(取消审批 counts as 审批)."),
        ("code", r'''
SERVICE = ["政务服务", "便民", "办事", "服务型政府", "群众满意", "一网通办", "最多跑一次", "跨省通办", "好差评", "一次办"]
COMMAND = ["审批", "管控", "行政命令", "指令", "下达", "层层", "督查"]
rates = pt.term_trends(gwr, SERVICE + COMMAND, by="year", rate=True)
orientation = pd.DataFrame({"service": rates[SERVICE].sum(axis=1), "command": rates[COMMAND].sum(axis=1)})
orientation["ratio"] = orientation["service"] / orientation["command"]
rho = orientation["ratio"].corr(pd.Series(orientation.index, index=orientation.index), method="spearman")
command_change = orientation.loc[2020:2022, "command"].mean() / orientation.loc[2014:2016, "command"].mean()
gm1_seg, gm1_doc = early_late(gm_coded, ["GM1"])
print(cite("004"))
print(orientation.round(2).T)
late_service, late_command = orientation.loc[2020:2022, "service"].mean(), orientation.loc[2020:2022, "command"].mean()
# Rule: "replaced" needs all of: the service/command ratio rises (Spearman rho > 0.5), command vocabulary falls by
# more than 20% (2020-22 vs 2014-16), service vocabulary at least equals command vocabulary in 2020-22, and the GM1
# share does not rise. Partly supported if the ratio rises but not all of these hold; contradicted if it falls.
checks = {"command vocabulary falls": command_change < 0.8, "service >= command by 2020-22": late_service >= late_command,
          "GM1 share does not rise": direction(gm1_doc) != "up"}
if rho > 0.5 and all(checks.values()):
    verdict = "supported"
elif rho > 0.5:
    verdict = ("partly supported: a shift toward service vocabulary, not a replacement (fails: "
               + ", ".join(k for k, ok in checks.items() if not ok) + ")")
elif rho < -0.5:
    verdict = "contradicted"
else:
    verdict = "not decided: no clear trend in the ratio"
record("service orientation replaces command orientation", "004", verdict,
       f"service/command ratio {orientation['ratio'].iloc[0]:.2f} (2014) -> {orientation['ratio'].iloc[-1]:.2f} (2022), "
       f"Spearman rho {rho:.2f}; command vocabulary 2020-22 / 2014-16 = {command_change:.2f}; 2020-22 service "
       f"{late_service:.2f} vs command {late_command:.2f} per 10,000 characters; policy set: "
       + describe("GM1", gm1_seg, gm1_doc) + f" (GM1 {direction(gm1_doc)})")
'''),
        ("code", r'''
with matplotlib.rc_context(FONT):
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(orientation.index, orientation["service"], marker="o", label="服务词汇 service vocabulary")
    ax.plot(orientation.index, orientation["command"], marker="s", label="命令词汇 command vocabulary")
    ax.set_ylabel("per 10,000 characters")
    ax.set_title("政府工作报告：服务取向与命令取向词汇")
    ax.legend()
    ax.grid(alpha=0.3)
    plt.show()
'''),
        # ---- claim 4
        ("md", "## Claim 4 — local innovations diffuse upward and become national requirements\nThe seed papers "
               "study local innovations — Hangzhou, Guiyang and Guangzhou in Wen Yating et al. (000), Shenzhen "
               "Pingshan in Xing Yifei, Li Huihui and Wu Xiaolin (002) — and the project's timeline records "
               "several that were later written into national texts. Test, for each innovation: the first local "
               "date (timeline, local rows) or local text, against its first national text (2014–2022 national "
               "documents and the work reports up to 2025); and whether the first national mention is phrased "
               "as a task (推行, 推广, 推进, 实现, 全面, 深化, 加快, 做到, 力争)."),
        ("code", r'''
INNOVATIONS = ["最多跑一次", "一网通办", "接诉即办", "一网统管", "城市大脑", "健康码", "12345"]
local_events = pt.load_milestones(level=["provincial", "municipal", "district"])
national_texts = pd.concat([docs[docs["scope"] == "national"], long_gwr], ignore_index=True)
national_texts = national_texts.drop_duplicates(subset=["year", "title"])
TASK = "推行|推广|推进|实现|全面|深化|加快|做到|力争"
def year_or_none(value):
    return None if pd.isna(value) else int(value)

rows = []
for term in INNOVATIONS:
    timeline_year = local_events.loc[local_events["title_zh"].str.contains(term, regex=False), "year"].min()
    text_year = pt.first_appearance(docs[docs["scope"] == "local"], [term])[term]
    local_years = [y for y in (year_or_none(timeline_year), year_or_none(text_year)) if y is not None]
    national_year = year_or_none(pt.first_appearance(national_texts, [term])[term])
    task = None
    if national_year is not None:
        hits = pt.kwic(national_texts[national_texts["year"] == national_year], term, window=14)
        task = bool((hits["left"] + hits["right"]).str.contains(TASK).any())
    rows.append({"innovation": term, "local first": min(local_years) if local_years else None,
                 "national first": national_year, "as a task": task})
diffusion = pd.DataFrame(rows).astype({"local first": "Int64", "national first": "Int64"})
no_local, no_national = diffusion["local first"].isna(), diffusion["national first"].isna()
earlier = (diffusion["local first"] < diffusion["national first"]).fillna(False).astype(bool)
same = (diffusion["local first"] == diffusion["national first"]).fillna(False).astype(bool)
diffusion["path"] = np.select([no_local, no_national, earlier, same],
                              ["no local record", "local only (no national text up to 2025)", "local -> national",
                               "same year (order not resolvable)"], "national first")
print(diffusion.to_string(index=False))
upward = diffusion[diffusion["path"] == "local -> national"]
known = diffusion[diffusion["path"] != "no local record"]
# Rule: supported if at least half of the innovations with a local record reach a national text later, phrased
# as a task; partly supported if some do; contradicted if none does.
share = len(upward) / len(known)
if share >= 0.5 and upward["as a task"].astype(bool).all():
    verdict = "supported"
elif len(upward):
    verdict = "partly supported"
else:
    verdict = "contradicted"
# The national guideline that cites several of these practices (国发〔2022〕14号) is not in the corpus.
verdict += " (the 2022 State Council digital-government guideline is missing from the corpus)" if verdict != "supported" else ""
record("local innovations diffuse upward into national requirements", "000, 002 + timeline", verdict,
       f"{len(upward)} of {len(known)} innovations go local -> national ({', '.join(upward['innovation'])}), "
       f"{int(upward['as a task'].astype(bool).sum())} of them phrased as a task at first national mention; local only: "
       f"{', '.join(diffusion.loc[diffusion['path'].str.startswith('local only'), 'innovation']) or 'none'}")
'''),
        # ---- claim 5
        ("md", "## Claim 5 — networked government–enterprise platforms appear in later years\nWen Yating et al. "
               "(000) describe government-initiated/industry-driven and enterprise-led platform paths; Zhang "
               "Yangyang (003) finds government–enterprise platforms built in large numbers after 2014 and the "
               "networked type best for collaboration. Test: the share of coded paragraphs the governance-mode "
               "classifier assigns to GM2 (partnership), GM3 (platform-led) or GM4 (networked) in the 2014–2022 "
               "policy set, 2014–17 against 2018–22, with intervals over paragraphs and over whole documents "
               "(the work reports alone have too few coded paragraphs, see notebook 02); plus the vocabulary of "
               "government–enterprise cooperation."),
        ("code", r'''
NETWORKED = ["GM2", "GM3", "GM4"]
seg, doc = early_late(gm_coded, NETWORKED)
COOP = ["政企合作", "平台企业", "社会力量", "政府购买服务", "社会资本", "互联网企业"]
coop = pt.term_trends(docs, COOP, by="year", rate=True).sum(axis=1)
f1 = MODELS["governance-mode"].manifest_["metrics"]["cross_validation"]["per_label"]
print(cite("000")); print(cite("003"))
print("cooperation vocabulary per 10,000 characters, policy set:", {int(y): round(v, 2) for y, v in coop.items()})
# Rule: supported if the document-level 95% CI of the late-minus-early GM2-4 share lies above 0, contradicted if
# below 0; otherwise "not decided", saying whether the paragraph-level interval alone would have shown a rise.
verdict = {"up": "supported", "down": "contradicted"}.get(direction(doc), "not decided: within the document-level interval")
if direction(doc) == "undecided" and seg["lower"] > 0:
    verdict += " (a rise only at paragraph level)"
record("networked government-enterprise platforms appear later", "000, 003", verdict,
       describe("GM2-4", seg, doc) + f"; classifier F1 GM2/GM3/GM4 {f1['GM2']['f1']:.2f}/{f1['GM3']['f1']:.2f}/"
       f"{f1['GM4']['f1']:.2f}; cooperation vocabulary {coop.loc[2014:2017].mean():.2f} -> {coop.loc[2018:2022].mean():.2f}")
'''),
        # ---- claim 6
        ("md", "## Claim 6 — citizen co-production appears in later years\nWang Xuejun and Chen Youqian (001) "
               "see public value in digital government as defined by the public and realised through co-production "
               "by many actors; Xing, Li and Wu (002) study a government–citizen interaction platform. Test: the "
               "share of coded paragraphs of the policy set classed GM5 (citizen co-production / responsive "
               "service), 2014–17 against 2018–22, and the first appearance of the citizen-feedback vocabulary."),
        ("code", r'''
seg, doc = early_late(gm_coded, ["GM5"])
FEEDBACK = ["好差评", "12345", "接诉即办", "政民互动", "民生诉求", "群众评价", "随手拍"]
feedback_first = pt.first_appearance(docs, FEEDBACK).dropna().astype(int)
print(cite("001")); print(cite("002"))
print("first appearance in the 2014-2022 policy set:", feedback_first.to_dict())
# Rule: supported if the document-level 95% CI of the late-minus-early GM5 share lies above 0 (contradicted below);
# "partly supported" when it does not decide but the citizen-feedback vocabulary first appears only from 2018 on.
late_vocab = len(feedback_first) > 0 and feedback_first.min() >= 2018
if direction(doc) != "undecided":
    verdict = {"up": "supported", "down": "contradicted"}[direction(doc)]
elif late_vocab:
    verdict = "partly supported: the GM5 share does not rise beyond its document-level interval, but the feedback vocabulary appears only from 2018"
else:
    verdict = "not decided"
record("citizen co-production appears later", "001, 002", verdict,
       describe("GM5", seg, doc) + f"; feedback terms first seen {feedback_first.min() if len(feedback_first) else 'never'}"
       f"-{feedback_first.max() if len(feedback_first) else ''}")
'''),
        # ---- claim 7
        ("md", "## Claim 7 — innovations institutionalise through regulations\nXing, Li and Wu (002) ask why "
               "some innovations keep iterating while others fade; the codebook's last innovation stage (IS5) "
               "is institutionalisation. Test: for each innovation, the first year it appears in a regulation or "
               "law of the policy set against its first year in other texts; and the IS5 share of coded "
               "paragraphs in texts that are not themselves regulations, 2014–17 against 2018–22 (the "
               "innovation-stage classifier is weak, see its F1)."),
        ("code", r'''
TRACKED = ["最多跑一次", "一网通办", "12345", "一网统管", "城市大脑", "好差评", "数据要素", "跨省通办", "互联网+政务服务"]
is_regulation = docs["doc_type"].isin(REGULATION)
inst = pd.DataFrame({"first in policy texts": pt.first_appearance(docs[~is_regulation], TRACKED),
                     "first in a regulation": pt.first_appearance(docs[is_regulation], TRACKED)}).astype("Int64")
inst["codified"] = inst["first in a regulation"].notna()
print(inst)
stage = TAGS["innovation-stage"]
# Regulations are coded IS5 almost by definition, so the stage test uses the other documents only.
stage_coded = stage[(stage["label"] != "0") & ~stage["doc_type"].isin(REGULATION)]
seg, doc = early_late(stage_coded, ["IS5"])
stage_f1 = MODELS["innovation-stage"].manifest_["metrics"]["cross_validation"]
print(cite("002"))
# Rule: supported if at least half of the tracked innovations reach a regulation in 2014-2022 AND the IS5 share of
# non-regulation texts rises beyond its document-level interval; partly supported if one of the two holds.
codified = int(inst["codified"].sum())
conditions = [codified >= len(TRACKED) / 2, direction(doc) == "up"]
verdict = "supported" if all(conditions) else "partly supported" if any(conditions) else "not supported by these texts"
record("innovations institutionalise through regulations", "002", verdict,
       f"{codified} of {len(TRACKED)} innovations appear in a regulation or law; non-regulation texts: "
       + describe("IS5", seg, doc) + f" (innovation-stage macro-F1 {stage_f1['macro_f1']:.2f}, IS5 F1 "
       f"{stage_f1['per_label']['IS5']['f1']:.2f})")
'''),
        # ---- claim 8
        ("md", "## Claim 8 — a government-led emergency path: the health code\nWen Yating et al. (000) name a "
               "government-led, emergency-driven innovation path (the timeline's example is Hangzhou's 2020 health "
               "code). Test: whether the health code reaches a national text."),
        ("code", r'''
health = pt.first_appearance(pd.concat([docs, long_gwr], ignore_index=True), ["健康码", "疫情防控"])
print(cite("000"))
# Rule: supported if 健康码 appears in a national text in 2020-2022; not testable if no text of the corpus names it
# (its absence from work reports says nothing about how it was built).
if pd.notna(health["健康码"]):
    verdict = "supported" if 2020 <= health["健康码"] <= 2022 else "partly supported"
else:
    verdict = "not testable with these texts"
record("emergency-driven, government-led innovation (health code)", "000", verdict,
       f"健康码 first appears: {health['健康码'] if pd.notna(health['健康码']) else 'never'}; "
       f"疫情防控 first appears: {health['疫情防控']}")
'''),
        # ---- claims 9, 10
        ("md", "## Claims 9 and 10 — claims about specific cases and their outcomes\nZhang Yangyang (003): of "
               "four county-level platform types, the networked platform does most for inter-departmental "
               "collaboration. Xing, Li and Wu (002): in Pingshan the responsibility list acted as a "
               "'coalition magnet' that kept the reform iterating. Both rest on interviews and process tracing "
               "of particular places. Test: do any texts of the corpus come from or name those cases?"),
        ("code", r'''
everything = pd.concat([docs, long_gwr], ignore_index=True)
mentions = {term: int(everything["text"].str.contains(term, regex=False).sum())
            for term in ["坪山", "职责清单", "网络式平台", "共创共享式"]}
print(mentions)
# Rule: a claim about a case's internal mechanism or outcome is testable only with texts from that case.
verdict9 = "not testable with these texts" if mentions["网络式平台"] + mentions["共创共享式"] == 0 else "partly testable"
record("networked platforms best for inter-departmental collaboration", "003", verdict9,
       f"documents naming the platform types: {mentions['网络式平台'] + mentions['共创共享式']}; outcome data: none")
verdict10 = "not testable with these texts" if mentions["坪山"] == 0 else "partly testable"
record("responsibility list as coalition magnet in Pingshan", "002", verdict10,
       f"documents naming 坪山: {mentions['坪山']}; naming 职责清单: {mentions['职责清单']}")
'''),
        ("md", "## Summary\nEvery verdict above, as computed:"),
        ("code", r'''
summary = pd.DataFrame(VERDICTS)
summary["short verdict"] = summary["verdict"].str.split(r":| \(", regex=True).str[0].str.strip()
for _, row in summary.iterrows():
    print(f"- {row['claim']} [{row['paper']}]: {row['verdict']}")
with pd.option_context("display.max_colwidth", 80):
    display(summary[["claim", "paper", "short verdict"]])
'''),
        ("code", r'''
counts = summary["short verdict"].value_counts()
print("; ".join(f"{n} {v}" for v, n in counts.items()))
'''),
    ]


# --------------------------------------------------------------------------------------------------------------
# 04 retrain on your documents
# --------------------------------------------------------------------------------------------------------------

def retrain() -> list[tuple[str, str]]:
    return [
        ("md", r'''
# 04 · Retrain on your own documents

A researcher with their own label scheme labels a few dozen texts, trains a classifier, checks it, lets the model
suggest which texts to label next, saves it, reloads it and tags a new folder. The worked example uses the
Teddy Cup 2020 citizen messages (a city message board, seven first-level categories) with a small custom codebook.
In this example the existing labels stand in for the researcher: "labelling" a text means looking its label up.
'''),
        ("code", SETUP),
        ("md", "## 1. A custom codebook\nThe same schema as the bundled codebooks (`pt.load_codebook`), written "
               "as a dict; indicator terms also give a transparent rule baseline (`pt.RuleTagger`)."),
        ("code", r'''
codebook = pt.Codebook.from_dict({
    "name": "message-topic", "version": "0.1", "title_en": "Citizen message topic", "unit": "message",
    "multi_label": False,
    "labels": [
        {"id": "劳动和社会保障", "name_en": "labour and social security", "indicators": ["社保", "工资", "养老", "医保", "退休", "劳动合同"]},
        {"id": "城乡建设", "name_en": "urban and rural construction", "indicators": ["小区", "物业", "拆迁", "房屋", "施工", "开发商"]},
        {"id": "教育文体", "name_en": "education, culture, sport", "indicators": ["学校", "学生", "老师", "教师", "幼儿园", "教育"]},
        {"id": "卫生计生", "name_en": "health and family planning", "indicators": ["医院", "医生", "患者", "计生", "疫苗", "卫生"]},
        {"id": "交通运输", "name_en": "transport", "indicators": ["公交", "出租车", "道路", "地铁", "驾驶", "车站"]},
        {"id": "商贸旅游", "name_en": "trade and tourism", "indicators": ["景区", "商家", "旅游", "消费者", "超市", "游客"]},
        {"id": "环境保护", "name_en": "environmental protection", "indicators": ["污染", "噪音", "排放", "垃圾", "异味", "环保"]},
    ],
})
codebook.labels
'''),
        ("md", "## 2. Label a few dozen messages\nEight per category (56 in all) are the researcher's first "
               "batch; 120 others are held out as a test set, the rest form the pool the model may ask about."),
        ("code", r'''
messages = pt.load_corpus("teddy-cup-2020").to_frame()
messages = messages.rename(columns={"一级分类": "label"})[["doc_id", "title", "text", "label"]]
messages["text"] = messages["title"].fillna("") + "。" + messages["text"]
messages = messages.rename(columns={"doc_id": "segment_id"})
rng = np.random.default_rng(7)
shuffled = messages.iloc[rng.permutation(len(messages))].reset_index(drop=True)
labelled = shuffled.groupby("label", group_keys=False).head(8)
rest = shuffled.drop(labelled.index)
order = rest.groupby("label").cumcount()
size = rest.groupby("label")["label"].transform("size")
test = rest[order < np.maximum(5, (size * 0.35).round())]  # about a third of each category, at least five
pool = rest.drop(test.index)
print(f"labelled {len(labelled)}, pool {len(pool)}, test {len(test)}")
print(test["label"].value_counts().to_dict())
'''),
        ("md", "## 3. Train and evaluate\n`train_classifier` cross-validates on the labelled batch against a "
               "majority baseline and the rule tagger, then fits on all of it. `evaluate` scores it on the "
               "held-out test set."),
        ("code", r'''
model = pt.train_classifier(labelled, text="text", label="label", codebook=codebook, folds=4, random_state=0)
print(model.cv_report_)
'''),
        ("code", r'''
rules = pt.RuleTagger(codebook)
report = pt.evaluate(model, test["text"].tolist(), test["label"].tolist(), baselines={"rules": rules.predict})
print(report)
first_f1 = report.macro_f1
print(f"held-out macro-F1 with {len(labelled)} labels: {first_f1:.2f} "
      f"(rules {report.baselines['rules']['macro_f1']:.2f})")
'''),
        ("md", "## 4. Active learning: which messages to label next\n`suggest` ranks the pool by how unsure the "
               "model is. Label the 30 it asks about and retrain; as a check, compare with 30 random messages."),
        ("code", r'''
asked = pt.suggest(model, pool, n=30, text="text", exclude=labelled["segment_id"])
print(asked[["rank", "segment_id", "predicted", "confidence", "uncertainty"]].head(8).to_string(index=False))
'''),
        ("code", r'''
new_batch = pool.set_index("segment_id").loc[asked["segment_id"]].reset_index()  # the researcher labels these
random_batch = pool.sample(30, random_state=1)
scores = {}
for name, batch in [("suggested", new_batch), ("random", random_batch)]:
    bigger = pd.concat([labelled, batch], ignore_index=True)
    m = pt.train_classifier(bigger, text="text", label="label", codebook=codebook, cv=False, random_state=0)
    scores[name] = pt.evaluate(m, test["text"].tolist(), test["label"].tolist()).macro_f1
    if name == "suggested":
        model = m
better = "better than" if scores["suggested"] > scores["random"] else "not better than"
print(f"macro-F1 after adding 30 labels: suggested {scores['suggested']:.2f}, random {scores['random']:.2f} "
      f"(first model {first_f1:.2f}); on this split the suggestions did {better} random picks")
'''),
        ("md", "## 5. Save, reload, check\nA saved model is a folder of arrays and JSON with a checksummed "
               "`manifest.json`; loading verifies it and runs no pickled code."),
        ("code", r'''
import tempfile
from pathlib import Path

workdir = Path(tempfile.mkdtemp(prefix="policytext-nb04-"))
saved = pt.save_model(model, workdir / "message-topic")
again = pt.load_model(saved)
same = again.predict(test["text"].tolist()) == model.predict(test["text"].tolist())
manifest = again.manifest_
print(sorted(p.name for p in saved.iterdir()))
print({k: manifest[k] for k in ["labels", "n_train", "seed"]}, "| codebook:", manifest["codebook"])
print("reloaded model predicts identically:", bool(np.all(same)))
'''),
        ("md", "## 6. Tag a new folder\nTwenty messages that were never labelled (from the replies table in the "
               "data home) are written to a folder as text files, read back as a corpus and tagged."),
        ("code", r'''
replies = pt.read_corpus(pt.data_home() / "labelled" / "teddy-cup-2020" / "zhihui_zhengwu_messages_replies_2816.csv",
                         text_col="留言详情").to_frame()
known = set(pt.load_corpus("teddy-cup-2020").to_frame()["留言编号"].astype(str))
# read_corpus takes 留言编号 as the id and 留言主题 as the title of each row
fresh = replies[~replies["doc_id"].astype(str).isin(known)].head(20)
inbox = workdir / "inbox"
inbox.mkdir()
for _, row in fresh.iterrows():
    (inbox / f"message_{row['doc_id']}.txt").write_text(f"{row['title']}。{row['text']}", encoding="utf-8")
new_corpus = pt.read_corpus(inbox, metadata=False)
tagged = pt.tag_documents(again, new_corpus, level="document")
print(len(new_corpus.to_frame()), "documents read; skipped:", new_corpus.skipped)
tagged[["doc_id", "label", "n_segments"]].head(8)
'''),
        ("code", r'''
print("labels given to the new folder:", tagged["label"].value_counts().to_dict())
'''),
    ]


# --------------------------------------------------------------------------------------------------------------
# 05 long view 1954-2025
# --------------------------------------------------------------------------------------------------------------

def long_view() -> list[tuple[str, str]]:
    return [
        ("md", r'''
# 05 · The long view: Government Work Reports 1954–2025

Where does the 2014–2022 digital turn sit in seven decades of work reports? The collection in the data home has
every report from Wikisource (2020 is missing there and is taken from the 2014–2022 set; NPC resolutions that
accompany some reports are left out).
'''),
        ("code", SETUP),
        ("code", r'''
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
'''),
        ("md", "## 1. Vocabulary of the eras\nA few markers of each period, per 10,000 characters, and the "
               "first report that uses each."),
        ("code", r'''
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
'''),
        ("code", r'''
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
'''),
        ("md", "## 2. A digital-vocabulary index\nThe summed rate of the informatization and digital-turn terms, "
               "year by year, with 2014–2022 shaded and the headline milestones of the package timeline marked."),
        ("code", r'''
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
'''),
        ("code", r'''
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
'''),
    ]


NOTEBOOKS = {
    "01_quickstart": quickstart,
    "02_policy_timeline_2014_2022": timeline,
    "03_case_findings": case_findings,
    "04_retrain_on_your_documents": retrain,
    "05_long_view_1954_2025": long_view,
}


def build(name: str):
    """The notebook ``name`` as an nbformat object, without outputs."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = []
    for kind, source in NOTEBOOKS[name]():
        source = source.strip("\n")
        cells.append(new_markdown_cell(source) if kind == "md" else new_code_cell(source))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    return nb


def execute(nb, cwd: Path, timeout: int = CELL_TIMEOUT) -> float:
    """Run a notebook in a fresh kernel started in ``cwd``; outputs are stored in ``nb``. Returns seconds."""
    from nbclient import NotebookClient

    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name=KERNEL, resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help=f"notebooks to build (default all): {list(NOTEBOOKS)}")
    parser.add_argument("--no-execute", action="store_true", help="write the notebooks without running them")
    parser.add_argument("--out", default=str(HERE), help="folder to write to (default: this folder)")
    args = parser.parse_args(argv)
    names = args.only or list(NOTEBOOKS)
    unknown = [n for n in names if n not in NOTEBOOKS]
    if unknown:
        parser.error(f"unknown notebooks {unknown}; choose from {list(NOTEBOOKS)}")
    if not args.no_execute:
        home = os.environ.get("POLICYTEXT_DATA")
        if home:  # the kernel starts in the output folder: a relative data home must not move with it
            os.environ["POLICYTEXT_DATA"] = str(Path(home).expanduser().resolve())
        else:
            print("warning: POLICYTEXT_DATA is not set; the notebooks read corpora from ~/.policytext", file=sys.stderr)
    import nbformat

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failed = []
    for name in names:
        nb = build(name)
        if not args.no_execute:
            from nbclient.exceptions import CellExecutionError

            try:
                seconds = execute(nb, out)
                print(f"{name}: executed in {seconds:.1f} s")
            except CellExecutionError as error:  # keep the partial outputs for reading the error in place
                print(f"{name}: FAILED\n{str(error)[-3000:]}", file=sys.stderr)
                failed.append(name)
        nbformat.write(nb, out / f"{name}.ipynb")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
