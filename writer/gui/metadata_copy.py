"""Copy buttons: metadata on the clipboard the way the archive's posting form wants it.

The archive's form takes tag lists as one line joined by ", " and rich fields (summary,
notes, a whole chapter) as its own HTML, so that is what the buttons copy. The beginning
notes go out with the disclaimer and the spoiler warning in front, as they are posted.
A button shows "Copied ✓" for a moment and reports what it copied, for a status bar.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton, QToolButton

from writer.core.metadata import WorkMeta
from writer.core.project import Project
from writer.core.tree import Node
from writer.export.archive_export import archive_html, beginning_notes, chapter_file_html
from writer.render.assembled import AssembledWork, AssembleOptions, assemble

COPIED_FEEDBACK_MS = 1200

Report = Callable[[str], None]


def rich(markdown_text: str) -> str:
    """A rich field (summary, notes) as the archive's HTML; empty stays empty."""
    return archive_html(markdown_text) if markdown_text.strip() else ""


def field_text(
    meta: Callable[[], object | None], name: str, html: bool = False
) -> Callable[[], str]:
    """What a button copies: field ``name`` of the metadata ``meta`` gives at click time.

    Lists are joined by ", "; ``html`` turns a rich field into archive HTML. Nothing
    shown (``meta`` gives None) copies "".
    """

    def text() -> str:
        source = meta()
        if source is None:
            return ""
        value = getattr(source, name)
        if html:
            return rich(value)
        return ", ".join(value) if isinstance(value, list) else str(value)

    return text


def beginning_notes_html(meta: WorkMeta) -> str:
    """The beginning notes as posted: disclaimer, spoiler warning and notes, archive HTML."""
    return rich(beginning_notes(AssembledWork(meta, AssembleOptions())))


def chapter_html(project: Project | None, node: Node | None) -> str:
    """The chapter ``node``'s text and scenes as archive HTML ("" if not a chapter)."""
    if project is None or node is None or node.kind != "chapter":
        return ""
    options = AssembleOptions(chapter_ids=[node.id])
    work = assemble(project, options)
    chapter = next((c for c in work.chapters if c.id == node.id), None)
    return chapter_file_html(chapter, options.scene_break) if chapter else ""


def copy_text(text: str, what: str, button: QToolButton | QPushButton, report: Report) -> None:
    """Put ``text`` on the clipboard, report it, and let a copy button say it worked."""
    QGuiApplication.clipboard().setText(text)
    report(f"Copied {what}" if text else f"Copied {what} (it is empty)")
    if isinstance(button, QToolButton):
        button.setText("Copied ✓")
        QTimer.singleShot(COPIED_FEEDBACK_MS, button, lambda: button.setText("Copy"))


def copy_button(name: str, what: str, text: Callable[[], str], report: Report) -> QToolButton:
    """A small "Copy" button (``copy_<name>``) that copies what ``text`` gives when clicked."""
    button = QToolButton()
    button.setObjectName(f"copy_{name}")
    button.setText("Copy")
    button.setAutoRaise(True)
    button.setToolTip(f"Copy {what} for the archive's posting form")
    button.setAccessibleName(f"Copy {what}")
    button.setMinimumWidth(button.fontMetrics().horizontalAdvance("Copied ✓") + 12)
    button.clicked.connect(lambda: copy_text(text(), what, button, report))
    return button
