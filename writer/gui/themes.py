"""The app's looks: light, dark and sepia palettes, and the editor's line spacing.

Themes are nothing but a :class:`QPalette` given to the whole application. Every widget
that draws its own colours derives them from the palette and reacts to
``QEvent.PaletteChange`` (the window re-colours the Markdown highlighting, the preview
rebuilds its book stylesheet from ``Text``, ``Base``, ``Link`` and ``Mid``), so
:func:`apply_theme` is all a theme switch needs. ``"system"`` gives the platform's own
palette (and style) back, as they were before the first switch.

Colours were picked for contrast: text on its background, button text on buttons,
highlighted text on the highlight, links and placeholder text on the page all reach the
WCAG AA ratio of 4.5:1 (the tests check it with :func:`contrast_ratio`).

Line spacing: ``QPlainTextEdit`` lays its paragraphs out with ``QPlainTextDocumentLayout``,
which ignores ``QTextBlockFormat.lineHeight`` (setting it would also put an undo step and
a "modified" mark on the chapter). :class:`SpacedTextLayout` is that layout with every
line moved apart after Qt has laid it out; :func:`apply_line_spacing` gives it to the
document an editor shows. The text itself is never touched.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPalette, QTextBlock, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
)

__all__ = [
    "LINE_SPACING_RANGE",
    "THEMES",
    "SpacedTextLayout",
    "apply_line_spacing",
    "apply_theme",
    "contrast_ratio",
    "current_theme",
    "line_spacing_of",
    "theme_palette",
]

#: Theme names and what the settings dialog calls them.
THEMES: dict[str, str] = {
    "system": "Same as the system",
    "light": "Light",
    "dark": "Dark",
    "sepia": "Sepia (warm paper)",
}

#: Line spacing in percent of the font's line height.
LINE_SPACING_RANGE = (100, 250)

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

# Active and inactive colours per role; the disabled group gets the ``disabled`` entries.
_PALETTES: dict[str, dict[str, dict[QPalette.ColorRole, str]]] = {
    "light": {
        "normal": {
            _Role.Window: "#efeff1",
            _Role.WindowText: "#1d1d1f",
            _Role.Base: "#ffffff",
            _Role.AlternateBase: "#f4f4f6",
            _Role.Text: "#1d1d1f",
            _Role.Button: "#e6e6ea",
            _Role.ButtonText: "#1d1d1f",
            _Role.BrightText: "#b00020",
            _Role.Light: "#ffffff",
            _Role.Midlight: "#d9d9de",
            _Role.Mid: "#a3a3a9",
            _Role.Dark: "#8a8a90",
            _Role.Shadow: "#55555a",
            _Role.Highlight: "#2a62b8",
            _Role.HighlightedText: "#ffffff",
            _Role.Link: "#1f4e8c",
            _Role.LinkVisited: "#5e3a8c",
            _Role.PlaceholderText: "#6b6b70",
            _Role.ToolTipBase: "#fffbe0",
            _Role.ToolTipText: "#1d1d1f",
        },
        "disabled": {
            _Role.WindowText: "#8e8e93",
            _Role.Text: "#8e8e93",
            _Role.ButtonText: "#8e8e93",
            _Role.Base: "#f4f4f6",
            _Role.Highlight: "#b9b9be",
            _Role.HighlightedText: "#f4f4f6",
        },
    },
    "dark": {
        "normal": {
            _Role.Window: "#2b2b2f",
            _Role.WindowText: "#e6e6e8",
            _Role.Base: "#1e1e21",
            _Role.AlternateBase: "#27272b",
            _Role.Text: "#e6e6e8",
            _Role.Button: "#38383d",
            _Role.ButtonText: "#e6e6e8",
            _Role.BrightText: "#ff8a80",
            _Role.Light: "#55555b",
            _Role.Midlight: "#46464c",
            _Role.Mid: "#5e5e65",
            _Role.Dark: "#18181a",
            _Role.Shadow: "#000000",
            _Role.Highlight: "#2f6bc4",
            _Role.HighlightedText: "#ffffff",
            _Role.Link: "#8ab4f8",
            _Role.LinkVisited: "#c3a6f5",
            _Role.PlaceholderText: "#9d9da4",
            _Role.ToolTipBase: "#3a3a40",
            _Role.ToolTipText: "#e6e6e8",
        },
        "disabled": {
            _Role.WindowText: "#77777e",
            _Role.Text: "#77777e",
            _Role.ButtonText: "#77777e",
            _Role.Base: "#242428",
            _Role.Highlight: "#46464c",
            _Role.HighlightedText: "#a0a0a6",
        },
    },
    "sepia": {
        "normal": {
            _Role.Window: "#e9ddc3",
            _Role.WindowText: "#3b2a1a",
            _Role.Base: "#f6edd9",
            _Role.AlternateBase: "#efe4cb",
            _Role.Text: "#3b2a1a",
            _Role.Button: "#e1d3b4",
            _Role.ButtonText: "#3b2a1a",
            _Role.BrightText: "#9b1c1c",
            _Role.Light: "#fbf6ea",
            _Role.Midlight: "#d8c9a9",
            _Role.Mid: "#b5a17c",
            _Role.Dark: "#8c7856",
            _Role.Shadow: "#4d3c28",
            _Role.Highlight: "#8a5a22",
            _Role.HighlightedText: "#fffaf0",
            _Role.Link: "#7a3b10",
            _Role.LinkVisited: "#6b3b6b",
            _Role.PlaceholderText: "#76644c",
            _Role.ToolTipBase: "#fbf3df",
            _Role.ToolTipText: "#3b2a1a",
        },
        "disabled": {
            _Role.WindowText: "#9c8a6e",
            _Role.Text: "#9c8a6e",
            _Role.ButtonText: "#9c8a6e",
            _Role.Base: "#efe4cb",
            _Role.Highlight: "#cbb994",
            _Role.HighlightedText: "#f6edd9",
        },
    },
}

# What the application looked like before the first theme switch: "system" goes back to it.
_original: dict[str, object] = {}
_current = {"name": "system"}


def theme_palette(name: str) -> QPalette | None:
    """The palette of a theme, or ``None`` for ``"system"`` (and unknown names)."""
    spec = _PALETTES.get(name)
    if spec is None:
        return None
    palette = QPalette()
    for role, colour in spec["normal"].items():
        palette.setColor(role, QColor(colour))  # every group
    if hasattr(_Role, "Accent"):  # Qt 6.6+: the accent follows the highlight
        palette.setColor(_Role.Accent, QColor(spec["normal"][_Role.Highlight]))
    for role, colour in spec["disabled"].items():
        palette.setColor(_Group.Disabled, role, QColor(colour))
    return palette


def current_theme() -> str:
    """The theme :func:`apply_theme` last gave the application."""
    return _current["name"]


def _remember(app: QApplication) -> None:
    if not _original:
        palette = QPalette(app.palette())
        _original["palette"] = palette
        _original["follows_platform"] = palette.resolveMask() == 0
        _original["style"] = app.style().name()


def apply_theme(app: QApplication, name: str) -> None:
    """Give the whole application the look ``name`` (one of :data:`THEMES`).

    Unknown names mean ``"system"``. Widgets hear of it through ``QEvent.PaletteChange``,
    which Qt posts: the new colours show at the next turn of the event loop.
    Styles that draw with the platform's own colours (Windows, macOS) would ignore a
    palette, so the light, dark and sepia looks use the Fusion style, and ``"system"``
    puts the original style back.
    """
    name = name if name in THEMES else "system"
    if name == _current["name"]:
        return  # nothing to do, and no needless PaletteChange (which re-highlights)
    _remember(app)
    _current["name"] = name
    original_style = str(_original["style"])
    palette = theme_palette(name)
    if palette is None:
        if app.style().name().lower() != original_style.lower():
            app.setStyle(original_style)
        if _original["follows_platform"]:
            app.setPalette(QPalette())  # resolves to the platform's palette, and follows it
        else:
            app.setPalette(QPalette(_original["palette"]))  # type: ignore[arg-type]
        return
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # built into every Qt
    app.setPalette(palette)


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21; text wants at least 4.5)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# ------------------------------------------------------------------ line spacing


class SpacedTextLayout(QPlainTextDocumentLayout):
    """``QPlainTextDocumentLayout`` with extra room between lines.

    Qt lays each paragraph out as usual; the first time a paragraph's geometry is asked
    for afterwards (``QPlainTextEdit`` always asks before it paints, scrolls, places the
    cursor or hit-tests), its lines are moved apart: each line gets ``percent`` of its own
    height, the text centred in it, as CSS ``line-height`` does. Lines keep their height,
    so the cursor and selections stay as tall as the text.
    """

    def __init__(self, document: QTextDocument, percent: int = 100) -> None:
        super().__init__(document)
        self._factor = max(percent, LINE_SPACING_RANGE[0]) / 100.0

    def line_spacing(self) -> int:
        """The spacing in percent."""
        return round(self._factor * 100)

    def set_line_spacing(self, percent: int) -> None:
        """Space lines at ``percent`` (100: as Qt would) and lay the document out again."""
        low, high = LINE_SPACING_RANGE
        factor = min(max(int(percent), low), high) / 100.0
        if factor == self._factor:
            return
        self._factor = factor
        document = self.document()
        document.markContentsDirty(0, document.characterCount())
        self.documentSizeChanged.emit(self.documentSize())

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:  # noqa: N802 - Qt's name
        rect = super().blockBoundingRect(block)
        factor = self._factor
        if factor == 1.0 or not block.isVisible():
            return rect
        layout = block.layout()
        count = layout.lineCount()
        if count == 0:
            return rect
        first = layout.lineAt(0)
        if abs(first.y() - first.height() * (factor - 1) / 2) > 0.01:
            # Freshly laid out by Qt (the first line sits at 0): spread the lines.
            top = 0.0
            for index in range(count):
                line = layout.lineAt(index)
                height = line.height()
                line.setPosition(QPointF(line.x(), top + height * (factor - 1) / 2))
                top += height * factor
        last = layout.lineAt(count - 1)
        height = last.y() + last.height() * (1 + factor) / 2
        if not block.next().isValid():
            height += self.document().documentMargin()
        return QRectF(rect.x(), rect.y(), rect.width(), height)


def line_spacing_of(document: QTextDocument) -> int:
    """The line spacing of ``document`` in percent (100 when it has the plain layout)."""
    layout = document.documentLayout()
    return layout.line_spacing() if isinstance(layout, SpacedTextLayout) else 100


def apply_line_spacing(editor: QPlainTextEdit, percent: int) -> None:
    """Space the lines of the document ``editor`` shows at ``percent`` (100–250).

    Only the shown document changes: call it again after the editor switches documents
    (``install_settings`` does so on ``MarkdownEditor.document_changed``). The first
    time a document gets a spacing other than 100 %, its layout is replaced by a
    :class:`SpacedTextLayout` (a ``QPlainTextEdit`` cannot have the layout of the
    document it shows replaced, so the editor lets go of the document for that moment,
    then shows it again with the same cursor and scroll position). Qt highlights the
    document again then, once. Text, undo history and the modified flag are untouched.
    """
    low, high = LINE_SPACING_RANGE
    percent = min(max(int(percent), low), high)
    document = editor.document()
    layout = document.documentLayout()
    if isinstance(layout, SpacedTextLayout):
        layout.set_line_spacing(percent)
    elif percent != 100:
        _give_spaced_layout(editor, document, percent)
    else:
        return
    editor.viewport().update()


def _give_spaced_layout(editor: QPlainTextEdit, document: QTextDocument, percent: int) -> None:
    cursor = editor.textCursor()
    anchor, position = cursor.anchor(), cursor.position()
    scroll = editor.verticalScrollBar().value()
    extra = editor.extraSelections()
    stand_in = QTextDocument()
    stand_in.setDocumentLayout(QPlainTextDocumentLayout(stand_in))
    blocked = editor.blockSignals(True)  # the text did not change: tell nobody it did
    try:
        QPlainTextEdit.setDocument(editor, stand_in)
        document.setDocumentLayout(SpacedTextLayout(document, percent))
        QPlainTextEdit.setDocument(editor, document)
        restored = QTextCursor(document)
        restored.setPosition(anchor)
        restored.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(restored)
        editor.setExtraSelections(extra)
        editor.verticalScrollBar().setValue(scroll)
    finally:
        editor.blockSignals(blocked)
