"""The bundled digital-government lexicon and stopword lists.

The lexicon (``policytext/data/lexicon/digital_government.tsv``) lists terms of China's digital-government
vocabulary, mostly 2014–2022, with the year a term entered national policy use where known. The stopword lists
live in ``policytext/data/stopwords``: ``zh`` (function words), ``en`` (English) and ``policy`` (policy-document
boilerplate such as 各地区, 进一步, 加快; off by default because it is a modelling choice).
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from collections.abc import Iterable
from typing import Any
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from policytext.persist import write_file_aside
from policytext.resources import package_data

LEXICON_VERSION = "2026.12"
STOPWORD_LISTS = ("zh", "en", "policy")
LEXICON_COLUMNS = ("term", "year", "category", "note")
LEXICON_CATEGORIES = ("platform", "reform", "slogan", "agency", "data_governance", "technology", "concept",
                      "service", "law", "other")


def load_lexicon(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The digital-government lexicon as a DataFrame with columns term, year (Int64), category, note.

    Pass ``path`` to read a lexicon of your own in the same tab-separated format (only ``term`` is required).

    Example:
        >>> lex = load_lexicon()
        >>> "一网通办" in set(lex["term"])
        True
    """
    source = Path(path) if path is not None else package_data("lexicon", "digital_government.tsv")
    if path is None:
        return _bundled_lexicon().copy()
    return _read_lexicon(source)


@lru_cache(maxsize=1)
def _bundled_lexicon() -> pd.DataFrame:
    return _read_lexicon(package_data("lexicon", "digital_government.tsv"))


def _read_lexicon(source: Path) -> pd.DataFrame:
    if not source.is_file():
        raise FileNotFoundError(f"lexicon file {source} does not exist")
    frame = pd.read_csv(source, sep="\t", dtype=str, keep_default_na=False, comment=None)
    if "term" not in frame.columns:
        raise ValueError(
            f"lexicon file {source} has no 'term' column (columns: {list(frame.columns)}); "
            "write a tab-separated file with a header line starting with 'term'"
        )
    frame["term"] = frame["term"].str.strip()
    bad = frame.index[(frame["term"] == "") | frame["term"].str.contains(r"\s", regex=True)]
    if len(bad):
        raise ValueError(
            f"lexicon file {source}: terms must be non-empty and contain no spaces (bad rows: "
            f"{[int(i) + 2 for i in bad[:5]]}, counting the header as line 1)"
        )
    for column in LEXICON_COLUMNS[1:]:
        if column not in frame.columns:
            frame[column] = ""
    frame["year"] = pd.to_numeric(frame["year"].replace("", None), errors="coerce").astype("Int64")
    return frame.drop_duplicates("term").reset_index(drop=True)


def is_lexicon_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a file in the lexicon's tab-separated format: its first line starts ``term<TAB>`` (as
    :func:`add_lexicon_terms` and ``policytext lexicon-add`` write it). Only the first line is read.

    Example:
        >>> is_lexicon_file(package_data("lexicon", "digital_government.tsv"))
        True
    """
    with open(path, encoding="utf-8-sig") as handle:
        return handle.readline()[:5] == "term\t"


def lexicon_terms(path: str | os.PathLike[str] | None = None) -> list[str]:
    """The lexicon's terms, in file order.

    Example:
        >>> "数据要素" in lexicon_terms()
        True
    """
    return list(load_lexicon(path)["term"])


def add_lexicon_terms(
    path: str | os.PathLike[str],
    terms: Iterable[str],
    *,
    category: str = "other",
    note: str = "",
    year: int | None = None,
) -> list[str]:
    """Add ``terms`` to a lexicon file of your own (created if missing) and return the terms actually added.

    The file has the bundled lexicon's tab-separated format (term, year, category, note). Terms already in the
    file are skipped; the file is written aside and then renamed, so an interrupted run leaves it as it was. Use
    it on top of the bundled lexicon with ``Tokenizer(user_dict=path)``, or alone with ``Tokenizer(lexicon=path)``.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "mine.tsv"
        >>> add_lexicon_terms(p, ["一码通办", "一码通办"], category="service")
        ['一码通办']
    """
    if isinstance(terms, str):
        raise TypeError("terms must be a list of terms, not a single str; wrap it: [term]")
    if category not in LEXICON_CATEGORIES:
        raise ValueError(f"category {category!r} is not a lexicon category; choose from {list(LEXICON_CATEGORIES)}")
    path = Path(path)
    if path.exists():
        frame = _read_lexicon(path)
        frame["year"] = frame["year"].astype("string").fillna("")
    else:
        frame = pd.DataFrame(columns=list(LEXICON_COLUMNS))
    seen = set(frame["term"])
    added: list[str] = []
    for term in terms:
        term = term.strip()
        if not term or re.search(r"\s", term):
            raise ValueError(f"term {term!r} is empty or contains whitespace")
        if term not in seen:
            seen.add(term)
            added.append(term)
    rows = pd.DataFrame({"term": added, "year": "" if year is None else str(year), "category": category,
                         "note": note})
    frame = pd.concat([frame[list(LEXICON_COLUMNS)], rows], ignore_index=True) if added else frame
    write_file_aside(path, lambda tmp: frame[list(LEXICON_COLUMNS)].to_csv(tmp, sep="\t", index=False,
                                                                             encoding="utf-8"))
    return added


def load_stopwords(lists: str | Iterable[str] = ("zh", "en")) -> frozenset[str]:
    """The union of bundled stopword lists: any of ``"zh"``, ``"en"``, ``"policy"``.

    Example:
        >>> "的" in load_stopwords("zh")
        True
        >>> "进一步" in load_stopwords(["zh", "policy"])
        True
    """
    names = [lists] if isinstance(lists, str) else list(lists)
    unknown = [n for n in names if n not in STOPWORD_LISTS]
    if unknown:
        raise ValueError(f"unknown stopword list(s) {unknown}; choose from {list(STOPWORD_LISTS)}")
    words: set[str] = set()
    for name in names:
        words |= _stopword_file(name)
    return frozenset(words)


@cache
def _stopword_file(name: str) -> frozenset[str]:
    return read_word_list(package_data("stopwords", f"{name}.txt"))


def read_word_list(path: str | os.PathLike[str]) -> frozenset[str]:
    """Words from a UTF-8 text file, one per line; blank lines and lines starting with ``#`` are ignored.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "w.txt"; _ = p.write_text("# mine\\n各地\\n", encoding="utf-8")
        >>> sorted(read_word_list(p))
        ['各地']
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"word list {path} does not exist")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#"))


def count_lexicon_terms(texts: Iterable[str], terms: Iterable[str] | None = None) -> list[int]:
    """How many lexicon terms (occurrences, longest match first) each text mentions; default: the bundled lexicon.

    The report uses it to find the paragraphs about digital government, so that its topics describe that part
    of a work report rather than the whole of it.

    Example:
        >>> count_lexicon_terms(["推进一网通办和数据共享", "加强农业生产"])
        [2, 0]
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be a list of texts, not a single str; wrap it: [text]")
    pattern = _term_pattern(tuple(sorted(set(lexicon_terms() if terms is None else terms), key=len, reverse=True)))
    return [len(pattern.findall(text)) if pattern is not None else 0 for text in texts]


@lru_cache(maxsize=8)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    # One alternation, longest terms first, so 互联网+政务服务 is counted once rather than as 互联网+ and 政务服务.
    return re.compile("|".join(re.escape(t) for t in terms if t)) if any(terms) else None


# Lexicon categories whose terms name digital arrangements themselves; the others (reform, concept, agency,
# law, other) also hold terms of the wider policy setting (放管服, 营商环境, 十四五), which are kept only when the
# term itself carries a digital morpheme (一网通办, 互联网+政务服务, 数字中国).
DIGITAL_CATEGORIES = ("platform", "data_governance", "technology", "service", "slogan")
_DIGITAL_MORPHEMES = re.compile("网|数据|数字|电子|信息|智能|智慧|云|在线|线上|掌上|平台|码")


def digital_terms() -> list[str]:
    """The bundled lexicon's terms that name digital government itself (see ``DIGITAL_CATEGORIES``).

    Example:
        >>> "一网通办" in digital_terms() and "营商环境" not in digital_terms()
        True
    """
    lexicon = load_lexicon()
    keep = lexicon["category"].isin(DIGITAL_CATEGORIES) | lexicon["term"].str.contains(_DIGITAL_MORPHEMES)
    return sorted(set(lexicon.loc[keep, "term"]))


def resource_changes(recorded: dict[str, Any] | None, tokenizer: Any) -> str | None:
    """A sentence on how ``tokenizer``'s word lists differ from ``recorded`` (a saved :meth:`Tokenizer.resources`),
    or None when they match or nothing was recorded (folders saved before the fingerprint existed).

    Example:
        >>> from policytext import Tokenizer
        >>> tok = Tokenizer()
        >>> resource_changes(tok.resources(), tok) is None
        True
    """
    if not recorded:
        return None
    now = tokenizer.resources()
    changed = [name for name, key in (("lexicon", "words_sha256"), ("stopword list", "stopwords_sha256"))
               if recorded.get(key) != now[key]]
    if not changed:
        return None
    versions = ""
    if recorded.get("lexicon_version") != now["lexicon_version"]:
        versions = f" (lexicon version {recorded.get('lexicon_version')} then, {now['lexicon_version']} now)"
    verb = "differs" if len(changed) == 1 else "differ"
    # The bundled lists change with policytext's version; lists of one's own change when their files are edited.
    restore = ("install the policytext version it was trained with" if recorded.get("lexicon_version")
               else "restore the word list files it was trained with")
    return (f"the tokenizer's {' and '.join(changed)} {verb} from the one saved with it{versions}: tokens, and "
            f"so results, may differ from training; retrain to use the new word lists, or {restore} to reproduce it")


def warn_resource_changes(folder: Any, recorded: dict[str, Any] | None, tokenizer: Any) -> None:
    """Warn, naming ``folder``, when a loaded model's tokenizer resolves to other word lists than it was saved with."""
    changes = resource_changes(recorded, tokenizer)
    if changes:
        # Both loaders call this two frames below their public method: point at the line that loaded the model.
        warnings.warn(f"{folder}: {changes}", UserWarning, stacklevel=4)


def sha256_lines(lines: Iterable[str]) -> str:
    """sha256 hex digest of ``lines``, each ended by a newline (a fingerprint of a word list)."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()
