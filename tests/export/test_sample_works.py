"""Every bundled sample work through every format, read back: title, chapter headings and
the first words of each chapter's prose are there, in order."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from writer.core.library import Library
from writer.export.base import ExportOptions
from writer.export.formats import FORMATS
from writer.render.assembled import assemble
from writer.render.plaintext import markdown_to_plain

TEXT_FORMATS = sorted(FORMATS)


def read_back(path: Path, name: str) -> str:
    """The visible text of an export, whatever its format."""
    if name == "ao3":
        return html.unescape(re.sub(r"<[^>]+>", " ", (path / "work.html").read_text("utf-8")))
    if name in ("md", "txt"):
        return path.read_text(encoding="utf-8")
    if name == "html":
        return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
    if name in ("epub", "odt"):
        with zipfile.ZipFile(path) as archive:
            parts = [
                archive.read(n).decode("utf-8")
                for n in sorted(archive.namelist())
                if n.endswith((".xhtml", "content.xml"))
            ]
        if name == "epub":  # spine order is the file order: title, chapter-001, …
            parts.sort(key=lambda text: 0 if "title-page" in text else 1)
        return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(parts)))
    if name == "docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if name == "pdf":
        if shutil.which("pdftotext") is None:
            if os.environ.get("CI"):
                pytest.fail("pdftotext is missing (install poppler-utils)")
            pytest.skip("pdftotext is not installed")
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    raise AssertionError(name)


def first_words(markdown_text: str, count: int = 4) -> str:
    words = markdown_to_plain(markdown_text).split()
    return " ".join(words[:count])


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_every_sample_work_in_every_format(sample_library, tmp_path, name):
    fmt = FORMATS[name]
    for project in Library(sample_library).projects():
        work = assemble(project)
        target = tmp_path / f"{project.slug}{fmt.extension or '-ao3'}"
        fmt.exporter()(work, target, ExportOptions())
        text = " ".join(read_back(target, name).split())
        markers = [] if name == "ao3" else [project.title]
        for chapter in work.chapters:
            if chapter.heading and (name != "ao3" or len(work.chapters) > 1):
                markers.append(chapter.heading)
            markers.append(first_words(chapter.markdown))
        position = 0
        for marker in markers:
            found = text.find(" ".join(marker.split()), position)
            assert found >= 0, f"{name}: {marker!r} missing or out of order in {project.title}"
            position = found
