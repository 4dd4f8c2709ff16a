"""Registered corpora: the registry and manifests, verifying a data home against them, and fetching files.

The data home is ``$POLICYTEXT_DATA`` when set, else ``~/.policytext``. Registered corpora are described by
manifests in the repository's ``corpora/`` folder (shipped with the package): one row per file with its path
relative to the data home, sha256, size, metadata and, where one exists, the official source address.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from policytext.corpus.locations import data_home, sha256_file
from policytext.resources import resource_dir



@dataclass(frozen=True)
class RegisteredCorpus:
    """A corpus the package knows: its name, description, manifest and how to read it."""

    name: str
    description: str
    root: str  # folder under the data home that the corpus is read from
    manifest: pd.DataFrame
    read_options: dict[str, Any]


def registered_corpora() -> list[str]:
    """Names accepted by :func:`policytext.load_corpus` and ``policytext fetch``.

    Example:
        >>> "gwr-2014-2022" in registered_corpora()
        True
    """
    return sorted(_registry())


def _registry() -> dict[str, Any]:
    with open(resource_dir("corpora") / "registry.json", encoding="utf-8") as handle:
        return json.load(handle)


def registered_corpus(name: str) -> RegisteredCorpus:
    """The registry entry and manifest of a corpus.

    Example:
        >>> registered_corpus("gwr-2014-2022").manifest["year"].tolist()[:2]
        [2014, 2015]
    """
    registry = _registry()
    if name not in registry:
        raise KeyError(f"no registered corpus {name!r}; registered corpora: {sorted(registry)}")
    entry = registry[name]
    manifest = pd.read_csv(resource_dir("corpora") / entry["manifest"], dtype={"year": "Int64"},
                           keep_default_na=False, na_values={"year": [""]})
    return RegisteredCorpus(name, entry["description"], entry["root"], manifest, entry.get("read", {}))


def verify_corpus(name: str, home: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Check every file of a registered corpus in the data home: one row per file with status
    ``ok``, ``missing`` or ``checksum mismatch``.

    Example:
        >>> report = verify_corpus("gwr-2014-2022")  # doctest: +SKIP
    """
    entry = registered_corpus(name)
    base = Path(home) if home is not None else data_home()
    rows = []
    for record in entry.manifest.to_dict("records"):
        target = base / record["path"]
        if not target.is_file():
            status = "missing"
        elif sha256_file(target) != record["sha256"]:
            status = "checksum mismatch"
        else:
            status = "ok"
        rows.append({"path": record["path"], "status": status})
    return pd.DataFrame(rows, columns=["path", "status"])


def fetch(
    name: str,
    home: str | os.PathLike[str] | None = None,
    *,
    timeout: float = 60.0,
    progress: bool = True,
) -> pd.DataFrame:
    """Download the missing files of a registered corpus into the data home.

    A file the package embeds (the official documents, :mod:`policytext.corpus.embedded`) is copied from the
    embedded copy. Any other file comes from its manifest ``url`` (an address that serves exactly the registered
    bytes). An interrupted download resumes from its ``.part`` file with an HTTP Range request; a finished
    download is kept only if its sha256 matches the manifest (otherwise it is left as ``<name>.mismatch`` for
    inspection). Returns one row per file: path, status (``present``, ``copied``, ``downloaded``, ``resumed``,
    ``no address``, ``failed``, ``checksum mismatch``) and detail; :data:`FETCHED` lists the statuses after
    which the file is in place.

    Example:
        >>> fetch("gwr-2014-2022")  # doctest: +SKIP
    """
    entry = registered_corpus(name)
    base = Path(home) if home is not None else data_home()
    records = entry.manifest.to_dict("records")
    iterator = records
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(records, desc=f"fetch {name}", unit="file")
    from policytext.corpus.embedded import embedded_files, embedded_home

    embedded = embedded_files()
    rows = []
    for record in iterator:
        target = base / record["path"]
        if target.is_file() and sha256_file(target) == record["sha256"]:
            rows.append((record["path"], "present", ""))
            continue
        if embedded.get(record["path"]) == record["sha256"]:
            rows.append((record["path"], *_copy_embedded(embedded_home() / record["path"], target)))
            continue
        url = str(record.get("url") or "").strip()
        if not url:
            official = str(record.get("official_url") or "").strip()
            detail = f"obtain it from the official page {official}" if official else "no known address"
            rows.append((record["path"], "no address", detail))
            continue
        rows.append((record["path"], *_download(url, target, record["sha256"], timeout)))
    return pd.DataFrame(rows, columns=["path", "status", "detail"])


FETCHED = ("present", "copied", "downloaded", "resumed")


def _copy_embedded(source: Path, target: Path) -> tuple[str, str]:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copyfile(source, partial)
        partial.replace(target)
    except OSError as exc:
        return "failed", f"could not write {target}: {exc}"
    return "copied", "from the copy embedded in policytext"


def _download(url: str, target: Path, sha256: str, timeout: float) -> tuple[str, str]:
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    offset = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": "policytext"})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            resumed = offset > 0 and response.status == 206
            with open(part, "ab" if resumed else "wb") as handle:
                shutil.copyfileobj(response, handle)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        return "failed", f"{url}: {exc} (run fetch again to resume)"
    if sha256_file(part) != sha256:
        bad = target.with_name(target.name + ".mismatch")
        part.replace(bad)
        return "checksum mismatch", f"{url} served different bytes; kept as {bad.name}"
    part.replace(target)
    return ("resumed" if resumed else "downloaded"), url
