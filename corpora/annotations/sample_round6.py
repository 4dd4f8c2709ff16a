"""Draw round 6: one whole document coded at the codebook's unit, and model-uncertainty paragraphs under v0.2.

    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/sample_round6.py [--dry-run]

Why: after round 5 the rare labels stayed rare (IS4 one segment, IS1 six, GM4 eight). Two draws that do not use
keyword strata:

* ``round6-document``: every eligible paragraph of 国发〔2022〕14号 (the State Council digital-government
  guideline, in the training pool) not yet sampled. Coding a whole document gives the classifier every paragraph
  of each innovation object, which is what rule P5 (one stage per document x object) is about, and the codebook's
  own worked example puts several of its objects at IS4.
* ``round6-uncertainty``: digital paragraphs of the training-pool documents (never a blind document) on which a
  text-only model trained on the v0.2 labels is least sure (smallest margin between its two best labels, summed
  over governance mode and stage), at most ``MAX_PER_DOC`` per document.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import policytext as pt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import sample_blind as blind  # noqa: E402
import sample_round2 as round2  # noqa: E402
import sample_segments as round1  # noqa: E402

SEED = 20261207
ROUND = "round6"
DOCUMENT = "national/国务院关于加强数字政府建设的指导意见(2022-06-06).txt"
N_UNCERTAIN = 120
MAX_PER_DOC = 3


def draw(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(blind.SEED)  # the same split of documents as sample_blind.py
    seg = blind.new_documents()
    docs = blind.split_documents(seg, rng)
    taken = set(pd.read_csv(HERE / "segments.csv", dtype=str, usecols=["segment_id"])["segment_id"])
    pool = blind.eligible(seg[seg["doc_id"].isin(docs.loc[~docs["blind"], "doc_id"])])
    pool = pool[~pool["segment_id"].isin(taken)].copy()
    whole = pool[pool["doc_id"] == DOCUMENT].assign(stratum=f"{ROUND}-document")
    rest = pool[(pool["doc_id"] != DOCUMENT)]
    digital = round1.is_dg(rest["text"]).astype(bool) | rest["text"].str.contains(round2.DIGITAL_CUE).astype(bool)
    rest = rest[digital].copy()
    labelled = pt.load_annotations("final")
    margin = np.zeros(len(rest))
    for column, scheme in (("governance_mode", "governance-mode"), ("innovation_stage", "innovation-stage")):
        # A label with a single example (IS4 after round 5) cannot be calibrated; leave its rows out of this model.
        counts = labelled[column].value_counts()
        train = labelled[labelled[column].map(counts) >= 5]
        model = pt.PolicyClassifier(hierarchical=True, random_state=seed).fit(train["text"].tolist(),
                                                                              train[column].tolist())
        top = np.sort(model.predict_proba(rest["text"].tolist()).to_numpy(), axis=1)
        margin += top[:, -1] - top[:, -2]
    rest["margin"] = margin
    rest = rest.sort_values("margin", kind="stable").groupby("doc_id", sort=False).head(MAX_PER_DOC)
    uncertain = rest.head(N_UNCERTAIN).assign(stratum=f"{ROUND}-uncertainty")
    sample = pd.concat([whole, uncertain]).sort_values(["doc_id", "position"])
    return blind.to_rows(sample, blind.corpus_of(sample["doc_id"]), sample["stratum"])


def main() -> None:
    rows = draw()
    print(rows["stratum"].value_counts().to_string())
    print(f"{len(rows)} paragraphs from {rows['doc_id'].nunique()} documents")
    if "--dry-run" in sys.argv:
        return
    added = round2.append_rows(rows, HERE / "segments.csv")
    print(f"appended {added} round-6 rows to segments.csv")


if __name__ == "__main__":
    main()
