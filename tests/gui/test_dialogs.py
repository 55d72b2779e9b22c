"""File > Export and File > Import in the window: real dialogs, real files."""

from __future__ import annotations

import zipfile

from PySide6.QtCore import Qt

from writer.core.project import Project
from writer.gui.export_dialog import ExportDialog
from writer.gui.import_dialog import ImportDialog


def test_export_dialog_writes_an_epub_with_progress(qtbot, make_window, story_library, tmp_path):
    window = make_window(story_library)
    dialog = ExportDialog(window.project, tmp_path)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("epub"))
    assert dialog.output.text().endswith("harbour-lights.epub")
    dialog.start()
    qtbot.waitUntil(lambda: bool(dialog.written), timeout=20_000)
    dialog.task.wait()
    (epub,) = dialog.written
    assert zipfile.ZipFile(epub).read("mimetype") == b"application/epub+zip"
    assert not dialog.show_folder.isHidden()
    assert "Exported" in dialog.result.text()


def test_export_dialog_chapter_scope_and_options(qtbot, make_window, story_library, tmp_path):
    window = make_window(story_library)
    dialog = ExportDialog(window.project, tmp_path)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("md"))
    dialog.chapters.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.checks["disclaimer"].setChecked(False)
    dialog.start()
    qtbot.waitUntil(lambda: bool(dialog.written), timeout=20_000)
    dialog.task.wait()
    text = dialog.written[0].read_text(encoding="utf-8")
    assert "Flood" in text and "Low Tide" not in text and "Disclaimer" not in text


def test_export_dialog_pdf_runs_in_the_gui_thread(qtbot, make_window, story_library, tmp_path):
    window = make_window(story_library)
    dialog = ExportDialog(window.project, tmp_path)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    dialog.start()
    assert dialog.written and dialog.written[0].read_bytes().startswith(b"%PDF")


def test_export_failure_is_a_message(qtbot, make_window, story_library, tmp_path):
    window = make_window(story_library)
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    dialog = ExportDialog(window.project, tmp_path)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("ao3"))
    dialog.output.setText(str(blocker))
    dialog.start()
    qtbot.waitUntil(lambda: "failed" in dialog.result.text(), timeout=20_000)
    dialog.task.wait()
    assert "writes into a folder" in dialog.result.text()


def test_import_dialog_creates_a_project_that_appears(qtbot, make_window, story_library, tmp_path):
    window = make_window(story_library)
    source = tmp_path / "old-story.txt"
    source.write_text(
        "Title: The Salt Road\nRating: T\n\nDisclaimer: I don't own the sea.\n\n"
        "Chapter 1\n\nThe road ran down to the water.\n\nChapter 2\n\nThe tide came in.\n",
        encoding="utf-8",
    )
    dialog = ImportDialog([source], story_library, window.project)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: bool(dialog.results), timeout=20_000)
    dialog.task.wait()
    window.after_import(dialog.results)
    titles = [p.title for p in window.model.projects()]
    assert "The Salt Road" in titles
    project = next(p for p in window.model.projects() if p.title == "The Salt Road")
    assert project.meta.disclaimer.startswith("I don't own the sea")
    assert window.project is project


def test_import_into_current_project_reloads_it(qtbot, make_window, story_library, tmp_path):
    window = make_window(story_library)
    before = len([n for n in window.project.tree.walk() if n.kind == "chapter"])
    source = tmp_path / "extra.md"
    source.write_text("# Aftermath\n\nThe quay was quiet again.\n", encoding="utf-8")
    dialog = ImportDialog([source], story_library, window.project)
    qtbot.addWidget(dialog)
    dialog.target.setCurrentIndex(1)
    dialog.start()
    qtbot.waitUntil(lambda: bool(dialog.results), timeout=20_000)
    dialog.task.wait()
    window.after_import(dialog.results)
    folder = story_library.find("Harbour Lights")
    on_disk = [n for n in Project.load(folder).tree.walk() if n.kind == "chapter"]
    shown = next(p for p in window.model.projects() if p.path == folder)
    assert len(on_disk) == before + 1
    assert len([n for n in shown.tree.walk() if n.kind == "chapter"]) == before + 1


def run_import(qtbot, paths, library, current=None, confirm=None):
    dialog = ImportDialog(paths, library, current)
    qtbot.addWidget(dialog)
    if confirm is not None:
        dialog.confirm_update = confirm
    dialog.start()
    qtbot.waitUntil(lambda: bool(dialog.results), timeout=20_000)
    dialog.task.wait()
    return dialog.results


def test_reimport_of_a_changed_source_is_offered_as_update(qtbot, story_library, tmp_path):
    source = tmp_path / "tale.md"
    source.write_text("# The Tale\n\nFirst version.\n", encoding="utf-8")
    (first,) = run_import(qtbot, [source], story_library)
    assert first.action == "created"
    source.write_text("# The Tale\n\nSecond version.\n", encoding="utf-8")
    asked = []
    (declined,) = run_import(
        qtbot, [source], story_library, confirm=lambda names: asked.append(names) or False
    )
    assert asked == [["tale.md"]] and declined.action == "update available"
    count = len(story_library.project_dirs())
    (accepted,) = run_import(qtbot, [source], story_library, confirm=lambda names: True)
    assert accepted.action == "updated"
    assert len(story_library.project_dirs()) == count  # never a duplicate project
    project = Project.load(accepted.project)
    texts = [project.read_text(n.id) for n in project.tree.walk() if n.has_text]
    assert any("Second version." in t for t in texts)
