"""The find and replace bar that sits under the editor.

Why one matching engine: counting ("3 of 12"), stepping, highlighting and Replace All all
use Python's ``re`` over the document's text, so they can never disagree about what a match
is, and ``\\1`` in a replacement means what Python users expect.  Matches are found in
Python indices and converted to Qt positions only to select them.  Empty matches (``x*``,
``^``) are ignored everywhere: there is nothing to select or count in them.
"""

from __future__ import annotations

import contextlib
import re
from bisect import bisect_left

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from writer.gui.editor import document_text
from writer.gui.highlighter import Utf16Offsets

__all__ = ["FindReplaceBar"]

#: Highlighting every hit of a one-letter search in a novel would stall typing; past this
#: many, only the count is shown.
MAX_HIGHLIGHTS = 2000
_REFRESH_MS = 150
_EXTRA_KEY = "find"


class FindReplaceBar(QWidget):
    """Find (Ctrl+F) and replace (Ctrl+H) in the document shown by ``editor``.

    Enter finds the next match, Shift+Enter the previous one, both wrapping around; Esc
    hides the bar and gives the focus back to the editor.  ``find_action`` and
    ``replace_action`` carry the shortcuts; they are installed on the editor and the bar
    only with ``install_shortcuts=True``, because a window that puts them (or its own
    Ctrl+F) in a menu would otherwise make the shortcut ambiguous and dead.
    """

    def __init__(
        self,
        editor: QPlainTextEdit,
        parent: QWidget | None = None,
        *,
        install_shortcuts: bool = False,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._document = editor.document()
        self._cache: tuple[str, Utf16Offsets, list[re.Match[str]]] | None = None
        self._error = ""
        self._build()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(_REFRESH_MS)
        self._refresh_timer.timeout.connect(self._refresh)
        self._document.contentsChanged.connect(self._on_contents_changed)
        document_changed = getattr(editor, "document_changed", None)
        if document_changed is not None:
            document_changed.connect(self._on_document_changed)
        editor.installEventFilter(self)
        self.find_action = QAction("&Find…", self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.triggered.connect(self.show_find)
        self.replace_action = QAction("&Replace…", self)
        self.replace_action.setShortcut(QKeySequence("Ctrl+H"))
        self.replace_action.triggered.connect(self.show_replace)
        if install_shortcuts:
            for action in (self.find_action, self.replace_action):
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                editor.addAction(action)
                self.addAction(action)

    def _build(self) -> None:
        self.find_field = QLineEdit(placeholderText="Find")
        self.find_field.setClearButtonEnabled(True)
        self.replace_field = QLineEdit(placeholderText="Replace with")
        self.previous_button = QPushButton("Previous", toolTip="Previous match (Shift+Enter)")
        self.next_button = QPushButton("Next", toolTip="Next match (Enter)")
        self.replace_button = QPushButton("Replace")
        self.replace_all_button = QPushButton("Replace All", toolTip="Replace every match")
        self.case_box = QCheckBox("Match case")
        self.word_box = QCheckBox("Whole word")
        self.regex_box = QCheckBox("Regular expression")
        self.status_label = QLabel()
        self.status_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000 of 0000"))
        self.close_button = QToolButton(toolTip="Close (Esc)", autoRaise=True)
        self.close_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton)
        )
        field_width = 28 * self.fontMetrics().averageCharWidth()
        for field in (self.find_field, self.replace_field):
            field.setMinimumWidth(field_width)  # the two fields line up
        find_row = QHBoxLayout()
        for widget in (self.find_field, self.previous_button, self.next_button, self.case_box):
            find_row.addWidget(widget)
        for widget in (self.word_box, self.regex_box, self.status_label, self.close_button):
            find_row.addWidget(widget, 1 if widget is self.status_label else 0)
        self.replace_row = QWidget()
        replace_layout = QHBoxLayout(self.replace_row)
        replace_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.replace_field, self.replace_button, self.replace_all_button):
            replace_layout.addWidget(widget)
        replace_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(find_row)
        layout.addWidget(self.replace_row)

        self.find_field.textChanged.connect(self._search_as_typed)
        for box in (self.case_box, self.word_box, self.regex_box):
            box.toggled.connect(self._search_as_typed)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace)
        self.replace_all_button.clicked.connect(self.replace_all)
        self.close_button.clicked.connect(self.hide_bar)
        self.find_field.installEventFilter(self)
        self.replace_field.installEventFilter(self)

    def show_find(self) -> None:
        """Open in find-only mode, seeded with the selected text."""
        self._open(replace=False)

    def show_replace(self) -> None:
        """Open with the replace row."""
        self._open(replace=True)

    def _open(self, replace: bool) -> None:
        self.replace_row.setVisible(replace)
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_field.blockSignals(True)
            self.find_field.setText(selected)
            self.find_field.blockSignals(False)
        self._cache = None
        self.show()
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()
        self._refresh()

    def hide_bar(self) -> None:
        """Hide, clear the match highlights and give the focus back to the editor."""
        self.hide()
        self._set_highlights([])
        self._editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def pattern(self) -> re.Pattern[str] | None:
        """The compiled search, or ``None`` when the field is empty or the regex is bad
        (the reason is then shown in the status label)."""
        self._error = ""
        query = self.find_field.text()
        if not query:
            return None
        source = query if self.regex_box.isChecked() else re.escape(query)
        if self.word_box.isChecked():
            source = rf"(?<!\w)(?:{source})(?!\w)"
        flags = re.MULTILINE
        if not self.case_box.isChecked():
            flags |= re.IGNORECASE
        try:
            return re.compile(source, flags)
        except (re.error, OverflowError, RecursionError, ValueError) as error:
            self._error = f"Invalid regular expression: {error}"
            return None

    def _matches(self) -> tuple[str, Utf16Offsets, list[re.Match[str]]]:
        """The text, its offset map and the non-empty matches, cached until an edit."""
        if self._editor.document() is not self._document:
            self._on_document_changed(self._editor.document())
        if self._cache is None:
            text = document_text(self._document)
            pattern = self.pattern()
            found = (
                []
                if pattern is None
                else [m for m in pattern.finditer(text) if m.end() > m.start()]
            )
            self._cache = (text, Utf16Offsets(text), found)
        return self._cache

    def match_count(self) -> int:
        """How many matches the document holds."""
        return len(self._matches()[2])

    def _selection(self, offsets: Utf16Offsets) -> tuple[int, int]:
        cursor = self._editor.textCursor()
        return offsets.to_py(cursor.selectionStart()), offsets.to_py(cursor.selectionEnd())

    def _current_index(self) -> int | None:
        """The index of the match that is exactly the editor's selection, if any."""
        _, offsets, matches = self._matches()
        start, end = self._selection(offsets)
        i = bisect_left([m.start() for m in matches], start)
        if i < len(matches) and matches[i].span() == (start, end):
            return i
        return None

    def _select(self, index: int, wrapped: bool = False) -> None:
        _, offsets, matches = self._matches()
        match = matches[index]
        cursor = QTextCursor(self._document)
        cursor.setPosition(offsets.to_qt(match.start()))
        cursor.setPosition(offsets.to_qt(match.end()), QTextCursor.MoveMode.KeepAnchor)
        self._editor.setTextCursor(cursor)
        self._editor.ensureCursorVisible()
        self._show_status(suffix=" (wrapped)" if wrapped else "")

    def find_next(self) -> bool:
        """Select the next match after the selection, wrapping to the first."""
        _, offsets, matches = self._matches()
        if not matches:
            self._show_status()
            return False
        _, end = self._selection(offsets)
        i = bisect_left([m.start() for m in matches], end)
        self._select(i % len(matches), wrapped=i == len(matches))
        return True

    def find_previous(self) -> bool:
        """Select the match before the selection, wrapping to the last."""
        _, offsets, matches = self._matches()
        if not matches:
            self._show_status()
            return False
        start, _ = self._selection(offsets)
        i = bisect_left([m.start() for m in matches], start) - 1
        self._select(i % len(matches), wrapped=i < 0)
        return True

    def _search_as_typed(self) -> None:
        """Jump to the first match at or after the selection start as the query changes."""
        self._cache = None
        _, offsets, matches = self._matches()
        if matches:
            start, _ = self._selection(offsets)
            i = bisect_left([m.start() for m in matches], start)
            self._select(i % len(matches), wrapped=i == len(matches))
        self._refresh()

    def _replacement(self, match: re.Match[str]) -> str | None:
        if not self.regex_box.isChecked():
            return self.replace_field.text()
        try:
            return match.expand(self.replace_field.text())
        except (re.error, IndexError) as error:
            self.status_label.setText(f"Invalid replacement: {error}")
            return None

    def replace(self) -> bool:
        """Replace the selected match and select the next one; if the selection is not a
        match, only find the next one."""
        index = self._current_index()
        if index is None:
            return self.find_next()
        replacement = self._replacement(self._matches()[2][index])
        if replacement is None:
            return False
        cursor = self._editor.textCursor()
        cursor.insertText(replacement)
        self._editor.setTextCursor(cursor)
        self.find_next()
        return True

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        _, offsets, matches = self._matches()
        if not matches:
            self._show_status()
            return 0
        replacements = []
        for match in matches:
            replacement = self._replacement(match)
            if replacement is None:
                return 0
            replacements.append(
                (offsets.to_qt(match.start()), offsets.to_qt(match.end()), replacement)
            )
        cursor = QTextCursor(self._document)
        cursor.beginEditBlock()
        for start, end, replacement in reversed(replacements):
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(replacement)
        cursor.endEditBlock()
        count = len(replacements)
        self._refresh()
        self.status_label.setText(f"Replaced {count}" if count != 1 else "Replaced 1")
        return count

    def _show_status(self, suffix: str = "") -> None:
        _, _, matches = self._matches()
        if self._error:
            text = self._error
        elif not self.find_field.text():
            text = ""
        elif not matches:
            text = "No matches"
        else:
            index = self._current_index()
            if index is not None:
                text = f"{index + 1} of {len(matches)}{suffix}"
            else:
                text = f"{len(matches)} match" + ("es" if len(matches) != 1 else "")
        self.status_label.setText(text)

    def _refresh(self) -> None:
        """Recount and rehighlight (after a query change, or shortly after edits)."""
        if not self.isVisible():
            return
        _, offsets, matches = self._matches()
        self._show_status()
        self._set_highlights(
            matches[:MAX_HIGHLIGHTS] if len(matches) <= MAX_HIGHLIGHTS else [], offsets
        )

    def _set_highlights(
        self, matches: list[re.Match[str]], offsets: Utf16Offsets | None = None
    ) -> None:
        selections = []
        if matches and offsets is not None:
            colour = QColor(self._editor.palette().color(QPalette.ColorRole.Highlight))
            colour.setAlpha(70)
            hit = QTextCharFormat()
            hit.setBackground(colour)
            for match in matches:
                selection = QTextEdit.ExtraSelection()
                selection.format = hit
                cursor = QTextCursor(self._document)
                cursor.setPosition(offsets.to_qt(match.start()))
                cursor.setPosition(offsets.to_qt(match.end()), QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selections.append(selection)
        setter = getattr(self._editor, "set_extra_selections_for", None)
        if setter is not None:
            setter(_EXTRA_KEY, selections)
        else:
            self._editor.setExtraSelections(selections)

    def _on_contents_changed(self) -> None:
        self._cache = None
        if self.isVisible():
            self._refresh_timer.start()

    def _on_document_changed(self, document: QObject) -> None:
        """The editor shows another document: follow it."""
        with contextlib.suppress(RuntimeError, TypeError):  # the old one may be gone
            self._document.contentsChanged.disconnect(self._on_contents_changed)
        self._document = self._editor.document()
        self._document.contentsChanged.connect(self._on_contents_changed)
        self._cache = None
        self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Enter/Shift+Enter in the fields, Esc in the fields or the editor."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if key == Qt.Key.Key_Escape and self.isVisible():
            self.hide_bar()
            return True
        if watched in (self.find_field, self.replace_field) and key in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            backwards = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if backwards:
                self.find_previous()
            elif watched is self.replace_field:
                self.replace()
            else:
                self.find_next()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.hide_bar()
            return
        super().keyPressEvent(event)
