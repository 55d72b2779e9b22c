"""The export formats by name, imported lazily so ``md`` never loads Qt."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from writer.core.errors import WriterError
from writer.export.base import Exporter


@dataclass(frozen=True)
class Format:
    """An export format: its name, file extension, module, and what it is for."""

    name: str
    extension: str
    module: str
    description: str

    def exporter(self) -> Exporter:
        return importlib.import_module(self.module).export


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("md", ".md", "writer.export.markdown_export", "one Markdown file"),
        Format("txt", ".txt", "writer.export.text_export", "plain text"),
        Format("html", ".html", "writer.export.html_export", "one styled HTML5 file"),
        Format("ao3", "", "writer.export.archive_export", "archive-ready HTML and field sheet"),
        Format("epub", ".epub", "writer.export.epub_export", "EPUB 3 e-book"),
        Format("docx", ".docx", "writer.export.docx_export", "Word document"),
        Format("odt", ".odt", "writer.export.odt_export", "OpenDocument text"),
        Format("pdf", ".pdf", "writer.export.pdf_export", "PDF through Qt"),
    )
}


def get_format(name: str) -> Format:
    """The format called ``name``, or a one-line error listing the choices."""
    try:
        return FORMATS[name.lower().lstrip(".")]
    except KeyError:
        raise WriterError(f"unknown format {name!r}; formats are: {', '.join(FORMATS)}") from None
