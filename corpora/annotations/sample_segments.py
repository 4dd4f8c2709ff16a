"""Draw the annotated sample of paragraphs from the registered corpus "policy" and write segments.csv.

Run from the repository root with the data home set:

    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/sample_segments.py

Design (seeded, so the same corpus gives the same sample):

* Documents: 2014-2022 only. The Government Work Report collection (1954-2025) is left out because its
  2014-2022 rows duplicate gwr-national; the Party-congress collection is left out because its 19th and 20th
  reports duplicate the files in national/ and the rest predate 2014; in the State Council collection only rows
  dated 2014-2022 are kept, minus the two documents that also exist as files in national/.
* Paragraphs: read without cleaning (stable offsets), 30-500 characters, with sentence punctuation (so lines
  that are only headings are dropped). The 500-character cap keeps each unit codable as one arrangement.
* Digital-government paragraphs (a lexicon term, generic "other" terms such as 十四五 excepted) are
  over-sampled: first targeted strata that search for candidate paragraphs of the rarer labels by their
  indicator terms (the codebook decides the label later, the search only finds candidates), then a
  year x document-type stratified draw of the remaining digital-government paragraphs, then a stratified
  draw of ordinary paragraphs (about a quarter of the sample) that are expected to be coded 0.
* Every segment records its stratum: ``<kind>:<year>|<doc group>`` with kind in target-XXX, dg, ordinary.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

import policytext as pt
from policytext import data_home, load_lexicon

SEED = 20240607
TARGET_TOTAL = 850
ORDINARY_SHARE = 0.25
MIN_CHARS, MAX_CHARS = 30, 500
YEARS = range(2014, 2023)
MAX_PER_DOC_TARGET = 12  # spread targeted candidates over documents
OUT = Path(__file__).resolve().parent / "segments.csv"

# Collections whose rows duplicate single files or fall outside 2014-2022.
EXCLUDED_COLLECTIONS = (
    "collections/government_work_reports_1954_2025.jsonl",
    "collections/cpc_congress_reports_1st_20th.jsonl",
)
DUPLICATED_DOC_NUMBERS = ("国办发〔2018〕123号", "国办函〔2018〕71号")

DOC_GROUPS = {
    "government_work_report": "gwr",
    "law": "law_regulation",
    "administrative_regulation": "law_regulation",
    "departmental_rule": "law_regulation",
    "local_regulation": "local_regulation",
    "normative_document": "normative",
    "normative_document_collection": "normative",
    "party_central_document": "party",
    "party_congress_report": "party",
}

# Candidate searches for labels that a random draw would leave short (indicator terms, plus near synonyms
# that the texts use). They only choose which paragraphs to read; the coder labels by the definitions.
TARGETS: dict[str, tuple[str, int]] = {
    "GM5": (r"12345|热线|好差评|诉求|投诉|留言|满意度|评价|回应|互动|公众参与|社会参与|意见建议|征求意见|公众监督", 75),
    "GM2": (r"授权运营|政企合作|委托|购买服务|特许经营|合资|市场化运作|政府引导|交易所|交易场所|运营主体|运营机构|战略合作", 60),
    "GM3": (r"平台企业|互联网企业|平台经营者|电子商务平台|服务提供者|微信|支付宝|企业主导|平台内经营者|平台规则|交易规则", 60),
    "GM4": (r"社会力量|社会组织|行业协会|行业组织|多元|协同治理|共建共治共享|第三方|科研院所|高等院校|联盟|生态|多方", 60),
    "IS1": (r"探索|研究|谋划|愿景|发展方向|前瞻|构想|设想|鼓励", 50),
    "IS3": (r"试点|示范|上线|建成|启用|率先|先行先试|试验区|落地|部署", 55),
    "IS4": (r"推广|复制|全覆盖|跨省通办|全国统一|全面推行|全面推开|推开|互通互认|异地", 60),
    "IS5": (r"条例|标准|规范|制度化|常态化|长效机制|纳入.*考核|评估|迭代|升级|修订|固化", 50),
}
_HEADING = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+[章节编]|[一二三四五六七八九十]+、)[^。；]*$")


def documents(corpus: pt.Corpus) -> pd.DataFrame:
    """The document table restricted to 2014-2022 without duplicated collection rows."""
    frame = corpus.metadata
    keep = frame["year"].isin(list(YEARS)).fillna(False)
    keep &= ~frame["doc_id"].str.startswith(EXCLUDED_COLLECTIONS)
    in_sc = frame["doc_id"].str.startswith("collections/gov_cn_state_council_docs")
    keep &= ~(in_sc & frame["doc_number"].isin(DUPLICATED_DOC_NUMBERS).fillna(False))
    return frame[keep]


def is_dg(texts: pd.Series) -> pd.Series:
    """True where a paragraph contains a digital-government lexicon term (generic 'other' terms excepted)."""
    lexicon = load_lexicon()
    terms = sorted(lexicon.loc[lexicon["category"] != "other", "term"], key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    return texts.map(lambda t: bool(pattern.search(t)))


def stratified(pool: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Draw n rows spread over year x doc group cells: square-root allocation, at least one per cell."""
    if n <= 0 or pool.empty:
        return pool.iloc[0:0]
    cells = pool.groupby(["year", "group"]).size()
    weights = np.sqrt(cells.to_numpy(dtype=float))
    quota = np.maximum(1, np.floor(weights / weights.sum() * n)).astype(int)
    quota = np.minimum(quota, cells.to_numpy())
    # Hand out what rounding left over to the largest cells that still have rows.
    order = np.argsort(-weights)
    while quota.sum() < min(n, len(pool)):
        grew = False
        for i in order:
            if quota.sum() >= n:
                break
            if quota[i] < cells.iloc[i]:
                quota[i] += 1
                grew = True
        if not grew:
            break
    parts = []
    for (key, size), q in zip(cells.items(), quota):
        cell = pool[(pool["year"] == key[0]) & (pool["group"] == key[1])]
        parts.append(cell.sample(n=int(q), random_state=int(rng.integers(2**31))))
    return pd.concat(parts)


def draw(corpus: pt.Corpus, total: int = TARGET_TOTAL, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    docs = documents(corpus)
    seg = corpus.segments("paragraph")
    seg = seg[seg["doc_id"].isin(docs["doc_id"])].copy()
    length = seg["text"].str.len()
    seg = seg[(length >= MIN_CHARS) & (length <= MAX_CHARS)]
    seg = seg[seg["text"].str.contains("[。；！？]") & ~seg["text"].str.match(_HEADING)]
    seg["group"] = seg["doc_type"].map(DOC_GROUPS)
    seg["year"] = seg["year"].astype(int)
    seg["dg"] = is_dg(seg["text"])
    seg = seg.sort_values(["doc_id", "position"]).reset_index(drop=True)

    chosen: list[pd.DataFrame] = []
    taken: set[str] = set()
    dg_pool = seg[seg["dg"]]
    for label, (pattern, n) in TARGETS.items():
        pool = dg_pool[dg_pool["text"].str.contains(pattern) & ~dg_pool["segment_id"].isin(taken)]
        # Cap each document's share so one law cannot supply a whole stratum.
        pool = pool.sample(frac=1.0, random_state=int(rng.integers(2**31)))
        pool = pool.groupby("doc_id", group_keys=False).head(MAX_PER_DOC_TARGET)
        part = stratified(pool, n, rng).assign(kind=f"target-{label}")
        chosen.append(part)
        taken |= set(part["segment_id"])
    n_ordinary = round(total * ORDINARY_SHARE)
    n_dg = total - n_ordinary - len(taken)
    part = stratified(dg_pool[~dg_pool["segment_id"].isin(taken)], n_dg, rng).assign(kind="dg")
    chosen.append(part)
    taken |= set(part["segment_id"])
    part = stratified(seg[~seg["dg"]], n_ordinary, rng).assign(kind="ordinary")
    chosen.append(part)

    sample = pd.concat(chosen).sort_values(["doc_id", "position"]).reset_index(drop=True)
    sample["stratum"] = sample["kind"] + ":" + sample["year"].astype(str) + "|" + sample["group"]
    return sample


def to_rows(sample: pd.DataFrame) -> pd.DataFrame:
    """The segments.csv columns: ids, file, checksums and offsets only (no text)."""
    home = data_home()
    rel = sample["path"].map(lambda p: Path(p).resolve().relative_to(home.resolve()).as_posix())
    # Table rows do not carry the file checksum, so take every checksum from the registered manifest.
    manifest = pt.registered_corpus("policy").manifest
    checksums = dict(zip(manifest["path"], manifest["sha256"]))
    return pd.DataFrame({
        "segment_id": sample["segment_id"],
        "doc_id": sample["doc_id"],
        "corpus": "policy",
        "path": rel,
        "doc_sha256": rel.map(checksums),
        "start": sample["start"].astype(int),
        "end": sample["end"].astype(int),
        "text_sha256": sample["text"].map(lambda t: hashlib.sha256(t.encode("utf-8")).hexdigest()),
        "year": sample["year"].astype(int),
        "level": sample["level"],
        "doc_type": sample["doc_type"],
        "stratum": sample["stratum"],
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=TARGET_TOTAL)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    corpus = pt.load_corpus("policy", clean=False)
    sample = draw(corpus, args.total, args.seed)
    rows = to_rows(sample)
    rows.to_csv(args.out, index=False)
    print(f"wrote {len(rows)} segments to {args.out}")
    print(rows["stratum"].str.split(":").str[0].value_counts().to_string())


if __name__ == "__main__":
    main()
