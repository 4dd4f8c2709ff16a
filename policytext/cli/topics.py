"""``policytext topics SOURCE --k 8..30 --by year --out DIR``: choose K, fit, and write tables, plots and HTML."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policytext.cli.common import (
    add_source_arguments,
    check_output_folder,
    n_jobs,
    out_folder,
    parse_ks,
    read_source,
    show_progress,
    topic_numbers,
    write_folder,
)


def cmd_topics(args: argparse.Namespace) -> int:
    from policytext.report.plots import plot_select_k, plot_topic_shares
    from policytext.text.tokenize import Tokenizer
    from policytext.topics.select import select_k
    from policytext.topics.dynamic import topic_shares
    from policytext.topics.model import TopicModel

    ks = parse_ks(args.k)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    check_output_folder(args.out, "top_terms.csv")  # a folder of other files is refused before any work

    def fill(out: Path) -> tuple[Any, str]:  # written aside and swapped in: a kill leaves the earlier output
        corpus = read_source(args)
        frame = corpus.to_frame()
        if args.by not in frame.columns or frame[args.by].isna().all():
            raise KeyError(f"--by {args.by!r}: the corpus has no values in that column; columns are "
                           f"{[c for c in frame.columns if c != 'text']}")
        if args.unit == "document":
            data = frame[frame["text"].str.len() >= args.min_chars].reset_index(drop=True)
        else:
            data = corpus.segments(args.unit, min_chars=args.min_chars)
        params = dict(backend=args.backend, passes=args.passes, min_df=args.min_df, max_df=args.max_df,
                      tokenizer=Tokenizer(policy_stopwords=args.policy_stopwords))
        print(f"{len(data)} {args.unit}s from {len(corpus)} documents; K in {ks}, seeds {seeds}, backend {args.backend}")
        k = ks[0]
        if len(ks) > 1:
            table = select_k(data, ks=ks, seeds=seeds, n_jobs=args.n_jobs, progress=show_progress(args), **params)
            table.to_csv(out / "select_k.csv", index=False)
            plot_select_k(table, path=out / "select_k.png")
            k = table.attrs["recommended_k"]
            print(table.to_string(index=False))
            print(f"recommended: {table.attrs['reason']}")
        model = TopicModel(k=k, seed=seeds[0], **params).fit(data, progress=show_progress(args))
        model.save(out / "model")
        terms = model.top_terms(args.top_n, relevance=args.relevance)
        terms.to_csv(out / "top_terms.csv", index=False)
        table = model.document_topics(data)
        key = "segment_topics.csv" if args.unit != "document" else "document_topics.csv"
        table.to_csv(out / key, index=False)
        model.representative(data, n=5).to_csv(out / "representative.csv", index=False)
        shares = topic_shares(model, table, by=args.by, seed=seeds[0])
        shares.to_csv(out / "topic_shares.csv", index=False)
        plot_topic_shares(shares, path=out / "topic_shares.png")
        model.export_ldavis(data, out / "ldavis" / "index.html")
        for topic, part in terms.groupby("topic"):
            print(f"  {model.topic_labels[topic]:<24} {' '.join(part['term'])}")
        return model, key

    model, key = write_folder(args.out, "top_terms.csv", fill)
    print(f"wrote model/, top_terms.csv, {key}, representative.csv, topic_shares.csv/.png, ldavis/index.html to "
          f"{args.out}")
    return 0


def register_cli(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``topics`` command to the ``policytext`` parser's subparsers."""
    p = subparsers.add_parser("topics", help="choose K, fit a topic model, write tables, plots and an HTML view",
                              description="Fit LDA topic models on a source (choosing K from a range) and write "
                              "top terms, segment-topic tables, topic shares by a metadata column with plots "
                              "and milestones, and a pyLDAvis page.")
    add_source_arguments(p)
    p.add_argument("--out", required=True, type=out_folder, help="output folder")
    p.add_argument("--k", type=topic_numbers, default="8..30", help="number of topics: 12, a list 6,8,10 or a range 8..30[:step]")
    p.add_argument("--by", default="year", help="metadata column for topic shares (year, level, issuer, doc_type)")
    p.add_argument("--unit", choices=["paragraph", "sentence", "clause", "document"], default="paragraph",
                   help="what one topic-model document is (default: paragraph)")
    p.add_argument("--min-chars", type=int, default=30, help="leave out shorter segments (default 30)")
    p.add_argument("--seeds", default="1,2", help="comma-separated seeds; two or more measure stability")
    p.add_argument("--backend", choices=["gensim", "tomotopy"], default="tomotopy",
                   help="tomotopy (Gibbs sampling, default: faster) or gensim (variational Bayes)")
    p.add_argument("--passes", type=int, default=10, help="gensim passes over the corpus")
    p.add_argument("--min-df", type=int, default=2, help="drop terms in fewer segments")
    p.add_argument("--max-df", type=float, default=0.5, help="drop terms in a larger share of segments")
    p.add_argument("--policy-stopwords", action="store_true", help="also drop policy boilerplate words")
    p.add_argument("--top-n", type=int, default=10, help="top terms per topic")
    p.add_argument("--relevance", type=float, default=0.6, help="LDAvis λ for ranking top terms (1 = probability)")
    p.add_argument("--n-jobs", type=n_jobs, default=-1, help="processes for choosing K (-1: all cores)")
    p.set_defaults(func=cmd_topics)
    return p
