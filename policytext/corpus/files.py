"""Files → text: plain text in any common Chinese encoding, HTML pages, .docx, .pdf, and tables of documents.

`read_document` turns one file into a `Document` (text, encoding, format, title); `read_table` reads a table of
documents into a pandas DataFrame; `decode_bytes` is the encoding detection both use. Every failure a user can
fix raises `ReadError`, which names the file, says what is wrong and what to do.
"""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = [
    "SUPPORTED_SUFFIXES",
    "TABLE_SUFFIXES",
    "Document",
    "ReadError",
    "decode_bytes",
    "read_document",
    "read_table",
]

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf"})
TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".jsonl", ".json", ".parquet", ".xlsx", ".xls"})

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16"),
    (b"\xff\xfe", "utf-16"),
)
# Chinese legacy encodings tried strictly; GB18030 is a superset of GB2312 and GBK.
_CJK_CANDIDATES = ("gb18030", "big5")
# Asked of charset-normalizer when neither Chinese candidate gives plausible text.
_FALLBACK_CANDIDATES = ["gb18030", "big5", "cp1252"]
_CONTROL_BYTES = frozenset(set(range(0x00, 0x09)) | {0x0B, 0x7F} | set(range(0x0E, 0x1B)) | set(range(0x1C, 0x20)))
_MAX_CONTROL_SHARE = 0.05
_SAMPLE = 20_000  # bytes or characters looked at by the heuristics; enough, and keeps big files fast
_CJK_PUNCT = frozenset("，。、；：？！“”‘’（）《》〈〉【】〔〕—…·「」％")


class ReadError(ValueError):
    """A file that cannot be read as text; ``str(e) == f"{path}: {reason}"``."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):  # keep pickling (multiprocessing) working with two constructor arguments
        return (type(self), (self.path, self.reason))


@dataclass(frozen=True)
class Document:
    """The text of one file, the encoding it was decoded from (None for .docx/.pdf), its format and title."""

    text: str
    encoding: str | None
    format: str
    title: str | None = None


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=8192)
def _char_weight(char: str) -> int:
    """How plausible one decoded character is in real text (higher is better).

    GB2312 level-1 (lead bytes B0–D7) and Big5 'frequently used' (lead bytes A4–C6) are the encodings' own
    lists of common characters; mojibake from decoding with the wrong codec lands mostly outside them, in kana,
    Greek, box drawing, private-use or rare ideographs.
    """
    code = ord(char)
    if code < 0x80:
        return 1 if (char.isprintable() or char in "\n\t") else -3
    if char in _CJK_PUNCT:
        return 1
    if 0x4E00 <= code <= 0x9FFF:
        for codec, low, high in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
            try:
                lead = char.encode(codec)[0]
            except UnicodeEncodeError:
                continue
            if low <= lead <= high:
                return 1
        return -1
    if 0xFF01 <= code <= 0xFF5E or code in (0x3000, 0x3001, 0x3002):
        return 1  # full-width forms and ideographic space, common in Chinese typesetting
    return -2


def _plausibility(text: str) -> float:
    sample = text[:_SAMPLE]
    return sum(_char_weight(c) for c in sample) / max(1, len(sample))


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SAMPLE]
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)
    return controls / len(sample) > _MAX_CONTROL_SHARE


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: mostly-ASCII text has its NUL bytes all on one parity."""
    if len(data) % 2:
        return None
    sample = data[:_SAMPLE - _SAMPLE % 2]
    odd_nuls = sample[1::2].count(0)
    even_nuls = sample[0::2].count(0)
    half = len(sample) // 2
    for codec, nuls, other in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):
        if nuls >= 0.3 * half and other == 0:
            try:
                return codec if "\x00" not in data.decode(codec) else None
            except UnicodeDecodeError:
                return None
    return None


def decode_bytes(data: bytes, *, path: object = None) -> tuple[str, str]:
    """Decode file contents to text, detecting the encoding; return ``(text, encoding)``.

    Order: byte-order marks, strict UTF-8, then GB18030 vs Big5 chosen by which gives more common characters,
    then charset-normalizer. The text comes back without BOM and with ``\\r\\n``/``\\r`` turned into ``\\n``.
    `path` only names the source in errors.

    >>> decode_bytes("数字政府建设".encode("gb18030"))
    ('数字政府建设', 'gb18030')
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"decode_bytes expects bytes, got {type(data).__name__}; read the file in binary mode ('rb')")
    data = bytes(data)
    where = path if path is not None else "<bytes>"
    if not data:
        raise ReadError(where, "empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ReadError(where, f"starts with a {codec} byte-order mark but does not decode as {codec} "
                                f"({exc.reason} at byte {exc.start}); re-save the file as UTF-8") from None
            return _normalize_newlines(text.lstrip("\ufeff")), codec
    if b"\x00" in data:
        codec = _bomless_utf16(data)
        if codec is None:
            raise ReadError(where, "binary file, not text (it contains NUL bytes)")
        return _normalize_newlines(data.decode(codec)), codec
    if _looks_binary(data):
        raise ReadError(where, "binary file, not text (too many control characters)")
    try:
        return _normalize_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    scored = []
    for codec in _CJK_CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scored.append((_plausibility(text), codec, text))
    if scored:
        score, codec, text = max(scored, key=lambda item: item[0])
        if score >= 0.5:
            return _normalize_newlines(text), codec
    from charset_normalizer import from_bytes  # imported late: only needed for unusual files

    best = from_bytes(data, cp_isolation=_FALLBACK_CANDIDATES).best()
    if best is None:
        raise ReadError(where, "undecodable bytes: not UTF-8, UTF-16/32 with BOM, GB18030/GBK, Big5 or "
                        "Windows-1252; re-save the file as UTF-8")
    return _normalize_newlines(str(best)), best.encoding


def _html_declared_charset(data: bytes) -> str | None:
    match = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", data[:4096], re.IGNORECASE)
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    # Pages declared GB2312/GBK routinely use characters outside it; GB18030 decodes them all.
    return "gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936") else name


def _decode_html(data: bytes, path: Path) -> tuple[str, str]:
    declared = _html_declared_charset(data)
    # Valid UTF-8 (tried first inside decode_bytes) beats a copied <meta> line: GB18030 would turn it into
    # mojibake. Otherwise trust the declaration when it decodes, and detect when it does not.
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                return _normalize_newlines(data.decode(declared)), declared
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration is common
    return decode_bytes(data, path=path)


def _html_title(tree) -> str | None:
    for xpath in ("//title", "//h1"):
        for element in tree.xpath(xpath):
            title = " ".join(element.text_content().split())
            if title:
                return title
    return None


_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "table", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6",
               "blockquote", "pre", "dd", "dt")
_NOISE_TAGS = ("nav", "header", "footer", "script", "style", "aside", "form", "noscript", "template")


def _html_body_text(tree) -> str:
    """Fallback when trafilatura finds no main text: the body's text with navigation and scripts dropped."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    for element in list(root.iter(*_NOISE_TAGS)):
        element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    for cell in root.iter("td", "th"):
        cell.tail = "\t" + (cell.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _read_html(path: Path, data: bytes) -> Document:
    import lxml.html
    import trafilatura

    text, encoding = _decode_html(data, path)
    try:
        tree = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError/ValueError on markup it cannot parse at all
        raise ReadError(path, f"not parseable as HTML ({exc}); save the page again or as .txt") from None
    title = _html_title(tree)
    # Navigation, headers and footers go before extraction: on short pages trafilatura keeps them as text.
    for element in list(tree.iter(*_NOISE_TAGS)):
        element.drop_tree()
    cleaned = lxml.html.tostring(tree, encoding="unicode")
    main = trafilatura.extract(cleaned, include_comments=False, include_tables=True, favor_recall=True)
    if not main or not main.strip():
        main = _html_body_text(tree)
    return Document(text=_normalize_newlines(main), encoding=encoding, format="html", title=title)


def _read_docx(path: Path) -> Document:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile/KeyError/PackageNotFoundError for broken files
        raise ReadError(path, f"not a valid .docx file ({type(exc).__name__}: {exc}); open and re-save it in Word "
                        "or LibreOffice") from None
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell is returned once per grid column it spans
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(cell.text.strip())
                lines.append("\t".join(cells))
        else:
            lines.append(block.text)
    title = (document.core_properties.title or "").strip() or None
    return Document(text=_normalize_newlines("\n".join(lines)), encoding=None, format="docx", title=title)


def _read_pdf(path: Path) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(path, "encrypted PDF; remove the password first (e.g. qpdf --decrypt)")
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ReadError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    text = _normalize_newlines("\n".join(pages))
    if not text.strip():
        raise ReadError(path, "no text layer (scanned PDF?) — run OCR first (e.g. ocrmypdf -l chi_sim)")
    title = ((metadata.title if metadata else None) or "").strip() or None
    return Document(text=text, encoding=None, format="pdf", title=title)


def _check_path(path: object, name: str = "path") -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or pathlib.Path, got {type(path).__name__}")
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if not path.is_file():
        raise ReadError(path, "not a file (a directory?); pass a file path")
    return path


def read_document(path: str | os.PathLike) -> Document:
    """Read one .txt/.md/.html/.htm/.docx/.pdf file into a `Document`.

    Raises `ReadError` for empty or binary files, undecodable bytes, PDFs without a text layer, old Word .doc
    files and unsupported suffixes; `FileNotFoundError` when the file does not exist.

    >>> doc = read_document("gwr_2019.txt")  # doctest: +SKIP
    >>> doc.format, doc.encoding  # doctest: +SKIP
    ('txt', 'utf-8')
    """
    path = _check_path(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise ReadError(path, "old Word .doc format is not supported; convert it to .docx "
                        "(e.g. soffice --headless --convert-to docx FILE)")
    if suffix not in SUPPORTED_SUFFIXES:
        hint = " (a table of documents: use read_table)" if suffix in TABLE_SUFFIXES else ""
        raise ReadError(path, f"unsupported suffix {suffix or '(none)'!r}{hint}; supported: "
                        f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
    if path.stat().st_size == 0:
        raise ReadError(path, "empty file")
    if suffix == ".docx":
        document = _read_docx(path)
    elif suffix == ".pdf":
        document = _read_pdf(path)
    elif suffix in (".html", ".htm"):
        document = _read_html(path, path.read_bytes())
    else:
        text, encoding = decode_bytes(path.read_bytes(), path=path)
        document = Document(text=text, encoding=encoding, format=suffix.lstrip("."))
    if not document.text.strip():
        raise ReadError(path, "no text found (the file holds only whitespace or markup)")
    return document


def _records_frame(text: str, path: Path) -> pd.DataFrame:
    try:
        records = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(path, f"invalid JSON ({exc}); one object per line? rename the file to .jsonl") from None
    if isinstance(records, dict) and all(isinstance(v, list) for v in records.values()):
        return pd.DataFrame(records)  # column-oriented: {"title": [...], "text": [...]}
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ReadError(path, "expected a JSON list of records ([{...}, {...}]) or a dict of columns")
    return pd.DataFrame.from_records(records)


def read_table(path: str | os.PathLike, *, text_col: str | None = None) -> pd.DataFrame:
    """Read a table of documents (.csv, .tsv, .jsonl, .json records, .parquet, .xlsx, .xls) into a DataFrame.

    CSV/TSV/JSON bytes are decoded with `decode_bytes`, so GBK or Big5 exports read as well as UTF-8. With
    `text_col`, a missing column raises `ReadError` naming the columns present.

    >>> df = read_table("messages.csv", text_col="留言详情")  # doctest: +SKIP
    """
    path = _check_path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        hint = " (a single document: use read_document)" if suffix in SUPPORTED_SUFFIXES else ""
        raise ReadError(path, f"unsupported table suffix {suffix or '(none)'!r}{hint}; supported: "
                        f"{', '.join(sorted(TABLE_SUFFIXES))}")
    if path.stat().st_size == 0:
        raise ReadError(path, "empty file")
    try:
        if suffix in (".csv", ".tsv", ".jsonl", ".json"):
            text, _ = decode_bytes(path.read_bytes(), path=path)
            if suffix == ".json":
                frame = _records_frame(text, path)
            elif suffix == ".jsonl":
                frame = pd.read_json(io.StringIO(text), lines=True)
            else:
                frame = pd.read_csv(io.StringIO(text), sep="\t" if suffix == ".tsv" else ",")
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        elif suffix == ".xlsx":
            frame = pd.read_excel(path, engine="openpyxl")
        else:
            try:
                frame = pd.read_excel(path, engine="xlrd")
            except ImportError:
                raise ReadError(path, "reading .xls needs the xlrd package (pip install xlrd), or save it as .xlsx") \
                    from None
    except ReadError:
        raise
    except Exception as exc:  # pandas/pyarrow/openpyxl raise many types for malformed files; name the file
        raise ReadError(path, f"cannot be read as {suffix} ({type(exc).__name__}: {exc})") from None
    if text_col is not None and text_col not in frame.columns:
        raise ReadError(path, f"no column {text_col!r}; columns present: {list(map(str, frame.columns))}; "
                        "pass text_col=<one of them>")
    return frame
