"""Content-addressed cache: keys, hits and misses, corruption, atomic writes, housekeeping."""

from __future__ import annotations

import os

import pandas as pd
import pytest

import policytext as pt
from policytext.scale.cache import (
    Cache,
    cache_info,
    cache_key,
    cached_model,
    cached_tokens,
    clear_cache,
    default_cache_dir,
    resolve_cache,
    tokenizer_fingerprint,
)

TEXTS = ["推进政务服务一网通办", "加快建设数字政府", "完善电子证照共享"]


@pytest.fixture
def segments():
    return pd.DataFrame({"segment_id": [f"d::p{i}" for i in range(3)], "text": TEXTS})


@pytest.fixture
def calls(monkeypatch):
    """Count how often the tokenizer really runs."""
    counter = {"n": 0}
    original = pt.Tokenizer.tokenize_many

    def counting(self, texts, *args, **kwargs):
        counter["n"] += 1
        return original(self, texts, *args, **kwargs)

    monkeypatch.setattr(pt.Tokenizer, "tokenize_many", counting)
    return counter


def test_key_is_canonical_and_sensitive():
    assert cache_key({"a": 1, "b": {2, 3}}) == cache_key({"b": {3, 2}, "a": 1})
    assert cache_key("x", [1, 2]) != cache_key("x", [2, 1])
    assert cache_key("x") != cache_key("x", dependencies=["pyarrow"])  # versions enter the payload
    assert len(cache_key("x")) == 64
    with pytest.raises(TypeError, match="cannot key a value of type object"):
        cache_key(object())


def test_fingerprint_ignores_n_jobs_and_follows_word_list_files(tmp_path):
    assert tokenizer_fingerprint(pt.Tokenizer(n_jobs=1)) == tokenizer_fingerprint(pt.Tokenizer(n_jobs=-1))
    words = tmp_path / "user.txt"
    words.write_text("一网通办 10\n", encoding="utf-8")
    before = tokenizer_fingerprint(pt.Tokenizer(user_dict=words))
    words.write_text("一网通办 10\n电子证照 5\n", encoding="utf-8")
    assert tokenizer_fingerprint(pt.Tokenizer(user_dict=words)) != before
    with pytest.raises(FileNotFoundError, match="user_dict=.*no such file"):
        tokenizer_fingerprint(pt.Tokenizer(user_dict=tmp_path / "missing.txt"))
    with pytest.raises(TypeError, match="must have get_params"):
        tokenizer_fingerprint(object())


def test_hit_miss_and_one_changed_parameter(tmp_path, segments, calls):
    tok = pt.Tokenizer(n_jobs=1)
    first = cached_tokens(segments, tok, cache_dir=tmp_path)
    assert calls["n"] == 1
    again = cached_tokens(segments, pt.Tokenizer(n_jobs=2), cache_dir=tmp_path)
    assert calls["n"] == 1  # n_jobs does not change tokens: a hit
    pd.testing.assert_frame_equal(first, again)
    assert first["tokens"].tolist() == tok.tokenize_many(TEXTS)
    calls["n"] = 0
    cached_tokens(segments, pt.Tokenizer(n_jobs=1, hmm=True), cache_dir=tmp_path)
    assert calls["n"] == 1  # one parameter changed: a miss
    renamed = segments.assign(segment_id=["x", "y", "z"])
    out = cached_tokens(renamed, tok, cache_dir=tmp_path)
    assert calls["n"] == 1 and out["segment_id"].tolist() == ["x", "y", "z"]  # ids do not enter the key
    cached_tokens(TEXTS[:2], tok, cache_dir=tmp_path)
    assert calls["n"] == 2  # other texts: a miss
    assert set(cache_info(tmp_path)["kind"]) == {"tables"} and len(cache_info(tmp_path)) == 3


def test_cache_off_and_environment_folder(tmp_path, segments, calls, monkeypatch):
    tok = pt.Tokenizer(n_jobs=1)
    cached_tokens(segments, tok, cache=False, cache_dir=tmp_path)
    cached_tokens(segments, tok, cache=False, cache_dir=tmp_path)
    assert calls["n"] == 2 and not any(tmp_path.iterdir())
    monkeypatch.setenv("POLICYTEXT_CACHE", str(tmp_path / "env"))
    assert default_cache_dir() == tmp_path / "env"
    cached_tokens(segments, tok)
    assert len(cache_info(tmp_path / "env")) == 1
    with pytest.raises(TypeError, match="cache must be True, False, a folder or a Cache"):
        resolve_cache(3)
    with pytest.raises(ValueError, match="no 'body' column"):
        cached_tokens(segments, tok, text_col="body", cache_dir=tmp_path)
    with pytest.raises(TypeError, match="wrap it in a list"):
        cached_tokens("推进一网通办", tok, cache_dir=tmp_path)


def test_corrupted_entry_is_detected_and_recomputed(tmp_path, segments, calls):
    tok = pt.Tokenizer(n_jobs=1)
    expected = cached_tokens(segments, tok, cache_dir=tmp_path)
    entry = next((tmp_path / "tables").iterdir())
    table = entry / "table.parquet"
    table.write_bytes(table.read_bytes()[:-20] + b"\0" * 20)
    with pytest.warns(RuntimeWarning, match="corrupted .*checksum changed"):
        again = cached_tokens(segments, tok, cache_dir=tmp_path)
    assert calls["n"] == 2
    pd.testing.assert_frame_equal(expected, again)
    cached_tokens(segments, tok, cache_dir=tmp_path)
    assert calls["n"] == 2  # the recomputed entry is whole again
    (entry / "entry.json").write_text("{not json", encoding="utf-8")
    with pytest.warns(RuntimeWarning, match="unreadable entry.json"):
        assert Cache(tmp_path).get_table(entry.name) is None


def test_crash_mid_write_leaves_no_entry(tmp_path, monkeypatch):
    cache = Cache(tmp_path)
    key = cache_key("crash")

    def half_written(self, path, **kwargs):
        with open(path, "wb") as handle:
            handle.write(b"PAR1 half")
        raise KeyboardInterrupt  # as if the process were stopped mid-write

    monkeypatch.setattr(pd.DataFrame, "to_parquet", half_written)
    with pytest.raises(KeyboardInterrupt):
        cache.put_table(key, pd.DataFrame({"a": [1]}))
    monkeypatch.undo()
    assert cache.get_table(key) is None
    assert not (tmp_path / "tables").exists() or not any((tmp_path / "tables").iterdir())
    # A process killed outright leaves its temporary folder: never read, listed as incomplete, cleared.
    stray = tmp_path / "tmp" / "tables-0123-dead"
    stray.mkdir(parents=True)
    (stray / "table.parquet").write_bytes(b"x" * 10)
    assert cache.get_table(key) is None
    assert cache.info()["kind"].tolist() == ["incomplete"]
    assert cache.clear() == 10 and cache.size() == 0


def test_models_are_folders_checked_on_read(tmp_path):
    cache = Cache(tmp_path / "cache")
    key = cache_key("model", {"k": 5})
    assert cache.get_model(key) is None

    def save(folder):
        (folder / "weights.npy").write_bytes(b"123")
        (folder / "manifest.json").write_text("{}", encoding="utf-8")

    entry = cache.put_model(key, save)
    assert cache.get_model(key) == entry and (entry / "weights.npy").read_bytes() == b"123"
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "manifest.json").write_text('{"kind": "x"}', encoding="utf-8")
    other = cache.put_model(cache_key("copy"), saved)
    assert (other / "manifest.json").read_text(encoding="utf-8") == '{"kind": "x"}'
    (entry / "weights.npy").write_bytes(b"999")
    with pytest.warns(RuntimeWarning, match="weights.npy is missing or its checksum changed"):
        assert cache.get_model(key) is None
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        cache.put_model(key, tmp_path / "nowhere")
    info = cache_info(tmp_path / "cache")
    assert info["kind"].tolist() == ["models"] and info["bytes"].sum() > 0
    assert clear_cache(tmp_path / "cache", kind="models") == info["bytes"].sum()
    assert len(cache_info(tmp_path / "cache")) == 0


def test_documented_errors(tmp_path):
    cache = Cache(tmp_path)
    with pytest.raises(ValueError, match="sha256 hex string from cache_key"):
        cache.get_table("abc")
    with pytest.raises(TypeError, match="needs a pandas DataFrame"):
        cache.put_table(cache_key("t"), [1, 2])
    with pytest.raises(ValueError, match="kind must be one of"):
        cache.clear("everything")
    assert os.fspath(cache.directory) == os.fspath(tmp_path)


def test_cached_model_fits_once_per_key(tmp_path):
    fits = []

    def build():
        fits.append(1)
        return {"k": 5}

    def save(model, folder):
        (folder / "model.json").write_text(str(model["k"]), encoding="utf-8")

    def load(folder):
        return {"k": int((folder / "model.json").read_text(encoding="utf-8"))}

    key = cache_key("topics", {"k": 5, "seed": 1})
    for _ in range(2):
        assert cached_model(key, build, save=save, load=load, cache_dir=tmp_path) == {"k": 5}
    assert len(fits) == 1
    cached_model(cache_key("topics", {"k": 6, "seed": 1}), build, save=save, load=load, cache_dir=tmp_path)
    cached_model(key, build, save=save, load=load, cache=False)
    assert len(fits) == 3
