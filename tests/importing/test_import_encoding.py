"""Decoding: BOMs, UTF-8, UTF-16, Windows-1252, line endings, and refusing binary files."""

from __future__ import annotations

from pathlib import Path

import pytest

from writer.core.errors import WriterError
from writer.core.importing import import_paths
from writer.core.importing.encoding import decode_text
from writer.core.library import Library

TEXT = "“Quoted,” she said — and then… nothing.\nÉcole, naïve, ½.\n"


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "UTF-8 with BOM"),
        (TEXT.encode("utf-16"), "UTF-16 with BOM"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "UTF-16 with BOM"),
        (TEXT.encode("utf-32"), "UTF-32 with BOM"),
        (TEXT.encode("utf-16-le"), "UTF-16"),
        (TEXT.encode("cp1252"), "Windows-1252"),
    ],
)
def test_encodings_are_detected_and_typography_is_kept(data, label):
    text, encoding = decode_text(data, "story.txt")
    assert text == TEXT
    assert encoding == label


def test_line_endings_are_normalised():
    text, _ = decode_text(b"one\r\ntwo\rthree\nfour\x1a", "story.txt")
    assert text == "one\ntwo\nthree\nfour"


def test_undefined_windows_1252_bytes_are_kept_as_latin_1():
    text, encoding = decode_text(b"caf\xe9 \x81", "story.txt")
    assert (text, encoding) == ("café \x81", "Windows-1252")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"PK\x03\x04rest", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word 97-2003"),
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"abc\x00def\x00\x01\x02", "NUL"),
        (bytes(range(1, 9)) * 4, "control characters"),
    ],
)
def test_binary_files_are_refused_with_a_clear_message(data, why):
    with pytest.raises(WriterError) as caught:
        decode_text(data, Path("folder/story.txt"))
    assert str(caught.value).startswith("story.txt is not a text file")
    assert why in str(caught.value)


def test_broken_utf16_after_a_bom_is_refused():
    with pytest.raises(WriterError, match="broken UTF-16"):
        decode_text(b"\xff\xfe\x00\xd8", "story.txt")


def test_a_binary_file_imports_nothing_and_the_others_still_import(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Title: Good\n\nSome prose.\n", encoding="utf-8")
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    library = Library(tmp_path / "lib")
    results = import_paths([bad, good], library)
    assert [r.action for r in results] == ["failed", "created"]
    assert "photo.txt is not a text file" in results[0].error
    assert [p.name for p in library.project_dirs()] == ["good"]


def test_a_damaged_docx_or_epub_is_a_clear_error(tmp_path):
    docx = tmp_path / "story.docx"
    docx.write_bytes(b"not a zip at all")
    epub = tmp_path / "story.epub"
    epub.write_bytes(b"not a zip either")
    results = import_paths([docx, epub], Library(tmp_path / "lib"), dry_run=True)
    assert [r.action for r in results] == ["failed", "failed"]
    assert "story.docx is not a readable DOCX file" in results[0].error
    assert "story.epub is not an EPUB file" in results[1].error


def test_unknown_file_types_are_refused(tmp_path):
    file = tmp_path / "story.odt"
    file.write_bytes(b"whatever")
    result = import_paths([file], Library(tmp_path / "lib"))[0]
    assert result.action == "failed" and "cannot import .odt" in result.error


def test_windows_1252_files_get_a_warning(helpers, tmp_path):
    result = import_paths([helpers.fixtures / "txt_cp1252.txt"], Library(tmp_path / "lib"))[0]
    assert any("Windows-1252" in w for w in result.warnings)
