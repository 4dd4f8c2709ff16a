"""How many paragraphs survive a round trip through PDF: print shared texts to PDF, read them back, compare.

Each document is printed in every layout of tests/pdf_fixtures.py (A4/B5/Letter, STSong and Noto Sans SC,
16/12/14/11 pt, justified, ragged and block paragraphs, running header and page numbers) and read back twice:
*before*, pypdf's plain text page after page (how ``read_document`` read PDFs until issue #12), and *after*,
``read_document``. A source paragraph (after ``clean_text``, whitespace-normalised) counts as verbatim when it is
exactly one paragraph of the cleaned output. Prints the share per document kind and overall.

    python benchmarks/pdf_fidelity.py            # 4 documents of each kind
    python benchmarks/pdf_fidelity.py -n 10      # 10 of each kind
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import pandas as pd

import policytext as pt

HERE = Path(__file__).resolve().parent
LAWS = {"law", "administrative_regulation", "local_regulation", "departmental_rule", "local_government_rule"}
NATIONAL = {"normative_document", "party_central_document"}


def _fixtures():
    spec = importlib.util.spec_from_file_location("pdf_fixtures", HERE.parent / "tests" / "pdf_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["pdf_fixtures"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def sample(home: Path, per_kind: int) -> dict[str, list[Path]]:
    """``per_kind`` documents of each kind, spread evenly over the metadata table's sorted paths."""
    meta = pd.read_csv(home / "metadata.csv")
    meta = meta[meta["path"].str.startswith("policy/") & meta["path"].str.endswith(".txt")].sort_values("path")
    kinds = {
        "law or regulation (第X条)": meta[meta["doc_type"].isin(LAWS)],
        "national document (一、（一）)": meta[meta["doc_type"].isin(NATIONAL)],
        "city work report": meta[meta["path"].str.startswith("policy/city-gwr-2024/")],
    }
    out = {}
    for kind, rows in kinds.items():
        paths = list(rows["path"])
        step = max(1, len(paths) // per_kind)
        out[kind] = [home / p for p in paths[::step][:per_kind]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=4, help="documents of each kind (default 4)")
    args = parser.parse_args()
    fx = _fixtures()
    home = pt.data_home()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # before, after, paragraphs, PDFs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind, paths in sample(home, args.n).items():
            for path in paths:
                text = path.read_text(encoding="utf-8")
                for layout in fx.LAYOUTS:
                    pdf = fx.write_policy_pdf(folder / "doc.pdf", text, layout, fonts=folder)
                    before, n = fx.verbatim(text, fx.plain_page_text(pdf))
                    after, _ = fx.verbatim(text, pt.read_document(pdf).text)
                    for key in (kind, "overall"):
                        row = totals[key]
                        row[0], row[1], row[2], row[3] = row[0] + before, row[1] + after, row[2] + n, row[3] + 1
                    if after < n:
                        print(f"  {path.name} {layout.name}: {after}/{n} verbatim")
    print(f"\n{'kind':<32}{'PDFs':>6}{'paragraphs':>12}{'before':>9}{'after':>9}")
    for kind, (before, after, n, pdfs) in totals.items():
        print(f"{kind:<32}{pdfs:>6}{n:>12}{before / n:>9.1%}{after / n:>9.1%}")


if __name__ == "__main__":
    main()
