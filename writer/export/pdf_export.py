"""Export as PDF through Qt (QPdfWriter + QTextDocument): no extra dependency.

Why paint page by page instead of ``QTextDocument.print_()``: ``print_`` chooses its own
margins and draws no page numbers the author can control. Here the document is laid out
on the page's printable area minus a footer band, each page is drawn through a clip of
its own slice of the layout, and the page number is painted in the footer band.

Chapters start on a new page through ``page-break-before: always``, which Qt's rich-text
layout honours on block elements when the document has a page size. The content is the
same HTML the preview and the HTML export show (``work_to_html``) with the shared book
stylesheet; only what Qt cannot draw well (a short centred rule, images that are not in
the export) is rewritten first.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from writer.core.errors import WriterError
from writer.export.base import ExportOptions, Progress, atomic_output_path, report
from writer.render.assembled import AssembledWork
from writer.render.stylesheet import PRINT_COLOURS, book_stylesheet
from writer.render.work_html import work_to_html

#: Resolution of the PDF's coordinate space. Far higher values have truncated long
#: documents in Qt elsewhere; 300 dpi is print quality and safe.
RESOLUTION_DPI = 300

_PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}

# Kept alive for the life of the process: Qt needs a GUI application for fonts and text
# layout, and when the CLI exports there is none unless we make one.
_APP: QGuiApplication | None = None

_SCENE_BREAK = re.compile(r'<hr class="scene-break"\s*/?>')
_IMAGE = re.compile(r"<img\b[^>]*>")
_ALT = re.compile(r'\balt="([^"]*)"')
_CSS_UNSAFE = re.compile(r'["\\{};<>]')

# Qt draws <hr> full width whatever the CSS says, so a scene break is printed as the
# centred marker print books use.
_SCENE_MARKER = '<p class="scene-break" align="center">*\u2003*\u2003*</p>'


def ensure_gui_application() -> QGuiApplication:
    """The running Qt application, or a new one when called from the CLI without one.

    Without a display (no ``DISPLAY``/``WAYLAND_DISPLAY``) Qt's default platform would
    abort the process, so the offscreen platform is chosen unless the user set one. The
    new application is a widgets ``QApplication`` when QtWidgets is available: Qt allows
    one application per process, and a bare ``QGuiApplication`` made here would break any
    window (or widget test) created later in the same process.
    """
    global _APP
    app = QGuiApplication.instance()
    if app is not None:
        if not isinstance(app, QGuiApplication):
            raise WriterError("PDF export needs a Qt GUI application, not a core application")
        return app
    no_display = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    if no_display and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:  # a Qt build without widgets still prints
        _APP = QGuiApplication(["writer"])
    else:
        _APP = QApplication(["writer"])
    return _APP


def _print_css(options: ExportOptions) -> str:
    """The book stylesheet, the chosen font, and page breaks before parts and chapters."""
    family = _CSS_UNSAFE.sub("", options.font_family).strip() or "serif"
    # Qt scales CSS pixels in margins to the 300 dpi device but not text-indent, so the
    # book sheet's 24px first-line indent is converted here.
    indent = round(24 * RESOLUTION_DPI / 96)
    return (
        book_stylesheet(PRINT_COLOURS)
        + f'\nbody {{ font-family: "{family}"; font-size: {options.font_size_pt:g}pt; }}\n'
        f"p {{ text-indent: {indent}px; }}\n"
        "div.chapter, h1.part-heading { page-break-before: always; }\n"
        "h1.part-heading { margin-top: 8em; }\n"
        "p.scene-break, p.label, .summary p, .footnote p { text-indent: 0px; }\n"
        "p.scene-break { margin-top: 0.8em; margin-bottom: 0.8em; }\n"
    )


def _image_text(match: re.Match[str]) -> str:
    """An image the PDF cannot load becomes its alt text rather than a broken icon."""
    alt = _ALT.search(match.group(0))
    return f"<em>[{alt.group(1)}]</em>" if alt and alt.group(1).strip() else ""


def print_html(work: AssembledWork) -> str:
    """The work's HTML with what Qt cannot print well replaced."""
    html = _SCENE_BREAK.sub(_SCENE_MARKER, work_to_html(work))
    return _IMAGE.sub(_image_text, html)


def _without_ligatures(document: QTextDocument) -> None:
    """Turn off standard ligatures: Qt's PDF text maps a ligature glyph to one character
    (U+FB01 for "fi"), so searching or copying "finale" from the PDF would fail."""
    cursor = QTextCursor(document)
    cursor.select(QTextCursor.SelectionType.Document)
    no_ligatures = QTextCharFormat()
    no_ligatures.setFontFeatures({QFont.Tag("liga"): 0})
    cursor.mergeCharFormat(no_ligatures)


def _new_writer(path: Path, work: AssembledWork, options: ExportOptions) -> QPdfWriter:
    """A PDF writer with the page size, margins, resolution and document info set."""
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    page_size = QPageSize(_PAGE_SIZES.get(options.page_size, QPageSize.PageSizeId.A4))
    margin = max(0.0, float(options.margin_mm))
    layout = QPageLayout(
        page_size,
        QPageLayout.Orientation.Portrait,
        QMarginsF(margin, margin, margin, margin),
        QPageLayout.Unit.Millimeter,
    )
    if not writer.setPageLayout(layout):
        raise WriterError(f"{path.name}: margins of {margin:g} mm do not fit the page")
    meta = work.meta
    writer.setTitle(meta.title)
    writer.setCreator("writer")
    authors = ", ".join(a for a in [meta.author, *meta.co_authors] if a)
    if authors and hasattr(writer, "setAuthor"):  # Qt 6.8 and later
        writer.setAuthor(authors)
    return writer


def _paint(
    writer: QPdfWriter,
    document: QTextDocument,
    options: ExportOptions,
    progress: Progress | None,
) -> int:
    """Lay the document out on the pages and paint them one by one; returns the count."""
    area = writer.pageLayout().paintRectPixels(RESOLUTION_DPI)
    number_font = QFont(options.font_family)
    number_font.setPointSizeF(max(6.0, options.font_size_pt * 0.85))
    footer = QFontMetricsF(number_font, writer).height() * 2.5 if options.page_numbers else 0.0
    width, height = float(area.width()), float(area.height()) - footer
    if height <= footer:
        raise WriterError("the margins leave no room for text on the page")
    # Laying out against the writer makes point sizes and CSS pixels scale to 300 dpi.
    document.documentLayout().setPaintDevice(writer)
    document.setPageSize(QSizeF(width, height))
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise WriterError("cannot start writing the PDF file")
    try:
        for index in range(pages):
            if index:
                writer.newPage()
            top = index * height
            painter.save()
            painter.setClipRect(QRectF(0, 0, width, height))
            painter.translate(0, -top)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, top, width, height)
            document.documentLayout().draw(painter, context)
            painter.restore()
            if options.page_numbers:
                painter.setFont(number_font)
                painter.setPen(Qt.GlobalColor.black)
                band = QRectF(0, height, width, footer)
                painter.drawText(band, int(Qt.AlignmentFlag.AlignCenter), str(index + 1))
            report(progress, index + 1, pages)
    except BaseException:
        painter.end()
        raise
    # Ending the painter writes the PDF's trailer and closes the file: it can still fail.
    if not painter.end():
        raise WriterError("cannot finish writing the PDF file")
    return pages


def export(
    work: AssembledWork, target: Path, options: ExportOptions, progress: Progress | None = None
) -> list[Path]:
    """Write the work as a paginated PDF with page numbers; chapters start new pages."""
    ensure_gui_application()
    document = QTextDocument()
    document.setDocumentMargin(0)
    font = QFont(options.font_family)
    font.setPointSizeF(options.font_size_pt)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(_print_css(options))
    document.setHtml(print_html(work))
    _without_ligatures(document)
    with atomic_output_path(target) as path:
        writer = _new_writer(path, work, options)
        try:
            _paint(writer, document, options, progress)
        finally:
            # The layout must not keep pointing at the writer once it is deleted, and the
            # file is complete only once the writer is gone: rename after that.
            document.documentLayout().setPaintDevice(None)
            del writer
    return [target]
