"""Open documents: one QTextDocument each, autosave, and changes made behind our back.

Each open document keeps its own QTextDocument, so undo survives switching away and back.
Text is saved after a pause in typing, on switching documents, on closing and when the
window loses focus; there is no "did you want to save?" path. A failed save (disk full,
read-only) keeps the text in memory, tells the window, and is retried.

QFileSystemWatcher drops a path after an atomic replace, so paths are re-added after every
event. The app's own writes are recognised by comparing a hash of the file with the hash of
what we last wrote or read; anything else is another program's change: with no unsaved
typing it is loaded, otherwise the user chooses "keep mine", "load theirs" or "keep both".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor, QTextDocument

from writer.core.errors import ProjectLockedError, WriterError
from writer.core.project import Project
from writer.gui.editor import create_document, document_text

AUTOSAVE_MS = 1500
RETRY_MS = 5000


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(eq=False)
class OpenDocument:
    """A document being edited: its project, id, text buffer, and what the disk holds."""

    project: Project
    node_id: str
    document: QTextDocument
    disk_hash: str

    @property
    def path(self) -> Path:
        return self.project.doc_path(self.node_id)

    @property
    def unsaved(self) -> bool:
        return self.document.isModified()


Resolver = Callable[[OpenDocument], str]  # returns "mine", "theirs" or "both"


class DocumentManager(QObject):
    """Owns every open document, saves them, and watches their files."""

    saved = Signal(object)  # OpenDocument
    save_failed = Signal(object, str)  # OpenDocument, message
    locked = Signal(object, object)  # OpenDocument, ProjectLockedError
    state_changed = Signal()  # some document became saved or unsaved
    reloaded = Signal(object)  # OpenDocument whose text came from disk
    copy_kept = Signal(object, str)  # OpenDocument, id of the node holding "my" version
    library_changed = Signal()  # a project folder appeared or vanished

    def __init__(self, parent: QObject | None = None, autosave_ms: int = AUTOSAVE_MS) -> None:
        super().__init__(parent)
        self._open: dict[tuple[str, str], OpenDocument] = {}
        self._failed: set[OpenDocument] = set()
        self.resolve_conflict: Resolver = lambda _doc: "both"
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_file_changed)
        self.watcher.directoryChanged.connect(lambda _path: self.library_changed.emit())
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(autosave_ms)
        self.autosave.timeout.connect(self.save_all)
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.setInterval(RETRY_MS)
        self.retry.timeout.connect(self.save_all)

    # -------------------------------------------------------------- opening

    def watch_library(self, folder: Path) -> None:
        """Notice projects added from outside (the CLI, an import, a sync)."""
        for old in self.watcher.directories():
            self.watcher.removePath(old)
        if folder.is_dir():
            self.watcher.addPath(str(folder))

    def open(self, project: Project, node_id: str) -> OpenDocument:
        """The open document for a node, reading it from disk the first time."""
        key = (str(project.path), node_id)
        if key in self._open:
            return self._open[key]
        raw = project.read_text(node_id)
        doc = create_document(raw, self)
        opened = OpenDocument(project, node_id, doc, _digest(raw.encode("utf-8")))
        doc.contentsChanged.connect(self._on_edit)
        doc.modificationChanged.connect(lambda _m: self.state_changed.emit())
        self._open[key] = opened
        self._watch(opened)
        return opened

    def find(self, project: Project, node_id: str) -> OpenDocument | None:
        return self._open.get((str(project.path), node_id))

    def documents(self) -> list[OpenDocument]:
        return list(self._open.values())

    def close(self, opened: OpenDocument) -> None:
        """Save and forget a document (when it goes to the trash or its project closes)."""
        self.save(opened)
        self._open.pop((str(opened.project.path), opened.node_id), None)
        self.watcher.removePath(str(opened.path))

    def close_project(self, folder: Path) -> None:
        """Save and forget every open document of a project (before it is re-read)."""
        for opened in list(self._open.values()):
            if opened.project.path.resolve() == folder.resolve():
                self.close(opened)

    def _watch(self, opened: OpenDocument) -> None:
        path = str(opened.path)
        if path not in self.watcher.files():
            self.watcher.addPath(path)

    # -------------------------------------------------------------- saving

    def any_unsaved(self) -> bool:
        return any(d.unsaved for d in self._open.values())

    def _on_edit(self) -> None:
        self.autosave.start()

    def save(self, opened: OpenDocument) -> bool:
        """Write one document if it has unsaved changes; False when the save failed."""
        if not opened.unsaved:
            return True
        text = document_text(opened.document)
        try:
            opened.project.write_text(opened.node_id, text)
        except ProjectLockedError as error:
            self._failed.add(opened)
            self.locked.emit(opened, error)
            self.retry.start()  # The other copy may close; a stale lock is then taken over.
            return False
        except (WriterError, OSError) as error:
            self._failed.add(opened)
            message = getattr(error, "strerror", None) or str(error)
            self.save_failed.emit(opened, f"Could not save {opened.path.name}: {message}")
            self.retry.start()
            return False
        opened.disk_hash = _digest(opened.path.read_bytes())
        opened.document.setModified(False)
        self._failed.discard(opened)
        self._watch(opened)
        self.saved.emit(opened)
        return True

    def save_all(self) -> bool:
        """Save every document with unsaved changes; False if any save failed."""
        self.autosave.stop()
        results = [self.save(d) for d in list(self._open.values())]
        return all(results)

    # -------------------------------------------------------------- outside changes

    def _on_file_changed(self, path: str) -> None:
        for opened in list(self._open.values()):
            if str(opened.path) == path:
                self.check_disk(opened)

    def check_disk(self, opened: OpenDocument) -> None:
        """Compare the file with what we know; act on a change made by someone else."""
        self._watch(opened)  # An atomic replace drops the path from the watcher.
        try:
            raw = opened.path.read_bytes()
        except FileNotFoundError:
            return  # Removed or mid-replace: the next event tells more.
        if _digest(raw) == opened.disk_hash:
            return  # Our own write, or no change.
        theirs = opened.project.read_text(opened.node_id)
        if not opened.unsaved:
            self._replace_text(opened, theirs)
            opened.disk_hash = _digest(raw)
            self.reloaded.emit(opened)
            return
        choice = self.resolve_conflict(opened)
        opened.disk_hash = _digest(raw)
        if choice == "theirs":
            self._replace_text(opened, theirs)
            self.reloaded.emit(opened)
        elif choice == "both":
            mine = document_text(opened.document)
            copy_id = self._keep_copy(opened, mine)
            self._replace_text(opened, theirs)
            self.copy_kept.emit(opened, copy_id)
        else:
            self.save(opened)  # "mine": our text replaces theirs, theirs stays in undo.

    def _replace_text(self, opened: OpenDocument, text: str) -> None:
        """Load text as one undoable edit, so the replaced version stays in undo."""
        cursor = QTextCursor(opened.document)
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        opened.document.setModified(False)

    def _keep_copy(self, opened: OpenDocument, text: str) -> str:
        """Save "my" version as a note right after the document (notes are never exported,
        so keeping both cannot double the text of an export)."""
        project = opened.project
        node = project.tree.find(opened.node_id)
        parent = project.tree.parent_of(node.id)
        siblings = project.tree.roots if parent is None else parent.children
        index = next(i for i, n in enumerate(siblings) if n.id == node.id) + 1
        title = f"{node.title or 'Untitled'} (my version)"
        copy = project.add_node("note", title, parent.id if parent else None, index, text=text)
        project.save()
        return copy.id
