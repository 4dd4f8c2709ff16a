"""How many paragraphs survive a round trip through PDF: print shared texts to PDF, read them back, compare.

Each document is printed in every layout of tests/pdf_fixtures.py (A4/B5/Letter, STSong and Noto Sans SC,
16/12/14/11 pt, justified, ragged and block paragraphs, running header and page numbers) and read back twice:
*before*, pypdf's plain text page after page (how ``read_document`` read PDFs until issue #12), and *after*,
``read_document``. A source paragraph (after ``clean_text``, whitespace-normalised) counts as verbatim when it is
exactly one paragraph of the cleaned output. Prints the share per document kind and overall.

    python benchmarks/pdf_fidelity.py            # 4 documents of each kind
    python benchmarks/pdf_fidelity.py -n 10      # 10 of each kind
    python benchmarks/pdf_fidelity.py --browser /usr/bin/chromium   # also print with a browser's PDF engine

The layouts of tests/pdf_fixtures.py are drawn by reportlab with rules the reader was written against. With
``--browser``, each document is also printed by a headless Chromium from HTML (justified paragraphs with a
two-character first-line indent, a centred title, A4 at 12 pt and B5 at 15 pt, the bundled Noto font): a layout
engine the rules were not tuned on, which also writes radical code points for some ideographs (人⺠) and lets
pypdf see stretched lines as spaced-out characters.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import subprocess
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


_CSS = """@font-face {{ font-family: Noto; src: url('{font}'); }}
@page {{ size: {page}; margin: 25mm 22mm; }}
body {{ font-family: Noto; font-size: {size}; line-height: 1.6; }}
h1 {{ text-align: center; font-size: 20pt; font-weight: normal; }}
p {{ text-indent: 2em; text-align: justify; margin: 0; }}"""
BROWSER_LAYOUTS = (("A4", "12pt"), ("B5", "15pt"))


def browser_pdf(browser: str, text: str, page: str, size: str, folder: Path, font: Path) -> Path:
    """``text`` printed to PDF by a headless Chromium: the first paragraph as a centred title, the rest justified."""
    paragraphs = [" ".join(p.split()) for p in pt.clean_text(text).split("\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[1:])
    css = _CSS.format(font=font.as_uri(), page=page, size=size)
    page_html = folder / "doc.html"
    page_html.write_text(f'<html><head><meta charset="utf-8"><style>{css}</style></head><body>'
                         f"<h1>{html.escape(paragraphs[0])}</h1>{body}</body></html>", encoding="utf-8")
    out = folder / "browser.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={out}",
                    page_html.as_uri()], check=True, capture_output=True, timeout=120)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=4, help="documents of each kind (default 4)")
    parser.add_argument("--browser", help="a Chromium binary: also print each document with it")
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
                for page, size in BROWSER_LAYOUTS if args.browser else ():
                    pdf = browser_pdf(args.browser, text, page, size, folder, fx.NOTO_OTF)
                    before, n = fx.verbatim(text, fx.plain_page_text(pdf))
                    after, _ = fx.verbatim(text, pt.read_document(pdf).text)
                    for key in (f"{kind}, browser", "overall, browser"):
                        row = totals[key]
                        row[0], row[1], row[2], row[3] = row[0] + before, row[1] + after, row[2] + n, row[3] + 1
                    if after < n:
                        print(f"  {path.name} browser {page} {size}: {after}/{n} verbatim")
    print(f"\n{'kind':<32}{'PDFs':>6}{'paragraphs':>12}{'before':>9}{'after':>9}")
    for kind, (before, after, n, pdfs) in totals.items():
        print(f"{kind:<32}{pdfs:>6}{n:>12}{before / n:>9.1%}{after / n:>9.1%}")


if __name__ == "__main__":
    main()
