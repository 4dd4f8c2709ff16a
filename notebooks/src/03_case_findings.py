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
# # 03 · The case papers' claims against the corpus
#
# The five seed papers in `case-papers` (see its manifest) make claims about China's digital government that can
# be set against the texts. Each claim below is stated in our own words with the paper it comes from, then a cell
# computes the evidence and prints a verdict built from the numbers, with the rule for the verdict written in the
# code: **supported**, **partly supported**, **contradicted**, or **not testable with these texts**.
#
# Two limits apply throughout. Most national guidelines of the period are not in the corpus (see the corpora
# README; of the State Council's digital-government guidelines only 国发〔2022〕14号 is), so "national" mostly means
# the Government Work Reports (GWR), laws, regulations and Party documents. The classifiers are imperfect: their
# figures with whole documents held out, and on a blind set of unseen documents, are printed where they are used.

# %%
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

import policytext as pt

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 40)
FONT = pt.use_chinese_font()  # matplotlib settings; used as `with matplotlib.rc_context(FONT):`
print("policytext", pt.__version__, "| Chinese font:", FONT.get("font.family", ["none found"])[0])
print("data home found:", (pt.data_home() / "metadata.csv").is_file())


# %%
# Resampling segments with replacement and counting hits is a binomial draw with the observed share, so that
# bootstrap is drawn directly from the binomial: exact, and cheap for thousands of segments.
def bootstrap_difference(early, late, labels, *, cluster=None, n_boot=2000, level=0.95, seed=0):
    """Late minus early share of segments whose label is in `labels`, with a bootstrap interval.

    cluster=None resamples segments; cluster="doc_id" resamples whole documents, which is the honest choice when
    paragraphs of one document are not independent of each other (and gives wider intervals).
    """
    rng = np.random.default_rng(seed)
    if early.empty or late.empty:
        # Nothing to compare in one period (e.g. no paragraph tagged in scope): no interval, so no verdict from it.
        return {"early": early["label"].isin(labels).mean() if len(early) else float("nan"),
                "late": late["label"].isin(labels).mean() if len(late) else float("nan"), "difference": float("nan"),
                "lower": float("nan"), "upper": float("nan"), "n_early": len(early), "n_late": len(late),
                "docs_early": early["doc_id"].nunique(), "docs_late": late["doc_id"].nunique()}

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


# %% [markdown]
# ## The case papers as a corpus
# The papers are scraped web pages: site boilerplate, repeated title blocks, hyphenated line breaks, Chinese and
# English abstracts side by side. Cleaning and `split_bilingual` turn them into usable text.

# %%
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

# %%
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

# %% [markdown]
# ## Shared material for the tests
# The 2014–2022 work reports, the 1954–2025 report collection (for what came before and after), the 2014–2022 policy
# set, and the classifiers' paragraph tags.

# %%
gwr = pt.load_corpus("gwr-2014-2022")
gwr_docs = gwr.to_frame()

# The 2014-2022 policy set: every single document of the "policy" corpus dated 2014-2022. The collections (tables
# of many documents: the 1954-2025 work reports, Party congress reports, 60 State Council documents of 2018-19) are
# left out so that no report is counted twice and the 2018-19 table does not swamp those two years.
policy = pt.load_corpus("policy-v2")
frame = policy.to_frame()
keep = (~frame["doc_type"].str.endswith("_collection")) & frame["year"].between(2014, 2022).fillna(False)
policy_set = policy.filter(keep.to_numpy())
docs = policy_set.to_frame()
docs["scope"] = np.where(docs["level"] == "national", "national", "local")
print(docs.groupby(["year", "scope"]).size().unstack(fill_value=0).T)

collection = frame[frame["doc_type"] == "government_work_report_collection"]
collection = collection[collection["year"].notna() & ~collection["title"].str.contains("决议", na=False)]
long_gwr = pd.concat([collection, gwr_docs[~gwr_docs["year"].isin(collection["year"])]], ignore_index=True)
print("work reports 1954-2025:", len(long_gwr), "years", int(long_gwr["year"].min()), "-", int(long_gwr["year"].max()))

REGULATION = ["law", "administrative_regulation", "local_regulation", "departmental_rule"]
VERDICTS = []


def record(claim, paper, verdict, evidence):
    VERDICTS.append({"claim": claim, "paper": paper, "verdict": verdict, "evidence": evidence})
    print(f"VERDICT [{claim}]: {verdict}\n  evidence: {evidence}")


# %%
MODELS = {"governance-mode": pt.load_model("governance-mode"), "innovation-stage": pt.load_model("innovation-stage")}
segments = policy_set.segments("paragraph", min_chars=30).merge(docs[["doc_id", "scope"]], on="doc_id")
TAGS = {}
# The models read each paragraph's document (genre, level, title, the codebook terms of the whole text).
documents = policy_set.to_frame()[["doc_id", "text"]].rename(columns={"text": "doc_text"})
segments = segments.merge(documents, on="doc_id", how="left")


def figures(clf):
    """A model's figures to cite: document-grouped cross-validation (per-label F1 only from >= 5 documents)."""
    return clf.manifest_["grouped_cross_validation"]


for name, clf in MODELS.items():
    g = figures(clf)
    tags = pt.tag_documents(clf, segments, level="segment")
    TAGS[name] = tags.merge(segments[["segment_id", "year", "scope", "doc_type"]], on="segment_id")
    f1 = {lab: (None if v["f1"] is None else round(v["f1"], 2)) for lab, v in g["per_label"].items()}
    print(f"{name}: documents held out: scope F1 {g['scope_f1']:.2f}, in-scope macro-F1 "
          f"{g['in_scope_macro_f1']:.2f}; per-label F1 (None: fewer than 5 documents) {f1}")
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


# %% [markdown]
# ## Claim 1 — big data entered the central agenda in 2014
# Zhang Yangyang's thesis on government–enterprise platforms (manifest 003) dates the start to 2014, when big data
# was first written into the Government Work Report. Test: the first report that mentions 大数据, over the whole
# 1954–2025 collection.

# %%
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


# %% [markdown]
# ## Claim 2 — data became a factor of production in 2019–2020
# The same thesis (003) marks the Fourth Plenum of the 19th Central Committee (2019) as the point where data joined
# the factors of production. Test: the earliest texts that put data among the factors (数据要素, or 数据 in the same
# sentence as 生产要素), national and local. The plenum decision itself and the 2020 factor-market opinions are not in
# the corpus.

# %%
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

# %% [markdown]
# ## Claim 3 — service orientation replaced command orientation
# The extended abstract on alternative service delivery (manifest 004, author unknown) argues that digitalisation
# moves Chinese administration from a command-oriented to a service-oriented model. Test, in the work reports (one
# genre, every year): the rate of service vocabulary against command vocabulary; beside it, in the whole policy set,
# the share of coded paragraphs the governance-mode classifier assigns to GM1 (government-led hierarchy). The word
# lists are this notebook's operationalisation; substring counts do not see negation (取消审批 counts as 审批).

# %%
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

# %%
with matplotlib.rc_context(FONT):
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(orientation.index, orientation["service"], marker="o", label="服务词汇 service vocabulary")
    ax.plot(orientation.index, orientation["command"], marker="s", label="命令词汇 command vocabulary")
    ax.set_ylabel("per 10,000 characters")
    ax.set_title("政府工作报告：服务取向与命令取向词汇")
    ax.legend()
    ax.grid(alpha=0.3)
    plt.show()

# %% [markdown]
# ## Claims 3b and 3c — orientation (seed 004) and public value (seed 001), as coded attributes
# Codebook v0.2 records two attributes on every in-scope annotated paragraph: the arrangement's **orientation**
# (command, service or mixed: duties and controls, or delivering and answering services) and the main **public
# value** it pursues (efficiency, service quality, transparency and participation, security, fairness). The
# unknown author of 004 expects a move from command to service; Wang Xuejun and Chen Youqian (001) see digital
# government's public value as defined by the public, which implies values beyond efficiency gaining ground. Test:
# two classifiers trained here on the coded paragraphs (their document-grouped cross-validation is printed) tag the
# paragraphs of the 2014–2022 policy set that the governance-mode classifier puts in scope; the late-minus-early
# share of *service* orientation and of the values other than efficiency and security, with intervals over whole
# documents. Beside it, the same shares among the human-coded paragraphs of 2014–2022 (not a random sample: rounds
# 1–2 drew many paragraphs by indicator terms).

# %%
coded = pt.annotation_frame()
coded = coded[coded["governance_mode"] != "0"].reset_index(drop=True)
in_scope = segments.merge(gm_coded[["segment_id"]], on="segment_id")
ATTRIBUTES = {"orientation": ["service"], "public_value": ["service_quality", "transparency_participation", "fairness"]}
attribute_tests = {}
for attribute, wanted in ATTRIBUTES.items():
    clf = pt.train_classifier(coded, text="text", label=attribute, group="doc_id", random_state=0)
    report = clf.cv_report_
    print(f"{attribute}: {report.folds}-fold cross-validation with documents held out, macro-F1 {report.macro_f1:.2f} "
          f"(majority baseline {report.baselines['majority']['macro_f1']:.2f}); per-label F1 "
          f"{report.per_label['f1'].round(2).to_dict()}")
    tagged = in_scope.assign(label=clf.predict(in_scope["text"].tolist()))
    seg_ci, doc_ci = early_late(tagged, wanted)
    human = coded[coded["year"].between(2014, 2022)].assign(label=lambda f: f[attribute])
    human_ci = bootstrap_difference(human[human["year"].isin(EARLY)], human[human["year"].isin(LATE)], wanted,
                                    cluster="doc_id")
    attribute_tests[attribute] = (seg_ci, doc_ci, human_ci, report.macro_f1)
    print(f"  classifier: {describe('+'.join(wanted), seg_ci, doc_ci)}")
    print(f"  human-coded 2014-22: {human_ci['early']:.3f} -> {human_ci['late']:.3f}, 95% CI over documents "
          f"[{human_ci['lower']:+.3f}, {human_ci['upper']:+.3f}]")

# %%
# Rule (both claims): supported if the classifier's document-level interval lies above 0 and the human-coded
# interval does not lie below 0; contradicted if the classifier's interval lies below 0; otherwise not decided.
for attribute, claim, paper in (("orientation", "administration moves from command to service orientation", "004"),
                                ("public_value", "public values beyond efficiency and security gain ground", "001")):
    seg_ci, doc_ci, human_ci, macro = attribute_tests[attribute]
    if direction(doc_ci) == "up" and human_ci["upper"] >= 0:
        verdict = "supported"
    elif direction(doc_ci) == "down":
        verdict = "contradicted"
    else:
        verdict = "not decided: within the document-level interval"
    print(cite(paper))
    record(claim + " (coded attribute)", paper, verdict,
           describe(attribute, seg_ci, doc_ci) + f"; human-coded 2014-22 {human_ci['early']:.3f} -> "
           f"{human_ci['late']:.3f}; attribute classifier macro-F1 {macro:.2f} (documents held out)")


# %% [markdown]
# ## Claim 4 — local innovations diffuse upward and become national requirements
# The seed papers study local innovations — Hangzhou, Guiyang and Guangzhou in Wen Yating et al. (000), Shenzhen
# Pingshan in Xing Yifei, Li Huihui and Wu Xiaolin (002) — and the project's timeline records several that were
# later written into national texts. Test, for each innovation: the first local date (timeline, local rows) or local
# text, against its first national text (2014–2022 national documents and the work reports up to 2025); and whether
# the first national mention is phrased as a task (推行, 推广, 推进, 实现, 全面, 深化, 加快, 做到, 力争).

# %%
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
record("local innovations diffuse upward into national requirements", "000, 002 + timeline", verdict,
       f"{len(upward)} of {len(known)} innovations go local -> national ({', '.join(upward['innovation'])}), "
       f"{int(upward['as a task'].astype(bool).sum())} of them phrased as a task at first national mention; local only: "
       f"{', '.join(diffusion.loc[diffusion['path'].str.startswith('local only'), 'innovation']) or 'none'}")

# %% [markdown]
# ## Claim 5 — networked government–enterprise platforms appear in later years
# Wen Yating et al. (000) describe government-initiated/industry-driven and enterprise-led platform paths; Zhang
# Yangyang (003) finds government–enterprise platforms built in large numbers after 2014 and the networked type best
# for collaboration. Test: the share of coded paragraphs the governance-mode classifier assigns to GM2
# (partnership), GM3 (platform-led) or GM4 (networked) in the 2014–2022 policy set, 2014–17 against 2018–22, with
# intervals over paragraphs and over whole documents (the work reports alone have too few coded paragraphs, see
# notebook 02); plus the vocabulary of government–enterprise cooperation.

# %%
NETWORKED = ["GM2", "GM3", "GM4"]
seg, doc = early_late(gm_coded, NETWORKED)
COOP = ["政企合作", "平台企业", "社会力量", "政府购买服务", "社会资本", "互联网企业"]
coop = pt.term_trends(docs, COOP, by="year", rate=True).sum(axis=1)
f1 = figures(MODELS["governance-mode"])["per_label"]
print(cite("000")); print(cite("003"))
print("cooperation vocabulary per 10,000 characters, policy set:", {int(y): round(v, 2) for y, v in coop.items()})
# Rule: supported if the document-level 95% CI of the late-minus-early GM2-4 share lies above 0, contradicted if
# below 0; otherwise "not decided", saying whether the paragraph-level interval alone would have shown a rise.
verdict = {"up": "supported", "down": "contradicted"}.get(direction(doc), "not decided: within the document-level interval")
if direction(doc) == "undecided" and seg["lower"] > 0:
    verdict += " (a rise only at paragraph level)"
record("networked government-enterprise platforms appear later", "000, 003", verdict,
       describe("GM2-4", seg, doc) + "; classifier F1 (documents held out) GM2/GM3/GM4 "
       + "/".join("n/a" if f1[k]["f1"] is None else f"{f1[k]['f1']:.2f}" for k in ("GM2", "GM3", "GM4"))
       + f"; cooperation vocabulary {coop.loc[2014:2017].mean():.2f} -> {coop.loc[2018:2022].mean():.2f}")

# %% [markdown]
# ## Claim 6 — citizen co-production appears in later years
# Wang Xuejun and Chen Youqian (001) see public value in digital government as defined by the public and realised
# through co-production by many actors; Xing, Li and Wu (002) study a government–citizen interaction platform. Test:
# the share of coded paragraphs of the policy set classed GM5 (citizen co-production / responsive service), 2014–17
# against 2018–22, and the first appearance of the citizen-feedback vocabulary.

# %%
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

# %% [markdown]
# ## Claim 7 — innovations institutionalise through regulations
# Xing, Li and Wu (002) ask why some innovations keep iterating while others fade; the codebook's last innovation
# stage (IS5) is institutionalisation. Test: for each innovation, the first year it appears in a regulation or law
# of the policy set against its first year in other texts; and the IS5 share of coded paragraphs in texts that are
# not themselves regulations, 2014–17 against 2018–22 (the innovation-stage classifier is weak, see its F1).

# %%
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
stage_f1 = figures(MODELS["innovation-stage"])
print(cite("002"))
# Rule: supported if at least half of the tracked innovations reach a regulation in 2014-2022 AND the IS5 share of
# non-regulation texts rises beyond its document-level interval; partly supported if one of the two holds.
codified = int(inst["codified"].sum())
conditions = [codified >= len(TRACKED) / 2, direction(doc) == "up"]
verdict = "supported" if all(conditions) else "partly supported" if any(conditions) else "not supported by these texts"
record("innovations institutionalise through regulations", "002", verdict,
       f"{codified} of {len(TRACKED)} innovations appear in a regulation or law; non-regulation texts: "
       + describe("IS5", seg, doc) + f" (innovation-stage in-scope macro-F1 {stage_f1['in_scope_macro_f1']:.2f}, "
       f"IS5 F1 {stage_f1['per_label']['IS5']['f1']:.2f}, documents held out)")

# %% [markdown]
# ## Claim 8 — a government-led emergency path: the health code
# Wen Yating et al. (000) name a government-led, emergency-driven innovation path (the timeline's example is
# Hangzhou's 2020 health code). Test: whether the health code reaches a national text.

# %%
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

# %% [markdown]
# ## Claims 9 and 10 — claims about specific cases and their outcomes
# Zhang Yangyang (003): of four county-level platform types, the networked platform does most for inter-departmental
# collaboration. Xing, Li and Wu (002): in Pingshan the responsibility list acted as a 'coalition magnet' that kept
# the reform iterating. Both rest on interviews and process tracing of particular places. Test: do any texts of the
# corpus come from or name those cases?

# %%
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

# %% [markdown]
# ## Summary
# Every verdict above, as computed:

# %%
summary = pd.DataFrame(VERDICTS)
summary["short verdict"] = summary["verdict"].str.split(r":| \(", regex=True).str[0].str.strip()
for _, row in summary.iterrows():
    print(f"- {row['claim']} [{row['paper']}]: {row['verdict']}")
with pd.option_context("display.max_colwidth", 80):
    display(summary[["claim", "paper", "short verdict"]])

# %%
counts = summary["short verdict"].value_counts()
print("; ".join(f"{n} {v}" for v, n in counts.items()))
