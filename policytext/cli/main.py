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

from policytext.cli import classify, corpus, documents, report, reuse, terms, topics
from policytext.cli.common import UsageError

# The order of the groups in ``policytext --help``.
_GROUPS = (corpus, terms, report, documents, reuse, classify, topics)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``policytext`` command, with every command group registered."""
    from policytext import __version__

    parser = argparse.ArgumentParser(prog="policytext", description="Mine Chinese policy texts.",
                                     epilog="--debug (anywhere on the line) shows the traceback of an error; "
                                            "--quiet (anywhere on the line) turns progress bars and stage lines off.")
    parser.add_argument("--version", action="version", version=f"policytext {__version__}")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no progress on stderr (bars are drawn only when stderr is a terminal anyway)")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in _GROUPS:
        group.register_cli(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``policytext`` command: 0 on success, 2 for an error the user can fix (reported in
    one line), 1 for an unexpected failure (one line too; ``--debug`` anywhere shows the traceback).

    Example:
        >>> main(["info"])  # doctest: +SKIP
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    # Like --debug, --quiet may stand anywhere (``policytext report gwr --out r --quiet``); "--" ends options.
    options = argv[:argv.index("--")] if "--" in argv else argv
    quiet = "--quiet" in options or "-q" in options
    argv = [a for i, a in enumerate(argv) if a != "--debug" and not (a in ("--quiet", "-q") and i < len(options))]
    parser = build_parser()
    args = parser.parse_args(argv)  # argument errors stop here, before any work, with status 2
    args.quiet = quiet
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print(f"policytext {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        usage = isinstance(exc, (UsageError, OSError, ValueError, KeyError, TypeError))
        detail = str(exc) if usage else f"{type(exc).__name__}: {exc} (run again with --debug for the traceback)"
        print(f"policytext {args.command}: error: {detail}", file=sys.stderr)
        return 2 if usage else 1


if __name__ == "__main__":
    sys.exit(main())
