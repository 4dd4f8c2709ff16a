"""One command from a folder of policy documents to a report a paper can cite.

:func:`build_report` runs the stages — corpus, term trends, topic model with K chosen by :func:`select_k`, topic
shares over time with the policy milestones, governance-mode / innovation-stage / policy-tool shares from the
shipped classifiers, citations — and writes into ``out``:

- ``report.html``: one self-contained page (figures embedded, opens offline);
- ``tables/*.csv`` and ``tables/*.parquet``: every table behind the page;
- ``figures/*.png``;
- ``methods.json``: versions, lexicon and codebook versions, parameters, seeds and the corpus checksum.

Tokens, the K grid, fitted topic models and predictions are cached in the data home (:mod:`policytext.scale.cache`),
keyed by the texts' checksum and the full configuration, so a changed setting recomputes only what depends on it.
The finished tables, figures and methods are cached too, keyed by the corpus (texts and metadata), the
configuration, policytext's own files and the versions of the libraries used: an unchanged re-run reads them back
and writes the outputs without importing the modelling libraries.

The topic model of the report is the fit of the recommended K that :func:`select_k` made with the first of
``ReportConfig.seeds`` (it is not fitted again); ``methods.json`` records that seed under ``topics``.
"""

from __future__ import annotations

import json
import platform
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from policytext.checks import check_topic_numbers
from policytext.corpus.corpus import Corpus
from policytext.persist import replace_folder, staging_folder

DEFAULT_TERMS = (
    "大数据", "云计算", "互联网+", "政务服务", "互联网+政务服务", "放管服", "最多跑一次", "一网通办", "跨省通办",
    "数字经济", "数字中国", "数字政府", "数据要素", "数据共享", "政务数据", "人工智能", "区块链",
)
SHIPPED_MODELS = ("governance-mode", "innovation-stage", "policy-tools")


@dataclass
class ReportConfig:
    """Everything a report depends on; it is written to ``methods.json`` and keys the cache.

    ``seeds`` seed the K grid (two or more measure stability); the topic model is the grid's fit of the
    recommended K with ``seeds[0]``. ``seed`` seeds the bootstrap intervals.
    """

    terms: Sequence[str] = DEFAULT_TERMS
    by: str = "year"
    unit: str = "paragraph"
    min_chars: int = 30
    ks: Sequence[int] = (6, 8, 10, 12, 14, 16)
    seeds: Sequence[int] = (1, 2)
    topic_backend: str = "auto"
    topic_params: dict[str, Any] = field(default_factory=lambda: {"min_df": 3, "max_df": 0.5, "passes": 5})
    policy_stopwords: bool = True
    models: Sequence[str] = SHIPPED_MODELS
    n_boot: int = 500
    seed: int = 0
    citations: bool = True
    # Figures over years show this window when the corpus spans more (the long view is drawn beside them).
    window: tuple[int, int] | None = (2014, 2022)
    # "digital": topics of the segments that name a digital-government term of the lexicon (digital_terms());
    # "all": every segment.
    focus: str = "digital"


class _Stages:
    """Runs named stages with timing and a progress line each."""

    def __init__(self, progress: bool) -> None:
        self.progress, self.seconds = progress, {}

    def run(self, name: str, fn: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        if self.progress:
            print(f"[policytext report] {name} ...", file=sys.stderr, flush=True)
        result = fn()
        self.seconds[name] = round(time.perf_counter() - start, 2)
        if self.progress:
            print(f"[policytext report] {name} done in {self.seconds[name]:.1f} s", file=sys.stderr, flush=True)
        return result


def build_report(
    source: str | Path | Corpus,
    out: str | Path,
    *,
    config: ReportConfig | None = None,
    cache: Any = True,
    progress: bool = True,
) -> dict[str, Any]:
    """Run every stage on ``source`` (folder, table, registered corpus name or Corpus) and write the report.

    Returns a dict with the output paths, the tables and the seconds per stage. ``progress`` prints a line per
    stage on stderr (and bars over the topic fits when stderr is a terminal); ``False`` keeps it silent.

    Example:
        >>> build_report("gwr-2014-2022", "out/gwr")  # doctest: +SKIP
    """
    config = config or ReportConfig()
    final = check_report_folder(out)
    # Everything is built in a folder beside ``out`` and swapped in at the end: a run killed at any point
    # leaves the previous complete report (or nothing), never a mix of old and new files.
    out = staging_folder(final)
    try:
        result = _build(source, out, config, cache, progress)
        replace_folder(out, final)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return {**result, "out": final, "html": final / "report.html"}


def check_report_folder(out: str | Path) -> Path:
    """``out`` as a Path, if a report may be written there: a new or empty folder, or an earlier report.

    Raises ``NotADirectoryError`` for a file and ``FileExistsError`` for a folder holding other things, which
    replacing it would delete.

    Example:
        >>> check_report_folder("out/new-report").name
        'new-report'
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"--out {out} is a file; give a folder for report.html, tables/ and figures/")
    if out.is_dir() and any(out.iterdir()) and not ((out / "methods.json").is_file() or (out / "report.html").is_file()):
        raise FileExistsError(f"--out {out} is a folder that holds other files and no earlier report; the report "
                              "replaces its folder as a whole, so give a new or empty folder")
    return out


def _build(source: Any, out: Path, config: ReportConfig, cache: Any, progress: bool) -> dict[str, Any]:
    """Every stage of :func:`build_report`, written into ``out`` (the staging folder)."""
    from policytext.report.stored import read_report, report_key, store_report
    from policytext.scale.cache import resolve_cache

    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    stages = _Stages(progress)
    tables: dict[str, pd.DataFrame] = {}
    figures: dict[str, Path] = {}

    corpus = stages.run("corpus", lambda: _load(source))
    if len(corpus) == 0:
        raise ValueError(f"no documents could be read from {source!r}; skipped inputs: {corpus.skipped[:5]}")
    documents_table = corpus.metadata
    if config.by not in documents_table.columns or documents_table[config.by].isna().all():
        raise ValueError(f"the corpus has no values in column {config.by!r}; choose another by= "
                         f"(columns: {list(documents_table.columns)})")
    store = resolve_cache(cache)
    key = report_key(corpus, asdict(config), config.models) if store is not None else None
    stored = stages.run("cached report", lambda: read_report(store, key, out / "figures")) if store else None
    if stored is not None:
        tables, figures, methods = stored
        methods = {**methods, "seconds": stages.seconds}
        stages.run("write", lambda: _write(out, tables, figures, methods, corpus))
        return {"out": out, "html": out / "report.html", "tables": tables, "seconds": stages.seconds,
                "methods": methods}

    # Imported only when the report is computed: an unchanged re-run needs none of them.
    from policytext.persist import data_checksum
    from policytext.scale.cache import cache_key, cached_tokens, tokenizer_fingerprint
    from policytext.text.counts import term_trends
    from policytext.text.tokenize import Tokenizer

    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError("the report draws figures with matplotlib: pip install 'policytext[plot]'") from None
    tables["documents"] = documents_table
    tables["skipped"] = pd.DataFrame(corpus.skipped, columns=["input", "reason"])
    tables["summary"] = corpus.summary([config.by, "level", "doc_type"])

    segments = corpus.segments(config.unit, min_chars=config.min_chars)
    tokenizer = Tokenizer(policy_stopwords=config.policy_stopwords, min_length=2)
    tokens = stages.run("tokenize", lambda: cached_tokens(segments, tokenizer, cache=cache))
    segments = segments.assign(tokens=tokens["tokens"].values)

    def terms() -> None:
        # One pass of counting; rates and first appearances follow from the counts.
        terms_ = list(dict.fromkeys(config.terms))
        counts = term_trends(corpus, terms_, by=config.by, totals=True)
        rates = counts[terms_].div(counts["characters"].where(counts["characters"] > 0), axis=0) * 10_000
        # A nullable integer column for years, so the table is the same after a round trip through the cache.
        first = pd.Series({t: counts.index[counts[t] > 0].min() if (counts[t] > 0).any() else pd.NA
                           for t in terms_}, name=f"first_{config.by}",
                          dtype="Int64" if pd.api.types.is_integer_dtype(counts.index) else None)
        tables["term_counts"] = counts.reset_index()
        tables["term_rates"] = rates.reset_index()
        tables["term_first_appearance"] = first.rename_axis("term").reset_index()
        figures["term_rates"] = _plot_terms(tables["term_rates"], config.by, out / "figures" / "term_rates.png",
                                            window)
        if window is not None:
            figures["term_rates_long"] = _plot_terms(tables["term_rates"], config.by,
                                                     out / "figures" / "term_rates_long.png", None)
        if len(terms_) > 6:  # many terms read best as one heat map of terms × every year, beside the panels
            figures["term_rates_heatmap"] = _plot_terms(tables["term_rates"], config.by,
                                                        out / "figures" / "term_rates_heatmap.png", None, True)

    window = _focus(corpus, config)
    stages.run("terms", terms)
    token_key = cache_key("tokens", corpus.checksum(), config.unit, config.min_chars, tokenizer_fingerprint(tokenizer))
    topic_segments, focus = _focus_segments(corpus, segments, config)
    if topic_segments is not segments:  # sentences: tokenized (and cached) on their own
        topic_tokens = cached_tokens(topic_segments, tokenizer, cache=cache)
        topic_segments = topic_segments.assign(tokens=topic_tokens["tokens"].values)
    # K is checked against what the topic model will see before any model is fitted.
    check_topic_numbers(config.ks, len(topic_segments), len({t for doc in topic_segments["tokens"] for t in doc}))
    topic_key = cache_key("topic input", token_key, focus, data_checksum(topic_segments["text"].tolist()))
    topic_info = stages.run("topics", lambda: _topics(topic_segments, config, topic_key, cache, tables, figures,
                                                      out, None if progress else False))
    topic_info = {**topic_info, "focus": focus, "segments": len(topic_segments), "of_segments": len(segments)}
    documents = dict(zip(documents_table["doc_id"], corpus.texts))
    stages.run("classifiers", lambda: _classify(segments, documents, config, tables, figures, out, cache, window))
    if config.citations:
        stages.run("citations", lambda: _citations(corpus, tables, cache))
    methods = _methods(corpus, config, topic_info, stages.seconds)
    if window is not None:
        years = pd.to_numeric(corpus.metadata[config.by], errors="coerce").dropna()
        methods["window"] = {"focus": list(window), "span": [int(years.min()), int(years.max())]}
    stages.run("write", lambda: _write(out, tables, figures, methods, corpus))
    if store is not None:
        store_report(store, key, tables, figures, methods)
    return {"out": out, "html": out / "report.html", "tables": tables, "seconds": stages.seconds,
            "methods": methods}


def _load(source: Any) -> Corpus:
    from policytext.corpus.corpus import load_corpus, read_corpus
    from policytext.corpus.datahome import registered_corpora

    if isinstance(source, Corpus):
        return source
    if isinstance(source, str) and not Path(source).exists() and source in registered_corpora():
        return load_corpus(source)
    return read_corpus(source)


def _topics(segments: pd.DataFrame, config: ReportConfig, token_key: str, cache: Any,
            tables: dict, figures: dict, out: Path, progress: bool | None) -> dict[str, Any]:
    from policytext.scale.cache import cache_key, cached_model, resolve_cache
    from policytext.report.plots import plot_select_k, plot_topic_shares
    from policytext.topics.select import resolve_backend, select_k
    from policytext.topics.dynamic import topic_shares
    from policytext.topics.model import TopicModel

    backend = resolve_backend(config.topic_backend)
    docs = [t for t in segments["tokens"]]
    params = {**config.topic_params, "backend": backend}
    grid_key = cache_key("select_k", token_key, list(config.ks), list(config.seeds), params)
    store = resolve_cache(cache)
    grid = store.get_table(grid_key) if store is not None else None
    fitted: dict[tuple[int, int], TopicModel] = {}
    if grid is None:
        grid, fitted = select_k(docs, ks=list(config.ks), seeds=list(config.seeds), return_models=True,
                                 progress=progress, **params)
        attrs = dict(grid.attrs)
        if store is not None:
            store.put_table(grid_key, grid.assign(reason=attrs["reason"]), meta={"what": "select_k"})
        grid = grid.assign(reason=attrs["reason"])
    k = int(grid.loc[grid["recommended"], "k"].iloc[0])
    reason = str(grid["reason"].iloc[0])
    tables["select_k"] = grid
    figures["select_k"] = _save_figure(plot_select_k(grid.drop(columns="reason")), out / "figures" / "select_k.png")
    # The grid's fit of K with the first seed is the report's model: the same as fitting it again with that seed.
    seed = int(list(config.seeds)[0])
    model_key = cache_key("topic_model", token_key, k, seed, params)
    model = cached_model(
        model_key,
        lambda: (fitted[k, seed] if (k, seed) in fitted
                 else TopicModel(k=k, seed=seed, **params).fit(docs, progress=progress)),
        save=lambda m, folder: m.save(folder / "model"),
        load=lambda folder: TopicModel.load(folder / "model"),
        cache=cache,
    )
    tables["topic_terms"] = model.top_terms(n=15)
    tables["topic_terms_relevance"] = model.top_terms(n=15, relevance=0.6)
    columns = [f"topic_{t}" for t in range(model.k)]
    theta_key = cache_key("topic_shares_of_segments", model_key)
    theta = store.get_table(theta_key) if store is not None else None
    if theta is None or len(theta) != len(docs):
        theta = pd.DataFrame(_as_array(model.transform(docs)), columns=columns)
        if store is not None:
            store.put_table(theta_key, theta, meta={"what": "segment topic shares"})
    topic_table = segments.drop(columns=["tokens", "text"]).reset_index(drop=True)
    topic_table[columns] = theta[columns].to_numpy()
    tables["segment_topics"] = topic_table
    shares = topic_shares(model, topic_table, by=config.by, n_boot=config.n_boot, seed=config.seed)
    tables["topic_shares"] = shares
    figures["topic_shares"] = _save_figure(plot_topic_shares(shares), out / "figures" / "topic_shares.png")
    return {"k": k, "reason": reason, "backend": backend, "params": params, "seed": seed}


def _as_array(theta: Any) -> Any:
    return theta.to_numpy() if isinstance(theta, pd.DataFrame) else theta


def _predicted_flags(name: str, inputs: pd.DataFrame, cache: Any) -> pd.DataFrame:
    """One 0/1 column per label of a shipped model; cached by the segments (texts and documents) and the model's
    training checksum. ``inputs`` has the segment ``text`` and the document context a context model reads."""
    from policytext.scale.cache import cache_key, resolve_cache
    from policytext.classify.models import load_model
    from policytext.persist import data_checksum
    from policytext.resources import resource_dir

    manifest = json.loads((resource_dir("models") / name / "manifest.json").read_text(encoding="utf-8"))
    texts = inputs["text"].tolist()
    # A model with document context predicts differently when a segment's document changes: key on both.
    key = cache_key("predictions", name, manifest.get("data_checksum"), manifest.get("files"), data_checksum(texts),
                    data_checksum([str(d) for d in inputs["doc_id"]]),
                    data_checksum(list(dict.fromkeys(map(str, inputs["doc_text"])))))
    store = resolve_cache(cache)
    hit = store.get_table(key) if store is not None else None
    if hit is not None and len(hit) == len(texts):
        return hit
    model = load_model(name)
    labels = [str(label) for label in model.labels_]
    flags = pd.DataFrame(0.0, index=range(len(texts)), columns=labels)
    for i, value in enumerate(model.predict(inputs if getattr(model, "context_", None) is not None else texts)):
        for label in (value if isinstance(value, (list, tuple)) else [value]):
            if str(label) in flags.columns:
                flags.iat[i, flags.columns.get_loc(str(label))] = 1.0
    if store is not None:
        store.put_table(key, flags, meta={"what": "predictions", "model": name})
    return flags


def _classify(segments: pd.DataFrame, documents: dict[str, str], config: ReportConfig, tables: dict, figures: dict,
              out: Path, cache: Any, window: tuple[int, int] | None = None) -> None:
    from policytext.stats import bootstrap_means

    # The map shares each document's string among its segments, so the column costs pointers, not copies.
    columns = [c for c in ("text", "doc_id", "doc_type", "level", "title") if c in segments.columns]
    inputs = segments[columns].reset_index(drop=True).assign(doc_text=segments["doc_id"].map(documents).values)
    for column in ("doc_type", "level", "title"):
        if column not in inputs.columns:
            inputs[column] = ""
    for name in config.models:
        flags = _predicted_flags(name, inputs, cache)
        labels = list(flags.columns)
        frame = pd.concat([segments[["doc_id", "segment_id", config.by, "level"]].reset_index(drop=True),
                           flags.reset_index(drop=True)], axis=1)
        key = name.replace("-", "_")
        tables[f"{key}_segments"] = frame
        shares = bootstrap_means(frame, labels, config.by, n_boot=config.n_boot, seed=config.seed)
        tables[f"{key}_shares_by_{config.by}"] = shares
        frame = frame.assign(level_group=frame["level"].map(
            lambda v: "unknown" if pd.isna(v) else ("national" if v == "national" else "local")))
        tables[f"{key}_shares_by_level"] = bootstrap_means(frame, labels, "level_group", n_boot=config.n_boot,
                                                          seed=config.seed)
        figures[key] = _plot_label_shares(shares, config.by, name, out / "figures" / f"{key}.png", window)


def _citations(corpus: Corpus, tables: dict, cache: Any) -> None:
    from policytext.scale.cache import cache_key, resolve_cache
    from policytext.documents.network import adoption_lag, citation_graph, most_cited
    from policytext.documents.citations import extract_citations

    store = resolve_cache(cache)
    key = cache_key("citations", corpus.checksum(), corpus.metadata.astype(str).to_csv(index=False))
    citations = store.get_table(key) if store is not None else None
    if citations is None:
        citations = extract_citations(corpus)
        if store is not None:
            store.put_table(key, citations, meta={"what": "citations"})
    tables["citations"] = citations.drop(columns=["sentence"], errors="ignore")
    graph = citation_graph(citations, corpus=corpus)
    tables["most_cited"] = most_cited(graph)
    tables["adoption_lag"] = adoption_lag(corpus, citations)


def _methods(corpus: Corpus, config: ReportConfig, topic_info: dict, seconds: dict) -> dict[str, Any]:
    import importlib.metadata as md

    import policytext
    from policytext.classify.codebook import load_codebook
    from policytext.text.lexicon import LEXICON_VERSION
    from policytext.resources import resource_dir

    def version(package: str) -> str | None:
        try:
            return md.version(package)
        except md.PackageNotFoundError:
            return None

    models = {}
    for name in config.models:
        manifest = json.loads((resource_dir("models") / name / "manifest.json").read_text(encoding="utf-8"))
        cv = (manifest.get("metrics") or {}).get("cross_validation", {})
        grouped = manifest.get("grouped_cross_validation") or {}
        blind = (manifest.get("blind_evaluation") or {}).get("plain") or {}
        models[name] = {"data_checksum": manifest.get("data_checksum"), "seed": manifest.get("seed"),
                        "codebook": manifest.get("codebook"), "labels": manifest.get("labels"),
                        "n_train": manifest.get("n_train"), "cv_macro_f1": cv.get("macro_f1"),
                        "grouped_macro_f1": grouped.get("macro_f1"),
                        "scope_f1": grouped.get("scope_f1"), "in_scope_macro_f1": grouped.get("in_scope_macro_f1"),
                        "claimed_labels": grouped.get("claimed_labels"),
                        "blind_accuracy": blind.get("accuracy"), "blind_coder_agreement": blind.get("coder_agreement"),
                        "blind_scope_f1": (blind.get("scope") or {}).get("f1"), "blind_n": blind.get("n"),
                        "repeated_macro_f1": manifest.get("repeated_cross_validation"),
                        "baselines": cv.get("baselines") or {}}
    return {
        "policytext": policytext.__version__,
        "python": platform.python_version(),
        "packages": {p: version(p) for p in ("jieba", "rjieba", "gensim", "tomotopy", "scikit-learn", "pandas",
                                             "numpy", "networkx", "matplotlib")},
        "lexicon_version": LEXICON_VERSION,
        "codebooks": {n: load_codebook(n).version for n in SHIPPED_MODELS},
        "corpus": {"documents": len(corpus), "checksum_sha256": corpus.checksum(), "skipped": len(corpus.skipped)},
        "config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(config).items()},
        "topics": topic_info,
        "models": models,
        "seconds": seconds,
    }


# figures and HTML ------------------------------------------------------------------------------------------
def _save_figure(fig: Any, path: Path) -> Path:
    fig.savefig(path, dpi=120)
    return path


# Below this many digital-government sentences a topic model says little; the report then models all segments.
MIN_FOCUS_SEGMENTS = 100
FOCUS_MIN_CHARS = 15


def _focus_segments(corpus: Corpus, segments: pd.DataFrame, config: ReportConfig) -> tuple[pd.DataFrame, str]:
    """The segments the topic model describes, and a sentence for the methods saying which they are.

    A work-report paragraph covers many subjects, so its digital part is found at the level of sentences: with
    ``focus="digital"`` the topics are those of the sentences that name a digital-government term.
    """
    from policytext.text.lexicon import LEXICON_VERSION, count_lexicon_terms, digital_terms

    if config.focus not in ("digital", "all"):
        raise ValueError(f"focus must be 'digital' or 'all', not {config.focus!r}")
    if config.focus == "all":
        return segments, f"all {config.unit}s"
    sentences = corpus.segments("sentence", min_chars=FOCUS_MIN_CHARS)
    hits = pd.Series(count_lexicon_terms(sentences["text"].tolist(), digital_terms()), index=sentences.index)
    chosen = sentences[hits > 0].reset_index(drop=True)
    if len(chosen) < MIN_FOCUS_SEGMENTS:
        return segments, (f"all {config.unit}s (only {len(chosen)} sentences name a digital-government term, fewer "
                          f"than {MIN_FOCUS_SEGMENTS})")
    return chosen, (f"the {len(chosen)} sentences (of {len(sentences)}) that name at least one digital-government "
                    f"term of the lexicon (version {LEXICON_VERSION}: its platform, data-governance, technology, "
                    "service and slogan terms, and terms of other categories that carry a digital morpheme such as "
                    "网, 数据 or 数字)")


def _focus(corpus: Corpus, config: ReportConfig) -> tuple[int, int] | None:
    """``config.window`` when the corpus's years reach beyond it and at least two years fall inside it."""
    if config.window is None:
        return None
    years = pd.to_numeric(corpus.metadata.get(config.by), errors="coerce").dropna()
    if years.empty:
        return None
    first, last = config.window
    inside = years.between(first, last)
    wider = years.min() < first or years.max() > last
    return (first, last) if wider and years[inside].nunique() >= 2 else None


def _plot_terms(rates: pd.DataFrame, by: str, path: Path, window: tuple[int, int] | None, heat: bool = False) -> Path:
    from policytext.report.plots import plot_term_heatmap, plot_term_trends

    return _save_figure((plot_term_heatmap if heat else plot_term_trends)(rates.set_index(by), window=window), path)


def _plot_label_shares(shares: pd.DataFrame, by: str, title: str, path: Path,
                       window: tuple[int, int] | None) -> Path:
    from policytext.report.plots import plot_label_shares

    return _save_figure(plot_label_shares(shares, by=by, title=title, window=window), path)


def _write(out: Path, tables: dict, figures: dict, methods: dict, corpus: Corpus) -> None:
    for name, table in tables.items():
        flat = table.copy()
        for column in flat.columns:
            if flat[column].map(lambda v: isinstance(v, (list, tuple, dict))).any():
                flat[column] = flat[column].map(lambda v: json.dumps(v, ensure_ascii=False)
                                                if isinstance(v, (list, tuple, dict)) else v)
        flat.to_csv(out / "tables" / f"{name}.csv", index=False, encoding="utf-8")
        flat.to_parquet(out / "tables" / f"{name}.parquet", index=False)
    (out / "methods.json").write_text(json.dumps(methods, ensure_ascii=False, indent=2, default=str), "utf-8")
    from policytext.report.html import render_report

    (out / "report.html").write_text(render_report(tables, figures, methods), encoding="utf-8")
