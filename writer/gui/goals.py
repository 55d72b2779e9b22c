"""Word goals on screen: a thin progress bar under the word count of the library tree's
Words column, and the current document's goal in the status bar.

A project row compares the manuscript's words with the work's ``word_goal``; a node row
compares the node's words (with everything below it, as the column shows) with its own
``word_goal``. Rows without a goal, and rows whose count is still "…", get no bar.
Colours come from the palette only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QProgressBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from writer.core.errors import WriterError
from writer.core.project import Project
from writer.core.sessions import goal_fraction, percent_of
from writer.core.tree import Node
from writer.gui.library_model import ItemRole

WORDS_COLUMN = 2
BAR_HEIGHT = 4
MIN_BAR_WIDTH = 16


def item_goal(index: QModelIndex | QPersistentModelIndex) -> tuple[int, int] | None:
    """``(words, goal)`` of a row of the library tree (through any proxy), or None when
    the row has no goal or its count is not known yet."""
    item = index.data(ItemRole)
    if item is None or item.project is None or item.kind not in ("project", "node"):
        return None
    text = index.siblingAtColumn(WORDS_COLUMN).data(Qt.ItemDataRole.DisplayRole)
    if not text or text == "…":
        return None  # Counting is still pending: never read files while painting.
    project: Project = item.project
    if item.node is None:
        goal = project.meta.word_goal
        return (project.total_words(), goal) if goal else None
    goal = item.node.meta.word_goal
    return (project.node_words(item.node), goal) if goal else None


def goal_text(words: int, goal: int) -> str:
    return f"{words:,} of {goal:,} words ({percent_of(words, goal):.0f}%)"


class GoalDelegate(QStyledItemDelegate):
    """Paints the cell as usual, then a thin goal bar along its bottom edge."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        found = item_goal(index)
        if found is None:
            return
        fraction = goal_fraction(*found) or 0.0
        rect = QRectF(option.rect).adjusted(4, 0, -4, 0)
        # Beside the right-aligned count when there is room, else along the bottom edge.
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        room = rect.width() - option.fontMetrics.horizontalAdvance(text) - 10
        if room >= MIN_BAR_WIDTH:
            track = QRectF(rect.left(), rect.center().y() - BAR_HEIGHT / 2 + 1, room, BAR_HEIGHT)
        else:
            track = QRectF(rect.left(), rect.bottom() - BAR_HEIGHT, rect.width(), BAR_HEIGHT)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        fill = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
        )
        back = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Mid
        )
        back.setAlpha(70 if selected else 110)
        painter.save()
        painter.fillRect(track, back)
        if fraction > 0:
            painter.fillRect(
                QRectF(track.left(), track.top(), track.width() * fraction, track.height()), fill
            )
        painter.restore()

    def helpEvent(self, event, view, option, index) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ToolTip and index.isValid():
            found = item_goal(index)
            if found is not None:
                QToolTip.showText(event.globalPos(), f"Goal: {goal_text(*found)}", view)
                return True
        return super().helpEvent(event, view, option, index)


class DocumentGoalBar(QProgressBar):
    """The open document's progress towards its own goal (which, as in the tree, covers
    the scenes under a chapter), hidden when it has none."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("document_goal")
        self.setMaximumWidth(160)
        self.setTextVisible(True)
        self.hide()

    def show_goal(self, node: Node | None, words: int | None) -> None:
        goal = node.meta.word_goal if node is not None and node.has_text else None
        if not goal or words is None:
            self.hide()
            return
        self.setRange(0, goal)
        self.setValue(min(words, goal))
        self.setFormat(f"Doc {percent_of(words, goal):.0f}% of {goal:,}")
        with_scenes = " with what is under it" if node.children else ""
        self.setToolTip(f"This document{with_scenes}: {goal_text(words, goal)}")
        self.show()


def install_goals(window) -> GoalDelegate:
    """Goal bars in the tree's Words column and the document goal in the status bar.

    Sets ``window.goal_delegate`` and ``window.document_goal``; needs nothing from the
    window's close.
    """
    view: QAbstractItemView = window.library_panel.view
    delegate = GoalDelegate(view)
    view.setItemDelegateForColumn(WORDS_COLUMN, delegate)
    window.goal_delegate = delegate

    bar = DocumentGoalBar()
    window.status.insertPermanentWidget(1, bar)
    window.document_goal = bar

    def below(node: Node) -> int:
        """Words of what lies under the node (its scenes): the goal covers them too."""
        project = window.project
        return project.node_words(node) - project.words(node.id) if project else 0

    def refresh(*_args) -> None:
        node = window.node if window.current is not None else None
        try:
            words = window.project.node_words(node) if node and window.project else None
        except (WriterError, OSError):  # a status display never raises
            words = None
        bar.show_goal(node, words)

    def live(own_words: int) -> None:
        node = window.node
        if window.current is None or window.whole_work or node is None:
            return
        try:
            bar.show_goal(node, own_words + below(node))
        except (WriterError, OSError):
            bar.hide()

    window.library_panel.current_changed.connect(refresh)
    window.documents.saved.connect(refresh)
    window.metadata.edited.connect(refresh)
    window.preview_controller.counted.connect(live)
    refresh()
    return delegate
