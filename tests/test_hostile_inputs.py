"""Hostile inputs: one bad file never takes a run down, and every problem lands in ``corpus.skipped`` with a reason.

The files are built by the generators in tests/hostile_files.py; benchmarks/hostile_inputs.py measures time and
peak memory on the full-size versions.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from policytext.corpus.corpus import read_corpus
from policytext.corpus.files import ReadError, decode_bytes, read_document


def _load_generators():
    import importlib.util

    spec = importlib.util.spec_from_file_location("hostile_files", Path(__file__).with_name("hostile_files.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hf = _load_generators()
GOOD = hf.TEXT


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


def _reason(corpus, name: str) -> str:
    reasons = [reason for where, reason in corpus.skipped if Path(where).name == name or where.endswith(name)]
    assert reasons, f"{name} not in skipped: {corpus.skipped}"
    return reasons[0]


# ----------------------------------------------------------------------------------------------- PDF (defect 1)
def test_pdf_flate_bomb_is_skipped_and_the_rest_read(tmp_path):
    folder = _folder(tmp_path)
    hf.flate_bomb_pdf(folder / "bomb.pdf", inflated=200 << 20)
    corpus = read_corpus(folder, errors="skip")
    assert list(corpus.doc_ids) == ["good.txt"]
    assert "PDF" in _reason(corpus, "bomb.pdf")
    with pytest.raises(ReadError, match="bomb.pdf"):
        read_document(folder / "bomb.pdf")


def test_pdf_nested_50000_deep_is_skipped(tmp_path):
    folder = _folder(tmp_path)
    hf.deep_pdf(folder / "deep.pdf")
    corpus = read_corpus(folder, errors="skip")
    assert list(corpus.doc_ids) == ["good.txt"]
    assert "nested" in _reason(corpus, "deep.pdf")


def test_ordinary_pdf_still_reads(tmp_path):
    assert "digital government" in read_document(hf.text_pdf(tmp_path / "ok.pdf")).text


# -------------------------------------------------------------------------------------- links (defects 2, 13)
def test_symlink_out_of_the_folder_is_skipped_not_fatal(tmp_path):
    folder = _folder(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("外部文件不应被读入。", encoding="utf-8")
    (folder / "p.txt").symlink_to(outside)
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    corpus = read_corpus(folder, errors="skip")
    assert sorted(corpus.doc_ids) == ["good.txt", "inside.txt"]
    assert "outside" in _reason(corpus, "p.txt")


def test_symlink_loops_and_dangling_links_are_recorded(tmp_path):
    folder = _folder(tmp_path)
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    sub = folder / "sub"
    sub.mkdir()
    (sub / "doc.txt").write_text(GOOD, encoding="utf-8")
    (sub / "up").symlink_to(folder)  # a folder link back up: a loop when followed
    corpus = read_corpus(folder, errors="skip")
    assert sorted(corpus.doc_ids) == ["good.txt", "sub/doc.txt"]
    assert "loop" in _reason(corpus, "a.txt")
    assert "loop" in _reason(corpus, "b.txt")
    assert "missing.txt" in _reason(corpus, "gone.txt")
    assert "loop" in _reason(corpus, "up")


def test_symlinked_subfolder_inside_the_folder_is_read(tmp_path):
    folder = _folder(tmp_path)
    real = folder / "real"
    real.mkdir()
    (real / "doc.txt").write_text(GOOD, encoding="utf-8")
    (folder / "alias").symlink_to(real)
    corpus = read_corpus(folder, errors="skip")
    assert "real/doc.txt" in list(corpus.doc_ids)
    assert "already read" in _reason(corpus, "alias")


# ------------------------------------------------------------------------------ unreadable (defects 3, 13)
def _deny(monkeypatch, names: set[str]) -> None:
    """Make opening the named files (or listing the named folders) raise PermissionError, as for mode 000
    under a non-root user (tests run as root, which ignores file modes)."""
    real_open, real_scandir = pathlib.Path.open, os.scandir

    def fake_open(self, *args, **kwargs):
        if self.name in names:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    def fake_scandir(path="."):
        if Path(path).name in names:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(pathlib.Path, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)


def test_unreadable_files_are_skipped_with_the_reason(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    (folder / "locked.txt").write_text(GOOD, encoding="utf-8")
    hf.docx(folder / "locked.docx")
    hf.text_pdf(folder / "locked.pdf")
    (folder / "locked.html").write_text("<p>数字政府</p>", encoding="utf-8")
    _deny(monkeypatch, {"locked.txt", "locked.docx", "locked.pdf", "locked.html"})
    corpus = read_corpus(folder, errors="skip")
    assert list(corpus.doc_ids) == ["good.txt"]
    for name in ("locked.txt", "locked.docx", "locked.pdf", "locked.html"):
        assert "permission denied" in _reason(corpus, name)


def test_unreadable_subfolder_is_recorded(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    (folder / "closed").mkdir()
    (folder / "closed" / "doc.txt").write_text(GOOD, encoding="utf-8")
    _deny(monkeypatch, {"closed"})
    corpus = read_corpus(folder, errors="skip")
    assert list(corpus.doc_ids) == ["good.txt"]
    assert "cannot be listed" in _reason(corpus, "closed")


@pytest.mark.skipif(shutil.which("setpriv") is None or os.geteuid() != 0, reason="needs root and setpriv")
def test_mode_000_as_a_real_non_root_user():
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="policytext-mode000-", dir="/tmp"))  # pytest's tmp is private (0700)
    tmp_path.chmod(0o755)
    folder = _folder(tmp_path)
    for name in ("locked.txt", "locked.docx"):
        (hf.docx(folder / name) if name.endswith("docx") else folder / name)
        if name.endswith("txt"):
            (folder / name).write_text(GOOD, encoding="utf-8")
        (folder / name).chmod(0)
    (folder / "closed").mkdir()
    (folder / "closed" / "doc.txt").write_text(GOOD, encoding="utf-8")
    (folder / "closed").chmod(0)
    folder.chmod(0o755)
    (folder / "good.txt").chmod(0o644)
    script = ("from policytext.corpus.corpus import read_corpus\n"
              f"c = read_corpus({str(folder)!r}, errors='skip')\n"
              "print(list(c.doc_ids)); print(c.skipped)\n")
    env = {**os.environ, "HOME": str(tmp_path)}
    as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c"]
    probe = subprocess.run([*as_nobody, "import pandas, policytext"], capture_output=True, text=True, env=env,
                           cwd=tmp_path, timeout=120)
    if probe.returncode != 0:  # e.g. a virtual environment inside a private (0700) folder
        shutil.rmtree(tmp_path, ignore_errors=True)
        pytest.skip(f"the unprivileged user cannot import this installation: {probe.stderr.strip()[-200:]}")
    result = subprocess.run([*as_nobody, script], capture_output=True, text=True, env=env, cwd=tmp_path,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "['good.txt']" in result.stdout
    assert result.stdout.count("permission denied") == 2, result.stdout
    assert "closed" in result.stdout and "cannot be listed" in result.stdout
    for path in (folder / "closed", *folder.iterdir()):
        path.chmod(0o755)
    shutil.rmtree(tmp_path)


# --------------------------------------------------------------------------------- encodings (10, 15, 18)
def test_gb18030_bom_is_removed():
    body = "数字政府建设是推进国家治理现代化的重要举措。"
    assert decode_bytes(b"\x84\x31\x95\x33" + body.encode("gb18030")) == (body, "gb18030")


def test_utf16_without_bom_holding_cjk():
    sample = "一、总体要求\n数字政府 2022\n"
    for codec in ("utf-16-le", "utf-16-be"):
        assert decode_bytes(sample.encode(codec)) == (sample, codec)
    with pytest.raises(ReadError, match="binary"):
        decode_bytes(b"\x00\x01\x02\x03\xff\xfe\x00\x00\x10" * 50)


def test_html_charset_declaration_contradicted_by_the_bytes(tmp_path):
    page = "<html><head><meta charset=gbk><title>政府</title></head><body><p>{}</p></body></html>"
    body = "國務院關於加強數字政府建設的指導意見。數字政府建設是推進國家治理體系和治理能力現代化的重要舉措。" * 3
    path = tmp_path / "big5.html"
    path.write_bytes(page.format(body).encode("big5"))
    with pytest.warns(UserWarning, match="declares charset gbk"):
        doc = read_document(path)
    assert doc.encoding == "big5" and "數字政府建設" in doc.text
    right = tmp_path / "gbk.html"
    right.write_bytes(page.format("数字政府建设是推进国家治理体系和治理能力现代化的重要举措。" * 3).encode("gbk"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "数字政府建设" in read_document(right).text


# ------------------------------------------------------------------------------------ HTML nesting (14)
def test_deeply_nested_html_keeps_its_text(tmp_path):
    doc = read_document(hf.deep_html(tmp_path / "deep.html"))
    assert "数字政府建设是推进国家治理现代化的重要举措" in doc.text


# ----------------------------------------------------------------------------------------- .docx bomb (6)
def test_docx_bomb_is_refused_before_it_is_inflated(tmp_path):
    from policytext.corpus import files

    path = hf.docx(tmp_path / "bomb.docx", padding=files.MAX_DOCX_XML + (1 << 20))
    assert path.stat().st_size < 2 << 20
    with pytest.raises(ReadError, match="inflate"):
        read_document(path)
    assert "数字政府建设" in read_document(hf.docx(tmp_path / "ok.docx")).text


# --------------------------------------------------------------------------- long lines and metadata (5)
def test_metadata_inference_on_one_long_line_uses_bounded_memory():
    import tracemalloc

    from policytext.corpus.metadata import infer_from_text

    text = "数字政府建设，" * 300_000  # one 6 MB line
    tracemalloc.start()
    try:
        infer_from_text(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * len(text.encode("utf-8")), f"peak {peak / 2**20:.0f} MB for a {len(text) / 2**20:.0f} M-char line"
