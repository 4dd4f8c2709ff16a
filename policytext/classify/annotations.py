"""The annotated set: coded paragraphs of the "policy" corpus, and inter-coder agreement.

Segments are paragraphs of the registered corpus ``policy`` read without cleaning, referred to by document
checksum and character offsets (``corpora/annotations/segments.csv``); the label files hold one row per
segment with ``governance_mode``, ``innovation_stage``, ``policy_tools`` (sub-tool ids separated by ``;``,
primary first) and ``rationale``. No policy text is stored in the repository: :func:`load_annotations`
re-reads each segment from the data home and checks both checksums.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from policytext.classify.codebook import load_codebook
from policytext.corpus.locations import data_home, sha256_file
from policytext.resources import resource_dir

CODERS = ("coder1", "coder2", "final")
LABEL_COLUMNS = ("governance_mode", "innovation_stage", "policy_tools")
# Label column <-> codebook name; the codebook names are accepted as well.
SCHEMES = {
    "governance_mode": "governance-mode",
    "innovation_stage": "innovation-stage",
    "policy_tools": "policy-tools",
}
SEGMENT_COLUMNS = (
    "segment_id", "doc_id", "corpus", "path", "doc_sha256", "start", "end", "text_sha256", "year", "level",
    "doc_type", "stratum",
)
OPTIONAL_SEGMENT_COLUMNS = ("stratum",)  # the blind set (blind_segments.csv) is drawn without strata


def annotations_dir() -> Path:
    """The folder with segments.csv and the label files (``corpora/annotations`` of the repository).

    Example:
        >>> annotations_dir().name
        'annotations'
    """
    return resource_dir("corpora") / "annotations"


def annotation_segments(folder: str | os.PathLike[str] | None = None, *, file: str = "segments.csv") -> pd.DataFrame:
    """The sampled segments (segments.csv): ids, file, checksums, offsets, year, level, doc_type, stratum.

    Example:
        >>> annotation_segments().columns[:3].tolist()  # doctest: +SKIP
        ['segment_id', 'doc_id', 'corpus']
    """
    path = Path(folder) if folder is not None else annotations_dir()
    path = path / file
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found; draw the sample with `python corpora/annotations/sample_segments.py`"
        )
    frame = pd.read_csv(path, dtype={c: str for c in ("segment_id", "doc_id", "path", "doc_sha256", "text_sha256")})
    missing = [c for c in SEGMENT_COLUMNS if c not in frame.columns and c not in OPTIONAL_SEGMENT_COLUMNS]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}; expected {list(SEGMENT_COLUMNS)}")
    if frame["segment_id"].duplicated().any():
        dup = frame.loc[frame["segment_id"].duplicated(), "segment_id"].tolist()[:5]
        raise ValueError(f"{path}: segment_id must be unique; duplicated {dup}")
    return frame


def read_labels(coder: str = "final", folder: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """One coder's label file as a DataFrame of strings, checked against the three codebooks.

    Example:
        >>> read_labels("coder1").columns[:2].tolist()  # doctest: +SKIP
        ['segment_id', 'governance_mode']
    """
    if coder not in CODERS:
        raise ValueError(f"coder must be one of {list(CODERS)}, not {coder!r}")
    base = Path(folder) if folder is not None else annotations_dir()
    path = base / f"labels_{coder}.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; coder {coder!r} has not delivered labels yet")
    return _label_file(path)


def _label_file(path: Path) -> pd.DataFrame:
    """A label file as strings, the three label columns checked against their codebooks; other columns kept."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("segment_id", *LABEL_COLUMNS) if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    for column in LABEL_COLUMNS:
        frame[column] = frame[column].str.strip()
        values = split_tools(frame[column]) if column == "policy_tools" else frame[column]
        try:
            load_codebook(SCHEMES[column]).validate_labels(values)
        except ValueError as exc:
            raise ValueError(f"{path}, column {column}: {exc}") from None
    return frame


def split_tools(values: Iterable[str]) -> list[list[str]]:
    """Policy-tools cells ``"supply.data;environment.standards"`` as lists, primary first.

    Example:
        >>> split_tools(["supply.data; environment.standards", "0"])
        [['supply.data', 'environment.standards'], ['0']]
    """
    if isinstance(values, str):
        raise TypeError(f"values is a single str {values!r}; pass a list of cells, e.g. [{values!r}]")
    return [[part.strip() for part in str(v).split(";") if part.strip()] or ["0"] for v in values]


def load_annotations(
    coder: str = "final",
    with_text: bool = True,
    *,
    folder: str | os.PathLike[str] | None = None,
    home: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Labels of one coder joined to segments.csv; with ``with_text`` the segment text re-read and verified.

    ``coder`` is ``"coder1"``, ``"coder2"`` or ``"final"``. The text comes from the data home
    (``POLICYTEXT_DATA``, or ``home``); every file's sha256 must equal ``doc_sha256`` and every segment's
    sha256 must equal ``text_sha256``, otherwise a ValueError names the segment.

    Example:
        >>> frame = load_annotations("final")  # doctest: +SKIP
        >>> frame[["segment_id", "governance_mode", "text"]].shape[1]  # doctest: +SKIP
        3
    """
    segments = annotation_segments(folder)
    labels = read_labels(coder, folder)
    unknown = sorted(set(labels["segment_id"]) - set(segments["segment_id"]))
    if unknown:
        raise ValueError(
            f"labels_{coder}.csv has {len(unknown)} segment_id(s) not in segments.csv (e.g. {unknown[0]!r}); "
            "label only sampled segments"
        )
    frame = labels.merge(segments, on="segment_id", how="left", validate="one_to_one")
    if with_text:
        frame["text"] = segment_texts(frame, home)
    return frame


def segment_texts(segments: pd.DataFrame, home: str | os.PathLike[str] | None = None) -> list[str]:
    """Re-read the text of each segment (columns doc_id, path, doc_sha256, start, end, text_sha256).

    Files are read without cleaning (as ``load_corpus("policy", clean=False)`` does) so that offsets hold;
    file checksums are checked first.
    """
    root = Path(home) if home is not None else data_home()
    for path, expected in segments[["path", "doc_sha256"]].drop_duplicates().itertuples(index=False):
        file = root / path
        if not file.is_file():
            raise FileNotFoundError(
                f"{file} (needed by the annotations) not found; set POLICYTEXT_DATA to the folder of shared corpora"
            )
        actual = sha256_file(file)
        if actual != expected:
            raise ValueError(
                f"{file}: sha256 {actual[:12]}… differs from doc_sha256 {expected[:12]}… in segments.csv; "
                "the annotations refer to another version of this file, restore the registered one"
            )
    docs = _read_documents(root, segments[["doc_id", "path"]].drop_duplicates())
    texts = []
    for row in segments.itertuples(index=False):
        if row.doc_id not in docs:
            raise ValueError(
                f"segment {row.segment_id}: document {row.doc_id!r} not found in {row.path}; the file's rows changed, "
                "restore the registered file"
            )
        text = docs[row.doc_id][int(row.start):int(row.end)]
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != row.text_sha256:
            raise ValueError(
                f"segment {row.segment_id}: text at {row.start}:{row.end} has sha256 {digest[:12]}…, not "
                f"{row.text_sha256[:12]}…; the segmentation or the reader changed, redraw or re-anchor the segments"
            )
        texts.append(text)
    return texts


def _read_documents(root: Path, docs: pd.DataFrame) -> dict[str, str]:
    """Raw texts of the needed documents only, keyed by their doc_id in the corpus "policy"."""
    return {doc_id: text for doc_id, (text, _) in _read_texts_and_titles(root, docs).items()}


def _read_texts_and_titles(root: Path, docs: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """(raw text, title) of the needed documents only, keyed by their doc_id in the corpus "policy".

    Reading file by file keeps this fast; a table file's rows get the ids ``<file>#<row id>`` as in the corpus.
    A document without a title gets "".
    """
    from policytext.corpus.corpus import read_corpus
    from policytext.corpus.files import TABLE_SUFFIXES

    out: dict[str, tuple[str, str]] = {}
    for path in sorted(set(docs["path"])):
        file = root / path
        prefix = Path(path).relative_to("policy").as_posix() if path.startswith("policy/") else path
        frame = read_corpus(file, metadata=False, clean=False, infer=False).to_frame()
        titles = frame["title"] if "title" in frame.columns else pd.Series([""] * len(frame))
        titles = ["" if not isinstance(t, str) else t.strip() for t in titles]
        if file.suffix.lower() in TABLE_SUFFIXES:
            out.update({f"{prefix}#{i}": (t, h) for i, t, h in zip(frame["doc_id"], frame["text"], titles)})
        else:
            out[prefix] = (frame["text"].iloc[0], titles[0])
    return out


def annotation_frame(
    labels: str = "labels_final.csv",
    segments: str = "segments.csv",
    *,
    folder: str | os.PathLike[str] | None = None,
    home: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """A labels file joined to its segments, with the segment ``text`` and its document context: ``title``
    and ``doc_text`` (the raw full text) beside segments.csv's ``doc_type``, ``level`` and ``year``.

    This is the input :class:`~policytext.PolicyClassifier` takes with ``context=...``. ``labels`` and
    ``segments`` are file names in ``folder`` (default ``corpora/annotations``): ``"blind_labels_final.csv"``
    and ``"blind_segments.csv"`` give the blind evaluation set. Label files may carry more columns than the
    three schemes; they are kept. Texts are re-read from the data home and checksum-verified.

    Example:
        >>> frame = annotation_frame()  # doctest: +SKIP
        >>> frame[["text", "doc_type", "level", "title", "doc_text"]].shape[1]  # doctest: +SKIP
        5
    """
    base = Path(folder) if folder is not None else annotations_dir()
    table = annotation_segments(base, file=segments)
    path = base / labels
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; the labels of {segments} have not been delivered yet")
    coded = _label_file(path)
    unknown = sorted(set(coded["segment_id"]) - set(table["segment_id"]))
    if unknown:
        raise ValueError(f"{labels} has {len(unknown)} segment_id(s) not in {segments} (e.g. {unknown[0]!r}); "
                         "label only sampled segments")
    frame = coded.merge(table, on="segment_id", how="left", validate="one_to_one")
    frame["text"] = segment_texts(frame, home)
    root = Path(home) if home is not None else data_home()
    documents = _read_texts_and_titles(root, frame[["doc_id", "path"]].drop_duplicates())
    # A single-file document has no title row; its registered corpus's manifest names it.
    listed = _manifest_titles(sorted(set(frame["corpus"].astype(str))))
    frame["title"] = [documents[d][1] or listed.get(p, "") for d, p in zip(frame["doc_id"], frame["path"])]
    frame["doc_text"] = [documents[d][0] for d in frame["doc_id"]]
    return frame


def _manifest_titles(corpora: list[str]) -> dict[str, str]:
    """Title by file path in the manifests of the registered ``corpora`` (unregistered names are skipped)."""
    from policytext.corpus.datahome import registered_corpora, registered_corpus

    titles: dict[str, str] = {}
    for name in corpora:
        if name in registered_corpora():
            manifest = registered_corpus(name).manifest
            titles.update({p: str(t) for p, t in zip(manifest["path"], manifest.get("title", [""] * len(manifest)))})
    return titles


# -- agreement ------------------------------------------------------------------------------------------------
def _scheme(scheme: str) -> str:
    if scheme in SCHEMES:
        return SCHEMES[scheme]
    if scheme in SCHEMES.values():
        return scheme
    raise ValueError(
        f"scheme must be one of {list(SCHEMES.values())} (or the columns {list(SCHEMES)}), not {scheme!r}"
    )


def primary_labels(values: Iterable[Any], scheme: str) -> list[str]:
    """The single label per unit that agreement is computed on: the primary (first) tool for policy tools.

    Example:
        >>> primary_labels(["supply.data;environment.standards", "0"], "policy-tools")
        ['supply.data', '0']
    """
    if isinstance(values, str):
        raise TypeError(f"values is a single str {values!r}; pass a list of labels, e.g. [{values!r}]")
    name = _scheme(scheme)
    values = [str(v).strip() for v in values]
    if name == "policy-tools":
        values = [tools[0] for tools in split_tools(values)]
    load_codebook(name).validate_labels(values)
    return values


def krippendorff_alpha_nominal(units: Iterable[Iterable[Any]]) -> float:
    """Krippendorff's alpha for nominal data; each unit is the list of values its coders gave (None = missing).

    Units with fewer than two values are not pairable and are left out. Returns nan when fewer than two
    values are pairable or only one category occurs (no variation to agree on).

    Example:
        >>> round(krippendorff_alpha_nominal([["a", "a"], ["b", "b"], ["a", "b"]]), 3)
        0.444
    """
    coincidence: Counter[tuple[Any, Any]] = Counter()
    for unit in units:
        values = [v for v in unit if v is not None and not (isinstance(v, float) and np.isnan(v))]
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidence[(a, b)] += 1.0 / (m - 1)
    marginals: Counter[Any] = Counter()
    for (a, _), count in coincidence.items():
        marginals[a] += count
    n = sum(marginals.values())
    if n < 2 or len(marginals) < 2:
        return float("nan")
    observed = sum(count for (a, b), count in coincidence.items() if a != b)
    expected = (n * n - sum(v * v for v in marginals.values())) / (n - 1)
    return float(1.0 - observed / expected)


def agreement(labels_a: Iterable[Any], labels_b: Iterable[Any], scheme: str) -> dict[str, float | int]:
    """Agreement of two coders on the same units: n, percent agreement, Cohen's kappa, Krippendorff's alpha.

    ``scheme`` is a codebook name (``governance-mode``, ``innovation-stage``, ``policy-tools``) or the label
    column name; for policy tools the primary (first) sub-tool is compared. ``"0"`` is a category like any
    other. Kappa and alpha are nan when neither coder varies.

    Example:
        >>> agreement(["GM1", "GM1", "GM5", "0"], ["GM1", "GM5", "GM5", "0"], "governance-mode")["percent"]
        75.0
    """
    from sklearn.metrics import cohen_kappa_score

    if isinstance(labels_a, str) or isinstance(labels_b, str):
        raise TypeError("labels_a and labels_b must be lists of labels, not a single str; wrap it in a list")
    a = primary_labels(labels_a, scheme)
    b = primary_labels(labels_b, scheme)
    if len(a) != len(b):
        raise ValueError(f"labels_a has {len(a)} labels and labels_b {len(b)}; pass the same units in the same order")
    if not a:
        raise ValueError("no units to compare: labels_a and labels_b are empty")
    same = sum(x == y for x, y in zip(a, b))
    if len(set(a) | set(b)) < 2:
        kappa = float("nan")
    else:
        kappa = float(cohen_kappa_score(a, b))
    return {
        "n": len(a),
        "percent": 100.0 * same / len(a),
        "kappa": kappa,
        "alpha": krippendorff_alpha_nominal(zip(a, b)),
    }


def agreement_table(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Agreement per scheme for two label frames, on the segments both coded (one row per scheme).

    Example:
        >>> a = pd.DataFrame({"segment_id": ["s1", "s2"], "governance_mode": ["GM1", "0"],
        ...                   "innovation_stage": ["IS2", "0"], "policy_tools": ["supply.data", "0"]})
        >>> agreement_table(a, a)["percent"].tolist()
        [100.0, 100.0, 100.0]
    """
    both = first.merge(second, on="segment_id", suffixes=("_a", "_b"))
    rows = []
    for column in LABEL_COLUMNS:
        result = agreement(both[f"{column}_a"].tolist(), both[f"{column}_b"].tolist(), column)
        rows.append({"scheme": SCHEMES[column], **result})
    return pd.DataFrame(rows)
