"""The metadata panel: loading shows everything and changes nothing; edits reach the model."""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "export"))
from conftest import SCENE, build_story  # noqa: E402

from writer.core.metadata import WORK_FIELDS, Link, SeriesEntry  # noqa: E402
from writer.core.project import Project  # noqa: E402
from writer.export.archive_export import ARCHIVE_TAGS  # noqa: E402
from writer.gui.list_field import CheckList, ListField  # noqa: E402
from writer.gui.metadata_panel import MetadataPanel, date_text  # noqa: E402

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def story(tmp_path: Path) -> Project:
    project = build_story(tmp_path / "harbour-lights")
    project.set_field("co_authors", ["Ash Vale"])
    project.set_field("series", ["Tides #2"])
    project.set_field("links", ["AO3=https://archiveofourown.org/works/1"])
    project.meta.links[0].posted = "2024-01-05"
    project.set_field("word_goal", ["50000"])
    project.set_field("chapters_expected", ["3"])
    project.save()
    return project


@pytest.fixture
def panel(qtbot, story: Project) -> MetadataPanel:
    widget = MetadataPanel()
    qtbot.addWidget(widget)
    widget.resize(360, 900)
    widget.show()
    widget.set_project(story)
    return widget


def nodes(project: Project):
    """(part, chapter one, chapter two, scene, note) of the sample story."""
    part = project.tree.roots[0]
    one, two = part.children
    scene, note = one.children
    return part, one, two, scene, note


def find(panel: QWidget, cls: type, name: str):
    widget = panel.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name!r}"
    return widget


def counter(signal) -> list:
    seen: list = []
    signal.connect(lambda *args: seen.append(args))
    return seen


def clipboard_after(qtbot, button: QWidget) -> str:
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(button, LEFT)
    return QGuiApplication.clipboard().text()


# ------------------------------------------------------------------ loading


def test_loading_shows_every_value_and_changes_nothing(qtbot, story):
    before = copy.deepcopy(story.meta)
    _, one, _, _, _ = nodes(story)
    doc_before = copy.deepcopy(one.meta)
    panel = MetadataPanel()
    qtbot.addWidget(panel)
    with qtbot.assertNotEmitted(panel.edited), qtbot.assertNotEmitted(panel.document_edited):
        panel.set_project(story)
        panel.set_document(one)
        panel.set_document(story.tree.roots[0])
        panel.set_document(one)
        panel.refresh()
    assert story.meta == before
    assert one.meta == doc_before
    assert not story.dirty

    for name in WORK_FIELDS:
        if name in ("created", "modified"):
            continue
        assert panel.findChild(QWidget, name) is not None, name
    assert find(panel, QLineEdit, "title").text() == "Harbour Lights"
    assert find(panel, QLineEdit, "author").text() == "Wren Aldous"
    assert find(panel, ListField, "co_authors").values() == ["Ash Vale"]
    language = find(panel, QComboBox, "language")
    assert language.currentData() == "en"
    assert language.currentText().startswith("en")
    assert find(panel, ListField, "fandoms").values() == ["Saltmarsh Station"]
    assert find(panel, QComboBox, "rating").currentData() == "Teen And Up Audiences"
    assert find(panel, CheckList, "warnings").values() == ["No Archive Warnings Apply"]
    assert find(panel, CheckList, "categories").values() == ["Gen"]
    assert find(panel, ListField, "relationships").values() == ["Mara Quill & Tobin Reyes"]
    assert find(panel, ListField, "characters").values() == ["Mara Quill", "Tobin Reyes"]
    assert find(panel, ListField, "tags").values() == ["Storms", "Lighthouses"]
    texts = {
        "summary": "A keeper waits out a *storm*.",
        "notes_begin": "Written for a winter exchange.",
        "notes_end": "Thank you for reading.",
        "disclaimer": "I don't own Saltmarsh Station.",
        "spoiler_note": "Set after the finale.",
    }
    for name, text in texts.items():
        assert find(panel, QPlainTextEdit, name).toPlainText() == text
    assert find(panel, ListField, "spoilers").values() == ["Season 2"]
    assert find(panel, QComboBox, "status").currentData() == "draft"
    assert find(panel, QComboBox, "posting").currentData() == "wip"
    assert find(panel, QSpinBox, "chapters_expected").value() == 3
    assert find(panel, QSpinBox, "word_goal").value() == 50000
    assert find(panel, ListField, "series").values() == ["Tides #2"]
    assert find(panel, ListField, "links").values() == ["AO3=https://archiveofourown.org/works/1"]
    assert date_text(story.meta.created) in find(panel, QLabel, "dates").text()
    assert find(panel, QLabel, "summary_counter").text() == "29 / 1,250"
    assert "Ready" in find(panel, QLabel, "warnings_label").text()

    assert find(panel, QLineEdit, "doc_title").text() == "Low Tide"
    assert find(panel, QLabel, "doc_kind").text() == "Chapter"
    assert find(panel, QPlainTextEdit, "doc_summary").toPlainText() == "Mara arrives."
    assert find(panel, QPlainTextEdit, "doc_notes_begin").toPlainText() == "First chapter note."
    assert find(panel, QPlainTextEdit, "doc_notes_end").toPlainText() == "First chapter end note."
    assert find(panel, QComboBox, "doc_status").currentData() == "draft"
    assert find(panel, QSpinBox, "doc_word_goal").value() == 0


def test_no_project_shows_placeholder_and_new_project_drops_document(qtbot, panel, story, tmp_path):
    _, one, _, _, _ = nodes(story)
    panel.set_document(one)
    assert panel.section("document").isVisible()
    panel.set_project(None)
    assert find(panel, QLabel, "placeholder").isVisible()
    assert not panel.section("work").isVisible()
    assert not panel.section("document").isVisible()
    other = Project.create(tmp_path / "other", "Other Work")
    panel.set_project(other)
    assert panel.document is None
    assert not panel.section("document").isVisible()
    assert find(panel, QLineEdit, "title").text() == "Other Work"
    assert find(panel, ListField, "fandoms").values() == []
    assert "fandoms is required" in find(panel, QLabel, "warnings_label").text()


# ------------------------------------------------------------------ editing


def test_each_kind_of_widget_edits_the_model_once(qtbot, panel, story):
    edits = counter(panel.edited)
    meta = story.meta

    find(panel, QLineEdit, "title").setText("Harbour Lights Redux")
    assert meta.title == "Harbour Lights Redux"
    assert len(edits) == 1
    assert edits[0] == (story,)

    rating = find(panel, QComboBox, "rating")
    rating.setCurrentIndex(rating.findData("Mature"))
    assert meta.rating == "Mature"
    assert len(edits) == 2

    warnings = find(panel, CheckList, "warnings")
    box = warnings.box("Major Character Death")
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))  # on the check mark
    assert meta.warnings == ["No Archive Warnings Apply", "Major Character Death"]
    assert len(edits) == 3

    fandoms = find(panel, ListField, "fandoms")
    qtbot.keyClicks(fandoms.line_edit, "Lighthouse Keepers")
    assert len(edits) == 3  # nothing is added before Enter
    qtbot.keyClick(fandoms.line_edit, Qt.Key.Key_Return)
    assert meta.fandoms == ["Saltmarsh Station", "Lighthouse Keepers"]
    assert len(edits) == 4

    qtbot.mouseClick(fandoms.chips()[0].remove_button, LEFT)
    assert meta.fandoms == ["Lighthouse Keepers"]
    assert len(edits) == 5

    find(panel, QPlainTextEdit, "summary").setPlainText("A *new* summary.")
    assert meta.summary == "A *new* summary."
    assert len(edits) == 6

    goal = find(panel, QSpinBox, "word_goal")
    goal.setValue(80000)
    assert meta.word_goal == 80000
    goal.setValue(0)
    assert meta.word_goal is None
    assert len(edits) == 8

    posting = find(panel, QComboBox, "posting")
    posting.setCurrentIndex(posting.findData("complete"))
    assert meta.posting == "complete"
    find(panel, QSpinBox, "chapters_expected").setValue(0)
    assert meta.chapters_expected is None
    assert len(edits) == 10

    tags = find(panel, ListField, "tags")
    qtbot.keyClicks(tags.line_edit, "Angst, Found Family,")
    assert meta.tags == ["Storms", "Lighthouses", "Angst", "Found Family"]
    assert len(edits) == 12  # one per typed comma


def test_series_and_links_are_parsed_and_keep_their_dates(qtbot, panel, story):
    edits = counter(panel.edited)
    series = find(panel, ListField, "series")
    series.line_edit.setText("Storm Cycle # 1")
    qtbot.keyClick(series.line_edit, Qt.Key.Key_Return)
    assert story.meta.series == [SeriesEntry("Tides", 2), SeriesEntry("Storm Cycle", 1)]
    assert series.values() == ["Tides #2", "Storm Cycle #1"]

    links = find(panel, ListField, "links")
    links.line_edit.setText("not a web address")
    qtbot.keyClick(links.line_edit, Qt.Key.Key_Return)
    assert links.message.isVisible()
    assert "http" in links.message.text()
    assert links.line_edit.text() == "not a web address"  # left to fix
    assert len(story.meta.links) == 1
    assert len(edits) == 1

    links.line_edit.setText("FFN=https://www.fanfiction.net/s/1")
    qtbot.keyClick(links.line_edit, Qt.Key.Key_Return)
    assert not links.message.isVisible()
    assert story.meta.links == [
        Link("AO3", "https://archiveofourown.org/works/1", posted="2024-01-05"),
        Link("FFN", "https://www.fanfiction.net/s/1"),
    ]
    assert len(edits) == 2


def test_round_trip_through_disk(qtbot, panel, story):
    _, one, _, _, _ = nodes(story)
    panel.set_document(one)
    find(panel, QLineEdit, "author").setText("W. Aldous")
    find(panel, ListField, "characters").add("Pokémon Trainer")
    find(panel, CheckList, "categories").box("F/F").setChecked(True)
    find(panel, QPlainTextEdit, "notes_end").setPlainText("Thanks!\n\nSee you soon.")
    find(panel, QComboBox, "language").setEditText("pt-br")
    status = find(panel, QComboBox, "status")
    status.setCurrentIndex(status.findData("revising"))
    find(panel, ListField, "spoilers").remove(0)
    find(panel, QLineEdit, "doc_title").setText("Low Water")
    find(panel, QPlainTextEdit, "doc_synopsis").setPlainText("Mara meets Tobin.")
    find(panel, QSpinBox, "doc_word_goal").setValue(3000)
    assert story.save()

    loaded = Project.load(story.path)
    assert loaded.meta.author == "W. Aldous"
    assert loaded.meta.characters == ["Mara Quill", "Tobin Reyes", "Pokémon Trainer"]
    assert loaded.meta.categories == ["Gen", "F/F"]
    assert loaded.meta.notes_end == "Thanks!\n\nSee you soon."
    assert loaded.meta.language == "pt-BR"
    assert loaded.meta.status == "revising"
    assert loaded.meta.spoilers == []
    assert loaded.meta.series == [SeriesEntry("Tides", 2)]
    assert loaded.meta.links[0].posted == "2024-01-05"
    chapter = loaded.tree.find(one.id)
    assert chapter.meta.title == "Low Water"
    assert chapter.meta.synopsis == "Mara meets Tobin."
    assert chapter.meta.word_goal == 3000
    assert chapter.meta.summary == "Mara arrives."


def test_document_fields_edit_the_node(qtbot, panel, story):
    _, one, _, _, _ = nodes(story)
    work_before = copy.deepcopy(story.meta)
    panel.set_document(one)
    edits = counter(panel.edited)
    doc_edits = counter(panel.document_edited)

    find(panel, QLineEdit, "doc_title").setText("  Slack Water ")
    assert one.meta.title == "Slack Water"
    assert doc_edits == [(one,)]
    assert "Slack Water" in panel.section("document").toggle.text()
    find(panel, QPlainTextEdit, "doc_summary").setPlainText("Mara arrives at dusk.")
    find(panel, QPlainTextEdit, "doc_notes_begin").setPlainText("Beta: Ash.")
    find(panel, QPlainTextEdit, "doc_notes_end").setPlainText("More soon.")
    status = find(panel, QComboBox, "doc_status")
    status.setCurrentIndex(status.findData("complete"))
    doc_links = find(panel, ListField, "doc_links")
    doc_links.add("https://archiveofourown.org/works/1/chapters/2")

    assert one.meta.summary == "Mara arrives at dusk."
    assert one.meta.notes_begin == "Beta: Ash."
    assert one.meta.notes_end == "More soon."
    assert one.meta.status == "complete"
    assert one.meta.links == [
        Link("archiveofourown.org", "https://archiveofourown.org/works/1/chapters/2")
    ]
    assert len(edits) == len(doc_edits) == 6
    assert story.meta == work_before


def test_switching_documents_shows_each_and_does_not_leak(qtbot, panel, story):
    part, one, two, scene, note = nodes(story)
    panel.set_document(one)
    find(panel, QPlainTextEdit, "doc_summary").setPlainText("Edited one.")
    links = find(panel, ListField, "doc_links")
    links.line_edit.setText("https://example.org/pending")  # typed, never added

    with qtbot.assertNotEmitted(panel.edited):
        panel.set_document(two)
    assert find(panel, QLineEdit, "doc_title").text() == "Flood"
    assert find(panel, QPlainTextEdit, "doc_summary").toPlainText() == ""
    assert find(panel, QPlainTextEdit, "doc_notes_begin").toPlainText() == ""
    assert links.line_edit.text() == ""
    find(panel, QLineEdit, "doc_title").setText("Flood Tide")
    assert two.meta.title == "Flood Tide"
    assert one.meta.title == "Low Tide"
    assert one.meta.summary == "Edited one."
    assert one.meta.links == two.meta.links == []

    panel.set_document(one)
    assert find(panel, QPlainTextEdit, "doc_summary").toPlainText() == "Edited one."
    assert find(panel, QPushButton, "copy_chapter_html").isEnabled()
    assert find(panel, QToolButton, "copy_doc_summary").isVisible()

    panel.set_document(part)
    assert find(panel, QLabel, "doc_kind").text() == "Part"
    assert find(panel, QLineEdit, "doc_title").isVisible()
    assert find(panel, QPlainTextEdit, "doc_synopsis").isVisible()
    assert find(panel, QComboBox, "doc_status").isVisible()
    for name in ("doc_summary", "doc_notes_begin", "doc_notes_end"):
        assert not find(panel, QPlainTextEdit, name).isVisible(), name
    assert not find(panel, QSpinBox, "doc_word_goal").isVisible()
    assert not find(panel, QPushButton, "copy_chapter_html").isVisible()

    panel.set_document(scene)
    assert find(panel, QPlainTextEdit, "doc_summary").isVisible()
    assert not find(panel, QPushButton, "copy_chapter_html").isEnabled()
    assert not find(panel, QToolButton, "copy_doc_title").isVisible()
    assert not find(panel, ListField, "doc_links").isVisible()

    panel.set_document(None)
    assert not panel.section("document").isVisible()


# ------------------------------------------------------------------ limits and checks


def test_counters_and_warnings_follow_the_limits(qtbot, panel, story):
    warnings = find(panel, QLabel, "warnings_label")
    summary = find(panel, QPlainTextEdit, "summary")
    summary.setPlainText("x" * 1300)
    counter_label = find(panel, QLabel, "summary_counter")
    assert counter_label.text() == "⚠ 1,300 / 1,250"
    assert counter_label.font().bold()
    assert warnings.isVisible()
    assert "summary has 1,300 characters; the limit is 1,250" in warnings.text()
    summary.setPlainText("x" * 1250)
    assert counter_label.text() == "1,250 / 1,250"
    assert "summary has" not in warnings.text()

    rating = find(panel, QComboBox, "rating")
    rating.setCurrentIndex(rating.findData(""))
    assert story.meta.rating == ""
    assert "rating is required" in warnings.text()

    total = find(panel, QLabel, "notes_total")
    assert "⚠" not in total.text()
    find(panel, QPlainTextEdit, "disclaimer").setPlainText("d" * 3000)
    find(panel, QPlainTextEdit, "notes_begin").setPlainText("n" * 2500)
    assert find(panel, QLabel, "notes_begin_counter").text() == "2,500 / 5,000"  # alone it fits
    # Measuring the notes as posted renders them, so it waits for a pause in typing.
    qtbot.waitUntil(lambda: "⚠" in total.text(), timeout=5000)
    assert "beginning notes with disclaimer and spoiler warning" in warnings.text()
    assert "summary has" not in warnings.text()
    assert find(panel, QLabel, "disclaimer_counter").text() == "3,000 characters"
    assert "beginning notes" in find(panel, QLabel, "disclaimer_note").text()

    _, one, _, _, _ = nodes(story)
    panel.set_document(one)
    find(panel, QLineEdit, "doc_title").setText("t" * 300)
    doc_warnings = find(panel, QLabel, "doc_warnings")
    assert doc_warnings.isVisible()
    assert "title has 300 characters" in doc_warnings.text()


def test_warning_links_open_the_section_of_the_field(qtbot, panel):
    tags = panel.section("tags")
    tags.set_expanded(False)
    assert not find(panel, ListField, "fandoms").isVisible()
    find(panel, QLabel, "warnings_label").linkActivated.emit("fandoms")
    assert tags.expanded
    assert find(panel, ListField, "fandoms").isVisible()


def test_invalid_language_warns_and_leaves_the_model(qtbot, panel, story):
    language = find(panel, QComboBox, "language")
    warning = find(panel, QLabel, "language_warning")
    assert not warning.isVisible()
    with qtbot.assertNotEmitted(panel.edited):
        language.setEditText("not a language!")
    assert warning.isVisible()
    assert "BCP-47" in warning.text()
    assert story.meta.language == "en"
    language.setEditText("")
    assert "requires a language" in warning.text()
    assert story.meta.language == "en"

    edits = counter(panel.edited)
    language.lineEdit().clear()
    qtbot.keyClicks(language.lineEdit(), "zh-hant")
    assert story.meta.language == "zh-Hant"
    assert not warning.isVisible()
    language.setEditText("French")
    assert story.meta.language == "fr"
    language.setCurrentIndex(language.findData("ja"))
    assert story.meta.language == "ja"
    assert len(edits) >= 3
    assert all(args == (story,) for args in edits)


# ------------------------------------------------------------------ copying

ALLOWED = {*ARCHIVE_TAGS}


def assert_archive_clean(html: str) -> None:
    tags = {t.lower() for t in re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", html)}
    assert tags <= ALLOWED, tags - ALLOWED
    for bad in ("<script", "onclick", "javascript:", "class=", "style="):
        assert bad not in html


def test_copy_buttons_put_archive_ready_text_on_the_clipboard(qtbot, panel, story):
    copied = counter(panel.copied)
    assert clipboard_after(qtbot, find(panel, QToolButton, "copy_title")) == "Harbour Lights"
    assert clipboard_after(qtbot, find(panel, QToolButton, "copy_rating")) == (
        "Teen And Up Audiences"
    )
    find(panel, ListField, "fandoms").add("Lighthouse Keepers")
    assert clipboard_after(qtbot, find(panel, QToolButton, "copy_fandoms")) == (
        "Saltmarsh Station, Lighthouse Keepers"
    )
    assert clipboard_after(qtbot, find(panel, QToolButton, "copy_characters")) == (
        "Mara Quill, Tobin Reyes"
    )
    assert clipboard_after(qtbot, find(panel, QToolButton, "copy_warnings")) == (
        "No Archive Warnings Apply"
    )
    summary = clipboard_after(qtbot, find(panel, QToolButton, "copy_summary"))
    assert summary == "<p>A keeper waits out a <em>storm</em>.</p>"

    notes = clipboard_after(qtbot, find(panel, QToolButton, "copy_notes_begin"))
    assert notes.startswith("<p><strong>Disclaimer:</strong> I don")
    spoiler = notes.index("<strong>Spoiler warning:</strong> Spoilers for Season 2.")
    assert notes.index("Disclaimer") < spoiler < notes.index("Written for a winter exchange.")
    assert_archive_clean(notes)
    assert clipboard_after(qtbot, find(panel, QToolButton, "copy_notes_end")) == (
        "<p>Thank you for reading.</p>"
    )
    assert len(copied) == 8
    assert "summary" in copied[5][0]


def test_copy_document_fields_and_chapter_html(qtbot, panel, story):
    _, one, two, _, _ = nodes(story)
    panel.set_document(one)
    assert clipboard_after(qtbot, find(panel, QToolButton, "copy_doc_title")) == "Low Tide"
    assert clipboard_after(qtbot, find(panel, QToolButton, "copy_doc_summary")) == (
        "<p>Mara arrives.</p>"
    )
    assert clipboard_after(qtbot, find(panel, QToolButton, "copy_doc_notes_begin")) == (
        "<p>First chapter note.</p>"
    )

    html = clipboard_after(qtbot, find(panel, QPushButton, "copy_chapter_html"))
    assert "The <em>harbour</em> was empty" in html
    assert SCENE in html  # the chapter's scene follows its text
    assert '<p align="center">* * *</p>' in html
    assert "SECRET NOTE TEXT" not in html
    assert "Flood" not in html and "Water rose" not in html
    assert_archive_clean(html)

    panel.set_document(two)
    html = clipboard_after(qtbot, find(panel, QPushButton, "copy_chapter_html"))
    assert "Water rose over the quay." in html
    assert "Still" in html
    assert_archive_clean(html)


# ------------------------------------------------------------------ the list widget


def test_list_field_typing_pasting_and_duplicates(qtbot):
    field = ListField("tags")
    qtbot.addWidget(field)
    changes = counter(field.changed)
    field.set_values(["Angst"])
    assert changes == []

    qtbot.keyClicks(field.line_edit, "Fluff,")
    assert field.values() == ["Angst", "Fluff"]
    assert field.line_edit.text() == ""
    qtbot.keyClicks(field.line_edit, "ANGST")
    qtbot.keyClick(field.line_edit, Qt.Key.Key_Return)
    assert field.values() == ["Angst", "Fluff"]
    assert "already" in field.message.text()
    assert len(changes) == 1

    QGuiApplication.clipboard().setText("Hurt/Comfort, Found Family,  Slow Burn")
    field.line_edit.clear()
    field.line_edit.paste()
    assert field.values() == ["Angst", "Fluff", "Hurt/Comfort", "Found Family", "Slow Burn"]
    assert field.line_edit.text() == ""
    assert len(changes) == 2  # one paste, one change

    field.move(4, -1)
    assert field.values()[3:] == ["Slow Burn", "Found Family"]
    qtbot.mouseClick(field.chips()[1].remove_button, LEFT)
    assert field.values() == ["Angst", "Hurt/Comfort", "Slow Burn", "Found Family"]
    assert [chip.text for chip in field.chips()] == field.values()
    assert len(changes) == 4

    field.chips()[0].edit_requested.emit()  # double-click: back into the entry to change
    assert field.line_edit.text() == "Angst"
    assert field.values() == ["Hurt/Comfort", "Slow Burn", "Found Family"]
    field.line_edit.setText("Angst with a Happy Ending")
    field.commit()
    assert field.values()[-1] == "Angst with a Happy Ending"


def test_list_field_without_separator_keeps_commas(qtbot):
    field = ListField("series", separator=None)
    qtbot.addWidget(field)
    qtbot.keyClicks(field.line_edit, "Sun, Moon and Stars #3")
    assert field.values() == []
    qtbot.keyClick(field.line_edit, Qt.Key.Key_Return)
    assert field.values() == ["Sun, Moon and Stars #3"]


def test_unknown_stored_values_are_shown_and_kept(qtbot, story, tmp_path):
    story.meta.rating = "PG-ish"
    story.meta.warnings = ["No Archive Warnings Apply", "Spiders"]
    before = copy.deepcopy(story.meta)
    panel = MetadataPanel()
    qtbot.addWidget(panel)
    with qtbot.assertNotEmitted(panel.edited):
        panel.set_project(story)
    rating = find(panel, QComboBox, "rating")
    assert rating.currentText() == "PG-ish (unknown)"
    assert story.meta == before
    warnings = find(panel, CheckList, "warnings")
    warnings.box("Underage Sex").setChecked(True)
    assert story.meta.warnings == ["No Archive Warnings Apply", "Underage Sex", "Spiders"]
    panel.set_project(Project.create(tmp_path / "plain", "Plain"))
    assert rating.findText("PG-ish (unknown)") < 0  # not carried over to another project


def test_only_chapters_count_against_archive_limits(qtbot, panel, story):
    _, one, _, scene, _ = nodes(story)
    panel.set_document(scene)
    find(panel, QPlainTextEdit, "doc_summary").setPlainText("s" * 1300)
    assert find(panel, QLabel, "doc_summary_counter").text() == "1,300 characters"
    assert not find(panel, QLabel, "doc_warnings").isVisible()
    panel.set_document(one)
    assert find(panel, QLabel, "doc_summary_counter").text() == "13 / 1,250"


def test_list_field_adds_typed_text_when_focus_leaves(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    field = ListField("fandoms", parent=holder)
    other = QLineEdit(holder)
    field.move(0, 0)
    other.move(0, 80)
    holder.show()
    qtbot.waitExposed(holder)
    holder.activateWindow()
    field.line_edit.setFocus()
    qtbot.waitUntil(field.line_edit.hasFocus, timeout=5000)
    qtbot.keyClicks(field.line_edit, "Saltmarsh Station")
    other.setFocus()
    qtbot.waitUntil(lambda: field.values() == ["Saltmarsh Station"], timeout=5000)
    assert field.line_edit.text() == ""


def test_refresh_shows_outside_changes_and_spares_the_field_being_typed(qtbot, panel, story):
    summary = find(panel, QPlainTextEdit, "summary")
    summary.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(summary, " Typed here.")
    assert summary.document().isUndoAvailable()
    story.set_field("fandoms", ["Lighthouse Keepers"], "add")
    story.set_field("title", ["Harbour Lights (revised)"])
    with qtbot.assertNotEmitted(panel.edited):
        panel.refresh()
    assert find(panel, ListField, "fandoms").values() == ["Saltmarsh Station", "Lighthouse Keepers"]
    assert find(panel, QLineEdit, "title").text() == "Harbour Lights (revised)"
    assert summary.document().isUndoAvailable()  # the summary was not reloaded
    assert story.meta.summary == "A keeper waits out a *storm*. Typed here."
