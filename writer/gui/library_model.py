"""The library and manuscript tree as a Qt item model over the core model.

Top-level rows are the projects of the library, loaded lazily in batches through
``canFetchMore``/``fetchMore`` so a large library opens at once. Under each project are its
parts, chapters, scenes and notes, then its Trash. Word counts come from each project's
cached counts. Structural edits go through the core API and the affected project is
re-read into items with ``layoutChanged``, which keeps the view's expansion and selection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)

from writer.core.errors import WriterError
from writer.core.library import Library
from writer.core.project import Project
from writer.core.tree import Node

MIME_TYPE = "application/x-writer-node"
BATCH = 40
COLUMNS = ("Title", "Status", "Words")
KIND_ICONS = {"part": "▤", "chapter": "▮", "scene": "▯", "note": "✎"}
ItemRole = Qt.ItemDataRole.UserRole + 1
_ROOT = QModelIndex()


@dataclass(eq=False)
class Item:
    """One row: a project, a node of its tree, or its trash folder."""

    kind: str  # "project", "node", "trash" or "broken"
    parent: Item | None
    path: Path | None = None
    project: Project | None = None
    node: Node | None = None
    error: str = ""
    children: list[Item] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        """A stable identity across rebuilds: (project folder, node id or row kind)."""
        folder = str(self.path or (self.project.path if self.project else ""))
        return folder, self.node.id if self.node else self.kind

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


class LibraryModel(QAbstractItemModel):
    """Projects and their manuscript trees; ``Item`` objects are the internal pointers."""

    def __init__(self, library: Library, parent: Any = None) -> None:
        super().__init__(parent)
        self.library = library
        self.root = Item("root", None)
        self._retired: list[Item] = []
        self._totals: dict[Path, int] = {}
        self._to_count: list[Path] = []
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._count_next)
        self._pending: list[Path] = library.project_dirs()

    # -------------------------------------------------------------- loading

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and bool(self._pending)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid() or not self._pending:
            return
        batch, self._pending = self._pending[:BATCH], self._pending[BATCH:]
        first = len(self.root.children)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        for folder in batch:
            self.root.children.append(self._load(folder))
        self.endInsertRows()

    def fetch_all(self) -> None:
        while self._pending:
            self.fetchMore(QModelIndex())

    def _load(self, folder: Path) -> Item:
        try:
            project = Project.load(folder)
        except WriterError as error:
            return Item("broken", self.root, path=folder, error=str(error))
        item = Item("project", self.root, path=folder, project=project)
        self._fill(item)
        return item

    def _fill(self, item: Item) -> None:
        project = item.project
        assert project is not None
        item.children = [self._node_item(item, project, n) for n in project.tree.roots]
        trash = Item("trash", item, project=project)
        trash.children = [self._node_item(trash, project, e.node) for e in project.tree.trash]
        item.children.append(trash)

    def _node_item(self, parent: Item, project: Project, node: Node) -> Item:
        item = Item("node", parent, project=project, node=node)
        item.children = [self._node_item(item, project, child) for child in node.children]
        return item

    def add_project(self, folder: Path) -> QModelIndex:
        """Show a project created or imported while the window is open."""
        self._pending = [p for p in self._pending if p != folder]
        for row, item in enumerate(self.root.children):
            if item.path == folder:
                return self.index(row, 0)
        row = len(self.root.children)
        self.beginInsertRows(QModelIndex(), row, row)
        self.root.children.append(self._load(folder))
        self.endInsertRows()
        return self.index(row, 0)

    def reload_project(self, folder: Path) -> Project | None:
        """Read a project again from disk after something else changed it (an import)."""
        for item in self.root.children:
            if item.path is not None and item.path.resolve() == folder.resolve():
                try:
                    fresh = Project.load(folder)
                except WriterError as error:
                    item.kind, item.project, item.error = "broken", None, str(error)
                    self.layoutChanged.emit()
                    return None
                old = item.project
                item.kind, item.project, item.error = "project", fresh, ""
                if old is None:
                    self.layoutAboutToBeChanged.emit()
                    self._fill(item)
                    self.layoutChanged.emit()
                else:
                    for node_item in self._walk(item):
                        node_item.project = fresh
                    self.refresh_project(fresh)
                return fresh
        self.add_project(folder)
        return next((p for p in self.projects() if p.path.resolve() == folder.resolve()), None)

    def refresh_project(self, project: Project) -> None:
        """Re-read a project's tree into items after a structural change."""
        holder = self.project_item(project)
        if holder is None:
            return
        self._totals.pop(project.path, None)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_items = [self.item(i) if i.isValid() else None for i in old]
        # Qt's internal pointers hold no Python reference: keep replaced items alive until
        # the next rebuild, so an index a view still holds never points at freed memory.
        self._retired = list(self._walk(holder))
        self._fill(holder)
        by_key = {item.key: item for item in self._walk(holder)}
        new = []
        for index, item in zip(old, old_items, strict=True):
            if item is None or item.project is not project or item is holder:
                new.append(index)
                continue
            target = by_key.get(item.key)
            new.append(self.createIndex(target.row(), index.column(), target) if target else _ROOT)
        self.changePersistentIndexList(old, [QModelIndex(i) for i in new])
        self.layoutChanged.emit()

    def refresh_counts(self, project: Project, forget: bool = True) -> None:
        """Word counts or statuses changed: repaint that project's rows."""
        if forget:
            self._totals.pop(project.path, None)
        holder = self.project_item(project)
        if holder is None:
            return
        for item in [holder, *self._walk(holder)]:
            left = self.createIndex(item.row(), 0, item)
            right = self.createIndex(item.row(), len(COLUMNS) - 1, item)
            self.dataChanged.emit(left, right)

    def _walk(self, item: Item):
        for child in item.children:
            yield child
            yield from self._walk(child)

    # -------------------------------------------------------------- lookups

    def item(self, index: QModelIndex | QPersistentModelIndex) -> Item:
        return index.internalPointer() if index.isValid() else self.root

    def project_item(self, project: Project) -> Item | None:
        for item in self.root.children:
            if item.project is project:
                return item
        return None

    def projects(self) -> list[Project]:
        return [i.project for i in self.root.children if i.project is not None]

    def index_of(self, project: Project, node_id: str | None = None) -> QModelIndex:
        """The index of a project row, or of one of its nodes."""
        holder = self.project_item(project)
        if holder is None:
            return QModelIndex()
        if node_id is None:
            return self.createIndex(holder.row(), 0, holder)
        for item in self._walk(holder):
            if item.node is not None and item.node.id == node_id:
                return self.createIndex(item.row(), 0, item)
        return QModelIndex()

    # -------------------------------------------------------------- the model interface

    def index(
        self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _ROOT
    ) -> QModelIndex:
        holder = self.item(parent)
        if 0 <= row < len(holder.children) and 0 <= column < len(COLUMNS):
            return self.createIndex(row, column, holder.children[row])
        return QModelIndex()

    def parent(self, index: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        up = self.item(index).parent
        if up is None or up is self.root:
            return QModelIndex()
        return self.createIndex(up.row(), 0, up)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.item(parent).children)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return len(COLUMNS)

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        if not parent.isValid():
            return bool(self.root.children) or bool(self._pending)
        return self.rowCount(parent) > 0

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        item = self.item(index)
        if role == ItemRole:
            return item
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.EditRole and column == 0:
            return item.node.title if item.node else item.project.meta.title if item.project else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: Item, column: int) -> str:
        """Only the asked column is computed: a view asks for every cell of every row."""
        if item.kind == "broken":
            return f"⚠ {item.path.name}" if column == 0 and item.path else ""
        project = item.project
        assert project is not None
        if item.kind == "trash":
            return f"Trash ({len(item.children)})" if column == 0 else ""
        node = item.node
        if node is None:  # the project row
            if column == 0:
                return project.title
            if column == 1:
                return project.meta.status
            total = self.project_words(project)
            return "…" if total is None else f"{total:,}"
        if column == 0:
            return f"{KIND_ICONS[node.kind]} {node.title or f'Untitled {node.kind}'}"
        if column == 1:
            return node.meta.status if node.kind != "note" else "note"
        if self.project_words(project) is None:
            return "…"
        return f"{project.node_words(node):,}"

    # -------------------------------------------------------------- word counts

    def project_words(self, project: Project) -> int | None:
        """The project's words from a per-project cache; None (shown as "…") while its
        documents still need counting, which happens a project at a time when idle."""
        key = project.path
        if key in self._totals:
            return self._totals[key]
        if project.counts_ready():
            self._totals[key] = project.total_words()
            return self._totals[key]
        if key not in self._to_count:
            self._to_count.append(key)
            self._count_timer.start()
        return None

    def _count_next(self) -> None:
        """Count one project's stale documents, then repaint its rows."""
        while self._to_count:
            key = self._to_count.pop(0)
            project = next((p for p in self.projects() if p.path == key), None)
            if project is None:
                continue
            try:
                self._totals[key] = project.total_words()
            except WriterError:
                self._totals[key] = 0
            self.refresh_counts(project, forget=False)
            break
        if self._to_count:
            self._count_timer.start()

    def _tooltip(self, item: Item) -> str:
        if item.kind == "broken":
            return item.error
        if item.kind == "project" and item.project:
            meta = item.project.meta
            lines = [meta.title, ", ".join(meta.fandoms), f"{meta.status}, {meta.posting}"]
            return "\n".join(line for line in lines if line)
        if item.node is not None:
            return item.node.meta.synopsis or item.node.meta.summary or item.node.kind
        return ""

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        item = self.item(index)
        if item.kind == "node":
            in_trash = item.project is not None and item.project.tree.in_trash(item.node.id)
            if not in_trash:
                base |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
                if index.column() == 0:
                    base |= Qt.ItemFlag.ItemIsEditable
        elif item.kind == "project":
            base |= Qt.ItemFlag.ItemIsDropEnabled
            if index.column() == 0:
                base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = 2
    ) -> bool:
        """Inline rename (F2) of a node or a project's title."""
        if role != Qt.ItemDataRole.EditRole or index.column() != 0:
            return False
        item = self.item(index)
        title = str(value).strip()
        if not title or item.project is None:
            return False
        if item.node is not None:
            item.project.rename_node(item.node.id, title)
        elif item.kind == "project":
            item.project.meta.title = title
        else:
            return False
        self._save(item.project)
        self.dataChanged.emit(index, index)
        return True

    # -------------------------------------------------------------- drag and drop

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        data = QMimeData()
        items = [self.item(i) for i in indexes if i.isValid() and i.column() == 0]
        payload = [
            {"project": str(i.project.path), "node": i.node.id}
            for i in items
            if i.node is not None and i.project is not None
        ]
        data.setData(MIME_TYPE, json.dumps(payload).encode("utf-8"))
        return data

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return self._drop_plan(data, parent) is not None

    def _drop_plan(self, data: QMimeData, parent: QModelIndex) -> tuple | None:
        if not data.hasFormat(MIME_TYPE):
            return None
        try:
            payload = json.loads(bytes(data.data(MIME_TYPE)).decode("utf-8"))
        except ValueError:
            return None
        target = self.item(parent)
        if target.kind not in ("project", "node") or target.project is None or len(payload) != 1:
            return None
        if payload[0]["project"] != str(target.project.path):
            return None  # Between projects: "Move to project…" asks where, on purpose.
        parent_id = target.node.id if target.node is not None else None
        return target.project, payload[0]["node"], parent_id

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        plan = self._drop_plan(data, parent)
        if plan is None:
            return False
        project, node_id, parent_id = plan
        try:
            project.move_node(node_id, parent_id, None if row < 0 else row)
        except WriterError:
            return False
        self._save(project)
        self.refresh_project(project)
        return False  # The move is done here; Qt must not remove the source rows itself.

    # -------------------------------------------------------------- saving

    def _save(self, project: Project) -> None:
        try:
            project.save()
        except (WriterError, OSError) as error:
            self.save_failed(project, error)

    def save_failed(self, project: Project, error: Exception) -> None:
        """Overridden by the window (or connected) to tell the user; the model stays."""
        raise error
