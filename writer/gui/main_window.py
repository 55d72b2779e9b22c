"""The writing window: library tree, editor and live preview, metadata panel, status bar.

The window only composes widgets and routes signals between them; each widget owns its
part (the tree its actions, the editor its formatting, the panel its fields, the document
manager saving and outside changes, the preview controller rendering).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from writer.core.errors import ProjectLockedError, WriterError
from writer.core.library import Library
from writer.core.lock import check_holder, read_lock
from writer.core.project import Project
from writer.core.tree import Node
from writer.gui.backups import Backups, recover_library
from writer.gui.documents import DocumentManager, OpenDocument
from writer.gui.editor import (
    MarkdownEditor,
    create_document,
    document_text,
    highlighter_for,
)
from writer.gui.export_dialog import ExportDialog
from writer.gui.find_replace import FindReplaceBar
from writer.gui.goals import install_goals
from writer.gui.import_dialog import ImportDialog
from writer.gui.library_model import LibraryModel
from writer.gui.library_view import LibraryPanel
from writer.gui.menus import build_menus
from writer.gui.metadata_panel import MetadataPanel
from writer.gui.preview import PreviewController, PreviewPane
from writer.gui.recovery_copies import install_recovery
from writer.gui.search_panel import SearchPanel, SearchService
from writer.gui.settings_dialog import install_settings
from writer.gui.spellcheck import install as install_spellcheck
from writer.gui.statistics import install_statistics
from writer.gui.status_bar import WritingStatusBar
from writer.gui.window_state import window_settings
from writer.render.assembled import assemble
from writer.render.work_html import work_to_html

METADATA_SAVE_MS = 800
IDLE_UNLOCK_MS = 5 * 60 * 1000  # Give project locks up after five quiet minutes.
SEARCH_START_MS = 2000  # Open (and reconcile) the search index once the window is up.


class MainWindow(QMainWindow):
    """The main window of writer."""

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.setWindowTitle("writer")
        self.project: Project | None = None
        self.node: Node | None = None
        self.current: OpenDocument | None = None
        self.whole_work = False
        self.focus_mode = False
        self._search_started = False

        recovery_notes = recover_library(library.path)
        self.model = LibraryModel(library, self)
        self.model.save_failed = self._model_save_failed  # type: ignore[method-assign]
        self.model.fetch_all()
        self.library_panel = LibraryPanel(self.model)
        self.documents = DocumentManager(self)
        self.documents.resolve_conflict = self._ask_conflict
        self.documents.watch_library(library.path)
        self.editor = MarkdownEditor()
        self.find_bar = FindReplaceBar(self.editor)
        self.find_bar.hide()
        self.preview = PreviewPane()
        self.preview_controller = PreviewController(self.preview, self)
        self.metadata = MetadataPanel()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setObjectName("banner")
        self.banner.hide()
        self.status = WritingStatusBar()
        self.setStatusBar(self.status)
        self.search = SearchService(library, self)
        self.search_panel = SearchPanel(self.search)
        self.search_dock = QDockWidget("Search", self)
        self.search_dock.setObjectName("search_dock")
        self.search_dock.setWidget(self.search_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.search_dock)
        self.search_dock.hide()
        self.search_start = QTimer(self)
        self.search_start.setSingleShot(True)
        self.search_start.setInterval(SEARCH_START_MS)
        self.search_start.timeout.connect(self.start_search)
        self._layout()
        self.metadata_timer = QTimer(self)
        self.metadata_timer.setSingleShot(True)
        self.metadata_timer.setInterval(METADATA_SAVE_MS)
        self.metadata_timer.timeout.connect(self.save_metadata)
        self._dirty_projects: set[Project] = set()
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(IDLE_UNLOCK_MS)
        self.idle_timer.timeout.connect(self.release_locks)
        self.backups = Backups(self, recovery_notes)
        build_menus(self)
        install_goals(self)
        install_statistics(self)
        install_spellcheck(self)
        self.settings = install_settings(self)
        self.recovery = install_recovery(self)
        self._connect()
        self.restore_state()

    # -------------------------------------------------------------- layout

    def _layout(self) -> None:
        editor_box = QWidget()
        box = QVBoxLayout(editor_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.banner)
        box.addWidget(self.editor, 1)
        box.addWidget(self.find_bar)
        self.editor_box = editor_box
        self.centre = QSplitter(Qt.Orientation.Horizontal)
        self.centre.setObjectName("centre_splitter")
        self.centre.addWidget(editor_box)
        self.centre.addWidget(self.preview)
        self.centre.setChildrenCollapsible(False)
        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.setObjectName("main_splitter")
        self.main_split.addWidget(self.library_panel)
        self.main_split.addWidget(self.centre)
        self.main_split.addWidget(self.metadata)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([300, 900, 360])
        self.setCentralWidget(self.main_split)

    def _connect(self) -> None:
        self.library_panel.current_changed.connect(self.show_selection)
        self.library_panel.structure_changed.connect(self._on_structure_changed)
        self.library_panel.node_trashed.connect(self._on_node_trashed)
        self.library_panel.error.connect(self.show_error)
        self.documents.saved.connect(self._on_saved)
        self.documents.saved.connect(self._index_saved)
        self.library_panel.structure_changed.connect(self._index_project)
        self.documents.save_failed.connect(lambda _doc, message: self.show_banner(message))
        self.documents.locked.connect(self._on_locked)
        self.documents.state_changed.connect(self._update_save_state)
        self.documents.reloaded.connect(self._on_reloaded)
        self.documents.copy_kept.connect(self._on_copy_kept)
        self.documents.library_changed.connect(self._on_library_changed)
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.cursorPositionChanged.connect(self._follow_cursor)
        self.metadata.edited.connect(self._on_metadata_edited)
        self.search_panel.open_hit.connect(self.open_hit)
        self.preview_controller.counted.connect(
            lambda words: self._update_counts(words) if self.current is not None else None
        )

    # -------------------------------------------------------------- opening

    def open_project(self, path: Path | None) -> None:
        """Show a project (or the last one, or the first of the library) and a document."""
        settings = window_settings()
        last = settings.value("last_project", "")
        wanted = Path(path) if path else Path(last) if last else None
        projects = self.model.projects()
        project = next(
            (p for p in projects if wanted and p.path.resolve() == wanted.resolve()),
            projects[0] if projects else None,
        )
        if project is None:
            return
        node_id = settings.value("last_document", "") if project.path == wanted else ""
        node = self._find_node(project, node_id) or next(
            (n for n in project.tree.walk() if n.has_text), None
        )
        self.library_panel.view.expand(
            self.library_panel.proxy.mapFromSource(self.model.index_of(project))
        )
        self.library_panel.select(project, node.id if node else None)

    def _find_node(self, project: Project, node_id: str) -> Node | None:
        return next((n for n in project.tree.walk() if n.id == node_id), None)

    def show_selection(self, project: Project | None, node: Node | None) -> None:
        """Open the selected document in the editor (saving the one we leave)."""
        self.documents.save_all()
        if self.project is not None and project is not self.project:
            self.save_metadata()
        self.project, self.node = project, node
        self.metadata.set_project(project)
        self.metadata.set_document(node)
        if project is not None:
            self.status.start_session(project)
            self.setWindowTitle(f"{project.title} — writer")
        if node is None or not node.has_text or project is None:
            self.current = None
            self.editor.setReadOnly(True)
            self.editor.set_document(self._placeholder())
            self._render(now=True)
            self._update_counts()
            return
        try:
            self.current = self.documents.open(project, node.id)
        except WriterError as error:
            self.current = None
            self.show_error(str(error))
            return
        in_use = self._in_use_elsewhere(project)
        self.editor.setReadOnly(project.tree.in_trash(node.id) or in_use)
        self.editor.set_document(self.current.document)
        if not in_use:
            self.hide_banner()
        self._render(now=True)
        self._update_counts()
        self._update_save_state()

    def _in_use_elsewhere(self, project: Project) -> bool:
        """A second copy of the app opens a project the first one is writing read-only,
        with a banner; a lock carried from another computer is only reported (saving asks
        whether to take it over)."""
        holder = read_lock(project.path)
        if holder is None or project.holds_lock():
            return False
        try:
            check_holder(project.path, holder)
        except ProjectLockedError as error:
            if error.other_host:
                self.show_banner(f"{error}.", retry=False)
                return False
            self.show_banner(f"{error}: read-only here until it is closed.", retry=False)
            return True
        return False

    def _placeholder(self):
        if not hasattr(self, "_empty_document"):
            self._empty_document = create_document("", self)
        return self._empty_document

    # -------------------------------------------------------------- preview

    def _render(self, now: bool = False) -> None:
        project = self.project
        if self.whole_work and project is not None:
            self.documents.save_all()
            job = lambda: lambda: work_to_html(assemble(project))  # noqa: E731
            self.preview_controller.render_now(job)
            return
        if self.current is None:
            title = project.title if project else ""
            text = f"# {title}" if title else ""
            self.preview_controller.render_now(lambda: text)
            return
        document = self.current.document
        if now:
            self.preview_controller.render_now(lambda: document_text(document))
        else:
            self.preview_controller.schedule(
                lambda: document_text(document), document.characterCount()
            )

    def _follow_cursor(self) -> None:
        blocks = max(1, self.editor.document().blockCount() - 1)
        self.preview_controller.follow(self.editor.textCursor().blockNumber() / blocks)

    def apply_palette(self) -> None:
        """Light or dark switched: every open document's highlighting takes its colours
        from the new palette, and the preview (which restyles itself) renders again."""
        for opened in self.documents.documents():
            highlighter = highlighter_for(opened.document)
            if highlighter is not None:
                highlighter.refresh_palette(self.palette())
        self._render(now=True)

    def set_whole_work(self, on: bool) -> None:
        self.whole_work = on
        self._render(now=True)

    def set_view_mode(self, mode: str) -> None:
        """``editor``, ``preview`` or ``both``."""
        self.editor_box.setVisible(mode in ("editor", "both"))
        self.preview.setVisible(mode in ("preview", "both"))
        self.view_mode = mode

    def set_focus_mode(self, on: bool) -> None:
        """F11: only the text. Everything else is hidden and comes back as it was."""
        self.focus_mode = on
        for widget in (self.library_panel, self.metadata, self.menuBar(), self.status):
            widget.setVisible(not on)
        for bar in self.toolbars:
            bar.setVisible(not on)
        self.preview.setVisible(not on and getattr(self, "view_mode", "both") != "editor")
        self.editor.set_focus_mode(on)
        if on:
            self.showFullScreen()
        else:
            self.showNormal()
        self.editor.setFocus()

    # -------------------------------------------------------------- edits and saving

    def _on_text_changed(self) -> None:
        if self.current is not None:
            self._render()  # The render job counts the words too, off this thread.

    def _update_counts(self, live_words: int | None = None) -> None:
        words = live_words
        if words is None and self.current is not None and self.project is not None:
            words = self.project.words(self.current.node_id)
        self.status.show_counts(self.project, words)

    def _update_save_state(self) -> None:
        unsaved = self.documents.any_unsaved() or bool(self._dirty_projects)
        self.status.show_saved(not unsaved)

    def release_locks(self) -> None:
        """Idle: let go of every project lock (the next save takes it again), so another
        copy of the app or a sync client is not told the project is in use."""
        for project in self.model.projects():
            project.release_lock()

    def _on_saved(self, opened: OpenDocument) -> None:
        self.idle_timer.start()
        self.hide_banner()
        self.model.refresh_counts(opened.project)
        self._update_counts()
        self._update_save_state()

    def _on_metadata_edited(self, project: Project) -> None:
        self._dirty_projects.add(project)
        self.metadata_timer.start()
        self._update_save_state()

    def save_metadata(self) -> None:
        """Write ``project.json`` of every project whose metadata was edited."""
        self.metadata_timer.stop()
        for project in list(self._dirty_projects):
            try:
                project.save()
            except (WriterError, OSError) as error:
                self.show_banner(f"Could not save {project.title}: {error}")
                continue
            self._dirty_projects.discard(project)
            self.model.refresh_counts(project)
            self.idle_timer.start()
            self._index_project(project)
        if self.project is not None:
            self.setWindowTitle(f"{self.project.title} — writer")
        self._update_save_state()

    def save_everything(self) -> bool:
        """Ctrl+S and every autosave point: documents first, then project files."""
        ok = self.documents.save_all()
        self.save_metadata()
        return ok and not self._dirty_projects

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.save_everything()  # Losing focus is a save point.
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
        super().changeEvent(event)

    # -------------------------------------------------------------- tree events

    def _on_structure_changed(self, project: Project) -> None:
        self._update_counts()

    def _on_node_trashed(self, project: Project, node: Node) -> None:
        for item in node.walk():
            opened = self.documents.find(project, item.id)
            if opened is not None:
                self.documents.save(opened)

    def _on_reloaded(self, opened: OpenDocument) -> None:
        self.statusBar().showMessage(f"{opened.path.name} changed on disk and was reloaded", 5000)
        self.model.refresh_counts(opened.project)

    def _on_copy_kept(self, opened: OpenDocument, copy_id: str) -> None:
        self.model.refresh_project(opened.project)
        self.statusBar().showMessage("Both versions kept: yours is in a note beside it", 8000)

    def _on_library_changed(self) -> None:
        known = {p.path for p in self.model.projects()}
        for folder in self.library.project_dirs():
            if folder not in known:
                self.model.add_project(folder)

    def _model_save_failed(self, project: Project, error: Exception) -> None:
        self.show_banner(f"Could not save {project.title}: {error}")

    def open_library(self, folder: Path) -> None:
        """Switch to another library folder without a restart: everything of the old one
        is saved, its locks released and its documents closed first."""
        folder = Path(folder).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        self.save_everything()
        for project in self.model.projects():
            self.documents.close_project(project.path)
            with contextlib.suppress(WriterError, OSError):
                project.close()
        self.library = Library(folder)
        self.model = LibraryModel(self.library, self)
        self.model.save_failed = self._model_save_failed  # type: ignore[method-assign]
        self.model.fetch_all()
        self.library_panel.set_model(self.model)
        self.documents.watch_library(folder)
        self.search.stop()
        self.search.library = self.library
        if self._search_started:
            self.search.start()
        self.project = self.node = self.current = None
        self.open_project(None)

    # -------------------------------------------------------------- search

    def start_search(self) -> None:
        """Open the index (once); called shortly after start or when the panel opens."""
        self.search_start.stop()
        if not self._search_started:
            self._search_started = True
            self.search.start()

    def show_search(self) -> None:
        """Ctrl+Shift+F: show the panel and put the cursor in its query box."""
        self.start_search()
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.focus_query()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._search_started:
            self.search_start.start()

    def _index_saved(self, opened: OpenDocument) -> None:
        if self.search.worker is not None:
            self.search.worker.document_saved(opened.project, opened.node_id)

    def _index_project(self, project: Project) -> None:
        if self.search.worker is not None:
            self.search.worker.project_changed(project)

    def open_hit(self, hit) -> None:
        """Open the document of a search hit with the matched words selected."""
        project = next((p for p in self.model.projects() if p.slug == hit.project), None)
        if project is None:
            self.show_error(f"The project {hit.project_title} is no longer in the library.")
            return
        self.library_panel.select(project, hit.document)
        opened = self.current
        if opened is not None and hit.offset is not None and opened.node_id == hit.document:
            self.editor.select_range(hit.offset, hit.length)
            self.editor.setFocus()

    # -------------------------------------------------------------- import and export

    def export_project(self) -> None:
        """File > Export: the current project, through the export dialog."""
        if self.project is None:
            self.show_error("Select a project to export first.")
            return
        self.save_everything()
        dialog = ExportDialog(self.project, Path.home(), self)
        dialog.exec()

    def import_paths(self, paths: list[Path]) -> None:
        """File > Import: bring past works in, then show what changed."""
        if not paths:
            return
        self.save_everything()
        dialog = ImportDialog(paths, self.library, self.project, self)
        dialog.exec()
        self.after_import(dialog.results)

    def after_import(self, results) -> None:
        """Show new projects and re-read the ones an import changed."""
        for result in results:
            if not result.ok or result.project is None:
                continue
            folder = Path(result.project)
            self.documents.close_project(folder)
            project = self.model.reload_project(folder)
            if project is not None and result.action in ("created", "updated", "appended"):
                self.library_panel.select(project)
                self.show_selection(*self.library_panel.current())
        if self.search.worker is not None:
            self.search.worker.reconcile()
        self.statusBar().showMessage(f"Imported {len(results)} item(s)", 5000)

    # -------------------------------------------------------------- messages

    def show_banner(self, message: str, retry: bool = True) -> None:
        """A message above the editor that stays until the problem is gone."""
        more = " Your text is kept here and saving will be retried." if retry else ""
        self.banner.setText(f"⚠ {message}{more}")
        self.banner.show()

    def hide_banner(self) -> None:
        self.banner.hide()

    def _on_locked(self, opened: OpenDocument, error) -> None:
        """Another copy holds the project: take over when the user says that copy is gone
        (another computer's lock carried by sync), otherwise keep the text and say why."""
        if error.other_host and self.confirm_take_over(str(error)):
            opened.project.take_over_lock()
            self.documents.save(opened)
            return
        self.show_banner(f"Not saved: {error}.")

    def confirm_take_over(self, message: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Project in use elsewhere",
            f"{message}.\n\nIf that copy of writer is closed, take the project over here?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "writer", message)

    def _ask_conflict(self, opened: OpenDocument) -> str:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Changed on disk")
        box.setText(f"{opened.path.name} was changed by another program while you were editing.")
        mine = box.addButton("Keep mine", QMessageBox.ButtonRole.AcceptRole)
        theirs = box.addButton("Load theirs", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Keep both", QMessageBox.ButtonRole.ActionRole)
        box.exec()
        clicked = box.clickedButton()
        return "mine" if clicked is mine else "theirs" if clicked is theirs else "both"

    # -------------------------------------------------------------- state

    def restore_state(self) -> None:
        settings = window_settings()
        geometry = settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        for splitter in (self.main_split, self.centre):
            sizes = settings.value(splitter.objectName())
            if sizes:
                splitter.restoreState(sizes)
        self.set_view_mode(str(settings.value("view_mode", "both")))

    def save_state(self) -> None:
        settings = window_settings()
        settings.setValue("geometry", self.saveGeometry())
        for splitter in (self.main_split, self.centre):
            settings.setValue(splitter.objectName(), splitter.saveState())
        settings.setValue("view_mode", getattr(self, "view_mode", "both"))
        if self.project is not None:
            settings.setValue("last_project", str(self.project.path))
            settings.setValue("last_document", self.node.id if self.node else "")
        settings.sync()

    def confirm_discard(self) -> bool:
        """Only reached when a save failed: closing would lose text, so ask."""
        answer = QMessageBox.warning(
            self,
            "writer",
            "Some text could not be saved (see the message above the editor). "
            "Close anyway and lose it?",
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
        )
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.search_start.stop()  # A late start would outlive the window.
        self.save_everything()
        self.session_tracker.close_all()
        if self.documents.any_unsaved() and not self.confirm_discard():
            event.ignore()
            return
        self.save_state()
        self.preview_controller.shutdown()
        self.search.stop()
        for project in self.model.projects():
            with contextlib.suppress(WriterError, OSError):
                project.close()
        self.backups.on_close()
        super().closeEvent(event)
