"""The left panel: the library tree with a filter box, sorting, and the tree actions.

Every change goes through the core API (add, rename, move, trash, restore, empty trash,
move to another project), is saved at once, and the model re-reads the project.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from writer.core.errors import WriterError
from writer.core.project import Project
from writer.core.transfer import move_to_project
from writer.core.tree import ALLOWED_CHILDREN, Node
from writer.gui.library_model import Item, ItemRole, LibraryModel


class LibraryFilter(QSortFilterProxyModel):
    """Filters projects by title, fandom, character, status (and nodes by title); sorts
    projects by title or last change while each manuscript keeps its own order."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.needle = ""
        self.sort_key = "title"
        self.setRecursiveFilteringEnabled(True)

    def set_needle(self, text: str) -> None:
        # Qt 6.10 replaced invalidateFilter() by a begin/end pair; support both.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self.needle = text.strip().casefold()
            self.endFilterChange()
        else:
            self.needle = text.strip().casefold()
            self.invalidateFilter()

    def set_sort_key(self, key: str) -> None:
        self.sort_key = key
        self.invalidate()
        self.sort(0, Qt.SortOrder.AscendingOrder)

    def _item(self, row: int, parent: QModelIndex) -> Item:
        return self.sourceModel().index(row, 0, parent).data(ItemRole)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        if not self.needle:
            return True
        item = self._item(row, parent)
        if item.node is not None:
            return self.needle in item.node.title.casefold()
        if item.project is None:
            return False
        meta = item.project.meta
        haystack = [meta.title, meta.status, meta.posting, *meta.fandoms, *meta.characters]
        return any(self.needle in text.casefold() for text in haystack)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:  # noqa: N802
        if left.parent().isValid():
            return left.row() < right.row()  # Manuscript order is the author's.
        a, b = left.data(ItemRole), right.data(ItemRole)
        if a.project is None or b.project is None:
            return a.project is not None
        if self.sort_key == "modified":
            return a.project.meta.modified > b.project.meta.modified
        return a.project.title.casefold() < b.project.title.casefold()


class LibraryPanel(QWidget):
    """Filter box, sort choice and the tree; owns the actions that change the tree."""

    current_changed = Signal(object, object)  # Project | None, Node | None
    structure_changed = Signal(object)  # Project
    node_trashed = Signal(object, object)  # Project, Node
    error = Signal(str)
    broken_selected = Signal(object, str)  # project folder, why it does not load

    def __init__(self, model: LibraryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.confirm: Callable[[str], bool] = self._ask
        self.choose_project: Callable[[list[str]], str | None] = self._pick_project
        self.proxy = LibraryFilter(self)
        self.proxy.setSourceModel(model)
        self.filter_box = QLineEdit(placeholderText="Filter: title, fandom, character, status")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.proxy.set_needle)
        self.sort_box = QComboBox()
        self.sort_box.addItem("Sort by title", "title")
        self.sort_box.addItem("Sort by last change", "modified")
        self.sort_box.currentIndexChanged.connect(
            lambda: self.proxy.set_sort_key(self.sort_box.currentData())
        )
        self.view = QTreeView()
        self.view.setModel(self.proxy)
        self.view.setUniformRowHeights(True)
        self.view.setSortingEnabled(False)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: "resize to contents" would ask every row of a large library for
        # its status and word count on each layout.
        metrics = self.view.fontMetrics()
        for column, sample in ((1, "revising_____"), (2, "1,000,000___")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample))
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.proxy.sort(0, Qt.SortOrder.AscendingOrder)
        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.sort_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self._make_actions()

    def set_model(self, model: LibraryModel) -> None:
        """Show another library (Edit > Preferences > library folder, "Open it now")."""
        self.model = model
        self.proxy.setSourceModel(model)
        self.proxy.sort(0, Qt.SortOrder.AscendingOrder)

    # -------------------------------------------------------------- actions

    def _action(self, text: str, slot: Callable[[], None], shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        self.add_actions = {
            kind: self._action(f"Add {kind}", lambda k=kind: self.add_node(k))
            for kind in ("part", "chapter", "scene", "note")
        }
        self.add_actions["scene"].setShortcut(QKeySequence("Ctrl+N"))
        self.rename_action = self._action("Rename", self.rename_current, "F2")
        self.trash_action = self._action("Move to trash", self.trash_current, "Delete")
        self.restore_action = self._action("Restore from trash", self.restore_current)
        self.empty_trash_action = self._action("Empty trash…", self.empty_trash)
        self.move_project_action = self._action("Move to project…", self.move_to_other_project)
        self.rename_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.trash_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addActions([self.rename_action, self.trash_action])

    def tree_actions(self) -> list[QAction | None]:
        """The actions in the order of the Project menu (None = separator)."""
        return [
            *self.add_actions.values(),
            None,
            self.rename_action,
            self.move_project_action,
            None,
            self.trash_action,
            self.restore_action,
            self.empty_trash_action,
        ]

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        for action in self.tree_actions():
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # -------------------------------------------------------------- selection

    def current_item(self) -> Item | None:
        index = self.view.currentIndex()
        return index.data(ItemRole) if index.isValid() else None

    def current(self) -> tuple[Project | None, Node | None]:
        item = self.current_item()
        if item is None:
            return None, None
        return item.project, item.node

    def select(self, project: Project, node_id: str | None = None) -> None:
        source = self.model.index_of(project, node_id)
        index = self.proxy.mapFromSource(source)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = current.data(ItemRole) if current.isValid() else None
        self.current_changed.emit(item.project if item else None, item.node if item else None)
        if item is not None and item.kind == "broken":
            self.broken_selected.emit(item.path, item.error)

    # -------------------------------------------------------------- changes

    def _changed(self, project: Project, select_id: str | None = None) -> None:
        try:
            project.save()
        except (WriterError, OSError) as error:
            self.error.emit(str(error))
        self.model.refresh_project(project)
        self.structure_changed.emit(project)
        if select_id is not None:
            self.select(project, select_id)

    def add_node(self, kind: str, title: str | None = None) -> Node | None:
        """Add a node of ``kind`` at the nearest place the tree allows, after the selection."""
        project, node = self.current()
        if project is None:
            self.error.emit("Select a project first.")
            return None
        parent_id, index = self._place_for(project, node, kind)
        name = title or f"New {kind}"
        try:
            added = project.add_node(kind, name, parent_id, index)
        except WriterError as error:
            self.error.emit(str(error))
            return None
        self._changed(project, added.id)
        return added

    def _place_for(self, project: Project, node: Node | None, kind: str):
        if node is None or project.tree.in_trash(node.id):
            return None, None
        trail = project.tree.path_of(node.id)
        if kind in ALLOWED_CHILDREN[node.kind]:
            return node.id, None  # Into the selection, last.
        for depth in range(len(trail) - 1, -1, -1):
            parent = trail[depth - 1] if depth > 0 else None
            if kind in ALLOWED_CHILDREN[parent.kind if parent else None]:
                siblings = parent.children if parent else project.tree.roots
                position = next(i for i, n in enumerate(siblings) if n.id == trail[depth].id)
                return (parent.id if parent else None), position + 1
        return None, None

    def rename_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.view.edit(index.siblingAtColumn(0))

    def trash_current(self) -> None:
        project, node = self.current()
        if project is None or node is None or project.tree.in_trash(node.id):
            return
        project.trash_node(node.id)
        self.node_trashed.emit(project, node)
        self._changed(project)

    def restore_current(self) -> None:
        project, node = self.current()
        if project is None or node is None:
            return
        try:
            project.restore_node(node.id)
        except WriterError as error:
            self.error.emit(str(error))
            return
        self._changed(project, node.id)

    def empty_trash(self) -> None:
        project, _node = self.current()
        if project is None or not project.tree.trash:
            return
        count = sum(1 for _ in project.tree.walk_trash())
        question = f"Delete {count} document(s) in the trash of {project.title} for good?"
        if not self.confirm(question):
            return
        for node in project.tree.walk_trash():
            self.node_trashed.emit(project, node)
        project.empty_trash()
        self._changed(project)

    def move_to_other_project(self) -> None:
        project, node = self.current()
        if project is None or node is None:
            return
        others = [p for p in self.model.projects() if p is not project]
        if not others:
            self.error.emit("There is no other project to move to.")
            return
        choice = self.choose_project([p.title for p in others])
        target = next((p for p in others if p.title == choice), None)
        if target is None:
            return
        self.node_trashed.emit(project, node)
        try:
            new_id = move_to_project(project, node.id, target)
        except (WriterError, OSError) as error:
            self.error.emit(str(error))
            return
        self.model.refresh_project(project)
        self.structure_changed.emit(project)
        self._changed(target, new_id)

    # -------------------------------------------------------------- dialogs

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "writer", question)
        return answer == QMessageBox.StandardButton.Yes

    def _pick_project(self, titles: list[str]) -> str | None:
        choice, ok = QInputDialog.getItem(self, "Move to project", "Project:", titles, 0, False)
        return choice if ok else None
