"""The ``policytext`` command: a thin layer over the library's functions.

Every SOURCE is a folder, a file, a table, or the name of a registered corpus (see ``policytext info``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd


def _corpus(args: argparse.Namespace):
    from policytext.corpus import load_corpus, read_corpus
    from policytext.datahome import registered_corpora

    source = args.source
    if not Path(source).exists() and source in registered_corpora():
        return load_corpus(source, clean=not getattr(args, "no_clean", False), progress=True)
    return read_corpus(
        source,
        metadata=getattr(args, "metadata", None),
        text_col=getattr(args, "text_col", None),
        clean=not getattr(args, "no_clean", False),
        progress=True,
    )


def _write(frame: pd.DataFrame, out: str) -> None:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif suffix in (".csv", ".tsv"):
        frame.to_csv(path, index=False, sep="\t" if suffix == ".tsv" else ",", encoding="utf-8")
    elif suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        raise SystemExit(f"--out {out}: use a .parquet, .csv, .tsv or .jsonl file name")
    print(f"wrote {len(frame)} rows to {path}")


def emit(table: pd.DataFrame, out: str | None, preview: int = 10) -> None:
    """Write ``table`` to ``out`` when given, else print its first rows."""
    if out:
        _write(table, out)
    else:
        print(table.head(preview).to_string())


def cmd_info(args: argparse.Namespace) -> int:
    import policytext
    from policytext.datahome import data_home, registered_corpora, registered_corpus, verify_corpus
    from policytext.lexicon import LEXICON_VERSION, load_lexicon

    print(f"policytext {policytext.__version__}")
    home = data_home()
    print(f"data home: {home} ({'exists' if home.is_dir() else 'missing'}; set POLICYTEXT_DATA to change)")
    print(f"lexicon: {len(load_lexicon())} terms (version {LEXICON_VERSION})")
    print("registered corpora:")
    for name in registered_corpora():
        entry = registered_corpus(name)
        status = verify_corpus(name, home)["status"].value_counts().to_dict()
        state = ", ".join(f"{n} {s}" for s, n in sorted(status.items()))
        print(f"  {name:<16} {len(entry.manifest):>3} files: {state} — {entry.description}")
    return 0


def cmd_corpus(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    print(repr(corpus))
    frame = corpus.to_frame()
    for column in ("year", "level", "doc_type"):
        counts = frame[column].astype("string").fillna("(missing)").value_counts().sort_index()
        print(f"\ndocuments per {column}:")
        print(counts.to_string())
    print(f"\nskipped inputs: {len(corpus.skipped)}")
    for path, reason in corpus.skipped:
        print(f"  {path}: {reason}")
    if args.out:
        _write(frame, args.out)
    return 0


def cmd_tokenize(args: argparse.Namespace) -> int:
    from policytext.tokenize import Tokenizer

    corpus = _corpus(args)
    tok = Tokenizer(backend=args.backend, policy_stopwords=args.policy_stopwords, n_jobs=args.n_jobs)
    if args.unit == "document":
        table = corpus.metadata[["doc_id"]].copy()
        texts = corpus.texts
    else:
        segments = corpus.segments(args.unit)
        table = segments[["doc_id", "segment_id"]].copy()
        texts = segments["text"].tolist()
    tokens = tok.tokenize_many(texts, progress=True)
    table["tokens"] = [" ".join(t) for t in tokens]
    table["n_tokens"] = [len(t) for t in tokens]
    print(f"{len(table)} {args.unit}s, {int(table['n_tokens'].sum())} tokens")
    emit(table, args.out)
    return 0


def cmd_terms(args: argparse.Namespace) -> int:
    from policytext.features import term_trends

    terms = [t.strip() for t in (args.terms or "").split(",") if t.strip()]
    if args.terms_file:
        terms += [t.strip() for t in Path(args.terms_file).read_text(encoding="utf-8").splitlines() if t.strip()]
    if not terms:
        raise SystemExit("give terms with --terms 大数据,互联网+ or --terms-file FILE")
    trends = term_trends(_corpus(args), terms, by=args.by, rate=args.rate)
    print(trends.to_string())
    if args.out:
        _write(trends.reset_index(), args.out)
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from policytext.datahome import fetch

    report = fetch(args.name, args.home, timeout=args.timeout)
    print(report.to_string(index=False))
    counts = report["status"].value_counts().to_dict()
    print("; ".join(f"{n} {s}" for s, n in counts.items()))
    return 1 if {"failed", "checksum mismatch"} & set(counts) else 0


def cmd_report(args: argparse.Namespace) -> int:
    from policytext.report import ReportConfig, build_report

    from policytext.cli_topics import parse_ks

    config = ReportConfig(ks=parse_ks(args.k), by=args.by)
    result = build_report(args.source, args.out, config=config, cache=not args.no_cache)
    total = sum(result["seconds"].values())
    print(f"wrote {result['html']} ({total:.0f} s: "
          + ", ".join(f"{k} {v:.0f} s" for k, v in result["seconds"].items()) + ")")
    return 0


def add_source_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments every command that reads a SOURCE shares (read through :func:`_corpus`)."""
    p.add_argument("source", help="folder, file, table, or registered corpus name")
    p.add_argument("--metadata", help="side table (CSV/...) keyed by a 'path' column")
    p.add_argument("--text-col", help="text column of a table source")
    p.add_argument("--no-clean", action="store_true", help="keep the raw text (no boilerplate removal)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policytext", description="Mine Chinese policy texts.")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("info", help="version, data home and registered corpora").set_defaults(func=cmd_info)

    def source_parser(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_source_arguments(p)
        p.add_argument("--out", help="write the result to .parquet, .csv, .tsv or .jsonl")
        return p

    p = source_parser("corpus", "read a source; summarise documents per year/level/type and list skipped inputs")
    p.set_defaults(func=cmd_corpus)

    p = source_parser("tokenize", "tokenize documents or segments with the policy lexicon")
    p.add_argument("--unit", choices=["document", "paragraph", "sentence", "clause"], default="paragraph")
    p.add_argument("--backend", choices=["rjieba", "jieba"], default="rjieba")
    p.add_argument("--policy-stopwords", action="store_true", help="also drop policy boilerplate words")
    p.add_argument("--n-jobs", type=int, default=-1, help="processes (-1: all cores)")
    p.set_defaults(func=cmd_tokenize)

    p = source_parser("terms", "counts (or rates) of terms per year or another metadata column")
    p.add_argument("--terms", help="comma-separated terms, e.g. 大数据,互联网+,数据要素")
    p.add_argument("--terms-file", help="a file with one term per line")
    p.add_argument("--by", default="year", help="metadata column to group by (default: year)")
    p.add_argument("--rate", action="store_true", help="occurrences per 10,000 characters instead of counts")
    p.set_defaults(func=cmd_terms)

    p = sub.add_parser("report", help="the whole analysis as one HTML page plus tables (the main job)")
    p.add_argument("source", help="folder, file, table, or registered corpus name")
    p.add_argument("--out", required=True, help="folder for report.html, tables/, figures/, methods.json")
    p.add_argument("--k", default="6..16", help="topic numbers to compare: a range 6..16[:step] or a list 6,8,10")
    p.add_argument("--by", default="year", help="metadata column for trends (default: year)")
    p.add_argument("--no-cache", action="store_true", help="recompute everything")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("fetch", help="download missing files of a registered corpus into the data home")
    p.add_argument("name", help="registered corpus name (see `policytext info`)")
    p.add_argument("--home", help="data home to fill (default: $POLICYTEXT_DATA or ~/.policytext)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    p.set_defaults(func=cmd_fetch)

    from policytext.cli_classify import register_cli as register_classify
    from policytext.cli_docs import register_cli as register_docs
    from policytext.cli_topics import register_cli as register_topics

    register_docs(sub)
    register_classify(sub)
    register_topics(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``policytext`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, FileExistsError, PermissionError, ValueError, KeyError, TypeError) as exc:
        print(f"policytext {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
