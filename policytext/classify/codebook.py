"""Label schemes as data: load, inspect, extend and write codebooks (the rule tagger is in :mod:`policytext.classify.rules`).

The codebook (``../shared/codebook.md`` v0.1, with the v0.2 rules of ``data/codebooks/codebook-v0.2.md``)
defines three schemes, bundled as YAML files in ``policytext/data/codebooks`` (v0.1 in ``v0.1/``):
``governance-mode`` (GM1-GM5), ``innovation-stage`` (IS1-IS5) and ``policy-tools`` (supply / environment /
demand with sub-tools). ``load_codebook`` reads them, or a file of your own in the same schema (YAML or JSON):

- ``name`` (str), ``version`` (str, the codebook version, e.g. ``"0.1"``; quote it in YAML), ``title_zh``,
  ``title_en``, ``unit`` (the coding unit), ``multi_label`` (bool), ``not_applicable`` (the residual code,
  ``"0"``) and ``not_applicable_note``.
- ``labels``: a non-empty list of ``{id, name_zh, name_en, definition, indicators, negative_indicators,
  exclusions, boundary_rules, examples, counter_examples, parent}``. ``indicators`` flag candidates; a term may contain ``……``
  (up to 20 characters of the same clause) or start with ``re:`` (a regular expression). ``exclusions`` are
  phrases that void an overlapping match of that label (a brand named only as an access channel);
  ``negative_indicators`` void all of that label's matches in the same text, i.e. the coding unit you pass
  (an operating contractor takes a text out of GM1). ``parent`` names a top-level label
  (policy tools: ``supply.funding`` has parent ``supply``).
- ``precedence``: the rules in the order in which they override one another (prose); ``decision_procedure``:
  ordered steps (prose). ``tie_break``: label ids in the order the procedure prefers
  when the evidence is equal. ``negation_cues`` and ``hedge_cues``: words that negate or hedge a following
  indicator. ``hedge_counts_for``: the labels a hedged match may support (``null`` = all); hedged evidence for
  any other label goes to ``hedge_redirect`` (or nowhere). ``attributes``: optional recorded attributes
  (``{name, values, description, indicators}``), kept for coders and not used by the tagger.

Indicator terms flag candidates; the codebook's definitions and boundary rules decide. ``RuleTagger`` is
therefore a baseline and a source of weak labels, not a coder.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from policytext.resources import package_data

BUNDLED_CODEBOOKS = ("governance-mode", "innovation-stage", "policy-tools")
# Bundled versions, oldest first; the last is the current one (earlier ones live in data/codebooks/v<version>/).
CODEBOOK_VERSIONS = ("0.1", "0.2")
GAP = "……"
GAP_MAX_CHARS = 20
# Clause boundaries for negation and hedging: sentence ends, semicolons, commas, lines.
CLAUSE_BREAKS = "。；;！!？?，,\n\r"
_LABEL_LIST_FIELDS = ("indicators", "negative_indicators", "exclusions", "boundary_rules", "examples",
                      "counter_examples")
_LABEL_FIELDS = ("id", "name_zh", "name_en", "definition", *_LABEL_LIST_FIELDS, "parent")
_TOP_FIELDS = (
    "name", "version", "title_zh", "title_en", "unit", "multi_label", "not_applicable", "not_applicable_note",
    "labels", "precedence", "decision_procedure", "tie_break", "negation_cues", "hedge_cues", "hedge_counts_for",
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
    # Texts that look like this label but are not it, each with the label it does get (v0.2).
    counter_examples: tuple[str, ...] = ()
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
        (['GM1', 'GM2'], '0.2')
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
    # Rules in the order in which they override one another (v0.2: operative text, scope, object, ...).
    precedence: tuple[str, ...] = ()
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
            precedence=strs("precedence"), decision_procedure=strs("decision_procedure"),
            tie_break=optional("tie_break"),
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
    """A bundled codebook by name (``name@version`` for an earlier version), or a codebook file of your own.

    The bundled names load the current version (0.2); ``"governance-mode@0.1"`` loads the version that the
    models of earlier releases were trained against. Files of your own end in ``.yaml``, ``.yml`` or ``.json``.

    Example:
        >>> load_codebook("policy-tools").multi_label, load_codebook("innovation-stage@0.1").version
        (True, '0.1')
    """
    if isinstance(name_or_path, str) and name_or_path.partition("@")[0] in BUNDLED_CODEBOOKS:
        name, _, version = name_or_path.partition("@")
        if not version:
            return Codebook.from_yaml(package_data("codebooks", f"{name}.yaml"))
        if version not in CODEBOOK_VERSIONS:
            raise ValueError(
                f"codebook {name!r} has no version {version!r}; bundled versions are {list(CODEBOOK_VERSIONS)}"
            )
        folder = () if version == CODEBOOK_VERSIONS[-1] else (f"v{version}",)
        return Codebook.from_yaml(package_data("codebooks", *folder, f"{name}.yaml"))
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
