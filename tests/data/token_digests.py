"""Write ``token_digests.json``: sha256 of the tokens of every paragraph of the shared corpora, per tokenizer setting.

Run it with the code whose tokens are the reference (the tokens of the main branch before the tokenizer was made
faster were recorded this way), e.g. ``PYTHONPATH=<checkout of main> python tests/data/token_digests.py``;
``tests/test_tokenize_identical.py`` recomputes the digests with the current code and compares.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

CORPORA = ("policy", "gwr-2014-2022", "city-gwr-2024")
SETTINGS = {
    "default": {},
    "report": {"policy_stopwords": True, "min_length": 2},
    "pos_lowercase": {"pos": ["n", "v", "eng"], "lowercase": True, "drop_numbers": False},
    "jieba_backend": {"backend": "jieba"},
}


def digest(token_lists: list[list[str]]) -> str:
    h = hashlib.sha256()
    for tokens in token_lists:
        h.update("\x1f".join(tokens).encode("utf-8") + b"\x1e")
    return h.hexdigest()


def paragraphs(name: str) -> list[str]:
    import policytext as pt

    return pt.load_corpus(name).segments("paragraph")["text"].tolist()


def main() -> None:
    import policytext as pt

    out: dict[str, dict] = {}
    for corpus in CORPORA:
        texts = paragraphs(corpus)
        for setting, params in SETTINGS.items():
            if setting == "jieba_backend" and corpus != "gwr-2014-2022":
                continue  # pure jieba is slow: one corpus is enough to pin it
            tokens = pt.Tokenizer(n_jobs=1, **params).tokenize_many(texts)
            out[f"{corpus}/{setting}"] = {"paragraphs": len(texts), "tokens": sum(map(len, tokens)),
                                          "sha256": digest(tokens)}
            print(corpus, setting, out[f"{corpus}/{setting}"], file=sys.stderr, flush=True)
    path = Path(__file__).with_name("token_digests.json")
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
