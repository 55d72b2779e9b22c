"""The editor's font and line width: chosen from the View menu, kept between runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFontDialog, QInputDialog

from writer.gui.editor import DEFAULT_LINE_WIDTH
from writer.gui.window_state import window_settings

if TYPE_CHECKING:
    from writer.gui.editor import MarkdownEditor
    from writer.gui.main_window import MainWindow


def apply_saved_typography(editor: MarkdownEditor) -> None:
    """Give the editor the font and line width chosen in an earlier run, if any."""
    settings = window_settings()
    font = QFont()
    saved_font = settings.value("editor_font", "")
    if saved_font and font.fromString(str(saved_font)):
        editor.set_editor_font(font)
    width = int(settings.value("line_width", DEFAULT_LINE_WIDTH) or 0)
    editor.set_line_width(width or None)


def set_typography(editor: MarkdownEditor, font: QFont | None, width: int | None) -> None:
    """Apply and remember a font (None: keep) and a line width in characters (None: full)."""
    settings = window_settings()
    if font is not None:
        editor.set_editor_font(font)
        settings.setValue("editor_font", font.toString())
    editor.set_line_width(width)
    settings.setValue("line_width", width or 0)
    settings.sync()


def choose_font(window: MainWindow) -> None:
    ok, font = QFontDialog.getFont(window.editor.font(), window, "Editor font")
    if ok:
        set_typography(window.editor, font, window.editor.line_width())


def choose_line_width(window: MainWindow) -> None:
    width, ok = QInputDialog.getInt(
        window,
        "Line width",
        "Characters per line (0 for the full width of the window):",
        window.editor.line_width() or 0,
        0,
        300,
    )
    if ok:
        set_typography(window.editor, None, width or None)
