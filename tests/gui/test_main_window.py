"""The foundation's window starts on a library, shows documents, and takes screenshots."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from writer.core.library import Library
from writer.core.project import Project
from writer.gui.main_window import MainWindow


def make_library(root: Path) -> Library:
    library = Library(root)
    project = library.create("Tidewater")
    project.write_text(project.tree.roots[0].id, "The *gulls* came back at dawn.")
    project.close()
    broken = root / "broken"
    broken.mkdir()
    (broken / "project.json").write_text("[]", encoding="utf-8")
    return library


def test_window_lists_projects_and_previews_first_document(qtbot, tmp_path):
    library = make_library(tmp_path / "lib")
    window = MainWindow(library)
    qtbot.addWidget(window)
    window.open_project(None)
    titles = {window.model.item(row).text() for row in range(window.model.rowCount())}
    assert "Tidewater" in titles
    assert any(t.startswith("⚠") for t in titles)  # the broken project is shown, not fatal
    html = window.preview.toHtml()
    assert "gulls" in window.preview.toPlainText()
    assert "italic" in html  # emphasis survived the renderer into the preview
    assert "Tidewater" in window.windowTitle()


def test_open_named_project(qtbot, tmp_path):
    library = make_library(tmp_path / "lib")
    second = library.create("Second Light")
    second.write_text(second.tree.roots[0].id, "Lanterns.")
    second.close()
    window = MainWindow(library)
    qtbot.addWidget(window)
    window.open_project(Project.load(second.path).path)
    assert "Lanterns." in window.preview.toPlainText()


def test_cli_screenshot_writes_png(tmp_path):
    library = make_library(tmp_path / "lib")
    target = tmp_path / "shot.png"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "writer",
            "gui",
            "Tidewater",
            "--library",
            str(library.path),
            "--screenshot",
            str(target),
            "--size",
            "900x600",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (900, 600)


def test_cli_gui_bad_size_is_one_line(tmp_path, capsys):
    from writer.cli import main

    (tmp_path / "lib").mkdir()
    code = main(
        ["gui", "--library", str(tmp_path / "lib"), "--screenshot", "x.png", "--size", "big"]
    )
    assert code == 1
    assert capsys.readouterr().err == "writer: size 'big' is not WIDTHxHEIGHT, e.g. 1400x900\n"
