"""The status bar: words in the document and the project, words written this session,
progress towards the word goal, and whether everything is saved."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from writer.core.project import Project


class WritingStatusBar(QStatusBar):
    """Shows the numbers an author glances at while writing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document_words = QLabel()
        self.project_words = QLabel()
        self.session_words = QLabel()
        self.goal = QProgressBar()
        self.goal.setMaximumWidth(160)
        self.goal.setTextVisible(True)
        self.goal.hide()
        self.save_state = QLabel("Saved")
        for widget in (
            self.document_words,
            self.project_words,
            self.session_words,
            self.goal,
            self.save_state,
        ):
            self.addPermanentWidget(widget)
        self._baselines: dict[str, int] = {}

    def start_session(self, project: Project) -> None:
        """Remember the project's words when the author first opens it in this run."""
        self._baselines.setdefault(str(project.path), project.total_words())

    def show_counts(self, project: Project | None, document_words: int | None) -> None:
        if document_words is None:
            self.document_words.clear()
        else:
            self.document_words.setText(f"{document_words:,} words in document")
        if project is None:
            self.project_words.clear()
            self.session_words.clear()
            self.goal.hide()
            return
        total = project.total_words()
        self.start_session(project)
        written = total - self._baselines[str(project.path)]
        self.project_words.setText(f"{total:,} in project")
        self.session_words.setText(f"{written:+,} this session")
        goal = project.meta.word_goal
        if goal:
            self.goal.setRange(0, goal)
            self.goal.setValue(min(total, goal))
            self.goal.setFormat(f"{total * 100 // goal}% of {goal:,}")
            self.goal.show()
        else:
            self.goal.hide()

    def show_saved(self, saved: bool) -> None:
        self.save_state.setText("Saved" if saved else "Unsaved changes")
