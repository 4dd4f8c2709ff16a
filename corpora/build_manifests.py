"""Rebuild the corpus manifests in this folder from a data home that holds the files.

    python corpora/build_manifests.py /path/to/corpora

Writes one CSV per registered corpus with each file's path (relative to the data home), sha256, size and
metadata, and the official address where one is known. Only metadata is written here, never text.

A registered corpus is exactly the files its manifest lists. ``policy`` is frozen: it keeps the 53 files it had
when the annotation rounds were drawn from it (its membership is read from the current ``policy.csv``), so
re-running the sampling scripts stays exact. ``policy-v2`` is everything under ``policy/`` except the two
folders registered on their own (``city-gwr-2024``, ``national-2023-2025``).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ["path", "sha256", "bytes", "title", "year", "date", "issuer", "doc_number", "level", "region",
           "doc_type", "official_url", "url", "source"]

def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def official_url(row: dict) -> str:
    """The official address named in the copy's provenance (gov.cn or Wikisource), or ""."""
    match = re.search(r"(?:https?://)?((?:www\.gov\.cn|zh\.wikisource\.org)/[^\s;()]+)", row["source"])
    return f"http://{match.group(1)}" if match and "gov.cn" in match.group(1) else (
        f"https://{match.group(1)}" if match else "")


def main(home: Path) -> None:
    rows = list(csv.DictReader(open(home / "metadata.csv", encoding="utf-8")))
    with open(HERE / "policy.csv", encoding="utf-8") as handle:
        frozen_policy = {row["path"] for row in csv.DictReader(handle)}
    listed = {row["path"] for row in rows}
    if frozen_policy - listed:
        raise SystemExit(f"policy.csv lists files that metadata.csv no longer has: {sorted(frozen_policy - listed)[:3]}")
    corpora: dict[str, list[dict]] = {name: [] for name in (
        "gwr-2014-2022", "policy", "policy-v2", "city-gwr-2024", "national-2023-2025", "teddy-cup-2020")}
    own_folders = {"policy/city-gwr-2024/": "city-gwr-2024", "policy/national-2023-2025/": "national-2023-2025"}
    for row in rows:
        year = row["year"] if row["year"].isdigit() else ""
        out = {
            "path": row["path"], "sha256": row["sha256"], "bytes": row["bytes"], "title": row["title"],
            "year": year, "date": row["date"], "issuer": row["issuer"], "doc_number": row["doc_no"],
            "level": row["level"], "region": row["region"], "doc_type": row["doc_type"],
            "official_url": official_url(row), "url": "", "source": row["source"],
        }
        if sha256(home / row["path"]) != row["sha256"]:
            raise SystemExit(f"{row['path']}: checksum differs from metadata.csv")
        if row["path"] in frozen_policy:
            corpora["policy"].append(out)
        own = next((name for folder, name in own_folders.items() if row["path"].startswith(folder)), None)
        if own:
            corpora[own].append(out)
        elif row["path"].startswith("policy/"):
            corpora["policy-v2"].append(out)
        if row["path"].startswith("policy/gwr-national/"):
            corpora["gwr-2014-2022"].append(out)
        if row["path"].startswith("labelled/teddy-cup-2020/"):
            corpora["teddy-cup-2020"].append(out)
    papers = []
    for row in csv.DictReader(open(home / "case-papers" / "manifest.csv", encoding="utf-8")):
        path = home / "case-papers" / row["file"]
        if sha256(path) != row["sha256"]:
            raise SystemExit(f"{path}: checksum differs from case-papers/manifest.csv")
        papers.append({
            "path": f"case-papers/{row['file']}", "sha256": row["sha256"], "bytes": path.stat().st_size,
            "title": row["title"], "year": row["year"], "date": "", "issuer": row["authors"], "doc_number": "",
            "level": "", "region": "", "doc_type": "case_paper", "official_url": "", "url": "",
            "source": row["venue"],
        })
    corpora["case-papers"] = papers
    for name, records in corpora.items():
        records.sort(key=lambda r: r["path"])
        target = HERE / f"{name}.csv"
        partial = target.with_name(f".{target.name}.partial")
        with open(partial, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(records)
        os.replace(partial, target)
        print(f"{name}: {len(records)} files")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora").resolve())
