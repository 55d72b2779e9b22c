"""The work's fields in the metadata panel: four sections, in the archive's order.

"Work" (title, author, co-authors, language), "Archive tags", "Summary & notes" (in the
order the archive shows them on export) and "Publishing". Each editor is named after its
:class:`~writer.core.metadata.WorkMeta` field. The fields never write to the model: an
edit is announced as ``edited(field, value)`` in the model's canonical form, and the
panel applies it, so that the model has one writer and loading can never count as an edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from writer.core import vocabulary as vocab
from writer.core.metadata import WorkMeta, parse_series
from writer.gui.metadata_copy import beginning_notes_html, copy_button, field_text
from writer.gui.metadata_editors import (
    Loading,
    check_list,
    combo,
    line,
    links_field,
    list_field,
    put_line,
    put_list,
    put_text,
    select,
    setter,
    spin,
    text_field,
    word_goal_spin,
)
from writer.gui.metadata_language import LanguageBox
from writer.gui.metadata_values import (
    POSTING_LABELS,
    STATUS_CHOICES,
    date_text,
    link_text,
    merge_links,
    normalise_series,
    series_key,
    series_text,
)
from writer.gui.metadata_widgets import Section, block, small, with_button
from writer.gui.text_field import TextField

_TAG_LISTS = (
    ("fandoms", "Fandoms", "Add a fandom, press Enter"),
    ("relationships", "Relationships", "Add a relationship, e.g. A/B or A & B"),
    ("characters", "Characters", "Add characters, separated by commas"),
    ("tags", "Additional tags", "Add tags, separated by commas"),
)
_PLAIN_LISTS = ("co_authors", "fandoms", "relationships", "characters", "tags", "spoilers")
_RICH_TEXTS = ("summary", "notes_begin", "notes_end", "disclaimer", "spoiler_note")


class WorkFields(QObject):
    """Builds the work's sections into ``layout`` and shows a :class:`WorkMeta` in them.

    ``meta`` gives the work shown (None without one): copy buttons copy from it and the
    posted-at list keeps its links' dates. ``editors`` maps each field to its editor,
    ``section_of`` to its section; ``dates`` and ``notes_total`` are read-only lines.
    """

    edited = Signal(str, object)
    copied = Signal(str)

    def __init__(
        self,
        layout: QVBoxLayout,
        meta: Callable[[], WorkMeta | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._layout = layout
        self._meta = meta
        self._loading = Loading()
        self.sections: list[Section] = []
        self.editors: dict[str, QWidget] = {}
        self.section_of: dict[str, Section] = {}
        self._build_work()
        self._build_tags()
        self._build_notes()
        self._build_publishing()

    # -------------------------------------------------------------- showing

    def load(self, meta: WorkMeta, force: bool = True) -> None:
        """Show ``meta``; without ``force`` editors already showing its values are left alone."""
        e = self.editors
        with self._loading():
            put_line(e["title"], meta.title, force)
            put_line(e["author"], meta.author, force)
            self.language.load(meta.language, force)
            select(e["rating"], meta.rating)
            select(e["status"], meta.status)
            select(e["posting"], meta.posting)
            e["warnings"].set_values(meta.warnings)
            e["categories"].set_values(meta.categories)
            for name in _PLAIN_LISTS:
                put_list(e[name], getattr(meta, name), force)
            put_list(e["series"], [series_text(s) for s in meta.series], force)
            put_list(e["links"], [link_text(link) for link in meta.links], force)
            for name in _RICH_TEXTS:
                put_text(e[name], getattr(meta, name), force)
            e["chapters_expected"].setValue(meta.chapters_expected or 0)
            e["word_goal"].setValue(meta.word_goal or 0)
        self.show_dates(meta)

    def show_dates(self, meta: WorkMeta) -> None:
        """The read-only created/modified line."""
        self.dates.setText(
            f"Created {date_text(meta.created)} · modified {date_text(meta.modified)}"
        )

    def open_field(self, field: str) -> QWidget | None:
        """Open the section of ``field``; the widget to put the cursor in (None: unknown)."""
        widget = self.editors.get(field)
        section = self.section_of.get(field)
        if widget is None or section is None:
            return None
        section.set_expanded(True)
        return widget.editor if isinstance(widget, TextField) else widget

    # -------------------------------------------------------------- edits

    def _apply(self, name: str, value: object) -> None:
        if not self._loading:
            self.edited.emit(name, value)

    def _set(
        self, name: str, clean: Callable[[str], str] | None = None
    ) -> Callable[[object], None]:
        return setter(self._apply, name, clean)

    def _set_series(self, values: list[str]) -> None:
        self._apply("series", [parse_series(v) for v in values])

    def _set_links(self, values: list[str]) -> None:
        meta = self._meta()
        if meta is not None:
            self._apply("links", merge_links(values, meta.links))

    def _stored_language(self) -> str | None:
        meta = self._meta()
        return None if meta is None else meta.language

    # -------------------------------------------------------------- building

    def _copy(self, name: str, what: str, html: bool = False) -> QWidget:
        return copy_button(name, what, field_text(self._meta, name, html), self.copied.emit)

    def _copy_beginning_notes(self) -> str:
        meta = self._meta()
        return "" if meta is None else beginning_notes_html(meta)

    def _section(self, title: str, key: str) -> Section:
        section = Section(title, key)
        self._layout.addWidget(section)
        self.sections.append(section)
        return section

    def _register(self, section: Section, **editors: QWidget) -> None:
        self.editors.update(editors)
        for name in editors:
            self.section_of[name] = section

    def _build_work(self) -> None:
        section = self._section("Work", "work")
        form = section.form
        title = line("title", "Title", self._set("title", str.strip))
        title.setPlaceholderText("Required by the archive")
        form.addRow("Title", with_button(title, self._copy("title", "the title")))
        author = line("author", "Author", self._set("author", str.strip))
        author.setPlaceholderText("Your pen name")
        form.addRow("Author", author)
        co_authors = list_field(
            "co_authors", "Add a co-author, press Enter", self._set("co_authors")
        )
        form.addRow(block("Co-authors", co_authors))
        self.language = LanguageBox(self._stored_language, self._set("language"), section)
        form.addRow("Language", self.language)
        self.dates = small(QLabel())
        self.dates.setObjectName("dates")
        form.addRow(self.dates)
        self._register(
            section, title=title, author=author, co_authors=co_authors, language=self.language.combo
        )

    def _build_tags(self) -> None:
        section = self._section("Archive tags", "tags")
        form = section.form
        ratings = [("", "Not chosen"), *((r, r) for r in vocab.RATINGS)]
        rating = combo("rating", "Rating", ratings, self._set("rating"))
        form.addRow("Rating", with_button(rating, self._copy("rating", "the rating")))
        warnings = check_list(vocab.WARNINGS, "warnings", "Archive warnings", self._set("warnings"))
        copy = self._copy("warnings", "the archive warnings")
        form.addRow(block("Archive warnings", warnings, copy))
        categories = check_list(
            vocab.CATEGORIES, "categories", "Categories", self._set("categories"), flow=True
        )
        form.addRow(block("Categories", categories, self._copy("categories", "the categories")))
        self._register(section, rating=rating, warnings=warnings, categories=categories)
        for name, label, hint in _TAG_LISTS:
            field = list_field(name, hint, self._set(name))
            form.addRow(block(label, field, self._copy(name, label.lower())))
            self._register(section, **{name: field})

    def _build_notes(self) -> None:
        section = self._section("Summary && notes", "notes")
        form = section.form
        summary = text_field(
            "Summary",
            "summary",
            self._set("summary"),
            vocab.SUMMARY_LIMIT,
            lines=5,
            button=self._copy("summary", "the summary as archive HTML", html=True),
        )
        form.addRow(summary)
        disclaimer = text_field(
            "Disclaimer",
            "disclaimer",
            self._set("disclaimer"),
            lines=2,
            note="Not an archive field: it opens the beginning notes on export.",
        )
        form.addRow(disclaimer)
        spoilers = list_field(
            "spoilers", "What the work spoils, e.g. Season 2", self._set("spoilers")
        )
        form.addRow(block("Spoilers", spoilers))
        spoiler_note = text_field(
            "Spoiler note",
            "spoiler_note",
            self._set("spoiler_note"),
            lines=2,
            note="Follows the list of spoilers in the spoiler warning, in the beginning notes.",
        )
        form.addRow(spoiler_note)
        notes_begin = text_field(
            "Beginning notes",
            "notes_begin",
            self._set("notes_begin"),
            vocab.NOTES_LIMIT,
            button=copy_button(
                "notes_begin",
                "the beginning notes (disclaimer, spoiler warning, notes) as archive HTML",
                self._copy_beginning_notes,
                self.copied.emit,
            ),
        )
        form.addRow(notes_begin)
        self.notes_total = small(QLabel())
        self.notes_total.setObjectName("notes_total")
        form.addRow(self.notes_total)
        notes_end = text_field(
            "End notes",
            "notes_end",
            self._set("notes_end"),
            vocab.NOTES_LIMIT,
            button=self._copy("notes_end", "the end notes as archive HTML", html=True),
        )
        form.addRow(notes_end)
        self._register(
            section,
            summary=summary,
            disclaimer=disclaimer,
            spoilers=spoilers,
            spoiler_note=spoiler_note,
            notes_begin=notes_begin,
            notes_end=notes_end,
        )

    def _build_publishing(self) -> None:
        section = self._section("Publishing", "publishing")
        form = section.form
        status = combo("status", "Status", STATUS_CHOICES, self._set("status"))
        form.addRow("Status", status)
        postings = [(p, POSTING_LABELS.get(p, p)) for p in vocab.POSTING]
        posting = combo("posting", "Posting", postings, self._set("posting"))
        form.addRow("Posting", posting)
        chapters = spin(
            "chapters_expected",
            "Chapters expected",
            9999,
            "unknown",
            self._set("chapters_expected"),
        )
        chapters.setToolTip("How many chapters the work will have; unknown shows as ? on posting")
        form.addRow("Chapters", chapters)
        goal = word_goal_spin("word_goal", "Word goal", 1000, self._set("word_goal"))
        form.addRow("Word goal", goal)
        series = list_field(
            "series",
            "Series name #part, press Enter",
            self._set_series,
            separator=None,
            normalise=normalise_series,
            key=series_key,
        )
        form.addRow(block("Series", series))
        links = links_field("links", self._set_links)
        form.addRow(block("Posted at", links))
        self._register(
            section,
            status=status,
            posting=posting,
            chapters_expected=chapters,
            word_goal=goal,
            series=series,
            links=links,
        )
