"""Classifier training and prediction throughput, and cross-validated macro-F1 on the labelled message set.

    POLICYTEXT_DATA=../shared/corpora python benchmarks/classify_benchmark.py [--seeds 3]

Trains :class:`policytext.PolicyClassifier` with default parameters on the Teddy Cup 2020 citizen messages
(title + message, 7 first-level categories) and times: fitting on all messages, 5-fold cross-validation, and
prediction on the paragraphs of the registered ``policy`` corpus (real segment lengths). Throughput is in
segments per second and characters per second on this machine. Cross-validated macro-F1 is repeated over
``--seeds`` fold splits to show how much it moves with the split. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import policytext as pt
from policytext import cross_validate, data_home, list_models, load_model, PolicyClassifier, train_classifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="cross-validation splits to average")
    parser.add_argument("--max-segments", type=int, default=20000, help="paragraphs to predict at most")
    args = parser.parse_args()

    frame = pd.read_csv(data_home() / "labelled" / "teddy-cup-2020" / "messages_labelled.csv")
    frame["text"] = frame["留言主题"] + "。" + frame["留言详情"]
    texts, labels = frame["text"].tolist(), frame["一级分类"].tolist()
    chars = sum(len(t) for t in texts)
    print(f"Teddy Cup 2020: {len(texts)} messages, {chars / 1e3:.0f}k characters, {len(set(labels))} labels")

    start = time.perf_counter()
    model = PolicyClassifier().fit(texts, labels)
    fit = time.perf_counter() - start
    print(f"fit on all messages          {fit:6.2f} s  {len(texts) / fit:8.0f} segments/s  "
          f"({len(model.word_vocabulary_)} word + {len(model.char_vocabulary_)} char features)")

    scores = []
    for seed in range(args.seeds):
        start = time.perf_counter()
        report = cross_validate(PolicyClassifier(), texts, labels, folds=5, random_state=seed)
        scores.append(report.macro_f1)
        print(f"5-fold CV, split seed {seed}      {time.perf_counter() - start:6.2f} s  macro-F1 {report.macro_f1:.3f}  "
              f"(majority {report.baselines['majority']['macro_f1']:.3f})", flush=True)
    print(f"cross-validated macro-F1: mean {np.mean(scores):.3f}, min {min(scores):.3f}, max {max(scores):.3f}")
    quick = train_classifier(frame, text="text", label="一级分类", char_max_features=0, cv=True)
    print(f"word features only: macro-F1 {quick.cv_report_.macro_f1:.3f}")

    segments = pt.load_corpus("policy", clean=False).segments("paragraph")
    segments = segments[segments["text"].str.strip() != ""].head(args.max_segments)
    seg_texts = segments["text"].tolist()
    seg_chars = sum(len(t) for t in seg_texts)
    start = time.perf_counter()
    model.predict_proba(seg_texts)
    took = time.perf_counter() - start
    print(f"predict {len(seg_texts)} policy paragraphs ({seg_chars / 1e6:.1f} M chars) {took:6.2f} s  "
          f"{len(seg_texts) / took:8.0f} segments/s  {seg_chars / took / 1e3:6.0f}k chars/s")
    for name in list_models():
        shipped = load_model(name)
        start = time.perf_counter()
        shipped.predict(seg_texts)
        took = time.perf_counter() - start
        print(f"shipped {name:<18} predict      {took:6.2f} s  {len(seg_texts) / took:8.0f} segments/s")

if __name__ == "__main__":
    main()
