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
        self.task = Task(lambda progress: import_paths(paths, library, into, False, progress), self)
        self.task.progressed.connect(self._progress)
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.start()

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if message:
            self.message.setText(message)

    def _done(self, results: list[ImportResult]) -> None:
        self.results = results
        lines = []
        for result in results:
            name = Path(result.source).name if result.source else "?"
            if result.ok:
                lines.append(f"✓ {name}: {result.action} ({result.chapters} chapters)")
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
