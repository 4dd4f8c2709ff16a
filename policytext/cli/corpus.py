"""Commands that read a SOURCE and show or export it: ``info``, ``corpus``, ``tokenize``, ``terms``, ``fetch``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from policytext.cli.common import (
    UsageError,
    add_source_arguments,
    emit,
    n_jobs,
    out_file,
    read_source,
    show_progress,
    table_preview,
    write_table,
)


def cmd_info(args: argparse.Namespace) -> int:
    import policytext
    from policytext.corpus.datahome import registered_corpora, registered_corpus, verify_corpus
    from policytext.corpus.embedded import embedded_files
    from policytext.corpus.locations import data_home
    from policytext.text.lexicon import LEXICON_VERSION, load_lexicon

    print(f"policytext {policytext.__version__}")
    home = data_home()
    print(f"data home: {home} ({'exists' if home.is_dir() else 'missing'}; set POLICYTEXT_DATA to change)")
    print(f"lexicon: {len(load_lexicon())} terms (version {LEXICON_VERSION})")
    print("registered corpora (in the data home; 'embedded': read from the copy inside policytext when the data "
          "home has none of its files):")
    embedded = set(embedded_files())
    for name in registered_corpora():
        entry = registered_corpus(name)
        status = verify_corpus(name, home)["status"].value_counts().to_dict()
        state = ", ".join(f"{n} {s}" for s, n in sorted(status.items()))
        if set(entry.manifest["path"]) <= embedded:
            state += "; embedded"
        print(f"  {name:<18} {len(entry.manifest):>3} files: {state} — {entry.description}")
    return 0


def cmd_corpus(args: argparse.Namespace) -> int:
    corpus = read_source(args)
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
        write_table(frame, args.out)
    return 0


def cmd_tokenize(args: argparse.Namespace) -> int:
    from policytext.text.tokenize import Tokenizer

    corpus = read_source(args)
    tok = Tokenizer(backend=args.backend, policy_stopwords=args.policy_stopwords, n_jobs=args.n_jobs,
                    user_dict=args.user_dict)
    if args.unit == "document":
        table = corpus.metadata[["doc_id"]].copy()
        texts = corpus.texts
    else:
        segments = corpus.segments(args.unit)
        table = segments[["doc_id", "segment_id"]].copy()
        texts = segments["text"].tolist()
    tokens = tok.tokenize_many(texts, progress=show_progress(args))
    table["tokens"] = [" ".join(t) for t in tokens]
    table["n_tokens"] = [len(t) for t in tokens]
    print(f"{len(table)} {args.unit}s, {int(table['n_tokens'].sum())} tokens")
    emit(table, args.out)
    return 0


def cmd_terms(args: argparse.Namespace) -> int:
    from policytext.text.counts import term_trends

    terms = [t.strip() for t in (args.terms or "").split(",") if t.strip()]
    if args.terms_file:
        terms += [t.strip() for t in Path(args.terms_file).read_text(encoding="utf-8").splitlines() if t.strip()]
    if not terms:
        raise UsageError("give terms with --terms 大数据,互联网+ or --terms-file FILE")
    trends = term_trends(read_source(args), terms, by=args.by, rate=args.rate)
    if args.out:
        write_table(trends.reset_index(), args.out)
    else:
        print(table_preview(trends.reset_index(), rows=100))
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from policytext.corpus.datahome import FETCHED, fetch

    report = fetch(args.name, args.home, timeout=args.timeout, progress=show_progress(args))
    print(report.to_string(index=False))
    counts = report["status"].value_counts().to_dict()
    print("; ".join(f"{n} {s}" for s, n in counts.items()))
    missing = report[~report["status"].isin(FETCHED)]
    if len(missing):
        reasons = "; ".join(f"{s}: {n}" for s, n in missing["status"].value_counts().items())
        print(f"policytext fetch: {len(missing)} of {len(report)} files of {args.name!r} are still missing "
              f"({reasons}); see the detail column", file=sys.stderr)
        return 1
    return 0


def existing_file(value: str) -> str:
    """argparse type of an input file that must exist (checked before any work)."""
    if not Path(value).is_file():
        raise argparse.ArgumentTypeError(f"{value}: no such file")
    return value


def register_cli(sub: Any) -> None:
    """Add the corpus commands to the ``policytext`` subparsers."""
    sub.add_parser("info", help="version, data home and registered corpora").set_defaults(func=cmd_info)

    def source_parser(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_source_arguments(p)
        p.add_argument("--out", type=out_file, help="write the result to .parquet, .csv, .tsv or .jsonl")
        return p

    p = source_parser("corpus", "read a source; summarise documents per year/level/type and list skipped inputs")
    p.set_defaults(func=cmd_corpus)

    p = source_parser("tokenize", "tokenize documents or segments with the policy lexicon")
    p.add_argument("--unit", choices=["document", "paragraph", "sentence", "clause"], default="paragraph",
                   help="what one row of tokens is (default: paragraph)")
    p.add_argument("--backend", choices=["rjieba", "jieba"], default="rjieba",
                   help="segmenter: rjieba (fast, the default) or jieba; both cut text identically")
    p.add_argument("--policy-stopwords", action="store_true", help="also drop policy boilerplate words")
    p.add_argument("--n-jobs", type=n_jobs, default=-1, help="processes (-1: all cores)")
    p.add_argument("--user-dict", type=existing_file,
                   help="your own words on top of the lexicon: a lexicon .tsv (see lexicon-add) or a jieba dictionary")
    p.set_defaults(func=cmd_tokenize)

    p = source_parser("terms", "counts (or rates) of terms per year or another metadata column")
    p.add_argument("--terms", help="comma-separated terms, e.g. 大数据,互联网+,数据要素")
    p.add_argument("--terms-file", help="a file with one term per line")
    p.add_argument("--by", default="year", help="metadata column to group by (default: year)")
    p.add_argument("--rate", action="store_true", help="occurrences per 10,000 characters instead of counts")
    p.set_defaults(func=cmd_terms)

    p = sub.add_parser("fetch", help="download missing files of a registered corpus into the data home")
    p.add_argument("name", help="registered corpus name (see `policytext info`)")
    p.add_argument("--home", help="data home to fill (default: $POLICYTEXT_DATA or ~/.policytext)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    p.set_defaults(func=cmd_fetch)
