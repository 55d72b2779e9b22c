"""The selected document's fields in the metadata panel: one section, headed by its title.

What a document shows depends on its kind: every kind has a title, a status and a
private synopsis; documents with text (chapters, scenes, notes) also have a word goal,
a summary and notes; only a chapter has posted-at links, copy buttons and the archive's
limits, because only chapters are posted. Editors are named ``doc_<field>``. As with the
work's fields, an edit is announced as ``edited(field, value)`` and the panel applies it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from writer.core import vocabulary as vocab
from writer.core.errors import WriterError
from writer.core.limits import check_document
from writer.core.metadata import DocMeta
from writer.core.tree import Node
from writer.gui.metadata_copy import copy_button, copy_text, field_text
from writer.gui.metadata_editors import (
    Loading,
    combo,
    line,
    links_field,
    put_line,
    put_list,
    put_text,
    select,
    setter,
    text_field,
    word_goal_spin,
)
from writer.gui.metadata_values import KIND_LABELS, STATUS_CHOICES, link_text, merge_links
from writer.gui.metadata_widgets import Section, block, warning_label, with_button
from writer.gui.text_field import TextField

# What each document kind shows besides title, kind, status and synopsis.
_TEXT_DOC_FIELDS = ("word_goal", "summary", "notes_begin", "notes_end")
_CHAPTER_ONLY = ("links",)
# The posted rich fields: (label for a chapter, label otherwise, archive limit, lines).
_POSTED_TEXTS = {
    "summary": ("Chapter summary", "Summary", vocab.SUMMARY_LIMIT, 4),
    "notes_begin": ("Chapter notes", "Notes", vocab.NOTES_LIMIT, 3),
    "notes_end": ("Chapter end notes", "End notes", vocab.NOTES_LIMIT, 3),
}
_COPY_BUTTONS = ("copy_title", "copy_summary", "copy_notes_begin", "copy_notes_end")
_CHAPTER_TIP = "Copy the chapter's text with its scenes, ready for the archive's chapter text box"
_NOT_CHAPTER_TIP = "Select a chapter to copy it: scenes are posted as part of their chapter"


class DocumentSection(Section):
    """The ``section_document`` section, showing one node of the project or hidden.

    ``node`` gives the document shown (None without one): copy buttons copy from it and
    its posted-at list keeps its links' dates. ``chapter_html`` gives the chapter as
    archive HTML for the "Copy chapter" button. ``editors`` maps each field (and each
    ``copy_<field>`` button) to its widget.
    """

    edited = Signal(str, object)
    copied = Signal(str)

    def __init__(
        self,
        node: Callable[[], Node | None],
        chapter_html: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Document", "document", parent)
        self._node = node
        self._chapter_html = chapter_html
        self._loading = Loading()
        self.editors: dict[str, QWidget] = {}
        self._build()

    # -------------------------------------------------------------- showing

    def load(self, node: Node | None, in_trash: bool, force: bool = True) -> None:
        """Show ``node`` (hide the section for None); ``in_trash`` says so under its kind.

        Without ``force`` editors already showing the node's values are left alone.
        """
        self.setVisible(node is not None)
        if node is None:
            return
        self._load_values(node.meta, force)
        kind_label = KIND_LABELS.get(node.kind, node.kind)
        self.editors["kind"].setText(f"{kind_label} · in the trash" if in_trash else kind_label)
        self._show_title(node)
        self._fit_to_kind(node, in_trash)
        self._show_problems(node)

    def edit_applied(self, name: str) -> None:
        """Follow an edit the panel applied to the model: the heading and the warnings."""
        node = self._node()
        if node is None:
            return
        if name == "title":
            self._show_title(node)
        self._show_problems(node)

    def _load_values(self, meta: DocMeta, force: bool) -> None:
        d = self.editors
        with self._loading():
            put_line(d["title"], meta.title, force)
            select(d["status"], meta.status)
            d["word_goal"].setValue(meta.word_goal or 0)
            for name in ("summary", "synopsis", "notes_begin", "notes_end"):
                put_text(d[name], getattr(meta, name), force)
            put_list(d["links"], [link_text(link) for link in meta.links], force)

    def _fit_to_kind(self, node: Node, in_trash: bool) -> None:
        """Show the rows, buttons, limits and labels that suit the node's kind."""
        is_chapter = node.kind == "chapter"
        has_text = node.has_text
        for name in _TEXT_DOC_FIELDS:
            self.form.setRowVisible(self._rows[name], has_text)
        for name in _CHAPTER_ONLY:
            self.form.setRowVisible(self._rows[name], is_chapter)
        self.form.setRowVisible(self.copy_chapter, has_text)
        self.copy_chapter.setEnabled(is_chapter and not in_trash)
        self.copy_chapter.setToolTip(_CHAPTER_TIP if is_chapter else _NOT_CHAPTER_TIP)
        for key in _COPY_BUTTONS:
            self.editors[key].setVisible(is_chapter)
        # Only a chapter's own fields are posted, so only they count against the archive.
        for name, (chapter_label, label, limit, _lines) in _POSTED_TEXTS.items():
            field: TextField = self.editors[name]
            field.set_limit(limit if is_chapter else None)
            field.label.setText(chapter_label if is_chapter else label)

    def _show_title(self, node: Node) -> None:
        kind = KIND_LABELS.get(node.kind, node.kind)
        title = node.meta.title.strip()
        self.set_title(f"{kind}: {title}" if title else kind)

    def _show_problems(self, node: Node) -> None:
        posted = node.kind == "chapter"  # only chapters meet the archive's limits
        problems = [w.message for w in check_document(node.meta)] if posted else []
        self.warnings.setText("\n".join(f"⚠ {p}" for p in problems))
        self.form.setRowVisible(self.warnings, bool(problems))

    # -------------------------------------------------------------- edits and copies

    def _apply(self, name: str, value: object) -> None:
        if not self._loading:
            self.edited.emit(name, value)

    def _set_links(self, values: list[str]) -> None:
        node = self._node()
        if node is not None:
            self._apply("links", merge_links(values, node.meta.links))

    def _meta(self) -> DocMeta | None:
        node = self._node()
        return None if node is None else node.meta

    def _copy(self, name: str, what: str, html: bool = True) -> QWidget:
        """The copy button of field ``name``, kept in ``editors`` as ``copy_<name>``."""
        button = copy_button(
            f"doc_{name}", what, field_text(self._meta, name, html), self.copied.emit
        )
        self.editors[f"copy_{name}"] = button
        return button

    def _copy_chapter_html(self) -> None:
        try:
            html = self._chapter_html()
        except WriterError as error:
            self.copied.emit(f"Could not copy the chapter: {error}")
            return
        if html:
            copy_text(html, "the chapter as archive HTML", self.copy_chapter, self.copied.emit)

    # -------------------------------------------------------------- building

    def _posted_text(self, name: str, what: str) -> TextField:
        """A rich field a chapter posts, with its copy button (labelled for a chapter)."""
        label, _other, limit, lines = _POSTED_TEXTS[name]
        button = self._copy(name, f"{what} as archive HTML")
        return text_field(
            label, f"doc_{name}", setter(self._apply, name), limit, lines=lines, button=button
        )

    def _build(self) -> None:
        form = self.form
        title = line("doc_title", "Document title", setter(self._apply, "title", str.strip))
        copy_title = self._copy("title", "the chapter title", html=False)
        form.addRow("Title", with_button(title, copy_title))
        kind = QLabel()
        kind.setObjectName("doc_kind")
        form.addRow("Kind", kind)
        status = combo(
            "doc_status", "Document status", STATUS_CHOICES, setter(self._apply, "status")
        )
        form.addRow("Status", status)
        goal = word_goal_spin(
            "doc_word_goal", "Document word goal", 500, setter(self._apply, "word_goal")
        )
        form.addRow("Word goal", goal)
        summary = self._posted_text("summary", "the chapter summary")
        form.addRow(summary)
        synopsis = text_field(
            "Synopsis",
            "doc_synopsis",
            setter(self._apply, "synopsis"),
            lines=4,
            note="Private: for planning, never exported.",
        )
        form.addRow(synopsis)
        notes_begin = self._posted_text("notes_begin", "the chapter notes")
        form.addRow(notes_begin)
        notes_end = self._posted_text("notes_end", "the chapter end notes")
        form.addRow(notes_end)
        links = links_field("doc_links", self._set_links)
        links_block = block("Chapter posted at", links)
        form.addRow(links_block)
        self.copy_chapter = QPushButton("Copy chapter as archive HTML")
        self.copy_chapter.setObjectName("copy_chapter_html")
        self.copy_chapter.setAccessibleName("Copy chapter as archive HTML")
        self.copy_chapter.setToolTip(_CHAPTER_TIP)
        self.copy_chapter.clicked.connect(self._copy_chapter_html)
        form.addRow(self.copy_chapter)
        self.warnings = warning_label("doc_warnings")
        form.addRow(self.warnings)
        self.editors.update(
            title=title,
            kind=kind,
            status=status,
            word_goal=goal,
            summary=summary,
            synopsis=synopsis,
            notes_begin=notes_begin,
            notes_end=notes_end,
            links=links,
        )
        self._rows: dict[str, QWidget] = {
            "word_goal": goal,
            "summary": summary,
            "notes_begin": notes_begin,
            "notes_end": notes_end,
            "links": links_block,
        }
