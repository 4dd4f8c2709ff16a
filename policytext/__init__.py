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

from policytext.clean import (
    clean_text,
    fix_line_breaks,
    make_cleaner,
    normalize_unicode,
    normalize_whitespace,
    remove_boilerplate,
    split_bilingual,
    to_simplified,
)
from policytext.corpus import Corpus, load_corpus, read_corpus
from policytext.datahome import data_home, fetch, registered_corpora, verify_corpus
from policytext.features import DocumentTermMatrix, document_term_matrix, first_appearance, kwic, term_trends
from policytext.lexicon import load_lexicon, load_stopwords
from policytext.readers import ReadError, read_document, read_table
from policytext.tokenize import Tokenizer

__all__ = [
    "Corpus",
    "DocumentTermMatrix",
    "ReadError",
    "Tokenizer",
    "clean_text",
    "data_home",
    "document_term_matrix",
    "fetch",
    "first_appearance",
    "fix_line_breaks",
    "kwic",
    "load_corpus",
    "load_lexicon",
    "load_stopwords",
    "make_cleaner",
    "normalize_unicode",
    "normalize_whitespace",
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
