"""The archive check at the top of the metadata panel: what the posting form would refuse.

Each problem is a link to its field, so one click opens the section and puts the cursor
there. The beginning notes are measured as they are posted (with the disclaimer and the
spoiler warning in front, as archive HTML); that means rendering Markdown, so it waits
until typing pauses instead of running on every keystroke.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from writer.core import vocabulary as vocab
from writer.core.limits import check_work
from writer.core.metadata import WorkMeta
from writer.gui.metadata_copy import beginning_notes_html
from writer.gui.text_field import count_label, set_warning_look

NOTES_CHECK_DELAY_MS = 250  # measuring the posted notes renders Markdown: not per keystroke
NOTES_PARTS = frozenset({"notes_begin", "disclaimer", "spoilers", "spoiler_note"})

Problem = tuple[str, str]  # (field, message)


class WarningsBox(QFrame):
    """The framed list of problems (``archive_warnings``), or a line saying all is ready.

    ``label.linkActivated`` gives the field of a clicked problem.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("archive_warnings")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        self.label = QLabel()
        self.label.setObjectName("warnings_label")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.label.setAccessibleName("Archive check")
        layout.addWidget(self.label)

    def show_problems(self, problems: list[Problem]) -> None:
        if problems:
            lines = [
                f'⚠ <a href="{field}" style="text-decoration: none">{escape(message)}</a>'
                for field, message in problems
            ]
            heading = f"<b>Archive check: {len(problems)} to fix</b>"
            self.label.setText(heading + "<br>" + "<br>".join(lines))
            self.label.setToolTip("Click a line to go to the field")
        else:
            self.label.setText("✓ Ready for the archive: required fields filled")
            self.label.setToolTip("")
        set_warning_look(self.label, False)


def work_problems(meta: WorkMeta, notes_total: int) -> list[Problem]:
    """What the archive would refuse, the beginning notes judged as posted (``notes_total``).

    The notes field alone may fit while the posted notes do not, so the model's own check
    of that field is replaced by the measured total.
    """
    problems = [(w.field, w.message) for w in check_work(meta) if w.field != "notes_begin"]
    if notes_total > vocab.NOTES_LIMIT:
        problems.append(
            (
                "notes_begin",
                f"beginning notes with disclaimer and spoiler warning have {notes_total:,} "
                f"characters; the limit is {vocab.NOTES_LIMIT:,}",
            )
        )
    return problems


class WorkCheck(QObject):
    """Keeps the warnings box and the posted-notes total in step with the work.

    ``meta`` gives the work shown (None without one); ``notes_label`` shows the total.
    """

    def __init__(
        self,
        box: WarningsBox,
        notes_label: QLabel,
        meta: Callable[[], WorkMeta | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._box = box
        self._notes_label = notes_label
        self._meta = meta
        self._notes_total = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTES_CHECK_DELAY_MS)
        self._timer.timeout.connect(self._on_timer)

    def refresh(self, changed: str | None = None) -> None:
        """Refresh the archive check; ``changed`` names the edited field (None: all)."""
        meta = self._meta()
        if meta is None:
            return
        if changed is None:
            self._measure_notes()
        elif changed in NOTES_PARTS:
            self._timer.start()
            return  # the timer measures the notes, then comes back here
        self._box.show_problems(work_problems(meta, self._notes_total))

    def _measure_notes(self) -> None:
        """Measure the beginning notes as posted (rendering takes milliseconds: debounced)."""
        self._timer.stop()
        meta = self._meta()
        if meta is None:
            return
        total = len(beginning_notes_html(meta))
        self._notes_total = total
        text, over = count_label(total, vocab.NOTES_LIMIT)
        self._notes_label.setText(
            f"Beginning notes as posted, with disclaimer and spoiler warning (archive HTML): {text}"
        )
        set_warning_look(self._notes_label, over)

    def _on_timer(self) -> None:
        self._measure_notes()
        self.refresh("")
