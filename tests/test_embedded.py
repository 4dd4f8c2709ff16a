"""The embedded default corpus: official documents shipped in the package, read when the data home lacks them."""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
from pathlib import Path

import pytest

import policytext as pt
from policytext.cli.main import main
from policytext.corpus import embedded
from policytext.corpus.datahome import fetch, registered_corpora, registered_corpus

REGISTRY = json.loads((embedded.resource_dir("corpora") / "registry.json").read_text(encoding="utf-8"))
EMBEDDED = [name for name, entry in REGISTRY.items() if entry.get("embedded")]


@pytest.fixture
def empty_home(tmp_path, monkeypatch):
    """A data home with nothing in it and a cache of this test's own."""
    monkeypatch.setenv("POLICYTEXT_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("POLICYTEXT_CACHE", str(tmp_path / "cache"))
    return tmp_path / "data"


def test_the_index_matches_the_archive_and_the_manifests():
    folder = embedded.embedded_dir()
    assert folder is not None, "the install has no embedded corpus: run corpora/build_embedded.py"
    index = json.loads((folder / embedded.INDEX).read_text(encoding="utf-8"))
    assert hashlib.sha256((folder / embedded.ARCHIVE).read_bytes()).hexdigest() == index["archive_sha256"]
    assert set(index["corpora"]) == set(EMBEDDED) and {"gwr-2014-2022", "policy"} <= set(EMBEDDED)
    listed: dict[str, str] = {}
    for name in EMBEDDED:
        listed.update(registered_corpus(name).manifest.set_index("path")["sha256"].to_dict())
    assert index["files"] == dict(sorted(listed.items()))
    with tarfile.open(folder / embedded.ARCHIVE, "r:xz") as tar:
        assert sorted(tar.getnames()) == sorted(index["files"])


def test_nothing_but_official_documents_is_embedded():
    assert not {"case-papers", "teddy-cup-2020"} & set(EMBEDDED)
    assert not [p for p in embedded.embedded_files() if p.startswith(("case-papers/", "labelled/"))]


def test_a_registered_corpus_loads_with_no_data_home(empty_home):
    gwr = pt.load_corpus("gwr-2014-2022")
    frame = gwr.to_frame()
    assert sorted(frame["year"]) == list(range(2014, 2023)) and gwr.skipped == []
    assert frame["text"].str.len().min() > 10_000
    home = embedded.embedded_home()
    stamp = (home / embedded.INDEX).stat().st_mtime_ns
    pt.load_corpus("gwr-2014-2022")  # the second read uses the extracted copy
    assert (home / embedded.INDEX).stat().st_mtime_ns == stamp
    assert not empty_home.exists() or not any(empty_home.rglob("*.txt")), "the data home must not be written"


def test_a_partial_data_home_is_not_mixed_with_the_embedded_copy(empty_home):
    source = embedded.embedded_home() / "policy/gwr-national/gwr_2014.txt"
    (empty_home / "policy/gwr-national").mkdir(parents=True)
    shutil.copyfile(source, empty_home / "policy/gwr-national/gwr_2014.txt")
    with pytest.raises(FileNotFoundError, match="8 file"):
        pt.load_corpus("gwr-2014-2022")


def test_a_damaged_archive_is_refused(empty_home, tmp_path, monkeypatch):
    copy = tmp_path / "embedded"
    shutil.copytree(embedded.embedded_dir(), copy)
    data = bytearray((copy / embedded.ARCHIVE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / embedded.ARCHIVE).write_bytes(bytes(data))
    monkeypatch.setattr(embedded, "embedded_dir", lambda: copy)
    with pytest.raises(embedded.EmbeddedCorpusError, match="install is damaged"):
        embedded.embedded_home()
    assert not list((tmp_path / "cache").glob("embedded-*")), "a refused archive leaves no extracted folder"


def test_fetch_copies_embedded_files_and_says_what_stays_missing(empty_home, capsys):
    report = fetch("gwr-2014-2022", empty_home, progress=False)
    assert set(report["status"]) == {"copied"} and len(report) == 9
    assert set(fetch("gwr-2014-2022", empty_home, progress=False)["status"]) == {"present"}
    assert main(["fetch", "gwr-2014-2022"]) == 0
    # Case papers are never embedded and have no download address: fetch must fail and say so.
    assert "case-papers" in registered_corpora()
    assert main(["fetch", "case-papers"]) == 1
    assert "still missing" in capsys.readouterr().err
