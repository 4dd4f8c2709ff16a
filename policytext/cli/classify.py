"""``policytext train | tag | evaluate | suggest``: the classifier commands, a thin layer over the library.

``policytext.cli.main`` adds them with ``register_cli(sub)``.

Example:
    policytext train labels.csv --text-col 留言详情 --label-col 一级分类 --out my-model
    policytext tag policy --model governance-mode --level document --out tags.csv
"""

from __future__ import annotations

import argparse
from typing import Any

from policytext.cli.common import (
    add_source_arguments,
    emit,
    out_file,
    out_folder,
    read_source,
    show_progress,
    table_preview,
    write_table,
)


def _labels_table(args: argparse.Namespace) -> Any:
    """The labelled table, with every column an option names checked first, so errors name the option."""
    from policytext.corpus.files import read_table

    frame = read_table(args.labels)
    for option, column in (("--text-col", args.text_col), ("--label-col", args.label_col),
                           ("--group-col", getattr(args, "group_col", None))):
        if column is not None and column not in frame.columns:
            raise ValueError(f"{option} {column!r} is not a column of {args.labels}; its columns are "
                             f"{list(frame.columns)}")
    return frame


def _labelled(args: argparse.Namespace, multi_label: bool) -> tuple[list[str], list[Any]]:
    from policytext.classify.train import read_labelled

    return read_labelled(_labels_table(args), text=args.text_col, label=args.label_col, multi_label=multi_label,
                         sep=args.sep)


def cmd_train(args: argparse.Namespace) -> int:
    from policytext.classify.train import train_classifier

    params: dict[str, Any] = {}
    if args.C is not None:
        params["C"] = args.C
    if args.no_chars:
        params["char_max_features"] = 0
    if args.hierarchical:
        params["hierarchical"] = True
    multi = True if args.multi_label else None
    model = train_classifier(
        _labels_table(args), text=args.text_col, label=args.label_col, group=args.group_col, multi_label=multi,
        sep=args.sep,
        codebook=args.codebook, folds=args.folds, cv=not args.no_cv, random_state=args.seed, progress=show_progress(args), **params,
    )
    if model.cv_report_ is not None:
        print(model.cv_report_)
    path = model.save(args.out, overwrite=args.overwrite)
    print(f"saved model with labels {list(model.labels_)} to {path}")
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    from policytext.classify.tagging import tag_documents
    from policytext.classify.models import load_model

    model = load_model(args.model, trusted=args.trusted)
    table = tag_documents(model, read_source(args), level=args.level, unit=args.unit, min_share=args.min_share)
    for column in ("label", "labels"):
        if column in table.columns:
            table[column] = [";".join(map(str, v)) if isinstance(v, list) else v for v in table[column]]
    emit(table, args.out, preview=20)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from policytext.classify.evaluate import evaluate
    from policytext.classify.models import load_model

    model = load_model(args.model, trusted=args.trusted)
    texts, labels = _labelled(args, bool(getattr(model, "multi_label", False)))
    baselines = {}
    codebook = (getattr(model, "codebook_info_", None) or {}).get("name")
    if codebook and not args.no_rules:
        from policytext.classify.rules import RuleTagger

        baselines["rule tagger"] = RuleTagger(codebook).predict
    import sys
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        report = evaluate(model, texts, labels, baselines=baselines)
    for warning in caught:  # one line each on stderr, the scores alone on stdout
        print(f"policytext evaluate: warning: {warning.message}", file=sys.stderr)
    print(report)
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    from policytext.classify.active import suggest
    from policytext.classify.models import load_model

    model = load_model(args.model, trusted=args.trusted)
    segments = read_source(args).segments(args.unit)
    exclude = None
    if args.exclude:
        from policytext.corpus.files import read_table

        labelled = read_table(args.exclude)
        if args.id_col not in labelled.columns:
            raise KeyError(f"--exclude {args.exclude}: no column {args.id_col!r}; columns are {list(labelled.columns)}")
        exclude = labelled[args.id_col].tolist()
    table = suggest(model, segments, n=args.n, strategy=args.strategy, exclude=exclude, id_col=args.id_col)
    keep = ["rank", "doc_id", "segment_id", "uncertainty", "predicted", "confidence", "text"]
    table = table[[c for c in keep if c in table.columns] + [c for c in table.columns if c.startswith("p_")]]
    table["predicted"] = [";".join(v) if isinstance(v, list) else v for v in table["predicted"]]
    if args.out:
        write_table(table, args.out)
    else:
        shown = table.drop(columns=[c for c in table.columns if c.startswith("p_")])
        print(table_preview(shown, rows=len(shown), cell=40))
    return 0


def _source_args(p: argparse.ArgumentParser) -> None:
    add_source_arguments(p)
    p.add_argument("--unit", choices=["document", "paragraph", "sentence", "clause"], default="paragraph",
                   help="segments to classify (default: paragraph)")
    p.add_argument("--model", required=True, help="bundled model name or a model folder")
    p.add_argument("--trusted", action="store_true", help="allow loading a pickle-based model (runs its code)")
    p.add_argument("--out", type=out_file, help="write the result to .parquet, .csv, .tsv or .jsonl")


def _labels_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--text-col", default="text", help="column with the texts (default: text)")
    p.add_argument("--label-col", default="label", help="column with the labels (default: label)")
    p.add_argument("--sep", default=";", help="separator of multi-label cells (default: ;)")


def register_cli(sub: argparse._SubParsersAction) -> None:
    """Add ``train``, ``tag``, ``evaluate`` and ``suggest`` to the ``policytext`` command's subparsers."""
    p = sub.add_parser("train", help="train a classifier on a labelled table and print its cross-validation report",
                       description="Train a classifier on LABELS (csv/tsv/jsonl/parquet/xlsx), print the stratified "
                                   "cross-validation report, save the model folder to --out.")
    p.add_argument("labels", help="labelled table, one row per text")
    _labels_args(p)
    p.add_argument("--out", required=True, type=out_folder, help="folder to save the model in")
    p.add_argument("--overwrite", action="store_true", help="replace an existing model folder")
    p.add_argument("--codebook", help="codebook name or file: check labels, compare with the rule tagger")
    p.add_argument("--multi-label", action="store_true", help="cells hold several labels separated by --sep")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: 5)")
    p.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--C", type=float, default=None, help="SVM regularisation (default: 0.3)")
    p.add_argument("--no-chars", action="store_true", help="word features only (faster, usually less accurate)")
    p.add_argument("--group-col", help="keep rows with the same value (e.g. doc_id) in one cross-validation fold")
    p.add_argument("--hierarchical", action="store_true",
                   help="single-label: decide '0' (not applicable) first, then the label among the rest")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("tag", help="label the segments or documents of a source with a classifier")
    _source_args(p)
    p.add_argument("--level", choices=["segment", "document"], default="document",
                   help="one row per segment, or per document with the share of its segments per label (default)")
    p.add_argument("--min-share", type=float, default=0.0, help="multi-label documents: minimum share of segments")
    p.set_defaults(func=cmd_tag)

    p = sub.add_parser("evaluate", help="score a model on a labelled table (held-out data)")
    p.add_argument("model", help="bundled model name or a model folder")
    p.add_argument("labels", help="labelled table, one row per text")
    _labels_args(p)
    p.add_argument("--trusted", action="store_true", help="allow loading a pickle-based model (runs its code)")
    p.add_argument("--no-rules", action="store_true", help="do not compare with the codebook's rule tagger")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("suggest", help="rank unlabelled segments by model uncertainty: what to label next")
    _source_args(p)
    p.add_argument("--n", type=int, default=20, help="how many segments to suggest (default: 20)")
    p.add_argument("--strategy", choices=["margin", "entropy", "least_confident"], default="margin",
                   help="uncertainty measure: gap between the two most probable labels (default), entropy of the "
                        "probabilities, or one minus the top probability")
    p.add_argument("--exclude", help="table of already labelled segments, to leave out")
    p.add_argument("--id-col", default="segment_id", help="id column shared with --exclude (default: segment_id)")
    p.set_defaults(func=cmd_suggest)
