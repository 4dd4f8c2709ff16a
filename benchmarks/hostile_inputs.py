"""Time and peak memory of ``read_corpus(errors="skip")`` on each hostile input of issue #12.

Builds every hostile file in a temporary folder (generators in tests/hostile_files.py), reads each one alone in a
fresh process, and prints the seconds, the peak resident memory of that process, the file size and the budget
(10 × the file + 300 MB), plus what ``corpus.skipped`` says. A process that runs over 120 s counts as hung.

    python benchmarks/hostile_inputs.py            # full-size inputs (1 GiB bombs, 50 MB line)
    python benchmarks/hostile_inputs.py --small    # a quick run with smaller bombs and lines
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIMEOUT = 120

READER = """
import json, resource, sys, time
import policytext as pt
start = time.perf_counter()
corpus = pt.read_corpus(sys.argv[1], errors="skip", infer=True)
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "documents": len(corpus),
                  "skipped": [[w.rsplit("/", 1)[-1], r[:90]] for w, r in corpus.skipped]}, ensure_ascii=False))
"""


def _generators():
    spec = importlib.util.spec_from_file_location("hostile_files", HERE.parent / "tests" / "hostile_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_inputs(root: Path, small: bool) -> dict[str, tuple[Path, int]]:
    """One folder per hostile input, each with the input alone; returns name -> (folder, bytes on disk)."""
    hf = _generators()
    bomb = (64 << 20) if small else (1 << 30)
    inputs: dict[str, tuple[Path, int]] = {}

    def folder(name: str) -> Path:
        path = root / name
        path.mkdir()
        return path

    def add(name: str, path: Path) -> None:
        inputs[name] = (path.parent, sum(p.stat().st_size for p in path.parent.iterdir() if p.is_file()
                                         and not p.is_symlink()))

    add("PDF Flate bomb", hf.flate_bomb_pdf(folder("pdf-bomb") / "bomb.pdf", inflated=bomb))
    add("PDF arrays nested 50,000 deep", hf.deep_pdf(folder("pdf-deep") / "deep.pdf"))
    add(".docx bomb", hf.docx(folder("docx-bomb") / "bomb.docx", padding=bomb))
    add("HTML 50,000 nested <div>", hf.deep_html(folder("html-deep") / "deep.html"))
    add("title line of 16,000 spaces", hf.spaces_title(folder("spaces") / "spaces.txt"))
    add("one-line file (50 MB)" if not small else "one-line file (5 MB)",
        hf.long_line(folder("long-line") / "line.txt", size=(5 << 20) if small else (50 << 20)))
    links = folder("links")
    (links / "good.txt").write_text(hf.TEXT, encoding="utf-8")
    (links / "p.txt").symlink_to("/etc/passwd")
    (links / "a.txt").symlink_to(links / "b.txt")
    (links / "b.txt").symlink_to(links / "a.txt")
    (links / "gone.txt").symlink_to(links / "missing.txt")
    (links / "up").symlink_to(links)
    add("links: outside, loop, dangling, folder loop", links / "good.txt")
    locked = folder("unreadable")
    (locked / "good.txt").write_text(hf.TEXT, encoding="utf-8")
    (locked / "locked.txt").write_text(hf.TEXT, encoding="utf-8")
    (locked / "locked.txt").chmod(0)
    (locked / "closed").mkdir()
    (locked / "closed" / "doc.txt").write_text(hf.TEXT, encoding="utf-8")
    (locked / "closed").chmod(0)
    add("unreadable file and folder (mode 000)", locked / "good.txt")
    charset = folder("charset")
    page = "<html><head><meta charset=gbk></head><body><p>{}</p></body></html>"
    (charset / "big5.html").write_bytes(page.format("國務院關於加強數字政府建設的指導意見。" * 20).encode("big5"))
    add("Big5 bytes under <meta charset=gbk>", charset / "big5.html")
    utf16 = folder("utf16")
    (utf16 / "u.txt").write_bytes(("一、总体要求\n" + hf.TEXT).encode("utf-16-le"))
    add("UTF-16 without BOM", utf16 / "u.txt")
    gb_bom = folder("gb18030-bom")
    (gb_bom / "g.txt").write_bytes(b"\x84\x31\x95\x33" + hf.TEXT.encode("gb18030"))
    add("GB18030 with BOM", gb_bom / "g.txt")
    fifo = folder("fifo")
    (fifo / "good.txt").write_text(hf.TEXT, encoding="utf-8")
    os.mkfifo(fifo / "pipe.txt")
    add("named pipe (would block a read)", fifo / "good.txt")
    return inputs


def _command(folder: Path) -> list[str]:
    command = [sys.executable, "-c", READER, str(folder)]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        # root reads mode-000 files; an ordinary user is what the unreadable input is about.
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="smaller bombs and lines, for a quick run")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="policytext-hostile-", dir="/tmp"))
    root.chmod(0o755)
    try:
        inputs = build_inputs(root, args.small)
        print(f"{'input':46} {'file MB':>8} {'seconds':>8} {'peak MB':>8} {'budget MB':>9}  outcome")
        for name, (folder, size) in inputs.items():
            budget = 10 * size / 2**20 + 300
            try:
                result = subprocess.run(_command(folder), capture_output=True, text=True, timeout=TIMEOUT,
                                        env={**os.environ, "HOME": str(root)})
            except subprocess.TimeoutExpired:
                print(f"{name:46} {size / 2**20:8.2f} {'>' + str(TIMEOUT):>8} {'-':>8} {budget:9.0f}  HUNG")
                continue
            if result.returncode != 0:
                print(f"{name:46} {size / 2**20:8.2f} {'-':>8} {'-':>8} {budget:9.0f}  FAILED: "
                      f"{result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode}")
                continue
            data = json.loads(result.stdout.strip().splitlines()[-1])
            verdict = "ok" if data["peak_mb"] <= budget else "OVER BUDGET"
            skipped = "; ".join(f"{w}: {r}" for w, r in data["skipped"]) or "-"
            print(f"{name:46} {size / 2**20:8.2f} {data['seconds']:8.2f} {data['peak_mb']:8.0f} {budget:9.0f}  "
                  f"{verdict}, {data['documents']} read; skipped {skipped}")
    finally:
        for path in root.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
            elif path.is_file() and not path.is_symlink():
                path.chmod(0o644)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
