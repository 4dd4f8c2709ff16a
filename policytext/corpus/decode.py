"""Bytes → text: encoding detection for plain text and HTML in any common Chinese encoding.

`decode_bytes` is the detection every reader uses; `decode_html` also weighs a page's ``<meta charset>``
against what its bytes say. `ReadError` is the one error a user can fix by changing the file: it names the
file, says what is wrong and what to do.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

__all__ = ["CharsetMismatchWarning", "ReadError", "decode_bytes", "decode_html"]

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one. 84 31 95 33 is GB18030's encoding of U+FEFF.
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x84\x31\x95\x33", "gb18030"),
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
# A declared charset loses to the detected one only when its text is clearly less plausible: pages often
# declare GB2312 and use a few GBK characters, which must not flip the choice.
_DECLARED_MARGIN = 0.3


class ReadError(ValueError):
    """A file that cannot be read as text; ``str(e) == f"{path}: {reason}"``."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):  # keep pickling (multiprocessing) working with two constructor arguments
        return (type(self), (self.path, self.reason))


class CharsetMismatchWarning(UserWarning):
    """A page whose declared charset turns its bytes into mojibake; it was decoded as its bytes say instead."""


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` as ``\\n``.

    Example:
        >>> normalize_newlines("a\\r\\nb\\rc")
        'a\\nb\\nc'
    """
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


def _plausibility(text: str, *, non_ascii: bool = False) -> float:
    sample = text[:_SAMPLE]
    if non_ascii:  # markup is ASCII and would drown the signal of the Chinese characters in a page
        sample = "".join(c for c in sample if ord(c) >= 0x80)
    return sum(_char_weight(c) for c in sample) / max(1, len(sample))


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SAMPLE]
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)
    return controls / len(sample) > _MAX_CONTROL_SHARE


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: the byte order whose text holds no NUL and reads most plausibly.

    NUL bytes fall on one parity for ASCII characters but on the other for characters such as 一 (U+4E00),
    so parity alone would reject real Chinese text; the decoded text decides.
    """
    if len(data) % 2:
        return None
    sample = data[:_SAMPLE - _SAMPLE % 2]
    best: tuple[float, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        score = _plausibility(text)
        if score >= 0.5 and (best is None or score > best[0]):
            best = (score, codec)
    if best is None:
        return None
    try:
        return best[1] if "\x00" not in data.decode(best[1]) else None
    except UnicodeDecodeError:
        return None


def decode_bytes(data: bytes, *, path: object = None) -> tuple[str, str]:
    """Decode file contents to text, detecting the encoding; return ``(text, encoding)``.

    Order: byte-order marks (UTF-8/16/32 and GB18030), UTF-16 without BOM, strict UTF-8, then GB18030 vs Big5
    chosen by which gives more common characters, then charset-normalizer. The text comes back without BOM and
    with ``\\r\\n``/``\\r`` turned into ``\\n``. `path` only names the source in errors.

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
            return normalize_newlines(text.lstrip("\ufeff")), codec
    if b"\x00" in data:
        codec = _bomless_utf16(data)
        if codec is None:
            raise ReadError(where, "binary file, not text (it contains NUL bytes)")
        return normalize_newlines(data.decode(codec)), codec
    if _looks_binary(data):
        raise ReadError(where, "binary file, not text (too many control characters)")
    try:
        return normalize_newlines(data.decode("utf-8")), "utf-8"
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
            return normalize_newlines(text), codec
    from charset_normalizer import from_bytes  # imported late: only needed for unusual files

    best = from_bytes(data, cp_isolation=_FALLBACK_CANDIDATES).best()
    if best is None:
        raise ReadError(where, "undecodable bytes: not UTF-8, UTF-16/32, GB18030/GBK, Big5 or "
                        "Windows-1252; re-save the file as UTF-8")
    return normalize_newlines(str(best).lstrip("\ufeff")), best.encoding


def _html_declared_charset(data: bytes) -> tuple[str, str] | None:
    """(name as written, codec to decode with) of a page's ``<meta charset>``, if any."""
    match = re.search(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{1,40})""", data[:4096],
                      re.IGNORECASE)
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    # Pages declared GB2312/GBK routinely use characters outside it; GB18030 decodes them all.
    return name, ("gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936") else name)


def decode_html(data: bytes, path: object = None) -> tuple[str, str]:
    """Decode an HTML page: valid UTF-8 and BOMs first, then the declared charset unless the bytes contradict it.

    A page whose ``<meta charset>`` decodes into clearly less plausible text than the detected encoding (Big5
    bytes under ``charset=gbk``) is decoded as detected, with a :class:`CharsetMismatchWarning` naming the file.

    Example:
        >>> decode_html('<meta charset="gbk"><p>数字政府</p>'.encode("gbk"))[1]
        'gb18030'
    """
    declared = _html_declared_charset(data)
    if declared is None or data.startswith(tuple(bom for bom, _ in _BOMS)):
        return decode_bytes(data, path=path)
    name, codec = declared
    # Valid UTF-8 beats a copied <meta> line: GB18030 would turn it into mojibake.
    try:
        return normalize_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        declared_text: str | None = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        declared_text = None
    try:
        detected_text, detected = decode_bytes(data, path=path)
    except ReadError:
        if declared_text is None:
            raise
        return normalize_newlines(declared_text), codec
    if declared_text is not None and (detected == codec or _plausibility(declared_text, non_ascii=True)
                                      >= _plausibility(detected_text, non_ascii=True) - _DECLARED_MARGIN):
        return normalize_newlines(declared_text), codec
    problem = "does not decode with it" if declared_text is None else "reads as mojibake with it"
    warnings.warn(f"{path if path is not None else '<bytes>'}: declares charset {name} but {problem}; decoded as "
                  f"{detected}, which the bytes fit. Check the text, or fix the <meta charset> line",
                  CharsetMismatchWarning, stacklevel=2)
    return detected_text, detected
