"""Draw a second round of paragraphs aimed at the rare labels and append it to segments.csv.

Run from the repository root with the data home set:

    POLICYTEXT_DATA=../shared/corpora python corpora/annotations/sample_round2.py [--dry-run]

Why a second round: after round 1 (``sample_segments.py``, 850 segments) GM2-GM5 and IS1, IS3 and IS4 each
had fewer than 40 examples. Round 1 capped paragraphs at 500 characters, so long Government Work Report and
Party-document paragraphs were never read; pilot, diffusion and agenda language was expected there. What the
round actually found is in RELIABILITY.md, "Round 2".

Design (seeded: the same corpus and segments.csv give the same draw):

* Documents: the same 2014-2022 selection as round 1 (``sample_segments.documents``).
* Paragraphs: read without cleaning, 30-1500 characters, with sentence punctuation, not headings, and not
  already in segments.csv as a round-1 row. Long paragraphs are coded by their primary digital arrangement
  (rule S1; see RELIABILITY.md, "Round 2").
* Candidates: a paragraph with a digital-government cue (a lexicon term, as in round 1, or a generic digital
  word such as 网上/数据/平台) that contains an indicator term of the target label. Terms are the label's
  indicators in ``policytext/data/codebooks/*.yaml`` plus the near-synonyms in ``EXTRA_TERMS``. The terms only
  choose what is read; the coder labels by the definitions and boundary rules.
* Strata ``round2-<target>`` are filled rarest pool first (``TARGETS`` order); a paragraph belongs to the first
  stratum whose terms it matches, each document gives at most ``MAX_PER_DOC`` paragraphs per stratum, and the
  draw inside a stratum is spread over year x document group (``sample_segments.stratified``).
* About 15% ordinary paragraphs (``round2-ordinary``): no digital cue, stratified by year x document group,
  expected to be coded 0 so that classifiers keep seeing negatives.
* Rows are appended; existing rows are left byte-identical. The draw excludes only round-1 rows, so a rerun
  draws the same segments and appends nothing that is already there (idempotent).

Every new row's stratum reads ``round2-<target>:<year>|<doc group>``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import policytext as pt
from policytext import load_codebook

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sample_segments as round1  # noqa: E402  (sibling script: same document filter, strata and row format)

SEED = 20250311
MIN_CHARS, MAX_CHARS = 30, 1500
ORDINARY_SHARE = 0.15
MAX_PER_DOC = 8  # per stratum, so that one law (e.g. the E-commerce Law) cannot fill a stratum
OUT = Path(__file__).resolve().parent / "segments.csv"
ROUND = "round2"

# target label -> (codebook, quota). Order matters: scarce pools are served first.
TARGETS: dict[str, tuple[str, int]] = {
    "GM2": ("governance-mode", 40),
    "GM3": ("governance-mode", 45),
    "GM4": ("governance-mode", 55),
    "GM5": ("governance-mode", 40),
    "IS4": ("innovation-stage", 55),
    "IS3": ("innovation-stage", 60),
    "IS1": ("innovation-stage", 45),
}
# Near-synonyms the texts use for the same arrangements (regular expressions); they widen the search only.
EXTRA_TERMS: dict[str, list[str]] = {
    "GM2": [r"政府和社会资本合作", r"购买服务", r"委托(?:第三方|企业|专业机构)", r"运营(?:主体|机构|公司)", r"交易场所",
            r"战略合作", r"龙头企业"],
    "GM3": [r"依托.{0,12}平台", r"互联网平台", r"平台经营者", r"电子商务平台", r"平台内经营者", r"阿里",
            r"互联网企业提供"],
    "GM4": [r"协同共治", r"社会力量参与", r"行业组织", r"高等院校", r"高校", r"共同参与", r"第三方"],
    "GM5": [r"诉求", r"热线", r"投诉", r"留言", r"意见建议", r"征求意见", r"公众监督"],
    "IS1": [r"研究制定", r"研究建立", r"积极探索", r"探索建立", r"前瞻", r"谋划"],
    "IS3": [r"试点", r"示范"],
    "IS4": [r"复制推广", r"在全国推开", r"全面推开", r"推开", r"全面推行", r"全国通办", r"全国联网"],
}
# Digital words the lexicon leaves out because they are too generic for term trends; here they only widen
# the net, the scope rule of CODING_NOTES.md still decides.
DIGITAL_CUE = re.compile(r"网上|网络|数据|平台|在线|电子|数字|信息系统|信息平台|智能|智慧|互联网|信息化")


def target_pattern(label: str, codebook: str) -> re.Pattern[str]:
    """Indicators of ``label`` from the codebook YAML (``……`` as a short gap, ``re:`` as given) plus extras.

    Example:
        >>> bool(target_pattern("IS4", "innovation-stage").search("在全国推开"))
        True
    """
    terms = []
    for term in load_codebook(codebook).indicators[label]:
        if term.startswith("re:"):
            terms.append(term[3:])
        else:
            terms.append(r".{0,20}?".join(re.escape(part) for part in term.split("……")))
    terms += EXTRA_TERMS.get(label, [])
    return re.compile("|".join(sorted(terms, key=len, reverse=True)))


def paragraph_pool(corpus: pt.Corpus, round1_ids: set[str]) -> pd.DataFrame:
    """Paragraphs of the round-1 documents, 30-1500 characters, minus headings and round-1 segments."""
    docs = round1.documents(corpus)
    seg = corpus.segments("paragraph")
    seg = seg[seg["doc_id"].isin(docs["doc_id"]) & ~seg["segment_id"].isin(round1_ids)].copy()
    length = seg["text"].str.len()
    seg = seg[(length >= MIN_CHARS) & (length <= MAX_CHARS)]
    seg = seg[seg["text"].str.contains("[。；！？]") & ~seg["text"].str.match(round1._HEADING)]
    seg["group"] = seg["doc_type"].map(round1.DOC_GROUPS)
    seg["year"] = seg["year"].astype(int)
    seg["digital"] = round1.is_dg(seg["text"]) | seg["text"].str.contains(DIGITAL_CUE)
    return seg.sort_values(["doc_id", "position"]).reset_index(drop=True)


def draw(corpus: pt.Corpus, round1_ids: set[str], seed: int = SEED) -> pd.DataFrame:
    """The round-2 sample: targeted strata in ``TARGETS`` order, then ordinary paragraphs."""
    rng = np.random.default_rng(seed)
    seg = paragraph_pool(corpus, round1_ids)
    digital = seg[seg["digital"]]
    chosen = draw_strata(digital, TARGETS, rng, MAX_PER_DOC, ROUND)
    n_targeted = sum(len(part) for part in chosen)
    n_ordinary = round(n_targeted * ORDINARY_SHARE / (1 - ORDINARY_SHARE))
    chosen.append(round1.stratified(seg[~seg["digital"]], n_ordinary, rng).assign(kind=f"{ROUND}-ordinary"))
    return with_strata(chosen)


def draw_strata(pool: pd.DataFrame, targets: dict[str, tuple[str | None, int]], rng: np.random.Generator,
                max_per_doc: int, round_name: str,
                select: Callable[[pd.DataFrame, str, str | None], pd.DataFrame] | None = None) -> list[pd.DataFrame]:
    """Fill the strata in ``targets`` order from ``pool``: the rows a stratum may take (by default those with an
    indicator of the target label; ``select`` overrides), minus rows already taken, at most ``max_per_doc`` per
    document, spread over year x document group."""
    chosen: list[pd.DataFrame] = []
    taken: set[str] = set()
    for target, (codebook, quota) in targets.items():
        free = pool[~pool["segment_id"].isin(taken)]
        if select is None:
            free = free[free["text"].str.contains(target_pattern(target, codebook))]
        else:
            free = select(free, target, codebook)
        free = free.sample(frac=1.0, random_state=int(rng.integers(2**31)))
        free = free.groupby("doc_id", group_keys=False).head(max_per_doc)
        part = round1.stratified(free, quota, rng).assign(kind=f"{round_name}-{target}")
        chosen.append(part)
        taken |= set(part["segment_id"])
    return chosen


def with_strata(chosen: list[pd.DataFrame]) -> pd.DataFrame:
    """The drawn parts in document order with the stratum column ``<kind>:<year>|<group>``."""
    sample = pd.concat(chosen).sort_values(["doc_id", "position"]).reset_index(drop=True)
    sample["stratum"] = sample["kind"] + ":" + sample["year"].astype(str) + "|" + sample["group"]
    return sample


def append_rows(rows: pd.DataFrame, out: Path) -> int:
    """Append rows whose segment_id is not yet in ``out``; existing bytes are not rewritten."""
    existing = pd.read_csv(out, dtype=str, usecols=["segment_id"])["segment_id"]
    new = rows[~rows["segment_id"].isin(set(existing))]
    if new.empty:
        return 0
    with out.open("rb") as handle:  # the file must end with a newline before we append
        handle.seek(-1, 2)
        ends_with_newline = handle.read(1) == b"\n"
    with out.open("a", encoding="utf-8", newline="") as handle:
        if not ends_with_newline:
            handle.write("\n")
        new.to_csv(handle, header=False, index=False, lineterminator="\n")
    return len(new)


def run_round(name: str, draw_rows: Callable[[pt.Corpus, pd.DataFrame, int], pd.DataFrame], description: str,
              seed: int) -> None:
    """Command line of every sampling round after the first: draw from the rows of earlier rounds, report the
    strata, and append (or, with --dry-run, only report). Rows of later rounds never change an earlier draw."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dry-run", action="store_true", help="print the strata sizes, write nothing")
    args = parser.parse_args()
    current = pd.read_csv(args.out, dtype=str)
    number = current["stratum"].str.extract(r"^round(\d+)-", expand=False).fillna("1").astype(int)
    earlier = current[number < int(name.removeprefix("round"))]
    rows = round1.to_rows(draw_rows(pt.load_corpus("policy", clean=False), earlier, args.seed))
    print(rows["stratum"].str.split(":").str[0].value_counts().to_string())
    inside = rows["year"].between(2014, 2022)
    print(f"{int(inside.sum())} from 2014-2022, {int((~inside).sum())} from other years")
    if args.dry_run:
        print(f"dry run: {len(rows)} segments drawn, nothing written")
        return
    added = append_rows(rows, args.out)
    print(f"appended {added} of {len(rows)} {name} segments to {args.out}")


def main() -> None:
    run_round(ROUND, lambda corpus, earlier, seed: draw(corpus, set(earlier["segment_id"]), seed),
              __doc__.splitlines()[0], SEED)


if __name__ == "__main__":
    main()
