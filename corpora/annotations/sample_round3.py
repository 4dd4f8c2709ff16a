"""Draw a third round of paragraphs for the rare innovation-stage labels and append it to segments.csv.

Run from the repository root with the data home set:

    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/sample_round3.py [--dry-run]

Why a third round: after round 2, IS1 (8), IS3 (25) and IS4 (27) were still far below 40 examples, and
RELIABILITY.md ("Round 2") found that the 2014-2022 documents had no candidates left. The corpus ``policy``
also holds texts just outside that window which speak the same policy language: the local work reports of
Shanghai 2023 and of seven cities 2024, the national work reports 2000-2013 and 2023-2025 and the Party
congress reports 2002-2012 (collection rows; e-government, 电子政务, enters the reports around 2000). Their
pilot, scale-up and agenda paragraphs are what the classifiers lack. Round-3 rows keep their own year, so any
analysis can restrict itself to 2014-2022; the first 800+ segments (rounds 1-2) remain inside the window.

Design (seeded: the same corpus and segments.csv give the same draw):

* Documents: every document of ``policy`` dated 2000-2013 or 2023-2025 that is not a collection row
  duplicating a single file (work reports 2014-2022 and the 18th-20th congress reports exist as files), plus
  the round-1 documents, whose paragraphs not yet in segments.csv remain eligible.
* Paragraphs: read without cleaning, 30-1500 characters, with sentence punctuation, not headings, not already
  in segments.csv (rounds 1-2).
* Candidates: a paragraph with a digital-government cue (a lexicon term or a generic digital word, as in
  round 2) that contains an indicator of the target label (the codebook's indicators plus round 2's
  near-synonyms; ``sample_round2.target_pattern``). The terms only choose what is read; the coder labels by
  the definitions and boundary rules.
* Strata ``round3-<target>`` are filled in ``TARGETS`` order, at most ``MAX_PER_DOC`` paragraphs per document
  and stratum, spread over year x document group; then about 15% ordinary paragraphs (``round3-ordinary``) from
  the out-of-window documents, expected to be 0.
* Rows are appended; existing rows stay byte-identical and a rerun appends nothing (idempotent).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import policytext as pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sample_round2 as round2  # noqa: E402  (sibling scripts: candidate terms, strata and row format)
import sample_segments as round1  # noqa: E402

SEED = 20261124
ROUND = "round3"
YEARS = [*range(2000, 2014), *range(2023, 2026)]
MAX_PER_DOC = 6
ORDINARY_SHARE = 0.15
# Stage labels first (the target of this round), then the rare modes where the same texts offer candidates.
TARGETS: dict[str, tuple[str, int]] = {
    "IS4": ("innovation-stage", 70),
    "IS3": ("innovation-stage", 70),
    "IS1": ("innovation-stage", 60),
    "GM2": ("governance-mode", 15),
    "GM4": ("governance-mode", 15),
}
# Collection rows that duplicate a single file of the corpus (the file is the registered copy).
DUPLICATE_YEARS = {
    "collections/government_work_reports_1954_2025.jsonl": set(range(2014, 2023)),
    "collections/cpc_congress_reports_1st_20th.jsonl": {2012, 2017, 2022},
}


def out_of_window(corpus: pt.Corpus) -> pd.DataFrame:
    """Documents dated in ``YEARS``, without collection rows that duplicate a file."""
    frame = corpus.metadata.copy()
    year = pd.to_numeric(frame["year"], errors="coerce")
    keep = year.isin(YEARS)
    for collection, years in DUPLICATE_YEARS.items():
        keep &= ~(frame["doc_id"].str.startswith(collection) & year.isin(years))
    return frame[keep]


def paragraph_pool(corpus: pt.Corpus, taken_ids: set[str]) -> pd.DataFrame:
    """Eligible paragraphs of the out-of-window and round-1 documents, minus rows already sampled."""
    docs = pd.concat([out_of_window(corpus)["doc_id"], round1.documents(corpus)["doc_id"]])
    seg = corpus.segments("paragraph")
    seg = seg[seg["doc_id"].isin(set(docs)) & ~seg["segment_id"].isin(taken_ids)].copy()
    length = seg["text"].str.len()
    seg = seg[(length >= round2.MIN_CHARS) & (length <= round2.MAX_CHARS)]
    seg = seg[seg["text"].str.contains("[。；！？]") & ~seg["text"].str.match(round1._HEADING)]
    seg["year"] = pd.to_numeric(seg["year"], errors="coerce")
    seg = seg[seg["year"].notna()]
    seg["year"] = seg["year"].astype(int)
    seg["group"] = seg["doc_type"].str.removesuffix("_collection").map(round1.DOC_GROUPS).fillna("other")
    seg["outside"] = seg["year"].isin(YEARS)
    seg["digital"] = round1.is_dg(seg["text"]) | seg["text"].str.contains(round2.DIGITAL_CUE)
    return seg.sort_values(["doc_id", "position"]).reset_index(drop=True)


def draw(corpus: pt.Corpus, taken_ids: set[str], seed: int = SEED) -> pd.DataFrame:
    """The round-3 sample: targeted strata in ``TARGETS`` order, then ordinary out-of-window paragraphs."""
    rng = np.random.default_rng(seed)
    seg = paragraph_pool(corpus, taken_ids)
    digital = seg[seg["digital"]]
    chosen = round2.draw_strata(digital, TARGETS, rng, MAX_PER_DOC, ROUND)
    n_ordinary = round(sum(len(part) for part in chosen) * ORDINARY_SHARE / (1 - ORDINARY_SHARE))
    ordinary = seg[~seg["digital"] & seg["outside"]]
    chosen.append(round1.stratified(ordinary, n_ordinary, rng).assign(kind=f"{ROUND}-ordinary"))
    return round2.with_strata(chosen)


def main() -> None:
    round2.run_round(ROUND, lambda corpus, earlier, seed: draw(corpus, set(earlier["segment_id"]), seed),
                     __doc__.splitlines()[0], SEED)


if __name__ == "__main__":
    main()
