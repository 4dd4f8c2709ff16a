"""Build the embedded default corpus: the official documents of the registered corpora, as one archive.

    python corpora/build_embedded.py [/path/to/corpora]

Reads every file listed in the manifests of the corpora marked ``"embedded": true`` in ``registry.json`` from the
data home, checks it against its manifest's sha256, and writes ``embedded/official.tar.xz`` (members sorted, no
owners or times, so the same files give the same bytes) with ``embedded/official.json``: the archive's sha256 and
each file's path and sha256. Only official documents may be marked embedded (article 5 of the PRC Copyright Law);
case papers and citizen messages never are.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import lzma
import os
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "embedded"
NEVER = ("case-papers/", "labelled/")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_aside(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def main(home: Path) -> None:
    registry = json.loads((HERE / "registry.json").read_text(encoding="utf-8"))
    files: dict[str, str] = {}
    names = [name for name, entry in registry.items() if entry.get("embedded")]
    for name in names:
        with open(HERE / registry[name]["manifest"], encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["path"].startswith(NEVER):
                    raise SystemExit(f"{name}: {row['path']} is not an official document and may not be embedded")
                files[row["path"]] = row["sha256"]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(files):
            data = (home / path).read_bytes()
            if sha256(data) != files[path]:
                raise SystemExit(f"{home / path}: sha256 differs from its manifest; rebuild the manifests first")
            info = tarfile.TarInfo(path)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    archive = lzma.compress(buffer.getvalue(), preset=9 | lzma.PRESET_EXTREME)
    OUT.mkdir(exist_ok=True)
    write_aside(OUT / "official.tar.xz", archive)
    index = {"archive_sha256": sha256(archive), "corpora": names, "files": dict(sorted(files.items()))}
    write_aside(OUT / "official.json", (json.dumps(index, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    print(f"{len(files)} files of {len(names)} corpora: {len(buffer.getvalue()):,} bytes -> {len(archive):,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora").resolve())
