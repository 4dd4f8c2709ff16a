"""Small generators of hostile input files, shared by tests/test_hostile_inputs.py and benchmarks/hostile_inputs.py.

Each writes one file and returns its path. The files are built by hand (raw PDF bytes, a zip of XML parts) so
no tool is needed and the exact hostile shape is visible here.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

TEXT = "国务院关于加强数字政府建设的指导意见\n国发〔2022〕14号\n各省、自治区、直辖市人民政府：\n数字政府建设是推进国家治理现代化的重要举措。\n"


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF whose object i+1 is ``objects[i]``, with a correct xref table and trailer (root = object 1)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _page_pdf(content: bytes, *, filter_: bytes = b"") -> bytes:
    stream = b"<< /Length %d %s>>\nstream\n" % (len(content), filter_) + content + b"\nendstream"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def flate_bomb_pdf(path: Path, inflated: int = 1 << 30) -> Path:
    """A one-page PDF whose content stream is ``inflated`` bytes of spaces, Flate-compressed (about 1 MB per GiB)."""
    compressor = zlib.compressobj(9)
    block = b" " * (1 << 20)
    parts = [compressor.compress(block) for _ in range(inflated // len(block))]
    parts.append(compressor.flush())
    path.write_bytes(_page_pdf(b"".join(parts), filter_=b"/Filter /FlateDecode "))
    return path


def deep_pdf(path: Path, depth: int = 50_000) -> Path:
    """A one-page PDF whose content stream holds arrays nested ``depth`` deep before some text."""
    content = b"[" * depth + b"]" * depth + b"\nBT /F1 12 Tf 72 720 Td (policy text) Tj ET"
    path.write_bytes(_page_pdf(content))
    return path


def text_pdf(path: Path, words: str = "digital government policy") -> Path:
    """An ordinary one-page PDF with a text layer (Latin text: the standard fonts hold no Chinese)."""
    path.write_bytes(_page_pdf(b"BT /F1 12 Tf 72 720 Td (" + words.encode("ascii") + b") Tj ET"))
    return path


_CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  b'<Default Extension="xml" ContentType="application/xml"/>'
                  b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                  b'wordprocessingml.document.main+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         b'officeDocument" Target="word/document.xml"/></Relationships>')
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(path: Path, text: str = TEXT, *, padding: int = 0) -> Path:
    """A minimal .docx with one paragraph per line of ``text``; ``padding`` bytes of XML whitespace make a bomb."""
    paragraphs = b"".join(b"<w:p><w:r><w:t>" + line.encode("utf-8") + b"</w:t></w:r></w:p>"
                          for line in text.splitlines())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + _W + b"><w:body>")
            part.write(paragraphs)
            block = b" " * (1 << 20)
            for _ in range(padding // len(block)):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return path


def deep_html(path: Path, depth: int = 50_000) -> Path:
    """An HTML page whose one paragraph of text sits inside ``depth`` nested <div> elements."""
    body = "<div>" * depth + "<p>" + TEXT.replace("\n", "</p><p>") + "</p>" + "</div>" * depth
    path.write_text(f"<html><head><meta charset='utf-8'><title>t</title></head><body>{body}</body></html>",
                    encoding="utf-8")
    return path


def spaces_title(path: Path, spaces: int = 16_000) -> Path:
    """A text file whose title line ends in ``spaces`` spaces and a non-bracket character (quadratic-regex bait)."""
    path.write_text("关于数字政府的通知" + " " * spaces + "x\n正文。\n", encoding="utf-8")
    return path


def long_line(path: Path, size: int = 50 << 20) -> Path:
    """A text file of ``size`` bytes on one line (metadata inference bait)."""
    unit = "数字政府建设，"
    count = size // len(unit.encode("utf-8"))
    with path.open("w", encoding="utf-8") as handle:
        for start in range(0, count, 100_000):
            handle.write(unit * min(100_000, count - start))
    return path
