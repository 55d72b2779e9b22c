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
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from writer.core import vocabulary as vocab
from writer.core.errors import WriterError
from writer.core.limits import check_document, check_work
from writer.core.metadata import Link, SeriesEntry, parse_link, parse_series
from writer.core.project import Project
from writer.core.tree import Node
from writer.export.archive_export import archive_html, beginning_notes, chapter_file_html
from writer.gui.list_field import CheckList, ListField
from writer.gui.text_field import TextField, count_label, set_warning_look
from writer.render.assembled import AssembledWork, AssembleOptions, assemble

# Common BCP-47 codes offered by the language box; any other valid code may be typed.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("de", "German"),
    ("it", "Italian"),
    ("pt", "Portuguese"),
    ("pt-BR", "Portuguese (Brazil)"),
    ("nl", "Dutch"),
    ("pl", "Polish"),
    ("ru", "Russian"),
    ("uk", "Ukrainian"),
    ("cs", "Czech"),
    ("hu", "Hungarian"),
    ("ro", "Romanian"),
    ("el", "Greek"),
    ("tr", "Turkish"),
    ("sv", "Swedish"),
    ("da", "Danish"),
    ("nb", "Norwegian (Bokmål)"),
    ("fi", "Finnish"),
    ("ca", "Catalan"),
    ("he", "Hebrew"),
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("zh-Hans", "Chinese (Simplified)"),
    ("zh-Hant", "Chinese (Traditional)"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("vi", "Vietnamese"),
    ("th", "Thai"),
    ("id", "Indonesian"),
    ("tl", "Filipino"),
)
_LANGUAGE_SEPARATOR = " — "
STATUS_LABELS = {"idea": "Idea", "draft": "Draft", "revising": "Revising", "complete": "Complete"}
POSTING_LABELS = {"wip": "Work in progress", "complete": "Complete"}
KIND_LABELS = {"part": "Part", "chapter": "Chapter", "scene": "Scene", "note": "Note"}
COPIED_FEEDBACK_MS = 1200
NOTES_CHECK_DELAY_MS = 250  # measuring the posted notes renders Markdown: not per keystroke
NOTES_PARTS = frozenset({"notes_begin", "disclaimer", "spoilers", "spoiler_note"})
WORD_GOAL_MAX = 10_000_000

# What each document kind shows besides title, kind, status and synopsis.
_TEXT_DOC_FIELDS = ("word_goal", "summary", "notes_begin", "notes_end")
_CHAPTER_ONLY = ("links",)


# ------------------------------------------------------------------ small helpers


def rich(markdown_text: str) -> str:
    """A rich field (summary, notes) as the archive's HTML; empty stays empty."""
    return archive_html(markdown_text) if markdown_text.strip() else ""


def series_text(entry: SeriesEntry) -> str:
    return f"{entry.name} #{entry.part}" if entry.part else entry.name


def link_text(link: Link) -> str:
    return f"{link.site}={link.url}" if link.site else link.url


def _normalise_series(text: str) -> str:
    entry = parse_series(text)
    if not entry.name:
        raise ValueError("a series needs a name, as in “Tides #2”")
    return series_text(entry)


def _series_key(text: str) -> str:
    return parse_series(text).name.casefold()


def _normalise_link(text: str) -> str:
    return link_text(parse_link(text.strip()))


def _link_key(text: str) -> str:
    return parse_link(text.strip()).url


def date_text(iso: str) -> str:
    """``2024-05-01T10:31:07Z`` -> ``2024-05-01 12:31`` in local time ("—" when unset)."""
    if not iso:
        return "—"
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def _small(label: QLabel) -> QLabel:
    font = label.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setWordWrap(True)
    return label


class _Combo(QComboBox):
    """A combo box that leaves the mouse wheel to the scrolling panel unless focused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class _Spin(QSpinBox):
    """A spin box that leaves the mouse wheel to the scrolling panel unless focused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class Section(QWidget):
    """A collapsible section: a heading button and a form below it."""

    def __init__(self, title: str, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"section_{key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.toggle = QToolButton()
        self.toggle.setObjectName(f"section_{key}_toggle")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = self.toggle.font()
        font.setBold(True)
        self.toggle.setFont(font)
        self.toggle.toggled.connect(self.set_expanded)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(4, 2, 0, 6)
        self.form.setHorizontalSpacing(8)
        self.form.setVerticalSpacing(6)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.toggle)
        layout.addWidget(line)
        layout.addWidget(self.body)
        self.set_title(title)

    def set_title(self, title: str) -> None:
        self.toggle.setText(title)
        self.toggle.setAccessibleName(f"{title.replace('&&', '&')} section")

    def set_expanded(self, expanded: bool) -> None:
        if self.toggle.isChecked() != expanded:
            self.toggle.setChecked(expanded)  # comes back here through ``toggled``
            return
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()


# ------------------------------------------------------------------ the panel


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
        self._loading = False
        self._field_sections: dict[str, Section] = {}
        self._notes_total = 0
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(NOTES_CHECK_DELAY_MS)
        self._notes_timer.timeout.connect(self._on_notes_timer)
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
        self._layout = QVBoxLayout(self.body)
        self._layout.setContentsMargins(8, 8, 8, 8)
        self._layout.setSpacing(8)
        self.placeholder = _small(QLabel("Open a project to see and edit its details here."))
        self.placeholder.setObjectName("placeholder")
        self._layout.addWidget(self.placeholder)
        self._build_warnings()
        self._build_document()
        self._build_work()
        self._layout.addStretch(1)
        self.scroll.setWidget(self.body)
        self.set_project(None)

    # ============================================================== public API

    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def document(self) -> Node | None:
        return self._node

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

    def _reload(self, force: bool) -> None:
        has_project = self._project is not None
        self.placeholder.setVisible(not has_project)
        self.warnings_box.setVisible(has_project)
        for section in self.work_sections:
            section.setVisible(has_project)
        if has_project:
            self._load_work(force)
        self._load_document(force)

    def refresh_dates(self) -> None:
        """Update the read-only created/modified line (call after saving)."""
        if self._project is not None:
            meta = self._project.meta
            self.dates.setText(
                f"Created {date_text(meta.created)} · modified {date_text(meta.modified)}"
            )

    def section(self, key: str) -> Section:
        """A section by key: work, tags, notes, publishing or document."""
        return self.findChild(Section, f"section_{key}")

    # ============================================================== building

    def _build_warnings(self) -> None:
        box = QFrame()
        box.setObjectName("archive_warnings")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("warnings_label")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.RichText)
        self.warnings_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.warnings_label.setAccessibleName("Archive check")
        self.warnings_label.linkActivated.connect(self._focus_field)
        layout.addWidget(self.warnings_label)
        self.warnings_box = box
        self._layout.addWidget(box)

    def _copy_button(self, name: str, what: str, text: Callable[[], str]) -> QToolButton:
        button = QToolButton()
        button.setObjectName(f"copy_{name}")
        button.setText("Copy")
        button.setAutoRaise(True)
        button.setToolTip(f"Copy {what} for the archive's posting form")
        button.setAccessibleName(f"Copy {what}")
        button.setMinimumWidth(button.fontMetrics().horizontalAdvance("Copied ✓") + 12)
        button.clicked.connect(lambda: self._copy(text(), what, button))
        return button

    @staticmethod
    def _with_button(editor: QWidget, button: QWidget | None) -> QWidget:
        if button is None:
            return editor
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor, 1)
        layout.addWidget(button)
        return row

    @staticmethod
    def _block(label: str, editor: QWidget, button: QWidget | None = None) -> QWidget:
        """A full-width field: its label (and copy button) above the editor."""
        block = QWidget()
        block.setObjectName(f"{editor.objectName()}_block")
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        header = QHBoxLayout()
        header.setSpacing(4)
        title = QLabel(label)
        title.setBuddy(editor)
        header.addWidget(title)
        header.addStretch(1)
        if button is not None:
            header.addWidget(button)
        layout.addLayout(header)
        layout.addWidget(editor)
        return block

    def _line(self, name: str, label: str, setter: Callable[[str], None]) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(label)
        edit.textChanged.connect(setter)
        return edit

    def _combo(self, name: str, label: str, choices: list[tuple[str, str]]) -> _Combo:
        combo = _Combo()
        combo.setObjectName(name)
        combo.setAccessibleName(label)
        for value, text in choices:
            combo.addItem(text, value)
        combo.setProperty("choices", combo.count())
        return combo

    def _spin(self, name: str, label: str, maximum: int, special: str, step: int = 1) -> _Spin:
        spin = _Spin()
        spin.setObjectName(name)
        spin.setAccessibleName(label)
        spin.setRange(0, maximum)
        spin.setSingleStep(step)
        spin.setSpecialValueText(special)
        spin.setGroupSeparatorShown(True)
        return spin

    def _list(
        self,
        name: str,
        placeholder: str,
        setter: Callable[[list[str]], None],
        **options,
    ) -> ListField:
        field = ListField(name, placeholder, **options)
        field.setAccessibleName(name.replace("_", " "))
        field.changed.connect(lambda: setter(field.values()))
        return field

    def _text(
        self,
        label: str,
        name: str,
        setter: Callable[[str], None],
        limit: int | None = None,
        lines: int = 4,
        note: str = "",
        button: QWidget | None = None,
    ) -> TextField:
        field = TextField(label, name, limit, lines, note)
        field.setObjectName(f"{name}_field")
        if button is not None:
            field.add_header_widget(button)
        field.changed.connect(lambda: setter(field.text()))
        return field

    def _add_section(self, title: str, key: str) -> Section:
        section = Section(title, key)
        self._layout.addWidget(section)
        return section

    def _register(self, section: Section, *names: str) -> None:
        for name in names:
            self._field_sections[name] = section

    # -------------------------------------------------------------- the work

    def _build_work(self) -> None:
        self.work_sections: list[Section] = []
        self.work_editors: dict[str, QWidget] = {}
        meta_text = self._meta_text
        work_setter = self._work_setter

        # --- Work
        section = self._add_section("Work", "work")
        form = section.form
        title = self._line("title", "Title", work_setter("title", str.strip))
        title.setPlaceholderText("Required by the archive")
        form.addRow(
            "Title",
            self._with_button(title, self._copy_button("title", "the title", meta_text("title"))),
        )
        author = self._line("author", "Author", work_setter("author", str.strip))
        author.setPlaceholderText("Your pen name")
        form.addRow("Author", author)
        co_authors = self._list(
            "co_authors", "Add a co-author, press Enter", work_setter("co_authors")
        )
        form.addRow(self._block("Co-authors", co_authors))
        language = self._combo(
            "language",
            "Language",
            [(code, f"{code}{_LANGUAGE_SEPARATOR}{name}") for code, name in LANGUAGES],
        )
        language.setEditable(True)
        language.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        language.setToolTip("A BCP-47 code such as en, fr or pt-BR, or a language name")
        language.editTextChanged.connect(self._on_language_edited)
        language.lineEdit().editingFinished.connect(self._on_language_finished)
        self.language_warning = QLabel()
        self.language_warning.setObjectName("language_warning")
        self.language_warning.setWordWrap(True)
        self.language_warning.setTextFormat(Qt.TextFormat.PlainText)
        set_warning_look(self.language_warning, True)
        self.language_warning.hide()
        lang_box = QWidget()
        lang_layout = QVBoxLayout(lang_box)
        lang_layout.setContentsMargins(0, 0, 0, 0)
        lang_layout.setSpacing(2)
        lang_layout.addWidget(language)
        lang_layout.addWidget(self.language_warning)
        form.addRow("Language", lang_box)
        self.dates = _small(QLabel())
        self.dates.setObjectName("dates")
        form.addRow(self.dates)
        self.work_editors.update(
            title=title, author=author, co_authors=co_authors, language=language
        )
        self._register(section, "title", "author", "co_authors", "language")
        self.work_sections.append(section)

        # --- Archive tags
        section = self._add_section("Archive tags", "tags")
        form = section.form
        rating = self._combo(
            "rating", "Rating", [("", "Not chosen"), *((r, r) for r in vocab.RATINGS)]
        )
        rating.currentIndexChanged.connect(lambda: self._set_work("rating", rating.currentData()))
        form.addRow(
            "Rating",
            self._with_button(
                rating, self._copy_button("rating", "the rating", meta_text("rating"))
            ),
        )
        warnings = CheckList(vocab.WARNINGS, "warnings")
        warnings.setAccessibleName("Archive warnings")
        warnings.changed.connect(lambda: self._set_work("warnings", warnings.values()))
        form.addRow(
            self._block(
                "Archive warnings",
                warnings,
                self._copy_button("warnings", "the archive warnings", meta_text("warnings")),
            )
        )
        categories = CheckList(vocab.CATEGORIES, "categories", flow=True)
        categories.setAccessibleName("Categories")
        categories.changed.connect(lambda: self._set_work("categories", categories.values()))
        form.addRow(
            self._block(
                "Categories",
                categories,
                self._copy_button("categories", "the categories", meta_text("categories")),
            )
        )
        self.work_editors.update(rating=rating, warnings=warnings, categories=categories)
        for name, label, hint in (
            ("fandoms", "Fandoms", "Add a fandom, press Enter"),
            ("relationships", "Relationships", "Add a relationship, e.g. A/B or A & B"),
            ("characters", "Characters", "Add characters, separated by commas"),
            ("tags", "Additional tags", "Add tags, separated by commas"),
        ):
            field = self._list(name, hint, work_setter(name))
            button = self._copy_button(name, label.lower(), meta_text(name))
            form.addRow(self._block(label, field, button))
            self.work_editors[name] = field
        self._register(
            section,
            "rating",
            "warnings",
            "categories",
            "fandoms",
            "relationships",
            "characters",
            "tags",
        )
        self.work_sections.append(section)

        # --- Summary & notes, in the order the archive shows them on export
        section = self._add_section("Summary && notes", "notes")
        form = section.form
        summary = self._text(
            "Summary",
            "summary",
            work_setter("summary"),
            vocab.SUMMARY_LIMIT,
            lines=5,
            button=self._copy_button(
                "summary", "the summary as archive HTML", self._rich_meta("summary")
            ),
        )
        form.addRow(summary)
        added = "Not an archive field: it opens the beginning notes on export."
        disclaimer = self._text(
            "Disclaimer", "disclaimer", work_setter("disclaimer"), lines=2, note=added
        )
        form.addRow(disclaimer)
        spoilers = self._list(
            "spoilers", "What the work spoils, e.g. Season 2", work_setter("spoilers")
        )
        form.addRow(self._block("Spoilers", spoilers))
        spoiler_note = self._text(
            "Spoiler note",
            "spoiler_note",
            work_setter("spoiler_note"),
            lines=2,
            note="Follows the list of spoilers in the spoiler warning, in the beginning notes.",
        )
        form.addRow(spoiler_note)
        notes_begin = self._text(
            "Beginning notes",
            "notes_begin",
            work_setter("notes_begin"),
            vocab.NOTES_LIMIT,
            button=self._copy_button(
                "notes_begin",
                "the beginning notes (disclaimer, spoiler warning, notes) as archive HTML",
                self._beginning_notes_html,
            ),
        )
        form.addRow(notes_begin)
        self.notes_total = _small(QLabel())
        self.notes_total.setObjectName("notes_total")
        form.addRow(self.notes_total)
        notes_end = self._text(
            "End notes",
            "notes_end",
            work_setter("notes_end"),
            vocab.NOTES_LIMIT,
            button=self._copy_button(
                "notes_end", "the end notes as archive HTML", self._rich_meta("notes_end")
            ),
        )
        form.addRow(notes_end)
        self.work_editors.update(
            summary=summary,
            disclaimer=disclaimer,
            spoilers=spoilers,
            spoiler_note=spoiler_note,
            notes_begin=notes_begin,
            notes_end=notes_end,
        )
        self._register(
            section, "summary", "disclaimer", "spoilers", "spoiler_note", "notes_begin", "notes_end"
        )
        self.work_sections.append(section)

        # --- Publishing
        section = self._add_section("Publishing", "publishing")
        form = section.form
        status = self._combo(
            "status", "Status", [(s, STATUS_LABELS.get(s, s)) for s in vocab.STATUSES]
        )
        status.currentIndexChanged.connect(lambda: self._set_work("status", status.currentData()))
        form.addRow("Status", status)
        posting = self._combo(
            "posting", "Posting", [(p, POSTING_LABELS.get(p, p)) for p in vocab.POSTING]
        )
        posting.currentIndexChanged.connect(
            lambda: self._set_work("posting", posting.currentData())
        )
        form.addRow("Posting", posting)
        chapters = self._spin("chapters_expected", "Chapters expected", 9999, "unknown")
        chapters.setToolTip("How many chapters the work will have; unknown shows as ? on posting")
        chapters.valueChanged.connect(lambda v: self._set_work("chapters_expected", v or None))
        form.addRow("Chapters", chapters)
        goal = self._spin("word_goal", "Word goal", WORD_GOAL_MAX, "none", step=1000)
        goal.setSuffix(" words")
        goal.valueChanged.connect(lambda v: self._set_work("word_goal", v or None))
        form.addRow("Word goal", goal)
        series = self._list(
            "series",
            "Series name #part, press Enter",
            self._set_series,
            separator=None,
            normalise=_normalise_series,
            key=_series_key,
        )
        form.addRow(self._block("Series", series))
        links = self._list(
            "links",
            "site=https://…, press Enter",
            self._set_links,
            separator=None,
            normalise=_normalise_link,
            key=_link_key,
        )
        form.addRow(self._block("Posted at", links))
        self.work_editors.update(
            status=status,
            posting=posting,
            chapters_expected=chapters,
            word_goal=goal,
            series=series,
            links=links,
        )
        self._register(
            section, "status", "posting", "chapters_expected", "word_goal", "series", "links"
        )
        self.work_sections.append(section)

    # -------------------------------------------------------------- the document

    def _build_document(self) -> None:
        self.doc_editors: dict[str, QWidget] = {}
        doc_setter = self._doc_setter
        section = self._add_section("Document", "document")
        self.doc_section = section
        form = section.form
        title = self._line("doc_title", "Document title", doc_setter("title", str.strip))
        self.doc_editors["copy_title"] = self._copy_button(
            "doc_title", "the chapter title", self._doc_text("title")
        )
        form.addRow("Title", self._with_button(title, self.doc_editors["copy_title"]))
        kind = QLabel()
        kind.setObjectName("doc_kind")
        form.addRow("Kind", kind)
        status = self._combo(
            "doc_status", "Document status", [(s, STATUS_LABELS.get(s, s)) for s in vocab.STATUSES]
        )
        status.currentIndexChanged.connect(lambda: self._set_doc("status", status.currentData()))
        form.addRow("Status", status)
        goal = self._spin("doc_word_goal", "Document word goal", WORD_GOAL_MAX, "none", step=500)
        goal.setSuffix(" words")
        goal.valueChanged.connect(lambda v: self._set_doc("word_goal", v or None))
        form.addRow("Word goal", goal)
        self.doc_editors["copy_summary"] = self._copy_button(
            "doc_summary", "the chapter summary as archive HTML", self._doc_rich("summary")
        )
        summary = self._text(
            "Chapter summary",
            "doc_summary",
            doc_setter("summary"),
            vocab.SUMMARY_LIMIT,
            button=self.doc_editors["copy_summary"],
        )
        form.addRow(summary)
        synopsis = self._text(
            "Synopsis",
            "doc_synopsis",
            doc_setter("synopsis"),
            lines=4,
            note="Private: for planning, never exported.",
        )
        form.addRow(synopsis)
        self.doc_editors["copy_notes_begin"] = self._copy_button(
            "doc_notes_begin", "the chapter notes as archive HTML", self._doc_rich("notes_begin")
        )
        notes_begin = self._text(
            "Chapter notes",
            "doc_notes_begin",
            doc_setter("notes_begin"),
            vocab.NOTES_LIMIT,
            lines=3,
            button=self.doc_editors["copy_notes_begin"],
        )
        form.addRow(notes_begin)
        self.doc_editors["copy_notes_end"] = self._copy_button(
            "doc_notes_end", "the chapter end notes as archive HTML", self._doc_rich("notes_end")
        )
        notes_end = self._text(
            "Chapter end notes",
            "doc_notes_end",
            doc_setter("notes_end"),
            vocab.NOTES_LIMIT,
            lines=3,
            button=self.doc_editors["copy_notes_end"],
        )
        form.addRow(notes_end)
        links = self._list(
            "doc_links",
            "site=https://…, press Enter",
            self._set_doc_links,
            separator=None,
            normalise=_normalise_link,
            key=_link_key,
        )
        links_block = self._block("Chapter posted at", links)
        form.addRow(links_block)
        self.copy_chapter = QPushButton("Copy chapter as archive HTML")
        self.copy_chapter.setObjectName("copy_chapter_html")
        self.copy_chapter.setAccessibleName("Copy chapter as archive HTML")
        self.copy_chapter.setToolTip(
            "Copy the chapter's text with its scenes, ready for the archive's chapter text box"
        )
        self.copy_chapter.clicked.connect(self._copy_chapter_html)
        form.addRow(self.copy_chapter)
        self.doc_warnings = QLabel()
        self.doc_warnings.setObjectName("doc_warnings")
        self.doc_warnings.setWordWrap(True)
        self.doc_warnings.setTextFormat(Qt.TextFormat.PlainText)
        set_warning_look(self.doc_warnings, True)
        form.addRow(self.doc_warnings)
        self.doc_editors.update(
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
        self._doc_rows: dict[str, QWidget] = {
            "word_goal": goal,
            "summary": summary,
            "notes_begin": notes_begin,
            "notes_end": notes_end,
            "links": links_block,
        }

    # ============================================================== loading

    @staticmethod
    def _put_line(edit: QLineEdit, text: str, force: bool) -> None:
        if force or edit.text().strip() != text:
            edit.setText(text)

    @staticmethod
    def _put_text(field: TextField, text: str, force: bool) -> None:
        if force or field.text() != text:
            field.set_text(text)

    @staticmethod
    def _put_list(field: ListField, values: list[str], force: bool) -> None:
        if force or field.values() != values:
            field.set_values(values)

    def _load_work(self, force: bool = True) -> None:
        assert self._project is not None
        meta = self._project.meta
        w = self.work_editors
        self._loading = True
        try:
            self._put_line(w["title"], meta.title, force)
            self._put_line(w["author"], meta.author, force)
            if force:
                self._load_language(meta.language)
                self.language_warning.hide()
            elif self._shown_language() not in (meta.language, None):
                self._load_language(meta.language)  # changed elsewhere; typing is left alone
            self._select(w["rating"], meta.rating)
            self._select(w["status"], meta.status)
            self._select(w["posting"], meta.posting)
            w["warnings"].set_values(meta.warnings)
            w["categories"].set_values(meta.categories)
            for name in ("co_authors", "fandoms", "relationships", "characters", "tags"):
                self._put_list(w[name], getattr(meta, name), force)
            self._put_list(w["spoilers"], meta.spoilers, force)
            self._put_list(w["series"], [series_text(s) for s in meta.series], force)
            self._put_list(w["links"], [link_text(link) for link in meta.links], force)
            for name in ("summary", "notes_begin", "notes_end", "disclaimer", "spoiler_note"):
                self._put_text(w[name], getattr(meta, name), force)
            w["chapters_expected"].setValue(meta.chapters_expected or 0)
            w["word_goal"].setValue(meta.word_goal or 0)
        finally:
            self._loading = False
        self.refresh_dates()
        self._update_work_checks()

    def _load_language(self, code: str) -> None:
        combo = self.work_editors["language"]
        index = combo.findData(code)
        if index >= 0:
            combo.setCurrentIndex(index)
            combo.setEditText(combo.itemText(index))
        else:
            combo.setCurrentIndex(-1)
            combo.setEditText(code)

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        """Choose ``value``; a value the list lacks (hand-edited file) is shown, not lost."""
        while combo.count() > int(combo.property("choices") or combo.count()):
            combo.removeItem(combo.count() - 1)  # an unknown value of an earlier load
        index = combo.findData(value)
        if index < 0:
            combo.addItem(f"{value} (unknown)", value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def _load_document(self, force: bool = True) -> None:
        node = self._node
        self.doc_section.setVisible(node is not None)
        if node is None:
            return
        meta = self._node.meta
        d = self.doc_editors
        self._loading = True
        try:
            self._put_line(d["title"], meta.title, force)
            self._select(d["status"], meta.status)
            d["word_goal"].setValue(meta.word_goal or 0)
            for name in ("summary", "synopsis", "notes_begin", "notes_end"):
                self._put_text(d[name], getattr(meta, name), force)
            self._put_list(d["links"], [link_text(link) for link in meta.links], force)
        finally:
            self._loading = False
        kind_label = KIND_LABELS.get(node.kind, node.kind)
        in_trash = self._project is not None and self._project.tree.in_trash(node.id)
        d["kind"].setText(f"{kind_label} · in the trash" if in_trash else kind_label)
        self._update_doc_title()
        is_chapter = node.kind == "chapter"
        has_text = node.has_text
        form = self.doc_section.form
        for name in _TEXT_DOC_FIELDS:
            form.setRowVisible(self._doc_rows[name], has_text)
        for name in _CHAPTER_ONLY:
            form.setRowVisible(self._doc_rows[name], is_chapter)
        form.setRowVisible(self.copy_chapter, has_text)
        self.copy_chapter.setEnabled(is_chapter and not in_trash)
        for key in ("copy_title", "copy_summary", "copy_notes_begin", "copy_notes_end"):
            d[key].setVisible(is_chapter)
        # Only a chapter's own fields are posted, so only they count against the archive.
        d["summary"].set_limit(vocab.SUMMARY_LIMIT if is_chapter else None)
        d["notes_begin"].set_limit(vocab.NOTES_LIMIT if is_chapter else None)
        d["notes_end"].set_limit(vocab.NOTES_LIMIT if is_chapter else None)
        self.copy_chapter.setToolTip(
            "Copy the chapter's text with its scenes, ready for the archive's chapter text box"
            if is_chapter
            else "Select a chapter to copy it: scenes are posted as part of their chapter"
        )
        d["summary"].label.setText("Chapter summary" if is_chapter else "Summary")
        d["notes_begin"].label.setText("Chapter notes" if is_chapter else "Notes")
        d["notes_end"].label.setText("Chapter end notes" if is_chapter else "End notes")
        self._update_doc_checks()

    # ============================================================== applying edits

    def _work_setter(
        self, name: str, clean: Callable[[str], str] | None = None
    ) -> Callable[[object], None]:
        def apply(value: object) -> None:
            self._set_work(name, clean(value) if clean and isinstance(value, str) else value)

        return apply

    def _doc_setter(
        self, name: str, clean: Callable[[str], str] | None = None
    ) -> Callable[[object], None]:
        def apply(value: object) -> None:
            self._set_doc(name, clean(value) if clean and isinstance(value, str) else value)

        return apply

    def _set_work(self, name: str, value: object) -> None:
        if self._loading or self._project is None:
            return
        meta = self._project.meta
        if getattr(meta, name) == value:
            return
        setattr(meta, name, value)
        self._update_work_checks(name)
        self.edited.emit(self._project)

    def _set_doc(self, name: str, value: object) -> None:
        if self._loading or self._project is None or self._node is None:
            return
        meta = self._node.meta
        if getattr(meta, name) == value:
            return
        setattr(meta, name, value)
        if name == "title":
            self._update_doc_title()
        self._update_doc_checks()
        self.document_edited.emit(self._node)
        self.edited.emit(self._project)

    def _set_series(self, values: list[str]) -> None:
        self._set_work("series", [parse_series(v) for v in values])

    @staticmethod
    def _merge_links(values: list[str], old: list[Link]) -> list[Link]:
        """Links from their text, keeping the posted/updated dates of known addresses."""
        known = {link.url: link for link in old}
        links = []
        for value in values:
            try:
                link = parse_link(value)
            except WriterError:
                continue
            if link.url in known:
                link.posted, link.updated = known[link.url].posted, known[link.url].updated
            links.append(link)
        return links

    def _set_links(self, values: list[str]) -> None:
        if self._project is not None:
            self._set_work("links", self._merge_links(values, self._project.meta.links))

    def _set_doc_links(self, values: list[str]) -> None:
        if self._node is not None:
            self._set_doc("links", self._merge_links(values, self._node.meta.links))

    def _language_code(self, text: str) -> str:
        """The code for what the language box shows; raises ``WriterError`` if invalid."""
        combo = self.work_editors["language"]
        index = combo.findText(text.strip(), Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return combo.itemData(index)
        if _LANGUAGE_SEPARATOR in text:
            text = text.split(_LANGUAGE_SEPARATOR, 1)[0]
        return vocab.canonical_language(text)

    def _shown_language(self) -> str | None:
        """The code the language box shows, or None while it holds invalid text."""
        try:
            return self._language_code(self.work_editors["language"].currentText())
        except WriterError:
            return None

    def _on_language_edited(self, text: str) -> None:
        if self._loading or self._project is None:
            return
        try:
            code = self._language_code(text)
        except WriterError as error:
            message = "the archive requires a language" if not text.strip() else str(error)
            self.language_warning.setText(f"⚠ {message}; still {self._project.meta.language}")
            self.language_warning.show()
            return
        self.language_warning.hide()
        self._set_work("language", code)

    def _on_language_finished(self) -> None:
        """Show the stored code in its usual form once typing is done."""
        if self._project is None or self.language_warning.isVisibleTo(self):
            return
        self._loading = True
        try:
            self._load_language(self._project.meta.language)
        finally:
            self._loading = False

    # ============================================================== checks

    def _beginning_notes_markdown(self) -> str:
        assert self._project is not None
        return beginning_notes(AssembledWork(self._project.meta, AssembleOptions()))

    def _measure_notes(self) -> None:
        """Measure the beginning notes as posted (rendering takes milliseconds: debounced)."""
        self._notes_timer.stop()
        if self._project is None:
            return
        total = len(rich(self._beginning_notes_markdown()))
        self._notes_total = total
        text, over = count_label(total, vocab.NOTES_LIMIT)
        self.notes_total.setText(
            f"Beginning notes as posted, with disclaimer and spoiler warning (archive HTML): {text}"
        )
        set_warning_look(self.notes_total, over)

    def _update_work_checks(self, changed: str | None = None) -> None:
        """Refresh the archive check; ``changed`` names the edited field (None: all)."""
        if self._project is None:
            return
        if changed is None:
            self._measure_notes()
        elif changed in NOTES_PARTS:
            self._notes_timer.start()
            return  # the timer measures the notes, then comes back here
        meta = self._project.meta
        problems = [(w.field, w.message) for w in check_work(meta) if w.field != "notes_begin"]
        total = self._notes_total
        if total > vocab.NOTES_LIMIT:
            problems.append(
                (
                    "notes_begin",
                    f"beginning notes with disclaimer and spoiler warning have {total:,} "
                    f"characters; the limit is {vocab.NOTES_LIMIT:,}",
                )
            )
        if problems:
            lines = [
                f'⚠ <a href="{field}" style="text-decoration: none">{escape(message)}</a>'
                for field, message in problems
            ]
            heading = f"<b>Archive check: {len(problems)} to fix</b>"
            self.warnings_label.setText(heading + "<br>" + "<br>".join(lines))
            self.warnings_label.setToolTip("Click a line to go to the field")
        else:
            self.warnings_label.setText("✓ Ready for the archive: required fields filled")
            self.warnings_label.setToolTip("")
        set_warning_look(self.warnings_label, False)

    def _on_notes_timer(self) -> None:
        self._measure_notes()
        self._update_work_checks("")

    def _update_doc_checks(self) -> None:
        if self._node is None:
            return
        posted = self._node.kind == "chapter"  # only chapters meet the archive's limits
        problems = [w.message for w in check_document(self._node.meta)] if posted else []
        self.doc_warnings.setText("\n".join(f"⚠ {p}" for p in problems))
        self.doc_section.form.setRowVisible(self.doc_warnings, bool(problems))

    def _update_doc_title(self) -> None:
        if self._node is None:
            return
        kind = KIND_LABELS.get(self._node.kind, self._node.kind)
        title = self._node.meta.title.strip()
        self.doc_section.set_title(f"{kind}: {title}" if title else kind)

    def _focus_field(self, field: str) -> None:
        """Open the section of ``field`` and put the cursor in it (warnings link here)."""
        widget = self.work_editors.get(field)
        section = self._field_sections.get(field)
        if widget is None or section is None:
            return
        section.set_expanded(True)
        target = widget.editor if isinstance(widget, TextField) else widget
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll.ensureWidgetVisible(target)

    # ============================================================== copying

    def _meta_text(self, name: str) -> Callable[[], str]:
        def text() -> str:
            if self._project is None:
                return ""
            value = getattr(self._project.meta, name)
            return ", ".join(value) if isinstance(value, list) else str(value)

        return text

    def _rich_meta(self, name: str) -> Callable[[], str]:
        return lambda: rich(getattr(self._project.meta, name)) if self._project else ""

    def _beginning_notes_html(self) -> str:
        return rich(self._beginning_notes_markdown()) if self._project else ""

    def _doc_text(self, name: str) -> Callable[[], str]:
        return lambda: getattr(self._node.meta, name) if self._node else ""

    def _doc_rich(self, name: str) -> Callable[[], str]:
        return lambda: rich(getattr(self._node.meta, name)) if self._node else ""

    def chapter_html(self) -> str:
        """The selected chapter's text and scenes as archive HTML ("" if not a chapter)."""
        if self._project is None or self._node is None or self._node.kind != "chapter":
            return ""
        options = AssembleOptions(chapter_ids=[self._node.id])
        work = assemble(self._project, options)
        chapter = next((c for c in work.chapters if c.id == self._node.id), None)
        return chapter_file_html(chapter, options.scene_break) if chapter else ""

    def _copy_chapter_html(self) -> None:
        try:
            html = self.chapter_html()
        except WriterError as error:
            self.copied.emit(f"Could not copy the chapter: {error}")
            return
        if html:
            self._copy(html, "the chapter as archive HTML", self.copy_chapter)

    def _copy(self, text: str, what: str, button: QToolButton | QPushButton) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(f"Copied {what}" if text else f"Copied {what} (it is empty)")
        if isinstance(button, QToolButton):
            button.setText("Copied ✓")
            QTimer.singleShot(COPIED_FEEDBACK_MS, button, lambda: button.setText("Copy"))
