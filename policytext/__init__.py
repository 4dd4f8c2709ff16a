"""policytext: mining Chinese policy texts.

The pipeline runs one way: files or a DataFrame → :class:`Corpus` (documents + metadata) → cleaned text →
tokens (:class:`Tokenizer`) → counts (:func:`term_trends`, :func:`document_term_matrix`) → models → DataFrames
keyed by ``doc_id`` and ``segment_id``. ``ARCHITECTURE.md`` says which subpackage holds each stage.

Every public name is importable from here, and each is imported only when first used (PEP 562), so
``import policytext`` loads neither scikit-learn, gensim nor matplotlib.

Example:
    >>> import policytext as pt
    >>> pt.Tokenizer().tokenize("推进“互联网+政务服务”")
    ['推进', '互联网+政务服务']
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Where each public name lives: module -> names. The one list of the public surface.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "policytext.documents.citations": ("extract_citations", "normalize_title"),
    "policytext.documents.header": ("detect_genre", "extract_metadata", "GENRES", "parse_chinese_date"),
    "policytext.documents.network": ("adoption_lag", "citation_graph", "most_cited", "plot_citation_graph"),
    "policytext.documents.reuse": ("text_reuse", "text_reuse_to_parquet"),
    "policytext.documents.diffusion": ("diffusion_summary", "reuse_graph", "reuse_pairs"),
    "policytext.documents.strength": ("load_strength_mapping", "policy_strength"),
    "policytext.documents.numbers": (
        "CitedTitle", "DocNumber", "find_cited_titles", "find_doc_numbers", "parse_doc_number"
    ),
    "policytext.corpus.clean": (
        "clean_text", "Cleaner", "DEFAULT_STEPS", "fix_line_breaks", "make_cleaner", "normalize_unicode",
        "normalize_whitespace", "split_bilingual", "to_simplified"
    ),
    "policytext.corpus.boilerplate": ("remove_boilerplate",),
    "policytext.corpus.corpus": ("Corpus", "load_corpus", "read_corpus"),
    "policytext.corpus.datahome": ("fetch", "registered_corpora", "registered_corpus", "verify_corpus"),
    "policytext.corpus.locations": ("data_home",),
    "policytext.corpus.files": ("decode_bytes", "Document", "read_document", "read_table", "ReadError"),
    "policytext.text.counts": ("document_term_matrix", "DocumentTermMatrix", "first_appearance", "kwic", "term_trends"),
    "policytext.text.discover": ("discover_terms",),
    "policytext.text.lexicon": ("add_lexicon_terms", "load_lexicon", "load_stopwords"),
    "policytext.text.tokenize": ("Tokenizer",),
    "policytext.text.vectors": ("mean_vectors", "train_word_vectors"),
    "policytext.topics.coherence": ("coherence",),
    "policytext.topics.dynamic": ("DynamicTopicModel", "topic_shares"),
    "policytext.topics.model": ("TopicModel",),
    "policytext.topics.select": ("select_k",),
    "policytext.classify.active": ("suggest",),
    "policytext.classify.annotations": (
        "agreement", "agreement_table", "annotation_frame", "annotation_segments", "load_annotations",
        "segment_texts", "split_tools"
    ),
    "policytext.classify.codebook": ("Codebook", "list_codebooks", "load_codebook"),
    "policytext.classify.estimator": ("PolicyClassifier",),
    "policytext.classify.evaluate": ("cross_validate", "evaluate"),
    "policytext.classify.models": ("list_models", "load_model", "ModelIntegrityError", "save_model"),
    "policytext.classify.rules": ("RuleTagger",),
    "policytext.classify.selftrain": ("document_key", "self_train", "unlabelled_paragraphs"),
    "policytext.classify.scoring": ("grouped_cross_validate", "mask_indicators", "SchemeScore", "score_scheme"),
    "policytext.classify.tagging": ("tag_documents",),
    "policytext.classify.train": ("read_labelled", "train_classifier"),
    "policytext.scale.cache": ("Cache", "cache_info", "cache_key", "cached_model", "cached_tokens", "clear_cache"),
    "policytext.scale.sinks": ("tag_frame", "tag_to_parquet", "tokenize_to_parquet", "TokenStream"),
    "policytext.scale.partitions": (
        "clean_dask", "read_corpus_dask", "read_parquet_dask", "segments_dask", "tag_dask", "to_parquet_dask",
        "tokenize_dask"
    ),
    "policytext.scale.reuse": ("text_reuse_dask",),
    "policytext.scale.sources": ("iter_documents", "iter_segments"),
    "policytext.report.build": ("build_report", "ReportConfig"),
    "policytext.report.milestones": ("load_milestones",),
    "policytext.report.plots": (
        "plot_label_shares", "plot_select_k", "plot_term_heatmap", "plot_term_trends", "plot_topic_shares",
        "use_chinese_font"
    ),
    "policytext.stats": ("bootstrap_means",),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'policytext' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

