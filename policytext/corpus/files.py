"""Files → text: plain text in any common Chinese encoding, HTML pages, .docx, .pdf, and tables of documents.

`read_document` turns one file into a `Document` (text, encoding, format, title); `read_table` reads a table of
documents into a pandas DataFrame; `decode_bytes` is the encoding detection both use. Every failure a user can
fix raises `ReadError`, which names the file, says what is wrong and what to do.
"""

from __future__ import annotations

import io
import json
import os
import warnings
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from policytext.corpus.decode import ReadError, decode_bytes, decode_html, normalize_newlines
from policytext.corpus.pdf import page_layout, rebuild_paragraphs, unify_radicals

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

# Caps that keep a small hostile file from taking the machine's memory. A .docx whose XML parts would inflate
# beyond MAX_DOCX_XML bytes is refused before anything is inflated; real documents stay far below (64 MB of
# WordprocessingML is tens of thousands of pages). The zip reader stops at each member's declared size, so the
# declared sizes are a real bound.
MAX_DOCX_XML = 64 << 20


@dataclass(frozen=True)
class Document:
    """The text of one file, the encoding it was decoded from (None for .docx/.pdf), its format and title."""

    text: str
    encoding: str | None
    format: str
    title: str | None = None




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


class _FlatText(HTMLParser):
    """Text of a page read tag by tag, with no tree: immune to nesting depth (libxml2 stops at 256 levels)."""

    _SKIP = frozenset({"script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _flat_html_text(markup: str) -> str:
    parser = _FlatText()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _visible_chars(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def _read_html(path: Path, data: bytes) -> Document:
    import lxml.html
    import trafilatura

    text, encoding = decode_html(data, path)
    try:
        tree = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError/ValueError on markup it cannot parse at all
        raise ReadError(path, f"not parseable as HTML ({exc}); save the page again or as .txt") from None
    title = _html_title(tree)
    # Navigation, headers and footers go before extraction: on short pages trafilatura keeps them as text.
    for element in list(tree.iter(*_NOISE_TAGS)):
        element.drop_tree()
    flat = _flat_html_text(text)
    if _visible_chars(tree.text_content()) < 0.5 * _visible_chars(flat):
        # libxml2 silently drops what lies deeper than 256 elements; the tag-by-tag reading keeps it.
        return Document(text=normalize_newlines(flat), encoding=encoding, format="html", title=title)
    try:
        cleaned = lxml.html.tostring(tree, encoding="unicode")
        main = trafilatura.extract(cleaned, include_comments=False, include_tables=True, favor_recall=True)
    except RecursionError:  # trafilatura walks the tree recursively; the fallback below does not
        main = None
    if not main or not main.strip():
        main = _html_body_text(tree)
    return Document(text=normalize_newlines(main), encoding=encoding, format="html", title=title)


def _check_docx_size(path: Path, handle) -> None:
    """Refuse a .docx whose XML would inflate beyond MAX_DOCX_XML, before python-docx inflates any of it."""
    try:
        with zipfile.ZipFile(handle) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise ReadError(path, f"not a valid .docx file ({type(exc).__name__}: {exc}); open and re-save it in Word "
                        "or LibreOffice") from None
    finally:
        handle.seek(0)
    if inflated > MAX_DOCX_XML:
        raise ReadError(path, f"its parts would inflate to {inflated / 2**20:,.0f} MB from a "
                        f"{path.stat().st_size / 2**20:,.1f} MB file (over {MAX_DOCX_XML >> 20} MB: a decompression "
                        "bomb?); if it is a real document, save it as .txt or split it")


def _read_docx(path: Path) -> Document:
    import docx
    from docx.table import Table

    # Opened here, not by python-docx: its own open turns a permission error into "Package not found".
    with path.open("rb") as handle:
        _check_docx_size(path, handle)
        try:
            document = docx.Document(handle)
        except Exception as exc:  # python-docx raises zipfile/KeyError/PackageNotFoundError/lxml errors
            raise ReadError(path, f"not a valid .docx file ({type(exc).__name__}: {exc}); open and re-save it in "
                            "Word or LibreOffice") from None
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
    return Document(text=normalize_newlines("\n".join(lines)), encoding=None, format="docx", title=title)


def _read_pdf(path: Path) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    data = path.read_bytes()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(path, "encrypted PDF; remove the password first (e.g. qpdf --decrypt)")
        # Lines with their positions, so wrapped lines and page breaks can be rejoined into paragraphs.
        pages = [page_layout(page) for page in reader.pages]
        metadata = reader.metadata
        title = ((metadata.title if metadata else None) or "").strip() or None
    except ReadError:
        raise
    except FileNotDecryptedError:
        raise ReadError(path, "encrypted PDF; remove the password first (e.g. qpdf --decrypt)") from None
    except LimitReachedError as exc:
        raise ReadError(path, f"not a readable PDF: a compressed stream inflates beyond pypdf's limit ({exc}; a "
                        "decompression bomb?); if it is a real document, extract its text with another tool") from None
    except RecursionError:
        raise ReadError(path, "not a readable PDF: its objects are nested too deeply to read (a hostile or broken "
                        "file?); re-save it with a PDF printer or extract its text with another tool") from None
    except Exception as exc:  # pypdf raises many types on damaged files; one file never stops a corpus
        raise ReadError(path, f"not a readable PDF ({type(exc).__name__}: {exc}); re-save it with a PDF printer")\
            from None
    try:
        text = normalize_newlines(rebuild_paragraphs(pages))
    except Exception as exc:  # a layout the rules did not foresee must not cost the file: keep pypdf's lines
        warnings.warn(f"{path}: paragraphs could not be rebuilt from the page layout ({type(exc).__name__}: {exc}); "
                      "the text is kept line by line as pypdf reads it", UserWarning, stacklevel=2)
        text = normalize_newlines("\n".join(page.plain for page in pages))
    if not text.strip():
        raise ReadError(path, "no text layer (scanned PDF?) — run OCR first (e.g. ocrmypdf -l chi_sim)")
    return Document(text=unify_radicals(text), encoding=None, format="pdf", title=title and unify_radicals(title))


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

    Raises `ReadError` for empty, binary, unreadable or hostile files (decompression bombs, structures nested
    too deeply), undecodable bytes, PDFs without a text layer, old Word .doc files and unsupported suffixes;
    `FileNotFoundError` when the file does not exist.

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
    try:
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
    except PermissionError:
        raise ReadError(path, "permission denied; make the file readable (chmod a+r) or leave it out") from None
    except OSError as exc:  # an I/O error, a file that vanished mid-run: one file never stops a corpus
        raise ReadError(path, f"cannot be read ({exc.strerror or type(exc).__name__}); check the disk or copy the "
                        "file again") from None
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
