"""The metadata panel at the right of the writing window: the work and the current document.

Every field of :class:`~writer.core.metadata.WorkMeta` (``created``/``modified`` shown
read-only) and of the selected document's :class:`~writer.core.metadata.DocMeta` has an
editor here. Edits go straight into the model (``project.meta`` / ``node.meta``, in canonical
values) and the panel then emits ``edited(project)``; saving ``project.json`` is the
window's job. Loading a project or a document never writes to the model and never emits.

Beside each field that the archive's posting form asks for sits a copy button that puts
the field on the clipboard the way the form wants it: tag lists joined by ", ", rich
fields (summary, notes) as archive HTML, the beginning notes with the disclaimer and the
spoiler warning in front, and a whole chapter as archive HTML.

Object names: each work editor is named after its field (``title``, ``fandoms``, ...),
each document editor ``doc_<field>``, each copy button ``copy_<name>``; the chapter
button is ``copy_chapter_html``. Sections are ``section_<key>``.

The panel owns the state (which project and document are shown) and is the one place
that writes to the model; the parts it is made of only show values and announce edits:
:mod:`~writer.gui.metadata_work` (the work's sections), :mod:`~writer.gui.metadata_document`
(the document's section), :mod:`~writer.gui.metadata_warnings` (the archive check) and
:mod:`~writer.gui.metadata_copy` (the copy buttons).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from writer.core.metadata import WorkMeta
from writer.core.project import Project
from writer.core.tree import Node
from writer.gui.metadata_copy import COPIED_FEEDBACK_MS, chapter_html, rich
from writer.gui.metadata_document import DocumentSection
from writer.gui.metadata_language import LANGUAGES
from writer.gui.metadata_values import (
    KIND_LABELS,
    POSTING_LABELS,
    STATUS_LABELS,
    WORD_GOAL_MAX,
    date_text,
    link_text,
    series_text,
)
from writer.gui.metadata_warnings import NOTES_CHECK_DELAY_MS, NOTES_PARTS, WarningsBox, WorkCheck
from writer.gui.metadata_widgets import Section, small
from writer.gui.metadata_work import WorkFields

# The names this module held before it was split, still importable from here.
__all__ = [
    "COPIED_FEEDBACK_MS",
    "KIND_LABELS",
    "LANGUAGES",
    "NOTES_CHECK_DELAY_MS",
    "NOTES_PARTS",
    "POSTING_LABELS",
    "STATUS_LABELS",
    "WORD_GOAL_MAX",
    "MetadataPanel",
    "Section",
    "date_text",
    "link_text",
    "rich",
    "series_text",
]


def _assign(meta: object, name: str, value: object) -> bool:
    """Set field ``name`` of ``meta`` to ``value``; False when it already had that value.

    An unchanged value must not count as an edit: it would mark the project for saving.
    """
    if getattr(meta, name) == value:
        return False
    setattr(meta, name, value)
    return True


class MetadataPanel(QWidget):
    """The work's and the selected document's metadata, edited in place.

    Signals: ``edited(project)`` after any change applied to the model;
    ``document_edited(node)`` as well when the change was to the document (its title
    may need updating in the tree); ``copied(str)`` describes what a copy button put on
    the clipboard, for a status bar.
    """

    edited = Signal(object)
    document_edited = Signal(object)
    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metadata_panel")
        self._project: Project | None = None
        self._node: Node | None = None
        self.setMinimumWidth(320)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("metadata_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroll)
        self.body = QWidget()
        self.body.setObjectName("metadata_body")
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        self.placeholder = small(QLabel("Open a project to see and edit its details here."))
        self.placeholder.setObjectName("placeholder")
        layout.addWidget(self.placeholder)
        self._build_parts(layout)
        layout.addStretch(1)
        self.scroll.setWidget(self.body)
        self.set_project(None)

    def _build_parts(self, layout: QVBoxLayout) -> None:
        """The archive check, the document's section, then the work's sections."""
        self.warnings_box = WarningsBox()
        self.warnings_box.label.linkActivated.connect(self._focus_field)
        layout.addWidget(self.warnings_box)
        self.doc_section = DocumentSection(lambda: self._node, self.chapter_html)
        self.doc_section.edited.connect(self._set_doc)
        self.doc_section.copied.connect(self.copied)
        layout.addWidget(self.doc_section)
        self.work = WorkFields(layout, self._work_meta, self)
        self.work.edited.connect(self._set_work)
        self.work.copied.connect(self.copied)
        self.work_sections = self.work.sections
        self.work_check = WorkCheck(self.warnings_box, self.work.notes_total, self._work_meta, self)

    # ============================================================== public API

    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def document(self) -> Node | None:
        return self._node

    @property
    def work_editors(self) -> dict[str, QWidget]:
        """Each work field's editor, by field name (``language`` is the combo box)."""
        return self.work.editors

    @property
    def doc_editors(self) -> dict[str, QWidget]:
        """Each document field's editor and ``copy_<field>`` button, by name."""
        return self.doc_section.editors

    def set_project(self, project: Project | None) -> None:
        """Show ``project`` (or nothing); a different project also clears the document."""
        changed = project is not self._project
        if changed:
            self._node = None
        self._project = project
        self._reload(force=changed)

    def set_document(self, node: Node | None) -> None:
        """Show the metadata of ``node`` (a node of the current project), or hide it."""
        node = node if self._project is not None else None
        changed = node is not self._node
        self._node = node
        self._load_document(force=changed)

    def refresh(self) -> None:
        """Show the model's values again after a change made elsewhere (the CLI, an import).

        Editors whose value is already the model's are left alone, so the cursor and the
        undo history of the field being typed in survive.
        """
        self._reload(force=False)

    def refresh_dates(self) -> None:
        """Update the read-only created/modified line (call after saving)."""
        if self._project is not None:
            self.work.show_dates(self._project.meta)

    def section(self, key: str) -> Section:
        """A section by key: work, tags, notes, publishing or document."""
        return self.findChild(Section, f"section_{key}")

    def chapter_html(self) -> str:
        """The selected chapter's text and scenes as archive HTML ("" if not a chapter)."""
        return chapter_html(self._project, self._node)

    # ============================================================== loading

    def _work_meta(self) -> WorkMeta | None:
        return None if self._project is None else self._project.meta

    def _reload(self, force: bool) -> None:
        has_project = self._project is not None
        self.placeholder.setVisible(not has_project)
        self.warnings_box.setVisible(has_project)
        for section in self.work_sections:
            section.setVisible(has_project)
        if has_project:
            self.work.load(self._project.meta, force)
            self.work_check.refresh()
        self._load_document(force)

    def _load_document(self, force: bool = True) -> None:
        node = self._node
        in_trash = (
            node is not None and self._project is not None and self._project.tree.in_trash(node.id)
        )
        self.doc_section.load(node, in_trash, force)

    # ============================================================== applying edits

    def _set_work(self, name: str, value: object) -> None:
        if self._project is not None and _assign(self._project.meta, name, value):
            self.work_check.refresh(name)
            self.edited.emit(self._project)

    def _set_doc(self, name: str, value: object) -> None:
        if self._project is None or self._node is None:
            return
        if _assign(self._node.meta, name, value):
            self.doc_section.edit_applied(name)
            self.document_edited.emit(self._node)
            self.edited.emit(self._project)

    def _focus_field(self, field: str) -> None:
        """Open the section of ``field`` and put the cursor in it (warnings link here)."""
        target = self.work.open_field(field)
        if target is None:
            return
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll.ensureWidgetVisible(target)
