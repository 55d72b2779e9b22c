"""The Markdown editor: typing, emphasis toggles, one undo history per document, layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QKeyEvent
from PySide6.QtWidgets import QApplication, QFrame, QTextEdit

from writer.gui.editor import (
    DEFAULT_LINE_WIDTH,
    MarkdownEditor,
    create_document,
    document_text,
    highlighter_for,
)
from writer.gui.highlighter import MarkdownHighlighter


@pytest.fixture
def editor(qtbot):
    widget = MarkdownEditor()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def show(editor):
    """Put a fresh document holding ``text`` in the editor; documents live for the test."""
    kept = []

    def show_text(text: str):
        document = create_document(text)
        kept.append(document)
        editor.set_document(document)
        return document

    yield show_text
    editor.set_document(create_document(""))


def text_of(editor: MarkdownEditor) -> str:
    return document_text(editor.document())


def selected(editor: MarkdownEditor) -> str:
    return editor.textCursor().selectedText()


def type_text(qtbot, editor: MarkdownEditor, text: str) -> None:
    """Type line by line: keyClicks must never see a newline."""
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClicks(editor, line)


# ------------------------------------------------------------------ typing and documents


def test_typed_text_appears(qtbot, editor, show):
    show("")
    type_text(qtbot, editor, "The tide came in.\nGulls.")
    accent = QKeyEvent(
        QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, "é"
    )
    QApplication.sendEvent(editor, accent)
    assert text_of(editor) == "The tide came in.\nGulls.é"


def test_create_document_leaves_nothing_to_undo():
    document = create_document("# Chapter\n\nIt rained.")
    assert document.toPlainText() == "# Chapter\n\nIt rained."
    assert not document.isUndoAvailable()
    assert not document.isModified()
    assert isinstance(highlighter_for(document), MarkdownHighlighter)
    assert document.documentLayout().metaObject().className() == "QPlainTextDocumentLayout"


def test_document_text_keeps_non_breaking_spaces():
    document = create_document("Oui\u00a0! Non.\nLine two")
    assert document_text(document) == "Oui\u00a0! Non.\nLine two"


def test_each_document_keeps_its_own_undo_history(qtbot, editor):
    first, second = create_document("Alpha"), create_document("Beta")
    editor.set_document(first)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " one")
    editor.set_document(second)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " two")
    editor.set_document(first)
    assert editor.textCursor().position() == len("Alpha one")  # the cursor came back too
    editor.undo()
    assert first.toPlainText() == "Alpha"
    assert second.toPlainText() == "Beta two"
    assert not first.isUndoAvailable()


def test_switching_documents_applies_font_and_tab_stops(editor):
    font = QFont("DejaVu Sans Mono", 15)
    editor.set_editor_font(font)
    document = create_document("\tindented")
    editor.set_document(document)
    assert document.defaultFont().pointSize() == 15
    assert highlighter_for(document).font().pointSize() == 15
    space = QFontMetricsF(editor.font()).horizontalAdvance(" ")
    assert document.defaultTextOption().tabStopDistance() == pytest.approx(4 * space)


# ------------------------------------------------------------------ bold and italic


def test_bold_wraps_and_unwraps_selection_as_single_undo_steps(editor, show):
    show("the sea was calm")
    editor.select_range(4, 3)
    editor.toggle_bold()
    assert text_of(editor) == "the **sea** was calm"
    assert selected(editor) == "sea"
    editor.toggle_bold()
    assert text_of(editor) == "the sea was calm"
    assert selected(editor) == "sea"
    editor.undo()
    assert text_of(editor) == "the **sea** was calm"
    editor.undo()
    assert text_of(editor) == "the sea was calm"


def test_unwraps_when_the_selection_includes_the_markers(editor, show):
    show("the **sea** was calm")
    editor.select_range(4, 7)
    editor.toggle_bold()
    assert text_of(editor) == "the sea was calm"
    assert selected(editor) == "sea"


def test_italic_wraps_the_word_under_the_cursor_and_keeps_the_caret(editor, show):
    show("the sea was calm")
    editor.select_range(5, 0)  # s|ea
    editor.toggle_italic()
    assert text_of(editor) == "the *sea* was calm"
    assert editor.cursor_offset() == 6
    assert not editor.textCursor().hasSelection()
    editor.toggle_italic()
    assert text_of(editor) == "the sea was calm"
    assert editor.cursor_offset() == 5


def test_without_a_word_a_pair_is_typed_and_removed(qtbot, editor, show):
    show("end. ")
    editor.select_range(5, 0)
    editor.toggle_bold()
    assert text_of(editor) == "end. ****"
    assert editor.cursor_offset() == 7
    editor.toggle_bold()
    assert text_of(editor) == "end. "
    editor.toggle_italic()
    qtbot.keyClicks(editor, "so")
    assert text_of(editor) == "end. *so*"


def test_bold_and_italic_combine_and_separate(editor, show):
    show("a **sea** b")
    editor.select_range(4, 3)
    editor.toggle_italic()
    assert text_of(editor) == "a ***sea*** b"
    editor.toggle_bold()
    assert text_of(editor) == "a *sea* b"
    editor.toggle_bold()
    editor.toggle_italic()
    assert text_of(editor) == "a **sea** b"


def test_selection_across_paragraphs_wraps_each_and_trims_blanks(editor, show):
    show("one \n\n two")
    editor.selectAll()
    editor.toggle_italic()
    assert text_of(editor) == "*one* \n\n *two*"
    assert selected(editor) == "*one* \u2029\u2029 *two*"
    editor.toggle_italic()
    assert text_of(editor) == "one \n\n two"
    editor.undo()
    editor.undo()
    assert text_of(editor) == "one \n\n two"
    assert not editor.document().isUndoAvailable()


def test_emphasis_after_an_emoji(editor, show):
    show("\U0001f30a wave here")
    editor.select_range(2, 4)
    assert selected(editor) == "wave"
    editor.toggle_bold()
    assert text_of(editor) == "\U0001f30a **wave** here"


def test_read_only_editor_is_not_changed(editor, show):
    show("calm")
    editor.setReadOnly(True)
    editor.selectAll()
    editor.toggle_bold()
    assert text_of(editor) == "calm"


def test_ctrl_b_shortcut_and_actions(qtbot, editor, show):
    show("storm")
    editor.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=5000)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert text_of(editor) == "**storm**"
    editor.italic_action.trigger()
    assert text_of(editor) == "***storm***"
    assert editor.bold_action.shortcut().toString() == "Ctrl+B"
    assert editor.italic_action.shortcut().toString() == "Ctrl+I"


# ------------------------------------------------------------------ positions


def test_select_range_selects_exact_text_and_reports_offsets(editor, show):
    text = "\U0001f600 first line\nsecond *line* with the hit\nthird"
    show(text)
    start = text.index("the hit")
    editor.select_range(start, len("the hit"))
    assert selected(editor) == "the hit"
    assert editor.cursor_offset() == start + len("the hit")
    editor.select_range(len(text) - 2, 50)  # clamped to the end
    assert selected(editor) == "rd"


def test_visible_block_range_follows_scrolling(editor, show):
    show("\n".join(f"line {i}" for i in range(300)))
    first, last = editor.visible_block_range()
    assert first == 0
    assert 5 < last < 299
    editor.select_range(len(document_text(editor.document())), 0)
    editor.ensureCursorVisible()
    first, last = editor.visible_block_range()
    assert first > 0
    assert last == 299


# ------------------------------------------------------------------ layout


def test_line_width_keeps_a_centred_column(qtbot, editor, show):
    show("text")
    assert editor.line_width() == DEFAULT_LINE_WIDTH
    editor.set_line_width(40)
    margins = editor.viewportMargins()
    assert margins.left() > 0
    assert abs(margins.left() - margins.right()) <= 1
    average = QFontMetricsF(editor.font()).averageCharWidth()
    assert editor.viewport().width() == pytest.approx(40 * average, abs=average + 12)
    narrow = margins.left()
    editor.resize(1400, 600)
    qtbot.waitUntil(lambda: editor.viewportMargins().left() > narrow, timeout=5000)
    editor.set_line_width(None)
    assert editor.viewportMargins().left() == 0
    assert editor.viewportMargins().right() == 0


def test_defaults_wrap_words_without_horizontal_scrolling(editor):
    assert editor.lineWrapMode() == editor.LineWrapMode.WidgetWidth
    assert editor.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert editor.font().pointSize() == 12
    space = QFontMetricsF(editor.font()).horizontalAdvance(" ")
    assert editor.tabStopDistance() == pytest.approx(4 * space)


def test_focus_mode_changes_only_the_editor_look(editor, show):
    show("text")
    editor.set_line_width(None)
    editor.set_focus_mode(True)
    assert editor.is_focus_mode()
    assert editor.frameShape() == QFrame.Shape.NoFrame
    margins = editor.viewportMargins()
    assert margins.left() > 0
    assert margins.top() > 0
    editor.set_focus_mode(False)
    assert editor.viewportMargins().left() == 0
    assert editor.viewportMargins().top() == 0
    assert editor.frameShape() != QFrame.Shape.NoFrame


def test_extra_selections_are_kept_per_feature(editor, show):
    show("alpha beta")
    cursor = editor.textCursor()
    cursor.select(cursor.SelectionType.Document)
    one = QTextEdit.ExtraSelection()
    one.cursor = cursor
    editor.set_extra_selections_for("a", [one])
    editor.set_extra_selections_for("b", [one, one])
    assert len(editor.extraSelections()) == 3
    editor.set_extra_selections_for("b", [])
    assert len(editor.extraSelections()) == 1
