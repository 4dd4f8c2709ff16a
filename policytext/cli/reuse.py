"""``policytext reuse``: text reuse and diffusion across one or more SOURCEs, written to a folder.

The folder gets ``passages.csv`` (one row per reused passage), ``pairs.csv`` (one row per source → reuser),
``diffusion.csv`` (pairs by level), ``strength.csv`` (policy strength of every document), ``reuse.graphml`` and
``reuse.html`` (the longest passages side by side, differences marked). Everything is written into a folder beside
``--out`` and swapped in at the end, so a run that is killed leaves the previous result or the new one.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from policytext.cli.common import check_output_folder, n_jobs, out_folder, read_source, write_folder

MARKER = "settings.json"  # what marks a folder as an earlier output of this command


def register_cli(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reuse", help="reused passages, diffusion pairs, policy strength, GraphML and an HTML page",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", nargs="+", help="folder, file, table or registered corpus name (several are joined)")
    p.add_argument("--out", required=True, type=out_folder,
                   help="output folder (replaced as a whole when the run finishes)")
    p.add_argument("--metadata", help="side table (CSV/...) keyed by a 'path' column")
    p.add_argument("--text-col", help="text column of a table source")
    p.add_argument("--no-clean", action="store_true", help="keep the raw text (no boilerplate removal)")
    p.add_argument("--min-length", type=int, default=50, help="shortest passage reported, in characters (50)")
    p.add_argument("--ngram", type=int, default=5, help="characters per shingle (5)")
    p.add_argument("--threshold", type=float, default=0.5, help="least share of matching aligned characters (0.5)")
    p.add_argument("--drop-boilerplate", action="store_true", help="leave out formula clauses (法律责任, 施行 ...)")
    p.add_argument("--top", type=int, default=50, help="passages shown in reuse.html (50)")
    p.add_argument("--jobs", type=n_jobs, default=-1, help="worker processes (-1: all cores)")
    p.set_defaults(func=cmd_reuse)


def cmd_reuse(args: argparse.Namespace) -> int:
    import networkx as nx
    import pandas as pd

    from policytext.documents.diffusion import diffusion_summary, reuse_graph, reuse_pairs
    from policytext.documents.reuse import text_reuse
    from policytext.documents.strength import policy_strength
    from policytext.report.reuse_page import reuse_page

    check_output_folder(args.out, MARKER)  # a folder of other files is refused before any work
    frames = []
    for source in args.source:
        frames.append(read_source(argparse.Namespace(**{**vars(args), "source": source})).to_frame())
    docs = pd.concat(frames, ignore_index=True)
    dup = docs["doc_id"].duplicated()
    if dup.any():
        print(f"{int(dup.sum())} documents appear in more than one SOURCE; each is kept once")
        docs = docs[~dup].reset_index(drop=True)
    reuse = text_reuse(docs, min_length=args.min_length, ngram=args.ngram, threshold=args.threshold,
                       drop_boilerplate=args.drop_boilerplate, n_jobs=args.jobs)
    pairs = reuse_pairs(reuse, docs)
    def fill(tmp: Path) -> None:
        reuse.to_csv(tmp / "passages.csv", index=False, encoding="utf-8")
        pairs.to_csv(tmp / "pairs.csv", index=False, encoding="utf-8")
        diffusion_summary(pairs, by=["level_source", "level_reuser"]).to_csv(tmp / "diffusion.csv", index=False)
        policy_strength(docs).to_csv(tmp / "strength.csv", index=False, encoding="utf-8")
        nx.write_graphml(reuse_graph(reuse, docs), tmp / "reuse.graphml")
        title = f"Text reuse in {' + '.join(args.source)}"
        (tmp / "reuse.html").write_text(reuse_page(reuse, docs, top=args.top, title=title), encoding="utf-8")
        (tmp / "settings.json").write_text(json.dumps({"sources": args.source, "documents": len(docs),
                                                       **reuse.attrs["settings"]}, ensure_ascii=False, indent=1))

    write_folder(args.out, MARKER, fill)
    print(f"{len(docs)} documents, {len(reuse)} passages in {len(pairs)} pairs; wrote {args.out}")
    return 0
