"""Build notebooks/NN_*.ipynb from the Jupytext percent scripts in notebooks/src/, running them to save outputs.

The scripts in src/ are the notebooks' sources: edit those, then rebuild. Run from anywhere (the kernel starts in
the notebooks folder; a relative POLICYTEXT_DATA is made absolute first)::

    POLICYTEXT_DATA=../shared/corpora python notebooks/build_notebooks.py     # build and execute all
    python notebooks/build_notebooks.py --only 01_quickstart --no-execute       # just convert one

Needs jupytext, nbformat, nbclient and ipykernel (kernel ``python3``). A notebook that fails is reported on stderr
and written with its partial outputs; the others are still built, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
SOURCES = {p.stem: p for p in sorted((HERE / "src").glob("[0-9][0-9]_*.py"))}
CELL_TIMEOUT = 600


def write_atomically(nb, path: Path) -> None:
    """Write beside ``path`` and rename it in: a killed build leaves the old notebook or the new one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        nbformat.write(nb, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=list(SOURCES), help="notebooks to build")
    parser.add_argument("--no-execute", action="store_true", help="write the notebooks without running them")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write to (default: notebooks/)")
    args = parser.parse_args(argv)
    home = os.environ.get("POLICYTEXT_DATA")
    if home:  # the kernel starts in notebooks/: a relative data home must not move with it
        os.environ["POLICYTEXT_DATA"] = str(Path(home).expanduser().resolve())
    elif not args.no_execute:
        print("warning: POLICYTEXT_DATA is not set; the notebooks read corpora from ~/.policytext", file=sys.stderr)
    os.environ.pop("MPLBACKEND", None)  # a headless shell's Agg would keep the kernel from saving figures inline
    args.out.mkdir(parents=True, exist_ok=True)
    failed = []
    for name in args.only or SOURCES:
        nb = jupytext.read(SOURCES[name])
        nb.metadata.pop("jupytext", None)  # the .ipynb is an output, not paired with its source
        if not args.no_execute:
            start = time.perf_counter()
            try:
                NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                               resources={"metadata": {"path": str(HERE)}}).execute()
                print(f"{name}: executed in {time.perf_counter() - start:.1f} s")
            except Exception as error:  # a cell error, a timeout or a dead kernel: report it, build the rest
                plain = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # IPython colours the traceback
                print(f"{name}: FAILED\n{plain[-3000:]}", file=sys.stderr)
                failed.append(name)
        write_atomically(nb, args.out / f"{name}.ipynb")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
