"""Preferences: every setting applies live from the dialog, persists, and Cancel undoes it.

The dialog is never ``exec()``-ed (a modal dialog waits forever offscreen): tests change
its widgets and call ``accept``/``reject`` the way its buttons do.
"""

from __future__ import annotations

import gc
import sys
import types

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QFont, QFontInfo, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QInputDialog, QLineEdit

from writer.core.paths import default_library_dir
from writer.gui.editor import DEFAULT_LINE_WIDTH, highlighter_for
from writer.gui.settings import KEYS, Settings, settings_path
from writer.gui.settings_dialog import (
    PreferencesDialog,
    ShortcutsDialog,
    install_settings,
    shortcut_rows,
)
from writer.gui.themes import (
    THEMES,
    SpacedTextLayout,
    apply_theme,
    contrast_ratio,
    line_spacing_of,
    theme_palette,
)
from writer.gui.window_state import window_settings

Role = QPalette.ColorRole


@pytest.fixture(autouse=True)
def system_theme_after(qapp):
    """Themes change the whole application: give the next test the platform's look."""
    yield
    apply_theme(qapp, "system")


@pytest.fixture
def window(qtbot, make_window, story_library):
    win = make_window(story_library)
    win.show()
    qtbot.waitExposed(win)
    win.search_start.stop()  # no background indexing: these tests never search
    win.settings = install_settings(win)
    return win


@pytest.fixture
def dialog(qtbot, window):
    made = PreferencesDialog(window.settings, window)
    qtbot.addWidget(made)
    return made


def fresh() -> Settings:
    """What the next start would read."""
    settings = Settings()
    settings.load()
    return settings


def wait_for_base(qtbot, window, colour: str) -> None:
    """Qt hands a new application palette to the widgets through posted events: wait
    until the window, the editor and the preview all have the application's."""
    roles = (Role.Base, Role.Text, Role.Link, Role.Highlight, Role.Window)

    def arrived() -> bool:
        wanted = QApplication.instance().palette()
        return wanted.color(Role.Base).name() == colour and all(
            widget.palette().color(role) == wanted.color(role)
            for widget in (window, window.editor, window.preview)
            for role in roles
        )

    qtbot.waitUntil(arrived, timeout=5000)


def base_colour(name: str) -> str:
    palette = theme_palette(name)
    assert palette is not None
    return palette.color(Role.Base).name()


# ------------------------------------------------------------------ the model


def test_defaults_when_nothing_is_stored(writer_home):
    settings = fresh()
    assert settings.theme == "system"
    assert settings.line_spacing == 100
    assert settings.line_width == DEFAULT_LINE_WIDTH
    assert settings.autosave_ms == 1500
    assert settings.snapshot_keep > 0
    assert settings.snapshot_max_age_days == 90
    assert settings.snapshot_folder == ""
    assert settings.preview_stylesheet == settings.spell_language == ""
    assert settings.library_folder == ""
    assert settings.library_path() == default_library_dir()
    assert isinstance(settings.editor_font, QFont)
    assert set(settings.values()) == set(KEYS)
    assert settings_path() == writer_home / "config" / "settings.ini"


def test_set_writes_at_once_and_announces_only_changes(qtbot):
    settings = fresh()
    with qtbot.waitSignal(settings.changed, timeout=1000) as signal:
        settings.line_width = 66
    assert signal.args == ["line_width"]
    assert fresh().line_width == 66
    seen: list[str] = []
    settings.changed.connect(seen.append)
    assert settings.set("line_width", 66) is False
    assert seen == []
    with pytest.raises(KeyError):
        settings.set("no_such_setting", 1)


def test_bad_values_in_the_file_are_cleaned_up():
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "[General]\ntheme=purple\nline_spacing=900\nline_width=-5\nautosave_ms=abc\n"
        "snapshot_keep=0\nsnapshot_max_age_days=99999\nsnapshot_folder=\neditor_font=\n",
        encoding="utf-8",
    )
    settings = fresh()
    assert settings.theme == "system"
    assert settings.line_spacing == 250
    assert settings.line_width is None  # 0 or less: the full width
    assert settings.autosave_ms == 1500
    assert settings.snapshot_keep == 1
    assert settings.snapshot_max_age_days == 3650
    assert settings.snapshot_folder == ""
    assert settings.editor_font.toString() == settings.default("editor_font").toString()


def test_font_and_line_width_move_over_from_window_ini():
    old = window_settings()
    font = QFont("DejaVu Sans Mono", 15)
    old.setValue("editor_font", font.toString())
    old.setValue("line_width", 64)
    old.setValue("geometry", b"kept")
    old.sync()
    settings = fresh()
    assert settings.editor_font.family() == "DejaVu Sans Mono"
    assert settings.editor_font.pointSize() == 15
    assert settings.line_width == 64
    left = window_settings()
    assert not left.contains("editor_font") and not left.contains("line_width")
    assert left.contains("geometry")
    stored = QSettings(str(settings_path()), QSettings.Format.IniFormat)
    assert int(stored.value("line_width")) == 64


def test_migration_never_overrides_a_setting_already_made():
    settings = fresh()
    settings.line_width = 90
    old = window_settings()
    old.setValue("line_width", 40)
    old.sync()
    assert fresh().line_width == 90
    assert not window_settings().contains("line_width")


def test_the_window_starts_with_the_saved_settings(qtbot, make_window, story_library):
    settings = fresh()
    settings.editor_font = QFont("DejaVu Sans", 17)
    settings.line_width = 0
    settings.autosave_ms = 4000
    settings.theme = "dark"
    window = make_window(story_library)
    install_settings(window)
    assert window.editor.font().family() == "DejaVu Sans"
    assert window.editor.font().pointSize() == 17
    assert window.editor.line_width() is None
    assert window.documents.autosave.interval() == 4000
    wait_for_base(qtbot, window, base_colour("dark"))


# ------------------------------------------------------------------ themes


@pytest.mark.parametrize("name", ["light", "dark", "sepia"])
def test_themes_are_readable(name):
    palette = theme_palette(name)
    assert palette is not None
    for fg, bg in [
        (Role.Text, Role.Base),
        (Role.Text, Role.AlternateBase),
        (Role.WindowText, Role.Window),
        (Role.ButtonText, Role.Button),
        (Role.HighlightedText, Role.Highlight),
        (Role.Link, Role.Base),
        (Role.PlaceholderText, Role.Base),
        (Role.ToolTipText, Role.ToolTipBase),
        (Role.Text, Role.Mid),  # the preview's spoiler box: text on Mid
    ]:
        ratio = contrast_ratio(palette.color(fg), palette.color(bg))
        assert ratio >= 4.5, (name, fg, bg, ratio)
    disabled = palette.color(QPalette.ColorGroup.Disabled, Role.Text)
    assert 1.8 < contrast_ratio(disabled, palette.color(Role.Base)) < 4.5  # dimmed, visible


def test_contrast_ratio_matches_wcag():
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#777777")) == pytest.approx(1.0)


@pytest.mark.parametrize("name", ["light", "dark", "sepia"])
def test_theme_applies_live_to_window_preview_and_highlighting(qtbot, window, dialog, name):
    expected = theme_palette(name)
    dialog.theme.setCurrentIndex(dialog.theme.findData(name))
    base = expected.color(Role.Base).name()
    text = expected.color(Role.Text).name()
    assert QApplication.instance().palette().color(Role.Base).name() == base
    wait_for_base(qtbot, window, base)
    assert window.editor.palette().color(Role.Base).name() == base
    sheet = window.preview.document().defaultStyleSheet()
    assert base in sheet and text in sheet
    highlighter = highlighter_for(window.editor.document())
    assert highlighter.palette().color(Role.Text).name() == text
    # The preview renders again in the new colours (links carry theirs into the HTML).
    link = expected.color(Role.Link).name()
    qtbot.waitUntil(lambda: link in window.preview.document().toHtml(), timeout=5000)
    assert fresh().theme == name


def test_sepia_is_cream_paper_and_brown_ink(qtbot, window, dialog):
    dialog.theme.setCurrentIndex(dialog.theme.findData("sepia"))
    wait_for_base(qtbot, window, base_colour("sepia"))
    palette = window.palette()
    base, text = palette.color(Role.Base), palette.color(Role.Text)
    assert base.red() > base.green() > base.blue() and base.lightness() > 220
    assert text.red() > text.blue() and text.lightness() < 70


def test_system_theme_gives_the_original_palette_back(qtbot, window, dialog):
    before = QApplication.instance().palette().color(Role.Base).name()
    style = QApplication.instance().style().name()
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    wait_for_base(qtbot, window, base_colour("dark"))
    dialog.theme.setCurrentIndex(dialog.theme.findData("system"))
    wait_for_base(qtbot, window, before)
    assert before in window.preview.document().defaultStyleSheet()
    assert QApplication.instance().style().name() == style
    assert fresh().theme == "system"


def test_theme_combo_offers_every_theme(dialog):
    names = [dialog.theme.itemData(i) for i in range(dialog.theme.count())]
    assert names == list(THEMES)


# ------------------------------------------------------------------ typography


def test_font_family_and_size_apply_live_and_persist(window, dialog):
    dialog.font_family.setCurrentFont(QFont("DejaVu Sans Mono"))
    assert window.editor.font().family() == "DejaVu Sans Mono"
    assert QFontInfo(window.editor.font()).family() == "DejaVu Sans Mono"
    assert window.editor.document().defaultFont().family() == "DejaVu Sans Mono"
    dialog.font_size.setValue(19)
    assert window.editor.font().pointSize() == 19
    assert window.editor.font().family() == "DejaVu Sans Mono"
    saved = fresh().editor_font
    assert (saved.family(), saved.pointSize()) == ("DejaVu Sans Mono", 19)
    assert not window_settings().contains("editor_font")


def test_size_alone_keeps_the_fallback_families(window, dialog):
    families = window.settings.editor_font.families()
    dialog.font_size.setValue(14)
    assert window.editor.font().families() == families
    assert window.editor.font().pointSize() == 14


def test_line_width_applies_live_and_persists(window, dialog):
    editor = window.editor
    dialog.line_width.setValue(30)
    wide = editor.viewportMargins().left()
    dialog.line_width.setValue(20)
    assert editor.line_width() == 20
    narrow = editor.viewportMargins().left()
    assert narrow > wide > 0
    assert fresh().line_width == 20
    dialog.line_width.setValue(0)
    assert editor.line_width() is None
    assert editor.viewportMargins().left() == 0
    assert fresh().line_width is None
    assert dialog.line_width.text() == "Full width"


def test_line_spacing_applies_live_and_persists(qtbot, window, dialog):
    editor = window.editor
    document = editor.document()
    cursor = editor.textCursor()
    cursor.setPosition(20)
    editor.setTextCursor(cursor)
    block = document.firstBlock()
    single = editor.blockBoundingRect(block).height()
    lines = block.layout().lineCount()
    dialog.line_spacing.setValue(150)
    assert line_spacing_of(document) == 150
    assert editor.document() is document
    spaced = editor.blockBoundingRect(block).height()
    assert spaced == pytest.approx(single * 1.5, abs=lines + 1)
    assert block.layout().lineAt(0).y() > 0  # the text sits in the middle of its line
    assert editor.textCursor().position() == 20
    assert not document.isModified() and not document.isUndoAvailable()
    assert fresh().line_spacing == 150
    dialog.line_spacing.setValue(100)
    assert editor.blockBoundingRect(block).height() == pytest.approx(single, abs=1)
    assert fresh().line_spacing == 100


def test_line_spacing_follows_the_editor_to_other_documents(qtbot, window, dialog):
    dialog.line_spacing.setValue(200)
    first = window.editor.document()
    chapter = next(n for n in window.project.tree.walk() if n.title == "Flood")
    window.library_panel.select(window.project, chapter.id)
    qtbot.waitUntil(lambda: window.editor.document() is not first, timeout=5000)
    assert window.node.id == chapter.id
    assert line_spacing_of(window.editor.document()) == 200
    assert "Water rose" in window.editor.toPlainText()


def test_spaced_layout_keeps_editing_and_clicking_right(qtbot, window, dialog):
    dialog.line_spacing.setValue(180)
    gc.collect()  # the layout's Python half must stay alive with its document
    editor = window.editor
    assert isinstance(editor.document().documentLayout(), SpacedTextLayout)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " Gulls")
    assert editor.toPlainText().endswith("Gulls")
    block = editor.document().findBlockByNumber(2)
    rect = editor.blockBoundingGeometry(block).translated(editor.contentOffset())
    line = block.layout().lineAt(0)
    point = rect.topLeft().toPoint()
    point.setX(int(line.x() + 2))
    point.setY(int(rect.top() + line.y() + line.height() / 2))
    assert editor.cursorForPosition(point).blockNumber() == 2


# ------------------------------------------------------------------ saving and snapshots


def test_autosave_delay_applies_live_and_persists(window, dialog):
    dialog.autosave.setValue(4.5)
    assert window.documents.autosave.interval() == 4500
    assert fresh().autosave_ms == 4500


def test_snapshot_count_is_stored_and_announced(qtbot, window, dialog):
    with qtbot.waitSignal(window.settings.changed, timeout=1000) as signal:
        dialog.snapshot_keep.setValue(7)
    assert signal.args == ["snapshot_keep"]
    assert window.settings.snapshot_keep == 7
    assert fresh().snapshot_keep == 7


def test_snapshot_age_is_stored_and_announced(qtbot, window, dialog):
    assert dialog.snapshot_max_age.value() == 90
    with qtbot.waitSignal(window.settings.changed, timeout=1000) as signal:
        dialog.snapshot_max_age.setValue(30)
    assert signal.args == ["snapshot_max_age_days"]
    assert window.settings.snapshot_max_age_days == 30
    assert window.backups.snapshot_options()["max_age_days"] == 30
    dialog.snapshot_max_age.setValue(0)
    assert dialog.snapshot_max_age.text() == "Forever"
    assert fresh().snapshot_max_age_days == 0
    window.settings.snapshot_max_age_days = -4  # clamped, and shown in the dialog
    assert window.settings.snapshot_max_age_days == 0
    window.settings.snapshot_max_age_days = 12
    assert dialog.snapshot_max_age.value() == 12


def test_snapshot_folder_is_stored_and_applies_live(qtbot, window, dialog, tmp_path, monkeypatch):
    target = tmp_path / "other disk"
    target.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(target))
    assert dialog.snapshot_folder.placeholderText() == "the app's data folder"
    assert window.backups.snapshot_options()["folder"] is None
    with qtbot.waitSignal(window.settings.changed, timeout=1000) as signal:
        dialog.snapshot_folder_browse.click()
    assert signal.args == ["snapshot_folder"]
    assert window.settings.snapshot_folder == str(target)
    assert window.backups.snapshot_options()["folder"] == target
    assert fresh().snapshot_folder == str(target)
    dialog.snapshot_folder.setText("")
    assert fresh().snapshot_folder == ""
    assert window.backups.snapshot_options()["folder"] is None


# ------------------------------------------------------------------ preview stylesheet


def test_user_stylesheet_is_added_after_the_book_style(qtbot, window, dialog, tmp_path):
    css = tmp_path / "mine.css"
    css.write_text("p { color: #123456; }\nh1 { color: @link@; }\n", encoding="utf-8")
    controller = window.preview_controller
    with qtbot.waitSignal(controller.rendered, timeout=5000):
        dialog.stylesheet.setText(str(css))
    sheet = window.preview.document().defaultStyleSheet()
    assert "text-indent: 24px" in sheet  # the built-in book style is still there
    assert sheet.index("#123456") > sheet.index("text-indent: 24px")
    link = window.palette().color(Role.Link).name()
    assert f"h1 {{ color: {link}; }}" in sheet
    assert fresh().preview_stylesheet == str(css)
    # It survives a theme change, in the new theme's colours.
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    wait_for_base(qtbot, window, base_colour("dark"))
    sheet = window.preview.document().defaultStyleSheet()
    assert "#123456" in sheet and base_colour("dark") in sheet
    dark_link = theme_palette("dark").color(Role.Link).name()
    assert f"h1 {{ color: {dark_link}; }}" in sheet
    with qtbot.waitSignal(controller.rendered, timeout=5000):
        dialog.stylesheet_builtin.click()
    assert "#123456" not in window.preview.document().defaultStyleSheet()
    assert fresh().preview_stylesheet == ""


def test_stylesheet_browse_and_unreadable_file(qtbot, window, dialog, tmp_path, monkeypatch):
    css = tmp_path / "picked.css"
    css.write_text("p { color: #654321; }", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(css), ""))
    dialog.browse_stylesheet()
    assert dialog.stylesheet.text() == str(css)
    assert "#654321" in window.preview.document().defaultStyleSheet()
    dialog.stylesheet.setText(str(tmp_path / "missing.css"))
    assert "#654321" not in window.preview.document().defaultStyleSheet()
    assert "could not be read" in window.statusBar().currentMessage()


# ------------------------------------------------------------------ spelling and library


@pytest.mark.parametrize("spelling", [None, "no dictionaries"])
def test_spell_language_as_free_text_without_a_spell_checker(qtbot, window, monkeypatch, spelling):
    if spelling is None:
        monkeypatch.setitem(sys.modules, "writer.core.spelling", None)  # import fails
    else:
        fake = types.ModuleType("writer.core.spelling")
        fake.available_languages = lambda: []
        monkeypatch.setitem(sys.modules, "writer.core.spelling", fake)
    dialog = PreferencesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    assert isinstance(dialog.spell_language, QLineEdit)
    with qtbot.waitSignal(window.settings.changed, timeout=1000) as signal:
        dialog.spell_language.setText("en-GB")
    assert signal.args == ["spell_language"]
    assert fresh().spell_language == "en-GB"


def test_spell_language_from_the_spell_checkers_list(qtbot, window, monkeypatch):
    fake = types.ModuleType("writer.core.spelling")
    fake.available_languages = lambda: ["en-GB", ("fr-FR", "French (France)")]
    monkeypatch.setitem(sys.modules, "writer.core.spelling", fake)
    window.settings.spell_language = "de_DE"  # chosen on another machine
    dialog = PreferencesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    combo = dialog.spell_language
    assert isinstance(combo, QComboBox)
    assert combo.currentData() == "de_DE"
    assert [combo.itemData(i) for i in range(combo.count())] == ["", "en-GB", "fr-FR", "de_DE"]
    assert "English" in combo.itemText(1) and "en-GB" in combo.itemText(1)
    assert combo.itemText(2) == "French (France)"
    combo.setCurrentIndex(combo.findData("fr-FR"))
    assert fresh().spell_language == "fr-FR"
    combo.setCurrentIndex(0)
    assert fresh().spell_language == ""


def test_library_folder_is_stored_for_the_next_start(qtbot, window, dialog, tmp_path, monkeypatch):
    target = tmp_path / "elsewhere"
    target.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(target))
    assert "next time" in dialog.library_note.text()
    assert dialog.library.placeholderText() == str(default_library_dir())
    assert dialog.library_open.isHidden()  # the window has no open_library
    dialog.library_browse.click()
    assert window.settings.library_folder == str(target)
    assert fresh().library_path() == target
    assert window.library.path != target  # unchanged until the next start


def test_library_can_be_opened_at_once_when_the_window_can(qtbot, window, tmp_path):
    opened = []
    dialog = PreferencesDialog(window.settings, window, open_library=opened.append)
    qtbot.addWidget(dialog)
    assert not dialog.library_open.isHidden()
    assert not dialog.library_open.isEnabled()
    dialog.library.setText(str(tmp_path))
    assert dialog.library_open.isEnabled()
    dialog.library_open.click()
    assert opened == [tmp_path]
    dialog.reject()
    assert fresh().library_folder == str(tmp_path)  # opened: Cancel no longer undoes it


# ------------------------------------------------------------------ cancel, OK, defaults


def change_everything(dialog, tmp_path):
    css = tmp_path / "c.css"
    css.write_text("p { color: #abcdef; }", encoding="utf-8")
    dialog.theme.setCurrentIndex(dialog.theme.findData("sepia"))
    dialog.font_family.setCurrentFont(QFont("DejaVu Sans"))
    dialog.font_size.setValue(21)
    dialog.line_spacing.setValue(170)
    dialog.line_width.setValue(44)
    dialog.autosave.setValue(9)
    dialog.snapshot_keep.setValue(3)
    dialog.snapshot_max_age.setValue(14)
    dialog.snapshot_folder.setText(str(tmp_path / "snaps"))
    dialog.stylesheet.setText(str(css))
    if isinstance(dialog.spell_language, QLineEdit):
        dialog.spell_language.setText("fr_FR")
    else:
        dialog.spell_language.setCurrentIndex(dialog.spell_language.count() - 1)
    dialog.library.setText(str(tmp_path))


def test_cancel_puts_every_old_value_back(qtbot, window, dialog, tmp_path):
    before = window.settings.values()
    font = QFont(window.editor.font())
    base = window.palette().color(Role.Base).name()
    change_everything(dialog, tmp_path)
    assert window.settings.line_width == 44 and window.editor.line_width() == 44
    wait_for_base(qtbot, window, base_colour("sepia"))
    dialog.reject()
    wait_for_base(qtbot, window, base)
    after = window.settings.values()
    assert {k: v for k, v in after.items() if k != "editor_font"} == {
        k: v for k, v in before.items() if k != "editor_font"
    }
    assert after["editor_font"].toString() == before["editor_font"].toString()
    assert window.editor.font() == font
    assert window.editor.line_width() == before["line_width"]
    assert line_spacing_of(window.editor.document()) == before["line_spacing"]
    assert window.documents.autosave.interval() == before["autosave_ms"]
    assert "#abcdef" not in window.preview.document().defaultStyleSheet()
    assert fresh().values()["line_width"] == before["line_width"]
    assert fresh().theme == before["theme"]


def test_ok_keeps_the_new_values(qtbot, window, dialog, tmp_path):
    change_everything(dialog, tmp_path)
    dialog.accept()
    saved = fresh()
    assert saved.theme == "sepia"
    assert saved.editor_font.pointSize() == 21
    assert (saved.line_spacing, saved.line_width, saved.autosave_ms) == (170, 44, 9000)
    assert saved.snapshot_keep == 3
    assert saved.snapshot_max_age_days == 14
    assert saved.snapshot_folder == str(tmp_path / "snaps")
    wait_for_base(qtbot, window, base_colour("sepia"))


def test_restore_defaults_applies_live_and_cancel_still_undoes_it(qtbot, window):
    window.settings.line_width = 40
    window.settings.autosave_ms = 7000
    dialog = PreferencesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.buttons.button(dialog.buttons.StandardButton.RestoreDefaults).click()
    assert window.settings.line_width == DEFAULT_LINE_WIDTH
    assert dialog.line_width.value() == DEFAULT_LINE_WIDTH
    assert window.documents.autosave.interval() == 1500
    assert dialog.autosave.value() == 1.5
    dialog.reject()
    assert window.settings.line_width == 40 and window.editor.line_width() == 40
    assert window.documents.autosave.interval() == 7000


def test_typing_a_folder_name_keeps_its_spaces(window, dialog):
    dialog.library.setText("/tmp/My ")
    assert dialog.library.text() == "/tmp/My "
    dialog.library.setText("/tmp/My Novels")
    assert window.settings.library_folder == "/tmp/My Novels"


# ------------------------------------------------------------------ menus


def test_preferences_is_in_the_edit_menu(window, monkeypatch):
    shown = []
    monkeypatch.setattr(PreferencesDialog, "exec", lambda self: shown.append(self) or 0)
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    action = next(a for a in edit.actions() if a.text() == "&Preferences…")
    assert not action.shortcut().isEmpty()
    assert window.actions_by_name["preferences"] is action
    action.trigger()
    assert len(shown) == 1 and shown[0].settings is window.settings


def test_view_menu_font_and_width_go_through_the_settings(window, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getInt", lambda *_a, **_k: (58, True))
    window.actions_by_name["line_width"].trigger()
    assert window.settings.line_width == 58
    assert window.editor.line_width() == 58
    assert fresh().line_width == 58
    assert not window_settings().contains("line_width")


def test_shortcuts_dialog_lists_every_menu_shortcut_by_menu(qtbot, window):
    rows = shortcut_rows(window.menuBar())
    assert ("File", "Save", rows_keys(rows, "Save")) in rows
    assert any(menu == "Edit" and command == "Preferences…" for menu, command, _ in rows)
    assert any(command == "Bold" for _, command, _ in rows)
    menus = [menu for menu, _, _ in rows]
    assert menus == sorted(menus, key=menus.index)  # each menu's rows stay together
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.columnCount() == 2
    assert table.rowCount() == len(rows) + len(set(menus))
    assert table.item(0, 0).text() == "File" and table.columnSpan(0, 0) == 2
    headings = {table.item(row, 0).text(): row for row in dialog._groups}
    dialog.filter.setText("ctrl+b")
    assert dialog.visible_commands() == ["Bold"]
    assert not table.isRowHidden(headings["Edit"])
    assert table.isRowHidden(headings["File"])
    dialog.filter.setText("")
    assert len(dialog.visible_commands()) == len(rows)


def rows_keys(rows, command):
    return next(keys for _, name, keys in rows if name == command)
