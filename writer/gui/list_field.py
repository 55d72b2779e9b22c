"""Editable lists of short values: chips with a remove button, and a row of check boxes.

``ListField`` edits the free-text list fields of a work (fandoms, relationships, characters,
tags, co-authors, spoilers, series, links). Items show as chips that wrap to the width of
the panel; a line edit below adds new ones. Enter or a comma adds what was typed, pasting
``"a, b, c"`` adds three items, duplicates are ignored (case-insensitively by default), and
each chip has a remove button and a context menu to edit it or move it earlier or later.

``CheckList`` is a fixed set of check boxes (archive warnings, categories) with the same
``values()`` / ``set_values()`` / ``changed`` interface.

Both only report user changes through ``changed``: ``set_values`` loads quietly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFocusEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

Normaliser = Callable[[str], str]
KeyFunction = Callable[[str], str]

CHIP_TEXT_WIDTH = 220  # Longer items are elided on the chip; the tooltip holds all of it.
# Colours come from the palette, so chips follow light and dark themes.
CHIP_STYLE = (
    "QFrame#chip { background: palette(alternate-base); border: 1px solid palette(mid);"
    " border-radius: 9px; }"
    " QFrame#chip QToolButton { border: none; padding: 0 3px; }"
    " QFrame#chip QToolButton:hover { background: palette(midlight); border-radius: 7px; }"
)


class FlowLayout(QLayout):
    """Lays out widgets left to right and wraps them onto new lines, like words."""

    def __init__(
        self, parent: QWidget | None = None, spacing: int = 4, line_spacing: int | None = None
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._line_spacing = spacing if line_spacing is None else line_spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(max(0, min(index, len(self._items))), QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize(0, 0)
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():  # hidden widgets take no place
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x, y = area.x(), y + line_height + self._line_spacing
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


class Chip(QFrame):
    """One item of a ``ListField``: its text and a remove button."""

    remove_requested = Signal()
    edit_requested = Signal()
    move_requested = Signal(int)  # -1 earlier, +1 later

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = text
        self.setObjectName("chip")
        self.setStyleSheet(CHIP_STYLE)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 1, 1, 1)
        layout.setSpacing(2)
        self.label = QLabel()
        metrics = self.label.fontMetrics()
        self.label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, CHIP_TEXT_WIDTH))
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.setToolTip(f"{text}\nDouble-click to edit; right-click to move or remove")
        self.remove_button = QToolButton()
        self.remove_button.setText("×")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setObjectName("chip_remove")
        self.remove_button.setAccessibleName(f"Remove {text}")
        self.remove_button.setToolTip(f"Remove “{text}”")
        self.remove_button.setCursor(Qt.CursorShape.ArrowCursor)
        self.remove_button.clicked.connect(self.remove_requested)
        layout.addWidget(self.label)
        layout.addWidget(self.remove_button)
        self.setAccessibleName(text)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.edit_requested.emit()
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction("Edit", self.edit_requested.emit)
        menu.addAction("Move earlier", lambda: self.move_requested.emit(-1))
        menu.addAction("Move later", lambda: self.move_requested.emit(1))
        menu.addSeparator()
        menu.addAction("Remove", self.remove_requested.emit)
        menu.exec(event.globalPos())


class _EntryEdit(QLineEdit):
    """The line edit of a ``ListField``; reports losing focus so typed text is not lost."""

    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.focus_lost.emit()


def _fold(text: str) -> str:
    return text.casefold()


class ListField(QWidget):
    """An ordered list of short strings shown as chips, with a line edit to add more.

    ``normalise`` turns typed text into the stored form and raises ``ValueError`` (or any
    ``Exception`` with a readable message) to refuse it; ``key`` decides which items count
    as duplicates. ``separator`` splits typed and pasted text (``None``: only Enter adds,
    for values such as URLs that may hold commas).
    """

    changed = Signal()

    def __init__(
        self,
        name: str = "",
        placeholder: str = "Add…",
        separator: str | None = ",",
        normalise: Normaliser | None = None,
        key: KeyFunction | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._items: list[str] = []
        self._separator = separator
        self._normalise = normalise or str.strip
        self._key = key or _fold
        self._previous_text = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self._chip_area = QWidget()
        self._chip_area.setObjectName(f"{name}_chips" if name else "chips")
        self._flow = FlowLayout(self._chip_area)
        self._chip_area.hide()
        self.line_edit = _EntryEdit()
        self.line_edit.setObjectName(f"{name}_entry" if name else "entry")
        self.line_edit.setPlaceholderText(placeholder)
        self.line_edit.setClearButtonEnabled(True)
        self.line_edit.setAccessibleName(f"Add to {name}" if name else "Add item")
        self.line_edit.returnPressed.connect(self.commit)
        self.line_edit.focus_lost.connect(self.commit)
        self.line_edit.textEdited.connect(self._on_text_edited)
        self.message = QLabel()
        self.message.setObjectName(f"{name}_error" if name else "error")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        layout.addWidget(self._chip_area)
        layout.addWidget(self.line_edit)
        layout.addWidget(self.message)
        self.setFocusProxy(self.line_edit)

    # -------------------------------------------------------------- public API

    def values(self) -> list[str]:
        """The items in order."""
        return list(self._items)

    def set_values(self, values: Iterable[str]) -> None:
        """Show ``values`` as they are (no normalising, no ``changed``); clears the entry."""
        self._items = []
        for value in values:
            if value and self._key_of(value) not in self._keys():
                self._items.append(value)
        self.line_edit.clear()
        self._previous_text = ""
        self._show_message("")
        self._rebuild()

    def add(self, text: str) -> bool:
        """Add one item as if typed; returns whether it was added (emits ``changed``)."""
        added = self._add_many([text])
        if added:
            self.changed.emit()
        return bool(added)

    def remove(self, index: int) -> None:
        """Remove the item at ``index`` (emits ``changed``)."""
        if 0 <= index < len(self._items):
            del self._items[index]
            self._rebuild()
            self.changed.emit()

    def move(self, index: int, offset: int) -> None:
        """Move an item ``offset`` places (-1 earlier, +1 later); emits ``changed``."""
        target = index + offset
        if 0 <= index < len(self._items) and 0 <= target < len(self._items) and offset:
            self._items.insert(target, self._items.pop(index))
            self._rebuild()
            self.changed.emit()

    def chips(self) -> list[Chip]:
        """The chip widgets in order (for tests and accessibility tools)."""
        return [
            item.widget()
            for item in (self._flow.itemAt(i) for i in range(self._flow.count()))
            if item is not None and isinstance(item.widget(), Chip)
        ]

    def commit(self) -> None:
        """Add what the entry holds (split at the separator); refused text stays to fix."""
        text = self.line_edit.text()
        if not text.strip():
            return
        rest = self._join(self._add_pieces(self._split(text)))
        self.line_edit.setText(rest)
        self._previous_text = rest

    # -------------------------------------------------------------- internals

    def _keys(self) -> set[str]:
        return {self._key_of(item) for item in self._items}

    def _key_of(self, text: str) -> str:
        try:
            return self._key(text)
        except Exception:  # an unparsable stored value still needs a key
            return text.casefold()

    def _split(self, text: str) -> list[str]:
        lines = text.replace("\r", "\n").split("\n")
        if self._separator:
            return [piece for line in lines for piece in line.split(self._separator)]
        return lines

    def _on_text_edited(self, text: str) -> None:
        """A typed separator adds what is before it; a pasted list is added at once."""
        previous, self._previous_text = self._previous_text, text
        pieces = self._split(text)
        if len(pieces) < 2:
            if not text:
                self._show_message("")
            return
        pasted = len(text) - len(previous) > 1
        rest = "" if pasted else pieces.pop()
        refused = self._add_pieces(pieces)
        remaining = self._join([*refused, rest] if rest.strip() else refused)
        self.line_edit.setText(remaining)
        self._previous_text = remaining

    def _join(self, pieces: list[str]) -> str:
        return (f"{self._separator} " if self._separator else " ").join(p.strip() for p in pieces)

    def _add_pieces(self, pieces: list[str]) -> list[str]:
        """Add each piece (one ``changed`` for all); returns the refused pieces."""
        refused: list[str] = []
        if self._add_many(pieces, refused):
            self.changed.emit()
        return refused

    def _add_many(self, pieces: list[str], refused: list[str] | None = None) -> list[str]:
        added: list[str] = []
        messages: list[str] = []
        keys = self._keys()
        for piece in pieces:
            if not piece.strip():
                continue
            try:
                value = self._normalise(piece)
            except Exception as error:  # a normaliser says why in its message
                messages.append(str(error))
                if refused is not None:
                    refused.append(piece.strip())
                continue
            if not value:
                continue
            key = self._key_of(value)
            if key in keys:
                messages.append(f"“{value}” is already in the list")
                continue
            keys.add(key)
            self._items.append(value)
            added.append(value)
        if added:
            self._rebuild()
        self._show_message("\n".join(messages))
        return added

    def _show_message(self, text: str) -> None:
        self.message.setText(f"⚠ {text}" if text else "")
        self.message.setVisible(bool(text))

    def _rebuild(self) -> None:
        while self._flow.count():
            item = self._flow.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for index, text in enumerate(self._items):
            chip = Chip(text, self._chip_area)
            chip.remove_requested.connect(lambda i=index: self.remove(i))
            chip.edit_requested.connect(lambda i=index: self._edit(i))
            chip.move_requested.connect(lambda offset, i=index: self.move(i, offset))
            self._flow.addWidget(chip)
            chip.show()
        self._chip_area.setVisible(bool(self._items))
        self._flow.invalidate()
        self.updateGeometry()

    def _edit(self, index: int) -> None:
        """Take an item back into the entry to change it; Enter puts it back."""
        if not 0 <= index < len(self._items):
            return
        pending = self.line_edit.text().strip()
        text = self._items.pop(index)
        self._rebuild()
        self.changed.emit()
        self.line_edit.setText(self._join([pending, text]) if pending else text)
        self._previous_text = self.line_edit.text()
        self.line_edit.setFocus(Qt.FocusReason.OtherFocusReason)


class CheckList(QWidget):
    """A fixed set of choices as check boxes; ``values()`` keeps the choices' order.

    Stored values that are not among the choices (a hand-edited project file) are kept
    and returned after the checked choices, so loading never loses them.
    """

    changed = Signal()

    def __init__(
        self,
        choices: Iterable[str],
        name: str = "",
        flow: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._choices = list(choices)
        self._extra: list[str] = []
        self.boxes: dict[str, QCheckBox] = {}
        layout: QLayout = (
            FlowLayout(self, spacing=10, line_spacing=2) if flow else QVBoxLayout(self)
        )
        layout.setContentsMargins(0, 0, 0, 0)
        if not flow:
            layout.setSpacing(2)
        for index, choice in enumerate(self._choices):
            box = QCheckBox(choice)
            box.setObjectName(f"{name}_{index}" if name else f"choice_{index}")
            box.setAccessibleName(choice)
            box.toggled.connect(self._on_toggled)
            layout.addWidget(box)
            self.boxes[choice] = box

    def values(self) -> list[str]:
        checked = [c for c in self._choices if self.boxes[c].isChecked()]
        return checked + self._extra

    def set_values(self, values: Iterable[str]) -> None:
        """Check exactly ``values`` without emitting ``changed``."""
        values = list(values)
        for choice, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(choice in values)
            box.blockSignals(False)
        self._extra = [v for v in values if v not in self.boxes]

    def box(self, choice: str) -> QCheckBox:
        return self.boxes[choice]

    def _on_toggled(self, _checked: bool) -> None:
        self.changed.emit()
