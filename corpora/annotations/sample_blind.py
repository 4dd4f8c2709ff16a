"""Split the new documents into a blind evaluation set and a training pool, and draw both samples.

    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/sample_blind.py [--dry-run]

Writes (each written aside and renamed in; a rerun with the same seed writes the same bytes):

* ``blind_docs.csv``: the documents reserved for evaluation. No training row may come from one of them
  (``tests/test_annotations_blind.py`` fails if one does).
* ``blind_segments.csv``: paragraphs drawn **at random, stratified by document only** (never by keyword):
  up to ``PER_DOC`` eligible paragraphs from each blind document.
* rows of round 5 appended to ``segments.csv``: training paragraphs from the other new documents, most drawn at
  random or by model uncertainty, a minority from keyword strata; each row's stratum says how it was drawn.

Documents: the new material in ``../shared/corpora`` that no earlier round used: the 2024 city work reports
(``city-gwr-2024``; the seven cities whose reports are already in the corpus ``policy`` are left out), the
national texts of 2022-2025 and the local rules added in ``policy-v2``. Blind documents are drawn at random
within each kind, so that the blind set has the mix of the new material.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import policytext as pt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import sample_round2 as round2  # noqa: E402
import sample_segments as round1  # noqa: E402

SEED = 20261206
MIN_CHARS, MAX_CHARS = 30, 1500
PER_DOC = 8
# Blind documents per kind (the rest of each kind is the training pool of round 5).
BLIND_DOCS = {"city-gwr": 33, "local": 7, "national": 3}
ROUND = "round5"
N_RANDOM, N_MARGIN, N_RARE, N_KEYWORD = 150, 80, 80, 90
MAX_PER_DOC = 3
RARE = {"governance-mode": ["GM2", "GM3", "GM4", "GM5"], "innovation-stage": ["IS1", "IS3", "IS4"]}
KEYWORDS = {
    "IS4": r"复制推广|推广.{0,12}经验|经验.{0,12}推广|在全国推行|全国推广|全面推开|由点到面|可复制",
    "IS1": r"积极探索|探索建立|研究制定|谋划|前瞻布局",
    "GM2": r"授权运营|委托运营|特许经营|政企合作|管运分离|数据交易所|数据交易中心|合资",
    "GM3": r"平台企业|互联网企业|支付宝|微信|阿里|腾讯|华为|龙头企业",
    "GM4": r"行业协会|社会组织|多元|协同共治|产业联盟|生态|社会力量|第三方",
}


def new_documents() -> pd.DataFrame:
    """Paragraph-level pool of the new documents with kind, doc_id relative to ``policy/`` and file checksum."""
    used = pd.read_csv(HERE / "segments.csv", dtype=str, usecols=["path", "doc_sha256", "stratum"])
    # Documents of rounds 1-4 are old material; rows this script (round 5) or later rounds add do not count.
    used = used[~used["stratum"].str.match(r"round[5-9]-")]
    used_sha = set(used["doc_sha256"])
    used_cities = {Path(p).name for p in used["path"] if Path(p).name.startswith("city_gwr_2024_")}
    parts = []
    for name, kind, prefix in (("city-gwr-2024", "city-gwr", "city-gwr-2024/"),
                               ("national-2023-2025", "national", "national-2023-2025/"),
                               ("policy-v2", None, "")):
        corpus = pt.load_corpus(name, clean=False)
        seg = corpus.segments("paragraph")
        seg["kind"] = kind
        if name == "policy-v2":
            seg = seg[seg["doc_id"].str.startswith(("local/", "national/"))]
            seg["kind"] = np.where(seg["doc_id"].str.startswith("local/"), "local", "national")
        seg["doc_id"] = prefix + seg["doc_id"]
        seg["segment_id"] = prefix + seg["segment_id"]
        parts.append(seg)
    seg = pd.concat(parts, ignore_index=True)
    seg["rel"] = seg["path"].map(lambda p: Path(p).resolve().relative_to(pt.data_home().resolve()).as_posix())
    checksums = {p: _sha256(pt.data_home() / p) for p in seg["rel"].unique()}
    seg["doc_sha256"] = seg["rel"].map(checksums)
    fresh = ~seg["doc_sha256"].isin(used_sha) & ~seg["rel"].map(lambda p: Path(p).name).isin(used_cities)
    return seg[fresh].reset_index(drop=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def eligible(seg: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs a coder can judge: 30-1,500 characters, a full sentence, not a heading."""
    length = seg["text"].str.len()
    keep = (length >= MIN_CHARS) & (length <= MAX_CHARS) & seg["text"].str.contains("[。；！？]")
    return seg[keep & ~seg["text"].str.match(round1._HEADING)]


def split_documents(seg: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per new document with ``blind`` True for the documents drawn for evaluation."""
    docs = seg.groupby("doc_id", sort=True).agg(kind=("kind", "first"), title=("title", "first"),
                                                 year=("year", "first"), level=("level", "first"),
                                                 doc_type=("doc_type", "first"), path=("rel", "first"),
                                                 doc_sha256=("doc_sha256", "first")).reset_index()
    docs["blind"] = False
    # A document the segmenter reads as one long line has no paragraphs to draw: it cannot be a blind document.
    n_eligible = eligible(seg).groupby("doc_id").size()
    docs["paragraphs"] = docs["doc_id"].map(n_eligible).fillna(0).astype(int)
    for kind, n in BLIND_DOCS.items():
        ids = docs.loc[(docs["kind"] == kind) & (docs["paragraphs"] >= PER_DOC // 2), "doc_id"].to_numpy()
        chosen = rng.choice(ids, size=min(n, len(ids)), replace=False)
        docs.loc[docs["doc_id"].isin(chosen), "blind"] = True
    return docs


def to_rows(sample: pd.DataFrame, corpus_names: pd.Series, stratum: pd.Series | None) -> pd.DataFrame:
    """segments.csv columns: ids, file, checksums and offsets (no text)."""
    rows = pd.DataFrame({
        "segment_id": sample["segment_id"], "doc_id": sample["doc_id"], "corpus": corpus_names,
        "path": sample["rel"], "doc_sha256": sample["doc_sha256"],
        "start": sample["start"].astype(int), "end": sample["end"].astype(int),
        "text_sha256": sample["text"].map(lambda t: hashlib.sha256(t.encode("utf-8")).hexdigest()),
        "year": pd.to_numeric(sample["year"], errors="coerce").astype("Int64"),
        "level": sample["level"], "doc_type": sample["doc_type"],
    })
    if stratum is not None:
        rows["stratum"] = stratum.to_numpy()
    return rows.reset_index(drop=True)


def corpus_of(doc_ids: pd.Series) -> pd.Series:
    return doc_ids.map(lambda d: "city-gwr-2024" if d.startswith("city-gwr-2024/")
                       else "national-2023-2025" if d.startswith("national-2023-2025/") else "policy-v2")


def draw_blind(seg: pd.DataFrame, docs: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    pool = eligible(seg[seg["doc_id"].isin(docs.loc[docs["blind"], "doc_id"])])
    parts = [g.sample(n=min(PER_DOC, len(g)), random_state=int(rng.integers(2**31)))
             for _, g in pool.groupby("doc_id", sort=True)]
    sample = pd.concat(parts).sort_values(["doc_id", "position"])
    return to_rows(sample, corpus_of(sample["doc_id"]), None)


def draw_training(seg: pd.DataFrame, docs: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Round 5: random (by document), model-uncertainty and keyword strata from the training pool."""
    pool = eligible(seg[seg["doc_id"].isin(docs.loc[~docs["blind"], "doc_id"])]).copy()
    pool["digital"] = round1.is_dg(pool["text"]) | pool["text"].str.contains(round2.DIGITAL_CUE)
    taken: set[str] = set()
    chosen = []

    def take(frame: pd.DataFrame, n: int, kind: str) -> None:
        frame = frame[~frame["segment_id"].isin(taken)]
        frame = frame.groupby("doc_id", group_keys=False, sort=True).head(MAX_PER_DOC).head(n)
        chosen.append(frame.assign(stratum=f"{ROUND}-{kind}"))
        taken.update(frame["segment_id"])

    # Random, spread over documents: shuffle, then take round-robin by within-document rank.
    shuffled = pool.sample(frac=1.0, random_state=int(rng.integers(2**31)))
    shuffled["rank"] = shuffled.groupby("doc_id").cumcount()
    take(shuffled.sort_values(["rank"], kind="stable"), N_RANDOM, "random")
    # Model uncertainty among digital paragraphs, with the shipped models.
    digital = pool[pool["digital"]].copy()
    margin = np.zeros(len(digital))
    rare = np.zeros(len(digital))
    for scheme, labels in RARE.items():
        frame = pt.load_model(scheme).predict_proba(digital["text"].tolist())
        top = np.sort(frame.to_numpy(), axis=1)
        margin += top[:, -1] - top[:, -2]
        rare += frame[labels].to_numpy().sum(axis=1)
    digital["margin"], digital["rare"] = margin, rare
    take(digital.sort_values("margin", kind="stable"), N_MARGIN, "margin")
    take(digital.sort_values("rare", ascending=False, kind="stable"), N_RARE, "rare-probability")
    per_keyword = N_KEYWORD // len(KEYWORDS)
    for label, pattern in KEYWORDS.items():
        hits = digital[digital["text"].str.contains(pattern)]
        take(hits.sample(frac=1.0, random_state=int(rng.integers(2**31))), per_keyword, f"keyword-{label}")
    sample = pd.concat(chosen).sort_values(["doc_id", "position"])
    return to_rows(sample, corpus_of(sample["doc_id"]), sample["stratum"])


def write_aside(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_csv(tmp, index=False, lineterminator="\n")
    tmp.replace(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    seg = new_documents()
    docs = split_documents(seg, rng)
    blind = draw_blind(seg, docs, rng)
    training = draw_training(seg, docs, rng)
    print(docs.groupby(["kind", "blind"]).size().to_string())
    print(f"blind: {len(blind)} paragraphs from {blind['doc_id'].nunique()} documents")
    print(f"round 5: {len(training)} paragraphs from {training['doc_id'].nunique()} documents")
    print(training["stratum"].value_counts().to_string())
    if args.dry_run:
        return
    blind_docs = docs.loc[docs["blind"], ["doc_id", "kind", "title", "year", "level", "doc_type", "path",
                                          "doc_sha256"]]
    write_aside(blind_docs, HERE / "blind_docs.csv")
    write_aside(blind, HERE / "blind_segments.csv")
    added = round2.append_rows(training, HERE / "segments.csv")
    print(f"appended {added} round-5 rows to segments.csv")


if __name__ == "__main__":
    main()
