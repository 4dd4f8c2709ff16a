"""The policy citation network: a graph of who cites whom, its most cited documents and adoption lags.

Built on :func:`policytext.documents.citations.extract_citations`; every function accepts a Corpus, a document table or
a citation table (with ``corpus=`` for node attributes where the function takes one).

Decisions worth knowing:
- Adoption lag is counted in days when both documents carry a full date, else in whole years; laws in the
  shared corpus are dated by the version read (the first adoption is in their header), so a lag measures time
  to the version cited against, not to first adoption.
- A local document's province is its region when provincial, or the province its city region starts with
  (浙江杭州 → 浙江).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from policytext.documents.citations import PROVINCE_NAMES, DocumentSource, document_table, extract_citations
from policytext.documents.numbers import parse_doc_number

__all__ = ["adoption_lag", "citation_graph", "most_cited", "plot_citation_graph"]

_NODE_ATTRIBUTES = ("title", "year", "level", "region", "issuer", "doc_number", "doc_type")


def _plain(value: Any) -> Any:
    """A GraphML-safe scalar (no NA, no numpy types), or None when missing."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _citations_of(value: Any) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(citations, document table or None) from a Corpus, a document table or a citation table."""
    if isinstance(value, pd.DataFrame) and "citing_doc_id" in value.columns:
        return value, None
    frame = document_table(value)
    return extract_citations(frame), frame


def citation_graph(corpus_or_citations: DocumentSource | pd.DataFrame, corpus: DocumentSource | pd.DataFrame | None = None) -> Any:
    """A ``networkx.DiGraph``: citing document → cited document, one edge per pair.

    Nodes are the corpus' documents (attributes title, year, level, region, issuer, doc_number, doc_type) plus
    cited documents outside it (id ``ext:<title or number>``, ``external=True``); edges carry ``count``,
    ``roles`` (comma-separated) and the ``sentence`` of the first citation. Pass a citation table from
    :func:`extract_citations` with ``corpus=`` to reuse it; without a corpus only cited and citing documents appear.

    Example:
        >>> import pandas as pd
        >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "title": ["网络安全法", "某省条例"],
        ...                      "text": ["网络安全法。", "根据《网络安全法》《数据安全法》，制定本条例。"]})
        >>> sorted(citation_graph(docs).edges())
        [('b', 'a'), ('b', 'ext:数据安全法')]
    """
    import networkx as nx

    citations, frame = _citations_of(corpus_or_citations)
    if frame is None and corpus is not None:
        frame = document_table(corpus)
    graph = nx.DiGraph()
    if frame is not None:
        for _, doc in frame.iterrows():
            attributes = {k: _plain(doc[k]) for k in _NODE_ATTRIBUTES}
            graph.add_node(doc["doc_id"], external=False, **{k: v for k, v in attributes.items() if v is not None})
    # The same outside document cited by title in one place and by bare number in another becomes one node.
    titled = citations.dropna(subset=["cited_title", "cited_number"])
    title_of_number = dict(zip(titled["cited_number"], titled["cited_title"]))
    for row in citations.sort_values(["citing_doc_id", "start"]).itertuples(index=False):
        if row.citing_doc_id not in graph:
            graph.add_node(row.citing_doc_id, external=False)
        target = _plain(row.target_doc_id)
        if target is None:
            label = _plain(row.cited_title) or title_of_number.get(row.cited_number) or row.cited_number
            target = f"ext:{label}"
            if target not in graph:
                graph.add_node(target, external=True, title=label)
            if _plain(row.cited_number) and "doc_number" not in graph.nodes[target]:
                graph.nodes[target]["doc_number"] = row.cited_number
        elif target not in graph:
            graph.add_node(target, external=False)
        if graph.has_edge(row.citing_doc_id, target):
            edge = graph.edges[row.citing_doc_id, target]
            edge["count"] += 1
            edge["roles"] = ",".join(sorted(set(edge["roles"].split(",")) | {row.role}))
        else:
            graph.add_edge(row.citing_doc_id, target, count=1, roles=row.role, sentence=row.sentence)
    return graph


def most_cited(graph_or_citations: Any, n: int = 20) -> pd.DataFrame:
    """The ``n`` documents cited by the most distinct documents: node, title, doc_number, external,
    in_degree (distinct citing documents) and citations (all mentions).

    Example:
        >>> import pandas as pd
        >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["依据《网络安全法》。", "根据《网络安全法》。"]})
        >>> most_cited(docs)[["node", "in_degree"]].values.tolist()
        [['ext:网络安全法', 2]]
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a positive int, not {n!r}")
    graph = graph_or_citations if hasattr(graph_or_citations, "in_degree") else citation_graph(graph_or_citations)
    rows = [{"node": node, "title": data.get("title"), "doc_number": data.get("doc_number"),
             "external": bool(data.get("external", False)), "in_degree": graph.in_degree(node),
             "citations": sum(d["count"] for _, _, d in graph.in_edges(node, data=True))}
            for node, data in graph.nodes(data=True) if graph.in_degree(node) > 0]
    table = pd.DataFrame(rows, columns=["node", "title", "doc_number", "external", "in_degree", "citations"])
    table = table.sort_values(["in_degree", "citations", "node"], ascending=[False, False, True])
    return table.head(n).reset_index(drop=True)


_LOCAL_LEVELS = ("provincial", "municipal", "county")
_LAG_COLUMNS = ("cited_node", "cited_title", "cited_number", "cited_date", "cited_year", "citing_doc_id",
                "citing_title", "citing_date", "citing_year", "citing_level", "citing_region", "province", "mentions",
                "roles", "lag_days", "lag_years", "lag_unit")
_SUMMARY_COLUMNS = ("province", "citing_docs", "cited_docs", "pairs", "median_lag_days", "median_lag_years",
                    "min_lag_years", "first_citing_year")


def _province(level: Any, region: Any) -> str | None:
    if not isinstance(region, str) or not region:
        return None
    if level == "provincial":
        return region
    return next((p for p in PROVINCE_NAMES if region.startswith(p)), None)


def _date(value: Any) -> pd.Timestamp | None:
    if isinstance(value, str) and len(value) == 10:
        stamp = pd.to_datetime(value, errors="coerce")
        return None if pd.isna(stamp) else stamp
    return None


def adoption_lag(corpus: DocumentSource | pd.DataFrame, citations: pd.DataFrame | None = None, *,
                 by_province: bool = False) -> pd.DataFrame:
    """How long local documents took to cite national ones: one row per (national document, local document).

    National documents are those of the corpus with ``level == "national"`` and outside ones whose number
    names a national issuer (国发〔2015〕50号: year from the number). ``lag_days`` is set when both dates are
    known, ``lag_years`` always (days / 365.25, else the difference of years); ``lag_unit`` says which.
    ``by_province=True`` returns the per-province summary instead (citing and cited documents, pairs, median
    and smallest lag, first citing year).

    Example:
        >>> import pandas as pd
        >>> docs = pd.DataFrame({"doc_id": ["n", "z"], "title": ["网络安全法", "浙江省条例"],
        ...     "level": ["national", "provincial"], "region": [None, "浙江"], "date": ["2016-11-07", "2017-11-07"],
        ...     "text": ["网络安全法。", "根据《中华人民共和国网络安全法》，制定本条例。"]})
        >>> adoption_lag(docs)[["cited_node", "citing_doc_id", "province", "lag_days", "lag_unit"]].values.tolist()
        [['n', 'z', '浙江', 365, 'days']]
    """
    frame = document_table(corpus)
    if citations is None:
        citations = extract_citations(frame)
    elif not isinstance(citations, pd.DataFrame) or "citing_doc_id" not in citations.columns:
        raise TypeError("citations must be the table extract_citations() returns (a DataFrame with citing_doc_id), "
                        f"not {type(citations).__name__}; pass citations=None to extract them here")
    docs = frame.set_index("doc_id")
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for row in citations.sort_values(["citing_doc_id", "start"]).itertuples(index=False):
        if row.citing_doc_id not in docs.index:
            continue
        citing = docs.loc[row.citing_doc_id]
        if citing["level"] not in _LOCAL_LEVELS:
            continue
        target = _plain(row.target_doc_id)
        if target is not None and target in docs.index:
            cited = docs.loc[target]
            if cited["level"] != "national":
                continue
            node, title, number = target, _plain(cited["title"]), _plain(cited["doc_number"])
            cited_date, cited_year = _plain(cited["date"]), _plain(cited["year"])
        else:
            parsed = parse_doc_number(row.cited_number) if _plain(row.cited_number) else None
            if parsed is None or parsed.level != "national" or parsed.year is None:
                continue
            node, title, number = f"ext:{_plain(row.cited_title) or parsed.normalized}", _plain(row.cited_title), parsed.normalized
            cited_date, cited_year = None, parsed.year
        key = (node, row.citing_doc_id)
        if key in pairs:
            pairs[key]["mentions"] += 1
            pairs[key]["roles"] = ",".join(sorted(set(pairs[key]["roles"].split(",")) | {row.role}))
            continue
        start, end = _date(cited_date), _date(_plain(citing["date"]))
        citing_year = _plain(citing["year"])
        days = int((end - start).days) if start is not None and end is not None else None
        years = round(days / 365.25, 2) if days is not None else (
            float(citing_year - cited_year) if citing_year is not None and cited_year is not None else None)
        pairs[key] = {"cited_node": node, "cited_title": title, "cited_number": number, "cited_date": cited_date,
                      "cited_year": cited_year, "citing_doc_id": row.citing_doc_id,
                      "citing_title": _plain(citing["title"]), "citing_date": _plain(citing["date"]),
                      "citing_year": citing_year, "citing_level": citing["level"],
                      "citing_region": _plain(citing["region"]),
                      "province": _province(citing["level"], _plain(citing["region"])), "mentions": 1,
                      "roles": row.role, "lag_days": days, "lag_years": years,
                      "lag_unit": "days" if days is not None else ("years" if years is not None else None)}
    lags = pd.DataFrame(list(pairs.values()), columns=list(_LAG_COLUMNS))
    for column in ("cited_year", "citing_year", "lag_days"):
        lags[column] = pd.array(lags[column].tolist(), dtype="Int64")
    lags["lag_years"] = lags["lag_years"].astype("float64")
    if not by_province:
        return lags.sort_values(["cited_node", "lag_years", "citing_doc_id"]).reset_index(drop=True)
    summary = lags.dropna(subset=["province"]).groupby("province").agg(
        citing_docs=("citing_doc_id", "nunique"), cited_docs=("cited_node", "nunique"), pairs=("cited_node", "size"),
        median_lag_days=("lag_days", "median"), median_lag_years=("lag_years", "median"),
        min_lag_years=("lag_years", "min"), first_citing_year=("citing_year", "min"))
    return summary.reset_index()[list(_SUMMARY_COLUMNS)]


_LAYOUTS = ("spring", "kamada_kawai", "circular", "shell")
_LEVEL_COLOURS = {"national": "tab:red", "provincial": "tab:blue", "municipal": "tab:green", "county": "tab:olive"}


def plot_citation_graph(graph: Any, ax: Any = None, *, layout: str = "spring", seed: int = 0,
                        labels: bool = True, label_chars: int = 12) -> Any:
    """Draw a citation graph with matplotlib: colour by level (outside documents grey), size by in-degree.

    Needs the optional extra ``policytext[plot]``. Labels are titles cut to ``label_chars`` characters; Chinese
    labels need a CJK font, which this function leaves to the caller. Returns the matplotlib Axes.

    Example:
        >>> ax = plot_citation_graph(citation_graph(corpus))  # doctest: +SKIP
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("plot_citation_graph needs matplotlib: pip install 'policytext[plot]'") from None
    import networkx as nx

    if not isinstance(graph, nx.DiGraph):
        raise TypeError(f"graph must be the networkx.DiGraph citation_graph() returns, not {type(graph).__name__}")
    if layout not in _LAYOUTS:
        raise ValueError(f"layout must be one of {_LAYOUTS}, not {layout!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 8))
    if layout == "spring":
        pos = nx.spring_layout(graph, seed=seed)
    else:
        pos = getattr(nx, f"{layout}_layout")(graph)
    nodes = list(graph.nodes)
    colours = ["lightgrey" if graph.nodes[n].get("external") else _LEVEL_COLOURS.get(graph.nodes[n].get("level"), "tab:gray")
               for n in nodes]
    sizes = [80 + 120 * graph.in_degree(n) for n in nodes]
    nx.draw_networkx_nodes(graph, pos, nodelist=nodes, node_color=colours, node_size=sizes, ax=ax)
    nx.draw_networkx_edges(graph, pos, ax=ax, arrows=True, alpha=0.5,
                           width=[0.5 + 0.5 * d.get("count", 1) for _, _, d in graph.edges(data=True)])
    if labels:
        names = {n: str(graph.nodes[n].get("title") or n)[:label_chars] for n in nodes
                 if graph.in_degree(n) > 0 or graph.number_of_nodes() <= 30}
        nx.draw_networkx_labels(graph, pos, labels=names, font_size=8, ax=ax)
    ax.set_axis_off()
    return ax
