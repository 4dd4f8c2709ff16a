"""The report page reads like a paper's appendix: empty sections say why, methods are tables, figures honest."""

from __future__ import annotations

import pandas as pd

from policytext.report.html import classifier_evidence, methods_appendix, table

METHODS = {
    "policytext": "0.1.0", "python": "3.11", "packages": {"gensim": "4.4.0"}, "lexicon_version": "2026.11",
    "codebooks": {"governance-mode": "0.1"},
    "corpus": {"documents": 9, "checksum_sha256": "ab" * 32, "skipped": 0},
    "config": {"by": "year", "seeds": [1, 2]},
    "topics": {"k": 8, "reason": "best c_v", "backend": "gensim", "params": {"passes": 5}, "seed": 0},
    "models": {"governance-mode": {"n_train": 1717, "grouped_macro_f1": 0.5925, "cv_macro_f1": 0.736,
                                   "repeated_macro_f1": {"macro_f1": [0.736, 0.7247, 0.725, 0.7279], "mean": 0.7284,
                                                         "min": 0.7247, "max": 0.736},
                                   "baselines": {"majority": {"macro_f1": 0.13}}, "codebook": {"version": "0.1"}}},
    "seconds": {"corpus": 1.0},
}


def test_an_empty_table_says_why_instead_of_showing_bare_headers():
    empty = pd.DataFrame(columns=["input", "reason"])
    said = table(empty, empty="No input was skipped.")
    assert "<table" not in said and "No input was skipped." in said and "Nothing to show" in table(empty)
    shown = table(pd.DataFrame({"title": [None, "数字政府"], "n": [1, 2]}))
    assert "None" not in shown and "数字政府" in shown


def test_classifier_evidence_leads_with_documents_held_out():
    text = classifier_evidence("governance-mode", METHODS["models"]["governance-mode"])
    assert text.index("0.59") < text.index("0.73") and "documents held out" in text and "1717" in text
    assert "one stratified" in classifier_evidence("x", {"cv_macro_f1": 0.5})
    assert "records no cross-validation" in classifier_evidence("x", {})


def test_methods_appendix_is_tables_with_the_json_linked():
    page = methods_appendix(METHODS)
    assert "<pre>" not in page and 'href="methods.json"' in page
    for fact in ("ab" * 32, "4.4.0", "2026.11", "0.593", "passes"):  # figures shown to three decimals
        assert fact in page, fact
