"""Checks shared by every stage: the input a function is given is the kind of input it can use.

Example:
    >>> ensure_documents(["数字政府"])
    ['数字政府']
"""

from __future__ import annotations

from typing import Any


def ensure_documents(texts: Any, argument: str = "texts") -> list[str]:
    """Return ``texts`` as a list of strings, refusing a bare string.

    A bare ``str`` iterates into single characters, which for Chinese looks like a plausible result and hides
    the mistake, so it is an error.

    Example:
        >>> ensure_documents(["数字政府"])
        ['数字政府']
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError(
            f"{argument} must be a list of documents, not a single {type(texts).__name__}; "
            f"wrap it in a list: [{argument}]"
        )
    try:
        documents = list(texts)
    except TypeError:
        raise TypeError(f"{argument} must be an iterable of str, not {type(texts).__name__}") from None
    for i, doc in enumerate(documents):
        if not isinstance(doc, str):
            raise TypeError(f"{argument}[{i}] is a {type(doc).__name__}, not a str")
    return documents


def ensure_text(text: object, name: str = "text") -> str:
    """Return ``text`` if it is one ``str``; otherwise raise a TypeError that says to clean one text at a time.

    Example:
        >>> ensure_text("数字政府")
        '数字政府'
    """
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {type(text).__name__}; clean one document at a time "
                        "(e.g. [clean_text(t) for t in texts])")
    return text
