"""Label schemes as data, and a transparent rule tagger built from them.

The codebook (``../shared/codebook.md``, v0.1) defines three schemes, bundled as YAML files in
``policytext/data/codebooks``: ``governance-mode`` (GM1-GM5), ``innovation-stage`` (IS1-IS5) and
``policy-tools`` (supply / environment / demand with sub-tools). ``load_codebook`` reads them, or a file of
your own in the same schema (YAML or JSON):

- ``name`` (str), ``version`` (str, the codebook version, e.g. ``"0.1"``; quote it in YAML), ``title_zh``,
  ``title_en``, ``unit`` (the coding unit), ``multi_label`` (bool), ``not_applicable`` (the residual code,
  ``"0"``) and ``not_applicable_note``.
- ``labels``: a non-empty list of ``{id, name_zh, name_en, definition, indicators, negative_indicators,
  exclusions, boundary_rules, examples, parent}``. ``indicators`` flag candidates; a term may contain ``……``
  (up to 20 characters of the same clause) or start with ``re:`` (a regular expression). ``exclusions`` are
  phrases that void an overlapping match of that label (a brand named only as an access channel);
  ``negative_indicators`` void all of that label's matches in the same text, i.e. the coding unit you pass
  (an operating contractor takes a text out of GM1). ``parent`` names a top-level label
  (policy tools: ``supply.funding`` has parent ``supply``).
- ``decision_procedure``: ordered steps (prose). ``tie_break``: label ids in the order the procedure prefers
  when the evidence is equal. ``negation_cues`` and ``hedge_cues``: words that negate or hedge a following
  indicator. ``hedge_counts_for``: the labels a hedged match may support (``null`` = all); hedged evidence for
  any other label goes to ``hedge_redirect`` (or nowhere). ``attributes``: optional recorded attributes
  (``{name, values, description, indicators}``), kept for coders and not used by the tagger.

Indicator terms flag candidates; the codebook's definitions and boundary rules decide. ``RuleTagger`` is
therefore a baseline and a source of weak labels, not a coder.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from sklearn.base import BaseEstimator

from policytext.resources import package_data

BUNDLED_CODEBOOKS = ("governance-mode", "innovation-stage", "policy-tools")
GAP = "……"
GAP_MAX_CHARS = 20
# Clause boundaries for negation and hedging: sentence ends, semicolons, commas, lines.
CLAUSE_BREAKS = "。；;！!？?，,\n\r"
_LABEL_LIST_FIELDS = ("indicators", "negative_indicators", "exclusions", "boundary_rules", "examples")
_LABEL_FIELDS = ("id", "name_zh", "name_en", "definition", *_LABEL_LIST_FIELDS, "parent")
_TOP_FIELDS = (
    "name", "version", "title_zh", "title_en", "unit", "multi_label", "not_applicable", "not_applicable_note",
    "labels", "decision_procedure", "tie_break", "negation_cues", "hedge_cues", "hedge_counts_for",
    "hedge_redirect", "attributes", "reliability",
)


@dataclass(frozen=True)
class Label:
    """One label of a codebook: names, definition, indicator terms, boundary rules and examples."""

    id: str
    name_zh: str = ""
    name_en: str = ""
    definition: str = ""
    indicators: tuple[str, ...] = ()
    negative_indicators: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    boundary_rules: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    parent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in _LABEL_FIELDS}
        for name in _LABEL_LIST_FIELDS:
            out[name] = list(out[name])
        return out


@dataclass(frozen=True, repr=False)
class Codebook:
    """A label scheme: ordered labels plus the rules for using them. Immutable; ``extend`` returns a copy.

    Example:
        >>> cb = load_codebook("governance-mode")
        >>> cb.labels[:2], cb.version
        (['GM1', 'GM2'], '0.1')
    """

    name: str
    version: str
    entries: tuple[Label, ...]
    title_zh: str = ""
    title_en: str = ""
    unit: str = ""
    multi_label: bool = False
    not_applicable: str = "0"
    not_applicable_note: str = ""
    decision_procedure: tuple[str, ...] = ()
    tie_break: tuple[str, ...] | None = None
    negation_cues: tuple[str, ...] = ()
    hedge_cues: tuple[str, ...] = ()
    hedge_counts_for: tuple[str, ...] | None = None
    hedge_redirect: str | None = None
    attributes: tuple[Mapping[str, Any], ...] = ()
    # Inter-coder agreement measured on policytext's annotated set (n, percent, kappa, alpha, notes).
    reliability: Mapping[str, Any] = field(default_factory=dict)
    source: str = field(default="<dict>", compare=False)

    def __post_init__(self) -> None:
        # Checked here too (not only when reading a file) so that extend() cannot build a broken codebook.
        where = f"codebook {self.source}"
        if not self.entries:
            raise ValueError(f"{where}: field 'labels' is empty; give at least one label")
        ids = [entry.id for entry in self.entries]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"{where}: field 'labels' has duplicate ids {dupes}; each label id must be unique")
        if self.not_applicable in ids:
            raise ValueError(
                f"{where}: label id {self.not_applicable!r} is the not_applicable code; rename the label"
            )
        for entry in self.entries:
            if entry.parent is None:
                continue
            parent = next((e for e in self.entries if e.id == entry.parent), None)
            if parent is None or parent.parent is not None:
                raise ValueError(
                    f"{where}: label {entry.id!r} field 'parent' is {entry.parent!r}, which is not a top-level "
                    f"label; choose one of {[e.id for e in self.entries if e.parent is None]}"
                )
        for name in ("tie_break", "hedge_counts_for"):
            bad = [i for i in getattr(self, name) or () if i not in ids]
            if bad:
                raise ValueError(f"{where}: field {name!r} names unknown labels {bad}; valid labels are {ids}")
        if self.hedge_redirect is not None and self.hedge_redirect not in ids:
            raise ValueError(
                f"{where}: field 'hedge_redirect' is {self.hedge_redirect!r}; valid labels are {ids} or null"
            )

    def __repr__(self) -> str:
        shown = self.labels if len(self.entries) <= 6 else [*self.labels[:5], "..."]
        return f"Codebook(name={self.name!r}, version={self.version!r}, labels={shown}, n_labels={len(self.entries)})"

    @property
    def labels(self) -> list[str]:
        """Label ids in codebook order (without the not_applicable code)."""
        return [entry.id for entry in self.entries]

    @property
    def leaf_labels(self) -> list[str]:
        """Labels that are nobody's parent: the sub-tools of policy-tools, all labels elsewhere."""
        parents = {entry.parent for entry in self.entries}
        return [entry.id for entry in self.entries if entry.id not in parents]

    @property
    def indicators(self) -> dict[str, list[str]]:
        """Indicator terms by label id."""
        return {entry.id: list(entry.indicators) for entry in self.entries}

    def label(self, label_id: str) -> Label:
        """The ``Label`` with this id.

        Example:
            >>> load_codebook("policy-tools").label("supply.funding").parent
            'supply'
        """
        for entry in self.entries:
            if entry.id == label_id:
                return entry
        raise KeyError(f"label {label_id!r} is not in codebook {self.name!r}; valid labels are {self.labels}")

    def to_frame(self) -> pd.DataFrame:
        """One row per label, indexed by label id.

        Example:
            >>> load_codebook("innovation-stage").to_frame().loc["IS3", "name_en"]
            'Pilot & implementation'
        """
        return pd.DataFrame([entry.to_dict() for entry in self.entries]).set_index("id")

    def validate_labels(self, values: Iterable[Any]) -> list[Any]:
        """Check coded values (labels, or lists of labels per row for multi-label data); return them as a list.

        Example:
            >>> load_codebook("governance-mode").validate_labels(["GM1", "0", "GM5"])
            ['GM1', '0', 'GM5']
        """
        if isinstance(values, str):
            raise TypeError(f"values is a single str {values!r}; pass a list of labels, e.g. [{values!r}]")
        values = list(values)
        valid = [*self.labels, self.not_applicable]
        flat = [v for item in values for v in (item if isinstance(item, (list, tuple, set)) else [item])]
        bad = sorted({repr(v) for v in flat if v not in valid})
        if bad:
            raise ValueError(
                f"labels {', '.join(bad)} are not in codebook {self.name!r} (version {self.version}); valid labels "
                f"are {valid}. Fix the data, or add labels with Codebook.extend(labels=...)"
            )
        return values

    def extend(
        self,
        *,
        labels: Iterable[Label | Mapping[str, Any]] = (),
        indicators: Mapping[str, Iterable[str]] | None = None,
        negation_cues: Iterable[str] = (),
        hedge_cues: Iterable[str] = (),
        version: str | None = None,
    ) -> Codebook:
        """A new codebook with extra labels, indicator terms or cues; the version gets a ``+local`` suffix.

        Example:
            >>> cb = load_codebook("governance-mode").extend(indicators={"GM5": ["民意速办"]})
            >>> "民意速办" in cb.indicators["GM5"], cb.version
            (True, '0.1+local')
        """
        entries = list(self.entries)
        for term_label, terms in (indicators or {}).items():
            if term_label not in self.labels:
                raise KeyError(
                    f"indicators names label {term_label!r}, which is not in codebook {self.name!r}; valid labels "
                    f"are {self.labels}. Add a new label with labels=[...]"
                )
            terms = _str_list(terms, f"indicators[{term_label!r}]", self.source)
            i = self.labels.index(term_label)
            entries[i] = replace(entries[i], indicators=_unique(entries[i].indicators + tuple(terms)))
        for new in labels:
            new = new if isinstance(new, Label) else _label_from_dict(new, "extend(labels=...)")
            if new.id in self.labels:
                raise ValueError(
                    f"label {new.id!r} is already in codebook {self.name!r}; add terms with indicators={{...}}"
                )
            entries.append(new)
        local = self.version if self.version.endswith("+local") else f"{self.version}+local"
        return replace(
            self,
            entries=tuple(entries),
            negation_cues=_unique(self.negation_cues + tuple(_str_list(negation_cues, "negation_cues", "extend()"))),
            hedge_cues=_unique(self.hedge_cues + tuple(_str_list(hedge_cues, "hedge_cues", "extend()"))),
            version=version or local,
            source=f"{self.source} (extended)",
        )

    def with_label(self, label: Label | Mapping[str, Any] | None = None, **fields: Any) -> Codebook:
        """A new codebook with one more label, given as a ``Label``, a mapping or keyword fields.

        Example:
            >>> cb = load_codebook("innovation-stage").with_label(id="IS6", name_en="Exit", indicators=["废止"])
            >>> cb.labels[-1]
            'IS6'
        """
        return self.extend(labels=[label if label is not None else fields])

    def to_dict(self) -> dict[str, Any]:
        """The codebook in the file schema (see the module docstring)."""
        out: dict[str, Any] = {}
        for name in _TOP_FIELDS:
            value = self.entries if name == "labels" else getattr(self, name)
            if name == "labels":
                value = [entry.to_dict() for entry in value]
            elif name == "attributes":
                value = [dict(a) for a in value]
            elif name == "reliability":
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out

    def to_yaml(self, path: str | os.PathLike[str]) -> Path:
        """Write the codebook as a YAML file that ``load_codebook(path)`` reads back."""
        path = Path(path)
        path.write_text(yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str]) -> Codebook:
        """Read a codebook from a YAML (or JSON, which is YAML too) file, checking the schema."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"codebook file {path} does not exist")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            raise ValueError(f"codebook {path} is not valid YAML/JSON: {err}") from err
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<dict>") -> Codebook:
        """Build a codebook from a mapping in the file schema; errors name ``source`` and the field."""
        where = f"codebook {source}"
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: expected a mapping with fields {list(_TOP_FIELDS)}, got {type(data).__name__}")
        unknown = sorted(set(data) - set(_TOP_FIELDS))
        if unknown:
            raise ValueError(f"{where}: unknown fields {unknown}; valid fields are {list(_TOP_FIELDS)}")
        for name in ("name", "version", "labels"):
            if name not in data or data[name] in (None, "", []):
                raise ValueError(f"{where}: required field {name!r} is missing or empty")
        if not isinstance(data["version"], str):
            raise ValueError(
                f"{where}: field 'version' must be a string such as \"0.1\", not {data['version']!r}; quote it in YAML"
            )
        if not isinstance(data["labels"], list):
            raise ValueError(f"{where}: field 'labels' must be a list of label mappings")
        multi = data.get("multi_label", False)
        if not isinstance(multi, bool):
            raise ValueError(f"{where}: field 'multi_label' must be true or false, not {multi!r}")
        entries = tuple(_label_from_dict(item, f"{source}: labels[{i}]") for i, item in enumerate(data["labels"]))

        def strs(name: str) -> tuple[str, ...]:
            return tuple(_str_list(data.get(name) or [], name, source))

        def optional(name: str) -> tuple[str, ...] | None:
            return None if data.get(name) is None else strs(name)

        attributes = data.get("attributes") or []
        if not isinstance(attributes, list) or not all(isinstance(a, Mapping) for a in attributes):
            raise ValueError(f"{where}: field 'attributes' must be a list of mappings")
        reliability = data.get("reliability") or {}
        if not isinstance(reliability, Mapping):
            raise ValueError(f"{where}: field 'reliability' must be a mapping (n, percent_agreement, kappa, alpha)")
        return cls(
            name=str(data["name"]), version=data["version"], entries=entries,
            title_zh=str(data.get("title_zh") or ""), title_en=str(data.get("title_en") or ""),
            unit=str(data.get("unit") or ""), multi_label=multi,
            not_applicable=str(data.get("not_applicable", "0")),
            not_applicable_note=str(data.get("not_applicable_note") or ""),
            decision_procedure=strs("decision_procedure"), tie_break=optional("tie_break"),
            negation_cues=strs("negation_cues"), hedge_cues=strs("hedge_cues"),
            hedge_counts_for=optional("hedge_counts_for"),
            hedge_redirect=None if data.get("hedge_redirect") is None else str(data["hedge_redirect"]),
            attributes=tuple(dict(a) for a in attributes), reliability=dict(reliability), source=source,
        )


def list_codebooks() -> list[str]:
    """Names of the bundled codebooks.

    Example:
        >>> list_codebooks()
        ['governance-mode', 'innovation-stage', 'policy-tools']
    """
    return list(BUNDLED_CODEBOOKS)


def load_codebook(name_or_path: str | os.PathLike[str]) -> Codebook:
    """A bundled codebook by name, or a codebook file of your own (``.yaml``, ``.yml`` or ``.json``).

    Example:
        >>> load_codebook("policy-tools").multi_label
        True
    """
    if isinstance(name_or_path, str) and name_or_path in BUNDLED_CODEBOOKS:
        return Codebook.from_yaml(package_data("codebooks", f"{name_or_path}.yaml"))
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        if path.suffix.lower() == ".json" and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as err:
                raise ValueError(f"codebook {path} is not valid JSON: {err}") from err
            return Codebook.from_dict(data, source=str(path))
        return Codebook.from_yaml(path)
    raise ValueError(
        f"unknown codebook {str(name_or_path)!r}; bundled codebooks are {list(BUNDLED_CODEBOOKS)}, "
        "or pass the path of a .yaml/.yml/.json file"
    )


def _label_from_dict(item: Any, where: str) -> Label:
    if not isinstance(item, Mapping):
        raise ValueError(f"codebook {where}: each label must be a mapping with fields {list(_LABEL_FIELDS)}")
    unknown = sorted(set(item) - set(_LABEL_FIELDS))
    if unknown:
        raise ValueError(f"codebook {where}: unknown fields {unknown}; valid label fields are {list(_LABEL_FIELDS)}")
    if not isinstance(item.get("id"), str) or not item["id"].strip():
        raise ValueError(f"codebook {where}: field 'id' must be a non-empty string, not {item.get('id')!r}")
    lists = {name: tuple(_str_list(item.get(name) or [], name, where)) for name in _LABEL_LIST_FIELDS}
    for term in lists["indicators"] + lists["negative_indicators"] + lists["exclusions"]:
        if term.startswith("re:"):
            try:
                re.compile(term[3:])
            except re.error as err:
                raise ValueError(f"codebook {where}: indicator {term!r} is not a valid regular expression: {err}")
    parent = item.get("parent")
    return Label(
        id=item["id"], name_zh=str(item.get("name_zh") or ""), name_en=str(item.get("name_en") or ""),
        definition=str(item.get("definition") or "").strip(), parent=None if parent is None else str(parent),
        **lists,
    )


def _str_list(values: Any, name: str, where: str) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValueError(f"codebook {where}: field {name!r} must be a list of strings, not {values!r}")
    values = list(values)
    bad = [v for v in values if not isinstance(v, str) or not v.strip()]
    if bad:
        raise ValueError(f"codebook {where}: field {name!r} has empty or non-string entries {bad}; quote numbers")
    return values


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


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
