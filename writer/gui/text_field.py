"""A multi-line metadata field: a heading, a live character counter and a plain text editor.

The counter reads ``123 / 1,250`` against the archive's limit and turns into a warning
(a ⚠ marker, bold, in the palette's text colour instead of the dimmed one) once the text
is longer. Limits are only reported: the text is never cut.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def count_label(count: int, limit: int | None) -> tuple[str, bool]:
    """The counter's text and whether it is over the limit."""
    if limit is None:
        return f"{count:,} characters", False
    over = count > limit
    return f"{'⚠ ' if over else ''}{count:,} / {limit:,}", over


def set_warning_look(label: QLabel, warn: bool) -> None:
    """Dimmed small text normally; bold in the full text colour when it warns."""
    font = label.font()
    font.setBold(warn)
    label.setFont(font)
    role = QPalette.ColorRole.WindowText if warn else QPalette.ColorRole.PlaceholderText
    label.setForegroundRole(role)
    label.setProperty("warning", warn)


class TextField(QWidget):
    """A labelled ``QPlainTextEdit`` (objectName ``name``) with a counter (``name_counter``).

    ``changed`` is emitted for every change of the text except through ``set_text``.
    Widgets added with ``add_header_widget`` (a copy button) sit at the right of the heading.
    """

    changed = Signal()

    def __init__(
        self,
        label: str,
        name: str,
        limit: int | None = None,
        lines: int = 4,
        note: str = "",
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.limit = limit
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        header = QHBoxLayout()
        header.setSpacing(4)
        self.label = QLabel(label)
        self.counter = QLabel()
        self.counter.setObjectName(f"{name}_counter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._small(self.counter)
        header.addWidget(self.label)
        header.addStretch(1)
        header.addWidget(self.counter)
        self._header = header
        layout.addLayout(header)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName(name)
        self.editor.setAccessibleName(label)
        self.editor.setTabChangesFocus(True)
        self.editor.setPlaceholderText(placeholder)
        self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        margins = self.editor.contentsMargins()
        frame = 2 * self.editor.frameWidth() + margins.top() + margins.bottom()
        document_margin = 2 * int(self.editor.document().documentMargin())
        line = self.editor.fontMetrics().lineSpacing()
        self.editor.setFixedHeight(lines * line + frame + document_margin + 2)
        self.editor.textChanged.connect(self._on_text_changed)
        self.label.setBuddy(self.editor)
        layout.addWidget(self.editor)
        self.note = QLabel(note)
        self.note.setObjectName(f"{name}_note")
        self.note.setWordWrap(True)
        self._small(self.note)
        self.note.setVisible(bool(note))
        layout.addWidget(self.note)
        self._update_counter()

    @staticmethod
    def _small(label: QLabel) -> None:
        font = label.font()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 0.9)
        label.setFont(font)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    def add_header_widget(self, widget: QWidget) -> None:
        self._header.addWidget(widget)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Show ``text`` without emitting ``changed``; resets the editor's undo history."""
        self._loading = True
        try:
            self.editor.setPlainText(text)
        finally:
            self._loading = False
        self._update_counter()

    def set_limit(self, limit: int | None) -> None:
        """Count against another limit (None: just count characters)."""
        self.limit = limit
        self._update_counter()

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and len(self.text()) > self.limit

    def _on_text_changed(self) -> None:
        self._update_counter()
        if not self._loading:
            self.changed.emit()

    def _update_counter(self) -> None:
        text, over = count_label(len(self.text()), self.limit)
        self.counter.setText(text)
        set_warning_look(self.counter, over)
        if over:
            self.counter.setToolTip(
                f"The archive takes at most {self.limit:,} characters here; "
                "it will refuse the text until it is shorter."
            )
        else:
            self.counter.setToolTip("")
