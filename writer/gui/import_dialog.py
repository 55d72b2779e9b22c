"""File > Import: past works (files or folders of chapter files) into the library, with a
progress bar and a line per input saying what became of it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from writer.core.importing import ImportResult, import_paths
from writer.core.library import Library
from writer.core.project import Project
from writer.gui.tasks import Task

IMPORT_FILTER = "Stories (*.txt *.md *.markdown *.html *.htm *.docx *.epub);;All files (*)"


class ImportDialog(QDialog):
    """Runs the importer the CLI uses; ``results`` holds what it did."""

    def __init__(
        self,
        paths: list[Path],
        library: Library,
        current: Project | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import past works")
        self.paths = paths
        self.library = library
        self.current = current
        self.results: list[ImportResult] = []
        self.task: Task | None = None
        self.sources = QListWidget()
        self.sources.addItems([str(p) for p in paths])
        self.target = QComboBox()
        self.target.addItem("Each as a new project", None)
        if current is not None:
            self.target.addItem(f"As new chapters of {current.title}", "into")
        self.progress = QProgressBar()
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Ok
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Files", self.sources)
        form.addRow("Import", self.target)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        into = self.current if self.target.currentData() == "into" else None
        self.buttons.setEnabled(False)
        self.progress.show()
        self.progress.setRange(0, len(self.paths))
        paths, library = list(self.paths), self.library

        def job(progress):
            return import_paths(paths, library, into, False, progress, update=False)

        self.task = Task(job, self)
        self.task.progressed.connect(self._progress)
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.start()

    def confirm_update(self, names: list[str]) -> bool:
        """Sources imported before and changed since: update those works? (Never a
        duplicate project either way.)"""
        answer = QMessageBox.question(
            self,
            "Imported before",
            "These were imported before and have changed since:\n\n"
            + "\n".join(names)
            + "\n\nUpdate those works (a snapshot is taken first)?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if message:
            self.message.setText(message)

    def _done(self, results: list[ImportResult]) -> None:
        changed = [r for r in results if r.action == "update available"]
        if changed and self.confirm_update([r.source.name for r in changed]):
            again = import_paths([r.source for r in changed], self.library, update=True)
            updated = iter(again)
            results = [next(updated) if r in changed else r for r in results]
        self.results = results
        lines = []
        for result in results:
            name = Path(result.source).name if result.source else "?"
            if result.ok:
                what = (
                    "already imported, not updated"
                    if result.action == "update available"
                    else result.action
                )
                lines.append(f"✓ {name}: {what} ({result.chapters} chapters)")
                lines += [f"    note: {w}" for w in result.warnings]
            else:
                lines.append(f"⚠ {name}: {result.error}")
        self.message.setText("\n".join(lines))
        self.progress.setValue(self.progress.maximum())
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.accept)
        self.buttons.setEnabled(True)

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.message.setText(f"⚠ The import failed: {message}")
        self.buttons.setEnabled(True)
