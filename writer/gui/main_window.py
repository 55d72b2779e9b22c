"""The main window: for now the library tree beside a read-only preview.

This is the minimal window of the foundation; the full writing window (editor, live
preview, metadata panel) replaces the centre and right in its own issue.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QTreeView,
)

from writer import __version__
from writer.core.errors import WriterError
from writer.core.library import Library
from writer.core.project import Project
from writer.core.tree import Node
from writer.gui.style import preview_stylesheet
from writer.render.markdown import render_markdown

NODE_ROLE = Qt.ItemDataRole.UserRole + 1


class MainWindow(QMainWindow):
    """Library tree on the left, the selected document rendered on the right."""

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.projects: dict[str, Project] = {}
        self.setWindowTitle("writer")
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["Library", "Words"])
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.preview = QTextBrowser()
        self.preview.setOpenExternalLinks(False)
        self.preview.document().setDocumentMargin(36)
        self.preview.document().setDefaultStyleSheet(preview_stylesheet(self.palette()))
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.preview)
        splitter.setSizes([380, 1000])
        self.setCentralWidget(splitter)
        self.words_label = QLabel()
        self.statusBar().addPermanentWidget(self.words_label)
        self._build_menus()
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.load_library()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About writer", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _about(self) -> None:
        QMessageBox.about(self, "About writer", f"writer {__version__}\nGPL-3.0-or-later")

    # -------------------------------------------------------------- library

    def load_library(self) -> None:
        """List every project of the library; broken ones show their error."""
        self.model.removeRows(0, self.model.rowCount())
        for entry in self.library.entries():
            if entry.project is None:
                item = QStandardItem(f"⚠ {entry.path.name}")
                item.setToolTip(entry.error)
                self.model.appendRow([item, QStandardItem("")])
                continue
            project = entry.project
            self.projects[project.id] = project
            item = QStandardItem(project.title)
            item.setData((project.id, None), NODE_ROLE)
            words = QStandardItem(f"{project.total_words():,}")
            for node in project.tree.roots:
                self._add_node(item, project, node)
            self.model.appendRow([item, words])

    def _add_node(self, parent: QStandardItem, project: Project, node: Node) -> None:
        item = QStandardItem(node.title or f"({node.kind})")
        item.setData((project.id, node.id), NODE_ROLE)
        item.setToolTip(f"{node.kind} · {node.meta.status}")
        words = QStandardItem(f"{project.node_words(node):,}")
        words.setTextAlignment(Qt.AlignmentFlag.AlignRight)
        for child in node.children:
            self._add_node(item, project, child)
        parent.appendRow([item, words])

    def open_project(self, path: Path | None) -> None:
        """Select a project (or the first of the library) and show its first document."""
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            data = item.data(NODE_ROLE)
            if data is None:
                continue
            project = self.projects[data[0]]
            if path is None or project.path.resolve() == Path(path).resolve():
                self.tree.expandRecursively(item.index())
                first = item.child(0) if item.rowCount() else item
                self.tree.setCurrentIndex(first.index())
                return

    def _on_current_changed(self, current, _previous) -> None:
        data = current.siblingAtColumn(0).data(NODE_ROLE)
        if not data:
            return
        project = self.projects[data[0]]
        self.setWindowTitle(f"{project.title} — writer")
        self.words_label.setText(f"{project.total_words():,} words in project")
        node_id = data[1]
        if node_id is None:
            self.preview.setHtml(f"<h1>{html.escape(project.title)}</h1>")
            return
        node = project.tree.find(node_id)
        try:
            text = project.read_text(node.id) if node.has_text else ""
        except WriterError as error:
            QMessageBox.warning(self, "writer", str(error))
            return
        heading = f"<h2>{html.escape(node.title)}</h2>" if node.title else ""
        self.preview.setHtml(heading + render_markdown(text))
