"""The embedded default corpus: official documents shipped inside the package, so the main job runs with no data.

The registered corpora of official documents (Government Work Reports, laws, regulations, normative and Party
documents, city reports; outside copyright under article 5 of the PRC Copyright Law) travel with policytext as
one xz-compressed tar archive, ``corpora/embedded/official.tar.xz``, beside an index of its files and their
sha256 (``official.json``). On first use the archive's checksum is verified and its files are extracted, each
verified again, into a folder of the cache (``$POLICYTEXT_CACHE``, else the data home's ``cache/``, else
``~/.cache/policytext``); the folder is filled aside and renamed in, so concurrent or killed runs never leave a
half-extracted copy. Case papers and citizen messages are never embedded.

Example:
    >>> home = embedded_home()  # doctest: +SKIP
    >>> (home / "policy/gwr-national/gwr_2014.txt").is_file()  # doctest: +SKIP
    True
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

from policytext.corpus.locations import default_cache_dir, sha256_file
from policytext.resources import resource_dir

ARCHIVE = "official.tar.xz"
INDEX = "official.json"


class EmbeddedCorpusError(RuntimeError):
    """The embedded archive does not match its index (a damaged install)."""


def embedded_dir() -> Path | None:
    """The folder of the embedded archive in this install, or None when the install has none.

    Example:
        >>> embedded_dir() is None or (embedded_dir() / "official.json").is_file()
        True
    """
    try:
        folder = resource_dir("corpora") / "embedded"
    except FileNotFoundError:
        return None
    return folder if (folder / ARCHIVE).is_file() and (folder / INDEX).is_file() else None


@lru_cache(maxsize=4)
def _index(folder: Path) -> dict:
    with open(folder / INDEX, encoding="utf-8") as handle:
        return json.load(handle)


def embedded_files() -> dict[str, str]:
    """Paths (relative to a data home) of the embedded files, with their sha256; empty without an archive.

    Example:
        >>> all(len(sha) == 64 for sha in embedded_files().values())
        True
    """
    folder = embedded_dir()
    return dict(_index(folder)["files"]) if folder is not None else {}


def embedded_home() -> Path | None:
    """A folder laid out like a data home that holds every embedded file, extracted on first use.

    Returns None when this install has no embedded archive.

    Example:
        >>> home = embedded_home()  # doctest: +SKIP
    """
    folder = embedded_dir()
    if folder is None:
        return None
    index = _index(folder)
    target = default_cache_dir() / f"embedded-{index['archive_sha256'][:16]}"
    if (target / INDEX).is_file():
        return target
    return _extract(folder, index, target)


def _extract(folder: Path, index: dict, target: Path) -> Path:
    archive = folder / ARCHIVE
    if sha256_file(archive) != index["archive_sha256"]:
        raise EmbeddedCorpusError(
            f"{archive} does not match the sha256 in {folder / INDEX}; the install is damaged: reinstall policytext"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        expected = index["files"]
        with tarfile.open(archive, "r:xz") as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.name in expected]
            # The "data" filter refuses absolute paths, links and anything that would land outside ``tmp``.
            tar.extractall(tmp, members=members, filter="data")
        for path, sha in expected.items():
            file = tmp / path
            if not file.is_file() or sha256_file(file) != sha:
                raise EmbeddedCorpusError(f"embedded file {path} is missing from {archive} or damaged; reinstall "
                                          "policytext")
        shutil.copyfile(folder / INDEX, tmp / INDEX)  # written last: its presence marks a complete copy
        try:
            os.replace(tmp, target)
        except OSError:  # another process finished first: its copy is as good as ours
            if not (target / INDEX).is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
