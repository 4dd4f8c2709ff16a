"""Where policytext's bundled files live, installed or in a source checkout.

Files inside the package (``policytext/data``) travel with it. The repository's top-level ``corpora/``
(manifests) and ``models/`` (shipped classifiers) are copied into the wheel as ``policytext/_corpora`` and
``policytext/_models``; in an editable install or a source checkout they are read from the repository root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def package_data(*parts: str) -> Path:
    """Path of a file or folder under ``policytext/data``.

    Example:
        >>> package_data("lexicon").name
        'lexicon'
    """
    return _PACKAGE_DIR.joinpath("data", *parts)


def resource_dir(kind: str) -> Path:
    """The bundled ``corpora`` or ``models`` folder, wherever this install keeps it.

    Example:
        >>> resource_dir("corpora").is_dir()
        True
    """
    if kind not in ("corpora", "models"):
        raise ValueError(f"kind must be 'corpora' or 'models', not {kind!r}")
    for candidate in (_PACKAGE_DIR / f"_{kind}", _PACKAGE_DIR.parent / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"policytext's bundled '{kind}' folder is missing (looked in {_PACKAGE_DIR / ('_' + kind)} and "
        f"{_PACKAGE_DIR.parent / kind}); reinstall policytext with `pip install policytext`."
    )
