"""A transparent rule tagger built from a codebook's indicator terms.

``RuleTagger(codebook)`` matches indicator terms (literals, ``……`` gaps, ``re:`` patterns), drops matches negated
by a cue shortly before them, sends hedged matches where the codebook says, and scores labels by evidence, with
the codebook's tie-break order deciding equal scores. It follows scikit-learn's estimator contract. Indicator terms
flag candidates; the codebook's definitions decide, so this is a baseline and a source of weak labels, not a coder.
"""

from __future__ import annotations

import bisect
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from sklearn.base import BaseEstimator

from policytext.classify.codebook import BUNDLED_CODEBOOKS, CLAUSE_BREAKS, GAP, GAP_MAX_CHARS, Codebook, load_codebook


HEDGE_MODES = ("codebook", "count", "drop")
SELECTIONS = ("score", "precedence")
EXPLAIN_COLUMNS = (
    "text_index", "label", "term", "match", "start", "end", "negated", "hedged", "excluded", "evidence_for",
)


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so that at each position the most specific term wins (复制推广 over 推广). No capture
    # groups: with a named group per term, ``re`` loses its literal-prefix scan and runs ~50x slower.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class _Terms:
    """Leftmost-longest, non-overlapping occurrences of a list of terms (literals, ``……`` gaps, ``re:``)."""

    def __init__(self, terms: Iterable[str]) -> None:
        terms = list(dict.fromkeys(terms))
        literals = [t for t in terms if not t.startswith("re:") and GAP not in t]
        self.by_text = {t.lower(): t for t in literals}
        self.literal = re.compile(_alternation(literals), re.IGNORECASE) if literals else None
        # Inside a lookahead the same alternation finds overlapping occurrences (可通过微信 and 微信、支付宝).
        self.overlapping = re.compile(f"(?=({_alternation(literals)}))", re.IGNORECASE) if literals else None
        gap = f"[^{re.escape(CLAUSE_BREAKS)}]{{0,{GAP_MAX_CHARS}}}?"
        self.special = [
            (t, re.compile(t[3:] if t.startswith("re:") else gap.join(map(re.escape, t.split(GAP))), re.IGNORECASE))
            for t in terms
            if t not in literals
        ]

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, term) of each occurrence, in text order."""
        found = [] if self.literal is None else [
            (m.start(), m.end(), self.by_text[m.group().lower()]) for m in self.literal.finditer(text)
        ]
        if not self.special:
            return found
        found += [(m.start(), m.end(), term) for term, pattern in self.special for m in pattern.finditer(text)]
        kept: list[tuple[int, int, str]] = []
        for start, end, term in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
            if not kept or start >= kept[-1][1]:
                kept.append((start, end, term))
        return kept

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every occurrence, overlapping ones included (for cues and exclusions)."""
        found = [] if self.overlapping is None else [m.span(1) for m in self.overlapping.finditer(text)]
        return found + [m.span() for _, pattern in self.special for m in pattern.finditer(text)]


class _Matcher:
    """The compiled patterns of one codebook; ``find`` lists every indicator match with its flags."""

    def __init__(self, codebook: Codebook) -> None:
        self.term_labels: dict[str, list[str]] = {}
        for entry in codebook.entries:
            for term in entry.indicators:
                self.term_labels.setdefault(term, []).append(entry.id)
        self.indicators = _Terms(self.term_labels)
        self.negation = _Terms(codebook.negation_cues)
        self.hedge = _Terms(codebook.hedge_cues)
        self.exclusions = {e.id: _Terms(e.exclusions) for e in codebook.entries if e.exclusions}
        self.negatives = {e.id: _Terms(e.negative_indicators) for e in codebook.entries if e.negative_indicators}

    def find(self, text: str, negation_window: int, hedge_window: int) -> list[dict[str, Any]]:
        breaks = [i for i, ch in enumerate(text) if ch in CLAUSE_BREAKS]

        def clause(pos: int) -> int:
            return bisect.bisect_left(breaks, pos)

        def preceded(cues: list[tuple[int, int]], start: int, window: int) -> bool:
            # A cue counts if it ends before the term starts, at most `window` characters before it, and no
            # clause break lies between them. A cue overlapping the term (鼓励探索 over 探索) does not count.
            return any(b <= start and start - b <= window and clause(a) == clause(start) for a, b in cues)

        negations, hedges = self.negation.spans(text), self.hedge.spans(text)
        excluded = {label: terms.spans(text) for label, terms in self.exclusions.items()}
        # Boundary rules speak of the whole arrangement, so a negative indicator voids its label in the whole text.
        voided_labels = {label for label, terms in self.negatives.items() if terms.spans(text)}
        found = []
        for start, end, term in self.indicators.find(text):
            negated = preceded(negations, start, negation_window)
            hedged = preceded(hedges, start, hedge_window)
            for label in self.term_labels[term]:
                voided = label in voided_labels or any(a < end and start < b for a, b in excluded.get(label, ()))
                found.append(dict(label=label, term=term, match=text[start:end], start=start, end=end,
                                  negated=negated, hedged=hedged, excluded=voided))
        return found


class RuleTagger(BaseEstimator):
    """Label texts by the indicator terms of a codebook, skipping negated matches and weighing hedged ones.

    Each indicator match that is not negated (a negation cue a few characters before it in the same clause)
    and not excluded counts one point for its label. A hedged match (a hedge cue shortly before it) counts as
    the codebook says: in innovation-stage only for IS1/IS2, and hedged evidence for later stages goes to IS1.
    Single-label schemes predict the best-scoring label, ties broken in the codebook's ``tie_break`` order
    (``selection="precedence"`` instead takes the first label in that order with enough evidence, rule S3),
    and ``"0"`` without evidence. Multi-label schemes predict the list of labels with evidence, or ``["0"]``.
    Rules need no data: ``fit`` only checks the parameters and compiles the codebook, and ``predict`` on an
    unfitted tagger fits it first.

    Parameters: ``codebook`` (a bundled name, a file path or a ``Codebook``); ``negation_window`` and
    ``hedge_window`` (characters between cue and term); ``hedge`` (``"codebook"``, ``"count"`` = treat hedged
    matches as plain, ``"drop"`` = ignore them); ``min_score`` (evidence needed for a label); ``multi_label``
    (``None`` = the codebook's; ``False`` on policy-tools gives one primary sub-tool per clause);
    ``selection`` (``"score"`` or ``"precedence"``).

    Example:
        >>> tagger = RuleTagger("innovation-stage")
        >>> tagger.predict(["总结试点经验，在全国推广。", "不得推广。"])
        ['IS4', '0']
    """

    def __init__(
        self,
        codebook: str | os.PathLike[str] | Codebook,
        *,
        negation_window: int = 6,
        hedge: str = "codebook",
        hedge_window: int = 12,
        min_score: float = 1.0,
        multi_label: bool | None = None,
        selection: str = "score",
    ) -> None:
        self.codebook = codebook
        self.negation_window = negation_window
        self.hedge = hedge
        self.hedge_window = hedge_window
        self.min_score = min_score
        self.multi_label = multi_label
        self.selection = selection

    def fit(self, X: Iterable[str] | None = None, y: Iterable[Any] | None = None) -> RuleTagger:
        """Check the parameters (and ``y`` against the codebook, if given), compile the rules; return self."""
        codebook = self.codebook
        if isinstance(codebook, (str, os.PathLike)):
            codebook = load_codebook(codebook)
        elif not isinstance(codebook, Codebook):
            raise TypeError(
                f"codebook must be a bundled name {list(BUNDLED_CODEBOOKS)}, a file path or a Codebook, "
                f"not {type(codebook).__name__}"
            )
        for name in ("negation_window", "hedge_window"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a non-negative int (characters), not {value!r}")
        if self.hedge not in HEDGE_MODES:
            raise ValueError(f"hedge must be one of {list(HEDGE_MODES)}, not {self.hedge!r}")
        if self.selection not in SELECTIONS:
            raise ValueError(f"selection must be one of {list(SELECTIONS)}, not {self.selection!r}")
        if not isinstance(self.min_score, (int, float)) or self.min_score <= 0:
            raise ValueError(f"min_score must be a positive number, not {self.min_score!r}")
        if self.multi_label not in (None, True, False):
            raise ValueError(f"multi_label must be None, True or False, not {self.multi_label!r}")
        if X is not None:
            _texts(X)
        if y is not None:
            codebook.validate_labels(y)
        self.codebook_ = codebook
        self.multi_label_ = codebook.multi_label if self.multi_label is None else self.multi_label
        leaves = set(codebook.leaf_labels)
        # Parents without indicators of their own (policy tools) never receive evidence, so they get no column.
        self.classes_ = [e.id for e in codebook.entries if e.id in leaves or e.indicators] + [codebook.not_applicable]
        tie = list(codebook.tie_break or ())
        self.precedence_ = tie + [label for label in self.classes_[:-1] if label not in tie]
        self.matcher_ = _Matcher(codebook)
        return self

    def explain(self, texts: Iterable[str]) -> pd.DataFrame:
        """Every indicator match: text_index, label, term, match, start, end, negated, hedged, excluded and
        evidence_for (the label the match supports, or None when it does not count).

        Example:
            >>> RuleTagger("governance-mode").explain(["由市政府牵头。"])[["label", "term", "evidence_for"]]
              label term evidence_for
            0   GM1   牵头          GM1
        """
        values, index = _texts(texts)
        tagger = self._fitted()
        rows = [
            {"text_index": i, **row, "evidence_for": tagger._evidence_for(row)}
            for i, text in zip(index, values)
            for row in tagger.matcher_.find(text, tagger.negation_window, tagger.hedge_window)
        ]
        return pd.DataFrame(rows, columns=list(EXPLAIN_COLUMNS))

    def tag(self, texts: Iterable[str]) -> pd.DataFrame:
        """The matches that count as evidence (``explain`` without negated, excluded or dropped matches)."""
        frame = self.explain(texts)
        return frame[frame["evidence_for"].notna()].reset_index(drop=True)

    def predict_proba(self, texts: Iterable[str]) -> pd.DataFrame:
        """Evidence shares per text: columns ``classes_`` (labels, then ``"0"``), rows sum to 1; a text without
        evidence gets 1.0 under ``"0"``. These are normalised rule scores, not calibrated probabilities."""
        scores = self._scores(texts)
        total = scores.sum(axis=1)
        proba = scores.div(total.where(total > 0, 1.0), axis=0)
        proba[self.classes_[-1]] = (total == 0).astype(float)
        return proba

    def predict(self, texts: Iterable[str]) -> list[Any]:
        """One label per text (single-label), or a list of labels per text (multi-label).

        Example:
            >>> RuleTagger("policy-tools").predict(["安排专项资金，制定接口标准。"])
            [['supply.funding', 'environment.standards']]
        """
        scores = self._scores(texts)
        none = self.classes_[-1]
        rank = {label: i for i, label in enumerate(self.precedence_)}
        out: list[Any] = []
        for row in scores.itertuples(index=False):
            found = {label: s for label, s in zip(scores.columns, row) if s >= self.min_score}
            if self.selection == "precedence":
                ordered = sorted(found, key=rank.__getitem__)
            else:
                ordered = sorted(found, key=lambda label: (-found[label], rank[label]))
            if self.multi_label_:
                out.append(ordered or [none])
            else:
                out.append(ordered[0] if ordered else none)
        return out

    def scores(self, texts: Iterable[str]) -> pd.DataFrame:
        """Evidence points per label (columns ``classes_`` without ``"0"``): what ``predict`` decides on, and
        what :class:`~policytext.PolicyClassifier` counts with ``context=("terms",)``.

        Example:
            >>> RuleTagger("governance-mode").scores(["由市政府牵头。"])["GM1"].tolist()
            [1.0]
        """
        return self._scores(texts)

    def _fitted(self) -> RuleTagger:
        return self if hasattr(self, "matcher_") else self.fit()

    def _evidence_for(self, row: Mapping[str, Any]) -> str | None:
        if row["negated"] or row["excluded"]:
            return None
        if not row["hedged"] or self.hedge == "count":
            return row["label"]
        if self.hedge == "drop":
            return None
        allowed = self.codebook_.hedge_counts_for
        if allowed is None or row["label"] in allowed:
            return row["label"]
        return self.codebook_.hedge_redirect

    def _scores(self, texts: Iterable[str]) -> pd.DataFrame:
        values, index = _texts(texts)
        tagger = self._fitted()
        labels = tagger.classes_[:-1]
        counts = []
        for text in values:
            rows = tagger.matcher_.find(text, tagger.negation_window, tagger.hedge_window)
            counts.append(Counter(tagger._evidence_for(row) for row in rows))
        data = [[float(c.get(label, 0)) for label in labels] for c in counts]
        return pd.DataFrame(data, index=index, columns=labels)


def _texts(texts: Any) -> tuple[list[str], pd.Index]:
    """The texts as a list and their index (a Series keeps its own); refuse a bare str and non-str items."""
    if isinstance(texts, str):
        raise TypeError("texts is a single str; pass a list of texts, e.g. [text]")
    if isinstance(texts, pd.DataFrame):
        raise TypeError("texts is a DataFrame; pass one column of texts, e.g. frame['text']")
    if isinstance(texts, pd.Series):
        values, index = texts.tolist(), texts.index
    else:
        values = list(texts)
        index = pd.RangeIndex(len(values))
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise TypeError(
                f"texts[{i}] is {type(value).__name__}, not str; fill missing texts with '' (e.g. fillna('')) first"
            )
    return values, index
