"""Assemble the codebook-v0.2 label files from the coders' deliveries and print every reliability figure.

    python corpora/annotations/assemble_v02.py            # writes labels_final.csv, prints the tables
    python corpora/annotations/assemble_v02.py --check    # writes nothing; fails if labels_final.csv is stale

Inputs (all in this folder):

* ``labels_final_v0.1.csv``: the adjudicated v0.1 labels of rounds 1-4 (kept unchanged as the record).
* ``recode_v0.2.csv``: the same segments recoded under v0.2 by a recoder who saw the v0.1 labels; ``rule``
  names the v0.2 rule behind every change. Segments it does not list are v0.1 zeros without any
  digital-government term, which cannot come into scope under S0 and stay 0.
* ``labels_round5_coder1.csv``, ``labels_round6_coder1.csv``: rounds 5 and 6 (new documents), coded under v0.2.
* ``labels_coder2_v0.2.csv``: an independent second coder on every rare-label row (GM2-GM5, IS1, IS3, IS4 in
  either file above) mixed with as many other in-scope rows; the coder saw no labels.
* ``adjudication_v0.2.csv``: the adjudicated labels of every double-coded row where the two coders disagreed.
* ``blind_labels_coder1.csv``, ``blind_labels_coder2.csv``: two independent coders on the blind set;
  ``blind_labels_final.csv``: adjudicated.

Output: ``labels_final.csv`` (v0.2; rounds 1-5), the training labels of the shipped models.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from policytext import agreement

HERE = Path(__file__).resolve().parent
LABELS = ["governance_mode", "innovation_stage", "policy_tools"]
ATTRIBUTES = ["object", "driver", "orientation", "public_value", "iteration"]
COLUMNS = ["segment_id", *LABELS, *ATTRIBUTES, "rationale", "adjudication"]
RARE = {"GM2", "GM3", "GM4", "GM5", "IS1", "IS3", "IS4"}
SCHEME = {"governance_mode": "governance-mode", "innovation_stage": "innovation-stage", "policy_tools": "policy-tools"}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(HERE / name, dtype=str, keep_default_na=False)


def primary(values: pd.Series) -> pd.Series:
    return values.str.split(";").str[0].str.strip()


def new_rounds() -> pd.DataFrame:
    """The first coder's labels of every round drawn under v0.2 (``labels_round<N>_coder1.csv``, N >= 5)."""
    return pd.concat([read(p.name) for p in sorted(HERE.glob("labels_round*_coder1.csv"))], ignore_index=True)


def assemble() -> pd.DataFrame:
    segments = read("segments.csv")
    old = read("labels_final_v0.1.csv")
    recode = read("recode_v0.2.csv").set_index("segment_id")
    round5 = new_rounds().set_index("segment_id")
    adjudicated = read("adjudication_v0.2.csv").set_index("segment_id")
    rows = []
    for seg in segments["segment_id"]:
        if seg in adjudicated.index:
            row, note = adjudicated.loc[seg], "adjudicated v0.2: " + adjudicated.loc[seg, "rationale"]
        elif seg in round5.index:
            row, note = round5.loc[seg], ""
        elif seg in recode.index:
            row = recode.loc[seg]
            note = f"recoded v0.2 ({row['rule']})" if row["rule"] else ""
        else:
            row = pd.Series({c: "0" for c in LABELS} | {c: "" for c in ATTRIBUTES}
                            | {"rationale": "no digital-government term (v0.1 zero kept under S0)"})
            note = ""
        rows.append({"segment_id": seg, **{c: row.get(c, "") for c in COLUMNS[1:-1]}, "adjudication": note})
    final = pd.DataFrame(rows, columns=COLUMNS)
    unlabelled = set(segments["segment_id"]) - set(old["segment_id"]) - set(round5.index)
    if unlabelled:
        raise ValueError(f"{len(unlabelled)} segments have no label in any delivery, e.g. {sorted(unlabelled)[0]}")
    return final


def paired(frame: pd.DataFrame, suffixes: tuple[str, str]):
    """Per scheme: its column and the two codings of it (primary tool only for policy tools)."""
    for column in LABELS:
        a, b = (frame[f"{column}{s}"] for s in suffixes)
        yield (column, primary(a), primary(b)) if column == "policy_tools" else (column, a, b)


def changes(old: pd.DataFrame, recode: pd.DataFrame) -> pd.DataFrame:
    """Labels changed by the recoding, per scheme and per v0.2 rule."""
    merged = old.merge(recode, on="segment_id", suffixes=("_v01", "_v02"))
    out = []
    for column, a, b in paired(merged, ("_v01", "_v02")):
        changed = merged[a != b]
        rules = changed["rule"].replace("", "(none given)").str.split(";").explode().str.strip()
        for rule, n in rules.value_counts().items():
            out.append({"scheme": column, "rule": rule, "changed": int(n)})
        out.append({"scheme": column, "rule": "TOTAL", "changed": len(changed)})
    return pd.DataFrame(out)


def agreement_rows(first: pd.DataFrame, second: pd.DataFrame, what: str) -> pd.DataFrame:
    both = first.merge(second, on="segment_id", suffixes=("_a", "_b"))
    out = []
    for column, a, b in paired(both, ("_a", "_b")):
        figures = agreement(a.tolist(), b.tolist(), SCHEME[column])
        out.append({"set": what, "scheme": column, **figures})
        # Scope as a two-label scheme: any in-scope label stands for "in scope".
        first_label = "GM1" if column == "governance_mode" else "IS1"
        scope = agreement(a.where(a == "0", first_label).tolist(), b.where(b == "0", first_label).tolist(),
                          SCHEME[column]) if column != "policy_tools" else None
        if scope:
            out.append({"set": what, "scheme": f"{column} scope (0 vs in scope)", **scope})
    return pd.DataFrame(out)


def per_label_kappa(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Cohen's kappa of each label against the rest (binary), with the rows and documents behind it."""
    from sklearn.metrics import cohen_kappa_score

    segments = pd.concat([read("segments.csv"), read("blind_segments.csv")])[["segment_id", "doc_id"]]
    both = first.merge(second, on="segment_id", suffixes=("_a", "_b")).merge(segments, on="segment_id")
    out = []
    for column in ("governance_mode", "innovation_stage"):
        for label in sorted(set(both[f"{column}_a"]) | set(both[f"{column}_b"]) - {"0"}):
            a, b = both[f"{column}_a"] == label, both[f"{column}_b"] == label
            either = both[a | b]
            kappa = cohen_kappa_score(a, b) if a.any() and b.any() else float("nan")
            out.append({"label": label, "coder_a": int(a.sum()), "coder_b": int(b.sum()), "both": int((a & b).sum()),
                        "docs": either["doc_id"].nunique(), "kappa": round(kappa, 3)})
    return pd.DataFrame(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    final = assemble()
    path = HERE / "labels_final.csv"
    if args.check:
        current = read("labels_final.csv")
        if not current.equals(final.astype(str)):
            print("labels_final.csv differs from what the deliveries give; rerun without --check")
            return 1
    else:
        tmp = path.with_name(".labels_final.csv.tmp")
        final.to_csv(tmp, index=False, lineterminator="\n")
        tmp.replace(path)
    pd.set_option("display.width", 160)
    print(changes(read("labels_final_v0.1.csv"), read("recode_v0.2.csv")).to_string(index=False))
    coder2 = read("labels_coder2_v0.2.csv")
    first = final[final["segment_id"].isin(coder2["segment_id"])]
    original = pd.concat([read("recode_v0.2.csv"), new_rounds()])
    original = original[original["segment_id"].isin(coder2["segment_id"])]
    print(agreement_rows(original, coder2, "rare-label rows, before adjudication").to_string(index=False))
    print(per_label_kappa(original, coder2).to_string(index=False))
    print(agreement_rows(first, coder2, "rare-label rows, coder 2 vs final").to_string(index=False))
    blind = [read(f"blind_labels_{c}.csv") for c in ("coder1", "coder2", "final")]
    print(agreement_rows(blind[0], blind[1], "blind set, coder 1 vs coder 2").to_string(index=False))
    print(per_label_kappa(blind[0], blind[1]).to_string(index=False))
    counts = final.merge(read("segments.csv"), on="segment_id")
    for column in ("governance_mode", "innovation_stage"):
        table = counts.groupby(column).agg(segments=("segment_id", "size"), documents=("doc_id", "nunique"))
        print(table.T.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
