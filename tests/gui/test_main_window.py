"""The writing window as a user meets it: tree, editor, preview, saving, state."""

from __future__ import annotations

import errno
import os
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from writer.core.project import Project
from writer.gui.library_model import ItemRole


def chapter_ids(project: Project) -> list[str]:
    return [n.id for n in project.tree.walk() if n.kind == "chapter"]


def type_text(qtbot, widget, text: str) -> None:
    qtbot.keyClicks(widget, text)


def test_opens_first_project_and_document(make_window, story_library):
    window = make_window(story_library)
    assert window.project is not None and window.current is not None
    assert window.editor.toPlainText().startswith("The *harbour* was empty")
    assert "— writer" in window.windowTitle()


def test_typing_updates_the_preview_off_the_gui_thread(qtbot, make_window, story_library):
    window = make_window(story_library)
    qtbot.waitUntil(lambda: "harbour" in window.preview.toPlainText(), timeout=5000)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window.editor, " Gulls wheeled")
    qtbot.waitUntil(lambda: "Gulls wheeled" in window.preview.toPlainText(), timeout=5000)
    seen = window.preview_controller.worker.threads_seen
    assert seen and threading.get_ident() not in seen


def test_rapid_edits_render_at_most_twice(qtbot, make_window, story_library):
    window = make_window(story_library)
    controller = window.preview_controller
    qtbot.waitUntil(lambda: controller.in_flight is None, timeout=5000)
    before = controller.renders_started
    for _ in range(25):
        window.editor.insertPlainText("x")
    latest = controller.revision
    qtbot.waitUntil(
        lambda: controller.in_flight is None and controller.queued is None, timeout=5000
    )
    qtbot.waitUntil(lambda: "xxxxx" in window.preview.toPlainText(), timeout=5000)
    assert controller.renders_started - before <= 2
    assert controller.revision == latest


def test_autosave_after_a_pause(qtbot, make_window, story_library):
    window = make_window(story_library)
    window.documents.autosave.setInterval(100)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window.editor, "Saved by itself.")
    path = window.current.path
    qtbot.waitUntil(lambda: "Saved by itself." in path.read_text(encoding="utf-8"), timeout=5000)
    assert window.status.save_state.text() == "Saved"


def test_switching_documents_keeps_undo_and_saves(qtbot, make_window, story_library):
    window = make_window(story_library)
    project = window.project
    first, second = chapter_ids(project)[:2]
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window.editor, "ABC")
    window.library_panel.select(project, second)
    assert window.current.node_id == second
    assert "ABC" in project.read_text(first)  # switching is a save point
    window.library_panel.select(project, first)
    assert window.editor.toPlainText().endswith("ABC")
    window.editor.undo()
    assert not window.editor.toPlainText().endswith("ABC")


def test_metadata_edit_persists_after_switching(qtbot, make_window, story_library):
    window = make_window(story_library)
    project = window.project
    summary = window.metadata.findChild(QPlainTextEdit, "summary")
    summary.setPlainText("A new summary.")
    window.library_panel.select(project, chapter_ids(project)[1])
    qtbot.waitUntil(lambda: not window._dirty_projects, timeout=3000)
    assert Project.load(project.path).meta.summary == "A new summary."


def test_drag_and_drop_reorders_and_persists(make_window, story_library):
    window = make_window(story_library)
    project = window.project
    panel = window.library_panel
    first, second = chapter_ids(project)[:2]
    source = panel.proxy.mapFromSource(window.model.index_of(project, second))
    part_index = source.parent()
    data = panel.proxy.mimeData([source])
    panel.proxy.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, part_index)
    assert chapter_ids(Project.load(project.path))[:2] == [second, first]
    part = panel.proxy.mapFromSource(window.model.index_of(project, project.tree.roots[0].id))
    shown = [panel.proxy.index(r, 0, part).data(ItemRole).node.id for r in range(2)]
    assert shown == [second, first]


def test_trash_and_restore(make_window, story_library):
    window = make_window(story_library)
    project = window.project
    panel = window.library_panel
    victim = chapter_ids(project)[1]
    panel.select(project, victim)
    panel.trash_action.trigger()
    assert Project.load(project.path).tree.in_trash(victim)
    panel.select(project, victim)
    panel.restore_action.trigger()
    assert not Project.load(project.path).tree.in_trash(victim)
    assert victim in chapter_ids(Project.load(project.path))


def test_empty_trash_asks_first(make_window, story_library):
    window = make_window(story_library)
    project = window.project
    panel = window.library_panel
    trashed = [e.node.id for e in project.tree.trash]
    assert trashed
    panel.select(project, trashed[0])
    panel.confirm = lambda _question: False
    panel.empty_trash_action.trigger()
    assert Project.load(project.path).tree.trash
    panel.confirm = lambda _question: True
    panel.empty_trash_action.trigger()
    assert not Project.load(project.path).tree.trash
    assert not project.doc_path(trashed[0]).exists()


def test_add_and_rename_nodes(make_window, story_library):
    window = make_window(story_library)
    project = window.project
    panel = window.library_panel
    panel.select(project, chapter_ids(project)[0])
    scene = panel.add_node("scene", "Harbour at night")
    assert scene is not None
    reloaded = Project.load(project.path)
    parent = reloaded.tree.parent_of(scene.id)
    assert parent is not None and parent.id == chapter_ids(project)[0]
    index = window.model.index_of(project, scene.id)
    window.model.setData(index, "Harbour at dawn")
    assert Project.load(project.path).tree.find(scene.id).title == "Harbour at dawn"


def test_move_to_other_project(make_window, story_library):
    window = make_window(story_library)
    project = window.project
    panel = window.library_panel
    moving = chapter_ids(project)[1]
    panel.select(project, moving)
    panel.choose_project = lambda titles: "Second Light"
    panel.move_project_action.trigger()
    assert moving not in chapter_ids(Project.load(project.path))
    other = Project.load(story_library.find("Second Light"))
    assert any("Water rose over the quay." in other.read_text(n.id) for n in other.tree.walk())


def test_filter_box_matches_fandom(make_window, story_library):
    window = make_window(story_library)
    panel = window.library_panel
    panel.filter_box.setText("saltmarsh")
    titles = [
        panel.proxy.index(r, 0).data(ItemRole).project.title for r in range(panel.proxy.rowCount())
    ]
    assert titles == ["Harbour Lights"]
    panel.filter_box.setText("")
    assert panel.proxy.rowCount() == 2


def test_external_replacements_are_detected_twice(qtbot, make_window, story_library):
    from writer.core.atomic import atomic_write_text

    window = make_window(story_library)
    path = window.current.path
    atomic_write_text(path, "First outside edit.\n")
    qtbot.waitUntil(lambda: window.editor.toPlainText() == "First outside edit.\n", timeout=5000)
    atomic_write_text(path, "Second outside edit.\n")
    qtbot.waitUntil(lambda: window.editor.toPlainText() == "Second outside edit.\n", timeout=5000)


def test_outside_change_with_unsaved_typing_keeps_both(qtbot, make_window, story_library):
    from writer.core.atomic import atomic_write_text

    window = make_window(story_library)
    window.documents.autosave.setInterval(60_000)
    asked = []
    window.documents.resolve_conflict = lambda opened: asked.append(opened) or "both"
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window.editor, "MINE")
    atomic_write_text(window.current.path, "THEIRS\n")
    qtbot.waitUntil(lambda: window.editor.toPlainText() == "THEIRS\n", timeout=5000)
    project = Project.load(window.project.path)
    assert len(asked) == 1
    copies = [n for n in project.tree.walk() if n.title.endswith("(my version)")]
    assert copies and project.read_text(copies[0].id).endswith("MINE")


def test_focus_mode_toggles(make_window, story_library):
    window = make_window(story_library)
    window.show()
    window.actions_by_name["focus"].trigger()
    assert window.focus_mode and not window.library_panel.isVisible()
    assert not window.metadata.isVisible() and window.editor.isVisible()
    window.actions_by_name["focus"].trigger()
    assert not window.focus_mode and window.library_panel.isVisible()


def test_view_modes(make_window, story_library):
    window = make_window(story_library)
    window.show()
    window.actions_by_name["view_editor"].trigger()
    assert window.editor.isVisible() and not window.preview.isVisible()
    window.actions_by_name["view_preview"].trigger()
    assert not window.editor.isVisible() and window.preview.isVisible()
    window.actions_by_name["view_both"].trigger()
    assert window.editor.isVisible() and window.preview.isVisible()


def test_whole_work_preview_shows_title_page(qtbot, make_window, story_library):
    window = make_window(story_library)
    window.actions_by_name["whole_work"].trigger()
    qtbot.waitUntil(lambda: "Spoiler warning" in window.preview.toPlainText(), timeout=5000)
    text = window.preview.toPlainText()
    assert text.index("Disclaimer") < text.index("Chapter 1: Low Tide") < text.index("Flood")


def test_window_state_restored(qtbot, make_window, story_library):
    window = make_window(story_library)
    project = window.project
    second = chapter_ids(project)[1]
    window.library_panel.select(project, second)
    window.main_split.setSizes([250, 700, 250])
    sizes = window.main_split.sizes()
    window.actions_by_name["view_editor"].trigger()
    window.close()
    again = make_window(story_library)
    assert again.current is not None and again.current.node_id == second
    assert again.main_split.sizes() == sizes
    assert again.view_mode == "editor"


@pytest.mark.parametrize("where", ["writer.core.atomic.os.replace", "writer.core.atomic.os.fdopen"])
@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "No space left"), (errno.EROFS, "Read-only")]
)
def test_save_failure_shows_banner_and_keeps_text(
    qtbot, make_window, story_library, monkeypatch, where, code, words
):
    window = make_window(story_library)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window.editor, "precious")

    def fail(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(where, fail)
    window.save_everything()
    assert not window.banner.isHidden() and words in window.banner.text()
    assert window.editor.toPlainText().endswith("precious")
    assert "precious" not in window.current.path.read_text(encoding="utf-8")
    assert window.documents.retry.isActive()  # it tries again by itself
    monkeypatch.undo()
    window.documents.retry.timeout.emit()
    assert "precious" in window.current.path.read_text(encoding="utf-8")
    assert window.banner.isHidden()


def test_idle_releases_locks_and_next_save_takes_them(qtbot, make_window, story_library):
    window = make_window(story_library)
    lock = window.project.path / ".writer.lock"
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window.editor, "more")
    window.save_everything()
    assert lock.exists()
    assert window.idle_timer.isActive()
    window.idle_timer.timeout.emit()
    assert not lock.exists()
    type_text(qtbot, window.editor, " again")
    window.save_everything()
    assert lock.exists()


def test_editor_font_and_line_width_persist(make_window, story_library):
    from PySide6.QtGui import QFont

    window = make_window(story_library)
    window.settings.editor_font = QFont("DejaVu Sans Mono", 15)
    window.settings.line_width = 60
    window.close()
    again = make_window(story_library)
    assert again.editor.line_width() == 60
    assert again.editor.font().pointSize() == 15
    again.settings.line_width = None
    assert again.editor.line_width() is None


def test_dark_palette_recolours_preview_and_highlighting(qtbot, make_window, story_library):
    from PySide6.QtGui import QColor, QPalette

    window = make_window(story_library)
    dark = QPalette(window.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#101010"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    window.setPalette(dark)
    qtbot.waitUntil(
        lambda: "#101010" in window.preview.document().defaultStyleSheet(), timeout=5000
    )
    assert "#eeeeee" in window.preview.document().defaultStyleSheet()


def write_foreign_lock(folder, host: str, pid: int) -> None:
    import json

    lock = {"pid": pid, "host": host, "time": "2026-01-01T00:00:00Z"}
    (folder / ".writer.lock").write_text(json.dumps(lock), encoding="utf-8")


def test_lock_from_another_computer_can_be_taken_over(qtbot, make_window, story_library):
    window = make_window(story_library)
    window.project.release_lock()
    write_foreign_lock(window.project.path, "another-laptop", 4242)
    asked = []
    window.confirm_take_over = lambda message: asked.append(message) or True
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window.editor, "mine")
    window.save_everything()
    assert asked and "another computer" in asked[0]
    assert window.current.path.read_text(encoding="utf-8").endswith("mine")


def test_lock_of_a_live_copy_keeps_text_and_says_so(qtbot, make_window, story_library):
    import subprocess
    import sys

    window = make_window(story_library)
    window.project.release_lock()
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        import socket

        write_foreign_lock(window.project.path, socket.gethostname(), other.pid)
        window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
        type_text(qtbot, window.editor, "kept")
        window.save_everything()
        assert not window.banner.isHidden() and "another copy of writer" in window.banner.text()
        assert window.editor.toPlainText().endswith("kept")
        assert not window.current.path.read_text(encoding="utf-8").endswith("kept")
    finally:
        other.kill()
        other.wait()
    window.save_everything()  # the other copy is gone: its lock is stale and taken over
    assert window.current.path.read_text(encoding="utf-8").endswith("kept")


def test_open_another_library_without_restart(qtbot, make_window, story_library, tmp_path):
    from writer.core.library import Library

    window = make_window(story_library)
    old = window.project
    other = Library(tmp_path / "other")
    made = other.create("Elsewhere")
    made.write_text(made.tree.roots[0].id, "A different shelf.")
    made.close()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window.editor, " saved first")
    window.open_library(other.path)
    assert old.read_text(chapter_ids(old)[0]).endswith("saved first")
    assert not (old.path / ".writer.lock").exists()
    assert [p.title for p in window.model.projects()] == ["Elsewhere"]
    assert window.project is not None and window.project.title == "Elsewhere"
    assert window.editor.toPlainText() == "A different shelf."


def test_second_copy_opens_read_only_with_a_banner(qtbot, make_window, story_library):
    import socket
    import subprocess
    import sys

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        folder = story_library.find("Harbour Lights")
        write_foreign_lock(folder, socket.gethostname(), other.pid)
        window = make_window(story_library, folder)
        assert window.editor.isReadOnly()
        assert not window.banner.isHidden() and "read-only here" in window.banner.text()
    finally:
        other.kill()
        other.wait()
    window.library_panel.select(window.project, chapter_ids(window.project)[1])
    assert not window.editor.isReadOnly()  # the other copy is gone
