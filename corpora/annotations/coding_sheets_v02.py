"""Print coding sheets for codebook v0.2: segments grouped by document, with the document's context.

    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/coding_sheets_v02.py blind > sheet.md
    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/coding_sheets_v02.py round5 --part 1 --parts 2
    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/coding_sheets_v02.py recode --part 1 --parts 3
    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/coding_sheets_v02.py rare

Under v0.2 a segment's stage is the stage of its innovation object in its document, so a coder needs more than
the segment: every sheet shows, per document, its title, genre, level and year and the opening of each of its
digital-government paragraphs, then the segments to code with the heading of the section each stands in (rule P1:
review sections are 0). Sheets never show a stratum (it hints at the target label) and, except for ``recode``,
never show another coder's labels. ``recode`` shows the v0.1 final labels, because recoding revises them.
``rare`` lists every segment whose v0.1 final label or round-5 label is a rare label (GM2-GM5, IS1, IS3, IS4),
shuffled among an equal number of other in-scope segments so that the second coder cannot tell which is which.
Documents are split into parts whole, so that one coder sees all segments of a document.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import policytext as pt
from policytext import segment_texts

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import sample_segments as round1  # noqa: E402

SEED = 20261206
HEADING = re.compile(
    r"^\s*([一二三四五六七八九十]+、|第[一二三四五六七八九十百零〇\d]+[章节编部分]|（[一二三四五六七八九十]+）)")
CONTEXT_PARAGRAPHS, CONTEXT_CHARS = 15, 100
RARE = {"GM2", "GM3", "GM4", "GM5", "IS1", "IS3", "IS4"}


def paragraphs() -> pd.DataFrame:
    """Every paragraph of the annotated corpora with doc_id relative to ``policy/`` (as in segments.csv)."""
    parts = []
    for name, prefix in (("policy-v2", ""), ("city-gwr-2024", "city-gwr-2024/"),
                         ("national-2023-2025", "national-2023-2025/")):
        seg = pt.load_corpus(name, clean=False).segments("paragraph")
        seg["doc_id"] = prefix + seg["doc_id"]
        parts.append(seg[["doc_id", "start", "end", "text", "title", "year", "level", "doc_type"]])
    return pd.concat(parts, ignore_index=True)


def with_context(rows: pd.DataFrame, paras: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rows with text and section heading; one context block per document."""
    rows = rows.copy()
    rows["text"] = segment_texts(rows)
    paras = paras[paras["doc_id"].isin(set(rows["doc_id"]))]
    heads = paras[(paras["text"].str.len() <= 40) & paras["text"].str.match(HEADING)]
    rows["heading"] = [
        _last(heads[(heads["doc_id"] == d) & (heads["start"] <= int(s))]["text"])
        for d, s in zip(rows["doc_id"], rows["start"])
    ]
    blocks = {}
    for doc_id, group in paras.groupby("doc_id", sort=True):
        first = group.iloc[0]
        digital = group[round1.is_dg(group["text"])].head(CONTEXT_PARAGRAPHS)
        lines = [f"- {t[:CONTEXT_CHARS].strip()}…" for t in digital["text"]]
        blocks[doc_id] = (
            f"title: {first['title']} | genre: {first['doc_type']} | level: {first['level']} | year: {first['year']}\n"
            f"digital-government paragraphs of this document (first {CONTEXT_CHARS} characters each, at most "
            f"{CONTEXT_PARAGRAPHS}):\n" + ("\n".join(lines) or "- (none)")
        )
    return rows, blocks


def _last(values: pd.Series) -> str:
    return values.iloc[-1].strip() if len(values) else ""


def render(rows: pd.DataFrame, blocks: dict[str, str], show: list[str] | None = None) -> str:
    out = []
    for doc_id, group in rows.groupby("doc_id", sort=True):
        out.append(f"\n## DOCUMENT {doc_id}\n{blocks.get(doc_id, '')}\n")
        for row in group.assign(_s=group["start"].astype(int)).sort_values("_s").itertuples(index=False):
            out.append(f"### {row.segment_id}")
            if row.heading:
                out.append(f"[section: {row.heading}]")
            if show:
                out.extend(f"{c}: {getattr(row, c)}" for c in show)
            out.append(row.text.strip() + "\n")
    return "\n".join(out)


def disagreements(pair: list[Path], segments: pd.DataFrame) -> pd.DataFrame:
    """Rows where two coders differ on GM, IS or the primary tool; each coder's labels shown as A or B in an order
    drawn per row, so that the adjudicator cannot tell which coder is which."""
    first, second = (pd.read_csv(p, dtype=str, keep_default_na=False).set_index("segment_id") for p in pair)
    both = first.index.intersection(second.index)
    fields = ["governance_mode", "innovation_stage", "policy_tools", "object", "driver", "orientation",
              "public_value", "iteration"]

    def primary(v: str) -> str:
        return v.split(";")[0].strip()

    differ = [s for s in both if any(first.at[s, c] != second.at[s, c] for c in fields[:2])
              or primary(first.at[s, "policy_tools"]) != primary(second.at[s, "policy_tools"])]
    rng = np.random.default_rng(SEED)
    pool = pd.concat([segments, pd.read_csv(HERE / "blind_segments.csv", dtype=str, keep_default_na=False)])
    rows = pool.drop_duplicates("segment_id").set_index("segment_id").loc[differ].reset_index()
    shown = []
    for seg in rows["segment_id"]:
        pair_rows = [first.loc[seg], second.loc[seg]]
        if rng.random() < 0.5:
            pair_rows.reverse()
        shown.append([" / ".join(f"{c}={r.get(c, '')}" for c in fields) + f" / why: {r.get('rationale', '')}"
                      for r in pair_rows])
    rows["coder_A"], rows["coder_B"] = [s[0] for s in shown], [s[1] for s in shown]
    return rows


def part_of(rows: pd.DataFrame, part: int, parts: int) -> pd.DataFrame:
    """Whole documents, balanced by segment count, into ``parts`` parts."""
    sizes = rows.groupby("doc_id").size().sort_values(ascending=False)
    load = [0] * parts
    owner = {}
    for doc_id, n in sizes.items():
        i = int(np.argmin(load))
        owner[doc_id] = i + 1
        load[i] += n
    return rows[rows["doc_id"].map(owner) == part]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sheet", choices=["blind", "round5", "round6", "recode", "rare", "adjudicate"])
    parser.add_argument("--pair", type=Path, nargs=2, help="with adjudicate: the two coders' label files")
    parser.add_argument("--part", type=int, default=1)
    parser.add_argument("--parts", type=int, default=1)
    parser.add_argument("--labels", type=Path, nargs="+", default=[HERE / "labels_final_v0.1.csv"],
                        help="with rare: the label files whose rare rows are listed")
    parser.add_argument("--skip", type=Path, help="with rare: a sheet already coded; its segments are left out")
    args = parser.parse_args()
    segments = pd.read_csv(HERE / "segments.csv", dtype=str, keep_default_na=False)
    show = None
    if args.sheet == "adjudicate":
        rows, show = disagreements(args.pair, segments), ["coder_A", "coder_B"]
    elif args.sheet == "blind":
        rows = pd.read_csv(HERE / "blind_segments.csv", dtype=str, keep_default_na=False)
    elif args.sheet.startswith("round"):
        rows = segments[segments["stratum"].str.startswith(args.sheet + "-")].drop(columns=["stratum"])
    else:
        if args.sheet == "recode":
            final = pd.read_csv(HERE / "labels_final_v0.1.csv", dtype=str, keep_default_na=False)
            rows = segments.merge(final, on="segment_id")
            show = ["governance_mode", "innovation_stage", "policy_tools", "rationale"]
        else:
            lab = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in args.labels])
            if args.skip:
                done = set(re.findall(r"^### (.+)$", args.skip.read_text(encoding="utf-8"), re.M))
                lab = lab[~lab["segment_id"].isin(done)]
            rare = lab["governance_mode"].isin(RARE) | lab["innovation_stage"].isin(RARE)
            rare_ids = set(lab.loc[rare, "segment_id"])
            in_scope = set(lab.loc[lab["governance_mode"] != "0", "segment_id"]) - rare_ids
            rng = np.random.default_rng(SEED)
            decoys = rng.choice(sorted(in_scope), size=min(len(in_scope), len(rare_ids)), replace=False)
            rows = segments[segments["segment_id"].isin(rare_ids | set(decoys))].drop(columns=["stratum"])
    rows = part_of(rows, args.part, args.parts)
    rows, blocks = with_context(rows, paragraphs())
    if args.sheet == "recode":
        # A v0.1 zero without any digital-government term cannot come into scope under S0: it stays 0 unread.
        rows = rows[(rows["governance_mode"] != "0") | round1.is_dg(rows["text"])]
    print(f"# {args.sheet} part {args.part}/{args.parts}: {len(rows)} segments from {rows['doc_id'].nunique()} "
          "documents")
    print(render(rows, blocks, show))


if __name__ == "__main__":
    main()
