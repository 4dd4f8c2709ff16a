"""Model folders: manifest writing, checked reading, arrays without pickle."""

from __future__ import annotations

import json

import numpy as np
import pytest

from policytext.persist import (
    IncompatibleModelError,
    data_checksum,
    dependency_versions,
    load_array,
    read_json,
    read_manifest,
    save_array,
    write_json,
    write_manifest,
)


def _write(folder, **overrides):
    options = dict(kind="demo.Model", format_version="1.2", parameters={"k": 3, "name": "数字政府"},
                   labels=["甲", "乙"], data_checksum="abc", seed=7, metrics={"f1": 0.5}, dependencies=["scipy"])
    options.update(overrides)
    return write_manifest(folder, **options)


def test_manifest_round_trip(tmp_path):
    path = _write(tmp_path / "model")
    manifest = read_manifest(tmp_path / "model", "demo.Model", "1.2")
    assert path.name == "manifest.json"
    assert manifest["parameters"] == {"k": 3, "name": "数字政府"}
    assert manifest["labels"] == ["甲", "乙"] and manifest["seed"] == 7 and manifest["data_checksum"] == "abc"
    assert manifest["metrics"] == {"f1": 0.5}
    assert set(manifest["versions"]) >= {"policytext", "numpy", "scipy"}
    assert "数字政府" in path.read_text(encoding="utf-8")  # Chinese stays readable in the file


def test_older_minor_format_is_read(tmp_path):
    _write(tmp_path, format_version="1.0")
    assert read_manifest(tmp_path, "demo.Model", "1.3")["format_version"] == "1.0"


@pytest.mark.parametrize("saved, supported, message", [
    ("2.0", "1.4", "upgrade policytext"),
    ("1.5", "1.4", "upgrade policytext"),
    ("1.0", "2.0", "re-fit the model"),
])
def test_incompatible_format_is_refused(tmp_path, saved, supported, message):
    _write(tmp_path, format_version=saved)
    with pytest.raises(IncompatibleModelError, match=message):
        read_manifest(tmp_path, "demo.Model", supported)


def test_other_kind_is_refused(tmp_path):
    _write(tmp_path, kind="demo.Other")
    with pytest.raises(IncompatibleModelError, match="holds a 'demo.Other' model, not a 'demo.Model'"):
        read_manifest(tmp_path, "demo.Model", "1.2")


def test_missing_or_damaged_manifest(tmp_path):
    with pytest.raises(FileNotFoundError, match="manifest.json is missing"):
        read_manifest(tmp_path, "demo.Model", "1.0")
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IncompatibleModelError, match="not valid JSON"):
        read_manifest(tmp_path, "demo.Model", "1.0")
    (tmp_path / "manifest.json").write_text(json.dumps({"kind": "demo.Model", "format_version": "x"}))
    with pytest.raises(IncompatibleModelError, match="not a version number"):
        read_manifest(tmp_path, "demo.Model", "1.0")


def test_unserialisable_parameters_are_refused(tmp_path):
    with pytest.raises(TypeError, match="not JSON-serialisable"):
        _write(tmp_path, parameters={"f": object()})


def test_arrays_never_pickled(tmp_path):
    save_array(tmp_path, "w", np.arange(6.0).reshape(2, 3))
    assert np.array_equal(load_array(tmp_path, "w"), np.arange(6.0).reshape(2, 3))
    with pytest.raises(TypeError, match="would need pickling"):
        save_array(tmp_path, "bad", np.array([{"a": 1}], dtype=object))
    np.save(tmp_path / "pickled.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError):
        load_array(tmp_path, "pickled")
    with pytest.raises(FileNotFoundError, match="incomplete"):
        load_array(tmp_path, "absent")


def test_json_artefacts_and_checksum(tmp_path):
    write_json(tmp_path, "vocab.json", ["数据", "共享"])
    assert read_json(tmp_path, "vocab.json") == ["数据", "共享"]
    assert data_checksum([["数据", "共享"]]) != data_checksum([["数据共享"]])
    assert data_checksum(["数据 共享"]) == data_checksum(["数据 共享"])
    assert dependency_versions(["surely-not-installed-pkg"])["surely-not-installed-pkg"] is None
