"""Saving and loading topic estimators: the tokenizer record, the rebuilt estimator and the gensim dictionary.

Shared by :class:`~policytext.topics.model.TopicModel` and :class:`~policytext.topics.dynamic.DynamicTopicModel`;
nothing here is pickled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policytext.persist import jsonable, read_json, read_manifest, write_json
from policytext.text.lexicon import warn_resource_changes
from policytext.text.tokenize import Tokenizer, saved_tokenizer
from policytext.topics.inputs import make_dictionary


def tokenizer_params(tokenizer: Tokenizer) -> dict[str, Any]:
    """A tokenizer's parameters as JSON values (sets become sorted lists, paths strings)."""
    return jsonable(tokenizer.get_params())


def tokenizer_record(tokenizer: Tokenizer) -> dict[str, Any]:
    """The manifest fields of a fitted estimator's tokenizer: its parameters and the word lists they resolve to."""
    return {"tokenizer": tokenizer_params(tokenizer), "tokenizer_resources": tokenizer.resources()}


def load_estimator(cls: type, folder: Path, kind: str, format_version: str) -> tuple[Any, dict[str, Any]]:
    """Rebuild a saved topic estimator's parameters, tokenizer and dictionary; the caller adds its arrays."""
    manifest = read_manifest(folder, kind, format_version)
    params = dict(manifest["parameters"])
    params["tokenizer"] = None if params.get("tokenizer") is None else saved_tokenizer(params["tokenizer"])
    model = cls(**params)
    model.tokenizer_ = saved_tokenizer(manifest["tokenizer"])
    warn_resource_changes(folder, manifest.get("tokenizer_resources"), model.tokenizer_)
    model.dictionary_ = load_dictionary(folder)
    return model, manifest


def save_dictionary(folder: Path, dictionary: Any) -> None:
    """Vocabulary as JSON: terms in id order with document and collection frequencies."""
    n = len(dictionary)
    write_json(folder, "dictionary.json", {
        "terms": [dictionary[i] for i in range(n)],
        "dfs": [int(dictionary.dfs.get(i, 0)) for i in range(n)],
        "cfs": [int(dictionary.cfs.get(i, 0)) for i in range(n)],
        "num_docs": int(dictionary.num_docs),
    })


def load_dictionary(folder: Path) -> Any:
    data = read_json(folder, "dictionary.json")
    return make_dictionary(data["terms"], data["dfs"], data["cfs"], data["num_docs"])
