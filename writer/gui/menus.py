"""The menu bar and the toolbar of the main window, built from the widgets' own actions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox

from writer import __version__
from writer.core.errors import WriterError
from writer.gui.settings_dialog import choose_font, choose_line_width, show_shortcuts

if TYPE_CHECKING:
    from writer.gui.main_window import MainWindow


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[..., object],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    checkable: bool = False,
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    return action


def _fill(menu: QMenu, actions: list[QAction | None]) -> None:
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)


def new_project(window: MainWindow) -> None:
    title, ok = QInputDialog.getText(window, "New project", "Title of the work:")
    if not ok or not title.strip():
        return
    try:
        project = window.library.create(title.strip())
    except (WriterError, OSError) as error:
        window.show_error(str(error))
        return
    window.model.add_project(project.path)
    window.open_project(project.path)


def import_files(window: MainWindow) -> None:
    from writer.gui.import_dialog import IMPORT_FILTER

    names, _ = QFileDialog.getOpenFileNames(window, "Import stories", "", IMPORT_FILTER)
    window.import_paths([Path(n) for n in names])


def import_folder(window: MainWindow) -> None:
    name = QFileDialog.getExistingDirectory(window, "Import a folder of chapter files")
    window.import_paths([Path(name)] if name else [])


def build_menus(window: MainWindow) -> None:
    """Create every menu and the toolbar; actions are kept on ``window.actions_by_name``."""
    editor, panel = window.editor, window.library_panel
    a = {
        "new_project": _action(window, "&New project…", lambda: new_project(window)),
        "import_files": _action(
            window, "&Import files…", lambda: import_files(window), "Ctrl+Shift+I"
        ),
        "import_folder": _action(window, "Import a &folder…", lambda: import_folder(window)),
        "export": _action(window, "&Export…", window.export_project, "Ctrl+E"),
        "save": _action(window, "&Save", window.save_everything, QKeySequence.StandardKey.Save),
        "quit": _action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit),
        "undo": _action(window, "&Undo", editor.undo, QKeySequence.StandardKey.Undo),
        "redo": _action(window, "&Redo", editor.redo, QKeySequence.StandardKey.Redo),
        "cut": _action(window, "Cu&t", editor.cut, QKeySequence.StandardKey.Cut),
        "copy": _action(window, "&Copy", editor.copy, QKeySequence.StandardKey.Copy),
        "paste": _action(window, "&Paste", editor.paste, QKeySequence.StandardKey.Paste),
        "find": _action(window, "&Find…", window.find_bar.show_find, "Ctrl+F"),
        "replace": _action(window, "&Replace…", window.find_bar.show_replace, "Ctrl+H"),
        "whole_work": _action(
            window, "Preview the &whole work", window.set_whole_work, "Ctrl+Shift+P", True
        ),
        "focus": _action(window, "&Focus mode", window.set_focus_mode, "F11", True),
        "font": _action(window, "Editor &font…", lambda: choose_font(window, window.settings)),
        "line_width": _action(
            window, "&Line width…", lambda: choose_line_width(window, window.settings)
        ),
        "search": _action(window, "&Search all works…", window.show_search, "Ctrl+Shift+F"),
        "shortcuts": _action(window, "&Keyboard shortcuts", lambda: show_shortcuts(window)),
        "about": _action(
            window,
            "&About writer",
            lambda: QMessageBox.about(
                window, "About writer", f"writer {__version__}\nGPL-3.0-or-later"
            ),
        ),
    }
    group = QActionGroup(window)
    for name, label, key in (
        ("editor", "&Editor only", "Ctrl+1"),
        ("preview", "&Preview only", "Ctrl+2"),
        ("both", "Editor &and preview", "Ctrl+3"),
    ):
        action = _action(window, label, lambda _c=False, m=name: window.set_view_mode(m), key, True)
        group.addAction(action)
        a[f"view_{name}"] = action
    a[f"view_{getattr(window, 'view_mode', 'both')}"].setChecked(True)
    window.actions_by_name = a

    bar = window.menuBar()
    _fill(
        bar.addMenu("&File"),
        [
            a["new_project"],
            None,
            a["import_files"],
            a["import_folder"],
            a["export"],
            None,
            a["save"],
            None,
            a["quit"],
        ],
    )
    _fill(
        bar.addMenu("&Edit"),
        [
            a["undo"],
            a["redo"],
            None,
            a["cut"],
            a["copy"],
            a["paste"],
            None,
            editor.bold_action,
            editor.italic_action,
            None,
            a["find"],
            a["replace"],
        ],
    )
    _fill(
        bar.addMenu("&View"),
        [
            a["view_editor"],
            a["view_preview"],
            a["view_both"],
            None,
            a["whole_work"],
            a["focus"],
            None,
            a["font"],
            a["line_width"],
        ],
    )
    a["snapshot"] = _action(window, "Take &snapshot now", window.backups.snapshot_now)
    a["restore"] = _action(window, "&Restore snapshot…", window.backups.restore)
    _fill(bar.addMenu("&Project"), [*panel.tree_actions(), None, a["snapshot"], a["restore"]])
    _fill(bar.addMenu("&Search"), [a["search"], window.search_dock.toggleViewAction()])
    _fill(bar.addMenu("&Help"), [a["shortcuts"], None, a["about"]])

    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("main_toolbar")
    toolbar.setMovable(False)
    _fill(
        toolbar,
        [
            panel.add_actions["chapter"],
            panel.add_actions["scene"],
            a["save"],
            None,
            editor.bold_action,
            editor.italic_action,
            None,
            a["find"],
            a["search"],
            a["whole_work"],
            a["focus"],
        ],
    )
    window.toolbars = [toolbar]
    window.addAction(a["focus"])  # F11 works while the menu bar is hidden.
