"""File > Export: format, scope, options and output path, a progress bar, and
"show in folder" at the end. The export itself is the same code the CLI runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from writer.core.project import Project
from writer.export.base import ExportOptions
from writer.export.formats import FORMATS, get_format
from writer.gui.tasks import Task
from writer.render.assembled import AssembleOptions, assemble, reading_units


class ExportDialog(QDialog):
    """Export one project; the chosen options are those of ``writer export``."""

    def __init__(self, project: Project, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.written: list[Path] = []
        self.task: Task | None = None
        self.setWindowTitle(f"Export {project.title}")
        self.format = QComboBox()
        for fmt in FORMATS.values():
            self.format.addItem(f"{fmt.name} — {fmt.description}", fmt.name)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.output = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        self.chapters = QListWidget()
        self.chapters.setMaximumHeight(140)
        for node, _part in reading_units(project):
            item = QListWidgetItem(node.title or f"Untitled {node.kind}")
            item.setData(Qt.ItemDataRole.UserRole, node.id)
            item.setCheckState(Qt.CheckState.Checked)
            self.chapters.addItem(item)
        self.checks = {
            name: QCheckBox(label)
            for name, label in (
                ("title_page", "Title page with the metadata"),
                ("disclaimer", "Disclaimer"),
                ("spoiler_warning", "Spoiler warning"),
                ("work_notes", "Notes at the beginning and end"),
                ("chapter_notes", "Chapter notes and summaries"),
                ("page_numbers", "Page numbers (PDF)"),
                ("per_chapter", "One file per chapter (archive)"),
            )
        }
        for name, box in self.checks.items():
            box.setChecked(name != "per_chapter")
        self.headings = QComboBox()
        for value, label in (
            ("both", "Chapter 1: Title"),
            ("titles", "Title only"),
            ("numbers", "Chapter 1"),
            ("none", "No headings"),
        ):
            self.headings.addItem(label, value)
        self.scene_break = QLineEdit("* * *")
        self.page_size = QComboBox()
        self.page_size.addItems(["A4", "Letter"])
        self.margin = QDoubleSpinBox(minimum=5, maximum=60, value=25, suffix=" mm")
        self.progress = QProgressBar()
        self.progress.hide()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.show_folder = QPushButton("Show in folder")
        self.show_folder.hide()
        self.show_folder.clicked.connect(self._open_folder)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Save to", out_row)
        form.addRow("Chapters", self.chapters)
        form.addRow("Headings", self.headings)
        form.addRow("Scene break", self.scene_break)
        form.addRow("Page size", self.page_size)
        form.addRow("Margins", self.margin)
        for box in self.checks.values():
            form.addRow("", box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Ok
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addWidget(self.show_folder)
        layout.addWidget(self.buttons)
        self.folder = folder
        self._format_changed()

    # -------------------------------------------------------------- choices

    def _format_changed(self) -> None:
        fmt = get_format(self.format.currentData())
        suffix = "-archive" if fmt.name == "ao3" else ""
        self.output.setText(str(self.folder / f"{self.project.slug}{suffix}{fmt.extension}"))
        self.page_size.setEnabled(fmt.name in ("pdf", "odt", "docx"))
        self.margin.setEnabled(fmt.name in ("pdf", "odt", "docx"))
        self.checks["page_numbers"].setEnabled(fmt.name == "pdf")
        self.checks["per_chapter"].setEnabled(fmt.name == "ao3")

    def _browse(self) -> None:
        fmt = get_format(self.format.currentData())
        if fmt.name == "ao3":
            chosen = QFileDialog.getExistingDirectory(self, "Export into folder", str(self.folder))
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.output.text())
        if chosen:
            self.output.setText(chosen)

    def options(self) -> ExportOptions:
        """The options as chosen in the dialog."""
        picked = [
            self.chapters.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.chapters.count())
            if self.chapters.item(i).checkState() == Qt.CheckState.Checked
        ]
        everything = len(picked) == self.chapters.count()
        checked = {name: box.isChecked() for name, box in self.checks.items()}
        return ExportOptions(
            assemble=AssembleOptions(
                title_page=checked["title_page"],
                disclaimer=checked["disclaimer"],
                spoiler_warning=checked["spoiler_warning"],
                work_notes=checked["work_notes"],
                chapter_notes=checked["chapter_notes"],
                chapter_summaries=checked["chapter_notes"],
                headings=self.headings.currentData(),
                scene_break=self.scene_break.text() or "* * *",
                chapter_ids=None if everything else picked,
            ),
            page_size=self.page_size.currentText(),
            margin_mm=self.margin.value(),
            page_numbers=checked["page_numbers"],
            per_chapter=checked["per_chapter"],
        )

    # -------------------------------------------------------------- running

    def start(self) -> None:
        """Export in a worker thread (PDF in this thread: Qt paints it)."""
        fmt = get_format(self.format.currentData())
        options = self.options()
        target = Path(self.output.text()).expanduser()
        if options.assemble.chapter_ids == []:
            self.result.setText("Choose at least one chapter.")
            return
        self.buttons.setEnabled(False)
        self.progress.show()
        self.progress.setRange(0, 0)
        project = self.project

        def job(progress):
            work = assemble(project, options.assemble)
            return fmt.exporter()(work, target, options, progress)

        if fmt.name == "pdf":
            try:
                self._done(job(lambda done, total, _m="": self._progress(done, total, "")))
            except Exception as error:  # noqa: BLE001 - shown to the user
                self._failed(str(error))
            return
        self.task = Task(job, self)
        self.task.progressed.connect(self._progress)
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.start()

    def _progress(self, done: int, total: int, _message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, written: list[Path]) -> None:
        self.written = list(written)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        names = "\n".join(str(p) for p in self.written)
        self.result.setText(f"Exported:\n{names}")
        self.show_folder.show()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.accept)
        self.buttons.setEnabled(True)

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.result.setText(f"⚠ The export failed: {message}")
        self.buttons.setEnabled(True)

    def _open_folder(self) -> None:
        if self.written:
            folder = self.written[0].parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
