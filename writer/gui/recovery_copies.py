"""Recovery copies: the text typed since the last autosave, kept outside the project.

Autosave writes a document after a pause in typing (1.5 s). Text typed after that pause and
before a crash or a kill would be lost, so while a document has unsaved changes a copy of
its text is written every :data:`COPY_MS` of typing (throttled, not debounced: steady
typing still produces a copy every 0.4 s) to::

    <data dir>/recovery/<project id>/<doc id>.md     the text
    <data dir>/recovery/<project id>/<doc id>.json   project path, doc id, title, time,
                                                     sha256 of the copy and of the disk
                                                     text it was based on

A copy is deleted as soon as its document is saved, or when its text equals the file on
disk again (typed and undone). At the next start, :func:`pending_recoveries` finds copies
that are newer than and different from their document on disk, and the window asks per
document: restore (loaded into the document as one undoable edit, then saved by the normal
autosave), discard (deleted) or keep for later (renamed aside, asked again next start).

Copies are replaced by a rename (the old copy or the new one, never half of one) but not
fsynced: they guard against the process dying, which the page cache survives, and an
fsync every 0.4 s of typing could stall the editor on a slow disk. Power cuts are the
autosave's job, whose writes are fsynced. A copy whose text does not match its sidecar's
checksum is offered only if it holds text (an empty file is what a power cut leaves of an
unsynced write).

This module only reads the window through its public attributes (``documents``,
``editor``, ``model``, ``library_panel``, ``statusBar()``); :func:`install_recovery`
wires it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from writer.core.atomic import encode_utf8
from writer.core.errors import WriterError
from writer.core.library import Library
from writer.core.paths import data_dir
from writer.core.project import Project
from writer.core.tree import ID_PATTERN
from writer.gui.documents import DocumentManager, OpenDocument
from writer.gui.editor import document_text

if TYPE_CHECKING:
    from writer.gui.main_window import MainWindow

__all__ = [
    "COPY_MS",
    "Recovery",
    "RecoveryCopies",
    "delete_copy",
    "install_recovery",
    "pending_recoveries",
    "recovery_root",
    "write_copy",
]

COPY_MS = 400
FORMAT_VERSION = 1
KEPT_MARK = ".kept-"  # "<doc id>.kept-<stamp>.md": a copy the user kept for later

Answer = str  # "restore", "discard" or "later"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recovery_root() -> Path:
    """Where recovery copies live (``WRITER_HOME`` moves it, like every data folder)."""
    return data_dir() / "recovery"


def copy_paths(project_id: str, doc_id: str, root: Path | None = None) -> tuple[Path, Path]:
    """The text file and the sidecar of a document's live recovery copy."""
    if not ID_PATTERN.match(project_id) or not ID_PATTERN.match(doc_id):
        raise ValueError(f"bad id {project_id!r}/{doc_id!r}")
    folder = (root or recovery_root()) / project_id
    return folder / f"{doc_id}.md", folder / f"{doc_id}.json"


def _replace_file(path: Path, data: bytes) -> None:
    """Write beside ``path`` and rename over it (atomic against a kill; not fsynced)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def write_copy(
    project: Project,
    doc_id: str,
    text: str,
    base_sha256: str,
    root: Path | None = None,
) -> Path:
    """Write (or replace) the live recovery copy of a document; returns the text file.

    ``base_sha256`` is the checksum of the file on disk the text was typed over.
    """
    text_path, sidecar = copy_paths(project.id, doc_id, root)
    data = encode_utf8(text)
    node = next((n for n in project.tree.all_nodes() if n.id == doc_id), None)
    now = time.time()
    info = {
        "format": FORMAT_VERSION,
        "project_path": str(project.path),
        "project_id": project.id,
        "project_title": project.title,
        "doc_id": doc_id,
        "title": (node.title if node is not None else "") or "Untitled",
        "time": datetime.fromtimestamp(now).astimezone().isoformat(timespec="seconds"),
        "epoch": now,
        "sha256": _sha(data),
        "base_sha256": base_sha256,
    }
    _replace_file(text_path, data)
    _replace_file(sidecar, (json.dumps(info, indent=2, ensure_ascii=False) + "\n").encode())
    return text_path


def delete_copy(project_id: str, doc_id: str, root: Path | None = None) -> None:
    """Remove a document's live recovery copy (nothing happens when there is none)."""
    for path in copy_paths(project_id, doc_id, root):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# ---------------------------------------------------------------- finding copies


@dataclass(eq=False)
class Recovery:
    """A recovery copy newer than (and different from) its document on disk."""

    project: Project
    doc_id: str
    title: str
    time: float  # seconds since the epoch when the copy was written
    text_path: Path
    sidecar: Path
    base_sha256: str
    disk_words: int
    verified: bool  # the text matches the checksum its sidecar recorded

    @property
    def text(self) -> str:
        return self.text_path.read_bytes().decode("utf-8")

    @property
    def kept(self) -> bool:
        return KEPT_MARK in self.text_path.name

    def local_time(self) -> str:
        return datetime.fromtimestamp(self.time).strftime("%Y-%m-%d %H:%M:%S")

    def delete(self) -> None:
        for path in (self.text_path, self.sidecar):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def keep(self) -> None:
        """Move a live copy aside, so this run's own copies of the document cannot
        overwrite it; it is offered again at the next start."""
        if self.kept:
            return
        stamp = datetime.fromtimestamp(self.time).strftime("%Y%m%dT%H%M%S")
        folder = self.text_path.parent
        number = 1
        while True:
            base = f"{self.doc_id}{KEPT_MARK}{stamp}-{number}"
            text_path, sidecar = folder / f"{base}.md", folder / f"{base}.json"
            if not text_path.exists() and not sidecar.exists():
                break
            number += 1
        if self.sidecar.exists():
            os.replace(self.sidecar, sidecar)
        os.replace(self.text_path, text_path)
        self.text_path, self.sidecar = text_path, sidecar


def _read_sidecar(path: Path) -> dict[str, Any]:
    try:
        info = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def _projects_of(source: Library | Iterable[Project]) -> list[Project]:
    return source.projects() if isinstance(source, Library) else list(source)


def pending_recoveries(
    library: Library | Iterable[Project], root: Path | None = None
) -> list[Recovery]:
    """Copies newer than and different from their document, for projects in ``library``
    (a :class:`Library` or the projects a window already holds), oldest first.

    "Newer" means the file on disk is still the one the copy was typed over (same
    checksum), or was written before the copy. Copies whose text equals the file are
    deleted; copies of projects or documents no longer in the library are left alone.
    """
    root = root or recovery_root()
    if not root.is_dir():
        return []
    by_id: dict[str, list[Project]] = {}
    for project in _projects_of(library):
        by_id.setdefault(project.id, []).append(project)
    found: list[Recovery] = []
    for folder in sorted(root.iterdir()):
        candidates = by_id.get(folder.name)
        if not candidates or not folder.is_dir():
            continue
        for text_path in sorted(folder.glob("*.md")):
            if text_path.name.startswith("."):
                continue  # a copy being written when the process died
            recovery = _examine(text_path, candidates)
            if recovery is not None:
                found.append(recovery)
    found.sort(key=lambda r: r.time)
    return found


def _examine(text_path: Path, candidates: list[Project]) -> Recovery | None:
    doc_id = text_path.name.split(".", 1)[0]
    if not ID_PATTERN.match(doc_id):
        return None
    sidecar = text_path.with_suffix(".json")
    info = _read_sidecar(sidecar)
    project = next(
        (p for p in candidates if str(p.path) == info.get("project_path")), candidates[0]
    )
    node = next((n for n in project.tree.all_nodes() if n.id == doc_id), None)
    if node is None or not node.has_text:
        return None  # The document is gone from the project: keep the copy, offer nothing.
    try:
        data = text_path.read_bytes()
        text = data.decode("utf-8")
        copy_mtime = text_path.stat().st_mtime
    except (OSError, UnicodeDecodeError):
        return None
    verified = info.get("sha256") == _sha(data)
    if not verified and not text:
        return None
    try:
        disk_path = project.doc_path(doc_id)
        disk_raw = disk_path.read_bytes()
        disk_mtime = disk_path.stat().st_mtime
    except (OSError, WriterError):
        return None
    try:
        disk_text = project.read_text(doc_id)
    except WriterError:
        disk_text = None  # Not UTF-8 any more: the copy differs, and is worth offering.
    if data == disk_raw or text == disk_text:
        with contextlib.suppress(OSError):
            text_path.unlink()
            sidecar.unlink(missing_ok=True)
        return None
    epoch = info.get("epoch")
    written = max(float(epoch), copy_mtime) if isinstance(epoch, int | float) else copy_mtime
    base = str(info.get("base_sha256", ""))
    if base != _sha(disk_raw) and written <= disk_mtime:
        return None  # The file was written after the copy: the copy is not newer.
    words = project.words(doc_id) if disk_text is not None else 0
    title = str(info.get("title") or node.title or "Untitled")
    return Recovery(project, doc_id, title, written, text_path, sidecar, base, words, verified)


# ---------------------------------------------------------------- keeping copies


class RecoveryCopies(QObject):
    """Keeps a recovery copy of every open document with unsaved changes; ``window.recovery``.

    ``ask(recovery) -> "restore" | "discard" | "later"`` is the question asked per pending
    copy at start (a message box; tests replace it).
    """

    written = Signal(object)  # OpenDocument whose copy was just written
    removed = Signal(object)  # OpenDocument whose copy was just deleted
    failed = Signal(str)  # a copy could not be written (the autosave still runs)
    offered = Signal(list)  # [(Recovery, answer)] after the start-up question

    def __init__(
        self,
        documents: DocumentManager,
        parent: QObject | None = None,
        interval_ms: int = COPY_MS,
        root: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.documents = documents
        self.root = root or recovery_root()  # fixed now: WRITER_HOME is read once
        self.window: MainWindow | None = None
        self.ask: Callable[[Recovery], Answer] = self._ask
        self._copies: dict[tuple[str, str], tuple[str, str]] = {}  # key -> (project id, sha)
        self._failing = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.write_now)
        documents.saved.connect(self._drop)
        documents.state_changed.connect(self.schedule)

    def watch(self, signal: Any) -> None:
        """Typing: a signal (the editor's ``textChanged``) that means "text was edited"."""
        signal.connect(self.schedule)

    def schedule(self) -> None:
        """Copy soon; steady typing still gets a copy every interval (throttle)."""
        if not self.timer.isActive():
            self.timer.start()

    @staticmethod
    def _key(opened: OpenDocument) -> tuple[str, str]:
        return (str(opened.project.path), opened.node_id)

    def copy_path(self, opened: OpenDocument) -> Path:
        return copy_paths(opened.project.id, opened.node_id, self.root)[0]

    def write_now(self) -> None:
        """Bring every open document's copy up to date (called by the timer)."""
        self.timer.stop()
        for opened in self.documents.documents():
            self.update(opened)

    def update(self, opened: OpenDocument) -> None:
        """Write, replace or delete one document's copy as its state requires."""
        key = self._key(opened)
        if not opened.unsaved:
            self._drop(opened)
            return
        data = encode_utf8(document_text(opened.document))
        digest = _sha(data)
        if digest == opened.disk_hash:
            self._drop(opened)  # Typed and undone: the file already holds this text.
            return
        known = self._copies.get(key)
        if known is not None and known[1] == digest:
            return
        try:
            write_copy(opened.project, opened.node_id, data.decode("utf-8"), opened.disk_hash,
                       self.root)  # fmt: skip
        except (OSError, ValueError) as error:
            if not self._failing:
                self.failed.emit(f"Could not keep a recovery copy: {error}")
            self._failing = True
            return
        self._failing = False
        self._copies[key] = (opened.project.id, digest)
        self.written.emit(opened)

    def _drop(self, opened: OpenDocument) -> None:
        """Saved (or equal to the disk again): the copy this run wrote goes."""
        known = self._copies.pop(self._key(opened), None)
        if known is None:
            return
        try:
            delete_copy(known[0], opened.node_id, self.root)
        except OSError:
            return
        self.removed.emit(opened)

    # -------------------------------------------------------------- at start

    def offer(self) -> list[tuple[Recovery, Answer]]:
        """Ask about every pending copy of the window's projects, and act on the answers."""
        window = self.window
        if window is None:
            return []
        answers: list[tuple[Recovery, Answer]] = []
        for recovery in pending_recoveries(window.model.projects(), self.root):
            answer = self.ask(recovery)
            if answer == "restore":
                self.restore(recovery)
            elif answer == "discard":
                recovery.delete()
            else:
                answer = "later"
                with contextlib.suppress(OSError):
                    recovery.keep()
            answers.append((recovery, answer))
        if answers:
            self.offered.emit(answers)
        return answers

    def restore(self, recovery: Recovery) -> OpenDocument | None:
        """Show the document and replace its text with the copy, as one undoable edit;
        it is then unsaved, so the autosave writes it."""
        window = self.window
        if window is None:
            return None
        project, doc_id = recovery.project, recovery.doc_id
        try:
            text = recovery.text
            window.library_panel.select(project, doc_id)
            opened = window.documents.find(project, doc_id) or window.documents.open(
                project, doc_id
            )
        except (OSError, UnicodeDecodeError, WriterError) as error:
            window.statusBar().showMessage(f"Could not restore {recovery.title}: {error}", 10_000)
            return None
        cursor = QTextCursor(opened.document)
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        opened.document.setModified(True)
        self.update(opened)  # The live copy now holds the restored text until it is saved.
        if recovery.text_path != self.copy_path(opened):
            recovery.delete()
        window.documents.autosave.start()
        window.statusBar().showMessage(
            f"Restored {recovery.title} from its recovery copy of {recovery.local_time()}",
            10_000,
        )
        return opened

    def _ask(self, recovery: Recovery) -> Answer:
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Recovered text")
        copy_words = len(recovery.text.split())
        box.setText(
            f"“{recovery.title}” in {recovery.project.title} has text that was never saved: "
            f"a recovery copy from {recovery.local_time()} (about {copy_words:,} words; "
            f"the saved file has {recovery.disk_words:,})."
        )
        box.setInformativeText(
            "Restore puts the copy in the editor (Undo brings the saved text back). "
            "Keep for later asks again at the next start."
        )
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        later = box.addButton("Keep for later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.setEscapeButton(later)
        box.exec()
        clicked = box.clickedButton()
        return "restore" if clicked is restore else "discard" if clicked is discard else "later"


def install_recovery(window: MainWindow) -> RecoveryCopies:
    """Keep recovery copies of the window's documents, and offer pending ones once the
    event loop runs. Sets and returns ``window.recovery``; calling it again is harmless."""
    existing = getattr(window, "recovery", None)
    if isinstance(existing, RecoveryCopies):
        return existing
    recovery = RecoveryCopies(window.documents, window)
    recovery.window = window
    recovery.watch(window.editor.textChanged)
    recovery.failed.connect(lambda message: window.statusBar().showMessage(message, 10_000))
    window.recovery = recovery  # type: ignore[attr-defined]
    QTimer.singleShot(0, recovery, recovery.offer)
    return recovery
