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
# # 01 · Quickstart: from a folder of policy texts to a figure
#
# The shortest path through policytext: check the install, read a folder of documents with their metadata, clean,
# tokenize, count terms by year, look at a term in context, draw one figure. The folder is the State Council
# Government Work Reports 2014–2022 in the data home (`POLICYTEXT_DATA`); any folder of `.txt`, `.html`, `.docx` or
# `.pdf` files with an optional `metadata.csv` works the same way.

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

# %% [markdown]
# ## 1. Install check
# The registered corpora and whether their files in the data home match the checksums of their manifests.

# %%
print(pt.registered_corpora())
check = pt.verify_corpus("gwr-2014-2022")
print(check["status"].value_counts().to_dict())

# %% [markdown]
# ## 2. Read a folder
# `read_corpus` takes a folder, file, table, list of paths or DataFrame. Metadata comes from a `metadata.csv` beside
# or above the files; what it leaves empty is inferred from file names and texts. Nothing is dropped silently:
# unreadable inputs are listed in `skipped`.

# %%
folder = pt.data_home() / "policy" / "gwr-national"
corpus = pt.read_corpus(folder)
table = corpus.to_frame()
print(len(table), "documents; skipped:", corpus.skipped)
table[["doc_id", "year", "title", "level", "doc_type"]]

# %% [markdown]
# ## 3. Clean
# Cleaning is on by default (`clean=True`): Unicode normalisation that keeps Chinese punctuation, web boilerplate
# lines removed, words broken across lines rejoined. Each step is a small `str -> str` function; here on a made-up
# snippet, then what it changed in the corpus.

# %%
snippet = "ＡＩ赋能政务服务 被引量:3\n下载PDF\n各地要推进政务服务一网通\n办。"
print(repr(pt.clean_text(snippet)))

raw = pt.read_corpus(folder, clean=False).to_frame().set_index("doc_id")["text"].str.len()
cleaned = table.set_index("doc_id")["text"].str.len()
print("characters removed by cleaning, per report:", (raw - cleaned).to_dict())

# %% [markdown]
# ## 4. Tokenize
# Each `Tokenizer` owns its segmenter and keeps the digital-government lexicon whole (互联网+政务服务, 一网通办 ...).
# `policy_stopwords=True` also drops policy boilerplate words.

# %%
tok = pt.Tokenizer(policy_stopwords=True)
print(tok.tokenize("深化“放管服”改革，推进“互联网+政务服务”，实现政务服务一网通办"))

dtm = pt.document_term_matrix(corpus, tokenizer=tok, min_df=2)
print("document-term matrix:", dtm.shape)
dtm.term_frequencies().head(12)

# %% [markdown]
# ## 5. Term trends
# Occurrences per 10,000 characters by year (substring counts, so a term is found however a tokenizer would cut it),
# and the first year each term appears.

# %%
terms = ["大数据", "互联网+", "政务服务", "放管服", "一网通办", "数字经济", "数字政府", "数据要素"]
trends = pt.term_trends(corpus, terms, by="year", rate=True)
first = pt.first_appearance(corpus, terms)
print(trends.round(2))
print("first appearance:", first.to_dict())

# %% [markdown]
# ## 6. Keyword in context

# %%
pt.kwic(corpus, "一网通办", window=12)[["year", "left", "keyword", "right"]].head(5)

# %% [markdown]
# ## 7. One figure
# The font settings come from `pt.use_chinese_font()`, applied in an `rc_context` so matplotlib's global settings
# stay untouched.

# %%
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
