"""A planted text-reuse test set: edited passages of known source documents placed into unrelated text.

Sources are national laws, regulations and State Council documents; hosts are citizen messages to a city
government (text about potholes and property fees, unrelated to legislation). Each long planted passage has
about one in ten of its letters replaced, its punctuation changed or dropped, and the local-adaptation edits
各地区 → 本市, 国务院 → 市政府, 各级人民政府 → 区县人民政府. Short passages (below min_length) are planted too and
must not be reported. The same seed gives the same set.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd

ADAPT = (("各地区", "本市"), ("国务院", "市政府"), ("各级人民政府", "区县人民政府"), ("全国", "全市"))
PUNCT = "，。；、：！？"
_SENTENCE_END = re.compile(r"[。！？]")


def _edit(passage: str, rng: random.Random, alphabet: str) -> str:
    for old, new in ADAPT:
        passage = passage.replace(old, new)
    out = []
    for i, ch in enumerate(passage):
        if ch in PUNCT or ch.isspace():
            roll = rng.random()
            if roll < 0.3:
                continue  # punctuation dropped
            out.append(rng.choice(PUNCT) if roll < 0.7 else ch)
        elif i % 10 == rng.randrange(10) or rng.random() < 0.02:
            out.append(rng.choice(alphabet))  # about one letter in ten replaced
        else:
            out.append(ch)
    return "".join(out)


def hosts_from_messages(shared: Path, count: int, seed: int) -> list[str]:
    """Unrelated host texts: citizen messages joined into documents of about 1,500 characters."""
    table = pd.read_csv(shared / "labelled" / "teddy-cup-2020" / "messages_labelled.csv", encoding="utf-8")
    messages = [re.sub(r"\s+", "", str(t)) for t in table["留言详情"].dropna()]
    rng = random.Random(seed)
    rng.shuffle(messages)
    hosts, current = [], ""
    for message in messages:
        current += message
        if len(current) >= 1500:
            hosts.append(current)
            current = ""
        if len(hosts) == count:
            break
    return hosts


def plant(sources: pd.DataFrame, hosts: list[str], *, seed: int = 13, long_range=(60, 320), short_range=(12, 28),
          none_share: float = 0.2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents (sources + hosts with planted passages) and the truth table of planted passages.

    Truth columns: source (doc_id), host (doc_id), start_source, end_source, start_host, end_host, long (bool).
    """
    rng = random.Random(seed)
    alphabet = "".join(sorted(set("".join(sources["text"].tolist())) - set(PUNCT)))
    alphabet = "".join(ch for ch in alphabet if "\u4e00" <= ch <= "\u9fff")
    docs, truth = [], []
    for i, host in enumerate(hosts):
        host_id = f"host{i:03d}"
        n_plants = 0 if rng.random() < none_share else rng.randint(1, 3)
        pieces, cursor, text = [], 0, ""
        cuts = sorted(rng.sample(range(1, len(host)), n_plants)) if n_plants else []
        for cut in cuts:
            src = sources.iloc[rng.randrange(len(sources))]
            is_long = rng.random() < 0.75
            length = rng.randint(*(long_range if is_long else short_range))
            start = rng.randrange(0, max(1, len(src["text"]) - length))
            passage = src["text"][start:start + length]
            edited = _edit(passage, rng, alphabet)
            text += host[cursor:cut]
            truth.append({"source": src["doc_id"], "host": host_id, "start_source": start,
                          "end_source": start + len(passage), "start_host": len(text),
                          "end_host": len(text) + len(edited), "long": is_long})
            text += edited
            cursor = cut
        text += host[cursor:]
        pieces.append(text)
        docs.append({"doc_id": host_id, "text": text, "year": 2030})
    documents = pd.concat([sources[["doc_id", "text", "year"]], pd.DataFrame(docs)], ignore_index=True)
    return documents, pd.DataFrame(truth)


def overlap(a0: int, a1: int, b0: int, b1: int) -> float:
    """Share of the planted span [b0, b1) covered by [a0, a1)."""
    return max(0, min(a1, b1) - max(a0, b0)) / max(1, b1 - b0)


def score_planted(found: pd.DataFrame, truth: pd.DataFrame, hosts: list[str], *, cover: float = 0.8) -> dict:
    """How well ``found`` recovers the plants of ``truth``.

    - recall: long plants with a row of the right source whose spans, in the host and in the source, each cover
      ≥ ``cover`` of the plant and lie ≥ ``cover`` inside it;
    - precision: source–host rows whose host span lies ≥ ``cover`` inside a long plant (the host text around the
      plants is unrelated, so anything else is a false positive); ``precision_same_source`` also asks for the
      planted source (a plant whose text a second source shares, such as a liability clause, is found twice);
    - short_reported: rows touching a short plant; rows_in_plain_hosts: rows touching a host with no plant.
    """
    host_ids = {f"host{i:03d}" for i in range(len(hosts))}
    rows = found[found["doc_b"].isin(host_ids) & ~found["doc_a"].isin(host_ids)]
    hit_plants, in_plant, same_source, short_hits = set(), 0, 0, 0
    for r in rows.itertuples():
        inside = right = False
        for t in truth[truth["host"] == r.doc_b].itertuples():
            if not t.long:
                short_hits += overlap(r.start_b, r.end_b, t.start_host, t.end_host) > 0
                continue
            if overlap(t.start_host, t.end_host, r.start_b, r.end_b) >= cover:
                inside = True
                ok = (t.source == r.doc_a and overlap(r.start_b, r.end_b, t.start_host, t.end_host) >= cover
                      and overlap(r.start_a, r.end_a, t.start_source, t.end_source) >= cover
                      and overlap(t.start_source, t.end_source, r.start_a, r.end_a) >= cover)
                if ok:
                    hit_plants.add(t.Index)
                    right = True
        in_plant += inside
        same_source += right
    long_total = int(truth["long"].sum())
    plain = host_ids - set(truth["host"])
    return {"planted": long_total, "found": len(hit_plants), "reported": len(rows), "in_plant": in_plant,
            "recall": len(hit_plants) / max(1, long_total), "precision": in_plant / max(1, len(rows)),
            "precision_same_source": same_source / max(1, len(rows)),
            "short_planted": int((~truth["long"]).sum()), "short_reported": short_hits,
            "plain_hosts": len(plain), "rows_in_plain_hosts": int(rows["doc_b"].isin(plain).sum())}
