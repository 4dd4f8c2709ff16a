"""Draw a fourth round, of sentences, for the rare innovation-stage labels and append it to segments.csv.

    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/sample_round4.py [--dry-run]

Why sentences: rounds 2 and 3 showed that pilot, scale-up and agenda language in work reports and Party
documents sits in single sentences of long paragraphs whose primary object is something else, so the paragraph
is 0 under rule S1 (RELIABILITY.md, "Round 2" and "Round 3"). The codebook's unit for governance mode and stage
is the innovation object, and in these texts one sentence usually carries one object and one act (试点 X,
推广 Y, 建设数字中国). Round 4 therefore codes sentences, with the same rules applied to the sentence.

Design (seeded; rows are appended and a rerun appends nothing):

* Documents: the round-1 selection (2014-2022) and the out-of-window documents of round 3 (2000-2013,
  2023-2025).
* Sentences (``Corpus.segments("sentence")``, read without cleaning): 12-250 characters, containing a
  digital-government lexicon term (``sample_segments.is_dg``), and not inside a paragraph already in
  segments.csv, so that no sentence repeats text that an earlier row already holds.
* Strata ``round4-<target>`` in ``TARGETS`` order: sentences with an indicator of IS4, IS3 or IS1 (as in round
  3), then sentences of Party documents (direction statements), then any other digital sentence; at most
  ``MAX_PER_DOC`` per document and stratum, spread over year x document group.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import policytext as pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sample_round2 as round2  # noqa: E402
import sample_round3 as round3  # noqa: E402
import sample_segments as round1  # noqa: E402

SEED = 20261125
ROUND = "round4"
MIN_CHARS, MAX_CHARS = 12, 250
MAX_PER_DOC = 8
TARGETS: dict[str, tuple[str | None, int]] = {
    "IS4": ("innovation-stage", 80),
    "IS3": ("innovation-stage", 80),
    "IS1": ("innovation-stage", 50),
    "party": (None, 40),
    "digital": (None, 60),
}


def sentence_pool(corpus: pt.Corpus, segments: pd.DataFrame) -> pd.DataFrame:
    """Digital sentences of the eligible documents that lie outside every paragraph already sampled."""
    docs = set(round3.out_of_window(corpus)["doc_id"]) | set(round1.documents(corpus)["doc_id"])
    sent = corpus.segments("sentence")
    sent = sent[sent["doc_id"].isin(docs)].copy()
    length = sent["text"].str.strip().str.len()
    sent = sent[(length >= MIN_CHARS) & (length <= MAX_CHARS) & ~sent["text"].str.match(round1._HEADING)]
    taken = segments[["doc_id", "start", "end"]].astype({"start": int, "end": int})
    inside = sent.merge(taken, on="doc_id", suffixes=("", "_p"))
    inside = inside[(inside["start"] < inside["end_p"]) & (inside["end"] > inside["start_p"])]
    sent = sent[~sent["segment_id"].isin(set(inside["segment_id"]))]
    sent["year"] = pd.to_numeric(sent["year"], errors="coerce")
    sent = sent[sent["year"].notna()]
    sent["year"] = sent["year"].astype(int)
    sent["group"] = sent["doc_type"].str.removesuffix("_collection").map(round1.DOC_GROUPS).fillna("other")
    sent = sent[round1.is_dg(sent["text"])]
    return sent.sort_values(["doc_id", "position"]).reset_index(drop=True)


def draw(corpus: pt.Corpus, segments: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """The round-4 sample, stratum by stratum in ``TARGETS`` order."""
    rng = np.random.default_rng(seed)
    chosen = round2.draw_strata(sentence_pool(corpus, segments), TARGETS, rng, MAX_PER_DOC, ROUND, select=_select)
    return round2.with_strata(chosen)


def _select(pool: pd.DataFrame, target: str, codebook: str | None) -> pd.DataFrame:
    """Sentences a stratum may take: a label's indicators, Party documents, or (``digital``) any sentence."""
    if codebook is not None:
        return pool[pool["text"].str.contains(round2.target_pattern(target, codebook))]
    return pool[pool["group"] == "party"] if target == "party" else pool


def main() -> None:
    round2.run_round(ROUND, draw, __doc__.splitlines()[0], SEED)


if __name__ == "__main__":
    main()
