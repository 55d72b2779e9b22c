"""Edit > Preferences, Help > Keyboard Shortcuts, and wiring the settings into a window.

Everything in the preferences dialog applies while the dialog is open: each widget
writes its setting (``Settings.set``), the setting announces the change and
:func:`install_settings` applies it to the window. Cancel puts back every value the
dialog found when it opened; OK keeps them. The one setting that waits for the next
start is the library folder (unless the window offers ``open_library``).

The window attributes :func:`install_settings` uses, and nothing else:

=============================  ==========================================================
``window.menuBar()``            the menu titled "&Edit" gets "Preferences…" at its end
``window.editor``               ``set_editor_font(QFont)``, ``set_line_width(int|None)``,
                                ``document_changed`` (signal) and the ``QPlainTextEdit``
                                API (line spacing is applied to its shown document)
``window.documents.autosave``   the autosave ``QTimer`` (``setInterval``)
``window.preview``              the ``PreviewPane`` (its default stylesheet)
``window._render``              optional: ``_render(now=True)`` re-renders the preview
``window.statusBar()``          a message when the user stylesheet cannot be read
``window.actions_by_name``      optional: ``"font"`` and ``"line_width"`` (View menu) are
                                re-pointed at the settings; ``"preferences"`` is added
``window.open_library``         optional: ``open_library(Path)``; when present the dialog
                                offers "Open it now" for a new library folder
=============================  ==========================================================

Plus ``QApplication.instance()`` for the theme.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QSignalBlocker, Qt
from PySide6.QtGui import QAction, QFont, QFontInfo, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFontComboBox,
    QFontDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from writer.gui.settings import (
    AUTOSAVE_RANGE,
    KEYS,
    LINE_WIDTH_MAX,
    SNAPSHOT_AGE_RANGE,
    SNAPSHOT_RANGE,
    Settings,
)
from writer.gui.style import palette_colours
from writer.gui.themes import LINE_SPACING_RANGE, THEMES, apply_line_spacing, apply_theme
from writer.render.stylesheet import fill_colours

if TYPE_CHECKING:
    from writer.gui.main_window import MainWindow
    from writer.gui.preview import PreviewPane

__all__ = [
    "PreferencesDialog",
    "ShortcutsDialog",
    "fill_palette_colours",
    "install_settings",
    "read_user_stylesheet",
    "set_preview_user_stylesheet",
    "shortcut_rows",
    "show_preferences",
    "show_shortcuts",
    "spelling_languages",
]

CSS_FILTER = "Stylesheets (*.css);;All files (*)"


# ------------------------------------------------------------------ helpers


def spelling_languages() -> list[tuple[str, str]] | None:
    """``(code, label)`` of every language with a dictionary installed, or ``None`` when
    there is no choice to offer (no ``writer.core.spelling``, no dictionaries)."""
    try:
        spelling = importlib.import_module("writer.core.spelling")
    except ImportError:
        return None
    try:
        found = list(spelling.available_languages())
    except Exception:  # noqa: BLE001 - a broken dictionary setup must not break the dialog
        return None
    languages = []
    for item in found:
        if isinstance(item, (tuple, list)) and item:
            languages.append((str(item[0]), str(item[-1])))
        else:
            languages.append((str(item), _language_label(str(item))))
    return languages or None


def _language_label(code: str) -> str:
    """``"English (United Kingdom) — en-GB"`` for ``"en-GB"``; the code if Qt has no name."""
    locale = QLocale(code.replace("-", "_"))
    if locale.language() == QLocale.Language.C:
        return code
    name = QLocale.languageToString(locale.language())
    if "-" in code or "_" in code:
        name += f" ({QLocale.territoryToString(locale.territory())})"
    return f"{name} — {code}"


def fill_palette_colours(css: str, palette: QPalette) -> str:
    """Replace ``@text@``, ``@base@``, ``@link@`` and ``@mid@`` with the palette's colours,
    as the built-in book stylesheet does, so a user's sheet can follow the theme too."""
    return fill_colours(css, palette_colours(palette))


def read_user_stylesheet(path: str) -> tuple[str, str | None]:
    """The CSS of the file ``path`` (``""`` for none) and an error message, if any."""
    if not path:
        return "", None
    try:
        return Path(path).expanduser().read_text(encoding="utf-8"), None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return "", f"The preview stylesheet {path} could not be read ({reason})."


def set_preview_user_stylesheet(pane: PreviewPane, css: str) -> None:
    """Add ``css`` after the built-in book stylesheet of ``pane`` (``""``: built-in only);
    it applies to the next ``setHtml``, so re-render after calling this."""
    pane.set_user_stylesheet(css)


def _menu_text(text: str) -> str:
    """A menu entry's text as shown: no ``&`` mnemonics (``&&`` is a real ``&``)."""
    return text.split("\t", 1)[0].replace("&&", "\0").replace("&", "").replace("\0", "&")


def _find_menu(bar: QMenuBar, title: str) -> QMenu | None:
    for action in bar.actions():
        menu = action.menu()
        if menu is not None and _menu_text(action.text()) == _menu_text(title):
            return menu
    return None


def _blocked(widget: QWidget) -> QSignalBlocker:
    return QSignalBlocker(widget)


# ------------------------------------------------------------------ preferences


class PreferencesDialog(QDialog):
    """Every setting, applied live; Cancel (or Esc) puts the old values back."""

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        open_library: Callable[[Path], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.original = settings.values()
        self._open_library = open_library

        self.theme = QComboBox()
        for name, label in THEMES.items():
            self.theme.addItem(label, name)
        self.font_family = QFontComboBox()
        self.font_size = QSpinBox()
        self.font_size.setRange(6, 72)
        self.font_size.setSuffix(" pt")
        self.line_spacing = QSpinBox()
        self.line_spacing.setRange(*LINE_SPACING_RANGE)
        self.line_spacing.setSingleStep(10)
        self.line_spacing.setSuffix(" %")
        self.line_width = QSpinBox()
        self.line_width.setRange(0, LINE_WIDTH_MAX)
        self.line_width.setSpecialValueText("Full width")
        self.line_width.setSuffix(" characters")
        self.autosave = QDoubleSpinBox()
        self.autosave.setDecimals(2)
        self.autosave.setRange(AUTOSAVE_RANGE[0] / 1000, AUTOSAVE_RANGE[1] / 1000)
        self.autosave.setSingleStep(0.5)
        self.autosave.setSuffix(" s")
        self.snapshot_keep = QSpinBox()
        self.snapshot_keep.setRange(*SNAPSHOT_RANGE)
        self.snapshot_keep.setSuffix(" per project")
        self.snapshot_max_age = QSpinBox()
        self.snapshot_max_age.setRange(*SNAPSHOT_AGE_RANGE)
        self.snapshot_max_age.setSpecialValueText("Forever")
        self.snapshot_max_age.setSuffix(" days")
        self.snapshot_max_age.setToolTip("0: keep them forever (only the count limits them)")
        self.snapshot_folder = QLineEdit()
        self.snapshot_folder.setPlaceholderText("the app's data folder")
        self.snapshot_folder.setClearButtonEnabled(True)
        self.snapshot_folder_browse = QPushButton("Browse…")
        self.stylesheet = QLineEdit()
        self.stylesheet.setPlaceholderText("Built-in book style")
        self.stylesheet.setClearButtonEnabled(True)
        self.stylesheet_browse = QPushButton("Browse…")
        self.stylesheet_builtin = QPushButton("Use built-in")
        self.languages = spelling_languages()
        self.spell_language: QComboBox | QLineEdit
        if self.languages is None:
            self.spell_language = QLineEdit()
            self.spell_language.setPlaceholderText(
                "The work's own language (or a code such as en-GB)"
            )
        else:
            self.spell_language = QComboBox()
            self.spell_language.addItem("The work's own language", "")
            for code, label in self.languages:
                self.spell_language.addItem(label, code)
        self.library = QLineEdit()
        self.library.setPlaceholderText(str(settings.default_library_path()))
        self.library_browse = QPushButton("Browse…")
        self.library_open = QPushButton("Open it now")
        self.library_open.setVisible(open_library is not None)
        self.library_note = QLabel("A new library folder is opened the next time writer starts.")
        self.library_note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self._layout()
        for key in KEYS:
            self._show(key)
        self._connect()

    # -------------------------------------------------------------- layout

    def _layout(self) -> None:
        look = QGroupBox("Appearance")
        form = QFormLayout(look)
        form.addRow("&Theme:", self.theme)
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_family, 1)
        font_row.addWidget(self.font_size)
        _labelled_row(form, "Editor &font:", font_row, self.font_family)
        form.addRow("Line &spacing:", self.line_spacing)
        form.addRow("Line &width:", self.line_width)

        writing = QGroupBox("Writing")
        form = QFormLayout(writing)
        form.addRow("&Autosave after a pause of:", self.autosave)
        form.addRow("Snapshots &kept:", self.snapshot_keep)
        form.addRow("Keep snapshots fo&r (0: forever):", self.snapshot_max_age)
        snapshot_row = QHBoxLayout()
        snapshot_row.addWidget(self.snapshot_folder, 1)
        snapshot_row.addWidget(self.snapshot_folder_browse)
        _labelled_row(form, "Sna&pshot folder:", snapshot_row, self.snapshot_folder)
        form.addRow("Spell-check &language:", self.spell_language)

        preview = QGroupBox("Preview")
        form = QFormLayout(preview)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.stylesheet, 1)
        sheet_row.addWidget(self.stylesheet_browse)
        sheet_row.addWidget(self.stylesheet_builtin)
        _labelled_row(form, "St&ylesheet:", sheet_row, self.stylesheet)
        hint = QLabel(
            "Your CSS is added after the book style. @text@, @base@, @link@ and @mid@ "
            "stand for the theme's colours."
        )
        hint.setWordWrap(True)
        form.addRow(hint)

        library = QGroupBox("Library")
        form = QFormLayout(library)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.library, 1)
        folder_row.addWidget(self.library_browse)
        _labelled_row(form, "F&older:", folder_row, self.library)
        note_row = QHBoxLayout()
        note_row.addWidget(self.library_note, 1)
        note_row.addWidget(self.library_open)
        form.addRow(note_row)

        box = QVBoxLayout(self)
        for group in (look, writing, preview, library):
            box.addWidget(group)
        box.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _connect(self) -> None:
        self.theme.currentIndexChanged.connect(
            lambda _i: self.settings.set("theme", self.theme.currentData())
        )
        self.font_family.currentFontChanged.connect(lambda _f: self._font_edited())
        self.font_size.valueChanged.connect(lambda _v: self._font_edited())
        self.line_spacing.valueChanged.connect(lambda v: self.settings.set("line_spacing", v))
        self.line_width.valueChanged.connect(lambda v: self.settings.set("line_width", v))
        self.autosave.valueChanged.connect(
            lambda v: self.settings.set("autosave_ms", round(v * 1000))
        )
        self.snapshot_keep.valueChanged.connect(lambda v: self.settings.set("snapshot_keep", v))
        self.snapshot_max_age.valueChanged.connect(
            lambda v: self.settings.set("snapshot_max_age_days", v)
        )
        self.snapshot_folder.textChanged.connect(
            lambda text: self.settings.set("snapshot_folder", text)
        )
        self.snapshot_folder_browse.clicked.connect(self.browse_snapshot_folder)
        self.stylesheet.textChanged.connect(
            lambda text: self.settings.set("preview_stylesheet", text)
        )
        self.stylesheet_browse.clicked.connect(self.browse_stylesheet)
        self.stylesheet_builtin.clicked.connect(lambda: self.stylesheet.setText(""))
        if isinstance(self.spell_language, QComboBox):
            self.spell_language.currentIndexChanged.connect(
                lambda _i: self.settings.set("spell_language", self.spell_language.currentData())
            )
        else:
            self.spell_language.textChanged.connect(
                lambda text: self.settings.set("spell_language", text)
            )
        self.library.textChanged.connect(lambda text: self.settings.set("library_folder", text))
        self.library_browse.clicked.connect(self.browse_library)
        self.library_open.clicked.connect(self.open_library_now)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        defaults = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        defaults.clicked.connect(self.restore_defaults)
        self.settings.changed.connect(self._show)

    # -------------------------------------------------------------- widgets <-> settings

    def _font_edited(self) -> None:
        font = self.settings.editor_font
        family = self.font_family.currentFont().family()
        if QFontInfo(font).family() != family:  # keep the fallback list unless changed
            font.setFamilies([family])
        font.setPointSize(self.font_size.value())
        self.settings.set("editor_font", font)

    def _show(self, key: str) -> None:
        """Show the current value of ``key`` in its widget (without writing it back)."""
        value: Any = self.settings.get(key)
        if key == "theme":
            with _blocked(self.theme):
                self.theme.setCurrentIndex(max(self.theme.findData(value), 0))
        elif key == "editor_font":
            with _blocked(self.font_family), _blocked(self.font_size):
                shown = QFont(value)
                shown.setFamilies([QFontInfo(value).family()])
                self.font_family.setCurrentFont(shown)
                size = value.pointSize()
                self.font_size.setValue(size if size > 0 else QFontInfo(value).pointSize())
        elif key == "line_spacing":
            with _blocked(self.line_spacing):
                self.line_spacing.setValue(value)
        elif key == "line_width":
            with _blocked(self.line_width):
                self.line_width.setValue(value or 0)
        elif key == "autosave_ms":
            with _blocked(self.autosave):
                self.autosave.setValue(value / 1000)
        elif key == "snapshot_keep":
            with _blocked(self.snapshot_keep):
                self.snapshot_keep.setValue(value)
        elif key == "snapshot_max_age_days":
            with _blocked(self.snapshot_max_age):
                self.snapshot_max_age.setValue(value)
        elif key == "snapshot_folder":
            _set_text(self.snapshot_folder, value)
        elif key == "preview_stylesheet":
            _set_text(self.stylesheet, value)
        elif key == "spell_language":
            widget = self.spell_language
            if isinstance(widget, QComboBox):
                with _blocked(widget):
                    index = widget.findData(value)
                    if index < 0:  # a language this machine has no dictionary for
                        widget.addItem(f"{value} (not installed)", value)
                        index = widget.count() - 1
                    widget.setCurrentIndex(index)
            else:
                _set_text(widget, value)
        elif key == "library_folder":
            _set_text(self.library, value)
            self.library_open.setEnabled(value != self.original["library_folder"])

    # -------------------------------------------------------------- buttons

    def browse_stylesheet(self) -> None:
        start = self.settings.preview_stylesheet or str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Preview stylesheet", start, CSS_FILTER)
        if name:
            self.stylesheet.setText(name)

    def browse_library(self) -> None:
        start = str(self.settings.library_path())
        name = QFileDialog.getExistingDirectory(self, "Library folder", start)
        if name:
            self.library.setText(name)

    def browse_snapshot_folder(self) -> None:
        start = self.settings.snapshot_folder or str(Path.home())
        name = QFileDialog.getExistingDirectory(self, "Snapshot folder", start)
        if name:
            self.snapshot_folder.setText(name)

    def open_library_now(self) -> None:
        if self._open_library is not None:
            self._open_library(self.settings.library_path())
            self.original["library_folder"] = self.settings.library_folder
            self.library_open.setEnabled(False)

    def restore_defaults(self) -> None:
        """Every setting back to its default (Cancel still puts back the old values)."""
        self.settings.reset()

    def accept(self) -> None:
        self.settings.save()
        super().accept()

    def reject(self) -> None:
        self.settings.restore(self.original)
        super().reject()

    def done(self, result: int) -> None:
        with contextlib.suppress(RuntimeError, TypeError):
            self.settings.changed.disconnect(self._show)
        super().done(result)


def _labelled_row(form: QFormLayout, text: str, row: QHBoxLayout, buddy: QWidget) -> None:
    """A form row holding several widgets whose label's mnemonic focuses ``buddy``
    (``addRow(str, layout)`` would show the ``&`` instead)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    form.addRow(label, row)


def _set_text(widget: QLineEdit, value: str) -> None:
    # Settings strip blanks: leave a field alone while it says the same, or a space
    # typed at the end of a folder name would vanish under the cursor.
    if widget.text().strip() != value:
        with _blocked(widget):
            widget.setText(value)


# ------------------------------------------------------------------ shortcuts


def shortcut_rows(bar: QMenuBar) -> list[tuple[str, str, str]]:
    """``(menu, command, keys)`` for every menu action with a shortcut, in menu order;
    submenus are named ``"Menu › Submenu"``."""
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: list[str]) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            submenu = action.menu()
            if submenu is not None:
                walk(submenu, [*path, _menu_text(action.text())])
                continue
            keys = ", ".join(
                key.toString(QKeySequence.SequenceFormat.NativeText)
                for key in action.shortcuts()
                if not key.isEmpty()
            )
            if keys and action.text():
                rows.append((" › ".join(path), _menu_text(action.text()), keys))

    for action in bar.actions():
        menu = action.menu()
        if menu is not None:
            walk(menu, [_menu_text(action.text())])
    return rows


class ShortcutsDialog(QDialog):
    """Help > Keyboard Shortcuts: every shortcut of the window's menus, grouped by menu."""

    def __init__(self, window: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        bar = window.menuBar() if hasattr(window, "menuBar") else None
        self.rows = shortcut_rows(bar) if bar is not None else []
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter…")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Command", "Shortcut"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._groups: dict[int, list[int]] = {}  # heading row -> its command rows
        self._fill()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.filter)
        box.addWidget(self.table, 1)
        box.addWidget(buttons)
        self.filter.textChanged.connect(self.apply_filter)
        self.resize(520, 560)

    def _fill(self) -> None:
        heading_font = QFont(self.font())
        heading_font.setBold(True)
        heading_row = -1
        group = None
        for menu, command, keys in self.rows:
            if menu != group:
                group = menu
                heading_row = self.table.rowCount()
                self.table.insertRow(heading_row)
                item = QTableWidgetItem(menu)
                item.setFont(heading_font)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(heading_row, 0, item)
                self.table.setSpan(heading_row, 0, 1, 2)
                self._groups[heading_row] = []
            row = self.table.rowCount()
            self.table.insertRow(row)
            name = QTableWidgetItem("    " + command)
            name.setData(Qt.ItemDataRole.UserRole, command)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(keys))
            self._groups[heading_row].append(row)

    def apply_filter(self, text: str) -> None:
        """Show only commands whose name, keys or menu contain ``text``."""
        wanted = text.strip().lower()
        for heading, rows in self._groups.items():
            menu = self.table.item(heading, 0).text().lower()
            shown = 0
            for row in rows:
                command = self.table.item(row, 0).text().lower()
                keys = self.table.item(row, 1).text().lower()
                match = not wanted or wanted in command or wanted in keys or wanted in menu
                self.table.setRowHidden(row, not match)
                shown += match
            self.table.setRowHidden(heading, shown == 0)

    def visible_commands(self) -> list[str]:
        """The commands the table shows now (for tests and accessibility checks)."""
        return [
            str(self.table.item(row, 0).data(Qt.ItemDataRole.UserRole))
            for rows in self._groups.values()
            for row in rows
            if not self.table.isRowHidden(row)
        ]


def show_shortcuts(window: QWidget) -> None:
    """Help > Keyboard Shortcuts."""
    ShortcutsDialog(window, window).exec()


# ------------------------------------------------------------------ installing


def show_preferences(window: MainWindow, settings: Settings) -> PreferencesDialog:
    """Edit > Preferences: the dialog, modal; returns it once it is closed."""
    dialog = PreferencesDialog(settings, window, getattr(window, "open_library", None))
    dialog.exec()
    return dialog


def choose_font(window: MainWindow, settings: Settings) -> None:
    ok, font = QFontDialog.getFont(settings.editor_font, window, "Editor font")
    if ok:
        settings.editor_font = font


def choose_line_width(window: MainWindow, settings: Settings) -> None:
    width, ok = QInputDialog.getInt(
        window,
        "Line width",
        "Characters per line (0 for the full width of the window):",
        settings.line_width or 0,
        0,
        LINE_WIDTH_MAX,
    )
    if ok:
        settings.line_width = width


def _repoint(action: QAction | None, slot: Callable[[], object]) -> None:
    if action is None:
        return
    with contextlib.suppress(RuntimeError, TypeError):
        action.triggered.disconnect()
    action.triggered.connect(slot)


def install_settings(window: MainWindow) -> Settings:
    """Load the settings, apply them all to ``window`` and keep applying every change.

    Adds Edit > Preferences… (the platform's Preferences key, else Ctrl+,) and makes the
    View menu's "Editor font…" and "Line width…" change the settings instead of the
    window state. See the module docstring for every window attribute used.
    """
    existing = getattr(window, "settings", None)
    if isinstance(existing, Settings):
        return existing  # Installed once per window.
    settings = Settings(parent=window)
    settings.load()
    app = QApplication.instance()
    editor = window.editor

    def apply_preview_stylesheet() -> None:
        css, error = read_user_stylesheet(settings.preview_stylesheet)
        if error:
            window.statusBar().showMessage(error, 10000)
        pane = window.preview
        if (
            not css
            and "apply_palette" not in vars(pane)
            and not hasattr(pane, "set_user_stylesheet")
        ):
            return  # built-in only, as the pane already is
        set_preview_user_stylesheet(pane, css)
        render = getattr(window, "_render", None)
        if callable(render):
            render(now=True)

    appliers: dict[str, Callable[[], object]] = {
        "theme": lambda: apply_theme(app, settings.theme),  # type: ignore[arg-type]
        "editor_font": lambda: editor.set_editor_font(settings.editor_font),
        "line_width": lambda: editor.set_line_width(settings.line_width),
        "line_spacing": lambda: apply_line_spacing(editor, settings.line_spacing),
        "autosave_ms": lambda: window.documents.autosave.setInterval(settings.autosave_ms),
        "preview_stylesheet": apply_preview_stylesheet,
        # Stored only: the spell checker and snapshots read them (and hear ``changed``);
        # a new library folder is opened at the next start (or by window.open_library).
    }

    def apply(key: str) -> None:
        applier = appliers.get(key)
        if applier is not None:
            applier()

    for key in KEYS:
        apply(key)
    settings.changed.connect(apply)
    editor.document_changed.connect(
        lambda _document: apply_line_spacing(editor, settings.line_spacing)
    )

    preferences = QAction("&Preferences…", window)
    standard = QKeySequence(QKeySequence.StandardKey.Preferences)
    preferences.setShortcut(standard if not standard.isEmpty() else QKeySequence("Ctrl+,"))
    preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
    preferences.triggered.connect(lambda: show_preferences(window, settings))
    bar = window.menuBar()
    edit = _find_menu(bar, "&Edit") or bar.addMenu("&Edit")
    edit.addSeparator()
    edit.addAction(preferences)

    actions = getattr(window, "actions_by_name", None)
    if isinstance(actions, dict):
        actions["preferences"] = preferences
        _repoint(actions.get("font"), lambda: choose_font(window, settings))
        _repoint(actions.get("line_width"), lambda: choose_line_width(window, settings))
    return settings
