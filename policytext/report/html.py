"""The report page: tables, figures and the methods appendix rendered as one self-contained HTML file.

Every section says why it is empty when it is; the methods appendix is a set of readable tables (corpus,
parameters, seeds, versions, classifier evidence) with ``methods.json`` linked beside it for machines.

Example:
    >>> page = render_report(tables, figures, methods)  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

import pandas as pd

STYLE = ("body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;max-width:1100px;margin:auto;"
         "padding:1em;color:#222}img{max-width:100%}table{border-collapse:collapse;font-size:.85em;margin:.4em 0}"
         "td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
         ".note{color:#555;font-size:.9em}.empty{color:#8a6d3b;background:#fcf8e3;padding:.4em .8em}"
         "code{font-size:.9em}")


def img(path: Path) -> str:
    """An ``<img>`` with the PNG embedded, so the page opens offline."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(Path(path).stem)}" src="data:image/png;base64,{data}">'


def table(frame: pd.DataFrame, rows: int = 30, *, empty: str = "") -> str:
    """The first ``rows`` rows as HTML (missing values blank); ``empty`` is said instead of a bare header."""
    if frame is None or len(frame) == 0:
        return f"<p class=empty>{html.escape(empty or 'Nothing to show.')}</p>"
    shown = frame.head(rows).astype(object).where(frame.head(rows).notna(), "")
    note = f"<p class=note>First {rows} of {len(frame)} rows; all rows in tables/.</p>" if len(frame) > rows else ""
    return shown.to_html(index=False, border=0, float_format=lambda v: f"{v:.3f}", na_rep="") + note


# The adoption-lag table has 17 columns; the page shows the ones a reader scans, tables/ holds them all.
LAG_COLUMNS = ("cited_title", "cited_number", "cited_date", "citing_title", "citing_date", "citing_level", "province",
               "lag_days")


def _columns(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    return frame[[c for c in columns if c in frame.columns]] if len(frame.columns) else frame


def _pairs(rows: dict[str, Any]) -> str:
    frame = pd.DataFrame([{"item": k, "value": v if not isinstance(v, (list, tuple, dict)) else
                           json.dumps(v, ensure_ascii=False, default=str)} for k, v in rows.items()])
    return table(frame, len(frame))


# Below this many segments in scope, the report describes the count instead of drawing shares over time.
MIN_CODED = 20


def classifier_evidence(name: str, model: dict[str, Any]) -> str:
    """One sentence on how far a shipped classifier's labels can be trusted, with the documents-held-out figure first."""
    grouped = model.get("grouped_macro_f1")
    repeated = model.get("repeated_macro_f1") or {}
    parts = []
    if model.get("in_scope_macro_f1") is not None:
        parts.append(f"with whole documents held out (the figures to cite), scope F1 {model['scope_f1']:.2f} (in "
                     f"scope or not) and macro-F1 {model['in_scope_macro_f1']:.2f} over the labels backed by at least "
                     f"five documents ({', '.join(map(str, model.get('claimed_labels') or []))})")
    if model.get("blind_accuracy") is not None:
        parts.append(f"on {model.get('blind_n')} blind paragraphs from documents never used in training, "
                     f"accuracy {model['blind_accuracy']:.2f} against two coders who agree on "
                     f"{model['blind_coder_agreement']:.2f} of them (scope F1 {model['blind_scope_f1']:.2f})")
    if grouped is not None:
        parts.append(f"macro-F1 {grouped:.2f} with whole documents held out (the figure to cite)")
    if repeated.get("mean") is not None:
        parts.append(f"{repeated['mean']:.2f} (range {repeated['min']:.2f}–{repeated['max']:.2f}) over "
                     f"{len(repeated.get('macro_f1', []))} stratified five-fold splits of segments")
    elif model.get("cv_macro_f1") is not None:
        parts.append(f"{model['cv_macro_f1']:.2f} in one stratified five-fold split of segments")
    if not parts:
        return f"<p class=note>The {html.escape(name)} model's manifest records no cross-validation.</p>"
    return (f"<p class=note>The shipped {html.escape(name)} model was trained on {model.get('n_train', '?')} annotated segments. Its accuracy: "
            + "; ".join(parts) + ". Read the shares with that accuracy in mind.</p>")


def methods_appendix(methods: dict[str, Any]) -> str:
    """The methods as tables a reader can check, with the machine-readable JSON linked."""
    corpus, topics, config = methods["corpus"], methods["topics"], methods["config"]
    out = ["<p class=note>Everything below is also in <a href=\"methods.json\">methods.json</a>.</p>",
           "<h3>Corpus</h3>", _pairs({"documents": corpus["documents"], "inputs skipped": corpus["skipped"],
                                      "sha256 of the texts": corpus["checksum_sha256"]})]
    out += ["<h3>Parameters and seeds</h3>", _pairs(config)]
    out += ["<h3>Topic model</h3>", _pairs({k: v for k, v in topics.items() if k != "params"} | {
        f"param {k}": v for k, v in (topics.get("params") or {}).items()})]
    models = methods.get("models") or {}
    if models:
        rows = [{"model": name, "codebook": (m.get("codebook") or {}).get("version"), "labels": m.get("labels"),
                 "training segments": m.get("n_train"), "scope F1, documents held out": m.get("scope_f1"),
                 "in-scope macro-F1, documents held out": m.get("in_scope_macro_f1"),
                 "blind-set accuracy": m.get("blind_accuracy"), "coders' agreement, blind set":
                     m.get("blind_coder_agreement"),
                 "macro-F1, documents held out": m.get("grouped_macro_f1"),
                 "macro-F1, segments (mean of splits)": (m.get("repeated_macro_f1") or {}).get("mean"),
                 "majority baseline": ((m.get("baselines") or {}).get("majority") or {}).get("macro_f1"),
                 "rule tagger": ((m.get("baselines") or {}).get("rule tagger") or {}).get("macro_f1"),
                 "training data sha256": m.get("data_checksum"), "seed": m.get("seed")} for name, m in models.items()]
        out += ["<h3>Classifiers</h3>", table(pd.DataFrame(rows), len(rows))]
    versions = {"policytext": methods["policytext"], "python": methods["python"],
                "lexicon": methods["lexicon_version"], **{f"codebook {k}": v for k, v in methods["codebooks"].items()},
                **methods["packages"]}
    out += ["<h3>Versions</h3>", _pairs(versions), "<h3>Seconds per stage</h3>", _pairs(methods["seconds"])]
    return "".join(out)


def render_report(tables: dict[str, pd.DataFrame], figures: dict[str, Path], methods: dict[str, Any]) -> str:
    """The whole report page from the report's tables, figure files and methods record.

    Example:
        >>> render_report(tables, figures, methods)[:15]  # doctest: +SKIP
        '<!doctype html>'
    """
    topics = methods["topics"]
    corpus = methods["corpus"]
    window = methods.get("window")
    sections = [
        ("Corpus", f"<p>{corpus['documents']} documents, {corpus['skipped']} inputs skipped.</p>"
         + table(tables["summary"], 60) + "<h3>Skipped inputs</h3>"
         + table(tables["skipped"], empty="No input was skipped: every file was read.")),
    ]
    terms = "<p>Occurrences per 10,000 characters, counted by substring.</p>"
    if window:
        terms += (f"<p class=note>The corpus spans {window['span'][0]}–{window['span'][1]}; the figure shows "
                  f"{window['focus'][0]}–{window['focus'][1]}, and the long view follows it.</p>")
    terms += img(figures["term_rates"])
    if "term_rates_long" in figures:
        terms += "<h3>The long view</h3>" + img(figures["term_rates_long"])
    if "term_rates_heatmap" in figures:
        terms += ("<h3>All terms, every year</h3><p>One row per term, in order of first appearance; darker is more "
                  "frequent (log scale), white is a year without the term, grey a year without documents.</p>"
                  + img(figures["term_rates_heatmap"]))
    terms += "<h3>First appearance</h3>" + table(tables["term_first_appearance"],
                                                  empty="None of the terms occurs in the corpus.")
    sections.append(("Term trends", terms))
    sections += [
        ("Choosing the number of topics", f"<p>Recommended K = {topics['k']}: {html.escape(topics['reason'])}</p>"
         + img(figures["select_k"]) + table(tables["select_k"].drop(columns="reason"))),
        ("Topics", (f"<p>The topic model describes {html.escape(str(topics['focus']))}. Run the report with "
                    "focus=\"all\" (CLI <code>--focus all</code>) for topics of every paragraph.</p>"
                    if "focus" in topics else "")
         + table(tables["topic_terms"].pivot_table(index="topic", columns="rank", values="term",
                                                   aggfunc="first").reset_index(), 40)),
        ("Topic shares over time", "<p>Mean share per segment with 95% bootstrap intervals; vertical lines mark "
                                   "the policy milestones.</p>" + img(figures["topic_shares"])),
    ]
    for name in methods["config"]["models"]:
        key = name.replace("-", "_")
        evidence = classifier_evidence(name, methods["models"].get(name, {}))
        flags = tables[f"{key}_segments"]
        labels = [c for c in flags.columns if c not in ("doc_id", "segment_id", "level", "0")
                  and c != methods["config"]["by"]]
        coded = int((flags[labels].sum(axis=1) > 0).sum()) if labels else 0
        if coded < MIN_CODED:
            # Shares of a handful of segments would draw noise as if it were a trend.
            body = (f"<p class=note>The model put {coded} of {len(flags)} segments in scope (about a "
                    "digital-government arrangement as their main subject), too few to draw shares by "
                    f"{html.escape(methods['config']['by'])}. Under codebook v0.2 a paragraph that mentions digital "
                    "government among other tasks, as most work-report paragraphs do, is out of scope; run the "
                    "report on a corpus of digital-government documents, or tag sentences "
                    "(<code>policytext tag ... --unit sentence</code>).</p>")
        else:
            body = ("<p class=note>Share of segments predicted with each label, 95% bootstrap intervals.</p>"
                    + img(figures[key]) + "<h3>National and local</h3>" + table(tables[f"{key}_shares_by_level"], 40))
        sections.append((f"{name} shares", evidence + body))
    if "citations" in tables:
        found = len(tables["citations"])
        resolved = int(tables["citations"]["target_doc_id"].notna().sum()) if found else 0
        sections.append(("Citations", f"<p>{found} citations found, {resolved} of them to a document of this "
                         "corpus.</p><h3>Most cited</h3>"
                         + table(tables["most_cited"], 20, empty="No document of the corpus is cited by another.")
                         + "<h3>Adoption lags</h3>"
                         + table(_columns(tables["adoption_lag"], LAG_COLUMNS), 20,
                                 empty="No local document cites a national one in this corpus, so there is no "
                                 "adoption lag to measure.")))
    sections.append(("Methods appendix", methods_appendix(methods)))
    body = "".join(f"<section><h2>{html.escape(t)}</h2>{c}</section>" for t, c in sections)
    return (f"<!doctype html><html lang=zh><head><meta charset=utf-8><title>policytext report</title>"
            f"<style>{STYLE}</style></head><body><h1>policytext report</h1>{body}</body></html>")
