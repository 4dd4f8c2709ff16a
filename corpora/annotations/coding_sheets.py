"""Print the segments of a sampling round for coding, without the stratum (it hints at the target label).

    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/coding_sheets.py round3 coder1 A  # first half
    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/coding_sheets.py round3 coder1 B  # second half
    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/coding_sheets.py round4 coder2     # 60-row subsample

Coder 1 codes every row of the round (split into two halves A and B in segment order); coder 2 codes a seeded
random subsample of 60 rows independently, for the round's reliability. Sentence rows (round 4) are printed
with the heading of the section they stand in, which the coder needs for rule S2 (review sections are 0).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

import policytext as pt

HERE = Path(__file__).resolve().parent
SEED = 20261124
N_CODER2 = 60


HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章部分]|（[一二三四五六七八九十]+）)")


def round_rows(round_name: str) -> pd.DataFrame:
    """Rows of one round in segments.csv in segment order, without the stratum column."""
    segments = pd.read_csv(HERE / "segments.csv", dtype=str, keep_default_na=False)
    rows = segments[segments["stratum"].str.startswith(round_name + "-")].sort_values("segment_id")
    return rows.drop(columns=["stratum"]).reset_index(drop=True)


def sheet(round_name: str, who: str, part: str | None = None) -> pd.DataFrame:
    """The rows one coder codes: coder1 half A or B, or coder2's subsample."""
    rows = round_rows(round_name)
    if who == "coder2":
        return rows.sample(n=N_CODER2, random_state=SEED).reset_index(drop=True)
    half = (len(rows) + 1) // 2
    return rows.iloc[:half] if part == "A" else rows.iloc[half:]


def section_headings(paragraphs: pd.DataFrame) -> pd.Series:
    """For every paragraph, the last short heading line at or before it in its document ('' when none)."""
    short = paragraphs["text"].str.len() <= 40
    heading = paragraphs["text"].where(short & paragraphs["text"].str.match(HEADING)).str.strip()
    return heading.groupby(paragraphs["doc_id"]).ffill().fillna("")


def main(argv: list[str]) -> None:
    round_name = argv[1] if len(argv) > 1 else "round3"
    who = argv[2] if len(argv) > 2 else "coder1"
    rows = sheet(round_name, who, argv[3] if len(argv) > 3 else "A")
    corpus = pt.load_corpus("policy", clean=False)
    para = corpus.segments("paragraph").sort_values(["doc_id", "start"]).reset_index(drop=True)
    para["section"] = section_headings(para)
    sent = corpus.segments("sentence").set_index("segment_id")
    para = para.set_index("segment_id")
    for i, row in rows.iterrows():
        print(f"--- [{i + 1}] {row['segment_id']} | year={row['year']} | doc_type={row['doc_type']}")
        if row["segment_id"] in para.index:
            print(para.loc[row["segment_id"], "text"])
        else:
            within = para[(para["doc_id"] == row["doc_id"]) & (para["start"] <= int(row["start"]))]
            section = within["section"].iloc[-1] if len(within) else ""
            print(f"[section: {section or 'none'}]")
            print(sent.loc[row["segment_id"], "text"])
        print()


if __name__ == "__main__":
    main(sys.argv)
