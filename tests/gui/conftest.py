"""Fixtures for window tests: a private library and a window that is closed afterwards."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "export"))
from conftest import build_story  # noqa: E402

from writer.core.library import Library  # noqa: E402
from writer.gui.main_window import MainWindow  # noqa: E402


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A modal dialog would wait forever offscreen: record it and answer at once."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def answer(kind, default):
        def show(_parent, _title, text, *_args, **_kwargs):
            shown.append((kind, text))
            return default

        return show

    monkeypatch.setattr(QMessageBox, "warning", answer("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", answer("question", QMessageBox.StandardButton.No))
    monkeypatch.setattr(
        QMessageBox, "information", answer("information", QMessageBox.StandardButton.Ok)
    )
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(("exec", self.text())))
    return shown


@pytest.fixture
def story_library(tmp_path: Path) -> Library:
    """A library with the rich export story and a second, small project."""
    root = tmp_path / "lib"
    build_story(root / "harbour-lights")
    other = Library(root).create("Second Light")
    other.write_text(other.tree.roots[0].id, "Lanterns on the water.")
    other.close()
    return Library(root)


@pytest.fixture
def make_window(qtbot):
    """Build windows on a library; every one is closed (and its threads joined) after."""
    made: list[MainWindow] = []

    def make(library: Library, project=None) -> MainWindow:
        window = MainWindow(library)
        qtbot.addWidget(window)
        window.resize(1200, 800)
        window.open_project(project)
        made.append(window)
        return window

    yield make
    for window in made:
        window.confirm_discard = lambda: True  # never block teardown on a dialog
        window.documents.autosave.stop()
        window.close()
        window.preview_controller.shutdown()
