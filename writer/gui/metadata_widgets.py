"""The widgets the metadata panel's forms are made of: sections, boxes and rows.

Kept apart from the editors' wiring so that the look of the panel (collapsible sections,
dimmed hints, warning lines, copy buttons beside or above a field) is decided in one
place, and the work's and the document's forms cannot drift apart.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from writer.gui.text_field import set_warning_look


def small(label: QLabel) -> QLabel:
    """A dimmed, slightly smaller, wrapping label: hints and read-only facts."""
    font = label.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setWordWrap(True)
    return label


def warning_label(name: str) -> QLabel:
    """A plain-text label in the warning look, for problems shown under a field."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    set_warning_look(label, True)
    return label


class _WheelWhenFocused:
    """Leaves the mouse wheel to the scrolling panel unless the box has the focus.

    Otherwise scrolling the panel over a box would change the work's metadata.
    """

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class Combo(_WheelWhenFocused, QComboBox):
    """A combo box that leaves the mouse wheel to the scrolling panel unless focused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)


class Spin(_WheelWhenFocused, QSpinBox):
    """A spin box that leaves the mouse wheel to the scrolling panel unless focused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class Section(QWidget):
    """A collapsible section: a heading button and a form below it."""

    def __init__(self, title: str, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"section_{key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.toggle = self._heading(key)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self.body = QWidget()
        self.form = self._form(self.body)
        layout.addWidget(self.toggle)
        layout.addWidget(line)
        layout.addWidget(self.body)
        self.set_title(title)

    def _heading(self, key: str) -> QToolButton:
        toggle = QToolButton()
        toggle.setObjectName(f"section_{key}_toggle")
        toggle.setCheckable(True)
        toggle.setChecked(True)
        toggle.setAutoRaise(True)
        toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toggle.setArrowType(Qt.ArrowType.DownArrow)
        toggle.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = toggle.font()
        font.setBold(True)
        toggle.setFont(font)
        toggle.toggled.connect(self.set_expanded)
        return toggle

    @staticmethod
    def _form(body: QWidget) -> QFormLayout:
        form = QFormLayout(body)
        form.setContentsMargins(4, 2, 0, 6)
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return form

    def set_title(self, title: str) -> None:
        self.toggle.setText(title)
        self.toggle.setAccessibleName(f"{title.replace('&&', '&')} section")

    def set_expanded(self, expanded: bool) -> None:
        if self.toggle.isChecked() != expanded:
            self.toggle.setChecked(expanded)  # comes back here through ``toggled``
            return
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()


# ------------------------------------------------------------------ rows


def with_button(editor: QWidget, button: QWidget | None) -> QWidget:
    """A one-line editor with its copy button at the right."""
    if button is None:
        return editor
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(editor, 1)
    layout.addWidget(button)
    return row


def block(label: str, editor: QWidget, button: QWidget | None = None) -> QWidget:
    """A full-width field: its label (and copy button) above the editor."""
    widget = QWidget()
    widget.setObjectName(f"{editor.objectName()}_block")
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    header = QHBoxLayout()
    header.setSpacing(4)
    title = QLabel(label)
    title.setBuddy(editor)
    header.addWidget(title)
    header.addStretch(1)
    if button is not None:
        header.addWidget(button)
    layout.addLayout(header)
    layout.addWidget(editor)
    return widget
