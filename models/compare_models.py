"""Compare classifier configurations for governance-mode and innovation-stage on document-grouped folds.

    POLICYTEXT_DATA=../shared/corpora python models/compare_models.py             # writes models/comparison.json
    POLICYTEXT_DATA=../shared/corpora python models/compare_models.py --splits 1 --configs text context

Configurations (all hierarchical: "0" first, then the label; fixed seeds):

    text        today's model: word + character TF-IDF of the segment
    context     + the segment's document: one-hot doc_type and level, character TF-IDF of its title
    terms       + the codebook's indicator evidence in the segment and, as shares, in its whole document
    selftrain   terms, self-trained on confident pseudo-labels of unlabelled paragraphs of policy-v2 and
                city-gwr-2024 (annotated and blind documents left out; pool capped by --pool)
    word2vec    terms + mean Word2Vec vectors of the segment (vectors trained on the corpus paragraphs)

Each is scored by 5-fold StratifiedGroupKFold over doc_id, repeated over --splits fold seeds, with
``policytext.score_scheme``: scope ("0" vs in scope) F1, in-scope macro-F1 over the labels backed by at least 5
documents, per-label F1 with the number of documents behind it, and the drop when the codebook's indicator
terms are masked in the test texts. When ``corpora/annotations/blind_labels_final.csv`` exists, each
configuration is also trained on all annotated segments and scored on the blind set. The table is printed and
``models/comparison.json`` is written atomically.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import policytext as pt

SEED = 20240601
SPLIT_SEEDS = (SEED, 1, 2)
FOLDS = 5
SCHEMES = {"governance-mode": "governance_mode", "innovation-stage": "innovation_stage"}
CONFIGS = {
    "text": {"context": None},
    "context": {"context": ("doc_type", "level", "title")},
    "terms": {"context": ("doc_type", "level", "title", "terms", "doc_terms")},
    "selftrain": {"context": ("doc_type", "level", "title", "terms", "doc_terms"), "self_train": True},
    "word2vec": {"context": ("doc_type", "level", "title", "terms", "doc_terms", "vectors")},
    # The same features with a stronger or weaker context block, or another SVM regularisation.
    "terms-w2": {"context": ("doc_type", "level", "title", "terms", "doc_terms"), "context_weight": 2.0},
    "terms-C1": {"context": ("doc_type", "level", "title", "terms", "doc_terms"), "C": 1.0},
    "terms-C0.1": {"context": ("doc_type", "level", "title", "terms", "doc_terms"), "C": 0.1},
    "text-C1": {"context": None, "C": 1.0},
    "text-C0.1": {"context": None, "C": 0.1},
}
UNLABELLED = ("policy-v2", "city-gwr-2024")
ANNOTATIONS = Path(__file__).resolve().parent.parent / "corpora" / "annotations"
OUT = Path(__file__).resolve().parent / "comparison.json"


def estimator(scheme: str, config: dict) -> pt.PolicyClassifier:
    params = {k: v for k, v in config.items() if k not in ("context", "self_train")}
    return pt.PolicyClassifier(hierarchical=True, codebook=scheme, context=config["context"], random_state=SEED,
                               **params)


def excluded_documents(frames: list[pd.DataFrame]) -> set[str]:
    """Keys of the annotated and blind documents, which self-training and word vectors must not see."""
    keys = {pt.document_key(p, d) for frame in frames for p, d in zip(frame["path"], frame["doc_id"])}
    listed = ANNOTATIONS / "blind_docs.csv"
    if listed.is_file():
        blind = pd.read_csv(listed, dtype=str)
        keys |= {pt.document_key(p, d) for p, d in zip(blind["path"], blind["doc_id"])}
    return keys


def add_vectors(frames: list[pd.DataFrame], pool: pd.DataFrame, seed: int) -> None:
    """Train Word2Vec on the pool and the annotated texts; put each row's mean vector in column 'vectors'."""
    tokenizer = pt.Tokenizer()
    tokens = [tokenizer.tokenize_many(f["text"].tolist()) for f in frames]
    corpus = tokenizer.tokenize_many(pool["text"].tolist()) + [t for part in tokens for t in part]
    vectors = pt.train_word_vectors(corpus, vector_size=100, min_count=3, epochs=5, seed=seed)
    for frame, part in zip(frames, tokens):
        frame["vectors"] = list(pt.mean_vectors(part, vectors))


def summarise(scores: list[dict]) -> dict:
    """Mean over fold splits of the headline figures and of each label's F1 (None stays None)."""
    def mean(values: list) -> float | None:
        values = [v for v in values if v is not None]
        return round(float(np.mean(values)), 4) if values else None

    first = scores[0]
    return {
        "scope_f1": mean([s["scope"]["f1"] for s in scores]),
        "scope_f1_sd": round(float(np.std([s["scope"]["f1"] for s in scores])), 4),
        "in_scope_macro_f1": mean([s["in_scope_macro_f1"] for s in scores]),
        "in_scope_macro_f1_sd": round(float(np.std([s["in_scope_macro_f1"] or 0 for s in scores])), 4),
        "masked_drop_in_scope_macro_f1": mean([s.get("masked_drop", {}).get("in_scope_macro_f1") for s in scores]),
        "masked_drop_scope_f1": mean([s.get("masked_drop", {}).get("scope_f1") for s in scores]),
        "per_label": {label: {"f1": mean([s["per_label"][label]["f1"] for s in scores]),
                              "n_docs": row["n_docs"], "support": row["support"], "too_few_docs": row["too_few_docs"]}
                      for label, row in first["per_label"].items()},
    }


def run(scheme: str, name: str, config: dict, frame: pd.DataFrame, blind: pd.DataFrame | None,
        pool: pd.DataFrame, seeds: tuple[int, ...]) -> dict:
    column = SCHEMES[scheme]
    model = estimator(scheme, config)
    fit = None
    if config.get("self_train"):
        def fit(m, X, y):  # noqa: E306 - one self-trained fit per fold
            return pt.self_train(m, X, y, pool)
    started = time.perf_counter()
    cv = []
    for seed in seeds:
        result = pt.grouped_cross_validate(model, frame, frame[column], groups=frame["doc_id"], folds=FOLDS,
                                           random_state=seed, mask=scheme, fit=fit)
        cv.append(result.to_dict())
    out = {"cross_validation": cv, "mean": summarise(cv), "seconds": round(time.perf_counter() - started, 1)}
    if blind is not None:
        final = fit(model, frame, frame[column].tolist()) if fit else model.fit(frame, frame[column].tolist())
        gold = blind[column].tolist()
        score = pt.score_scheme(gold, final.predict(blind), groups=blind["doc_id"], labels=final.labels_,
                                none_label=final.none_label)
        score.masked = pt.score_scheme(gold, final.predict(pt.mask_indicators(blind, scheme)), groups=blind["doc_id"],
                                       labels=final.labels_, none_label=final.none_label)
        out["blind"] = score.to_dict()
    return out


def fmt(value: float | None) -> str:
    """A label's F1, or a dash where too few documents back the label to claim one."""
    return "—" if value is None else f"{value:.2f}"


def table(results: dict) -> str:
    lines = []
    for scheme, configs in results.items():
        lines.append(f"\n=== {scheme} (document-grouped {FOLDS}-fold CV, mean over fold splits) ===")
        lines.append(f"{'config':<10} {'scope F1':>12} {'in-scope macro-F1':>19} {'masked drop':>12} {'time':>7}  "
                     "per label F1 (n docs)")
        for name, r in configs.items():
            m = r["mean"]
            labels = "  ".join(f"{k} {fmt(v['f1'])} ({v['n_docs']})" for k, v in m["per_label"].items())
            macro = "n/a" if m["in_scope_macro_f1"] is None else f"{m['in_scope_macro_f1']:.3f}±{m['in_scope_macro_f1_sd']:.3f}"
            drop = m["masked_drop_in_scope_macro_f1"]
            lines.append(f"{name:<10} {m['scope_f1']:.3f}±{m['scope_f1_sd']:.3f} {macro:>19} "
                         f"{'' if drop is None else f'{drop:+.3f}':>12} {r['seconds']:>6.0f}s  {labels}")
            if "blind" in r:
                b = r["blind"]
                lines.append(f"{'  blind':<10} {b['scope']['f1']:>12.3f} {b['in_scope_macro_f1'] or float('nan'):>19.3f}")
    return "\n".join(lines)


def write_atomically(path: Path, value: dict) -> None:
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".partial", delete=False) as f:
        json.dump(value, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(f.name, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--configs", nargs="*", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--schemes", nargs="*", default=list(SCHEMES), choices=list(SCHEMES))
    parser.add_argument("--splits", type=int, default=len(SPLIT_SEEDS), help="fold splits to average (1-3)")
    parser.add_argument("--pool", type=int, default=2000, help="unlabelled paragraphs for self-training")
    parser.add_argument("--vector-pool", type=int, default=12000, help="paragraphs to train word vectors on")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    seeds = SPLIT_SEEDS[: max(1, min(args.splits, len(SPLIT_SEEDS)))]
    started = time.perf_counter()
    frame = pt.annotation_frame("labels_final.csv", "segments.csv")
    blind = None
    if (ANNOTATIONS / "blind_labels_final.csv").is_file():
        blind = pt.annotation_frame("blind_labels_final.csv", "blind_segments.csv")
    frames = [frame] + ([blind] if blind is not None else [])
    exclude = excluded_documents(frames)
    pool = pt.unlabelled_paragraphs(UNLABELLED, exclude=exclude, max_rows=args.pool, random_state=SEED)
    if "word2vec" in args.configs:
        add_vectors(frames, pt.unlabelled_paragraphs(UNLABELLED, exclude=exclude, max_rows=args.vector_pool,
                                                     random_state=SEED), SEED)
    print(f"policytext {pt.__version__}: {len(frame)} annotated segments from {frame['doc_id'].nunique()} documents"
          f"{'' if blind is None else f', blind set {len(blind)} segments'}; unlabelled pool {len(pool)} "
          f"paragraphs ({time.perf_counter() - started:.0f}s to prepare)", flush=True)
    results: dict = {}
    for scheme in args.schemes:
        results[scheme] = {}
        for name in args.configs:
            results[scheme][name] = run(scheme, name, CONFIGS[name], frame, blind, pool, seeds)
            m = results[scheme][name]["mean"]
            print(f"{scheme} {name}: scope F1 {m['scope_f1']}, in-scope macro-F1 {m['in_scope_macro_f1']} "
                  f"({results[scheme][name]['seconds']}s)", flush=True)
    print(table(results))
    write_atomically(Path(args.out), {
        "policytext": pt.__version__, "labels": "corpora/annotations/labels_final.csv", "n": len(frame),
        "n_docs": int(frame["doc_id"].nunique()), "blind_n": None if blind is None else len(blind),
        "folds": FOLDS, "split_seeds": list(seeds), "groups": "doc_id", "min_docs_for_f1": 5,
        "configs": {k: {"context": list(v["context"] or ()), "self_train": bool(v.get("self_train"))}
                    for k, v in CONFIGS.items() if k in args.configs},
        "unlabelled": {"corpora": list(UNLABELLED), "pool": len(pool)}, "results": results,
        "seconds": round(time.perf_counter() - started, 1),
    })
    print(f"\nwrote {args.out} ({time.perf_counter() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
