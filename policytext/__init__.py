"""policytext: mining Chinese policy texts.

The pipeline runs one way: files or a DataFrame → :class:`Corpus` (documents + metadata) → cleaned text →
tokens (:class:`Tokenizer`) → counts (:func:`term_trends`, :func:`document_term_matrix`) → models → DataFrames
keyed by ``doc_id`` and ``segment_id``.

Example:
    >>> import policytext as pt
    >>> pt.Tokenizer().tokenize("推进“互联网+政务服务”")
    ['推进', '互联网+政务服务']
"""

from __future__ import annotations

__version__ = "0.1.0"

from policytext.annotations import agreement, annotation_segments, load_annotations
from policytext.cache import Cache, cache_info, cache_key, cached_model, cached_tokens, clear_cache
from policytext.citation_network import adoption_lag, citation_graph, most_cited, plot_citation_graph
from policytext.citations import extract_citations, normalize_title
from policytext.active import suggest
from policytext.classify import PolicyClassifier, tag_documents
from policytext.classify_train import train_classifier
from policytext.classify_eval import cross_validate, evaluate
from policytext.clean import (
    DEFAULT_STEPS,
    Cleaner,
    clean_text,
    fix_line_breaks,
    make_cleaner,
    normalize_unicode,
    normalize_whitespace,
    remove_boilerplate,
    split_bilingual,
    to_simplified,
)
from policytext.codebook import Codebook, list_codebooks, load_codebook
from policytext.rules import RuleTagger
from policytext.corpus import Corpus, load_corpus, read_corpus
from policytext.datahome import data_home, fetch, registered_corpora, verify_corpus
from policytext.docheader import GENRES, detect_genre, extract_metadata, parse_chinese_date
from policytext.docmeta import CitedTitle, DocNumber, find_cited_titles, find_doc_numbers, parse_doc_number
from policytext.features import DocumentTermMatrix, document_term_matrix, first_appearance, kwic, term_trends
from policytext.lexicon import load_lexicon, load_stopwords
from policytext.model_io import ModelIntegrityError, list_models, load_model, save_model
from policytext.readers import Document, ReadError, decode_bytes, read_document, read_table
from policytext.stream import iter_documents, iter_segments
from policytext.stream_write import TokenStream, tag_to_parquet, tokenize_to_parquet
from policytext.plots import plot_label_shares, plot_select_k, plot_term_trends, plot_topic_shares, use_chinese_font
from policytext.report import ReportConfig, build_report
from policytext.stats import bootstrap_means
from policytext.timeline import load_milestones
from policytext.tokenize import Tokenizer
from policytext.topic_select import select_k
from policytext.topic_time import DynamicTopicModel, topic_shares
from policytext.topics import TopicModel

__all__ = [
    "DynamicTopicModel",
    "ReportConfig",
    "TopicModel",
    "bootstrap_means",
    "build_report",
    "load_milestones",
    "plot_label_shares",
    "plot_select_k",
    "plot_term_trends",
    "plot_topic_shares",
    "select_k",
    "topic_shares",
    "use_chinese_font",
    "Cache",
    "TokenStream",
    "cache_info",
    "cache_key",
    "cached_model",
    "cached_tokens",
    "clear_cache",
    "iter_documents",
    "iter_segments",
    "tag_to_parquet",
    "tokenize_to_parquet",
    "ModelIntegrityError",
    "PolicyClassifier",
    "cross_validate",
    "evaluate",
    "list_models",
    "load_model",
    "save_model",
    "suggest",
    "tag_documents",
    "train_classifier",
    "agreement",
    "annotation_segments",
    "load_annotations",
    "adoption_lag",
    "citation_graph",
    "extract_citations",
    "most_cited",
    "normalize_title",
    "plot_citation_graph",
    "CitedTitle",
    "Cleaner",
    "Codebook",
    "Corpus",
    "DEFAULT_STEPS",
    "DocNumber",
    "Document",
    "DocumentTermMatrix",
    "GENRES",
    "ReadError",
    "RuleTagger",
    "Tokenizer",
    "clean_text",
    "data_home",
    "decode_bytes",
    "detect_genre",
    "document_term_matrix",
    "extract_metadata",
    "fetch",
    "find_cited_titles",
    "find_doc_numbers",
    "first_appearance",
    "fix_line_breaks",
    "kwic",
    "list_codebooks",
    "load_codebook",
    "load_corpus",
    "load_lexicon",
    "load_stopwords",
    "make_cleaner",
    "normalize_unicode",
    "normalize_whitespace",
    "parse_chinese_date",
    "parse_doc_number",
    "read_corpus",
    "read_document",
    "read_table",
    "registered_corpora",
    "remove_boilerplate",
    "split_bilingual",
    "term_trends",
    "to_simplified",
    "verify_corpus",
]
