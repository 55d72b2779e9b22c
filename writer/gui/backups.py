"""Snapshots from the window: on close, once a day, and "Restore snapshot…".

Only projects changed in this run are backed up on close (a snapshot of an unchanged
project is skipped anyway, but computing that costs a read of every file). Daily snapshots
are taken in the background the first time a project is opened each day.

How many are kept, for how long and where come from Edit > Preferences
(``snapshot_keep``, ``snapshot_max_age_days``, ``snapshot_folder``): every call here
passes :meth:`Backups.snapshot_options`, and listing and restoring read the same folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QInputDialog

from writer.core.errors import WriterError
from writer.core.project import Project
from writer.core.recovery import clean_temp_files, finish_interrupted_restores
from writer.core.snapshots import (
    DEFAULT_KEEP,
    DEFAULT_MAX_AGE_DAYS,
    latest_snapshot,
    list_snapshots,
    project_id_of,
    restore_snapshot,
    should_take_daily,
    snapshot_and_prune,
)
from writer.gui.tasks import Task

if TYPE_CHECKING:
    from writer.gui.main_window import MainWindow


def recover_library(library_folder) -> list[str]:
    """Before the library is read: put right what an interrupted restore left behind."""
    try:
        return finish_interrupted_restores(library_folder)
    except OSError as error:
        return [f"Could not finish an interrupted restore: {error}"]


class Backups:
    """The window's snapshot duties; ``window.backups``."""

    def __init__(self, window: MainWindow, notes: list[str]) -> None:
        self.window = window
        self.changed: set[str] = set()
        self.checked_today: set[str] = set()
        self.tasks: list[Task] = []
        self.choose = self._choose
        for note in notes:
            window.statusBar().showMessage(str(note), 10_000)
        window.documents.saved.connect(lambda opened: self.touched(opened.project))
        window.metadata.edited.connect(self.touched)
        window.library_panel.current_changed.connect(lambda project, _node: self.opened(project))
        window.library_panel.broken_selected.connect(self.broken)
        self.broken_folder: Path | None = None

    def snapshot_options(self) -> dict[str, Any]:
        """``keep``, ``max_age_days`` and ``folder`` for ``snapshot_and_prune`` (Edit >
        Preferences; the defaults without settings). ``folder`` None: the default folder
        (``WRITER_SNAPSHOT_DIR``, else the data folder)."""
        settings = getattr(self.window, "settings", None)
        folder = str(getattr(settings, "snapshot_folder", "") or "").strip()
        return {
            "keep": getattr(settings, "snapshot_keep", DEFAULT_KEEP),
            "max_age_days": getattr(settings, "snapshot_max_age_days", DEFAULT_MAX_AGE_DAYS),
            "folder": Path(folder).expanduser() if folder else None,
        }

    def folder(self) -> Path | None:
        """Where snapshots are listed and restored from (None: the default folder)."""
        return self.snapshot_options()["folder"]

    def keep(self) -> int:
        """How many snapshots to keep per project (Edit > Preferences)."""
        return self.snapshot_options()["keep"]

    def touched(self, project: Project) -> None:
        self.changed.add(str(project.path))

    def broken(self, folder: Path, error: str) -> None:
        """A project that does not load: say why, never touch it, and offer its snapshot."""
        self.broken_folder = folder
        where = self.folder()
        project_id = project_id_of(folder, where)
        latest = latest_snapshot(project_id, where, loadable=True) if project_id else None
        offer = (
            f" A snapshot from {latest.local_time()} can be restored: Project > Restore snapshot…"
            if latest
            else " There is no snapshot of it to restore."
        )
        self.window.show_banner(f"{error}. The file was left as it is.{offer}", retry=False)

    def opened(self, project: Project | None) -> None:
        """First sight of a project in this run: tidy a killed save's temp files and take
        the daily snapshot if one is due (in the background)."""
        if project is not None:
            self.broken_folder = None
        if project is None or str(project.path) in self.checked_today:
            return
        self.checked_today.add(str(project.path))
        clean_temp_files(project.path)
        options = self.snapshot_options()
        if should_take_daily(project, options["folder"]):
            task = Task(
                lambda _progress: snapshot_and_prune(project, "daily", **options), self.window
            )
            self.tasks.append(task)
            task.start()

    def on_close(self) -> None:
        """Back up every project changed in this run (after its last save)."""
        for task in self.tasks:
            task.wait()
        for project in self.window.model.projects():
            if str(project.path) in self.changed:
                try:
                    snapshot_and_prune(project, "on close", **self.snapshot_options())
                except (WriterError, OSError) as error:
                    self.window.statusBar().showMessage(f"Snapshot failed: {error}", 5000)

    def snapshot_now(self) -> None:
        """Project > Take snapshot now."""
        project = self.window.project
        if project is None:
            return
        self.window.save_everything()
        try:
            taken = snapshot_and_prune(project, "on demand", **self.snapshot_options(), force=True)
        except (WriterError, OSError) as error:
            self.window.show_error(str(error))
            return
        name = taken.name if taken else "unchanged"
        self.window.statusBar().showMessage(f"Snapshot of {project.title}: {name}", 8000)

    def _choose(self, labels: list[str]) -> int | None:
        label, ok = QInputDialog.getItem(
            self.window, "Restore snapshot", "Bring back the project as it was at:", labels,
            len(labels) - 1, False,
        )  # fmt: skip
        return labels.index(label) if ok else None

    def restore(self) -> None:
        """Project > Restore snapshot…: the current state is backed up first."""
        window = self.window
        project = window.project
        folder = project.path if project is not None else self.broken_folder
        where = self.folder()
        project_id = project.id if project is not None else None
        if project_id is None and folder is not None:
            project_id = project_id_of(folder, where)
        if folder is None or project_id is None:
            window.show_error("Select a project first.")
            return
        snapshots = list_snapshots(project_id, where)
        if not snapshots:
            window.show_error(f"There is no snapshot of {folder.name} yet.")
            return
        labels = [
            f"{s.local_time()} — {s.reason}" + ("" if s.loads else " (did not load)")
            for s in snapshots
        ]
        index = self.choose(labels)
        if index is None:
            return
        window.save_everything()
        node_id = window.node.id if window.node is not None else None
        window.documents.close_project(folder)
        if project is not None:
            project.release_lock()
        try:
            restore_snapshot(folder, snapshots[index].name, where)
        except (WriterError, OSError) as error:
            window.show_error(str(error))
            return
        restored = window.model.reload_project(folder)
        if restored is not None:
            still_there = node_id is not None and any(n.id == node_id for n in restored.tree.walk())
            window.library_panel.select(restored, node_id if still_there else None)
            window.show_selection(*window.library_panel.current())  # same row, new objects
        before = latest_snapshot(project_id, where)
        kept = f"; the state before it is kept as {before.name}" if before else ""
        window.statusBar().showMessage(f"Restored {labels[index]}{kept}", 10_000)
