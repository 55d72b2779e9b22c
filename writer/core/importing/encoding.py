"""Bytes to text: byte-order marks, UTF-8, legacy Windows-1252, and refusing binary files.

Order of the checks: a BOM decides (UTF-32, UTF-8, UTF-16); a file that starts like a known
binary format or holds NUL bytes (and is not BOM-less UTF-16) is refused; strict UTF-8 is
tried; anything else is read as Windows-1252, the encoding of older Windows text files (the
five bytes it leaves undefined are read as Latin-1). Line endings become ``\\n``; every
other character, curly quotes and dashes included, stays as it is.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from writer.core.errors import WriterError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# Magic numbers of files people drop on an importer by mistake.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (DOCX and EPUB files must keep their extension)"),
    (b"\xd0\xcf\x11\xe0", "a Word 97-2003 document; save it as .docx and import that"),
    (b"{\\rtf", "an RTF document; save it as .docx and import that"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")


def _not_text(name: str, why: str = "") -> WriterError:
    return WriterError(f"{name} is not a text file" + (f" ({why})" if why else ""))


def _looks_utf16(data: bytes) -> str | None:
    """The codec of BOM-less UTF-16 text (NULs in every other byte), or None."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    half = len(data) // 2
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.6 * half and other.count(0) <= 0.1 * half:
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                continue
            return codec
    return None


def _cp1252(data: bytes) -> str:
    return "".join(
        ch if ch != "\ufffd" else chr(data[i])
        for i, ch in enumerate(data.decode("cp1252", errors="replace"))
    )


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes, name: str | Path) -> tuple[str, str]:
    """``(text, encoding)`` of a text file's bytes; raises ``WriterError`` for binary data."""
    name = Path(name).name
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                raise _not_text(name, f"broken {label} at byte {error.start}") from None
            return _finish(text, name), label + " with BOM"
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _not_text(name, f"it is {what}")
    encoding = "UTF-8"
    if b"\x00" in data:
        codec = _looks_utf16(data)
        if codec is None:
            raise _not_text(name, "it holds NUL bytes")
        text, encoding = data.decode(codec), "UTF-16"
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, encoding = _cp1252(data), "Windows-1252"
    return _finish(text, name), encoding


def _finish(text: str, name: str) -> str:
    controls = sum(
        1
        for ch in text
        if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc" and ch != "\x85"
    )
    if "\x00" in text or controls > max(3, len(text) // 10):
        raise _not_text(name, "it holds control characters")
    text = normalise_newlines(text)
    return text[:-1] if text.endswith("\x1a") else text  # a DOS end-of-file mark
