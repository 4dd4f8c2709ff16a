"""The entry point of the ``policytext`` command: it assembles the command groups into one parser.

Every SOURCE is a folder, a file, a table, or the name of a registered corpus (see ``policytext info``). Each
command group lives in its own module (:mod:`~policytext.cli.corpus`, :mod:`~policytext.cli.documents`,
:mod:`~policytext.cli.classify`, :mod:`~policytext.cli.topics`, :mod:`~policytext.cli.report`); this module
only assembles them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from policytext.cli import classify, corpus, documents, report, reuse, topics

# The order of the groups in ``policytext --help``.
_GROUPS = (corpus, report, documents, reuse, classify, topics)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``policytext`` command, with every command group registered."""
    parser = argparse.ArgumentParser(prog="policytext", description="Mine Chinese policy texts.")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in _GROUPS:
        group.register_cli(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``policytext`` command.

    Example:
        >>> main(["info"])  # doctest: +SKIP
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, FileExistsError, PermissionError, ValueError, KeyError, TypeError) as exc:
        print(f"policytext {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
