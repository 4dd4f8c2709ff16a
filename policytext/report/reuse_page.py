"""A self-contained HTML page of the top reused passages, both sides next to each other, differences marked.

Characters of the earlier passage that the later one dropped or replaced are struck through in red; characters
the later one added or substituted are marked in green (a character-level diff, :class:`difflib.SequenceMatcher`
without its junk heuristic, which would hide repeated Chinese characters).

Example:
    >>> import pandas as pd
    >>> reuse = pd.DataFrame({"doc_a": ["n"], "doc_b": ["c"], "score": [0.9], "start_a": [0], "end_a": [6],
    ...                       "start_b": [0], "end_b": [5], "text_a": ["各地区推进"], "text_b": ["本市推进"]})
    >>> "<del>各地区</del>" in reuse_page(reuse)
    True
"""

from __future__ import annotations

import html
from difflib import SequenceMatcher
from typing import Any

import pandas as pd

__all__ = ["diff_markup", "reuse_page"]

_STYLE = """
body{font-family:"WenQuanYi Zen Hei","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;table-layout:fixed}td,th{border:1px solid #ccc;padding:.5em;vertical-align:top}
th{background:#f3f3f3;text-align:left}del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}
.meta{color:#666;font-size:.85em}h1{font-size:1.4em}caption{text-align:left;margin:.5em 0}
"""


def diff_markup(a: str, b: str) -> tuple[str, str]:
    """``a`` and ``b`` as escaped HTML with the characters that differ wrapped in ``<del>`` / ``<ins>``.

    Example:
        >>> diff_markup("国务院部署", "市政府部署")
        ('<del>国务院</del>部署', '<ins>市政府</ins>部署')
    """
    left, right = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        x, y = html.escape(a[i1:i2]), html.escape(b[j1:j2])
        if op == "equal":
            left.append(x)
            right.append(y)
        else:
            left.append(f"<del>{x}</del>" if x else "")
            right.append(f"<ins>{y}</ins>" if y else "")
    return "".join(left), "".join(right)


def reuse_page(reuse: pd.DataFrame, corpus: Any = None, *, top: int = 50, title: str = "Text reuse",
               max_chars: int = 400) -> str:
    """The HTML page (a str) of the ``top`` document pairs with the most reused characters, each shown by its
    longest passage (cut after ``max_chars`` characters of the later text); titles come from ``corpus`` if given.

    Example:
        >>> reuse_page(pd.DataFrame(columns=["doc_a", "doc_b", "text_a", "text_b", "score", "start_a", "end_a",
        ...                                  "start_b", "end_b"])).count("<tr>")
        1
    """
    titles: dict[str, str] = {}
    if corpus is not None:
        frame = corpus.to_frame() if hasattr(corpus, "to_frame") else corpus
        if "title" in frame.columns:
            titles = {str(d): str(t) for d, t in zip(frame["doc_id"], frame["title"]) if pd.notna(t)}
    ranked = reuse.assign(length=reuse["end_b"] - reuse["start_b"])
    ranked["pair_chars"] = ranked.groupby(["doc_a", "doc_b"])["length"].transform("sum")
    ranked["n_passages"] = ranked.groupby(["doc_a", "doc_b"])["length"].transform("size")
    shown = ranked.sort_values(["pair_chars", "doc_a", "doc_b", "length", "start_a"],
                               ascending=[False, True, True, False, True]).drop_duplicates(["doc_a", "doc_b"]).head(top)
    rows = ["<colgroup><col style='width:7em'><col><col></colgroup>"
            "<tr><th>pair</th><th>earlier passage (doc_a)</th><th>later passage (doc_b)</th></tr>"]
    for k, r in enumerate(shown.itertuples(), 1):
        text_a, text_b = str(r.text_a), str(r.text_b)
        cut = len(text_b) > max_chars
        if cut:  # cut both sides at the same share, so the diff still lines up
            text_a = text_a[:round(max_chars * len(text_a) / max(1, len(text_b)))]
            text_b = text_b[:max_chars]
        left, right = diff_markup(text_a, text_b)
        more = f"<div class='meta'>… {r.length - max_chars} more characters</div>" if cut else ""
        left, right = left + more, right + more
        def head(doc: str, start: int, end: int) -> str:
            name = html.escape(titles.get(str(doc), str(doc)))
            return f'<div class="meta"><b>{name}</b><br>{html.escape(str(doc))} · chars {start}–{end}</div>'
        rows.append(f"<tr><td>{k}<div class='meta'>{r.n_passages} passage(s), {r.pair_chars} chars; this one: score "
                    f"{r.score:.2f}</div></td>"
                    f"<td>{head(r.doc_a, r.start_a, r.end_a)}{left}</td><td>{head(r.doc_b, r.start_b, r.end_b)}{right}</td></tr>")
    pairs = reuse[["doc_a", "doc_b"]].drop_duplicates().shape[0] if len(reuse) else 0
    caption = (f"{len(reuse)} passages in {pairs} document pairs; the {len(shown)} pairs with the most reused "
               "characters are shown, each by its longest passage. "
               "<del>struck red</del>: only in the earlier text; <ins>green</ins>: only in the later text.")
    return (f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1><table><caption>{caption}</caption>"
            + "".join(rows) + "</table></body></html>")
