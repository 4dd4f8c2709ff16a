"""Score classifiers on the blind evaluation set: documents no training row comes from, coded by two coders.

    POLICYTEXT_DATA=../shared/corpora python models/evaluate_blind.py            # the shipped models
    POLICYTEXT_DATA=../shared/corpora python models/evaluate_blind.py --models /tmp/dev-models

The blind set (``corpora/annotations/blind_*.csv``) is 344 paragraphs drawn at random, by document only, from 43
documents added in 2026 that no training row uses; two coders coded every row independently and disagreements
were adjudicated (``blind_labels_final.csv``). Being drawn at random, it has natural prevalence: most paragraphs
are out of scope, and rare labels may not occur at all. For each single-label scheme this prints and returns:

* scope (0 vs in scope): precision, recall, F1 against the adjudicated labels;
* per label: precision, recall, F1 and the documents behind it (no F1 claim from fewer than 5 documents);
* accuracy against the adjudicated labels, the two coders' agreement with each other, and their ratio (the
  issue's yardstick: the model should agree with the adjudicated label at >= 90 % of the rate at which the coders
  agree with each other);
* the same figures with every codebook indicator term masked in the test texts (the keyword check).

Policy tools (multi-label) get scope figures and the mean Jaccard overlap of tool sets, model vs adjudicated
against coder 1 vs coder 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from policytext import annotation_frame, load_model, mask_indicators, score_scheme, split_tools

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE.parent / "corpora" / "annotations"
SCHEMES = {"governance-mode": "governance_mode", "innovation-stage": "innovation_stage",
           "policy-tools": "policy_tools"}
OUT = HERE / "blind_evaluation.json"


def blind_frame() -> pd.DataFrame:
    """The blind set with texts, document context and both coders' labels (``<column>_coder1/_coder2``)."""
    frame = annotation_frame("blind_labels_final.csv", "blind_segments.csv")
    for coder in ("coder1", "coder2"):
        other = pd.read_csv(ANNOTATIONS / f"blind_labels_{coder}.csv", dtype=str, keep_default_na=False)
        frame = frame.merge(other[["segment_id", *SCHEMES.values()]].add_suffix(f"_{coder}")
                            .rename(columns={f"segment_id_{coder}": "segment_id"}), on="segment_id")
    return frame


def _single(model, frame: pd.DataFrame, column: str, scheme: str) -> dict:
    gold = frame[column].tolist()
    agree = float(np.mean(frame[f"{column}_coder1"] == frame[f"{column}_coder2"]))
    out = {}
    for name, inputs in (("plain", frame), ("masked", mask_indicators(frame, scheme))):
        predicted = [str(p) for p in model.predict(inputs)]
        score = score_scheme(gold, predicted, groups=frame["doc_id"].tolist(), labels=[str(x) for x in model.labels_])
        accuracy = float(np.mean(np.array(predicted) == np.array(gold)))
        in_scope = np.array(gold) != "0"
        out[name] = {**score.to_dict(), "accuracy": round(accuracy, 4),
                     "accuracy_on_in_scope_rows": round(float(np.mean(np.array(predicted)[in_scope]
                                                                      == np.array(gold)[in_scope])), 4),
                     "coder_agreement": round(agree, 4), "ratio_to_coder_agreement": round(accuracy / agree, 4)}
    return out


def _jaccard(a: list[list[str]], b: list[list[str]]) -> float:
    values = []
    for x, y in zip(a, b):
        x, y = set(x) - {"0"}, set(y) - {"0"}
        values.append(1.0 if not x and not y else len(x & y) / len(x | y))
    return float(np.mean(values))


def _tools(model, frame: pd.DataFrame) -> dict:
    gold = split_tools(frame["policy_tools"])
    predicted = [p if isinstance(p, list) else [p] for p in model.predict(frame)]
    # The model may fold rare sub-tools into their parent; compare at the level the model predicts.
    known = set(map(str, model.labels_))
    parent = {t: t.split(".")[0] for row in gold for t in row}
    fold = lambda rows: [[t if t in known else parent.get(t, t) for t in row] for row in rows]  # noqa: E731
    gold = fold(gold)
    c1, c2 = (fold(split_tools(frame[f"policy_tools_{coder}"])) for coder in ("coder1", "coder2"))
    scope_gold = np.array([row != ["0"] for row in gold])
    scope_pred = np.array([bool(set(row) - {"0"}) for row in predicted])
    tp = float((scope_gold & scope_pred).sum())
    precision = tp / max(scope_pred.sum(), 1)
    recall = tp / max(scope_gold.sum(), 1)
    jaccard, coders = _jaccard(predicted, gold), _jaccard(c1, c2)
    return {"scope": {"precision": round(precision, 4), "recall": round(recall, 4),
                      "f1": round(2 * precision * recall / max(precision + recall, 1e-12), 4)},
            "jaccard": round(jaccard, 4), "coder_jaccard": round(coders, 4),
            "ratio_to_coder_agreement": round(jaccard / coders, 4)}


def evaluate(models: dict, frame: pd.DataFrame | None = None) -> dict:
    """Blind figures per scheme for ``models`` ({scheme name: fitted classifier})."""
    frame = blind_frame() if frame is None else frame
    result = {"n": len(frame), "n_docs": int(frame["doc_id"].nunique()),
              "in_scope": int((frame["governance_mode"] != "0").sum())}
    for scheme, model in models.items():
        column = SCHEMES[scheme]
        result[scheme] = _tools(model, frame) if scheme == "policy-tools" else _single(model, frame, column, scheme)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=Path, help="a folder with one model folder per scheme (default: shipped)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    models = {s: load_model(args.models / s if args.models else s) for s in SCHEMES}
    result = evaluate(models)
    for scheme in ("governance-mode", "innovation-stage"):
        plain, masked = result[scheme]["plain"], result[scheme]["masked"]
        print(f"\n=== {scheme}: blind set, {result['n']} paragraphs from {result['n_docs']} documents ===")
        print(f"scope P/R/F1 {plain['scope']}; in-scope macro-F1 {plain['in_scope_macro_f1']} "
              f"over {plain['claimed_labels']}; accuracy {plain['accuracy']} vs coder agreement "
              f"{plain['coder_agreement']} (ratio {plain['ratio_to_coder_agreement']}); masked: accuracy "
              f"{masked['accuracy']}, scope F1 {masked['scope']['f1']}")
        print(pd.DataFrame(plain["per_label"]).T.to_string())
    print(f"\n=== policy-tools ===\n{result['policy-tools']}")
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
