"""Finding and adding domain terms: ``terms-discover`` and ``lexicon-add``.

The review loop a researcher runs::

    policytext terms-discover city-gwr-2024 --out candidates.csv     # numbered list printed, table written
    # mark the good rows: type y in the 'keep' column (spreadsheet), or note their numbers
    policytext lexicon-add candidates.csv --lexicon my_lexicon.tsv --category service
    policytext lexicon-add candidates.csv --lexicon my_lexicon.tsv --rows 1,4,7-9
    # then Tokenizer(user_dict="my_lexicon.tsv"), or `policytext tokenize SOURCE --user-dict my_lexicon.tsv`
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policytext.cli.common import UsageError, add_source_arguments, out_file, read_source, write_table

_YES = {"y", "yes", "1", "x", "true", "keep", "✓", "是"}


def row_numbers(value: str) -> list[int]:
    """argparse type of --rows: ``"1,4,7-9"`` -> [1, 4, 7, 8, 9] (the numbers terms-discover prints).

    Example:
        >>> row_numbers("1,4,7-9")
        [1, 4, 7, 8, 9]
    """
    numbers: list[int] = []
    try:
        for part in value.split(","):
            if not part.strip():
                continue
            low, _, high = part.partition("-")
            first, last = int(low), int(high or low)
            if first < 1 or last < first:
                raise ValueError
            numbers.extend(range(first, last + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: give row numbers from 1, e.g. 1,4,7-9") from None
    if not numbers:
        raise argparse.ArgumentTypeError("give at least one row number, e.g. 1,4,7-9")
    return numbers


def lexicon_file(value: str) -> str:
    """argparse type of --lexicon: a .tsv file that is either new or a lexicon (its first line starts 'term')."""
    from policytext.text.lexicon import is_lexicon_file

    path = Path(value)
    if path.suffix.lower() != ".tsv":
        raise argparse.ArgumentTypeError(f"{value}: give a .tsv file name (the lexicon format is tab-separated)")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a folder; give a file name such as my_lexicon.tsv")
    if path.is_file() and not is_lexicon_file(path):
        raise argparse.ArgumentTypeError(f"{value} exists but is not a lexicon (its first line does not start "
                                         "with 'term<TAB>'); give a new file or one lexicon-add wrote")
    return value


def category_name(value: str) -> str:
    """argparse type of --category: one of the lexicon categories."""
    from policytext.text.lexicon import LEXICON_CATEGORIES

    if value not in LEXICON_CATEGORIES:
        raise argparse.ArgumentTypeError(f"{value!r}: choose from {', '.join(LEXICON_CATEGORIES)}")
    return value


def cmd_terms_discover(args: argparse.Namespace) -> int:
    from policytext.text.discover import discover_terms
    from policytext.text.lexicon import lexicon_terms

    known: set[str] = set(lexicon_terms())
    if args.user_dict:
        from policytext.text.lexicon import load_lexicon

        known |= set(load_lexicon(args.user_dict)["term"])
    corpus = read_source(args)
    table = discover_terms(corpus, min_freq=args.min_freq, min_docs=args.min_docs, max_length=args.max_length,
                           known=known, top=args.top)
    table.insert(0, "rank", range(1, len(table) + 1))
    table["keep"] = ""
    print(f"{len(table)} candidate terms from {len(corpus)} documents (best first):")
    for row in table.head(args.show).itertuples():
        print(f"{row.rank:>4}  {row.term}  (freq {row.freq}, {row.n_docs} docs)  {row.example}")
    if args.out:
        write_table(table, args.out)
        print(f"mark the rows to keep with y in the 'keep' column, or note their numbers, then run "
              f"`policytext lexicon-add {args.out} --lexicon my_lexicon.tsv`")
    return 0


def cmd_lexicon_add(args: argparse.Namespace) -> int:
    from policytext.text.lexicon import add_lexicon_terms

    terms = _chosen_terms(Path(args.candidates), args.rows, args.accept_column)
    if not terms:
        raise UsageError(f"no terms chosen in {args.candidates}: mark rows with y in its {args.accept_column!r} "
                         "column, or give --rows 1,4,7-9")
    added = add_lexicon_terms(args.lexicon, terms, category=args.category, note=args.note)
    print(f"added {len(added)} terms to {args.lexicon} ({len(terms) - len(added)} were there already): "
          + ", ".join(added[:20]) + (" ..." if len(added) > 20 else ""))
    print(f"use it with Tokenizer(user_dict={args.lexicon!r}) or `policytext tokenize SOURCE --user-dict "
          f"{args.lexicon}`")
    return 0


def _chosen_terms(path: Path, rows: list[int] | None, accept_column: str) -> list[str]:
    import pandas as pd

    if not path.is_file():
        raise FileNotFoundError(f"candidates file {path} does not exist")
    if path.suffix.lower() == ".txt":
        if rows:
            raise UsageError("--rows needs the candidates table (.csv/.tsv) that terms-discover wrote")
        return [t.strip() for t in path.read_text(encoding="utf-8-sig").splitlines()
                if t.strip() and not t.lstrip().startswith("#")]
    if path.suffix.lower() not in (".csv", ".tsv"):
        raise UsageError(f"{path}: give the .csv or .tsv table terms-discover wrote, or a .txt list of terms")
    table = pd.read_csv(path, sep="\t" if path.suffix.lower() == ".tsv" else ",", dtype=str, keep_default_na=False)
    if "term" not in table.columns:
        raise UsageError(f"{path} has no 'term' column (columns: {', '.join(table.columns)})")
    if rows:
        numbers = table["rank"].astype(int).tolist() if "rank" in table.columns else list(range(1, len(table) + 1))
        missing = sorted(set(rows) - set(numbers))
        if missing:
            raise UsageError(f"--rows {missing[:5]} not in {path} (rows 1 to {max(numbers, default=0)})")
        position = {n: i for i, n in enumerate(numbers)}
        return [table["term"].iloc[position[n]].strip() for n in rows]
    if accept_column not in table.columns:
        raise UsageError(f"{path} has no {accept_column!r} column; give --accept-column NAME or --rows 1,4,7-9")
    keep = table[accept_column].str.strip().str.lower().isin(_YES)
    return [t.strip() for t in table.loc[keep, "term"]]


def register_cli(sub: Any) -> None:
    """Add the term commands to the ``policytext`` subparsers."""
    text = "find candidate new terms (coinages, compounds) in a source, best first, for review"
    p = sub.add_parser("terms-discover", help=text, description=text)
    add_source_arguments(p)
    p.add_argument("--out", type=out_file, help="write all candidates to .csv, .tsv, .parquet or .jsonl, with an "
                   "empty 'keep' column to mark")
    p.add_argument("--top", type=_positive, default=500, help="keep the best N candidates (default: 500)")
    p.add_argument("--show", type=_positive, default=40, help="print the best N as a numbered list (default: 40)")
    p.add_argument("--min-freq", type=_positive, default=5, help="least occurrences of a candidate (default: 5)")
    p.add_argument("--min-docs", type=_positive, default=2, help="least documents with a candidate (default: 2)")
    p.add_argument("--max-length", type=_positive, default=8, help="longest candidate in characters (default: 8)")
    p.add_argument("--user-dict", type=lexicon_file, help="your lexicon (.tsv): its terms are not candidates")
    p.set_defaults(func=cmd_terms_discover)

    text = "add the chosen candidates to a lexicon file of your own (created if missing)"
    p = sub.add_parser("lexicon-add", help=text, description=text)
    p.add_argument("candidates", help="the table terms-discover wrote (.csv/.tsv), or a .txt file of terms")
    p.add_argument("--lexicon", type=lexicon_file, required=True, help="your lexicon file (.tsv) to add to")
    p.add_argument("--accept-column", default="keep",
                   help="column whose marked rows (y, yes, x, 1, true) are added (default: keep)")
    p.add_argument("--rows", type=row_numbers, help="add these numbered rows instead, e.g. 1,4,7-9")
    p.add_argument("--category", type=category_name, default="other",
                   help="lexicon category of the added terms (default: other)")
    p.add_argument("--note", default="", help="note stored with each added term")
    p.set_defaults(func=cmd_lexicon_add)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number}: give a positive number")
    return number
