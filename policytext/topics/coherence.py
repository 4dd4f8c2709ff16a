"""Topic coherence: how often a topic's top terms occur together in the texts (c_v, u_mass, ...).

Co-occurrences are counted once over the union of every model's top terms, then each model is scored from
those counts (gensim's ``CoherenceModel.for_topics``), so comparing many candidate models costs about as much as
scoring one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from policytext.topics.inputs import require

MEASURES = ("c_v", "u_mass")


def coherence_scores(models_topics: Sequence[Sequence[Sequence[str]]], texts: Sequence[Sequence[str]],
                     dictionary: Any, measures: Iterable[str] = MEASURES) -> list[dict[str, float]]:
    """Mean coherence of each model's topics (lists of top terms), co-occurrences counted once for all models.

    Example:
        >>> from gensim.corpora import Dictionary
        >>> texts = [["数据", "共享"], ["政务", "服务"], ["数据", "共享", "开放"]]
        >>> coherence_scores([[["数据", "共享"], ["政务", "服务"]]], texts, Dictionary(texts), ["u_mass"])[0].keys()
        dict_keys(['u_mass'])
    """
    cm_module = require("gensim.models.coherencemodel", "coherence")
    results: list[dict[str, float]] = [{} for _ in models_topics]
    topn = max(len(topic) for topics in models_topics for topic in topics)
    corpus = None
    for measure in measures:
        if measure in ("u_mass",) and corpus is None:
            corpus = [dictionary.doc2bow(t) for t in texts]
        source = {"corpus": corpus} if measure == "u_mass" else {"texts": texts}
        # One accumulator over the union of all top terms; setting .topics to a subset keeps it.
        cm = cm_module.CoherenceModel.for_topics([list(t) for t in models_topics], dictionary=dictionary,
                                                 coherence=measure, topn=topn, processes=1, **source)
        for i, topics in enumerate(models_topics):
            cm.topics = [list(t) for t in topics]
            results[i][measure] = float(cm.get_coherence())
    return results
