"""The ``report`` command: the whole analysis of a SOURCE as one HTML page plus tables (the main job)."""

from __future__ import annotations

import argparse
from typing import Any

from policytext.cli.common import out_folder, parse_ks, topic_numbers


def cmd_report(args: argparse.Namespace) -> int:
    from policytext.report.build import ReportConfig, build_report

    from policytext.report.build import check_report_folder

    check_report_folder(args.out)  # a folder of other files is refused before the corpus is read
    config = ReportConfig(ks=parse_ks(args.k), by=args.by, focus=args.focus)
    result = build_report(args.source, args.out, config=config, cache=not args.no_cache,
                          progress=not getattr(args, "quiet", False))
    total = sum(result["seconds"].values())
    print(f"wrote {result['html']} ({total:.0f} s: "
          + ", ".join(f"{k} {v:.0f} s" for k, v in result["seconds"].items()) + ")")
    return 0


def register_cli(sub: Any) -> None:
    """Add the ``report`` command to the ``policytext`` subparsers."""
    p = sub.add_parser("report", help="the whole analysis as one HTML page plus tables (the main job)")
    p.add_argument("source", help="folder, file, table, or registered corpus name")
    p.add_argument("--out", required=True, type=out_folder, help="folder for report.html, tables/, figures/, methods.json")
    p.add_argument("--k", type=topic_numbers, default="6..16", help="topic numbers to compare: a range 6..16[:step] or a list 6,8,10")
    p.add_argument("--by", default="year", help="metadata column for trends (default: year)")
    p.add_argument("--focus", choices=["digital", "all"], default="digital",
                   help="topics of the segments naming a digital-government term (default) or of all segments")
    p.add_argument("--no-cache", action="store_true", help="recompute everything")
    p.set_defaults(func=cmd_report)
