"""The Markdown editor: one widget that shows whichever document is open.

Why one editor and many documents: each open document is its own ``QTextDocument`` (made
by :func:`create_document`) with its own undo history and highlighter, and the editor is
pointed at one after another with :meth:`MarkdownEditor.set_document`.  Switching is then
instant and undo never crosses from one chapter into another.

Offsets in this module's public API are Python indices into the Markdown text (what the
search index and the core see); Qt counts emoji as two positions, so they are converted.
"""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QEvent, QMargins, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontMetricsF,
    QKeySequence,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QPlainTextDocumentLayout, QPlainTextEdit, QTextEdit, QWidget

from writer.gui.highlighter import MarkdownHighlighter, Utf16Offsets

__all__ = [
    "DEFAULT_LINE_WIDTH",
    "MarkdownEditor",
    "create_document",
    "default_editor_font",
    "document_text",
    "highlighter_for",
]

#: Characters per line: about the measure of a printed novel, comfortable to read.
DEFAULT_LINE_WIDTH = 80
#: Column used in focus mode when the normal view is full width.
FOCUS_LINE_WIDTH = 72
DEFAULT_POINT_SIZE = 12
TAB_SPACES = 4
_SERIF_FAMILIES = [
    "Charter",
    "Georgia",
    "Source Serif 4",
    "Noto Serif",
    "DejaVu Serif",
    "Liberation Serif",
    "Times New Roman",
]
_WORD_RE = re.compile(r"\w+(?:['\u2019]\w+)*")
_VIEW_PROPERTY = "writer_editor_view"


def default_editor_font() -> QFont:
    """A readable serif at 12 pt, falling back to whatever serif the system has."""
    font = QFont()
    font.setFamilies(_SERIF_FAMILIES)
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSize(DEFAULT_POINT_SIZE)
    return font


def document_text(document: QTextDocument) -> str:
    """The exact text of ``document``, with ``\\n`` between paragraphs.

    Unlike ``toPlainText()`` this keeps non-breaking spaces (French and typographic
    manuscripts rely on them); every character keeps its position, so offsets agree
    with the editor's.
    """
    return document.toRawText().replace("\u2029", "\n").replace("\u2028", "\n")


def create_document(text: str, parent: QObject | None = None) -> QTextDocument:
    """A document for the editor holding ``text``, highlighted, with nothing to undo.

    The text is set with undo disabled so the first Ctrl+Z cannot empty the chapter, and
    the document starts unmodified.  The highlighter is attached while the document is
    still empty so it colours the text once, synchronously, as it is set.  Keep a Python
    reference to the document (or give it a ``parent``) while an editor shows it, but do
    not make the editor its parent: ``QPlainTextEdit`` deletes a child document when it is
    switched to another one.
    """
    document = QTextDocument(parent)
    document.setDocumentLayout(QPlainTextDocumentLayout(document))
    document.setDefaultFont(default_editor_font())
    MarkdownHighlighter(document)
    document.setUndoRedoEnabled(False)
    document.setPlainText(text)
    document.setUndoRedoEnabled(True)
    document.setModified(False)
    return document


def highlighter_for(document: QTextDocument) -> MarkdownHighlighter | None:
    """The highlighter :func:`create_document` attached to ``document``, if any."""
    for child in document.children():
        if isinstance(child, MarkdownHighlighter):
            return child
    return None


class MarkdownEditor(QPlainTextEdit):
    """A plain-text Markdown editor with a centred column, emphasis shortcuts and focus mode."""

    #: Emitted after :meth:`set_document` shows another document.
    document_changed = Signal(QTextDocument)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._line_width: int | None = DEFAULT_LINE_WIDTH
        self._focus_mode = False
        self._frame_shape = self.frameShape()
        self._extra: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFont(default_editor_font())
        self.bold_action = self._make_action("&Bold", QKeySequence.StandardKey.Bold)
        self.bold_action.triggered.connect(self.toggle_bold)
        self.italic_action = self._make_action("&Italic", QKeySequence.StandardKey.Italic)
        self.italic_action.triggered.connect(self.toggle_italic)
        self.verticalScrollBar().rangeChanged.connect(self._update_margins)
        self.textChanged.connect(self._typewriter)
        self._apply_text_options()

    def _make_action(self, text: str, key: QKeySequence.StandardKey) -> QAction:
        """An action whose shortcut works only while the editor has focus, so Ctrl+B in
        another field does not change the manuscript; the window may add it to menus."""
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def set_document(self, document: QTextDocument) -> None:
        """Show ``document``, remembering where the author was in the one we leave."""
        old = self.document()
        if old is document:
            return
        self._remember_view(old)
        self.setExtraSelections([])
        self._extra.clear()
        if document.defaultFont() != self.font():
            document.setDefaultFont(self.font())
        self.setDocument(document)
        self._apply_text_options()
        highlighter = highlighter_for(document)
        if highlighter is not None:
            if highlighter.palette() != self.palette():
                highlighter.refresh_palette(self.palette())
            if highlighter.font() != self.font():
                highlighter.refresh_font(self.font())
        self._restore_view(document)
        self._update_margins()
        self.document_changed.emit(document)

    def _remember_view(self, document: QTextDocument) -> None:
        cursor = self.textCursor()
        view = [cursor.anchor(), cursor.position(), self.verticalScrollBar().value()]
        document.setProperty(_VIEW_PROPERTY, view)

    def _restore_view(self, document: QTextDocument) -> None:
        view = document.property(_VIEW_PROPERTY)
        if not view:
            return
        anchor, position, scroll = (int(v) for v in view)
        last = max(document.characterCount() - 1, 0)
        cursor = QTextCursor(document)
        cursor.setPosition(min(anchor, last))
        cursor.setPosition(min(position, last), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.verticalScrollBar().setValue(scroll)

    def _apply_text_options(self) -> None:
        """Tab stops and wrapping live on the document, so every shown document gets them."""
        document = self.document()
        option = document.defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        option.setTabStopDistance(TAB_SPACES * QFontMetricsF(self.font()).horizontalAdvance(" "))
        document.setDefaultTextOption(option)

    def toggle_bold(self) -> None:
        """Wrap the selection (or the word at the cursor) in ``**``, or unwrap it."""
        self._toggle("**")

    def toggle_italic(self) -> None:
        """Wrap the selection (or the word at the cursor) in ``*``, or unwrap it."""
        self._toggle("*")

    def _toggle(self, marker: str) -> None:
        if self.isReadOnly():
            return
        cursor = self.textCursor()
        caret: int | None = None
        if cursor.hasSelection():
            segments = self._segments(cursor.selectionStart(), cursor.selectionEnd())
        else:
            word = self._word_at(cursor.position())
            if word is None:
                self._toggle_pair(cursor.position(), marker)
                return
            segments, caret = [word], cursor.position()
        if not segments:
            return
        size = len(marker)
        wrapping = [self._wrapping(start, end, size) for start, end in segments]
        unwrap = all(wrapping)
        edit = QTextCursor(self.document())
        edit.beginEditBlock()
        # Later segments first, so each edit leaves the positions still to edit unchanged.
        inner: list[tuple[int, int]] = []
        deltas: list[int] = []
        for (start, end), where in zip(reversed(segments), reversed(wrapping), strict=True):
            if unwrap:  # the markers are at a.. and b.., inside or around the segment
                a, b = (start, end - size) if where == "inside" else (start - size, end)
                _remove(edit, b, b + size)
                _remove(edit, a, a + size)
                inner.append((a, b - size))
                deltas.append(-2 * size)
            elif where is None:
                _insert(edit, end, marker)
                _insert(edit, start, marker)
                inner.append((start + size, end + size))
                deltas.append(2 * size)
            else:
                inner.append((start, end))
                deltas.append(0)
        edit.endEditBlock()
        inner.reverse()
        deltas.reverse()
        result = QTextCursor(self.document())
        if caret is not None:
            result.setPosition(inner[0][0] + caret - segments[0][0])
        elif len(segments) == 1:
            # Just the text between the markers: toggling again unwraps it.
            result.setPosition(inner[0][0])
            result.setPosition(inner[0][1], QTextCursor.MoveMode.KeepAnchor)
        else:
            # From the first segment to the last, markers included, so toggling again
            # finds every paragraph wrapped; earlier segments shifted the last one.
            first = inner[0][0] - (size if deltas[0] > 0 else 0)
            last = inner[-1][1] + (size if deltas[-1] > 0 else 0) + sum(deltas[:-1])
            result.setPosition(first)
            result.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(result)

    def _segments(self, start: int, end: int) -> list[tuple[int, int]]:
        """The selected text of each paragraph without surrounding blanks: emphasis cannot
        cross paragraphs, and ``** word**`` would not be emphasis."""
        document = self.document()
        segments = []
        block = document.findBlock(start)
        while block.isValid() and block.position() < end:
            seg_start = max(start, block.position())
            seg_end = min(end, block.position() + block.length() - 1)
            while seg_start < seg_end and document.characterAt(seg_start).isspace():
                seg_start += 1
            while seg_end > seg_start and document.characterAt(seg_end - 1).isspace():
                seg_end -= 1
            if seg_start < seg_end:
                segments.append((seg_start, seg_end))
            block = block.next()
        return segments

    def _word_at(self, position: int) -> tuple[int, int] | None:
        """The word touching ``position`` (apostrophes inside words count), in Qt positions."""
        block = self.document().findBlock(position)
        text = block.text()
        offsets = Utf16Offsets(text)
        here = offsets.to_py(position - block.position())
        for match in _WORD_RE.finditer(text):
            if match.start() <= here <= match.end():
                base = block.position()
                return base + offsets.to_qt(match.start()), base + offsets.to_qt(match.end())
            if match.start() > here:
                break
        return None

    def _run(self, position: int, step: int, char: str, limit: int) -> int:
        """How many ``char`` follow ``position`` in direction ``step`` (at most ``limit``)."""
        document, count = self.document(), 0
        if step < 0:
            position -= 1
        while count < limit and 0 <= position < document.characterCount():
            if document.characterAt(position) != char:
                break
            count += 1
            position += step
        return count

    def _wrapping(self, start: int, end: int, size: int) -> str | None:
        """Whether ``start..end`` is already bold (``size`` 2) or italic (``size`` 1):
        ``"inside"`` if the selection includes the markers, ``"outside"`` if they surround
        it, else ``None``.  Runs of three mean both, so ``***x***`` is bold and italic."""
        document = self.document()

        def counts(n: int) -> bool:
            return n >= 2 if size == 2 else n % 2 == 1

        first = document.characterAt(start)
        if first and first in "*_":
            lead = self._run(start, 1, first, end - start)
            trail = self._run(end, -1, first, end - start)
            if lead < end - start and counts(min(lead, trail, 3)):
                return "inside"
        before = document.characterAt(start - 1) if start > 0 else ""
        if before and before in "*_":
            run = min(self._run(start, -1, before, 3), self._run(end, 1, before, 3))
            if counts(run):
                return "outside"
        return None

    def _toggle_pair(self, position: int, marker: str) -> None:
        """No word at the cursor: remove an empty ``**|**`` pair, or type one."""
        size = len(marker)
        run = min(self._run(position, -1, "*", 3), self._run(position, 1, "*", 3))
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        if (run >= 2) if size == 2 else (run % 2 == 1):
            _remove(cursor, position - size, position + size)
            position -= size
        else:
            _insert(cursor, position, marker * 2)
            position += size
        cursor.endEditBlock()
        cursor.setPosition(position)
        self.setTextCursor(cursor)

    def set_editor_font(self, font: QFont) -> None:
        """Use ``font`` for the text; headings scale from it."""
        self.setFont(font)

    def line_width(self) -> int | None:
        """The column width in average characters (``None``: the full width)."""
        return self._line_width

    def set_line_width(self, chars: int | None) -> None:
        """Keep the text at most ``chars`` average characters wide, centred."""
        self._line_width = chars if chars and chars > 0 else None
        self._update_margins()

    def is_focus_mode(self) -> bool:
        """Whether the editor has its focus-mode look."""
        return self._focus_mode

    def set_focus_mode(self, on: bool) -> None:
        """The editor's own side of focus mode: no frame, a column even when the normal
        view is full width, space above and below, and the typing line kept centred."""
        self._focus_mode = on
        self.setFrameShape(QFrame.Shape.NoFrame if on else self._frame_shape)
        self.setCenterOnScroll(on)
        self._update_margins()
        if on:
            self.centerCursor()

    def _column_chars(self) -> int | None:
        if self._focus_mode:
            return self._line_width or FOCUS_LINE_WIDTH
        return self._line_width

    def _update_margins(self) -> None:
        """Centre a column of the chosen width in whatever room the widget has."""
        available = self.contentsRect().width()
        scrollbar = self.verticalScrollBar()
        if scrollbar.isVisibleTo(self):
            available -= scrollbar.sizeHint().width()
        chars = self._column_chars()
        left = right = 0
        if chars is not None:
            average = QFontMetricsF(self.font()).averageCharWidth()
            column = math.ceil(chars * average + 2 * self.document().documentMargin())
            spare = max(available - column, 0)
            left, right = spare // 2, spare - spare // 2
        vertical = self.contentsRect().height() // 10 if self._focus_mode else 0
        margins = QMargins(left, vertical, right, vertical)
        if margins != self.viewportMargins():
            self.setViewportMargins(margins)

    def _typewriter(self) -> None:
        if self._focus_mode and self.hasFocus():
            self.centerCursor()

    def cursor_offset(self) -> int:
        """The cursor position as an index into the Markdown text."""
        return Utf16Offsets(document_text(self.document())).to_py(self.textCursor().position())

    def select_range(self, offset: int, length: int) -> None:
        """Select ``length`` characters of the Markdown from ``offset`` and scroll them into
        the middle of the view (used to jump to search hits)."""
        text = document_text(self.document())
        start = min(max(offset, 0), len(text))
        end = min(max(start + length, start), len(text))
        offsets = Utf16Offsets(text)
        cursor = QTextCursor(self.document())
        cursor.setPosition(offsets.to_qt(start))
        cursor.setPosition(offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor()

    def visible_block_range(self) -> tuple[int, int]:
        """The first and last paragraph numbers (inclusive) at least partly on screen."""
        block = self.firstVisibleBlock()
        first = last = block.blockNumber()
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid():
            if self.blockBoundingGeometry(block).translated(offset).top() > height:
                break
            if block.isVisible():
                last = block.blockNumber()
            block = block.next()
        return first, last

    def set_extra_selections_for(
        self, key: str, selections: list[QTextEdit.ExtraSelection]
    ) -> None:
        """Set the extra selections of one feature (search hits, spelling…) without
        wiping those of the others, which ``setExtraSelections`` alone would do."""
        if selections:
            self._extra[key] = list(selections)
        else:
            self._extra.pop(key, None)
        self.setExtraSelections([s for group in self._extra.values() for s in group])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._update_margins()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        kind = event.type()
        if kind not in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            return
        highlighter = highlighter_for(self.document())
        if kind == QEvent.Type.FontChange:
            self._apply_text_options()
            self._update_margins()
            if highlighter is not None:
                highlighter.refresh_font(self.font())
        elif highlighter is not None:
            highlighter.refresh_palette(self.palette())


def _remove(cursor: QTextCursor, start: int, end: int) -> None:
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()


def _insert(cursor: QTextCursor, position: int, text: str) -> None:
    cursor.setPosition(position)
    cursor.insertText(text)
