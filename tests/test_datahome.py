"""Data home, registry, checksums, load_corpus and fetch (against a local HTTP server on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import http.server
import threading

import pandas as pd
import pytest

import policytext.corpus.datahome as datahome
from policytext import data_home, load_corpus, registered_corpora
from policytext.corpus.datahome import RegisteredCorpus, fetch, registered_corpus, verify_corpus

PAYLOAD = ("国务院关于加快推进全国一体化在线政务服务平台建设的指导意见。" * 200).encode("utf-8")


class RangeHandler(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        start = 0
        if self.headers.get("Range", "").startswith("bytes="):
            start = int(self.headers["Range"][6:].split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        self.wfile.write(body[start:])

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    RangeHandler.files = {"/doc.txt": PAYLOAD, "/wrong.txt": b"other bytes"}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RangeHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def fake_registry(monkeypatch, server):
    manifest = pd.DataFrame({
        "path": ["c/doc.txt", "c/wrong.txt", "c/offline.txt"],
        "sha256": [hashlib.sha256(PAYLOAD).hexdigest()] * 3,
        "url": [f"{server}/doc.txt", f"{server}/wrong.txt", ""],
        "official_url": ["", "", "http://www.gov.cn/example.htm"],
        "year": [2019, 2019, 2019],
    })
    entry = RegisteredCorpus("test", "a test corpus", "c", manifest, {})
    monkeypatch.setattr(datahome, "registered_corpus", lambda name: entry)
    return entry


def test_data_home_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("POLICYTEXT_DATA", str(tmp_path))
    assert data_home() == tmp_path.resolve()
    monkeypatch.delenv("POLICYTEXT_DATA")
    assert data_home().name == ".policytext"


def test_registry_lists_the_required_corpora():
    assert {"gwr-2014-2022", "policy", "case-papers"} <= set(registered_corpora())
    gwr = registered_corpus("gwr-2014-2022").manifest
    assert gwr["year"].tolist() == list(range(2014, 2023))
    assert gwr["sha256"].str.len().eq(64).all()
    with pytest.raises(KeyError, match="registered corpora"):
        registered_corpus("nonexistent")


def test_fetch_downloads_resumes_and_checks(fake_registry, tmp_path):
    part = tmp_path / "c" / "doc.txt.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(PAYLOAD[:1000])  # an interrupted earlier download
    report = fetch("test", tmp_path, progress=False).set_index("path")
    assert report.loc["c/doc.txt", "status"] == "resumed"
    assert (tmp_path / "c" / "doc.txt").read_bytes() == PAYLOAD
    assert report.loc["c/wrong.txt", "status"] == "checksum mismatch"
    assert (tmp_path / "c" / "wrong.txt.mismatch").exists() and not (tmp_path / "c" / "wrong.txt").exists()
    assert report.loc["c/offline.txt", "status"] == "no address"
    assert "www.gov.cn/example.htm" in report.loc["c/offline.txt", "detail"]
    again = fetch("test", tmp_path, progress=False).set_index("path")
    assert again.loc["c/doc.txt", "status"] == "present"


def test_fetch_reports_unreachable_server(fake_registry, tmp_path):
    fake_registry.manifest.loc[0, "url"] = "http://127.0.0.1:9/doc.txt"
    report = fetch("test", tmp_path, progress=False, timeout=2).set_index("path")
    assert report.loc["c/doc.txt", "status"] == "failed"
    assert "run fetch again to resume" in report.loc["c/doc.txt", "detail"]


def test_verify_and_load_refuse_missing_or_changed_files(fake_registry, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYTEXT_DATA", str(tmp_path))
    statuses = verify_corpus("test", tmp_path)["status"].tolist()
    assert statuses == ["missing"] * 3
    import policytext.corpus.corpus as corpus_module
    with pytest.raises(FileNotFoundError, match="policytext fetch test"):
        corpus_module.load_corpus("test")
    for name in ("doc.txt", "wrong.txt", "offline.txt"):
        (tmp_path / "c").mkdir(exist_ok=True)
        (tmp_path / "c" / name).write_bytes(PAYLOAD)
    (tmp_path / "c" / "wrong.txt").write_bytes(PAYLOAD + b"changed")
    with pytest.raises(ValueError, match="differ from the registered checksum"):
        corpus_module.load_corpus("test")
    loaded = corpus_module.load_corpus("test", verify=False)
    assert len(loaded) == 3 and set(loaded.to_frame()["year"]) == {2019}


def test_load_registered_gwr(shared_corpora, monkeypatch):
    monkeypatch.setenv("POLICYTEXT_DATA", str(shared_corpora))
    gwr = load_corpus("gwr-2014-2022")
    frame = gwr.to_frame()
    assert sorted(frame["year"]) == list(range(2014, 2023))
    assert frame["level"].eq("national").all()
    assert gwr.skipped == []


def test_a_registered_corpus_reads_exactly_its_manifest(fake_registry, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYTEXT_DATA", str(tmp_path))
    (tmp_path / "c" / "later").mkdir(parents=True)
    for name in ("doc.txt", "wrong.txt", "offline.txt"):
        (tmp_path / "c" / name).write_bytes(PAYLOAD)
    # Files that arrive in the folder later are not part of the registered corpus.
    (tmp_path / "c" / "added.txt").write_text("后来加入的文件。", encoding="utf-8")
    (tmp_path / "c" / "later" / "more.txt").write_text("又一个文件。", encoding="utf-8")
    import policytext.corpus.corpus as corpus_module

    loaded = corpus_module.load_corpus("test")
    assert sorted(loaded.doc_ids) == ["doc.txt", "offline.txt", "wrong.txt"]
    assert loaded.skipped == []


@pytest.mark.shared
@pytest.mark.parametrize("name", ["gwr-2014-2022", "policy", "policy-v2", "city-gwr-2024", "national-2023-2025",
                                  "case-papers"])
def test_registered_corpora_match_their_manifests(name, shared_corpora, monkeypatch):
    monkeypatch.setenv("POLICYTEXT_DATA", str(shared_corpora))
    entry = registered_corpus(name)
    assert (verify_corpus(name, shared_corpora)["status"] == "ok").all()
    corpus = load_corpus(name)
    assert corpus.skipped == []
    read = {doc_id.split("#")[0] for doc_id in corpus.doc_ids}
    # Document ids are paths relative to the corpus root, whichever files the manifest lists.
    listed = {p.removeprefix(entry.root + "/") for p in entry.manifest["path"]}
    assert read == listed
    frame = corpus.to_frame()
    if name != "case-papers":
        assert frame["level"].notna().all(), frame.loc[frame["level"].isna(), "doc_id"].tolist()[:5]


@pytest.mark.shared
def test_policy_stays_the_set_the_annotations_were_drawn_from(shared_corpora):
    """``policy`` is frozen at 53 files; the files added to the folder since are in ``policy-v2``."""
    policy, v2 = registered_corpus("policy").manifest, registered_corpus("policy-v2").manifest
    assert len(policy) == 53 and set(policy["path"]) < set(v2["path"])
    added = v2.set_index("path").loc[sorted(set(v2["path"]) - set(policy["path"]))]
    assert {"国发〔2022〕14号", "中发〔2022〕32号"} <= set(added["doc_number"].dropna())
