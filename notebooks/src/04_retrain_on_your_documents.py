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
# # 04 · Retrain on your own documents
#
# A researcher with their own label scheme labels a few dozen texts, trains a classifier, checks it, lets the model
# suggest which texts to label next, saves it, reloads it and tags a new folder. The worked example uses the
# Teddy Cup 2020 citizen messages (a city message board, seven first-level categories) with a small custom codebook.
# In this example the existing labels stand in for the researcher: "labelling" a text means looking its label up.

# %%
import numpy as np
import pandas as pd

import policytext as pt

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 40)
FONT = pt.use_chinese_font()  # matplotlib settings; used as `with matplotlib.rc_context(FONT):`
print("policytext", pt.__version__, "| Chinese font:", FONT.get("font.family", ["none found"])[0])
print("data home found:", (pt.data_home() / "metadata.csv").is_file())

# %% [markdown]
# ## 1. A custom codebook
# The same schema as the bundled codebooks (`pt.load_codebook`), written as a dict; indicator terms also give a
# transparent rule baseline (`pt.RuleTagger`).

# %%
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

# %% [markdown]
# ## 2. Label a few dozen messages
# Eight per category (56 in all) are the researcher's first batch; 120 others are held out as a test set, the rest
# form the pool the model may ask about.

# %%
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

# %% [markdown]
# ## 3. Train and evaluate
# `train_classifier` cross-validates on the labelled batch against a majority baseline and the rule tagger, then
# fits on all of it. `evaluate` scores it on the held-out test set.

# %%
model = pt.train_classifier(labelled, text="text", label="label", codebook=codebook, folds=4, random_state=0)
print(model.cv_report_)

# %%
rules = pt.RuleTagger(codebook)
report = pt.evaluate(model, test["text"].tolist(), test["label"].tolist(), baselines={"rules": rules.predict})
print(report)
first_f1 = report.macro_f1
print(f"held-out macro-F1 with {len(labelled)} labels: {first_f1:.2f} "
      f"(rules {report.baselines['rules']['macro_f1']:.2f})")

# %% [markdown]
# ## 4. Active learning: which messages to label next
# `suggest` ranks the pool by how unsure the model is. Label the 30 it asks about and retrain; as a check, compare
# with 30 random messages.

# %%
asked = pt.suggest(model, pool, n=30, text="text", exclude=labelled["segment_id"])
print(asked[["rank", "segment_id", "predicted", "confidence", "uncertainty"]].head(8).to_string(index=False))

# %%
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

# %% [markdown]
# ## 5. Save, reload, check
# A saved model is a folder of arrays and JSON with a checksummed `manifest.json`; loading verifies it and runs no
# pickled code.

# %%
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

# %% [markdown]
# ## 6. Tag a new folder
# Twenty messages that were never labelled (from the replies table in the data home) are written to a folder as text
# files, read back as a corpus and tagged.

# %%
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

# %%
print("labels given to the new folder:", tagged["label"].value_counts().to_dict())
