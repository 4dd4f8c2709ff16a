"""``policytext meta`` and ``policytext cites``: document metadata with its provenance, and the citation network."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policytext.cli.common import (
    add_source_arguments,
    check_output_folder,
    emit,
    out_file,
    out_folder,
    read_source,
    write_folder,
)

if TYPE_CHECKING:
    import pandas as pd

_CORPUS_FIELDS = ("title", "year", "date", "issuer", "doc_number", "level", "region", "doc_type")
_TEXT_FIELDS = ("genre", "addressees", "attachments", "dates.signed", "dates.published", "dates.effective")


def metadata_table(corpus: Any) -> pd.DataFrame:
    """One row per document: each corpus field and ``<field>_origin`` (the provenance record, ``input`` when the
    value was given, empty when missing), plus genre, addressees, attachments and dates read off the text.

    Example:
        >>> from policytext.corpus.corpus import Corpus
        >>> c = Corpus.from_texts(["国务院关于推进政务服务的意见\\n国发〔2016〕55号\\n正文。"], title=["t"])
        >>> metadata_table(c).loc[0, ["title_origin", "genre", "genre_origin"]].tolist()
        ['input', '意见', 'text: rule:genre_from_title']
    """
    import pandas as pd

    from policytext.documents.header import extract_metadata

    frame = corpus.to_frame()
    provenance = corpus.provenance
    origins = {(d, f): o for d, f, o in zip(provenance["doc_id"], provenance["field"], provenance["origin"])}
    rows = []
    for _, doc in frame.iterrows():
        row: dict[str, Any] = {"doc_id": doc["doc_id"]}
        for field in _CORPUS_FIELDS:
            value = doc[field]
            row[field] = None if pd.isna(value) else value
            row[f"{field}_origin"] = origins.get((doc["doc_id"], field), "input" if row[field] is not None else "")
        meta = extract_metadata(doc["text"])
        for field in _TEXT_FIELDS:
            value = meta["dates"][field.split(".")[1]] if field.startswith("dates.") else meta[field]
            name = field.replace("dates.", "date_")
            row[name] = "；".join(value) if isinstance(value, list) else value
            where = meta["provenance"].get(field)
            row[f"{name}_origin"] = f"text: {where}" if where else ""
        rows.append(row)
    return pd.DataFrame(rows)


def cmd_meta(args: argparse.Namespace) -> int:

    table = metadata_table(read_source(args))
    filled = {c: int((table[c].notna() & (table[c] != "")).sum()) for c in table.columns
              if c != "doc_id" and not c.endswith("_origin")}
    print(f"{len(table)} documents; fields filled: " + ", ".join(f"{k} {v}" for k, v in filled.items()))
    emit(table, args.out)
    return 0


def cmd_cites(args: argparse.Namespace) -> int:
    import networkx as nx
    import pandas as pd

    from policytext.documents.network import adoption_lag, citation_graph, most_cited
    from policytext.documents.citations import extract_citations

    check_output_folder(args.out, "graph.graphml")  # a folder of other files is refused before any work
    corpus = read_source(args)
    citations = extract_citations(corpus)
    graph = citation_graph(citations, corpus=corpus)
    nodes = pd.DataFrame([{"node": n, **d} for n, d in graph.nodes(data=True)])
    edges = pd.DataFrame([{"source": s, "target": t, **d} for s, t, d in graph.edges(data=True)],
                         columns=["source", "target", "count", "roles", "sentence"])
    tables = {"citations.csv": citations, "nodes.csv": nodes, "edges.csv": edges,
              "most_cited.csv": most_cited(graph, n=args.top), "adoption_lag.csv": adoption_lag(corpus, citations)}

    def fill(out: Path) -> None:  # written aside and swapped in: an interrupted run leaves the earlier output
        for name, table in tables.items():
            table.to_csv(out / name, index=False, encoding="utf-8")
        nx.write_graphml(graph, out / "graph.graphml")

    write_folder(args.out, "graph.graphml", fill)
    resolved = citations["target_doc_id"].notna().sum()
    methods = citations["match_method"].value_counts().to_dict()
    print(f"{len(corpus)} documents, {len(citations)} citations ({resolved} resolved in the corpus: "
          + ", ".join(f"{k} {v}" for k, v in methods.items()) + f"); graph {graph.number_of_nodes()} nodes, "
          f"{graph.number_of_edges()} edges")
    print("roles: " + ", ".join(f"{k} {v}" for k, v in citations["role"].value_counts().items()))
    top = tables["most_cited.csv"].head(10)
    if len(top):
        print("most cited (distinct citing documents):")
        for row in top.itertuples(index=False):
            print(f"  {row.in_degree:>3}  {row.title or row.node}")
    print(f"wrote {', '.join(tables)} and graph.graphml to {args.out}")
    return 0


def register_cli(subparsers: Any) -> None:
    """Add the ``meta`` and ``cites`` subcommands to the ``policytext`` parser's subparsers."""

    def source_parser(name: str, help_text: str) -> argparse.ArgumentParser:
        p = subparsers.add_parser(name, help=help_text, description=help_text)
        add_source_arguments(p)
        return p

    p = source_parser("meta", "document metadata and where each value came from (side table, file, text rule)")
    p.add_argument("--out", type=out_file, help="write the table to .parquet, .csv, .tsv or .jsonl")
    p.set_defaults(func=cmd_meta)

    p = source_parser("cites", "extract citations; write citations, nodes, edges, most cited, adoption lags, GraphML")
    p.add_argument("--out", required=True, type=out_folder, help="folder to write the tables and graph.graphml into")
    p.add_argument("--top", type=int, default=20, help="rows of most_cited.csv (default 20)")
    p.set_defaults(func=cmd_cites)
