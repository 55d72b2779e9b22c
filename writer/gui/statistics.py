"""Project > Statistics: words, goal, today, streak, and charts of words per day and per
session; and the recording of writing sessions while the window is open.

:class:`SessionTracker` keeps one :class:`~writer.core.sessions.SessionRecorder` per
project. It learns each open document's text as it is on disk the moment the document
first becomes modified (before its first save), counts every save of the document
manager against it, re-learns the text when a document is reloaded from disk, and ends
idle sessions on a timer. :func:`install_statistics` wires it and the menu entry into the
window; the window's ``closeEvent`` calls ``window.session_tracker.close_all()`` after its
last save (the application's ``aboutToQuit`` does too, as a backstop).
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from writer.core.errors import WriterError
from writer.core.project import Project
from writer.core.sessions import (
    Clock,
    ProjectStats,
    Session,
    SessionRecorder,
    local_now,
    stats,
)
from writer.gui.editor import document_text
from writer.gui.statistics_chart import Bar, BarChart

CHART_DAYS = 30
CHART_SESSIONS = 30
IDLE_CHECK_MS = 60_000


def _signed(value: int) -> str:
    return f"{value:+,}" if value else "0"


def _day_label(day) -> str:
    return f"{day.day} {day.strftime('%b')}"


# ---------------------------------------------------------------- the dialog


class StatisticsDialog(QDialog):
    """The numbers of one project, with a chart per day and per session."""

    def __init__(
        self,
        project: Project,
        parent: QWidget | None = None,
        pending: list[Session] | None = None,
        now: datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.pending = list(pending or [])
        self.now = now
        self.setWindowTitle(f"Statistics — {project.title}")
        self.numbers: ProjectStats | None = None

        self.total_label = QLabel()
        self.goal_label = QLabel()
        self.today_label = QLabel()
        self.streak_label = QLabel()
        self.sessions_label = QLabel()
        self.goal_bar = QProgressBar()
        self.goal_bar.setTextVisible(False)
        self.goal_bar.setMaximumHeight(8)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        cards = QGridLayout()
        cards.setHorizontalSpacing(24)
        for column, (caption, label) in enumerate(
            (
                ("Words", self.total_label),
                ("Goal", self.goal_label),
                ("Today", self.today_label),
                ("Streak", self.streak_label),
                ("Sessions", self.sessions_label),
            )
        ):
            title = QLabel(caption)
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * 1.5)
            font.setBold(True)
            label.setFont(font)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            cards.addWidget(title, 0, column)
            cards.addWidget(label, 1, column)
        cards.setColumnStretch(5, 1)

        self.day_chart = BarChart("No writing recorded in these days")
        self.session_chart = BarChart("No writing sessions recorded yet")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.day_chart, f"Words per day (last {CHART_DAYS} days)")
        self.tabs.addTab(self.session_chart, f"Words per session (last {CHART_SESSIONS})")

        self.documents = QTreeWidget()
        self.documents.setRootIsDecorated(False)
        self.documents.setHeaderLabels(["Document goals", "Words", "Goal", "Progress"])
        header = self.documents.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(3, 160)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.refresh_button = buttons.addButton("&Refresh", QDialogButtonBox.ButtonRole.ActionRole)
        self.refresh_button.clicked.connect(self.refresh)
        buttons.rejected.connect(self.reject)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.addLayout(cards)
        layout.addWidget(self.goal_bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.documents)
        layout.addWidget(buttons)
        self.resize(760, 560)
        self.refresh()

    def set_pending(self, pending: list[Session]) -> None:
        self.pending = list(pending)

    def refresh(self) -> None:
        """Read the log again and show the numbers."""
        try:
            self.numbers = stats(self.project, now=self.now, pending=self.pending)
        except (WriterError, OSError) as error:
            self.error_label.setText(f"⚠ {error}")
            self.error_label.show()
            return
        self.error_label.hide()
        self._show(self.numbers)

    def _show(self, numbers: ProjectStats) -> None:
        self.total_label.setText(f"{numbers.total_words:,}")
        if numbers.goal:
            self.goal_label.setText(f"{numbers.percent:.1f}% of {numbers.goal:,}")
            self.goal_bar.setRange(0, numbers.goal)
            self.goal_bar.setValue(min(numbers.total_words, numbers.goal))
            self.goal_bar.setToolTip(f"{numbers.remaining:,} words to go")
            self.goal_bar.show()
        else:
            self.goal_label.setText("none")
            self.goal_bar.hide()
        self.today_label.setText(_signed(numbers.words_today))
        self.streak_label.setText(f"{numbers.streak} day{'s' if numbers.streak != 1 else ''}")
        self.sessions_label.setText(f"{len(numbers.sessions):,}")

        days = numbers.days(CHART_DAYS)
        day_bars = [
            Bar(
                _day_label(d.day),
                d.net,
                f"{d.day:%A %d %B %Y}\n{_signed(d.net)} words "
                f"(+{d.added:,} −{d.removed:,}) in {d.sessions} session(s)",
                marked=d.day == numbers.today,
            )
            for d in days
        ]
        written = [d.net for d in days if d.sessions]
        average = (
            ("average per writing day", sum(written) / len(written)) if len(written) > 1 else None
        )
        self.day_chart.set_bars(day_bars, average)

        recent = numbers.recent_sessions(CHART_SESSIONS)
        pending = set(self.pending)
        session_bars = []
        previous = None
        for session in recent:
            start, end = session.start.astimezone(), session.end.astimezone()
            day = start.date()
            session_bars.append(
                Bar(
                    _day_label(day) if day != previous else "",
                    session.net,
                    f"{start:%a %d %b %H:%M}–{end:%H:%M} ({session.minutes} min)\n"
                    f"{_signed(session.net)} words (+{session.added:,} −{session.removed:,}) "
                    f"in {session.documents} document(s)"
                    + ("\nstill open" if session in pending else ""),
                    marked=session in pending,
                )
            )
            previous = day
        self.session_chart.set_bars(session_bars)

        self.documents.clear()
        for doc in numbers.documents:
            item = QTreeWidgetItem(
                [doc.title or f"Untitled {doc.kind}", f"{doc.words:,}", f"{doc.goal:,}", ""]
            )
            for column in (1, 2):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.documents.addTopLevelItem(item)
            bar = QProgressBar()
            bar.setRange(0, doc.goal)
            bar.setValue(min(doc.words, doc.goal))
            bar.setFormat(f"{doc.percent:.0f}%")
            bar.setMaximumHeight(self.documents.fontMetrics().height() + 2)
            self.documents.setItemWidget(item, 3, bar)
        self.documents.setVisible(bool(numbers.documents))
        if numbers.documents:
            rows = min(len(numbers.documents), 6)
            row_height = self.documents.sizeHintForRow(0) or self.fontMetrics().height() + 4
            header = self.documents.header().sizeHint().height()
            frame = self.documents.frameWidth() * 2
            self.documents.setFixedHeight(header + rows * row_height + frame + 2)


# ---------------------------------------------------------------- recording sessions


class SessionTracker(QObject):
    """Records writing sessions for every project the window saves documents of."""

    def __init__(
        self,
        window,
        clock: Clock = local_now,
        idle_gap: timedelta | None = None,
        idle_check_ms: int = IDLE_CHECK_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.documents = window.documents
        self.clock = clock
        self.idle_gap = idle_gap
        self.recorders: dict[str, SessionRecorder] = {}
        self.errors: list[str] = []
        self.documents.state_changed.connect(self._on_state_changed)
        self.documents.saved.connect(self._on_saved)
        self.documents.reloaded.connect(self._relearn)
        self.documents.copy_kept.connect(lambda opened, _copy: self._relearn(opened))
        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(idle_check_ms)
        self.idle_timer.timeout.connect(self.check_idle)
        self.idle_timer.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close_all)
        self._on_state_changed()

    def recorder(self, project: Project) -> SessionRecorder:
        key = str(project.path)
        if key not in self.recorders:
            recorder = SessionRecorder(project, clock=self.clock)
            if self.idle_gap is not None:
                recorder.idle_gap = self.idle_gap
            self.recorders[key] = recorder
        return self.recorders[key]

    def pending(self, project: Project) -> list[Session]:
        """Sessions of ``project`` not in its log yet (the open one)."""
        recorder = self.recorders.get(str(project.path))
        return recorder.pending() if recorder else []

    def _report(self, error: Exception) -> None:
        message = f"Writing sessions not recorded: {error}"
        self.errors.append(message)
        with contextlib.suppress(RuntimeError):
            self.window.statusBar().showMessage(message, 8000)

    def _on_state_changed(self) -> None:
        """A document became modified: learn its text on disk before it is saved."""
        open_docs: dict[str, set[str]] = {}
        for opened in self.documents.documents():
            open_docs.setdefault(str(opened.project.path), set()).add(opened.node_id)
            if not opened.unsaved:
                continue
            recorder = self.recorder(opened.project)
            try:
                if not recorder.knows(opened.node_id):
                    recorder.remember(opened.node_id, opened.project.read_text(opened.node_id))
                recorder.note_activity()
            except (WriterError, OSError) as error:
                self._report(error)
        for key, recorder in self.recorders.items():
            for doc_id in recorder.known_documents():
                if doc_id not in open_docs.get(key, ()):
                    recorder.forget(doc_id)  # closed: its file may change before it reopens

    def _on_saved(self, opened) -> None:
        try:
            self.recorder(opened.project).saved(opened.node_id, document_text(opened.document))
        except (WriterError, OSError) as error:
            self._report(error)

    def _relearn(self, opened) -> None:
        """The text came from disk (another program): not the author's writing here."""
        recorder = self.recorder(opened.project)
        recorder.remember(opened.node_id, document_text(opened.document))

    def check_idle(self) -> None:
        for recorder in self.recorders.values():
            try:
                recorder.check_idle()
            except (WriterError, OSError) as error:
                self._report(error)

    def close_all(self) -> None:
        """End and write every open session (on closing the window)."""
        self.idle_timer.stop()
        for recorder in self.recorders.values():
            try:
                recorder.close()
            except (WriterError, OSError) as error:
                self._report(error)


# ---------------------------------------------------------------- wiring


def project_menu(window) -> QMenu | None:
    """The window's "&Project" menu."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and action.text() == "&Project":
            return menu
    return None


def open_statistics(window) -> StatisticsDialog | None:
    """Show the statistics of the window's current project (one dialog, refreshed)."""
    project = window.project
    if project is None:
        window.show_error("Select a project to see its statistics.")
        return None
    window.save_everything()
    tracker: SessionTracker | None = getattr(window, "session_tracker", None)
    pending = tracker.pending(project) if tracker else []
    dialog: StatisticsDialog | None = getattr(window, "statistics_dialog", None)
    if dialog is not None and dialog.project is project:
        dialog.set_pending(pending)
        dialog.refresh()
    else:
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
        dialog = StatisticsDialog(project, window, pending)
        window.statistics_dialog = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def install_statistics(window) -> SessionTracker:
    """Record writing sessions and add Project > Statistics… to ``window``.

    Sets ``window.session_tracker`` and ``window.statistics_action``; the window's
    ``closeEvent`` should call ``window.session_tracker.close_all()`` after saving.
    """
    tracker = SessionTracker(window)
    window.session_tracker = tracker
    action = QAction("S&tatistics…", window)
    action.setObjectName("statistics")
    action.setStatusTip("Words, goals, and words written per day and per session")
    action.triggered.connect(lambda _checked=False: open_statistics(window))
    window.statistics_action = action
    menu = project_menu(window)
    if menu is not None:
        menu.addSeparator()
        menu.addAction(action)
    else:
        window.addAction(action)
    return tracker
