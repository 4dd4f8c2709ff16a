"""Model folders: every file a loader reads is listed and checked, damage is one error type, names are not paths.

Issue #12, defects 8 (unlisted files), 9 (a folder in the working directory replacing a bundled model) and
17 (numpy/JSON/TypeError instead of ModelIntegrityError; shapes checked at load).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from policytext.classify.folder import resolve_model_dir
from policytext.classify.models import ModelIntegrityError, load_model
from policytext.persist import MANIFEST


@pytest.fixture()
def model_copy(tmp_path) -> Path:
    folder = tmp_path / "gm"
    shutil.copytree(resolve_model_dir("governance-mode"), folder)
    return folder


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def _write_manifest(folder: Path, manifest: dict) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _relist(folder: Path, name: str) -> None:
    """Record ``name``'s current sha256 in the manifest, as someone editing the folder by hand would."""
    manifest = _manifest(folder)
    manifest["files"][name] = sha256_file(folder / name)
    _write_manifest(folder, manifest)


def test_a_file_the_manifest_does_not_list_is_refused(model_copy):
    manifest = _manifest(model_copy)
    manifest["files"] = {"intercept.npy": manifest["files"]["intercept.npy"]}
    _write_manifest(model_copy, manifest)
    coef = np.load(model_copy / "coef.npy")
    np.save(model_copy / "coef.npy", np.zeros_like(coef))
    with pytest.raises(ModelIntegrityError, match="does not list it"):
        load_model(model_copy)


def test_topic_model_files_are_listed_and_checked(tmp_path):
    from policytext.topics.model import TopicModel

    docs = [["数据", "共享"], ["政务", "服务"], ["数据", "政务"]] * 3
    folder = TopicModel(k=2, min_df=1, max_df=1.0, passes=1).fit(docs).save(tmp_path / "tm")
    listed = _manifest(folder)["files"]
    assert {"alpha.npy", "eta.npy", "topic_word_counts.npy", "dictionary.json", "phrases.json"} <= set(listed)
    assert TopicModel.load(folder).k == 2
    np.save(folder / "alpha.npy", np.ones(2) * 5)
    with pytest.raises(ModelIntegrityError, match="alpha.npy does not match"):
        TopicModel.load(folder)
    manifest = _manifest(folder)
    del manifest["files"]["alpha.npy"]
    _write_manifest(folder, manifest)
    with pytest.raises(ModelIntegrityError, match="does not list it"):
        TopicModel.load(folder)


def test_bundled_name_wins_over_a_folder_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "governance-mode").mkdir()  # not a model at all: it must not be picked up
    assert load_model("governance-mode").labels_ == ["GM1", "GM2", "GM3", "GM4", "GM5", "0"]
    with pytest.raises(FileNotFoundError, match="manifest.json is missing"):
        load_model("./governance-mode")


def _huge_header(path: Path) -> None:
    """An .npy whose header claims 10^12 float64 values but whose data is 8 bytes."""
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }"
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + b"\0" * 8)


def _damage(folder: Path, how: str) -> None:
    if how == "huge npy header":
        _huge_header(folder / "coef.npy")
        _relist(folder, "coef.npy")
    elif how == "truncated npy":
        (folder / "intercept.npy").write_bytes((folder / "intercept.npy").read_bytes()[:20])
        _relist(folder, "intercept.npy")
    elif how == "invalid JSON":
        (folder / "word_vocabulary.json").write_text("[\"数据\", ", encoding="utf-8")
        _relist(folder, "word_vocabulary.json")
    elif how == "unknown parameter":
        manifest = _manifest(folder)
        manifest["parameters"]["no_such_parameter"] = 1
        _write_manifest(folder, manifest)
    elif how == "files not a mapping":
        manifest = _manifest(folder)
        manifest["files"] = ["coef.npy"]
        _write_manifest(folder, manifest)
    elif how == "wrong-length word_idf":
        np.save(folder / "word_idf.npy", np.load(folder / "word_idf.npy")[:-3])
        _relist(folder, "word_idf.npy")


@pytest.mark.parametrize("how", ["huge npy header", "truncated npy", "invalid JSON", "unknown parameter",
                                 "files not a mapping", "wrong-length word_idf"])
def test_damaged_folders_raise_model_integrity_error(model_copy, how):
    _damage(model_copy, how)
    with pytest.raises(ModelIntegrityError, match=str(model_copy)):
        load_model(model_copy)


def test_wrong_length_word_idf_is_caught_at_load_not_predict(model_copy):
    _damage(model_copy, "wrong-length word_idf")
    with pytest.raises(ModelIntegrityError, match=r"word_idf has shape \(\d+,\) but"):
        load_model(model_copy)
