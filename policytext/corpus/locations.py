"""Where files live: the data home (corpus files), the cache folder, and file checksums.

The data home is ``$POLICYTEXT_DATA`` when set, else ``~/.policytext``. The cache folder is ``$POLICYTEXT_CACHE``
when set, else the data home's ``cache/``, else ``~/.cache/policytext`` when the data home is read-only.

Example:
    >>> isinstance(data_home(), Path)
    True
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ENV_VAR = "POLICYTEXT_DATA"
CACHE_ENV_VAR = "POLICYTEXT_CACHE"


def data_home() -> Path:
    """The folder where corpus files are looked for: ``$POLICYTEXT_DATA`` or ``~/.policytext``.

    Example:
        >>> isinstance(data_home(), Path)
        True
    """
    configured = os.environ.get(ENV_VAR)
    return Path(configured).expanduser().resolve() if configured else Path.home() / ".policytext"


def default_cache_dir() -> Path:
    """``$POLICYTEXT_CACHE`` when set, else ``data_home()/cache`` — or ``~/.cache/policytext`` when the data
    home is read-only (a shared corpus folder, a mounted drive).

    Example:
        >>> isinstance(default_cache_dir(), Path)
        True
    """
    configured = os.environ.get(CACHE_ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    home = data_home()
    probe = home if home.exists() else home.parent
    if os.access(probe, os.W_OK):
        return home / "cache"
    return Path.home() / ".cache" / "policytext"


def sha256_file(path: str | os.PathLike[str], chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
