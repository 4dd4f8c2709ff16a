"""Chinese word segmentation with a digital-government lexicon.

A :class:`Tokenizer` owns its own segmenter: a ``rjieba.Jieba`` (the Rust port of jieba, about 25 times faster)
by default, or a ``jieba.Tokenizer`` with ``backend="jieba"``. It never touches jieba's module-level default
tokenizer, so adding words to one tokenizer cannot change another's results. Both backends start from jieba's
dictionary plus the same lexicon, and with HMM off (the default) they cut text the same way; the benchmark
``benchmarks/tokenize_throughput.py`` measures that agreement on the shared corpus.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any

from sklearn.base import BaseEstimator, TransformerMixin

from policytext.checks import ensure_documents
from policytext.text.latin import join_alnum as _join_alnum
from policytext.text.latin import join_loop as _join_loop  # noqa: F401 (tests compare the two)
from policytext.text.lexicon import (LEXICON_VERSION, is_lexicon_file, lexicon_terms, load_stopwords,
                                     read_word_list, sha256_lines)
from policytext.text.parallel import tokenize_parallel
from policytext.text.pieces import (
    SEP,
    Decisions,
    batches,
    by_piece,
    holds,
    separators,
    set_aside,
    with_coinages,
)
from policytext.text.protect import (
    QUOTED,
    TermFinder,
    repair_split_terms,
    repair_term_matches,
    split_quoted,
)

BACKENDS = ("rjieba", "jieba")
# Below this many characters the cost of starting worker processes outweighs the gain: forking and the copies of
# memory pages it brings cost ~0.05 s; on 2 cores 300,000 characters took as long either way, 600,000 0.8x as long.
_PARALLEL_MIN_CHARS = 400_000
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*[%％‰]?$")
_MEMO_LIMIT = 2_000_000
_NEEDS_JOIN = re.compile(r"[A-Za-z]|\d[-.]\d")
# _NEEDS_JOIN in a batch of joined pieces, found as its two halves: each is a literal character set, so the
# regex engine skips ahead in C instead of trying a match at every digit.
_LATIN = re.compile(r"[A-Za-z][^\x00]*")
# A digit followed by '-' or '.' and a digit, matched from the digit: a pattern that starts with a character set
# is scanned for in C, one that starts with a lookbehind is tried at every position (1.6x slower here).
_DECIMAL = re.compile(r"\d[-.](?=\d)")
_BATCH_CHARS = 400_000


class Tokenizer(TransformerMixin, BaseEstimator):
    """Segment Chinese policy text into words, keeping policy terms whole.

    Parameters (keyword-only):
        lexicon: ``"default"`` for the bundled digital-government lexicon, ``None`` for none, a path to a
            lexicon TSV, or a list of terms.
        user_words: extra words, as strings or ``(word, freq)`` pairs.
        user_dict: a jieba-format dictionary file (``word [freq] [tag]`` per line), or a lexicon file of your own
            in the bundled lexicon's TSV format (as ``add_lexicon_terms`` and ``policytext lexicon-add`` write it),
            added on top of ``lexicon``.
        stopwords: ``"default"`` (bundled Chinese and English lists), ``None``, a path to a word list, or a
            collection of words.
        policy_stopwords: also drop policy boilerplate words (各地区, 进一步, 加快, 推进 ...).
        backend: ``"rjieba"`` (fast, default) or ``"jieba"`` (the reference implementation).
        hmm: let jieba's HMM guess words missing from the dictionary. Off by default: with it off both backends
            agree and results do not drift with unseen character sequences.
        pos: keep only tokens whose part-of-speech tag starts with one of these tags (``{"n", "v"}``); lexicon
            terms are tagged ``"nz"``.
        drop_punctuation, drop_numbers: drop tokens made only of punctuation/symbols, or plain numbers
            (lexicon terms such as 12345 are always kept).
        min_length: drop tokens shorter than this (lexicon terms are always kept).
        lowercase: lowercase Latin letters after lexicon matching.
        n_jobs: processes for :meth:`tokenize_many` and :meth:`transform`, this one included: ``-1`` all cores
            (``os.cpu_count()``, whatever else is running), ``-2`` all but one, a positive count as given (at most
            4 per core). Inputs under 400,000 characters are tokenized in this process.
        keep_quoted: keep a short quoted coinage whole (2–8 Chinese characters inside “”, 「」, ‘’ or ""):
            “民意速办” -> 民意速办. On by default: longer quotations are segmented as usual, and text outside
            quotes is cut exactly as without the option (checked on every paragraph of the shared corpora).

    Lexicon terms and user words come out whole even where a neighbouring word takes one of their characters
    and the rest would fall apart into single characters (中小企业上云 -> 中小, 企业上云), so stopword removal
    never leaves a fragment of a term behind.

    Example:
        >>> tok = Tokenizer()
        >>> tok.tokenize("推进“互联网+政务服务”，实现一网通办")
        ['推进', '互联网+政务服务', '实现', '一网通办']
    """

    def __init__(
        self,
        *,
        lexicon: str | os.PathLike[str] | Sequence[str] | None = "default",
        user_words: Iterable[str | tuple[str, int]] | None = None,
        user_dict: str | os.PathLike[str] | None = None,
        stopwords: str | os.PathLike[str] | Collection[str] | None = "default",
        policy_stopwords: bool = False,
        backend: str = "rjieba",
        hmm: bool = False,
        pos: Collection[str] | None = None,
        drop_punctuation: bool = True,
        drop_numbers: bool = True,
        min_length: int = 1,
        lowercase: bool = False,
        n_jobs: int = -1,
        keep_quoted: bool = True,
    ) -> None:
        self.lexicon = lexicon
        self.user_words = user_words
        self.user_dict = user_dict
        self.stopwords = stopwords
        self.policy_stopwords = policy_stopwords
        self.backend = backend
        self.hmm = hmm
        self.pos = pos
        self.drop_punctuation = drop_punctuation
        self.drop_numbers = drop_numbers
        self.min_length = min_length
        self.lowercase = lowercase
        self.n_jobs = n_jobs
        self.keep_quoted = keep_quoted

    # scikit-learn contract -------------------------------------------------------------------------------
    def fit(self, X: Any = None, y: Any = None) -> Tokenizer:
        """Check the parameters and build the segmenter; the data are not needed.

        Example:
            >>> Tokenizer().fit(["数字政府"]).tokenize("数字政府")
            ['数字政府']
        """
        if X is not None:
            ensure_documents(X, "X")
        self._build()
        return self

    def transform(self, X: Iterable[str]) -> list[list[str]]:
        """Token lists for documents ``X`` (same as :meth:`tokenize_many`)."""
        return self.tokenize_many(X)

    def __call__(self, text: str) -> list[str]:
        """Tokenize one text, so a tokenizer can be passed to ``CountVectorizer(tokenizer=...)``."""
        return self.tokenize(text)

    def __getstate__(self) -> dict[str, Any]:
        # The segmenter is rebuilt from the parameters after unpickling; rjieba objects cannot be pickled
        # and a jieba dictionary is ~100 MB.
        state = super().__getstate__()
        return {k: v for k, v in state.items() if not k.startswith("_seg")}

    # tokenizing ------------------------------------------------------------------------------------------
    def tokenize(self, text: str) -> list[str]:
        """Tokens of one text.

        Example:
            >>> Tokenizer().tokenize("加快建设数字政府和数据要素市场")
            ['加快', '建设', '数字政府', '数据要素市场']
        """
        if not isinstance(text, str):
            raise TypeError(
                f"tokenize() takes one str, not {type(text).__name__}; use tokenize_many() for many documents"
            )
        self._build()
        return self._filter(self._cut(text))

    def tokenize_many(
        self, texts: Iterable[str], n_jobs: int | None = None, progress: bool = False
    ) -> list[list[str]]:
        """Token lists for many documents, in order, in parallel on ``n_jobs`` processes: this one and
        ``n_jobs - 1`` worker processes started for the call (``n_jobs=None`` takes the tokenizer's ``n_jobs``).

        Results are identical to calling :meth:`tokenize` on each text. Small inputs run in this process.

        Example:
            >>> Tokenizer().tokenize_many(["最多跑一次改革", "一网通办"], n_jobs=1)
            [['最多跑一次改革'], ['一网通办']]
        """
        documents = ensure_documents(texts)
        self._build()
        jobs = _resolve_jobs(self.n_jobs if n_jobs is None else n_jobs)
        total_chars = sum(len(d) for d in documents)
        if jobs == 1 or len(documents) < 2 or total_chars < _PARALLEL_MIN_CHARS:
            out: list[list[str]] = []
            for batch in _progress(batches(documents, _BATCH_CHARS), progress, "tokenizing", unit="batch"):
                out.extend(self._tokenize_batch(batch))
            return out
        return tokenize_parallel(self, documents, jobs, progress)

    # internals -------------------------------------------------------------------------------------------
    def _build(self) -> None:
        if getattr(self, "_seg_ready", False):
            return
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {list(BACKENDS)}, not {self.backend!r}")
        if not isinstance(self.min_length, int) or self.min_length < 1:
            raise ValueError(f"min_length must be a positive int, not {self.min_length!r}")
        words = self._words()
        self._seg_protected = frozenset(w for w, _, _ in words)
        terms = [w for w in self._seg_protected if len(w) > 1]
        self._seg_finder = TermFinder(terms) if terms else None
        self._seg_terms = self._seg_finder.pattern if terms else None
        # Many documents are cut at once unless a term could hold the separator.
        self._seg_batch = not any(SEP in w for w in terms)
        self._seg_stopwords = self._stopword_set() - self._seg_protected
        if self.policy_stopwords:
            # jieba cuts many boilerplate phrases (各地区 -> 各/地区); known as words, they come out whole and
            # are then dropped, instead of leaving their fragments behind.
            known = self._seg_protected
            words = words + [(w, None, None) for w in sorted(load_stopwords("policy")) if len(w) > 1 and w not in known]
        self._seg_pos = None if self.pos is None else tuple(ensure_documents(self.pos, "pos"))
        self._seg_memo = Decisions(self._decide, _MEMO_LIMIT)
        if self.backend == "rjieba":
            import rjieba

            seg = rjieba.Jieba()
            for word, freq, tag in words:
                seg.add_word(word, freq, tag)
            self._seg = seg
        else:
            self._seg = _new_jieba(words)
            if self._seg_pos is not None:
                import jieba.posseg

                self._seg_tagger = jieba.posseg.POSTokenizer(self._seg)
        self._seg_ready = True

    def _words(self) -> list[tuple[str, int | None, str | None]]:
        words: dict[str, tuple[int | None, str | None]] = {}
        if isinstance(self.lexicon, str) and self.lexicon == "default":
            terms = lexicon_terms()
        elif self.lexicon is None:
            terms = []
        elif isinstance(self.lexicon, (str, os.PathLike)):
            terms = lexicon_terms(self.lexicon)
        else:
            terms = ensure_documents(self.lexicon, "lexicon")
        for term in terms:
            words[term] = (None, "nz")
        if self.user_dict is not None:
            words.update(_read_user_dict(Path(self.user_dict)))
        for item in self.user_words or ():
            word, freq = (item, None) if isinstance(item, str) else (item[0], int(item[1]))
            if not word.strip() or any(c.isspace() for c in word):
                raise ValueError(f"user_words: {word!r} is empty or contains whitespace")
            words[word] = (freq, "nz")
        return [(w, f, t) for w, (f, t) in words.items()]

    def _stopword_set(self) -> frozenset[str]:
        sw = self.stopwords
        if isinstance(sw, str) and sw == "default":
            base = load_stopwords(("zh", "en"))
        elif sw is None:
            base = frozenset()
        elif isinstance(sw, (str, os.PathLike)):
            base = read_word_list(sw)
        else:
            base = frozenset(ensure_documents(sw, "stopwords"))
        return base | load_stopwords("policy") if self.policy_stopwords else base

    def resources(self) -> dict[str, Any]:
        """What this tokenizer's word lists resolve to: the bundled lexicon's version (when it is used), and
        sha256 fingerprints of the words it adds to the segmenter and of its stopwords.

        A saved model records this so that loading it under another lexicon or stopword list says so (its tokens,
        and so its predictions, may differ from training), and caches of tokens key on it.

        Example:
            >>> Tokenizer().resources()["lexicon_version"] == LEXICON_VERSION
            True
        """
        words = sorted((w, -1 if f is None else f, t or "") for w, f, t in self._words())
        default = isinstance(self.lexicon, str) and self.lexicon == "default"
        return {
            "lexicon_version": LEXICON_VERSION if default else None,
            "words": len(words),
            "words_sha256": sha256_lines("\t".join(map(str, w)) for w in words),
            "stopwords_sha256": sha256_lines(sorted(self._stopword_set())),
        }

    def _cut(self, text: str) -> list[tuple[str, str]] | list[str]:
        if self.keep_quoted and ("“" in text or "「" in text or "‘" in text or '"' in text):
            cut: list = []
            for piece, quoted in split_quoted(text):
                if quoted:
                    cut.append((piece, "nz") if self._seg_pos is not None else piece)
                else:
                    cut.extend(self._cut_piece(piece))
            return cut
        return self._cut_piece(text)

    def _cut_piece(self, text: str) -> list[tuple[str, str]] | list[str]:
        words = self._segment(text)
        if self._seg_terms is not None:
            words = repair_split_terms(text, words, self._seg_terms, self._segment)
        if self._seg_pos is not None:
            return _join_alnum([w for w, _ in words], [t for _, t in words])
        # Rejoining only matters where the text has Latin letters or a joiner; many Chinese paragraphs have none.
        return _join_alnum(words) if _NEEDS_JOIN.search(text) else words

    def _segment(self, text: str) -> list:
        """The segmenter's raw cut of ``text``: words, or (word, tag) pairs when filtering by part of speech."""
        if self._seg_pos is not None:
            if self.backend == "rjieba":
                return self._seg.tag(text, self.hmm)
            return [(p.word, p.flag) for p in self._seg_tagger.cut(text, HMM=self.hmm)]
        if self.backend == "rjieba":
            return self._seg.cut(text, self.hmm)
        return self._seg.lcut(text, HMM=self.hmm)

    def _filter(self, cut: list) -> list[str]:
        # Keep/drop decisions depend only on the token (and its tag), so they are memoised (a corpus has far fewer
        # word types than tokens) and every token is looked up and the dropped ones ('') removed in C (map,
        # filter): a per-token Python loop would cost more than the segmentation itself.
        return list(filter(None, map(self._seg_memo.__getitem__, cut)))

    def _tokenize_batch(self, documents: list[str]) -> list[list[str]]:
        """Tokens of each of ``documents``, exactly as :meth:`tokenize` gives them, segmenting them all at once.

        The documents are joined by a separator and cut in one call; quoted coinages are replaced by a separator
        first (so the text around them is cut on its own, as :meth:`_cut` does) and put back as tokens. Term repair
        and Latin rejoining, which work on each piece of text, run only on the few pieces that need them: term
        occurrences are found in the whole batch at once, and so is Latin text.
        """
        text = SEP.join(documents)
        if self._seg_pos is not None or not self._seg_batch or text.count(SEP) != len(documents) - 1:
            return [self._filter(self._cut(d)) for d in documents]
        coinages: list[tuple[int, str]] = []
        if self.keep_quoted:
            text = QUOTED.sub(lambda m: set_aside(m, coinages), text)
        # A tuple of strings leaves the garbage collector's young generation at the first collection instead of
        # being walked by every one of the dozens that building each document's list triggers (5-8% of the time).
        stream = tuple(self._segment(text))
        bounds = separators(stream, len(documents) - 1 + len(coinages))
        if bounds is None:  # the segmenter did not cut at every separator: take the documents one by one
            return [self._filter(self._cut(d)) for d in documents]
        # Pieces (the text between separators) that term repair or Latin rejoining change, by index.
        fixed: dict[int, list] = {}
        found = self._seg_finder.find(text) if self._seg_finder is not None else []
        latin = [m.start() for m in _LATIN.finditer(text)] + [m.start() for m in _DECIMAL.finditer(text)]
        if found or latin:
            piece_texts = text.split(SEP)
            starts = list(accumulate(len(t) + 1 for t in piece_texts))  # where each next piece starts
            if found:
                for i, matches in by_piece(found, starts):
                    lo, hi = bounds[i] + 1, bounds[i + 1]
                    # Most terms found came out as tokens of their piece; only the others can need a repair.
                    if all(holds(stream, term, lo, hi) for _, _, term in matches):
                        continue
                    offset = starts[i - 1] if i else 0
                    local = [(a - offset, b - offset, term) for a, b, term in matches]
                    words = stream[lo:hi]
                    repaired = repair_term_matches(piece_texts[i], words, local, self._segment)
                    if repaired is not words:
                        fixed[i] = repaired
            for i in sorted({bisect_right(starts, position) for position in latin}):
                words = fixed[i] if i in fixed else stream[bounds[i] + 1: bounds[i + 1]]
                joined = _join_alnum(words)
                if joined is not words:
                    fixed[i] = joined
        get = self._seg_memo.__getitem__
        if not coinages:
            out = [list(filter(None, map(get, stream[a + 1: b]))) for a, b in pairwise(bounds)]
            for i, words in fixed.items():
                out[i] = list(filter(None, map(get, words)))
            return out
        return with_coinages(stream, bounds, fixed, coinages, documents, get)

    def _decide(self, token: str, tag: str | None) -> str:
        """The token as it should be output, or '' to drop it."""
        token = token.strip()
        if not token or token in self._seg_protected:
            return token
        if tag is not None and not tag.startswith(self._seg_pos):
            return ""
        if self.drop_punctuation and _is_punctuation(token):
            return ""
        if self.drop_numbers and _NUMBER.match(token):
            return ""
        if len(token) < self.min_length or token in self._seg_stopwords:
            return ""
        if self.lowercase:
            token = token.lower()
            if token in self._seg_stopwords:
                return ""
        return token


def saved_tokenizer(params: dict[str, Any]) -> Tokenizer:
    """The tokenizer a saved model recorded with ``get_params()``; options added later keep the behaviour the
    model was trained with (a model saved before ``keep_quoted`` existed gets ``keep_quoted=False``).

    Example:
        >>> saved_tokenizer({"backend": "rjieba"}).keep_quoted
        False
    """
    return Tokenizer(**{"keep_quoted": False, **params})


def _is_punctuation(token: str) -> bool:
    return all(unicodedata.category(c)[0] in "PSZC" for c in token)


def _read_user_dict(path: Path) -> dict[str, tuple[int | None, str | None]]:
    if not path.is_file():
        raise FileNotFoundError(f"user_dict {path} does not exist")
    if is_lexicon_file(path):  # a lexicon of one's own (as `policytext lexicon-add` writes it)
        return {term: (None, "nz") for term in lexicon_terms(path)}
    words: dict[str, tuple[int | None, str | None]] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq: int | None = None
        tag: str | None = "nz"
        if len(parts) > 1:
            if not parts[1].isdigit():
                raise ValueError(
                    f"{path}, line {lineno}: expected 'word [freq] [tag]' with an integer freq, got {line!r}"
                )
            freq = int(parts[1])
        if len(parts) > 2:
            tag = parts[2]
        words[parts[0]] = (freq, tag)
    return words


def _new_jieba(words: list[tuple[str, int | None, str | None]]) -> Any:
    import jieba

    seg = jieba.Tokenizer()
    # jieba announces its dictionary load on stderr through its module logger; quiet it only while this
    # tokenizer loads, and put the level back so jieba's own defaults are untouched.
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        seg.initialize()
    finally:
        logger.setLevel(level)
    for word, freq, tag in words:
        seg.add_word(word, freq, tag)
    return seg


def _resolve_jobs(n_jobs: int) -> int:
    cores = os.cpu_count() or 1
    if n_jobs == 0 or not isinstance(n_jobs, int):
        raise ValueError(f"n_jobs must be a non-zero int (-1 = all cores), not {n_jobs!r}")
    return max(1, cores + 1 + n_jobs if n_jobs < 0 else min(n_jobs, cores * 4))


def _progress(items: Sequence[Any], enabled: bool, desc: str, unit: str = "doc") -> Iterable[Any]:
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit=unit)
