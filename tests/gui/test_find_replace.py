"""The find and replace bar: stepping with wrap-around, options, regex groups, bad
patterns, Replace All as one undo step, and the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from writer.gui.editor import MarkdownEditor, create_document, document_text
from writer.gui.find_replace import FindReplaceBar

TEXT = "The cat sat. the Cat ran.\nA concatenated cat."


@pytest.fixture
def setup(qtbot):
    """An editor with the bar under it, in one shown window."""
    window = QWidget()
    editor = MarkdownEditor()
    bar = FindReplaceBar(editor)
    layout = QVBoxLayout(window)
    layout.addWidget(editor)
    layout.addWidget(bar)
    bar.hide()
    qtbot.addWidget(window)
    window.resize(900, 500)
    window.show()
    qtbot.waitExposed(window)
    documents = [create_document(TEXT)]
    editor.set_document(documents[0])
    editor.documents = documents  # keep them alive for the test
    yield editor, bar
    window.close()


def search(bar: FindReplaceBar, query: str, *, case=False, word=False, regex=False) -> None:
    bar.case_box.setChecked(case)
    bar.word_box.setChecked(word)
    bar.regex_box.setChecked(regex)
    bar.find_field.setText(query)


def selection(editor: MarkdownEditor) -> tuple[int, str]:
    cursor = editor.textCursor()
    return cursor.selectionStart(), cursor.selectedText()


def test_next_and_previous_wrap_around(setup):
    editor, bar = setup
    bar.show_find()
    search(bar, "cat")
    assert bar.match_count() == 4
    assert selection(editor) == (4, "cat")  # search as you type selects the first
    assert bar.status_label.text() == "1 of 4"
    starts = [selection(editor)[0]]
    for _ in range(4):
        assert bar.find_next()
        starts.append(selection(editor)[0])
    assert starts == [4, 17, 31, 41, 4]
    assert bar.status_label.text() == "1 of 4 (wrapped)"
    bar.find_previous()
    assert selection(editor)[0] == 41
    assert bar.status_label.text() == "4 of 4 (wrapped)"
    bar.find_previous()
    assert bar.status_label.text() == "3 of 4"


def test_match_case_and_whole_word(setup):
    editor, bar = setup
    bar.show_find()
    search(bar, "cat", case=True)
    assert bar.match_count() == 3
    search(bar, "cat", case=True, word=True)
    assert bar.match_count() == 2
    search(bar, "cat", word=True)
    assert bar.match_count() == 3
    search(bar, "the", case=True)
    assert selection(editor) == (13, "the")


def test_plain_search_is_literal(setup):
    editor, bar = setup
    bar.show_replace()
    search(bar, "t.")
    assert bar.match_count() == 2  # "sat." and "cat.", not every "t" and a letter
    bar.replace_field.setText(r"t\1!")
    assert bar.replace_all() == 2
    expected = "The cat sat\\1! the Cat ran.\nA concatenated cat\\1!"
    assert document_text(editor.document()) == expected


def test_regex_replace_all_with_groups_is_one_undo_step(setup):
    editor, bar = setup
    bar.show_replace()
    search(bar, r"(\w+) (cat)", regex=True)
    bar.replace_field.setText(r"\2 \1")
    assert bar.replace_all() == 3
    assert document_text(editor.document()) == "cat The sat. Cat the ran.\nA cat concatenated."
    assert bar.status_label.text() == "Replaced 3"
    editor.undo()
    assert document_text(editor.document()) == TEXT


def test_invalid_regex_shows_a_message_and_never_raises(setup):
    editor, bar = setup
    bar.show_replace()
    search(bar, "(cat", regex=True)
    assert bar.status_label.text().startswith("Invalid regular expression:")
    assert not bar.find_next()
    assert not bar.find_previous()
    assert bar.replace_all() == 0
    assert not bar.replace()
    search(bar, "(cat)", regex=True)
    bar.replace_field.setText(r"\9")
    assert bar.replace_all() == 0
    assert bar.status_label.text().startswith("Invalid replacement:")
    assert document_text(editor.document()) == TEXT


def test_replace_replaces_the_current_match_and_moves_on(setup):
    editor, bar = setup
    bar.show_replace()
    search(bar, "cat", word=True)
    bar.replace_field.setText("dog")
    assert bar.replace()
    assert document_text(editor.document()).startswith("The dog sat. the Cat")
    assert selection(editor) == (17, "Cat")
    bar.replace()
    bar.replace()
    assert document_text(editor.document()) == "The dog sat. the dog ran.\nA concatenated dog."
    assert bar.status_label.text() == "No matches"


def test_no_matches_and_empty_query(setup):
    editor, bar = setup
    bar.show_find()
    search(bar, "walrus")
    assert not bar.find_next()
    assert bar.status_label.text() == "No matches"
    search(bar, "")
    assert bar.status_label.text() == ""
    search(bar, "x*", regex=True)  # only empty matches: nothing to select
    assert bar.match_count() == 0


def test_keyboard_enter_shift_enter_and_escape(qtbot, setup):
    editor, bar = setup
    bar.show_find()
    search(bar, "cat")
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    assert selection(editor)[0] == 17
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert selection(editor)[0] == 4
    bar.activateWindow()
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    qtbot.waitUntil(editor.hasFocus, timeout=5000)
    assert editor.extraSelections() == []


def test_escape_in_the_editor_hides_the_bar(qtbot, setup):
    editor, bar = setup
    bar.show_find()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_show_find_and_show_replace(setup):
    editor, bar = setup
    editor.select_range(TEXT.index("concatenated"), len("concatenated"))
    bar.show_replace()
    assert bar.isVisible() and bar.replace_row.isVisible()
    assert bar.find_field.text() == "concatenated"
    assert bar.status_label.text() == "1 of 1"
    bar.show_find()
    assert not bar.replace_row.isVisible()
    assert bar.find_action.shortcut().toString() == "Ctrl+F"
    assert bar.replace_action.shortcut().toString() == "Ctrl+H"


def test_all_matches_are_highlighted_and_follow_edits(qtbot, setup):
    editor, bar = setup
    bar.show_find()
    search(bar, "cat")
    assert len(editor.extraSelections()) == 4
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " cat")
    qtbot.waitUntil(lambda: len(editor.extraSelections()) == 5, timeout=5000)
    assert bar.status_label.text() == "5 matches"


def test_the_bar_follows_a_document_switch(setup):
    editor, bar = setup
    bar.show_find()
    search(bar, "cat")
    other = create_document("no felines\n\U0001f408 cat here")
    editor.documents.append(other)
    editor.set_document(other)
    assert bar.match_count() == 1
    assert bar.find_next()
    assert editor.textCursor().selectedText() == "cat"  # found past the emoji
    bar.show_replace()
    bar.replace_field.setText("dog")
    assert bar.replace_all() == 1
    assert document_text(other) == "no felines\n\U0001f408 dog here"
    assert document_text(editor.documents[0]) == TEXT


def test_shortcuts_can_be_installed_on_the_editor(qtbot):
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    bar = FindReplaceBar(editor, install_shortcuts=True)
    qtbot.addWidget(bar)
    assert bar.find_action in editor.actions()
    assert bar.replace_action in editor.actions()
